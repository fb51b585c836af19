/**
 * Bit packing: NumPy's `packbits` and `unpackbits`.
 *
 * Both work on rows along one axis: the axis is moved last and made
 * contiguous (no copy when it already is), each row is packed or unpacked,
 * and the axis is moved back. Packing reads four 0/1 bytes as one 32-bit
 * word and gathers their low bits with one multiplication (`Math.imul` by
 * 0x08040201 for 'big', 0x01020408 for 'little' leaves the four bits in the
 * top byte: the byte sums never carry). Unpacking writes two 32-bit words per
 * byte from a 256-entry table.
 *
 * @module
 */
import { codes, invalidValue, NdshareTypeError, describe } from '../errors.js';
import { allocUninit } from '../ndarray/dtypes.js';
import { normalizeAxis } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { notEqual } from '../math/elementwise.js';
import { arrayOf, moveaxis } from '../manipulation/views.js';
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

/** True on little-endian machines (the 32-bit word tricks read bytes in memory order). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bitorderOf(v: unknown): BitOrder {
  if (v === undefined || v === 'big') return 'big';
  if (v === 'little') return 'little';
  return invalidValue('options.bitorder', "'big' or 'little'", v);
}

/** The rows of `x` along `axis` (null: flattened) as a C-contiguous array whose last axis is that axis. */
function rows(x: NDArray, axis: number | null): NDArray {
  const moved = axis === null ? x.reshape([x.size]) : axis === x.ndim - 1 ? x : moveaxis(x, axis, -1);
  return moved.flags.cContiguous ? moved : moved.copy();
}

function axisOf(v: unknown, ndim: number): number | null {
  if (v === undefined || v === null) return null;
  return normalizeAxis(v, ndim, 'options.axis');
}

/** Packs the n 0/1 bytes of src at s into dst at d. */
function packRow(src: Uint8Array, s: number, n: number, dst: Uint8Array, d: number, little: boolean): void {
  const mul = little ? 0x01020408 : 0x08040201;
  const full = n >> 3;
  // Aligned 32-bit reads when the row starts on a 4-byte boundary.
  if (((src.byteOffset + s) & 3) === 0 && LITTLE_ENDIAN) {
    const w = new Uint32Array(src.buffer, src.byteOffset + s, full * 2);
    for (let i = 0; i < full; i++) {
      const hi = Math.imul(w[2 * i]!, mul) >>> 24;
      const lo = Math.imul(w[2 * i + 1]!, mul) >>> 24;
      dst[d + i] = little ? hi | (lo << 4) : (hi << 4) | lo;
    }
  } else {
    for (let i = 0; i < full; i++) {
      let b = 0;
      const o = s + 8 * i;
      if (little) for (let k = 7; k >= 0; k--) b = (b << 1) | src[o + k]!;
      else for (let k = 0; k < 8; k++) b = (b << 1) | src[o + k]!;
      dst[d + i] = b;
    }
  }
  const rest = n & 7;
  if (rest) {
    let b = 0;
    const o = s + 8 * full;
    for (let k = 0; k < rest; k++) b |= src[o + k]! << (little ? k : 7 - k);
    dst[d + full] = b;
  }
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
  // NumPy treats a 0-d array as 1-d of one element (PyArray_CheckAxis).
  const x = a0.ndim === 0 ? a0.reshape([1]) : a0;
  if (x.dtype !== 'bool' && !/int/.test(x.dtype)) {
    throw new NdshareTypeError(`Expected an array of integer or boolean dtype for a but received ${x.dtype} (${describe(a)})`, { code: codes.DTYPE });
  }
  const little = bitorderOf(o.bitorder) === 'little';
  const axis = axisOf(o.axis, x.ndim);
  // 0/1 bytes (bool is stored as 0/1 already; other dtypes are compared with 0 in one native pass).
  const bits = x.dtype === 'bool' ? x : notEqual(x, 0);
  const r = rows(bits, axis);
  const n = r.shape[r.ndim - 1] ?? 1;
  const nrows = n === 0 ? 0 : r.size / n;
  const m = (n + 7) >> 3;
  const outShape = axis === null ? [m] : [...r.shape.slice(0, -1), m];
  const out = allocUninit('uint8', nrows * m) as Uint8Array;
  const src = r.data as Uint8Array;
  for (let i = 0; i < nrows; i++) packRow(src, r.offset + i * n, n, out, i * m, little);
  const packed = new NDArray(out, 'uint8', outShape);
  return axis === null || axis === x.ndim - 1 ? packed : moveaxis(packed, -1, axis).copy();
}

/** Per byte value, its 8 bits as 0/1 bytes in memory order, as two 32-bit words (per bit order). */
function unpackTable(little: boolean): Uint32Array {
  const t = new Uint32Array(512);
  const bytes = new Uint8Array(t.buffer);
  for (let v = 0; v < 256; v++) for (let k = 0; k < 8; k++) bytes[8 * v + k] = (v >> (little ? k : 7 - k)) & 1;
  return t;
}
const TABLES: { big?: Uint32Array; little?: Uint32Array } = {};

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
  const x = a0.ndim === 0 ? a0.reshape([1]) : a0;
  if (x.dtype !== 'uint8') {
    throw new NdshareTypeError(`Expected an array of dtype uint8 for a but received ${x.dtype}`, { code: codes.DTYPE });
  }
  const little = bitorderOf(o.bitorder) === 'little';
  const axis = axisOf(o.axis, x.ndim);
  const r = rows(x, axis);
  const n = r.ndim === 0 ? 1 : r.shape[r.ndim - 1]!;
  const nbits = 8 * n;
  let count = nbits;
  if (o.count !== undefined && o.count !== null) {
    if (typeof o.count !== 'number' || !Number.isSafeInteger(o.count)) invalidValue('options.count', 'an integer or null', o.count);
    if (o.count < -nbits) invalidValue('options.count', `a count of at least -${nbits} (the number of bits along the axis)`, o.count);
    count = o.count < 0 ? nbits + o.count : o.count;
  }
  const nrows = n === 0 ? (r.ndim === 0 ? 1 : r.shape.slice(0, -1).reduce((p, q) => p * q, 1)) : r.size / n;
  const outShape = axis === null ? [count] : [...r.shape.slice(0, -1), count];
  const out = allocUninit('uint8', nrows * count) as Uint8Array;
  const table = (little ? (TABLES.little ??= unpackTable(true)) : (TABLES.big ??= unpackTable(false))) as Uint32Array;
  const src = r.data as Uint8Array;
  const tbytes = new Uint8Array(table.buffer);
  const aligned = (out.byteOffset & 3) === 0 && count === nbits;
  const w = aligned ? new Uint32Array(out.buffer, out.byteOffset, (nrows * count) >> 2) : undefined;
  for (let i = 0; i < nrows; i++) {
    const s = r.offset + i * n;
    const d = i * count;
    if (w !== undefined) {
      let q = d >> 2;
      for (let j = 0; j < n; j++) {
        const v = src[s + j]! << 1;
        w[q++] = table[v]!;
        w[q++] = table[v + 1]!;
      }
      continue;
    }
    const used = Math.min(count, nbits);
    for (let k = 0; k < used; k++) out[d + k] = tbytes[8 * src[s + (k >> 3)]! + (k & 7)]!;
    out.fill(0, d + used, d + count);
  }
  const unpacked = new NDArray(out, 'uint8', outShape);
  return axis === null || axis === x.ndim - 1 ? unpacked : moveaxis(unpacked, -1, axis).copy();
}
