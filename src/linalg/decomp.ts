/**
 * nd.linalg factorisations and solves (NumPy's numpy.linalg), batched over
 * leading axes; float32 stays float32, other inputs compute in float64.
 *
 * @module
 */
import type { NDArray } from '../ndarray/ndarray.js';
import { invalidValue } from '../errors.js';
import type { Operand } from '../math/ufunc.js';
import { arr, batchOf, checkStack, f64, fromF64, kernel, linalgError, prodOf, resultDType, shapeError } from './core.js';
import { checkOptions } from '../validate.js';
import { anyComplex, zcholesky, zdet, zinv, zqr, zslogdet, zsolve } from './complex.js';
import { zeighImpl } from './complex-spectral.js';

/** LU of every matrix of a square stack: [lu buffers, pivots, info per matrix]. */
function luStack(buf: Float64Array, count: number, n: number): { piv: Float64Array; info: number[] } {
  const piv = new Float64Array(count * n);
  const info: number[] = [];
  for (let b = 0; b < count; b++) {
    info.push(kernel('lu', [buf.subarray(b * n * n, (b + 1) * n * n), piv.subarray(b * n, (b + 1) * n)], [n]));
  }
  return { piv, info };
}

/**
 * Solves `a @ x = b` (NumPy's `linalg.solve`): `b` is a vector (shape (..., M)) or
 * a stack of matrices (..., M, K); batch axes broadcast. Complex a or b gives a complex x.
 * @throws {NdshareError} ERR_NDSHARE_LINALG for a singular matrix or a non-square `a`;
 *   ERR_NDSHARE_SHAPE_MISMATCH when `b` does not fit.
 * @example nd.linalg.solve([[3, 1], [1, 2]], [9, 8]).toArray() // [2, 3]
 */
export function solve(a: Operand, b: Operand): NDArray {
  const A = arr(a, 'a');
  let B = arr(b, 'b');
  checkStack('solve', A, true);
  const n = A.shape[A.ndim - 1]!;
  const dt = resultDType(A.dtype) === 'float32' && resultDType(B.dtype) === 'float32' ? 'float32' : 'float64';
  const vec = B.ndim === 1;
  if (vec) B = B.expandDims(1);
  if (B.shape[B.ndim - 2] !== n) {
    shapeError(`solve: b has a mismatch in its core dimension 0 with a: size ${B.shape[B.ndim - 2]} is different from ${n}`);
  }
  const k = B.shape[B.ndim - 1]!;
  const batch = broadcastBatch(batchOf(A), batchOf(B));
  if (anyComplex(A, B)) return zsolve(A, B, batch, vec);
  const Ab = A.broadcastTo([...batch, n, n]);
  const Bb = B.broadcastTo([...batch, n, k]);
  const count = prodOf(batch);
  const abuf = f64(Ab);
  const bbuf = f64(Bb);
  const { piv, info } = luStack(abuf, count, n);
  if (info.some((i) => i !== 0)) linalgError('Singular matrix');
  for (let i = 0; i < count; i++) {
    kernel('lusolve', [abuf.subarray(i * n * n, (i + 1) * n * n), piv.subarray(i * n, (i + 1) * n), bbuf.subarray(i * n * k, (i + 1) * n * k)], [n, k]);
  }
  const out = fromF64(bbuf, [...batch, n, k], dt);
  return vec ? out.reshape([...batch, n]) : out;
}

function broadcastBatch(x: readonly number[], y: readonly number[]): number[] {
  const n = Math.max(x.length, y.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = x[x.length - n + i] ?? 1;
    const b = y[y.length - n + i] ?? 1;
    if (a !== b && a !== 1 && b !== 1) shapeError(`linalg: batch shapes (${x.join(', ')}) and (${y.join(', ')}) do not broadcast`);
    out.push(a === 1 ? b : a);
  }
  return out;
}

/**
 * The inverse of every matrix of a square stack.
 * @throws {NdshareError} ERR_NDSHARE_LINALG for a singular matrix or a non-square stack.
 * @example nd.linalg.inv([[2, 0], [0, 4]]).toArray() // [[0.5, 0], [0, 0.25]]
 */
export function inv(a: Operand): NDArray {
  const A = arr(a, 'a');
  checkStack('inv', A, true);
  if (anyComplex(A)) return zinv(A);
  const n = A.shape[A.ndim - 1]!;
  const batch = batchOf(A);
  const count = prodOf(batch);
  const abuf = f64(A);
  const { piv, info } = luStack(abuf, count, n);
  if (info.some((i) => i !== 0)) linalgError('Singular matrix');
  const out = new Float64Array(count * n * n);
  for (let b = 0; b < count; b++) {
    const o = out.subarray(b * n * n, (b + 1) * n * n);
    for (let i = 0; i < n; i++) o[i * n + i] = 1;
    kernel('lusolve', [abuf.subarray(b * n * n, (b + 1) * n * n), piv.subarray(b * n, (b + 1) * n), o], [n, n]);
  }
  return fromF64(out, A.shape, resultDType(A.dtype));
}

