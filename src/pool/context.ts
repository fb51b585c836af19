/**
 * `nd.workerContext()`: inside a pool worker, the task's store (and so the
 * named weights in it). Kept on globalThis under a registered symbol, so that
 * a task module importing ndshare through another path (the package name,
 * dist/ or src/) still finds it.
 *
 * @module
 */
import { codes, NdshareError } from '../errors.js';
import type { Store } from '../store/store.js';
import { kWorkerContext } from '../symbols.js';

/** What a task running in a pool worker can reach. */
export interface WorkerContext {
  /** The pool's store, attached in this worker: `store.get('weights')`. */
  readonly store: Store;
  /** This worker's slot in the pool (0-based). */
  readonly workerIndex: number;
}

/** @internal Set by the worker entry. */
export function setWorkerContext(ctx: WorkerContext): void {
  (globalThis as Record<symbol, unknown>)[kWorkerContext] = Object.freeze(ctx);
}

/**
 * The context of the pool worker this code runs in.
 * @throws {NdshareError} ERR_NDSHARE_UNSUPPORTED outside a pool worker.
 * @example export function infer(x) { const w = nd.workerContext().store.get('w'); … }
 */
export function workerContext(): WorkerContext {
  const ctx = (globalThis as Record<symbol, unknown>)[kWorkerContext] as WorkerContext | undefined;
  if (!ctx) throw new NdshareError('workerContext() is only available inside a pool worker', { code: codes.UNSUPPORTED });
  return ctx;
}
