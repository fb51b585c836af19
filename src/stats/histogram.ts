/**
 * Histograms: `histogram`, `histogramBinEdges`, `histogram2d`, `histogramdd`,
 * with NumPy 2's bin specifications (a count, edges, or one of the estimators
 * 'auto', 'fd', 'doane', 'rice', 'scott', 'sqrt', 'sturges', 'stone').
 *
 * Uniform bins are counted directly (native/kernels/sort histogram: the bin
 * from (x - first) * n / (last - first), corrected by one against the edges,
 * as NumPy); given edges by a binary search of the edges.
 *
 * @module
 */
import { native } from '../binding.js';
import { codes, invalidType, NdshareTypeError } from '../errors.js';
import { isFloat } from '../math/promote.js';
import type { DType } from '../ndarray/dtypes.js';
import { halfToNumber, numberToHalf, bfloat16ToNumber, numberToBfloat16 } from '../ndarray/float16.js';
import { NDArray } from '../ndarray/ndarray.js';
import { arrayArg, boolArg, code, flatContiguous, newArray, optionsArg, storage, valueError, type Operand } from '../sorting/common.js';
import { searchsorted } from '../sorting/search.js';
import { stack } from '../math/shaping.js';
import { promoteTypes } from '../math/promote.js';

/** A bin specification: a count, the edges, or an estimator's name. */
export type Bins = number | bigint | string | Operand;

/** Options of {@link histogram} and {@link histogramBinEdges}. */
export interface HistogramOptions {
  /** Number of equal-width bins (default 10), the bin edges (increasing), or an estimator name. */
  bins?: Bins;
  /** [lower, upper] of the bins; default [min(a), max(a)]. */
  range?: readonly [number, number] | null;
  /** Return the probability density (float64) instead of counts. */
  density?: boolean | null;
  /** A weight per element of `a`; the result sums them (in the weights' dtype). */
  weights?: Operand | null;
}

const ESTIMATORS = ['stone', 'auto', 'doane', 'fd', 'rice', 'scott', 'sqrt', 'sturges'];

/** Rounding to a float dtype's precision. */
function rounder(d: DType): (v: number) => number {
  switch (d) {
    case 'float32':
      return Math.fround;
    case 'float16':
      return (v) => halfToNumber(numberToHalf(v));
    case 'bfloat16':
      return (v) => bfloat16ToNumber(numberToBfloat16(v));
    default:
      return (v) => v;
  }
}

/** NumPy's linspace(start, stop, num) computed in float dtype `dt`, as float64 values. */
function linspaceIn(start: number, stop: number, num: number, dt: DType): Float64Array {
  const R = rounder(dt);
  const y = new Float64Array(num);
  const div = num - 1;
  const delta = R(stop - start);
  const step = div > 0 ? R(delta / div) : NaN;
  for (let i = 0; i < num; i++) {
    let v: number;
    if (div > 0) v = step === 0 ? R(R(i / div) * delta) : R(i * step);
    else v = R(i * delta);
    y[i] = R(v + start);
  }
  if (num > 1) y[num - 1] = R(stop);
  return y;
}

/** The elements of a flat array as float64 (a fresh copy). */
function asF64(x: NDArray): Float64Array {
  return storage(flatContiguous(x.astype('float64'))) as Float64Array;
}

function minMax(v: Float64Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  let nan = false;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    if (x !== x) nan = true;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  return nan ? [NaN, NaN] : [lo, hi];
}

interface Outer {
  first: number;
  last: number;
  /** From range= (Python numbers: linspace computes in float64) rather than the data. */
  fromRange: boolean;
}

function outerEdges(a: NDArray, vals: Float64Array, range: unknown, arg = 'options.range'): Outer {
  let first: number;
  let last: number;
  const fromRange = range !== undefined && range !== null;
  if (fromRange) {
    if (!Array.isArray(range) || range.length !== 2) invalidType(arg, 'a [lower, upper] pair of numbers', range);
    [first, last] = (range as unknown[]).map((v, i) => {
      if (typeof v !== 'number' && typeof v !== 'bigint') invalidType(`${arg}[${i}]`, 'a number', v);
      return Number(v);
    }) as [number, number];
    if (first > last) valueError('max must be larger than min in range parameter.');
    if (!Number.isFinite(first) || !Number.isFinite(last)) valueError(`supplied range of [${first}, ${last}] is not finite`);
  } else if (a.size === 0) {
    first = 0;
    last = 1;
  } else {
    [first, last] = minMax(vals);
    if (!Number.isFinite(first) || !Number.isFinite(last)) valueError(`autodetected range of [${first}, ${last}] is not finite`);
  }
  if (first === last) {
    const R = !fromRange && isFloat(a.dtype) ? rounder(a.dtype) : (v: number) => v;
    first = R(first - 0.5);
    last = R(last + 0.5);
  }
  return { first, last, fromRange };
}

