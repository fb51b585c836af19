/**
 * NumPy's indexing routines (the `indexing` group of numpy-api.tsv) over the
 * advanced-indexing plan: take/put, the along-axis pair, compress/extract,
 * place/putmask, choose/select, nonzero/flatnonzero/argwhere, the diagonal and
 * triangle helpers. ix and the multi-index conversions are in multi-index.ts,
 * the argument checks they share in args.ts.
 *
 * @module
 */
import { NdshareError, NdshareRangeError, NdshareTypeError, codes, invalidType, invalidValue } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import { checkShape, indexValue, normalizeAxis, sizeOf } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { storerOf } from '../ndarray/cast.js';
import { equal, logicalNot, notEqual } from '../math/elementwise.js';
import { where } from '../math/selection.js';
import { resultType } from '../math/promote.js';
import { emptyArray, scalarArray, type Operand } from '../math/ufunc.js';
import { index, maskCoordinates, setIndex, type AdvancedIndex } from './advanced.js';
import { arr, checkMode, intIndex, modeIndices, type IndexMode } from './args.js';
import { int64Of, numbersOf } from './int64.js';
import { argwhereNative, nonzeroNative, takeAxis } from './native.js';
import { checkOptions } from '../validate.js';

export type { IndexMode };

const colons = (n: number): string[] => Array<string>(n).fill(':');

/** Options of {@link take}. */
export interface TakeOptions {
  /** Axis to take along; null (default) takes from the flattened array. */
  axis?: number | null;
  mode?: IndexMode;
}

/**
 * Elements of `a` at `indices` along `axis` (NumPy's `take`); a copy of shape
 * `a.shape[:axis] + indices.shape + a.shape[axis+1:]`.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for an index outside the axis (mode 'raise').
 * @example nd.take(nd.array([4, 3, 5]), [0, 2]) // [4, 5]
 */
export function take(a: Operand, indices: Operand, options?: TakeOptions): NDArray {
  checkOptions(options, { fn: 'nd.take', known: ['axis', 'mode'] });
  let x = arr(a, 'a');
  const mode = checkMode(options?.mode);
  if (options?.axis === undefined || options.axis === null) x = x.ravel();
  const axis = normalizeAxis(options?.axis ?? 0, x.ndim, 'options.axis');
  return takeAxis(x, intIndex(indices, 'indices'), axis, mode);
}

/**
 * Writes `values` into the flattened `a` at `indices` (NumPy's `put`), in
 * place; values repeat when shorter than indices.
 * @throws {NdshareError} ERR_NDSHARE_READ_ONLY when `a` is not writeable.
 * @example nd.put(x, [0, 2], [-44, -55])
 */
export function put(a: NDArray, indices: Operand, values: Operand, options?: { mode?: IndexMode }): void {
  checkOptions(options, { fn: 'nd.put', known: ['mode'] });
  if (!(a instanceof NDArray)) invalidType('a', 'an NDArray', a);
  if (!a.flags.writeable) throw new NdshareError('put: a is read-only', { code: codes.READ_ONLY });
  const mode = checkMode(options?.mode);
  const ind = numbersOf(modeIndices(intIndex(indices, 'indices'), a.size, mode));
  const v = arr(values, 'values').astype(a.dtype).ravel();
  if (ind.length === 0) return;
  if (v.size === 0) return;
  const store = a.data as unknown as { [i: number]: number | bigint };
  const vd = v.data as unknown as { [i: number]: number | bigint };
  const n = a.size;
  for (let i = 0; i < ind.length; i++) {
    let f = ind[i]!;
    if (f < 0) f += n;
    if (!(f >= 0 && f < n)) {
      throw new NdshareRangeError(`Index ${ind[i]} is out of bounds for axis 0 with size ${n}`, { code: codes.OUT_OF_BOUNDS });
    }
    store[flatPosition(a, f)] = vd[v.offset + (i % v.size)]!;
  }
}

/** Position in `a.data` of flat C-order index `f`. */
function flatPosition(a: NDArray, f: number): number {
  if (a.flags.cContiguous) return a.offset + f;
  let p = a.offset;
  for (let k = a.ndim - 1; k >= 0; k--) {
    const d = a.shape[k]!;
    p += (f % d) * a.strides[k]!;
    f = Math.floor(f / d);
  }
  return p;
}

