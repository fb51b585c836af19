/**
 * The byte layout of a store's shared segment. One memfd holds, in order:
 *
 * ```
 * [superblock 4 KiB][client table][pin lists][object table][name index][free extents] [data region …]
 * ```
 *
 * Everything but the data region is fixed-size and sized at creation from
 * `maxClients`, `maxObjects` and `pinsPerClient`. Every mutation happens under
 * the store mutex (a robust, process-shared pthread mutex in the superblock),
 * so a process killed at any moment leaves at most one half-done operation,
 * which the next locker repairs: the object table is the source of truth, and
 * the free extents, the name index and every refcount are derived from it and
 * from the pin lists (see Repair in native/store/arena.cc).
 *
 * Offsets below are byte offsets; "u32"/"i32" fields are read through an
 * Int32Array/Uint32Array, "f64" fields through a Float64Array (64-bit values
 * up to 2^53 as doubles: offsets and sizes, never atomically updated).
 *
 * @module
 */

/** 'NDSH' little-endian: first word of every store segment. */
export const MAGIC = 0x4853444e;
/** Layout version; attach refuses any other. */
export const LAYOUT_VERSION = 2;

export const SUPERBLOCK_BYTES = 4096;

/** Byte offsets of the superblock's fields. Written by the creator at init; then under the mutex. */
export const Superblock = {
  /** u32 MAGIC. Written once by the creator, last, after the whole layout is ready. */
  magic: 0,
  /** u32 LAYOUT_VERSION. Creator, once. */
  version: 4,
  /** u32 number of client slots. Creator, once. */
  maxClients: 8,
  /** u32 number of object slots. Creator, once. */
  maxObjects: 12,
  /** u32 pin entries per client. Creator, once. */
  pinsPerClient: 16,
  /** u32 entries of the name index (a power of two). Creator, once. */
  indexSize: 20,
  /** 16 random bytes: attach checks them against the handle. Creator, once. */
  token: 24,
  /** f64 total segment bytes. Creator, once. */
  segmentBytes: 40,
  /** f64 byte offset where the data region starts (page aligned). Creator, once. */
  dataStart: 48,
  /** f64 bytes in the data region (the store's capacity). Creator, once. */
  capacity: 56,
  /** pthread_mutex_t (robust, process-shared), 64 bytes reserved. Locked by any client. */
  mutex: 64,
  /** f64 LRU clock: bumped under the mutex on every get/put. */
  lruClock: 128,
  /** f64 data-region bytes held by objects (blocks, headers included). Under the mutex. */
  used: 136,
  /** f64 live objects (created, sealed or deleting). Under the mutex. */
  objects: 144,
  /** f64 objects evicted since creation. Under the mutex. */
  evictions: 152,
  /** u32 number of entries in the free-extent list. Under the mutex. */
  freeCount: 160,
  /** i32 epoch: bumped (Atomics.add) and futex-woken after each seal or delete, so waiters for a name re-check. */
  epoch: 164,
  /** u32 pid of the creator (informational). Creator, once. */
  ownerPid: 168,
  /** u32 repairs done after a client died holding the mutex. Under the mutex. */
  repairs: 172,
  /**
   * f64 freed bytes that may stay resident (not punched) so the next allocations
   * reuse mapped pages instead of faulting in fresh ones. Creator, once.
   */
  retainBudget: 176,
} as const;

/** One client slot per attached thread (a process's main thread or a worker thread). */
export const CLIENT_BYTES = 128;
/** Byte offsets of a client slot's fields, from the slot's start. */
export const ClientField = {
  /** pthread_mutex_t the client holds for its whole life: EOWNERDEAD on trylock means it died. 64 bytes. */
  liveness: 0,
  /** i32 ClientState. Written by the client at register/close and by whoever reaps it, under the mutex. */
  state: 64,
  /** i32 pid. The client, at register. */
  pid: 68,
  /** i32 worker thread id (0 for a main thread). The client, at register. */
  threadId: 72,
  /** u32 pin entries in use. The client, under the mutex; the reaper when it died. */
  pinCount: 76,
  /**
   * f64 offset and f64 bytes of a freed block this client is giving back to the OS
   * outside the mutex (0 bytes: none). Rebuilds treat it as occupied while the client
   * lives, so it cannot be reallocated before the punch is over. The client, under the mutex.
   */
  pendingOffset: 80,
  pendingBytes: 88,
} as const;

