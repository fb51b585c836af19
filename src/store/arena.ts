/**
 * The shared arena: the store's data structures inside one shared segment,
 * and every operation on them. All methods but `attachView`, `initialize`
 * and `lock` require the store mutex to be held by the caller.
 *
 * Crash safety rests on three rules:
 * 1. Only the object table and the pin lists are primary data. The free
 *    extents, the name index, `used`, `objects` and every object's refcount
 *    are derived, and `repair()` rebuilds them.
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
import {
  ClientField,
  ClientState,
  LAYOUT_VERSION,
  MAGIC,
  ObjectField,
  ObjectFlags,
  ObjectState,
  PIN_BYTES,
  regionsOf,
  Superblock,
  type Geometry,
} from './layout.js';
import { rebuildDerived } from './repair.js';
import { Tables } from './tables.js';
import type { StoreLimit, StoreStats } from './types.js';

export type { ObjectRecord } from './tables.js';

/** How long a lock may wait before we call the store wedged (a live process holding it that long is a bug). */
const LOCK_TIMEOUT_MS = 30_000;
/** Freed blocks of at least this size give their pages back to the OS. */
const PUNCH_MIN_BYTES = 1 << 20;

export class Arena extends Tables {
  /** Set by the owner of this view: runs after a repair, e.g. to log it. */
  onRepair: ((reaped: number) => void) | undefined;

  /** Bytes of a segment with geometry `g`. */
  static sizeOf(g: Geometry): number {
    return regionsOf(g).segmentBytes;
  }

  /** Lays out a fresh (zero-filled) segment. The caller is its only user so far. */
  static initialize(sab: SharedArrayBuffer, fd: number, geometry: Geometry, token: Uint8Array): Arena {
    const a = new Arena(sab, fd, geometry);
    const { u32, f64 } = a;
    u32[Superblock.version / 4] = LAYOUT_VERSION;
    u32[Superblock.maxClients / 4] = geometry.maxClients;
    u32[Superblock.maxObjects / 4] = geometry.maxObjects;
    u32[Superblock.pinsPerClient / 4] = geometry.pinsPerClient;
    u32[Superblock.indexSize / 4] = geometry.indexSize;
    a.bytes.set(token, Superblock.token);
    f64[Superblock.segmentBytes / 8] = a.regions.segmentBytes;
    f64[Superblock.dataStart / 8] = a.regions.dataStart;
    f64[Superblock.capacity / 8] = geometry.capacity;
    f64[Superblock.retainBudget / 8] = geometry.retainBudget ?? 0;
    u32[Superblock.ownerPid / 4] = process.pid;
    native.sync.mutexInit(sab, Superblock.mutex);
    // The whole data region is one free extent.
    u32[Superblock.freeCount / 4] = 1;
    f64[a.regions.extents / 8] = a.regions.dataStart;
    f64[a.regions.extents / 8 + 1] = geometry.capacity;
    // Publish last: attachers check the magic first.
    Atomics.store(a.i32, Superblock.magic / 4, MAGIC);
    return a;
  }

