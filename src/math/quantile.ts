/**
 * Order statistics: median, quantile/percentile with NumPy's 13 `method`s
 * (Hyndman & Fan), and their NaN-ignoring forms. Each reduced row is copied
 * once and the needed order statistics are found by selection (introselect:
 * quickselect with a median-of-three pivot, a sort of the remaining range when
 * the recursion depth passes 2·log2(n)), not by a full sort.
 *
 * @module
 */
import { NdshareRangeError, NdshareTypeError, codes, invalidType, invalidValue } from '../errors.js';
import { allocUninit, type DType } from '../ndarray/dtypes.js';
import { normalizeAxes } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { isFloat, resultType } from './promote.js';
import { dtypeCode, toArray, type Operand } from './ufunc.js';
import { native } from '../binding.js';
import { checkOptions } from '../validate.js';

/** NumPy's quantile methods. */
export type QuantileMethod =
  | 'inverted_cdf'
  | 'averaged_inverted_cdf'
  | 'closest_observation'
  | 'interpolated_inverted_cdf'
  | 'hazen'
  | 'weibull'
  | 'linear'
  | 'median_unbiased'
  | 'normal_unbiased'
  | 'lower'
  | 'higher'
  | 'midpoint'
  | 'nearest';

/** Options of {@link quantile}, {@link percentile} and their NaN forms. */
export interface QuantileOptions {
  /** Axis or axes to reduce; null or absent: all. */
  axis?: number | readonly number[] | null;
  /** Keep reduced axes as length 1. */
  keepdims?: boolean;
  /** How to estimate between order statistics; default 'linear'. */
  method?: QuantileMethod;
}
/** Options of {@link median} and {@link nanmedian}. */
export type MedianOptions = Omit<QuantileOptions, 'method'>;

/** Methods whose result is one of the elements (NumPy returns the input dtype). */
const DISCRETE = new Set<QuantileMethod>(['inverted_cdf', 'closest_observation', 'lower', 'higher', 'nearest']);
/** Hyndman-Fan (alpha, beta) of the continuous methods. */
const ALPHA_BETA: Partial<Record<QuantileMethod, [number, number]>> = {
  interpolated_inverted_cdf: [0, 1],
  hazen: [0.5, 0.5],
  weibull: [0, 0],
  linear: [1, 1],
  median_unbiased: [1 / 3, 1 / 3],
  normal_unbiased: [3 / 8, 3 / 8],
};
const METHODS: readonly QuantileMethod[] = [
  'inverted_cdf',
  'averaged_inverted_cdf',
  'closest_observation',
  'interpolated_inverted_cdf',
  'hazen',
  'weibull',
  'linear',
  'median_unbiased',
  'normal_unbiased',
  'lower',
  'higher',
  'midpoint',
  'nearest',
];

