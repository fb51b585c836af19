/**
 * The types of the addon's store-facing modules (`native.handoff`, `native.store`),
 * kept apart from binding.ts, which loads the addon and re-exports them.
 *
 * @module
 */
import type { StoreStats } from './store/types.js';

/**
 * Named stores (native/handoff/handoff.cc over native/platform/unix_socket.cc):
 * a Unix socket that hands a segment's fd to processes of the same user
 * (SCM_RIGHTS, peer uid checked with SO_PEERCRED on both sides), and the
 * flock lock files that decide who serves a name. Failed calls throw
 * `ERR_NDSHARE_NATIVE` with `errno` (positive C value) and `syscall`.
 */
export interface NativeHandoff {
  /**
   * Binds a Unix socket at `path` (which must not exist) and answers each
   * connection from a peer with our euid with `payload` (1 to 4096 bytes) and
   * a copy of `fd`, on a thread of its own that never touches JS.
   */
  serve(path: string, fd: number, payload: Uint8Array): NativeHandoffServer;
  /** Stops serving: joins the thread, closes the socket and the fd copy (the socket file stays). Idempotent. */
  stop(server: NativeHandoffServer): void;
  /** Connections answered and refused (another uid) so far. */
  served(server: NativeHandoffServer): { served: number; refused: number };
  /** Connects to `path` (send/receive timeouts of `timeoutMs`), checks the server's uid, receives an fd. */
  connect(path: string, timeoutMs: number): { fd: number; payload: Uint8Array; pid: number; uid: number };
  /** open(path, O_RDWR|O_CLOEXEC|O_NOFOLLOW[|O_CREAT], 0600). */
  lockOpen(path: string, create: boolean): number;
  /** flock(LOCK_SH or LOCK_EX | LOCK_NB): false if another open file holds a conflicting lock. */
  tryLock(fd: number, exclusive: boolean): boolean;
  /** flock(LOCK_UN). */
  unlock(fd: number): void;
  /** True if `path` (not followed) is still the file behind `fd`. */
  sameFile(fd: number, path: string): boolean;
  /** unlink(path); a missing file is not an error. */
  remove(path: string): void;
  /** geteuid(). */
  readonly uid: number;
  /** The longest Unix socket path. */
  readonly maxSocketPath: number;
}

/** An opaque serving thread from {@link NativeHandoff.serve}. */
export type NativeHandoffServer = { readonly __ndshareHandoffServer: unique symbol };

/**
 * The store's rules over a segment (native/store/arena.h): the same code the
 * Python package runs through libndshare_store.so. Every function takes the
 * segment first and checks its superblock; `fd` (-1: none) is used to give
 * freed pages back to the OS, `client` is the caller's client slot (-1: none).
 * All but attach/initialize/lock/unlock require the caller to hold the store
 * mutex (taken with lock).
 */
export interface NativeStore {
  /** The byte offsets native code uses (native/store/format.h): test/47 checks src/store/layout.ts against them. */
  readonly layout: Record<'Superblock' | 'ClientField' | 'ObjectField' | 'sizes', Record<string, number>>;
  /** Checks a segment (magic, layout version, token, geometry); throws ERR_NDSHARE_CORRUPT_HEADER naming what is wrong. */
  attach(
    sab: SharedArrayBuffer,
    token: Uint8Array | undefined,
  ): { maxClients: number; maxObjects: number; pinsPerClient: number; indexSize: number; capacity: number };
  initialize(
    sab: SharedArrayBuffer,
    maxClients: number,
    maxObjects: number,
    pinsPerClient: number,
    indexSize: number,
    capacity: number,
    token: Uint8Array,
    retainBudget: number,
    ownerPid: number,
  ): void;
  /** Takes the store mutex, repairing first if its owner died: 0 locked, 2 timed out. */
  lock(sab: SharedArrayBuffer, fd: number, client: number, timeoutMs: number): 0 | 2;
  /** Unlocks, then finishes this client's pending punch. */
  unlock(sab: SharedArrayBuffer, fd: number, client: number): void;
  /** A client slot for the calling thread (liveness mutex held for life), or -1. */
  registerClient(sab: SharedArrayBuffer, fd: number, pid: number, threadId: number): number;
  retireClient(sab: SharedArrayBuffer, fd: number, self: number, client: number, releaseLiveness: boolean): void;
  reapDeadClients(sab: SharedArrayBuffer, fd: number, self: number): number;
  liveClients(sab: SharedArrayBuffer): number;
  /** False when the client's pin list is full. */
  pin(sab: SharedArrayBuffer, fd: number, client: number, slot: number): boolean;
  /** False when the client held no pin on it. */
  unpin(sab: SharedArrayBuffer, fd: number, client: number, slot: number): boolean;
  pinCount(sab: SharedArrayBuffer, fd: number, client: number): number;
  pinsHeld(sab: SharedArrayBuffer, fd: number, client: number, slot: number): number;
  /** punch: 0 after the unlock, 1 now, 2 keep the pages. */
  freeObject(sab: SharedArrayBuffer, fd: number, client: number, slot: number, punch: 0 | 1 | 2): void;
  deleteObject(sab: SharedArrayBuffer, fd: number, client: number, slot: number): void;
  evictObject(sab: SharedArrayBuffer, fd: number, client: number, slot: number): void;
  bumpEpoch(sab: SharedArrayBuffer): void;
  releaseBlock(sab: SharedArrayBuffer, fd: number, client: number, offset: number, bytes: number): void;
  /** Slot of the created-or-sealed object with this UTF-8 name, or -1. */
  findName(sab: SharedArrayBuffer, name: Uint8Array): number;
  indexInsert(sab: SharedArrayBuffer, slot: number, hash: number): void;
  /**
   * One attempt of get, by id (slot, generation; slot -1: names nothing here) or name:
   * [status, slot, generation, blockOffset, blockBytes, headerBytes, dataBytes, exists, waitOffset, waitValue].
   * status 0: pinned and touched; 4: pins full; 5: not there (wait on waitOffset while it holds waitValue); 6: gone; 1: corrupt.
   */
  lookup(sab: SharedArrayBuffer, fd: number, client: number, slotOrName: number | Uint8Array, generation?: number): Float64Array;
  /** The live slot an id or name resolves to for `client`, or -1. */
  resolve(sab: SharedArrayBuffer, fd: number, client: number, slotOrName: number | Uint8Array, generation?: number): number;
  repair(sab: SharedArrayBuffer, fd: number, self: number): number;
  stats(sab: SharedArrayBuffer, fd: number, client: number): StoreStats;
  largestAfterEviction(sab: SharedArrayBuffer): number;
}
