// The pool's lifetime and failures, on worker processes and worker threads:
// abort, timeout, progress, errors rebuilt across the hop, workers that die
// (kill -9, process.exit) and are replaced, close() draining, destroy(), use
// after close, no orphan worker after kill -9 of the owner, an idle default
// pool that lets its process exit; and the dispatch latency of an empty task.
import test from 'tape';
import { availableParallelism } from 'node:os';
import * as nd from '../src/index.js';
import { codes, NdshareError, NdshareRangeError } from '../src/index.js';
import { kill9, spawnChild } from './helpers/child.js';
import { alive, BACKENDS, ids, rejectsCoded, rejection, sleep, slowJob, TASKS, waitFor, within, withPool, type Coded } from './helpers/pool.js';

const TEST_MS = 120_000;

// ---- abort, timeout, progress ------------------------------------------------------------

test('AbortSignal: an aborted job rejects with ERR_NDSHARE_ABORTED at once; the pool carries on', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const objects = pool.store.stats().objects;
      const early = AbortSignal.abort(new Error('no thanks'));
      const e0 = await rejectsCoded(
        t,
        `${backend}: already aborted (map)`,
        pool.map(nd.arange(10), (v: number) => v, { signal: early }),
        NdshareError,
        codes.ABORTED,
      );
      t.equal((e0.cause as Error)?.message, 'no thanks', 'the reason is the cause');
      await rejectsCoded(t, 'already aborted (reduce)', pool.reduce(nd.arange(10), 'sum', { signal: early }), NdshareError, codes.ABORTED);

      const ac = new AbortController();
      const started = Date.now();
      const job = slowJob(pool, 60, 50, { signal: ac.signal });
      setTimeout(() => ac.abort(), 200);
      await rejectsCoded(t, 'aborted while running', job, NdshareError, codes.ABORTED);
      const took = Date.now() - started;
      t.ok(took < 1000, `rejected ${took} ms after the start (abort at 200 ms; the whole job would take 1500 ms)`);
      t.ok(await waitFor(() => pool.stats().workers.every((w) => !w.busy), 5000), 'the workers stop at their next chunk');
      const ac2 = new AbortController();
      const r = pool.reduce(nd.arange(1000), { map: (v) => v, combine: (a, b) => a + b, init: 0 }, { signal: ac2.signal });
      t.equal(await r, 499500, 'a later job with a signal that never fires');
      t.equal(pool.store.stats().objects, objects, 'aborted jobs leave nothing in the store');
    });
  }
});

test('timeout: a job past its time rejects with ERR_NDSHARE_TIMEOUT; a worker stuck in a chunk is replaced', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      let started = Date.now();
      await rejectsCoded(t, `${backend}: many chunks`, slowJob(pool, 60, 50, { timeout: 200 }), NdshareError, codes.TIMEOUT, /200 ms/);
      t.ok(Date.now() - started < 1000, `rejected after ${Date.now() - started} ms`);
      t.ok(await waitFor(() => pool.stats().workers.every((w) => !w.busy), 5000), 'the workers stop at their next chunk');
      t.deepEqual(
        (await pool.map(nd.arange(4), (v: number) => v + 1, { timeout: Infinity })).toArray(),
        [1, 2, 3, 4],
        'timeout: Infinity means no timeout (setTimeout would fire at once)',
      );

      const before = ids(pool);
      started = Date.now();
      // One chunk that never ends in time: its worker cannot notice the cancel flag.
      await rejectsCoded(t, 'one endless chunk', slowJob(pool, 1, 30_000, { timeout: 200 }), NdshareError, codes.TIMEOUT);
      t.ok(Date.now() - started < 1000, `rejected after ${Date.now() - started} ms, while the chunk still runs`);
      const replaced = await waitFor(() => ids(pool).some((id, i) => id !== before[i]), 10_000);
      t.ok(replaced, `the stuck worker was stopped and replaced (${before.join(',')} -> ${ids(pool).join(',')})`);
      if (backend === 'process') {
        const gone = before.filter((id, i) => id !== ids(pool)[i]);
        t.ok(await waitFor(() => gone.every((pid) => !alive(pid)), 5000), `process ${gone.join(',')} is gone`);
      }
      const y = await slowJob(pool, 8, 5);
      t.equal(y.size, 8, 'the pool works after the timeout');
    });
  }
});

