/**
 * Questions about dtypes, as NumPy's `can_cast`, `min_scalar_type`,
 * `isdtype` and `issubdtype`, and NumPy's abstract scalar types.
 *
 * Representation of the abstract types: dtypes are named by strings in
 * ndshare (DESIGN §3.1.9), and so are NumPy's abstract types. `nd.generic`,
 * `nd.number`, `nd.integer`, `nd.signedinteger`, `nd.unsignedinteger`,
 * `nd.inexact`, `nd.floating` and `nd.complexfloating` are the strings
 * `'generic'`, `'number'`, … ; `nd.issubdtype('int8', nd.integer)` and
 * `nd.issubdtype('int8', 'integer')` are the same call.
 *
 * The hierarchy is NumPy's (`numpy/_core/numerictypes.py`):
 *
 * ```
 * generic ─┬─ bool
 *          └─ number ─┬─ integer ─┬─ signedinteger ── int8 int16 int32 int64
 *                     │           └─ unsignedinteger ── uint8 … uint64
 *                     └─ inexact ─┬─ floating ── float16 bfloat16 float32 float64
 *                                 └─ complexfloating ── complex64 complex128
 * ```
 *
 * bfloat16 (which NumPy lacks; ml_dtypes derives it from `generic` only) is a
 * `floating` here, as every other ndshare function treats it.
 *
 * Every dtype is one row of {@link CATEGORY}; a new dtype adds one row.
 *
 * @module
 */
import { codes, describe, invalidType, invalidValue, NdshareRangeError, NdshareTypeError } from '../errors.js';
import { DTYPES, isDType, type DType } from './dtypes.js';
import { NDArray } from './ndarray.js';
import { canCastSafely, canCastSameKind } from '../math/promote.js';
import { checkOptions } from '../validate.js';

/** NumPy's abstract scalar types, by name. */
export const ABSTRACT_TYPES = ['generic', 'number', 'integer', 'signedinteger', 'unsignedinteger', 'inexact', 'floating', 'complexfloating'] as const;
/** One of NumPy's abstract scalar types. */
export type AbstractType = (typeof ABSTRACT_TYPES)[number];

/** `np.generic`: every dtype. */
export const generic = 'generic' satisfies AbstractType;
/** `np.number`: integers, floats and complex numbers (not bool). */
export const number = 'number' satisfies AbstractType;
/** `np.integer`: signed and unsigned integers. */
export const integer = 'integer' satisfies AbstractType;
/** `np.signedinteger`: int8 … int64. */
export const signedinteger = 'signedinteger' satisfies AbstractType;
/** `np.unsignedinteger`: uint8 … uint64. */
export const unsignedinteger = 'unsignedinteger' satisfies AbstractType;
/** `np.inexact`: floating and complex. */
export const inexact = 'inexact' satisfies AbstractType;
/** `np.floating`: float16, bfloat16, float32, float64. */
export const floating = 'floating' satisfies AbstractType;
/** `np.complexfloating`: complex64, complex128. */
export const complexfloating = 'complexfloating' satisfies AbstractType;

type Category = 'bool' | 'signedinteger' | 'unsignedinteger' | 'floating' | 'complexfloating';

/** The leaf category of each dtype: the one row per dtype. */
const CATEGORY: Readonly<Record<DType, Category>> = {
  bool: 'bool',
  int8: 'signedinteger',
  int16: 'signedinteger',
  int32: 'signedinteger',
  int64: 'signedinteger',
  uint8: 'unsignedinteger',
  uint16: 'unsignedinteger',
  uint32: 'unsignedinteger',
  uint64: 'unsignedinteger',
  float16: 'floating',
  bfloat16: 'floating',
  float32: 'floating',
  float64: 'floating',
  complex64: 'complexfloating',
  complex128: 'complexfloating',
};

