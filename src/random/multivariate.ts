/**
 * The vector-valued distributions: `multinomial`, `dirichlet`,
 * `multivariateHypergeometric` (NumPy's algorithms, native) and
 * `multivariateNormal` (NumPy's construction `x @ factor + mean` with a
 * factor of `cov` from a Cholesky, symmetric eigen- or singular value
 * decomposition computed here: the draws are NumPy's standard normals, the
 * factor agrees with LAPACK's to rounding, so values agree to ~1e-15 relative,
 * not bit for bit).
 *
 * @module
 */
import { native } from '../binding.js';
import { NdshareRangeError, codes, invalidType, invalidValue } from '../errors.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { asarray, empty, type ArrayInput } from '../ndarray/creation.js';
import type { BitGenerator } from './bitgen.js';
import { body, sizeShape, unsupported, type Size } from './args.js';

function vector(v: ArrayInput, name: string): Float64Array {
  const x = asarray(v, { dtype: 'float64' });
  if (x.ndim !== 1) invalidValue(name, 'a 1-dimensional array', `${x.ndim}-d`);
  return x.copy().data as Float64Array;
}

/**
 * Multinomial counts: `n` trials (a number or an array broadcast against `size`) over 1-d `pvals`.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for n < 0, pvals outside [0, 1] or summing above 1.
 */
export function multinomial(bg: BitGenerator, n: number | ArrayInput, pvals: ArrayInput, size: Size): NDArray {
  const pv = vector(pvals, 'pvals');
  const d = pv.length;
  if (d === 0) invalidValue('pvals', 'at least one probability', 0);
  let sum = 0;
  for (let j = 0; j < d; j++) {
    const v = pv[j]!;
    if (!(v >= 0 && v <= 1)) invalidValue('pvals', 'probabilities in [0, 1] (pvals < 0, pvals > 1 or pvals contains NaNs)', v);
    if (j < d - 1) sum += v;
  }
  if (sum > 1.0 + 1e-12) invalidValue('pvals', 'probabilities whose sum (without the last) is at most 1 (sum(pvals[:-1]) > 1.0)', sum);
  const na = asarray(typeof n === 'number' ? n : (n as ArrayInput), { dtype: 'float64' });
  const s = sizeShape(size);
  const lead = s ?? [...na.shape];
  const rowsShape = lead;
  const nv = na.ndim === 0 ? Float64Array.of(na.item() as number) : (na.broadcastTo(rowsShape).copy().data as Float64Array);
  for (const v of nv) if (!(v >= 0) || !Number.isInteger(v)) invalidValue('n', 'non-negative integers (n < 0)', v);
  const out = empty([...rowsShape, d], { dtype: 'int64' });
  native.random.multinomial(bg.kind, bg.words, nv, pv, body<BigInt64Array>(out));
  return out;
}

/**
 * Dirichlet samples of shape `size + [k]`.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for alpha <= 0 or NaN.
 */
export function dirichlet(bg: BitGenerator, alpha: ArrayInput, size: Size): NDArray {
  const a = vector(alpha, 'alpha');
  for (const v of a) if (!(v > 0)) invalidValue('alpha', 'positive values (alpha <= 0)', v);
  const out = empty([...(sizeShape(size) ?? []), a.length], { dtype: 'float64' });
  if (a.length > 0 && out.size > 0) native.random.dirichlet(bg.kind, bg.words, a, body<Float64Array>(out));
  return out;
}

/** Options of `multivariateHypergeometric`. */
export interface MvHypergeometricOptions {
  size?: Size;
  /** 'marginals' (default) or 'count'. */
  method?: 'marginals' | 'count';
}

/**
 * Multivariate hypergeometric samples of shape `size + [colors.length]`.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for negative colors, nsample < 0 or > sum(colors),
 *   or an unknown method.
 */
export function multivariateHypergeometric(bg: BitGenerator, colors: ArrayInput, nsample: number, options: MvHypergeometricOptions = {}): NDArray {
  const method = options.method ?? 'marginals';
  if (method !== 'marginals' && method !== 'count') invalidValue('options.method', "'marginals' or 'count'", method);
  const c = asarray(colors, { dtype: 'int64' });
  if (c.ndim !== 1) invalidValue('colors', 'a 1-dimensional array', `${c.ndim}-d`);
  const cv = c.copy().data as BigInt64Array;
  let total = 0n;
  for (const v of cv) {
    if (v < 0n) invalidValue('colors', 'non-negative counts (colors must be a one-dimensional sequence of nonnegative integers)', v);
    total += v;
  }
  if (!Number.isSafeInteger(nsample) || nsample < 0) invalidValue('nsample', 'a non-negative integer (nsample must be nonnegative)', nsample);
  if (BigInt(nsample) > total) invalidValue('nsample', `at most sum(colors) = ${total} (nsample > sum(colors))`, nsample);
  if (method === 'count' && total > 1_000_000_000n) unsupported("method='count' with sum(colors) above 10^9");
  const out = empty([...(sizeShape(options.size) ?? []), cv.length], { dtype: 'int64' });
  if (cv.length > 0 && out.size > 0) native.random.mvhypergeometric(bg.kind, bg.words, method === 'count', cv, nsample, body<BigInt64Array>(out));
  return out;
}

