/**
 * nd.linalg SVD-based routines: svd, svdvals, lstsq, pinv, matrixRank, cond.
 *
 * @module
 */
import type { NDArray } from '../ndarray/ndarray.js';
import type { Operand } from '../math/ufunc.js';
import { arr, batchOf, checkStack, f64, fromF64, kernel, linalgError, prodOf, resultDType, shapeError, type RawSvd } from './core.js';
import { eighImpl } from './decomp.js';
import { checkOptions } from '../validate.js';
import { anyComplex } from './complex.js';
import { partDType } from '../ndarray/dtypes.js';
import { zlstsq, zpinv, zsvd, zsvdHermitian } from './complex-spectral.js';

/** Options of {@link svd}. */
export interface SvdOptions {
  /** U is M x M and Vh N x N (default true); false gives M x K and K x N, K = min(M, N). */
  fullMatrices?: boolean;
  /** Compute U and Vh (default true); false returns only S, as an object { S }. */
  computeUv?: boolean;
  /** The input is symmetric (the SVD comes from eigh). */
  hermitian?: boolean;
}

/** Result of {@link svd}. */
export interface SvdResult {
  U: NDArray;
  S: NDArray;
  Vh: NDArray;
}

/** SVD of every matrix of a stack as raw row-major buffers (u: m x uc, vh: vr x n). */
export function svdRaw(fn: string, A: NDArray, full: boolean, wantUv: boolean): RawSvd {
  checkStack(fn, A, false);
  const m = A.shape[A.ndim - 2]!;
  const n = A.shape[A.ndim - 1]!;
  const k = Math.min(m, n);
  const batch = batchOf(A);
  const count = prodOf(batch);
  const buf = f64(A);
  const tall = m >= n;
  // Kernel works on p x q with p >= q: the matrix itself, or its transpose.
  const p = tall ? m : n;
  const q = tall ? n : m;
  const uc = full ? m : k;
  const vr = full ? n : k;
  const s = new Float64Array(count * k);
  const u = wantUv ? new Float64Array(count * m * uc) : undefined;
  const vh = wantUv ? new Float64Array(count * vr * n) : undefined;
  const work = new Float64Array(p * q);
  const kuc = full ? p : q;
  const ku = new Float64Array(wantUv ? p * kuc : 0);
  const kvt = new Float64Array(wantUv ? q * q : 0);
  for (let b = 0; b < count; b++) {
    const src = buf.subarray(b * m * n, (b + 1) * m * n);
    if (tall) work.set(src);
    else for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) work[j * m + i] = src[i * n + j]!;
    for (let i = 0; i < work.length; i++) {
      if (!Number.isFinite(work[i]!)) linalgError('SVD did not converge');
    }
    if (kernel('svd', [work, s.subarray(b * k, (b + 1) * k), ku, kvt], [p, q, kuc, wantUv ? 1 : 0]) !== 0) {
      linalgError('SVD did not converge');
    }
    if (!wantUv) continue;
    const U = u!.subarray(b * m * uc, (b + 1) * m * uc);
    const V = vh!.subarray(b * vr * n, (b + 1) * vr * n);
    if (tall) {
      // A = ku S kvt: U = ku (m x uc), Vh = kvt (n x n; vr = n always when tall).
      U.set(ku.subarray(0, m * uc));
      V.set(kvt.subarray(0, vr * n));
    } else {
      // A^T = ku S kvt  =>  A = kvt^T S ku^T: U = kvt^T (m x m), Vh = ku^T (vr x n).
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) U[i * uc + j] = kvt[j * q + i]!;
      for (let i = 0; i < vr; i++) for (let j = 0; j < n; j++) V[i * n + j] = ku[j * kuc + i]!;
    }
  }
  return { s, u, vh, m, n, k, uc, vr, batch, count };
}

/**
 * Singular value decomposition of every matrix of a stack: a = U @ diag(S) @ Vh, S descending
 * (Householder bidiagonalisation + implicit-QR bidiagonal SVD, QR first for tall matrices; with
 * `hermitian`, from eigh).
 * @throws {NdshareError} ERR_NDSHARE_LINALG "SVD did not converge" (also for NaN/Inf input) or ndim < 2.
 * @example const { U, S, Vh } = nd.linalg.svd(nd.random.random([5, 3]), { fullMatrices: false })
 */
export function svd(a: Operand, options: SvdOptions & { computeUv: false }): { S: NDArray };
export function svd(a: Operand, options?: SvdOptions): SvdResult;
export function svd(a: Operand, options: SvdOptions = {}): SvdResult | { S: NDArray } {
  checkOptions(options, { fn: 'nd.linalg.svd', known: ['fullMatrices', 'computeUv', 'hermitian'] });
  const A = arr(a, 'a');
  const full = options.fullMatrices !== false;
  const want = options.computeUv !== false;
  const dt = resultDType(A.dtype);
  if (anyComplex(A)) return options.hermitian === true ? zsvdHermitian(A, want) : zsvd(A, full, want);
  if (options.hermitian === true) return hermitianSvd(A, want);
  const r = svdRaw('svd', A, full, want);
  const S = fromF64(r.s, [...r.batch, r.k], dt);
  if (!want) return { S };
  return { U: fromF64(r.u!, [...r.batch, r.m, r.uc], dt), S, Vh: fromF64(r.vh!, [...r.batch, r.vr, r.n], dt) };
}

