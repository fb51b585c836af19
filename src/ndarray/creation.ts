/**
 * Creation functions (Array API "creation" group): array, asarray, zeros,
 * ones, full, empty, arange, linspace, eye, zerosLike, onesLike.
 *
 * JS numbers are doubles, so numbers infer `float64` (as stdlib does),
 * booleans `bool` and BigInts `int64`, or `uint64` when one is above 2^63-1;
 * pass `{dtype}` for anything else. Mixed nested data infers, as NumPy does
 * for Python ints and floats: numbers with BigInts give `float64`, booleans
 * with BigInts the BigInts' dtype, and a negative BigInt with one above
 * 2^63-1 `float64` (no integer dtype holds both).
 *
 * BigInts are exact integers (NumPy's Python ints): one that does not fit the
 * dtype is an error. Numbers are floats and cast as `astype` casts them
 * (truncated, wrapped).
 *
 * @module
 */
import { codes, invalidType, invalidValue, NdshareError } from '../errors.js';
import type { Complex, DType, TypedArray } from './dtypes.js';
import { allocUninit, allocZeroed, checkDType, dtypeInfo, dtypeOfTypedArray, isComplex } from './dtypes.js';
import { isComplexValue } from './complex.js';
import { checkShape, sizeOf } from './layout.js';
import { converterOf, storerOf, type Scalar } from './cast.js';
import { NDArray } from './ndarray.js';
import { checkBigint, fromNested, INT_RANGE, scalarDType, type Writable } from './nested.js';
import { halfToNumber, numberToHalf, bfloat16ToNumber, numberToBfloat16 } from './float16.js';
import { fromNdarray, isScijsNdarray } from '../interop/scijs.js';
import { fromStdlib, isStdlibNdarray } from '../interop/stdlib.js';
import { checkOptions } from '../validate.js';

/** Options of creation functions. */
export interface DTypeOptions<D extends DType = DType> {
  /** Element type. Default: `float64` (or inferred from the data). */
  dtype?: D;
}

/** Options of {@link array} and {@link asarray}. */
export interface ArrayOptions extends DTypeOptions {
  /** Shape to give the data (its size must match). */
  shape?: readonly number[];
}

/** What {@link array} accepts. */
export type ArrayInput = NDArray | TypedArray | NestedInput | ArrayLikeNd;

/** Nested arrays whose innermost level may also be typed arrays. */
export type NestedInput = Scalar | Complex | TypedArray | readonly NestedInput[];

/** An ndarray from scijs or stdlib (see interop). */
export interface ArrayLikeNd {
  readonly data: unknown;
  readonly shape: readonly number[];
}

export { checkOptions } from '../validate.js';

/** A zero-copy view of a scijs/stdlib ndarray, or undefined when its storage is not a typed array. */
function viewOfForeign(data: unknown): NDArray | undefined {
  try {
    return isScijsNdarray(data) ? fromNdarray(data) : fromStdlib(data as never);
  } catch (e) {
    if ((e as { code?: string }).code === codes.DTYPE) return undefined;
    throw e;
  }
}

/** Reads any ndarray with `shape` and `get(...idx)` into nested arrays. */
function nestedFromGetter(x: { shape: readonly number[]; get(...i: number[]): unknown }): NestedInput {
  const shape = [...x.shape];
  const idx = new Array<number>(shape.length).fill(0);
  const build = (axis: number): NestedInput => {
    if (axis === shape.length) return x.get(...idx) as Scalar;
    const out: NestedInput[] = [];
    for (let i = 0; i < shape[axis]!; i++) {
      idx[axis] = i;
      out.push(build(axis + 1));
    }
    return out;
  };
  return build(0);
}

/**
 * `x` (a fresh C-contiguous array that owns its data) with the shape the
 * caller asked for: a new owner over the same storage, not a view.
 */