/** The fancy index of the along-axis pair: aranges on every other axis, `ind` on `axis`. */
function alongAxisIndex(x: NDArray, ind: NDArray, axis: number): NDArray[] {
  if (ind.ndim !== x.ndim) {
    throw new NdshareRangeError(`indices and arr must have the same number of dimensions (${ind.ndim} and ${x.ndim})`, { code: codes.SHAPE_MISMATCH });
  }
  return x.shape.map((d, k) => {
    if (k === axis) return ind;
    const shape = x.shape.map((_, j) => (j === k ? (ind.shape[k] === 1 && d !== 1 ? d : d) : 1));
    return int64Of(
      Float64Array.from({ length: d }, (_, i) => i),
      shape,
    );
  });
}

/**
 * `arr` indexed by `indices` along `axis` with the other axes matched
 * (NumPy's `take_along_axis`; axis null works on the flattened array).
 * @example nd.takeAlongAxis(x, nd.argsort(x, {axis: 1}), {axis: 1})
 */
export function takeAlongAxis(a: Operand, indices: Operand, options?: { axis?: number | null }): NDArray {
  checkOptions(options, { fn: 'nd.takeAlongAxis', known: ['axis'] });
  let x = arr(a, 'arr');
  let ind = intIndex(indices, 'indices');
  const ax = options?.axis === undefined ? -1 : options.axis;
  if (ax === null) {
    x = x.ravel();
    if (ind.ndim !== 1) invalidValue('indices', 'a 1-D array when axis is null', ind.shape);
  }
  const axis = normalizeAxis(ax ?? 0, x.ndim, 'options.axis');
  if (ind.ndim === 0) ind = ind.reshape([1]);
  return index(x, ...alongAxisIndex(x, ind, axis));
}

/**
 * Writes `values` into `arr` at `indices` along `axis` (NumPy's `put_along_axis`), in place.
 * @example nd.putAlongAxis(x, nd.argmax(x, {axis: 1, keepdims: true}), 0, {axis: 1})
 */
export function putAlongAxis(a: NDArray, indices: Operand, values: Operand, options: { axis: number | null }): void {
  checkOptions(options, { fn: 'nd.putAlongAxis', known: ['axis'] });
  if (!(a instanceof NDArray)) invalidType('arr', 'an NDArray', a);
  if (options === undefined || !('axis' in options)) invalidType('options.axis', 'an integer or null', undefined);
  const ind = intIndex(indices, 'indices');
  if (options.axis === null) {
    if (!a.flags.cContiguous) throw new NdshareTypeError('putAlongAxis with axis null needs a C-contiguous array', { code: codes.UNSUPPORTED });
    setIndex(a.ravel(), [ind, values]);
    return;
  }
  const axis = normalizeAxis(options.axis, a.ndim, 'options.axis');
  setIndex(a, [...alongAxisIndex(a, ind, axis), values]);
}

/**
 * The slices of `a` along `axis` where `condition` is true (NumPy's
 * `compress`; a shorter condition counts as false past its end).
 * @example nd.compress([false, true, true], x, {axis: 0})
 */
export function compress(condition: Operand, a: Operand, options?: { axis?: number | null }): NDArray {
  checkOptions(options, { fn: 'nd.compress', known: ['axis'] });
  let x = arr(a, 'a');
  const c = arr(condition, 'condition');
  if (c.ndim !== 1) invalidValue('condition', 'a 1-D array', c.shape);
  if (options?.axis === undefined || options.axis === null) x = x.ravel();
  const axis = normalizeAxis(options?.axis ?? 0, x.ndim, 'options.axis');
  const [pos] = maskCoordinates(c.astype('bool'));
  const len = x.shape[axis]!;
  for (const p of pos!) {
    if (p >= len) {
      throw new NdshareRangeError(`Index ${p} is out of bounds for axis ${axis} with size ${len}`, { code: codes.OUT_OF_BOUNDS });
    }
  }
  return index(x, ...colons(axis), int64Of(pos!));
}

/**
 * The elements of `arr` where `condition` is nonzero, flattened (NumPy's `extract`).
 * @example nd.extract(nd.greater(x, 0), x)
 */
