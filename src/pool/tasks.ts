/**
 * What a worker does with each kind of task: map, mapChunks, reduce (claiming
 * chunks of a job), run (a module's export) and call (an inline function).
 * Runs in the worker only; the entry loop is worker.ts.
 *
 * @module
 */
import { chunkRange, chunkRng } from '../random/chunk.js';
import type { Entropy } from '../random/seedsequence.js';
import { native } from '../binding.js';
import { codes, NdshareError } from '../errors.js';
import { NDArray } from '../ndarray/ndarray.js';
import { checkDType } from '../ndarray/dtypes.js';
import { storerOf, stridedCopy } from '../ndarray/cast.js';
import { complexCopy } from '../ndarray/complex.js';
import { isComplex } from '../ndarray/dtypes.js';
import { contiguousStrides, sizeOf } from '../ndarray/layout.js';
import { kOpenForWrite, kSealResult, type ObjectId, type Store } from '../store/store.js';
import { compile, probeCall, type Compiled } from './compile.js';
import { forRange, mapRange, markWhere, reduceRange, type Strided } from './loops.js';
import { openToRead } from './open.js';
import { decodeRefs, encodeRefs, hasRefs, type ArrayRef, type FnRef, type Task } from './messages.js';
import { encodeData, fromInline, inlineStrided, isInline, localArray, type InlineArray, type InlineOut } from './inline.js';
import { JOB_PARTIALS_OFFSET, JOB_WORD } from './protocol.js';

/** What the worker entry hands the tasks. */
export interface TaskEnv {
  store: Store;
  workerIndex: number;
}

/** A job's counters, opened in this worker. */
interface JobView {
  i32: Int32Array;
  f64: Float64Array;
  i64: BigInt64Array;
  sab: SharedArrayBuffer;
  base: number;
}

const modules = new Map<string, Promise<Record<string, unknown>>>();

/** A view of a stored array, as the owner described it; its pin goes into `held`. */
function viewOf(store: Store, ref: ArrayRef, writable: boolean, held: NDArray[]): NDArray {
  const root = writable ? store[kOpenForWrite](ref.id as ObjectId) : openToRead(store, ref.id as ObjectId);
  held.push(root);
  return new NDArray(root.data, checkDType(ref.dtype), ref.shape, ref.strides, ref.offset, { writeable: writable, base: root });
}

/** An input: a view of the store, or a small array that came in the message. */
function inputOf(store: Store, ref: ArrayRef | InlineArray, held: NDArray[]): NDArray {
  return isInline(ref) ? fromInline(ref) : viewOf(store, ref, false, held);
}

/** The output: a writable view of the store, or (inline) a local array sent back in the result. */
function outputOf(store: Store, ref: ArrayRef | InlineOut, held: NDArray[]): NDArray {
  return 'id' in ref ? viewOf(store, ref, true, held) : localArray(ref.dtype, ref.shape, true);
}

/**
 * A map job's result message: an inline output's bytes (base64: a JSON
 * string, the cheapest message to parse), else nothing (the output is in the
 * store; the owner counts chunks in the job's counters, not in answers).
 */