test('onProgress: {done, total} with increasing done, ending with done === total', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const seen: nd.Progress[] = [];
      await slowJob(pool, 24, 25, { onProgress: (p) => seen.push({ ...p }) });
      t.ok(seen.length >= 3, `${backend}: ${seen.length} reports: ${seen.map((p) => p.done).join(',')}`);
      t.ok(
        seen.every((p) => p.total === 24),
        'total is the chunk count',
      );
      t.ok(
        seen.every((p, i) => i === 0 || p.done >= seen[i - 1]!.done),
        'done never decreases',
      );
      t.ok(
        seen.some((p) => p.done < p.total),
        'reports while running',
      );
      t.deepEqual(seen.at(-1), { done: 24, total: 24 }, 'the last report says done');

      const r: nd.Progress[] = [];
      t.equal(await pool.reduce(nd.arange(100_000), 'sum', { chunkSize: 10_000, onProgress: (p) => r.push({ ...p }) }), 4999950000, 'reduce');
      t.deepEqual(r.at(-1), { done: 10, total: 10 }, 'reduce reports its end');
      const m: nd.Progress[] = [];
      await pool.map(nd.arange(10), (v: number) => v, { chunkSize: 3, onProgress: (p) => m.push({ ...p }) });
      t.deepEqual(m.at(-1), { done: 4, total: 4 }, 'map reports its end');

      const boom = slowJob(pool, 20, 20, {
        onProgress: () => {
          throw new Error('progress callback failed');
        },
      });
      const e = await rejection(t, 'a throwing onProgress', boom);
      t.equal(e.message, 'progress callback failed', 'fails the job (not the process)');
      t.ok(await waitFor(() => pool.stats().workers.every((w) => !w.busy), 5000), 'the workers stop');
      t.equal((await slowJob(pool, 2, 1)).size, 2, 'the pool carries on');
    });
  }
});

// ---- errors -------------------------------------------------------------------------------

test('errors thrown in a worker are rebuilt with their class, code, message, fields and both stacks', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const stacks = (e: Coded, label: string) => {
        t.match(e.stack ?? '', /pool-tasks\.ts/, `${label}: the worker's stack names the task file`);
        t.match(e.stack ?? '', /--- in the worker/, `${label}: marker between the worker's and the caller's frames`);
        t.match(e.stack ?? '', /51\.pool-lifecycle\.test\.ts/, `${label}: the caller's frames follow`);
      };
      let e = await rejection(t, 'TypeError', pool.run(TASKS, 'throwTypeError'));
      t.ok(e instanceof TypeError && e.constructor === TypeError, `${backend}: TypeError stays a TypeError`);
      t.equal(e.message, 'a plain TypeError from the task');
      t.equal(e.code, undefined, 'no code invented');
      stacks(e, 'TypeError');

      e = await rejection(t, 'RangeError', pool.run(TASKS, 'throwRangeError'));
      t.ok(e instanceof RangeError && !(e instanceof NdshareError), 'RangeError');
      t.equal(e.message, 'a plain RangeError from the task');

      e = await rejection(t, 'shape mismatch', pool.run(TASKS, 'throwShapeMismatch'));
      t.ok(e instanceof NdshareError && e.name === 'NdshareError', `NdshareError: ${e.message}`);
      t.equal(e.code, codes.SHAPE_MISMATCH, 'with its code');
      stacks(e, 'NdshareError');

      e = await rejection(t, 'bad argument', pool.run(TASKS, 'throwBadArgument'));
      t.ok(e instanceof NdshareRangeError && e instanceof RangeError, `NdshareRangeError: ${e.message}`);
      t.equal(e.code, codes.INVALID_ARG_VALUE);

      e = await rejection(t, 'custom', pool.run(TASKS, 'throwCustom'));
      t.equal(e.name, 'CustomError', 'a custom class keeps its name');
      t.equal(e.code, 'E_CUSTOM_TASK', 'and its code');
      t.equal((e as Coded & { detail?: number }).detail, 42, 'and its other fields');
      t.equal(e.message, 'a custom error with a code');
      stacks(e, 'custom');

      e = await rejection(t, 'async rejection', pool.run(TASKS, 'rejectLater'));
      t.ok(e instanceof TypeError && e.message === 'rejected after an await', 'an async task that rejects');

      e = await rejection(
        t,
        'map fn throws',
        pool.map(
          nd.arange(1000),
          (v: number) => {
            if (v === 777) throw new RangeError(`bad element ${v}`);
            return v;
          },
          { chunkSize: 100 },
        ),
      );
      t.ok(
        e instanceof RangeError && e.message.startsWith('bad element 777 (in the pool worker: element 777, chunk 7)'),
        `an element function that throws: ${e.message}`,
      );
      t.match(e.stack ?? '', /--- in the worker/);
      t.equal(await pool.run(TASKS, 'sleep', 1), 1, 'the pool carries on');
    });
  }
});

