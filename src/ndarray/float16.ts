/**
 * float16 and bfloat16: conversions of single values (for `get`/`set`) and of
 * contiguous arrays (for `astype` and bulk copies).
 *
 * Both dtypes are stored as raw 16-bit words in a Uint16Array and computed in
 * float32/float64. The rules, identical here and in the native kernels
 * (native/kernels/cast/cast.h), so results never depend on an array's length:
 *
 * - number -> float16 rounds the double once, directly, to nearest even, bit
 *   for bit NumPy's `np.float64(x).astype(np.float16)`: subnormal halves are
 *   exact and |x| >= 65520 gives ±Inf. A float32 value held in a number gives
 *   `np.float32(x).astype(np.float16)`, since the double holds it exactly.
 * - number -> bfloat16 rounds to float32 first (`Math.fround`), then to nearest
 *   even on the float32 bits (as PyTorch does; a double a hair above a bfloat16
 *   tie can round the wrong way). NaN gives 0x7fc0 with the NaN's sign.
 * - float16/bfloat16 -> number is exact.
 * - NaN -> float16 gives a quiet NaN with the NaN's sign, 0x7e00 for the NaN
 *   JS produces; a NaN read from a typed array keeps the top 9 bits of its
 *   payload, as x86 F16C does (and NumPy, for quiet NaNs).
 *
 * @module
 */
import { native } from '../binding.js';
import { NdshareRangeError, invalidType } from '../errors.js';

