// Every task-facing promise of the pool settles, whatever the worker does:
// an aborted or timed-out job or task rejects at once (an AbortError, or
// ERR_NDSHARE_TIMEOUT), a worker stuck inside it is killed and replaced after
// the grace period and the pool keeps serving; close() with a deadline and
// destroy() always settle, on an idle pool too (in a child process, where
// nothing else keeps the event loop alive); an error too large for the
// mailbox arrives truncated and the worker survives. Real worker processes
// and threads throughout.
import test from 'tape';
import * as nd from '../src/index.js';
import { codes, NdshareError } from '../src/index.js';
import { kill9, spawnChild } from './helpers/child.js';
import { alive, BACKENDS, ids, rejection, releaseResults, sleep, slowJob, TASKS, waitFor, within, withPool, type Coded } from './helpers/pool.js';

const TEST_MS = 120_000;
const GRACE = 300;

function isAbortError(t: test.Test, e: Coded, label: string, reason?: unknown): void {
  t.ok(e instanceof nd.AbortError && e instanceof NdshareError, `${label}: an AbortError, an NdshareError`);
  t.equal(e.name, 'AbortError', `${label}: name === 'AbortError'`);
  t.equal(e.code, codes.ABORTED, `${label}: code ${codes.ABORTED}`);
  if (reason !== undefined) t.equal(e.cause, reason, `${label}: the signal's reason is the cause`);
}

test('an aborted job whose worker is stuck in a chunk: rejects at once, the worker is replaced after the grace, the pool serves on, close() settles', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    const pool = await nd.Pool.start({ workers: 2, backend, cancelGrace: GRACE });
    try {
      const before = ids(pool);
      const ac = new AbortController();
      const reason = new Error('user went away');
      const job = slowJob(pool, 2, 60_000, { signal: ac.signal });
      await sleep(300);
      const started = Date.now();
      ac.abort(reason);
      const e = await rejection(t, 'aborted job', job, 5000);
      t.ok(Date.now() - started < 200, `${backend}: rejected ${Date.now() - started} ms after abort()`);
      isAbortError(t, e, `${backend} job`, reason);
      t.ok(await waitFor(() => ids(pool).every((id, i) => id !== before[i]), 10_000), `both stuck workers replaced (${before} -> ${ids(pool)})`);
      if (backend === 'process') t.ok(await waitFor(() => before.every((pid) => !alive(pid)), 5000), 'the stuck processes are gone');
      const y = await within(
        pool.map(nd.arange(100), (v: number) => v * 2),
        20_000,
        'map after abort',
      );
      t.equal(y.get(99), 198, 'later jobs run');
      releaseResults(pool.store, y);
      await within(pool.close(), 20_000, 'close');
      t.pass('close() settles');
    } finally {
      await within(pool.destroy(), 15_000, 'destroy');
    }
  }
});

test('pool.run takes signal and timeout: queued work leaves the queue, running work rejects at once and its stuck worker is replaced', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(
      backend,
      async (pool) => {
        // Already aborted: rejects without running.
        const early = AbortSignal.abort('early');
        isAbortError(
          t,
          await rejection(t, 'already aborted', pool.run({ module: TASKS, name: 'noop', signal: early })),
          `${backend}: already aborted`,
          'early',
        );

        // Two workers busy for a while, a third task queued, then aborted while queued.
        const busy = [pool.run(TASKS, 'sleep', 600), pool.run(TASKS, 'sleep', 600)];
        const ac = new AbortController();
        const queued = pool.run({ module: TASKS, name: 'whoami', signal: ac.signal });
        await sleep(50);
        t.equal(pool.stats().queued, 1, 'one task queued');
        ac.abort();
        isAbortError(t, await rejection(t, 'aborted while queued', queued, 1000), 'aborted while queued');
        t.equal(pool.stats().queued, 0, 'it left the queue');
        t.deepEqual(await Promise.all(busy), [600, 600], 'running tasks finish');

        // A task stuck in the worker: aborted, rejects at once, worker replaced after the grace.
        let before = ids(pool);
        const ac2 = new AbortController();
        const stuck = pool.run({ module: TASKS, name: 'spin', args: [60_000], signal: ac2.signal });
        await sleep(200);
        const t0 = Date.now();
        ac2.abort();
        isAbortError(t, await rejection(t, 'aborted while running', stuck, 2000), 'aborted while running');
        t.ok(Date.now() - t0 < 200, `rejected ${Date.now() - t0} ms after abort()`);
        t.ok(await waitFor(() => ids(pool).some((id, i) => id !== before[i]), 10_000), `the stuck worker was replaced (${before} -> ${ids(pool)})`);

        // timeout, module and inline forms.
        before = ids(pool);
        const t1 = Date.now();
        const e = await rejection(t, 'timeout', pool.run({ module: TASKS, name: 'spin', args: [60_000], timeout: 200 }));
        t.ok(e instanceof NdshareError && e.code === codes.TIMEOUT, `timeout: ${e.code}: ${e.message}`);
        t.ok(Date.now() - t1 < 1000, `rejected after ${Date.now() - t1} ms`);
        const e2 = await rejection(
          t,
          'inline timeout',
          pool.run({
            fn: () => {
              for (;;);
            },
            timeout: 150,
          }),
        );
        t.equal(e2.code, codes.TIMEOUT, 'an inline function that never returns times out');
        t.ok(await waitFor(() => pool.stats().workers.every((w) => !w.busy), 10_000), 'both stuck workers were replaced');
        t.notDeepEqual(ids(pool), before, 'with new workers');
        // Generous: the replacements may still be starting (a thread loads the library again).
        t.equal(await pool.run({ module: TASKS, name: 'sleep', args: [5], timeout: 60_000 }), 5, 'a task that finishes in time resolves');
        t.deepEqual(await Promise.all([1, 2, 3, 4].map((i) => pool.run(TASKS, 'sleep', i))), [1, 2, 3, 4], 'the pool serves on');
      },
      { cancelGrace: GRACE },
    );
  }
});

