/**
 * CPU placement for the benchmarks that measure wake-ups between processes
 * (the same helpers as bench/cases/store-handoff.ts, for the pool cases). On
 * this VM a futex wake-up that must reach the other, idle vCPU costs tens of
 * µs and one on the same CPU a few, and a spinning waiter sharing a CPU with
 * the thread it waits for wastes its spin: pinned runs show the modes apart.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** Whether pinning works here (taskset present, ≥ 2 CPUs), and why not. */
export const pinning: { ok: true } | { ok: false; why: string } = (() => {
  if (os.cpus().length < 2) return { ok: false, why: 'needs 2 CPUs' };
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return { ok: true };
  } catch (e) {
    return { ok: false, why: `taskset is not usable: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
})();

/** The CPU list a process may run on (`taskset -p -c`). */
export function affinityOf(pid: number): string {
  const out = execFileSync('taskset', ['-p', '-c', String(pid)], { encoding: 'utf8' });
  return out.slice(out.lastIndexOf(':') + 1).trim();
}

/** Pins every thread of `pid` to `cpus` (`taskset -a -p -c`). */
export function setAffinity(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}
