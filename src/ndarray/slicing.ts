/**
 * Parsing of basic (view) indices for `NDArray.slice`: slice strings, slice
 * objects and Python's slice clamping (PySlice_AdjustIndices).
 *
 * @module
 */
import { invalidType, invalidValue } from '../errors.js';
import { indexValue } from './layout.js';

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
