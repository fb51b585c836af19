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
