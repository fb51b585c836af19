/**
 * The store's public types: ids, handles, options, stats.
 *
 * @module
 */
import type { DType } from '../types.js';

/** An object's id: `'#<slot>.<generation>'`. Stable for the object's life, never reused. */
export type ObjectId = string & { readonly __ndshareObjectId: unique symbol };

/** What another process needs to attach: small and JSON-serializable. */
export interface StoreHandle {
  readonly kind: 'ndshare-store';
  readonly version: 1;
  /** pid of a process that holds the segment open (the one that made the handle). */
  readonly pid: number;
  /** That process's fd of the segment. */
  readonly fd: number;
  /** Random token the segment must carry (guards against a stale or reused fd). */
  readonly token: string;
}

/** Options of {@link Store.create}. */
export interface StoreCreateOptions {
  /**
   * Makes a named store: any process of the same user opens it with
   * `Store.open(name)`, and it lives while any process holds it (see docs/guide.md).
   * 1 to 64 of `A-Z a-z 0-9 . _ -`, not starting with `.` or `-`.
   */
  name?: string;
  /** Bytes of the data region: a number or a string like `'512MiB'`, `'2GiB'`, `'1.5GB'`. */
  capacity: number | string;
  /** Object slots (default: capacity / 64 KiB, clamped to [256, 65536]). */
  maxObjects?: number;
  /** Threads that may attach at once (default 64). */
  maxClients?: number;
  /** Distinct objects one thread may hold pinned at once (default 4096). */
  pinsPerClient?: number;
  /**
   * Freed memory kept resident for reuse before pages go back to the OS
   * (default: half the capacity, at most 512 MiB; 0 gives back every large free at once).
   */
  retainFreed?: number | string;
}

/** Options of {@link Store.open}. */
export interface StoreOpenOptions {
  /** Milliseconds to wait for a store of that name to appear (default 0: it must exist now). */
  timeout?: number;
}

/** Options of {@link Store.attach}. */
export interface StoreAttachOptions {
  /**
   * An fd of the segment this process already holds (inherited at spawn) instead of opening
   * /proc/<pid>/fd/<fd>. It stays the caller's: the store works on its own duplicate and never
   * closes it, whether the attach succeeds or fails.
   */
  fd?: number;
}

/** Options of get. */
export interface GetOptions {
  /** Milliseconds to wait for the object to exist and be sealed (default 0: don't wait). */
  timeout?: number;
}

/** Options of put/empty/zeros. */
export interface PutOptions {
  /** A unique name to find the object by (not starting with '#'). */
  name?: string;
  /**
   * false: never evicted, the object stays until deleted (weights a service must not lose).
   * Counted in `stats().unevictable`. Default true.
   */
  evictable?: boolean;
}

/** Options of {@link Store.loadSafetensors}. */
export interface LoadSafetensorsOptions {
  /** Prepended to each tensor's name to form its store name (default ''). */
  prefix?: string;
  /** false: the tensors are never evicted (they stay until deleted). Default true. */
  evictable?: boolean;
}

/** Allocation options of empty/zeros. */
export interface AllocOptions extends PutOptions {
  dtype?: DType;
}

/** `store.stats()`. */
export interface StoreStats {
  /** Bytes of the data region. */
  capacity: number;
  /** Bytes held by objects (headers and alignment included). */
  used: number;
  /** capacity - used. */
  free: number;
  /** The largest single allocation that would succeed without eviction. */
  largestFree: number;
  /** Live objects (created, sealed, or deleted but still pinned). */
  objects: number;
  /** Sealed objects. */
  sealed: number;
  /** Objects with at least one pin. */
  pinned: number;
  /** Objects evicted since the store was created. */
  evictions: number;
  /** Attached threads. */
  clients: number;
  /** Repairs after a process died holding the store mutex. */
  repairs: number;
  /** Bytes of the segment backed by memory (what the OS holds for it). */
  residentBytes: number;
  /** Objects that are never evicted (`evictable: false`). */
  unevictable: number;
  /** Bytes those hold (blocks, headers included). */
  unevictableBytes: number;
  /** Bytes an allocation could get by evicting every unpinned evictable sealed object (largest run). */
  largestAfterEviction: number;
  /** Distinct objects the calling thread holds pinned (its limit is `limits.pinsPerClient`). */
  pinsHeld: number;
  /** The store's fixed limits. */
  limits: { maxObjects: number; maxClients: number; pinsPerClient: number };
}

/** Which limit an `ERR_NDSHARE_STORE_FULL` hit (its `limit` detail; `stats` comes with it). */
export type StoreLimit = 'bytes' | 'objects' | 'clients' | 'pins';

/** One entry of `store.list()`. */
export interface ObjectInfo {
  id: ObjectId;
  name: string | undefined;
  state: 'created' | 'sealed' | 'deleting';
  dtype: DType;
  shape: number[];
  nbytes: number;
  refcount: number;
  /** When it was allocated (ms since the epoch, `Date.now()` of the allocating process). */
  createdAt: number;
}
