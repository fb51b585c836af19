/**
 * NaN-ignoring reductions (NumPy's nan*), average, ptp and the amax/amin
 * aliases, composed from the native reductions: NaN is replaced by the
 * reduction's identity with one elementwise pass (integer and bool arrays
 * have no NaN and go straight to the plain reduction).
 *
 * @module
 */
import { NdshareError, NdshareRangeError, NdshareTypeError, codes, invalidType } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { divide, equal, greater, isnan, logicalNot, multiply, sqrt, subtract } from './elementwise.js';
import { normalizeAxis } from '../ndarray/layout.js';
import { isFloat, resultType } from './promote.js';
import { any, cumprod, cumsum, max, mean, min, prod, std, sum, variance, type MomentOptions, type ReductionOptions, type ScanOptions } from './reduce.js';
import { where } from './selection.js';
import { toArray, type Operand } from './ufunc.js';
import { checkOptions } from '../validate.js';

function arr(x: Operand): NDArray {
  return toArray(x, 'a');
}

/** x with NaN replaced by `fill` (no copy for non-float dtypes). */
function filled(x: NDArray, fill: number): NDArray {
  return isFloat(x.dtype) ? where(isnan(x), fill, x) : x;
}

/**
 * Sum over `axis` treating NaN as 0.
 * @example nd.nansum(nd.array([1, NaN, 2])) // 3
 */
export function nansum(a: Operand, options?: ReductionOptions): NDArray {
  return sum(filled(arr(a), 0), options);
}

/**
 * Product over `axis` treating NaN as 1.
 * @example nd.nanprod(nd.array([2, NaN, 3])) // 6
 */
export function nanprod(a: Operand, options?: ReductionOptions): NDArray {
  return prod(filled(arr(a), 1), options);
}

/**
 * Cumulative sum treating NaN as 0.
 * @example nd.nancumsum(nd.array([1, NaN, 2])) // [1, 1, 3]
 */
export function nancumsum(a: Operand, options?: ScanOptions): NDArray {
  return cumsum(filled(arr(a), 0), options);
}

/**
 * Cumulative product treating NaN as 1.
 * @example nd.nancumprod(nd.array([2, NaN, 3])) // [2, 2, 6]
 */
export function nancumprod(a: Operand, options?: ScanOptions): NDArray {
  return cumprod(filled(arr(a), 1), options);
}

/** The number of non-NaN elements over the axes, keepdims. */
function countNotNaN(x: NDArray, options: ReductionOptions): NDArray {
  return sum(logicalNot(isnan(x)), { axis: options.axis ?? null, keepdims: options.keepdims ?? false, dtype: 'int64' });
}

/**
 * Mean over `axis` ignoring NaN (an all-NaN selection gives NaN).
 * @example nd.nanmean(nd.array([1, NaN, 3])) // 2
 */
export function nanmean(a: Operand, options?: ReductionOptions): NDArray {
  const o = checkOptions(options, { fn: 'nd.nanmean', known: ['axis', 'keepdims', 'dtype'], numpyOnly: ['out', 'where'] });
  const x = arr(a);
  const acc: DType = o.dtype ?? (isFloat(x.dtype) ? (x.dtype === 'float16' || x.dtype === 'bfloat16' ? 'float32' : x.dtype) : 'float64');
  const s = sum(filled(x, 0), { axis: o.axis ?? null, keepdims: o.keepdims ?? false, dtype: acc });
  const n = countNotNaN(x, o);
  const m = divide(s, n.astype(acc));
  const result: DType = o.dtype ?? (isFloat(x.dtype) ? x.dtype : 'float64');
  return m.dtype === result ? m : m.astype(result);
}

function nanMoment(fn: string, a: Operand, options: MomentOptions | undefined, root: boolean): NDArray {
  const o = checkOptions(options, { fn, known: ['axis', 'keepdims', 'dtype', 'ddof'], numpyOnly: ['out', 'where', 'mean', 'correction'] });
  const x = arr(a);
  if (!isFloat(x.dtype)) return root ? std(x, o) : variance(x, o);
  const ddof = o.ddof ?? 0;
  if (typeof ddof !== 'number' || !Number.isFinite(ddof)) invalidType('options.ddof', 'a finite number', ddof);
  const acc: DType = o.dtype ?? (x.dtype === 'float16' || x.dtype === 'bfloat16' ? 'float32' : x.dtype);
  const m = nanmean(x, { axis: o.axis ?? null, keepdims: true, dtype: acc });
  const d = filled(subtract(x.astype(acc), m), 0);
  const ss = sum(multiply(d, d), { axis: o.axis ?? null, keepdims: o.keepdims ?? false, dtype: acc });
  const dof = subtract(countNotNaN(x, { axis: o.axis ?? null, keepdims: o.keepdims ?? false }).astype('float64'), ddof);
  // NumPy: a non-positive N - ddof gives NaN (with a warning).
  const v = divide(ss, where(greater(dof, 0), dof, NaN).astype(acc));
  const r = root ? sqrt(v) : v;
  const result: DType = o.dtype ?? x.dtype;
  return r.dtype === result ? r : r.astype(result);
}

/**
 * Variance ignoring NaN (divisor: the non-NaN count minus ddof).
 * @example nd.nanvar(nd.array([1, NaN, 3])) // 1
 */
