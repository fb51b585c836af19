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
import { readHeader, type ArrayHeader } from '../header/codec.js';
import {
  BLOCK_ALIGN,
  CL,
  CLIENT_BYTES,
  ClientState,
  INDEX_TOMBSTONE,
  LAYOUT_VERSION,
  MAGIC,
  OB,
  OBJECT_BYTES,
  ObjectState,
  PIN_BYTES,
  regionsOf,
  SB,
  type Geometry,
  type Regions,
} from './layout.js';

/** How long a lock may wait before we call the store wedged (a live process holding it that long is a bug). */
const LOCK_TIMEOUT_MS = 30_000;
/** Freed blocks of at least this size give their pages back to the OS. */
const PUNCH_MIN_BYTES = 1 << 20;

/** An object slot's control block, read under the mutex. */
export interface ObjectRecord {
  slot: number;
  state: ObjectState;
  generation: number;
  refcount: number;
  creator: number;
  blockOffset: number;
  blockBytes: number;
  headerBytes: number;
  nameHash: number;
  lastAccess: number;
  dataOffset: number;
  dataBytes: number;
}

export class Arena {
  readonly sab: SharedArrayBuffer;
  readonly fd: number;
  readonly bytes: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  readonly geometry: Geometry;
  readonly regions: Regions;
  /** Set by the owner of this view: runs after a repair, e.g. to log it. */
  onRepair: ((reaped: number) => void) | undefined;
  /** This view's client slot (set once registered): whose pending punch unlock() finishes. */
  client = -1;

  private constructor(sab: SharedArrayBuffer, fd: number, geometry: Geometry) {
    this.sab = sab;
    this.fd = fd;
    this.bytes = new Uint8Array(sab);
    this.i32 = new Int32Array(sab);
    this.u32 = new Uint32Array(sab);
    this.f64 = new Float64Array(sab);
    this.geometry = geometry;
    this.regions = regionsOf(geometry);
  }

  /** Bytes of a segment with geometry `g`. */
  static sizeOf(g: Geometry): number {
    return regionsOf(g).segmentBytes;
  }