// ---- workers that die ---------------------------------------------------------------------

test('kill -9 of a busy worker process rejects only its task (WORKER_EXITED, SIGKILL); the pool replaces it', async (t) => {
  t.timeoutAfter(TEST_MS);
  await withPool('process', async (pool) => {
    const [victim, other] = pool.stats().workers.map((w) => w.pid!) as [number, number];
    const doomed = pool.run(TASKS, 'spin', 20_000); // goes to slot 0, the first idle one
    const fine = pool.run(TASKS, 'sleep', 400); // slot 1
    await sleep(150);
    t.deepEqual(
      pool.stats().workers.map((w) => w.busy),
      [true, true],
      'both workers busy',
    );
    process.kill(victim, 'SIGKILL');
    const e = await rejection(t, 'killed task', doomed, 10_000);
    t.ok(e instanceof NdshareError && e.code === codes.WORKER_EXITED, `${e.code}: ${e.message}`);
    t.equal(e.signal, 'SIGKILL', 'signal field');
    t.equal(e.exitCode, null, 'exitCode field');
    t.equal(await within(fine, 10_000, 'concurrent task'), 400, 'the task on the other worker succeeds');
    t.ok(await waitFor(() => !alive(victim), 5000), 'the killed process is gone');
    const now = pool.stats().workers.map((w) => w.pid!);
    t.ok(now[0] !== victim && now[1] === other, `slot 0 has a new process (${victim} -> ${now[0]})`);
    const who = (await Promise.all([1, 2, 3, 4].map(() => pool.run(TASKS, 'whoami')))) as { pid: number }[];
    t.ok(
      who.some((w) => w.pid === now[0]),
      'later tasks run, on the new worker too',
    );
    t.deepEqual(pool.store.check(), [], 'the store is consistent');

    // A worker killed inside a job: the job rejects, the next one works.
    const job = slowJob(pool, 40, 50);
    await sleep(200);
    process.kill(pool.stats().workers[1]!.pid!, 'SIGKILL');
    await rejectsCoded(t, 'a job whose worker was killed', job, NdshareError, codes.WORKER_EXITED);
    const y = await slowJob(pool, 6, 5);
    t.equal(y.size, 6, 'the next job runs');
  });
});

test('a task calling process.exit(3) rejects only itself (WORKER_EXITED, exitCode 3); the worker is replaced', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const before = ids(pool);
      const doomed = pool.run(TASKS, 'exitWith', 3);
      const fine = pool.run(TASKS, 'sleep', 400);
      const e = await rejection(t, 'exit(3)', doomed, 10_000);
      t.ok(e instanceof NdshareError && e.code === codes.WORKER_EXITED, `${backend}: ${e.code}: ${e.message}`);
      t.equal(e.exitCode, 3, 'exitCode field');
      t.equal(e.signal, null, 'signal field');
      t.equal(await within(fine, 10_000, 'concurrent task'), 400, 'the concurrent task succeeds');
      const after = ids(pool);
      t.ok(after[0] !== before[0] && after[1] === before[1], `slot 0 has a new ${backend} (${before[0]} -> ${after[0]})`);
      const results = await Promise.all([1, 2, 3, 4].map((i) => pool.run(TASKS, 'sleep', i * 10)));
      t.deepEqual(results, [10, 20, 30, 40], 'later tasks succeed');
    });
  }
});

// ---- close, destroy -------------------------------------------------------------------------

