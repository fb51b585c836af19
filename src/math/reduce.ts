/**
 * Reductions with NumPy's semantics: `sum prod min max any all mean var std
 * argmin argmax cumsum cumprod`, over all axes or the ones given (negative
 * allowed), with `keepdims` and `dtype`.
 *
 * One native pass each (native/kernels/reduce): the output is laid over the
 * input's loop with stride 0 on the reduced axes, so the kernel walks the
 * input in memory order and either folds a run into one value (pairwise for
 * float sums, as NumPy) or accumulates a row into a row of outputs.
 * `var`/`std` make two passes (mean, then squared deviations), as NumPy.
 *
 * Accumulator dtypes are NumPy's: sum/prod of bool and small integers
 * accumulate in int64 (uint64 for unsigned); mean/var/std of integers in
 * float64; float16/bfloat16 in float32, rounded back at the end.
 *
 * @module
 */
import { native } from '../binding.js';
import { NdshareRangeError, NdshareTypeError, codes, invalidType } from '../errors.js';
import { dtypeInfo, isComplex, type DType, type TypedArray } from '../ndarray/dtypes.js';
import { complexCumprod, complexCumsum, complexProd, complexSum } from './reduce-complex.js';
import { normalizeAxes, normalizeAxis } from '../ndarray/layout.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { divide, sqrt } from './elementwise.js';
import { isFloat, isInteger } from './promote.js';
import { dtypeCode, emptyArray, loopDesc, scalarArray, toArray, type Operand } from './ufunc.js';
import { checkOptions } from '../validate.js';

/** Options of the reductions. */
export interface ReductionOptions {
  /** Axis or axes to reduce (negative counts from the end); null or absent: all. */
  axis?: number | readonly number[] | null;
  /** Keep reduced axes as length 1, so the result broadcasts against the input. */
  keepdims?: boolean;
  /** The dtype to accumulate in and return. */
  dtype?: DType;
}

/** Options of {@link std} and {@link variance}. */
export interface MomentOptions extends ReductionOptions {
  /** Delta degrees of freedom: the divisor is N - ddof. Default 0. */
  ddof?: number;
}

/** Options of {@link argmin} and {@link argmax}. */
export interface ArgOptions {
  /** One axis; null or absent: the flattened array. */
  axis?: number | null;
  keepdims?: boolean;
}

/** Options of {@link cumsum} and {@link cumprod}. */
export interface ScanOptions {
  /** One axis; null or absent: the flattened array. */
  axis?: number | null;
  dtype?: DType;
}

type ReduceName = 'sum' | 'prod' | 'min' | 'max' | 'any' | 'all';

function input(x: Operand): NDArray {
  if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'boolean') {
    return scalarArray(x, typeof x === 'boolean' ? 'bool' : typeof x === 'bigint' || Number.isInteger(x) ? 'int64' : 'float64');
  }
  return toArray(x, 'x');
}

/** Which axes are reduced (a flag per axis). */
function reducedAxes(x: NDArray, axis: ReductionOptions['axis']): boolean[] {
  const flags = new Array<boolean>(x.ndim).fill(axis === undefined || axis === null);
  if (axis !== undefined && axis !== null) for (const a of normalizeAxes(axis, x.ndim, 'options.axis')) flags[a] = true;
  return flags;
}

/** sum/prod's default accumulator: int64 for bool and signed ints, uint64 for unsigned, else the dtype. */
function sumDType(d: DType): DType {
  if (d === 'bool' || (isInteger(d) && d.startsWith('int'))) return 'int64';
  if (isInteger(d)) return 'uint64';
  return d;
}

/** mean/var/std's accumulator: float64 for bool and ints, float32 for the 16-bit floats. */
function meanDType(d: DType): DType {
  if (isComplex(d)) return d;
  if (!isFloat(d)) return 'float64';
  return d === 'float16' || d === 'bfloat16' ? 'float32' : d;
}

let pairs: Map<string, Set<string>> | undefined;

