// The pool's compute, on worker processes and on worker threads: map
// (broadcasting, non-contiguous inputs, out, dtype, args, functions shipped as
// source and cached, the closure error, dynamic chunks), mapChunks, reduce
// (built-in and custom, whole array and along an axis, exact integers, NaN)
// and run (NDArrays by reference both ways, workerContext), checked against
// the test process and NumPy; argument validation.
import test from 'tape';
import { availableParallelism } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nd from '../src/index.js';
import { codes, NdshareError, NdshareRangeError, NdshareTypeError } from '../src/index.js';
import { mulberry32 } from './helpers/assert.js';
import { bytesOf, numpy, python, SKIP_MESSAGE } from './helpers/python.js';
import { releaseResults, within, withPool } from './helpers/pool.js';

const BACKENDS: nd.Backend[] = ['process', 'thread'];
const TASKS = new URL('./fixtures/pool-tasks.ts', import.meta.url);
const TEST_MS = 120_000;

type ErrorClass = abstract new (...args: never[]) => Error;

/** Asserts that `p` rejects with class `cls` and `code` (and a message matching `message`). */
async function rejectsCoded(t: test.Test, label: string, p: Promise<unknown>, cls: ErrorClass, code: string, message?: RegExp): Promise<Error> {
  try {
    await within(p, 30_000, label);
    t.fail(`${label}: did not reject`);
    return new Error('resolved');
  } catch (e) {
    const err = e as Error & { code?: string };
    t.ok(err instanceof cls && err.code === code, `${label}: ${err.name} ${err.code}: ${err.message}`);
    if (message) t.match(err.message, message, `${label}: message`);
    return err;
  }
}

/** Elements in C order, whatever the layout. */
function flat(x: nd.NDArray): nd.Scalar[] {
  const out: nd.Scalar[] = [];
  const idx = new Array<number>(x.ndim).fill(0);
  for (let i = 0; i < x.size; i++) {
    out.push(x.get(...idx) as nd.Scalar);
    for (let k = x.ndim - 1; k >= 0; k--) {
      if (++idx[k]! < x.shape[k]!) break;
      idx[k] = 0;
    }
  }
  return out;
}

/** fn over the broadcast inputs in this process: the reference for map. */
function refMap(inputs: nd.NDArray[], fn: (...a: never[]) => unknown, args?: unknown): unknown[] {
  const shape = nd.broadcastShapes(...inputs.map((a) => a.shape));
  const cols = inputs.map((a) => flat(a.broadcastTo(shape)));
  const call = fn as (...a: unknown[]) => unknown;
  return cols[0]!.map((_, i) => call(...cols.map((c) => c[i]), args));
}

function close(a: number, b: number, rel: number): boolean {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b);
  return Math.abs(a - b) <= rel * Math.max(1, Math.abs(a), Math.abs(b));
}

function allClose(t: test.Test, got: unknown[], want: unknown[], rel: number, label: string): void {
  const bad = got.findIndex((g, i) => !close(Number(g), Number(want[i]), rel));
  t.ok(got.length === want.length && bad < 0, `${label}${bad >= 0 ? `: element ${bad} is ${String(got[bad])}, expected ${String(want[bad])}` : ''}`);
}

// ---- start -------------------------------------------------------------------------

test('Pool.start: workers count, backend, default count os.availableParallelism()', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const s = pool.stats();
      t.equal(pool.size, 2, `${backend}: 2 workers`);
      t.equal(s.workers.length, 2);
      t.equal(s.queued, 0);
      if (backend === 'process') {
        t.ok(
          s.workers.every((w) => Number.isInteger(w.pid) && w.pid !== process.pid && w.threadId === undefined),
          'worker processes with their own pids',
        );
        t.notEqual(s.workers[0]!.pid, s.workers[1]!.pid);
      } else {
        t.ok(
          s.workers.every((w) => Number.isInteger(w.threadId) && w.threadId! > 0 && w.pid === undefined),
          'worker threads with thread ids',
        );
      }
      t.ok(
        s.workers.every((w) => w.busy === false && w.tasksDone === 0),
        'idle, nothing done yet',
      );
      const who = (await Promise.all([pool.run(TASKS, 'sleep', 50).then(() => pool.run(TASKS, 'whoami')), pool.run(TASKS, 'whoami')])) as {
        pid: number;
        threadId: number;
      }[];
      if (backend === 'process')
        t.ok(
          who.every((w) => w.pid !== process.pid),
          'tasks run in other processes',
        );
      else
        t.ok(
          who.every((w) => w.pid === process.pid && w.threadId !== 0),
          'tasks run in other threads of this process',
        );
    });
  }
  // The default worker count, with a store we pass (the pool must not close it).
  const store = nd.Store.create({ capacity: '64MiB' });
  try {
    await withPool(
      'thread',
      async (pool) => {
        t.equal(pool.size, availableParallelism(), `default workers = os.availableParallelism() = ${availableParallelism()}`);
        t.equal(pool.store, store, 'the pool uses the store it was given');
      },
      { workers: undefined, store },
    );
    t.false(store.closed, "closing the pool leaves the caller's store open");
    t.deepEqual(
      store.list().filter((o) => o.state !== 'sealed'),
      [],
      'and removes its control objects from it',
    );
  } finally {
    store.close();
  }
});

// ---- map -----------------------------------------------------------------------------

