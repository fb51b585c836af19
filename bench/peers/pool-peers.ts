/**
 * The other side of the pool benchmarks (bench/cases/pool-map.ts and
 * pool-dispatch.ts): child processes forked with `child_process.fork`
 * (`pool-child.mjs`), the Python server (`bench/numpy/pool_map.py`), and a
 * piscina pool, each started, talked to and always stopped.
 *
 * No orphans, whatever happens: every child process started here is tracked
 * and SIGKILLed (by its handle) by a `process.on('exit')` hook; if the case
 * process is SIGKILLed, `pool-child.mjs` sees its IPC channel close and the
 * Python server and its workers die by PR_SET_PDEATHSIG.
 *
 * @module
 */
import { fork, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { adopt, reap, track, within } from './children.js';

export { within };

const POOL_CHILD = fileURLToPath(new URL('./pool-child.mjs', import.meta.url));
const PISCINA_WORKER = new URL('./piscina-worker.mjs', import.meta.url).href;
const POOL_MAP_PY = fileURLToPath(new URL('../numpy/pool_map.py', import.meta.url));

/** A forked `pool-child.mjs`: one request at a time, answered by one message. */
export interface PoolChild {
  pid: number;
  /** Sends `msg` and resolves with the reply. */
  request<R>(msg: object): Promise<R>;
  /** Disconnects (the child exits) and waits; SIGKILL after 5 s. */
  close(): Promise<void>;
}

/**
 * Forks `pool-child.mjs` (plain JavaScript, no TypeScript loader) with the
 * given IPC serialization and resolves once it said it is ready.
 */
export async function forkPoolChild(serialization: 'json' | 'advanced'): Promise<PoolChild> {
  const tag = `pool-child (${serialization})`;
  const child = fork(POOL_CHILD, [String(process.pid)], { serialization, execArgv: [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
  const exited = track(child, tag);
  let pending: { resolve: (r: unknown) => void; reject: (e: Error) => void } | undefined;
  void exited.then(({ code, signal }) => {
    const p = pending;
    pending = undefined;
    p?.reject(new Error(`${tag} exited (${signal ?? code})`));
  });
  const ready = new Promise<void>((resolve) => child.once('message', () => resolve()));
  await within(Promise.race([ready, exited.then(() => Promise.reject(new Error(`${tag} exited before it was ready`)))]), 30_000, `${tag} start`);
  child.on('message', (m) => {
    const p = pending;
    pending = undefined;
    p?.resolve(m);
  });
  return {
    pid: child.pid!,
    request<R>(msg: object): Promise<R> {
      if (pending) return Promise.reject(new Error(`${tag}: a request is already pending`));
      return new Promise<R>((resolve, reject) => {
        pending = { resolve: (r) => resolve(r as R), reject };
        child.send(msg);
      });
    },
    async close() {
      if (child.connected) child.disconnect();
      await reap(child, exited);
    },
  };
}

/**
 * A piscina pool of `threads` threads over `piscina-worker.mjs`, started and
 * warm (every thread has loaded the worker module). Its threads get no
 * `execArgv` (the worker is plain JavaScript: no TypeScript loader to load).
 */
export async function startPiscina(threads: number): Promise<Piscina> {
  const pool = new Piscina({ filename: PISCINA_WORKER, minThreads: threads, maxThreads: threads, idleTimeout: Infinity, execArgv: [] });
  // Enough concurrent no-ops that every thread has started and run once.
  await Promise.all(Array.from({ length: threads * 4 }, () => pool.run(null, { name: 'noop' })));
  return pool;
}

/** The Python server of pool-map (bench/numpy/pool_map.py serve n). */
export interface PyServer {
  /** Segment names under /dev/shm. */
  x: string;
  out: string;
  python: string;
  numpy: string;
  /** Runs `impl` over the whole array and returns out[k] for each k, and the server's own time. */
  run(impl: string, k: number[]): Promise<{ v: number[]; ns: number }>;
  close(): Promise<void>;
}

/** The environment the orchestrator gives python: without the machine's OpenBLAS overrides. */
export function pythonEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  return env;
}

/**
 * Starts the Python server, or resolves with the reason it cannot run
 * (no python3, no numpy, …): the case then prints visible `skipped` rows.
 */
export async function startPython(n: number): Promise<PyServer | { unavailable: string }> {
  const child = spawn('python3', [POOL_MAP_PY, 'serve', String(n)], { env: pythonEnv(), stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
    process.stderr.write(`[pool_map.py] ${s}`);
  });
  const spawnError = new Promise<string>((resolve) => child.on('error', (e) => resolve(e.message)));
  const forget = adopt(child);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => {
      forget();
      resolve({ code, signal });
    }),
  );
  const lines = createInterface({ input: child.stdout });
  const queue: string[] = [];
  const waiters: ((line: string | undefined) => void)[] = [];
  let closed = false;
  lines.on('line', (l) => {
    const w = waiters.shift();
    if (w) w(l);
    else queue.push(l);
  });
  lines.on('close', () => {
    closed = true;
    for (const w of waiters.splice(0)) w(undefined);
  });
  const next = (): Promise<string | undefined> =>
    queue.length > 0 ? Promise.resolve(queue.shift()) : closed ? Promise.resolve(undefined) : new Promise((resolve) => waiters.push(resolve));

  const first = await within(Promise.race([next(), spawnError.then((m) => `error: ${m}`)]), 60_000, 'pool_map.py start');
  let hello: { ready?: boolean; x?: string; out?: string; python?: string; numpy?: string } | undefined;
  try {
    hello = first !== undefined && !first.startsWith('error: ') ? JSON.parse(first) : undefined;
  } catch {
    hello = undefined;
  }
  if (!hello?.ready) {
    child.kill('SIGKILL');
    const why = first?.startsWith('error: ')
      ? `python3 could not be started (${first.slice(7)})`
      : `python3 with numpy is not available (${stderr.trim().split('\n').at(-1) ?? 'no output'})`;
    return { unavailable: why };
  }
  return {
    x: hello.x!,
    out: hello.out!,
    python: hello.python!,
    numpy: hello.numpy!,
    async run(impl, k) {
      child.stdin.write(JSON.stringify({ cmd: 'run', impl, k }) + '\n');
      const line = await next();
      if (line === undefined) throw new Error(`pool_map.py exited while running ${impl} (see its stderr)`);
      return JSON.parse(line) as { v: number[]; ns: number };
    },
    async close() {
      if (child.exitCode === null) {
        child.stdin.write(JSON.stringify({ cmd: 'exit' }) + '\n');
        child.stdin.end();
      }
      await reap(child, exited, 10_000);
    },
  };
}

/**
 * Frees a pool result the caller holds: release its pin, then delete it if
 * it is still there. A never-sealed result used to stay in the store after
 * its last release (a leak, see bench/README.md); with the store freeing such
 * objects on their last release, the delete finds nothing, which is fine.
 */
export function freeResult(store: { idOf(x: never): string | undefined; release(x: never): void; delete(id: string): void }, y: unknown): void {
  const id = store.idOf(y as never);
  if (id === undefined) throw new Error('freeResult: not an array of this store');
  store.release(y as never);
  try {
    store.delete(id);
  } catch (e) {
    if ((e as { code?: unknown }).code !== 'ERR_NDSHARE_NOT_FOUND') throw e;
  }
}
