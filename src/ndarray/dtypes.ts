/**
 * Data types: names, storage, sizes and kinds.
 *
 * Storage follows the JS ecosystem (scijs, stdlib): every dtype lives in a
 * typed array of its item size. `bool` is a Uint8Array of 0/1; 64-bit ints
 * use BigInt64Array/BigUint64Array; `float16` and `bfloat16` are stored as
 * raw 16-bit words in a Uint16Array and converted to/from float32 on access.
 *
 * @module
 */
import { invalidType, invalidValue, codes } from '../errors.js';
import { native } from '../binding.js';
import { constants as bufferConstants } from 'node:buffer';

export { DTYPES, type DType, type DTypeKind, type TypedArray, type TypedArrayConstructor } from '../types.js';
import { DTYPES, type DType, type DTypeKind, type TypedArray, type TypedArrayConstructor } from '../types.js';

/** Static facts about one dtype. */
export interface DTypeInfo {
  readonly name: DType;
  /** Bytes per element. */
  readonly itemsize: number;
  readonly kind: DTypeKind;
  /** Storage constructor. */
  readonly ctor: TypedArrayConstructor;
  /** Elements are BigInts (int64, uint64). */
  readonly bigint: boolean;
  /** Elements are 16-bit words that encode a float (float16, bfloat16). */
  readonly packed: boolean;
  /** NumPy's array-interface type string (little-endian), e.g. '<f8'; undefined where NumPy has none. */
  readonly typestr: string | undefined;
}

function info(
  name: DType,
  itemsize: number,
  kind: DTypeKind,
  ctor: TypedArrayConstructor,
  typestr: string | undefined,
): DTypeInfo {
  return Object.freeze({
    name,
    itemsize,
    kind,
    ctor,
    bigint: name === 'int64' || name === 'uint64',
    packed: name === 'float16' || name === 'bfloat16',
    typestr,
  });
}

const TABLE: Readonly<Record<DType, DTypeInfo>> = Object.freeze({
  bool: info('bool', 1, 'b', Uint8Array, '|b1'),
  int8: info('int8', 1, 'i', Int8Array, '|i1'),
  uint8: info('uint8', 1, 'u', Uint8Array, '|u1'),
  int16: info('int16', 2, 'i', Int16Array, '<i2'),
  uint16: info('uint16', 2, 'u', Uint16Array, '<u2'),
  int32: info('int32', 4, 'i', Int32Array, '<i4'),
  uint32: info('uint32', 4, 'u', Uint32Array, '<u4'),
  int64: info('int64', 8, 'i', BigInt64Array, '<i8'),
  uint64: info('uint64', 8, 'u', BigUint64Array, '<u8'),
  float16: info('float16', 2, 'f', Uint16Array, '<f2'),
  bfloat16: info('bfloat16', 2, 'f', Uint16Array, undefined),
  float32: info('float32', 4, 'f', Float32Array, '<f4'),
  float64: info('float64', 8, 'f', Float64Array, '<f8'),
});

/** True if `name` is a dtype name. */
export function isDType(name: unknown): name is DType {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(TABLE, name);
}

/**
 * Facts about a dtype.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `name` is not a string.
 * @throws {NdshareRangeError} ERR_NDSHARE_DTYPE if it names no dtype.
 */
export function dtypeInfo(name: unknown, arg = 'dtype'): DTypeInfo {
  if (typeof name !== 'string') invalidType(arg, `one of ${DTYPES.join(', ')}`, name);
  const found = TABLE[name as DType];
  if (found === undefined) invalidValue(arg, `one of ${DTYPES.join(', ')}`, name, codes.DTYPE);
  return found;
}

/** Checks a dtype argument and returns it typed. */
export function checkDType(name: unknown, arg = 'dtype'): DType {
  return dtypeInfo(name, arg).name;
}

/**
 * The dtype whose storage is this typed array, or undefined for a
 * non-typed-array value. Uint16Array maps to uint16 (never float16) and
 * Uint8ClampedArray to uint8.
 */
