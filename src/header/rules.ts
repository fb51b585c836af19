/**
 * What the header encoder and decoder share: the {@link ArrayHeader} type,
 * the format's constants, the dtype and order mappings to the schema's enums,
 * and the layout rules (see codec.ts and docs/header.md).
 *
 * @module
 */
import { DType as _DType, Order as _Order } from './generated/ndarray_generated.js';
import { invalidType, invalidValue } from '../errors.js';
import { dtypeInfo, type DType } from '../ndarray/dtypes.js';
import { MAX_NDIM } from '../ndarray/layout.js';

/** A decoded (or to-be-encoded) array header. All positions are in bytes. */
export interface ArrayHeader {
  /** Element type. */
  dtype: DType;
  /** Elements per axis (`[]` for a 0-d array). */
  shape: number[];
  /** BYTE step per axis; may be negative (reversed) or zero (broadcast). */
  byteStrides: number[];
  /** Byte position of element `[0, 0, …]` in the buffer the header refers to. */
  byteOffset: number;
  /** Start of the data extent (bytes, in the buffer). */
  dataStart: number;
  /** Length of the data extent (bytes). Every addressed byte is in `[dataStart, dataStart + byteLength)`. */
  byteLength: number;
  /** Memory order hint: 'C' (row-major), 'F' (column-major), 'A' (neither / no preference). */
  order: 'C' | 'F' | 'A';
  /** Optional name. */
  name?: string;
  /** Optional string metadata. */
  metadata?: Record<string, string>;
}

/** The most axes a header may describe (NumPy 2's NPY_MAXDIMS), shared with the NDArray layout. */
export { MAX_NDIM };

/** The header format version this module writes and reads (schema field `version`). */
export const HEADER_VERSION = 1;

/** The FlatBuffers file identifier of an array header (bytes 4..8). */
export const HEADER_IDENTIFIER = 'NDSH';

// Both directions of the dtype mapping are written out so that adding a dtype
// to dtypes.ts without adding it to the schema fails to compile here.
export const DTYPE_TO_FB: Readonly<Record<DType, _DType>> = {
  bool: _DType.bool,
  int8: _DType.int8,
  uint8: _DType.uint8,
  int16: _DType.int16,
  uint16: _DType.uint16,
  int32: _DType.int32,
  uint32: _DType.uint32,
  int64: _DType.int64,
  uint64: _DType.uint64,
  float16: _DType.float16,
  bfloat16: _DType.bfloat16,
  float32: _DType.float32,
  float64: _DType.float64,
  complex64: _DType.complex64,
  complex128: _DType.complex128,
};
export const FB_TO_DTYPE: readonly (DType | undefined)[] = (() => {
  const out: (DType | undefined)[] = [];
  for (const name of Object.keys(DTYPE_TO_FB) as DType[]) out[DTYPE_TO_FB[name]] = name;
  return out;
})();
/** Bytes per element, indexed by the schema's dtype value. */
export const FB_ITEMSIZE: readonly number[] = FB_TO_DTYPE.map((d) => (d === undefined ? 0 : dtypeInfo(d).itemsize));

export const ORDER_TO_FB: Readonly<Record<ArrayHeader['order'], _Order>> = { C: _Order.C, F: _Order.F, A: _Order.A };
export const FB_TO_ORDER: readonly (ArrayHeader['order'] | undefined)[] = (() => {
  const out: (ArrayHeader['order'] | undefined)[] = [];
  for (const o of Object.keys(ORDER_TO_FB) as ArrayHeader['order'][]) out[ORDER_TO_FB[o]] = o;
  return out;
})();

export const MAX_SAFE = Number.MAX_SAFE_INTEGER;

export function checkRange(bytes: Uint8Array, at: unknown, atArg: string, length: unknown, lengthArg: string): void {
  if (typeof at !== 'number') invalidType(atArg, 'a non-negative safe integer', at);
  if (!Number.isSafeInteger(at) || at < 0) invalidValue(atArg, 'a non-negative safe integer', at);
  if (typeof length !== 'number') invalidType(lengthArg, 'a non-negative safe integer', length);
  if (!Number.isSafeInteger(length) || length < 0) invalidValue(lengthArg, 'a non-negative safe integer', length);
  if (at + length > bytes.length) {
    invalidValue(lengthArg, `a range inside the ${bytes.length} bytes given (${atArg} is ${at})`, length);
  }
}

// ---------------------------------------------------------------------------
// Layout rules (shared by the encoder and the decoder)
// ---------------------------------------------------------------------------

/**
 * Checks that (shape, strides, byteOffset) address only elements inside
 * [dataStart, dataStart + byteLength), and alignment. Inputs are safe
 * integers, shape entries non-negative. Returns undefined if all is well,
 * else a description naming the values (built only on failure).
 */
export function layoutProblem(
  itemsize: number,
  shape: readonly number[],
  strides: readonly number[],
  byteOffset: number,
  dataStart: number,
  byteLength: number,
): string | undefined {
  const ndim = shape.length;
  let size = 1;
  let empty = false;
  for (let k = 0; k < ndim; k++) {
    if (shape[k] === 0) empty = true;
    size *= shape[k]!;
  }
  // A size that is not a safe integer is only a problem if no axis is 0.
  if (!empty && size > MAX_SAFE) {
    const exact = shape.reduce((acc, n) => acc * BigInt(n), 1n);
    return `shape [${shape.join(', ')}] has ${exact} elements, more than ${MAX_SAFE}`;
  }
  if (byteOffset % itemsize !== 0) return `byteOffset ${byteOffset} is not a multiple of the itemsize ${itemsize}`;
  if (dataStart % itemsize !== 0) return `dataStart ${dataStart} is not a multiple of the itemsize ${itemsize}`;
  if (byteLength % itemsize !== 0) return `byteLength ${byteLength} is not a multiple of the itemsize ${itemsize}`;
  for (let k = 0; k < ndim; k++) {
    if (strides[k]! % itemsize !== 0) {
      return `strides[${k}] = ${strides[k]} is not a multiple of the itemsize ${itemsize} (strides [${strides.join(', ')}])`;
    }
  }
  if (empty) return undefined; // addresses nothing
  // Lowest and highest addressed byte. Sums of doubles: once a partial sum
  // passes 2^53 it is inexact, but rounding is monotonic and the bounds it is
  // compared with are below 2^53, so an out-of-range layout can never round
  // back into range.
  let neg = 0;
  let pos = 0;
  for (let k = 0; k < ndim; k++) {
    const n = shape[k]!;
    const s = strides[k]!;
    if (n > 1) {
      if (s > 0) pos += s * (n - 1);
      else if (s < 0) neg -= s * (n - 1);
    }
  }
  const lo = byteOffset - neg;
  const hi = byteOffset + pos + itemsize;
  const end = dataStart + byteLength;
  if (lo < dataStart || hi > end) {
    return (
      `shape [${shape.join(', ')}], strides [${strides.join(', ')}] and byteOffset ${byteOffset} ` +
      `address bytes [${lo}, ${hi}), outside the data extent [${dataStart}, ${end})`
    );
  }
  return undefined;
}
