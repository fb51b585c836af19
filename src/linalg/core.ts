/**
 * Shared plumbing of nd.linalg: dtype rules, stacks of matrices as contiguous
 * float64 buffers for the native kernels (native/kernels/linalg), results back
 * to NDArrays, and NumPy's LinAlgError as ERR_NDSHARE_LINALG.
 *
 * @module
 */
import { native } from '../binding.js';
import { NdshareError, codes } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { toArray } from '../math/ufunc.js';

/** The kernel entry (see native/kernels/linalg/linalg.cc). */
export const kernel = (native.math as unknown as { linalg(op: string, bufs: Float64Array[], dims: number[]): number }).linalg;

/** NumPy's result dtype of a linalg routine: float32 stays float32, every other input becomes float64. */
export function resultDType(d: DType): 'float32' | 'float64' {
  if (d === 'float32' || d === 'float16' || d === 'bfloat16') return d === 'float32' ? 'float32' : 'float64';
  return 'float64';
}

/** Raises NumPy's LinAlgError. */
export function linalgError(message: string): never {
  throw new NdshareError(message, { code: codes.LINALG });
}

/** Raises ERR_NDSHARE_UNSUPPORTED (complex results). */
export function unsupported(message: string): never {
  throw new NdshareError(message, { code: codes.UNSUPPORTED });
}

export function shapeError(message: string): never {
  throw new NdshareError(message, { code: codes.SHAPE_MISMATCH });
}

/** Operand as an NDArray. */
export function arr(x: unknown, arg: string): NDArray {
  return toArray(x, arg);
}

/** Checks a stack of matrices (ndim >= 2) and, when `square`, square ones. */
export function checkStack(fn: string, a: NDArray, square: boolean): void {
  if (a.ndim < 2) {
    linalgError(`${fn}: ${a.ndim}-dimensional array given. Array must be at least two-dimensional`);
  }
  if (square && a.shape[a.ndim - 1] !== a.shape[a.ndim - 2]) {
    linalgError(`${fn}: Last 2 dimensions of the array must be square`);
  }
}

/** A C-contiguous float64 copy of `a` (a fresh buffer the kernels may overwrite). */
export function f64(a: NDArray): Float64Array {
  const c = a.astype('float64');
  return (c.data as Float64Array).subarray(0, a.size);
}

/** An NDArray of `dtype` holding `buf` (row-major) with `shape`. */
export function fromF64(buf: Float64Array, shape: readonly number[], dtype: DType): NDArray {
  const x = new NDArray(buf, 'float64', [buf.length]).reshape(shape);
  return dtype === 'float64' ? x : x.astype(dtype);
}

/** Product of a shape. */
export function prodOf(shape: readonly number[]): number {
  let p = 1;
  for (const d of shape) p *= d;
  return p;
}

/** Leading (batch) shape of a stack. */
export function batchOf(a: NDArray): number[] {
  return a.shape.slice(0, -2);
}

/** Finite check for NumPy's "array must not contain infs or NaNs" (svd, eig...). */
export function assertFinite(fn: string, buf: Float64Array): void {
  for (let i = 0; i < buf.length; i++) {
    if (!Number.isFinite(buf[i]!)) linalgError(`${fn}: Array must not contain infs or NaNs`);
  }
}

/** The elements of a C-contiguous float64 array, without a copy (undefined for anything else). */
export function f64View(a: NDArray): Float64Array | undefined {
  if (a.dtype !== 'float64' || !a.flags.cContiguous) return undefined;
  return (a.data as Float64Array).subarray(a.offset, a.offset + a.size);
}

/** out[i] = sum_j a[i*k + j] * b[i*k + j] on the native kernel. */
export function rowdot(a: Float64Array, b: Float64Array, rows: number, k: number): Float64Array {
  const out = new Float64Array(rows);
  if (rows > 0 && k > 0) kernel('rowdot', [a, b, out], [rows, k]);
  return out;
}

/**
 * The SVDs of a stack as raw row-major buffers: s (count*k), u (m x uc), vh (vr x n);
 * float64 for real stacks, interleaved complex128 parts for complex ones (u, vh).
 */
export interface RawSvd {
  s: Float64Array;
  u?: Float64Array;
  vh?: Float64Array;
  m: number;
  n: number;
  k: number;
  uc: number;
  vr: number;
  batch: number[];
  count: number;
}
