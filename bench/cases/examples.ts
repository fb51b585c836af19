/**
 * The examples against their NumPy originals (bench/numpy/example_cases.py):
 * k-means (examples/kmeans.ts: 100,000 points of 8 dimensions, k = 16, 10
 * rounds, the same points and initial centres as NumPy's for the same seeds)
 * and the heat stencil (examples/heat.ts: 500 x 500, 20 steps). One op = one
 * whole run, single process on both sides.
 */
import { main, measure, result, type Case } from '../harness.js';
import { blobs, kmeans } from '../../examples/kmeans.js';
import { heat } from '../../examples/heat.js';

const KMEANS = { n: 100_000, dims: 8, k: 16, iters: 10 };
const HEAT = { n: 500, steps: 20 };

const cases: Record<string, Case> = {
  'example-kmeans': () => {
    const X = blobs(KMEANS.n, KMEANS.dims, KMEANS.k, 1);
    const m = measure(
      'example-kmeans',
      () => kmeans(X, KMEANS.k, KMEANS.iters, 0),
      (r) => {
        if (r.C.shape[0] !== KMEANS.k || r.labels.size !== KMEANS.n) throw new Error('kmeans: wrong shapes');
      },
    );
    return result('example-kmeans', m, { ...KMEANS, per: 'op', op: 'kmeans(X, k, iters) (examples/kmeans.ts)' });
  },
  'example-heat': () => {
    const m = measure(
      'example-heat',
      () => heat(HEAT.n, HEAT.steps),
      (r) => {
        if (r.shape[0] !== HEAT.n) throw new Error('heat: wrong shape');
      },
    );
    return result('example-heat', m, { ...HEAT, per: 'op', op: 'heat(n, steps) (examples/heat.ts)' });
  },
};

await main(cases);
