/**
 * The shared-memory object store: arrays that any process maps and reads
 * without a copy. See docs/store.md for the design.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { native } from '../binding.js';
import { codes, invalidType, invalidValue, NdshareError } from '../errors.js';
import { fromHeader } from '../header/array.js';
import { checkDType, viewOf, type DType } from '../ndarray/dtypes.js';
import { checkShape } from '../ndarray/layout.js';
import { freezeArray, NDArray } from '../ndarray/ndarray.js';
import { Arena } from './arena.js';
import { geometryOf, placeObject, zeroFill } from './allocation.js';
import { listLocked, lookupLocked, missingError, parseTarget, resolver, type Lookup } from './lookup.js';
import { openByHandle } from './handle.js';
import { NamedLink } from './named.js';
import { checkHandle, checkName, checkTimeout, idOf, parseId } from './ids.js';
import { collectDropped, liveArenas, retire, storeFinalizer, track, tracked, trackedCount, untrack, type Tracked } from './tracking.js';
import { loadWeights } from './weights.js';
import { kOpenForWrite, kSealResult } from '../symbols.js';
import { checkOptions } from '../validate.js';
import { ObjectFlags, ObjectState } from './layout.js';
import type {
  AllocOptions,
  GetOptions,
  LoadSafetensorsOptions,
  ObjectId,
  ObjectInfo,
  PutOptions,
  StoreAttachOptions,
  StoreCreateOptions,
  StoreHandle,
  StoreOpenOptions,
  StoreStats,
} from './types.js';

export type * from './types.js';

/** Internal (pool workers): see src/symbols.ts. */
export { kOpenForWrite, kSealResult };

/**
 * A shared-memory object store. Arrays put in it live in one shared segment
 * that every attached process maps; `get` in any process returns a read-only
 * view of the same memory, whatever the array's size.
 *
 * @example
 * using store = nd.Store.create({ capacity: '1GiB' });
 * const id = store.put(nd.random.normal([1000, 1000], { seed: 1 }), { name: 'x' });
 * // in another process: nd.Store.attach(handle).get('x')
 */
export class Store implements Disposable {
  #arena: Arena;
  #client: number;
  #closed = false;
  #token: Uint8Array;
  /** The name this process holds the store by (named stores only). */
  #link: NamedLink | undefined;

