/**
 * Element conversion between dtypes with NumPy's cast results, and the
 * strided copy engine every copy/cast goes through.
 *
 * Cast rules (NumPy 2 on x86-64, which is what `astype` reproduces):
 * - float -> int truncates toward zero; integer results wrap around.
 * - NaN, ±Inf and floats whose truncation is outside the target's range are
 *   undefined behaviour in C, and NumPy's results for them depend on the CPU's
 *   SIMD path (it warns "invalid value encountered in cast"). ndshare gives
 *   fixed results: INT_MIN for int32 and int64 (what NumPy gives on x86), 0
 *   for 8- and 16-bit targets (the low bits of INT_MIN, as NumPy on x86), the
 *   value modulo 2^32 for uint32 when it fits int64 (else 0), and 2^63 for
 *   uint64 from NaN/±Inf/out of range.
 * - anything -> bool is `value != 0` (NaN is true).
 * - 64-bit ints are BigInts; float16/bfloat16 round to nearest even.
 *
 * @module
 */
import type { Complex, DType, TypedArray } from './dtypes.js';
import { dtypeInfo } from './dtypes.js';
import { halfToNumber, numberToHalf, bfloat16ToNumber, numberToBfloat16 } from './float16.js';

/** A scalar as JS code sees it. */
export type Scalar = number | bigint | boolean;

/** Converts a stored element to a number or bigint (bool as 0/1). */
export type Loader = (stored: number | bigint) => number | bigint;
/** Converts a JS scalar to the stored representation of a dtype. */
export type Storer = (value: Scalar) => number | bigint;

const TWO63 = 9223372036854775808; // 2^63 as a double (exact)
const INT64_MIN = -(2n ** 63n);
const UINT64_INDEFINITE = 2n ** 63n;

/** float -> int32: truncation; NaN/±Inf/out of range -> INT_MIN (x86 cvttsd2si). */
function floatToInt32(v: number): number {
  return v > -2147483649 && v < 2147483648 ? v | 0 : -2147483648;
}
/** float -> int8/int16/uint8/uint16: through int32, then the typed array wraps the low bits. */
function floatToSmallInt(v: number): number {
  return v > -2147483649 && v < 2147483648 ? Math.trunc(v) : -2147483648;
}
/** float -> uint32: through int64 (as compilers do), low 32 bits kept. */
function floatToUint32(v: number): number {
  return v > -TWO63 && v < TWO63 ? Math.trunc(v) : 0;
}
function floatToInt64(v: number): bigint {
  return v >= -TWO63 && v < TWO63 ? BigInt(Math.trunc(v)) : INT64_MIN;
}
function floatToUint64(v: number): bigint {
  if (v >= -TWO63 && v < TWO63) return BigInt.asUintN(64, BigInt(Math.trunc(v)));
  if (v >= TWO63 && v < 2 * TWO63) return BigInt(v);
  return UINT64_INDEFINITE;
}

function toNumber(v: Scalar): number {
  return typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : v ? 1 : 0;
}

/**
 * A bigint rounded once to float32. `Math.fround(Number(v))` rounds twice
 * (to double, then to float) and can land on the wrong float32 above 2^53;
 * folding the dropped bits into a sticky bit makes the double exact enough.
 */
function bigintToFloat32(v: bigint): number {
  if (v > -(2n ** 53n) && v < 2n ** 53n) return Math.fround(Number(v));
  const neg = v < 0n;
  const a = neg ? -v : v;
  const shift = BigInt(a.toString(2).length - 26);
  const top = a >> shift;
  const m = Number(top | (top << shift !== a ? 1n : 0n)) * 2 ** Number(shift);
  return Math.fround(neg ? -m : m);
}

/** float -> 8/16-bit ints; bigint -> its low 32 bits, wrapped further by the typed array. */
function toSmallInt(v: Scalar): number {
  return typeof v === 'number' ? floatToSmallInt(v) : typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : +v;
}