export function extract(condition: Operand, a: Operand): NDArray {
  const x = arr(a, 'arr').ravel();
  const c = arr(condition, 'condition').ravel().astype('bool');
  if (c.size !== x.size) {
    // NumPy's extract is take(ravel(arr), nonzero(ravel(condition))): an index past arr's end raises.
    const [pos] = maskCoordinates(c);
    return take(x, int64Of(pos!));
  }
  return index(x, c);
}

/**
 * Writes `vals` (repeated as needed) into the elements of `arr` where `mask`
 * is true, in order (NumPy's `place`), in place.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for empty vals with a true mask.
 */
export function place(a: NDArray, mask: Operand, vals: Operand): void {
  if (!(a instanceof NDArray)) invalidType('arr', 'an NDArray', a);
  const m = arr(mask, 'mask').astype('bool');
  if (m.size !== a.size) invalidValue('mask', `a mask of size ${a.size}`, m.shape);
  const coords = maskCoordinates(m.reshape(a.shape));
  const n = coords[0]?.length ?? (m.size > 0 && m.data[m.offset] ? 1 : 0);
  const v = arr(vals, 'vals').ravel();
  if (n === 0) return;
  if (v.size === 0) invalidValue('vals', 'at least one value when mask has a true element', []);
  const rep = index(v, int64Of(Float64Array.from({ length: n }, (_, i) => i % v.size)));
  setIndex(a, [m.reshape(a.shape), rep]);
}

/**
 * `a.flat[i] = values[i % values.size]` where `mask.flat[i]` is true (NumPy's `putmask`), in place.
 */
export function putmask(a: NDArray, mask: Operand, values: Operand): void {
  if (!(a instanceof NDArray)) invalidType('a', 'an NDArray', a);
  if (!a.flags.writeable) throw new NdshareError('putmask: a is read-only', { code: codes.READ_ONLY });
  const m = arr(mask, 'mask').astype('bool');
  if (m.size !== a.size) invalidValue('mask', `a mask of size ${a.size}`, m.shape);
  const v = arr(values, 'values').astype(a.dtype).ravel();
  const mc = m.flags.cContiguous ? m : m.copy();
  const md = mc.data;
  const store = a.data as unknown as { [i: number]: number | bigint };
  const vd = v.data as unknown as { [i: number]: number | bigint };
  if (v.size === 0) return;
  for (let i = 0; i < a.size; i++) {
    if (md[mc.offset + i]) store[flatPosition(a, i)] = vd[v.offset + (i % v.size)]!;
  }
}

/**
 * Picks, element by element, from `choices[a]` (NumPy's `choose`), with broadcasting.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for an index outside the choices (mode 'raise').
 * @example nd.choose([0, 1, 0], [[1, 2, 3], [10, 20, 30]]) // [1, 20, 3]
 */
export function choose(a: Operand, choices: readonly Operand[], options?: { mode?: IndexMode }): NDArray {
  checkOptions(options, { fn: 'nd.choose', known: ['mode'] });
  if (!Array.isArray(choices) || choices.length === 0) invalidType('choices', 'a non-empty list of arrays', choices);
  const mode = checkMode(options?.mode);
  let ind = modeIndices(intIndex(a, 'a'), choices.length, mode);
  const cs = choices.map((c, i) => arr(c, `choices[${i}]`));
  const v = numbersOf(ind);
  for (const x of v) {
    if (!(x >= 0 && x < cs.length)) {
      throw new NdshareRangeError(`choose: index ${x} is outside [0, ${cs.length})`, { code: codes.OUT_OF_BOUNDS });
    }
  }
  if (ind.dtype !== 'int64') ind = ind.astype('int64');
  const t = resultType(
    cs.map((c) => c.dtype),
    [],
  );
  let out: NDArray | undefined;
  for (let k = cs.length - 1; k >= 0; k--) {
    out = out === undefined ? where(equal(ind, BigInt(k)), cs[k]!, cs[k]!).astype(t) : where(equal(ind, BigInt(k)), cs[k]!, out);
  }
  return out!;
}

/**
 * The choice of the first true condition, element by element (NumPy's `select`).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a non-bool condition.
 * @example nd.select([nd.less(x, 3), nd.greater(x, 5)], [x, nd.multiply(x, x)])
 */