test('close() drains queued work, then stops the workers; afterwards every method rejects ERR_NDSHARE_CLOSED', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    const pool = await nd.Pool.start({ workers: 2, backend });
    const pids = pool.stats().workers.map((w) => w.pid);
    try {
      const tasks = [1, 2, 3, 4, 5, 6].map((i) => pool.run(TASKS, 'sleep', 100 + i));
      const job = slowJob(pool, 10, 20);
      const closing = pool.close();
      await rejectsCoded(t, `${backend}: run while closing`, pool.run(TASKS, 'noop'), NdshareError, codes.CLOSED);
      t.deepEqual(await within(Promise.all(tasks), 20_000, 'queued tasks'), [101, 102, 103, 104, 105, 106], 'queued tasks all ran');
      t.equal((await within(job, 20_000, 'queued job')).size, 10, 'the queued job ran');
      await within(closing, 20_000, 'close');
      t.pass('close() resolved after the work');
      if (backend === 'process') t.ok(await waitFor(() => pids.every((pid) => !alive(pid!)), 5000), `worker processes ${pids.join(',')} are gone`);
      const x = nd.arange(3);
      await rejectsCoded(
        t,
        'map after close',
        pool.map(x, (v: number) => v),
        NdshareError,
        codes.CLOSED,
      );
      await rejectsCoded(
        t,
        'mapChunks after close',
        pool.mapChunks(x, () => {}),
        NdshareError,
        codes.CLOSED,
      );
      await rejectsCoded(t, 'reduce after close', pool.reduce(x, 'sum'), NdshareError, codes.CLOSED);
      await rejectsCoded(t, 'run after close', pool.run(TASKS, 'noop'), NdshareError, codes.CLOSED);
      await within(pool.close(), 5000, 'second close');
      await within(pool.destroy(), 5000, 'destroy after close');
      t.pass('close() and destroy() again resolve');
    } finally {
      await within(pool.destroy(), 15_000, 'destroy');
    }
  }
});

test('destroy() kills the workers now: queued work rejects ERR_NDSHARE_CLOSED, running work WORKER_EXITED', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    const pool = await nd.Pool.start({ workers: 2, backend });
    const pids = pool.stats().workers.map((w) => w.pid);
    try {
      // Handlers attached at once: destroy() rejects these before we look at them.
      const settled = (p: Promise<unknown>) =>
        p.then(
          (v) => Promise.reject(new Error(`resolved with ${String(v)}`)),
          (e: Coded) => Promise.reject(e),
        );
      const running = [pool.run(TASKS, 'spin', 20_000), pool.run(TASKS, 'sleep', 20_000)].map(settled);
      const queued = [pool.run(TASKS, 'sleep', 10), pool.run(TASKS, 'noop'), slowJob(pool, 4, 1)].map(settled);
      for (const p of [...running, ...queued]) p.catch(() => {});
      await sleep(150);
      t.equal(pool.stats().queued, 3, `${backend}: three items queued`);
      const started = Date.now();
      await within(pool.destroy(), 10_000, 'destroy');
      t.ok(Date.now() - started < 5000, `destroy() took ${Date.now() - started} ms`);
      for (const [i, p] of queued.entries()) await rejectsCoded(t, `queued ${i}`, p, NdshareError, codes.CLOSED);
      for (const [i, p] of running.entries()) await rejectsCoded(t, `running ${i}`, p, NdshareError, codes.WORKER_EXITED);
      if (backend === 'process') t.ok(await waitFor(() => pids.every((pid) => !alive(pid!)), 5000), 'worker processes are gone');
      await rejectsCoded(
        t,
        'map after destroy',
        pool.map(nd.arange(2), (v: number) => v),
        NdshareError,
        codes.CLOSED,
      );

      // destroy() while close() drains: close() settles too, without error.
      const p2 = await nd.Pool.start({ workers: 2, backend });
      try {
        const work = [1, 2, 3].map(() => p2.run(TASKS, 'sleep', 5000).catch((e: Coded) => e.code));
        const closing = p2.close();
        await sleep(100);
        await within(p2.destroy(), 10_000, 'destroy during close');
        await within(closing, 10_000, 'close after destroy');
        t.pass('close() resolves when destroy() cuts its drain short');
        t.deepEqual(await Promise.all(work), [codes.WORKER_EXITED, codes.WORKER_EXITED, codes.CLOSED]);
      } finally {
        await within(p2.destroy(), 10_000, 'destroy p2');
      }
    } finally {
      await within(pool.destroy(), 15_000, 'destroy');
    }
  }
});