/** Result of {@link slogdet}. */
export interface SlogdetResult {
  sign: NDArray;
  logabsdet: NDArray;
}

function slog(A: NDArray): { sign: Float64Array; logabs: Float64Array; batch: number[] } {
  checkStack('det', A, true);
  const n = A.shape[A.ndim - 1]!;
  const batch = batchOf(A);
  const count = prodOf(batch);
  const abuf = f64(A);
  const { piv } = luStack(abuf, count, n);
  const sign = new Float64Array(count);
  const logabs = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    let s = 1;
    let l = 0;
    for (let i = 0; i < n; i++) {
      const d = abuf[b * n * n + i * n + i]!;
      if (piv[b * n + i] !== i) s = -s;
      if (d < 0) s = -s;
      l += Math.log(Math.abs(d));
    }
    if (l === -Infinity || Number.isNaN(l)) {
      if (Number.isNaN(l)) {
        s = NaN;
      } else s = 0;
    }
    sign[b] = s;
    logabs[b] = l;
  }
  return { sign, logabs, batch };
}

/**
 * Sign and natural log of |det| of every matrix of a square stack (NumPy's `slogdet`).
 * @throws {NdshareError} ERR_NDSHARE_LINALG for a non-square stack.
 * @example nd.linalg.slogdet([[1, 2], [3, 4]]).sign.item() // -1
 */
export function slogdet(a: Operand): SlogdetResult {
  const A = arr(a, 'a');
  if (anyComplex(A)) return zslogdet(A);
  const { sign, logabs, batch } = slog(A);
  const dt = resultDType(A.dtype);
  return { sign: fromF64(sign, batch, dt), logabsdet: fromF64(logabs, batch, dt) };
}

/**
 * The determinant of every matrix of a square stack (through LU with partial pivoting).
 * @throws {NdshareError} ERR_NDSHARE_LINALG for a non-square stack.
 * @example nd.linalg.det([[1, 2], [3, 4]]).item() // -2.0000000000000004
 */
export function det(a: Operand): NDArray {
  const A = arr(a, 'a');
  if (anyComplex(A)) return zdet(A);
  checkStack('det', A, true);
  const n = A.shape[A.ndim - 1]!;
  const batch = batchOf(A);
  const count = prodOf(batch);
  const abuf = f64(A);
  const { piv } = luStack(abuf, count, n);
  const out = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    let d = 1;
    for (let i = 0; i < n; i++) {
      d *= abuf[b * n * n + i * n + i]!;
      if (piv[b * n + i] !== i) d = -d;
    }
    out[b] = d;
  }
  return fromF64(out, batch, resultDType(A.dtype));
}

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /** Return the upper factor U (a = U^T U) instead of the lower L. */
  upper?: boolean;
}

/**
 * Cholesky factor of every matrix of a symmetric (complex: Hermitian) positive-definite stack (only the
 * lower triangle is read, as NumPy does); `upper` gives U = L^H.
 * @throws {NdshareError} ERR_NDSHARE_LINALG "Matrix is not positive definite", or for a non-square stack.
 * @example nd.linalg.cholesky([[4, 2], [2, 3]]).toArray() // [[2, 0], [1, 1.414...]]
 */
export function cholesky(a: Operand, options: CholeskyOptions = {}): NDArray {
  checkOptions(options, { fn: 'nd.linalg.cholesky', known: ['upper'] });
  const A = arr(a, 'a');
  checkStack('cholesky', A, true);
  if (anyComplex(A)) return zcholesky(A, options.upper === true);
  const n = A.shape[A.ndim - 1]!;
  const count = prodOf(batchOf(A));
  const buf = f64(A);
  for (let b = 0; b < count; b++) {
    const m = buf.subarray(b * n * n, (b + 1) * n * n);
    if (kernel('chol', [m], [n]) !== 0) linalgError('Matrix is not positive definite');
  }
  const L = fromF64(buf, A.shape, resultDType(A.dtype));
  return options.upper === true ? L.transpose([...A.shape.keys()].map((i) => (i < A.ndim - 2 ? i : i === A.ndim - 2 ? A.ndim - 1 : A.ndim - 2))).copy() : L;
}

/** `mode` of {@link qr}. */
export type QrMode = 'reduced' | 'complete' | 'r' | 'raw';
/** Result of {@link qr} for 'reduced' and 'complete'. */
export interface QrResult {
  Q: NDArray;
  R: NDArray;
}
/** Result of {@link qr} for 'raw' (LAPACK's layout: h is the transposed factored matrix). */
export interface QrRaw {
  h: NDArray;
  tau: NDArray;
}

/**
 * Householder QR of every matrix of a stack (blocked; trailing updates on the GEMM).
 * @throws {NdshareError} ERR_NDSHARE_LINALG for ndim < 2; ERR_NDSHARE_INVALID_ARG_VALUE for an unknown mode.
 * @example const { Q, R } = nd.linalg.qr(nd.random.random([4, 3]))
 */
