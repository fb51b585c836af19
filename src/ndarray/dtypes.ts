/**
 * Data types: names, storage, sizes and kinds.
 *
 * Storage follows the JS ecosystem (scijs, stdlib): every dtype lives in a
 * typed array of its item size. `bool` is a Uint8Array of 0/1; 64-bit ints
 * use BigInt64Array/BigUint64Array; `float16` and `bfloat16` are stored as
 * raw 16-bit words in a Uint16Array and converted to/from float32 on access.
 * `complex64`/`complex128` are interleaved (re, im) pairs in a Float32Array /
 * Float64Array of twice the element count, as NumPy lays them out: element
 * `p` (in elements, as offsets and strides are) is `data[2p]`, `data[2p + 1]`
 * (`lanes` is 2; see docs/complex.md).
 *
 * @module
 */
import { invalidType, invalidValue, codes } from '../errors.js';
import { native } from '../binding.js';
import { constants as bufferConstants } from 'node:buffer';

export {
  ALL_DTYPES,
  COMPLEX_DTYPES,
  DTYPES,
  type Complex,
  type ComplexDType,
  type DType,
  type DTypeKind,
  type TypedArray,
  type TypedArrayConstructor,
} from '../types.js';
import { ALL_DTYPES, DTYPES, type ComplexDType, type DType, type DTypeKind, type TypedArray, type TypedArrayConstructor } from '../types.js';

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
  /** Storage entries per element: 2 for complex (re, im), 1 otherwise. */
  readonly lanes: 1 | 2;
}

function info(name: DType, itemsize: number, kind: DTypeKind, ctor: TypedArrayConstructor, typestr: string | undefined): DTypeInfo {
  return Object.freeze({
    name,
    itemsize,
    kind,
    ctor,
    bigint: name === 'int64' || name === 'uint64',
    packed: name === 'float16' || name === 'bfloat16',
    typestr,
    lanes: kind === 'c' ? 2 : 1,
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
  complex64: info('complex64', 8, 'c', Float32Array, '<c8'),
  complex128: info('complex128', 16, 'c', Float64Array, '<c16'),
});

/** True for complex64 and complex128. */
export function isComplex(d: DType): d is ComplexDType {
  return d === 'complex64' || d === 'complex128';
}

/** The dtype of the real and imaginary parts of a complex dtype (float32, float64); `d` itself otherwise. */
export function partDType(d: DType): DType {
  return d === 'complex64' ? 'float32' : d === 'complex128' ? 'float64' : d;
}

/** The complex dtype whose parts are the float dtype `d` (float16/bfloat16/float32 -> complex64, float64 -> complex128). */
export function complexOf(d: DType): ComplexDType {
  if (isComplex(d)) return d;
  return d === 'float16' || d === 'bfloat16' || d === 'float32' ? 'complex64' : 'complex128';
}

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
  if (typeof name !== 'string') invalidType(arg, `one of ${ALL_DTYPES.join(', ')}`, name);
  const found = Object.prototype.hasOwnProperty.call(TABLE, name) ? TABLE[name as DType] : undefined;
  if (found === undefined) invalidValue(arg, `one of ${ALL_DTYPES.join(', ')}`, name, codes.DTYPE);
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
 * reusing the pages of collected buffers: docs/memory.md): first touch of
 * fresh memory costs 16-100 ms per 40 MB in 4 KiB pages and 2-20 ms in 2 MiB
 * pages on the development machine; reused pages cost nothing.
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
  const { ctor, itemsize, lanes } = TABLE[dtype];
  const max = Math.min(Math.floor(bufferConstants.MAX_LENGTH / lanes), Math.floor(2 ** 46 / itemsize));
  if (!(size <= max)) invalidValue(arg, `at most ${max} elements of ${dtype}`, value);
  if (size * itemsize < LARGE_BYTES) return new ctor(size * lanes);
  return new ctor(native.memory.allocate(size * itemsize), 0, size * lanes);
}

