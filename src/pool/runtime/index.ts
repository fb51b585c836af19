/**
 * Worker runtimes behind one interface ({@link WorkerRuntime}, common.ts): a
 * process (process.ts: child_process.fork, the store's fd inherited at spawn)
 * or a thread (thread.ts: worker_threads). The worker code is the same
 * (pool/worker.ts); only starting, watching and killing differ.
 *
 * @module
 */
import type { WorkerBoot } from '../worker-boot.js';
import type { Backend, WorkerRuntime } from './common.js';
import { spawnProcess } from './process.js';
import { spawnThread } from './thread.js';

export type { Backend, ExitInfo, WorkerRuntime } from './common.js';

/** Starts a worker of `backend`. */
export function spawnWorker(backend: Backend, boot: Omit<WorkerBoot, 'fd'>, storeFd: number): WorkerRuntime {
  return backend === 'process' ? spawnProcess(boot, storeFd) : spawnThread(boot);
}