function hermitianSvd(A: NDArray, want: boolean): SvdResult | { S: NDArray } {
  checkStack('svd', A, true);
  const n = A.shape[A.ndim - 1]!;
  const r = eighImpl('svd', A, 'L', want);
  const w = f64(r.w);
  const count = prodOf(batchOf(A));
  const dt = resultDType(A.dtype);
  const s = new Float64Array(count * n);
  const order: number[][] = [];
  for (let b = 0; b < count; b++) {
    const idx = [...Array(n).keys()].sort((x, y) => Math.abs(w[b * n + y]!) - Math.abs(w[b * n + x]!));
    order.push(idx);
    idx.forEach((j, i) => (s[b * n + i] = Math.abs(w[b * n + j]!)));
  }
  const S = fromF64(s, [...batchOf(A), n], dt);
  if (!want) return { S };
  const v = f64(r.v!);
  const U = new Float64Array(count * n * n);
  const Vh = new Float64Array(count * n * n);
  for (let b = 0; b < count; b++) {
    const o = b * n * n;
    order[b]!.forEach((j, c) => {
      const sg = w[b * n + j]! < 0 ? -1 : 1;
      for (let i = 0; i < n; i++) {
        U[o + i * n + c] = v[o + i * n + j]!;
        Vh[o + c * n + i] = sg * v[o + i * n + j]!;
      }
    });
  }
  return { U: fromF64(U, A.shape, dt), S, Vh: fromF64(Vh, A.shape, dt) };
}

/**
 * Singular values (descending) of every matrix of a stack.
 * @throws as {@link svd}.
 * @example nd.linalg.svdvals([[3, 0], [0, 4]]).toArray() // [4, 3]
 */
export function svdvals(x: Operand): NDArray {
  return svd(x, { computeUv: false }).S;
}

/** Options of {@link lstsq}. */
export interface LstsqOptions {
  /** Singular values <= rcond * max(S) count as zero; default eps * max(M, N) (NumPy 2). */
  rcond?: number;
}

/**
 * Least-squares solution of `a @ x = b` (NumPy's `lstsq`): [x, residuals, rank, s].
 * residuals holds the squared 2-norm of b - a@x per column when rank == N < M, else is empty.
 * @throws {NdshareError} ERR_NDSHARE_LINALG for ndim != 2 or no convergence; ERR_NDSHARE_SHAPE_MISMATCH when b does not fit.
 * @example const [x] = nd.linalg.lstsq([[1, 0], [1, 1], [1, 2]], [1, 2, 3])
 */
export function lstsq(a: Operand, b: Operand, options: LstsqOptions = {}): [NDArray, NDArray, number, NDArray] {
  checkOptions(options, { fn: 'nd.linalg.lstsq', known: ['rcond'] });
  const A = arr(a, 'a');
  let B = arr(b, 'b');
  if (A.ndim !== 2) linalgError(`lstsq: ${A.ndim}-dimensional array given. Array must be two-dimensional`);
  const m = A.shape[0]!;
  const n = A.shape[1]!;
  const vec = B.ndim === 1;
  if (vec) B = B.expandDims(1);
  if (B.ndim !== 2) linalgError(`lstsq: ${B.ndim}-dimensional array given. Array must be one or two-dimensional`);
  if (B.shape[0] !== m) shapeError(`lstsq: Incompatible dimensions: a has ${m} rows, b has ${B.shape[0]}`);
  const nrhs = B.shape[1]!;
  const dt = resultDType(A.dtype) === 'float32' && resultDType(B.dtype) === 'float32' ? 'float32' : 'float64';
  const k = Math.min(m, n);
  const rcond = options.rcond ?? 2.220446049250313e-16 * Math.max(m, n);
  if (anyComplex(A, B)) return zlstsq(A, B, rcond, vec);
  const r = k === 0 ? undefined : svdRaw('lstsq', A, false, true);
  const s = r ? r.s : new Float64Array(0);
  const smax = s.length > 0 ? s[0]! : 0;
  let rank = 0;
  for (let i = 0; i < k; i++) if (s[i]! > rcond * smax) rank++;
  const bb = f64(B);
  const x = new Float64Array(n * nrhs);
  if (r) {
    // x = V diag(1/s) U^T b over the kept singular values.
    const U = r.u!;
    const Vh = r.vh!;
    const t = new Float64Array(nrhs);
    for (let j = 0; j < rank; j++) {
      t.fill(0);
      for (let i = 0; i < m; i++) {
        const uij = U[i * r.uc + j]!;
        if (uij === 0) continue;
        for (let c = 0; c < nrhs; c++) t[c] = t[c]! + uij * bb[i * nrhs + c]!;
      }
      const inv = 1 / s[j]!;
      for (let i = 0; i < n; i++) {
        const v = Vh[j * n + i]! * inv;
        for (let c = 0; c < nrhs; c++) x[i * nrhs + c] = x[i * nrhs + c]! + v * t[c]!;
      }
    }
  }
  let resid = new Float64Array(0);
  if (rank === n && m > n) {
    resid = new Float64Array(nrhs);
    const ab = f64(A);
    for (let i = 0; i < m; i++) {
      for (let c = 0; c < nrhs; c++) {
        let v = bb[i * nrhs + c]!;
        for (let j = 0; j < n; j++) v -= ab[i * n + j]! * x[j * nrhs + c]!;
        resid[c] = resid[c]! + v * v;
      }
    }
  }
  const X = fromF64(x, vec ? [n] : [n, nrhs], dt);
  return [X, fromF64(resid, [resid.length], dt), rank, fromF64(s.slice(), [k], dt)];
}