  /**
   * A view of an existing segment, after checking that it is a store of this
   * layout version, with this token, whose geometry fits the segment.
   * @throws {NdshareError} ERR_NDSHARE_CORRUPT_HEADER when it is not.
   */
  static attachView(sab: SharedArrayBuffer, fd: number, token: Uint8Array | undefined, pageSize: number): Arena {
    const bad = (what: string): never => {
      throw new NdshareError(`Not an ndshare store segment (or another version): ${what}`, { code: codes.CORRUPT_HEADER });
    };
    if (sab.byteLength < 4096) bad(`segment of ${sab.byteLength} bytes`);
    const u32 = new Uint32Array(sab, 0, 1024);
    const f64 = new Float64Array(sab, 0, 512);
    if (Atomics.load(new Int32Array(sab, 0, 1), 0) !== MAGIC) bad('magic number mismatch');
    if (u32[Superblock.version / 4] !== LAYOUT_VERSION) bad(`layout version ${u32[Superblock.version / 4]}, expected ${LAYOUT_VERSION}`);
    if (token) {
      const have = new Uint8Array(sab, Superblock.token, 16);
      if (!token.every((b, i) => b === have[i])) bad('token mismatch (a stale or foreign handle)');
    }
    const geometry: Geometry = {
      maxClients: u32[Superblock.maxClients / 4]!,
      maxObjects: u32[Superblock.maxObjects / 4]!,
      pinsPerClient: u32[Superblock.pinsPerClient / 4]!,
      indexSize: u32[Superblock.indexSize / 4]!,
      capacity: f64[Superblock.capacity / 8]!,
      pageSize,
    };
    const g = geometry;
    if (
      !(g.maxClients >= 1 && g.maxClients <= 4096) ||
      !(g.maxObjects >= 1 && g.maxObjects <= 1 << 22) ||
      !(g.pinsPerClient >= 1 && g.pinsPerClient <= 1 << 20) ||
      !(g.indexSize >= 2 * g.maxObjects && (g.indexSize & (g.indexSize - 1)) === 0) ||
      !Number.isSafeInteger(g.capacity)
    ) {
      bad('geometry out of range');
    }
    const regions = regionsOf(g);
    if (regions.segmentBytes !== f64[Superblock.segmentBytes / 8] || regions.segmentBytes > sab.byteLength) {
      bad(`layout needs ${regions.segmentBytes} bytes, segment has ${sab.byteLength}`);
    }
    return new Arena(sab, fd, geometry);
  }

  // ---- the mutex -----------------------------------------------------------

  /**
   * Takes the store mutex. If its last owner died holding it, repairs the
   * derived state first (under the lock) and marks the mutex consistent.
   * @throws {NdshareError} ERR_NDSHARE_TIMEOUT if it stays held for 30 s.
   */
  lock(self: number): void {
    const r = native.sync.mutexLock(this.sab, Superblock.mutex, LOCK_TIMEOUT_MS);
    if (r === 2) {
      throw new NdshareError(`The store mutex stayed held for ${LOCK_TIMEOUT_MS} ms`, { code: codes.TIMEOUT });
    }
    if (r === 1) {
      try {
        this.repair(self);
      } finally {
        native.sync.mutexConsistent(this.sab, Superblock.mutex);
      }
    }
  }

  /**
   * Releases the store mutex. A large block freed under it is given back to
   * the OS now, outside the lock (a 1 GB punch takes ~70 ms), then returned
   * to the free extents under the lock again.
   */
  unlock(): void {
    native.sync.mutexUnlock(this.sab, Superblock.mutex);
    if (this.client < 0) return;
    const b = this.clientBase(this.client);
    const bytes = this.f64[(b + ClientField.pendingBytes) / 8]!;
    if (bytes === 0) return;
    const offset = this.f64[(b + ClientField.pendingOffset) / 8]!;
    native.shm.punchHole(this.fd, offset, bytes);
    this.lock(this.client);
    try {
      if (this.f64[(b + ClientField.pendingBytes) / 8] === bytes) {
        this.f64[(b + ClientField.pendingBytes) / 8] = 0;
        this.releaseBlock(offset, bytes);
      }
    } finally {
      native.sync.mutexUnlock(this.sab, Superblock.mutex);
    }
  }

  // ---- clients ---------------------------------------------------------------

  /** Claims a client slot for the calling thread and locks its liveness mutex for life. */
  registerClient(threadId: number): number {
    this.reapDeadClients(-1);
    for (let c = 0; c < this.geometry.maxClients; c++) {
      const b = this.clientBase(c);
      if (Atomics.load(this.i32, (b + ClientField.state) / 4) !== ClientState.Free) continue;
      native.sync.mutexInit(this.sab, b + ClientField.liveness);
      native.sync.mutexLock(this.sab, b + ClientField.liveness, 0);
      this.i32[(b + ClientField.pid) / 4] = process.pid;
      this.i32[(b + ClientField.threadId) / 4] = threadId;
      this.u32[(b + ClientField.pinCount) / 4] = 0;
      this.f64[(b + ClientField.pendingBytes) / 8] = 0;
      Atomics.store(this.i32, (b + ClientField.state) / 4, ClientState.Active);
      return c;
    }
    return this.full('clients', `all ${this.geometry.maxClients} client slots of the store are in use (raise maxClients at Store.create)`);
  }

