/**
 * Layout arithmetic: shapes, element strides, contiguity, broadcasting and
 * NumPy's no-copy reshape. Pure functions over plain number arrays; strides
 * here are in ELEMENTS (the header converts to bytes).
 *
 * @module
 */
import { codes, invalidType, invalidValue, NdshareError, NdshareRangeError, describe } from '../errors.js';

/** NumPy's limit on the number of dimensions. */
export const MAX_NDIM = 64;

/** Order of elements in memory: row-major (C) or column-major (F). */
export type Order = 'C' | 'F';

/** Product of the entries (1 for an empty shape). */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i]!;
  return n;
}

/**
 * Validates a shape argument (a non-negative integer or a list of them) and
 * returns it as a fresh array.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a non-array, non-integer.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for negative dims, too many dims or a size above 2^53.
 */
export function checkShape(shape: unknown, arg = 'shape'): number[] {
  if (typeof shape === 'number') shape = [shape];
  if (!Array.isArray(shape)) invalidType(arg, 'an array of non-negative integers', shape);
  if (shape.length > MAX_NDIM) invalidValue(arg, `at most ${MAX_NDIM} dimensions`, shape);
  const out = new Array<number>(shape.length);
  let size = 1;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i];
    if (typeof d !== 'number' || !Number.isInteger(d)) {
      invalidType(`${arg}[${i}]`, 'a non-negative integer', d);
    }
    if (d < 0) invalidValue(`${arg}[${i}]`, 'a non-negative integer', d);
    out[i] = d;
    size *= d;
  }
  if (!Number.isSafeInteger(size)) invalidValue(arg, 'a shape of at most 2^53-1 elements', shape);
  return out;
}

/** Element strides of a contiguous array of `shape` in `order`. */
export function contiguousStrides(shape: readonly number[], order: Order = 'C'): number[] {
  const n = shape.length;
  const strides = new Array<number>(n);
  let s = 1;
  if (order === 'C') {
    for (let i = n - 1; i >= 0; i--) {
      strides[i] = s;
      s *= Math.max(shape[i]!, 1);
    }
  } else {
    for (let i = 0; i < n; i++) {
      strides[i] = s;
      s *= Math.max(shape[i]!, 1);
    }
  }
  return strides;
}

/**
 * NumPy's contiguity test (`_UpdateContiguousFlags`): axes of length 1 are
 * ignored, and an empty array is both C- and F-contiguous.
 */
export function isContiguous(shape: readonly number[], strides: readonly number[], order: Order): boolean {
  const n = shape.length;
  // Before the stride scan: an empty array is contiguous whatever its strides.
  for (let k = 0; k < n; k++) if (shape[k] === 0) return true;
  let expected = 1;
  for (let k = 0; k < n; k++) {
    const i = order === 'C' ? n - 1 - k : k;
    const d = shape[i]!;
    if (d !== 1) {
      if (strides[i] !== expected) return false;
      expected *= d;
    }
  }
  return true;
}

/**
 * An index or axis given as a bigint or a 0-d integer array (NumPy's
 * `operator.index`) as a number; anything else comes back unchanged for the
 * caller to validate. Bigints beyond 2^53 become unsafe numbers and fail the
 * caller's range check.
 */
export function indexValue(v: unknown): unknown {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'object' && v !== null && (v as { ndim?: unknown }).ndim === 0) {
    const a = v as { dtype?: unknown; item?: unknown };
    if (typeof a.dtype === 'string' && /^u?int/.test(a.dtype) && typeof a.item === 'function') {
      return Number((a.item as () => number | bigint).call(v));
    }
  }
  return v;
}

/**
 * Normalizes an axis for an array of `ndim` dimensions (negative counts from the end).
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS when outside [-ndim, ndim).
 */