test('a worker that dies while close() drains is replaced, and the queued work still runs', async (t) => {
  t.timeoutAfter(TEST_MS);
  const pool = await nd.Pool.start({ workers: 2, backend: 'process' });
  try {
    const work = [1, 2, 3, 4, 5, 6].map(() =>
      pool.run(TASKS, 'sleep', 200).then(
        (v) => v,
        (e: Coded) => e.code,
      ),
    );
    const closing = pool.close();
    await sleep(100);
    for (const w of pool.stats().workers) process.kill(w.pid!, 'SIGKILL');
    t.deepEqual(
      await within(Promise.all(work), 30_000, 'work'),
      [codes.WORKER_EXITED, codes.WORKER_EXITED, 200, 200, 200, 200],
      'the two running tasks fail, the queued ones run',
    );
    await within(closing, 30_000, 'close');
    t.pass('close() resolves');
  } finally {
    await within(pool.destroy(), 15_000, 'destroy');
  }
});

test('await using: Symbol.asyncDispose closes the pool', async (t) => {
  t.timeoutAfter(TEST_MS);
  let pids: (number | undefined)[] = [];
  let escaped: nd.Pool | undefined;
  {
    await using pool = await nd.Pool.start({ workers: 2, backend: 'process' });
    escaped = pool;
    pids = pool.stats().workers.map((w) => w.pid);
    t.equal(await pool.run(TASKS, 'sleep', 1), 1);
  }
  t.ok(await waitFor(() => pids.every((pid) => !alive(pid!)), 5000), 'the workers are gone at the end of the block');
  await rejectsCoded(t, 'run after dispose', escaped.run(TASKS, 'noop'), NdshareError, codes.CLOSED);
});

// ---- the owner's death and exit ---------------------------------------------------------------

test('kill -9 of the owner: no worker process outlives it', async (t) => {
  t.timeoutAfter(TEST_MS);
  const owner = spawnChild('pool-parent.ts', 'hold', { backend: 'process', workers: 2 });
  let pids: number[] = [];
  try {
    ({ pids } = await owner.next<{ pids: number[] }>(60_000));
    t.equal(pids.length, 2, `workers ${pids.join(',')}`);
    t.ok(pids.every(alive), 'running');
  } finally {
    await kill9(owner);
  }
  t.ok(await waitFor(() => !pids.some(alive), 5000), 'every worker died with its owner (within 5 s)');
  for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL'); // never leave one behind
});

test('an idle default pool (nd.parallelMap / nd.parallelReduce) does not keep its process alive', async (t) => {
  t.timeoutAfter(TEST_MS);
  const child = spawnChild('pool-parent.ts', 'default-once', {});
  let pids: number[] = [];
  try {
    const r = await child.next<{ first: number; last: number; total: string; size: number; pids: number[]; at: number }>(60_000);
    pids = r.pids;
    t.equal(r.first, 2, 'parallelMap computed');
    t.equal(r.last, 19_998);
    t.equal(r.total, String(49_995_000), 'parallelReduce computed');
    t.equal(r.size, availableParallelism(), 'the default pool has os.availableParallelism() workers');
    const exit = await within(child.exited, 10_000, 'the fixture to exit on its own');
    t.equal(exit.code, 0, `exited with code 0, ${Date.now() - r.at} ms after its last output. stderr: ${child.stderr()}`);
    t.ok(await waitFor(() => !pids.some(alive), 5000), 'and its workers with it');
  } finally {
    if (child.proc.exitCode === null && child.proc.signalCode === null) await kill9(child);
    for (const pid of pids.filter(alive)) process.kill(pid, 'SIGKILL');
  }
});

test('the default pool starts again after someone closed it', async (t) => {
  t.timeoutAfter(120_000);
  const first = await nd.defaultPool();
  const x = nd.arange(1000);
  const y = (await nd.parallelMap(x, (v: number) => v + 1)) as nd.NDArray;
  t.equal(y.get(999), 1000);
  first.store.release(y);
  await first.close();
  t.true(first.closed, 'closed');
  const second = await nd.defaultPool();
  t.notEqual(second, first, 'a new pool');
  t.equal(await nd.parallelReduce(x, 'sum'), 499500, 'and it works');
  await second.close();
});