function withShape(x: NDArray, shape: readonly number[] | undefined): NDArray {
  if (shape === undefined) return x;
  const target = checkShape(shape, 'options.shape');
  if (sizeOf(target) !== x.size) {
    throw new NdshareError(`Cannot reshape an array of size ${x.size} (shape (${x.shape.join(', ')})) into (${target.join(', ')})`, {
      code: codes.SHAPE_MISMATCH,
    });
  }
  return new NDArray(x.data, x.dtype, target);
}

/**
 * A new array holding a copy of `data`: nested arrays of numbers/bigints/booleans,
 * a typed array, an NDArray, or a scijs/stdlib ndarray. The dtype is inferred
 * as the module notes say unless `options.dtype` is given.
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH for ragged nested arrays or an `options.shape` of another size.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for elements that are not scalars, or options that are not an object.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a BigInt outside `options.dtype` (outside
 *   [-2^63, 2^64) when inferring), or more elements than a typed array can hold.
 * @example nd.array([[1, 2], [3, 4]], { dtype: 'int32' })
 * @example nd.array([1.5, 2n]).dtype // 'float64'
 * @example nd.array([300n], { dtype: 'int8' }) // throws ERR_NDSHARE_INVALID_ARG_VALUE naming data[0]
 */
export function array(data: ArrayInput, options?: ArrayOptions): NDArray {
  const o = checkOptions(options, { fn: 'nd.array', known: ['dtype', 'shape'] });
  const dtype = o.dtype === undefined ? undefined : checkDType(o.dtype, 'options.dtype');
  if (data instanceof NDArray) return withShape(data.astype(dtype ?? data.dtype), o.shape);
  if (isScijsNdarray(data) || isStdlibNdarray(data)) {
    const view = viewOfForeign(data);
    if (view) return withShape(view.astype(dtype ?? view.dtype), o.shape);
    // A generic ('array'/'generic') ndarray has no typed storage to view: copy its values.
    const foreign = data as unknown as { shape: readonly number[]; get(...i: number[]): unknown };
    return array(nestedFromGetter(foreign), o);
  }
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    const from = dtypeOfTypedArray(data);
    if (from === undefined) invalidType('data', 'a numeric typed array', data);
    const src = data as TypedArray;
    const to = dtype ?? from;
    if (isComplex(to)) return withShape(new NDArray(src, from, [src.length]).astype(to), o.shape);
    const out = allocUninit(to, src.length, 'data', data);
    const conv = converterOf(from, to);
    if (conv === undefined) (out as Float64Array).set(src as Float64Array);
    else {
      const w = out as unknown as Writable;
      for (let i = 0; i < src.length; i++) w[i] = conv(src[i]!);
    }
    return withShape(new NDArray(out, to, [src.length]), o.shape);
  }
  if (typeof data === 'number' || typeof data === 'bigint' || typeof data === 'boolean') {
    const to = dtype ?? scalarDType(data, 'data');
    if (typeof data === 'bigint') checkBigint(to, data, 'data');
    const out = allocZeroed(to, 1);
    (out as unknown as Writable)[0] = storerOf(to)(data);
    return withShape(new NDArray(out, to, []), o.shape);
  }
  if (isComplexValue(data)) {
    const to = dtype ?? 'complex128';
    return withShape(new NDArray(allocZeroed(to, 1), to, []).fill(data), o.shape);
  }
  if (!Array.isArray(data)) {
    invalidType('data', 'nested arrays, a typed array, an NDArray or an ndarray', data);
  }
  const r = fromNested(data, dtype);
  return withShape(new NDArray(r.out, r.dtype, r.shape), o.shape);
}

/**
 * Like {@link array} but without copying when possible: an NDArray of the
 * requested dtype is returned as is; a typed array, scijs or stdlib ndarray of
 * a matching dtype is wrapped over the same memory.
 * @throws as {@link array}.
 * @example nd.asarray(new Float32Array(8), { shape: [2, 4] }) // shares the Float32Array
 */
