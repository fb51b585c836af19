// Any task shape on real worker processes and threads: mapChunks with an
// output of another shape (row-wise reductions, k values per row), NDArrays
// anywhere inside args arriving as NDArrays, pool.run with an inline function
// (and the task-object form), typed results; errors that point at the user's
// code (the shipped function's frame, the caller's frames, the element and
// chunk); kernel threads per worker process (workers × threads ≤ cores,
// overridable, nd.setThreads inside a worker respected).
import test from 'tape';
import { availableParallelism } from 'node:os';
import * as nd from '../src/index.js';
import { codes, NdshareError } from '../src/index.js';
import { releaseResults, within, withPool } from './helpers/pool.js';

const BACKENDS: nd.Backend[] = ['process', 'thread'];
const TASKS = new URL('./fixtures/pool-tasks.ts', import.meta.url);
const TEST_MS = 120_000;

type Coded = Error & { code?: string; index?: number; chunk?: number };

async function rejection(t: test.Test, label: string, p: Promise<unknown>): Promise<Coded> {
  try {
    await within(p, 30_000, label);
  } catch (e) {
    return e as Coded;
  }
  t.fail(`${label}: did not reject`);
  return new Error('resolved') as Coded;
}

function close(a: number, b: number, tol = 1e-12): boolean {
  return Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));
}

test('mapChunks with outShape: a row-wise reduction [rows] and k values per row [rows, k]; a leading axis that is not the rows is refused', async (t) => {
  t.timeoutAfter(TEST_MS);
  const x = nd.random.uniform([257, 33], { seed: 5, low: -3, high: 3 });
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      // Row norms: one value per row.
      const norms = await pool.mapChunks(
        x,
        ([xs], out) => {
          const [rows, cols] = xs!.shape as [number, number];
          for (let i = 0; i < rows; i++) {
            let s = 0;
            for (let j = 0; j < cols; j++) s += (xs!.get(i, j) as number) ** 2;
            out.set(i, Math.sqrt(s));
          }
        },
        { outShape: [257], chunkSize: 16 },
      );
      t.deepEqual(norms.shape, [257], `${backend}: shape [rows]`);
      const want = nd.sqrt(nd.sum(nd.multiply(x, x), { axis: 1 }));
      let ok = true;
      for (let i = 0; i < 257; i++) ok &&= close(norms.get(i) as number, want.get(i) as number);
      t.ok(ok, 'row norms equal nd.sqrt(nd.sum(x*x, axis 1))');
      pool.store.release(norms);

      // min, max, mean per row, as float32.
      const stats = await pool.mapChunks(
        x,
        ([xs], out) => {
          for (let i = 0; i < xs!.shape[0]!; i++) {
            let lo = Infinity;
            let hi = -Infinity;
            let s = 0;
            for (let j = 0; j < xs!.shape[1]!; j++) {
              const v = xs!.get(i, j) as number;
              lo = Math.min(lo, v);
              hi = Math.max(hi, v);
              s += v;
            }
            out.set(i, 0, lo);
            out.set(i, 1, hi);
            out.set(i, 2, s / xs!.shape[1]!);
          }
        },
        { outShape: [257, 3], dtype: 'float32' },
      );
      t.deepEqual([stats.shape, stats.dtype], [[257, 3], 'float32'], 'shape [rows, 3], dtype float32');
      const mn = nd.min(x, { axis: 1 });
      const mx = nd.max(x, { axis: 1 });
      const me = nd.mean(x, { axis: 1 });
      ok = true;
      for (let i = 0; i < 257; i++) {
        ok &&= close(stats.get(i, 0) as number, mn.get(i) as number, 1e-6) && close(stats.get(i, 1) as number, mx.get(i) as number, 1e-6);
        ok &&= close(stats.get(i, 2) as number, me.get(i) as number, 1e-6);
      }
      t.ok(ok, 'per-row min, max, mean equal nd.min/max/mean along axis 1 (float32 tolerance)');
      pool.store.release(stats);

      for (const bad of [[256], [257, 3].reverse(), []]) {
        const e = await rejection(
          t,
          `outShape ${bad}`,
          pool.mapChunks(x, () => {}, { outShape: bad }),
        );
        t.ok(e instanceof NdshareError && e.code === codes.SHAPE_MISMATCH, `outShape [${bad}]: ${e.code}: ${e.message}`);
      }
      const e = await rejection(
        t,
        'outShape type',
        pool.mapChunks(x, () => {}, { outShape: 'x' as unknown as number[] }),
      );
      t.equal(e.code, codes.INVALID_ARG_TYPE, 'outShape of the wrong type');
    });
  }
});

