/**
 * Numerical derivatives and integrals with NumPy 2's semantics:
 * `gradient` (second-order central differences inside, first- or
 * second-order one-sided at the edges, uniform or coordinate spacing) and
 * `trapezoid` (the composite trapezoidal rule).
 *
 * @module
 */
import { NdshareTypeError, codes, invalidType } from '../errors.js';
import { normalizeAxis } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { arrayArg, intArg, optionsArg, valueError, type Operand } from '../sorting/common.js';
import { diff } from './differences.js';
import { add, divide, equal, multiply, negative, subtract } from './elementwise.js';
import { isFloat, isInteger } from './promote.js';
import { all, sum } from './reduce.js';
import { emptyArray } from './ufunc.js';

/** Options of {@link gradient}. */
export interface GradientOptions {
  /** Axis or axes to differentiate along (default: every axis). */
  axis?: number | readonly number[] | null;
  /** Order of the one-sided differences at the boundaries: 1 (default) or 2. */
  edgeOrder?: number;
}

/** A spacing: a JS number (a weak scalar, as a Python float), a 0-d array, or the 1-D coordinates along the axis. */
type Spacing = number | NDArray;

/** `x[..., s, ...]` with `s` on `axis` (a slice string or an index). */
function along(x: NDArray, axis: number, s: string | number): NDArray {
  const idx: (string | number)[] = new Array<string | number>(x.ndim).fill(':');
  idx[axis] = s;
  return x.slice(...idx);
}

function isOptions(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !(v instanceof NDArray) && !Array.isArray(v) && !ArrayBuffer.isView(v);
}

/** An n-d coefficient array along `axis` (1-D values reshaped to broadcast against f's slices). */
function alongAxis(c: NDArray, ndim: number, axis: number): NDArray {
  return c.reshape(Array.from({ length: ndim }, (_, i) => (i === axis ? c.size : 1)));
}

/**
 * The gradient of an N-d array (NumPy's `np.gradient`): central differences
 * inside, one-sided differences of order `edgeOrder` at the boundaries. The
 * spacing arguments follow `f`: none (unit spacing), one scalar for every
 * axis, or one per axis (a scalar, or the 1-D coordinates along it); an
 * options object may come last. Integer input is differentiated in float64.
 * Returns one array for one axis, else a JS array of one per axis.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for edgeOrder other than 1 or 2, an axis
 *   shorter than edgeOrder + 1, repeated axes, coordinates that are not 1-D or not of the axis' length.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a number of spacings that matches neither
 *   1 nor the number of axes; ERR_NDSHARE_DTYPE for bool input (NumPy cannot subtract booleans).
 * @example nd.gradient([1, 2, 4, 7, 11]).toArray() // [1, 1.5, 2.5, 3.5, 4]
 */