/** The abstract types above each category (itself included). */
const ANCESTORS: Readonly<Record<Category, readonly AbstractType[]>> = {
  bool: ['generic'],
  signedinteger: ['generic', 'number', 'integer', 'signedinteger'],
  unsignedinteger: ['generic', 'number', 'integer', 'unsignedinteger'],
  floating: ['generic', 'number', 'inexact', 'floating'],
  complexfloating: ['generic', 'number', 'inexact', 'complexfloating'],
};

/** The abstract types above each abstract type (itself included). */
const ABSTRACT_ANCESTORS: Readonly<Record<AbstractType, readonly AbstractType[]>> = {
  generic: ['generic'],
  number: ['generic', 'number'],
  integer: ['generic', 'number', 'integer'],
  signedinteger: ['generic', 'number', 'integer', 'signedinteger'],
  unsignedinteger: ['generic', 'number', 'integer', 'unsignedinteger'],
  inexact: ['generic', 'number', 'inexact'],
  floating: ['generic', 'number', 'inexact', 'floating'],
  complexfloating: ['generic', 'number', 'inexact', 'complexfloating'],
};

function isAbstract(v: unknown): v is AbstractType {
  return typeof v === 'string' && (ABSTRACT_TYPES as readonly string[]).includes(v);
}

/** The category of a dtype (every dtype has one row in CATEGORY). */
function categoryOf(d: DType): Category {
  return CATEGORY[d];
}

// ---- canCast ---------------------------------------------------------------

/** NumPy's casting rules. */
export type Casting = 'no' | 'equiv' | 'safe' | 'same_kind' | 'unsafe';
const CASTINGS: readonly Casting[] = ['no', 'equiv', 'safe', 'same_kind', 'unsafe'];

/** Options of {@link canCast}. */
export interface CanCastOptions {
  /** 'no', 'equiv', 'safe' (default), 'same_kind' or 'unsafe'. */
  casting?: Casting;
}

function dtypeArg(v: unknown, arg: string): DType {
  if (v instanceof NDArray) return v.dtype;
  if (isDType(v)) return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
    // NumPy 2: "can_cast() does not support Python ints, floats, and complex because the result used to depend on the value."
    throw new NdshareTypeError(
      `Expected a dtype name or an NDArray for ${arg} but received ${describe(v)}: canCast does not take JS scalars (NumPy 2 refuses Python scalars)`,
    );
  }
  if (typeof v === 'string') invalidValue(arg, `a dtype name (${DTYPES.join(', ')})`, v, codes.DTYPE);
  return invalidType(arg, 'a dtype name or an NDArray', v);
}

/**
 * True if a cast from `from` to `to` can occur under the `casting` rule
 * (NumPy's `np.can_cast`). 'no' and 'equiv' allow only the same dtype
 * (ndshare dtypes have one byte order), 'safe' a cast that keeps every
 * value, 'same_kind' a safe one or one within a kind (float64 -> float32),
 * 'unsafe' any.
 *
 * @param from a dtype name or an NDArray (its dtype).
 * @param to a dtype name.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a JS scalar `from` (NumPy 2 refuses Python scalars) or another type.
 * @throws {NdshareRangeError} ERR_NDSHARE_DTYPE for an unknown dtype name; ERR_NDSHARE_INVALID_ARG_VALUE for an unknown `casting`.
 * @example
 * nd.canCast('int8', 'int16')                              // true
 * nd.canCast('float64', 'float32')                         // false
 * nd.canCast('float64', 'float32', { casting: 'same_kind' }) // true
 */
export function canCast(from: DType | NDArray, to: DType, options?: CanCastOptions): boolean {
  const o = checkOptions(options, { fn: 'nd.canCast', known: ['casting'] });
  const f = dtypeArg(from, 'from');
  if ((to as unknown) instanceof NDArray) invalidType('to', 'a dtype name', to);
  const t = dtypeArg(to, 'to');
  const casting = o.casting ?? 'safe';
  if (!CASTINGS.includes(casting)) invalidValue('options.casting', `one of ${CASTINGS.join(', ')}`, casting);
  switch (casting) {
    case 'no':
    case 'equiv':
      return f === t;
    case 'safe':
      return canCastSafely(f, t);
    case 'same_kind':
      return canCastSameKind(f, t);
    case 'unsafe':
      return true;
  }
}

