/**
 * Elementwise math with NumPy's names and semantics: broadcasting, NumPy 2
 * type promotion (JS scalars are weak, NEP 50), `{out, dtype}`. Each function
 * is one native kernel call (see ufunc.ts); float16/bfloat16 compute in
 * float32 and round back.
 *
 * @module
 */
import { NdshareTypeError, codes } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import { isInteger } from './promote.js';
import { ALL, FLOATING, NUMERIC, binary, unary, type BinaryUfunc, type UnaryUfunc } from './ufunc.js';

function noLoop(name: string, t: DType): never {
  throw new NdshareTypeError(`${name} does not support dtype ${t}`, { code: codes.DTYPE });
}

/** NumPy refuses arithmetic negation and subtraction of booleans. */
function boolRefused(name: string, instead: string): (t: DType) => DType | undefined {
  return (t) => {
    if (t === 'bool') {
      throw new NdshareTypeError(`${name} does not support bool arrays; use ${instead} instead`, { code: codes.DTYPE });
    }
    return undefined;
  };
}

// ---- unary ----------------------------------------------------------------

/**
 * Numerical negative, element-wise (integers wrap around; bool is refused as in NumPy).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.negative(nd.array([1, -2]))
 */
export const negative: UnaryUfunc = unary({
  name: 'negative',
  loops: NUMERIC,
  resolve: boolRefused('negative', 'the logicalNot function'),
});

/**
 * Absolute value, element-wise (the integer minimum stays itself, as in NumPy).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.abs(nd.array([-1.5, 2]))
 */
export const abs: UnaryUfunc = unary({ name: 'abs', loops: ALL });

/**
 * -1, 0 or 1 by the sign of each element (NaN stays NaN).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.sign(nd.array([-3, 0, 2]))
 */
export const sign: UnaryUfunc = unary({ name: 'sign', loops: NUMERIC, resolve: (t) => (t === 'bool' ? noLoop('sign', t) : undefined) });

/**
 * Square root, element-wise (integers compute in float16/float32/float64 by size, as NumPy).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.sqrt(nd.array([4, 9]))
 */
export const sqrt: UnaryUfunc = unary({ name: 'sqrt', loops: FLOATING });

/**
 * x * x, element-wise.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.square(nd.array([2, 3]))
 */
export const square: UnaryUfunc = unary({ name: 'square', loops: NUMERIC });

/**
 * e^x, element-wise.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.exp(nd.zeros([3]))
 */
export const exp: UnaryUfunc = unary({ name: 'exp', loops: FLOATING });

/**
 * e^x - 1, accurate for small x.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.expm1(nd.array([1e-10]))
 */
export const expm1: UnaryUfunc = unary({ name: 'expm1', loops: FLOATING });

/**
 * Natural logarithm (log(0) = -Inf, log(x < 0) = NaN).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.log(nd.array([1, Math.E]))
 */
export const log: UnaryUfunc = unary({ name: 'log', loops: FLOATING });

/**
 * log(1 + x), accurate for small x.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.log1p(nd.array([1e-10]))
 */
export const log1p: UnaryUfunc = unary({ name: 'log1p', loops: FLOATING });

/**
 * Base-2 logarithm.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.log2(nd.array([8]))
 */
export const log2: UnaryUfunc = unary({ name: 'log2', loops: FLOATING });

/**
 * Base-10 logarithm.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.log10(nd.array([1000]))
 */
export const log10: UnaryUfunc = unary({ name: 'log10', loops: FLOATING });

/**
 * Sine (radians).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.sin(nd.array([0, Math.PI / 2]))
 */
export const sin: UnaryUfunc = unary({ name: 'sin', loops: FLOATING });

/**
 * Cosine (radians).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.cos(nd.array([0]))
 */
export const cos: UnaryUfunc = unary({ name: 'cos', loops: FLOATING });

/**
 * Tangent (radians).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.tan(nd.array([0]))
 */
export const tan: UnaryUfunc = unary({ name: 'tan', loops: FLOATING });

/**
 * Inverse sine.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.arcsin(nd.array([1]))
 */
export const arcsin: UnaryUfunc = unary({ name: 'arcsin', loops: FLOATING });

/**
 * Inverse cosine.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.arccos(nd.array([1]))
 */
export const arccos: UnaryUfunc = unary({ name: 'arccos', loops: FLOATING });

/**
 * Inverse tangent.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.arctan(nd.array([1]))
 */
export const arctan: UnaryUfunc = unary({ name: 'arctan', loops: FLOATING });

/**
 * Hyperbolic sine.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.sinh(nd.array([1]))
 */
export const sinh: UnaryUfunc = unary({ name: 'sinh', loops: FLOATING });

/**
 * Hyperbolic cosine.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.cosh(nd.array([1]))
 */
export const cosh: UnaryUfunc = unary({ name: 'cosh', loops: FLOATING });

/**
 * Hyperbolic tangent.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.tanh(nd.array([1]))
 */
export const tanh: UnaryUfunc = unary({ name: 'tanh', loops: FLOATING });

/**
 * Largest integer <= x (integer and bool arrays keep their dtype).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.floor(nd.array([-1.5, 1.5]))
 */
export const floor: UnaryUfunc = unary({ name: 'floor', loops: ALL });

/**
 * Smallest integer >= x (integer and bool arrays keep their dtype).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.ceil(nd.array([-1.5, 1.5]))
 */
export const ceil: UnaryUfunc = unary({ name: 'ceil', loops: ALL });

/**
 * x rounded toward zero (integer and bool arrays keep their dtype).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.trunc(nd.array([-1.5, 1.5]))
 */
