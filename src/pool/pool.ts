/**
 * The worker pool: element maps, chunk kernels, reductions, module functions
 * and inline functions over NDArrays, run in worker processes (or threads)
 * that map the same shared memory. See docs/pool.md.
 *
 * The public class holds its state in one private field; scheduling and
 * cancellation live in scheduler.ts, the queue in queue.ts, the worker side
 * in worker.ts and tasks.ts.
 *
 * @module
 */
import { availableParallelism } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { codes, invalidType, invalidValue, NdshareError } from '../errors.js';
import { emptyReductionError, reductionDType } from '../math/reduce.js';
import type { Scalar } from '../ndarray/cast.js';
import { checkDType, dtypeInfo, type DType } from '../ndarray/dtypes.js';
import { broadcastShapes, normalizeAxis, sizeOf } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { Store, type ObjectId } from '../store/store.js';
import { closedError } from './errors.js';
import { checkOptions } from '../validate.js';
import { openToRead } from './open.js';
import { decodeRefs, encodeRefs, hasRefs, type ArrayRef, type FnRef, type ReduceOp, type Task } from './messages.js';
import {
  checkCancelOptions,
  chunkOutShape,
  contiguous,
  checkJobOptions,
  intOption,
  msOption,
  type CancelOptions,
  type CloseOptions,
  type CustomReduce,
  type MapChunksOptions,
  type MapOptions,
  type PoolOptions,
  type PoolStats,
  type ReduceOptions,
} from './options.js';
import { combinePartials } from './partials.js';
import { decodeInto, inlineBytes, localArray, toInline, type InlineArray } from './inline.js';
import { controlBytes, jobBytes, JOB_PARTIALS_OFFSET } from './protocol.js';
import type { Backend } from './runtime/index.js';
import { captureStack, Scheduler } from './scheduler.js';
import type { ChunkRange } from '../random/chunk.js';
import type { Generator } from '../random/generator.js';
import type { Entropy } from '../random/seedsequence.js';

export type {
  CancelOptions,
  CloseOptions,
  CustomReduce,
  JobOptions,
  MapChunksOptions,
  MapOptions,
  PoolOptions,
  PoolStats,
  Progress,
  ReduceOptions,
} from './options.js';

/** What the context parameter of an inline `run` function holds. */
export interface TaskContext {
  /** The ndshare module, as loaded in the worker. */
  // A type-only reference by `import()` type: the barrel imports this module, so a static import back would be a cycle.
  // eslint-disable-next-line @typescript-eslint/consistent-type-imports
  nd: typeof import('../index.js');
  /** The pool's store, attached in this worker. */
  store: Store;
  /** This worker's slot (0-based). */
  workerIndex: number;
  /** `nd.random.chunkRng(seed, key)` (key default 0): a stream that depends on the caller's seed and key only, not on the worker. */
  rng(seed: Entropy, key?: number | bigint): Generator;
}

/** `pool.run({module, name, args})`: a module's export, with cancellation. */
export interface RunModuleTask extends CancelOptions {
  module: URL | string;
  /** The exported function's name. */
  name: string;
  /** Its positional arguments (NDArrays anywhere inside travel by reference). */
  args?: readonly unknown[];
}

/** `pool.run({fn, args})`: a function shipped as source, called as `fn(...args, ctx)`. */
export interface RunFunctionTask extends CancelOptions {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  fn: (...a: any[]) => unknown;
  args?: readonly unknown[];
}

interface State {
  store: Store;
  ownsStore: boolean;
  control: NDArray;
  sched: Scheduler;
  closing: Promise<void> | undefined;
  closed: boolean;
}

const DEFAULT_CANCEL_GRACE_MS = 1000;
/** map and mapChunks split their work into this many chunks by default (map: at least 4096 elements each). */
const DEFAULT_CHUNKS = 64;
const CLOSE_KILL_AFTER_MS = 5000;

