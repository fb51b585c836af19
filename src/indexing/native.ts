/**
 * The native loops of advanced indexing (native/kernels/index): TypeScript
 * decides shapes, broadcasting and where the advanced axes land; these
 * functions describe the walk to the addon (byte offsets and strides, the
 * index arrays as they are, any integer dtype and any strides) and the addon
 * moves the items and checks every index.
 *
 * @module
 */
import { native } from '../binding.js';
import { allocUninit, type DType, type TypedArray } from '../ndarray/dtypes.js';
import { sizeOf } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';

/** One strided axis of a walk, in elements of the indexed array. */
export interface StridedDim {
  readonly len: number;
  readonly stride: number;
}

/** One index array of a take: broadcast to the block shape, for an axis of `len` items `stride` apart. */
export interface TakeIndex {
  readonly index: NDArray;
  readonly len: number;
  readonly stride: number;
  /** The axis number reported when an index is out of bounds. */
  readonly axis: number;
}

/** NumPy's out-of-range index handling (raise: negative indices count from the end). */
export type TakeMode = 'raise' | 'wrap' | 'clip';

/**
 * A gather/scatter through index arrays: for each position of `before` (C
 * order), each position of the block (`bshape`, the broadcast index arrays),
 * each position of `after`: the item at `base + Σ before + Σ index·stride + Σ after`.
 */
export interface TakeSpec {
  readonly x: NDArray;
  /** Element offset in x.data of the walk's origin. */
  readonly base: number;
  readonly before: readonly StridedDim[];
  readonly after: readonly StridedDim[];
  readonly bshape: readonly number[];
  readonly indices: readonly TakeIndex[];
  readonly mode?: TakeMode;
}

const MODES: Record<TakeMode, number> = { raise: 0, wrap: 1, clip: 2 };

function isFloatLike(dtype: DType): boolean {
  return /^(float|bfloat|complex)/.test(dtype);
}

/** The result shape of a take: before, block, after. */
export function takeShape(s: TakeSpec): number[] {
  return [...s.before.map((d) => d.len), ...s.bshape, ...s.after.map((d) => d.len)];
}

function takeDesc(s: TakeSpec, valsOffset: number, valsStride: number): { desc: Float64Array; idx: TypedArray[] } {
  const is = s.x.itemsize;
  const d: number[] = [is, s.base * is, valsOffset, valsStride];
  d.push(s.before.length);
  for (const q of s.before) d.push(q.len, q.stride * is);
  d.push(s.after.length);
  for (const q of s.after) d.push(q.len, q.stride * is);
  d.push(s.indices.length, s.bshape.length, ...s.bshape);
  const mode = MODES[s.mode ?? 'raise'];
  const idx: TypedArray[] = [];
  for (const t of s.indices) {
    const b = t.index.ndim === s.bshape.length && t.index.shape.every((n, i) => n === s.bshape[i]) ? t.index : t.index.broadcastTo(s.bshape);
    d.push(native.math.dtypes[b.dtype]!, t.len, t.stride * is, t.axis, mode, b.offset, ...b.strides);
    idx.push(b.data);
  }
  return { desc: Float64Array.from(d), idx };
}

/** Gathers a take into a new C-contiguous array of {@link takeShape}. */
export function gatherTake<D extends DType>(s: TakeSpec): NDArray<D> {
  const shape = takeShape(s);
  const out = allocUninit(s.x.dtype, sizeOf(shape));
  const { desc, idx } = takeDesc(s, 0, s.x.itemsize);
  native.index.take(0, s.x.data, out, desc, idx);
  return new NDArray(out, s.x.dtype, shape) as NDArray<D>;
}

/**
 * Scatters `values` (of x's dtype, C-contiguous: the take's shape, or 0-d for
 * one value at every position) through a take, in order: the last write wins.
 */
export function scatterTake(s: TakeSpec, values: NDArray): void {
  const is = s.x.itemsize;
  const { desc, idx } = takeDesc(s, values.offset * is, values.ndim === 0 ? 0 : is);
  native.index.take(1, s.x.data, values.data, desc, idx);
}

function sourceDesc(x: NDArray): Float64Array {
  const is = x.itemsize;
  const d: number[] = [is, x.offset * is, x.ndim];
  for (let k = 0; k < x.ndim; k++) d.push(x.shape[k]!, x.strides[k]! * is);
  return Float64Array.from(d);
}

/** The number of nonzero elements of x (any dtype, any strides; -0 counts as zero, NaN as nonzero). */
export function countNonzeroNative(x: NDArray): number {
  return native.index.count(x.data, sourceDesc(x), isFloatLike(x.dtype));
}