export function asarray(data: ArrayInput, options?: ArrayOptions): NDArray {
  const o = checkOptions(options, { fn: 'nd.asarray', known: ['dtype', 'shape'] });
  const dtype = o.dtype === undefined ? undefined : checkDType(o.dtype, 'options.dtype');
  let x: NDArray | undefined;
  if (data instanceof NDArray) x = data;
  else if (isScijsNdarray(data)) x = fromNdarray(data);
  else if (isStdlibNdarray(data)) x = fromStdlib(data);
  else if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    const from = dtypeOfTypedArray(data);
    if (from !== undefined && (dtype === undefined || dtype === from)) {
      x = new NDArray(data as TypedArray, from, [(data as TypedArray).length]);
    }
  }
  if (x === undefined) return array(data, o);
  const y = x.astype(dtype ?? x.dtype, { copy: false });
  // A view of the caller's memory keeps sharing it (reshape makes a view where it can).
  return o.shape === undefined ? y : y.reshape(checkShape(o.shape, 'options.shape'));
}

/**
 * An array of `shape` with uninitialized contents (like NumPy's `empty`).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a bad shape or options that are not an object.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for negative dimensions or more elements
 *   than a typed array holds; ERR_NDSHARE_DTYPE for an unknown dtype.
 * @example nd.empty([2, 3], { dtype: 'float32' })
 */
export function empty<D extends DType = 'float64'>(shape: readonly number[] | number, options?: DTypeOptions<D>): NDArray<D> {
  const o = checkOptions(options, { fn: 'nd.empty', known: ['dtype'] });
  const s = checkShape(shape);
  const dtype = checkDType(o.dtype ?? 'float64', 'options.dtype');
  return new NDArray(allocUninit(dtype, sizeOf(s), 'shape', s), dtype, s) as NDArray<D>;
}

/**
 * An array of `shape` filled with zeros.
 * @throws as {@link empty}.
 * @example nd.zeros([3], { dtype: 'int64' }).toArray() // [0n, 0n, 0n]
 */
export function zeros<D extends DType = 'float64'>(shape: readonly number[] | number, options?: DTypeOptions<D>): NDArray<D> {
  const o = checkOptions(options, { fn: 'nd.zeros', known: ['dtype'] });
  const s = checkShape(shape);
  const dtype = checkDType(o.dtype ?? 'float64', 'options.dtype');
  return new NDArray(allocZeroed(dtype, sizeOf(s), 'shape', s), dtype, s) as NDArray<D>;
}

/**
 * An array of `shape` filled with `fillValue`; the dtype defaults to the
 * value's (float64 for numbers, bool for booleans, int64 for bigints, uint64
 * for bigints above 2^63-1).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a non-scalar `fillValue`.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a bigint `fillValue` outside the dtype
 *   (outside [-2^63, 2^64) when inferring); otherwise as {@link empty}.
 * @example nd.full([2, 2], 7, { dtype: 'uint8' })
 * @example nd.full([1], 2n ** 63n).dtype // 'uint64'
 */
export function full(shape: readonly number[] | number, fillValue: Scalar | Complex, options?: DTypeOptions): NDArray {
  const o = checkOptions(options, { fn: 'nd.full', known: ['dtype'] });
  if (isComplexValue(fillValue)) {
    const dtype = o.dtype === undefined ? 'complex128' : checkDType(o.dtype, 'options.dtype');
    if (!isComplex(dtype)) invalidType('fillValue', `a number, bigint or boolean for dtype ${dtype} (a { re, im } value needs a complex dtype)`, fillValue);
    const s = checkShape(shape);
    return new NDArray(allocUninit(dtype, sizeOf(s), 'shape', s), dtype, s).fill(fillValue);
  }
  if (typeof fillValue !== 'number' && typeof fillValue !== 'bigint' && typeof fillValue !== 'boolean') {
    invalidType('fillValue', 'a number, bigint, boolean or { re, im }', fillValue);
  }
  const dtype = o.dtype === undefined ? scalarDType(fillValue, 'fillValue') : checkDType(o.dtype, 'options.dtype');
  if (typeof fillValue === 'bigint') checkBigint(dtype, fillValue, 'fillValue');
  const s = checkShape(shape);
  if (isComplex(dtype)) return new NDArray(allocUninit(dtype, sizeOf(s), 'shape', s), dtype, s).fill(fillValue);
  const data = allocUninit(dtype, sizeOf(s), 'shape', s);
  (data as unknown as { fill(v: number | bigint): void }).fill(storerOf(dtype)(fillValue));
  return new NDArray(data, dtype, s);
}

