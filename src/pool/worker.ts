/**
 * The worker entry (process or thread): attaches to the pool's store, opens
 * the control object, then loops: wait for a task (spin briefly, then sleep on
 * the futex), run it, write the result, wake the owner.
 *
 * @module
 */
import { isMainThread, parentPort, threadId, workerData } from 'node:worker_threads';
import { native } from '../binding.js';
import { codes, NdshareError } from '../errors.js';
import { NDArray } from '../ndarray/ndarray.js';
import { checkDType } from '../ndarray/dtypes.js';
import { storerOf, stridedCopy } from '../ndarray/cast.js';
import { contiguousStrides } from '../ndarray/layout.js';
import { kOpenForWrite, Store, type ObjectId, type StoreHandle } from '../store/store.js';
import { setWorkerContext } from './context.js';
import { compile, mapRange, probeCall, forRange, reduceRange } from './kernels.js';
import {
  isRefMarker,
  JOB,
  mailboxOffset,
  POOL,
  readMessage,
  W,
  wordOf,
  writeMessage,
  type ArrayRef,
  type Task,
  SpinBudget,
} from './protocol.js';
import { serializeError } from './remote-error.js';
// The NDArray interop methods (toScijs, toStdlib) for user functions run here.
import '../interop/scijs.js';
import '../interop/stdlib.js';

/** What the owner tells a worker at start (env var for processes, workerData for threads). */
export interface WorkerBoot {
  handle: StoreHandle;
  /** fd of the store segment inherited at spawn (processes), or undefined (threads open /proc). */
  fd: number | undefined;
  control: string;
  slots: number;
  slot: number;
  parentPid: number;
  /** The slot's TASK_SEQ when the owner spawned this worker: a higher value is a task for it. */
  taskSeq: number;
}

const SPIN_MS = 0.05;
const spin = new SpinBudget(SPIN_MS);
const SLICE_MS = 100;

const boot: WorkerBoot = isMainThread ? JSON.parse(process.env.NDSHARE_WORKER ?? 'null') : (workerData as WorkerBoot);
if (!boot) throw new Error('ndshare pool worker started without NDSHARE_WORKER');

if (isMainThread) {
  // A worker process must never outlive its owner, even after kill -9 of the owner.
  native.proc.dieWithParent(9, boot.parentPid);
}

const store = Store.attach(boot.handle, boot.fd !== undefined ? { fd: boot.fd } : {});
setWorkerContext({ store, workerIndex: boot.slot });
const control = store[kOpenForWrite](boot.control as ObjectId);
const bytes = control.data as Uint8Array;
const words = new Int32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
const sab = bytes.buffer as SharedArrayBuffer;
const word = (f: number) => wordOf(boot.slot, f);
const byteOf = (w: number) => bytes.byteOffset + w * 4;
const mailbox = mailboxOffset(boot.slots, boot.slot);

const modules = new Map<string, Promise<Record<string, unknown>>>();

/**
 * A view of a stored array, as the owner described it. An input may be
 * unsealed (a pool result, or the owner's `store.empty` it filled itself):
 * then it is opened as written and viewed read-only.
 */
function viewOf(ref: ArrayRef, writable: boolean, held: NDArray[]): NDArray {
  const root = writable ? store[kOpenForWrite](ref.id as ObjectId) : openToRead(ref.id as ObjectId);
  held.push(root);
  return new NDArray(root.data, checkDType(ref.dtype), ref.shape, ref.strides, ref.offset, { writeable: writable, base: root });
}