/** NumPy's `nonzero(x)` for x of at least one dimension: one int64 array per axis (C order). */
export function nonzeroNative(x: NDArray): NDArray<'int64'>[] {
  const desc = sourceDesc(x);
  const fl = isFloatLike(x.dtype);
  const n = native.index.count(x.data, desc, fl);
  const outs = x.shape.map(() => allocUninit('int64', n) as BigInt64Array);
  native.index.nonzero(x.data, desc, fl, outs, false);
  return outs.map((o) => new NDArray(o, 'int64', [n]));
}

/** NumPy's `argwhere(x)` for x of at least one dimension: (N, ndim) int64. */
export function argwhereNative(x: NDArray): NDArray<'int64'> {
  const desc = sourceDesc(x);
  const fl = isFloatLike(x.dtype);
  const n = native.index.count(x.data, desc, fl);
  const out = allocUninit('int64', n * x.ndim) as BigInt64Array;
  native.index.nonzero(x.data, desc, fl, [out], true);
  return new NDArray(out, 'int64', [n, x.ndim]);
}

function compressDesc(x: NDArray, m: NDArray, valsOffset: number, valsStride: number, cap: number): Float64Array {
  const is = x.itemsize;
  const d: number[] = [is, x.offset * is, valsOffset, valsStride, cap, m.ndim];
  for (let k = 0; k < m.ndim; k++) d.push(m.shape[k]!, x.strides[k]! * is, m.strides[k]!);
  d.push(m.offset, x.ndim - m.ndim);
  for (let k = m.ndim; k < x.ndim; k++) d.push(x.shape[k]!, x.strides[k]! * is);
  return Float64Array.from(d);
}

/** `x[m]` for a bool mask m (at least 1-D) matching the leading axes of x: a new array of shape [count, ...rest]. */
export function compressMask<D extends DType>(x: NDArray<D>, m: NDArray): NDArray<D> {
  const count = native.index.count(m.data, sourceDesc(m), false);
  const rest = x.shape.slice(m.ndim);
  const shape = [count, ...rest];
  const out = allocUninit(x.dtype, sizeOf(shape));
  const got = native.index.compress(0, x.data, out, compressDesc(x, m, 0, x.itemsize, count), m.data as Uint8Array);
  if (got !== count) throw new Error(`compressMask: ${got} true elements, counted ${count}`);
  return new NDArray(out, x.dtype, shape) as NDArray<D>;
}

/** The number of true elements of a bool mask. */
export function maskCount(m: NDArray): number {
  return native.index.count(m.data, sourceDesc(m), false);
}

/**
 * `x[m] = values` for a bool mask m matching the leading axes of x: `values`
 * (of x's dtype, C-contiguous) has shape [count, ...rest], or is 0-d (one value everywhere).
 */
export function scatterMask(x: NDArray, m: NDArray, count: number, values: NDArray): void {
  const is = x.itemsize;
  const desc = compressDesc(x, m, values.offset * is, values.ndim === 0 ? 0 : is, count);
  native.index.compress(1, x.data, values.data, desc, m.data as Uint8Array);
}

/**
 * NumPy's `take(x, ind, axis, mode)`: a new array of shape
 * `x.shape[:axis] + ind.shape + x.shape[axis+1:]` (ind: any integer dtype and strides).
 */
export function takeAxis<D extends DType>(x: NDArray<D>, ind: NDArray, axis: number, mode: TakeMode): NDArray<D> {
  const dims = x.shape.map((len, k) => ({ len, stride: x.strides[k]! }));
  return gatherTake<D>({
    x,
    base: x.offset,
    before: dims.slice(0, axis),
    after: dims.slice(axis + 1),
    bshape: ind.shape,
    indices: [{ index: ind, len: x.shape[axis]!, stride: x.strides[axis]!, axis }],
    mode,
  });
}

/** The positions (elements from the start of x.data) of every element a take selects, C order. */
export function positionsTake(s: TakeSpec): Float64Array {
  const out = new Float64Array(sizeOf(takeShape(s)));
  if (out.length === 0) {
    // Still checks every index (NumPy raises for a bad index of an empty selection).
    const { desc, idx } = takeDesc(s, 0, s.x.itemsize);
    native.index.take(0, s.x.data, s.x.data, desc, idx);
    return out;
  }
  const { desc, idx } = takeDesc(s, 0, 8);
  native.index.take(2, s.x.data, out, desc, idx);
  return out;
}