/**
 * An array of `shape` filled with ones.
 * @throws as {@link empty}.
 * @example nd.ones([2], { dtype: 'bool' }).toArray() // [true, true]
 */
export function ones<D extends DType = 'float64'>(shape: readonly number[] | number, options?: DTypeOptions<D>): NDArray<D> {
  const o = checkOptions(options, { fn: 'nd.ones', known: ['dtype'] });
  return full(shape, 1, { dtype: o.dtype ?? 'float64' }) as NDArray<D>;
}

/**
 * Zeros with the shape (and by default the dtype) of `x`.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE when `x` is not an NDArray or options not an object.
 * @example nd.zerosLike(nd.ones([2, 3], { dtype: 'int32' })).dtype // 'int32'
 */
export function zerosLike(x: NDArray, options?: DTypeOptions): NDArray {
  const o = checkOptions(options, { fn: 'nd.zerosLike', known: ['dtype'] });
  if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
  return zeros(x.shape, { dtype: o.dtype ?? x.dtype });
}

/**
 * Ones with the shape (and by default the dtype) of `x`.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE when `x` is not an NDArray or options not an object.
 * @example nd.onesLike(nd.zeros([2]), { dtype: 'bool' }).toArray() // [true, true]
 */
export function onesLike(x: NDArray, options?: DTypeOptions): NDArray {
  const o = checkOptions(options, { fn: 'nd.onesLike', known: ['dtype'] });
  if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
  return ones(x.shape, { dtype: o.dtype ?? x.dtype });
}

/**
 * NumPy's arange length (`_calc_length`): ceil((stop - start) / step), except
 * that a quotient that underflows to zero gives 1 when it is +0 (there is a
 * value before `stop`) and 0 when it is -0.
 */
function arangeLength(start: number, stop: number, step: number): number {
  const diff = stop - start;
  if (diff === 0) return 0;
  const q = diff / step;
  if (q === 0) return Object.is(q, -0) ? 0 : 1;
  return Math.max(0, Math.ceil(q));
}

/** Truncates one of arange's first two values into an integer dtype; NumPy raises when it does not fit. */
function truncInto(dtype: DType, v: number, arg: string): number {
  const t = Math.trunc(v) + 0; // + 0 turns -0 into 0
  const [lo, hi] = INT_RANGE(dtype)!;
  const b = BigInt(t);
  if (b < lo || b > hi) invalidValue(arg, `a value that truncates into [${lo}, ${hi}] (${dtype})`, v);
  return t;
}

/**
 * Evenly spaced values in [start, stop): `arange(stop)`, `arange(start, stop)`
 * or `arange(start, stop, step)`, optionally followed by `{dtype}`.
 *
 * As NumPy: the length is ceil((stop - start) / step) in doubles; the first
 * two values are `start` and `start + step` cast to the dtype (to integer
 * dtypes by truncation, an error when they do not fit); then
 * `delta = v1 - v0` and `v[i] = v0 + i * delta` in the dtype's arithmetic
 * (integers wrap around; float32 rounds each step to float32; float16 and
 * bfloat16 compute in float32 and round each value). `bool` allows at most 2
 * values.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for non-finite or non-number bounds, or
 *   a last argument that is neither a number nor an options object (`arange(5, 'int32')`).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a zero step, a wrong argument count,
 *   `start` or `start + step` outside an integer dtype, or more values than a typed array holds;
 *   ERR_NDSHARE_DTYPE for `bool` with more than 2 values.
 * @example nd.arange(5).toArray() // [0, 1, 2, 3, 4]
 * @example nd.arange(10, 0, -3, { dtype: 'int32' }).toArray() // [10, 7, 4, 1]
 * @example nd.arange(-3.5, 2, 1, { dtype: 'int32' }).toArray() // [-3, -2, -1, 0, 1, 2]
 */
