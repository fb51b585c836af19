/**
 * nd.linalg on complex matrices: solve, inv, det, slogdet, cholesky, qr, batched
 * over leading axes. complex64 stays complex64 (computed in complex128 and
 * rounded at the end, as the real routines compute float32 in float64); a real
 * operand beside a complex one promotes as NumPy. Kernels: the 'z…' ops of
 * native/kernels/linalg (complex_ops.cc). The public functions in decomp.ts
 * hand complex input here.
 *
 * @module
 */
import { isComplex, type DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { promoteTypes } from '../math/promote.js';
import { batchOf, checkStack, kernel, linalgError, prodOf } from './core.js';

/** The complex result dtype of inputs of these dtypes: complex64 when they promote to it, else complex128. */
export function complexResult(...ds: DType[]): 'complex64' | 'complex128' {
  const t = ds.reduce((x, y) => promoteTypes(x, y));
  return t === 'complex64' || t === 'float32' || t === 'float16' || t === 'bfloat16' ? 'complex64' : 'complex128';
}

/** The real dtype of a complex result's magnitudes (eigenvalues of eigh, singular values). */
export function realPart(d: 'complex64' | 'complex128'): 'float32' | 'float64' {
  return d === 'complex64' ? 'float32' : 'float64';
}

/** True when any of the arrays is complex. */
export function anyComplex(...xs: NDArray[]): boolean {
  return xs.some((x) => isComplex(x.dtype));
}

/** A C-contiguous complex128 copy of `a`, interleaved (re, im): 2 * a.size doubles the kernels may overwrite. */
export function c128(a: NDArray): Float64Array {
  const c = a.astype('complex128');
  return (c.data as Float64Array).subarray(2 * c.offset, 2 * (c.offset + a.size));
}

/** An NDArray of `dtype` holding the interleaved complex128 `buf` with `shape`. */
export function fromC128(buf: Float64Array, shape: readonly number[], dtype: 'complex64' | 'complex128'): NDArray {
  const x = new NDArray(buf, 'complex128', [buf.length / 2]).reshape(shape);
  return dtype === 'complex128' ? x : x.astype(dtype);
}

/** An NDArray of `dtype` (float32/float64) holding the float64 `buf`. */
export function fromReal(buf: Float64Array, shape: readonly number[], dtype: 'float32' | 'float64'): NDArray {
  const x = new NDArray(buf, 'float64', [buf.length]).reshape(shape);
  return dtype === 'float64' ? x : x.astype(dtype);
}

/** zLU of every n x n matrix of the interleaved stack: pivots and the first failing info. */
function zluStack(buf: Float64Array, count: number, n: number): { piv: Float64Array; singular: boolean } {
  const piv = new Float64Array(count * n);
  let singular = false;
  for (let b = 0; b < count; b++) {
    const info = kernel('zlu', [buf.subarray(2 * b * n * n, 2 * (b + 1) * n * n), piv.subarray(b * n, (b + 1) * n)], [n]);
    if (info !== 0) singular = true;
  }
  return { piv, singular };
}

/** `solve` for complex a or b (shapes already checked by the caller: a (..., n, n), b (..., n, k)). */
export function zsolve(A: NDArray, B: NDArray, batch: number[], vec: boolean): NDArray {
  const n = A.shape[A.ndim - 1]!;
  const k = B.shape[B.ndim - 1]!;
  const dt = complexResult(A.dtype, B.dtype);
  const count = prodOf(batch);
  const abuf = c128(A.broadcastTo([...batch, n, n]));
  const bbuf = c128(B.broadcastTo([...batch, n, k]));
  const { piv, singular } = zluStack(abuf, count, n);
  if (singular) linalgError('Singular matrix');
  for (let i = 0; i < count; i++) {
    kernel(
      'zlusolve',
      [abuf.subarray(2 * i * n * n, 2 * (i + 1) * n * n), piv.subarray(i * n, (i + 1) * n), bbuf.subarray(2 * i * n * k, 2 * (i + 1) * n * k)],
      [n, k],
    );
  }
  const out = fromC128(bbuf, [...batch, n, k], dt);
  return vec ? out.reshape([...batch, n]) : out;
}

/** `inv` of a complex square stack. */
export function zinv(A: NDArray): NDArray {
  const n = A.shape[A.ndim - 1]!;
  const count = prodOf(batchOf(A));
  const abuf = c128(A);
  const { piv, singular } = zluStack(abuf, count, n);
  if (singular) linalgError('Singular matrix');
  const out = new Float64Array(2 * count * n * n);
  for (let b = 0; b < count; b++) {
    const o = out.subarray(2 * b * n * n, 2 * (b + 1) * n * n);
    for (let i = 0; i < n; i++) o[2 * (i * n + i)] = 1;
    kernel('zlusolve', [abuf.subarray(2 * b * n * n, 2 * (b + 1) * n * n), piv.subarray(b * n, (b + 1) * n), o], [n, n]);
  }
  return fromC128(out, A.shape, complexResult(A.dtype));
}

/** Per matrix of a complex square stack: sign (|sign| = 1, or 0) and log|det| from the LU diagonal. */
function zluDet(A: NDArray): { sign: Float64Array; logabs: Float64Array; batch: number[] } {
  checkStack('det', A, true);
  const n = A.shape[A.ndim - 1]!;
  const batch = batchOf(A);
  const count = prodOf(batch);
  const abuf = c128(A);
  const { piv } = zluStack(abuf, count, n);
  const sign = new Float64Array(2 * count);
  const logabs = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    let sr = 1;
    let si = 0;
    let l = 0;
    for (let i = 0; i < n; i++) {
      const at = 2 * (b * n * n + i * n + i);
      const m = Math.hypot(abuf[at]!, abuf[at + 1]!);
      const flip = piv[b * n + i] !== i ? -1 : 1;
      const ur = m === 0 ? 0 : abuf[at]! / m;
      const ui = m === 0 ? 0 : abuf[at + 1]! / m;
      [sr, si] = [flip * (sr * ur - si * ui), flip * (sr * ui + si * ur)];
      l += Math.log(m);
    }
    if (l === -Infinity) {
      sr = 0;
      si = 0;
    } else if (Number.isNaN(l)) {
      sr = NaN;
      si = NaN;
    }
    sign[2 * b] = sr;
    sign[2 * b + 1] = si;
    logabs[b] = l;
  }
  return { sign, logabs, batch };
}