function sortedCopy(v: Float64Array): Float64Array {
  const s = Float64Array.from(v);
  native.sort.sort(code('float64'), s, 1, s.length);
  return s;
}

function lerp(a: number, b: number, t: number): number {
  const d = b - a;
  return t >= 0.5 ? b - d * (1 - t) : a + d * t;
}

function percentileSorted(s: Float64Array, q: number): number {
  const idx = (s.length - 1) * (q / 100);
  const lo = Math.floor(idx);
  const hi = Math.min(lo + 1, s.length - 1);
  return lerp(s[lo]!, s[hi]!, idx - lo);
}

function meanStd(v: Float64Array): [number, number] {
  let m = 0;
  for (let i = 0; i < v.length; i++) m += v[i]!;
  m /= v.length;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i]! - m) ** 2;
  return [m, Math.sqrt(s / v.length)];
}

/** NumPy's bin-width estimators over the data kept in range. */
function estimateWidth(name: string, v: Float64Array, outer: Outer, dtype: DType): number {
  const n = v.length;
  const [lo, hi] = minMax(v);
  const ptp = hi - lo;
  const sqrtW = (): number => ptp / Math.sqrt(n);
  const sturges = (): number => ptp / (Math.log2(n) + 1);
  const fd = (): number => {
    const s = sortedCopy(v);
    return 2 * (percentileSorted(s, 75) - percentileSorted(s, 25)) * n ** (-1 / 3);
  };
  switch (name) {
    case 'sqrt':
      return sqrtW();
    case 'sturges':
      return sturges();
    case 'rice':
      return ptp / (2 * n ** (1 / 3));
    case 'scott':
      return ((24 * Math.PI ** 0.5) / n) ** (1 / 3) * meanStd(v)[1];
    case 'fd':
      return fd();
    case 'auto':
      return Math.min(Math.max(fd(), sqrtW() / 2), sturges());
    case 'doane': {
      if (n > 2) {
        const sg1 = Math.sqrt((6 * (n - 2)) / ((n + 1) * (n + 3)));
        const [m, sigma] = meanStd(v);
        if (sigma > 0) {
          let g1 = 0;
          for (let i = 0; i < n; i++) g1 += ((v[i]! - m) / sigma) ** 3;
          g1 /= n;
          return ptp / (1 + Math.log2(n) + Math.log2(1 + Math.abs(g1) / sg1));
        }
      }
      return 0;
    }
    default: {
      // stone: minimise the estimated L2 risk over 1..max(100, sqrt(n)) bins.
      if (n <= 1 || ptp === 0) return 0;
      const upper = Math.max(100, Math.floor(Math.sqrt(n)));
      const data = new NDArray(v, 'float64', [n]);
      let best = 1;
      let bestJ = Infinity;
      for (let nb = 1; nb <= upper; nb++) {
        const edges = linspaceIn(outer.first, outer.last, nb + 1, outer.fromRange || !isFloat(dtype) ? 'float64' : dtype);
        const counts = new BigInt64Array(nb);
        native.sort.histogram(code('float64'), storage(data), n, edges, true, null, counts);
        let dot = 0;
        for (let k = 0; k < nb; k++) {
          const p = Number(counts[k]) / n;
          dot += p * p;
        }
        const j = (2 - (n + 1) * dot) / (ptp / nb);
        if (j < bestJ) {
          bestJ = j;
          best = nb;
        }
      }
      return ptp / best;
    }
  }
}

interface Edges {
  edges: NDArray;
  uniform: boolean;
}

