/**
 * nd.random's Generator on 10M draws (issue 14), each beside its NumPy twin
 * (bench/numpy/cases.py, same names): one op = one call that allocates and
 * fills the result, from a Generator seeded once (the state moves on between
 * ops, as in a program). The check reads one element inside the timed loop.
 */
import { assert, main, measure, result } from '../harness.js';
import * as nd from '../../src/index.js';

const N = 10_000_000;

function inRange(lo: number, hi: number) {
  return (y: nd.NDArray, i: number) => {
    const k = (i * 7_919_993) % y.size;
    const v = Number(y.data[y.offset + k]);
    if (!(v >= lo && v < hi)) throw new Error(`element ${k} = ${v} outside [${lo}, ${hi})`);
  };
}

function finite(y: nd.NDArray, i: number): void {
  const k = (i * 7_919_993) % y.size;
  if (!Number.isFinite(y.data[y.offset + k] as number)) throw new Error(`element ${k} is not finite`);
}

function one(name: string, op: (g: nd.random.Generator) => nd.NDArray, check: (y: nd.NDArray, i: number) => void, twin: string) {
  return () => {
    const g = nd.random.defaultRng(12345);
    const first = op(nd.random.defaultRng(1));
    assert(first.size > 0, `${name} returns values`);
    const m = measure(name, () => op(g), check);
    return result(name, m, { n: N, per: 'op', twin });
  };
}

await main({
  'random-random': one('random-random', (g) => g.random(N), inRange(0, 1), 'rng.random(N)'),
  'random-integers-int64': one('random-integers-int64', (g) => g.integers(0, 1000, N), inRange(0, 1000), 'rng.integers(0, 1000, N)'),
  'random-integers-int32': one(
    'random-integers-int32',
    (g) => g.integers(0, 1000, N, { dtype: 'int32' }),
    inRange(0, 1000),
    'rng.integers(0, 1000, N, dtype=np.int32)',
  ),
  'random-standard-normal': one('random-standard-normal', (g) => g.standardNormal(N), finite, 'rng.standard_normal(N)'),
  'random-normal': one('random-normal', (g) => g.normal(2, 3, N), finite, 'rng.normal(2, 3, N)'),
  'random-standard-normal-f32': one(
    'random-standard-normal-f32',
    (g) => g.standardNormal(N, { dtype: 'float32' }),
    finite,
    'rng.standard_normal(N, dtype=np.float32)',
  ),
  'random-exponential': one('random-exponential', (g) => g.exponential(2, N), inRange(0, Infinity), 'rng.exponential(2, N)'),
  'random-choice-1M-of-10M': one(
    'random-choice-1M-of-10M',
    (g) => g.choice(N, 1_000_000, { replace: false }),
    inRange(0, N),
    'rng.choice(N, 1_000_000, replace=False)',
  ),
  'random-permutation': one('random-permutation', (g) => g.permutation(N), inRange(0, N), 'rng.permutation(N)'),
});
