/**
 * The shared arena: the store's data structures inside one shared segment,
 * and every operation on them. All methods but `attachView`, `initialize`
 * and `lock` require the store mutex to be held by the caller.
 *
 * The protocol's rules (the superblock check, the lock and its repair, client
 * slots and liveness, pins, freeing, the free extents, the name index, lookup
 * and stats) run natively (native/store/arena.cc through `native.store`): the
 * same code the Python package runs through libndshare_store.so, so the two
 * clients cannot drift. What stays here is allocation (choosing a slot and a
 * block, evicting, writing a new object's control block) and sealing, which
 * only Node clients do (Python's put goes through its bridge).
 *
 * Crash safety rests on three rules (docs/store-format.md):
 * 1. Only the object table and the pin lists are primary data. The free
 *    extents, the name index, `used`, `objects` and every object's refcount
 *    are derived, and the native repair rebuilds them.
 * 2. Writes go in an order whose every prefix is harmless: an object's fields
 *    are written before its state says it exists; a pin entry before the pin
 *    count that makes it count; an object's generation is bumped before its
 *    slot is marked free (so a stale id can never reach the slot's next owner).
 * 3. Every client (thread) holds its own robust "liveness" mutex for life; a
 *    trylock that reports EOWNERDEAD proves it died, and the reaper releases
 *    its pins and deletes what it created but never sealed.
 *
 * @module
 */
import { native } from '../binding.js';
import { codes, NdshareError } from '../errors.js';
import { ObjectField, ObjectFlags, ObjectState, regionsOf, Superblock, type Geometry } from './layout.js';
import { Tables } from './tables.js';
import type { StoreLimit, StoreStats } from './types.js';

export type { ObjectRecord } from './tables.js';

/** How long a lock may wait before we call the store wedged (a live process holding it that long is a bug). */
const LOCK_TIMEOUT_MS = 30_000;
/** Punch mode of native.store.freeObject: give a large block's pages back after the unlock. */
const PUNCH_DEFER = 0;

export class Arena extends Tables {
  /** Bytes of a segment with geometry `g`. */
  static sizeOf(g: Geometry): number {
    return regionsOf(g).segmentBytes;
  }

  /** Lays out a fresh (zero-filled) segment. The caller is its only user so far. */
  static initialize(sab: SharedArrayBuffer, fd: number, geometry: Geometry, token: Uint8Array): Arena {
    const g = geometry;
    native.store.initialize(sab, g.maxClients, g.maxObjects, g.pinsPerClient, g.indexSize, g.capacity, token, g.retainBudget ?? 0, process.pid);
    return new Arena(sab, fd, geometry);
  }

  /**
   * A view of an existing segment, after checking that it is a store of this
   * layout version, with this token, whose geometry fits the segment.
   * @throws {NdshareError} ERR_NDSHARE_CORRUPT_HEADER when it is not.
   */
  static attachView(sab: SharedArrayBuffer, fd: number, token: Uint8Array | undefined, pageSize: number): Arena {
    const g = native.store.attach(sab, token);
    return new Arena(sab, fd, { ...g, pageSize });
  }

  // ---- the mutex -----------------------------------------------------------

  /**
   * Takes the store mutex. If its last owner died holding it, the native side
   * repairs the derived state first (under the lock) and marks it consistent.
   * @throws {NdshareError} ERR_NDSHARE_TIMEOUT if it stays held for 30 s.
   */
  lock(self: number): void {
    if (native.store.lock(this.sab, this.fd, self, LOCK_TIMEOUT_MS) === 2) {
      throw new NdshareError(`The store mutex stayed held for ${LOCK_TIMEOUT_MS} ms`, { code: codes.TIMEOUT });
    }
  }

  /**
   * Releases the store mutex. A large block freed under it is given back to
   * the OS now, outside the lock (a 1 GB punch takes ~70 ms), then returned
   * to the free extents under the lock again.
   */
  unlock(): void {
    native.store.unlock(this.sab, this.fd, this.client);
  }

