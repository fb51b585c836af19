/**
 * Real child processes for cross-process tests: spawn a fixture with tsx,
 * read its JSON lines with a bounded wait, kill it, await its exit.
 */
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export interface Child {
  proc: ChildProcess;
  /** The next JSON line the child prints; rejects after `ms` or if it exits first. */
  next<T = Record<string, unknown>>(ms?: number): Promise<T>;
  /** Resolves with the exit code and signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

/** Spawns `test/fixtures/<fixture>` with `node --import tsx`, passing `mode` and JSON `args`. */
export function spawnChild(fixture: string, mode: string, args: unknown, extraFds: number[] = []): Child {
  const file = fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url));
  const stdio: StdioOptions = ['ignore', 'pipe', 'pipe', ...extraFds];
  const proc = spawn(process.execPath, ['--import', 'tsx', file, mode, JSON.stringify(args)], { stdio });
  let err = '';
  proc.stderr!.on('data', (c) => (err += c));
  const lines: string[] = [];
  const waiters: ((l: string | null) => void)[] = [];
  let ended = false;
  createInterface({ input: proc.stdout! })
    .on('line', (l) => {
      const w = waiters.shift();
      if (w) w(l);
      else lines.push(l);
    })
    .on('close', () => {
      ended = true;
      for (const w of waiters.splice(0)) w(null);
    });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    exited,
    stderr: () => err,
    next<T>(ms = 20_000): Promise<T> {
      const ready = lines.shift();
      if (ready !== undefined) return Promise.resolve(JSON.parse(ready) as T);
      if (ended) return Promise.reject(new Error(`child ${mode} ended without output: ${err}`));
      return new Promise<T>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child ${mode}: no output within ${ms} ms. stderr: ${err}`)), ms);
        waiters.push((l) => {
          clearTimeout(timer);
          if (l === null) reject(new Error(`child ${mode} ended without output: ${err}`));
          else resolve(JSON.parse(l) as T);
        });
      });
    },
  };
}

/** Kills with SIGKILL and waits for the exit (bounded). */
export async function kill9(child: Child): Promise<void> {
  child.proc.kill('SIGKILL');
  await Promise.race([child.exited, new Promise((r) => setTimeout(r, 10_000))]);
}
