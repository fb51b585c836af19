/**
 * Arrays in and out of the transforms: any array-like becomes a Signal
 * (transforms.ts) in NumPy's precision, and a signal becomes the NDArray
 * NumPy returns. complex64/complex128 keep (re, im) interleaved, element p at
 * data[2p], data[2p + 1] (offsets and strides count elements), so a complex
 * array IS a pairs signal: the views cost nothing.
 *
 * @module
 */
import { NdshareError, NdshareTypeError, codes, invalidType } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { arrayOf } from '../manipulation/views.js';
import type { Signal } from './transforms.js';

const isComplexName = (d: string): boolean => d === 'complex64' || d === 'complex128';

/**
 * The signal of `a`: complex64 -> float32 pairs, complex128 -> float64
 * pairs; float16/bfloat16/float32 -> float32; every other real dtype ->
 * float64 (NumPy: integers and bool transform in float64, float16 in float32).
 */
export function signalOf(a: unknown, arg = 'a'): Signal {
  const x = arrayOf(a, arg);
  const d: string = x.dtype;
  if (isComplexName(d)) {
    const part: DType = d === 'complex64' ? 'float32' : 'float64';
    const view = new NDArray(x.data, part, [...x.shape, 2], [...x.strides.map((s) => 2 * s), 1], 2 * x.offset);
    return { a: view, complex: true };
  }
  if (d === 'float64' || d === 'float32') return { a: x, complex: false };
  if (d === 'float16' || d === 'bfloat16') return { a: x.astype('float32'), complex: false };
  return { a: x.astype('float64'), complex: false };
}

/** The NDArray of a signal: complex pairs as complex64/complex128 (the same memory), real as it is. */
export function resultOf(s: Signal): NDArray {
  if (!s.complex) return s.a;
  const p = s.a;
  const d = (p.dtype === 'float32' ? 'complex64' : 'complex128') as DType;
  return new NDArray(
    p.data,
    d,
    p.shape.slice(0, -1),
    p.strides.slice(0, -1).map((v) => v / 2),
    p.offset / 2,
  );
}

/** NumPy's `out=`: the result written into `out` (same shape; a dtype the result casts to within its kind). */
export function into(fn: string, r: NDArray, out: unknown): NDArray {
  if (out === undefined || out === null) return r;
  if (!(out instanceof NDArray)) return invalidType(`${fn}: options.out`, 'an NDArray', out);
  if (out.shape.length !== r.shape.length || out.shape.some((v, i) => v !== r.shape[i])) {
    throw new NdshareError(`${fn}: options.out has shape (${out.shape.join(', ')}), the result (${r.shape.join(', ')}): output array has wrong shape`, {
      code: codes.SHAPE_MISMATCH,
    });
  }
  if (isComplexName(r.dtype) !== isComplexName(out.dtype) || !(out.dtype === 'float32' || out.dtype === 'float64' || isComplexName(out.dtype))) {
    throw new NdshareTypeError(`${fn}: options.out must be ${r.dtype} (or its single/double twin), not ${out.dtype}`, { code: codes.DTYPE });
  }
  out.assign(r);
  return out;
}
