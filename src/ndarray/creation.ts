/**
 * Creation functions (Array API "creation" group): array, asarray, zeros,
 * ones, full, empty, arange, linspace, eye, zerosLike, onesLike.
 *
 * JS numbers are doubles, so numbers infer `float64` (as stdlib does), BigInts
 * infer `int64` and booleans `bool`; pass `{dtype}` for anything else.
 *
 * @module
 */
import { codes, describe, invalidType, invalidValue, NdshareError } from '../errors.js';
import type { DType, TypedArray } from './dtypes.js';
import { allocUninit, allocZeroed, checkDType, dtypeOfTypedArray } from './dtypes.js';
import { checkShape, sizeOf } from './layout.js';
import { converterOf, storerOf, type Scalar } from './cast.js';
import { NDArray } from './ndarray.js';
import { fromNdarray, isScijsNdarray } from '../interop/scijs.js';
import { fromStdlib, isStdlibNdarray } from '../interop/stdlib.js';

/** Options of creation functions. */
export interface DTypeOptions {
  /** Element type. Default: `float64` (or inferred from the data). */
  dtype?: DType;
}

/** Options of {@link array} and {@link asarray}. */
export interface ArrayOptions extends DTypeOptions {
  /** Shape to give the data (its size must match). */
  shape?: readonly number[];
}

/** What {@link array} accepts. */
export type ArrayInput = NDArray | TypedArray | NestedInput | ArrayLikeNd;

/** Nested arrays whose innermost level may also be typed arrays. */
export type NestedInput = Scalar | TypedArray | readonly NestedInput[];

/** An ndarray from scijs or stdlib (see interop). */
export interface ArrayLikeNd {
  readonly data: unknown;
  readonly shape: readonly number[];
}

const MAX_INT64 = 2n ** 63n - 1n;