/**
 * True when the addon runs `op` from `from` straight into `to` (op: a
 * reduction, a scan, or 'ssd' for sumSquaredDeviations).
 */
function nativePair(op: string, from: DType, to: DType): boolean {
  if (pairs === undefined) {
    const m = native.math;
    pairs = new Map();
    const add = (name: string, list: readonly (readonly [number, number])[]): void => {
      pairs!.set(name, new Set(list.map(([a, b]) => `${a}>${b}`)));
    };
    for (const [name, list] of Object.entries(m.reducePairs)) add(name, list);
    for (const [name, list] of Object.entries(m.scanPairs)) add(name, list);
    add('ssd', m.sumSquaredDeviationsPairs);
  }
  return pairs.get(op)?.has(`${dtypeCode(from)}>${dtypeCode(to)}`) ?? false;
}

/**
 * The dtype `nd.sum/prod/min/max/mean(x)` returns for an `x` of dtype `d`
 * (no `options.dtype`): NumPy's rule, in one place (`pool.reduce` follows it).
 */
export function reductionDType(op: 'sum' | 'prod' | 'min' | 'max' | 'mean', d: DType): DType {
  if (op === 'min' || op === 'max') return d;
  if (op === 'mean') return isFloat(d) ? d : 'float64';
  return sumDType(d);
}

/** The error of min/max over a zero-size selection (no identity), in one place (`pool.reduce` throws it too). */
export function emptyReductionError(name: string): NdshareRangeError {
  return new NdshareRangeError(`Expected a non-empty array (or axis) for x: ${name} of a zero-size selection has no identity`, {
    code: codes.INVALID_ARG_VALUE,
  });
}

const IDENTITY: Record<'sum' | 'prod' | 'any' | 'all', number> = { sum: 0, prod: 1, any: 0, all: 1 };

/**
 * The keepdims-shaped result of reducing `x` over `reduced` into `outDType`,
 * run by the native kernel `run(x', out, desc)` with x' in a dtype the kernel
 * takes (cast first when the pair has no direct kernel).
 */
function reduceInto(
  x: NDArray,
  reduced: readonly boolean[],
  outDType: DType,
  run: (operands: TypedArray[], desc: Float64Array) => void,
  extra?: NDArray,
): NDArray {
  const keptShape = x.shape.map((d, i) => (reduced[i] ? 1 : d));
  const out = emptyArray(outDType, keptShape);
  const outStrides = out.strides.map((s, i) => (reduced[i] ? 0 : s));
  const operands: { offset: number; strides: readonly number[] }[] = [x];
  const data: TypedArray[] = [x.data];
  if (extra) {
    operands.push({ offset: extra.offset, strides: extra.strides.map((s, i) => (reduced[i] ? 0 : s)) });
    data.push(extra.data);
  }
  operands.push({ offset: 0, strides: outStrides });
  data.push(out.data);
  run(data, loopDesc(x.shape, operands));
  return out;
}

function finish(r: NDArray, reduced: readonly boolean[], keepdims: boolean | undefined): NDArray {
  if (keepdims) return r;
  return r.reshape(r.shape.filter((_, i) => !reduced[i]));
}

