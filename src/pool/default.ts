/**
 * `nd.parallelMap` / `nd.parallelReduce`: the same as `pool.map` / `pool.reduce`
 * on a default pool started at first use. The default pool's workers are
 * unreferenced while idle, so it never keeps the process alive, and worker
 * processes die with it (PR_SET_PDEATHSIG).
 *
 * @module
 */
import type { Scalar } from '../ndarray/cast.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { ReduceOp } from './messages.js';
import { Pool, type CustomReduce, type MapOptions, type ReduceOptions } from './pool.js';
import { checkOptions } from '../validate.js';

let pending: Promise<Pool> | undefined;
let current: Pool | undefined;

/**
 * The default pool (started on first use, `os.availableParallelism()` worker
 * processes). If someone closed it, the next call starts a new one.
 */
export function defaultPool(): Promise<Pool> {
  if (current?.closed) {
    current = undefined;
    pending = undefined;
  }
  pending ??= Pool.start().then(
    (pool) => (current = pool),
    (e) => {
      pending = undefined;
      throw e;
    },
  );
  return pending;
}

/**
 * `pool.map` on the default pool.
 * @example const y = await nd.parallelMap(x, (v) => Math.exp(-v * v));
 */
export async function parallelMap(x: NDArray | NDArray[], fn: (...a: never[]) => unknown, options?: MapOptions): Promise<NDArray> {
  checkOptions(options, { fn: 'nd.parallelMap', known: ['out', 'dtype', 'args', 'chunkSize', 'onProgress', 'signal', 'timeout', 'inline'] });
  return (await defaultPool()).map(x, fn, options);
}

/**
 * `pool.reduce` on the default pool.
 * @example const total = await nd.parallelReduce(x, 'sum');
 */
export async function parallelReduce(x: NDArray, op: ReduceOp | CustomReduce, options?: ReduceOptions): Promise<Scalar | NDArray> {
  checkOptions(options, { fn: 'nd.parallelReduce', known: ['axis', 'args', 'chunkSize', 'onProgress', 'signal', 'timeout'] });
  return (await defaultPool()).reduce(x, op, options);
}