test('map: broadcasting [3,1] with [4] -> [3,4], three inputs, args; same as this process and NumPy', async (t) => {
  t.timeoutAfter(TEST_MS);
  const a = nd.array([[1], [2], [3]]);
  const b = nd.array([10, 20, 30, 40]);
  const c = nd.random.uniform([2, 1, 4], { seed: 3 });
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const fn = (u: number, v: number) => u * v + 1;
      // {inline: false}: a result in the store even when small (by default a small one comes back in the answer, test/54).
      const y = await pool.map([a, b], fn, { inline: false });
      t.deepEqual(y.shape, [3, 4], `${backend}: broadcast shape`);
      t.equal(y.dtype, 'float64');
      t.deepEqual(flat(y), refMap([a, b], fn), 'values as computed here');
      t.ok(pool.store.idOf(y) !== undefined && y.flags.writeable, 'the result lives in the pool store, writable');
      pool.store.release(y);

      const g = (u: number, v: number, w: number, k: { scale: number; shift: number }) => (u + v) * k.scale - w + k.shift;
      const args = { scale: 0.5, shift: 7 };
      const z = await pool.map([c, a, b], g, { args });
      t.deepEqual(z.shape, [2, 3, 4], 'three inputs broadcast to (2, 3, 4)');
      allClose(t, flat(z), refMap([c, a, b], g, args), 0, 'three inputs and {args} as computed here');
      if (numpy()) {
        const r = python(
          `a = np.fromfile(D + '/a', '<f8').reshape(3, 1); b = np.fromfile(D + '/b', '<f8'); c = np.fromfile(D + '/c', '<f8').reshape(2, 1, 4)\n` +
            `(a * b + 1).astype('<f8').tofile(D + '/out1'); ((c + a) * 0.5 - b + 7).astype('<f8').tofile(D + '/out2')`,
          { a: bytesOf(a.data), b: bytesOf(b.data), c: bytesOf(c.data) },
        );
        const n1 = new Float64Array(new Uint8Array(r.files.out1!).buffer);
        t.deepEqual(Array.from(n1), [11, 21, 31, 41, 21, 41, 61, 81, 31, 61, 91, 121], 'NumPy agrees on a * b + 1');
        allClose(t, flat(z), Array.from(new Float64Array(new Uint8Array(r.files.out2!).buffer)), 1e-15, 'NumPy agrees on three inputs');
      } else t.skip(SKIP_MESSAGE);
      releaseResults(pool.store, z);
    });
  }
});

test('map: non-contiguous inputs (transposed, negative steps, store views), big inputs over many chunks', async (t) => {
  t.timeoutAfter(TEST_MS);
  const base = nd.arange(60, { dtype: 'float32' }).reshape([6, 10]);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const fn = (u: number, v: number) => u * 1000 + v;
      const tr = base.T; // (10, 6), F-ordered view
      const rev = base.slice('::-1', '::-2'); // (6, 5), negative strides
      const y = await pool.map([tr, nd.arange(6)], fn, { chunkSize: 7 });
      t.deepEqual(flat(y), refMap([tr, nd.arange(6)], fn), `${backend}: transposed input, odd chunk size`);
      pool.store.release(y);
      const r = await pool.map(rev, (v: number) => -v, { chunkSize: 4 });
      t.deepEqual(
        r.toArray(),
        (rev.toArray() as number[][]).map((row) => row.map((v) => -v)),
        'negative-step slice',
      );
      t.equal(r.dtype, 'float32', 'a float input keeps its dtype');
      pool.store.release(r);

      // Inputs that already live in the store go by reference, views included.
      const stored = pool.store.get(pool.store.put(base));
      const view = stored.slice('1:5', '::-3').T;
      const s = await pool.map(view, (v: number) => v + 0.5, { inline: false }); // small: by reference only without inline
      t.deepEqual(
        flat(s),
        flat(view).map((v) => Number(v) + 0.5),
        'a transposed, negative-step view of a stored array',
      );
      pool.store.release(s);
      pool.store.release(stored);

      const big = nd.random.uniform([1000, 1000], { seed: 11, low: -3, high: 3 });
      const sin = await pool.map(big, (v: number) => Math.sin(v) * Math.exp(-v * v));
      const want = big.data as Float64Array;
      const got = sin.data as Float64Array;
      let bad = -1;
      for (let i = 0; i < want.length && bad < 0; i++) if (got[i] !== Math.sin(want[i]!) * Math.exp(-want[i]! * want[i]!)) bad = i;
      t.equal(bad, -1, '10^6 elements over many chunks, bit-identical to this process');
      pool.store.release(sin);
    });
  }
});

test('map: out (store.empty of pool.store, also a strided view), dtype option, results chain into the next job', async (t) => {
  t.timeoutAfter(TEST_MS);
  const a = nd.arange(12).reshape([3, 4]);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const out = pool.store.empty([3, 4], { dtype: 'float64' });
      const y = await pool.map(a, (v: number) => v * v, { out });
      t.equal(y, out, `${backend}: returns out itself`);
      t.deepEqual(
        flat(out),
        flat(a).map((v) => Number(v) ** 2),
        'written into out',
      );

      const backing = pool.store.zeros([4, 3], { dtype: 'int32' });
      await pool.map(a, (v: number) => v + 100, { out: backing.T });
      t.deepEqual(
        backing.toArray(),
        (a.T.toArray() as number[][]).map((row) => row.map((v) => v + 100)),
        'out as a transposed view of an int32 array',
      );

      const i32 = await pool.map(nd.array([1.9, -1.9, 2.5, 1e10]), (v: number) => v * 1.5, { dtype: 'int32' });
      t.equal(i32.dtype, 'int32', 'dtype option');
      t.deepEqual((i32.toArray() as number[]).slice(0, 3), [2, -2, 3], 'float results stored into int32 truncate toward zero');
      const f32 = await pool.map(nd.arange(4, { dtype: 'int16' }), (v: number) => v / 3, { dtype: 'float32' });
      t.deepEqual(f32.toArray(), Array.from(new Float32Array([0, 1 / 3, 2 / 3, 1])), 'float32 output');
      const dflt = await pool.map(nd.arange(3, { dtype: 'int32' }), (v: number) => v / 2, { inline: false });
      t.equal(dflt.dtype, 'float64', 'an integer input gives float64 by default');
      t.deepEqual(dflt.toArray(), [0, 0.5, 1]);
      const big = await pool.map(nd.arange(4, { dtype: 'int64' }), (v: bigint) => v * 3n + (1n << 40n), { dtype: 'int64' });
      t.deepEqual(
        big.toArray(),
        [0n, 3n, 6n, 9n].map((v) => v + (1n << 40n)),
        'int64 in, bigint element function, int64 out',
      );
      const bools = await pool.map(nd.array([true, false, true]), (v: boolean) => !v, { dtype: 'bool' });
      t.deepEqual(bools.toArray(), [false, true, false], 'bool in and out');

      // A result is an unsealed store array: it must work as the next job's input without a copy.
      const chained = await pool.map(dflt, (v: number) => v * 4);
      t.deepEqual(chained.toArray(), [0, 2, 4], 'map result -> map');
      t.equal(await pool.reduce(chained, 'sum'), 6, 'map result -> reduce');
      const filled = pool.store.zeros([5]);
      filled.fill(2);
      t.equal(await pool.reduce(filled, 'prod'), 32, 'an unsealed store.zeros filled here is readable by the workers');
      releaseResults(pool.store, out, backing, i32, f32, dflt, big, bools, chained, filled);
    });
  }
});