  /** Releases everything `client` holds and frees its slot (it is closing, or dead). */
  retireClient(client: number, releaseLiveness: boolean): void {
    const b = this.clientBase(client);
    const pins = this.regions.pins + client * this.geometry.pinsPerClient * PIN_BYTES;
    const n = Math.min(this.u32[(b + ClientField.pinCount) / 4]!, this.geometry.pinsPerClient);
    for (let k = 0; k < n; k++) {
      const slot = this.u32[(pins + k * PIN_BYTES) / 4]!;
      const count = this.u32[(pins + k * PIN_BYTES + 4) / 4]!;
      if (slot < this.geometry.maxObjects) this.dropPins(slot, count);
    }
    this.u32[(b + ClientField.pinCount) / 4] = 0;
    // What it created but never sealed can never be sealed now.
    for (let slot = 0; slot < this.geometry.maxObjects; slot++) {
      const ob = this.objBase(slot);
      if (this.i32[(ob + ObjectField.creator) / 4] === client && this.state(slot) === ObjectState.Created) this.freeObject(slot);
    }
    // A block it was giving back to the OS is free now (its punch may be half done: harmless).
    const pending = this.f64[(b + ClientField.pendingBytes) / 8]!;
    if (pending > 0) {
      this.f64[(b + ClientField.pendingBytes) / 8] = 0;
      this.releaseBlock(this.f64[(b + ClientField.pendingOffset) / 8]!, pending);
    }
    if (releaseLiveness) native.sync.mutexUnlock(this.sab, b + ClientField.liveness);
    Atomics.store(this.i32, (b + ClientField.state) / 4, ClientState.Free);
  }

  /** Retires every client whose thread died. Returns how many. */
  reapDeadClients(self: number): number {
    let reaped = 0;
    for (let c = 0; c < this.geometry.maxClients; c++) {
      if (c === self) continue;
      const b = this.clientBase(c);
      if (Atomics.load(this.i32, (b + ClientField.state) / 4) !== ClientState.Active) continue;
      const r = native.sync.mutexTryLock(this.sab, b + ClientField.liveness);
      if (r === 3) continue; // held: alive
      // 1: its owner died holding it; 0: nobody held it (died between init and lock).
      if (r === 1) native.sync.mutexConsistent(this.sab, b + ClientField.liveness);
      this.retireClient(c, true);
      reaped++;
    }
    return reaped;
  }

  /** Live client slots (for stats). */
  liveClients(): number {
    let n = 0;
    for (let c = 0; c < this.geometry.maxClients; c++) {
      if (Atomics.load(this.i32, (this.clientBase(c) + ClientField.state) / 4) === ClientState.Active) n++;
    }
    return n;
  }

  // ---- pins ------------------------------------------------------------------

  /** Adds one pin of `slot` to `client`'s list and to the object's refcount. */
  pin(client: number, slot: number): void {
    const b = this.clientBase(client);
    const pins = this.regions.pins + client * this.geometry.pinsPerClient * PIN_BYTES;
    const n = this.u32[(b + ClientField.pinCount) / 4]!;
    const u32 = this.u32;
    let k = 0;
    for (; k < n; k++) if (u32[(pins + k * PIN_BYTES) / 4] === slot) break;
    if (k < n) u32[(pins + k * PIN_BYTES + 4) / 4]!++;
    else {
      if (n >= this.geometry.pinsPerClient) this.fullOfPins(client);
      // Entry first, then the count that makes it visible (rule 2).
      u32[(pins + n * PIN_BYTES) / 4] = slot;
      u32[(pins + n * PIN_BYTES + 4) / 4] = 1;
      u32[(b + ClientField.pinCount) / 4] = n + 1;
    }
    u32[(this.objBase(slot) + ObjectField.refcount) / 4]!++;
  }

  /**
   * Removes one pin of `slot` from `client`. Returns false if the client held none.
   * Frees the object when it was deleted and this was its last pin.
   */
  unpin(client: number, slot: number): boolean {
    const b = this.clientBase(client);
    const pins = this.regions.pins + client * this.geometry.pinsPerClient * PIN_BYTES;
    const n = this.u32[(b + ClientField.pinCount) / 4]!;
    const u32 = this.u32;
    for (let k = 0; k < n; k++) {
      const e = (pins + k * PIN_BYTES) / 4;
      if (u32[e] !== slot) continue;
      if (--u32[e + 1]! === 0) {
        // Move the last entry here, then shrink.
        const last = (pins + (n - 1) * PIN_BYTES) / 4;
        u32[e] = u32[last]!;
        u32[e + 1] = u32[last + 1]!;
        u32[(b + ClientField.pinCount) / 4] = n - 1;
      }
      this.dropPins(slot, 1);
      return true;
    }
    return false;
  }

