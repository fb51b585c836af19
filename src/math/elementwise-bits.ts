/**
 * Bitwise and integer-only ufuncs (NumPy's `bitwise_*`, `invert`, shifts,
 * `gcd`, `lcm`): one native row each (native/kernels/elementwise/ops.h), the
 * recipe of docs/math.md. Float inputs are refused (ERR_NDSHARE_DTYPE), as
 * NumPy raises TypeError.
 *
 * @module
 */
import { NdshareTypeError, codes } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import { ALL, binary, unary, type BinaryUfunc, type UnaryUfunc } from './ufunc.js';

/** bool and the integer dtypes, NumPy's loop order. */
const INTEGER_BOOL = ALL.slice(0, 9);
/** The integer dtypes. */
const INTEGER = ALL.slice(1, 9);

/** NumPy has no bool loop for gcd/lcm (and does not cast bool to int8 for them). */
function noBool(name: string): (t: DType) => DType | undefined {
  return (t) => {
    if (t === 'bool') throw new NdshareTypeError(`${name} does not support bool arrays`, { code: codes.DTYPE });
    return undefined;
  };
}

/**
 * x1 AND x2, bit by bit (bool: logical AND).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for float inputs.
 * @example nd.bitwiseAnd(nd.array([12], 'uint8'), 10)
 */
export const bitwiseAnd: BinaryUfunc = binary({ name: 'bitwiseAnd', loops: INTEGER_BOOL });

/**
 * x1 OR x2, bit by bit (bool: logical OR).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for float inputs.
 * @example nd.bitwiseOr(nd.array([12], 'uint8'), 10)
 */
export const bitwiseOr: BinaryUfunc = binary({ name: 'bitwiseOr', loops: INTEGER_BOOL });

/**
 * x1 XOR x2, bit by bit (bool: logical XOR).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for float inputs.
 * @example nd.bitwiseXor(nd.array([12], 'uint8'), 10)
 */
export const bitwiseXor: BinaryUfunc = binary({ name: 'bitwiseXor', loops: INTEGER_BOOL });

/**
 * NOT x, bit by bit (two's complement; bool: logical NOT).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for float inputs.
 * @example nd.invert(nd.array([0, 255], 'uint8'))
 */
export const invert: UnaryUfunc = unary({ name: 'invert', loops: INTEGER_BOOL });

/**
 * x1 << x2 (a shift count outside [0, bits) gives 0, as NumPy).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for float inputs (and int64 with uint64, which promotes to float64).
 * @example nd.leftShift(nd.array([1, 3]), 2)
 */
export const leftShift: BinaryUfunc = binary({ name: 'leftShift', loops: INTEGER });

/**
 * x1 >> x2, arithmetic for signed dtypes (a shift count outside [0, bits) gives 0, or -1 for a negative x1).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for float inputs.
 * @example nd.rightShift(nd.array([-8, 8]), 2)
 */
export const rightShift: BinaryUfunc = binary({ name: 'rightShift', loops: INTEGER });

/**
 * Greatest common divisor of |x1| and |x2| (gcd(0, 0) = 0).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for float or bool inputs.
 * @example nd.gcd(nd.array([12, 20]), 8)
 */
export const gcd: BinaryUfunc = binary({ name: 'gcd', loops: INTEGER, resolve: noBool('gcd') });

/**
 * Least common multiple of |x1| and |x2| (0 when either is 0; wraps on overflow, as NumPy).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for float or bool inputs.
 * @example nd.lcm(nd.array([4, 6]), 10)
 */
export const lcm: BinaryUfunc = binary({ name: 'lcm', loops: INTEGER, resolve: noBool('lcm') });

/** NumPy's other name for {@link invert}. */
export const bitwiseNot: UnaryUfunc = invert;
/** Array API name of {@link invert}. */
export const bitwiseInvert: UnaryUfunc = invert;
/** Array API name of {@link leftShift}. */
export const bitwiseLeftShift: BinaryUfunc = leftShift;
/** Array API name of {@link rightShift}. */
export const bitwiseRightShift: BinaryUfunc = rightShift;