test('map: functions are shipped as source (arrows, function expressions, methods, nested helpers) and compiled once per worker', async (t) => {
  t.timeoutAfter(TEST_MS);
  const x = nd.arange(5);
  const methods = {
    twice(v: number) {
      return v * 2;
    },
  };
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const forms: [string, (v: number) => number][] = [
        ['arrow', (v) => v * 2],
        [
          'function expression',
          function (v) {
            return v * 2;
          },
        ],
        ['method shorthand', methods.twice],
        [
          'nested named helper (tsx rewrites it with __name)',
          (v) => {
            const helper = (q: number) => q * 2;
            return helper(v);
          },
        ],
      ];
      for (const [name, fn] of forms) {
        const y = await pool.map(x, fn);
        t.deepEqual(y.toArray(), [0, 2, 4, 6, 8], `${backend}: ${name}`);
        releaseResults(pool.store, y);
      }
      // A function that counts its own calls: compiled once and cached, the count goes on
      // from one job to the next in the same worker. With one chunk per job, 2 workers and
      // 3 jobs, some worker runs two of them.
      const counter = function f(): number {
        const self = f as unknown as { calls?: number };
        self.calls = (self.calls ?? 0) + 1;
        return self.calls;
      };
      const n = 200;
      const seen: number[][] = [];
      for (let k = 0; k < 3; k++) {
        const y = await pool.map(nd.zeros([n]), counter, { chunkSize: n });
        seen.push(flat(y).map(Number));
        releaseResults(pool.store, y);
      }
      t.deepEqual(seen[0]!.slice(1, 4), [1, 2, 3], 'first job: a fresh function');
      t.ok(
        seen.slice(1).some((s) => s[1]! > 1),
        `a later job continues the count of the cached function (${seen.map((s) => s[1]).join(', ')})`,
      );
    });
  }
});

test('map: a function closing over an outer variable gets a coded error naming args, never a wrong answer', async (t) => {
  t.timeoutAfter(TEST_MS);
  const k = 3;
  const x = nd.arange(100_000);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const before = pool.store.stats().objects;
      for (let round = 0; round < 4; round++) {
        await rejectsCoded(
          t,
          `${backend}: map closure, round ${round}`,
          pool.map(x, (v: number) => v * k, { chunkSize: 500 }),
          NdshareError,
          codes.INVALID_ARG_VALUE,
          /\bargs\b/,
        );
      }
      await rejectsCoded(
        t,
        'mapChunks closure',
        pool.mapChunks(x, (_i, out) => out.fill(k)),
        NdshareError,
        codes.INVALID_ARG_VALUE,
        /\bk\b.*\bargs\b/,
      );
      await rejectsCoded(
        t,
        'reduce closure (map)',
        pool.reduce(x, { map: (v) => v * k, combine: (a, b) => a + b, init: 0 }),
        NdshareError,
        codes.INVALID_ARG_VALUE,
        /op\.map.*\bargs\b/,
      );
      await rejectsCoded(
        t,
        'reduce closure along an axis',
        pool.reduce(x.reshape([100, 1000]), { combine: (a, b) => a + b * k, init: 0 }, { axis: 1 }),
        NdshareError,
        codes.INVALID_ARG_VALUE,
        /op\.combine.*\bargs\b/,
      );
      const y = await pool.map(x, (v: number, a: { k: number }) => v * a.k, { args: { k }, chunkSize: 500 });
      t.equal(y.get(99_999), 99_999 * 3, 'the same function with {args} works');
      // A result is unsealed: releasing its last pin frees it.
      pool.store.release(y);
      t.equal(pool.store.stats().objects, before, 'failed jobs leave nothing in the store, and a released result goes');
    });
  }
});

test('mapChunks: kernels get views of their chunk (inputs and output)', async (t) => {
  t.timeoutAfter(TEST_MS);
  const x = nd.arange(50 * 3).reshape([50, 3]);
  const bias = nd.array([100, 200, 300]);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const out = await pool.mapChunks(
        [x, bias],
        (ins, o, args: { k: number }, { start, stop }) => {
          const [xs, bs] = ins as [nd.NDArray, nd.NDArray];
          // Views of this chunk's rows, over the shared bytes (this runs in another realm: no instanceof).
          if (xs.shape[0] !== stop - start || o.shape[0] !== stop - start || bs.shape[0] !== stop - start) throw new Error('not a chunk view');
          if (Object.prototype.toString.call(xs.data.buffer) !== '[object SharedArrayBuffer]') throw new Error('not shared');
          if (xs.flags.writeable || !o.flags.writeable) throw new Error('inputs read-only, output writable');
          for (let i = 0; i < o.shape[0]!; i++) {
            o.set(i, 0, (xs.get(i, 0) as number) * args.k + (bs.get(i, 0) as number));
            o.set(i, 1, start);
            o.set(i, 2, stop);
          }
        },
        { chunkSize: 7, args: { k: 2 }, inline: false }, // views of the store, not copies in the message
      );
      t.deepEqual(out.shape, [50, 3], `${backend}: output of the broadcast shape`);
      let ok = true;
      for (let r = 0; r < 50; r++) {
        const [v, start, stop] = [out.get(r, 0), out.get(r, 1), out.get(r, 2)] as number[];
        if (v !== r * 3 * 2 + 100 || start !== Math.floor(r / 7) * 7 || stop !== Math.min(50, start! + 7)) ok = false;
      }
      t.ok(ok, 'every row computed once, by the chunk [start, stop) of 7 rows that holds it');
      pool.store.release(out);
    });
  }
});

