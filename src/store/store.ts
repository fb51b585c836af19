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
import { encodeHeader, writeHeader, type ArrayHeader } from '../header/codec.js';
import { fromHeader } from '../header/array.js';
import { stridedCopy } from '../ndarray/cast.js';
import { checkDType, dtypeInfo, viewOf, type DType } from '../ndarray/dtypes.js';
import { checkShape, contiguousStrides, sizeOf } from '../ndarray/layout.js';
import { freezeArray, NDArray } from '../ndarray/ndarray.js';
import { loadSafetensors } from '../io/safetensors.js';
import { Arena } from './arena.js';
import { parseBytes } from './bytes.js';
import { BLOCK_ALIGN, ObjectState, SB, nameHash, type Geometry } from './layout.js';
import { kOpenForWrite, kReleaseTracked } from '../symbols.js';

/** An object's id: `'#<slot>.<generation>'`. Stable for the object's life, never reused. */
export type ObjectId = string & { readonly __ndshareObjectId: unique symbol };

/** What another process needs to attach: small and JSON-serializable. */
export interface StoreHandle {
  readonly kind: 'ndshare-store';
  readonly version: 1;
  /** pid of a process that holds the segment open (the creator). */
  readonly pid: number;
  /** That process's fd of the segment. */
  readonly fd: number;
  /** Random token the segment must carry (guards against a stale or reused fd). */
  readonly token: string;
}

/** Options of {@link Store.create}. */
export interface StoreCreateOptions {
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
}

/** Options of {@link Store.loadSafetensors}. */
export interface LoadSafetensorsOptions {
  /** Prepended to each tensor's name to form its store name (default ''). */
  prefix?: string;
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
}

/** One entry of `store.list()`. */
export interface ObjectInfo {
  id: ObjectId;
  name: string | undefined;
  state: 'created' | 'sealed' | 'deleting';
  dtype: DType;
  shape: number[];
  nbytes: number;
  refcount: number;
}

interface Tracked {
  slot: number;
  generation: number;
  pinned: boolean;
  store: Store;
}

/** Which store object each root NDArray views, and whether it still holds its pin. */
const tracked = new WeakMap<NDArray, Tracked>();

/** Backstop: an array dropped without release() gives its pin back when collected. */
const finalizer = new FinalizationRegistry<Tracked>((t) => {
  if (t.pinned) t.store[kReleaseTracked](t);
});

/** Internal (pool workers): see src/symbols.ts. */
export { kOpenForWrite };

/**
 * Arenas whose client still holds its liveness mutex. glibc links held robust
 * mutexes through the mutexes themselves, so a segment unmapped (collected)
 * while one is held makes the thread's next robust lock write into unmapped
 * memory. A store's arena therefore stays strongly referenced until close().
 */
const liveArenas = new Set<Arena>();

/** Backstop: a Store dropped without close() is closed when collected (on its own thread). */
const storeFinalizer = new FinalizationRegistry<{ arena: Arena; client: number }>(({ arena, client }) => {
  retire(arena, client);
});

/** Releases a client's pins, deletes its unsealed objects, frees its slot and closes its fd. */
function retire(arena: Arena, client: number): void {
  if (!liveArenas.delete(arena)) return;
  try {
    arena.lock(client);
    try {
      arena.retireClient(client, true);
    } finally {
      arena.unlock();
    }
  } finally {
    native.shm.close(arena.fd);
  }
}

const ID_RE = /^#(\d+)\.(\d+)$/;
const MAX_NAME_BYTES = 1024;
const encoder = new TextEncoder();

function align(n: number, a = BLOCK_ALIGN): number {
  return Math.ceil(n / a) * a;
}

