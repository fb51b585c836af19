/**
 * Type promotion as NumPy 2 does it (NEP 50), plus the bfloat16 rules of
 * ml_dtypes.
 *
 * - Arrays are "strong": their dtypes promote by NumPy's table (int8 + uint8
 *   -> int16, int64 + uint64 -> float64, int16 + float16 -> float32, ...).
 * - JS scalars are "weak" (like Python scalars under NEP 50): they take the
 *   array's dtype when their kind (bool < integer < float) is not above the
 *   array's. `int8 array + 1` stays int8 and `float32 array * 2.5` stays
 *   float32; `int8 array + 2.5` becomes float64 and `bool array + 1` int64.
 *   An integer that does not fit the dtype it would take is an error, as
 *   NumPy's OverflowError.
 * - A JS number is an integer scalar when Number.isInteger says so (JS has no
 *   separate float literal), a float scalar otherwise; a bigint is an integer
 *   scalar and a boolean a bool scalar.
 *
 * @module
 */
import { NdshareRangeError, NdshareTypeError, codes, describe } from '../errors.js';
import { complexOf, integerRange, isComplex, partDType, type Complex, type DType } from '../ndarray/dtypes.js';

/** The kind of a weak (JS) scalar. */
export type WeakKind = 'bool' | 'int' | 'float' | 'complex';

/** A JS scalar operand. */
export type ScalarOperand = number | bigint | boolean;

/** The weak kind of a JS scalar. */
export function weakKind(v: ScalarOperand | Complex): WeakKind {
  if (typeof v === 'object') return 'complex';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  return Number.isInteger(v) ? 'int' : 'float';
}

/** The dtype a JS scalar has on its own (NumPy's defaults: bool, int64, float64). */
export function defaultDType(v: ScalarOperand | Complex): DType {
  const k = weakKind(v);
  return k === 'bool' ? 'bool' : k === 'int' ? 'int64' : k === 'float' ? 'float64' : 'complex128';
}

interface IntInfo {
  signed: boolean;
  bits: number;
}

const INTS: Partial<Record<DType, IntInfo>> = {
  int8: { signed: true, bits: 8 },
  uint8: { signed: false, bits: 8 },
  int16: { signed: true, bits: 16 },
  uint16: { signed: false, bits: 16 },
  int32: { signed: true, bits: 32 },
  uint32: { signed: false, bits: 32 },
  int64: { signed: true, bits: 64 },
  uint64: { signed: false, bits: 64 },
};

const FLOATS: readonly DType[] = ['float16', 'bfloat16', 'float32', 'float64'];

/** True for float16, bfloat16, float32, float64. */
export function isFloat(d: DType): boolean {
  return FLOATS.includes(d);
}

/** True for the signed and unsigned integer dtypes (not bool). */
export function isInteger(d: DType): boolean {
  return INTS[d] !== undefined;
}

function intOf(signed: boolean, bits: number): DType | undefined {
  if (bits > 64) return undefined;
  return `${signed ? '' : 'u'}int${bits}` as DType;
}

/** Widest integer a float holds exactly, in NumPy's "safe cast" sense (bits of int that cast safely). */
function floatHoldsBits(f: DType): number {
  return f === 'float16' || f === 'bfloat16' ? 8 : f === 'float32' ? 16 : 64;
}

function promoteInts(a: IntInfo, b: IntInfo): DType {
  if (a.signed === b.signed) return intOf(a.signed, Math.max(a.bits, b.bits))!;
  const s = a.signed ? a : b;
  const u = a.signed ? b : a;
  if (u.bits < s.bits) return intOf(true, s.bits)!;
  return intOf(true, u.bits * 2) ?? 'float64';
}

function promoteFloats(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'float64' || b === 'float64') return 'float64';
  // float16 + bfloat16, or either with float32.
  return 'float32';
}

function promoteIntFloat(i: IntInfo, f: DType): DType {
  // The first float, from f upwards, that holds every value of the integer.
  const ladder: readonly DType[] =
    f === 'float16'
      ? ['float16', 'float32', 'float64']
      : f === 'bfloat16'
        ? ['bfloat16', 'float32', 'float64']
        : f === 'float32'
          ? ['float32', 'float64']
          : ['float64'];
  for (const cand of ladder) if (floatHoldsBits(cand) >= i.bits) return cand;
  return 'float64';
}