export function arange(...args: (number | DTypeOptions | undefined)[]): NDArray {
  let options: DTypeOptions = {};
  const last = args[args.length - 1];
  if (args.length > 0 && typeof last !== 'number' && last !== undefined) {
    options = checkOptions(last as DTypeOptions, { fn: 'nd.arange', known: ['dtype'] });
    args = args.slice(0, -1);
  }
  const nums = args as number[];
  nums.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) invalidType(`arange argument ${i}`, 'a finite number', v);
  });
  let start = 0;
  let stop: number;
  let step = 1;
  if (nums.length === 1) stop = nums[0]!;
  else if (nums.length === 2) [start, stop] = nums as [number, number];
  else if (nums.length === 3) [start, stop, step] = nums as [number, number, number];
  else invalidValue('arguments', '(stop), (start, stop) or (start, stop, step)', nums);
  if (step === 0) invalidValue('step', 'a non-zero number', step);
  const dtype = checkDType(options.dtype ?? 'float64', 'options.dtype');
  const length = arangeLength(start, stop, step);
  if (dtype === 'bool' && length > 2) {
    invalidValue('options.dtype', 'a numeric dtype (bool only for at most 2 values)', dtype, codes.DTYPE);
  }
  if (isComplex(dtype)) return arange(start, stop, step, { dtype: 'float64' }).astype(dtype); // real start and step
  const out = allocUninit(dtype, length, 'the length of arange', length);
  const x = new NDArray(out, dtype, [length]);
  if (length === 0) return x;
  const next = start + step;
  const info = dtypeInfo(dtype);
  if (info.kind === 'f') fillFloatRange(dtype, out, length, start, next);
  else if (dtype === 'bool') {
    out[0] = start !== 0 ? 1 : 0;
    if (length > 1) out[1] = next !== 0 ? 1 : 0;
  } else {
    const v0 = truncInto(dtype, start, 'start');
    const v1 = length > 1 ? truncInto(dtype, next, 'start + step') : v0;
    if (info.bigint) {
      const o = out as BigInt64Array;
      const b0 = BigInt(v0);
      const b1 = BigInt(v1);
      const delta = b1 - b0;
      o[0] = b0;
      if (length > 1) o[1] = b1;
      // Typed-array stores wrap modulo 2^64, as NumPy's int64/uint64 arithmetic does.
      let acc = b1;
      for (let i = 2; i < length; i++) {
        acc = BigInt.asUintN(64, acc + delta);
        o[i] = acc;
      }
    } else {
      const o = out as Int32Array;
      const delta = v1 - v0;
      o[0] = v0;
      if (length > 1) o[1] = v1;
      // Modulo 2^32 (imul, | 0), then the typed-array store keeps the dtype's low bits: NumPy's wraparound.
      for (let i = 2; i < length; i++) o[i] = (v0 + Math.imul(i, delta)) | 0;
    }
  }
  return x;
}

/** arange's values for float dtypes, with NumPy's `@NAME@_fill` arithmetic per dtype. */
function fillFloatRange(dtype: DType, out: TypedArray, length: number, start: number, next: number): void {
  if (dtype === 'float64') {
    const o = out as Float64Array;
    const delta = next - start;
    o[0] = start;
    if (length > 1) o[1] = next;
    for (let i = 2; i < length; i++) o[i] = start + i * delta;
    return;
  }
  const f = Math.fround;
  if (dtype === 'float32') {
    const o = out as Float32Array;
    const v0 = f(start);
    const delta = f(f(next) - v0);
    o[0] = v0;
    if (length > 1) o[1] = next;
    // Products and sums of float32 values are exact or correctly rounded in
    // doubles, so fround after each gives float32 arithmetic.
    for (let i = 2; i < length; i++) o[i] = v0 + f(f(i) * delta);
    return;
  }
  // float16 (NumPy's HALF_fill) and bfloat16 (ml_dtypes): the two first
  // values rounded to the dtype, then float32 arithmetic, each value rounded.
  const toBits = dtype === 'float16' ? numberToHalf : numberToBfloat16;
  const fromBits = dtype === 'float16' ? halfToNumber : bfloat16ToNumber;
  const o = out as Uint16Array;
  o[0] = toBits(start);
  if (length === 1) return;
  o[1] = toBits(next);
  const v0 = fromBits(o[0]);
  const delta = f(fromBits(o[1]) - v0);
  for (let i = 2; i < length; i++) o[i] = toBits(f(v0 + f(f(i) * delta)));
}