function checkTimeout(options: GetOptions | undefined): number {
  const t = options?.timeout ?? 0;
  if (typeof t !== 'number' || Number.isNaN(t) || t < 0) invalidValue('options.timeout', 'a non-negative number of milliseconds', t);
  return t;
}

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
  #ownerPid: number;
  #ownerFd: number;

  /** A Store over `arena`, or the fd closed if the calling thread cannot register (no client slot left). */
  static #construct(arena: Arena, token: Uint8Array, ownerPid: number, ownerFd: number): Store {
    try {
      return new Store(arena, token, ownerPid, ownerFd);
    } catch (e) {
      native.shm.close(arena.fd);
      throw e;
    }
  }

  /** Registers the calling thread as a client of `arena` (a slot, a liveness mutex held for life). */
  private constructor(arena: Arena, token: Uint8Array, ownerPid: number, ownerFd: number) {
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
    this.#ownerPid = ownerPid;
    this.#ownerFd = ownerFd;
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
    const capacity = align(parseBytes(options.capacity, 'options.capacity'), native.shm.pageSize);
    const intOpt = (name: keyof StoreCreateOptions, dflt: number, min: number, max: number): number => {
      const v = options[name] ?? dflt;
      if (typeof v !== 'number' || !Number.isInteger(v)) invalidType(`options.${name}`, 'an integer', v);
      if (v < min || v > max) invalidValue(`options.${name}`, `an integer in [${min}, ${max}]`, v);
      return v;
    };
    const maxObjects = intOpt('maxObjects', Math.min(65536, Math.max(256, Math.floor(capacity / 65536))), 1, 1 << 22);
    const retainBudget =
      options.retainFreed === undefined
        ? Math.min(capacity / 2, 512 * 2 ** 20)
        : options.retainFreed === 0
          ? 0
          : parseBytes(options.retainFreed, 'options.retainFreed');
    const geometry: Geometry = {
      retainBudget,
      maxClients: intOpt('maxClients', 64, 1, 4096),
      maxObjects,
      pinsPerClient: intOpt('pinsPerClient', 4096, 1, 1 << 20),
      indexSize: 2 ** Math.ceil(Math.log2(2 * maxObjects)),
      capacity,
      pageSize: native.shm.pageSize,
    };
    const token = randomBytes(16);
    const { fd, buffer } = native.shm.create(`ndshare-store-${process.pid}`, Arena.sizeOf(geometry));
    const arena = Arena.initialize(buffer, fd, geometry, token);
    return Store.#construct(arena, token, process.pid, fd);
  }

  /**
   * Attaches to a store created by another process (or thread) from its handle.
   * @throws {NdshareError} ERR_NDSHARE_NATIVE if the segment cannot be opened (the process is gone,
   *   or not ours); ERR_NDSHARE_CORRUPT_HEADER if it is not a store or the token differs.
   * @example const store = nd.Store.attach(JSON.parse(process.env.STORE_HANDLE));
   */
  static attach(handle: StoreHandle, options: StoreAttachOptions = {}): Store {
    if (typeof handle !== 'object' || handle === null || handle.kind !== 'ndshare-store') {
      invalidType('handle', "a store handle ({kind: 'ndshare-store', …})", handle);
    }
    if (handle.version !== 1) invalidValue('handle.version', '1', handle.version);
    for (const k of ['pid', 'fd'] as const) {
      if (!Number.isSafeInteger(handle[k]) || handle[k] < 0) invalidValue(`handle.${k}`, 'a non-negative integer', handle[k]);
    }
    if (typeof handle.token !== 'string' || !/^[0-9a-f]{32}$/.test(handle.token)) {
      invalidValue('handle.token', 'a 32-digit hex string', handle.token);
    }
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
    } else ({ fd, buffer } = native.shm.open(`/proc/${handle.pid}/fd/${handle.fd}`));
    let arena: Arena;
    try {
      arena = Arena.attachView(buffer, fd, token, native.shm.pageSize);
    } catch (e) {
      native.shm.close(fd);
      throw e;
    }
    return Store.#construct(arena, token, handle.pid, handle.fd);
  }

  /** The handle other processes attach with (JSON-serializable). */
  get handle(): StoreHandle {
    return {
      kind: 'ndshare-store',
      version: 1,
      pid: this.#ownerPid,
      fd: this.#ownerFd,
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
    const s = checkShape(shape);
    const dtype = checkDType(options.dtype ?? 'float64', 'options.dtype');
    return this.#allocate(dtype, s, options.name, false);
  }

  /** Like {@link Store.empty}, zero-filled. */
  zeros(shape: readonly number[] | number, options: AllocOptions = {}): NDArray {
    this.#open();
    const s = checkShape(shape);
    const dtype = checkDType(options.dtype ?? 'float64', 'options.dtype');
    return this.#allocate(dtype, s, options.name, true);
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
    if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
    const y = this.#allocate(x.dtype, [...x.shape], options.name, false);
    stridedCopy(y, x, x.shape);
    const t = tracked.get(y)!;
    this.#locked(() => {
      // A concurrent delete(name) may have hit the object while we copied: then it stays deleted,
      // and dropping our pin frees it (sealing would resurrect it outside the name index).
      if (this.#arena.state(t.slot) === ObjectState.Created) this.#arena.sealObject(t.slot);
      this.#arena.unpin(this.#client, t.slot);
    });
    t.pinned = false;
    finalizer.unregister(t);
    return idOf(t.slot, t.generation);
  }

  /**
   * Puts every tensor of a safetensors file into the store under the name
   * `prefix + name` (one copy in from a zero-copy mapping of the file, then
   * sealed), so any process reads the weights by name with `store.get(name)`.
   * All or nothing: if any put fails (or evicts an earlier tensor of the same
   * file), the objects already created are deleted before the error is thrown.
   * @returns tensor name (without the prefix) -> ObjectId.
   * @throws {NdshareError} ERR_NDSHARE_CORRUPT_FILE / ERR_NDSHARE_DTYPE for a bad file,
   *   ERR_NDSHARE_STORE_FULL, ERR_NDSHARE_EXISTS (a name taken).
   * @example
   * store.loadSafetensors('model.safetensors', { prefix: 'gpt2/' });
   * // in any worker: nd.workerContext().store.get('gpt2/wte.weight')
   */
  loadSafetensors(path: string | URL, options: LoadSafetensorsOptions = {}): Record<string, ObjectId> {
    this.#open();
    if (typeof options !== 'object' || options === null) invalidType('options', 'an object', options);
    const prefix = options.prefix ?? '';
    if (typeof prefix !== 'string') invalidType('options.prefix', 'a string', prefix);
    const tensors = loadSafetensors(path);
    const ids: Record<string, ObjectId> = {};
    const created: ObjectId[] = [];
    try {
      for (const [name, x] of Object.entries(tensors)) {
        const id = this.put(x, { name: prefix + name });
        created.push(id);
        Object.defineProperty(ids, name, { value: id, enumerable: true, writable: true, configurable: true });
      }
      // A later put may have evicted an earlier tensor of this file (LRU): then the file does not fit.
      const lost = created.find((id) => !this.has(id));
      if (lost !== undefined) {
        const stats = this.stats();
        throw new NdshareError(`Store full: the tensors of '${String(path)}' do not fit together (capacity ${stats.capacity}, used ${stats.used})`, { code: codes.STORE_FULL, stats });
      }
    } catch (e) {
      for (const id of created) {
        try {
          this.delete(id);
        } catch {
          // already gone (evicted or deleted by someone else)
        }
      }
      throw e;
    }
    return ids;
  }

  #allocate(dtype: DType, shape: number[], name: string | undefined, zero: boolean): NDArray {
    const nameBytes = name === undefined ? undefined : checkName(name);
    const { itemsize } = dtypeInfo(dtype);
    const size = sizeOf(shape);
    const nbytes = size * itemsize;
    const strides = contiguousStrides(shape).map((s) => s * itemsize);
    const header = (offset: number): ArrayHeader => ({
      dtype,
      shape,
      byteStrides: strides,
      byteOffset: offset,
      dataStart: offset,
      byteLength: nbytes,
      order: 'C',
      ...(name !== undefined ? { name } : {}),
    });
    // Offsets are never 0 in the segment, so a placeholder gives the final size.
    const headerBytes = encodeHeader(header(this.#arena.regions.dataStart)).length;
    const dataSkip = align(headerBytes);
    const blockBytes = dataSkip + align(Math.max(nbytes, 1));
    const a = this.#arena;
    const hash = nameBytes ? nameHash(nameBytes) : 0;
    const placed = this.#locked(() => {
      if (name !== undefined && a.indexLookup(hash, name, (s) => this.#nameOf(s)) >= 0) {
        throw new NdshareError(`An object named '${name}' already exists in the store`, { code: codes.EXISTS });
      }
      let slot = a.freeSlot();
      if (slot < 0) slot = this.#evictForSlot();
      let offset = a.takeBlock(blockBytes);
      if (offset < 0) offset = this.#evictFor(blockBytes);
      const dataOffset = offset + dataSkip;
      const written = writeHeader(header(dataOffset), a.bytes, offset, dataSkip);
      a.createObject(slot, this.#client, { offset, bytes: blockBytes }, written, dataOffset, nbytes, hash);
      if (name !== undefined) a.indexInsert(slot, hash);
      a.pin(this.#client, slot);
      return { slot, dataOffset, generation: a.generation(slot) };
    });
    const data = viewOf(dtype, a.sab, placed.dataOffset, size);
    if (zero) zeroFill(a, placed.dataOffset, nbytes);
    const x = new NDArray(data, dtype, shape, undefined, 0, { ownData: false });
    this.#track(x, placed.slot, placed.generation);
    return x;
  }

  /** A free slot, evicting the least recently used unpinned sealed object if none is free. */
  #evictForSlot(): number {
    const a = this.#arena;
    a.reapDeadClients(this.#client);
    const slot = a.freeSlot();
    if (slot >= 0) return slot;
    const victim = this.#lruVictims()[0];
    if (victim === undefined) this.#full(`all ${a.geometry.maxObjects} object slots are in use and pinned or unsealed`);
    a.freeObject(victim, 'keep');
    a.setSbF64(SB.evictions, a.sbF64(SB.evictions) + 1);
    return victim;
  }

  /** Takes `bytes` after evicting unpinned sealed objects, least recently used first. */
  #evictFor(bytes: number): number {
    const a = this.#arena;
    a.reapDeadClients(this.#client);
    let offset = a.takeBlock(bytes);
    if (offset >= 0) return offset;
    for (const victim of this.#lruVictims()) {
      a.freeObject(victim, 'keep'); // reused at once: keep its pages
      a.setSbF64(SB.evictions, a.sbF64(SB.evictions) + 1);
      offset = a.takeBlock(bytes);
      if (offset >= 0) return offset;
    }
    return this.#full(`no free extent of ${bytes} bytes even after evicting every unpinned sealed object`);
  }

  #lruVictims(): number[] {
    const a = this.#arena;
    const victims: { slot: number; at: number }[] = [];
    for (let s = 0; s < a.geometry.maxObjects; s++) {
      if (a.state(s) !== ObjectState.Sealed) continue;
      const r = a.record(s);
      if (r.refcount === 0) victims.push({ slot: s, at: r.lastAccess });
    }
    return victims.sort((p, q) => p.at - q.at).map((v) => v.slot);
  }

  #full(why: string): never {
    const stats = this.#statsLocked();
    throw new NdshareError(`Store full: ${why} (capacity ${stats.capacity}, used ${stats.used}, largest free ${stats.largestFree}, ` +
        `${stats.objects} objects, ${stats.pinned} pinned)`, { code: codes.STORE_FULL, stats });
  }

  // ---- seal, get, release, delete -------------------------------------------

  /**
   * Seals an array from `empty`/`zeros` (or an object by id): it becomes
   * immutable and visible to `get` everywhere. `x` and its views turn read-only;
   * this thread still holds its pin until `release(x)`.
   * @throws {NdshareError} ERR_NDSHARE_NOT_FOUND if it is not an unsealed object of this store.
   */
  seal(x: NDArray | ObjectId): ObjectId {
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
      if (slot < 0 || a.generation(slot) !== generation || a.state(slot) !== ObjectState.Created) {
        throw new NdshareError(`No unsealed object ${typeof x === 'string' ? x : idOf(slot, generation)} in the store`, { code: codes.NOT_FOUND });
      }
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
    const timeout = checkTimeout(options);
    const deadline = performance.now() + timeout;
    for (;;) {
      const r = this.#tryGet(idOrName);
      if (r.view) return r.view;
      const left = deadline - performance.now();
      if (timeout === 0 || left <= 0) this.#missing(idOrName, r, timeout);
      native.sync.futexWait(this.#arena.sab, r.waitOffset, r.waitValue, Math.min(left, 1000));
    }
  }

  /**
   * Like {@link Store.get}, but waits without blocking the event loop.
   * @example const w = await store.getAsync('weights', { timeout: 5000 });
   */
  async getAsync(idOrName: ObjectId | string, options?: GetOptions): Promise<NDArray> {
    this.#open();
    const timeout = checkTimeout(options);
    const deadline = performance.now() + timeout;
    for (;;) {
      const r = this.#tryGet(idOrName);
      if (r.view) return r.view;
      const left = deadline - performance.now();
      if (timeout === 0 || left <= 0) this.#missing(idOrName, r, timeout);
      await native.sync.futexWaitAsync(this.#arena.sab, r.waitOffset, r.waitValue, Math.min(left, 1000));
      this.#open();
    }
  }

  #missing(idOrName: string, r: { exists: boolean }, timeout: number): never {
    if (timeout > 0) {
      throw new NdshareError(`Object ${JSON.stringify(idOrName)} was not ${r.exists ? 'sealed' : 'found'} within ${timeout} ms`, { code: codes.TIMEOUT });
    }
    throw new NdshareError(`No sealed object ${JSON.stringify(idOrName)} in the store${r.exists ? ' (it exists but is not sealed yet: pass a timeout to wait)' : ''}`, { code: codes.NOT_FOUND });
  }

  /** One attempt: the view if sealed, else what to wait on (the object's state or the store epoch). */
  #tryGet(idOrName: ObjectId | string): { view?: NDArray; exists: boolean; waitOffset: number; waitValue: number } {
    const a = this.#arena;
    const byId = typeof idOrName === 'string' && idOrName.startsWith('#') ? parseId(idOrName, this.#arena.geometry.maxObjects) : undefined;
    if (!byId) checkName(idOrName);
    return this.#locked(() => {
      const epoch = Atomics.load(a.i32, SB.epoch / 4);
      const slot = byId
        ? byId.slot >= 0 && a.generation(byId.slot) === byId.generation ? byId.slot : -1
        : a.indexLookup(nameHash(encoder.encode(idOrName)), idOrName, (s) => this.#nameOf(s));
      const state = slot >= 0 ? a.state(slot) : ObjectState.Free;
      if (state === ObjectState.Sealed) {
        const rec = a.record(slot);
        const header = a.header(rec);
        a.pin(this.#client, slot);
        a.touch(slot);
        const view = fromHeader(header, a.sab, { writeable: false });
        this.#track(view, slot, rec.generation);
        return { view, exists: true, waitOffset: 0, waitValue: 0 };
      }
      if (state === ObjectState.Created) return { exists: true, waitOffset: a.stateOffset(slot), waitValue: ObjectState.Created };
      // Ids of a freed slot never come back (the generation moved on); names may appear later.
      return { exists: false, waitOffset: SB.epoch, waitValue: epoch };
    });
  }

  #track(x: NDArray, slot: number, generation: number): void {
    const t: Tracked = { slot, generation, pinned: true, store: this };
    tracked.set(x, t);
    finalizer.register(x, t, t);
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
      this[kReleaseTracked](t);
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
      this.#track(view, slot, generation);
      return view;
    });
  }

  /** @internal */
  [kReleaseTracked](t: Tracked): void {
    t.pinned = false;
    finalizer.unregister(t);
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
    const slot = this.#resolve(idOrName);
    this.#locked(() => {
      const s = slot();
      if (s < 0) throw new NdshareError(`No object ${JSON.stringify(idOrName)} in the store`, { code: codes.NOT_FOUND });
      this.#arena.deleteObject(s);
    });
  }

  /** True if a sealed object with this id or name exists. */
  has(idOrName: ObjectId | string): boolean {
    this.#open();
    const slot = this.#resolve(idOrName);
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

  /** A resolver for an id or name, to run under the lock: the live slot or -1. */
  #resolve(idOrName: ObjectId | string): () => number {
    if (typeof idOrName === 'string' && idOrName.startsWith('#')) {
      const { slot, generation } = parseId(idOrName, this.#arena.geometry.maxObjects);
      if (slot < 0) return () => -1;
      return () => {
        const st = this.#arena.state(slot);
        return this.#arena.generation(slot) === generation && st !== ObjectState.Free && st !== ObjectState.Deleting ? slot : -1;
      };
    }
    const hash = nameHash(checkName(idOrName));
    return () => this.#arena.indexLookup(hash, idOrName, (s) => this.#nameOf(s));
  }

  #nameOf(slot: number): string | undefined {
    return this.#arena.header(this.#arena.record(slot)).name;
  }

  // ---- inspection ---------------------------------------------------------------

  /** Every live object, with its header fields. */
  list(): ObjectInfo[] {
    this.#open();
    return this.#locked(() => {
      const a = this.#arena;
      const out: ObjectInfo[] = [];
      for (let s = 0; s < a.geometry.maxObjects; s++) {
        const st = a.state(s);
        if (st === ObjectState.Free) continue;
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
        });
      }
      return out;
    });
  }

  /** Capacity, use, objects, pins, evictions, clients (dead clients are reaped first). */
  stats(): StoreStats {
    this.#open();
    return this.#locked(() => {
      this.#arena.reapDeadClients(this.#client);
      return this.#statsLocked();
    });
  }

  #statsLocked(): StoreStats {
    const a = this.#arena;
    let sealed = 0;
    let pinned = 0;
    for (let s = 0; s < a.geometry.maxObjects; s++) {
      const st = a.state(s);
      if (st === ObjectState.Free) continue;
      if (st === ObjectState.Sealed) sealed++;
      if (a.record(s).refcount > 0) pinned++;
    }
    const capacity = a.geometry.capacity;
    const used = a.sbF64(SB.used);
    return {
      capacity,
      used,
      free: capacity - used,
      largestFree: a.largestFree(),
      objects: a.sbF64(SB.objects),
      sealed,
      pinned,
      evictions: a.sbF64(SB.evictions),
      clients: a.liveClients(),
      repairs: a.u32[SB.repairs / 4]!,
      residentBytes: native.shm.residentBytes(a.fd),
    };
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
    retire(this.#arena, this.#client);
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

function idOf(slot: number, generation: number): ObjectId {
  return `#${slot}.${generation}` as ObjectId;
}

/**
 * Parses an id. A well-formed id whose slot is outside this store's object
 * table (from another store, stale, made up) names nothing: slot -1. Every
 * caller checks, so no id ever reads or writes outside the table.
 */
function parseId(id: unknown, maxObjects: number): { slot: number; generation: number } {
  const m = typeof id === 'string' ? ID_RE.exec(id) : null;
  if (!m) invalidValue('id', "an object id like '#12.0'", id);
  const slot = Number(m[1]);
  const generation = Number(m[2]);
  if (!(slot < maxObjects) || !(generation <= 0xffffffff)) return { slot: -1, generation: -1 };
  return { slot, generation };
}

function checkName(name: unknown): Uint8Array {
  if (typeof name !== 'string') invalidType('name', 'a string', name);
  if (name.length === 0 || name.startsWith('#')) invalidValue('name', "a non-empty string not starting with '#'", name);
  const bytes = encoder.encode(name);
  if (bytes.length > MAX_NAME_BYTES) invalidValue('name', `at most ${MAX_NAME_BYTES} UTF-8 bytes`, name);
  return bytes;
}

/** Zeroes a fresh allocation: large ones by dropping their pages (the OS hands back zeros). */
function zeroFill(a: Arena, offset: number, nbytes: number): void {
  const page = native.shm.pageSize;
  if (nbytes < 4 * page) {
    new Uint8Array(a.sab, offset, nbytes).fill(0);
    return;
  }
  native.shm.punchHole(a.fd, offset, nbytes);
  const headEnd = Math.ceil(offset / page) * page;
  const tailStart = Math.floor((offset + nbytes) / page) * page;
  new Uint8Array(a.sab, offset, headEnd - offset).fill(0);
  new Uint8Array(a.sab, tailStart, offset + nbytes - tailStart).fill(0);
}