function openToRead(id: ObjectId): NDArray {
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

function jobWords(id: string, held: NDArray[]): { i32: Int32Array; f64: Float64Array; i64: BigInt64Array; sab: SharedArrayBuffer; base: number } {
  const job = store[kOpenForWrite](id as ObjectId);
  held.push(job);
  const d = job.data as Uint8Array;
  return {
    i32: new Int32Array(d.buffer, d.byteOffset, 16),
    f64: new Float64Array(d.buffer, d.byteOffset + JOB.partialsOffset, (d.byteLength - JOB.partialsOffset) / 8),
    i64: new BigInt64Array(d.buffer, d.byteOffset + JOB.partialsOffset, (d.byteLength - JOB.partialsOffset) / 8),
    sab: d.buffer as SharedArrayBuffer,
    base: d.byteOffset,
  };
}

/** Claims chunks until none are left or the job is cancelled; `work(c)` does one. */
function claimChunks(j: ReturnType<typeof jobWords>, chunks: number, work: (c: number) => void): number {
  let n = 0;
  for (;;) {
    if (Atomics.load(j.i32, JOB.cancel) !== 0) break;
    const c = Atomics.add(j.i32, JOB.next, 1);
    if (c >= chunks) break;
    try {
      work(c);
    } catch (e) {
      Atomics.store(j.i32, JOB.cancel, 1);
      throw e;
    }
    n++;
    if (Atomics.add(j.i32, JOB.done, 1) + 1 === chunks) native.sync.futexWake(j.sab, j.base + JOB.done * 4, Infinity);
  }
  return n;
}

async function execute(task: Task): Promise<unknown> {
  const held: NDArray[] = [];
  try {
    switch (task.kind) {
      case 'noop':
        return undefined;
      case 'map': {
        const c = compile(task.fn);
        const out = viewOf(task.out, true, held);
        const ins = task.inputs.map((r) => viewOf(r, false, held).broadcastTo(out.shape));
        const j = jobWords(task.job, held);
        const chunks = claimChunks(j, task.chunks, (k) =>
          mapRange(c, task.fn, ins, out, k * task.chunkSize, Math.min(out.size, (k + 1) * task.chunkSize), task.args),
        );
        return { chunks };
      }
      case 'mapChunks': {
        const c = compile(task.fn);
        const out = viewOf(task.out, true, held);
        const ins = task.inputs.map((r) => viewOf(r, false, held).broadcastTo(out.shape));
        const j = jobWords(task.job, held);
        const rows = out.shape[0] ?? 1;
        const chunks = claimChunks(j, task.chunks, (k) => {
          const a = k * task.chunkSize;
          const b = Math.min(rows, a + task.chunkSize);
          const part = (x: NDArray) => (x.ndim === 0 ? x : x.slice([a, b]));
          probeCall(c, task.fn, [ins.map(part), part(out), task.args, { start: a, stop: b }]);
        });
        return { chunks };
      }
      case 'reduce':
        return reduce(task, held);
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
        const args = task.args.map((a) => fromRefs(a, held));
        const result = await (fn as (...a: unknown[]) => unknown)(...args);
        return toRefs(result);
      }
    }
  } finally {
    for (const x of held) store.release(x);
  }
}

function reduce(task: Extract<Task, { kind: 'reduce' }>, held: NDArray[]): unknown {
  const x = viewOf(task.input, false, held);
  const j = jobWords(task.job, held);
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
      let acc = custom.init;
      let first = true;
      forRange(x, k * task.chunkSize, Math.min(x.size, (k + 1) * task.chunkSize), (raw) => {
        const v0 = raw;
        if (first) {
          const v = map ? (probeCall(map, custom.map!, [v0, task.args]) as number) : (v0 as number);
          acc = probeCall(combine, custom.combine, [acc, v, task.args]) as number;
          first = false;
        } else {
          const v = map ? (map.fn(v0, task.args) as number) : (v0 as number);
          acc = combine.fn(acc, v, task.args) as number;
        }
      });
      j.f64[k] = acc;
    });
    // Whoever sees every chunk done combines the partials (the owner never runs user code).
    if (Atomics.load(j.i32, JOB.done) === task.chunks && Atomics.compareExchange(j.i32, JOB.combined, 0, 1) === 0) {
      let acc = custom.init;
      for (let k = 0; k < task.chunks; k++) acc = combine.fn(acc, j.f64[k], task.args) as number;
      j.f64[task.chunks] = acc;
      Atomics.store(j.i32, JOB.combined, 2);
    }
    return { chunks };
  }
  // Along an axis: each output element reduces one line of x.
  const out = viewOf(task.out!, true, held);
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
      let line = moved;
      let r = i;
      const idx: number[] = new Array(out.ndim);
      for (let d = out.ndim - 1; d >= 0; d--) {
        idx[d] = r % out.shape[d]!;
        r = Math.floor(r / out.shape[d]!);
      }
      line = moved.slice(...idx) as NDArray;
      let value: number | bigint;
      if (custom && combine) {
        let acc = custom.init;
        // The chunk's first element goes through the probe, so a closure fails loudly.
        let probe = i === a;
        forRange(line, 0, len, (raw) => {
          if (probe) {
            probe = false;
            const v = map ? (probeCall(map, custom.map!, [raw, task.args]) as number) : (raw as number);
            acc = probeCall(combine, custom.combine, [acc, v, task.args]) as number;
            return;
          }
          const v = map ? (map.fn(raw, task.args) as number) : (raw as number);
          acc = combine.fn(acc, v, task.args) as number;
        });
        value = acc;
      } else {
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

/** NDArray references in `run` arguments become views; everything else passes through. */
function fromRefs(v: unknown, held: NDArray[]): unknown {
  if (isRefMarker(v)) return viewOf(v.__ndshareRef, false, held);
  if (Array.isArray(v)) return v.map((e) => fromRefs(e, held));
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, fromRefs(e, held)]));
  }
  return v;
}