function reduceOp(name: ReduceName, x0: Operand, options: ReductionOptions | undefined, accDefault: (d: DType) => DType): NDArray {
  const o = checkOptions(options, { fn: `nd.${name}`, known: ['axis', 'keepdims', 'dtype'], numpyOnly: ['out', 'initial', 'where'] });
  let x = input(x0);
  const cto = o.dtype !== undefined ? dtypeInfo(o.dtype, 'options.dtype').name : x.dtype;
  if ((name === 'sum' || name === 'prod') && isComplex(cto)) {
    return name === 'sum' ? complexSum(x, cto, o.axis, o.keepdims, sum) : complexProd(x, cto, o.axis, o.keepdims);
  }
  const reduced = reducedAxes(x, o.axis);
  let to: DType = name === 'any' || name === 'all' ? 'bool' : accDefault(x.dtype);
  if (o.dtype !== undefined && name !== 'any' && name !== 'all') to = dtypeInfo(o.dtype, 'options.dtype').name;
  // A bool sum is OR and a bool product AND, as in NumPy.
  if (to === 'bool' && (name === 'sum' || name === 'prod')) name = name === 'sum' ? 'any' : 'all';
  const count = x.shape.reduce((n, d, i) => (reduced[i] ? n * d : n), 1);
  const outSize = x.shape.reduce((n, d, i) => (reduced[i] ? n : n * d), 1);
  if ((name === 'min' || name === 'max') && count === 0 && outSize > 0) {
    throw emptyReductionError(name);
  }
  if (x.size === 0) {
    const keptShape = x.shape.map((d, i) => (reduced[i] ? 1 : d));
    const r = emptyArray(to, keptShape);
    if (name !== 'min' && name !== 'max') r.fill(IDENTITY[name]);
    return finish(r, reduced, o.keepdims);
  }
  if (!nativePair(name, x.dtype, to)) {
    if (!nativePair(name, to, to)) throw new NdshareTypeError(`${name} does not support dtype ${to}`, { code: codes.DTYPE });
    x = x.astype(to);
  }
  const code = native.math.reduceOps[name]!;
  const from = dtypeCode(x.dtype);
  const r = reduceInto(x, reduced, to, (data, desc) => native.math.reduce(code, from, dtypeCode(to), data, desc));
  return finish(r, reduced, o.keepdims);
}

/**
 * Sum of the elements over `axis` (all by default). bool and integers
 * accumulate in int64 (unsigned: uint64) unless `dtype` says otherwise;
 * floats sum pairwise, as NumPy.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for an axis outside the array.
 * @example nd.sum(nd.arange(6).reshape([2, 3]), { axis: 0 }) // [3, 5, 7]
 */
export function sum(x: Operand, options?: ReductionOptions): NDArray {
  return reduceOp('sum', x, options, sumDType);
}

/**
 * Product of the elements over `axis`; accumulators as {@link sum}.
 * @example nd.prod(nd.array([1, 2, 3, 4])) // 24
 */
export function prod(x: Operand, options?: ReductionOptions): NDArray {
  return reduceOp('prod', x, options, sumDType);
}

/**
 * Minimum over `axis`; NaN propagates.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an empty selection (no identity).
 * @example nd.min(nd.array([[3, 1], [2, 5]]), { axis: 1 }) // [1, 2]
 */
export function min(x: Operand, options?: ReductionOptions): NDArray {
  return reduceOp('min', x, options, (d) => d);
}

/**
 * Maximum over `axis`; NaN propagates.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an empty selection (no identity).
 * @example nd.max(nd.array([1, NaN, 3])) // NaN
 */
export function max(x: Operand, options?: ReductionOptions): NDArray {
  return reduceOp('max', x, options, (d) => d);
}

/**
 * True if any element over `axis` is nonzero (NaN counts as true).
 * @example nd.any(nd.array([0, 0, 1])) // true
 */
export function any(x: Operand, options?: Omit<ReductionOptions, 'dtype'>): NDArray {
  return reduceOp('any', x, options, () => 'bool');
}

/**
 * True if every element over `axis` is nonzero.
 * @example nd.all(nd.array([1, 2, 0])) // false
 */
export function all(x: Operand, options?: Omit<ReductionOptions, 'dtype'>): NDArray {
  return reduceOp('all', x, options, () => 'bool');
}

/** The reduced element count over `reduced`. */
function countOf(x: NDArray, reduced: readonly boolean[]): number {
  return x.shape.reduce((n, d, i) => (reduced[i] ? n * d : n), 1);
}

/**
 * Arithmetic mean over `axis`: integers in float64, float16/bfloat16 in
 * float32 (returned in their own dtype). An empty selection gives NaN.
 * @example nd.mean(nd.array([1, 2, 3, 4])) // 2.5
 */