/** NumPy's _get_bin_edges for flat `a` (bool already widened to uint8). */
function binEdges(a: NDArray, bins: unknown, range: unknown, weighted: boolean): Edges {
  const vals = asF64(a);
  let n: number | undefined;
  let outer: Outer | undefined;
  if (typeof bins === 'string') {
    if (!ESTIMATORS.includes(bins)) valueError(`'${bins}' is not a valid estimator for \`bins\``);
    if (weighted) throw new NdshareTypeError('Automated estimation of the number of bins is not supported for weighted data', { code: codes.INVALID_ARG_TYPE });
    outer = outerEdges(a, vals, range);
    let kept = vals;
    if (outer.fromRange) {
      const o = outer;
      kept = vals.filter((v) => v >= o.first && v <= o.last);
    }
    if (kept.length === 0) n = 1;
    else {
      let width = estimateWidth(bins, kept, outer, a.dtype);
      if (width) {
        if (a.dtypeInfo.kind !== 'f' && width < 1) width = 1;
        n = Math.ceil((outer.last - outer.first) / width);
      } else n = 1;
    }
  } else if (typeof bins === 'number' || typeof bins === 'bigint' || (bins instanceof NDArray && bins.ndim === 0)) {
    const b = bins instanceof NDArray ? bins.item() : bins;
    if (typeof b === 'boolean' || (typeof b === 'number' && !Number.isInteger(b))) {
      throw new NdshareTypeError('`bins` must be an integer, a string, or an array', { code: codes.INVALID_ARG_TYPE });
    }
    n = Number(b);
    if (n < 1) valueError('`bins` must be positive, when an integer');
    outer = outerEdges(a, vals, range);
  } else {
    const e = arrayArg(bins, 'options.bins');
    if (e.ndim !== 1) valueError('`bins` must be 1d, when an array');
    const ev = asF64(e);
    for (let i = 1; i < ev.length; i++) if (ev[i - 1]! > ev[i]!) valueError('`bins` must increase monotonically, when an array');
    return { edges: e, uniform: false };
  }
  // Edges in NumPy's bin dtype: the data's float dtype, float64 for integers.
  const binType: DType = isFloat(a.dtype) ? a.dtype : 'float64';
  const lin = linspaceIn(outer.first, outer.last, n + 1, outer.fromRange ? 'float64' : binType);
  const edges = new NDArray(lin, 'float64', [n + 1]);
  const typed = binType === 'float64' ? edges : edges.astype(binType);
  const check = binType === 'float64' ? lin : asF64(typed);
  for (let i = 1; i < check.length; i++) {
    if (!(check[i - 1]! < check[i]!)) valueError(`Too many bins for data range. Cannot create ${n} finite-sized bins.`);
  }
  return { edges: typed, uniform: true };
}

function ravelData(a0: Operand, weights: unknown): { a: NDArray; w: NDArray | undefined } {
  let a = arrayArg(a0, 'a');
  if (a.dtype === 'bool') a = a.astype('uint8');
  let w: NDArray | undefined;
  if (weights !== undefined && weights !== null) {
    w = arrayArg(weights, 'options.weights');
    if (w.ndim !== a.ndim || w.shape.some((d, i) => d !== a.shape[i])) valueError('weights should have the same shape as a.');
    w = flatContiguous(w);
  }
  return { a: flatContiguous(a), w };
}

/**
 * The bin edges `histogram` would use (NumPy's `np.histogram_bin_edges`).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a bad range, bins < 1, unknown estimator,
 *   non-monotonic edges, or a non-finite autodetected range.
 * @example nd.histogramBinEdges([0, 1, 2, 3], { bins: 3 }).toArray() // [0, 1, 2, 3]
 */
export function histogramBinEdges(a: Operand, options?: Omit<HistogramOptions, 'density'>): NDArray {
  const o = optionsArg(options, ['bins', 'range', 'weights'], 'histogramBinEdges');
  const { a: x, w } = ravelData(a, o.weights);
  return binEdges(x, o.bins ?? 10, o.range, w !== undefined).edges;
}

/**
 * The histogram of `a` (flattened): `[hist, binEdges]` (NumPy's `np.histogram`).
 * `hist` is int64 counts, the weights' dtype with `weights`, float64 with `density`.
 * @throws {NdshareRangeError} as {@link histogramBinEdges}; weights of another shape.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for an estimator with weights.
 * @example const [h, e] = nd.histogram([1, 2, 1], { bins: 2 }); // h [2n, 1n], e [1, 1.5, 2]
 */