/**
 * Allocates storage for `size` elements whose contents the caller overwrites
 * (NumPy's `empty`). Small buffers skip V8's zero-fill through
 * `Buffer.allocUnsafeSlow` (never Node's shared pool); large ones come from
 * the addon with huge pages, made of the faulted-in pages of collected
 * buffers whatever their sizes (docs/memory.md). Size limit and arguments as
 * {@link allocZeroed}.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when `size` is above the limit.
 */
export function allocUninit(dtype: DType, size: number, arg = 'shape', value: unknown = size): TypedArray {
  const { ctor, itemsize, lanes } = TABLE[dtype];
  const max = Math.min(Math.floor(bufferConstants.MAX_LENGTH / lanes), Math.floor(2 ** 46 / itemsize));
  if (!(size <= max)) invalidValue(arg, `at most ${max} elements of ${dtype}`, value);
  const bytes = size * itemsize;
  const length = size * lanes;
  if (bytes < 4096) return new ctor(length);
  if (bytes >= LARGE_BYTES) return new ctor(native.memory.allocateUninit(bytes), 0, length);
  const buf = Buffer.allocUnsafeSlow(bytes);
  return new ctor(buf.buffer, buf.byteOffset, length);
}

/** A typed array of `dtype` storage over `buffer` (no copy) holding `length` elements (2 × length floats for complex). */
export function viewOf(dtype: DType, buffer: ArrayBufferLike, byteOffset: number, length: number): TypedArray {
  const { ctor, lanes } = TABLE[dtype];
  return new ctor(buffer as ArrayBuffer, byteOffset, length * lanes);
}

/** The number of elements of `dtype` that storage `data` holds (its length over the dtype's lanes). */
export function elementCount(data: TypedArray, dtype: DType): number {
  return TABLE[dtype].lanes === 2 ? data.length >> 1 : data.length;
}

// ---- iinfo / finfo: the one definition of each dtype's range -------------------

/** Machine limits of an integer dtype, as NumPy's `np.iinfo`. */
export interface IInfo {
  readonly dtype: DType;
  readonly kind: 'i' | 'u';
  /** Bits per element. */
  readonly bits: number;
  /** Smallest value: a number, a bigint for int64/uint64 (as the elements are). */
  readonly min: number | bigint;
  /** Largest value: a number, a bigint for int64/uint64. */
  readonly max: number | bigint;
}

/** Machine limits of a floating dtype, as NumPy's `np.finfo` (camelCase names). */
export interface FInfo {
  readonly dtype: DType;
  /** Bits per element. */
  readonly bits: number;
  /** 2^-nmant: the gap between 1 and the next larger value. */
  readonly eps: number;
  /** 2^-(nmant+1): the gap between 1 and the next smaller value. */
  readonly epsneg: number;
  /** Largest finite value. */
  readonly max: number;
  /** Smallest (most negative) finite value, -max. */
  readonly min: number;
  /** Smallest positive normal value (NumPy's `tiny`, same as `smallestNormal`). */
  readonly tiny: number;
  readonly smallestNormal: number;
  /** Smallest positive subnormal value. */
  readonly smallestSubnormal: number;
  /** Decimal digits of precision: floor(-log10(eps)). */
  readonly precision: number;
  /** 10^-precision, rounded to this dtype (as NumPy reports it). */
  readonly resolution: number;
  /** Bits of the fraction (mantissa without its implicit bit). */
  readonly nmant: number;
  /** Bits of the exponent. */
  readonly nexp: number;
  /** The exponent of eps (-nmant). */
  readonly machep: number;
  /** The exponent of epsneg (-(nmant+1)). */
  readonly negep: number;
  /** Smallest power of 2 that overflows: 2^maxexp is Infinity. */
  readonly maxexp: number;
  /** Exponent of the smallest normal value: tiny = 2^minexp. */
  readonly minexp: number;
}

/** [fraction bits, exponent bits] of each floating dtype. */
const FLOAT_FORMAT: Partial<Record<DType, readonly [number, number]>> = {
  float16: [10, 5],
  bfloat16: [7, 8],
  float32: [23, 8],
  float64: [52, 11],
};