const STORERS: Record<DType, Storer> = {
  bool: (v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v !== 0 && v !== 0n ? 1 : 0),
  int8: toSmallInt,
  uint8: toSmallInt,
  int16: toSmallInt,
  uint16: toSmallInt,
  int32: (v) => (typeof v === 'number' ? floatToInt32(v) : typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : +v),
  uint32: (v) => (typeof v === 'number' ? floatToUint32(v) : typeof v === 'bigint' ? Number(BigInt.asUintN(32, v)) : +v),
  int64: (v) => (typeof v === 'number' ? floatToInt64(v) : typeof v === 'bigint' ? BigInt.asIntN(64, v) : v ? 1n : 0n),
  uint64: (v) => (typeof v === 'number' ? floatToUint64(v) : typeof v === 'bigint' ? BigInt.asUintN(64, v) : v ? 1n : 0n),
  float16: (v) => numberToHalf(toNumber(v)),
  bfloat16: (v) => numberToBfloat16(typeof v === 'bigint' ? bigintToFloat32(v) : toNumber(v)),
  float32: (v) => (typeof v === 'bigint' ? bigintToFloat32(v) : toNumber(v)),
  float64: toNumber,
  // Complex storage is handled part by part (complex.ts); these store a real part.
  complex64: (v) => (typeof v === 'bigint' ? bigintToFloat32(v) : toNumber(v)),
  complex128: toNumber,
};

const identity = (v: number | bigint): number | bigint => v;
const LOADERS: Record<DType, Loader> = {
  bool: identity,
  int8: identity,
  uint8: identity,
  int16: identity,
  uint16: identity,
  int32: identity,
  uint32: identity,
  int64: identity,
  uint64: identity,
  float16: (v) => halfToNumber(v as number),
  bfloat16: (v) => bfloat16ToNumber(v as number),
  float32: identity,
  float64: identity,
  complex64: identity,
  complex128: identity,
};

/** The function that stores a JS scalar into `dtype`'s storage. */
export function storerOf(dtype: DType): Storer {
  return STORERS[dtype];
}

/** The function that turns a stored element into a number/bigint. */
export function loaderOf(dtype: DType): Loader {
  return LOADERS[dtype];
}

/** Reads a stored element as the scalar `get()` returns (bool -> boolean). */
export function toScalar(dtype: DType, stored: number | bigint): Scalar {
  if (dtype === 'bool') return stored !== 0;
  return LOADERS[dtype](stored);
}

/** The element at position `p` (in elements) of `dtype` storage: a scalar, or `{ re, im }` for complex. */
export function elementAt(dtype: DType, data: TypedArray, p: number): Scalar | Complex {
  if (dtype === 'complex64' || dtype === 'complex128') return { re: data[2 * p] as number, im: data[2 * p + 1] as number };
  return toScalar(dtype, data[p]!);
}

/**
 * The per-element conversion from `from` storage to `to` storage, or
 * undefined when a plain typed-array assignment already gives NumPy's result
 * (so bulk `TypedArray.prototype.set` may be used).
 */
export function converterOf(from: DType, to: DType): ((v: number | bigint) => number | bigint) | undefined {
  if (from === to) return undefined;
  const f = dtypeInfo(from);
  const t = dtypeInfo(to);
  const plainFrom = !f.packed && !f.bigint;
  const plainTo = !t.packed && !t.bigint && to !== 'bool';
  // A bool byte other than 0/1 (written by a foreign library) is still true: 1.
  if (from === 'bool') return (v) => STORERS[to](v !== 0);
  if (plainFrom && plainTo) {
    // Integer (and bool) sources wrap exactly like C when a typed array stores them;
    // float sources need the x86 rules above, except into float32/float64.
    if (f.kind !== 'f' || t.kind === 'f') return undefined;
  }
  const load = LOADERS[from];
  const store = STORERS[to];
  return (v) => store(load(v));
}

/** A strided view of storage, for the copy engine. */
export interface Strided {
  data: TypedArray;
  strides: readonly number[];
  offset: number;
}

/**
 * Merges adjacent axes that are contiguous with each other in every operand
 * and drops length-1 axes, so that the inner loop runs as long as possible.
 */
