/**
 * A worker thread (worker_threads) running the same worker entry; it opens
 * the store through /proc instead of an inherited fd.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerBoot } from '../worker-boot.js';
import { ENTRY, readyAndExit, SOURCE_MODE, type WorkerRuntime } from './common.js';

/** tsx's ESM loader API, for worker threads in source mode (they do not inherit --import). */
function tsxEsmApi(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return new URL(pkg.exports['./esm/api']!.import.default, pathToFileURL(pkgPath)).href;
}

export function spawnThread(boot: Omit<WorkerBoot, 'fd'>): WorkerRuntime {
  const workerData: WorkerBoot = { ...boot, fd: undefined };
  const worker = SOURCE_MODE
    ? new Worker(`import(${JSON.stringify(tsxEsmApi())}).then(({ register }) => { register(); return import(${JSON.stringify(ENTRY.href)}); })`, {
        eval: true,
        workerData,
      })
    : new Worker(ENTRY, { workerData });
  const { ready, exited } = readyAndExit(worker);
  return {
    backend: 'thread',
    id: worker.threadId,
    ready,
    exited,
    ref: () => worker.ref(),
    unref: () => worker.unref(),
    kill: () => void worker.terminate(),
  };
}
