/**
 * Tolerant and exact comparison of whole arrays: `isclose`, `allclose`,
 * `arrayEqual`, `arrayEquiv` (NumPy 2's semantics).
 *
 * @module
 */
import { isNdshareError } from '../errors.js';
import { broadcastShapes } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { arrayArg, boolArg, optionsArg, type Operand } from '../sorting/common.js';
import { abs, add, equal, isfinite, isnan, lessEqual, logicalAnd, logicalOr, multiply, subtract } from './elementwise.js';
import { resultType } from './promote.js';
import { scalarArray } from './ufunc.js';
import { all } from './reduce.js';
import { checkOptions } from '../validate.js';

/** Options of {@link isclose} and {@link allclose}. */
export interface IscloseOptions {
  /** Relative tolerance (of |b|). Default 1e-5. */
  rtol?: number;
  /** Absolute tolerance. Default 1e-8. */
  atol?: number;
  /** NaN in both places counts as equal. Default false. */
  equalNan?: boolean;
}

function isScalar(v: unknown): v is number | bigint | boolean {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

/**
 * Elementwise `|a - b| <= atol + rtol * |b|` (plus exact equality, for
 * infinities), as NumPy's `np.isclose`: a bool array of the broadcast shape.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when shapes do not broadcast.
 * @example nd.isclose([1, 2], [1 + 1e-9, 2.1]).toArray() // [true, false]
 */
export function isclose(a: Operand, b: Operand, options?: IscloseOptions): NDArray {
  const o = optionsArg(options, ['rtol', 'atol', 'equalNan'], 'isclose');
  const rtol = o.rtol ?? 1e-5;
  const atol = o.atol ?? 1e-8;
  const equalNan = boolArg(o.equalNan, 'options.equalNan', false);
  const x: Operand = isScalar(a) ? a : arrayArg(a, 'a');
  let y: Operand;
  if (isScalar(b)) {
    // NumPy makes a Python int a float: a weak float, which stays float32 next
    // to float32 but is float64 next to integers (a JS integer would be read as a weak int).
    const v = Number(b);
    y = x instanceof NDArray && x.dtypeInfo.kind === 'f' ? v : scalarArray(v, 'float64');
  } else {
    const ya = arrayArg(b, 'b');
    const dt = resultType([ya.dtype], [1.5]);
    y = ya.dtype === dt ? ya : ya.astype(dt);
  }
  const yy = y;
  const close = lessEqual(abs(subtract(x, yy)), add(atol, multiply(rtol, abs(yy))));
  let r = logicalOr(logicalAnd(close, isfinite(yy)), equal(x, yy));
  if (equalNan) r = logicalOr(r, logicalAnd(isnan(x), isnan(yy)));
  return r;
}

/**
 * True when every element of `a` is close to `b` (NumPy's `np.allclose`).
 * @example nd.allclose([1, 2], [1, 2 + 1e-9]) // true
 */
export function allclose(a: Operand, b: Operand, options?: IscloseOptions): boolean {
  checkOptions(options, { fn: 'nd.allclose', known: ['rtol', 'atol', 'equalNan'] });
  return all(isclose(a, b, options)).item() as boolean;
}

/** Options of {@link arrayEqual}. */
export interface ArrayEqualOptions {
  /** NaN in both places counts as equal. Default false. */
  equalNan?: boolean;
}

/**
 * True when both have the same shape and elements (NumPy's `np.array_equal`).
 * @example nd.arrayEqual([1, NaN], [1, NaN], { equalNan: true }) // true
 */
export function arrayEqual(a1: Operand, a2: Operand, options?: ArrayEqualOptions): boolean {
  const o = optionsArg(options, ['equalNan'], 'arrayEqual');
  const equalNan = boolArg(o.equalNan, 'options.equalNan', false);
  let x: NDArray;
  let y: NDArray;
  try {
    x = arrayArg(a1, 'a1');
    y = arrayArg(a2, 'a2');
  } catch (e) {
    if (isNdshareError(e)) return false;
    throw e;
  }
  if (x.ndim !== y.ndim || x.shape.some((d, i) => d !== y.shape[i])) return false;
  let eq = equal(x, y);
  if (equalNan) eq = logicalOr(eq, logicalAnd(isnan(x), isnan(y)));
  return all(eq).item() as boolean;
}

/**
 * True when the two broadcast to one shape and are equal there (NumPy's `np.array_equiv`).
 * @example nd.arrayEquiv([1, 2], [[1, 2], [1, 2]]) // true
 */
export function arrayEquiv(a1: Operand, a2: Operand): boolean {
  let x: NDArray;
  let y: NDArray;
  try {
    x = arrayArg(a1, 'a1');
    y = arrayArg(a2, 'a2');
    broadcastShapes(x.shape, y.shape);
  } catch (e) {
    if (isNdshareError(e)) return false;
    throw e;
  }
  return all(equal(x, y)).item() as boolean;
}