export const trunc: UnaryUfunc = unary({ name: 'trunc', loops: ALL });

/**
 * x rounded to the nearest integer, ties to even.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.rint(nd.array([0.5, 1.5]))
 */
export const rint: UnaryUfunc = unary({ name: 'rint', loops: FLOATING });

/**
 * NOT x (nonzero is true), as bool.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.logicalNot(nd.array([0, 2]))
 */
export const logicalNot: UnaryUfunc = unary({ name: 'logicalNot', loops: ALL, bool: true });

/**
 * True where x is NaN.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.isnan(nd.array([NaN, 1]))
 */
export const isnan: UnaryUfunc = unary({ name: 'isnan', loops: ALL, bool: true });

/**
 * True where x is +Inf or -Inf.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.isinf(nd.array([Infinity, 1]))
 */
export const isinf: UnaryUfunc = unary({ name: 'isinf', loops: ALL, bool: true });

/**
 * True where x is neither NaN nor infinite.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.isfinite(nd.array([NaN, 1]))
 */
export const isfinite: UnaryUfunc = unary({ name: 'isfinite', loops: ALL, bool: true });

// ---- binary ---------------------------------------------------------------

/**
 * x1 + x2, element-wise with broadcasting (bool: OR; integers wrap around).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.add(nd.arange(3), 1)
 */
export const add: BinaryUfunc = binary({ name: 'add', loops: ALL });

/**
 * x1 - x2, element-wise with broadcasting (bool is refused as in NumPy).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.subtract(nd.arange(3), 1)
 */
export const subtract: BinaryUfunc = binary({
  name: 'subtract',
  loops: NUMERIC,
  resolve: boolRefused('subtract', 'the logicalXor function'),
});

/**
 * x1 * x2, element-wise with broadcasting (bool: AND).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.multiply(nd.arange(3), 2.5)
 */
export const multiply: BinaryUfunc = binary({ name: 'multiply', loops: ALL });

/**
 * x1 / x2 (true division: integers give float64; x / 0 gives ±Inf or NaN).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.divide(nd.arange(3), 2)
 */
export const divide: BinaryUfunc = binary({
  name: 'divide',
  loops: FLOATING,
  resolve: (t) => (t === 'bool' || isInteger(t) ? 'float64' : undefined),
});

/**
 * floor(x1 / x2), as Python's // (integer x // 0 gives 0).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.floorDivide(nd.array([-7, 7]), 2)
 */
export const floorDivide: BinaryUfunc = binary({ name: 'floorDivide', loops: NUMERIC });

/**
 * Remainder with the sign of the divisor, as Python's % (integer x % 0 gives 0).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.mod(nd.array([-7, 7]), 3)
 */
export const mod: BinaryUfunc = binary({ name: 'mod', loops: NUMERIC });

/**
 * x1 ** x2 (integers to negative integer powers throw, as in NumPy).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.power(nd.arange(4), 2)
 */
export const power: BinaryUfunc = binary({ name: 'power', loops: NUMERIC });

/**
 * Element-wise maximum; NaN propagates.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.maximum(nd.array([1, NaN]), 0)
 */
export const maximum: BinaryUfunc = binary({ name: 'maximum', loops: ALL });

/**
 * Element-wise minimum; NaN propagates.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.minimum(nd.array([1, NaN]), 0)
 */
export const minimum: BinaryUfunc = binary({ name: 'minimum', loops: ALL });

/**
 * Angle of the point (x2, x1), in (-pi, pi].
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.arctan2(nd.array([1]), nd.array([-1]))
 */
export const arctan2: BinaryUfunc = binary({ name: 'arctan2', loops: FLOATING });

/**
 * x1 == x2, as bool.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.equal(nd.arange(3), 1)
 */
export const equal: BinaryUfunc = binary({ name: 'equal', loops: ALL, bool: true, comparison: true });

/**
 * x1 != x2, as bool.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.notEqual(nd.arange(3), 1)
 */
export const notEqual: BinaryUfunc = binary({ name: 'notEqual', loops: ALL, bool: true, comparison: true });

/**
 * x1 < x2, as bool.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.less(nd.arange(3), 1)
 */
export const less: BinaryUfunc = binary({ name: 'less', loops: ALL, bool: true, comparison: true });

/**
 * x1 <= x2, as bool.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.lessEqual(nd.arange(3), 1)
 */
export const lessEqual: BinaryUfunc = binary({ name: 'lessEqual', loops: ALL, bool: true, comparison: true });

/**
 * x1 > x2, as bool.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.greater(nd.arange(3), 1)
 */
export const greater: BinaryUfunc = binary({ name: 'greater', loops: ALL, bool: true, comparison: true });

/**
 * x1 >= x2, as bool.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.greaterEqual(nd.arange(3), 1)
 */
export const greaterEqual: BinaryUfunc = binary({ name: 'greaterEqual', loops: ALL, bool: true, comparison: true });

/**
 * x1 AND x2 (nonzero is true), as bool.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.logicalAnd(nd.array([0, 1]), 1)
 */
export const logicalAnd: BinaryUfunc = binary({ name: 'logicalAnd', loops: ALL, bool: true, logical: true });

/**
 * x1 OR x2 (nonzero is true), as bool.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.logicalOr(nd.array([0, 1]), 0)
 */
export const logicalOr: BinaryUfunc = binary({ name: 'logicalOr', loops: ALL, bool: true, logical: true });

/**
 * x1 XOR x2 (nonzero is true), as bool.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support.
 * @example nd.logicalXor(nd.array([0, 1]), 1)
 */
export const logicalXor: BinaryUfunc = binary({ name: 'logicalXor', loops: ALL, bool: true, logical: true });
