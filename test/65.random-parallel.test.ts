// Reproducible random streams in parallel jobs, with real worker processes: a
// mapChunks kernel that draws from range.rng(seed) gives the same array with
// 1, 2 or 4 workers (process and thread backends), and with chunk sizes that
// keep the same chunk boundaries; each chunk's numbers are those of
// nd.random.chunkRng(seed, chunkStart) computed in the caller.
import test from 'tape';
import * as nd from '../src/index.js';
import { within } from './helpers/pool.js';

const ROWS = 240;
const COLS = 5;

/** Fills each chunk's rows with normals and integers from the chunk's own generator. */
function kernel(_ins: nd.NDArray[], out: nd.NDArray, args: { seed: number }, range: nd.random.ChunkRange): void {
  const g = range.rng(args.seed);
  const n = out.shape[0]! * out.shape[1]!;
  const z = g.standardNormal(n).data as Float64Array;
  const k = g.integers(0, 1000, n).data as BigInt64Array;
  let p = 0;
  for (let i = 0; i < out.shape[0]!; i++) {
    for (let j = 0; j < out.shape[1]!; j++) {
      out.set(i, j, z[p]! + Number(k[p]!));
      p++;
    }
  }
}

async function run(workers: number, backend: nd.Backend, chunkSize: number, seed: number): Promise<Float64Array> {
  const pool = await within(nd.Pool.start({ workers, backend }), 60_000, `${backend} pool start`);
  try {
    const x = nd.zeros([ROWS, COLS]);
    const out = await within(pool.mapChunks(x, kernel, { chunkSize, args: { seed } }), 60_000, 'mapChunks');
    const v = Float64Array.from(out.copy().data as Float64Array);
    pool.store.release(out);
    return v;
  } finally {
    await within(pool.close(), 15_000, 'close').catch(() => within(pool.destroy(), 15_000, 'destroy'));
  }
}

/** The same numbers computed in this process, chunk by chunk. */
function expected(chunkSize: number, seed: number): Float64Array {
  const v = new Float64Array(ROWS * COLS);
  for (let start = 0; start < ROWS; start += chunkSize) {
    const rows = Math.min(chunkSize, ROWS - start);
    const g = nd.random.chunkRng(seed, start);
    const z = g.standardNormal(rows * COLS).data as Float64Array;
    const k = g.integers(0, 1000, rows * COLS).data as BigInt64Array;
    for (let p = 0; p < rows * COLS; p++) v[start * COLS + p] = z[p]! + Number(k[p]!);
  }
  return v;
}

const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((x, i) => Object.is(x, b[i]));

test('mapChunks with range.rng(seed): same result for 1, 2 and 4 worker processes', async (t) => {
  t.timeoutAfter(300_000);
  const want = expected(16, 42);
  for (const workers of [1, 2, 4]) {
    const got = await run(workers, 'process', 16, 42);
    t.ok(same(got, want), `${workers} process worker(s), chunkSize 16: equal to chunkRng(42, start) per chunk`);
  }
  const threads = await run(2, 'thread', 16, 42);
  t.ok(same(threads, want), '2 thread workers: the same');
  const other = await run(2, 'process', 16, 43);
  t.notOk(same(other, want), 'another seed gives other numbers');
  const coarser = await run(2, 'process', 48, 42);
  t.ok(same(coarser, expected(48, 42)), 'chunkSize 48: the chunkRng rule again (boundaries changed, so the numbers did)');
  t.notOk(same(coarser, want), 'different chunk boundaries give different streams (documented)');
  t.end();
});

test('chunkRng is SeedSequence(seed, spawnKey [start]) over PCG64', (t) => {
  const a = nd.random.chunkRng(7, 160).random(4).toArray();
  const b = new nd.random.Generator(new nd.random.PCG64(new nd.random.SeedSequence(7, { spawnKey: [160] }))).random(4).toArray();
  t.deepEqual(a, b, 'same stream');
  t.notDeepEqual(nd.random.chunkRng(7, 0).random(4).toArray(), a, 'other chunks differ');
  t.end();
});

// ---- map element functions and run tasks -------------------------------------------------

const N = 20_000;

/** Each element adds a draw from its chunk's generator (one stream per chunk, in C order). */
const noisy = (v: number, a: { seed: number }, range: nd.random.ChunkRange) => v + (range.rng(a.seed).random().get() as number);

