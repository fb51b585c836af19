// The examples run (small sizes) and agree with their NumPy originals
// (bench/numpy/example_cases.py), so they cannot rot: k-means (the same points
// and initial centres for the same seeds, NumPy's rng.choice bit for bit) and
// the heat stencil, the NumPy way and on a pool of worker processes.
import test from 'tape';
import * as nd from '../src/index.js';
import { checkAll, skipWithoutNumpy, type Case } from './helpers/numpy-diff.js';
import { blobs, kmeans, kmeansPool } from '../examples/kmeans.js';
import { heat, heatPool } from '../examples/heat.js';

const mod = `__import__('sys').path.insert(0, ${JSON.stringify(new URL('../bench/numpy', import.meta.url).pathname)}) or __import__('example_cases')`;

test('13e examples: k-means and heat against their NumPy originals', (t) => {
  if (skipWithoutNumpy(t)) return;
  const X = blobs(2000, 3, 5, 1);
  const km = kmeans(X, 5, 6, 0);
  const tol = { ulps: 64, floor: 1 };
  const cases: Case[] = [
    { label: 'blobs', expr: `(${mod}).blobs(2000, 3, 5, 1)`, args: [], ours: () => X, tol },
    { label: 'kmeans centres', expr: `(${mod}).kmeans(a0, 5, 6, 0)[0]`, args: [X], ours: () => km.C, tol },
    { label: 'kmeans labels', expr: `(${mod}).kmeans(a0, 5, 6, 0)[1]`, args: [X], ours: () => km.labels },
    { label: 'heat', expr: `(${mod}).heat(40, 12)`, args: [], ours: () => heat(40, 12), tol: { ulps: 4, floor: 1 } },
  ];
  t.equal(checkAll(t, 'examples', cases), 0);
  t.end();
});

test('13e examples on a pool give the single-process results', async (t) => {
  const pool = await nd.Pool.start({ workers: 2, capacity: '64MiB' });
  try {
    const X = blobs(3000, 4, 6, 2);
    const a = kmeans(X, 6, 5, 3);
    const b = await kmeansPool(pool, pool.store.get(pool.store.put(X)), 6, 5, 3);
    t.ok(nd.arrayEqual(a.labels, b.labels), 'kmeansPool: same labels');
    t.ok(nd.allclose(a.C, b.C, { rtol: 1e-12, atol: 1e-12 }), 'kmeansPool: same centres');
    const u = heat(64, 15);
    const v = await heatPool(pool, 64, 15);
    t.ok(nd.allclose(u, v, { rtol: 0, atol: 1e-12 }), 'heatPool: same plate');
  } finally {
    await pool.close();
  }
  t.end();
});