/** Options of {@link linspace}. */
export interface LinspaceOptions extends DTypeOptions {
  /** Include `stop` as the last value. Default true. */
  endpoint?: boolean;
}

/**
 * `num` evenly spaced values from `start` to `stop` (NumPy's algorithm, so
 * results match bit for bit in float64). Computed in float64, then floored
 * for integer dtypes (as NumPy 2) and cast.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for non-number bounds, a non-boolean
 *   `endpoint` or options that are not an object.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a `num` that is not a non-negative
 *   integer or above what a typed array holds.
 * @example nd.linspace(0, 1, 5).toArray() // [0, 0.25, 0.5, 0.75, 1]
 * @example nd.linspace(-1, 1, 5, { dtype: 'int32' }).toArray() // [-1, -1, 0, 0, 1]
 */
export function linspace(start: number, stop: number, num = 50, options?: LinspaceOptions): NDArray {
  const o = checkOptions(options, { fn: 'nd.linspace', known: ['dtype', 'endpoint'] });
  if (typeof start !== 'number') invalidType('start', 'a number', start);
  if (typeof stop !== 'number') invalidType('stop', 'a number', stop);
  if (!Number.isInteger(num) || num < 0) invalidValue('num', 'a non-negative integer', num);
  const endpoint = o.endpoint ?? true;
  if (typeof endpoint !== 'boolean') invalidType('options.endpoint', 'a boolean', endpoint);
  const dtype = checkDType(o.dtype ?? 'float64', 'options.dtype');
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const y = allocUninit('float64', num, 'num', num) as Float64Array;
  const step = delta / div;
  for (let i = 0; i < num; i++) {
    if (div > 0) y[i] = step === 0 ? (i / div) * delta + start : i * step + start;
    else y[i] = i * delta + start;
  }
  if (endpoint && num > 1) y[num - 1] = stop;
  const kind = dtypeInfo(dtype).kind;
  if (kind === 'i' || kind === 'u') for (let i = 0; i < num; i++) y[i] = Math.floor(y[i]!);
  const f = new NDArray(y, 'float64', [num]);
  return dtype === 'float64' ? f : f.astype(dtype);
}

/** Options of {@link eye}. */
export interface EyeOptions extends DTypeOptions {
  /** Diagonal: 0 the main one, > 0 above, < 0 below. */
  k?: number;
}

/**
 * A 2-D array with ones on the `k`-th diagonal and zeros elsewhere.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a negative or non-integer `n` or `m`.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a non-integer `options.k` or options that are not an object.
 * @example nd.eye(2).toArray() // [[1, 0], [0, 1]]
 */
export function eye(n: number, m?: number, options?: EyeOptions): NDArray {
  const o = checkOptions(options, { fn: 'nd.eye', known: ['dtype', 'k'] });
  if (!Number.isInteger(n) || n < 0) invalidValue('n', 'a non-negative integer', n);
  const cols = m ?? n;
  if (!Number.isInteger(cols) || cols < 0) invalidValue('m', 'a non-negative integer', m);
  const k = o.k ?? 0;
  if (!Number.isInteger(k)) invalidType('options.k', 'an integer', k);
  const x = zeros([n, cols], { dtype: o.dtype ?? 'float64' });
  const one = storerOf(x.dtype)(1);
  const d = x.data as unknown as Writable;
  const lanes = x.dtypeInfo.lanes; // complex: the real part of each diagonal element
  for (let i = 0; i < n; i++) {
    const j = i + k;
    if (j >= 0 && j < cols) d[(i * cols + j) * lanes] = one;
  }
  return x;
}