export function mean(x0: Operand, options?: ReductionOptions): NDArray {
  const o = checkOptions(options, { fn: 'nd.mean', known: ['axis', 'keepdims', 'dtype'], numpyOnly: ['out', 'where'] });
  const x = input(x0);
  const acc = o.dtype !== undefined ? dtypeInfo(o.dtype, 'options.dtype').name : meanDType(x.dtype);
  const s = sum(x, { axis: o.axis ?? null, keepdims: o.keepdims ?? false, dtype: acc });
  const n = countOf(x, reducedAxes(x, o.axis));
  const m = isFloat(acc) || isComplex(acc) ? divide(s, n, { out: s }) : divide(s, n);
  const result = o.dtype !== undefined ? o.dtype : isFloat(x.dtype) || isComplex(x.dtype) ? x.dtype : 'float64';
  return m.dtype === result ? m : m.astype(result);
}

function moment(x0: Operand, options: MomentOptions | undefined, root: boolean): NDArray {
  const o = checkOptions(options, {
    fn: root ? 'nd.std' : 'nd.var',
    known: ['axis', 'keepdims', 'dtype', 'ddof'],
    numpyOnly: ['out', 'where', 'mean', 'correction'],
  });
  const x = input(x0);
  const ddof = o.ddof ?? 0;
  if (typeof ddof !== 'number' || !Number.isFinite(ddof)) invalidType('options.ddof', 'a finite number', ddof);
  const reduced = reducedAxes(x, o.axis);
  const acc = o.dtype !== undefined ? dtypeInfo(o.dtype, 'options.dtype').name : meanDType(x.dtype);
  if (!isFloat(acc)) throw new NdshareTypeError(`var/std need a float dtype, not ${acc} (options.dtype)`, { code: codes.DTYPE });
  const accumulate: DType = acc === 'float16' || acc === 'bfloat16' ? 'float32' : acc;
  const n = countOf(x, reduced);
  let r: NDArray;
  if (x.size === 0) {
    r = emptyArray(
      accumulate,
      x.shape.map((d, i) => (reduced[i] ? 1 : d)),
    );
    r.fill(NaN);
  } else {
    const m = mean(x, { axis: o.axis ?? null, keepdims: true, dtype: accumulate });
    const xs = nativePair('ssd', x.dtype, accumulate) ? x : x.astype(accumulate);
    r = reduceInto(xs, reduced, accumulate, (data, desc) => native.math.sumSquaredDeviations(dtypeCode(xs.dtype), dtypeCode(accumulate), data, desc), m);
    divide(r, Math.max(n - ddof, 0), { out: r });
  }
  if (root) sqrt(r, { out: r });
  const result = o.dtype !== undefined ? o.dtype : isFloat(x.dtype) ? x.dtype : 'float64';
  const shaped = finish(r, reduced, o.keepdims);
  return shaped.dtype === result ? shaped : shaped.astype(result);
}

/**
 * Variance over `axis`: mean of squared deviations from the mean, divided by
 * N - ddof (two passes, as NumPy).
 * @example nd.variance(nd.array([1, 2, 3, 4])) // 1.25
 */
export function variance(x: Operand, options?: MomentOptions): NDArray {
  return moment(x, options, false);
}

/**
 * Standard deviation over `axis`: sqrt of {@link variance}.
 * @example nd.std(nd.array([1, 2, 3, 4]), { ddof: 1 })
 */
export function std(x: Operand, options?: MomentOptions): NDArray {
  return moment(x, options, true);
}

/** `x` with `axis` moved last (a view), or the flattened array when axis is null. */
function axisLast(x: NDArray, axis: number | null | undefined): { xt: NDArray; axis: number | null } {
  if (axis === undefined || axis === null) return { xt: x.ndim === 1 ? x : x.ravel(), axis: null };
  const a = normalizeAxis(axis, x.ndim, 'options.axis');
  const perm = [...x.shape.keys()].filter((i) => i !== a);
  perm.push(a);
  return { xt: x.transpose(perm), axis: a };
}