export function select(condlist: readonly Operand[], choicelist: readonly Operand[], options?: { default?: Operand }): NDArray {
  checkOptions(options, { fn: 'nd.select', known: ['default'] });
  if (!Array.isArray(condlist) || !Array.isArray(choicelist)) invalidType('condlist', 'two lists', condlist);
  if (condlist.length !== choicelist.length) {
    invalidValue('choicelist', `a list as long as condlist (${condlist.length})`, choicelist);
  }
  if (condlist.length === 0) invalidValue('condlist', 'at least one condition', condlist);
  const conds = condlist.map((c, i) => {
    const a = arr(c, `condlist[${i}]`);
    if (a.dtype !== 'bool') {
      throw new NdshareTypeError(`invalid entry ${i} in condlist: should be boolean ndarray`, { code: codes.INVALID_ARG_TYPE });
    }
    return a;
  });
  const def = options?.default ?? 0;
  const chs = choicelist.map((c, i) => (typeof c === 'object' ? arr(c, `choicelist[${i}]`) : c));
  const strong = [...chs, def].filter((c): c is NDArray => c instanceof NDArray).map((c) => c.dtype);
  const weak = [...chs, def].filter((c) => !(c instanceof NDArray)) as (number | bigint | boolean)[];
  const t = resultType(strong, weak);
  let out = where(true, def, def);
  out = out.astype(t);
  for (let k = conds.length - 1; k >= 0; k--) out = where(conds[k]!, chs[k]!, out);
  return out.dtype === t ? out : out.astype(t);
}

/**
 * The indices of the nonzero elements, one int64 array per axis (NumPy's `nonzero`).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a 0-d array (NumPy 2 refuses it).
 * @example nd.nonzero(nd.array([[1, 0], [0, 2]])) // [[0, 1], [0, 1]] as int64 arrays
 */
export function nonzero(a: Operand): NDArray<'int64'>[] {
  const x = arr(a, 'a');
  if (x.ndim === 0) {
    throw new NdshareRangeError('Calling nonzero on 0d arrays is not allowed; use nd.atleast1d(x).nonzero()', { code: codes.INVALID_ARG_VALUE });
  }
  return nonzeroNative(x);
}

/** Flat (C-order) indices of the nonzero elements (NumPy's `flatnonzero`). */
export function flatnonzero(a: Operand): NDArray<'int64'> {
  return nonzero(arr(a, 'a').ravel())[0]!;
}

/** Indices of the nonzero elements as an (N, ndim) int64 array (NumPy's `argwhere`). */
export function argwhere(a: Operand): NDArray<'int64'> {
  const x = arr(a, 'a');
  if (x.ndim === 0) {
    const t = x.dtype === 'bool' ? x.item() : x.item() != 0; // eslint-disable-line eqeqeq
    return new NDArray(new BigInt64Array(0), 'int64', [t ? 1 : 0, 0]);
  }
  return argwhereNative(x);
}

/** Options of {@link diagonal}. */
export interface DiagonalOptions {
  offset?: number;
  axis1?: number;
  axis2?: number;
}

/**
 * A read-only view of the diagonal of the 2-D sub-arrays on `axis1`, `axis2`
 * (NumPy's `diagonal`; the diagonal is the last axis of the result).
 * @example nd.diagonal(nd.arange(9).reshape([3, 3])) // [0, 4, 8]
 */
export function diagonal(a: Operand, options?: DiagonalOptions): NDArray {
  checkOptions(options, { fn: 'nd.diagonal', known: ['offset', 'axis1', 'axis2'] });
  const x = arr(a, 'a');
  if (x.ndim < 2) invalidValue('a', 'an array of at least 2 dimensions', x.shape);
  const a1 = normalizeAxis(options?.axis1 ?? 0, x.ndim, 'options.axis1');
  const a2 = normalizeAxis(options?.axis2 ?? 1, x.ndim, 'options.axis2');
  if (a1 === a2) invalidValue('options.axis2', 'an axis other than axis1', options?.axis2 ?? 1);
  const k = indexValue(options?.offset ?? 0) as number;
  if (!Number.isInteger(k)) invalidType('options.offset', 'an integer', k);
  const n1 = x.shape[a1]!;
  const n2 = x.shape[a2]!;
  let off = x.offset;
  let len: number;
  if (k >= 0) {
    len = Math.max(0, Math.min(n1, n2 - k));
    if (len > 0) off += k * x.strides[a2]!;
  } else {
    len = Math.max(0, Math.min(n1 + k, n2));
    if (len > 0) off -= k * x.strides[a1]!;
  }
  const keep = [...x.shape.keys()].filter((i) => i !== a1 && i !== a2);
  const shape = [...keep.map((i) => x.shape[i]!), len];
  const strides = [...keep.map((i) => x.strides[i]!), x.strides[a1]! + x.strides[a2]!];
  const empty = sizeOf(shape) === 0;
  return new NDArray(x.data, x.dtype, shape, strides, empty ? x.offset : off, { writeable: false, base: x });
}