  /** Distinct objects `client` holds pinned. */
  pinCount(client: number): number {
    return this.u32[(this.clientBase(client) + ClientField.pinCount) / 4]!;
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
    const pins = this.regions.pins + client * this.geometry.pinsPerClient * PIN_BYTES;
    const n = this.u32[(this.clientBase(client) + ClientField.pinCount) / 4]!;
    for (let k = 0; k < n; k++) if (this.u32[(pins + k * PIN_BYTES) / 4] === slot) return this.u32[(pins + k * PIN_BYTES + 4) / 4]!;
    return 0;
  }

  private dropPins(slot: number, count: number): void {
    const r = (this.objBase(slot) + ObjectField.refcount) / 4;
    const left = Math.max(0, this.u32[r]! - count);
    this.u32[r] = left;
    if (left === 0 && this.goesWithLastPin(slot)) this.freeObject(slot);
  }

  /**
   * Whether an object with no pins left must be freed: deleted, never sealed (an abandoned
   * empty/zeros: nobody can seal it any more), or a result that belongs to its holders only.
   */
  private goesWithLastPin(slot: number): boolean {
    const st = this.state(slot);
    if (st === ObjectState.Deleting || st === ObjectState.Created) return true;
    return st === ObjectState.Sealed && (this.flags(slot) & ObjectFlags.FreeWithLastPin) !== 0;
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
    this.bumpEpoch();
  }

  /** Deletes an object now, or marks it to go with its last pin. */
  deleteObject(slot: number): void {
    const rec = this.record(slot);
    if (rec.nameHash !== 0) this.indexRemove(slot, rec.nameHash);
    if (rec.refcount > 0) {
      Atomics.store(this.i32, this.stateOffset(slot) / 4, ObjectState.Deleting);
      this.bumpEpoch();
    } else this.freeObject(slot);
  }

  /**
   * Frees the slot and its block. A large block's pages go back to the OS:
   * after the unlock when `deferPunch` (and this client has no punch pending),
   * else at once; an evicted block is reused at once and keeps its pages.
   */
  freeObject(slot: number, punch: 'defer' | 'now' | 'keep' = 'defer'): void {
    const rec = this.record(slot);
    if (rec.state === ObjectState.Free) return;
    if (rec.nameHash !== 0 && rec.state !== ObjectState.Deleting) this.indexRemove(slot, rec.nameHash);
    // Generation before state (rule 2): a stale id must never match the slot's next object.
    const b = this.objBase(slot);
    this.u32[(b + ObjectField.generation) / 4] = (rec.generation + 1) >>> 0;
    this.u32[(b + ObjectField.refcount) / 4] = 0;
    Atomics.store(this.i32, (b + ObjectField.state) / 4, ObjectState.Free);
    this.giveBack(rec.blockOffset, rec.blockBytes, punch);
    this.setSbF64(Superblock.used, Math.max(0, this.sbF64(Superblock.used) - rec.blockBytes));
    this.setSbF64(Superblock.objects, Math.max(0, this.sbF64(Superblock.objects) - 1));
    native.sync.futexWake(this.sab, b + ObjectField.state, Infinity);
    this.bumpEpoch();
  }

  bumpEpoch(): void {
    Atomics.add(this.i32, Superblock.epoch / 4, 1);
    native.sync.futexWake(this.sab, Superblock.epoch, Infinity);
  }

  // ---- free extents ------------------------------------------------------------

  /**
   * Bytes of freed memory still resident, from the kernel's count for the
   * segment (no bookkeeping to drift): resident minus the tables minus live blocks.
   */
  private freeResident(): number {
    return Math.max(0, native.shm.residentBytes(this.fd) - this.regions.dataStart - this.sbF64(Superblock.used));
  }