test('NDArrays anywhere inside args arrive as NDArrays (map, mapChunks, reduce, run): k-means assignment with {args: {C}}', async (t) => {
  t.timeoutAfter(TEST_MS);
  const X = nd.random.uniform([500, 4], { seed: 11 });
  const C = nd.random.uniform([5, 4], { seed: 12 });
  // Reference, here.
  const want: number[] = [];
  for (let i = 0; i < 500; i++) {
    let best = 0;
    let bd = Infinity;
    for (let c = 0; c < 5; c++) {
      let d = 0;
      for (let j = 0; j < 4; j++) d += ((X.get(i, j) as number) - (C.get(c, j) as number)) ** 2;
      if (d < bd) [bd, best] = [d, c];
    }
    want.push(best);
  }
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const assign = await pool.mapChunks(
        X,
        ([xs], out, a: { C: nd.NDArray; meta: { k: number } }) => {
          for (let i = 0; i < xs!.shape[0]!; i++) {
            let best = 0;
            let bd = Infinity;
            for (let c = 0; c < a.meta.k; c++) {
              let d = 0;
              for (let j = 0; j < xs!.shape[1]!; j++) d += ((xs!.get(i, j) as number) - (a.C.get(c, j) as number)) ** 2;
              if (d < bd) {
                bd = d;
                best = c;
              }
            }
            out.set(i, best);
          }
        },
        { outShape: [500], dtype: 'int32', args: { C, meta: { k: 5 } } },
      );
      t.deepEqual(assign.toArray(), want, `${backend}: assignments with C in {args: {C}} equal the reference`);
      pool.store.release(assign);

      const table = nd.array([10, 20, 30, 40]);
      const y = await pool.map(nd.array([3, 0, 2]), (v: number, a: { lut: [nd.NDArray] }) => a.lut[0].get(v) as number, { args: { lut: [table] } });
      t.deepEqual(y.toArray(), [40, 10, 30], 'map: an NDArray nested in an array inside args');
      releaseResults(pool.store, y); // small: a local array

      const w = nd.array([1, 2, 3]);
      const r = await pool.reduce(
        nd.array([1, 1, 1]),
        { map: (v: number, a: { w: nd.NDArray }) => v * (a.w.get(1) as number), combine: (p, q) => p + q, init: 0 },
        { args: { w } },
      );
      t.equal(r, 6, 'reduce: an NDArray in args');

      const seen = (await pool.run({ module: TASKS, name: 'inspectNested', args: [{ a: w, list: [X, { z: C }], n: 7 }] })) as Record<
        string,
        { shape: number[] }
      >;
      t.deepEqual([seen.a!.shape, seen.l0!.shape, seen.z!.shape], [[3], [500, 4], [5, 4]], 'run (task object): nested NDArrays');
      t.equal(pool.store.stats().objects, pool.store.stats().objects, 'store still consistent');
      t.deepEqual(pool.store.check(), [], 'store check');
    });
  }
});

test('pool.run with an inline function: fn(...args, {nd, store, workerIndex}); NDArrays in and out; typed result; a free variable is a coded error', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const a = nd.arange(6).reshape([2, 3]);
      const b = nd.ones([3, 2]);
      const y = await pool.run<nd.NDArray>({
        fn: (p: nd.NDArray, q: { b: nd.NDArray }, ctx: nd.TaskContext) => ctx.nd.matmul(p.astype('float64'), q.b),
        args: [a, { b }],
      });
      t.deepEqual(
        y.toArray(),
        [
          [3, 3],
          [12, 12],
        ],
        `${backend}: matmul in the worker, NDArray result`,
      );
      t.equal(y.flags.writeable, false, 'the result is a read-only view of the store');
      pool.store.release(y);
      const n = await pool.run<number>({ fn: (k: number, ctx: nd.TaskContext) => k * 2 + ctx.workerIndex * 0, args: [21] });
      t.equal(n, 42, 'a plain value');
      const asyncFn = await pool.run<string>({ fn: async (s: string) => `${s}!`, args: ['hi'] });
      t.equal(asyncFn, 'hi!', 'an async function');
      const outer = 5;
      const e = await rejection(t, 'free variable', pool.run({ fn: () => outer + 1 }));
      t.ok(e instanceof NdshareError && e.code === codes.INVALID_ARG_VALUE && /outside its body/.test(e.message), `free variable: ${e.code}: ${e.message}`);
      const e2 = await rejection(t, 'bad task', pool.run({ fn: 3 } as unknown as nd.RunFunctionTask));
      t.equal(e2.code, codes.INVALID_ARG_TYPE, 'fn must be a function');
      const e3 = await rejection(t, 'bad args', pool.run({ module: TASKS, name: 'noop', args: 3 } as unknown as nd.RunModuleTask));
      t.equal(e3.code, codes.INVALID_ARG_TYPE, 'args must be an array');
      t.equal(await pool.run(TASKS, 'sleep', 3), 3, 'the positional form still works');
      const total: number | bigint = await pool.reduce(nd.array([1, 2, 3], { dtype: 'int32' }), 'sum');
      t.equal(total, 6n, 'reduce typed by its op (number | bigint)');
      const along: nd.NDArray = await pool.reduce(nd.ones([2, 2]), 'sum', { axis: 0 });
      t.deepEqual(along.toArray(), [2, 2], 'reduce along an axis is typed NDArray');
      pool.store.release(along);
    });
  }
});

