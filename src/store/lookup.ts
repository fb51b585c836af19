/**
 * Finding objects in a store's arena by id or name: what `get` waits on, what
 * `delete`/`has` resolve, what `list` shows. Every function here that reads the
 * object table runs under the arena lock (the Store takes it); none takes it itself.
 *
 * @module
 */
import { codes, NdshareError } from '../errors.js';
import { fromHeader } from '../header/array.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { Arena } from './arena.js';
import { CREATED_KEY } from './allocation.js';
import { checkName, encoder, idOf, parseId } from './ids.js';
import { ObjectState, Superblock, nameHash } from './layout.js';
import type { ObjectId, ObjectInfo } from './types.js';

/**
 * One attempt of `get`: the view if sealed, else what to wait on (the object's state or the store epoch).
 * `gone`: an id whose object was deleted or evicted (its generation moved on): it never comes back.
 */
export interface Lookup {
  view?: NDArray;
  exists: boolean;
  gone?: boolean;
  waitOffset: number;
  waitValue: number;
}

/** Records that a view holds a pin on an object (the Store's tracking). */
export type TrackView = (view: NDArray, slot: number, generation: number, bytes: number) => void;

/** An id parsed (or a name checked) before taking the lock: the id's slot and generation, or undefined for a name. */
export function parseTarget(a: Arena, idOrName: ObjectId | string): { slot: number; generation: number } | undefined {
  const byId = typeof idOrName === 'string' && idOrName.startsWith('#') ? parseId(idOrName, a.geometry.maxObjects) : undefined;
  if (!byId) checkName(idOrName);
  return byId;
}

/**
 * Under the lock: pins and returns a read-only view of a sealed object, else what to wait on.
 * Another client's unsealed object does not exist for us (we wait on the epoch for its seal).
 */
export function lookupLocked(a: Arena, client: number, idOrName: string, byId: { slot: number; generation: number } | undefined, track: TrackView): Lookup {
  const epoch = Atomics.load(a.i32, Superblock.epoch / 4);
  let slot: number;
  if (byId) {
    if (byId.slot < 0) return { exists: false, gone: true, waitOffset: 0, waitValue: 0 };
    const st = a.state(byId.slot);
    const gen = a.generation(byId.slot);
    // A freed slot's generation is the next object's: only a lower one (or a deleted object) is surely gone.
    if (gen !== byId.generation || st === ObjectState.Deleting) {
      if (gen > byId.generation || st === ObjectState.Deleting) return { exists: false, gone: true, waitOffset: 0, waitValue: 0 };
      return { exists: false, waitOffset: Superblock.epoch, waitValue: epoch };
    }
    slot = byId.slot;
  } else slot = a.indexLookup(nameHash(encoder.encode(idOrName)), idOrName, (s) => nameOf(a, s));
  const state = slot >= 0 ? a.state(slot) : ObjectState.Free;
  if (state === ObjectState.Sealed) {
    const rec = a.record(slot);
    const header = a.header(rec);
    a.pin(client, slot);
    a.touch(slot);
    const view = fromHeader(header, a.sab, { writeable: false });
    track(view, slot, rec.generation, rec.dataBytes);
    return { view, exists: true, waitOffset: 0, waitValue: 0 };
  }
  if (state === ObjectState.Created && a.record(slot).creator === client) {
    return { exists: true, waitOffset: a.stateOffset(slot), waitValue: ObjectState.Created };
  }
  // Not there yet (or another client's, unsealed): names may appear later, seals bump the epoch.
  return { exists: false, waitOffset: Superblock.epoch, waitValue: epoch };
}

/** The error of a `get` that found nothing: gone, timed out, or not there. */
export function missingError(idOrName: string, r: { exists: boolean; gone?: boolean }, timeout: number): NdshareError {
  if (r.gone) return new NdshareError(`Object ${idOrName} is gone (deleted or evicted): its id will never name an object again`, { code: codes.NOT_FOUND });
  if (timeout > 0) {
    return new NdshareError(`Object ${JSON.stringify(idOrName)} was not ${r.exists ? 'sealed' : 'found'} within ${timeout} ms`, { code: codes.TIMEOUT });
  }
  return new NdshareError(
    `No sealed object ${JSON.stringify(idOrName)} in the store${r.exists ? ' (it exists but is not sealed yet: pass a timeout to wait)' : ''}`,
    { code: codes.NOT_FOUND },
  );
}

/** A resolver for an id or name (checked now), to run under the lock: the live slot or -1. */
export function resolver(a: Arena, client: number, idOrName: ObjectId | string): () => number {
  if (typeof idOrName === 'string' && idOrName.startsWith('#')) {
    const { slot, generation } = parseId(idOrName, a.geometry.maxObjects);
    if (slot < 0) return () => -1;
    return () => {
      const st = a.state(slot);
      return a.generation(slot) === generation && st !== ObjectState.Free && st !== ObjectState.Deleting && visible(a, client, slot) ? slot : -1;
    };
  }
  const hash = nameHash(checkName(idOrName));
  return () => {
    const s = a.indexLookup(hash, idOrName, (s) => nameOf(a, s));
    return s >= 0 && visible(a, client, s) ? s : -1;
  };
}

/** Unsealed objects exist only for their creator. */
export function visible(a: Arena, client: number, slot: number): boolean {
  return a.state(slot) !== ObjectState.Created || a.record(slot).creator === client;
}

function nameOf(a: Arena, slot: number): string | undefined {
  return a.header(a.record(slot)).name;
}

/** Under the lock: every live object `client` may see, with its header fields. */
export function listLocked(a: Arena, client: number): ObjectInfo[] {
  const out: ObjectInfo[] = [];
  for (let s = 0; s < a.geometry.maxObjects; s++) {
    const st = a.state(s);
    if (st === ObjectState.Free || !visible(a, client, s)) continue;
    const rec = a.record(s);
    const h = a.header(rec);
    out.push({
      id: idOf(s, rec.generation),
      name: h.name,
      state: st === ObjectState.Sealed ? 'sealed' : st === ObjectState.Created ? 'created' : 'deleting',
      dtype: h.dtype,
      shape: h.shape,
      nbytes: rec.dataBytes,
      refcount: rec.refcount,
      createdAt: Number(h.metadata?.[CREATED_KEY] ?? NaN),
    });
  }
  return out;
}