test('dynamic chunks: while one worker is stuck in a slow chunk, the other takes the rest', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const before = pool.stats().workers.map((w) => w.tasksDone);
      const started = Date.now();
      // Chunk 0 takes 800 ms, the 15 others 5 ms each. Static halves would leave chunks 8-15
      // to the slow worker after chunk 0; dynamic claiming finishes them all before it.
      const y = await pool.mapChunks(
        nd.zeros([16, 1]),
        (_ins, out, _a, { start }) => {
          const until = Date.now() + (start === 0 ? 800 : 5);
          while (Date.now() < until);
          out.set(0, 0, Date.now());
        },
        { chunkSize: 1 },
      );
      const elapsed = Date.now() - started;
      const ends = flat(y).map(Number);
      const after0 = ends.slice(1).filter((e) => e > ends[0]!).length;
      t.ok(after0 <= 2, `${backend}: ${15 - after0} of 15 fast chunks finished before the slow one`);
      const after = pool.stats().workers.map((w) => w.tasksDone);
      t.ok(
        after.every((n, i) => n > before[i]!),
        `both workers took part (tasksDone ${before.join(',')} -> ${after.join(',')})`,
      );
      t.comment(`${backend}: job of 1 slow + 15 fast chunks took ${elapsed} ms (static halves: >= ${800 + 7 * 5} ms)`);
      pool.store.release(y);
    });
  }
});

// ---- reduce --------------------------------------------------------------------------

const OPS = ['sum', 'prod', 'min', 'max', 'mean'] as const;

function refReduce(values: number[], op: (typeof OPS)[number]): number {
  switch (op) {
    case 'sum':
      return values.reduce((a, v) => a + v, 0);
    case 'prod':
      return values.reduce((a, v) => a * v, 1);
    case 'min':
      return values.reduce((a, v) => (v < a || Number.isNaN(v) || Number.isNaN(a) ? (Number.isNaN(a) ? a : v) : a), Infinity);
    case 'max':
      return values.reduce((a, v) => (v > a || Number.isNaN(v) || Number.isNaN(a) ? (Number.isNaN(a) ? a : v) : a), -Infinity);
    case 'mean':
      return values.reduce((a, v) => a + v, 0) / values.length;
  }
}

/** The lines of a 2-d array along `axis`. */
function lines(x: nd.NDArray, axis: number): number[][] {
  const [r, c] = x.shape as [number, number];
  const out: number[][] = [];
  if (axis === 0) for (let j = 0; j < c; j++) out.push(Array.from({ length: r }, (_, i) => Number(x.get(i, j))));
  else for (let i = 0; i < r; i++) out.push(Array.from({ length: c }, (_, j) => Number(x.get(i, j))));
  return out;
}

test('reduce float64: sum/prod/min/max/mean whole and along axes 0, 1, -1, -2, within reassociation tolerance; NumPy agrees', async (t) => {
  t.timeoutAfter(TEST_MS);
  const x = nd.random.uniform([301, 77], { seed: 5, low: 0.9, high: 1.1 });
  const values = flat(x).map(Number);
  const np = numpy()
    ? (JSON.parse(
        python(
          `x = np.fromfile(D + '/x', '<f8').reshape(301, 77)\n` +
            `r = {op: {'all': float(getattr(np, op)(x)), '0': getattr(np, op)(x, axis=0).tolist(), '1': getattr(np, op)(x, axis=1).tolist()} for op in ['sum', 'prod', 'min', 'max', 'mean']}\n` +
            `print(json.dumps(r))`,
          { x: bytesOf(x.data) },
        ).stdout,
      ) as Record<string, Record<string, number | number[]>>)
    : undefined;
  if (!np) t.skip(SKIP_MESSAGE);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      for (const op of OPS) {
        const whole = (await pool.reduce(x, op, { chunkSize: 1000 })) as number;
        t.ok(close(whole, refReduce(values, op), 1e-12), `${backend} ${op}: ${whole} (here: ${refReduce(values, op)})`);
        if (np) t.ok(close(whole, np[op]!.all as number, 1e-12), `${op}: NumPy ${np[op]!.all}`);
        for (const axis of [0, 1, -1, -2]) {
          const y = (await pool.reduce(x, op, { axis, chunkSize: 5 })) as nd.NDArray;
          const ax = axis < 0 ? axis + 2 : axis;
          t.deepEqual(y.shape, [ax === 0 ? 77 : 301], `${op} axis ${axis}: shape`);
          t.equal(y.dtype, 'float64');
          allClose(
            t,
            flat(y),
            lines(x, ax).map((l) => refReduce(l, op)),
            1e-12,
            `${op} axis ${axis}: values as here`,
          );
          if (np) allClose(t, flat(y), np[op]![String(ax)] as number[], 1e-12, `${op} axis ${axis}: NumPy`);
          pool.store.release(y);
        }
      }
    });
  }
});

