/**
 * Bit packing: NumPy's `packbits` and `unpackbits`, on the native bits kernels
 * (native/kernels/bits): any view, along any axis, without moving the axis or
 * copying the input (axis=None packs the flattened array, which is a copy only
 * when the input is not C-contiguous, as NumPy's ravel). Packing tests each
 * element against zero natively, so integer inputs need no 0/1 pass first.
 *
 * @module
 */
import { native } from '../binding.js';
import { codes, invalidValue, NdshareTypeError, describe } from '../errors.js';
import { allocUninit } from '../ndarray/dtypes.js';
import { normalizeAxis } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { arrayOf } from '../manipulation/views.js';
import { dtypeCode, loopDesc } from '../math/ufunc.js';
import { checkOptions } from '../validate.js';
import type { Operand } from '../math/ufunc.js';

/** The bit order within a byte: 'big' (first element in the most significant bit, the default) or 'little'. */
export type BitOrder = 'big' | 'little';

/** Options of {@link packbits}. */
export interface PackbitsOptions {
  /** The axis to pack along; null or undefined packs the flattened array. */
  axis?: number | null;
  bitorder?: BitOrder;
}

/** Options of {@link unpackbits}. */
export interface UnpackbitsOptions extends PackbitsOptions {
  /** Elements to keep along the axis: fewer (negative counts from the end) or more (zero padded) than 8 × its length. */
  count?: number | null;
}

function bitorderOf(v: unknown): BitOrder {
  if (v === undefined || v === 'big') return 'big';
  if (v === 'little') return 'little';
  return invalidValue('options.bitorder', "'big' or 'little'", v);
}

/** The array to walk and the axis: axis null packs the flattened array (NumPy's ravel). 0-d counts as 1-d. */
function along(a0: NDArray, v: unknown): { x: NDArray; axis: number } {
  const x = a0.ndim === 0 ? a0.reshape([1]) : a0;
  if (v === undefined || v === null) return { x: x.ndim === 1 ? x : x.reshape([x.size]), axis: 0 };
  return { x, axis: normalizeAxis(v, x.ndim, 'options.axis') };
}

/** A C-contiguous uint8 array of x's shape with `len` elements along `axis`. */
function outArray(x: NDArray, axis: number, len: number): NDArray<'uint8'> {
  const shape = x.shape.map((d, i) => (i === axis ? len : d));
  return new NDArray(
    allocUninit(
      'uint8',
      shape.reduce((p, q) => p * q, 1),
    ) as Uint8Array,
    'uint8',
    shape,
  );
}

/**
 * Packs the elements of an integer or boolean array into bits of a uint8
 * array (NumPy's `np.packbits`): each element is one bit, 1 when it is
 * nonzero; rows along `axis` are padded with zero bits to a multiple of 8.
 *
 * @param a an array of bool or integer dtype (array-likes as `nd.asarray`).
 * @param options `axis` (default null: the flattened array) and `bitorder` ('big' default, or 'little').
 * @returns uint8, the axis of length ceil(n / 8).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a float array (NumPy's TypeError).
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for a bad axis; ERR_NDSHARE_INVALID_ARG_VALUE for a bad bitorder.
 * @example
 * nd.packbits(nd.array([true, false, true, true, false, false, false, true])).toArray() // [177]
 * nd.packbits(nd.array([[1, 0, 1]], { dtype: 'uint8' }), { axis: -1, bitorder: 'little' }).toArray() // [[5]]
 */
export function packbits(a: Operand, options?: PackbitsOptions): NDArray {
  const o = checkOptions(options, { fn: 'nd.packbits', known: ['axis', 'bitorder'] });
  const a0 = arrayOf(a);
  if (a0.dtype !== 'bool' && !/int/.test(a0.dtype)) {
    throw new NdshareTypeError(`Expected an array of integer or boolean dtype for a but received ${a0.dtype} (${describe(a)})`, { code: codes.DTYPE });
  }
  const little = bitorderOf(o.bitorder) === 'little';
  const { x, axis } = along(a0, o.axis);
  const out = outArray(x, axis, (x.shape[axis]! + 7) >> 3);
  native.math.packbits(dtypeCode(x.dtype), [x.data], loopDesc(x.shape, [x]), axis, little, out.data as Uint8Array);
  return out;
}

/**
 * Unpacks the bits of a uint8 array into a uint8 array of 0s and 1s
 * (NumPy's `np.unpackbits`).
 *
 * @param a a uint8 array.
 * @param options `axis` (default null: the flattened array), `count` (how many
 *   elements to keep along the axis: fewer than 8 × its length drops the last
 *   ones, a negative count drops that many from the end, more pads with
 *   zeros; default all) and `bitorder` ('big' default, or 'little').
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for another dtype (NumPy's TypeError).
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for a bad axis; ERR_NDSHARE_INVALID_ARG_VALUE for a bad count
 *   (below minus the number of bits) or bitorder.
 *
 * An empty array with a positive count gives zeros (NumPy 2.4 returns uninitialized memory there).
 * @example
 * nd.unpackbits(nd.array([177], { dtype: 'uint8' })).toArray() // [1, 0, 1, 1, 0, 0, 0, 1]
 * nd.unpackbits(nd.array([177], { dtype: 'uint8' }), { count: 3 }).toArray() // [1, 0, 1]
 */
export function unpackbits(a: Operand, options?: UnpackbitsOptions): NDArray {
  const o = checkOptions(options, { fn: 'nd.unpackbits', known: ['axis', 'count', 'bitorder'] });
  const a0 = arrayOf(a);
  if (a0.dtype !== 'uint8') {
    throw new NdshareTypeError(`Expected an array of dtype uint8 for a but received ${a0.dtype}`, { code: codes.DTYPE });
  }
  const little = bitorderOf(o.bitorder) === 'little';
  const { x, axis } = along(a0, o.axis);
  const nbits = 8 * x.shape[axis]!;
  let count = nbits;
  if (o.count !== undefined && o.count !== null) {
    if (typeof o.count !== 'number' || !Number.isSafeInteger(o.count)) invalidValue('options.count', 'an integer or null', o.count);
    if (o.count < -nbits) invalidValue('options.count', `a count of at least -${nbits} (the number of bits along the axis)`, o.count);
    count = o.count < 0 ? nbits + o.count : o.count;
  }
  const out = outArray(x, axis, count);
  native.math.unpackbits([x.data], loopDesc(x.shape, [x]), axis, count, little, out.data as Uint8Array);
  return out;
}
