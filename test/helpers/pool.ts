/** Pool test utilities: bounded waits and a pool that is always stopped. */
import * as nd from '../../src/index.js';

/** Bounded: rejects after `ms` if `p` has not settled. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms} ms`)), ms);
  });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** Starts a 2-worker pool, runs `fn`, and always stops the pool (close, or destroy if close hangs). */
export async function withPool<T>(backend: nd.Backend, fn: (pool: nd.Pool) => Promise<T>, options: nd.PoolOptions = {}): Promise<T> {
  const pool = await within(nd.Pool.start({ workers: 2, backend, ...options }), 60_000, `${backend} pool start`);
  try {
    // A hung pool fails the test and is destroyed below, instead of stalling the file.
    return await within(fn(pool), 100_000, `${backend} test body`);
  } finally {
    await within(pool.close(), 15_000, 'close').catch(() => within(pool.destroy(), 15_000, 'destroy'));
  }
}

/** Releases the results that live in the store (a small map result comes back as a local array: nothing to release). */
export function releaseResults(store: nd.Store, ...xs: nd.NDArray[]): void {
  for (const x of xs) if (store.idOf(x) !== undefined) store.release(x);
}
