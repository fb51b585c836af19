/**
 * The lifetime loops (test/43, test/44): a real process runs a user's loop of
 * results it never releases, in the default store, without --expose-gc.
 */
import test from 'tape';
import { spawnChild } from './child.js';

/** Iterations (1000 unless NDSHARE_LIFETIME_ITERS says otherwise, e.g. for a quick local run). */
export const ITERS = Number(process.env.NDSHARE_LIFETIME_ITERS ?? 1000);

interface LoopResult {
  ok: boolean;
  last: number;
  peakUsed: number;
  used: number;
  capacity: number;
  ms: number;
}

/** Registers the test of one loop: 'map' (nd.parallelMap) or 'run' (pool.run returning arrays). */
export function loop(mode: 'map' | 'run'): void {
  test(`${ITERS} x ${mode === 'map' ? 'nd.parallelMap' : 'pool.run'} over 80 MB with no release runs in the default 2 GiB store`, async (t) => {
    const child = spawnChild('lifetime-loop.ts', mode, String(ITERS));
    // Progress lines every 100 iterations, then the result; all within the runner's 300 s per file.
    const deadline = Date.now() + 290_000;
    let r: LoopResult & { progress?: number };
    let last = '';
    for (;;) {
      try {
        r = await child.next<LoopResult & { progress?: number }>(Math.max(1, deadline - Date.now()));
      } catch (e) {
        t.fail(`the loop did not finish in time (${last || 'no progress line'}): ${(e as Error).message}`);
        child.proc.kill('SIGKILL');
        return;
      }
      if (r.progress === undefined) break;
      last = `${r.progress} iterations in ${r.ms} ms, peak use ${(r.peakUsed / 2 ** 20).toFixed(0)} MiB`;
    }
    t.true(r.ok);
    t.equal(r.last, 2, 'the last result is right');
    t.equal(r.capacity, 2 ** 31, 'the default store');
    t.ok(r.peakUsed < r.capacity / 2, `peak use ${(r.peakUsed / 2 ** 20).toFixed(0)} MiB of ${r.capacity / 2 ** 20} MiB (${r.ms} ms)`);
    t.equal((await child.exited).code, 0);
  });
}
