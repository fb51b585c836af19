/**
 * Small NumPy functions composed from the ufuncs: the infinity
 * predicates, fix/around, nanToNum, sinc, i0, the window functions and the
 * array-info helpers (ndim, shape, size, isfortran, isscalar).
 *
 * @module
 */
import { invalidType, invalidValue } from '../errors.js';
import { asarray } from '../ndarray/creation.js';
import { dtypeInfo } from '../ndarray/dtypes.js';
import { normalizeAxis } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { isinf, isnan, logicalAnd, logicalNot, multiply, sin, trunc, equal, divide } from './elementwise.js';
import { signbit } from './elementwise-more.js';
import { isFloat } from './promote.js';
import { round } from './selection.js';
import { where } from './selection.js';
import { toArray, type Operand, type UfuncOptions } from './ufunc.js';
import { checkOptions } from '../validate.js';

/**
 * True where x is -Inf.
 * @example nd.isneginf(nd.array([-Infinity, 1]))
 */
export function isneginf(x: Operand): NDArray {
  return logicalAnd(isinf(x), signbit(x));
}

/**
 * True where x is +Inf.
 * @example nd.isposinf(nd.array([Infinity, 1]))
 */
export function isposinf(x: Operand): NDArray {
  return logicalAnd(isinf(x), logicalNot(signbit(x)));
}

/**
 * Whether the array is Fortran-contiguous and not C-contiguous (NumPy's isfortran).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE when a is not an NDArray.
 * @example nd.isfortran(nd.zeros([2, 3]).T)
 */
export function isfortran(a: NDArray): boolean {
  if (!(a instanceof NDArray)) invalidType('a', 'an NDArray', a);
  return a.flags.fContiguous && !a.flags.cContiguous;
}

/**
 * Whether v is a scalar (number, bigint, boolean or string; arrays, 0-d too, are not).
 * @example nd.isscalar(3.1)
 */
export function isscalar(v: unknown): boolean {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || typeof v === 'string';
}

/**
 * The number of dimensions of a (0 for a scalar).
 * @example nd.ndim([[1, 2], [3, 4]]) // 2
 */
export function ndim(a: Operand): number {
  return isscalar(a) ? 0 : toArray(a, 'a').ndim;
}

/**
 * The shape of a ([] for a scalar).
 * @example nd.shape([[1, 2, 3]]) // [1, 3]
 */
export function shape(a: Operand): number[] {
  return isscalar(a) ? [] : [...toArray(a, 'a').shape];
}

/**
 * The number of elements of a, or its length along `axis`.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for an axis outside the array.
 * @example nd.size([[1, 2, 3]], 1) // 3
 */
export function size(a: Operand, axis?: number): number {
  if (isscalar(a)) return axis === undefined ? 1 : normalizeAxis(axis, 0, 'axis');
  const x = toArray(a, 'a');
  return axis === undefined ? x.size : x.shape[normalizeAxis(axis, x.ndim, 'axis')]!;
}

/**
 * Round toward zero (NumPy's fix; integers keep their dtype).
 * @example nd.fix(nd.array([-2.5, 2.5]))
 */
export function fix(x: Operand, options?: Omit<UfuncOptions, 'where'>): NDArray {
  checkOptions(options, { fn: 'nd.fix', known: ['out', 'dtype'] });
  return trunc(x, options);
}

/** NumPy's other name for {@link round}. */
export const around = round;

/** Options of {@link nanToNum}. */
export interface NanToNumOptions {
  /** The value for NaN (default 0). */
  nan?: number;
  /** The value for +Inf (default: the dtype's largest finite value). */
  posinf?: number;
  /** The value for -Inf (default: the dtype's most negative finite value). */
  neginf?: number;
}

/**
 * x with NaN, +Inf and -Inf replaced by finite numbers (integer and bool arrays are copied).
 * @example nd.nanToNum(nd.array([NaN, Infinity, -Infinity, 1]))
 */
