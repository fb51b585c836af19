/**
 * The worker pool: element maps, chunk kernels, reductions and module
 * functions over NDArrays, run in worker processes (or threads) that map the
 * same shared memory. See docs/pool.md.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { native } from '../binding.js';
import { codes, invalidType, invalidValue, NdshareError } from '../errors.js';
import { checkDType, dtypeInfo, type DType } from '../ndarray/dtypes.js';
import { broadcastShapes, normalizeAxis, sizeOf } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import type { Scalar } from '../ndarray/cast.js';
import { kOpenForWrite, Store, type ObjectId } from '../store/store.js';
import {
  controlBytes,
  isRefMarker,
  JOB,
  mailboxOffset,
  POOL,
  readMessage,
  W,
  wordOf,
  writeMessage,
  type ArrayRef,
  type FnRef,
  type ReduceOp,
  type Task,
  SpinBudget,
} from './protocol.js';
import { rebuildError, type SerializedError } from './remote-error.js';
import { spawnProcess, spawnThread, type Backend, type ExitInfo, type WorkerRuntime } from './runtime.js';

/** Options of {@link Pool.start}. */
export interface PoolOptions {
  /** Worker count (default `os.availableParallelism()`). */
  workers?: number;
  /** The store the workers share (default: a new one of `capacity`, closed with the pool). */
  store?: Store;
  /** Capacity of the pool's own store when `store` is not given (default '2GiB'; sparse until used). */
  capacity?: number | string;
  /** 'process' (default) or 'thread'. */
  backend?: Backend;
  /** Milliseconds to wait for the workers to start (default 30000). */
  startTimeout?: number;
}

/** Progress of a job. */
export interface Progress {
  done: number;
  total: number;
}

/** Options shared by map, mapChunks and reduce. */
export interface JobOptions {
  /** Values the function reads from its last parameter (functions are shipped as source and must be pure). */
  args?: unknown;
  /** Elements (map, reduce) or leading-axis rows (mapChunks) per chunk; chunks are handed out dynamically. */
  chunkSize?: number;
  /** Cancels the job: it rejects with ERR_NDSHARE_ABORTED. */
  signal?: AbortSignal;
  /** Milliseconds before the job rejects with ERR_NDSHARE_TIMEOUT (workers still inside a chunk are replaced). */
  timeout?: number;
  /** Called with {done, total} chunks while the job runs (at most every 50 ms) and at the end. */
  onProgress?: (p: Progress) => void;
}

/** Options of map and mapChunks. */
export interface MapOptions extends JobOptions {
  /** Where to write: an unsealed array of this pool's store (from `store.empty`), of the broadcast shape. */
  out?: NDArray;
  /** dtype of the output (default: the first input's if floating, else float64). */
  dtype?: DType;
}

/** Options of reduce. */
export interface ReduceOptions extends JobOptions {
  /** Reduce along this axis (the result is an NDArray); default: the whole array (a scalar). */
  axis?: number;
}

/** A custom reduction: `combine` must be associative with `init` as its identity. */
export interface CustomReduce {
  map?: (x: number, args: unknown) => number;
  combine: (acc: number, x: number, args: unknown) => number;
  init: number;
}

/** `pool.stats()`. */
export interface PoolStats {
  workers: { pid?: number; threadId?: number; busy: boolean; tasksDone: number }[];
  queued: number;
}

interface Job {
  counters: NDArray;
  i32: Int32Array;
  chunks: number;
  outstanding: number;
  participants: number;
  error?: Error;
  settled: boolean;
}

interface Work {
  task: Task;
  callerStack: Error;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
  job?: Job;
  /** Set when a timeout or an abort already rejected it. */
  cancelled?: boolean;
}

interface Slot {
  index: number;
  rt: WorkerRuntime;
  busy: boolean;
  tasksDone: number;
  seenDone: number;
  current?: Work;
  dead: boolean;
  /** How long to spin for this worker's answer before sleeping. */
  spin: SpinBudget;
}

interface State {
  store: Store;
  ownsStore: boolean;
  backend: Backend;
  control: NDArray;
  controlId: ObjectId;
  words: Int32Array;
  bytes: Uint8Array;
  sab: SharedArrayBuffer;
  slots: Slot[];
  queue: Work[];
  closing: Promise<void> | undefined;
  /** Set once the workers are being stopped (after close() drained, or by destroy()); dead workers are no longer replaced. */
  stopping: Promise<void> | undefined;
  closed: boolean;
  idle: (() => void)[];
  /** Slots in the control object (the worker count; a replaced worker reuses its slot). */
  slotCount: number;
  /** Workers running a task. */
  busyCount: number;
}

