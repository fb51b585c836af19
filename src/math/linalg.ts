/**
 * Linear algebra: `matmul` (NumPy's `@`, batched with broadcasting) and `dot`.
 * The products run in native/kernels/matmul: packed, cache-blocked SIMD
 * kernels for float32/float64 (threads for large products, see
 * {@link setThreads}), exact wrapping loops for integers, float32 compute for
 * float16/bfloat16, complex on the real GEMM (./complex-matmul.ts).
 *
 * @module
 */
import { native } from '../binding.js';
import { NdshareError, NdshareTypeError, codes, invalidType, invalidValue } from '../errors.js';
import { broadcastShapes, sizeOf } from '../ndarray/layout.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { isComplex } from '../ndarray/dtypes.js';
import { complexMatmul, gemmDesc, type GemmOperand } from './complex-matmul.js';
import { multiply } from './elementwise.js';
import { canCastSameKind, promoteTypes } from './promote.js';
import { checkOut, dtypeCode, emptyArray, toArray, type Operand } from './ufunc.js';
import { checkOptions } from '../validate.js';

/** Options of {@link matmul}. */
export interface MatmulOptions {
  /** Where to write the result (its exact shape; the result casts to it 'same_kind'). */
  out?: NDArray;
}

function notScalar(v: Operand, arg: string): NDArray {
  const a = toArray(v, arg);
  if (a.ndim === 0) {
    throw new NdshareError(`matmul: ${arg} must have at least one dimension, not shape ()`, { code: codes.SHAPE_MISMATCH });
  }
  return a;
}

/**
 * The matrix product of `x1` and `x2` with NumPy's rules: 2-D operands
 * multiply as matrices; a 1-D operand is a row (first) or column (second)
 * vector whose axis is removed from the result; leading axes are batches that
 * broadcast.
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH when the inner dimensions differ or an operand is 0-d;
 *   ERR_NDSHARE_BROADCAST when the batch shapes do not broadcast.
 * @example nd.matmul(nd.ones([2, 3]), nd.ones([3, 4])).shape // [2, 4]
 */
