/**
 * Free-function forms of the NDArray view methods and the other axis
 * rearrangements that are views in NumPy: reshape, transpose/permuteDims,
 * matrixTranspose, moveaxis/rollaxis/swapaxes, squeeze/expandDims,
 * broadcastTo/broadcastArrays, ravel, astype, atleast1d/2d/3d, flip and rot90.
 *
 * @module
 */
import { invalidType, invalidValue } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import { broadcastShapes, normalizeAxes, normalizeAxis, type Order } from '../ndarray/layout.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { resultType } from '../math/promote.js';
import { scalarArray, toArray, type Operand } from '../math/ufunc.js';
import { checkOptions } from '../validate.js';

/** An NDArray for any operand (JS scalars become 0-d arrays of their default dtype). */
export function arrayOf(v: unknown, arg = 'a'): NDArray {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return scalarArray(v, resultType([], [v]));
  return toArray(v, arg);
}

/**
 * `a` with a new shape (NumPy's `reshape`; a view when possible).
 * @example nd.reshape(nd.arange(6), [2, 3])
 */
export function reshape(a: Operand, shape: readonly number[] | number, options?: { order?: Order; copy?: boolean | null }): NDArray {
  checkOptions(options, { fn: 'nd.reshape', known: ['order', 'copy'] });
  const x = arrayOf(a);
  const order = options?.order ?? 'C';
  if (order === 'F')
    return x
      .transpose()
      .reshape([...(typeof shape === 'number' ? [shape] : shape)].reverse())
      .transpose();
  if (order !== 'C') invalidValue('options.order', "'C' or 'F'", order);
  const r = x.reshape(shape);
  return options?.copy === true && r.base !== null ? r.copy() : r;
}

/** The axes permuted (reversed by default), a view (NumPy's `transpose`). */
export function transpose(a: Operand, axes?: readonly number[] | null): NDArray {
  return arrayOf(a).transpose(axes ?? undefined);
}

/** The Array API's `permute_dims`: {@link transpose} with required axes. */
export const permuteDims = (a: Operand, axes: readonly number[]): NDArray => transpose(a, axes);

/** The last two axes swapped (NumPy's `matrix_transpose`). */
export function matrixTranspose(a: Operand): NDArray {
  const x = arrayOf(a, 'x');
  if (x.ndim < 2) invalidValue('x', 'an array of at least 2 dimensions', x.shape);
  return swapaxes(x, -1, -2);
}

/** Two axes interchanged, a view (NumPy's `swapaxes`). */
export function swapaxes(a: Operand, axis1: number, axis2: number): NDArray {
  const x = arrayOf(a);
  const i = normalizeAxis(axis1, x.ndim, 'axis1');
  const j = normalizeAxis(axis2, x.ndim, 'axis2');
  const perm = [...x.shape.keys()];
  perm[i] = j;
  perm[j] = i;
  return x.transpose(perm);
}

/**
 * Axes moved to new positions, the others keeping their order, a view (NumPy's `moveaxis`).
 * @example nd.moveaxis(nd.zeros([3, 4, 5]), 0, -1).shape // [4, 5, 3]
 */
export function moveaxis(a: Operand, source: number | readonly number[], destination: number | readonly number[]): NDArray {
  const x = arrayOf(a);
  const src = (Array.isArray(source) ? source : [source]).map((s, i) => normalizeAxis(s, x.ndim, `source[${i}]`));
  const dst = (Array.isArray(destination) ? destination : [destination]).map((s, i) => normalizeAxis(s, x.ndim, `destination[${i}]`));
  normalizeAxes(src, x.ndim, 'source');
  normalizeAxes(dst, x.ndim, 'destination');
  if (src.length !== dst.length) invalidValue('destination', `as many axes as source (${src.length})`, destination);
  const order = [...x.shape.keys()].filter((k) => !src.includes(k));
  const pairs = dst.map((d, i) => [d, src[i]!] as const).sort((p, q) => p[0] - q[0]);
  for (const [d, s] of pairs) order.splice(d, 0, s);
  return x.transpose(order);
}

/** NumPy's older `rollaxis`: axis `axis` moved to before position `start`. */
export function rollaxis(a: Operand, axis: number, options?: { start?: number }): NDArray {
  checkOptions(options, { fn: 'nd.rollaxis', known: ['start'] });
  const x = arrayOf(a);
  const n = x.ndim;
  const ax = normalizeAxis(axis, n, 'axis');
  let start = options?.start ?? 0;
  if (!Number.isInteger(start)) invalidType('options.start', 'an integer', start);
  if (start < 0) start += n;
  if (start < 0 || start > n) invalidValue('options.start', `an integer in [${-n}, ${n}]`, options?.start);
  if (ax < start) start--;
  if (ax === start) return x.transpose([...x.shape.keys()]);
  const order = [...x.shape.keys()].filter((k) => k !== ax);
  order.splice(start, 0, ax);
  return x.transpose(order);
}

/** Axes of length 1 removed, a view (NumPy's `squeeze`). */
export function squeeze(a: Operand, options?: { axis?: number | readonly number[] | null }): NDArray {
  checkOptions(options, { fn: 'nd.squeeze', known: ['axis'] });
  return arrayOf(a).squeeze(options?.axis ?? undefined);
}