  // ---- clients ---------------------------------------------------------------

  /** Claims a client slot for the calling thread and locks its liveness mutex for life. */
  registerClient(threadId: number): number {
    const c = native.store.registerClient(this.sab, this.fd, process.pid, threadId);
    if (c < 0) return this.full('clients', `all ${this.geometry.maxClients} client slots of the store are in use (raise maxClients at Store.create)`);
    return c;
  }

  /** Releases everything `client` holds and frees its slot (it is closing, or dead). */
  retireClient(client: number, releaseLiveness: boolean): void {
    native.store.retireClient(this.sab, this.fd, this.client, client, releaseLiveness);
  }

  /** Retires every client whose thread died. Returns how many. */
  reapDeadClients(self: number): number {
    return native.store.reapDeadClients(this.sab, this.fd, self);
  }

  /** Live client slots (for stats). */
  liveClients(): number {
    return native.store.liveClients(this.sab);
  }

  // ---- pins ------------------------------------------------------------------

  /** Adds one pin of `slot` to `client`'s list and to the object's refcount. */
  pin(client: number, slot: number): void {
    if (!native.store.pin(this.sab, this.fd, client, slot)) this.fullOfPins(client);
  }

  /**
   * Removes one pin of `slot` from `client`. Returns false if the client held none.
   * Frees the object when it was deleted and this was its last pin.
   */
  unpin(client: number, slot: number): boolean {
    return native.store.unpin(this.sab, this.fd, client, slot);
  }

  /** Distinct objects `client` holds pinned. */
  pinCount(client: number): number {
    return native.store.pinCount(this.sab, this.fd, client);
  }

  /** Throws unless `client` can pin one more distinct object. */
  checkPinRoom(client: number): void {
    if (this.pinCount(client) >= this.geometry.pinsPerClient) this.fullOfPins(client);
  }

  private fullOfPins(client: number): never {
    return this.full('pins', `this client holds ${this.pinCount(client)} distinct pinned objects, the most the store allows (pinsPerClient): release some`);
  }

  /** How many pins `client` holds on `slot`. */
  pinsHeld(client: number, slot: number): number {
    return native.store.pinsHeld(this.sab, this.fd, client, slot);
  }

  // ---- objects ---------------------------------------------------------------

  /** A free object slot, or -1. */
  freeSlot(): number {
    for (let s = 0; s < this.geometry.maxObjects; s++) if (this.state(s) === ObjectState.Free) return s;
    return -1;
  }

  /**
   * Records a new object in `slot` over a block already taken from the free
   * extents. Fields first, state last (rule 2).
   */
  createObject(
    slot: number,
    creator: number,
    block: { offset: number; bytes: number },
    headerBytes: number,
    dataOffset: number,
    dataBytes: number,
    hash: number,
    flags: number,
  ): void {
    const b = this.objBase(slot);
    this.u32[(b + ObjectField.flags) / 4] = flags;
    this.u32[(b + ObjectField.refcount) / 4] = 0;
    this.i32[(b + ObjectField.creator) / 4] = creator;
    this.f64[(b + ObjectField.blockOffset) / 8] = block.offset;
    this.f64[(b + ObjectField.blockBytes) / 8] = block.bytes;
    this.u32[(b + ObjectField.headerBytes) / 4] = headerBytes;
    this.u32[(b + ObjectField.nameHash) / 4] = hash;
    this.f64[(b + ObjectField.dataOffset) / 8] = dataOffset;
    this.f64[(b + ObjectField.dataBytes) / 8] = dataBytes;
    Atomics.store(this.i32, (b + ObjectField.state) / 4, ObjectState.Created);
    this.setSbF64(Superblock.used, this.sbF64(Superblock.used) + block.bytes);
    this.setSbF64(Superblock.objects, this.sbF64(Superblock.objects) + 1);
    this.touch(slot);
  }