export function coalesce(shape: readonly number[], stridesList: (readonly number[])[]): { shape: number[]; strides: number[][] } {
  const outShape: number[] = [];
  const outStrides: number[][] = stridesList.map(() => []);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 1) continue;
    const last = outShape.length - 1;
    if (last >= 0 && stridesList.every((s, k) => outStrides[k]![last] === s[i]! * d)) {
      outShape[last] = outShape[last]! * d;
      for (let k = 0; k < stridesList.length; k++) outStrides[k]![last] = stridesList[k]![i]!;
      continue;
    }
    outShape.push(d);
    for (let k = 0; k < stridesList.length; k++) outStrides[k]!.push(stridesList[k]![i]!);
  }
  return { shape: outShape, strides: outStrides };
}

/**
 * Copies `src` into `dst` element by element over `shape` (both strided),
 * converting with `convert` when given. Contiguous runs use bulk `set`.
 */
export function stridedCopy(dst: Strided, src: Strided, shape: readonly number[], convert?: (v: number | bigint) => number | bigint): void {
  for (const d of shape) if (d === 0) return;
  const c = coalesce(shape, [dst.strides, src.strides]);
  const dims = c.shape;
  const ds = c.strides[0]!;
  const ss = c.strides[1]!;
  const nd = dims.length;
  const d = dst.data as unknown as { [i: number]: number | bigint; set(a: ArrayLike<number | bigint>, o: number): void };
  const s = src.data as unknown as { [i: number]: number | bigint };
  if (nd === 0) {
    d[dst.offset] = convert ? convert(s[src.offset]!) : s[src.offset]!;
    return;
  }
  const n = dims[nd - 1]!;
  const dInner = ds[nd - 1]!;
  const sInner = ss[nd - 1]!;
  const bulk = !convert && dInner === 1 && sInner === 1;
  const idx = new Array<number>(nd).fill(0);
  let dOff = dst.offset;
  let sOff = src.offset;
  for (;;) {
    if (bulk) {
      d.set((src.data as Float64Array).subarray(sOff, sOff + n), dOff);
    } else if (convert) {
      for (let k = 0, di = dOff, si = sOff; k < n; k++, di += dInner, si += sInner) d[di] = convert(s[si]!);
    } else {
      for (let k = 0, di = dOff, si = sOff; k < n; k++, di += dInner, si += sInner) d[di] = s[si]!;
    }
    // Advance the outer counter (odometer over axes 0..nd-2).
    let ax = nd - 2;
    for (; ax >= 0; ax--) {
      idx[ax]!++;
      dOff += ds[ax]!;
      sOff += ss[ax]!;
      if (idx[ax]! < dims[ax]!) break;
      dOff -= ds[ax]! * dims[ax]!;
      sOff -= ss[ax]! * dims[ax]!;
      idx[ax] = 0;
    }
    if (ax < 0) return;
  }
}

/**
 * Fills a strided region with one stored value.
 */
export function stridedFill(dst: Strided, shape: readonly number[], stored: number | bigint): void {
  for (const d of shape) if (d === 0) return;
  const c = coalesce(shape, [dst.strides]);
  const dims = c.shape;
  const ds = c.strides[0]!;
  const nd = dims.length;
  const d = dst.data as unknown as { [i: number]: number | bigint; fill(v: number | bigint, a: number, b: number): void };
  if (nd === 0) {
    d[dst.offset] = stored;
    return;
  }
  const n = dims[nd - 1]!;
  const inner = ds[nd - 1]!;
  const idx = new Array<number>(nd).fill(0);
  let off = dst.offset;
  for (;;) {
    if (inner === 1) d.fill(stored, off, off + n);
    else for (let k = 0, i = off; k < n; k++, i += inner) d[i] = stored;
    let ax = nd - 2;
    for (; ax >= 0; ax--) {
      idx[ax]!++;
      off += ds[ax]!;
      if (idx[ax]! < dims[ax]!) break;
      off -= ds[ax]! * dims[ax]!;
      idx[ax] = 0;
    }
    if (ax < 0) return;
  }
}
