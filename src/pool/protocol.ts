/**
 * The pool's control path: one control object in the store (an unsealed
 * uint8 array the pool's owner allocates and its workers open for writing),
 * holding a few words and a mailbox per worker. Tasks and results are
 * v8-serialized into the mailbox; a sequence word per direction is bumped and
 * futex-woken. No IPC message is on the hot path.
 *
 * ```
 * words [0, 16)             pool words (STOP)
 * per worker w, 16 words:   TASK_SEQ DONE_SEQ TASK_BYTES RESULT_BYTES STATUS BUSY PID
 * mailboxes                 MAILBOX_BYTES per worker, from MAILBOX_OFFSET
 * ```
 *
 * @module
 */
import { deserialize, serialize } from 'node:v8';
import { codes, NdshareError, NdshareTypeError } from '../errors.js';

/** Pool words. */
export const POOL = {
  /** i32: 1 once the pool is closing; written by the owner, read by workers between waits. */
  stop: 0,
} as const;

/** Per-worker words (index within the worker's 16-word block). */
export const W = {
  /** i32 futex word: bumped by the owner after writing a task; workers wait on it. */
  taskSeq: 0,
  /** i32 futex word: bumped by the worker after writing the result; the owner waits on it. */
  doneSeq: 1,
  /** i32 bytes of the task in the mailbox. Owner. */
  taskBytes: 2,
  /** i32 bytes of the result in the mailbox. Worker. */
  resultBytes: 3,
  /** i32 0 = result, 1 = serialized error. Worker. */
  status: 4,
  /** i32 1 while the worker runs a task. Worker. */
  busy: 5,
  /** i32 the worker's pid (process) or thread id. Worker, at start. */
  pid: 6,
} as const;

export const WORKER_WORDS = 16;
export const POOL_WORDS = 16;
/** Bytes of one worker's mailbox: the largest task or result payload. */
export const MAILBOX_BYTES = 256 * 1024;

/** Byte offset of worker `w`'s mailbox in the control object. */
export function mailboxOffset(slots: number, w: number): number {
  const words = POOL_WORDS + slots * WORKER_WORDS;
  return Math.ceil((words * 4) / 64) * 64 + w * MAILBOX_BYTES;
}

/** Total bytes of a control object for `slots` workers. */
export function controlBytes(slots: number): number {
  return mailboxOffset(slots, slots);
}

/** Word index of worker `w`'s field `f`. */
export function wordOf(w: number, f: number): number {
  return POOL_WORDS + w * WORKER_WORDS + f;
}

/**
 * Serializes `value` into `bytes` at `offset`; returns its length.
 * @throws {NdshareError} ERR_NDSHARE_UNSUPPORTED when it does not fit the mailbox.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE when it cannot be serialized (a function, a symbol).
 */
export function writeMessage(bytes: Uint8Array, offset: number, value: unknown, what: string): number {
  let buf: Buffer;
  try {
    buf = serialize(value);
  } catch (e) {
    // v8's DataCloneError is an uncoded Error naming neither the argument nor the rule.
    throw new NdshareTypeError(
      `Expected values that can be structured-cloned in the ${what} (args, run arguments and results: no functions or symbols) ` +
        `but serializing it failed: ${(e as Error).message}`,
    );
  }
  if (buf.length > MAILBOX_BYTES) {
    throw new NdshareError(`The ${what} serializes to ${buf.length} bytes, more than a pool mailbox holds (${MAILBOX_BYTES}): ` +
        'pass large arrays as NDArrays (they travel as store references), not as plain data', { code: codes.UNSUPPORTED });
  }
  bytes.set(buf, offset);
  return buf.length;
}

/** Reads a message written by {@link writeMessage}. */
export function readMessage<T>(bytes: Uint8Array, offset: number, length: number): T {
  // deserialize needs its own copy when the source is shared memory another process writes.
  return deserialize(Buffer.from(bytes.subarray(offset, offset + length))) as T;
}

/** Job counters (an unsealed int32/float64 object per map/reduce job). */
export const JOB = {
  /** i32 next chunk to claim (Atomics.add by workers). */
  next: 0,
  /** i32 chunks finished; the worker that finishes the last one wakes the owner. */
  done: 1,
  /** i32 1 = stop claiming chunks (abort, timeout, an error elsewhere). */
  cancel: 2,
  /** i32 1 once the final combine of a custom reduction is written. */
  combined: 3,
  /** Byte offset of the float64/bigint partial results, one per chunk, then one for the final value. */
  partialsOffset: 64,
} as const;

/** A slice of a stored array: where to find it and which view of it. */
export interface ArrayRef {
  id: string;
  dtype: string;
  shape: number[];
  strides: number[];
  offset: number;
}

/** A function shipped as source. */
export interface FnRef {
  source: string;
  name: string;
}

export type ReduceOp = 'sum' | 'prod' | 'min' | 'max' | 'mean';

/** Messages from the owner to a worker. */
export type Task =
  | { kind: 'noop' }
  | {
      /** map: chunks of elements; mapChunks: chunks of leading-axis rows. */
      kind: 'map' | 'mapChunks';
      job: string;
      inputs: ArrayRef[];
      out: ArrayRef;
      fn: FnRef;
      args: unknown;
      chunkSize: number;
      chunks: number;
    }
  | {
      kind: 'reduce';
      job: string;
      input: ArrayRef;
      op: ReduceOp | { map?: FnRef; combine: FnRef; init: number };
      axis: number | null;
      out: ArrayRef | null;
      args: unknown;
      chunkSize: number;
      chunks: number;
      accumulator: 'float' | 'bigint';
    }
  | { kind: 'run'; module: string; exportName: string; args: unknown[] };

/** Marker of an NDArray passed by reference inside `run` arguments and results. */
export interface RefMarker {
  __ndshareRef: ArrayRef;
}

export function isRefMarker(v: unknown): v is RefMarker {
  return typeof v === 'object' && v !== null && '__ndshareRef' in v;
}

/**
 * A spin-then-sleep budget that adapts. Spinning before a futex sleep saves
 * two wake-ups when the other side answers from another CPU; when both share
 * one CPU it only steals the time the other side needs (113-138 us per empty
 * task measured on the 2-vCPU VM, against 6 us for a bare futex round trip).
 * So spinning stops after three spins in a row ran out, resumes after one
 * that paid, and is probed again every 8th wait while stopped.
 */
export class SpinBudget {
  readonly #max: number;
  #ms: number;
  #skips = 0;
  #misses = 0;
  constructor(maxMs: number) {
    this.#max = maxMs;
    this.#ms = maxMs;
  }

  /** Spins until `ready()` or the budget runs out; returns `ready()`'s last answer. */
  spin(ready: () => boolean): boolean {
    const budget = this.#ms > 0 ? this.#ms : ++this.#skips % 8 === 0 ? this.#max : 0;
    if (budget === 0) return ready();
    const until = performance.now() + budget;
    while (!ready()) {
      if (performance.now() >= until) {
        // One miss is noise (a preemption); three in a row mean we share a CPU with the other side.
        if (++this.#misses >= 3) this.#ms = 0;
        return false;
      }
    }
    this.#misses = 0;
    this.#ms = this.#max;
    return true;
  }
}