export function nanvar(a: Operand, options?: MomentOptions): NDArray {
  return nanMoment('nd.nanvar', a, options, false);
}

/**
 * Standard deviation ignoring NaN.
 * @example nd.nanstd(nd.array([1, NaN, 3])) // 1
 */
export function nanstd(a: Operand, options?: MomentOptions): NDArray {
  return nanMoment('nd.nanstd', a, options, true);
}

function nanExtreme(fn: 'nanmin' | 'nanmax', a: Operand, options: ReductionOptions | undefined): NDArray {
  const x = arr(a);
  const plain = fn === 'nanmin' ? min : max;
  if (!isFloat(x.dtype)) return plain(x, options);
  const r = plain(filled(x, fn === 'nanmin' ? Infinity : -Infinity), options);
  // All-NaN selections give NaN (NumPy warns).
  const allNaN = sum(logicalNot(isnan(x)), { axis: options?.axis ?? null, keepdims: options?.keepdims ?? false, dtype: 'int64' });
  return where(allNaN, r, NaN).astype(r.dtype);
}

/**
 * Minimum ignoring NaN (an all-NaN selection gives NaN).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an empty selection.
 * @example nd.nanmin(nd.array([NaN, 2, 1])) // 1
 */
export function nanmin(a: Operand, options?: ReductionOptions): NDArray {
  return nanExtreme('nanmin', a, options);
}

/**
 * Maximum ignoring NaN (an all-NaN selection gives NaN).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an empty selection.
 * @example nd.nanmax(nd.array([NaN, 2, 1])) // 2
 */
export function nanmax(a: Operand, options?: ReductionOptions): NDArray {
  return nanExtreme('nanmax', a, options);
}

/** NumPy's other name for {@link max}. */
export const amax = max;
/** NumPy's other name for {@link min}. */
export const amin = min;

/**
 * Peak to peak: max - min over `axis`.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an empty selection.
 * @example nd.ptp(nd.array([4, 9, 2])) // 7
 */
export function ptp(a: Operand, options?: Omit<ReductionOptions, 'dtype'>): NDArray {
  const x = arr(a);
  if (x.dtype === 'bool') throw new NdshareTypeError('ptp does not support bool arrays (NumPy refuses the subtraction)', { code: codes.DTYPE });
  return subtract(max(x, options), min(x, options));
}

/** Options of {@link average}. */
export interface AverageOptions {
  /** Axis or axes; null or absent: all. */
  axis?: number | readonly number[] | null;
  /** The weight of each element: the shape of `a`, or 1-d along a single `axis`. */
  weights?: Operand;
  /** Also return the sum of the weights: [average, sumOfWeights]. */
  returned?: boolean;
  keepdims?: boolean;
}

/**
 * Weighted average over `axis`: sum(a·w) / sum(w) (plain mean without weights).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when weights do not match a (or the axis length).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when the weights sum to zero.
 * @example nd.average(nd.array([1, 2, 3]), { weights: [3, 1, 0] }) // 1.25
 */
export function average(a: Operand, options: AverageOptions & { returned: true }): [NDArray, NDArray];
export function average(a: Operand, options?: AverageOptions): NDArray;
export function average(a: Operand, options?: AverageOptions): NDArray | [NDArray, NDArray] {
  const o = checkOptions(options, { fn: 'nd.average', known: ['axis', 'weights', 'returned', 'keepdims'] });
  const x = arr(a);
  const axis = o.axis ?? null;
  const keepdims = o.keepdims ?? false;
  let avg: NDArray;
  let scl: NDArray;
  if (o.weights === undefined) {
    avg = mean(x, { axis, keepdims });
    scl = avg.copy().fill(x.size / Math.max(1, avg.size));
  } else {
    let w = toArray(o.weights, 'options.weights');
    if (w.ndim !== x.ndim || w.shape.some((d, i) => d !== x.shape[i])) {
      if (axis === null) throw new NdshareError('nd.average: options.axis must be given when a and options.weights differ in shape', { code: codes.BROADCAST });
      if (typeof axis !== 'number') throw new NdshareError('nd.average: weights of another shape need one axis (options.axis)', { code: codes.BROADCAST });
      const ax = normalizeAxis(axis, x.ndim, 'options.axis');
      if (w.ndim !== 1) throw new NdshareError('nd.average: 1-d options.weights expected when a and weights differ in shape', { code: codes.BROADCAST });
      if (w.shape[0] !== x.shape[ax])
        throw new NdshareError(`nd.average: options.weights has length ${w.shape[0]}, the axis ${x.shape[ax]}`, { code: codes.BROADCAST });
      w = w.reshape(x.shape.map((d, i) => (i === ax ? d : 1)));
    }
    const rt: DType = isFloat(x.dtype) ? resultType([x.dtype, w.dtype], [], []) : resultType([x.dtype, w.dtype, 'float64'], [], []);
    scl = sum(w.broadcastTo(x.shape), { axis, keepdims, dtype: rt });
    if (any(equal(scl, 0)).item() === true) {
      throw new NdshareRangeError('nd.average: options.weights sum to zero, cannot normalize', { code: codes.INVALID_ARG_VALUE });
    }
    avg = divide(sum(multiply(x, w, { dtype: rt }), { axis, keepdims, dtype: rt }), scl);
    if (o.returned) scl = scl.broadcastTo(avg.shape).copy();
  }
  return o.returned ? [avg, scl] : avg;
}
