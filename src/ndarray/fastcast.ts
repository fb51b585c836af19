/**
 * Bulk casts of contiguous runs that have a native kernel: float16/bfloat16
 * to and from float32/float64 (F16C/AVX2 where the CPU has them), and
 * float64 <-> float32, where V8's `TypedArray.prototype.set` converts one
 * element at a time (3x NumPy's time on 10M elements). Every other
 * pair goes through the strided copy engine in cast.ts, whose contiguous path
 * is already a single `TypedArray.prototype.set`.
 *
 * @module
 */
import type { DType, TypedArray } from './dtypes.js';
import {
  bfloat16ArrayToFloat32,
  bfloat16ArrayToFloat64,
  float32ToBfloat16Array,
  float32ToHalfArray,
  float64ToBfloat16Array,
  float64ToHalfArray,
  halfArrayToFloat32,
  halfArrayToFloat64,
} from './float16.js';
import { native } from '../binding.js';

/** Below this many elements `TypedArray.prototype.set` beats the call into the addon. */
const FLOAT_NATIVE_MIN_LENGTH = 1024;

function float64ToFloat32(src: Float64Array, dst: Float32Array): void {
  if (src.length >= FLOAT_NATIVE_MIN_LENGTH) native.cast.float64ToFloat32(src, dst);
  else dst.set(src);
}

function float32ToFloat64(src: Float32Array, dst: Float64Array): void {
  if (src.length >= FLOAT_NATIVE_MIN_LENGTH) native.cast.float32ToFloat64(src, dst);
  else dst.set(src);
}

type Kernel = (src: never, dst: never) => void;

const KERNELS: Partial<Record<`${DType}>${DType}`, Kernel>> = {
  'float16>float32': halfArrayToFloat32,
  'float16>float64': halfArrayToFloat64,
  'float32>float16': float32ToHalfArray,
  'float64>float16': float64ToHalfArray,
  'bfloat16>float32': bfloat16ArrayToFloat32,
  'bfloat16>float64': bfloat16ArrayToFloat64,
  'float32>bfloat16': float32ToBfloat16Array,
  'float64>bfloat16': float64ToBfloat16Array,
  'float64>float32': float64ToFloat32,
  'float32>float64': float32ToFloat64,
};

/**
 * Casts `size` contiguous elements starting at `srcOffset` of `src` into
 * `out[0 .. size)`. Returns false when no bulk kernel exists for the pair.
 */
export function castContiguous(from: DType, to: DType, src: TypedArray, srcOffset: number, out: TypedArray, size: number): boolean {
  const kernel = KERNELS[`${from}>${to}`];
  if (kernel === undefined || size === 0) return false;
  kernel(src.subarray(srcOffset, srcOffset + size) as never, out.subarray(0, size) as never);
  return true;
}