export function gradient(f: Operand, ...rest: (Spacing | Operand | GradientOptions)[]): NDArray | NDArray[] {
  let options: GradientOptions | undefined;
  if (rest.length > 0 && isOptions(rest[rest.length - 1])) options = rest.pop() as GradientOptions;
  const o = optionsArg(options, ['axis', 'edgeOrder'], 'gradient');
  let x = arrayArg(f, 'f');
  const N = x.ndim;
  let axes: number[];
  if (o.axis === undefined || o.axis === null) axes = Array.from({ length: N }, (_, i) => i);
  else {
    const list = typeof o.axis === 'number' ? [o.axis] : [...o.axis];
    axes = list.map((a, i) => normalizeAxis(a, N, typeof o.axis === 'number' ? 'options.axis' : `options.axis[${i}]`));
    if (new Set(axes).size !== axes.length) valueError('repeated axis in options.axis');
  }
  const edgeOrder = o.edgeOrder === undefined ? 1 : intArg(o.edgeOrder, 'options.edgeOrder');
  const spacing = rest.map((v, i) => (typeof v === 'number' ? v : arrayArg(v, `varargs[${i}]`)));
  let dx: Spacing[];
  if (spacing.length === 0) dx = axes.map(() => 1);
  else if (spacing.length === 1 && (typeof spacing[0] === 'number' || spacing[0]!.ndim === 0)) dx = axes.map(() => spacing[0]!);
  else if (spacing.length === axes.length) {
    dx = spacing.map((d, i) => {
      if (typeof d === 'number' || d.ndim === 0) return d;
      if (d.ndim !== 1) valueError(`distances must be either scalars or 1d (varargs[${i}] has ${d.ndim} dimensions)`);
      if (d.shape[0] !== x.shape[axes[i]!]) {
        valueError(`when 1d, distances must match the length of the corresponding dimension (varargs[${i}]: ${d.shape[0]} for ${x.shape[axes[i]!]})`);
      }
      const c = isInteger(d.dtype) ? d.astype('float64') : d;
      const dd = diff(c);
      // Uniform coordinates become one spacing: a 0-d array (a NumPy scalar, strong in promotion).
      if (dd.size > 0 && all(equal(dd, dd.slice(0))).item() === true) return dd.slice(0);
      return dd;
    });
  } else {
    throw new NdshareTypeError(`gradient: invalid number of spacing arguments: ${spacing.length} for ${axes.length} axes`, {
      code: codes.INVALID_ARG_TYPE,
    });
  }
  if (edgeOrder > 2) valueError("'edge_order' greater than 2 not supported (options.edgeOrder)");
  if (edgeOrder < 1) valueError(`options.edgeOrder must be 1 or 2, got ${edgeOrder}`);
  if (isInteger(x.dtype)) x = x.astype('float64');
  const otype = x.dtype;
  const outs: NDArray[] = [];
  axes.forEach((axis, k) => {
    const len = x.shape[axis]!;
    if (len < edgeOrder + 1) {
      valueError('Shape of array too small to calculate a numerical gradient, at least (edge_order + 1) elements are required.');
    }
    const h = dx[k]!;
    const out = emptyArray(otype, x.shape);
    const uniform = typeof h === 'number' || h.ndim === 0;
    const put = (s: string | number, v: NDArray): void => {
      along(out, axis, s).assign(v.dtype === otype ? v : v.astype(otype));
    };
    const at = (i: number): NDArray => (typeof h === 'number' ? (undefined as never) : h.slice(i));
    // Interior.
    if (uniform) {
      put('1:-1', divide(subtract(along(x, axis, '2:'), along(x, axis, ':-2')), typeof h === 'number' ? 2 * h : multiply(2, h)));
    } else {
      const dx1 = h.slice(':-1');
      const dx2 = h.slice('1:');
      const a = alongAxis(divide(negative(dx2), multiply(dx1, add(dx1, dx2))), N, axis);
      const b = alongAxis(divide(subtract(dx2, dx1), multiply(dx1, dx2)), N, axis);
      const c = alongAxis(divide(dx1, multiply(dx2, add(dx1, dx2))), N, axis);
      put('1:-1', add(add(multiply(a, along(x, axis, ':-2')), multiply(b, along(x, axis, '1:-1'))), multiply(c, along(x, axis, '2:'))));
    }
    const f0 = along(x, axis, 0);
    const f1 = along(x, axis, 1);
    const fl = along(x, axis, -1);
    const fl2 = along(x, axis, -2);
    if (edgeOrder === 1) {
      put(0, divide(subtract(f1, f0), uniform ? h : at(0)));
      put(-1, divide(subtract(fl, fl2), uniform ? h : at(-1)));
    } else {
      const f2 = along(x, axis, 2);
      const fl3 = along(x, axis, -3);
      const comb = (a: number | NDArray, b: number | NDArray, c: number | NDArray, p: NDArray, q: NDArray, r: NDArray): NDArray =>
        add(add(multiply(a, p), multiply(b, q)), multiply(c, r));
      if (typeof h === 'number') {
        put(0, comb(-1.5 / h, 2 / h, -0.5 / h, f0, f1, f2));
        put(-1, comb(0.5 / h, -2 / h, 1.5 / h, fl3, fl2, fl));
      } else if (uniform) {
        put(0, comb(divide(-1.5, h), divide(2, h), divide(-0.5, h), f0, f1, f2));
        put(-1, comb(divide(0.5, h), divide(-2, h), divide(1.5, h), fl3, fl2, fl));
      } else {
        let d1 = at(0);
        let d2 = at(1);
        let s = add(d1, d2);
        put(
          0,
          comb(divide(negative(add(multiply(2, d1), d2)), multiply(d1, s)), divide(s, multiply(d1, d2)), divide(negative(d1), multiply(d2, s)), f0, f1, f2),
        );
        d1 = at(-2);
        d2 = at(-1);
        s = add(d1, d2);
        put(
          -1,
          comb(divide(d2, multiply(d1, s)), divide(negative(add(d2, d1)), multiply(d1, d2)), divide(add(multiply(2, d2), d1), multiply(d2, s)), fl3, fl2, fl),
        );
      }
    }
    outs.push(out);
  });
  return axes.length === 1 ? outs[0]! : outs;
}

/** Options of {@link trapezoid}. */
export interface TrapezoidOptions {
  /** Sample points (1-D along axis, or the shape of y); default: spacing dx. */
  x?: Operand | null;
  /** Spacing between samples when x is not given (default 1). */
  dx?: number | NDArray;
  /** Axis to integrate along (default -1). */
  axis?: number;
}

/**
 * The integral of `y` along `axis` by the composite trapezoidal rule (NumPy's
 * `np.trapezoid`): `sum(d * (y[1:] + y[:-1]) / 2)` with d the differences of
 * `x`, or `dx`.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for an axis outside y (a 0-d y has none).
 * @example nd.trapezoid([1, 2, 3]).item() // 4
 */
export function trapezoid(y: Operand, options?: TrapezoidOptions): NDArray {
  const o = optionsArg(options, ['x', 'dx', 'axis'], 'trapezoid');
  const Y = arrayArg(y, 'y');
  const axis = normalizeAxis(o.axis === undefined ? -1 : intArg(o.axis, 'options.axis'), Y.ndim, 'options.axis');
  let d: number | NDArray;
  if (o.x === undefined || o.x === null) {
    const dx = o.dx ?? 1;
    if (typeof dx !== 'number' && !(dx instanceof NDArray)) invalidType('options.dx', 'a number or an NDArray', dx);
    // A JS number is a Python float (NumPy's default dx=1.0).
    d = dx;
  } else {
    const X = arrayArg(o.x, 'options.x');
    if (X.ndim === 1) {
      const dd = diff(X);
      d = dd.reshape(Array.from({ length: Y.ndim }, (_, i) => (i === axis ? dd.size : 1)));
    } else d = diff(X, { axis });
  }
  const s = add(along(Y, axis, '1:'), along(Y, axis, ':-1'));
  // A JS number is a Python float here: integer and bool sums go to float64 first (int * 1.0 is float64 in NumPy).
  const term = divide(typeof d === 'number' ? multiply(isFloat(s.dtype) ? s : s.astype('float64'), d) : multiply(d, s), 2);
  return sum(term, { axis });
}