/** The indices of the main diagonal of an `ndim`-dimensional (n, n, ...) array (NumPy's `diag_indices`). */
export function diagIndices(n: number, ndim = 2): NDArray<'int64'>[] {
  const nn = indexValue(n) as number;
  if (!Number.isInteger(nn) || nn < 0) invalidValue('n', 'a non-negative integer', n);
  const r = int64Of(Float64Array.from({ length: nn }, (_, i) => i));
  return Array.from({ length: ndim }, () => r);
}

/** {@link diagIndices} for an array whose axes all have the same length (at least 2-D). */
export function diagIndicesFrom(a: Operand): NDArray<'int64'>[] {
  const x = arr(a, 'arr');
  if (x.ndim < 2) invalidValue('arr', 'an array of at least 2 dimensions', x.shape);
  if (x.shape.some((d) => d !== x.shape[0])) invalidValue('arr', 'an array whose dimensions are all equal', x.shape);
  return diagIndices(x.shape[0]!, x.ndim);
}

/**
 * Writes `val` (cycled when an array) onto the main diagonal of `a`, in place
 * (NumPy's `fill_diagonal`; `wrap` continues past N columns in tall matrices).
 */
export function fillDiagonal(a: NDArray, val: Operand, options?: { wrap?: boolean }): void {
  checkOptions(options, { fn: 'nd.fillDiagonal', known: ['wrap'] });
  if (!(a instanceof NDArray)) invalidType('a', 'an NDArray', a);
  if (a.ndim < 2) invalidValue('a', 'an array of at least 2 dimensions', a.shape);
  if (!a.flags.writeable) throw new NdshareError('fillDiagonal: a is read-only', { code: codes.READ_ONLY });
  let step: number;
  let end = a.size;
  if (a.ndim === 2) {
    step = a.shape[1]! + 1;
    if (!options?.wrap) end = Math.min(end, a.shape[1]! * a.shape[1]!);
  } else {
    if (a.shape.some((d) => d !== a.shape[0])) invalidValue('a', 'an array whose dimensions are all equal', a.shape);
    step = 1;
    let c = 1;
    for (let k = a.ndim - 1; k > 0; k--) {
      c *= a.shape[k]!;
      step += c;
    }
  }
  const v = arr(val, 'val').astype(a.dtype).ravel();
  if (v.size === 0) return;
  const store = a.data as unknown as { [i: number]: number | bigint };
  const vd = v.data as unknown as { [i: number]: number | bigint };
  for (let f = 0, j = 0; f < end; f += step, j++) store[flatPosition(a, f)] = vd[v.offset + (j % v.size)]!;
}

/** Options of {@link tri}. */
export interface TriOptions {
  /** Number of columns (default N). */
  M?: number | null;
  /** Sub-diagonal at and below which the array is filled (default 0). */
  k?: number;
  dtype?: DType;
}

/**
 * An N×M array with ones at and below the k-th diagonal (NumPy's `tri`).
 * @example nd.tri(3, { k: -1 })
 */
export function tri(N: number, options?: TriOptions): NDArray {
  checkOptions(options, { fn: 'nd.tri', known: ['M', 'k', 'dtype'] });
  const n = indexValue(N) as number;
  const m = options?.M === undefined || options.M === null ? n : (indexValue(options.M) as number);
  const k = indexValue(options?.k ?? 0) as number;
  for (const [name, v] of [
    ['N', n],
    ['options.M', m],
    ['options.k', k],
  ] as const) {
    if (!Number.isInteger(v)) invalidType(name, 'an integer', v);
  }
  const shape = checkShape([Math.max(n, 0), Math.max(m, 0)], 'N');
  const out = emptyArray(options?.dtype ?? 'float64', shape);
  const store = out.data as unknown as { [i: number]: number | bigint };
  const one = storerOf(out.dtype)(1);
  const zero = storerOf(out.dtype)(0);
  for (let i = 0; i < shape[0]!; i++) for (let j = 0; j < shape[1]!; j++) store[i * shape[1]! + j] = j - i <= k ? one : zero;
  return out;
}

