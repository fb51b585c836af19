/**
 * NumPy's polynomial helpers on coefficient arrays (highest power first):
 * polyadd, polysub, polymul, polydiv, polyder, polyint, polyval, polyfit,
 * poly, roots. roots and poly run on the real eigenvalues of a companion
 * matrix (Hessenberg + Francis QR); complex roots need a complex dtype, which
 * ndshare does not have yet, so roots refuses them (ERR_NDSHARE_UNSUPPORTED).
 *
 * @module
 */
import { NdshareTypeError, codes, invalidValue } from '../errors.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { add, multiply } from '../math/elementwise.js';
import { promoteTypes } from '../math/promote.js';
import type { Operand } from '../math/ufunc.js';
import { arr, f64, fromF64, kernel, linalgError, resultDType } from './core.js';
import { inv } from './decomp.js';
import { eigvals } from './eig.js';
import { concatenate } from '../math/shaping.js';
import { zeros } from '../ndarray/creation.js';
import { lstsq } from './spectral.js';

function vec(p: Operand, arg: string): NDArray {
  const a = arr(p, arg);
  if (a.ndim > 1) invalidValue(arg, 'a 1-D coefficient array', `shape (${a.shape.join(', ')})`);
  return a.ndim === 0 ? a.reshape([1]) : a;
}

function floatOf(...xs: NDArray[]): 'float32' | 'float64' {
  return xs.every((x) => x.dtype === 'float32') ? 'float32' : 'float64';
}

function addSub(a1: Operand, a2: Operand, sign: number): NDArray {
  const a = vec(a1, 'a1');
  const b = vec(a2, 'a2');
  const t = promoteTypes(a.dtype, b.dtype);
  const n = Math.max(a.size, b.size);
  const x = f64(a);
  const y = f64(b);
  const out = new Float64Array(n);
  for (let i = 0; i < x.length; i++) out[n - x.length + i] = out[n - x.length + i]! + x[i]!;
  for (let i = 0; i < y.length; i++) out[n - y.length + i] = out[n - y.length + i]! + sign * y[i]!;
  return fromF64(out, [n], t === 'bool' ? 'int64' : t);
}

/**
 * Sum of two polynomials. @example nd.polyadd([1, 2], [9, 5, 4]).toArray() // [9, 6, 6]
 */
export function polyadd(a1: Operand, a2: Operand): NDArray {
  return addSub(a1, a2, 1);
}

/**
 * Difference of two polynomials. @example nd.polysub([2, 10, -2], [3, 10, -4]).toArray() // [-1, 0, 2]
 */
export function polysub(a1: Operand, a2: Operand): NDArray {
  return addSub(a1, a2, -1);
}

function convolve(x: Float64Array, y: Float64Array): Float64Array {
  if (x.length === 0 || y.length === 0) return new Float64Array(0);
  const out = new Float64Array(x.length + y.length - 1);
  for (let i = 0; i < x.length; i++) for (let j = 0; j < y.length; j++) out[i + j] = out[i + j]! + x[i]! * y[j]!;
  return out;
}

/**
 * Product of two polynomials. @example nd.polymul([1, 2, 3], [9, 5, 1]).toArray() // [9, 23, 38, 17, 3]
 */
export function polymul(a1: Operand, a2: Operand): NDArray {
  const a = vec(a1, 'a1');
  const b = vec(a2, 'a2');
  const r = convolve(f64(a), f64(b));
  const t = promoteTypes(a.dtype, b.dtype);
  return fromF64(r, [r.length], t === 'bool' ? 'int64' : t);
}

/**
 * Quotient and remainder of u / v (float results).
 * @throws {NdshareError} ERR_NDSHARE_INVALID_ARG_VALUE when v is empty.
 * @example nd.polydiv([3, 5, 2], [2, 1]) // [q = [1.5, 1.75], r = [0.25]]
 */