function jobResult(ref: ArrayRef | InlineOut, out: Strided): string | undefined {
  return 'id' in ref ? undefined : encodeData(out.data);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** `x` broadcast to `shape` (`x` itself when it has that shape: no view to make). */
function broadcast(x: NDArray, shape: readonly number[]): NDArray {
  return sameShape(x.shape, shape) ? x : x.broadcastTo(shape);
}

/** A map's input: its elements as they came in the message when it needs no broadcasting (no NDArray made), else an NDArray view. */
function mapInput(store: Store, ref: ArrayRef | InlineArray, shape: readonly number[], held: NDArray[]): Strided {
  return isInline(ref) && sameShape(ref.shape, shape) ? inlineStrided(ref) : broadcast(inputOf(store, ref, held), shape);
}

function jobView(store: Store, id: string, held: NDArray[]): JobView | undefined {
  if (id === '') return undefined;
  const job = store[kOpenForWrite](id as ObjectId);
  held.push(job);
  const d = job.data as Uint8Array;
  const n = (d.byteLength - JOB_PARTIALS_OFFSET) / 8;
  return {
    i32: new Int32Array(d.buffer, d.byteOffset, 16),
    f64: new Float64Array(d.buffer, d.byteOffset + JOB_PARTIALS_OFFSET, n),
    i64: new BigInt64Array(d.buffer, d.byteOffset + JOB_PARTIALS_OFFSET, n),
    sab: d.buffer as SharedArrayBuffer,
    base: d.byteOffset,
  };
}

/**
 * Claims chunks until none are left or the job is cancelled; `work(c)` does
 * one. An error names its chunk. Without counters (a one-chunk job) it runs
 * chunk 0.
 */
function claimChunks(j: JobView | undefined, chunks: number, work: (c: number) => void): number {
  if (!j) {
    if (chunks < 1) return 0;
    try {
      work(0);
    } catch (e) {
      throw markWhere(e, { chunk: 0 });
    }
    return 1;
  }
  let n = 0;
  for (;;) {
    if (Atomics.load(j.i32, JOB_WORD.cancel) !== 0) break;
    const c = Atomics.add(j.i32, JOB_WORD.next, 1);
    if (c >= chunks) break;
    try {
      work(c);
    } catch (e) {
      Atomics.store(j.i32, JOB_WORD.cancel, 1);
      throw markWhere(e, { chunk: c });
    }
    n++;
    if (Atomics.add(j.i32, JOB_WORD.done, 1) + 1 === chunks) native.sync.futexWake(j.sab, j.base + JOB_WORD.done * 4, Infinity);
  }
  return n;
}

/** The caller's args with NDArray references opened as views (pins in `held`), inline arrays as local ones. */
function argsOf(env: TaskEnv, args: unknown, held: NDArray[]): unknown {
  return hasRefs(args) ? decodeRefs(args, (r) => inputOf(env.store, r, held)) : args;
}

/** Runs one task; the result is ready for the mailbox (NDArrays in `run`/`call` results become references). */
export async function execute(env: TaskEnv, task: Task): Promise<unknown> {
  const held: NDArray[] = [];
  const store = env.store;
  try {
    switch (task.kind) {
      case 'noop':
        return undefined;
      case 'map': {
        const c = compile(task.fn);
        // Element functions see scalars: a small output (and small inputs) stay typed arrays, no NDArray.
        const out: Strided = 'id' in task.out ? viewOf(store, task.out, true, held) : inlineStrided(task.out);
        const ins = task.inputs.map((r) => mapInput(store, r, task.shape, held));
        const args = argsOf(env, task.args, held);
        const j = jobView(store, task.job, held);
        const size = sizeOf(task.shape);
        claimChunks(j, task.chunks, (k) => {
          const a = k * task.chunkSize;
          const b = Math.min(size, a + task.chunkSize);
          mapRange(c, task.fn, ins, out, a, b, args, chunkRange(a, b)); // the last parameter: range.rng(seed), docs/random.md
        });
        return jobResult(task.out, out);
      }
      case 'mapChunks': {
        const c = compile(task.fn);
        const out = outputOf(store, task.out, held);
        const ins = task.inputs.map((r) => broadcast(inputOf(store, r, held), task.shape));
        const args = argsOf(env, task.args, held);
        const j = jobView(store, task.job, held);
        const rows = task.shape[0] ?? 1;
        claimChunks(j, task.chunks, (k) => {
          const a = k * task.chunkSize;
          const b = Math.min(rows, a + task.chunkSize);
          const part = (x: NDArray) => (x.ndim === 0 ? x : x.slice({ start: a, stop: b }));
          try {
            probeCall(c, task.fn, [ins.map(part), part(out), args, chunkRange(a, b)]); // range.rng(seed): docs/random.md
          } catch (e) {
            throw markWhere(e, { rows: [a, b], chunk: k });
          }
        });
        return jobResult(task.out, out);
      }
      case 'reduce':
        return reduce(env, task, held);
      case 'run': {
        let mod = modules.get(task.module);
        if (!mod) {
          mod = import(task.module) as Promise<Record<string, unknown>>;
          modules.set(task.module, mod);
        }
        const m = await mod;
        const fn = m[task.exportName];
        if (typeof fn !== 'function') {
          throw new NdshareError(`Module ${task.module} has no exported function '${task.exportName}'`, { code: codes.NOT_FOUND });
        }
        const args = task.args.map((a) => argsOf(env, a, held));
        return resultRefs(env, await (fn as (...a: unknown[]) => unknown)(...args));
      }
      case 'call': {
        const c = compile(task.fn);
        const args = task.args.map((a) => argsOf(env, a, held));
        // ctx.rng(seed, key): the stream of a task is the caller's choice (a request index), never the worker's (docs/random.md).
        const rng = (seed: Entropy, key: number | bigint = 0) => chunkRng(seed, key);
        const ctx = { nd: await library(), store, workerIndex: env.workerIndex, rng };
        try {
          return resultRefs(env, await c.fn(...args, ctx));
        } catch (e) {
          throw hintFreeVariable(e, task.fn);
        }
      }
    }
  } finally {
    for (const x of held) store.release(x);
  }
}

let lib: Promise<unknown> | undefined;
/** The library, for inline functions (`ctx.nd`): loaded on the first `call` task only. */
function library(): Promise<unknown> {
  lib ??= import('../index.js');
  return lib;
}

/** A ReferenceError from an inline function most likely names a variable of the caller's scope: say so. */
function hintFreeVariable(e: unknown, ref: FnRef): unknown {
  if ((e as { name?: unknown } | null)?.name !== 'ReferenceError') return e;
  return new NdshareError(
    `${ref.name} uses a variable from outside its body (${(e as Error).message}). Functions are shipped to the workers as ` +
      'source: pass the values they need as arguments; the last parameter is {nd, store, workerIndex, rng}',
    { code: codes.INVALID_ARG_VALUE, cause: e },
  );
}

function reduce(env: TaskEnv, task: Extract<Task, { kind: 'reduce' }>, held: NDArray[]): unknown {
  const x = viewOf(env.store, task.input, false, held);
  const j = jobView(env.store, task.job, held)!; // a reduction always has counters (its partials)
  const args = argsOf(env, task.args, held);
  const big = task.accumulator === 'bigint';
  if (task.axis === null) {
    if (typeof task.op === 'string') {
      const op = task.op;
      const chunks = claimChunks(j, task.chunks, (k) => {
        const p = reduceRange(x, op, k * task.chunkSize, Math.min(x.size, (k + 1) * task.chunkSize), big);
        if (big) j.i64[k] = p as bigint;
        else j.f64[k] = p as number;
      });
      return { chunks };
    }
    const custom = task.op;
    const map = custom.map ? compile(custom.map) : undefined;
    const combine = compile(custom.combine);
    const chunks = claimChunks(j, task.chunks, (k) => {
      j.f64[k] = foldRange(custom, map, combine, x, k * task.chunkSize, Math.min(x.size, (k + 1) * task.chunkSize), args);
    });
    // Whoever sees every chunk done combines the partials (the owner never runs user code).
    if (Atomics.load(j.i32, JOB_WORD.done) === task.chunks && Atomics.compareExchange(j.i32, JOB_WORD.combined, 0, 1) === 0) {
      let acc = custom.init;
      for (let k = 0; k < task.chunks; k++) acc = combine.fn(acc, j.f64[k], args) as number;
      j.f64[task.chunks] = acc;
      Atomics.store(j.i32, JOB_WORD.combined, 2);
    }
    return { chunks };
  }
  // Along an axis: each output element reduces one line of x.
  const out = viewOf(env.store, task.out!, true, held);
  const axis = task.axis;
  const moved = x.transpose([...x.shape.keys()].filter((k) => k !== axis).concat([axis]));
  const len = x.shape[axis]!;
  const custom = typeof task.op === 'string' ? undefined : task.op;
  const map = custom?.map ? compile(custom.map) : undefined;
  const combine = custom ? compile(custom.combine) : undefined;
  const od = out.data as unknown as { [i: number]: number | bigint };
  const storeOut = storerOf(out.dtype) as (v: number) => number;
  const chunks = claimChunks(j, task.chunks, (k) => {
    const a = k * task.chunkSize;
    const b = Math.min(out.size, a + task.chunkSize);
    for (let i = a; i < b; i++) {
      let r = i;
      const idx: number[] = new Array(out.ndim);
      for (let d = out.ndim - 1; d >= 0; d--) {
        idx[d] = r % out.shape[d]!;
        r = Math.floor(r / out.shape[d]!);
      }
      const line = moved.slice(...idx) as NDArray;
      let value: number | bigint;
      if (custom && combine) value = foldRange(custom, map, combine, line, 0, len, args, i === a);
      else {
        value = reduceRange(line, task.op as 'sum', 0, len, big);
        if (task.op === 'mean') value = Number(value) / len;
      }
      let p = out.offset;
      for (let d = 0; d < out.ndim; d++) p += idx[d]! * out.strides[d]!;
      // 64-bit sums wrap like NumPy's; other dtypes go through their storer (float16 and bfloat16 are encoded words).
      od[p] = out.dtype === 'int64' || out.dtype === 'uint64' ? BigInt.asIntN(64, BigInt(value)) : storeOut(Number(value));
    }
  });
  return { chunks };
}

/**
 * A custom reduction over [start, end) of `x`'s C order. The first element
 * goes through the probe (when `probe`), so a closure fails loudly; an error
 * names the element.
 */
function foldRange(
  custom: { map?: FnRef; combine: FnRef; init: number },
  map: Compiled | undefined,
  combine: Compiled,
  x: NDArray,
  start: number,
  end: number,
  args: unknown,
  probe = true,
): number {
  let acc = custom.init;
  let first = probe;
  let at = start;
  try {
    forRange(x, start, end, (raw, i) => {
      at = i;
      if (first) {
        first = false;
        const v = map ? (probeCall(map, custom.map!, [raw, args]) as number) : (raw as number);
        acc = probeCall(combine, custom.combine, [acc, v, args]) as number;
        return;
      }
      const v = map ? (map.fn(raw, args) as number) : (raw as number);
      acc = combine.fn(acc, v, args) as number;
    });
  } catch (e) {
    throw markWhere(e, { index: at });
  }
  return acc;
}

/**
 * Pins that carry `run` results to the owner: held until the owner has pinned
 * the results itself (it does so before it sends this worker its next task),
 * so nothing can be evicted in between; released when the next task arrives.
 */
const handoff: NDArray[] = [];

/** Releases the previous task's result pins (the owner pinned them before sending the next task). */
export function releaseHandoff(store: Store): void {
  for (const x of handoff.splice(0)) store.release(x);
}

/**
 * NDArrays in a result travel back as store references: an array the task
 * allocated in the store is sealed (the owner can then get it); any other
 * array is copied into the store once. This worker's pin on each goes with
 * the next task (see `handoff`): the owner pins them.
 */
function resultRefs(env: TaskEnv, result: unknown): unknown {
  const store = env.store;
  return encodeRefs(result, 'result', (v) => {
    if (!(v instanceof NDArray)) return undefined;
    const stored = store.idOf(v);
    if (stored !== undefined) {
      // Allocated by the task: sealing hands its allocation pin over. Already sealed: take one.
      if (v.flags.writeable) {
        store[kSealResult](v); // the caller's: freed with its last pin
        handoff.push(v);
      } else handoff.push(openToRead(store, stored));
      return { id: stored, dtype: v.dtype, shape: [...v.shape], strides: [...v.strides], offset: v.offset };
    }
    const y = store.empty(v.shape, { dtype: v.dtype });
    if (isComplex(v.dtype))
      complexCopy(y, v.dtype, v, v.dtype, v.shape); // pairs of parts
    else stridedCopy(y, v, v.shape);
    const id = store[kSealResult](y);
    handoff.push(y);
    return { id, dtype: v.dtype, shape: [...v.shape], strides: contiguousStrides(v.shape), offset: 0 };
  });
}
