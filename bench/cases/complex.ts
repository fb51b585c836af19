/**
 * Complex ufuncs against NumPy (native loops, native/kernels/elementwise/
 * complex.inc): 1M elements, allocation included, one row per op (the same
 * rows as `_COMPLEX_ROWS` in bench/numpy/cases.py). Inputs are seeded uniform
 * parts in [-3, 3); each result is checked at one element that changes with
 * the repetition (finite), so the work cannot be skipped.
 */
import { main, measure, result, type Case } from '../harness.js';
import * as nd from '../../src/index.js';

const N = 1_000_000;

function input(seed: number, dtype: 'complex64' | 'complex128'): nd.NDArray {
  const re = nd.random.uniform([N], { low: -3, high: 3, seed });
  const im = nd.random.uniform([N], { low: -3, high: 3, seed: seed + 100 });
  const z = nd.zeros([N], { dtype });
  nd.real(z).assign(re);
  nd.imag(z).assign(im);
  return z;
}

type Row = [name: string, op: string, binary: boolean, dtype: 'complex64' | 'complex128', fn: (x: nd.NDArray, y: nd.NDArray) => nd.NDArray];

const ROWS: Row[] = [
  ['complex-multiply-c128', 'nd.multiply(x, y)', true, 'complex128', (x, y) => nd.multiply(x, y)],
  ['complex-multiply-c64', 'nd.multiply(x, y)', true, 'complex64', (x, y) => nd.multiply(x, y)],
  ['complex-add-c128', 'nd.add(x, y)', true, 'complex128', (x, y) => nd.add(x, y)],
  ['complex-divide-c128', 'nd.divide(x, y)', true, 'complex128', (x, y) => nd.divide(x, y)],
  ['complex-square-c128', 'nd.square(x)', false, 'complex128', (x) => nd.square(x)],
  ['complex-abs-c128', 'nd.abs(x)', false, 'complex128', (x) => nd.abs(x)],
  ['complex-exp-c128', 'nd.exp(x)', false, 'complex128', (x) => nd.exp(x)],
  ['complex-log-c128', 'nd.log(x)', false, 'complex128', (x) => nd.log(x)],
  ['complex-sqrt-c128', 'nd.sqrt(x)', false, 'complex128', (x) => nd.sqrt(x)],
  ['complex-arcsin-c128', 'nd.arcsin(x)', false, 'complex128', (x) => nd.arcsin(x)],
  ['complex-power-c128', 'nd.power(x, y)', true, 'complex128', (x, y) => nd.power(x, y)],
];

function rowCase([name, op, binary, dtype, fn]: Row): Case {
  return () => {
    const x = input(binary ? 1 : 3, dtype);
    const y = input(2, dtype);
    const m = measure(
      name,
      () => fn(x, y),
      (r, i) => {
        const k = (i * 7919) % N;
        const d = r.data as Float64Array | Float32Array;
        const lanes = r.dtype.startsWith('complex') ? 2 : 1;
        if (!Number.isFinite(d[lanes * k]!)) throw new Error(`${name}: element ${k}`);
      },
    );
    return result(name, m, { n: N, dtype, per: 'op', op });
  };
}

const cases: Record<string, Case> = Object.fromEntries(ROWS.map((r) => [r[0], rowCase(r)]));

await main(cases);
