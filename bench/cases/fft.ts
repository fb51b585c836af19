/**
 * nd.fft against NumPy (pocketfft): fft of 2^16 and 2^20 complex128 points,
 * fft of 10^6 points, a prime length (10007, Bluestein), fft2 of 1000x1000
 * complex128, rfft of 2^20 float64. Inputs are seeded uniform draws in
 * [-1, 1) as (re, im) pairs, as the NumPy twins (bench/numpy/cases.py).
 * complex128 inputs are views of the pairs (src/fft/complex.ts).
 * Each result's shape is checked inside the timed loop.
 */
import { main, measure, result, type Case } from '../harness.js';
import * as nd from '../../src/index.js';
import { resultOf } from '../../src/fft/complex.js';

function complex(shape: number[], seed: number): nd.NDArray {
  return resultOf({ a: nd.random.uniform([...shape, 2], { low: -1, high: 1, seed }), complex: true });
}

function shapeIs(r: nd.NDArray, shape: number[], what: string): void {
  if (r.shape.length !== shape.length || r.shape.some((d, i) => d !== shape[i])) throw new Error(`${what}: shape ${r.shape}`);
}

const cases: Record<string, Case> = {};

const one = (name: string, make: () => nd.NDArray, run: (x: nd.NDArray) => nd.NDArray, shape: number[], op: string, n: number, dtype: string): void => {
  cases[name] = () => {
    const x = make();
    const m = measure(
      name,
      () => run(x),
      (r) => shapeIs(r, shape, name),
    );
    return result(name, m, { n, dtype, per: 'op', op });
  };
};

for (const n of [1 << 16, 1 << 20, 1000000, 10007]) {
  const name = n === 10007 ? 'fft-prime-10007' : n === 1000000 ? 'fft-1e6' : `fft-2^${Math.log2(n)}`;
  one(
    name,
    () => complex([n], 1),
    (x) => nd.fft.fft(x),
    [n],
    'nd.fft.fft(x)',
    n,
    'complex128',
  );
}
one(
  'fft-fft2-1000',
  () => complex([1000, 1000], 2),
  (x) => nd.fft.fft2(x),
  [1000, 1000],
  'nd.fft.fft2(x)',
  1000,
  'complex128',
);
one(
  'fft-rfft-2^20',
  () => nd.random.uniform([1 << 20], { low: -1, high: 1, seed: 3 }),
  (x) => nd.fft.rfft(x),
  [(1 << 19) + 1],
  'nd.fft.rfft(x)',
  1 << 20,
  'float64',
);

await main(cases);
