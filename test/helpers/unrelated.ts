/**
 * Unrelated processes for cross-process tests: started by a shell script in
 * their own session (setsid, backgrounded), so they are not our children; they
 * talk through a file of JSON lines. Killed by pid at the end.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Unrelated {
  pid: number;
  /** The `n`-th JSON line (0-based) it wrote; rejects after `ms`. */
  line<T = Record<string, unknown>>(n: number, ms?: number): Promise<T>;
  /** SIGKILL (if alive) and cleanup. */
  kill(): void;
}

/** Runs `test/fixtures/<fixture> <mode> '<json args>'` through `sh`, detached from this process. */
export function startUnrelated(fixture: string, mode: string, args: unknown): Unrelated {
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-unrelated-'));
  const file = fileURLToPath(new URL(`../fixtures/${fixture}`, import.meta.url));
  const out = join(dir, 'out.jsonl');
  const script = join(dir, 'start.sh');
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  writeFileSync(
    script,
    `#!/bin/sh\nsetsid ${q(process.execPath)} --import tsx ${q(file)} ${q(mode)} ${q(JSON.stringify(args))} > ${q(out)} 2>&1 < /dev/null &\necho $!\n`,
  );
  const pid = Number(
    execFileSync('sh', [script], { cwd: fileURLToPath(new URL('../..', import.meta.url)) })
      .toString()
      .trim(),
  );
  return {
    pid,
    async line<T>(n: number, ms = 20_000): Promise<T> {
      const until = Date.now() + ms;
      for (;;) {
        let text = '';
        try {
          text = readFileSync(out, 'utf8');
        } catch {
          // not created yet
        }
        const lines = text.split('\n').filter((l) => l.startsWith('{'));
        if (lines.length > n) return JSON.parse(lines[n]!) as T;
        if (Date.now() > until) throw new Error(`unrelated ${mode}: no line ${n} within ${ms} ms; output: ${text}`);
        await new Promise((r) => setTimeout(r, 20));
      }
    },
    kill() {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