export function qr(a: Operand, mode?: 'reduced' | 'complete'): QrResult;
export function qr(a: Operand, mode: 'r'): NDArray;
export function qr(a: Operand, mode: 'raw'): QrRaw;
export function qr(a: Operand, mode: QrMode = 'reduced'): QrResult | NDArray | QrRaw {
  if (!['reduced', 'complete', 'r', 'raw'].includes(mode)) {
    invalidValue('mode', "'reduced', 'complete', 'r' or 'raw'", mode);
  }
  const A = arr(a, 'a');
  checkStack('qr', A, false);
  if (anyComplex(A)) return zqr(A, mode);
  const m = A.shape[A.ndim - 2]!;
  const n = A.shape[A.ndim - 1]!;
  const k = Math.min(m, n);
  const batch = batchOf(A);
  const count = prodOf(batch);
  const dt = resultDType(A.dtype);
  const buf = f64(A);
  const tau = new Float64Array(count * k);
  for (let b = 0; b < count; b++) {
    kernel('qr', [buf.subarray(b * m * n, (b + 1) * m * n), tau.subarray(b * k, (b + 1) * k)], [m, n]);
  }
  if (mode === 'raw') {
    const h = fromF64(buf.slice(), [...batch, m, n], dt);
    const perm = [...batch.keys(), batch.length + 1, batch.length];
    return { h: h.transpose(perm), tau: fromF64(tau, [...batch, k], dt) };
  }
  const rrows = mode === 'complete' ? m : k;
  const R = new Float64Array(count * rrows * n);
  for (let b = 0; b < count; b++) {
    for (let i = 0; i < Math.min(rrows, m); i++) {
      for (let j = i; j < n; j++) R[b * rrows * n + i * n + j] = buf[b * m * n + i * n + j]!;
    }
  }
  const Rarr = fromF64(R, [...batch, rrows, n], dt);
  if (mode === 'r') return Rarr;
  const mc = mode === 'complete' ? m : k;
  const Q = new Float64Array(count * m * mc);
  for (let b = 0; b < count; b++) {
    kernel('qrq', [buf.subarray(b * m * n, (b + 1) * m * n), tau.subarray(b * k, (b + 1) * k), Q.subarray(b * m * mc, (b + 1) * m * mc)], [m, n, mc]);
  }
  return { Q: fromF64(Q, [...batch, m, mc], dt), R: Rarr };
}

/** Result of {@link eigh}. */
export interface EighResult {
  eigenvalues: NDArray;
  eigenvectors: NDArray;
}

function symmetrize(buf: Float64Array, count: number, n: number, upper: boolean): void {
  for (let b = 0; b < count; b++) {
    const o = b * n * n;
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (upper) buf[o + j * n + i] = buf[o + i * n + j]!;
        else buf[o + i * n + j] = buf[o + j * n + i]!;
      }
    }
  }
}

export function eighImpl(fn: string, a: Operand, UPLO: string, wantV: boolean): { w: NDArray; v?: NDArray } {
  if (UPLO !== 'L' && UPLO !== 'U') {
    invalidValue('UPLO', "'L' or 'U'", UPLO);
  }
  const A = arr(a, 'a');
  checkStack(fn, A, true);
  if (anyComplex(A)) return zeighImpl(A, UPLO, wantV);
  const n = A.shape[A.ndim - 1]!;
  const batch = batchOf(A);
  const count = prodOf(batch);
  const buf = f64(A);
  symmetrize(buf, count, n, UPLO === 'U');
  const w = new Float64Array(count * n);
  for (let b = 0; b < count; b++) {
    if (kernel('eigh', [buf.subarray(b * n * n, (b + 1) * n * n), w.subarray(b * n, (b + 1) * n)], [n, wantV ? 1 : 0]) !== 0) {
      linalgError('Eigenvalues did not converge');
    }
  }
  const dt = resultDType(A.dtype);
  return { w: fromF64(w, [...batch, n], dt), ...(wantV ? { v: fromF64(buf, A.shape, dt) } : {}) };
}

/**
 * Eigenvalues (ascending) and eigenvectors (columns) of every symmetric (complex: Hermitian) matrix of a
 * stack; only the `UPLO` triangle ('L' default, or 'U') is read. Eigenvalues are real.
 * @throws {NdshareError} ERR_NDSHARE_LINALG for a non-square stack or no convergence.
 * @example nd.linalg.eigh([[2, 1], [1, 2]]).eigenvalues.toArray() // [1, 3]
 */
export function eigh(a: Operand, UPLO: 'L' | 'U' = 'L'): EighResult {
  const r = eighImpl('eigh', a, UPLO, true);
  return { eigenvalues: r.w, eigenvectors: r.v! };
}

/**
 * Eigenvalues (ascending) of every symmetric matrix of a stack.
 * @throws as {@link eigh}.
 * @example nd.linalg.eigvalsh([[2, 1], [1, 2]]).toArray() // [1, 3]
 */
export function eigvalsh(a: Operand, UPLO: 'L' | 'U' = 'L'): NDArray {
  return eighImpl('eigvalsh', a, UPLO, false).w;
}

export { broadcastBatch };