export function histogram(a: Operand, options?: HistogramOptions): [NDArray, NDArray] {
  const o = optionsArg(options, ['bins', 'range', 'density', 'weights'], 'histogram');
  const density = boolArg(o.density, 'options.density', false);
  const { a: x, w } = ravelData(a, o.weights);
  const { edges, uniform } = binEdges(x, o.bins ?? 10, o.range, w !== undefined);
  const ev = asF64(edges);
  const nb = ev.length - 1;
  let hist: NDArray;
  if (nb < 1) {
    hist = newArray(w ? w.dtype : 'int64', [0], true);
  } else {
    const wf = w ? asF64(w) : null;
    const out = newArray(w ? 'float64' : 'int64', [nb], true);
    if (x.size > 0) {
      let src = x;
      if (!uniform && edges.dtype !== x.dtype && !isFloat(x.dtype)) src = x; // compared as float64 in the kernel
      native.sort.histogram(code(src.dtype), storage(src), src.size, ev, uniform, wf, out.data as BigInt64Array | Float64Array);
    }
    hist = w && w.dtype !== 'float64' ? out.astype(w.dtype) : out;
  }
  if (!density) return [hist, edges];
  const hv = asF64(hist);
  let total = 0;
  for (let i = 0; i < hv.length; i++) total += hv[i]!;
  const d = new Float64Array(hv.length);
  for (let i = 0; i < hv.length; i++) d[i] = hv[i]! / (ev[i + 1]! - ev[i]!) / total;
  return [new NDArray(d, 'float64', [hv.length]), edges];
}

/** Options of {@link histogramdd}. */
export interface HistogramddOptions {
  /** A count for every dimension, or one per dimension (a count or the edges). Default 10. */
  bins?: number | bigint | readonly (number | bigint | Operand)[] | NDArray;
  /** One [lower, upper] (or null) per dimension. */
  range?: readonly (readonly [number, number] | null)[] | null;
  density?: boolean | null;
  weights?: Operand | null;
}

/**
 * The D-dimensional histogram of N points (NumPy's `np.histogramdd`):
 * `[hist (float64), edges[]]`. `sample` is an (N, D) NDArray, or a list of D
 * coordinate arrays.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for bins or range of the wrong length, bins < 1, non-monotonic edges.
 * @example const [h] = nd.histogramdd(nd.array([[0, 0], [1, 1]]), { bins: 2 }); // [[1, 0], [0, 1]]
 */
export function histogramdd(sample: Operand | readonly Operand[], options?: HistogramddOptions): [NDArray, NDArray[]] {
  const o = optionsArg(options, ['bins', 'range', 'density', 'weights'], 'histogramdd');
  const density = boolArg(o.density, 'options.density', false);
  let s: NDArray;
  if (sample instanceof NDArray && sample.ndim === 2) s = sample;
  else if (Array.isArray(sample) && sample.length > 0 && sample.every((c) => c instanceof NDArray)) {
    s = stack(sample as NDArray[]).transpose();
  } else {
    let t = arrayArg(sample, 'sample');
    if (t.ndim === 0) t = t.reshape([1, 1]);
    else if (t.ndim === 1) t = t.reshape([1, t.size]);
    if (t.ndim !== 2) valueError('histogramdd: sample must be (N, D) or a list of D coordinate arrays');
    s = t.transpose();
  }
  const [N, D] = s.shape as [number, number];
  let binsList: unknown[];
  const b = o.bins ?? 10;
  if (Array.isArray(b) || (b instanceof NDArray && b.ndim >= 1)) {
    binsList = Array.isArray(b) ? [...(b as unknown[])] : Array.from({ length: (b as NDArray).shape[0]! }, (_, i) => (b as NDArray).slice(i));
    if (binsList.length !== D) valueError('The dimension of bins must be equal to the dimension of the sample x.');
  } else binsList = new Array<unknown>(D).fill(b);
  let ranges: unknown[];
  if (o.range === undefined || o.range === null) ranges = new Array<unknown>(D).fill(null);
  else {
    if (!Array.isArray(o.range) || o.range.length !== D) valueError('range argument must have one entry per dimension');
    ranges = [...o.range];
  }
  let w: Float64Array | null = null;
  if (o.weights !== undefined && o.weights !== null) {
    w = asF64(arrayArg(o.weights, 'options.weights'));
    if (w.length !== N) valueError('histogramdd: weights must have one value per sample point');
  }
  const edges: NDArray[] = [];
  const nbin: number[] = [];
  const counts: BigInt64Array[] = [];
  for (let i = 0; i < D; i++) {
    const col = s.slice(':', i);
    const cv = asF64(col);
    const bi = binsList[i];
    let e: NDArray;
    const scalar = typeof bi === 'number' || typeof bi === 'bigint' || typeof bi === 'boolean' || (bi instanceof NDArray && bi.ndim === 0);
    if (scalar) {
      const v = bi instanceof NDArray ? bi.item() : bi;
      if (Number(v) < 1) valueError(`\`bins[${i}]\` must be positive, when an integer`);
      if (typeof v === 'boolean' || (typeof v === 'number' && !Number.isInteger(v))) {
        throw new NdshareTypeError(`\`bins[${i}]\` must be an integer, when a scalar`, { code: codes.INVALID_ARG_TYPE });
      }
      const outer = outerEdges(col, cv, ranges[i], `options.range[${i}]`);
      const dt: DType = outer.fromRange || !isFloat(col.dtype) ? 'float64' : col.dtype;
      const lin = new NDArray(linspaceIn(outer.first, outer.last, Number(v) + 1, dt), 'float64', [Number(v) + 1]);
      e = dt === 'float64' ? lin : lin.astype(dt);
    } else {
      e = arrayArg(bi, `options.bins[${i}]`);
      if (e.ndim !== 1) valueError(`\`bins[${i}]\` must be a scalar or 1d array`);
      const ev = asF64(e);
      for (let k = 1; k < ev.length; k++) if (ev[k - 1]! > ev[k]!) valueError(`\`bins[${i}]\` must be monotonically increasing, when an array`);
    }
    edges.push(e);
    nbin.push(e.size + 1);
    const c = searchsorted(e, col, { side: 'right' }).data as BigInt64Array;
    const ev = asF64(e);
    const lastEdge = ev[ev.length - 1];
    for (let k = 0; k < N; k++) if (cv[k] === lastEdge) c[k] = c[k]! - 1n;
    counts.push(c);
  }
  const total = nbin.reduce((p, q) => p * q, 1);
  const full = new Float64Array(total);
  for (let k = 0; k < N; k++) {
    let flatIdx = 0;
    for (let i = 0; i < D; i++) flatIdx = flatIdx * nbin[i]! + Number(counts[i]![k]);
    full[flatIdx]! += w ? w[k]! : 1;
  }
  let hist = new NDArray(full, 'float64', nbin);
  hist = hist.slice(...nbin.map(() => '1:-1')).copy();
  if (density) {
    const h = hist.data as Float64Array;
    let sum = 0;
    for (let i = 0; i < h.length; i++) sum += h[i]!;
    const inner = nbin.map((v) => v - 2);
    const widths = edges.map((e) => {
      const ev = asF64(e);
      return Array.from({ length: ev.length - 1 }, (_, j) => ev[j + 1]! - ev[j]!);
    });
    const idx = new Array<number>(D).fill(0);
    for (let p = 0; p < h.length; p++) {
      let v = h[p]!;
      for (let i = 0; i < D; i++) v /= widths[i]![idx[i]!]!;
      h[p] = v / sum;
      for (let i = D - 1; i >= 0; i--) {
        if (++idx[i]! < inner[i]!) break;
        idx[i] = 0;
      }
    }
  }
  return [hist, edges];
}