  /** Makes an object visible and immutable, and wakes whoever waits for it. */
  sealObject(slot: number): void {
    Atomics.store(this.i32, this.stateOffset(slot) / 4, ObjectState.Sealed);
    native.sync.futexWake(this.sab, this.stateOffset(slot), Infinity);
    native.store.bumpEpoch(this.sab);
  }

  /** Deletes an object now, or marks it to go with its last pin. */
  deleteObject(slot: number): void {
    native.store.deleteObject(this.sab, this.fd, this.client, slot);
  }

  /**
   * Frees the slot and its block. A large block's pages go back to the OS
   * (past the store's retain budget) after the unlock.
   */
  freeObject(slot: number): void {
    native.store.freeObject(this.sab, this.fd, this.client, slot, PUNCH_DEFER);
  }

  // ---- allocation and eviction -----------------------------------------------------

  /**
   * A free object slot and `bytes` of data region for a new object, evicting
   * unpinned evictable sealed objects (least recently used first) only when
   * needed, and only once it is sure that evicting them makes room: an
   * allocation that cannot fit even after evicting everything evictable fails
   * with STORE_FULL and evicts nothing. Dead clients are reaped first.
   */
  reserve(self: number, bytes: number): { slot: number; offset: number } {
    let slot = this.freeSlot();
    if (slot < 0 || this.largestFree() < bytes) {
      this.reapDeadClients(self);
      slot = this.freeSlot();
    }
    if (slot >= 0) {
      const offset = this.takeBlock(bytes);
      if (offset >= 0) return { slot, offset };
    }
    const victims = this.lruVictims();
    if (slot < 0 && victims.length === 0) {
      this.full('objects', `all ${this.geometry.maxObjects} object slots are in use and pinned, unsealed or not evictable`);
    }
    const room = native.store.largestAfterEviction(this.sab);
    if (room < bytes) {
      this.full('bytes', `no free extent of ${bytes} bytes even after evicting every evictable object (at most ${room} bytes)`);
    }
    // Both fit now: evict in LRU order until they do (the first victim frees a slot if we need one).
    let k = 0;
    for (; slot < 0; k++) slot = this.evict(victims[k]!);
    let offset = this.takeBlock(bytes);
    for (; offset < 0; k++) {
      this.evict(victims[k]!);
      offset = this.takeBlock(bytes);
    }
    return { slot, offset };
  }

  /** Evicts one object (its pages stay: the block is reused at once); returns its (now free) slot. */
  private evict(slot: number): number {
    native.store.evictObject(this.sab, this.fd, this.client, slot);
    return slot;
  }

  /** Unpinned, sealed, evictable objects, least recently used first. */
  lruVictims(): number[] {
    const victims: { slot: number; at: number }[] = [];
    for (let s = 0; s < this.geometry.maxObjects; s++) {
      if (this.state(s) !== ObjectState.Sealed) continue;
      const r = this.record(s);
      if (r.refcount === 0 && (r.flags & ObjectFlags.Unevictable) === 0) victims.push({ slot: s, at: r.lastAccess });
    }
    return victims.sort((p, q) => p.at - q.at).map((v) => v.slot);
  }

  /** Throws ERR_NDSHARE_STORE_FULL for `limit`, with the store's stats. */
  full(limit: StoreLimit, why: string): never {
    const stats = this.stats();
    throw new NdshareError(
      `Store full (${limit}): ${why} (capacity ${stats.capacity}, used ${stats.used}, largest free ${stats.largestFree}, ` +
        `${stats.objects} objects, ${stats.pinned} pinned, ${stats.unevictable} not evictable, ${stats.clients} clients)`,
      { code: codes.STORE_FULL, stats, limit },
    );
  }

  /** Use, objects, pins and limits, as seen by this view's client. */
  stats(): StoreStats {
    return native.store.stats(this.sab, this.fd, this.client);
  }

  /** Rebuilds every derived structure, frees what lost its last pin, reaps dead clients (natively; as after EOWNERDEAD). */
  repair(self: number): number {
    return native.store.repair(this.sab, this.fd, self);
  }
}