// ---- minScalarType ----------------------------------------------------------

const UINTS: readonly [DType, bigint][] = [
  ['uint8', 255n],
  ['uint16', 65535n],
  ['uint32', 4294967295n],
  ['uint64', 18446744073709551615n],
];
const SINTS: readonly [DType, bigint][] = [
  ['int8', -128n],
  ['int16', -32768n],
  ['int32', -2147483648n],
  ['int64', -9223372036854775808n],
];

function minIntType(v: bigint): DType {
  if (v >= 0n) {
    for (const [d, hi] of UINTS) if (v <= hi) return d;
    return 'float64'; // NumPy: a Python int above uint64 gives object; ndshare has none (documented)
  }
  for (const [d, lo] of SINTS) if (v >= lo) return d;
  return 'float64';
}

function minFloatType(v: number): DType {
  // NumPy: the smallest float whose range holds |v| (NaN and Inf fit float16); precision is not considered.
  const a = Math.abs(v);
  if (!Number.isFinite(a) || a < 65000) return 'float16';
  if (a < 3.4e38) return 'float32';
  return 'float64';
}

/**
 * The smallest dtype that holds the value `a` (NumPy's `np.min_scalar_type`).
 * A scalar (a JS number, bigint or boolean, or a 0-d NDArray) gives the
 * smallest dtype of its kind whose range holds it: a non-negative integer
 * the smallest unsigned type, a negative one the smallest signed type, a
 * float the smallest float whose range holds it. An array of one or more
 * dimensions gives its own dtype.
 *
 * JS numbers: an integer-valued number is a Python int (DESIGN §3.1.9), so
 * `minScalarType(1)` is 'uint8'; use `1.5`-like values or a float 0-d array
 * for the float rule. Integer-valued numbers of magnitude 2^64 or more take
 * the float rule; bigints beyond the uint64/int64 range give float64 (NumPy
 * gives object, which ndshare lacks).
 *
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for anything else.
 * @example
 * nd.minScalarType(10)     // 'uint8'
 * nd.minScalarType(-129)   // 'int16'
 * nd.minScalarType(1e50)   // 'float64'
 * nd.minScalarType(nd.array(3.5)) // 'float16'
 */
export function minScalarType(a: NDArray | number | bigint | boolean): DType {
  if (typeof a === 'boolean') return 'bool';
  if (typeof a === 'bigint') return minIntType(a);
  // An integer-valued number beyond the 64-bit ranges is a double in JS, not an int: the float rule.
  if (typeof a === 'number') return Number.isInteger(a) && Math.abs(a) < 2 ** 64 ? minIntType(BigInt(a)) : minFloatType(a);
  if (!(a instanceof NDArray)) return invalidType('a', 'an NDArray or a JS number, bigint or boolean', a);
  if (a.ndim > 0) return a.dtype;
  const cat = categoryOf(a.dtype);
  const v = a.item();
  switch (cat) {
    case 'bool':
      return 'bool';
    case 'signedinteger':
    case 'unsignedinteger':
      return minIntType(BigInt(v as number | bigint));
    case 'floating':
      return minFloatType(v as number);
    case 'complexfloating': {
      // NumPy: complex64 when both parts are in float32's range (there is no complex32).
      const c = v as unknown as { re: number; im: number };
      const big = (x: number) => Number.isFinite(x) && Math.abs(x) >= 3.4e38;
      return big(c.re) || big(c.im) ? 'complex128' : 'complex64';
    }
  }
}

// ---- isdtype ------------------------------------------------------------------

/** The kind names of the Array API's `isdtype`. */
export const DTYPE_KINDS = ['bool', 'signed integer', 'unsigned integer', 'integral', 'real floating', 'complex floating', 'numeric'] as const;
export type DTypeKindName = (typeof DTYPE_KINDS)[number];