type Num = number | bigint;
type Row = { [i: number]: Num; length: number };

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * One quantile's plan: which order statistics (0-based, within [0, n-1]) and
 * the weight of the upper one (NumPy's _quantile: virtual index, gamma, _lerp).
 */
function plan(n: number, q: number, method: QuantileMethod): { lo: number; hi: number; gamma: number } {
  const clamp = (i: number): number => Math.min(Math.max(i, 0), n - 1);
  const discreteToBound = (index: number, cond: (g: number, i: number) => boolean): number => {
    const prev = Math.floor(index);
    const g = index - prev;
    const r = cond(g, index) ? prev : prev + 1;
    return clamp(r);
  };
  switch (method) {
    case 'lower': {
      const i = clamp(Math.floor((n - 1) * q));
      return { lo: i, hi: i, gamma: 0 };
    }
    case 'higher': {
      const i = clamp(Math.ceil((n - 1) * q));
      return { lo: i, hi: i, gamma: 0 };
    }
    case 'nearest': {
      const i = clamp(roundHalfEven((n - 1) * q));
      return { lo: i, hi: i, gamma: 0 };
    }
    case 'inverted_cdf': {
      const i = discreteToBound(n * q - 1, (g) => g === 0);
      return { lo: i, hi: i, gamma: 0 };
    }
    case 'closest_observation': {
      const i = discreteToBound(n * q - 1 - 0.5, (g, idx) => g === 0 && Math.floor(idx) % 2 === 1);
      return { lo: i, hi: i, gamma: 0 };
    }
    default:
      break;
  }
  let vi: number;
  if (method === 'averaged_inverted_cdf') vi = n * q - 1;
  else if (method === 'midpoint') vi = (n - 1) * q;
  else {
    const [alpha, beta] = ALPHA_BETA[method]!;
    vi = method === 'linear' ? (n - 1) * q : n * q + (alpha + q * (1 - alpha - beta)) - 1;
  }
  let prev = Math.floor(vi);
  let next = prev + 1;
  if (vi >= n - 1) {
    prev = n - 1;
    next = n - 1;
  } else if (vi < 0) {
    prev = 0;
    next = 0;
  }
  let gamma = vi - prev;
  if (method === 'averaged_inverted_cdf') gamma = gamma === 0 ? 0.5 : 1;
  else if (method === 'midpoint') gamma = vi % 1 === 0 ? 0 : 0.5;
  return { lo: prev, hi: next, gamma };
}

/** NumPy's _lerp: a + (b - a)·t, or b - (b - a)·(1 - t) for t >= 0.5 (exact at the ends). */
function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

function swap(a: Row, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** Puts the k-th smallest of a[lo, hi) at k, smaller before and larger after (introselect). */
function select(a: Row, lo: number, hi: number, k: number): void {
  let depth = 2 * Math.ceil(Math.log2(hi - lo + 1));
  let l = lo;
  let r = hi - 1;
  while (r > l) {
    if (depth-- <= 0 || r - l < 16) {
      // Insertion/fallback sort of the remaining range.
      const sub = Array.from({ length: r - l + 1 }, (_, i) => a[l + i]!);
      sub.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
      for (let i = 0; i < sub.length; i++) a[l + i] = sub[i]!;
      return;
    }
    const m = (l + r) >>> 1;
    if (a[m]! < a[l]!) swap(a, m, l);
    if (a[r]! < a[l]!) swap(a, r, l);
    if (a[r]! < a[m]!) swap(a, r, m);
    const pivot = a[m]!;
    let i = l;
    let j = r;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (pivot < a[j]!) j--;
      if (i <= j) {
        swap(a, i, j);
        i++;
        j--;
      }
    }
    if (k <= j) r = j;
    else if (k >= i) l = i;
    else return;
  }
}

interface Prepared {
  /** The reduced axes of each kept position, row after row (a copy of ours, m × n). */
  buf: Row;
  m: number;
  n: number;
  /** The dtype of buf (float16/bfloat16 are widened to float32). */
  workDType: DType;
  outer: number[];
  keptShape: number[];
  dtype: DType;
}

/** Rows of the reduced axes (copied, in a comparable typed array), the kept shape. */
function prepare(x: NDArray, axis: QuantileOptions['axis'], keepdims: boolean): Prepared {
  if (x.dtype === 'bool') throw new NdshareTypeError('quantiles of bool arrays are not supported (NumPy refuses the subtraction)', { code: codes.DTYPE });
  const reduced = axis === undefined || axis === null ? x.shape.map((_, i) => i) : normalizeAxes(axis, x.ndim, 'options.axis');
  const kept = x.shape.map((_, i) => i).filter((i) => !reduced.includes(i));
  const outer = kept.map((i) => x.shape[i]!);
  const keptShape = keepdims ? x.shape.map((d, i) => (reduced.includes(i) ? 1 : d)) : outer;
  const n = reduced.reduce((p, i) => p * x.shape[i]!, 1);
  const work = x.dtype === 'float16' || x.dtype === 'bfloat16' ? x.astype('float32') : x;
  const c = work.transpose([...kept, ...reduced]).copy();
  const m = outer.reduce((p, d) => p * d, 1);
  const data = c.data as unknown as { subarray(a: number, b: number): Row; slice(a: number, b: number): Row };
  // c is a fresh copy: its storage is ours to reorder (sliced only when it does not start at 0).
  const buf = c.offset === 0 && c.data.length === m * n ? (c.data as unknown as Row) : data.slice(c.offset, c.offset + m * n);
  return { buf, m, n, outer, keptShape, dtype: x.dtype, workDType: work.dtype };
}

/** Drops NaN from a float row (the nan-functions), or reports one (the others). */
function cleanRow(row: Row, skipNaN: boolean): { row: Row; n: number; nan: boolean } {
  if (typeof row[0] !== 'number') return { row, n: row.length, nan: false };
  let n = 0;
  for (let i = 0; i < row.length; i++) {
    const v = row[i] as number;
    if (v !== v) {
      if (!skipNaN) return { row, n: row.length, nan: true };
    } else {
      row[n++] = v;
    }
  }
  return { row, n, nan: n === 0 };
}

function quantileCore(fn: string, x0: Operand, q0: Operand, scale: number, options: QuantileOptions | undefined, skipNaN: boolean, isMedian = false): NDArray {
  const o = checkOptions(options, { fn, known: ['axis', 'keepdims', 'method'], numpyOnly: ['out', 'overwrite_input', 'weights', 'interpolation'] });
  const method = o.method ?? 'linear';
  if (!METHODS.includes(method)) invalidValue('options.method', `one of ${METHODS.join(', ')}`, method);
  const x = toArray(x0, 'a');
  const qa = typeof q0 === 'number' ? null : toArray(q0, 'q');
  const qs: number[] = qa === null ? [q0 as number] : Array.from(qa.astype('float64').ravel().data as Float64Array);
  if (typeof q0 !== 'number' && qa === null) invalidType('q', 'a number or an array of numbers', q0);
  for (const q of qs) {
    const v = q / scale;
    if (!(v >= 0 && v <= 1)) {
      throw new NdshareRangeError(`${fn}: q must be in [0, ${scale === 100 ? 100 : 1}] but received ${q}`, { code: codes.INVALID_ARG_VALUE });
    }
  }
  const p = prepare(x, o.axis, o.keepdims ?? false);
  const discrete = DISCRETE.has(method) && !isMedian;
  // NumPy: an array q takes part in the promotion (float64 q: float64 result); a JS number is weak.
  const floatT: DType = isFloat(p.dtype) ? p.dtype : 'float64';
  const resultDType: DType = discrete ? p.dtype : qa === null || isMedian ? floatT : resultType([floatT, qa.dtype]);
  const big = p.dtype === 'int64' || p.dtype === 'uint64';
  const { m, n: rowLen } = p;
  const out: Num[] = new Array<Num>(qs.length * m);
  const rowOf = (r: number): Row => (p.buf as unknown as { subarray(a: number, b: number): Row }).subarray(r * rowLen, (r + 1) * rowLen);
  const planFor = (n: number) => qs.map((q) => (isMedian ? medianPlan(n) : plan(n, q / scale, method)));
  const emit = (r: number, row: Row, plans: ReturnType<typeof planFor>) => {
    plans.forEach((pl, k) => {
      const a = row[pl.lo]!;
      const b = row[pl.hi]!;
      if (discrete) out[k * m + r] = a;
      else if (isMedian) out[k * m + r] = pl.lo === pl.hi ? Number(a) : (Number(a) + Number(b)) / 2;
      else out[k * m + r] = lerp(Number(a), Number(b), pl.gamma); // also at the bounds: lerp(Inf, Inf) is NaN, as NumPy
    });
  };
  const empty = (r: number) => {
    // Empty selection: NumPy gives NaN (with a warning) for the float results.
    if (discrete && !isFloat(p.dtype)) throw new NdshareRangeError(`${fn}: empty selection has no order statistic`, { code: codes.INVALID_ARG_VALUE });
    for (let k = 0; k < qs.length; k++) out[k * m + r] = NaN;
  };
  if (!skipNaN && rowLen > 0) {
    // Every row has the same length: one native introselect over all rows, around every
    // needed order statistic and the last position (NaN sorts last, so a row with NaN has
    // NaN there, and NumPy's result for that row is NaN).
    const plans = planFor(rowLen);
    const kth = [...new Set([...plans.flatMap((pl) => [pl.lo, pl.hi]), rowLen - 1])].sort((a, b) => a - b);
    if (rowLen > 1 && m > 0) native.sort.partition(dtypeCode(p.workDType), p.buf as never, m, rowLen, Float64Array.from(kth));
    const floats = isFloat(p.dtype);
    for (let r = 0; r < m; r++) {
      const row = rowOf(r);
      const last = row[rowLen - 1] as number;
      if (floats && last !== last) for (let k = 0; k < qs.length; k++) out[k * m + r] = NaN;
      else emit(r, row, plans);
    }
  } else {
    for (let r = 0; r < m; r++) {
      const { row, n, nan } = cleanRow(rowOf(r), skipNaN);
      if (n === 0 && !nan) {
        empty(r);
        continue;
      }
      if (nan) {
        for (let k = 0; k < qs.length; k++) out[k * m + r] = NaN;
        continue;
      }
      const plans = planFor(n);
      const needed = [...new Set(plans.flatMap((pl) => [pl.lo, pl.hi]))].sort((a, b) => a - b);
      let lo = 0;
      for (const k of needed) {
        if (k >= lo) select(row, lo, n, k);
        lo = k + 1;
      }
      emit(r, row, plans);
    }
  }
  const qShape = qa === null ? [] : qa.shape;
  const shape = [...qShape, ...p.keptShape];
  const storeDType: DType = discrete ? (p.dtype === 'float16' || p.dtype === 'bfloat16' ? 'float32' : p.dtype) : 'float64';
  const data = allocUninit(storeDType, out.length) as unknown as { [i: number]: Num };
  for (let i = 0; i < out.length; i++) data[i] = big && discrete ? BigInt(out[i]!) : Number(out[i]!);
  const r = new NDArray(data as never, storeDType, shape);
  return r.dtype === resultDType ? r : r.astype(resultDType);
}

function medianPlan(n: number): { lo: number; hi: number; gamma: number } {
  const h = n >> 1;
  return n % 2 === 1 ? { lo: h, hi: h, gamma: 0 } : { lo: h - 1, hi: h, gamma: 0.5 };
}

/**
 * The q-th quantiles (q in [0, 1]) over `axis`, by NumPy's `method` (default 'linear').
 * The result has q's shape followed by the kept axes. NaN in a row gives NaN.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for q outside [0, 1] or an unknown method.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for bool arrays.
 * @example nd.quantile(nd.array([1, 2, 3, 4]), [0.25, 0.5])
 */
export function quantile(a: Operand, q: Operand, options?: QuantileOptions): NDArray {
  return quantileCore('nd.quantile', a, q, 1, options, false);
}

/**
 * The q-th percentiles (q in [0, 100]); see {@link quantile}.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for q outside [0, 100] or an unknown method.
 * @example nd.percentile(nd.arange(10), 90)
 */
export function percentile(a: Operand, q: Operand, options?: QuantileOptions): NDArray {
  return quantileCore('nd.percentile', a, q, 100, options, false);
}

/**
 * {@link quantile} ignoring NaN (an all-NaN row gives NaN).
 * @example nd.nanquantile(nd.array([1, NaN, 3]), 0.5)
 */
export function nanquantile(a: Operand, q: Operand, options?: QuantileOptions): NDArray {
  return quantileCore('nd.nanquantile', a, q, 1, options, true);
}

/**
 * {@link percentile} ignoring NaN.
 * @example nd.nanpercentile(nd.array([1, NaN, 3]), 50)
 */
export function nanpercentile(a: Operand, q: Operand, options?: QuantileOptions): NDArray {
  return quantileCore('nd.nanpercentile', a, q, 100, options, true);
}

/**
 * Median over `axis` (the mean of the two middle values for an even count; NaN in a row gives NaN).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for bool arrays.
 * @example nd.median(nd.array([3, 1, 2, 10]))
 */
export function median(a: Operand, options?: MedianOptions): NDArray {
  return quantileCore('nd.median', a, 0.5, 1, options, false, true);
}

/**
 * {@link median} ignoring NaN.
 * @example nd.nanmedian(nd.array([3, NaN, 1]))
 */
export function nanmedian(a: Operand, options?: MedianOptions): NDArray {
  return quantileCore('nd.nanmedian', a, 0.5, 1, options, true, true);
}