/** Options of `multivariateNormal`. */
export interface MultivariateNormalOptions {
  size?: Size;
  /** 'warn' (default; no output in JS), 'raise' or 'ignore': what to do when cov is not positive semi-definite. */
  checkValid?: 'warn' | 'raise' | 'ignore';
  /** Tolerance of the PSD check (default 1e-8). */
  tol?: number;
  /** Factorisation of cov: 'svd' (default), 'eigh' or 'cholesky'. */
  method?: 'svd' | 'eigh' | 'cholesky';
}

/** Eigen-decomposition of a symmetric matrix by cyclic Jacobi rotations: values w, vectors as columns of v. */
function jacobiEigh(a: Float64Array, n: number): { w: Float64Array; v: Float64Array } {
  const m = Float64Array.from(a);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) off += m[i * n + j]! ** 2;
    if (off < 1e-300) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = m[p * n + q]!;
        if (apq === 0) continue;
        const theta = (m[q * n + q]! - m[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const mkp = m[k * n + p]!,
            mkq = m[k * n + q]!;
          m[k * n + p] = c * mkp - s * mkq;
          m[k * n + q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const mpk = m[p * n + k]!,
            mqk = m[q * n + k]!;
          m[p * n + k] = c * mpk - s * mqk;
          m[q * n + k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!,
            vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = m[i * n + i]!;
  return { w, v };
}

/**
 * Samples of N(mean, cov) of shape `size + [n]`: NumPy's standard normal draws times a factor of cov.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for mismatched mean/cov, a cov that is not
 *   PSD with checkValid 'raise', or one Cholesky cannot factor.
 */
export function multivariateNormal(bg: BitGenerator, mean: ArrayInput, cov: ArrayInput, options: MultivariateNormalOptions = {}): NDArray {
  const method = options.method ?? 'svd';
  if (method !== 'svd' && method !== 'eigh' && method !== 'cholesky') invalidValue('options.method', "'svd', 'eigh' or 'cholesky'", method);
  const checkValid = options.checkValid ?? 'warn';
  if (checkValid !== 'warn' && checkValid !== 'raise' && checkValid !== 'ignore') invalidValue('options.checkValid', "'warn', 'raise' or 'ignore'", checkValid);
  const tol = options.tol ?? 1e-8;
  if (typeof tol !== 'number') invalidType('options.tol', 'a number', tol);
  const mu = vector(mean, 'mean');
  const n = mu.length;
  const c = asarray(cov, { dtype: 'float64' });
  if (c.ndim !== 2 || c.shape[0] !== n || c.shape[1] !== n)
    invalidValue('cov', `a ${n} x ${n} matrix (mean and cov must have same length, cov must be 2 dimensional and square)`, `shape (${c.shape.join(', ')})`);
  const cm = c.copy().data as Float64Array;
  // factor F (n x n, row-major) with F^T F = cov; samples are z @ F + mean.
  const F = new Float64Array(n * n);
  if (method === 'cholesky') {
    const L = new Float64Array(n * n);
    for (let j = 0; j < n; j++) {
      let d = cm[j * n + j]!;
      for (let k = 0; k < j; k++) d -= L[j * n + k]! ** 2;
      if (!(d > 0)) throw new NdshareRangeError('multivariateNormal: cov is not positive definite (Cholesky failed)', { code: codes.INVALID_ARG_VALUE });
      const ljj = Math.sqrt(d);
      L[j * n + j] = ljj;
      for (let i = j + 1; i < n; i++) {
        let s = cm[i * n + j]!;
        for (let k = 0; k < j; k++) s -= L[i * n + k]! * L[j * n + k]!;
        L[i * n + j] = s / ljj;
      }
    }
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) F[i * n + j] = L[j * n + i]!; // L^T
  } else {
    const { w, v } = jacobiEigh(cm, n);
    if (checkValid !== 'ignore') {
      // PSD check as NumPy's: the reconstruction from |w| must match cov.
      let ok = true;
      for (let i = 0; i < n && ok; i++) {
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < n; k++) s += v[i * n + k]! * Math.abs(w[k]!) * v[j * n + k]!;
          if (Math.abs(s - cm[i * n + j]!) > tol + 1e-5 * Math.abs(cm[i * n + j]!)) ok = false;
        }
      }
      if (!ok && checkValid === 'raise') throw new NdshareRangeError('covariance is not symmetric positive-semidefinite.', { code: codes.INVALID_ARG_VALUE });
    }
    for (let k = 0; k < n; k++) {
      const r = Math.sqrt(Math.max(w[k]!, 0));
      for (let j = 0; j < n; j++) F[k * n + j] = r * v[j * n + k]!;
    }
  }
  const lead = sizeShape(options.size) ?? [];
  const out = empty([...lead, n], { dtype: 'float64' });
  const o = body<Float64Array>(out);
  native.random.fill(bg.kind, bg.words, 1, o);
  const rows = n === 0 ? 0 : o.length / n;
  const z = new Float64Array(n);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < n; j++) z[j] = o[r * n + j]!;
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += z[k]! * F[k * n + j]!;
      o[r * n + j] = s + mu[j]!;
    }
  }
  return out;
}
