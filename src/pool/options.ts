/**
 * The pool's option types and their validation (one place for both).
 *
 * @module
 */
import { codes, invalidType, invalidValue, NdshareError } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import type { Store } from '../store/store.js';
import type { Backend } from './runtime/index.js';

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
  /**
   * Kernel threads (matmul) per worker process, set once at its start
   * (default `max(1, floor(cores / workers))`, so workers × threads ≤ cores).
   * A task may still call `nd.setThreads`. Ignored for threads (they share their process's).
   */
  kernelThreads?: number;
  /**
   * Milliseconds an aborted or timed-out task or chunk may keep running
   * before its worker is killed and replaced (default 1000).
   */
  cancelGrace?: number;
}

/** Cancellation of a task or a job. */
export interface CancelOptions {
  /** Cancels it: it rejects with an `AbortError` (code ERR_NDSHARE_ABORTED, the signal's reason as `cause`). */
  signal?: AbortSignal;
  /** Milliseconds before it rejects with ERR_NDSHARE_TIMEOUT. `Infinity` means none. */
  timeout?: number;
}

/** Progress of a job. */
export interface Progress {
  done: number;
  total: number;
}

/** Options shared by map, mapChunks and reduce. */
export interface JobOptions extends CancelOptions {
  /**
   * Values the function reads from its last parameter (functions are shipped
   * as source and must be pure). NDArrays anywhere inside (plain objects,
   * arrays) travel by reference and arrive as (read-only) NDArrays.
   */
  args?: unknown;
  /** Elements (map, reduce) or leading-axis rows (mapChunks) per chunk; chunks are handed out dynamically. */
  chunkSize?: number;
  /** Called with {done, total} chunks while the job runs (at most every 50 ms) and at the end. */
  onProgress?: (p: Progress) => void;
}

/** Options of map and mapChunks. */
export interface MapOptions extends JobOptions {
  /** Where to write: an unsealed array of this pool's store (from `store.empty`), of the output's shape. */
  out?: NDArray;
  /** dtype of the output (default: the first input's if floating, else float64). */
  dtype?: DType;
  /**
   * Carry arrays of at most 4 KiB in the control message instead of the store
   * (default true): inputs and args arrays are copied into it, and a small
   * one-chunk output comes back in the answer as an ordinary array (not in
   * the store: `store.idOf(y)` is undefined, nothing to release). `false`
   * always gives a result in the store.
   */
  inline?: boolean;
}

/** Options of mapChunks. */
export interface MapChunksOptions extends MapOptions {
  /**
   * The output's shape, when it differs from the inputs' broadcast shape: its
   * leading axis must be the inputs' rows (a row-wise reduction gives `[rows]`,
   * a per-row result of width k `[rows, k]`). The kernel's `out` is the chunk's rows of it.
   */
  outShape?: readonly number[];
}

/** Options of reduce. */
export interface ReduceOptions extends JobOptions {
  /** Reduce along this axis (the result is an NDArray); default: the whole array (a scalar). */
  axis?: number;
}

/** A custom reduction: `combine` must be associative with `init` as its identity. */
export interface CustomReduce {
  map?: (x: number, args: never) => number;
  combine: (acc: number, x: number, args: never) => number;
  init: number;
}

/** Options of close(). */
export interface CloseOptions {
  /**
   * Milliseconds to wait for running and queued work; then the pool is
   * destroyed (running work rejects with ERR_NDSHARE_WORKER_EXITED, queued
   * with ERR_NDSHARE_CLOSED). Default: wait as long as it takes.
   */
  timeout?: number;
}

/** `pool.stats()`. */
export interface PoolStats {
  workers: { pid?: number; threadId?: number; busy: boolean; tasksDone: number }[];
  queued: number;
}

function checkObject(o: unknown, name = 'options'): asserts o is object {
  if (typeof o !== 'object' || o === null) invalidType(name, 'an options object', o);
}

/** signal and timeout. A wrong type is a TypeError, a number out of range a RangeError. */
export function checkCancelOptions(o: CancelOptions, prefix = 'options'): void {
  checkObject(o, prefix);
  if (o.timeout !== undefined && typeof o.timeout !== 'number') invalidType(`${prefix}.timeout`, 'a positive number of milliseconds', o.timeout);
  if (o.timeout !== undefined && !(o.timeout > 0)) invalidValue(`${prefix}.timeout`, 'a positive number of milliseconds', o.timeout);
  if (o.signal !== undefined && !(o.signal instanceof AbortSignal)) invalidType(`${prefix}.signal`, 'an AbortSignal', o.signal);
}

export function checkJobOptions(o: JobOptions): void {
  checkCancelOptions(o);
  if (o.chunkSize !== undefined && typeof o.chunkSize !== 'number') invalidType('options.chunkSize', 'a positive integer', o.chunkSize);
  if (o.chunkSize !== undefined && (!Number.isInteger(o.chunkSize) || o.chunkSize < 1)) invalidValue('options.chunkSize', 'a positive integer', o.chunkSize);
  if (o.onProgress !== undefined && typeof o.onProgress !== 'function') invalidType('options.onProgress', 'a function', o.onProgress);
  const inline = (o as MapOptions).inline;
  if (inline !== undefined && typeof inline !== 'boolean') invalidType('options.inline', 'a boolean', inline);
}

/** A positive integer option of Pool.start, or its default. */
export function intOption(value: unknown, name: string, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') invalidType(name, `an integer in [1, ${max}]`, value);
  if (!Number.isInteger(value) || value < 1 || value > max) invalidValue(name, `an integer in [1, ${max}]`, value);
  return value;
}

/** A positive number of milliseconds, or its default. */
export function msOption(value: unknown, name: string, fallback: number, allowZero = false): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number') invalidType(name, 'a positive number of milliseconds', value);
  if (!(value > 0 || (allowZero && value === 0))) invalidValue(name, 'a positive number of milliseconds', value);
  return value;
}

/** mapChunks' output shape: `outShape` or `out`'s shape, whose leading axis must be the inputs' rows. */
export function chunkOutShape(shape: readonly number[], options: MapChunksOptions): readonly number[] {
  let outShape: readonly number[] = shape;
  if (options.outShape !== undefined) {
    const s = options.outShape;
    if (!Array.isArray(s) || s.some((d) => !Number.isInteger(d) || d < 0)) invalidType('options.outShape', 'an array of non-negative integers', s);
    outShape = s;
  } else if (options.out instanceof NDArray) outShape = options.out.shape;
  if (shape.length === 0 && outShape.length === 0) return outShape;
  if (outShape[0] !== (shape[0] ?? 1) || (outShape.length === 0) !== (shape.length === 0)) {
    throw new NdshareError(
      `mapChunks: the output's leading axis must be the inputs' rows (${shape[0] ?? 1}), but the output shape is (${outShape.join(', ')})`,
      { code: codes.SHAPE_MISMATCH },
    );
  }
  return outShape;
}

export function contiguous(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= Math.max(shape[i]!, 1);
  }
  return s;
}