test('reduce integers: exact sums of big int32, int64 and uint64 wrapping like NumPy, prod wraps, min/max exact', async (t) => {
  t.timeoutAfter(TEST_MS);
  // 2.5M int32 values near the extremes: more than one 2^20-element chunk, sums far beyond 2^31.
  const n = 2_500_000;
  const rnd = mulberry32(9);
  const i32 = nd.zeros([n], { dtype: 'int32' });
  const d32 = i32.data as Int32Array;
  for (let i = 0; i < n; i++) d32[i] = rnd() % 4 === 0 ? -2147483648 + (rnd() % 1000) : 2147483647 - (rnd() % 1000);
  let exact = 0n;
  for (let i = 0; i < n; i += 100_000) {
    let part = 0;
    for (let j = i; j < Math.min(n, i + 100_000); j++) part += d32[j]!;
    exact += BigInt(part);
  }
  let mn = Infinity;
  let mx = -Infinity;
  for (const v of d32) {
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  const i32m = i32.reshape([2500, 1000]);
  const colSums = Array.from({ length: 1000 }, (_, j) => {
    let s = 0n;
    for (let i = 0; i < 2500; i++) s += BigInt(d32[i * 1000 + j]!);
    return s;
  });
  const near = nd.array([2n ** 62n, 2n ** 62n + 1n, 2n ** 62n + 2n, 2n ** 62n + 3n, -5n], { dtype: 'int64' });
  const nearSum = BigInt.asIntN(64, 4n * 2n ** 62n + 6n - 5n);
  const u64 = nd.array([2n ** 64n - 1n, 1n, 2n ** 63n, 7n], { dtype: 'uint64' });
  const threes = nd.full([50], 3, { dtype: 'int32' });
  const np = numpy()
    ? (JSON.parse(
        python(
          `a = np.fromfile(D + '/near', '<i8'); u = np.fromfile(D + '/u64', '<u8'); th = np.full(50, 3, dtype=np.int32)\n` +
            `print(json.dumps({'near': str(a.sum()), 'u64sum': str(u.sum()), 'u64max': str(u.max()), 'u64min': str(u.min()), 'prod': str(th.prod())}))`,
          { near: bytesOf(near.data), u64: bytesOf(u64.data) },
        ).stdout,
      ) as Record<string, string>)
    : undefined;
  if (!np) t.skip(SKIP_MESSAGE);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      t.equal(await pool.reduce(i32, 'sum'), exact, `${backend}: int32 sum of ${n} elements is the exact BigInt ${exact}`);
      t.equal(await pool.reduce(i32, 'sum', { chunkSize: 4097 }), exact, 'the same with 611 chunks');
      t.equal(await pool.reduce(i32, 'min'), mn, 'int32 min');
      t.equal(await pool.reduce(i32, 'max'), mx, 'int32 max');
      t.ok(close((await pool.reduce(i32, 'mean')) as number, Number(exact) / n, 1e-12), 'int32 mean (float64)');
      const cols = (await pool.reduce(i32m, 'sum', { axis: 0 })) as nd.NDArray;
      t.equal(cols.dtype, 'int64', 'int32 sum along an axis is int64, as in NumPy');
      t.deepEqual(Array.from(cols.data as BigInt64Array), colSums, 'exact column sums');
      pool.store.release(cols);
      const rows = (await pool.reduce(i32m, 'max', { axis: -1 })) as nd.NDArray;
      t.equal(rows.dtype, 'int32', 'max keeps the dtype');
      t.equal(Math.max(...(rows.data as Int32Array)), mx);
      pool.store.release(rows);

      const s = await pool.reduce(near, 'sum');
      t.equal(s, nearSum, `int64 sum wraps around: ${String(s)}`);
      if (np) t.equal(String(s), np.near, 'as NumPy');
      const nearAxis = (await pool.reduce(near.reshape([5, 1]), 'sum', { axis: 0 })) as nd.NDArray;
      t.equal(nearAxis.get(0), nearSum, 'also along an axis');
      pool.store.release(nearAxis);
      t.equal(await pool.reduce(u64, 'max'), 2n ** 64n - 1n, 'uint64 max above 2^63');
      t.equal(await pool.reduce(u64, 'min'), 1n, 'uint64 min');
      t.equal(await pool.reduce(u64, 'sum'), BigInt.asUintN(64, 2n ** 64n - 1n + 1n + 2n ** 63n + 7n), 'uint64 sum wraps');
      if (np)
        t.deepEqual(
          [String(await pool.reduce(u64, 'sum')), String(await pool.reduce(u64, 'max')), String(await pool.reduce(u64, 'min'))],
          [np.u64sum, np.u64max, np.u64min],
          'uint64 as NumPy',
        );
      const p = await pool.reduce(threes, 'prod', { chunkSize: 7 });
      t.equal(p, BigInt.asIntN(64, 3n ** 50n), 'int32 prod wraps at 64 bits over 8 chunks');
      if (np) t.equal(String(p), np.prod, 'as NumPy');
      t.equal(await pool.reduce(nd.array([true, false, true, true]), 'sum'), 3n, 'bool sum counts');
    });
  }
});

