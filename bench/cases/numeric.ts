/**
 * Convolution, covariance and interpolation against NumPy (issue 16):
 * `convolve` of 1e5 float64 with 100 taps (NumPy's direct O(n·m) loop),
 * `cov` of 100 variables × 100,000 observations (one GEMM), and `interp`
 * of 1M points into 1,000 sample points. One op = one whole call,
 * allocation of the result included. Twins in bench/numpy/cases.py.
 */
import { assert, main, measure, result, type Case } from '../harness.js';
import * as nd from '../../src/index.js';

const cases: Record<string, Case> = {};

cases['convolve-f64-1e5x100'] = () => {
  const a = nd.random.uniform([100_000], { low: -1, high: 1, seed: 1 });
  const v = nd.random.uniform([100], { low: -1, high: 1, seed: 2 });
  const m = measure(
    'convolve-f64-1e5x100',
    () => nd.convolve(a, v),
    (r) => {
      if (r.size !== 100_099) throw new Error('convolve: wrong length');
    },
  );
  return result('convolve-f64-1e5x100', m, { n: 100_000, taps: 100, dtype: 'float64', per: 'op', op: 'nd.convolve(a, v)' });
};

cases['correlate-f32-1e5x100'] = () => {
  const a = nd.random.uniform([100_000], { low: -1, high: 1, seed: 1 }).astype('float32');
  const v = nd.random.uniform([100], { low: -1, high: 1, seed: 2 }).astype('float32');
  const m = measure(
    'correlate-f32-1e5x100',
    () => nd.correlate(a, v, { mode: 'same' }),
    (r) => {
      if (r.size !== 100_000) throw new Error('correlate: wrong length');
    },
  );
  return result('correlate-f32-1e5x100', m, { n: 100_000, taps: 100, dtype: 'float32', per: 'op', op: "nd.correlate(a, v, {mode: 'same'})" });
};

cases['cov-f64-100x100000'] = () => {
  const x = nd.random.uniform([100, 100_000], { low: 0, high: 1, seed: 3 });
  const m = measure(
    'cov-f64-100x100000',
    () => nd.cov(x),
    (r, i) => {
      const k = i % 100;
      const d = Number(r.item(k, k));
      if (!(d > 0.07 && d < 0.1)) throw new Error(`cov: variance ${d} of a uniform variable`);
    },
  );
  assert(nd.cov(x).shape[0] === 100, 'cov is 100x100');
  return result('cov-f64-100x100000', m, { vars: 100, obs: 100_000, dtype: 'float64', per: 'op', op: 'nd.cov(x)' });
};

cases['interp-f64-1e6'] = () => {
  const x = nd.random.uniform([1_000_000], { low: -0.1, high: 1.1, seed: 4 });
  const xp = nd.linspace(0, 1, 1000);
  const fp = nd.sin(nd.multiply(xp, 6));
  const m = measure(
    'interp-f64-1e6',
    () => nd.interp(x, xp, fp),
    (r, i) => {
      const v = (r.data as Float64Array)[(i * 7919) % 1_000_000]!;
      if (!(v >= -1 && v <= 1)) throw new Error(`interp: ${v} outside [-1, 1]`);
    },
  );
  return result('interp-f64-1e6', m, { n: 1_000_000, xp: 1000, dtype: 'float64', per: 'op', op: 'nd.interp(x, xp, fp)' });
};

await main(cases);