function isSequence(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** Walks nested arrays: shape from the first elements, then checks every level. */
function nestedShape(data: unknown): number[] {
  const shape: number[] = [];
  let cur: unknown = data;
  while (isSequence(cur)) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return checkShape(shape, 'data (shape)');
}

function inferDType(data: ArrayLike<unknown>, depth: number): DType {
  if (ArrayBuffer.isView(data)) return dtypeOfTypedArray(data) ?? 'float64';
  let bools = 0;
  let numbers = 0;
  let bigints = 0;
  let unsigned = false;
  const walk = (v: unknown, d: number): void => {
    if (d < depth) {
      const seq = v as ArrayLike<unknown>;
      if (ArrayBuffer.isView(seq)) {
        const t = dtypeOfTypedArray(seq);
        if (t === 'int64' || t === 'uint64') bigints++;
        else numbers++;
        if (t === 'uint64') unsigned = true;
        return;
      }
      for (let i = 0; i < seq.length; i++) walk(seq[i], d + 1);
      return;
    }
    if (typeof v === 'boolean') bools++;
    else if (typeof v === 'bigint') {
      bigints++;
      if (v > MAX_INT64) unsigned = true;
    } else numbers++;
  };
  walk(data, 0);
  if (bigints > 0) return unsigned ? 'uint64' : 'int64';
  if (numbers === 0 && bools > 0) return 'bool';
  return 'float64';
}

/** Copies nested arrays of scalars into `out` in C order, checking the shape on the way. */
function fillNested(data: unknown, shape: readonly number[], dtype: DType, out: TypedArray): void {
  const store = storerOf(dtype);
  const o = out as unknown as { [i: number]: number | bigint };
  let k = 0;
  const walk = (v: unknown, axis: number, path: string): void => {
    if (axis === shape.length) {
      if (typeof v !== 'number' && typeof v !== 'bigint' && typeof v !== 'boolean') {
        if (isSequence(v)) {
          throw new NdshareError(codes.SHAPE_MISMATCH, `Inhomogeneous nested array: data${path} is a sequence, expected a scalar at depth ${axis}`);
        }
        invalidType(`data${path}`, 'a number, bigint or boolean', v);
      }
      o[k++] = store(v as Scalar);
      return;
    }
    if (!isSequence(v) || v.length !== shape[axis]) {
      throw new NdshareError(
        codes.SHAPE_MISMATCH,
        `Inhomogeneous nested array: expected data${path} to be a sequence of length ${shape[axis]}, received ${describe(v)}`,
      );
    }
    for (let i = 0; i < v.length; i++) walk(v[i], axis + 1, `${path}[${i}]`);
  };
  walk(data, 0, '');
}

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

function withShape(x: NDArray, shape: readonly number[] | undefined): NDArray {
  return shape === undefined ? x : x.reshape(checkShape(shape));
}

/**
 * A new array holding a copy of `data`: nested arrays of numbers/bigints/booleans,
 * a typed array, an NDArray, or a scijs/stdlib ndarray.
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH for ragged nested arrays or a `shape` of another size.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for elements that are not scalars.
 * @example nd.array([[1, 2], [3, 4]], { dtype: 'int32' })
 */
export function array(data: ArrayInput, options: ArrayOptions = {}): NDArray {
  const dtype = options.dtype === undefined ? undefined : checkDType(options.dtype, 'options.dtype');
  if (data instanceof NDArray) return withShape(data.astype(dtype ?? data.dtype), options.shape);
  if (isScijsNdarray(data) || isStdlibNdarray(data)) {
    const view = viewOfForeign(data);
    if (view) return withShape(view.astype(dtype ?? view.dtype), options.shape);
    // A generic ('array'/'generic') ndarray has no typed storage to view: copy its values.
    const foreign = data as unknown as { shape: readonly number[]; get(...i: number[]): unknown };
    return array(nestedFromGetter(foreign), options);
  }
  if (ArrayBuffer.isView(data) && !(data instanceof DataView)) {
    const from = dtypeOfTypedArray(data);
    if (from === undefined) invalidType('data', 'a numeric typed array', data);
    const src = data as TypedArray;
    const to = dtype ?? from;
    const out = allocUninit(to, src.length);
    const conv = converterOf(from, to);
    if (conv === undefined) (out as Float64Array).set(src as Float64Array);
    else {
      const o = out as unknown as { [i: number]: number | bigint };
      for (let i = 0; i < src.length; i++) o[i] = conv(src[i]!);
    }
    return withShape(new NDArray(out, to, [src.length]), options.shape);
  }
  if (typeof data === 'number' || typeof data === 'bigint' || typeof data === 'boolean') {
    const to = dtype ?? (typeof data === 'bigint' ? 'int64' : typeof data === 'boolean' ? 'bool' : 'float64');
    const out = allocZeroed(to, 1);
    (out as unknown as { [i: number]: number | bigint })[0] = storerOf(to)(data);
    return withShape(new NDArray(out, to, []), options.shape);
  }
  if (!Array.isArray(data)) {
    invalidType('data', 'nested arrays, a typed array, an NDArray or an ndarray', data);
  }
  const shape = nestedShape(data);
  const to = dtype ?? inferDType(data, shape.length);
  const out = allocUninit(to, sizeOf(shape));
  fillNested(data, shape, to, out);
  return withShape(new NDArray(out, to, shape), options.shape);
}

/**
 * Like {@link array} but without copying when possible: an NDArray of the
 * requested dtype is returned as is; a typed array, scijs or stdlib ndarray of
 * a matching dtype is wrapped over the same memory.
 * @example nd.asarray(new Float32Array(8), { shape: [2, 4] }) // shares the Float32Array
 */
export function asarray(data: ArrayInput, options: ArrayOptions = {}): NDArray {
  const dtype = options.dtype === undefined ? undefined : checkDType(options.dtype, 'options.dtype');
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
  if (x === undefined) return array(data, options);
  return withShape(x.astype(dtype ?? x.dtype, { copy: false }), options.shape);
}

/**
 * An array of `shape` with uninitialized contents (like NumPy's `empty`).
 * @example nd.empty([2, 3], { dtype: 'float32' })
 */
export function empty(shape: readonly number[] | number, options: DTypeOptions = {}): NDArray {
  const s = checkShape(shape);
  const dtype = checkDType(options.dtype ?? 'float64', 'options.dtype');
  return new NDArray(allocUninit(dtype, sizeOf(s)), dtype, s);
}

/**
 * An array of `shape` filled with zeros.
 * @example nd.zeros([3], { dtype: 'int64' }).toArray() // [0n, 0n, 0n]
 */
export function zeros(shape: readonly number[] | number, options: DTypeOptions = {}): NDArray {
  const s = checkShape(shape);
  const dtype = checkDType(options.dtype ?? 'float64', 'options.dtype');
  return new NDArray(allocZeroed(dtype, sizeOf(s)), dtype, s);
}

/**
 * An array of `shape` filled with `fillValue`; the dtype defaults to the
 * value's (float64 for numbers, int64 for bigints, bool for booleans).
 * @example nd.full([2, 2], 7, { dtype: 'uint8' })
 */
export function full(shape: readonly number[] | number, fillValue: Scalar, options: DTypeOptions = {}): NDArray {
  if (typeof fillValue !== 'number' && typeof fillValue !== 'bigint' && typeof fillValue !== 'boolean') {
    invalidType('fillValue', 'a number, bigint or boolean', fillValue);
  }
  const inferred: DType = typeof fillValue === 'bigint' ? 'int64' : typeof fillValue === 'boolean' ? 'bool' : 'float64';
  const x = empty(shape, { dtype: options.dtype ?? inferred });
  (x.data as unknown as { fill(v: number | bigint): void }).fill(storerOf(x.dtype)(fillValue));
  return x;
}

/**
 * An array of `shape` filled with ones.
 * @example nd.ones([2], { dtype: 'bool' }).toArray() // [true, true]
 */
export function ones(shape: readonly number[] | number, options: DTypeOptions = {}): NDArray {
  return full(shape, 1, { dtype: options.dtype ?? 'float64' });
}

/** Zeros with the shape (and by default the dtype) of `x`. */
export function zerosLike(x: NDArray, options: DTypeOptions = {}): NDArray {
  if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
  return zeros(x.shape, { dtype: options.dtype ?? x.dtype });
}

/** Ones with the shape (and by default the dtype) of `x`. */
export function onesLike(x: NDArray, options: DTypeOptions = {}): NDArray {
  if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
  return ones(x.shape, { dtype: options.dtype ?? x.dtype });
}

/**
 * Evenly spaced values in [start, stop): `arange(stop)`, `arange(start, stop)`
 * or `arange(start, stop, step)`, optionally followed by `{dtype}`. Values are
 * `start + i * delta` with `delta = (start + step) - start`, as NumPy fills them.
 * @example nd.arange(5).toArray() // [0, 1, 2, 3, 4]
 * @example nd.arange(10, 0, -3, { dtype: 'int32' }).toArray() // [10, 7, 4, 1]
 */
export function arange(...args: (number | DTypeOptions | undefined)[]): NDArray {
  let options: DTypeOptions = {};
  if (args.length > 0 && typeof args[args.length - 1] === 'object' && args[args.length - 1] !== null) {
    options = args.pop() as DTypeOptions;
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
  const length = Math.max(0, Math.ceil((stop - start) / step));
  const dtype = checkDType(options.dtype ?? 'float64', 'options.dtype');
  const src = new Float64Array(length);
  const delta = start + step - start;
  for (let i = 0; i < length; i++) src[i] = start + i * delta;
  const f = new NDArray(src, 'float64', [length]);
  return dtype === 'float64' ? f : f.astype(dtype);
}

/** Options of {@link linspace}. */
export interface LinspaceOptions extends DTypeOptions {
  /** Include `stop` as the last value. Default true. */
  endpoint?: boolean;
}

/**
 * `num` evenly spaced values from `start` to `stop` (NumPy's algorithm, so
 * results match bit for bit in float64).
 * @example nd.linspace(0, 1, 5).toArray() // [0, 0.25, 0.5, 0.75, 1]
 */
export function linspace(start: number, stop: number, num = 50, options: LinspaceOptions = {}): NDArray {
  if (typeof start !== 'number') invalidType('start', 'a number', start);
  if (typeof stop !== 'number') invalidType('stop', 'a number', stop);
  if (!Number.isInteger(num) || num < 0) invalidValue('num', 'a non-negative integer', num);
  const endpoint = options.endpoint ?? true;
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const y = new Float64Array(num);
  const step = delta / div;
  for (let i = 0; i < num; i++) {
    if (div > 0) y[i] = step === 0 ? (i / div) * delta + start : i * step + start;
    else y[i] = i * delta + start;
  }
  if (endpoint && num > 1) y[num - 1] = stop;
  const f = new NDArray(y, 'float64', [num]);
  const dtype = checkDType(options.dtype ?? 'float64', 'options.dtype');
  return dtype === 'float64' ? f : f.astype(dtype);
}

/** Options of {@link eye}. */
export interface EyeOptions extends DTypeOptions {
  /** Diagonal: 0 the main one, > 0 above, < 0 below. */
  k?: number;
}

/**
 * A 2-D array with ones on the `k`-th diagonal and zeros elsewhere.
 * @example nd.eye(2).toArray() // [[1, 0], [0, 1]]
 */
export function eye(n: number, m?: number, options: EyeOptions = {}): NDArray {
  if (!Number.isInteger(n) || n < 0) invalidValue('n', 'a non-negative integer', n);
  const cols = m ?? n;
  if (!Number.isInteger(cols) || cols < 0) invalidValue('m', 'a non-negative integer', m);
  const k = options.k ?? 0;
  if (!Number.isInteger(k)) invalidType('options.k', 'an integer', k);
  const x = zeros([n, cols], options);
  const one = storerOf(x.dtype)(1);
  const d = x.data as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < n; i++) {
    const j = i + k;
    if (j >= 0 && j < cols) d[i * cols + j] = one;
  }
  return x;
}