/** `slogdet` of a complex stack: sign complex (|sign| = 1, or 0 for a singular matrix), logabsdet real. */
export function zslogdet(A: NDArray): { sign: NDArray; logabsdet: NDArray } {
  const r = zluDet(A);
  const dt = complexResult(A.dtype);
  return { sign: fromC128(r.sign, r.batch, dt), logabsdet: fromReal(r.logabs, r.batch, realPart(dt)) };
}

/** `det` of a complex stack: sign * exp(log|det|), as NumPy computes it. */
export function zdet(A: NDArray): NDArray {
  const r = zluDet(A);
  const det = new Float64Array(r.sign.length);
  for (let b = 0; b < r.logabs.length; b++) {
    const e = Math.exp(r.logabs[b]!);
    det[2 * b] = r.sign[2 * b]! * e;
    det[2 * b + 1] = r.sign[2 * b + 1]! * e;
  }
  return fromC128(det, r.batch, complexResult(A.dtype));
}

/** Conjugate transpose of the last two axes of an interleaved stack of m x n matrices (a new buffer). */
export function conjT(buf: Float64Array, count: number, m: number, n: number): Float64Array {
  const out = new Float64Array(buf.length);
  for (let b = 0; b < count; b++) {
    const o = 2 * b * m * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        out[o + 2 * (j * m + i)] = buf[o + 2 * (i * n + j)]!;
        out[o + 2 * (j * m + i) + 1] = -buf[o + 2 * (i * n + j) + 1]!;
      }
    }
  }
  return out;
}

/** `cholesky` of a complex Hermitian positive-definite stack (lower triangle read); upper: U = L^H. */
export function zcholesky(A: NDArray, upper: boolean): NDArray {
  const n = A.shape[A.ndim - 1]!;
  const count = prodOf(batchOf(A));
  const buf = c128(A);
  for (let b = 0; b < count; b++) {
    if (kernel('zchol', [buf.subarray(2 * b * n * n, 2 * (b + 1) * n * n)], [n]) !== 0) linalgError('Matrix is not positive definite');
  }
  return fromC128(upper ? conjT(buf, count, n, n) : buf, A.shape, complexResult(A.dtype));
}

/** `qr` of a complex stack in every mode (h of 'raw' in LAPACK's transposed layout, as NumPy's). */
export function zqr(A: NDArray, mode: 'reduced' | 'complete' | 'r' | 'raw'): { Q: NDArray; R: NDArray } | NDArray | { h: NDArray; tau: NDArray } {
  const m = A.shape[A.ndim - 2]!;
  const n = A.shape[A.ndim - 1]!;
  const k = Math.min(m, n);
  const batch = batchOf(A);
  const count = prodOf(batch);
  const dt = complexResult(A.dtype);
  const buf = c128(A);
  const tau = new Float64Array(2 * count * k);
  for (let b = 0; b < count; b++) {
    kernel('zqr', [buf.subarray(2 * b * m * n, 2 * (b + 1) * m * n), tau.subarray(2 * b * k, 2 * (b + 1) * k)], [m, n]);
  }
  if (mode === 'raw') {
    const h = fromC128(buf.slice(), [...batch, m, n], dt);
    return { h: h.transpose([...batch.keys(), batch.length + 1, batch.length]), tau: fromC128(tau, [...batch, k], dt) };
  }
  const rrows = mode === 'complete' ? m : k;
  const R = new Float64Array(2 * count * rrows * n);
  for (let b = 0; b < count; b++) {
    for (let i = 0; i < Math.min(rrows, m, n); i++) {
      const from = 2 * (b * m * n + i * n);
      const to = 2 * (b * rrows * n + i * n);
      R.set(buf.subarray(from + 2 * i, from + 2 * n), to + 2 * i);
    }
  }
  const Rarr = fromC128(R, [...batch, rrows, n], dt);
  if (mode === 'r') return Rarr;
  const mc = mode === 'complete' ? m : k;
  const Q = new Float64Array(2 * count * m * mc);
  for (let b = 0; b < count; b++) {
    kernel(
      'zqrq',
      [buf.subarray(2 * b * m * n, 2 * (b + 1) * m * n), tau.subarray(2 * b * k, 2 * (b + 1) * k), Q.subarray(2 * b * m * mc, 2 * (b + 1) * m * mc)],
      [m, n, mc],
    );
  }
  return { Q: fromC128(Q, [...batch, m, mc], dt), R: Rarr };
}