export function normalizeAxis(axis: unknown, ndim: number, arg = 'axis'): number {
  axis = indexValue(axis);
  if (typeof axis !== 'number' || !Number.isInteger(axis)) invalidType(arg, 'an integer', axis);
  if (axis < -ndim || axis >= ndim) {
    throw new NdshareRangeError(`Expected an axis in [${-ndim}, ${ndim}) for ${arg} but received ${describe(axis)}`, { code: codes.OUT_OF_BOUNDS });
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Normalizes a list of distinct axes (or one axis) and returns them sorted.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE on repeated axes.
 */
export function normalizeAxes(axes: unknown, ndim: number, arg = 'axis'): number[] {
  const list = Array.isArray(axes) ? axes : [axes];
  const out = list.map((a, i) => normalizeAxis(a, ndim, Array.isArray(axes) ? `${arg}[${i}]` : arg));
  out.sort((a, b) => a - b);
  for (let i = 1; i < out.length; i++) {
    if (out[i] === out[i - 1]) invalidValue(arg, 'distinct axes', axes);
  }
  return out;
}

/**
 * The broadcast shape of several shapes (NumPy rules: align right; each axis
 * equal or 1).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when they are incompatible.
 */
export function broadcastShapes(...shapes: (readonly number[])[]): number[] {
  let ndim = 0;
  for (const s of shapes) ndim = Math.max(ndim, s.length);
  const out = new Array<number>(ndim).fill(1);
  for (const s of shapes) {
    const off = ndim - s.length;
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!;
      const o = out[off + i]!;
      if (d === o || d === 1) continue;
      if (o === 1) out[off + i] = d;
      else {
        throw new NdshareError(`Shapes ${shapes.map((x) => `(${x.join(', ')})`).join(', ')} cannot be broadcast together`, { code: codes.BROADCAST });
      }
    }
  }
  return out;
}

/**
 * Element strides that broadcast an array of `shape`/`strides` to `target`
 * (zero stride on new and stretched axes).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST if `shape` does not broadcast to `target`.
 */
export function broadcastStrides(shape: readonly number[], strides: readonly number[], target: readonly number[]): number[] {
  const off = target.length - shape.length;
  if (off < 0) {
    throw new NdshareError(`Cannot broadcast shape (${shape.join(', ')}) to (${target.join(', ')})`, { code: codes.BROADCAST });
  }
  const out = new Array<number>(target.length).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    const t = target[off + i]!;
    if (d === t) out[off + i] = strides[i]!;
    else if (d === 1) out[off + i] = 0;
    else {
      throw new NdshareError(`Cannot broadcast shape (${shape.join(', ')}) to (${target.join(', ')})`, { code: codes.BROADCAST });
    }
  }
  return out;
}

/**
 * Resolves one `-1` in a requested shape against `size`.
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH when the sizes disagree.
 */
export function resolveReshape(requested: unknown, size: number, from: readonly number[]): number[] {
  if (typeof requested === 'number') requested = [requested];
  if (!Array.isArray(requested)) invalidType('shape', 'an array of integers', requested);
  let unknown = -1;
  let known = 1;
  const out = new Array<number>(requested.length);
  for (let i = 0; i < requested.length; i++) {
    const d = requested[i];
    if (typeof d !== 'number' || !Number.isInteger(d)) invalidType(`shape[${i}]`, 'an integer', d);
    if (d === -1) {
      if (unknown >= 0) invalidValue('shape', 'at most one -1', requested);
      unknown = i;
      out[i] = -1;
    } else if (d < 0) {
      invalidValue(`shape[${i}]`, 'a non-negative integer or -1', d);
    } else {
      out[i] = d;
      known *= d;
    }
  }
  if (out.length > MAX_NDIM) invalidValue('shape', `at most ${MAX_NDIM} dimensions`, requested);
  if (unknown >= 0) {
    if (known === 0 || size % known !== 0) {
      throw new NdshareError(`Cannot reshape an array of size ${size} (shape (${from.join(', ')})) into (${requested.join(', ')})`, {
        code: codes.SHAPE_MISMATCH,
      });
    }
    out[unknown] = size / known;
  } else if (known !== size) {
    throw new NdshareError(`Cannot reshape an array of size ${size} (shape (${from.join(', ')})) into (${requested.join(', ')})`, {
      code: codes.SHAPE_MISMATCH,
    });
  }
  return out;
}