  /** A Store over `arena`, or the fd closed if the calling thread cannot register (no client slot left). */
  static #construct(arena: Arena, token: Uint8Array): Store {
    try {
      return new Store(arena, token);
    } catch (e) {
      native.shm.close(arena.fd);
      throw e;
    }
  }

  /** Registers the calling thread as a client of `arena` (a slot, a liveness mutex held for life). */
  private constructor(arena: Arena, token: Uint8Array) {
    arena.lock(-1);
    let client: number;
    try {
      client = arena.registerClient(threadId);
    } finally {
      arena.unlock();
    }
    arena.client = client;
    this.#arena = arena;
    this.#client = client;
    this.#token = token;
    liveArenas.add(arena);
    storeFinalizer.register(this, { arena, client }, this);
  }

  /**
   * Creates a store: a new anonymous shared segment (memfd) with a data region
   * of `capacity` bytes, sparse until written.
   * @throws {NdshareRangeError} for a bad capacity or geometry.
   * @example const store = nd.Store.create({ capacity: '256MiB' });
   */
  static create(options: StoreCreateOptions): Store {
    if (typeof options !== 'object' || options === null) invalidType('options', 'an object with capacity', options);
    checkOptions(options, { fn: 'Store.create', known: ['name', 'capacity', 'maxObjects', 'maxClients', 'pinsPerClient', 'retainFreed'] });
    if (options.name !== undefined) {
      const link = NamedLink.reserve(options.name);
      return Store.#linked(link, () => Store.create({ ...options, name: undefined }), true);
    }
    const geometry = geometryOf(options);
    const token = randomBytes(16);
    const { fd, buffer } = native.shm.create(`ndshare-store-${process.pid}`, Arena.sizeOf(geometry));
    const arena = Arena.initialize(buffer, fd, geometry, token);
    return Store.#construct(arena, token);
  }

  /**
   * Attaches to a store created by another process (or thread) from its handle.
   * @throws {NdshareError} ERR_NDSHARE_NATIVE if the segment cannot be opened (the process is gone,
   *   or not ours); ERR_NDSHARE_CORRUPT_HEADER if it is not a store or the token differs.
   * @example const store = nd.Store.attach(JSON.parse(process.env.STORE_HANDLE));
   */
  static attach(handle: StoreHandle, options: StoreAttachOptions = {}): Store {
    checkHandle(handle);
    checkOptions(options, { fn: 'Store.attach', known: ['fd'] });
    const token = Buffer.from(handle.token, 'hex');
    // The store only ever closes or punches fds it opened itself: a caller's fd is duplicated first,
    // so a failed attach, close() or a large free never reaches the caller's fd (or a file that
    // later reuses its number).
    let fd: number;
    let buffer: SharedArrayBuffer;
    if (options.fd !== undefined) {
      if (!Number.isSafeInteger(options.fd) || options.fd < 0) invalidValue('options.fd', 'a non-negative integer', options.fd);
      fd = native.shm.duplicate(options.fd);
      try {
        buffer = native.shm.map(fd).buffer;
      } catch (e) {
        native.shm.close(fd);
        throw e;
      }
    } else ({ fd, buffer } = openByHandle(handle.pid, handle.fd));
    let arena: Arena;
    try {
      arena = Arena.attachView(buffer, fd, token, native.shm.pageSize);
    } catch (e) {
      native.shm.close(fd);
      throw e;
    }
    return Store.#construct(arena, token);
  }

  /**
   * Opens the named store `name` (made by `Store.create({name})` or
   * `ndshare serve` in any process of this user): receives the segment's fd
   * from the process that serves the name. This process then holds the store
   * too: it lives while any holder does, and if the server exits, a holder
   * takes over serving the name.
   * @throws {NdshareRangeError} for a bad name.
   * @throws {NdshareError} ERR_NDSHARE_NOT_FOUND (no store of that name), ERR_NDSHARE_STORE_GONE
   *   (every process that held it has exited), ERR_NDSHARE_TIMEOUT (held, but nobody serves it),
   *   ERR_NDSHARE_RUNTIME_DIR (the per-user folder is not private).
   * @example const store = nd.Store.open('ml', { timeout: 5000 });
   */
  static open(name: string, options: StoreOpenOptions = {}): Store {
    checkOptions(options, { fn: 'Store.open', known: ['timeout'] });
    const timeout = checkTimeout(options);
    const c = NamedLink.connect(name, timeout);
    return Store.#linked(c.link, () => Store.#adopt(c.fd, c.token), false);
  }

  /** A store over an fd we own (received from a named store's server): closed on failure. */
  static #adopt(fd: number, tokenHex: string): Store {
    const token = Buffer.from(tokenHex, 'hex');
    let arena: Arena;
    try {
      const { buffer } = native.shm.map(fd);
      arena = Arena.attachView(buffer, fd, token, native.shm.pageSize);
    } catch (e) {
      native.shm.close(fd);
      throw e;
    }
    return Store.#construct(arena, token);
  }

  /** Makes the store with `make` and ties `link` (the name) to it; nothing is left behind on failure. */
  static #linked(link: NamedLink, make: () => Store, serve: boolean): Store {
    let store: Store;
    try {
      store = make();
    } catch (e) {
      link.close();
      throw e;
    }
    try {
      link.start(store, store.#arena.fd, Buffer.from(store.#token).toString('hex'), serve);
    } catch (e) {
      link.close();
      store.close();
      throw e;
    }
    store.#link = link;
    return store;
  }

  /** The store's name (named stores), else undefined. */
  get name(): string | undefined {
    return this.#link?.name;
  }

  /** Named stores: the pid of the process serving the name, as last known here (ours if we serve it). */
  get servingPid(): number | undefined {
    return this.#link?.serverPid;
  }

  /**
   * The handle other processes attach with (JSON-serializable): it names this
   * process's fd, so it works while this process keeps the store open, whoever created it.
   */
  get handle(): StoreHandle {
    return {
      kind: 'ndshare-store',
      version: 1,
      pid: process.pid,
      fd: this.#arena.fd,
      token: Buffer.from(this.#token).toString('hex'),
    };
  }

  /** This process's fd of the segment (to pass to a child at spawn). */
  get fd(): number {
    this.#open();
    return this.#arena.fd;
  }

  /** True after close(). */
  get closed(): boolean {
    return this.#closed;
  }

  // ---- allocation -------------------------------------------------------------

  /**
   * A writable array allocated in the store (contents arbitrary). Other
   * processes cannot see it until `seal(x)`. This thread holds it pinned
   * until `release(x)`.
   * @throws {NdshareError} ERR_NDSHARE_STORE_FULL (with `stats`) when it does not fit even after eviction.
   * @example const x = store.empty([1024, 1024], { dtype: 'float32', name: 'w' }); x.fill(1); store.seal(x);
   */
  empty(shape: readonly number[] | number, options: AllocOptions = {}): NDArray {
    this.#open();
    checkOptions(options, { fn: 'Store.empty', known: ['dtype', 'name', 'evictable'] });
    const s = checkShape(shape);
    const dtype = checkDType(options.dtype ?? 'float64', 'options.dtype');
    return this.#allocate(dtype, s, options, false);
  }

  /** Like {@link Store.empty}, zero-filled. */
  zeros(shape: readonly number[] | number, options: AllocOptions = {}): NDArray {
    this.#open();
    checkOptions(options, { fn: 'Store.zeros', known: ['dtype', 'name', 'evictable'] });
    const s = checkShape(shape);
    const dtype = checkDType(options.dtype ?? 'float64', 'options.dtype');
    return this.#allocate(dtype, s, options, true);
  }

  /**
   * Like {@link Store.empty}, but when the store is full it first reclaims the
   * arrays this thread dropped without `release` (see {@link Store.reclaim})
   * and tries again: ERR_NDSHARE_STORE_FULL only if it still does not fit.
   * What ndshare allocates on a caller's behalf (pool results) goes this way.
   * @throws {NdshareError} ERR_NDSHARE_STORE_FULL (with `stats` and `limit`).
   * @example const y = await store.emptyAsync([1e7]);
   */
  async emptyAsync(shape: readonly number[] | number, options: AllocOptions = {}): Promise<NDArray> {
    return this.#reclaiming(() => this.empty(shape, options));
  }

  /** Like {@link Store.zeros}, reclaiming dropped arrays when full (see {@link Store.emptyAsync}). */
  async zerosAsync(shape: readonly number[] | number, options: AllocOptions = {}): Promise<NDArray> {
    return this.#reclaiming(() => this.zeros(shape, options));
  }

  /**
   * Gives back the pins of arrays of this thread that were dropped without
   * `release`: asks V8 for a full GC (by reporting a burst of external
   * memory, so no `--expose-gc` is needed) and waits until their finalizers
   * ran. Results nobody holds any more are freed by it. Resolves to the
   * number of pins given back.
   * @example await store.reclaim();
   */
  async reclaim(): Promise<number> {
    this.#open();
    const before = this.#arena.pinCount(this.#client);
    await collectDropped();
    if (this.#closed) return 0;
    return Math.max(0, before - this.#arena.pinCount(this.#client));
  }

  async #reclaiming(allocate: () => NDArray): Promise<NDArray> {
    for (let attempt = 0; ; attempt++) {
      try {
        return allocate();
      } catch (e) {
        const full = e instanceof NdshareError && e.code === codes.STORE_FULL && (e as { limit?: string }).limit !== 'clients';
        if (!full || attempt >= 2 || trackedCount() === 0) throw e;
        await this.reclaim();
      }
    }
  }

  /**
   * Copies `x` into the store (C order) and seals it. The object is not pinned:
   * when the store is full, it may be evicted (least recently used first)
   * unless someone holds it through `get`.
   * @throws {NdshareError} ERR_NDSHARE_STORE_FULL, ERR_NDSHARE_EXISTS (name taken).
   * @example const id = store.put(nd.arange(10), { name: 'r' });
   */
  put(x: NDArray, options: PutOptions = {}): ObjectId {
    this.#open();
    checkOptions(options, { fn: 'Store.put', known: ['name', 'evictable'] });
    if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
    const y = this.#allocate(x.dtype, [...x.shape], options, false).assign(x);
    const t = tracked.get(y)!;
    this.#locked(() => {
      // A concurrent delete(name) may have hit the object while we copied: then it stays deleted,
      // and dropping our pin frees it (sealing would resurrect it outside the name index).
      if (this.#arena.state(t.slot) === ObjectState.Created) this.#arena.sealObject(t.slot);
      this.#arena.unpin(this.#client, t.slot);
    });
    untrack(t);
    return idOf(t.slot, t.generation);
  }

  /**
   * Reads safetensors files into the store: every tensor becomes a sealed
   * object named `prefix + name`, so any process reads the weights by name
   * with `store.get(name)`. The data is read with pread straight into the
   * store (one copy from the page cache); no mapping of any file is left once
   * it returns. `path` may be one file, several, or a sharded checkpoint's
   * `model.safetensors.index.json` (its shards are read from its folder, and
   * every tensor must be in the shard the index names). All or nothing: if
   * any tensor fails (or evicts an earlier one), the objects already created
   * are deleted before the error is thrown.
   * @returns tensor name (without the prefix) -> ObjectId.
   * @throws {NdshareError} ERR_NDSHARE_CORRUPT_FILE / ERR_NDSHARE_DTYPE for a bad file or index,
   *   ERR_NDSHARE_STORE_FULL, ERR_NDSHARE_EXISTS (a name taken).
   * @example
   * store.loadSafetensors('model.safetensors.index.json', { prefix: 'llm/', evictable: false });
   * // in any worker: nd.workerContext().store.get('llm/lm_head.weight')
   */
  loadSafetensors(path: string | URL | readonly (string | URL)[], options: LoadSafetensorsOptions = {}): Record<string, ObjectId> {
    this.#open();
    checkOptions(options, { fn: 'Store.loadSafetensors', known: ['prefix', 'evictable'] });
    return loadWeights(this, path, options);
  }

  #allocate(dtype: DType, shape: number[], options: PutOptions, zero: boolean, extraFlags = 0): NDArray {
    if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
    const name = options.name;
    const nameBytes = name === undefined ? undefined : checkName(name);
    const evictable = options.evictable ?? true;
    if (typeof evictable !== 'boolean') invalidType('options.evictable', 'a boolean', evictable);
    const flags = (evictable ? 0 : ObjectFlags.Unevictable) | extraFlags;
    const a = this.#arena;
    const { size, nbytes, ...placed } = placeObject(a, this.#client, dtype, shape, name, nameBytes, flags);
    const data = viewOf(dtype, a.sab, placed.dataOffset, size);
    if (zero) zeroFill(a, placed.dataOffset, nbytes);
    const x = new NDArray(data, dtype, shape, undefined, 0, { ownData: false });
    this.#track(x, placed.slot, placed.generation, nbytes);
    return x;
  }

  // ---- seal, get, release, delete -------------------------------------------

  /**
   * Seals an array from `empty`/`zeros` (or an object by id): it becomes
   * immutable and visible to `get` everywhere. `x` and its views turn read-only;
   * this thread still holds its pin until `release(x)`.
   * @throws {NdshareError} ERR_NDSHARE_NOT_FOUND if it is not an unsealed object of this store.
   */
  seal(x: NDArray | ObjectId): ObjectId {
    return this.#seal(x, false);
  }

  /** @internal See {@link kSealResult}. */
  [kSealResult](x: NDArray): ObjectId {
    return this.#seal(x, true);
  }

  #seal(x: NDArray | ObjectId, result: boolean): ObjectId {
    this.#open();
    let slot: number;
    let generation: number;
    if (x instanceof NDArray) {
      const t = tracked.get(x.base ?? x);
      if (!t || t.store !== this) invalidValue('x', 'an array allocated by this store', x);
      ({ slot, generation } = t);
    } else ({ slot, generation } = parseId(x, this.#arena.geometry.maxObjects));
    this.#locked(() => {
      const a = this.#arena;
      // Only its creator may seal an object: to everyone else it does not exist yet.
      if (slot < 0 || a.generation(slot) !== generation || a.state(slot) !== ObjectState.Created || a.record(slot).creator !== this.#client) {
        throw new NdshareError(`No unsealed object ${typeof x === 'string' ? x : idOf(slot, generation)} of this client in the store`, {
          code: codes.NOT_FOUND,
        });
      }
      if (result && a.record(slot).nameHash === 0) a.addFlags(slot, ObjectFlags.FreeWithLastPin);
      a.sealObject(slot);
    });
    if (x instanceof NDArray) freezeArray(x);
    return idOf(slot, generation);
  }

  /**
   * A read-only view of a sealed object, by id or name. The object stays pinned
   * (never evicted) until `release(view)`. With `timeout` > 0, waits for the
   * object to appear and be sealed, blocking this thread (see `getAsync`).
   * @throws {NdshareError} ERR_NDSHARE_NOT_FOUND (timeout 0), ERR_NDSHARE_TIMEOUT (it did not come in time).
   * @example const w = store.get('weights'); … store.release(w);
   */
  get(idOrName: ObjectId | string, options?: GetOptions): NDArray {
    this.#open();
    checkOptions(options, { fn: 'Store.get', known: ['timeout'] });
    const timeout = checkTimeout(options);
    const deadline = performance.now() + timeout;
    for (;;) {
      const r = this.#tryGet(idOrName);
      if (r.view) return r.view;
      const left = deadline - performance.now();
      if (timeout === 0 || left <= 0 || r.gone) throw missingError(idOrName, r, timeout);
      native.sync.futexWait(this.#arena.sab, r.waitOffset, r.waitValue, Math.min(left, 1000));
    }
  }

  /**
   * Like {@link Store.get}, but waits without blocking the event loop.
   * @example const w = await store.getAsync('weights', { timeout: 5000 });
   */
  async getAsync(idOrName: ObjectId | string, options?: GetOptions): Promise<NDArray> {
    this.#open();
    checkOptions(options, { fn: 'Store.get', known: ['timeout'] });
    const timeout = checkTimeout(options);
    const deadline = performance.now() + timeout;
    for (;;) {
      const r = this.#tryGet(idOrName);
      if (r.view) return r.view;
      const left = deadline - performance.now();
      if (timeout === 0 || left <= 0 || r.gone) throw missingError(idOrName, r, timeout);
      await native.sync.futexWaitAsync(this.#arena.sab, r.waitOffset, r.waitValue, Math.min(left, 1000));
      this.#open();
    }
  }

  /** One attempt of get: see {@link lookupLocked}. */
  #tryGet(idOrName: ObjectId | string): Lookup {
    const byId = parseTarget(this.#arena, idOrName);
    return this.#locked(() => lookupLocked(this.#arena, this.#client, idOrName, byId, (v, s, g, b) => this.#track(v, s, g, b)));
  }

  /**
   * Records that `x` holds a pin on the object. Its bytes count as this
   * thread's external memory while it does (as a Buffer's would), so V8's GC
   * feels the pressure of dropped results and collects them: their finalizer
   * then gives the pin back (see docs/store.md, Lifetimes).
   */
  #track(x: NDArray, slot: number, generation: number, bytes: number): void {
    track(x, { slot, generation, store: this, bytes, release: (t) => this.#releaseTracked(t) });
  }

  /**
   * Gives back the pin `x` holds (an array from get/empty/zeros, or any view of
   * one), or one pin this thread holds on an id. Idempotent for arrays. The
   * view stays readable afterwards, but the memory may be reused once the
   * object is evicted or deleted.
   * @throws {NdshareRangeError} if `x` is not an array of this store.
   * @throws {NdshareError} ERR_NDSHARE_NOT_FOUND for an id this thread holds no pin on.
   */
  release(x: NDArray | ObjectId): void {
    this.#open();
    if (x instanceof NDArray) {
      const t = tracked.get(x.base ?? x);
      if (!t || t.store !== this) invalidValue('x', 'an array from this store', x);
      if (!t.pinned) return;
      this.#releaseTracked(t);
      return;
    }
    const { slot, generation } = parseId(x, this.#arena.geometry.maxObjects);
    const ok = slot >= 0 && this.#locked(() => this.#arena.generation(slot) === generation && this.#arena.unpin(this.#client, slot));
    if (!ok) throw new NdshareError(`This thread holds no pin on ${x}`, { code: codes.NOT_FOUND });
  }

  /** @internal See {@link kOpenForWrite}. */
  [kOpenForWrite](id: ObjectId): NDArray {
    this.#open();
    const { slot, generation } = parseId(id, this.#arena.geometry.maxObjects);
    return this.#locked(() => {
      const a = this.#arena;
      if (slot < 0 || a.generation(slot) !== generation || a.state(slot) !== ObjectState.Created) {
        throw new NdshareError(`No unsealed object ${id} in the store`, { code: codes.NOT_FOUND });
      }
      const rec = a.record(slot);
      const view = fromHeader(a.header(rec), a.sab, { writeable: true });
      a.pin(this.#client, slot);
      this.#track(view, slot, generation, rec.dataBytes);
      return view;
    });
  }

  #releaseTracked(t: Tracked): void {
    untrack(t);
    if (this.#closed) return;
    this.#locked(() => {
      if (this.#arena.generation(t.slot) === t.generation) this.#arena.unpin(this.#client, t.slot);
    });
  }

  /**
   * Deletes an object. If someone holds it pinned, it disappears from `get`
   * at once and its memory is freed when the last pin goes.
   * @throws {NdshareError} ERR_NDSHARE_NOT_FOUND.
   */
  delete(idOrName: ObjectId | string): void {
    this.#open();
    const slot = resolver(this.#arena, this.#client, idOrName);
    this.#locked(() => {
      const s = slot();
      if (s < 0) throw new NdshareError(`No object ${JSON.stringify(idOrName)} in the store`, { code: codes.NOT_FOUND });
      this.#arena.deleteObject(s);
    });
  }

  /** True if a sealed object with this id or name exists. */
  has(idOrName: ObjectId | string): boolean {
    this.#open();
    const slot = resolver(this.#arena, this.#client, idOrName);
    return this.#locked(() => {
      const s = slot();
      return s >= 0 && this.#arena.state(s) === ObjectState.Sealed;
    });
  }

  /** The id of the object an array (or a view of it) lives in, or undefined. */
  idOf(x: NDArray): ObjectId | undefined {
    if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
    const t = tracked.get(x.base ?? x);
    return t && t.store === this ? idOf(t.slot, t.generation) : undefined;
  }

  // ---- inspection ---------------------------------------------------------------

  /** Every live object, with its header fields. */
  list(): ObjectInfo[] {
    this.#open();
    return this.#locked(() => listLocked(this.#arena, this.#client));
  }

  /** Capacity, use, objects, pins, evictions, clients (dead clients are reaped first). */
  stats(): StoreStats {
    this.#open();
    return this.#locked(() => {
      this.#arena.reapDeadClients(this.#client);
      return this.#arena.stats();
    });
  }

  /** Checks the arena's invariants (for tests): returns the problems found. */
  check(): string[] {
    this.#open();
    return this.#locked(() => this.#arena.check());
  }

  // ---- lifetime -------------------------------------------------------------------

  /**
   * Detaches: releases every pin this thread holds, deletes what it created but
   * never sealed, and closes its fd. Idempotent. Views stay readable (the
   * mapping lives until they are collected). The segment itself goes away
   * when the last process holding it closes or exits.
   */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    storeFinalizer.unregister(this);
    try {
      retire(this.#arena, this.#client);
    } finally {
      this.#link?.close();
    }
  }

  [Symbol.dispose](): void {
    this.close();
  }

  #open(): void {
    if (this.#closed) throw new NdshareError('The store is closed', { code: codes.CLOSED });
  }

  #locked<T>(fn: () => T): T {
    this.#arena.lock(this.#client);
    try {
      return fn();
    } finally {
      this.#arena.unlock();
    }
  }
}