const SPIN_MS = 0.03;
const KILL_GRACE_MS = 1000;

/**
 * The caller's frames, captured before the hop. Kept as an Error: V8 formats
 * `.stack` lazily, and formatting (source maps included) costs more than a
 * whole dispatch, so only a failing task pays for it.
 */
/** The caller's stack before the hop (a few frames: a full capture costs several µs per task). */
function captureStack(): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 6;
  const e = new Error();
  Error.stackTraceLimit = limit;
  return e;
}

function fnRef(fn: unknown, name: string): FnRef {
  if (typeof fn !== 'function') invalidType(name, 'a function', fn);
  return { source: Function.prototype.toString.call(fn), name };
}

/**
 * A pool of workers sharing one store.
 *
 * @example
 * await using pool = await nd.Pool.start({ workers: 2 });
 * const y = await pool.map(x, (v, a) => Math.sqrt(v) * a.k, { args: { k: 2 } });
 */
export class Pool implements AsyncDisposable {
  #pool: State;

  private constructor(state: State) {
    this.#pool = state;
  }

  /**
   * Starts the workers and waits until each has attached to the store.
   * @throws {NdshareRangeError} for a bad worker count or backend.
   * @throws {NdshareError} ERR_NDSHARE_WORKER_EXITED if a worker dies while starting; ERR_NDSHARE_TIMEOUT.
   */
  static async start(options: PoolOptions = {}): Promise<Pool> {
    if (typeof options !== 'object' || options === null) invalidType('options', 'an options object', options);
    const workers = options.workers ?? availableParallelism();
    if (typeof workers !== 'number') invalidType('options.workers', 'an integer in [1, 256]', workers);
    if (!Number.isInteger(workers) || workers < 1 || workers > 256) invalidValue('options.workers', 'an integer in [1, 256]', workers);
    const backend = options.backend ?? 'process';
    if (backend !== 'process' && backend !== 'thread') invalidValue('options.backend', "'process' or 'thread'", backend);
    if (options.store !== undefined && !(options.store instanceof Store)) invalidType('options.store', 'a Store', options.store);
    const startTimeout = options.startTimeout ?? 30_000;
    if (typeof startTimeout !== 'number') invalidType('options.startTimeout', 'a positive number of milliseconds', startTimeout);
    if (!(startTimeout > 0)) invalidValue('options.startTimeout', 'a positive number of milliseconds', startTimeout);
    const store = options.store ?? Store.create({ capacity: options.capacity ?? '2GiB' });
    const control = store.zeros([controlBytes(workers)], { dtype: 'uint8' });
    const bytes = control.data as Uint8Array;
    const state: State = {
      store,
      ownsStore: options.store === undefined,
      backend,
      control,
      controlId: store.idOf(control)!,
      words: new Int32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4)),
      bytes,
      sab: bytes.buffer as SharedArrayBuffer,
      slots: [],
      queue: [],
      closing: undefined,
      stopping: undefined,
      closed: false,
      idle: [],
      slotCount: workers,
      busyCount: 0,
    };
    const pool = new Pool(state);
    try {
      for (let i = 0; i < workers; i++) state.slots.push(pool.#spawn(i));
      await Promise.race([
        Promise.all(state.slots.map((s) => s.rt.ready)),
        new Promise((_, reject) =>
          setTimeout(() => reject(new NdshareError(`Workers did not start within ${startTimeout} ms`, { code: codes.TIMEOUT })), Math.min(startTimeout, 0x7fffffff)).unref(),
        ),
      ]);
    } catch (e) {
      await pool.destroy();
      if (e instanceof NdshareError) throw e;
      throw new NdshareError(`A pool worker failed to start: ${(e as Error).message}`, { code: codes.WORKER_EXITED });
    }
    for (const s of state.slots) s.rt.unref();
    return pool;
  }

  /** The store the workers share. */
  get store(): Store {
    return this.#pool.store;
  }

  /** True once close() or destroy() has begun. */
  get closed(): boolean {
    return this.#pool.closing !== undefined || this.#pool.closed;
  }

  /** Worker count. */
  get size(): number {
    return this.#pool.slots.length;
  }

  #spawn(index: number): Slot {
    const p = this.#pool;
    const taskSeq = Atomics.load(p.words, wordOf(index, W.taskSeq));
    const boot = { handle: p.store.handle, control: p.controlId, slots: p.slotCount, slot: index, parentPid: process.pid, taskSeq };
    Atomics.store(p.words, wordOf(index, W.busy), 0);
    const rt = p.backend === 'process' ? spawnProcess(boot, p.store.fd) : spawnThread(boot);
    const slot: Slot = {
      index,
      rt,
      busy: false,
      tasksDone: 0,
      seenDone: Atomics.load(p.words, wordOf(index, W.doneSeq)),
      dead: false,
      spin: new SpinBudget(SPIN_MS),
    };
    void rt.exited.then((info) => this.#onExit(slot, info));
    return slot;
  }

  #onExit(slot: Slot, info: ExitInfo): void {
    const p = this.#pool;
    slot.dead = true;
    const work = slot.current;
    slot.current = undefined;
    // Unblock the owner's wait on this slot.
    Atomics.add(p.words, wordOf(slot.index, W.doneSeq), 1);
    native.sync.futexWake(p.sab, this.#byteOf(wordOf(slot.index, W.doneSeq)), Infinity);
    if (work) {
      const how = info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
      const err = new NdshareError(`Pool worker ${slot.index} (${slot.rt.backend} ${slot.rt.id}) exited with ${how} while running a task`, { code: codes.WORKER_EXITED, exitCode: info.code, signal: info.signal });
      this.#finish(work, err, undefined);
    }
    // Replace it in the same slot, also while close() drains the queue (else queued work would never run).
    if (p.stopping || p.closed) return;
    const fresh = this.#spawn(slot.index);
    p.slots[slot.index] = fresh;
    fresh.rt.ready.then(
      () => {
        if (!p.busyCount) fresh.rt.unref();
        this.#pump();
      },
      () => {},
    );
  }

  #byteOf(word: number): number {
    return this.#pool.bytes.byteOffset + word * 4;
  }

  // ---- scheduling ----------------------------------------------------------------

  #submit(task: Task, job?: Job): Promise<unknown> {
    const p = this.#pool;
    if (p.closing || p.closed) return Promise.reject(new NdshareError('The pool is closed', { code: codes.CLOSED }));
    return new Promise((resolve, reject) => {
      p.queue.push({ task, callerStack: captureStack(), resolve, reject, job });
      this.#pump();
    });
  }

  #pump(): void {
    const p = this.#pool;
    for (const slot of p.slots) {
      if (p.queue.length === 0) break;
      if (slot.busy || slot.dead) continue;
      const head = p.queue[0]!;
      const job = head.job;
      let work: Work = head;
      if (job) {
        // A job item stays queued while chunks remain, so idle workers keep joining it.
        job.participants++;
        job.outstanding++;
        if (Atomics.load(job.i32, JOB.next) >= job.chunks || job.participants >= p.slots.length) p.queue.shift();
        work = { ...head };
      } else p.queue.shift();
      this.#dispatch(slot, work);
    }
  }

  #dispatch(slot: Slot, work: Work): void {
    const p = this.#pool;
    slot.busy = true;
    slot.current = work;
    p.busyCount++;
    slot.rt.ref();
    let length: number;
    try {
      length = writeMessage(p.bytes, mailboxOffset(p.slotCount, slot.index), work.task, 'task');
    } catch (e) {
      slot.busy = false;
      slot.current = undefined;
      p.busyCount--;
      this.#finish(work, e as Error, undefined);
      // The slot never got the task: unref it if nothing else runs, and hand it the next item.
      if (p.busyCount === 0) this.#becameIdle();
      queueMicrotask(() => this.#pump());
      return;
    }
    Atomics.store(p.words, wordOf(slot.index, W.taskBytes), length);
    Atomics.add(p.words, wordOf(slot.index, W.taskSeq), 1);
    native.sync.futexWake(p.sab, this.#byteOf(wordOf(slot.index, W.taskSeq)), 1);
    void this.#collect(slot, work);
  }

  async #collect(slot: Slot, work: Work): Promise<void> {
    const p = this.#pool;
    const w = wordOf(slot.index, W.doneSeq);
    const seen = slot.seenDone;
    // A short task is often done within microseconds: spin before sleeping (adaptively, see SpinBudget).
    slot.spin.spin(() => Atomics.load(p.words, w) !== seen);
    while (Atomics.load(p.words, w) === seen) await native.sync.futexWaitAsync(p.sab, this.#byteOf(w), seen, 1000);
    slot.seenDone = Atomics.load(p.words, w);
    p.busyCount--;
    if (p.busyCount === 0) this.#becameIdle();
    if (slot.dead) return; // #onExit settled the work
    slot.current = undefined;
    slot.busy = false;
    slot.tasksDone++;
    const status = Atomics.load(p.words, wordOf(slot.index, W.status));
    const length = Atomics.load(p.words, wordOf(slot.index, W.resultBytes));
    let result: unknown;
    let error: Error | undefined;
    try {
      const msg = readMessage<unknown>(p.bytes, mailboxOffset(p.slotCount, slot.index), length);
      // A run result's arrays are pinned here, before this worker gets its next task (it holds them until then).
      if (status === 0) result = work.task.kind === 'run' ? this.#fromRefs(msg) : msg;
      else error = rebuildError(msg as SerializedError, work.callerStack.stack);
    } catch (e) {
      error = e as Error;
    }
    this.#finish(work, error, result);
    this.#pump();
    if (p.busyCount === 0) this.#becameIdle();
  }

  /** Nothing runs: let the process exit if it wants to, and wake close() waiting to drain. */
  #becameIdle(): void {
    const p = this.#pool;
    if (p.busyCount > 0 || p.queue.length > 0) return;
    for (const s of p.slots) s.rt.unref();
    for (const f of p.idle.splice(0)) f();
  }

  /** Settles a task, or one participation of a job (the job settles with its last one). */
  #finish(work: Work, error: Error | undefined, result: unknown): void {
    const job = work.job;
    if (!job) {
      if (work.cancelled) return;
      if (error) work.reject(error);
      else work.resolve(result);
      return;
    }
    if (error && !job.error) {
      job.error = error;
      Atomics.store(job.i32, JOB.cancel, 1);
    }
    job.outstanding--;
    // Once every chunk is claimed (or the job failed) nobody new needs to join.
    if (job.error || Atomics.load(job.i32, JOB.next) >= job.chunks) {
      this.#pool.queue = this.#pool.queue.filter((q) => q.job !== job);
    }
    const queued = this.#pool.queue.some((q) => q.job === job);
    if (job.outstanding === 0 && !queued && !job.settled) {
      job.settled = true;
      if (work.cancelled) return;
      if (job.error) work.reject(job.error);
      else work.resolve(undefined);
    }
  }

  /** Runs a job (map, mapChunks, reduce) to completion with progress, abort and timeout. */
  async #runJob(task: Extract<Task, { job: string }>, counters: NDArray, chunks: number, options: JobOptions): Promise<void> {
    const p = this.#pool;
    const d = counters.data as Uint8Array;
    const job: Job = {
      counters,
      i32: new Int32Array(d.buffer, d.byteOffset, 16),
      chunks,
      outstanding: 0,
      participants: 0,
      settled: false,
    };
    if (options.signal?.aborted) throw abortError(options.signal);
    let timer: NodeJS.Timeout | undefined;
    let progress: NodeJS.Timeout | undefined;
    const report = () => options.onProgress?.({ done: Math.min(Atomics.load(job.i32, JOB.done), chunks), total: chunks });
    let onAbort: (() => void) | undefined;
    const stopped = new Promise<never>((_, reject) => {
      // A throwing onProgress fails the job (from a timer it would be an uncaught exception that ends the process).
      if (options.onProgress) {
        progress = setInterval(() => {
          try {
            report();
          } catch (e) {
            Atomics.store(job.i32, JOB.cancel, 1);
            reject(e as Error);
          }
        }, 50);
      }
      if (options.signal) {
        onAbort = () => {
          Atomics.store(job.i32, JOB.cancel, 1);
          reject(abortError(options.signal!));
        };
        options.signal.addEventListener('abort', onAbort, { once: true });
      }
      // setTimeout fires at once for delays past 2^31 - 1 ms (Infinity too): those mean "no timeout".
      if (options.timeout !== undefined && options.timeout <= 0x7fffffff) {
        timer = setTimeout(() => {
          Atomics.store(job.i32, JOB.cancel, 1);
          reject(new NdshareError(`The job did not finish within ${options.timeout} ms`, { code: codes.TIMEOUT }));
          // Workers stuck inside a chunk are replaced.
          setTimeout(() => {
            for (const s of p.slots) if (s.current?.job === job) s.rt.kill();
          }, KILL_GRACE_MS).unref();
        }, options.timeout);
      }
    });
    const done = new Promise<unknown>((resolve, reject) => {
      p.queue.push({ task, callerStack: captureStack(), resolve, reject, job });
      this.#pump();
    });
    try {
      await Promise.race([done, stopped]);
      report();
    } finally {
      clearInterval(progress);
      clearTimeout(timer);
      if (onAbort) options.signal!.removeEventListener('abort', onAbort);
      // A cancelled job leaves the queue at once; running participations stop at their next chunk.
      p.queue = p.queue.filter((q) => q.job !== job);
      void done.catch(() => {});
    }
  }

  /**
   * Drops an unsealed object the pool allocated (a failed job's output, a job's
   * counters): releasing the last pin of a never-sealed object frees it, once
   * workers still inside a cancelled job have released theirs too.
   */
  #drop(x: NDArray): void {
    this.#pool.store.release(x);
  }

  // ---- inputs and outputs ------------------------------------------------------

  /** A reference to `x` in the store: zero-copy if it lives there, else a temporary copy (deleted by `cleanup`). */
  #ref(x: NDArray, arg: string, cleanup: (() => void)[]): ArrayRef {
    if (!(x instanceof NDArray)) invalidType(arg, 'an NDArray', x);
    const store = this.#pool.store;
    const id = store.idOf(x);
    if (id !== undefined) return { id, dtype: x.dtype, shape: [...x.shape], strides: [...x.strides], offset: x.offset };
    const put = store.put(x);
    cleanup.push(() => store.delete(put));
    return { id: put, dtype: x.dtype, shape: [...x.shape], strides: contiguous(x.shape), offset: 0 };
  }

  #output(shape: number[], options: MapOptions, first: NDArray): NDArray {
    const store = this.#pool.store;
    if (options.out !== undefined) {
      const out = options.out;
      if (!(out instanceof NDArray) || store.idOf(out) === undefined || !out.flags.writeable) {
        invalidValue('options.out', "a writable array of the pool's store (store.empty/zeros)", out);
      }
      if (out.shape.length !== shape.length || out.shape.some((d, i) => d !== shape[i])) {
        throw new NdshareError(`options.out has shape (${out.shape.join(', ')}), the result (${shape.join(', ')})`, { code: codes.SHAPE_MISMATCH });
      }
      return out;
    }
    const dtype = options.dtype !== undefined ? checkDType(options.dtype, 'options.dtype') : dtypeInfo(first.dtype).kind === 'f' ? first.dtype : 'float64';
    return store.empty(shape, { dtype });
  }

  #counters(chunks: number): NDArray {
    return this.#pool.store.zeros([JOB.partialsOffset + 8 * (chunks + 1)], { dtype: 'uint8' });
  }

  // ---- public operations --------------------------------------------------------

  /**
   * `out[i] = fn(x1[i], x2[i], …, args)` over the broadcast shape of the inputs,
   * in the workers. The result is an array in the pool's store (writable,
   * pinned by the caller until `store.release`), or `options.out`.
   * @throws {NdshareError} ERR_NDSHARE_BROADCAST, ERR_NDSHARE_ABORTED, ERR_NDSHARE_TIMEOUT,
   *   ERR_NDSHARE_WORKER_EXITED, and whatever `fn` throws (rebuilt with its class and code).
   * @example const y = await pool.map([a, b], (u, v, k) => u * k.scale + v, { args: { scale: 2 } });
   */
  async map(x: NDArray | NDArray[], fn: (...a: never[]) => unknown, options: MapOptions = {}): Promise<NDArray> {
    return this.#mapLike('map', x, fn, options);
  }

  /**
   * Runs `kernel(inputs, out, args, {start, stop})` on chunks of rows (the
   * leading axis of the broadcast shape): `inputs` and `out` are views of the
   * chunk, so the kernel can loop over typed arrays itself.
   * @example await pool.mapChunks(x, (ins, out) => { for (let i = 0; i < out.size; i++) … }, { chunkSize: 64 });
   */
  async mapChunks(
    x: NDArray | NDArray[],
    kernel: (inputs: NDArray[], out: NDArray, args: never, range: { start: number; stop: number }) => void,
    options: MapOptions = {},
  ): Promise<NDArray> {
    return this.#mapLike('mapChunks', x, kernel, options);
  }

  async #mapLike(kind: 'map' | 'mapChunks', x: NDArray | NDArray[], fn: unknown, options: MapOptions): Promise<NDArray> {
    this.#open();
    checkJobOptions(options);
    const inputs = Array.isArray(x) ? x : [x];
    if (inputs.length === 0) invalidValue('x', 'at least one NDArray', x);
    inputs.forEach((a, i) => {
      if (!(a instanceof NDArray)) invalidType(Array.isArray(x) ? `x[${i}]` : 'x', 'an NDArray', a);
    });
    const ref = fnRef(fn, kind === 'map' ? 'fn' : 'kernel');
    const shape = broadcastShapes(...inputs.map((a) => a.shape));
    const out = this.#output(shape, options, inputs[0]!);
    const cleanup: (() => void)[] = [];
    try {
      const refs = inputs.map((a, i) => this.#ref(a, `x[${i}]`, cleanup));
      const outRef = this.#ref(out, 'options.out', cleanup);
      const units = kind === 'map' ? sizeOf(shape) : (shape[0] ?? 1);
      const chunkSize = options.chunkSize ?? Math.max(kind === 'map' ? 4096 : 1, Math.ceil(units / (this.size * 8)));
      const chunks = Math.max(1, Math.ceil(units / chunkSize));
      const counters = this.#counters(chunks);
      cleanup.push(() => this.#drop(counters));
      const task = { kind, job: this.#pool.store.idOf(counters)!, inputs: refs, out: outRef, fn: ref, args: options.args, chunkSize, chunks } as Extract<Task, { kind: 'map' }>;
      await this.#runJob(task, counters, units === 0 ? 0 : chunks, options);
      return out;
    } catch (e) {
      // An unsealed object stays in the store after its last release: delete the output we made
      // (workers still writing hold pins; the memory goes with the last).
      if (options.out === undefined) this.#drop(out);
      throw e;
    } finally {
      for (const f of cleanup) f();
    }
  }

  /**
   * A reduction in the workers: `'sum' | 'prod' | 'min' | 'max' | 'mean'` or a
   * custom `{map?, combine, init}`. Over the whole array it returns a scalar
   * (a bigint for 64-bit integer sums and products, which wrap like NumPy's);
   * along `axis` it returns an array in the store. Integer results equal a
   * single-process reduction; float results differ only by reassociation.
   * @example await pool.reduce(x, 'sum'); await pool.reduce(x, 'max', { axis: 0 });
   */
  async reduce(x: NDArray, op: ReduceOp | CustomReduce, options: ReduceOptions = {}): Promise<Scalar | NDArray> {
    this.#open();
    checkJobOptions(options);
    if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
    const builtin = typeof op === 'string';
    if (builtin && !['sum', 'prod', 'min', 'max', 'mean'].includes(op)) invalidValue('op', "'sum', 'prod', 'min', 'max', 'mean' or {combine, init}", op);
    if (!builtin) {
      if (typeof op !== 'object' || op === null || typeof op.combine !== 'function' || typeof op.init !== 'number') {
        invalidType('op', 'a reduction name or {map?, combine, init: number}', op);
      }
    }
    const info = dtypeInfo(x.dtype);
    const integer = info.kind === 'i' || info.kind === 'u' || info.kind === 'b';
    const accumulator = builtin && (info.bigint || (op === 'prod' && integer)) ? 'bigint' : 'float';
    const axis = options.axis === undefined ? null : normalizeAxis(options.axis, x.ndim, 'options.axis');
    const cleanup: (() => void)[] = [];
    const store = this.#pool.store;
    let failed = false;
    try {
      const input = this.#ref(x, 'x', cleanup);
      const wireOp = builtin
        ? op
        : { ...(op.map ? { map: fnRef(op.map, 'op.map') } : {}), combine: fnRef(op.combine, 'op.combine'), init: op.init };
      if (axis === null) {
        // Small-int sums stay exact in doubles while a chunk is at most 2^20 elements.
        const chunkSize = Math.min(options.chunkSize ?? Math.max(4096, Math.ceil(x.size / (this.size * 8))), integer ? 1 << 20 : Infinity);
        const chunks = Math.max(1, Math.ceil(x.size / chunkSize));
        const counters = this.#counters(chunks);
        cleanup.push(() => this.#drop(counters));
        const d = counters.data as Uint8Array;
        const f64 = new Float64Array(d.buffer, d.byteOffset + JOB.partialsOffset, chunks + 1);
        // Unsigned partials read back unsigned: a uint64 min/max partial of 2^63 or more is not negative.
        const i64 = info.kind === 'u'
          ? new BigUint64Array(d.buffer, d.byteOffset + JOB.partialsOffset, chunks + 1)
          : new BigInt64Array(d.buffer, d.byteOffset + JOB.partialsOffset, chunks + 1);
        const task: Task = { kind: 'reduce', job: store.idOf(counters)!, input, op: wireOp, axis: null, out: null, args: options.args, chunkSize, chunks, accumulator };
        if (x.size === 0) {
          if (!builtin) return op.init;
          if (op === 'sum') return integer ? 0n : 0;
          if (op === 'prod') return integer ? 1n : 1;
          if (op === 'mean') return NaN;
          throw new NdshareError(`Cannot compute ${op} of an empty array (no identity)`, { code: codes.SHAPE_MISMATCH });
        }
        await this.#runJob(task as Extract<Task, { job: string }>, counters, chunks, options);
        if (!builtin) return f64[chunks]!;
        return combinePartials(op, accumulator === 'bigint' ? [...i64.subarray(0, chunks)] : [...f64.subarray(0, chunks)], x, integer);
      }
      const outShape = x.shape.filter((_, k) => k !== axis);
      const outDtype: DType = !builtin ? 'float64' : resultDType(op, x.dtype);
      const out = store.empty(outShape, { dtype: outDtype });
      cleanup.push(() => {
        if (failed) this.#drop(out);
      });
      const outRef = this.#ref(out, 'out', cleanup);
      const units = sizeOf(outShape);
      const chunkSize = options.chunkSize ?? Math.max(1, Math.ceil(units / (this.size * 8)));
      const chunks = Math.max(1, Math.ceil(units / chunkSize));
      const counters = this.#counters(chunks);
      cleanup.push(() => this.#drop(counters));
      const task: Task = { kind: 'reduce', job: store.idOf(counters)!, input, op: wireOp, axis, out: outRef, args: options.args, chunkSize, chunks, accumulator };
      await this.#runJob(task as Extract<Task, { job: string }>, counters, units === 0 ? 0 : chunks, options);
      return out;
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      for (const f of cleanup) f();
    }
  }

  /**
   * Runs `exportName` of `module` in a worker with `args`. NDArrays among the
   * arguments (also nested in plain objects and arrays) travel as store
   * references, never as bytes; NDArrays in the result come back as read-only
   * views of the store (release them when done). Inside, `nd.workerContext()`
   * gives the task the pool's store.
   * @example const y = await pool.run(new URL('./model.js', import.meta.url), 'infer', x);
   */
  async run(module: URL | string, exportName: string, ...args: unknown[]): Promise<unknown> {
    this.#open();
    const href = moduleHref(module);
    if (typeof exportName !== 'string' || exportName === '') invalidType('exportName', 'a non-empty string', exportName);
    const cleanup: (() => void)[] = [];
    try {
      const wire = args.map((a, i) => this.#toRefs(a, `args[${i}]`, cleanup));
      // #collect turned the result's references into pinned views.
      return await this.#submit({ kind: 'run', module: href, exportName, args: wire });
    } finally {
      for (const f of cleanup) f();
    }
  }

  #toRefs(v: unknown, arg: string, cleanup: (() => void)[]): unknown {
    if (v instanceof NDArray) return { __ndshareRef: this.#ref(v, arg, cleanup) };
    if (Array.isArray(v)) return v.map((e, i) => this.#toRefs(e, `${arg}[${i}]`, cleanup));
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, this.#toRefs(e, `${arg}.${k}`, cleanup)]));
    }
    return v;
  }

  #fromRefs(v: unknown): unknown {
    if (isRefMarker(v)) {
      const r = v.__ndshareRef;
      const root = openToRead(this.#pool.store, r.id as ObjectId);
      return new NDArray(root.data, checkDType(r.dtype), r.shape, r.strides, r.offset, { writeable: false, base: root });
    }
    if (Array.isArray(v)) return v.map((e) => this.#fromRefs(e));
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, this.#fromRefs(e)]));
    }
    return v;
  }

  /** Workers (pid or thread id, busy, tasks done) and queued work. */
  stats(): PoolStats {
    const p = this.#pool;
    return {
      workers: p.slots.map((s) => ({
        ...(s.rt.backend === 'process' ? { pid: s.rt.id } : { threadId: s.rt.id }),
        busy: s.busy,
        tasksDone: s.tasksDone,
      })),
      queued: p.queue.length,
    };
  }

  // ---- lifetime ---------------------------------------------------------------------

  /** Waits for queued work to finish, then stops the workers (SIGKILL after 5 s). Idempotent. */
  close(): Promise<void> {
    const p = this.#pool;
    p.closing ??= (async () => {
      if (p.busyCount > 0 || p.queue.length > 0) await new Promise<void>((r) => p.idle.push(r));
      await this.#stop(5000);
    })();
    return p.closing;
  }

  /** Kills the workers now; queued and running work rejects with ERR_NDSHARE_CLOSED / WORKER_EXITED. Idempotent. */
  destroy(): Promise<void> {
    const p = this.#pool;
    if (p.closed) return p.closing ?? Promise.resolve();
    const queued = p.queue.splice(0);
    for (const w of queued) w.reject(new NdshareError('The pool was destroyed', { code: codes.CLOSED }));
    p.closing = this.#stop(0);
    return p.closing;
  }

  /**
   * Stops the workers (SIGKILL after `graceMs`) and frees the control object,
   * once: destroy() during close() kills at once and shares close()'s stop.
   */
  #stop(graceMs: number): Promise<void> {
    const p = this.#pool;
    if (graceMs === 0 && p.stopping) p.slots.forEach((s) => s.rt.kill());
    p.stopping ??= this.#stopOnce(graceMs);
    return p.stopping;
  }

  async #stopOnce(graceMs: number): Promise<void> {
    const p = this.#pool;
    Atomics.store(p.words, POOL.stop, 1);
    for (const s of p.slots) native.sync.futexWake(p.sab, this.#byteOf(wordOf(s.index, W.taskSeq)), Infinity);
    const exits = Promise.all(p.slots.map((s) => s.rt.exited));
    if (graceMs > 0) {
      const timer = setTimeout(() => p.slots.forEach((s) => s.rt.kill()), graceMs);
      await exits;
      clearTimeout(timer);
    } else {
      p.slots.forEach((s) => s.rt.kill());
      await exits;
    }
    p.closed = true;
    p.store.release(p.control); // never sealed: freed with its last pin
    if (p.ownsStore) p.store.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #open(): void {
    if (this.#pool.closing || this.#pool.closed) throw new NdshareError('The pool is closed', { code: codes.CLOSED });
  }
}

/** A pinned view of an object: sealed (get), or unsealed (a task may return an input the caller never sealed). */
function openToRead(store: Store, id: ObjectId): NDArray {
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

function contiguous(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= Math.max(shape[i]!, 1);
  }
  return s;
}

function moduleHref(module: URL | string): string {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module === '') invalidType('module', 'a URL, a file: URL string or a path', module);
  if (module.startsWith('file:')) return module;
  return pathToFileURL(resolvePath(module)).href;
}

function checkJobOptions(o: JobOptions): void {
  if (typeof o !== 'object' || o === null) invalidType('options', 'an options object', o);
  // A wrong type is a TypeError, a number out of range a RangeError (as everywhere in ndshare).
  if (o.chunkSize !== undefined && typeof o.chunkSize !== 'number') invalidType('options.chunkSize', 'a positive integer', o.chunkSize);
  if (o.timeout !== undefined && typeof o.timeout !== 'number') invalidType('options.timeout', 'a positive number of milliseconds', o.timeout);
  if (o.chunkSize !== undefined && (!Number.isInteger(o.chunkSize) || o.chunkSize < 1)) invalidValue('options.chunkSize', 'a positive integer', o.chunkSize);
  if (o.timeout !== undefined && (typeof o.timeout !== 'number' || !(o.timeout > 0))) invalidValue('options.timeout', 'a positive number of milliseconds', o.timeout);
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) invalidType('options.signal', 'an AbortSignal', o.signal);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') invalidType('options.onProgress', 'a function', o.onProgress);
}

function abortError(signal: AbortSignal): NdshareError {
  return new NdshareError('The job was aborted', { code: codes.ABORTED, cause: signal.reason });
}

/** NumPy's result dtypes for sum/prod/mean/min/max along an axis. */
function resultDType(op: ReduceOp, dtype: DType): DType {
  const info = dtypeInfo(dtype);
  if (op === 'min' || op === 'max') return dtype;
  if (op === 'mean') return info.kind === 'f' ? (dtype === 'float16' || dtype === 'bfloat16' ? 'float32' : dtype) : 'float64';
  if (info.kind === 'b' || info.kind === 'i') return 'int64';
  if (info.kind === 'u') return 'uint64';
  return dtype === 'float16' || dtype === 'bfloat16' ? 'float32' : dtype;
}

/** Combines per-chunk partials in the owner (plain arithmetic, no user code). */
function combinePartials(op: ReduceOp, partials: (number | bigint)[], x: NDArray, integer: boolean): Scalar {
  const info = dtypeInfo(x.dtype);
  const wrap = (v: bigint) => (info.kind === 'u' ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v));
  switch (op) {
    case 'sum':
      if (integer) return wrap(partials.reduce<bigint>((a, v) => a + BigInt(v), 0n));
      return (partials as number[]).reduce((a, v) => a + v, 0);
    case 'prod':
      if (integer) return partials.reduce<bigint>((a, v) => wrap(a * BigInt(v)), 1n);
      return (partials as number[]).reduce((a, v) => a * v, 1);
    case 'mean':
      return partials.reduce<number>((a, v) => a + Number(v), 0) / x.size;
    case 'min':
    case 'max': {
      const cmp = op === 'min' ? (a: number | bigint, b: number | bigint) => b < a : (a: number | bigint, b: number | bigint) => b > a;
      let acc = partials[0]!;
      for (const v of partials) {
        if (typeof v === 'number' && Number.isNaN(v)) return NaN;
        if (cmp(acc, v)) acc = v;
      }
      return info.bigint ? acc : integer ? Number(acc) : acc;
    }
  }
}
