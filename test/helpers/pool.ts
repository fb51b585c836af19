/** Pool test utilities: bounded waits, a pool that is always stopped, and the harness of the lifetime tests. */
import { readFileSync } from 'node:fs';
import type test from 'tape';
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

// ---- the harness of the pool's lifetime tests (test/51, test/52) ----

/** Both backends, each test runs on. */
export const BACKENDS: nd.Backend[] = ['process', 'thread'];
/** The task module the pool tests run (test/fixtures/pool-tasks.ts). */
export const TASKS = new URL('../fixtures/pool-tasks.ts', import.meta.url);

export type ErrorClass = abstract new (...args: never[]) => Error;
/** An error as the pool rejects with it (coded, maybe with the worker's exit). */
export type Coded = Error & { code?: string; exitCode?: number | null; signal?: string | null; cause?: unknown };

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** The error `p` rejects with (bounded), or a failure if it resolves. */
export async function rejection(t: test.Test, label: string, p: Promise<unknown>, ms = 30_000): Promise<Coded> {
  try {
    await within(p, ms, label);
  } catch (e) {
    return e as Coded;
  }
  t.fail(`${label}: did not reject`);
  return new Error('resolved') as Coded;
}

/** Asserts that `p` rejects with an error of class `cls` and `code` (and `message`, if given). */
export async function rejectsCoded(t: test.Test, label: string, p: Promise<unknown>, cls: ErrorClass, code: string, message?: RegExp): Promise<Coded> {
  const err = await rejection(t, label, p);
  t.ok(err instanceof cls && err.code === code, `${label}: ${err.name} ${err.code}: ${err.message}`);
  if (message) t.match(err.message, message, `${label}: message`);
  return err;
}

/** True while `pid` is a live process (a zombie counts as gone). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** Polls `cond` every 20 ms for up to `ms`; returns whether it held. */
export async function waitFor(cond: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) return false;
    await sleep(20);
  }
  return true;
}

/** The workers' pids (processes) or thread ids (threads). */
export const ids = (pool: nd.Pool): number[] => pool.stats().workers.map((w) => w.pid ?? w.threadId!);

/** A job of `chunks` rows, one chunk per row, each busy for `ms` in the worker (it cannot see a cancel flag meanwhile). */
export function slowJob(pool: nd.Pool, chunks: number, ms: number, options: nd.MapOptions = {}): Promise<nd.NDArray> {
  return pool.mapChunks(
    nd.zeros([chunks, 1]),
    (_ins, out, a: { ms: number }) => {
      const until = Date.now() + a.ms;
      while (Date.now() < until);
      out.fill(1);
    },
    { chunkSize: 1, args: { ms }, ...options },
  );
}

/** Releases the results that live in the store (a small map result comes back as a local array: nothing to release). */
export function releaseResults(store: nd.Store, ...xs: nd.NDArray[]): void {
  for (const x of xs) if (store.idOf(x) !== undefined) store.release(x);
}