function triMask(x: NDArray, k: number): NDArray {
  const s = x.shape.slice(-2);
  return s.length === 1 ? tri(s[0]!, { M: s[0]!, k, dtype: 'bool' }) : tri(s[0]!, { M: s[1]!, k, dtype: 'bool' });
}

/**
 * The lower triangle of (the last two axes of) `m`, zeros above the k-th diagonal (NumPy's `tril`).
 * @example nd.tril(nd.ones([3, 3]), { k: -1 })
 */
export function tril(m: Operand, options?: { k?: number }): NDArray {
  checkOptions(options, { fn: 'nd.tril', known: ['k'] });
  const x = arr(m, 'm');
  const k = indexValue(options?.k ?? 0) as number;
  if (x.ndim === 0) invalidValue('m', 'an array of at least 1 dimension', x.shape);
  return where(triMask(x, k), x, scalarArray(0, x.dtype));
}

/** The upper triangle of (the last two axes of) `m`, zeros below the k-th diagonal (NumPy's `triu`). */
export function triu(m: Operand, options?: { k?: number }): NDArray {
  checkOptions(options, { fn: 'nd.triu', known: ['k'] });
  const x = arr(m, 'm');
  const k = indexValue(options?.k ?? 0) as number;
  if (x.ndim === 0) invalidValue('m', 'an array of at least 1 dimension', x.shape);
  return where(triMask(x, k - 1), scalarArray(0, x.dtype), x);
}

/** The indices of the lower triangle of an (n, m) array (NumPy's `tril_indices`). */
export function trilIndices(n: number, options?: { k?: number; m?: number | null }): NDArray<'int64'>[] {
  checkOptions(options, { fn: 'nd.trilIndices', known: ['k', 'm'] });
  return nonzero(tri(n, { M: options?.m ?? null, k: options?.k ?? 0, dtype: 'bool' }));
}

/** The indices of the upper triangle of an (n, m) array (NumPy's `triu_indices`). */
export function triuIndices(n: number, options?: { k?: number; m?: number | null }): NDArray<'int64'>[] {
  checkOptions(options, { fn: 'nd.triuIndices', known: ['k', 'm'] });
  return nonzero(logicalNot(tri(n, { M: options?.m ?? null, k: (options?.k ?? 0) - 1, dtype: 'bool' })));
}

function twoD(a: Operand, fn: string): NDArray {
  const x = arr(a, 'arr');
  if (x.ndim !== 2) invalidValue('arr', `a 2-D array for ${fn}`, x.shape);
  return x;
}

/** {@link trilIndices} for the shape of a 2-D array. */
export function trilIndicesFrom(a: Operand, options?: { k?: number }): NDArray<'int64'>[] {
  checkOptions(options, { fn: 'nd.trilIndicesFrom', known: ['k'] });
  const x = twoD(a, 'trilIndicesFrom');
  return trilIndices(x.shape[0]!, { k: options?.k ?? 0, m: x.shape[1]! });
}

/** {@link triuIndices} for the shape of a 2-D array. */
export function triuIndicesFrom(a: Operand, options?: { k?: number }): NDArray<'int64'>[] {
  checkOptions(options, { fn: 'nd.triuIndicesFrom', known: ['k'] });
  const x = twoD(a, 'triuIndicesFrom');
  return triuIndices(x.shape[0]!, { k: options?.k ?? 0, m: x.shape[1]! });
}

/**
 * The indices where `maskFunc(ones((n, n)), k)` is nonzero (NumPy's `mask_indices`).
 * @example nd.maskIndices(3, (m, k) => nd.triu(m, { k }))
 */
export function maskIndices(n: number, maskFunc: (m: NDArray, k: number) => NDArray, options?: { k?: number }): NDArray<'int64'>[] {
  checkOptions(options, { fn: 'nd.maskIndices', known: ['k'] });
  if (typeof maskFunc !== 'function') invalidType('maskFunc', 'a function', maskFunc);
  const nn = indexValue(n) as number;
  const m = emptyArray('int64', checkShape([nn, nn], 'n'));
  m.fill(1n);
  return nonzero(notEqual(maskFunc(m, options?.k ?? 0), 0));
}

export type { AdvancedIndex };