test('reduce: NaN propagates through min/max; float16 along an axis; empty arrays; custom {map, combine, init}', async (t) => {
  t.timeoutAfter(TEST_MS);
  const x = nd.random.uniform([40, 50], { seed: 2 });
  (x.data as Float64Array)[37 * 50 + 11] = NaN;
  const h = nd.array(
    [
      [1.5, -2, 3],
      [4, 5.25, -6],
    ],
    { dtype: 'float16' },
  );
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      for (const op of ['min', 'max'] as const) {
        t.ok(Number.isNaN((await pool.reduce(x, op, { chunkSize: 100 })) as number), `${backend}: ${op} is NaN`);
        const r = (await pool.reduce(x, op, { axis: 1 })) as nd.NDArray;
        const nans = flat(r).map((v) => Number.isNaN(v));
        t.ok(nans[37] && nans.filter(Boolean).length === 1, `${op} along axis 1: NaN only in row 37`);
        pool.store.release(r);
      }
      const hmax = (await pool.reduce(h, 'max', { axis: 1 })) as nd.NDArray;
      t.equal(hmax.dtype, 'float16');
      t.deepEqual(hmax.toArray(), [3, 5.25], 'float16 max along an axis is encoded as float16');
      const hmin = (await pool.reduce(h, 'min', { axis: 0 })) as nd.NDArray;
      t.deepEqual(hmin.toArray(), [1.5, -2, -6], 'float16 min along axis 0');
      const hsum = (await pool.reduce(h, 'sum', { axis: 0 })) as nd.NDArray;
      t.equal(hsum.dtype, nd.sum(h, { axis: 0 }).dtype, `float16 sums give ${hsum.dtype}, as nd.sum (one rule: math's)`);
      for (const op of ['sum', 'prod', 'min', 'max', 'mean'] as const) {
        for (const dtype of ['float16', 'bfloat16', 'float32', 'bool', 'int8', 'uint16', 'int64', 'uint64'] as const) {
          const a = nd.ones([2, 3], { dtype });
          const r = (await pool.reduce(a, op, { axis: 1 })) as nd.NDArray;
          const m = (nd as unknown as Record<string, (x: nd.NDArray, o: object) => nd.NDArray>)[op]!(a, { axis: 1 });
          if (r.dtype !== m.dtype) t.fail(`${op}(${dtype}) along an axis: pool ${r.dtype}, nd.${op} ${m.dtype}`);
          pool.store.release(r);
        }
      }
      t.pass("pool.reduce along an axis gives nd.sum/prod/min/max/mean's dtype for 8 dtypes");
      t.deepEqual(hsum.toArray(), [5.5, 3.25, -3]);
      t.equal(await pool.reduce(h, 'max'), 5.25, 'float16 whole max');
      for (const y of [hmax, hmin, hsum]) pool.store.release(y);

      t.equal(await pool.reduce(nd.zeros([0]), 'sum'), 0, 'empty float sum is 0');
      t.equal(await pool.reduce(nd.zeros([0], { dtype: 'int32' }), 'sum'), 0n, 'empty int sum is 0n');
      t.equal(await pool.reduce(nd.zeros([0]), 'prod'), 1, 'empty prod is 1');
      t.ok(Number.isNaN((await pool.reduce(nd.zeros([0]), 'mean')) as number), 'empty mean is NaN');
      // The same class and code as nd.max of an empty array.
      let mathErr: Error | undefined;
      try {
        nd.max(nd.zeros([0]));
      } catch (e) {
        mathErr = e as Error;
      }
      const pe = await rejectsCoded(t, 'empty max', pool.reduce(nd.zeros([0]), 'max'), NdshareRangeError, codes.INVALID_ARG_VALUE, /non-empty/);
      t.equal(pe.constructor, mathErr?.constructor, 'empty max: the class nd.max throws');
      t.equal(pe.message, mathErr?.message, 'and its message');
      await rejectsCoded(t, 'empty min along an axis', pool.reduce(nd.zeros([3, 0]), 'min', { axis: 1 }), NdshareRangeError, codes.INVALID_ARG_VALUE);

      const y = nd.random.uniform([123, 45], { seed: 8, low: -2, high: 2 });
      // combine must be associative with init as identity: it also combines the chunks' partials.
      const sq = { map: (v: number, a: unknown) => (v * (a as { w: number }).w) ** 2, combine: (acc: number, v: number) => acc + v, init: 0 };
      const want = flat(y).reduce((acc: number, v) => acc + (Number(v) * 3) ** 2, 0);
      const got = (await pool.reduce(y, sq, { args: { w: 3 }, chunkSize: 100 })) as number;
      t.ok(close(got, want, 1e-12), `custom sum of squares with args: ${got} (here ${want})`);
      const mx = { combine: (a: number, b: number) => Math.max(a, b), init: -Infinity };
      t.equal(await pool.reduce(y, mx), Math.max(...flat(y).map(Number)), 'custom max without map');
      for (const axis of [0, -1]) {
        const r = (await pool.reduce(y, sq, { axis, args: { w: 3 } })) as nd.NDArray;
        const ax = axis < 0 ? axis + 2 : axis;
        t.equal(r.dtype, 'float64', `custom along axis ${axis}: float64`);
        allClose(
          t,
          flat(r),
          lines(y, ax).map((l) => l.reduce((acc, v) => acc + (v * 3) ** 2, 0)),
          1e-12,
          `custom along axis ${axis}`,
        );
        pool.store.release(r);
      }
      t.equal(await pool.reduce(nd.zeros([0]), mx), -Infinity, 'custom over an empty array gives init');
    });
  }
});

// ---- run -----------------------------------------------------------------------------

test('run: NDArray arguments travel as store references (zero copy), nested too; workerContext().store', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const store = pool.store;
      const baseline = store.stats().objects;
      const id = store.put(nd.arange(12).reshape([3, 4]));
      const x = store.get(id);
      type Seen = { shape: number[]; byteOffset: number; shared: boolean; id: string | undefined; writeable: boolean; values: unknown };
      const seen = (await pool.run(TASKS, 'inspect', x.T)) as Seen;
      t.equal(seen.id, id, `${backend}: the worker sees the same store object`);
      t.equal(seen.byteOffset, x.data.byteOffset, 'at the same offset of the shared segment (no copy)');
      t.true(seen.shared, 'over a SharedArrayBuffer');
      t.deepEqual(seen.shape, [4, 3], 'with the view (transposed) the caller passed');
      t.deepEqual(seen.values, x.T.toArray());
      t.false(seen.writeable, 'read-only in the worker');

      const loose = nd.arange(5, { dtype: 'int16' });
      const l = (await pool.run(TASKS, 'inspect', loose)) as Seen;
      t.ok(l.shared && typeof l.id === 'string', 'an array outside the store goes through it (one copy in)');
      t.deepEqual(l.values, [0, 1, 2, 3, 4]);

      const z = store.get(store.put(nd.ones([2, 2]), { name: 'z' }));
      const nested = (await pool.run(TASKS, 'inspectNested', { a: x, list: [loose, { z }], n: 7 })) as Record<string, Seen> & { n: number };
      t.equal(nested.a!.id, id, 'nested in an object');
      t.equal(nested.z!.byteOffset, z.data.byteOffset, 'nested in an array in an object');
      t.deepEqual(nested.l0!.values, [0, 1, 2, 3, 4], 'nested non-store array');
      t.equal(nested.n, 7, 'other values pass through');

      const w = nd.arange(100, { dtype: 'float32' });
      store.put(w, { name: 'weights' });
      const local = store.get('weights');
      const r = (await pool.run(TASKS, 'weights', 'weights')) as { sum: number; byteOffset: number; shape: number[] };
      t.deepEqual(r, { sum: 4950, byteOffset: local.data.byteOffset, shape: [100] }, 'a task reads "weights" by name from workerContext().store, same bytes');
      for (const v of [x, z, local]) store.release(v);
      for (const name of [id, 'z', 'weights']) store.delete(name);
      t.equal(store.stats().objects, baseline, 'temporary copies are gone after the calls');
    });
  }
});