// Scratch words for bit casts; little- or big-endian, found once.
const F32 = new Float32Array(1);
const U32 = new Uint32Array(F32.buffer);
const F64 = new Float64Array(1);
const U64 = new Uint32Array(F64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const HI = LITTLE_ENDIAN ? 1 : 0; // index of the sign/exponent word of F64 in U64
const LO = 1 - HI;

// ---- float16 ---------------------------------------------------------------

/** float16 bits -> float32 bits. Exact; a NaN comes out quiet, payload << 13 (as F16C). */
function halfToFloat32Bits(h: number): number {
  const sign = (h & 0x8000) << 16;
  const em = h & 0x7fff;
  if (em >= 0x7c00) {
    const sig = (em & 0x3ff) << 13;
    return (sign | 0x7f800000 | sig | (sig !== 0 ? 0x400000 : 0)) >>> 0;
  }
  if (em >= 0x400) return (sign | ((em + 0x1c000) << 13)) >>> 0; // rebias 15 -> 127
  F32[0] = em * 2 ** -24; // zero or subnormal: exact in float32
  return (sign | U32[0]!) >>> 0; // scratch words: index 0 always exists
}

/** All 65536 float16 values as float32, built on first use (256 KiB). */
let halfTable: Float32Array | undefined;

function buildHalfTable(): Float32Array {
  const table = new Float32Array(65536);
  const bits = new Uint32Array(table.buffer);
  for (let h = 0; h < 65536; h++) bits[h] = halfToFloat32Bits(h);
  return table;
}

/**
 * Decodes float16 bits to a number (exactly).
 *
 * @param bits - a float16 bit pattern (only the low 16 bits are used)
 * @returns the value; NaN for any NaN pattern
 * @example halfToNumber(0x3c00) // 1
 */
export function halfToNumber(bits: number): number {
  return (halfTable ??= buildHalfTable())[bits & 0xffff]!; // 65536 entries: every 16-bit index exists
}

/**
 * Encodes a number as float16 bits, rounding the double once to nearest even
 * (NumPy's `npy_double_to_half`, bit for bit).
 *
 * @param x - any number
 * @returns the float16 bit pattern (0..0xffff): ±0x7c00 past 65504 (from
 *   65520 up), `0x7e00 | sign` for NaN
 * @example numberToHalf(1) // 0x3c00
 * @example numberToHalf(65519.99) // 0x7bff (65504); 65520 gives 0x7c00 (Infinity)
 */
export function numberToHalf(x: number): number {
  F64[0] = x;
  const hi = U64[HI]!; // HI, LO are 0 and 1 of a 2-word scratch
  const lo = U64[LO]!;
  const sign = (hi >>> 16) & 0x8000;
  const a = hi & 0x7fffffff; // high word of |x|
  if (a >= 0x40effe00) {
    // |x| >= 65520, Inf or NaN
    if (a >= 0x7ff00000 && (a > 0x7ff00000 || lo !== 0)) return sign | 0x7e00 | ((a & 0xfffff) >>> 10);
    return sign | 0x7c00;
  }
  if (a >= 0x3f100000) {
    // |x| >= 2^-14: a normal half. Exponent rebiased 1023 -> 15, top 10 mantissa bits.
    let h = (((a >>> 20) - 1008) << 10) | ((a >>> 10) & 0x3ff);
    const rest = a & 0x3ff; // the 42 dropped bits are `rest` (10 bits) then `lo` (32 bits)
    if (rest > 0x200 || (rest === 0x200 && (lo !== 0 || (h & 1) !== 0))) h++; // a carry is right
    return sign | h;
  }
  if (a < 0x3e600000 || (a === 0x3e600000 && lo === 0)) return sign; // |x| <= 2^-25
  // Subnormal half: the 53-bit significand shifted right by 43..53, RNE.
  const shift = 1051 - (a >>> 20) - 32; // 11..21, applied to the top 21 bits
  const m = (a & 0xfffff) | 0x100000;
  let h = m >>> shift;
  const rest = m & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  if (rest > halfway || (rest === halfway && (lo !== 0 || (h & 1) !== 0))) h++; // may reach 0x400: right
  return sign | h;
}

// ---- bfloat16 --------------------------------------------------------------

/**
 * Decodes bfloat16 bits to a number (exactly).
 *
 * @param bits - a bfloat16 bit pattern (only the low 16 bits are used)
 * @example bfloat16ToNumber(0x3f80) // 1
 */
export function bfloat16ToNumber(bits: number): number {
  U32[0] = (bits & 0xffff) << 16;
  return F32[0]!;
}

/**
 * Encodes a number as bfloat16 bits: `Math.fround`, then round to nearest
 * even on the float32 bits.
 *
 * @param x - any number
 * @returns the bfloat16 bit pattern; `0x7fc0 | sign` for NaN
 * @example numberToBfloat16(1) // 0x3f80
 */
export function numberToBfloat16(x: number): number {
  F32[0] = x;
  const b = U32[0]!;
  if ((b & 0x7fffffff) > 0x7f800000) return ((b >>> 16) & 0x8000) | 0x7fc0;
  return (b + 0x7fff + ((b >>> 16) & 1)) >>> 16;
}

// ---- Arrays ----------------------------------------------------------------

/**
 * Arrays shorter than this are converted in TS: below it the fixed cost of a
 * call into the addon (~130 ns with the checks) exceeds the loop's (~1.4 ns an
 * element for a table lookup or a bfloat16 shift). Same results either way.
 */
export const NATIVE_MIN_LENGTH = 96;
/** The same for number -> float16, whose TS loop is slower (~3.6 ns an element). */
export const HALF_ENCODE_NATIVE_MIN_LENGTH = 32;

type ArrayName = 'Uint16Array' | 'Float32Array' | 'Float64Array';

/** Checks the pair of a conversion (type, length, overlap); returns the length. */
function checkPair(src: ArrayBufferView, srcType: ArrayName, dst: ArrayBufferView, dstType: ArrayName): number {
  // toStringTag reads the internal slot, so it is right across realms; isView rules out look-alikes.
  if (!ArrayBuffer.isView(src) || (src as Uint16Array)[Symbol.toStringTag] !== srcType) {
    invalidType('src', `a ${srcType}`, src);
  }
  if (!ArrayBuffer.isView(dst) || (dst as Uint16Array)[Symbol.toStringTag] !== dstType) {
    invalidType('dst', `a ${dstType}`, dst);
  }
  const n = (src as Uint16Array).length;
  const m = (dst as Uint16Array).length;
  if (n !== m) {
    throw new NdshareRangeError(`Expected dst to have ${n} elements (as many as src) but received a ${dstType} of length ${m}`);
  }
  if (n !== 0 && src.buffer === dst.buffer && src.byteOffset < dst.byteOffset + dst.byteLength && dst.byteOffset < src.byteOffset + src.byteLength) {
    throw new NdshareRangeError('Expected src and dst to be separate memory but they overlap');
  }
  return n;
}

/** Float words of `dst` as raw bits, for the rare NaN the TS loops must copy bit-exactly. */
function bitsOf(dst: Float32Array): Uint32Array {
  return new Uint32Array(dst.buffer, dst.byteOffset, dst.length);
}

/**
 * float16 bits -> float32, exactly.
 *
 * @param src - float16 bit patterns
 * @param dst - receives the values; same length as `src`, separate memory
 * @throws {NdshareTypeError} `ERR_NDSHARE_INVALID_ARG_TYPE` if an argument is not the typed array named
 * @throws {NdshareRangeError} `ERR_NDSHARE_INVALID_ARG_VALUE` if the lengths differ or the arrays overlap
 * @example halfArrayToFloat32(new Uint16Array([0x3c00]), new Float32Array(1)) // dst = [1]
 */
export function halfArrayToFloat32(src: Uint16Array, dst: Float32Array): void {
  const n = checkPair(src, 'Uint16Array', dst, 'Float32Array');
  if (n >= NATIVE_MIN_LENGTH) return native.cast.halfToFloat32(src, dst);
  const table = (halfTable ??= buildHalfTable());
  for (let i = 0; i < n; i++) dst[i] = table[src[i]!]!; // i < n = both lengths; table covers 0..0xffff
}

/**
 * float16 bits -> float64, exactly.
 *
 * @throws {NdshareTypeError} `ERR_NDSHARE_INVALID_ARG_TYPE` if an argument is not the typed array named
 * @throws {NdshareRangeError} `ERR_NDSHARE_INVALID_ARG_VALUE` if the lengths differ or the arrays overlap
 * @example halfArrayToFloat64(new Uint16Array([0x3555]), new Float64Array(1)) // dst = [0.333251953125]
 */
export function halfArrayToFloat64(src: Uint16Array, dst: Float64Array): void {
  const n = checkPair(src, 'Uint16Array', dst, 'Float64Array');
  if (n >= NATIVE_MIN_LENGTH) return native.cast.halfToFloat64(src, dst);
  const table = (halfTable ??= buildHalfTable());
  for (let i = 0; i < n; i++) dst[i] = table[src[i]!]!; // i < n = both lengths; table covers 0..0xffff
}

/**
 * float32 -> float16 bits, round to nearest even (NumPy's `astype(np.float16)`).
 *
 * @throws {NdshareTypeError} `ERR_NDSHARE_INVALID_ARG_TYPE` if an argument is not the typed array named
 * @throws {NdshareRangeError} `ERR_NDSHARE_INVALID_ARG_VALUE` if the lengths differ or the arrays overlap
 * @example float32ToHalfArray(new Float32Array([1, 65520]), new Uint16Array(2)) // dst = [0x3c00, 0x7c00]
 */
export function float32ToHalfArray(src: Float32Array, dst: Uint16Array): void {
  const n = checkPair(src, 'Float32Array', dst, 'Uint16Array');
  if (n >= HALF_ENCODE_NATIVE_MIN_LENGTH) return native.cast.float32ToHalf(src, dst);
  for (let i = 0; i < n; i++) dst[i] = numberToHalf(src[i]!); // i < n = both lengths
}

/**
 * float64 -> float16 bits, rounded once, directly (NumPy's `astype(np.float16)`).
 *
 * @throws {NdshareTypeError} `ERR_NDSHARE_INVALID_ARG_TYPE` if an argument is not the typed array named
 * @throws {NdshareRangeError} `ERR_NDSHARE_INVALID_ARG_VALUE` if the lengths differ or the arrays overlap
 * @example float64ToHalfArray(new Float64Array([0.1]), new Uint16Array(1)) // dst = [0x2e66]
 */
export function float64ToHalfArray(src: Float64Array, dst: Uint16Array): void {
  const n = checkPair(src, 'Float64Array', dst, 'Uint16Array');
  if (n >= HALF_ENCODE_NATIVE_MIN_LENGTH) return native.cast.float64ToHalf(src, dst);
  for (let i = 0; i < n; i++) dst[i] = numberToHalf(src[i]!); // i < n = both lengths
}

/**
 * bfloat16 bits -> float32: exactly, a shift of the bits (NaNs unchanged).
 *
 * @throws {NdshareTypeError} `ERR_NDSHARE_INVALID_ARG_TYPE` if an argument is not the typed array named
 * @throws {NdshareRangeError} `ERR_NDSHARE_INVALID_ARG_VALUE` if the lengths differ or the arrays overlap
 * @example bfloat16ArrayToFloat32(new Uint16Array([0x3f80]), new Float32Array(1)) // dst = [1]
 */
export function bfloat16ArrayToFloat32(src: Uint16Array, dst: Float32Array): void {
  const n = checkPair(src, 'Uint16Array', dst, 'Float32Array');
  if (n >= NATIVE_MIN_LENGTH) return native.cast.bfloat16ToFloat32(src, dst);
  let bits: Uint32Array | undefined;
  for (let i = 0; i < n; i++) {
    const h = src[i]!; // i < n = both lengths
    // A NaN would be quieted on its way through a JS number: copy its bits instead.
    if ((h & 0x7fff) > 0x7f80) (bits ??= bitsOf(dst))[i] = h << 16;
    else dst[i] = bfloat16ToNumber(h);
  }
}

/**
 * bfloat16 bits -> float64, exactly.
 *
 * @throws {NdshareTypeError} `ERR_NDSHARE_INVALID_ARG_TYPE` if an argument is not the typed array named
 * @throws {NdshareRangeError} `ERR_NDSHARE_INVALID_ARG_VALUE` if the lengths differ or the arrays overlap
 * @example bfloat16ArrayToFloat64(new Uint16Array([0x3f80]), new Float64Array(1)) // dst = [1]
 */
export function bfloat16ArrayToFloat64(src: Uint16Array, dst: Float64Array): void {
  const n = checkPair(src, 'Uint16Array', dst, 'Float64Array');
  if (n >= NATIVE_MIN_LENGTH) return native.cast.bfloat16ToFloat64(src, dst);
  for (let i = 0; i < n; i++) dst[i] = bfloat16ToNumber(src[i]!); // i < n = both lengths
}

/**
 * float32 -> bfloat16 bits, round to nearest even; NaN -> `0x7fc0 | sign`.
 *
 * @throws {NdshareTypeError} `ERR_NDSHARE_INVALID_ARG_TYPE` if an argument is not the typed array named
 * @throws {NdshareRangeError} `ERR_NDSHARE_INVALID_ARG_VALUE` if the lengths differ or the arrays overlap
 * @example float32ToBfloat16Array(new Float32Array([1]), new Uint16Array(1)) // dst = [0x3f80]
 */
export function float32ToBfloat16Array(src: Float32Array, dst: Uint16Array): void {
  const n = checkPair(src, 'Float32Array', dst, 'Uint16Array');
  if (n >= NATIVE_MIN_LENGTH) return native.cast.float32ToBfloat16(src, dst);
  for (let i = 0; i < n; i++) dst[i] = numberToBfloat16(src[i]!); // i < n = both lengths
}

/**
 * float64 -> bfloat16 bits: through float32 (RNE), then RNE; NaN -> `0x7fc0 | sign`.
 *
 * @throws {NdshareTypeError} `ERR_NDSHARE_INVALID_ARG_TYPE` if an argument is not the typed array named
 * @throws {NdshareRangeError} `ERR_NDSHARE_INVALID_ARG_VALUE` if the lengths differ or the arrays overlap
 * @example float64ToBfloat16Array(new Float64Array([1]), new Uint16Array(1)) // dst = [0x3f80]
 */
export function float64ToBfloat16Array(src: Float64Array, dst: Uint16Array): void {
  const n = checkPair(src, 'Float64Array', dst, 'Uint16Array');
  if (n >= NATIVE_MIN_LENGTH) return native.cast.float64ToBfloat16(src, dst);
  for (let i = 0; i < n; i++) dst[i] = numberToBfloat16(src[i]!); // i < n = both lengths
}