/** New axes of length 1 inserted at `axis`, a view (NumPy's `expand_dims`). */
export function expandDims(a: Operand, axis: number | readonly number[]): NDArray {
  return arrayOf(a).expandDims(axis);
}

/** A read-only view broadcast to `shape` (NumPy's `broadcast_to`). */
export function broadcastTo(a: Operand, shape: readonly number[] | number): NDArray {
  return arrayOf(a, 'array').broadcastTo(typeof shape === 'number' ? [shape] : shape);
}

/** Every argument broadcast to their common shape, as read-only views (NumPy's `broadcast_arrays`). */
export function broadcastArrays(...args: Operand[]): NDArray[] {
  const xs = args.map((a, i) => arrayOf(a, `args[${i}]`));
  const shape = broadcastShapes(...xs.map((x) => x.shape));
  return xs.map((x) => x.broadcastTo(shape));
}

/** A 1-D view or copy (NumPy's `ravel`; order 'F' reads column-major). */
export function ravel(a: Operand, options?: { order?: Order }): NDArray {
  checkOptions(options, { fn: 'nd.ravel', known: ['order'] });
  const x = arrayOf(a);
  if (options?.order === 'F') return x.transpose().ravel();
  return x.ravel();
}

/** `x` cast to `dtype` (NumPy 2's `astype` function). */
export function astype<T extends DType>(x: Operand, dtype: T, options?: { copy?: boolean }): NDArray<T> {
  checkOptions(options, { fn: 'nd.astype', known: ['copy'] });
  return arrayOf(x, 'x').astype(dtype, options ?? {});
}

function atleast(n: number, shapeOf: (x: NDArray) => number[], args: Operand[]): NDArray | NDArray[] {
  const out = args.map((a, i) => {
    const x = arrayOf(a, `arys[${i}]`);
    return x.ndim >= n ? x : x.reshape(shapeOf(x));
  });
  return out.length === 1 ? out[0]! : out;
}

/** Arrays with at least one axis (NumPy's `atleast_1d`; one argument gives one array). */
export function atleast1d(...arys: Operand[]): NDArray | NDArray[] {
  return atleast(1, () => [1], arys);
}

/** Arrays with at least two axes ((N,) becomes (1, N)). */
export function atleast2d(...arys: Operand[]): NDArray | NDArray[] {
  return atleast(2, (x) => (x.ndim === 0 ? [1, 1] : [1, x.shape[0]!]), arys);
}

/** Arrays with at least three axes ((N,) becomes (1, N, 1), (M, N) becomes (M, N, 1)). */
export function atleast3d(...arys: Operand[]): NDArray | NDArray[] {
  return atleast(3, (x) => (x.ndim === 0 ? [1, 1, 1] : x.ndim === 1 ? [1, x.shape[0]!, 1] : [...x.shape, 1]), arys);
}

/** The order of elements reversed along `axis` (all axes by default), a view (NumPy's `flip`). */
export function flip(m: Operand, options?: { axis?: number | readonly number[] | null }): NDArray {
  checkOptions(options, { fn: 'nd.flip', known: ['axis'] });
  const x = arrayOf(m, 'm');
  const axes = options?.axis === undefined || options.axis === null ? [...x.shape.keys()] : normalizeAxes(options.axis, x.ndim, 'options.axis');
  return x.slice(...x.shape.map((_, k) => (axes.includes(k) ? '::-1' : ':')));
}

/** Reversed along axis 1 (left/right). */
export function fliplr(m: Operand): NDArray {
  const x = arrayOf(m, 'm');
  if (x.ndim < 2) invalidValue('m', 'an array of at least 2 dimensions', x.shape);
  return flip(x, { axis: 1 });
}

/** Reversed along axis 0 (up/down). */
export function flipud(m: Operand): NDArray {
  const x = arrayOf(m, 'm');
  if (x.ndim < 1) invalidValue('m', 'an array of at least 1 dimension', x.shape);
  return flip(x, { axis: 0 });
}

/**
 * Rotated by 90° `k` times in the plane of `axes` (from the first towards the second), a view (NumPy's `rot90`).
 * @example nd.rot90(nd.array([[1, 2], [3, 4]])) // [[2, 4], [1, 3]]
 */
export function rot90(m: Operand, options?: { k?: number; axes?: readonly [number, number] }): NDArray {
  checkOptions(options, { fn: 'nd.rot90', known: ['k', 'axes'] });
  const x = arrayOf(m, 'm');
  const axes = options?.axes ?? [0, 1];
  if (axes.length !== 2) invalidValue('options.axes', 'two axes', axes);
  if (x.ndim < 2) invalidValue('m', 'an array of at least 2 dimensions', x.shape);
  const a0 = normalizeAxis(axes[0], x.ndim, 'options.axes[0]');
  const a1 = normalizeAxis(axes[1], x.ndim, 'options.axes[1]');
  if (a0 === a1) invalidValue('options.axes', 'two different axes', axes);
  let k = options?.k ?? 1;
  if (!Number.isInteger(k)) invalidType('options.k', 'an integer', k);
  k = ((k % 4) + 4) % 4;
  if (k === 0) return x.slice('...');
  if (k === 2) return flip(flip(x, { axis: a0 }), { axis: a1 });
  const perm = [...x.shape.keys()];
  perm[a0] = a1;
  perm[a1] = a0;
  return k === 1 ? flip(x, { axis: a1 }).transpose(perm) : flip(x.transpose(perm), { axis: a1 });
}