  /**
   * Returns a freed block. A large one keeps its pages while the store's freed
   * resident memory stays within its retain budget (the next put reuses them
   * without page faults: 4x faster for 100 MB here); past the budget its pages
   * go back to the OS, per `punch`.
   */
  private giveBack(offset: number, bytes: number, punch: 'defer' | 'now' | 'keep'): void {
    // `used` still counts this block here, so freeResident() excludes it: add it back.
    if (bytes >= PUNCH_MIN_BYTES && punch !== 'keep' && this.freeResident() + bytes > this.sbF64(Superblock.retainBudget)) {
      const b = this.client >= 0 ? this.clientBase(this.client) : -1;
      if (punch === 'defer' && b >= 0 && this.f64[(b + ClientField.pendingBytes) / 8] === 0) {
        this.f64[(b + ClientField.pendingOffset) / 8] = offset;
        this.f64[(b + ClientField.pendingBytes) / 8] = bytes;
        return;
      }
      native.shm.punchHole(this.fd, offset, bytes);
    }
    this.releaseBlock(offset, bytes);
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
    const room = this.largestAfterEviction(victims);
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

  /** Evicts one object; returns its (now free) slot. */
  private evict(slot: number): number {
    this.freeObject(slot, 'keep'); // reused at once: keep its pages
    this.setSbF64(Superblock.evictions, this.sbF64(Superblock.evictions) + 1);
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

  /** The largest run of free bytes there would be if every object of `victims` were evicted. */
  largestAfterEviction(victims: number[] = this.lruVictims()): number {
    const runs: [number, number][] = victims.map((s) => {
      const r = this.record(s);
      return [r.blockOffset, r.blockBytes];
    });
    const e = this.regions.extents / 8;
    for (let k = 0; k < this.freeCount; k++) runs.push([this.f64[e + 2 * k]!, this.f64[e + 2 * k + 1]!]);
    runs.sort((p, q) => p[0] - q[0]);
    let best = 0;
    let start = -1;
    let end = -1;
    for (const [o, b] of runs) {
      if (o !== end) start = o;
      end = o + b;
      best = Math.max(best, end - start);
    }
    return best;
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
    let sealed = 0;
    let pinned = 0;
    let unevictable = 0;
    let unevictableBytes = 0;
    for (let s = 0; s < this.geometry.maxObjects; s++) {
      const st = this.state(s);
      if (st === ObjectState.Free) continue;
      if (st === ObjectState.Sealed) sealed++;
      const r = this.record(s);
      if (r.refcount > 0) pinned++;
      if (r.flags & ObjectFlags.Unevictable) {
        unevictable++;
        unevictableBytes += r.blockBytes;
      }
    }
    const capacity = this.geometry.capacity;
    const used = this.sbF64(Superblock.used);
    return {
      capacity,
      used,
      free: capacity - used,
      largestFree: this.largestFree(),
      objects: this.sbF64(Superblock.objects),
      sealed,
      pinned,
      evictions: this.sbF64(Superblock.evictions),
      clients: this.liveClients(),
      repairs: this.u32[Superblock.repairs / 4]!,
      residentBytes: native.shm.residentBytes(this.fd),
      unevictable,
      unevictableBytes,
      largestAfterEviction: this.largestAfterEviction(),
      pinsHeld: this.client >= 0 ? this.pinCount(this.client) : 0,
      limits: { maxObjects: this.geometry.maxObjects, maxClients: this.geometry.maxClients, pinsPerClient: this.geometry.pinsPerClient },
    };
  }

  // ---- repair ----------------------------------------------------------------------

  /**
   * Rebuilds every derived structure from the object table and the pin lists
   * (repair.ts), frees what lost its last pin, then reaps dead clients. Runs
   * under the lock after EOWNERDEAD.
   */
  repair(self: number): void {
    rebuildDerived(this);
    for (let s = 0; s < this.geometry.maxObjects; s++) {
      // A deleted object (or a result) whose pins are all gone goes now.
      if (this.state(s) !== ObjectState.Created && this.record(s).refcount === 0 && this.goesWithLastPin(s)) this.freeObject(s);
    }
    const u32 = this.u32;
    u32[Superblock.repairs / 4]!++;
    // 3. Dead clients.
    const reaped = this.reapDeadClients(self);
    this.onRepair?.(reaped);
  }
}