test('run: NDArray results come back as read-only store references; the worker lets go of them', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const store = pool.store;
      const made = (await pool.run(TASKS, 'makeInStore', 6, 2.5)) as { y: nd.NDArray; byteOffset: number };
      t.ok(made.y instanceof nd.NDArray, `${backend}: an NDArray (nested in the result object)`);
      t.equal(made.y.data.byteOffset, made.byteOffset, 'allocated in the store by the task: no copy back');
      t.false(made.y.flags.writeable, 'read-only');
      t.deepEqual(made.y.toArray(), [2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
      const madeId = store.idOf(made.y)!;

      const d = (await pool.run(TASKS, 'doubled', nd.arange(4))) as nd.NDArray;
      t.deepEqual(d.toArray(), [0, 2, 4, 6], 'a result made outside the store');
      t.ok(store.idOf(d) !== undefined && !d.flags.writeable, 'comes back stored and read-only');

      const x = store.get(store.put(nd.arange(8)));
      const e = (await pool.run(TASKS, 'echo', x.slice('::2'))) as nd.NDArray;
      t.equal(store.idOf(e), store.idOf(x), 'an input returned is the same object');
      t.equal(e.data.byteOffset, x.data.byteOffset, 'over the same bytes');
      t.deepEqual(e.toArray(), [0, 2, 4, 6], 'the same view');

      const open = store.zeros([3]);
      open.fill(4);
      const back = (await pool.run(TASKS, 'echo', open)) as nd.NDArray;
      t.deepEqual(back.toArray(), [4, 4, 4], 'an unsealed store array passes through a task and back');

      for (const v of [made.y, d, e, x, back, open]) store.release(v);
      // Each worker drops its hand-off pins with its next task.
      await Promise.all([pool.run(TASKS, 'sleep', 50), pool.run(TASKS, 'sleep', 50)]);
      const entry = store.list().find((o) => o.id === madeId);
      t.equal(entry, undefined, "a result the caller released is freed: it was the caller's (Guarantee 7)");
    });
  }
});

test('run: module as URL, file: string, absolute and relative path; missing export; unclonable values', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const path = fileURLToPath(TASKS);
      for (const [name, m] of [
        ['URL', TASKS],
        ['file: string', TASKS.href],
        ['absolute path', path],
        ['relative path', relative(process.cwd(), path)],
      ] as [string, URL | string][]) {
        t.equal(await pool.run(m, 'sleep', 1), 1, `${backend}: ${name}`);
      }
      await rejectsCoded(t, 'missing export', pool.run(TASKS, 'nope'), NdshareError, codes.NOT_FOUND, /nope/);
      await rejectsCoded(
        t,
        'a function argument',
        pool.run(TASKS, 'noop', () => 1),
        NdshareTypeError,
        codes.INVALID_ARG_TYPE,
        /cloned/,
      );
      await rejectsCoded(t, 'a function result', pool.run(TASKS, 'returnsFunction'), NdshareTypeError, codes.INVALID_ARG_TYPE, /cloned/);
      await rejectsCoded(
        t,
        'a function in map args',
        pool.map(nd.arange(3), (v: number) => v, { args: { f: () => 1 } }),
        NdshareTypeError,
        codes.INVALID_ARG_TYPE,
        /cloned/,
      );
      t.equal(await pool.run(TASKS, 'sleep', 1), 1, 'the pool carries on');
      t.equal(pool.stats().workers.filter((w) => w.busy).length, 0, 'no worker is left busy');
    });
  }
});

// ---- validation ----------------------------------------------------------------------

test('validation: Pool.start options', async (t) => {
  t.timeoutAfter(TEST_MS);
  const T = NdshareTypeError;
  const R = NdshareRangeError;
  const cases: [string, unknown, ErrorClass, string, RegExp][] = [
    ['workers 0', { workers: 0 }, R, codes.INVALID_ARG_VALUE, /options\.workers/],
    ['workers -1', { workers: -1 }, R, codes.INVALID_ARG_VALUE, /options\.workers/],
    ['workers 1.5', { workers: 1.5 }, R, codes.INVALID_ARG_VALUE, /options\.workers/],
    ['workers NaN', { workers: NaN }, R, codes.INVALID_ARG_VALUE, /options\.workers/],
    ['workers Infinity', { workers: Infinity }, R, codes.INVALID_ARG_VALUE, /options\.workers/],
    ['workers 257', { workers: 257 }, R, codes.INVALID_ARG_VALUE, /options\.workers/],
    ["workers '2'", { workers: '2' }, T, codes.INVALID_ARG_TYPE, /options\.workers/],
    ["backend 'gpu'", { workers: 1, backend: 'gpu' }, R, codes.INVALID_ARG_VALUE, /options\.backend.*gpu/],
    ["backend ''", { workers: 1, backend: '' }, R, codes.INVALID_ARG_VALUE, /options\.backend/],
    ['store {}', { workers: 1, store: {} }, T, codes.INVALID_ARG_TYPE, /options\.store/],
    ['startTimeout 0', { workers: 1, startTimeout: 0 }, R, codes.INVALID_ARG_VALUE, /options\.startTimeout/],
    ['startTimeout NaN', { workers: 1, startTimeout: NaN }, R, codes.INVALID_ARG_VALUE, /options\.startTimeout/],
    ["startTimeout '5'", { workers: 1, startTimeout: '5' }, T, codes.INVALID_ARG_TYPE, /options\.startTimeout/],
    ["capacity 'lots'", { workers: 1, capacity: 'lots' }, R, codes.INVALID_ARG_VALUE, /options\.capacity/],
    ['options 5', 5, T, codes.INVALID_ARG_TYPE, /options/],
    ['options null', null, T, codes.INVALID_ARG_TYPE, /options/],
  ];
  for (const [label, options, cls, code, message] of cases) {
    await rejectsCoded(t, label, nd.Pool.start(options as nd.PoolOptions), cls, code, message);
  }
});

