/**
 * The store's tables inside the shared segment, as typed views: field access
 * for objects and clients, and taking blocks from the free extents (the
 * allocator's part). Everything here runs under the store mutex; the rules
 * shared with other clients (freeing blocks, the name index, pins, repair)
 * are native (native/store/arena.cc), reached through arena.ts.
 *
 * @module
 */
import { native } from '../binding.js';
import { codes, NdshareError } from '../errors.js';
import { readHeader, type ArrayHeader } from '../header/codec.js';
import { CLIENT_BYTES, ObjectField, OBJECT_BYTES, ObjectState, regionsOf, Superblock, type Geometry, type Regions } from './layout.js';

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
  flags: number;
}

export class Tables {
  readonly sab: SharedArrayBuffer;
  readonly fd: number;
  readonly bytes: Uint8Array;
  readonly i32: Int32Array;
  readonly u32: Uint32Array;
  readonly f64: Float64Array;
  readonly geometry: Geometry;
  readonly regions: Regions;
  /** This view's client slot (set once registered): whose pending punch unlock() finishes. */
  client = -1;

  protected constructor(sab: SharedArrayBuffer, fd: number, geometry: Geometry) {
    this.sab = sab;
    this.fd = fd;
    this.bytes = new Uint8Array(sab);
    this.i32 = new Int32Array(sab);
    this.u32 = new Uint32Array(sab);
    this.f64 = new Float64Array(sab);
    this.geometry = geometry;
    this.regions = regionsOf(geometry);
  }

  sbF64(field: number): number {
    return this.f64[field / 8]!;
  }

  setSbF64(field: number, v: number): void {
    this.f64[field / 8] = v;
  }

  objBase(slot: number): number {
    return this.regions.objects + slot * OBJECT_BYTES;
  }

  clientBase(client: number): number {
    return this.regions.clients + client * CLIENT_BYTES;
  }

  /** Byte offset of an object's state word (the futex readers wait on). */
  stateOffset(slot: number): number {
    return this.objBase(slot) + ObjectField.state;
  }

  record(slot: number): ObjectRecord {
    const b = this.objBase(slot);
    const { i32, u32, f64 } = this;
    return {
      slot,
      state: Atomics.load(i32, (b + ObjectField.state) / 4) as ObjectState,
      generation: u32[(b + ObjectField.generation) / 4]!,
      refcount: u32[(b + ObjectField.refcount) / 4]!,
      creator: i32[(b + ObjectField.creator) / 4]!,
      blockOffset: f64[(b + ObjectField.blockOffset) / 8]!,
      blockBytes: f64[(b + ObjectField.blockBytes) / 8]!,
      headerBytes: u32[(b + ObjectField.headerBytes) / 4]!,
      nameHash: u32[(b + ObjectField.nameHash) / 4]!,
      lastAccess: f64[(b + ObjectField.lastAccess) / 8]!,
      dataOffset: f64[(b + ObjectField.dataOffset) / 8]!,
      dataBytes: f64[(b + ObjectField.dataBytes) / 8]!,
      flags: u32[(b + ObjectField.flags) / 4]!,
    };
  }

  state(slot: number): ObjectState {
    return Atomics.load(this.i32, this.stateOffset(slot) / 4) as ObjectState;
  }

  generation(slot: number): number {
    return this.u32[(this.objBase(slot) + ObjectField.generation) / 4]!;
  }

  flags(slot: number): number {
    return this.u32[(this.objBase(slot) + ObjectField.flags) / 4]!;
  }

  /** Sets flag bits of a live object. */
  addFlags(slot: number, bits: number): void {
    this.u32[(this.objBase(slot) + ObjectField.flags) / 4]! |= bits;
  }

  /** Marks an access for LRU. */
  touch(slot: number): void {
    const clock = this.sbF64(Superblock.lruClock) + 1;
    this.setSbF64(Superblock.lruClock, clock);
    this.f64[(this.objBase(slot) + ObjectField.lastAccess) / 8] = clock;
  }

  /** The header of an object, validated against the segment and against its own block. */
  header(rec: ObjectRecord): ArrayHeader {
    const h = readHeader(this.bytes, rec.blockOffset, rec.headerBytes, this.sab.byteLength);
    const end = rec.blockOffset + rec.blockBytes;
    if (h.byteLength > 0 && (h.dataStart < rec.blockOffset + rec.headerBytes || h.dataStart + h.byteLength > end)) {
      throw new NdshareError(`Object ${rec.slot}: data [${h.dataStart}, ${h.dataStart + h.byteLength}) outside its block [${rec.blockOffset}, ${end})`, {
        code: codes.CORRUPT_HEADER,
      });
    }
    return h;
  }

  /** Entries of the free-extent list; a count past the list's room (a corrupt word) is read as the room. */
  get freeCount(): number {
    return Math.min(this.u32[Superblock.freeCount / 4]!, this.geometry.maxObjects + 1);
  }

  set freeCount(n: number) {
    this.u32[Superblock.freeCount / 4] = n;
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

  /** Returns a block to the free extents, coalescing with its neighbours (natively). */
  releaseBlock(offset: number, bytes: number): void {
    native.store.releaseBlock(this.sab, this.fd, this.client, offset, bytes);
  }

  /** The slot of the created-or-sealed object named by these UTF-8 bytes, or -1 (natively). */
  indexLookup(name: Uint8Array): number {
    return native.store.findName(this.sab, name);
  }

  indexInsert(slot: number, hash: number): void {
    native.store.indexInsert(this.sab, slot, hash);
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
    if (used !== this.sbF64(Superblock.used)) problems.push(`used is ${this.sbF64(Superblock.used)}, blocks add up to ${used}`);
    return problems;
  }
}