/**
 * Strides for viewing (`shape`, `strides`) as `newShape` without copying, or
 * undefined when a copy is needed. Port of NumPy's `_attempt_nocopy_reshape`
 * (C order): groups of old axes are matched to groups of new axes with the
 * same element count, and each old group must be contiguous in itself.
 */
export function nocopyReshapeStrides(shape: readonly number[], strides: readonly number[], newShape: readonly number[]): number[] | undefined {
  // Axes of length 1 carry no layout information; drop them first.
  const oldDims: number[] = [];
  const oldStrides: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] !== 1) {
      oldDims.push(shape[i]!);
      oldStrides.push(strides[i]!);
    }
  }
  const newStrides = new Array<number>(newShape.length).fill(0);
  const oldnd = oldDims.length;
  const newnd = newShape.length;
  let oi = 0;
  let oj = 1;
  let ni = 0;
  let nj = 1;
  while (ni < newnd && oi < oldnd) {
    let np = newShape[ni]!;
    let op = oldDims[oi]!;
    while (np !== op) {
      if (np < op) np *= newShape[nj++]!;
      else op *= oldDims[oj++]!;
    }
    // The old axes [oi, oj) must be C-contiguous among themselves.
    for (let ok = oi; ok < oj - 1; ok++) {
      if (oldStrides[ok] !== oldDims[ok + 1]! * oldStrides[ok + 1]!) return undefined;
    }
    newStrides[nj - 1] = oldStrides[oj - 1]!;
    for (let nk = nj - 1; nk > ni; nk--) newStrides[nk - 1] = newStrides[nk]! * newShape[nk]!;
    ni = nj++;
    oi = oj++;
  }
  // Trailing new axes of length 1 take the stride of the last matched axis
  // (any stride works for them).
  const last = ni > 0 ? newStrides[ni - 1]! : 1;
  for (let k = ni; k < newnd; k++) newStrides[k] = last;
  return newStrides;
}

/** Lowest and highest element index a (shape, strides, offset) view touches, or undefined when it is empty. */
export function extent(shape: readonly number[], strides: readonly number[], offset: number): { lo: number; hi: number } | undefined {
  let lo = offset;
  let hi = offset;
  for (let i = 0; i < shape.length; i++) {
    const d = shape[i]!;
    if (d === 0) return undefined;
    const span = (d - 1) * strides[i]!;
    if (span < 0) lo += span;
    else hi += span;
  }
  return { lo, hi };
}

/** What {@link sharesMemory} reads of an array: its buffer, layout and item size. */
export interface Span {
  readonly data: ArrayBufferView;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly dtypeInfo: { readonly itemsize: number };
}

/** True when the element ranges of `a` and `b` in the same buffer overlap (conservative). */
export function sharesMemory(a: Span, b: Span): boolean {
  if (a.data.buffer !== b.data.buffer) return false;
  const ea = extent(a.shape, a.strides, a.offset);
  const eb = extent(b.shape, b.strides, b.offset);
  if (!ea || !eb) return false;
  const ia = a.dtypeInfo.itemsize; // extents are in elements (a complex element is 2 entries of data)
  const ib = b.dtypeInfo.itemsize;
  const aLo = a.data.byteOffset + ea.lo * ia;
  const aHi = a.data.byteOffset + (ea.hi + 1) * ia;
  const bLo = b.data.byteOffset + eb.lo * ib;
  const bHi = b.data.byteOffset + (eb.hi + 1) * ib;
  return aLo < bHi && bLo < aHi;
}
