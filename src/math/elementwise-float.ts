/**
 * Float-only elementwise functions added by the recipe of docs/math.md
 * ("How to add a ufunc"): each is one native row (native/kernels/elementwise/
 * ops.h), one loop body (bodies.inc) and one line here. Integer inputs compute
 * in float16/float32/float64 by size, as NumPy; float16/bfloat16 in float32.
 *
 * @module
 */
import { FLOATING, binary, unary, type BinaryUfunc, type UnaryUfunc } from './ufunc.js';
import { arccos, arcsin, arctan, arctan2, power } from './elementwise.js';

/**
 * Absolute value of a float, element-wise (integers become floats, unlike {@link abs}).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.fabs(nd.array([-1.5, 2]))
 */
export const fabs: UnaryUfunc = unary({ name: 'fabs', loops: FLOATING });

/**
 * Cube root, element-wise (negative inputs give negative roots).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.cbrt(nd.array([-8, 27]))
 */
export const cbrt: UnaryUfunc = unary({ name: 'cbrt', loops: FLOATING });

/**
 * 2^x, element-wise.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.exp2(nd.array([3, 0.5]))
 */
export const exp2: UnaryUfunc = unary({ name: 'exp2', loops: FLOATING });

/**
 * Degrees to radians, element-wise (x * (pi / 180) in the compute type).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.deg2rad(nd.array([180]))
 */
export const deg2rad: UnaryUfunc = unary({ name: 'deg2rad', loops: FLOATING });

/**
 * Radians to degrees, element-wise (x * (180 / pi) in the compute type).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.rad2deg(nd.array([Math.PI]))
 */
export const rad2deg: UnaryUfunc = unary({ name: 'rad2deg', loops: FLOATING });

/** NumPy's other name for {@link deg2rad}. */
export const radians: UnaryUfunc = deg2rad;
/** NumPy's other name for {@link rad2deg}. */
export const degrees: UnaryUfunc = rad2deg;

/**
 * sqrt(x1² + x2²) without intermediate overflow, element-wise.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.hypot(nd.array([3]), 4)
 */
export const hypot: BinaryUfunc = binary({ name: 'hypot', loops: FLOATING });

/**
 * The magnitude of x1 with the sign of x2 (also of -0 and NaN), element-wise.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.copysign(nd.array([1, 2]), -0)
 */
export const copysign: BinaryUfunc = binary({ name: 'copysign', loops: FLOATING });

/**
 * log(exp(x1) + exp(x2)) without overflow, element-wise.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.logaddexp(nd.array([1000]), 1000)
 */
export const logaddexp: BinaryUfunc = binary({ name: 'logaddexp', loops: FLOATING });

/**
 * log2(2^x1 + 2^x2) without overflow, element-wise.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.logaddexp2(nd.array([3]), 3)
 */
export const logaddexp2: BinaryUfunc = binary({ name: 'logaddexp2', loops: FLOATING });

// ---- Array API names (the same functions) -----------------------------------

/** Array API name of {@link arccos}. */
export const acos: UnaryUfunc = arccos;
/** Array API name of {@link arcsin}. */
export const asin: UnaryUfunc = arcsin;
/** Array API name of {@link arctan}. */
export const atan: UnaryUfunc = arctan;
/** Array API name of {@link arctan2}. */
export const atan2: BinaryUfunc = arctan2;
/** Array API name of {@link power}. */
export const pow: BinaryUfunc = power;