/**
 * Pins that carry `run` results to the owner: held until the owner has pinned
 * the results itself (it does so before it sends this worker its next task),
 * so nothing can be evicted in between; released when the next task arrives.
 */
const handoff: NDArray[] = [];

/**
 * NDArrays in a `run` result travel back as store references: an array the
 * task allocated in the store is sealed (the owner can then get it); any other
 * array is copied into the store once. This worker's pin on each goes with the
 * next task (see `handoff`): the owner pins them.
 */
function toRefs(v: unknown): unknown {
  if (v instanceof NDArray) {
    const stored = store.idOf(v);
    if (stored !== undefined) {
      // Allocated by the task: sealing hands its allocation pin over. Already sealed: take one.
      if (v.flags.writeable) {
        store.seal(v);
        handoff.push(v);
      } else handoff.push(openToRead(stored));
      return { __ndshareRef: { id: stored, dtype: v.dtype, shape: [...v.shape], strides: [...v.strides], offset: v.offset } };
    }
    const y = store.empty(v.shape, { dtype: v.dtype });
    stridedCopy(y, v, v.shape);
    const id = store.seal(y);
    handoff.push(y);
    return { __ndshareRef: { id, dtype: v.dtype, shape: [...v.shape], strides: contiguousStrides(v.shape), offset: 0 } };
  }
  if (Array.isArray(v)) return v.map(toRefs);
  if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, e]) => [k, toRefs(e)]));
  }
  return v;
}

async function main(): Promise<void> {
  Atomics.store(words, word(W.pid), isMainThread ? process.pid : threadId);
  // Count from the sequence the owner saw when it spawned us, not from what we read
  // now: a task written while we were starting (the owner does not wait for a
  // replacement's readiness, nor the thread for its ready message) must not be lost.
  let seen = boot.taskSeq;
  if (isMainThread) process.send?.({ ready: true });
  else parentPort?.postMessage({ ready: true });
  for (;;) {
    // Spin a moment (a task often follows a task; adaptively, see SpinBudget), then sleep on the futex in slices.
    spin.spin(() => Atomics.load(words, word(W.taskSeq)) !== seen);
    while (Atomics.load(words, word(W.taskSeq)) === seen) {
      if (Atomics.load(words, POOL.stop) !== 0) return shutdown();
      native.sync.futexWait(sab, byteOf(word(W.taskSeq)), seen, SLICE_MS);
    }
    seen = Atomics.load(words, word(W.taskSeq));
    if (Atomics.load(words, POOL.stop) !== 0) return shutdown();
    // The owner pinned the previous results before sending this task.
    for (const x of handoff.splice(0)) store.release(x);
    Atomics.store(words, word(W.busy), 1);
    let status = 0;
    let length: number;
    try {
      const task = readMessage<Task>(bytes, mailbox, Atomics.load(words, word(W.taskBytes)));
      const result = await execute(task);
      length = writeMessage(bytes, mailbox, result, 'task result');
    } catch (e) {
      status = 1;
      length = writeMessage(bytes, mailbox, serializeError(e), 'error');
    }
    Atomics.store(words, word(W.resultBytes), length);
    Atomics.store(words, word(W.status), status);
    Atomics.store(words, word(W.busy), 0);
    Atomics.add(words, word(W.doneSeq), 1);
    native.sync.futexWake(sab, byteOf(word(W.doneSeq)), Infinity);
  }
}

function shutdown(): void {
  store.release(control);
  store.close();
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`ndshare pool worker ${boot.slot} failed: ${(e as Error).stack}\n`);
  process.exit(70);
});