/**
 * NumPy's `promote_types` for two dtypes.
 * @example promoteTypes('int8', 'uint8') // 'int16'
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a === 'bool') return b;
  if (b === 'bool') return a;
  // Complex: the complex type whose parts hold both operands' (parts') promotion.
  if (isComplex(a) || isComplex(b)) return complexOf(promoteTypes(partDType(a), partDType(b)));
  const ia = INTS[a];
  const ib = INTS[b];
  if (ia && ib) return promoteInts(ia, ib);
  if (ia) return promoteIntFloat(ia, b);
  if (ib) return promoteIntFloat(ib, a);
  return promoteFloats(a, b);
}

/** Candidates for a common dtype, smallest first (NumPy's type order, bfloat16 after float16). */
const ORDER: readonly DType[] = [
  'bool',
  'int8',
  'uint8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'uint64',
  'float16',
  'bfloat16',
  'float32',
  'float64',
  'complex64',
  'complex128',
];

/**
 * The common dtype of several arrays: the smallest dtype every one of them
 * casts to safely. For two dtypes this is {@link promoteTypes}; for more it
 * is not a pairwise fold (int8, uint8, float16 -> float16, where folding
 * would give int16 first and then float32), as in NumPy's result_type.
 */
export function promoteAll(dtypes: readonly DType[]): DType {
  if (dtypes.length === 1) return dtypes[0]!;
  if (dtypes.length === 2) return promoteTypes(dtypes[0]!, dtypes[1]!);
  for (const cand of ORDER) if (dtypes.every((d) => canCastSafely(d, cand))) return cand;
  return 'complex128';
}

/**
 * True when every value of `from` converts to `to` exactly (NumPy's
 * `can_cast(from, to, 'safe')`).
 */
export function canCastSafely(from: DType, to: DType): boolean {
  return promoteTypes(from, to) === to;
}

/** NumPy's 'same_kind' casting: safe, or within the kind order bool < int < float (any size). */
export function canCastSameKind(from: DType, to: DType): boolean {
  if (canCastSafely(from, to)) return true;
  // Kind order bool < unsigned < signed < float: casts may go up or stay (any size), never down.
  const rank = (d: DType): number => (d === 'bool' ? 0 : INTS[d] ? (INTS[d]!.signed ? 2 : 1) : isComplex(d) ? 4 : 3);
  return rank(from) <= rank(to);
}

/** The range of an integer dtype as bigints (defined once: `integerRange`, from iinfo in ndarray/dtypes.ts). */
export function intRange(d: DType): [bigint, bigint] | undefined {
  const r = integerRange(d);
  return r === undefined ? undefined : [r[0], r[1]];
}

/** True when the integer scalar `v` fits `d` (an integer dtype). */
export function fitsInteger(v: number | bigint, d: DType): boolean {
  const r = intRange(d)!;
  const b = typeof v === 'bigint' ? v : BigInt(v);
  return b >= r[0] && b <= r[1];
}

/**
 * The dtype of an operation over arrays of `strong` dtypes and JS scalars
 * `weak` (NEP 50). With no arrays, the scalars take their default dtypes and
 * promote as arrays would.
 * @param names argument names of the weak scalars, for the overflow error.
 * @param checkFit false to skip the overflow check (comparisons handle it).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when an integer
 *   scalar does not fit the integer dtype it would take.
 */
export function resultType(strong: readonly DType[], weak: readonly (ScalarOperand | Complex)[] = [], names: readonly string[] = [], checkFit = true): DType {
  if (strong.length === 0) {
    if (weak.length === 0) throw new NdshareTypeError('resultType needs at least one operand', { code: codes.INVALID_ARG_TYPE });
    return weak.map(defaultDType).reduce(promoteTypes);
  }
  let t = promoteAll(strong);
  const kindRank = (d: DType): number => (d === 'bool' ? 0 : isFloat(d) ? 2 : isComplex(d) ? 3 : 1);
  for (const w of weak) {
    const k = weakKind(w);
    const r = k === 'bool' ? 0 : k === 'int' ? 1 : k === 'float' ? 2 : 3;
    // A complex scalar keeps a float array's precision (float32 -> complex64), as NEP 50.
    if (r > kindRank(t)) t = r === 1 ? 'int64' : r === 2 ? 'float64' : isFloat(t) ? complexOf(t) : 'complex128';
  }
  if (checkFit && isInteger(t)) {
    weak.forEach((w, i) => {
      if (weakKind(w) === 'int' && !fitsInteger(w as number | bigint, t)) {
        const [lo, hi] = intRange(t)!;
        throw new NdshareRangeError(`Expected an integer in [${lo}, ${hi}] (the range of ${t}) for ${names[i] ?? 'scalar'} but received ${describe(w)}`, {
          code: codes.INVALID_ARG_VALUE,
        });
      }
    });
  }
  return t;
}