/** Options of {@link pinv}. */
export interface PinvOptions {
  /** Relative cutoff of small singular values (default 1e-15, NumPy's). */
  rcond?: number;
  /** Absolute cutoff (NumPy 2's rtol is relative, this is `rcond`'s alias). */
  rtol?: number;
  hermitian?: boolean;
}

/**
 * Moore-Penrose pseudo-inverse of every matrix of a stack (through the SVD).
 * @throws as {@link svd}.
 * @example nd.linalg.pinv([[1, 2], [2, 4]])
 */
export function pinv(a: Operand, options: PinvOptions = {}): NDArray {
  checkOptions(options, { fn: 'nd.linalg.pinv', known: ['rcond', 'rtol', 'hermitian'] });
  const A = arr(a, 'a');
  checkStack('pinv', A, false);
  const rcond = options.rtol ?? options.rcond ?? 1e-15;
  if (anyComplex(A)) return zpinv(A, rcond);
  const r = svdRaw('pinv', A, false, true);
  const { m, n, k, count } = r;
  const out = new Float64Array(count * n * m);
  for (let b = 0; b < count; b++) {
    const s = r.s.subarray(b * k, (b + 1) * k);
    const cut = rcond * (k > 0 ? s[0]! : 0);
    const U = r.u!.subarray(b * m * r.uc);
    const Vh = r.vh!.subarray(b * r.vr * n);
    const o = b * n * m;
    for (let j = 0; j < k; j++) {
      if (!(s[j]! > cut)) continue;
      const inv = 1 / s[j]!;
      for (let i = 0; i < n; i++) {
        const v = Vh[j * n + i]! * inv;
        if (v === 0) continue;
        for (let c = 0; c < m; c++) out[o + i * m + c] = out[o + i * m + c]! + v * U[c * r.uc + j]!;
      }
    }
  }
  return fromF64(out, [...r.batch, n, m], resultDType(A.dtype));
}

/** Options of {@link matrixRank}. */
export interface MatrixRankOptions {
  /** Absolute threshold (default S.max() * max(M, N) * eps). */
  tol?: number;
  /** Relative threshold (NumPy 2). */
  rtol?: number;
  hermitian?: boolean;
}

/**
 * Rank of a matrix (or stack) by counting singular values above the threshold; for ndim < 2,
 * 1 unless every element is zero.
 * @example nd.linalg.matrixRank([[1, 2], [2, 4]]).item() // 1
 */
export function matrixRank(A_: Operand, options: MatrixRankOptions = {}): NDArray {
  checkOptions(options, { fn: 'nd.linalg.matrixRank', known: ['tol', 'rtol', 'hermitian'] });
  const A = arr(A_, 'A');
  if (A.ndim < 2) {
    const v = f64(A);
    return fromF64(Float64Array.of(v.some((x) => x !== 0) ? 1 : 0), [], 'float64').astype('int64');
  }
  const m = A.shape[A.ndim - 2]!;
  const n = A.shape[A.ndim - 1]!;
  const S = f64(svd(A, { computeUv: false, hermitian: options.hermitian === true }).S);
  const k = Math.min(m, n);
  const count = prodOf(batchOf(A));
  const eps = resultDType(partDType(A.dtype)) === 'float32' ? 1.1920929e-7 : 2.220446049250313e-16;
  const out = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    const smax = k > 0 ? Math.max(...S.subarray(b * k, (b + 1) * k)) : 0;
    const tol = options.tol ?? smax * (options.rtol ?? Math.max(m, n) * eps);
    let r = 0;
    for (let i = 0; i < k; i++) if (S[b * k + i]! > tol) r++;
    out[b] = r;
  }
  return fromF64(out, batchOf(A), 'float64').astype('int64');
}