test('validation: map, mapChunks, reduce, run arguments (nothing leaks into the store)', async (t) => {
  t.timeoutAfter(TEST_MS);
  const T = NdshareTypeError;
  const R = NdshareRangeError;
  const x = nd.arange(6);
  const id = (v: number) => v;
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const before = pool.store.stats().objects;
      const foreign = nd.Store.create({ capacity: '1MiB' });
      const sealed = pool.store.get(pool.store.put(nd.zeros([6])));
      try {
        const cases: [string, () => Promise<unknown>, ErrorClass, string, RegExp][] = [
          ['fn 5', () => pool.map(x, 5 as never), T, codes.INVALID_ARG_TYPE, /\bfn\b/],
          ['fn a string', () => pool.map(x, 'v => v' as never), T, codes.INVALID_ARG_TYPE, /\bfn\b/],
          ['fn null', () => pool.map(x, null as never), T, codes.INVALID_ARG_TYPE, /\bfn\b/],
          ['kernel {}', () => pool.mapChunks(x, {} as never), T, codes.INVALID_ARG_TYPE, /\bkernel\b/],
          ['native fn', () => pool.map(x, Math.sqrt as never), T, codes.INVALID_ARG_TYPE, /native/],
          ['x 5', () => pool.map(5 as never, id), T, codes.INVALID_ARG_TYPE, /\bx\b/],
          ['x a plain list', () => pool.map([1, 2, 3] as never, id), T, codes.INVALID_ARG_TYPE, /x\[0\]/],
          ['x [ndarray, "a"]', () => pool.map([x, 'a'] as never, id), T, codes.INVALID_ARG_TYPE, /x\[1\]/],
          ['x []', () => pool.map([], id), R, codes.INVALID_ARG_VALUE, /\bx\b/],
          ['x null', () => pool.map(null as never, id), T, codes.INVALID_ARG_TYPE, /\bx\b/],
          ['broadcast (6) with (4)', () => pool.map([x, nd.zeros([4])], id), NdshareError, codes.BROADCAST, /broadcast/],
          ['broadcast (3,1) with (2,4)', () => pool.mapChunks([nd.zeros([3, 1]), nd.zeros([2, 4])], () => {}), NdshareError, codes.BROADCAST, /broadcast/],
          ['chunkSize 0', () => pool.map(x, id, { chunkSize: 0 }), R, codes.INVALID_ARG_VALUE, /chunkSize/],
          ['chunkSize -1', () => pool.map(x, id, { chunkSize: -1 }), R, codes.INVALID_ARG_VALUE, /chunkSize/],
          ['chunkSize 1.5', () => pool.map(x, id, { chunkSize: 1.5 }), R, codes.INVALID_ARG_VALUE, /chunkSize/],
          ['chunkSize NaN', () => pool.reduce(x, 'sum', { chunkSize: NaN }), R, codes.INVALID_ARG_VALUE, /chunkSize/],
          ["chunkSize '4'", () => pool.map(x, id, { chunkSize: '4' as never }), T, codes.INVALID_ARG_TYPE, /chunkSize/],
          ['timeout 0', () => pool.map(x, id, { timeout: 0 }), R, codes.INVALID_ARG_VALUE, /timeout/],
          ['timeout -5', () => pool.reduce(x, 'sum', { timeout: -5 }), R, codes.INVALID_ARG_VALUE, /timeout/],
          ['timeout NaN', () => pool.map(x, id, { timeout: NaN }), R, codes.INVALID_ARG_VALUE, /timeout/],
          ["timeout '100'", () => pool.map(x, id, { timeout: '100' as never }), T, codes.INVALID_ARG_TYPE, /timeout/],
          ['signal {}', () => pool.map(x, id, { signal: {} as never }), T, codes.INVALID_ARG_TYPE, /signal/],
          ['signal true', () => pool.reduce(x, 'sum', { signal: true as never }), T, codes.INVALID_ARG_TYPE, /signal/],
          ['onProgress 5', () => pool.map(x, id, { onProgress: 5 as never }), T, codes.INVALID_ARG_TYPE, /onProgress/],
          ['options 5', () => pool.map(x, id, 5 as never), T, codes.INVALID_ARG_TYPE, /options/],
          ['dtype complex256', () => pool.map(x, id, { dtype: 'complex256' as never }), R, codes.DTYPE, /dtype/],
          ['out outside the store', () => pool.map(x, id, { out: nd.zeros([6]) }), R, codes.INVALID_ARG_VALUE, /options\.out/],
          ['out of another store', () => pool.map(x, id, { out: foreign.empty([6]) }), R, codes.INVALID_ARG_VALUE, /options\.out/],
          ['out sealed (read-only)', () => pool.map(x, id, { out: sealed }), R, codes.INVALID_ARG_VALUE, /options\.out/],
          ['out of the wrong shape', () => pool.map(x, id, { out: pool.store.empty([5]) }), NdshareError, codes.SHAPE_MISMATCH, /options\.out/],
          ["reduce op 'median'", () => pool.reduce(x, 'median' as never), R, codes.INVALID_ARG_VALUE, /\bop\b/],
          ['reduce op {combine: 5}', () => pool.reduce(x, { combine: 5, init: 0 } as never), T, codes.INVALID_ARG_TYPE, /\bop\b/],
          ["reduce op init '0'", () => pool.reduce(x, { combine: (a: number, b: number) => a + b, init: '0' } as never), T, codes.INVALID_ARG_TYPE, /\bop\b/],
          [
            'reduce op.map 5',
            () => pool.reduce(x, { map: 5, combine: (a: number, b: number) => a + b, init: 0 } as never),
            T,
            codes.INVALID_ARG_TYPE,
            /op\.map/,
          ],
          ['reduce x [1, 2]', () => pool.reduce([1, 2] as never, 'sum'), T, codes.INVALID_ARG_TYPE, /\bx\b/],
          ['reduce axis 1 of 1-d', () => pool.reduce(x, 'sum', { axis: 1 }), R, codes.OUT_OF_BOUNDS, /axis/],
          ['reduce axis -2 of 1-d', () => pool.reduce(x, 'sum', { axis: -2 }), R, codes.OUT_OF_BOUNDS, /axis/],
          ['run module 5', () => pool.run(5 as never, 'noop'), T, codes.INVALID_ARG_TYPE, /module/],
          ["run module ''", () => pool.run('', 'noop'), T, codes.INVALID_ARG_TYPE, /module/],
          ["run exportName ''", () => pool.run(TASKS, ''), T, codes.INVALID_ARG_TYPE, /exportName/],
          ['run exportName 5', () => pool.run(TASKS, 5 as never), T, codes.INVALID_ARG_TYPE, /exportName/],
        ];
        for (const [label, call, cls, code, message] of cases) await rejectsCoded(t, `${backend}: ${label}`, call(), cls, code, message);
      } finally {
        pool.store.release(sealed);
        foreign.close();
      }
      t.equal(pool.store.stats().objects, before + 2, 'no job left an object behind (only the sealed and the mis-shaped out made here)');
      t.equal(pool.stats().workers.filter((w) => w.busy).length, 0, 'no worker busy');
      t.deepEqual((await pool.map(x, id)).toArray(), [0, 1, 2, 3, 4, 5], 'the pool still works');
    });
  }
});