export function nanToNum(x: Operand, options: NanToNumOptions = {}): NDArray {
  checkOptions(options, { fn: 'nd.nanToNum', known: ['nan', 'posinf', 'neginf'] });
  const a = toArray(x, 'x');
  if (!isFloat(a.dtype)) return a.copy();
  const big =
    dtypeInfo(a.dtype).name === 'float16'
      ? 65504
      : a.dtype === 'bfloat16'
        ? 3.3895313892515355e38
        : a.dtype === 'float32'
          ? 3.4028234663852886e38
          : Number.MAX_VALUE;
  const pos = options.posinf ?? big;
  const neg = options.neginf ?? -big;
  let r = where(isnan(a), options.nan ?? 0, a);
  r = where(isposinf(a), pos, r);
  r = where(isneginf(a), neg, r);
  return r.dtype === a.dtype ? r : r.astype(a.dtype);
}

/**
 * sin(pi x) / (pi x), 1 at 0 (NumPy's normalized sinc; integers compute in float64).
 * @example nd.sinc(nd.array([0, 0.5, 1]))
 */
export function sinc(x: Operand): NDArray {
  let a = toArray(x, 'x');
  const d = a.dtype;
  if (!isFloat(d)) a = a.astype('float64');
  else if (d === 'float16' || d === 'bfloat16') a = a.astype('float32'); // 1e-20 is 0 in 16 bits
  const y = multiply(Math.PI, where(equal(a, 0), 1e-20, a));
  const r = divide(sin(y), y);
  return isFloat(d) && r.dtype !== d ? r.astype(d) : r;
}

/** I0 of one value: the power series (all terms positive, so no cancellation). */
function i0Scalar(x: number): number {
  const h = (x * x) / 4;
  if (!Number.isFinite(h)) return Number.isNaN(x) ? NaN : Infinity;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 5000; k++) {
    term *= h / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * The modified Bessel function of the first kind, order 0 (float64).
 * @example nd.i0(nd.array([0, 1]))
 */
export function i0(x: Operand): NDArray {
  const a = toArray(x, 'x').astype('float64');
  const src = a.copy();
  const d = src.data as Float64Array;
  for (let i = 0; i < d.length; i++) d[i] = i0Scalar(d[i]!);
  return src;
}

function windowN(M: number): number[] {
  if (typeof M !== 'number' || !Number.isInteger(M)) invalidType('M', 'an integer', M);
  const out: number[] = [];
  for (let v = 1 - M; v < M; v += 2) out.push(v);
  return out;
}

function win(M: number, f: (n: number) => number): NDArray {
  if (M < 1) return asarray(new Float64Array(0));
  if (M === 1) return asarray(Float64Array.of(1));
  return asarray(Float64Array.from(windowN(M), f));
}

/**
 * The Bartlett (triangular) window of M points.
 * @example nd.bartlett(5)
 */
export function bartlett(M: number): NDArray {
  return win(M, (n) => (n <= 0 ? 1 + n / (M - 1) : 1 - n / (M - 1)));
}

/**
 * The Blackman window of M points.
 * @example nd.blackman(5)
 */
export function blackman(M: number): NDArray {
  return win(M, (n) => 0.42 + 0.5 * Math.cos((Math.PI * n) / (M - 1)) + 0.08 * Math.cos((2 * Math.PI * n) / (M - 1)));
}

/**
 * The Hamming window of M points.
 * @example nd.hamming(5)
 */
export function hamming(M: number): NDArray {
  return win(M, (n) => 0.54 + 0.46 * Math.cos((Math.PI * n) / (M - 1)));
}

/**
 * The Hann window of M points.
 * @example nd.hanning(5)
 */
export function hanning(M: number): NDArray {
  return win(M, (n) => 0.5 + 0.5 * Math.cos((Math.PI * n) / (M - 1)));
}

/**
 * The Kaiser window of M points with shape parameter beta.
 * @example nd.kaiser(5, 14)
 */
export function kaiser(M: number, beta: number): NDArray {
  if (typeof beta !== 'number') invalidValue('beta', 'a number', beta);
  if (M === 1) return asarray(Float64Array.of(1));
  if (M < 1) return asarray(new Float64Array(0));
  const alpha = (M - 1) / 2;
  const den = i0Scalar(beta);
  return asarray(Float64Array.from({ length: M }, (_, n) => i0Scalar(beta * Math.sqrt(1 - ((n - alpha) / alpha) ** 2)) / den));
}