export const enum ClientState {
  Free = 0,
  Active = 1,
}

/** A pin entry: u32 object slot, u32 count. Per-client list, written only under the mutex. */
export const PIN_BYTES = 8;

/** One object slot: the object's control block. */
export const OBJECT_BYTES = 128;
/** Byte offsets of an object slot's (control block's) fields, from the slot's start. */
export const ObjectField = {
  /** i32 ObjectState; futex word that readers wait on for a seal. Under the mutex (Atomics.store + wake). */
  state: 0,
  /** u32 generation, bumped each time the slot is reused: part of the ObjectId. Under the mutex. */
  generation: 4,
  /** u32 pins from all clients (derived from the pin lists; recomputed by repair). Under the mutex. */
  refcount: 8,
  /** i32 client slot that created it (its pins and unsealed objects die with it). Under the mutex. */
  creator: 12,
  /** f64 byte offset of the block in the segment (64-byte aligned). Under the mutex. */
  blockOffset: 16,
  /** f64 bytes reserved for the block (a multiple of 64). Under the mutex. */
  blockBytes: 24,
  /** u32 bytes of the FlatBuffers header at the start of the block. Under the mutex. */
  headerBytes: 32,
  /** u32 hash of the name (0: unnamed). Under the mutex. */
  nameHash: 36,
  /** f64 LRU clock value of the last get/put. Under the mutex. */
  lastAccess: 40,
  /** f64 byte offset of the data (64-byte aligned). Under the mutex. */
  dataOffset: 48,
  /** f64 bytes of data. Under the mutex. */
  dataBytes: 56,
  /** u32 ObjectFlags. Written with the other fields before the state (rule 2); then under the mutex. */
  flags: 64,
} as const;

/** Bits of an object's flags word. */
export const enum ObjectFlags {
  /** Never evicted: it stays until deleted (weights, `put(x, {evictable: false})`). */
  Unevictable = 1,
  /**
   * Freed with its last pin, sealed or not: memory ndshare allocated on a caller's behalf
   * (a pool result), which belongs to whoever holds it and to nobody once dropped.
   */
  FreeWithLastPin = 2,
}

export const enum ObjectState {
  /** Slot unused. */
  Free = 0,
  /** Allocated and writable by its creator; not yet visible to get. */
  Created = 1,
  /** Immutable; visible to get. */
  Sealed = 2,
  /** Deleted while pinned: invisible, freed when the last pin goes. */
  Deleting = 3,
}

/** Free extent: f64 offset, f64 bytes; kept sorted by offset and coalesced. */
export const EXTENT_BYTES = 16;

/** Name index entry values: 0 empty, TOMBSTONE deleted, else object slot + 1. */
export const INDEX_TOMBSTONE = 0xffffffff;

/** Alignment of every block and of the data inside it. */
export const BLOCK_ALIGN = 64;

/** Sizes chosen at creation. */
export interface Geometry {
  /** Freed bytes kept resident for reuse (see Superblock.retainBudget). */
  retainBudget?: number;
  maxClients: number;
  maxObjects: number;
  pinsPerClient: number;
  indexSize: number;
  capacity: number;
  pageSize: number;
}

/** Byte offsets of each region for a geometry. */
export interface Regions {
  clients: number;
  pins: number;
  objects: number;
  index: number;
  extents: number;
  dataStart: number;
  segmentBytes: number;
}

function alignUp(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

/** Lays the regions out for `g`: tables first, then the page-aligned data region. */
export function regionsOf(g: Geometry): Regions {
  const clients = SUPERBLOCK_BYTES;
  const pins = clients + g.maxClients * CLIENT_BYTES;
  const objects = alignUp(pins + g.maxClients * g.pinsPerClient * PIN_BYTES, 64);
  const index = objects + g.maxObjects * OBJECT_BYTES;
  const extents = alignUp(index + g.indexSize * 4, 64);
  // One more extent than objects: n blocks leave at most n + 1 gaps.
  const dataStart = alignUp(extents + (g.maxObjects + 1) * EXTENT_BYTES, g.pageSize);
  return { clients, pins, objects, index, extents, dataStart, segmentBytes: dataStart + g.capacity };
}

/** FNV-1a over the UTF-8 bytes of a name, never 0 (0 marks "unnamed"). */
export function nameHash(bytes: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i]!;
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0 || 1;
}