  /** Lays out a fresh (zero-filled) segment. The caller is its only user so far. */
  static initialize(sab: SharedArrayBuffer, fd: number, geometry: Geometry, token: Uint8Array): Arena {
    const a = new Arena(sab, fd, geometry);
    const { u32, f64 } = a;
    u32[SB.version / 4] = LAYOUT_VERSION;
    u32[SB.maxClients / 4] = geometry.maxClients;
    u32[SB.maxObjects / 4] = geometry.maxObjects;
    u32[SB.pinsPerClient / 4] = geometry.pinsPerClient;
    u32[SB.indexSize / 4] = geometry.indexSize;
    a.bytes.set(token, SB.token);
    f64[SB.segmentBytes / 8] = a.regions.segmentBytes;
    f64[SB.dataStart / 8] = a.regions.dataStart;
    f64[SB.capacity / 8] = geometry.capacity;
    f64[SB.retainBudget / 8] = geometry.retainBudget ?? 0;
    u32[SB.ownerPid / 4] = process.pid;
    native.sync.mutexInit(sab, SB.mutex);
    // The whole data region is one free extent.
    u32[SB.freeCount / 4] = 1;
    f64[a.regions.extents / 8] = a.regions.dataStart;
    f64[a.regions.extents / 8 + 1] = geometry.capacity;
    // Publish last: attachers check the magic first.
    Atomics.store(a.i32, SB.magic / 4, MAGIC);
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
    if (u32[SB.version / 4] !== LAYOUT_VERSION) bad(`layout version ${u32[SB.version / 4]}, expected ${LAYOUT_VERSION}`);
    if (token) {
      const have = new Uint8Array(sab, SB.token, 16);
      if (!token.every((b, i) => b === have[i])) bad('token mismatch (a stale or foreign handle)');
    }
    const geometry: Geometry = {
      maxClients: u32[SB.maxClients / 4]!,
      maxObjects: u32[SB.maxObjects / 4]!,
      pinsPerClient: u32[SB.pinsPerClient / 4]!,
      indexSize: u32[SB.indexSize / 4]!,
      capacity: f64[SB.capacity / 8]!,
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
    if (regions.segmentBytes !== f64[SB.segmentBytes / 8] || regions.segmentBytes > sab.byteLength) {
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
    const r = native.sync.mutexLock(this.sab, SB.mutex, LOCK_TIMEOUT_MS);
    if (r === 2) {
      throw new NdshareError(`The store mutex stayed held for ${LOCK_TIMEOUT_MS} ms`, { code: codes.TIMEOUT });
    }
    if (r === 1) {
      try {
        this.repair(self);
      } finally {
        native.sync.mutexConsistent(this.sab, SB.mutex);
      }
    }
  }

  /**
   * Releases the store mutex. A large block freed under it is given back to
   * the OS now, outside the lock (a 1 GB punch takes ~70 ms), then returned
   * to the free extents under the lock again.
   */
  unlock(): void {
    native.sync.mutexUnlock(this.sab, SB.mutex);
    if (this.client < 0) return;
    const b = this.clientBase(this.client);
    const bytes = this.f64[(b + CL.pendingBytes) / 8]!;
    if (bytes === 0) return;
    const offset = this.f64[(b + CL.pendingOffset) / 8]!;
    native.shm.punchHole(this.fd, offset, bytes);
    this.lock(this.client);
    try {
      if (this.f64[(b + CL.pendingBytes) / 8] === bytes) {
        this.f64[(b + CL.pendingBytes) / 8] = 0;
        this.releaseBlock(offset, bytes);
      }
    } finally {
      native.sync.mutexUnlock(this.sab, SB.mutex);
    }
  }

  // ---- scalar access ---------------------------------------------------------

  sbF64(field: number): number {
    return this.f64[field / 8]!;
  }
  setSbF64(field: number, v: number): void {
    this.f64[field / 8] = v;
  }
  private objBase(slot: number): number {
    return this.regions.objects + slot * OBJECT_BYTES;
  }
  private clientBase(client: number): number {
    return this.regions.clients + client * CLIENT_BYTES;
  }

  /** Byte offset of an object's state word (the futex readers wait on). */
  stateOffset(slot: number): number {
    return this.objBase(slot) + OB.state;
  }

  record(slot: number): ObjectRecord {
    const b = this.objBase(slot);
    const { i32, u32, f64 } = this;
    return {
      slot,
      state: Atomics.load(i32, (b + OB.state) / 4) as ObjectState,
      generation: u32[(b + OB.generation) / 4]!,
      refcount: u32[(b + OB.refcount) / 4]!,
      creator: i32[(b + OB.creator) / 4]!,
      blockOffset: f64[(b + OB.blockOffset) / 8]!,
      blockBytes: f64[(b + OB.blockBytes) / 8]!,
      headerBytes: u32[(b + OB.headerBytes) / 4]!,
      nameHash: u32[(b + OB.nameHash) / 4]!,
      lastAccess: f64[(b + OB.lastAccess) / 8]!,
      dataOffset: f64[(b + OB.dataOffset) / 8]!,
      dataBytes: f64[(b + OB.dataBytes) / 8]!,
    };
  }

  state(slot: number): ObjectState {
    return Atomics.load(this.i32, this.stateOffset(slot) / 4) as ObjectState;
  }
  generation(slot: number): number {
    return this.u32[(this.objBase(slot) + OB.generation) / 4]!;
  }

  /** Marks an access for LRU. */
  touch(slot: number): void {
    const clock = this.sbF64(SB.lruClock) + 1;
    this.setSbF64(SB.lruClock, clock);
    this.f64[(this.objBase(slot) + OB.lastAccess) / 8] = clock;
  }

  /** The header of an object, validated against the segment and against its own block. */
  header(rec: ObjectRecord): ArrayHeader {
    const h = readHeader(this.bytes, rec.blockOffset, rec.headerBytes, this.sab.byteLength);
    const end = rec.blockOffset + rec.blockBytes;
    if (h.byteLength > 0 && (h.dataStart < rec.blockOffset + rec.headerBytes || h.dataStart + h.byteLength > end)) {
      throw new NdshareError(`Object ${rec.slot}: data [${h.dataStart}, ${h.dataStart + h.byteLength}) outside its block [${rec.blockOffset}, ${end})`, { code: codes.CORRUPT_HEADER });
    }
    return h;
  }

  // ---- clients ---------------------------------------------------------------

  /** Claims a client slot for the calling thread and locks its liveness mutex for life. */
  registerClient(threadId: number): number {
    this.reapDeadClients(-1);
    for (let c = 0; c < this.geometry.maxClients; c++) {
      const b = this.clientBase(c);
      if (Atomics.load(this.i32, (b + CL.state) / 4) !== ClientState.Free) continue;
      native.sync.mutexInit(this.sab, b + CL.liveness);
      native.sync.mutexLock(this.sab, b + CL.liveness, 0);
      this.i32[(b + CL.pid) / 4] = process.pid;
      this.i32[(b + CL.threadId) / 4] = threadId;
      this.u32[(b + CL.pinCount) / 4] = 0;
      this.f64[(b + CL.pendingBytes) / 8] = 0;
      Atomics.store(this.i32, (b + CL.state) / 4, ClientState.Active);
      return c;
    }
    throw new NdshareError(`All ${this.geometry.maxClients} client slots of the store are in use (raise maxClients at Store.create)`, { code: codes.STORE_FULL });
  }

  /** Releases everything `client` holds and frees its slot (it is closing, or dead). */
  retireClient(client: number, releaseLiveness: boolean): void {
    const b = this.clientBase(client);
    const pins = this.regions.pins + client * this.geometry.pinsPerClient * PIN_BYTES;
    const n = Math.min(this.u32[(b + CL.pinCount) / 4]!, this.geometry.pinsPerClient);
    for (let k = 0; k < n; k++) {
      const slot = this.u32[(pins + k * PIN_BYTES) / 4]!;
      const count = this.u32[(pins + k * PIN_BYTES + 4) / 4]!;
      if (slot < this.geometry.maxObjects) this.dropPins(slot, count);
    }
    this.u32[(b + CL.pinCount) / 4] = 0;
    // What it created but never sealed can never be sealed now.
    for (let slot = 0; slot < this.geometry.maxObjects; slot++) {
      const ob = this.objBase(slot);
      if (this.i32[(ob + OB.creator) / 4] === client && this.state(slot) === ObjectState.Created) this.freeObject(slot);
    }
    // A block it was giving back to the OS is free now (its punch may be half done: harmless).
    const pending = this.f64[(b + CL.pendingBytes) / 8]!;
    if (pending > 0) {
      this.f64[(b + CL.pendingBytes) / 8] = 0;
      this.releaseBlock(this.f64[(b + CL.pendingOffset) / 8]!, pending);
    }
    if (releaseLiveness) native.sync.mutexUnlock(this.sab, b + CL.liveness);
    Atomics.store(this.i32, (b + CL.state) / 4, ClientState.Free);
  }

  /** Retires every client whose thread died. Returns how many. */
  reapDeadClients(self: number): number {
    let reaped = 0;
    for (let c = 0; c < this.geometry.maxClients; c++) {
      if (c === self) continue;
      const b = this.clientBase(c);
      if (Atomics.load(this.i32, (b + CL.state) / 4) !== ClientState.Active) continue;
      const r = native.sync.mutexTryLock(this.sab, b + CL.liveness);
      if (r === 3) continue; // held: alive
      // 1: its owner died holding it; 0: nobody held it (died between init and lock).
      if (r === 1) native.sync.mutexConsistent(this.sab, b + CL.liveness);
      this.retireClient(c, true);
      reaped++;
    }
    return reaped;
  }

  /** Live client slots (for stats). */
  liveClients(): number {
    let n = 0;
    for (let c = 0; c < this.geometry.maxClients; c++) {
      if (Atomics.load(this.i32, (this.clientBase(c) + CL.state) / 4) === ClientState.Active) n++;
    }
    return n;
  }

  // ---- pins ------------------------------------------------------------------

  /** Adds one pin of `slot` to `client`'s list and to the object's refcount. */
  pin(client: number, slot: number): void {
    const b = this.clientBase(client);
    const pins = this.regions.pins + client * this.geometry.pinsPerClient * PIN_BYTES;
    const n = this.u32[(b + CL.pinCount) / 4]!;
    const u32 = this.u32;
    let k = 0;
    for (; k < n; k++) if (u32[(pins + k * PIN_BYTES) / 4] === slot) break;
    if (k < n) u32[(pins + k * PIN_BYTES + 4) / 4]!++;
    else {
      if (n >= this.geometry.pinsPerClient) {
        throw new NdshareError(`This client holds ${n} distinct pinned objects, the most the store allows (pinsPerClient): release some`, { code: codes.STORE_FULL });
      }
      // Entry first, then the count that makes it visible (rule 2).
      u32[(pins + n * PIN_BYTES) / 4] = slot;
      u32[(pins + n * PIN_BYTES + 4) / 4] = 1;
      u32[(b + CL.pinCount) / 4] = n + 1;
    }
    u32[(this.objBase(slot) + OB.refcount) / 4]!++;
  }

  /**
   * Removes one pin of `slot` from `client`. Returns false if the client held none.
   * Frees the object when it was deleted and this was its last pin.
   */
  unpin(client: number, slot: number): boolean {
    const b = this.clientBase(client);
    const pins = this.regions.pins + client * this.geometry.pinsPerClient * PIN_BYTES;
    const n = this.u32[(b + CL.pinCount) / 4]!;
    const u32 = this.u32;
    for (let k = 0; k < n; k++) {
      const e = (pins + k * PIN_BYTES) / 4;
      if (u32[e] !== slot) continue;
      if (--u32[e + 1]! === 0) {
        // Move the last entry here, then shrink.
        const last = (pins + (n - 1) * PIN_BYTES) / 4;
        u32[e] = u32[last]!;
        u32[e + 1] = u32[last + 1]!;
        u32[(b + CL.pinCount) / 4] = n - 1;
      }
      this.dropPins(slot, 1);
      return true;
    }
    return false;
  }

  /** How many pins `client` holds on `slot`. */
  pinsHeld(client: number, slot: number): number {
    const pins = this.regions.pins + client * this.geometry.pinsPerClient * PIN_BYTES;
    const n = this.u32[(this.clientBase(client) + CL.pinCount) / 4]!;
    for (let k = 0; k < n; k++) if (this.u32[(pins + k * PIN_BYTES) / 4] === slot) return this.u32[(pins + k * PIN_BYTES + 4) / 4]!;
    return 0;
  }

  private dropPins(slot: number, count: number): void {
    const r = (this.objBase(slot) + OB.refcount) / 4;
    const left = Math.max(0, this.u32[r]! - count);
    this.u32[r] = left;
    // Deleted, or never sealed and now held by nobody (an abandoned empty/zeros, a released pool result): free it.
    const st = this.state(slot);
    if (left === 0 && (st === ObjectState.Deleting || st === ObjectState.Created)) this.freeObject(slot);
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
  ): void {
    const b = this.objBase(slot);
    this.u32[(b + OB.refcount) / 4] = 0;
    this.i32[(b + OB.creator) / 4] = creator;
    this.f64[(b + OB.blockOffset) / 8] = block.offset;
    this.f64[(b + OB.blockBytes) / 8] = block.bytes;
    this.u32[(b + OB.headerBytes) / 4] = headerBytes;
    this.u32[(b + OB.nameHash) / 4] = hash;
    this.f64[(b + OB.dataOffset) / 8] = dataOffset;
    this.f64[(b + OB.dataBytes) / 8] = dataBytes;
    Atomics.store(this.i32, (b + OB.state) / 4, ObjectState.Created);
    this.setSbF64(SB.used, this.sbF64(SB.used) + block.bytes);
    this.setSbF64(SB.objects, this.sbF64(SB.objects) + 1);
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
    this.u32[(b + OB.generation) / 4] = (rec.generation + 1) >>> 0;
    this.u32[(b + OB.refcount) / 4] = 0;
    Atomics.store(this.i32, (b + OB.state) / 4, ObjectState.Free);
    this.giveBack(rec.blockOffset, rec.blockBytes, punch);
    this.setSbF64(SB.used, Math.max(0, this.sbF64(SB.used) - rec.blockBytes));
    this.setSbF64(SB.objects, Math.max(0, this.sbF64(SB.objects) - 1));
    native.sync.futexWake(this.sab, b + OB.state, Infinity);
    this.bumpEpoch();
  }

  bumpEpoch(): void {
    Atomics.add(this.i32, SB.epoch / 4, 1);
    native.sync.futexWake(this.sab, SB.epoch, Infinity);
  }

  // ---- free extents ------------------------------------------------------------

  private get freeCount(): number {
    return this.u32[SB.freeCount / 4]!;
  }
  private set freeCount(n: number) {
    this.u32[SB.freeCount / 4] = n;
  }

  /** First fit: takes `bytes` (a multiple of 64) from the lowest extent that holds them; -1 if none does. */
  takeBlock(bytes: number): number {
    const e = this.regions.extents / 8;
    const f = this.f64;
    const n = this.freeCount;
    for (let k = 0; k < n; k++) {
      const size = f[e + 2 * k + 1]!;
      if (size < bytes) continue;
      const offset = f[e + 2 * k]!;
      if (size === bytes) {
        f.copyWithin(e + 2 * k, e + 2 * k + 2, e + 2 * n);
        this.freeCount = n - 1;
      } else {
        f[e + 2 * k] = offset + bytes;
        f[e + 2 * k + 1] = size - bytes;
      }
      return offset;
    }
    return -1;
  }

  /** Largest free extent (for stats and error messages). */
  largestFree(): number {
    const e = this.regions.extents / 8;
    let m = 0;
    for (let k = 0; k < this.freeCount; k++) m = Math.max(m, this.f64[e + 2 * k + 1]!);
    return m;
  }

  /**
   * Bytes of freed memory still resident, from the kernel's count for the
   * segment (no bookkeeping to drift): resident minus the tables minus live blocks.
   */
  private freeResident(): number {
    return Math.max(0, native.shm.residentBytes(this.fd) - this.regions.dataStart - this.sbF64(SB.used));
  }

  /**
   * Returns a freed block. A large one keeps its pages while the store's freed
   * resident memory stays within its retain budget (the next put reuses them
   * without page faults: 4x faster for 100 MB here); past the budget its pages
   * go back to the OS, per `punch`.
   */
  private giveBack(offset: number, bytes: number, punch: 'defer' | 'now' | 'keep'): void {
    // `used` still counts this block here, so freeResident() excludes it: add it back.
    if (bytes >= PUNCH_MIN_BYTES && punch !== 'keep' && this.freeResident() + bytes > this.sbF64(SB.retainBudget)) {
      const b = this.client >= 0 ? this.clientBase(this.client) : -1;
      if (punch === 'defer' && b >= 0 && this.f64[(b + CL.pendingBytes) / 8] === 0) {
        this.f64[(b + CL.pendingOffset) / 8] = offset;
        this.f64[(b + CL.pendingBytes) / 8] = bytes;
        return;
      }
      native.shm.punchHole(this.fd, offset, bytes);
    }
    this.releaseBlock(offset, bytes);
  }

  /** Returns a block to the free extents, coalescing with its neighbours. */
  releaseBlock(offset: number, bytes: number): void {
    const e = this.regions.extents / 8;
    const f = this.f64;
    const n = this.freeCount;
    // Binary search for the first extent after `offset`.
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (f[e + 2 * mid]! < offset) lo = mid + 1;
      else hi = mid;
    }
    const prevEnd = lo > 0 ? f[e + 2 * (lo - 1)]! + f[e + 2 * (lo - 1) + 1]! : -1;
    const nextStart = lo < n ? f[e + 2 * lo]! : -1;
    const joinPrev = prevEnd === offset;
    const joinNext = nextStart === offset + bytes;
    if (joinPrev && joinNext) {
      f[e + 2 * (lo - 1) + 1] = f[e + 2 * (lo - 1) + 1]! + bytes + f[e + 2 * lo + 1]!;
      f.copyWithin(e + 2 * lo, e + 2 * lo + 2, e + 2 * n);
      this.freeCount = n - 1;
    } else if (joinPrev) {
      f[e + 2 * (lo - 1) + 1] = f[e + 2 * (lo - 1) + 1]! + bytes;
    } else if (joinNext) {
      f[e + 2 * lo] = offset;
      f[e + 2 * lo + 1] = f[e + 2 * lo + 1]! + bytes;
    } else {
      f.copyWithin(e + 2 * lo + 2, e + 2 * lo, e + 2 * n);
      f[e + 2 * lo] = offset;
      f[e + 2 * lo + 1] = bytes;
      this.freeCount = n + 1;
    }
  }

  // ---- name index ----------------------------------------------------------------

  /** Finds the slot of a sealed-or-created object by name, or -1. `nameOf` reads a slot's name. */
  indexLookup(hash: number, name: string, nameOf: (slot: number) => string | undefined): number {
    const base = this.regions.index / 4;
    const mask = this.geometry.indexSize - 1;
    for (let i = hash & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
      const v = this.u32[base + i]!;
      if (v === 0) return -1;
      if (v === INDEX_TOMBSTONE) continue;
      const slot = v - 1;
      if (slot < this.geometry.maxObjects && this.u32[(this.objBase(slot) + OB.nameHash) / 4] === hash && nameOf(slot) === name) {
        return slot;
      }
    }
    return -1;
  }

  indexInsert(slot: number, hash: number): void {
    const base = this.regions.index / 4;
    const mask = this.geometry.indexSize - 1;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const v = this.u32[base + i]!;
      if (v === 0 || v === INDEX_TOMBSTONE) {
        this.u32[base + i] = slot + 1;
        return;
      }
    }
  }