export function polydiv(u: Operand, v: Operand): [NDArray, NDArray] {
  const U = vec(u, 'u');
  const V = vec(v, 'v');
  if (V.size === 0) invalidValue('v', 'a non-empty polynomial', '[]');
  const dt = floatOf(U, V) === 'float32' ? 'float32' : 'float64';
  const uu = f64(U);
  const vv = f64(V);
  const m = uu.length - 1;
  const n = vv.length - 1;
  const scale = 1 / vv[0]!;
  const q = new Float64Array(Math.max(m - n + 1, 1));
  let r = Float64Array.from(uu);
  for (let k = 0; k < m - n + 1; k++) {
    const d = scale * r[k]!;
    q[k] = d;
    for (let i = 0; i <= n; i++) r[k + i] = r[k + i]! - d * vv[i]!;
  }
  while (r.length > 1 && Math.abs(r[0]!) <= 1e-8) {
    // NumPy: allclose(r[0], 0, rtol=1e-14) -> |r[0]| <= atol (1e-8).
    r = r.subarray(1);
  }
  return [fromF64(q, [q.length], dt), fromF64(Float64Array.from(r), [r.length], dt)];
}

/**
 * The m-th derivative. @example nd.polyder([1, 1, 1, 1]).toArray() // [3, 2, 1]
 */
export function polyder(p: Operand, m = 1): NDArray {
  if (!Number.isInteger(m) || m < 0) invalidValue('m', 'a non-negative integer (order of derivative)', m);
  const P = vec(p, 'p');
  let c = f64(P);
  for (let k = 0; k < m; k++) {
    const n = c.length - 1;
    const d = new Float64Array(Math.max(n, 0));
    for (let i = 0; i < n; i++) d[i] = c[i]! * (n - i);
    c = d;
  }
  const t = P.dtype === 'bool' ? 'int64' : P.dtype;
  return fromF64(c, [c.length], t);
}

/**
 * The m-th antiderivative; `k` the integration constants (a number or m of them, default 0).
 * @throws {NdshareError} ERR_NDSHARE_INVALID_ARG_VALUE for m < 0 or a k of the wrong length.
 * @example nd.polyint([3, 2, 1]).toArray() // [1, 1, 1, 0]
 */
export function polyint(p: Operand, m = 1, k?: number | readonly number[]): NDArray {
  if (!Number.isInteger(m) || m < 0) invalidValue('m', 'a non-negative integer (order of integral)', m);
  const ks = k === undefined ? new Array<number>(m).fill(0) : typeof k === 'number' ? new Array<number>(m).fill(k) : [...k];
  if (ks.length < m) invalidValue('k', `${m} integration constants`, k);
  const P = vec(p, 'p');
  let c = f64(P);
  for (let j = 0; j < m; j++) {
    const n = c.length;
    const d = new Float64Array(n + 1);
    for (let i = 0; i < n; i++) d[i] = c[i]! / (n - i);
    d[n] = ks[j]!;
    c = d;
  }
  return fromF64(c, [c.length], P.dtype === 'float32' && m === 0 ? 'float32' : 'float64');
}

/**
 * Evaluates the polynomial at x (Horner), elementwise over x.
 * @example nd.polyval([3, 0, 1], 5).item() // 76
 */
export function polyval(p: Operand, x: Operand): NDArray {
  const P = vec(p, 'p');
  const X = arr(x, 'x');
  const c = f64(P);
  const t = promoteTypes(P.dtype, X.dtype);
  let y: NDArray = fromF64(new Float64Array(X.size), X.shape, t);
  for (let i = 0; i < c.length; i++) y = add(multiply(y, X), P.dtype === 'float64' || t === 'float64' ? c[i]! : Math.fround(c[i]!));
  return y.dtype === t ? y : y.astype(t);
}

/** Options of {@link polyfit}. */
export interface PolyfitOptions {
  rcond?: number;
  /** Also return [residuals, rank, singular values, rcond]. */
  full?: boolean;
  /** Weights applied to the unsquared residuals. */
  w?: Operand;
  /** Also return the covariance matrix: true (scaled) or 'unscaled'. */
  cov?: boolean | 'unscaled';
}

/**
 * Least-squares polynomial fit of degree `deg` (NumPy's `polyfit`, on lstsq of the scaled Vandermonde matrix).
 * Returns the coefficients; with `full`, [p, residuals, rank, singularValues, rcond]; with `cov`, [p, V].
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for bad x/y shapes; {NdshareError} ERR_NDSHARE_INVALID_ARG_VALUE for deg < 0.
 * @example nd.polyfit([0, 1, 2], [1, 3, 5], 1).toArray() // [2, 1]
 */
