/**
 * Joining and splitting (NumPy's hstack/vstack/dstack/columnStack/block,
 * split/arraySplit/h/v/dsplit, unstack) and the copying edits append,
 * insert, delete, over `concatenate` and views.
 *
 * @module
 */
import { NdshareError, NdshareRangeError, codes, invalidType, invalidValue } from '../errors.js';
import { indexValue, normalizeAxis } from '../ndarray/layout.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { concatenate, stack } from '../math/shaping.js';
import type { Operand } from '../math/ufunc.js';
import { index } from '../indexing/advanced.js';
import { int64Of, numbersOf } from '../indexing/int64.js';
import { arrayOf, atleast1d, atleast2d, atleast3d, ravel } from './views.js';
import { checkOptions } from '../validate.js';

/** The Array API's name for {@link concatenate}. */
export const concat = concatenate;

function list(arrays: unknown, fn: string): NDArray[] {
  if (!Array.isArray(arrays) || arrays.length === 0) invalidType('tup', `a non-empty list of arrays for ${fn}`, arrays);
  return arrays.map((a, i) => arrayOf(a, `tup[${i}]`));
}

/** Arrays joined along axis 1, or axis 0 for 1-D arrays (NumPy's `hstack`). */
export function hstack(tup: readonly Operand[]): NDArray {
  const xs = list(tup, 'hstack').map((x) => atleast1d(x) as NDArray);
  return concatenate(xs, { axis: xs[0]!.ndim === 1 ? 0 : 1 });
}

/** Arrays joined along axis 0 after making them at least 2-D (NumPy's `vstack`). */
export function vstack(tup: readonly Operand[]): NDArray {
  return concatenate(
    list(tup, 'vstack').map((x) => atleast2d(x) as NDArray),
    { axis: 0 },
  );
}

/** Arrays joined along axis 2 after making them at least 3-D (NumPy's `dstack`). */
export function dstack(tup: readonly Operand[]): NDArray {
  return concatenate(
    list(tup, 'dstack').map((x) => atleast3d(x) as NDArray),
    { axis: 2 },
  );
}

/** 1-D arrays as columns of a 2-D array; 2-D arrays as they are (NumPy's `column_stack`). */
export function columnStack(tup: readonly Operand[]): NDArray {
  return concatenate(
    list(tup, 'columnStack').map((x) => (x.ndim < 2 ? x.reshape([-1, 1]) : x)),
    { axis: 1 },
  );
}

/** The slices of `x` along `axis`, as views (NumPy's `unstack`). */
export function unstack(x: Operand, options?: { axis?: number }): NDArray[] {
  checkOptions(options, { fn: 'nd.unstack', known: ['axis'] });
  const a = arrayOf(x, 'x');
  if (a.ndim === 0) invalidValue('x', 'an array of at least 1 dimension', a.shape);
  const axis = normalizeAxis(options?.axis ?? 0, a.ndim, 'options.axis');
  return Array.from({ length: a.shape[axis]! }, (_, i) => a.slice(...Array<string>(axis).fill(':'), i));
}

/**
 * An array assembled from nested lists of blocks (NumPy's `block`): the
 * innermost lists join along the last axis, the next ones along the one before, ...
 * @example nd.block([[A, B], [C, D]])
 */
export function block(arrays: Operand | readonly unknown[]): NDArray {
  const depthOf = (v: unknown): number => (Array.isArray(v) && v.length > 0 && !isLeafList(v) ? 1 + depthOf(v[0]) : Array.isArray(v) ? 1 : 0);
  // A list of plain numbers is an array, not a list of blocks only at the leaves: NumPy treats every list as a level.
  const isLeafList = (_v: unknown[]): boolean => false;
  if (!Array.isArray(arrays)) return arrayOf(arrays).copy();
  const depth = depthOf(arrays);
  const leaves: NDArray[] = [];
  const collect = (v: unknown, d: number): void => {
    if (d === depth) {
      leaves.push(arrayOf(v, 'arrays'));
      return;
    }
    if (!Array.isArray(v)) {
      throw new NdshareError(`block: list depths are mismatched (a block at depth ${d}, expected ${depth})`, { code: codes.SHAPE_MISMATCH });
    }
    if (v.length === 0) throw new NdshareError('block: lists cannot be empty', { code: codes.INVALID_ARG_VALUE });
    for (const w of v) collect(w, d + 1);
  };
  collect(arrays, 0);
  const ndim = Math.max(depth, ...leaves.map((l) => l.ndim));
  const build = (v: unknown, d: number): NDArray => {
    if (d === depth) {
      const a = arrayOf(v, 'arrays');
      return a.ndim < ndim ? a.reshape([...Array<number>(ndim - a.ndim).fill(1), ...a.shape]) : a;
    }
    return concatenate(
      (v as unknown[]).map((w) => build(w, d + 1)),
      { axis: ndim - depth + d },
    );
  };
  const r = build(arrays, 0);
  return depth === 0 ? r.copy() : r;
}

