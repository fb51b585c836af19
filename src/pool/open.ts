/**
 * Opening a stored array to read it, for both sides of the pool (the caller and
 * the worker): one rule for objects that may or may not be sealed yet.
 *
 * @module
 */
import { codes } from '../errors.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { kOpenForWrite, type ObjectId, type Store } from '../store/store.js';

/**
 * A pinned view of an object: sealed (get), or unsealed (a pool result, a `store.empty` the owner
 * filled, or an input the caller never sealed).
 */
export function openToRead(store: Store, id: ObjectId): NDArray {
  try {
    return store.get(id);
  } catch (e) {
    if ((e as { code?: unknown }).code !== codes.NOT_FOUND) throw e;
    try {
      return store[kOpenForWrite](id);
    } catch {
      return store.get(id); // sealed in between: the first way works now (or throws the right error)
    }
  }
}