test('errors point at the user code: the shipped function frame (name, line), the caller frames, the element and chunk', async (t) => {
  t.timeoutAfter(TEST_MS);
  for (const backend of BACKENDS) {
    await withPool(backend, async (pool) => {
      const e = await rejection(
        t,
        'named element function',
        pool.map(
          nd.arange(1000),
          // Built from source text: tsx would put a test's own function on one line.
          (0, eval)(`(function checkElement(v) {
            if (v === 777) {
              throw new RangeError('bad element ' + v);
            }
            return v;
          })`) as (v: number) => number,
          { chunkSize: 100 },
        ),
      );
      t.ok(e instanceof RangeError, `${backend}: class kept`);
      t.equal(e.index, 777, 'index: the element');
      t.equal(e.chunk, 7, 'chunk: the chunk');
      t.match(e.message, /^bad element 777 \(in the pool worker: element 777, chunk 7\)$/, 'both in the message');
      const stack = e.stack ?? '';
      t.match(stack, /at checkElement \(ndshare-pool\/fn\/checkElement\.js:3:\d+\)/, 'the function frame: its name, line 3 of its source');
      const caller = stack.split('--- in the worker; called from ---')[1] ?? '';
      t.match(caller, /53\.pool-shapes\.test\.ts/, "the caller's frames follow");
      t.doesNotMatch(caller, /src\/pool\//, "without the pool's own frames");

      // An odd dtype takes the generic loop: the element index still comes.
      const e2 = await rejection(
        t,
        'bool',
        pool.map(
          nd.array([true, false, true, true]),
          (v: boolean) => {
            if (!v) throw new Error('false!');
            return 1;
          },
          { dtype: 'float64' },
        ),
      );
      t.equal(e2.index, 1, 'generic loop: index 1');

      const e3 = await rejection(
        t,
        'kernel',
        pool.mapChunks(
          nd.zeros([40, 2]),
          (_i, _o, _a, r) => {
            if (r.start >= 20) throw new TypeError('late rows');
          },
          { chunkSize: 10 },
        ),
      );
      t.match(e3.message, /late rows \(in the pool worker: rows (20\.\.30|30\.\.40), chunk [23]\)/, `mapChunks: rows and chunk (${e3.message})`);

      const e4 = await rejection(
        t,
        'reduce',
        pool.reduce(
          nd.arange(100),
          {
            combine: (acc: number, v: number) => {
              if (v === 42) throw new Error('no 42');
              return acc + v;
            },
            init: 0,
          },
          { chunkSize: 10 },
        ),
      );
      t.equal(e4.index, 42, 'custom reduce: the element');
      t.equal(e4.chunk, 4, 'and chunk');

      const e5 = await rejection(
        t,
        'inline run',
        pool.run({
          fn: function loader(): never {
            throw new Error('cannot load');
          },
        }),
      );
      t.match(e5.stack ?? '', /loader.* \(ndshare-pool\/task\.fn\/loader\.js:\d+:\d+\)/, 'inline run: the function frame');
    });
  }
});

test('kernel threads: workers × threads ≤ cores by default, kernelThreads overrides, nd.setThreads in a worker is respected', async (t) => {
  t.timeoutAfter(TEST_MS);
  const cores = availableParallelism();
  await withPool('process', async (pool) => {
    const got = await Promise.all([pool.run(TASKS, 'threads'), pool.run(TASKS, 'threads')]);
    t.deepEqual(got, [Math.max(1, Math.floor(cores / 2)), Math.max(1, Math.floor(cores / 2))], `2 workers on ${cores} cores: ${got} threads each`);
  });
  await withPool(
    'process',
    async (pool) => {
      t.equal(await pool.run(TASKS, 'threads'), 3, 'kernelThreads: 3');
    },
    { kernelThreads: 3, workers: 1 },
  );
  await withPool(
    'process',
    async (pool) => {
      t.equal(await pool.run(TASKS, 'threads', 2), 2, 'a task sets 2');
      t.equal(await pool.run(TASKS, 'threads'), 2, 'the next task on that worker still has 2');
    },
    { workers: 1, kernelThreads: 1 },
  );
  const e = await rejection(t, 'bad kernelThreads', nd.Pool.start({ workers: 1, kernelThreads: 0 }));
  t.equal(e.code, codes.INVALID_ARG_VALUE, 'kernelThreads: 0 is refused');
});