function argReduce(name: 'argmin' | 'argmax', x0: Operand, options: ArgOptions | undefined): NDArray {
  const o = checkOptions(options, { fn: `nd.${name}`, known: ['axis', 'keepdims'], numpyOnly: ['out'] });
  const x = input(x0);
  const { xt, axis } = axisLast(x.ndim === 0 ? x.reshape([1]) : x, o.axis);
  const len = xt.shape[xt.ndim - 1]!;
  const outShape = xt.shape.slice(0, -1);
  if (len === 0) {
    throw new NdshareRangeError(`Expected a non-empty array (or axis) for x: ${name} of an empty sequence`, { code: codes.INVALID_ARG_VALUE });
  }
  const out = emptyArray('int64', outShape);
  if (out.size > 0) {
    native.math.argReduce(
      native.math.argOps[name]!,
      dtypeCode(xt.dtype),
      [xt.data, out.data],
      loopDesc(xt.shape, [xt, { offset: 0, strides: [...out.strides, 0] }]),
    );
  }
  if (!o.keepdims) return out;
  if (axis === null) return out.reshape(new Array<number>(x.ndim).fill(1));
  return out.expandDims(axis);
}

/**
 * Index of the first minimum along `axis` (of the flattened array by
 * default); a NaN wins at its first occurrence. Returns int64.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an empty axis.
 * @example nd.argmin(nd.array([3, 1, 1])) // 1n
 */
export function argmin(x: Operand, options?: ArgOptions): NDArray {
  return argReduce('argmin', x, options);
}

/**
 * Index of the first maximum along `axis` (of the flattened array by
 * default); a NaN wins at its first occurrence. Returns int64.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an empty axis.
 * @example nd.argmax(nd.array([[1, 5], [7, 2]]), { axis: 1 }) // [1n, 0n]
 */
export function argmax(x: Operand, options?: ArgOptions): NDArray {
  return argReduce('argmax', x, options);
}

function scan(name: 'cumsum' | 'cumprod', x0: Operand, options: ScanOptions | undefined): NDArray {
  const o = checkOptions(options, { fn: `nd.${name}`, known: ['axis', 'dtype'], numpyOnly: ['out'] });
  let x = input(x0);
  let to = sumDType(x.dtype);
  if (o.dtype !== undefined) to = dtypeInfo(o.dtype, 'options.dtype').name;
  if (isComplex(to)) return name === 'cumsum' ? complexCumsum(x, to, o.axis, cumsum) : complexCumprod(x, to, o.axis);
  if (!nativePair(name, x.dtype, to)) x = x.astype(to);
  const { xt, axis } = axisLast(x.ndim === 0 ? x.reshape([1]) : x, o.axis);
  const out = emptyArray(to, axis === null ? [xt.size] : x.shape);
  if (out.size === 0) return out;
  const perm = axis === null ? [0] : [...x.shape.keys()].filter((i) => i !== axis).concat([axis]);
  const ot = out.transpose(perm);
  native.math.accumulate(native.math.scanOps[name]!, dtypeCode(xt.dtype), dtypeCode(to), [xt.data, ot.data], loopDesc(xt.shape, [xt, ot]));
  return out;
}

/**
 * Inclusive running sum along `axis` (of the flattened array by default);
 * accumulators as {@link sum}.
 * @example nd.cumsum(nd.array([1, 2, 3])) // [1n, 3n, 6n] (int64)
 */
export function cumsum(x: Operand, options?: ScanOptions): NDArray {
  return scan('cumsum', x, options);
}

/**
 * Inclusive running product along `axis` (of the flattened array by default).
 * @example nd.cumprod(nd.array([1, 2, 3]), { dtype: 'float64' }) // [1, 2, 6]
 */
export function cumprod(x: Operand, options?: ScanOptions): NDArray {
  return scan('cumprod', x, options);
}