  private indexRemove(slot: number, hash: number): void {
    const base = this.regions.index / 4;
    const mask = this.geometry.indexSize - 1;
    for (let i = hash & mask, probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
      const v = this.u32[base + i]!;
      if (v === 0) return;
      if (v === slot + 1) {
        this.u32[base + i] = INDEX_TOMBSTONE;
        return;
      }
    }
  }

  // ---- repair ----------------------------------------------------------------------

  /**
   * Rebuilds every derived structure from the object table and the pin lists,
   * then reaps dead clients. Runs under the lock after EOWNERDEAD.
   */
  repair(self: number): void {
    const g = this.geometry;
    const { u32, f64 } = this;
    // 1. Refcounts from the pin lists (entries past a client's pinCount are not pins).
    for (let s = 0; s < g.maxObjects; s++) u32[(this.objBase(s) + OB.refcount) / 4] = 0;
    for (let c = 0; c < g.maxClients; c++) {
      const b = this.clientBase(c);
      if (Atomics.load(this.i32, (b + CL.state) / 4) !== ClientState.Active) continue;
      const pins = this.regions.pins + c * g.pinsPerClient * PIN_BYTES;
      const n = Math.min(u32[(b + CL.pinCount) / 4]!, g.pinsPerClient);
      let kept = 0;
      for (let k = 0; k < n; k++) {
        const slot = u32[(pins + k * PIN_BYTES) / 4]!;
        const count = u32[(pins + k * PIN_BYTES + 4) / 4]!;
        if (slot >= g.maxObjects || count === 0 || this.state(slot) === ObjectState.Free) continue;
        u32[(pins + kept * PIN_BYTES) / 4] = slot;
        u32[(pins + kept * PIN_BYTES + 4) / 4] = count;
        kept++;
        u32[(this.objBase(slot) + OB.refcount) / 4]! += count;
      }
      u32[(b + CL.pinCount) / 4] = kept;
    }
    // 2. Blocks, used bytes, object count, free extents and the name index from the object table.
    const dataStart = this.regions.dataStart;
    const dataEnd = dataStart + g.capacity;
    const live: { offset: number; bytes: number; slot: number }[] = [];
    // Blocks live clients are punching outside the lock are not free yet.
    for (let c = 0; c < g.maxClients; c++) {
      const b = this.clientBase(c);
      const pending = f64[(b + CL.pendingBytes) / 8]!;
      if (pending > 0 && Atomics.load(this.i32, (b + CL.state) / 4) === ClientState.Active) {
        live.push({ offset: f64[(b + CL.pendingOffset) / 8]!, bytes: pending, slot: -1 });
      }
    }
    for (let s = 0; s < g.maxObjects; s++) {
      const st = this.state(s);
      if (st === ObjectState.Free) continue;
      const rec = this.record(s);
      const ok =
        rec.blockOffset >= dataStart &&
        rec.blockOffset % BLOCK_ALIGN === 0 &&
        rec.blockBytes > 0 &&
        rec.blockBytes % BLOCK_ALIGN === 0 &&
        rec.blockOffset + rec.blockBytes <= dataEnd &&
        (st === ObjectState.Created || st === ObjectState.Sealed || st === ObjectState.Deleting);
      if (!ok) {
        this.u32[(this.objBase(s) + OB.generation) / 4] = (rec.generation + 1) >>> 0;
        Atomics.store(this.i32, this.stateOffset(s) / 4, ObjectState.Free);
        continue;
      }
      live.push({ offset: rec.blockOffset, bytes: rec.blockBytes, slot: s });
    }
    live.sort((a, b) => a.offset - b.offset);
    let used = 0;
    let objects = 0;
    let cursor = dataStart;
    let nFree = 0;
    const e = this.regions.extents / 8;
    for (const blk of live) {
      if (blk.offset < cursor && blk.slot >= 0) {
        // Overlaps its predecessor: cannot both be real; drop the later one.
        this.u32[(this.objBase(blk.slot) + OB.generation) / 4] = (this.generation(blk.slot) + 1) >>> 0;
        Atomics.store(this.i32, this.stateOffset(blk.slot) / 4, ObjectState.Free);
        continue;
      }
      if (blk.offset > cursor) {
        f64[e + 2 * nFree] = cursor;
        f64[e + 2 * nFree + 1] = blk.offset - cursor;
        nFree++;
      }
      cursor = Math.max(cursor, blk.offset + blk.bytes);
      if (blk.slot >= 0) {
        used += blk.bytes;
        objects++;
      }
    }
    if (cursor < dataEnd) {
      f64[e + 2 * nFree] = cursor;
      f64[e + 2 * nFree + 1] = dataEnd - cursor;
      nFree++;
    }
    this.freeCount = nFree;
    this.setSbF64(SB.used, used);
    this.setSbF64(SB.objects, objects);
    u32.fill(0, this.regions.index / 4, this.regions.index / 4 + g.indexSize);
    for (let s = 0; s < g.maxObjects; s++) {
      const st = this.state(s);
      if ((st === ObjectState.Created || st === ObjectState.Sealed) && u32[(this.objBase(s) + OB.nameHash) / 4] !== 0) {
        this.indexInsert(s, u32[(this.objBase(s) + OB.nameHash) / 4]!);
      }
      // A deleted object whose pins are all gone goes now.
      if (st === ObjectState.Deleting && u32[(this.objBase(s) + OB.refcount) / 4] === 0) this.freeObject(s);
    }
    u32[SB.repairs / 4]!++;
    // 3. Dead clients.
    const reaped = this.reapDeadClients(self);
    this.onRepair?.(reaped);
  }

  /** Checks the invariants that repair establishes; returns the problems found (tests and debugging). */
  check(): string[] {
    const problems: string[] = [];
    const g = this.geometry;
    const blocks: [number, number][] = [];
    let used = 0;
    for (let s = 0; s < g.maxObjects; s++) {
      if (this.state(s) === ObjectState.Free) continue;
      const r = this.record(s);
      blocks.push([r.blockOffset, r.blockBytes]);
      used += r.blockBytes;
    }
    const e = this.regions.extents / 8;
    for (let k = 0; k < this.freeCount; k++) blocks.push([this.f64[e + 2 * k]!, this.f64[e + 2 * k + 1]!]);
    blocks.sort((a, b) => a[0] - b[0]);
    let cursor = this.regions.dataStart;
    for (const [o, b] of blocks) {
      if (o !== cursor) problems.push(`gap or overlap at ${cursor}: next block at ${o}`);
      cursor = o + b;
    }
    if (cursor !== this.regions.dataStart + g.capacity) problems.push(`blocks end at ${cursor}, not at the end of the data region`);
    if (used !== this.sbF64(SB.used)) problems.push(`used is ${this.sbF64(SB.used)}, blocks add up to ${used}`);
    return problems;
  }
}
