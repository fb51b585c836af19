/**
 * Unrelated processes for cross-process tests: started through
 * test/fixtures/detach.sh (a shell that exits at once, so the test is not
 * their parent), read through the file their output goes to, stopped by pid.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const DETACH = fileURLToPath(new URL('../fixtures/detach.sh', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A process started by {@link startDetached}. */
export interface Detached {
  pid: number;
  out: string;
  /** The first JSON line (after those already taken) for which `pred` holds; rejects after `ms`. */
  line<T = Record<string, unknown>>(pred?: (o: Record<string, unknown>) => boolean, ms?: number): Promise<T>;
  /** Everything printed so far. */
  text(): string;
}

const started = new Set<number>();
const logDir = mkdtempSync(join(tmpdir(), 'ndshare-detached-'));
// The logs are kept only when the test file failed (where to look is then printed).
process.on('exit', (code) => {
  if (code === 0 && !process.exitCode) rmSync(logDir, { recursive: true, force: true });
  else process.stderr.write(`detached processes' output: ${logDir}\n`);
});
let count = 0;

/** True while `pid` exists (and is not a zombie of ours: these never are). */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Starts `node [--import tsx] args…` through the shell script, with this process's env plus `env`. */
export function startDetached(args: string[], env: Record<string, string> = {}, tsx = true): Detached {
  const out = join(logDir, `p${++count}.log`);
  const node = [process.execPath, ...(tsx ? ['--import', 'tsx'] : []), ...args];
  const pid = Number(
    execFileSync('sh', [DETACH, out, ...node], { cwd: ROOT, env: { ...process.env, ...env } })
      .toString()
      .trim(),
  );
  started.add(pid);
  let taken = 0;
  const text = (): string => (existsSync(out) ? readFileSync(out, 'utf8') : '');
  return {
    pid,
    out,
    text,
    async line<T>(pred: (o: Record<string, unknown>) => boolean = () => true, ms = 60_000): Promise<T> {
      const deadline = Date.now() + ms;
      for (;;) {
        const lines = text()
          .split('\n')
          .filter((l) => l.startsWith('{'));
        for (let i = taken; i < lines.length; i++) {
          const o = JSON.parse(lines[i]!) as Record<string, unknown>;
          if (pred(o)) {
            taken = i + 1;
            return o as T;
          }
        }
        if (Date.now() > deadline) throw new Error(`pid ${pid}: no matching line within ${ms} ms; output:\n${text()}`);
        await sleep(50);
      }
    },
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Waits (bounded) until `pid` has exited. */
export async function exited(pid: number, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (alive(pid)) {
    if (Date.now() > deadline) throw new Error(`pid ${pid} still alive after ${ms} ms`);
    await sleep(25);
  }
}

/** Sends `signal` to a process we started and waits for it to exit. */
export async function stop(pid: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!started.has(pid)) throw new Error(`not ours: ${pid}`);
  if (alive(pid)) process.kill(pid, signal);
  await exited(pid);
}

/** SIGKILLs whatever we started that is still alive (test teardown). */
export async function stopAll(): Promise<void> {
  for (const pid of started) if (alive(pid)) process.kill(pid, 'SIGKILL');
  for (const pid of started) await exited(pid).catch(() => undefined);
}
