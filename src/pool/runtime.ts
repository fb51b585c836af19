/**
 * Worker runtimes behind one interface: a process (child_process.fork, the
 * store's fd inherited at spawn) or a thread (worker_threads). The worker
 * code is the same (worker.ts); only starting, watching and killing differ.
 *
 * @module
 */
import { fork, type ChildProcess } from 'node:child_process';
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { WorkerBoot } from './worker.js';

export type Backend = 'process' | 'thread';

export interface ExitInfo {
  code: number | null;
  signal: string | null;
}

/** A started worker, whatever it runs in. */
export interface WorkerRuntime {
  readonly backend: Backend;
  /** pid (process) or threadId (thread). */
  readonly id: number;
  /** Resolves once the worker attached to the store and waits for tasks; rejects if it exits first. */
  readonly ready: Promise<void>;
  /** Resolves when it has exited, for whatever reason. */
  readonly exited: Promise<ExitInfo>;
  /** Keep the owner's event loop alive while it works; let it exit while idle. */
  ref(): void;
  unref(): void;
  /** SIGKILL (process) or terminate (thread). */
  kill(): void;
}

// Source mode (running the .ts files under tsx, in tests): workers need the same loader.
const SOURCE_MODE = import.meta.url.endsWith('.ts');
const ENTRY = new URL(SOURCE_MODE ? './worker.ts' : './worker.js', import.meta.url);

/** The worker's readiness (its first message) and its exit, from a ChildProcess or a Worker. */
function readyAndExit(emitter: EventEmitter): { ready: Promise<void>; exited: Promise<ExitInfo> } {
  const exited = new Promise<ExitInfo>((resolve) =>
    emitter.on('exit', (code: number | null, signal?: string | null) => resolve({ code, signal: signal ?? null })),
  );
  const ready = new Promise<void>((resolve, reject) => {
    emitter.on('message', (m: { ready?: boolean }) => {
      if (m?.ready) resolve();
    });
    emitter.on('error', (e: Error) => reject(e));
    void exited.then((x) => reject(new Error(`the worker exited during startup (code ${x.code}, signal ${x.signal})`)));
  });
  ready.catch(() => {}); // observed by Pool.start; never an unhandled rejection here
  return { ready, exited };
}

/** A worker process. The store's fd is passed as fd 4 (3 is the IPC channel). */
export function spawnProcess(boot: Omit<WorkerBoot, 'fd'>, storeFd: number): WorkerRuntime {
  const execArgv = [...process.execArgv];
  if (SOURCE_MODE && !execArgv.some((a) => a.includes('tsx'))) execArgv.push('--import', 'tsx');
  const child: ChildProcess = fork(fileURLToPath(ENTRY), [], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc', storeFd],
    env: { ...process.env, NDSHARE_WORKER: JSON.stringify({ ...boot, fd: 4 }) },
    execArgv,
    serialization: 'advanced',
  });
  const { ready, exited } = readyAndExit(child);
  return {
    backend: 'process',
    id: child.pid ?? -1,
    ready,
    exited,
    ref: () => {
      child.ref();
      (child.channel as { ref?: () => void } | undefined)?.ref?.();
    },
    unref: () => {
      child.unref();
      (child.channel as { unref?: () => void } | undefined)?.unref?.();
    },
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}

/** tsx's ESM loader API, for worker threads in source mode (they do not inherit --import). */
function tsxEsmApi(): string {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return new URL(pkg.exports['./esm/api']!.import.default, pathToFileURL(pkgPath)).href;
}

/** A worker thread. */
export function spawnThread(boot: Omit<WorkerBoot, 'fd'>): WorkerRuntime {
  const workerData: WorkerBoot = { ...boot, fd: undefined };
  const worker = SOURCE_MODE
    ? new Worker(
        `import(${JSON.stringify(tsxEsmApi())}).then(({ register }) => { register(); return import(${JSON.stringify(ENTRY.href)}); })`,
        { eval: true, workerData },
      )
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
