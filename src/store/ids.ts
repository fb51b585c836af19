/**
 * Object ids (`#<slot>.<generation>`), names and small argument checks of the store.
 *
 * @module
 */
import { invalidType, invalidValue } from '../errors.js';
import { BLOCK_ALIGN } from './layout.js';
import type { GetOptions, ObjectId, StoreHandle } from './types.js';

/** Ids parse strictly: no sign, no leading zeros ('#01.0' is not '#1.0'). */
export const ID_RE = /^#(0|[1-9]\d{0,9})\.(0|[1-9]\d{0,9})$/;
const MAX_NAME_BYTES = 1024;
export const encoder = new TextEncoder();

export function align(n: number, a = BLOCK_ALIGN): number {
  return Math.ceil(n / a) * a;
}

export function checkTimeout(options: GetOptions | undefined): number {
  const t = options?.timeout ?? 0;
  if (typeof t !== 'number' || Number.isNaN(t) || t < 0) invalidValue('options.timeout', 'a non-negative number of milliseconds', t);
  return t;
}

export function idOf(slot: number, generation: number): ObjectId {
  return `#${slot}.${generation}` as ObjectId;
}

/**
 * Parses an id. A well-formed id whose slot is outside this store's object
 * table (from another store, stale, made up) names nothing: slot -1. Every
 * caller checks, so no id ever reads or writes outside the table.
 */
export function parseId(id: unknown, maxObjects: number): { slot: number; generation: number } {
  const m = typeof id === 'string' ? ID_RE.exec(id) : null;
  if (!m) invalidValue('id', "an object id like '#12.0'", id);
  const slot = Number(m[1]);
  const generation = Number(m[2]);
  if (!(slot < maxObjects) || !(generation <= 0xffffffff)) return { slot: -1, generation: -1 };
  return { slot, generation };
}

export function checkName(name: unknown): Uint8Array {
  if (typeof name !== 'string') invalidType('name', 'a string', name);
  if (name.length === 0 || name.startsWith('#')) invalidValue('name', "a non-empty string not starting with '#'", name);
  const bytes = encoder.encode(name);
  if (bytes.length > MAX_NAME_BYTES) invalidValue('name', `at most ${MAX_NAME_BYTES} UTF-8 bytes`, name);
  return bytes;
}

/** Checks the shape of a store handle (the segment's token is checked on attach). */
export function checkHandle(handle: StoreHandle): void {
  if (typeof handle !== 'object' || handle === null || handle.kind !== 'ndshare-store') {
    invalidType('handle', "a store handle ({kind: 'ndshare-store', …})", handle);
  }
  if (handle.version !== 1) invalidValue('handle.version', '1', handle.version);
  for (const k of ['pid', 'fd'] as const) {
    if (!Number.isSafeInteger(handle[k]) || handle[k] < 0) invalidValue(`handle.${k}`, 'a non-negative integer', handle[k]);
  }
  if (typeof handle.token !== 'string' || !/^[0-9a-f]{32}$/.test(handle.token)) {
    invalidValue('handle.token', 'a 32-digit hex string', handle.token);
  }
}
