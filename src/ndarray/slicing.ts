/**
 * Parsing of basic (view) indices for `NDArray.slice`: slice strings, slice
 * objects and Python's slice clamping (PySlice_AdjustIndices).
 *
 * @module
 */
import { codes, describe, invalidType, invalidValue, NdshareRangeError, NdshareTypeError } from '../errors.js';
import { indexValue, MAX_NDIM } from './layout.js';

/** `'start:stop:step'` as numbers (null where a part is empty). */
export function parseSliceString(s: string, arg: string): [number | null, number | null, number | null] {
  const parts = s.split(':');
  if (parts.length < 2 || parts.length > 3) invalidValue(arg, "a slice string like 'start:stop:step' or '...'", s);
  const out: (number | null)[] = [null, null, null];
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!.trim();
    if (p === '') continue;
    const n = Number(p);
    if (!Number.isInteger(n)) invalidValue(arg, "a slice string like 'start:stop:step' or '...'", s);
    out[i] = n;
  }
  return out as [number | null, number | null, number | null];
}

/** A plain `{start?, stop?, step?}` object (and nothing else: no arrays, typed arrays or NDArrays). */
export function isSliceObject(v: unknown): v is { start?: number | null; stop?: number | null; step?: number | null } {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const proto = Object.getPrototypeOf(v);
  if (proto !== Object.prototype && proto !== null) return false;
  return Object.keys(v).every((k) => k === 'start' || k === 'stop' || k === 'step');
}

/** PySlice_AdjustIndices: clamps start/stop for `len` and returns [start, step, count]. */
export function adjustSlice(
  len: number,
  start: number | null | undefined,
  stop: number | null | undefined,
  step: number | null | undefined,
  arg: string,
): [number, number, number] {
  start = indexValue(start) as number | null | undefined;
  stop = indexValue(stop) as number | null | undefined;
  step = indexValue(step) as number | null | undefined;
  const st = step ?? 1;
  if (!Number.isInteger(st)) invalidType(`${arg}.step`, 'an integer', step);
  if (st === 0) invalidValue(`${arg}.step`, 'a non-zero integer', step);
  for (const [name, v] of [
    ['start', start],
    ['stop', stop],
  ] as const) {
    if (v !== null && v !== undefined && !Number.isInteger(v)) invalidType(`${arg}.${name}`, 'an integer or null', v);
  }
  let a: number;
  let b: number;
  if (start === null || start === undefined) a = st < 0 ? len - 1 : 0;
  else {
    a = start < 0 ? start + len : start;
    if (a < 0) a = st < 0 ? -1 : 0;
    else if (a >= len) a = st < 0 ? len - 1 : len;
  }
  if (stop === null || stop === undefined) b = st < 0 ? -1 : len;
  else {
    b = stop < 0 ? stop + len : stop;
    if (b < 0) b = st < 0 ? -1 : 0;
    else if (b >= len) b = st < 0 ? len - 1 : len;
  }
  let count: number;
  if (st < 0) count = b < a ? Math.floor((a - b - 1) / -st) + 1 : 0;
  else count = a < b ? Math.floor((b - a - 1) / st) + 1 : 0;
  return [a, st, count];
}

/** One basic index (see `Index` in ndarray.ts) once 0-d arrays are turned into numbers. */
type BasicIndex = number | null | string | { start?: number | null; stop?: number | null; step?: number | null };

/**
 * The view that basic `indices` select from (shape0, strides0, offset0), with
 * `consumed` the count of indices that use up an axis (checked by the caller,
 * as are lists and arrays, which are not basic indices).
 */
export function basicIndex(
  shape0: readonly number[],
  strides0: readonly number[],
  offset0: number,
  indices: readonly unknown[],
  consumed: number,
): { shape: number[]; strides: number[]; offset: number } {
  const shape: number[] = [];
  const strides: number[] = [];
  let offset = offset0;
  let axis = 0;
  const full = (k: number) => {
    for (let j = 0; j < k; j++, axis++) {
      shape.push(shape0[axis]!);
      strides.push(strides0[axis]!);
    }
  };
  let empty = false;
  for (let pos = 0; pos < indices.length; pos++) {
    const ix = indexValue(indices[pos]) as BasicIndex;
    const arg = `indices[${pos}]`;
    if (ix === null) {
      shape.push(1);
      strides.push(0);
      continue;
    }
    if (ix === '...') {
      full(shape0.length - consumed);
      continue;
    }
    const len = shape0[axis]!;
    const stride = strides0[axis]!;
    if (typeof ix === 'number') {
      if (!Number.isInteger(ix)) invalidType(arg, 'an integer, null, a slice or "..."', ix);
      const i = ix < 0 ? ix + len : ix;
      if (i < 0 || i >= len) {
        throw new NdshareRangeError(`Index ${ix} is out of bounds for axis ${axis} with size ${len}`, { code: codes.OUT_OF_BOUNDS });
      }
      offset += i * stride;
      axis++;
      continue;
    }
    let start: number | null | undefined;
    let stop: number | null | undefined;
    let step: number | null | undefined;
    if (typeof ix === 'string') [start, stop, step] = parseSliceString(ix, arg);
    else if (isSliceObject(ix)) ({ start, stop, step } = ix as { start?: number; stop?: number; step?: number });
    else {
      throw new NdshareTypeError(
        `Expected an integer, null, '...', a 'start:stop:step' string or {start, stop, step} for ${arg} but received ${describe(ix)}`,
        { code: codes.UNSUPPORTED },
      );
    }
    const [a, st, count] = adjustSlice(len, start, stop, step, arg);
    if (count > 0) offset += a * stride;
    else empty = true;
    shape.push(count);
    strides.push(stride * st);
    axis++;
  }
  full(shape0.length - axis);
  if (shape.length > MAX_NDIM) invalidValue('indices', `at most ${MAX_NDIM} dimensions in the result`, indices);
  // An empty view addresses nothing; keep its offset where the data is valid.
  return { shape, strides, offset: empty ? offset0 : offset };
}
