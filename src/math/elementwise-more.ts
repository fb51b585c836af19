/**
 * More ufuncs with NumPy's names (fmod, fmax/fmin, heaviside, nextafter,
 * spacing, the inverse hyperbolics, positive/conjugate/reciprocal, signbit):
 * one native row each (docs/math.md "How to add a ufunc"); divmod and modf
 * (two results, a JS array) and floatPower compose existing kernels; the rest
 * are NumPy's aliases.
 *
 * @module
 */
import { NdshareTypeError, codes } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { abs, divide, floorDivide, isinf, mod } from './elementwise.js';
import { copysign } from './elementwise-float.js';
import { where } from './selection.js';
import { ALL, FLOATING, NUMERIC, binary, unary, type BinaryUfunc, type Operand, type UnaryUfunc, type UfuncOptions } from './ufunc.js';
import { checkOptions } from '../validate.js';

/** nextafter/spacing depend on the float format: no float32 compute for 16-bit floats (NumPy's float16 loop for small integers). */
function noHalf(name: string): (t: DType) => DType | undefined {
  return (t) => {
    if (t === 'float16' || t === 'bfloat16' || t === 'bool' || t === 'int8' || t === 'uint8') {
      throw new NdshareTypeError(`${name} does not support dtype ${t} (16-bit float results are not implemented)`, { code: codes.DTYPE });
    }
    return undefined;
  };
}

/**
 * C's fmod: the remainder with the sign of x1 (integer x % 0 gives 0).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.fmod(nd.array([-7, 7]), 3)
 */
export const fmod: BinaryUfunc = binary({ name: 'fmod', loops: NUMERIC });

/**
 * Element-wise maximum ignoring NaN (NaN only where both are NaN).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.fmax(nd.array([1, NaN]), 0)
 */
export const fmax: BinaryUfunc = binary({ name: 'fmax', loops: ALL });

/**
 * Element-wise minimum ignoring NaN (NaN only where both are NaN).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.fmin(nd.array([1, NaN]), 0)
 */
export const fmin: BinaryUfunc = binary({ name: 'fmin', loops: ALL });

/**
 * Heaviside step: 0 for x1 < 0, x2 for x1 == 0, 1 for x1 > 0 (NaN stays NaN).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.heaviside(nd.array([-1, 0, 2]), 0.5)
 */
export const heaviside: BinaryUfunc = binary({ name: 'heaviside', loops: FLOATING });

/**
 * The next representable float after x1 toward x2 (float32 and float64).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for float16/bfloat16 (not implemented) or other dtypes NumPy computes in float16.
 * @example nd.nextafter(nd.array([1]), 2)
 */
export const nextafter: BinaryUfunc = binary({ name: 'nextafter', loops: ['float32', 'float64'], resolve: noHalf('nextafter') });

/**
 * The distance from x to the next float away from zero (Inf and NaN give NaN; float32 and float64).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for float16/bfloat16 (not implemented) or other dtypes NumPy computes in float16.
 * @example nd.spacing(nd.array([1]))
 */
export const spacing: UnaryUfunc = unary({ name: 'spacing', loops: ['float32', 'float64'], resolve: noHalf('spacing') });

/**
 * Inverse hyperbolic sine.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.arcsinh(nd.array([1]))
 */
export const arcsinh: UnaryUfunc = unary({ name: 'arcsinh', loops: FLOATING });

/**
 * Inverse hyperbolic cosine (NaN below 1).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.arccosh(nd.array([2]))
 */
export const arccosh: UnaryUfunc = unary({ name: 'arccosh', loops: FLOATING });

/**
 * Inverse hyperbolic tangent (±Inf at ±1, NaN outside [-1, 1]).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.arctanh(nd.array([0.5]))
 */
export const arctanh: UnaryUfunc = unary({ name: 'arctanh', loops: FLOATING });

function boolRefused(name: string): (t: DType) => DType | undefined {
  return (t) => {
    if (t === 'bool') throw new NdshareTypeError(`${name} does not support bool arrays`, { code: codes.DTYPE });
    return undefined;
  };
}

/**
 * +x: a copy (bool is refused, as NumPy).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for bool.
 * @example nd.positive(nd.array([-1, 2]))
 */
export const positive: UnaryUfunc = unary({ name: 'positive', loops: NUMERIC, resolve: boolRefused('positive') });

/**
 * Complex conjugate: a copy for real arrays (bool computes in int8, as NumPy).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.conjugate(nd.array([1.5]))
 */
export const conjugate: UnaryUfunc = unary({ name: 'conjugate', loops: NUMERIC });

/**
 * 1 / x (integers: integer division, so 0 for |x| > 1; 1 / 0 gives the signed minimum or 0).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.reciprocal(nd.array([2, 0.5]))
 */
export const reciprocal: UnaryUfunc = unary({ name: 'reciprocal', loops: NUMERIC });

/**
 * True where the sign bit is set (-0 and negative NaN too).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.signbit(nd.array([-0, 1]))
 */
export const signbit: UnaryUfunc = unary({ name: 'signbit', loops: FLOATING, bool: true });

/**
 * x1 ** x2 in float64 at least (NumPy's float_power: integers never overflow to wrap).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @example nd.floatPower(nd.array([2]), -1)
 */
export const floatPower: BinaryUfunc = binary({ name: 'power', loops: ['float64'] });

/**
 * [floorDivide(x1, x2), mod(x1, x2)] (NumPy's divmod; two kernel passes).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example const [q, r] = nd.divmod(nd.array([-7, 7]), 3)
 */
export function divmod(x1: Operand, x2: Operand, options?: Pick<UfuncOptions, 'dtype'>): [NDArray, NDArray] {
  checkOptions(options, { fn: 'nd.divmod', known: ['dtype'] });
  return [floorDivide(x1, x2, options), mod(x1, x2, options)];
}

/**
 * [fractional part, integral part] of x, both with the sign of x (NumPy's modf; ±Inf gives [±0, ±Inf]).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example const [frac, whole] = nd.modf(nd.array([-2.5, 3]))
 */
export function modf(x: Operand, options?: Pick<UfuncOptions, 'dtype'>): [NDArray, NDArray] {
  checkOptions(options, { fn: 'nd.modf', known: ['dtype'] });
  const whole = unary({ name: 'trunc', loops: FLOATING })(x, options);
  const diff = binary({ name: 'subtract', loops: FLOATING })(x, whole, options);
  const frac = copysign(where(isinf(whole), 0, diff), x, { dtype: whole.dtype });
  return [frac, whole];
}

/** NumPy's other name for {@link mod}. */
export const remainder: BinaryUfunc = mod;
/** NumPy's other name for {@link divide}. */
export const trueDivide: BinaryUfunc = divide;
/** NumPy's other name for {@link abs}. */
export const absolute: UnaryUfunc = abs;
/** NumPy's short name for {@link conjugate}. */
export const conj: UnaryUfunc = conjugate;
/** Array API name of {@link arcsinh}. */
export const asinh: UnaryUfunc = arcsinh;
/** Array API name of {@link arccosh}. */
export const acosh: UnaryUfunc = arccosh;
/** Array API name of {@link arctanh}. */
export const atanh: UnaryUfunc = arctanh;
