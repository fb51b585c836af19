/**
 * The other side of the cross-process and cross-thread benchmark cases:
 * starting it, talking to it, and making sure it always goes away.
 *
 * No orphans, whatever happens:
 *  - every child process and worker started here is tracked, and a
 *    `process.on('exit')` hook SIGKILLs the processes still alive (it runs on
 *    a normal exit, on `process.exit`, and after an uncaught exception);
 *  - when the case process is SIGKILLed (the orchestrator's timeout), no hook
 *    runs: the children notice on their own (`bench/peers/handoff-child.ts`:
 *    the IPC channel closes, or `process.ppid` changes) and exit within
 *    ~1 s; worker threads die with their process.
 *
 * Children's stdout is ignored and their stderr is piped here and passed on,
 * so no child holds the orchestrator's pipes open after the case is gone.
 *
 * @module
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The child process entry (TypeScript, run through tsx). */
export const HANDOFF_CHILD = fileURLToPath(new URL('./handoff-child.ts', import.meta.url));

const NODE_ARGS = ['--import', 'tsx'];

const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const c of live) c.kill('SIGKILL'); // these children only, by their handles
});

/** Adds a child to the ones SIGKILLed at exit; returns the function that removes it. */
export function adopt(child: ChildProcess): () => void {
  live.add(child);
  return () => live.delete(child);
}

/** Tracks a child so it is SIGKILLed at exit; resolves with its exit. */
export function track(child: ChildProcess, tag: string): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  live.add(child);
  child.stderr?.setEncoding('utf8').on('data', (s: string) => process.stderr.write(`[${tag}] ${s}`));
  return new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
  });
}

/** Waits for `p` up to `ms`; rejects with `what` after that. */
export function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Ends a child: waits up to `ms` for it to exit by itself, then SIGKILLs it. */
export async function reap(child: ChildProcess, exited: Promise<unknown>, ms = 5000): Promise<void> {
  try {
    await within(exited, ms, 'child exit');
  } catch {
    child.kill('SIGKILL');
    await exited;
  }
}

/** A child in `ndshare` mode: the store's fd inherited as fd 3. */
export interface StoreChild {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits for it to exit (after the Exit command), killing it after 5 s. */
  close(): Promise<void>;
}

/** Spawns handoff-child.ts in `ndshare` mode, with `storeFd` as its fd 3. */
export function spawnStoreChild(storeFd: number, args: { handle: unknown; control: string }): StoreChild {
  const child = spawn(process.execPath, [...NODE_ARGS, HANDOFF_CHILD, 'ndshare', JSON.stringify({ ...args, parentPid: process.pid })], {
    stdio: ['ignore', 'ignore', 'pipe', storeFd],
  });
  const exited = track(child, 'ndshare child');
  return { child, exited, close: () => reap(child, exited) };
}

/** A reply of the IPC child or the worker. */
export interface Reply {
  i: number;
  sum: number;
  /** worker-transfer: the array, transferred back. */
  x?: Float64Array;
}

/** One request at a time to a child process or worker, answered by one message. */
export interface Peer {
  /** Sends `msg` (transferring `transfer`) and resolves with the reply. */
  request(msg: unknown, transfer?: ArrayBuffer[]): Promise<Reply>;
  /** Makes it exit and waits (kills it after 5 s). */
  close(): Promise<void>;
}

/**
 * A single-outstanding-request channel: `request` sets the resolver, the
 * message handler takes it, an exit or error rejects it.
 */
function channel(tag: string) {
  let pending: { resolve: (r: Reply) => void; reject: (e: Error) => void } | undefined;
  return {
    wait(send: () => void): Promise<Reply> {
      if (pending) return Promise.reject(new Error(`${tag}: a request is already pending`));
      return new Promise<Reply>((resolve, reject) => {
        pending = { resolve, reject };
        send();
      });
    },
    onMessage(m: Reply): void {
      const p = pending;
      pending = undefined;
      p?.resolve(m);
    },
    onFailure(e: Error): void {
      const p = pending;
      pending = undefined;
      p?.reject(e);
    },
  };
}

/**
 * Forks handoff-child.ts in `ipc` mode with `serialization` ('json' or
 * 'advanced') and resolves once it has said it is ready.
 */
export async function forkIpcChild(serialization: 'json' | 'advanced'): Promise<Peer> {
  const tag = `ipc-${serialization} child`;
  const child = fork(HANDOFF_CHILD, ['ipc', String(process.pid)], {
    serialization,
    execArgv: NODE_ARGS,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const exited = track(child, tag);
  const ch = channel(tag);
  void exited.then(({ code, signal }) => ch.onFailure(new Error(`${tag} exited (${signal ?? code})`)));
  const ready = new Promise<void>((resolve) => child.once('message', () => resolve()));
  await within(Promise.race([ready, exited.then(() => Promise.reject(new Error(`${tag} exited before it was ready`)))]), 30_000, `${tag} start`);
  child.on('message', (m: Reply) => ch.onMessage(m));
  return {
    request: (msg) => ch.wait(() => child.send(msg as object)),
    async close() {
      if (child.connected) child.disconnect(); // the child exits on 'disconnect'
      await reap(child, exited);
    },
  };
}

/**
 * The worker's code (plain JS, run with `eval`: workers do not run the
 * process's `--import tsx` hook, and this needs nothing from ndshare). It
 * reads the first and last element and replies; with `transfer` set it
 * transfers the array's buffer back, so the parent can send it again.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  const x = m.x;
  const sum = x[0] + x[x.length - 1];
  if (m.transfer) parentPort.postMessage({ i: m.i, sum, x }, [x.buffer]);
  else parentPort.postMessage({ i: m.i, sum });
});
parentPort.postMessage({ ready: true });
`;

/** Starts a worker thread that answers `{i, x, transfer?}` with `{i, sum[, x]}`. */
export async function startWorker(): Promise<Peer> {
  const worker = new Worker(WORKER_SOURCE, { eval: true });
  const ch = channel('worker');
  const failed = new Promise<never>((_, reject) => {
    worker.on('error', (e) => {
      ch.onFailure(e);
      reject(e);
    });
    worker.on('exit', (code) => {
      const e = new Error(`worker exited (${code})`);
      ch.onFailure(e);
      reject(e);
    });
  });
  failed.catch(() => {}); // observed through the channel or the start race below
  await within(Promise.race([new Promise((resolve) => worker.once('message', resolve)), failed]), 30_000, 'worker start');
  worker.on('message', (m: Reply) => ch.onMessage(m));
  return {
    request: (msg, transfer) => ch.wait(() => worker.postMessage(msg, transfer ?? [])),
    async close() {
      await worker.terminate();
    },
  };
}
