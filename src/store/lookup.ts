/**
 * Finding objects in a store's arena by id or name: what `get` waits on, what
 * `delete`/`has` resolve, what `list` shows. Every function here that reads the
 * object table runs under the arena lock (the Store takes it); none takes it itself.
 *
 * @module
 */
import { native } from '../binding.js';
import { codes, NdshareError } from '../errors.js';
import { fromHeader } from '../header/array.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { Arena } from './arena.js';
import { CREATED_KEY } from './allocation.js';
import { checkName, encoder, idOf, parseId } from './ids.js';
import { ObjectState } from './layout.js';
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

/** Status values of native.store.lookup (native/store/arena.h). */
const enum Found {
  Ok = 0,
  Corrupt = 1,
  FullPins = 4,
  NotFound = 5,
  Gone = 6,
}

/**
 * Under the lock: pins and returns a read-only view of a sealed object, else what to wait on.
 * Another client's unsealed object does not exist for us (we wait on the epoch for its seal).
 * The lookup and the pin are native (the rules the Python client runs too); the view is built here.
 */
export function lookupLocked(a: Arena, client: number, idOrName: string, byId: { slot: number; generation: number } | undefined, track: TrackView): Lookup {
  if (byId && byId.slot < 0) return { exists: false, gone: true, waitOffset: 0, waitValue: 0 };
  const r = byId ? native.store.lookup(a.sab, a.fd, client, byId.slot, byId.generation) : native.store.lookup(a.sab, a.fd, client, encoder.encode(idOrName));
  const status = r[0]!;
  if (status === Found.Ok) {
    const slot = r[1]!;
    const rec = a.record(slot);
    let header;
    try {
      header = a.header(rec);
    } catch (e) {
      a.unpin(client, slot);
      throw e;
    }
    const view = fromHeader(header, a.sab, { writeable: false });
    track(view, slot, r[2]!, r[6]!);
    return { view, exists: true, waitOffset: 0, waitValue: 0 };
  }
  if (status === Found.Gone) return { exists: false, gone: true, waitOffset: 0, waitValue: 0 };
  if (status === Found.FullPins) a.checkPinRoom(client);
  if (status === Found.Corrupt) throw new NdshareError(`Object ${idOrName}: its control block is corrupt`, { code: codes.CORRUPT_HEADER });
  return { exists: r[7] === 1, waitOffset: r[8]!, waitValue: r[9]! };
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

/** A resolver for an id or name (checked now), to run under the lock: the live slot or -1 (natively). */
export function resolver(a: Arena, client: number, idOrName: ObjectId | string): () => number {
  if (typeof idOrName === 'string' && idOrName.startsWith('#')) {
    const { slot, generation } = parseId(idOrName, a.geometry.maxObjects);
    if (slot < 0) return () => -1;
    return () => native.store.resolve(a.sab, a.fd, client, slot, generation);
  }
  const bytes = checkName(idOrName);
  return () => native.store.resolve(a.sab, a.fd, client, bytes);
}

/** Unsealed objects exist only for their creator. */
export function visible(a: Arena, client: number, slot: number): boolean {
  return a.state(slot) !== ObjectState.Created || a.record(slot).creator === client;
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