export function polyfit(
  x: Operand,
  y: Operand,
  deg: number,
  options: PolyfitOptions = {},
): NDArray | [NDArray, NDArray] | [NDArray, NDArray, number, NDArray, number] {
  if (!Number.isInteger(deg) || deg < 0) invalidValue('deg', 'a non-negative integer (expected deg >= 0)', deg);
  const X = arr(x, 'x').astype('float64');
  const Y = arr(y, 'y').astype('float64');
  if (X.ndim !== 1) throw new NdshareTypeError('polyfit: expected 1D vector for x', { code: codes.INVALID_ARG_TYPE });
  if (X.size === 0) throw new NdshareTypeError('polyfit: expected non-empty vector for x', { code: codes.INVALID_ARG_TYPE });
  if (Y.ndim < 1 || Y.ndim > 2) throw new NdshareTypeError('polyfit: expected 1D or 2D array for y', { code: codes.INVALID_ARG_TYPE });
  if (X.shape[0] !== Y.shape[0]) throw new NdshareTypeError('polyfit: expected x and y to have same length', { code: codes.INVALID_ARG_TYPE });
  const order = deg + 1;
  const n = X.size;
  const xs = f64(X);
  const lhs = new Float64Array(n * order);
  for (let i = 0; i < n; i++) {
    let v = 1;
    for (let j = order - 1; j >= 0; j--) {
      lhs[i * order + j] = v;
      v *= xs[i]!;
    }
  }
  const k = Y.ndim === 1 ? 1 : Y.shape[1]!;
  const rhs = Float64Array.from(f64(Y));
  if (options.w !== undefined) {
    const W = arr(options.w, 'options.w');
    if (W.ndim !== 1) throw new NdshareTypeError('polyfit: expected a 1-d array for weights', { code: codes.INVALID_ARG_TYPE });
    if (W.size !== n) throw new NdshareTypeError('polyfit: expected w and y to have the same length', { code: codes.INVALID_ARG_TYPE });
    const w = f64(W);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < order; j++) lhs[i * order + j] = lhs[i * order + j]! * w[i]!;
      for (let j = 0; j < k; j++) rhs[i * k + j] = rhs[i * k + j]! * w[i]!;
    }
  }
  const rcond = options.rcond ?? n * 2.220446049250313e-16;
  const scale = new Float64Array(order);
  for (let j = 0; j < order; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += lhs[i * order + j]! ** 2;
    scale[j] = Math.sqrt(s);
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < order; j++) lhs[i * order + j] = lhs[i * order + j]! / scale[j]!;
  const L = fromF64(lhs, [n, order], 'float64');
  const [c0, resids, rank, s] = lstsq(L, fromF64(rhs, Y.shape, 'float64'), { rcond });
  const c = Float64Array.from(f64(c0));
  for (let j = 0; j < order; j++) for (let q = 0; q < k; q++) c[j * k + q] = c[j * k + q]! / scale[j]!;
  const C = fromF64(c, Y.ndim === 1 ? [order] : [order, k], 'float64');
  if (options.full === true) return [C, resids, rank, s, rcond];
  if (options.cov !== undefined && options.cov !== false) {
    const lt = new Float64Array(order * order);
    for (let a = 0; a < order; a++)
      for (let b = 0; b < order; b++) {
        let v = 0;
        for (let i = 0; i < n; i++) v += lhs[i * order + a]! * lhs[i * order + b]!;
        lt[a * order + b] = v;
      }
    const vb = Float64Array.from(f64(inv(fromF64(lt, [order, order], 'float64'))));
    for (let a = 0; a < order; a++) for (let b = 0; b < order; b++) vb[a * order + b] = vb[a * order + b]! / (scale[a]! * scale[b]!);
    let fac: Float64Array = Float64Array.of(1);
    if (options.cov !== 'unscaled') {
      if (n <= order) invalidValue('x', 'more data points than order to scale the covariance matrix', n);
      fac = Float64Array.from(f64(resids)).map((r) => r / (n - order));
      if (fac.length === 0) fac = new Float64Array(k);
    }
    if (Y.ndim === 1)
      return [
        C,
        fromF64(
          vb.map((v) => v * fac[0]!),
          [order, order],
          'float64',
        ),
      ];
    const out = new Float64Array(order * order * k);
    for (let i = 0; i < order * order; i++) for (let q = 0; q < k; q++) out[i * k + q] = vb[i]! * (fac[q] ?? fac[0]!);
    return [C, fromF64(out, [order, order, k], 'float64')];
  }
  return C;
}