/** Rounds a number to a floating dtype (resolution is reported in the dtype). */
function roundTo(dtype: DType, v: number): number {
  switch (dtype) {
    case 'float32':
      return Math.fround(v);
    case 'float16':
    case 'bfloat16': {
      // Round to nearest even on the binary value, by the format's widths.
      const [nmant] = FLOAT_FORMAT[dtype]!;
      const e = Math.floor(Math.log2(Math.abs(v)));
      const ulp = 2 ** (e - nmant);
      const q = v / ulp;
      const r = Math.round(q);
      return (Math.abs(q - Math.trunc(q)) === 0.5 && r % 2 !== 0 ? r - 1 : r) * ulp;
    }
    default:
      return v;
  }
}

const IINFO = new Map<DType, IInfo>();
const FINFO = new Map<DType, FInfo>();

for (const d of DTYPES) {
  const { kind, itemsize } = TABLE[d];
  const bits = itemsize * 8;
  if (kind === 'i' || kind === 'u') {
    const lo = kind === 'i' ? -(1n << BigInt(bits - 1)) : 0n;
    const hi = kind === 'i' ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
    const big = bits === 64;
    IINFO.set(d, Object.freeze({ dtype: d, kind, bits, min: big ? lo : Number(lo), max: big ? hi : Number(hi) }));
  } else if (kind === 'f') {
    const [nmant, nexp] = FLOAT_FORMAT[d]!;
    const emax = 2 ** (nexp - 1) - 1;
    const eps = 2 ** -nmant;
    const max = (2 - eps) * 2 ** emax;
    const precision = Math.floor(-Math.log10(eps));
    FINFO.set(
      d,
      Object.freeze({
        dtype: d,
        bits,
        eps,
        epsneg: 2 ** -(nmant + 1),
        max,
        min: -max,
        tiny: 2 ** (1 - emax),
        smallestNormal: 2 ** (1 - emax),
        smallestSubnormal: 2 ** (1 - emax - nmant),
        precision,
        resolution: roundTo(d, 10 ** -precision),
        nmant,
        nexp,
        machep: -nmant,
        negep: -(nmant + 1),
        maxexp: emax + 1,
        minexp: 1 - emax,
      }),
    );
  }
}

/**
 * Machine limits of an integer dtype (NumPy's `np.iinfo`).
 *
 * @param dtype an integer dtype name.
 * @throws {NdshareRangeError} ERR_NDSHARE_DTYPE for an unknown dtype, or one that is not an integer dtype.
 * @example
 * nd.iinfo('int8') // { dtype: 'int8', kind: 'i', bits: 8, min: -128, max: 127 }
 * nd.iinfo('uint64').max // 18446744073709551615n
 */
export function iinfo(dtype: DType): IInfo {
  const d = checkDType(dtype);
  const info = IINFO.get(d);
  if (info === undefined) invalidValue('dtype', 'an integer dtype (int8 … uint64)', dtype, codes.DTYPE);
  return info;
}

/**
 * Machine limits of a floating dtype (NumPy's `np.finfo`, fields in camelCase:
 * `smallestNormal`, `smallestSubnormal`).
 *
 * @param dtype a floating dtype name (float16, bfloat16, float32, float64).
 * @throws {NdshareRangeError} ERR_NDSHARE_DTYPE for an unknown dtype, or one that is not a floating dtype.
 * @example
 * nd.finfo('float32').eps // 1.1920928955078125e-7
 * nd.finfo('float16').max // 65504
 */
export function finfo(dtype: DType): FInfo {
  const d = partDType(checkDType(dtype)); // finfo(complex64) is finfo(float32), as in NumPy
  const info = FINFO.get(d);
  if (info === undefined)
    invalidValue('dtype', 'a floating dtype (float16, bfloat16, float32, float64) or a complex one (complex64, complex128)', dtype, codes.DTYPE);
  return info;
}

/** @internal The inclusive range of an integer dtype as bigints; undefined for other dtypes. */
export function integerRange(dtype: DType): readonly [bigint, bigint] | undefined {
  const i = IINFO.get(dtype);
  return i === undefined ? undefined : [BigInt(i.min), BigInt(i.max)];
}