/** Where to cut: a number of equal sections or the sorted split indices. */
function cuts(len: number, sections: number | readonly number[], equal: boolean): number[] {
  if (typeof sections === 'number' || typeof sections === 'bigint') {
    const n = indexValue(sections) as number;
    if (!Number.isInteger(n) || n <= 0) invalidValue('indicesOrSections', 'a positive number of sections', sections);
    if (equal && len % n !== 0) {
      throw new NdshareError('array split does not result in an equal division', { code: codes.INVALID_ARG_VALUE });
    }
    const each = Math.floor(len / n);
    const extra = len % n;
    const out = [0];
    for (let i = 0; i < n; i++) out.push(out[i]! + each + (i < extra ? 1 : 0));
    return out;
  }
  if (!Array.isArray(sections)) invalidType('indicesOrSections', 'an integer or a list of indices', sections);
  return [0, ...sections.map((s) => indexValue(s) as number), len];
}

function splitAt(x: NDArray, bounds: number[], axis: number): NDArray[] {
  const len = x.shape[axis]!;
  const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + len : v, 0), len);
  const out: NDArray[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const a = clamp(bounds[i]!);
    const b = Math.max(a, clamp(bounds[i + 1]!));
    out.push(x.slice(...Array<string>(axis).fill(':'), `${a}:${b}`));
  }
  return out;
}

/** Options of the split functions. */
export interface SplitOptions {
  /** Default 0. */
  axis?: number;
}

/**
 * Views of `ary` cut into equal sections or at indices along `axis` (NumPy's `split`).
 * @throws {NdshareError} ERR_NDSHARE_INVALID_ARG_VALUE when the sections cannot be equal.
 */
export function split(ary: Operand, indicesOrSections: number | readonly number[], options?: SplitOptions): NDArray[] {
  checkOptions(options, { fn: 'nd.split', known: ['axis'] });
  const x = arrayOf(ary, 'ary');
  const axis = normalizeAxis(options?.axis ?? 0, x.ndim, 'options.axis');
  return splitAt(x, cuts(x.shape[axis]!, indicesOrSections, true), axis);
}

/** {@link split} allowing sections of unequal length (the first ones one longer). */
export function arraySplit(ary: Operand, indicesOrSections: number | readonly number[], options?: SplitOptions): NDArray[] {
  checkOptions(options, { fn: 'nd.arraySplit', known: ['axis'] });
  const x = arrayOf(ary, 'ary');
  const axis = normalizeAxis(options?.axis ?? 0, x.ndim, 'options.axis');
  return splitAt(x, cuts(x.shape[axis]!, indicesOrSections, false), axis);
}

/** {@link split} along axis 1 (axis 0 for 1-D arrays). */
export function hsplit(ary: Operand, indicesOrSections: number | readonly number[]): NDArray[] {
  const x = arrayOf(ary, 'ary');
  if (x.ndim === 0) invalidValue('ary', 'an array of at least 1 dimension', x.shape);
  return split(x, indicesOrSections, { axis: x.ndim > 1 ? 1 : 0 });
}

/** {@link split} along axis 0 (at least 2-D). */
export function vsplit(ary: Operand, indicesOrSections: number | readonly number[]): NDArray[] {
  const x = arrayOf(ary, 'ary');
  if (x.ndim < 2) invalidValue('ary', 'an array of at least 2 dimensions', x.shape);
  return split(x, indicesOrSections, { axis: 0 });
}

/** {@link split} along axis 2 (at least 3-D). */
export function dsplit(ary: Operand, indicesOrSections: number | readonly number[]): NDArray[] {
  const x = arrayOf(ary, 'ary');
  if (x.ndim < 3) invalidValue('ary', 'an array of at least 3 dimensions', x.shape);
  return split(x, indicesOrSections, { axis: 2 });
}

/** `values` appended to `arr` along `axis` (flattened when axis is null, the default) (NumPy's `append`). */
export function append(arr: Operand, values: Operand, options?: { axis?: number | null }): NDArray {
  checkOptions(options, { fn: 'nd.append', known: ['axis'] });
  const a = arrayOf(arr, 'arr');
  const v = arrayOf(values, 'values');
  if (options?.axis === undefined || options.axis === null) return concatenate([ravel(a), ravel(v)], { axis: 0 });
  return concatenate([a, v], { axis: options.axis });
}

