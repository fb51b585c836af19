/**
 * What both worker runtimes share: the runtime interface, the worker entry,
 * and readiness/exit from an event emitter (a leaf of the runtime folder).
 *
 * @module
 */
import type { EventEmitter } from 'node:events';

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

/** Source mode (running the .ts files under tsx, in tests): workers need the same loader. */
export const SOURCE_MODE = import.meta.url.endsWith('.ts');
/** The worker entry, the same file for both runtimes. */
export const ENTRY = new URL(SOURCE_MODE ? '../worker.ts' : '../worker.js', import.meta.url);

/** The worker's readiness (its first message) and its exit, from a ChildProcess or a Worker. */
export function readyAndExit(emitter: EventEmitter): { ready: Promise<void>; exited: Promise<ExitInfo> } {
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