async function mapWith(workers: number, backend: nd.Backend, seed: number, chunkSize?: number): Promise<Float64Array> {
  const pool = await within(nd.Pool.start({ workers, backend }), 60_000, `${backend} pool start`);
  try {
    const y = await within(pool.map(nd.arange(N), noisy, { args: { seed }, ...(chunkSize ? { chunkSize } : {}) }), 60_000, 'map');
    const v = Float64Array.from(y.copy().data as Float64Array);
    pool.store.release(y);
    return v;
  } finally {
    await within(pool.close(), 15_000, 'close').catch(() => within(pool.destroy(), 15_000, 'destroy'));
  }
}

/** The caller's computation: chunk [start, stop) draws chunkRng(seed, start).random() per element. */
function mapExpected(chunkSize: number, seed: number): Float64Array {
  const v = new Float64Array(N);
  for (let start = 0; start < N; start += chunkSize) {
    const g = nd.random.chunkRng(seed, start);
    for (let i = start; i < Math.min(N, start + chunkSize); i++) v[i] = i + (g.random().get() as number);
  }
  return v;
}

test('map element functions: range.rng(seed) gives the same result for 1, 2 and 4 workers and threads', async (t) => {
  t.timeoutAfter(300_000);
  // The default chunk size does not depend on the worker count: max(4096, ceil(n / 64)) elements.
  const want = mapExpected(4096, 42);
  for (const workers of [1, 2, 4]) {
    t.ok(same(await mapWith(workers, 'process', 42), want), `${workers} process worker(s), default chunks: chunkRng(42, start) per chunk, in C order`);
  }
  t.ok(same(await mapWith(2, 'thread', 42), want), '2 thread workers: the same');
  t.ok(same(await mapWith(4, 'thread', 42), want), '4 thread workers: the same');
  t.ok(same(await mapWith(2, 'process', 42, 1000), mapExpected(1000, 42)), 'chunkSize 1000: the rule with those boundaries');
  t.notOk(same(await mapWith(2, 'process', 7), want), 'another seed, other numbers');
  t.end();
});

test('mapChunks: the default chunk size does not depend on the worker count either', async (t) => {
  t.timeoutAfter(300_000);
  const one = await runDefault(1);
  const four = await runDefault(4);
  t.ok(same(one, four), '1 and 4 workers, default chunkSize: the same numbers');
  t.ok(same(one, expected(Math.ceil(ROWS / 64), 42)), 'chunks of ceil(rows / 64) rows');
  t.end();
});

async function runDefault(workers: number): Promise<Float64Array> {
  const pool = await within(nd.Pool.start({ workers }), 60_000, 'pool start');
  try {
    const out = await within(pool.mapChunks(nd.zeros([ROWS, COLS]), kernel, { args: { seed: 42 }, inline: false }), 60_000, 'mapChunks');
    const v = Float64Array.from(out.copy().data as Float64Array);
    pool.store.release(out);
    return v;
  } finally {
    await within(pool.close(), 15_000, 'close').catch(() => within(pool.destroy(), 15_000, 'destroy'));
  }
}

test('run({fn}): ctx.rng(seed, key) is chunkRng(seed, key), whichever worker runs the task', async (t) => {
  t.timeoutAfter(300_000);
  for (const backend of ['process', 'thread'] as const) {
    const pool = await within(nd.Pool.start({ workers: 2, backend }), 60_000, 'pool start');
    try {
      const draws = await Promise.all(
        [0, 1, 2, 3, 4, 5].map((key) =>
          pool.run<number[]>({
            fn: (seed: number, k: number, ctx: nd.TaskContext) => Array.from(ctx.rng(seed, k).random(3).data as Float64Array),
            args: [9, key],
          }),
        ),
      );
      const want = [0, 1, 2, 3, 4, 5].map((key) => Array.from(nd.random.chunkRng(9, key).random(3).data as Float64Array));
      t.deepEqual(draws, want, `${backend}: each task's numbers depend on (seed, key) only`);
    } finally {
      await within(pool.close(), 15_000, 'close').catch(() => within(pool.destroy(), 15_000, 'destroy'));
    }
  }
  t.end();
});