test('close({timeout}) settles past a task that never ends; destroy() settles with work running', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    const pool = await nd.Pool.start({ workers: 2, backend });
    try {
      const stuck = pool.run(TASKS, 'spin', 60_000).catch((e: Coded) => e);
      // Handled at once: on a loaded machine it might still be running at the deadline.
      const fine = pool.run(TASKS, 'sleep', 50).catch((e: Coded) => e);
      await sleep(100);
      const t0 = Date.now();
      await within(pool.close({ timeout: 3000 }), 15_000, 'close with a deadline');
      t.ok(Date.now() - t0 < 8000, `${backend}: close({timeout: 3000}) settled after ${Date.now() - t0} ms`);
      t.equal(await fine, 50, 'the task that could finish did');
      const e = (await stuck) as Coded;
      t.equal(e.code, codes.WORKER_EXITED, `the endless task rejects: ${e.code}`);
      t.ok(pool.closed, 'closed');
    } finally {
      await within(pool.destroy(), 15_000, 'destroy');
    }
  }
});

test('destroy() and close() on an idle pool resume the caller (a child process with nothing else to do)', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    for (let run = 0; run < 3; run++) {
      const child = spawnChild('pool-parent.ts', 'idle-destroy', { backend, workers: 2 });
      try {
        const a = await child.next<{ resumed: string }>(60_000);
        const b = await child.next<{ resumed: string }>(60_000);
        t.deepEqual([a.resumed, b.resumed], ['destroy', 'close'], `${backend} run ${run}: await destroy() and await close() returned`);
        const exit = await within(child.exited, 10_000, 'exit');
        t.equal(exit.code, 0, `exited 0 ${child.stderr()}`);
      } finally {
        if (child.proc.exitCode === null && child.proc.signalCode === null) await kill9(child);
      }
    }
  }
});

test('an error larger than the mailbox arrives truncated with a note; the worker survives', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const before = ids(pool);
      const e = await rejection(t, 'huge error', pool.run(TASKS, 'throwHuge', 400_000));
      t.ok(e.message.startsWith('huge:xxxx'), `${backend}: the message's start arrives`);
      t.match(e.message, /truncated by the pool/, 'with a note');
      t.ok(e.message.length < 100_000, `cut to ${e.message.length} characters`);
      t.notEqual(e.code, codes.WORKER_EXITED, 'not a dead worker');
      t.deepEqual(ids(pool), before, 'the same workers');
      const m = await rejection(
        t,
        'huge error from map',
        pool.map(nd.arange(10), (v: number) => {
          if (v === 3) throw new RangeError('z'.repeat(300_000));
          return v;
        }),
      );
      t.ok(m instanceof RangeError && /truncated/.test(m.message), 'an element function too: class kept, message truncated');
      t.equal(await pool.run(TASKS, 'sleep', 1), 1, 'the pool carries on');
    });
  }
});