export function matmul(x1: Operand, x2: Operand, options?: MatmulOptions): NDArray {
  checkOptions(options, { fn: 'nd.matmul', known: ['out'] });
  if (options !== undefined && (typeof options !== 'object' || options === null)) invalidType('options', 'an object', options);
  let a = notScalar(x1, 'x1');
  let b = notScalar(x2, 'x2');
  const t = promoteTypes(a.dtype, b.dtype);
  if (a.dtype !== t) a = a.astype(t);
  if (b.dtype !== t) b = b.astype(t);
  const aVec = a.ndim === 1;
  const bVec = b.ndim === 1;
  if (aVec) a = a.expandDims(0);
  if (bVec) b = b.expandDims(1);
  const M = a.shape[a.ndim - 2]!;
  const K = a.shape[a.ndim - 1]!;
  const K2 = b.shape[b.ndim - 2]!;
  const N = b.shape[b.ndim - 1]!;
  if (K !== K2) {
    throw new NdshareError(
      `matmul: x2 has a mismatch in its core dimension ${bVec ? 0 : b.ndim - 2}: size ${K2} is different from ${K} (the last axis of x1)`,
      { code: codes.SHAPE_MISMATCH },
    );
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batch = broadcastShapes(aBatch, bBatch);
  const finalShape = [...batch, ...(aVec ? [] : [M]), ...(bVec ? [] : [N])];
  const out = options?.out === undefined ? undefined : checkOut(options.out);
  if (out && (out.ndim !== finalShape.length || out.shape.some((d, i) => d !== finalShape[i]))) {
    throw new NdshareError(`matmul: options.out has shape (${out.shape.join(', ')}) but the result has shape (${finalShape.join(', ')})`, {
      code: codes.SHAPE_MISMATCH,
    });
  }
  if (out && out.dtype !== t && !canCastSameKind(t, out.dtype)) {
    throw new NdshareTypeError(`Cannot cast the result of matmul from ${t} to ${out.dtype} (options.out)`, { code: codes.DTYPE });
  }
  const r = emptyArray(t, [...batch, M, N]);
  if (r.size > 0 && isComplex(t)) complexMatmul(a, b, r, batch);
  else if (r.size > 0) {
    const op = (x: NDArray, xb: readonly number[]): GemmOperand => [x.offset, xb, x.strides.slice(0, -2), x.strides[x.ndim - 2]!, x.strides[x.ndim - 1]!];
    const desc = gemmDesc(batch, M, N, K, [op(a, aBatch), op(b, bBatch), op(r, batch)]);
    native.math.matmul(dtypeCode(t), [a.data, b.data, r.data], desc);
  }
  const shaped = r.reshape(finalShape);
  if (!out) return shaped;
  out.assign(shaped);
  return out;
}

/**
 * NumPy's `dot`: scalars multiply; vectors give their inner product; for N-D
 * operands, a sum over the last axis of `x1` and the second-to-last of `x2`
 * (result shape x1.shape[:-1] + x2.shape[:-2] + x2.shape[-1:]).
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH when the summed axes differ in length.
 * @example nd.dot(nd.array([1, 2, 3]), nd.array([4, 5, 6])).item() // 32
 */
export function dot(x1: Operand, x2: Operand): NDArray {
  const a = toArray(x1, 'x1');
  const b = toArray(x2, 'x2');
  if (a.ndim === 0 || b.ndim === 0) return multiply(a, b);
  if (a.ndim <= 2 && b.ndim <= 2) return matmul(a, b);
  if (b.ndim === 1) return matmul(a, b);
  // x2 with its second-to-last axis first, flattened to K x (rest): one matrix product.
  const K = a.shape[a.ndim - 1]!;
  const kb = b.shape[b.ndim - 2]!;
  if (K !== kb) {
    throw new NdshareError(
      `dot: shapes (${a.shape.join(', ')}) and (${b.shape.join(', ')}) are not aligned: ${K} (x1 axis ${a.ndim - 1}) != ${kb} (x2 axis ${b.ndim - 2})`,
      { code: codes.SHAPE_MISMATCH },
    );
  }
  const perm = [b.ndim - 2, ...[...b.shape.keys()].filter((i) => i !== b.ndim - 2)];
  const bt = b.transpose(perm);
  const rest = sizeOf(b.shape.filter((_, i) => i !== b.ndim - 2));
  const b2 = (bt.flags.cContiguous ? bt : bt.copy()).reshape([K, rest]);
  const a2 = a.reshape([sizeOf(a.shape.slice(0, -1)), K]);
  const r = matmul(a2, b2);
  return r.reshape([...a.shape.slice(0, -1), ...b.shape.slice(0, -2), b.shape[b.ndim - 1]!]);
}

/**
 * Threads the matrix product may use (native, per process). Large float
 * products split across them; 1 turns threading off. The default is the
 * NDSHARE_NUM_THREADS environment variable, else the CPU count (at most 8).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for anything but a positive integer.
 * @example nd.setThreads(1) // single-threaded matmul
 */
export function setThreads(n: number): void {
  if (!Number.isInteger(n) || n < 1 || n > 64) invalidValue('n', 'an integer in [1, 64]', n);
  native.math.setThreads(n);
}

/** The number of threads the matrix product may use. */
export function getThreads(): number {
  return native.math.getThreads();
}

/** What the compute kernels run on: the instruction set chosen for this CPU and the matmul threads. */
export interface KernelInfo {
  /** 'avx512' | 'avx2' | 'baseline' (x86-64 SSE2, or the target's portable code). */
  readonly isa: string;
  readonly threads: number;
}

/**
 * The instruction set the native kernels picked for this CPU at load, and the
 * threads matmul may use.
 * @example nd.kernelInfo() // { isa: 'avx512', threads: 2 }
 */
export function kernelInfo(): KernelInfo {
  return { isa: native.kernels.getIsa(), threads: native.math.getThreads() };
}