export function dtypeOfTypedArray(data: unknown): DType | undefined {
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Int32Array) return 'int32';
  if (data instanceof Uint32Array) return 'uint32';
  if (data instanceof Int16Array) return 'int16';
  if (data instanceof Uint16Array) return 'uint16';
  if (data instanceof Int8Array) return 'int8';
  if (data instanceof Uint8Array || data instanceof Uint8ClampedArray) return 'uint8';
  if (data instanceof BigInt64Array) return 'int64';
  if (data instanceof BigUint64Array) return 'uint64';
  return undefined;
}

/** True if `data` is a typed array that can store `dtype` without conversion. */
export function storageMatches(data: TypedArray, dtype: DType): boolean {
  const ctor = TABLE[dtype].ctor;
  if (data instanceof ctor) return true;
  // bool is stored in a Uint8Array; a Uint8ClampedArray may back uint8.
  return dtype === 'uint8' && data instanceof Uint8ClampedArray;
}

/**
 * Buffers of at least this many bytes come from the addon (huge-page advised,
 * zeroed by the kernel): first touch of 40 MB costs 16 ms in 4 KiB pages and
 * 2-4 ms in 2 MiB pages on the development machine.
 */
const LARGE_BYTES = 2 * 1024 * 1024;

/**
 * Allocates zero-filled storage for `size` elements.
 *
 * The largest size is the smaller of V8's typed-array length limit
 * (`buffer.constants.MAX_LENGTH`: 2^32 elements in Node 20, 2^53-1 from Node
 * 22) and the 2^46 bytes the addon maps (`kMaxBytes` in
 * native/memory/buffers.cc), divided by the item size.
 * @param arg the argument to name when `size` is too large (default `shape`).
 * @param value the value to show for it (default `size`).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when `size` is above that limit.
 */
export function allocZeroed(dtype: DType, size: number, arg = 'shape', value: unknown = size): TypedArray {
  const { ctor, itemsize } = TABLE[dtype];
  const max = Math.min(bufferConstants.MAX_LENGTH, Math.floor(2 ** 46 / itemsize));
  if (!(size <= max)) invalidValue(arg, `at most ${max} elements of ${dtype}`, value);
  if (size * itemsize < LARGE_BYTES) return new ctor(size);
  return new ctor(native.memory.allocate(size * itemsize), 0, size);
}

/**
 * Allocates storage for `size` elements whose contents the caller overwrites
 * (NumPy's `empty`). Small buffers skip V8's zero-fill through
 * `Buffer.allocUnsafeSlow` (never Node's shared pool); large ones come from
 * the addon with huge pages, reusing the faulted-in mapping of a recently
 * collected buffer when one fits (see native/memory/buffers.h). Size limit and arguments as
 * {@link allocZeroed}.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when `size` is above the limit.
 */
export function allocUninit(dtype: DType, size: number, arg = 'shape', value: unknown = size): TypedArray {
  const { ctor, itemsize } = TABLE[dtype];
  const max = Math.min(bufferConstants.MAX_LENGTH, Math.floor(2 ** 46 / itemsize));
  if (!(size <= max)) invalidValue(arg, `at most ${max} elements of ${dtype}`, value);
  const bytes = size * itemsize;
  if (bytes < 4096) return new ctor(size);
  if (bytes >= LARGE_BYTES) return new ctor(native.memory.allocateUninit(bytes), 0, size);
  const buf = Buffer.allocUnsafeSlow(bytes);
  return new ctor(buf.buffer, buf.byteOffset, size);
}

/** A typed array of `dtype` storage over `buffer` (no copy). */
export function viewOf(
  dtype: DType,
  buffer: ArrayBufferLike,
  byteOffset: number,
  length: number,
): TypedArray {
  return new TABLE[dtype].ctor(buffer as ArrayBuffer, byteOffset, length);
}