const KIND_MEMBERS: Readonly<Record<DTypeKindName, readonly Category[]>> = {
  bool: ['bool'],
  'signed integer': ['signedinteger'],
  'unsigned integer': ['unsignedinteger'],
  integral: ['signedinteger', 'unsignedinteger'],
  'real floating': ['floating'],
  'complex floating': ['complexfloating'],
  numeric: ['signedinteger', 'unsignedinteger', 'floating', 'complexfloating'],
};

function matchesKind(d: DType, kind: unknown, arg: string): boolean {
  if (typeof kind === 'string' && (DTYPE_KINDS as readonly string[]).includes(kind)) return KIND_MEMBERS[kind as DTypeKindName].includes(categoryOf(d));
  if (isDType(kind)) return kind === d;
  if (typeof kind === 'string') {
    throw new NdshareRangeError(
      `Expected a dtype name or one of the kinds ${DTYPE_KINDS.map((k) => `'${k}'`).join(', ')} for ${arg} but received ${describe(kind)}`,
      {
        code: codes.INVALID_ARG_VALUE,
      },
    );
  }
  return invalidType(arg, 'a dtype name, a kind name or an array of them', kind);
}

/**
 * True if `dtype` is of the kind `kind` (NumPy's and the Array API's
 * `isdtype`). `kind` is a dtype name, one of 'bool', 'signed integer',
 * 'unsigned integer', 'integral', 'real floating', 'complex floating',
 * 'numeric', or an array of those (true if any matches).
 *
 * @param dtype a dtype name (not an array, as in NumPy).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `dtype` is not a dtype name, or `kind` has the wrong type.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an unknown kind name.
 * @example
 * nd.isdtype('float32', 'real floating')            // true
 * nd.isdtype('uint8', ['signed integer', 'bool'])   // false
 */
export function isdtype(dtype: DType, kind: DType | DTypeKindName | readonly (DType | DTypeKindName)[]): boolean {
  if (!isDType(dtype)) {
    if (typeof dtype === 'string') invalidValue('dtype', `a dtype name (${DTYPES.join(', ')})`, dtype, codes.DTYPE);
    invalidType('dtype', 'a dtype name', dtype);
  }
  if (Array.isArray(kind)) {
    let any = false;
    kind.forEach((k, i) => {
      if (matchesKind(dtype, k, `kind[${i}]`)) any = true;
    });
    return any;
  }
  return matchesKind(dtype, kind, 'kind');
}

// ---- issubdtype ---------------------------------------------------------------

function typeArg(v: unknown, arg: string): DType | AbstractType {
  if (v instanceof NDArray) invalidType(arg, 'a dtype name or an abstract type name (NumPy refuses arrays)', v);
  if (isDType(v) || isAbstract(v)) return v;
  if (typeof v === 'string') invalidValue(arg, `a dtype name or an abstract type (${ABSTRACT_TYPES.join(', ')})`, v, codes.DTYPE);
  return invalidType(arg, 'a dtype name, an abstract type name or an NDArray', v);
}

/**
 * True if `arg1` is below `arg2` in NumPy's type hierarchy (NumPy's
 * `np.issubdtype`). Both are dtype names or abstract type names
 * (`nd.floating` is `'floating'`, see the module notes); pass `x.dtype` for an array. A dtype is a subtype of itself only; `issubdtype('float32',
 * 'float64')` is false.
 *
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for other argument types.
 * @throws {NdshareRangeError} ERR_NDSHARE_DTYPE for an unknown name.
 * @example
 * nd.issubdtype('int16', nd.signedinteger)   // true
 * nd.issubdtype('float32', nd.integer)       // false
 * nd.issubdtype(nd.floating, nd.inexact)     // true
 */
export function issubdtype(arg1: DType | AbstractType, arg2: DType | AbstractType): boolean {
  const a = typeArg(arg1, 'arg1');
  const b = typeArg(arg2, 'arg2');
  if (isDType(a)) return isDType(b) ? a === b : ANCESTORS[categoryOf(a)].includes(b as AbstractType);
  return isDType(b) ? false : ABSTRACT_ANCESTORS[a].includes(b);
}