/** Coefficients of the monic polynomial with the given real roots (pairs of complex conjugates as wr/wi). */
function fromRoots(wr: Float64Array, wi: Float64Array): Float64Array {
  let a: Float64Array = Float64Array.of(1);
  for (let i = 0; i < wr.length; i++) {
    if (wi[i] === 0) a = convolve(a, Float64Array.of(1, -wr[i]!));
    else if (wi[i]! > 0) a = convolve(a, Float64Array.of(1, -2 * wr[i]!, wr[i]! * wr[i]! + wi[i]! * wi[i]!));
  }
  return a;
}

/**
 * Coefficients of the polynomial with the given roots, or the characteristic polynomial of a square
 * matrix (from its eigenvalues; complex conjugate pairs give real coefficients, as NumPy's).
 * @throws {NdshareError} ERR_NDSHARE_INVALID_ARG_VALUE for anything but a 1-D sequence or a square matrix.
 * @example nd.poly([1, 2]).toArray() // [1, -3, 2]
 */
export function poly(seqOfZeros: Operand): NDArray {
  const A = arr(seqOfZeros, 'seq_of_zeros');
  if (A.ndim === 0 || A.size === 0) return fromF64(Float64Array.of(1), [], 'float64');
  if (A.ndim === 2 && A.shape[0] === A.shape[1]) {
    const n = A.shape[0]!;
    const buf = Float64Array.from(f64(A));
    const wr = new Float64Array(n);
    const wi = new Float64Array(n);
    const kernelCall = eigKernel(buf, n, wr, wi);
    if (!kernelCall) linalgError('Eigenvalues did not converge');
    const c = fromRoots(wr, wi);
    return fromF64(c, [c.length], resultDType(A.dtype));
  }
  if (A.ndim !== 1) invalidValue('seq_of_zeros', 'a 1-D sequence of roots or a square 2-D array', `shape (${A.shape.join(', ')})`);
  const r = f64(A);
  const c = fromRoots(r, new Float64Array(r.length));
  return fromF64(c, [c.length], 'float64');
}

function eigKernel(buf: Float64Array, n: number, wr: Float64Array, wi: Float64Array): boolean {
  return kernel('eig', [buf, wr, wi], [n]) === 0;
}

/**
 * Roots of the polynomial (eigenvalues of its companion matrix), as NumPy's `roots`: real when
 * every root is real, complex otherwise; float32 coefficients give float32/complex64.
 * @throws {NdshareError} ERR_NDSHARE_INVALID_ARG_VALUE for a non 1-D input; ERR_NDSHARE_LINALG
 *   when the QR iteration fails.
 * @example nd.roots([1, -3, 2]).toArray() // [2, 1]
 */
export function roots(p: Operand): NDArray {
  const P = arr(p, 'p');
  if (P.ndim !== 1) invalidValue('p', 'a rank-1 array (Input must be a rank-1 array)', P.ndim);
  const c = f64(P);
  let lo = 0;
  let hi = c.length;
  while (lo < hi && c[lo] === 0) lo++;
  while (hi > lo && c[hi - 1] === 0) hi--;
  const trailing = c.length - hi;
  const dt = P.dtype === 'float32' ? 'float32' : 'float64';
  if (lo >= hi) return fromF64(new Float64Array(0), [0], dt);
  const q = c.subarray(lo, hi);
  const n = q.length - 1;
  const comp = new Float64Array(n * n);
  for (let j = 0; j < n; j++) comp[j] = -q[j + 1]! / q[0]!;
  for (let i = 1; i < n; i++) comp[i * n + i - 1] = 1;
  const w = eigvals(fromF64(comp, [n, n], dt));
  return trailing === 0 ? w : concatenate([w, zeros([trailing], { dtype: w.dtype })]);
}