/** The option names of map and mapChunks (made once: they are checked on every call). */
const MAP_OPTIONS = { fn: 'Pool.map', known: ['out', 'dtype', 'args', 'chunkSize', 'onProgress', 'signal', 'timeout', 'inline'] };
const MAP_CHUNKS_OPTIONS = { fn: 'Pool.mapChunks', known: [...MAP_OPTIONS.known, 'outShape'] };

/** A function's wire form, per function (its source cannot change): a map called in a loop makes it once. */
const fnRefs = new WeakMap<object, FnRef>();

function fnRef(fn: unknown, name: string): FnRef {
  if (typeof fn !== 'function') invalidType(name, 'a function', fn);
  const cached = fnRefs.get(fn);
  if (cached !== undefined && cached.name === name) return cached;
  const fnName = (fn as { name?: string }).name;
  // No undefined values: a message without them takes the JSON path (messages.ts).
  const ref: FnRef = fnName ? { source: Function.prototype.toString.call(fn), name, fnName } : { source: Function.prototype.toString.call(fn), name };
  fnRefs.set(fn, ref);
  return ref;
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
   * @throws {NdshareRangeError} for a bad worker count, backend, thread count or duration.
   * @throws {NdshareError} ERR_NDSHARE_WORKER_EXITED if a worker dies while starting; ERR_NDSHARE_TIMEOUT.
   * @example const pool = await nd.Pool.start({ workers: 4, kernelThreads: 1 });
   */
  static async start(options: PoolOptions = {}): Promise<Pool> {
    checkOptions(options, { fn: 'Pool.start', known: ['workers', 'store', 'capacity', 'backend', 'startTimeout', 'kernelThreads', 'cancelGrace'] });
    const cores = availableParallelism();
    const workers = intOption(options.workers, 'options.workers', 256, cores);
    const backend: Backend = options.backend ?? 'process';
    if (backend !== 'process' && backend !== 'thread') invalidValue('options.backend', "'process' or 'thread'", backend);
    if (options.store !== undefined && !(options.store instanceof Store)) invalidType('options.store', 'a Store', options.store);
    const startTimeout = msOption(options.startTimeout, 'options.startTimeout', 30_000);
    const kernelThreads = intOption(options.kernelThreads, 'options.kernelThreads', 1024, Math.max(1, Math.floor(cores / workers)));
    const cancelGrace = msOption(options.cancelGrace, 'options.cancelGrace', DEFAULT_CANCEL_GRACE_MS, true);
    const store = options.store ?? Store.create({ capacity: options.capacity ?? '2GiB' });
    const control = store.zeros([controlBytes(workers)], { dtype: 'uint8' });
    const state: State = { store, ownsStore: options.store === undefined, control, sched: undefined!, closing: undefined, closed: false };
    const pool = new Pool(state);
    state.sched = new Scheduler({
      store,
      control,
      controlId: store.idOf(control)!,
      backend,
      slots: workers,
      // Threads share their process's kernel threads: leave them alone.
      kernelThreads: backend === 'process' ? kernelThreads : undefined,
      cancelGrace,
      decodeResult: (msg) => pool.#fromRefs(msg),
    });
    const sched = state.sched;
    let timer: NodeJS.Timeout | undefined;
    try {
      for (let i = 0; i < workers; i++) sched.handles.push(sched.spawn(i));
      await Promise.race([
        Promise.all(sched.handles.map((h) => h.rt.ready)),
        new Promise((_, reject) => {
          timer = setTimeout(
            () => reject(new NdshareError(`Workers did not start within ${startTimeout} ms`, { code: codes.TIMEOUT })),
            Math.min(startTimeout, 0x7fffffff),
          );
        }),
      ]);
    } catch (e) {
      await pool.destroy();
      if (e instanceof NdshareError) throw e;
      throw new NdshareError(`A pool worker failed to start: ${(e as Error).message}`, { code: codes.WORKER_EXITED });
    } finally {
      clearTimeout(timer);
    }
    for (const h of sched.handles) h.rt.unref();
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
    return this.#pool.sched.handles.length;
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

  /** `args` with every NDArray inside (plain objects, arrays) replaced by a store reference (or, `inline`, small ones by their bytes). */
  #toRefs(args: unknown, arg: string, cleanup: (() => void)[], inline = false): unknown {
    return encodeRefs(args, arg, (v, path) => (v instanceof NDArray ? this.#arg(v, path, inline, cleanup) : undefined));
  }

  /** A result's references as read-only views of the store, pinned for the caller. */
  #fromRefs(v: unknown): unknown {
    if (!hasRefs(v)) return v;
    return decodeRefs(v, (r) => {
      const a = r as ArrayRef; // workers answer with references only
      const root = openToRead(this.#pool.store, a.id as ObjectId);
      return new NDArray(root.data, checkDType(a.dtype), a.shape, a.strides, a.offset, { writeable: false, base: root });
    });
  }

  /** A map's input (or args array): its bytes in the message if small and allowed, else a store reference. */
  #arg(x: NDArray, arg: string, inline: boolean, cleanup: (() => void)[]): ArrayRef | InlineArray {
    if (inline && x instanceof NDArray && inlineBytes(x.dtype, x.size) !== undefined) return toInline(x);
    return this.#ref(x, arg, cleanup);
  }

  async #output(shape: readonly number[], options: MapOptions, dtype: DType): Promise<NDArray> {
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
    // When full, results the caller dropped without release are reclaimed first (docs/store.md, Lifetimes).
    return store.emptyAsync([...shape], { dtype });
  }

  #counters(chunks: number): NDArray {
    return this.#pool.store.zeros([jobBytes(chunks)], { dtype: 'uint8' });
  }

  /**
   * Drops an unsealed object the pool allocated (a failed job's output, a job's
   * counters): releasing the last pin of a never-sealed object frees it, once
   * workers still inside a cancelled job have released theirs too.
   */
  #drop(x: NDArray): void {
    this.#pool.store.release(x);
  }

  // ---- public operations --------------------------------------------------------

  /**
   * `out[i] = fn(x1[i], x2[i], …, args, range)` over the broadcast shape of the inputs,
   * in the workers; `range` is the element's chunk (`range.rng(seed)`: its
   * reproducible generator, docs/random.md). The result is an array in the
   * pool's store (writable, pinned by the caller until `store.release`), or
   * `options.out`; a result of at most 4 KiB comes back in the answer as a
   * local array, not in the store, unless `inline: false` (docs/pool.md).
   * An error thrown by `fn` names the element (`index`) and chunk (`chunk`).
   * @throws {NdshareError} ERR_NDSHARE_BROADCAST, ERR_NDSHARE_ABORTED (an AbortError), ERR_NDSHARE_TIMEOUT,
   *   ERR_NDSHARE_WORKER_EXITED, and whatever `fn` throws (rebuilt with its class and code).
   * @example const y = await pool.map([a, b], (u, v, k) => u * k.scale + v, { args: { scale: 2 } });
   */
  map(x: NDArray | NDArray[], fn: (...a: never[]) => unknown, options: MapOptions = {}): Promise<NDArray> {
    // Not async itself: #mapLike is, and one Promise less is a few microtask hops less per call.
    return this.#mapLike('map', captureStack(this.map), x, fn, options);
  }

  /**
   * Runs `kernel(inputs, out, args, {start, stop})` on chunks of rows (the
   * leading axis of the inputs' broadcast shape): `inputs` and `out` are views
   * of the chunk's rows, so the kernel can loop over typed arrays itself.
   * With `outShape` (leading axis: the rows) the output may have another shape
   * than the inputs: `[rows]` for a row-wise reduction, `[rows, k]` for k
   * values per row.
   * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH if `outShape`'s (or `out`'s) leading axis is not the rows; as map.
   * @example const norms = await pool.mapChunks(x, ([xs], out) => { … }, { outShape: [x.shape[0]] });
   */
  mapChunks<A = never>(
    x: NDArray | NDArray[],
    kernel: (inputs: NDArray[], out: NDArray, args: A, range: ChunkRange) => void,
    options: MapChunksOptions = {},
  ): Promise<NDArray> {
    return this.#mapLike('mapChunks', captureStack(this.mapChunks), x, kernel, options);
  }

  async #mapLike(kind: 'map' | 'mapChunks', stack: Error, x: NDArray | NDArray[], fn: unknown, options: MapChunksOptions): Promise<NDArray> {
    this.#open();
    checkOptions(options, kind === 'map' ? MAP_OPTIONS : MAP_CHUNKS_OPTIONS);
    checkJobOptions(options);
    const inputs = Array.isArray(x) ? x : [x];
    if (inputs.length === 0) invalidValue('x', 'at least one NDArray', x);
    for (let i = 0; i < inputs.length; i++) {
      if (!(inputs[i] instanceof NDArray)) invalidType(Array.isArray(x) ? `x[${i}]` : 'x', 'an NDArray', inputs[i]);
    }
    const ref = fnRef(fn, kind === 'map' ? 'fn' : 'kernel');
    const shape = inputs.length === 1 ? [...inputs[0]!.shape] : broadcastShapes(...inputs.map((a) => a.shape));
    const outShape = kind === 'mapChunks' ? chunkOutShape(shape, options) : shape;
    const units = kind === 'map' ? sizeOf(shape) : (shape[0] ?? 1);
    // Not a function of the worker count, so chunk boundaries (and range.rng streams) are the same for any pool.
    const chunkSize = options.chunkSize ?? Math.max(kind === 'map' ? 4096 : 1, Math.ceil(units / DEFAULT_CHUNKS));
    const chunks = Math.max(1, Math.ceil(units / chunkSize));
    const first = inputs[0]!;
    const dtype = options.dtype !== undefined ? checkDType(options.dtype, 'options.dtype') : dtypeInfo(first.dtype).kind === 'f' ? first.dtype : 'float64';
    // Small arrays travel in the message (inline.ts); a one-chunk job's small output comes back in the answer.
    const inline = options.inline !== false;
    const inlineOut = inline && options.out === undefined && chunks === 1 && inlineBytes(dtype, sizeOf(outShape)) !== undefined;
    const out = inlineOut ? localArray(dtype, outShape, true) : await this.#output(outShape, options, dtype);
    const cleanup: (() => void)[] = [];
    try {
      const refs = inputs.map((a, i) => this.#arg(a, Array.isArray(x) ? `x[${i}]` : 'x', inline, cleanup));
      const outRef = inlineOut ? { dtype, shape: [...outShape] } : this.#ref(out, 'options.out', cleanup);
      const args = this.#toRefs(options.args, 'options.args', cleanup, inline);
      // One chunk needs no counters: its one worker runs it directly.
      const counters = chunks > 1 ? this.#counters(chunks) : undefined;
      if (counters) cleanup.push(() => this.#drop(counters));
      const job = counters ? this.#pool.store.idOf(counters)! : '';
      const task: Task = { kind, job, inputs: refs, shape, out: outRef, fn: ref, chunkSize, chunks, ...(args === undefined ? {} : { args }) };
      // A one-chunk job's small output comes back as the answer (base64), else the answer is empty.
      const answer = (await this.#pool.sched.runJob(task, counters, units === 0 ? 0 : chunks, options, stack)) as string | undefined;
      if (inlineOut && answer !== undefined) decodeInto(out, answer);
      return out;
    } catch (e) {
      // An unsealed object stays in the store after its last release: delete the output we made
      // (workers still writing hold pins; the memory goes with the last).
      if (options.out === undefined && !inlineOut) this.#drop(out);
      throw e;
    } finally {
      for (const f of cleanup) f();
    }
  }

  /**
   * A reduction in the workers: `'sum' | 'prod' | 'min' | 'max' | 'mean'` or a
   * custom `{map?, combine, init}`. Over the whole array it returns a scalar
   * (a bigint for 64-bit integer sums and products, which wrap like NumPy's);
   * along `axis` it returns an array in the store, of the dtype `nd.sum` (…)
   * would give. Integer results equal a single-process reduction; float
   * results differ only by reassociation.
   * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for min/max of an empty selection (as nd.min/nd.max).
   * @example await pool.reduce(x, 'sum'); await pool.reduce(x, 'max', { axis: 0 });
   */
  reduce(x: NDArray, op: ReduceOp, options?: ReduceOptions & { axis?: undefined }): Promise<number | bigint>;
  reduce(x: NDArray, op: CustomReduce, options?: ReduceOptions & { axis?: undefined }): Promise<number>;
  reduce(x: NDArray, op: ReduceOp | CustomReduce, options: ReduceOptions & { axis: number }): Promise<NDArray>;
  reduce(x: NDArray, op: ReduceOp | CustomReduce, options?: ReduceOptions): Promise<Scalar | NDArray>;
  async reduce(x: NDArray, op: ReduceOp | CustomReduce, options: ReduceOptions = {}): Promise<Scalar | NDArray> {
    const stack = captureStack(this.reduce);
    this.#open();
    checkOptions(options, { fn: 'Pool.reduce', known: ['axis', 'args', 'chunkSize', 'onProgress', 'signal', 'timeout'] });
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
    const sched = this.#pool.sched;
    const store = this.#pool.store;
    const cleanup: (() => void)[] = [];
    let failed = false;
    try {
      const input = this.#ref(x, 'x', cleanup);
      const args = this.#toRefs(options.args, 'options.args', cleanup);
      const wireOp = builtin ? op : { ...(op.map ? { map: fnRef(op.map, 'op.map') } : {}), combine: fnRef(op.combine, 'op.combine'), init: op.init };
      if (axis === null) {
        if (x.size === 0) {
          if (!builtin) return op.init;
          if (op === 'sum') return integer ? 0n : 0;
          if (op === 'prod') return integer ? 1n : 1;
          if (op === 'mean') return NaN;
          throw emptyReductionError(op);
        }
        // Small-int sums stay exact in doubles while a chunk is at most 2^20 elements.
        const chunkSize = Math.min(options.chunkSize ?? Math.max(4096, Math.ceil(x.size / (this.size * 8))), integer ? 1 << 20 : Infinity);
        const chunks = Math.max(1, Math.ceil(x.size / chunkSize));
        const counters = this.#counters(chunks);
        cleanup.push(() => this.#drop(counters));
        const d = counters.data as Uint8Array;
        const f64 = new Float64Array(d.buffer, d.byteOffset + JOB_PARTIALS_OFFSET, chunks + 1);
        // Unsigned partials read back unsigned: a uint64 min/max partial of 2^63 or more is not negative.
        const i64 =
          info.kind === 'u'
            ? new BigUint64Array(d.buffer, d.byteOffset + JOB_PARTIALS_OFFSET, chunks + 1)
            : new BigInt64Array(d.buffer, d.byteOffset + JOB_PARTIALS_OFFSET, chunks + 1);
        const task: Task = {
          kind: 'reduce',
          job: store.idOf(counters)!,
          input,
          op: wireOp,
          axis: null,
          out: null,
          chunkSize,
          chunks,
          accumulator,
          ...(args === undefined ? {} : { args }),
        };
        await sched.runJob(task, counters, chunks, options, stack);
        if (!builtin) return f64[chunks]!;
        return combinePartials(op, accumulator === 'bigint' ? [...i64.subarray(0, chunks)] : [...f64.subarray(0, chunks)], x, integer);
      }
      const outShape = x.shape.filter((_, k) => k !== axis);
      const units = sizeOf(outShape);
      if (builtin && (op === 'min' || op === 'max') && x.shape[axis] === 0 && units > 0) throw emptyReductionError(op);
      // The dtype nd.sum/prod/min/max/mean give: one rule, math's.
      const outDtype: DType = !builtin ? 'float64' : reductionDType(op, x.dtype);
      const out = await store.emptyAsync(outShape, { dtype: outDtype });
      cleanup.push(() => {
        if (failed) this.#drop(out);
      });
      const outRef = this.#ref(out, 'out', cleanup);
      const chunkSize = options.chunkSize ?? Math.max(1, Math.ceil(units / (this.size * 8)));
      const chunks = Math.max(1, Math.ceil(units / chunkSize));
      const counters = this.#counters(chunks);
      cleanup.push(() => this.#drop(counters));
      const task: Task = {
        kind: 'reduce',
        job: store.idOf(counters)!,
        input,
        op: wireOp,
        axis,
        out: outRef,
        chunkSize,
        chunks,
        accumulator,
        ...(args === undefined ? {} : { args }),
      };
      await sched.runJob(task, counters, units === 0 ? 0 : chunks, options, stack);
      return out;
    } catch (e) {
      failed = true;
      throw e;
    } finally {
      for (const f of cleanup) f();
    }
  }

  /**
   * Runs a function in a worker and resolves with its result. Two forms:
   * - positional: `run(module, exportName, ...args)` calls an export of a module;
   * - one task object: `run({module, name, args?, signal?, timeout?})`, or
   *   `run({fn, args?, signal?, timeout?})` for a function shipped as source
   *   (like map's), called as `fn(...args, ctx)` with `ctx = {nd, store, workerIndex, rng}`.
   *
   * NDArrays among the arguments (also nested in plain objects and arrays)
   * travel as store references, never as bytes; NDArrays in the result come
   * back as read-only views of the store (release them when done).
   * @throws {NdshareError} ERR_NDSHARE_ABORTED (an AbortError), ERR_NDSHARE_TIMEOUT (the worker is killed and
   *   replaced if it is still busy after `cancelGrace`), ERR_NDSHARE_WORKER_EXITED, and whatever the task throws.
   * @example const y = await pool.run<nd.NDArray>(new URL('./model.js', import.meta.url), 'infer', x);
   * @example const n = await pool.run<number>({ fn: (a, ctx) => ctx.nd.sum(a).get(), args: [x], timeout: 1000 });
   */
  run<T = unknown>(module: URL | string, exportName: string, ...args: unknown[]): Promise<T>;
  run<T = unknown>(task: RunModuleTask | RunFunctionTask): Promise<T>;
  async run<T = unknown>(first: URL | string | RunModuleTask | RunFunctionTask, ...rest: unknown[]): Promise<T> {
    const stack = captureStack(this.run);
    this.#open();
    let task: Task;
    let options: CancelOptions = {};
    let rawArgs: readonly unknown[];
    if (typeof first === 'string' || first instanceof URL) {
      const exportName = rest[0];
      if (typeof exportName !== 'string' || exportName === '') invalidType('exportName', 'a non-empty string', exportName);
      rawArgs = rest.slice(1);
      task = { kind: 'run', module: moduleHref(first, 'module'), exportName, args: [] };
    } else {
      if (typeof first !== 'object' || first === null) invalidType('task', 'a module URL or path, or {module, name} or {fn}', first);
      checkCancelOptions(first, 'task');
      options = { signal: first.signal, timeout: first.timeout };
      if (first.args !== undefined && !Array.isArray(first.args)) invalidType('task.args', 'an array of arguments', first.args);
      rawArgs = first.args ?? [];
      if ('fn' in first) task = { kind: 'call', fn: fnRef(first.fn, 'task.fn'), args: [] };
      else {
        const name = (first as RunModuleTask).name;
        if (typeof name !== 'string' || name === '') invalidType('task.name', 'a non-empty string', name);
        task = { kind: 'run', module: moduleHref((first as RunModuleTask).module, 'task.module'), exportName: name, args: [] };
      }
    }
    const cleanup: (() => void)[] = [];
    try {
      task.args = rawArgs.map((a, i) => this.#toRefs(a, `args[${i}]`, cleanup));
      // The scheduler turned the result's references into pinned views.
      return (await this.#pool.sched.submit(task, options, stack)) as T;
    } finally {
      for (const f of cleanup) f();
    }
  }

  /** Workers (pid or thread id, busy, tasks done) and queued work. */
  stats(): PoolStats {
    const sched = this.#pool.sched;
    return {
      workers: sched.handles.map((h) => ({
        ...(h.rt.backend === 'process' ? { pid: h.rt.id } : { threadId: h.rt.id }),
        busy: h.busy,
        tasksDone: h.tasksDone,
      })),
      queued: sched.queue.size,
    };
  }

  // ---- lifetime ---------------------------------------------------------------------

  /**
   * Waits for running and queued work to finish, then stops the workers
   * (SIGKILL after 5 s). With `timeout`, work still running after that many
   * milliseconds is cut short as by {@link destroy}. Always settles; idempotent.
   * @example await pool.close({ timeout: 10_000 });
   */
  close(options: CloseOptions = {}): Promise<void> {
    const p = this.#pool;
    checkOptions(options, { fn: 'Pool.close', known: ['timeout'] });
    const timeout = options.timeout === Infinity ? undefined : msOption(options.timeout, 'options.timeout', 0, true) || undefined;
    if (p.closing) {
      if (timeout !== undefined && !p.closed) this.#deadline(timeout, p.closing);
      return p.closing;
    }
    p.closing = (async () => {
      await p.sched.whenIdle();
      await this.#stop(CLOSE_KILL_AFTER_MS);
    })();
    if (timeout !== undefined) this.#deadline(timeout, p.closing);
    return p.closing;
  }

  /** Destroys the pool if `closing` has not settled within `ms`. */
  #deadline(ms: number, closing: Promise<void>): void {
    const timer = setTimeout(() => void this.destroy(), Math.min(ms, 0x7fffffff));
    void closing.finally(() => clearTimeout(timer));
  }

  /**
   * Kills the workers now; queued work rejects with ERR_NDSHARE_CLOSED,
   * running work with ERR_NDSHARE_WORKER_EXITED. Always settles, on an idle
   * pool too; idempotent.
   * @example await pool.destroy();
   */
  destroy(): Promise<void> {
    const p = this.#pool;
    if (p.closed) return p.closing ?? Promise.resolve();
    const closing = p.closing;
    p.sched.rejectQueued(closedError('destroyed'));
    const stopped = this.#stop(0);
    // close() in progress settles with this stop (it waited for idle, which the kills bring).
    p.closing = closing ? Promise.all([closing, stopped]).then(() => {}) : stopped;
    return p.closing;
  }

  /** Stops the workers, then frees the control object (and the store if the pool made it), once. */
  async #stop(graceMs: number): Promise<void> {
    const p = this.#pool;
    await p.sched.stop(graceMs);
    if (p.closed) return;
    p.closed = true;
    p.store.release(p.control); // never sealed: freed with its last pin
    if (p.ownsStore) p.store.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #open(): void {
    if (this.#pool.closing || this.#pool.closed) throw closedError();
  }
}

function moduleHref(module: unknown, arg: string): string {
  if (module instanceof URL) return module.href;
  if (typeof module !== 'string' || module === '') invalidType(arg, 'a URL, a file: URL string or a path', module);
  if (module.startsWith('file:')) return module;
  return pathToFileURL(resolvePath(module)).href;
}