/** Options of {@link histogram2d}. */
export interface Histogram2dOptions {
  /** A count, [nx, ny], the edges for both, or [xedges, yedges]. Default 10. */
  bins?: number | bigint | readonly (number | bigint | Operand)[] | NDArray;
  range?: readonly (readonly [number, number] | null)[] | null;
  density?: boolean | null;
  weights?: Operand | null;
}

/**
 * The 2-D histogram of points (x[i], y[i]) (NumPy's `np.histogram2d`):
 * `[H (float64), xedges, yedges]`.
 * @throws {NdshareRangeError} as {@link histogramdd}; x and y of different lengths.
 * @example const [H] = nd.histogram2d([0, 1], [0, 1], { bins: 2 }); // [[1, 0], [0, 1]]
 */
export function histogram2d(x: Operand, y: Operand, options?: Histogram2dOptions): [NDArray, NDArray, NDArray] {
  const o = optionsArg(options, ['bins', 'range', 'density', 'weights'], 'histogram2d');
  const xa = arrayArg(x, 'x');
  const ya = arrayArg(y, 'y');
  if (xa.size !== ya.size || xa.ndim !== 1 || ya.ndim !== 1) valueError('histogram2d: x and y must be 1-D and of the same length');
  let bins = o.bins ?? 10;
  const len = Array.isArray(bins) ? bins.length : bins instanceof NDArray && bins.ndim >= 1 ? bins.shape[0]! : 1;
  if (len !== 1 && len !== 2) {
    const e = arrayArg(bins, 'options.bins');
    bins = [e, e];
  }
  const dt = promoteTypes(xa.dtype, ya.dtype);
  const s = stack([xa.astype(dt), ya.astype(dt)]);
  const [h, edges] = histogramdd(s.transpose(), { bins, range: o.range ?? null, density: o.density ?? null, weights: o.weights ?? null });
  return [h, edges[0]!, edges[1]!];
}