/** Positions `obj` (an index, a slice string or a list of indices) along an axis of length `len`, normalized. */
function positions(obj: unknown, len: number, arg: string, allowEnd: boolean): number[] {
  if (typeof obj === 'string') {
    return numbersFrom(index(int64Of(Float64Array.from({ length: len }, (_, i) => i)), obj));
  }
  const a = arrayOf(obj, arg);
  const v = Array.from(numbersOf(a.dtype === 'bool' ? int64Of(numbersFrom(index(int64Of(Float64Array.from({ length: len }, (_, i) => i)), a))) : a));
  const hi = allowEnd ? len : len - 1;
  return v.map((p) => {
    if (!Number.isInteger(p)) invalidType(arg, 'integer indices', obj);
    if (p < -len || p > hi) {
      throw new NdshareRangeError(`index ${p} is out of bounds for axis with size ${len}`, { code: codes.OUT_OF_BOUNDS });
    }
    return p < 0 ? p + len : p;
  });
}

function numbersFrom(a: NDArray): number[] {
  return Array.from(numbersOf(a));
}

/**
 * `values` inserted before the positions `obj` along `axis` (flattened when null) (NumPy's `insert`).
 * @example nd.insert(nd.array([1, 2, 3]), 1, 9) // [1, 9, 2, 3]
 */
export function insert(arr: Operand, obj: number | string | readonly number[] | NDArray, values: Operand, options?: { axis?: number | null }): NDArray {
  checkOptions(options, { fn: 'nd.insert', known: ['axis'] });
  let a = arrayOf(arr, 'arr');
  if (options?.axis === undefined || options.axis === null) a = ravel(a);
  const axis = normalizeAxis(options?.axis ?? 0, a.ndim, 'options.axis');
  const len = a.shape[axis]!;
  const scalarObj = typeof obj === 'number' || typeof obj === 'bigint';
  const pos = positions(obj, len, 'obj', true);
  const v = arrayOf(values, 'values').astype(a.dtype);
  if (scalarObj) {
    const slot = broadcastValues(v, a, axis);
    const lead = Array<string>(axis).fill(':');
    return concatenate([a.slice(...lead, `:${pos[0]}`), slot, a.slice(...lead, `${pos[0]}:`)], { axis });
  }
  const n = pos.length;
  const order = pos.map((p, i) => [p, i] as const).sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const vShape = [...a.shape];
  vShape[axis] = n;
  const vb = v.broadcastTo(vShape);
  const parts: NDArray[] = [];
  let at = 0;
  for (const [p, i] of order) {
    if (p > at) parts.push(a.slice(...Array<string>(axis).fill(':'), `${at}:${p}`));
    parts.push(vb.slice(...Array<string>(axis).fill(':'), `${i}:${i + 1}`));
    at = p;
  }
  parts.push(a.slice(...Array<string>(axis).fill(':'), `${at}:`));
  return concatenate(parts, { axis });
}

/** Values for a single insert position, shaped as NumPy does: moved so their first axis is the insert axis. */
function broadcastValues(v: NDArray, a: NDArray, axis: number): NDArray {
  // NumPy: values = array(values, ndmin=arr.ndim); values = moveaxis(values, 0, axis).
  let w = v;
  if (w.ndim < a.ndim) w = w.reshape([...Array<number>(a.ndim - w.ndim).fill(1), ...w.shape]);
  const perm = [...w.shape.keys()];
  perm.splice(0, 1);
  perm.splice(axis, 0, 0);
  w = w.transpose(perm);
  const shape = [...a.shape];
  shape[axis] = w.shape[axis]!;
  return w.broadcastTo(shape);
}

/**
 * `arr` without the positions `obj` along `axis` (flattened when null) (NumPy's `delete`).
 * @example nd.delete(nd.array([1, 2, 3, 4]), [0, 2]) // [2, 4]
 */
export function delete_(arr: Operand, obj: number | string | readonly number[] | NDArray, options?: { axis?: number | null }): NDArray {
  checkOptions(options, { fn: 'nd.delete', known: ['axis'] });
  let a = arrayOf(arr, 'arr');
  if (options?.axis === undefined || options.axis === null) a = ravel(a);
  const axis = normalizeAxis(options?.axis ?? 0, a.ndim, 'options.axis');
  const len = a.shape[axis]!;
  const drop = new Set(positions(obj, len, 'obj', false));
  const keep = Float64Array.from([...Array(len).keys()].filter((i) => !drop.has(i)));
  return index(a, ...Array<string>(axis).fill(':'), int64Of(keep));
}

export { stack };
