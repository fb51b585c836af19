/**
 * Complex ufuncs against NumPy: 1M complex128 elements (the complex loops run
 * in JS for now, so 1M keeps the run short), `nd.multiply(x, y)` and
 * `nd.exp(x)`, allocation included. Inputs are seeded uniform parts in
 * [-3, 3); each op's result is checked at one element that changes with the op index.
 */
import { main, measure, result, type Case } from '../harness.js';
import * as nd from '../../src/index.js';

const N = 1_000_000;

function input(seed: number): nd.NDArray {
  const re = nd.random.uniform([N], { low: -3, high: 3, seed });
  const im = nd.random.uniform([N], { low: -3, high: 3, seed: seed + 100 });
  const z = nd.zeros([N], { dtype: 'complex128' });
  nd.real(z).assign(re);
  nd.imag(z).assign(im);
  return z;
}

const cases: Record<string, Case> = {
  'complex-multiply-c128': () => {
    const x = input(1);
    const y = input(2);
    const xd = x.data as Float64Array;
    const yd = y.data as Float64Array;
    const m = measure(
      'complex-multiply-c128',
      () => nd.multiply(x, y),
      (r, i) => {
        const k = (i * 7919) % N;
        const want = xd[2 * k]! * yd[2 * k]! - xd[2 * k + 1]! * yd[2 * k + 1]!;
        if (Math.abs((r.data[2 * k] as number) - want) > 1e-12 * Math.max(1, Math.abs(want))) throw new Error(`multiply: element ${k}`);
      },
    );
    return result('complex-multiply-c128', m, { n: N, dtype: 'complex128', per: 'op', op: 'nd.multiply(x, y)' });
  },
  'complex-exp-c128': () => {
    const x = input(3);
    const xd = x.data as Float64Array;
    const m = measure(
      'complex-exp-c128',
      () => nd.exp(x),
      (r, i) => {
        const k = (i * 7919) % N;
        const want = Math.exp(xd[2 * k]!) * Math.cos(xd[2 * k + 1]!);
        if (Math.abs((r.data[2 * k] as number) - want) > 1e-12 * Math.max(1, Math.abs(want))) throw new Error(`exp: element ${k}`);
      },
    );
    return result('complex-exp-c128', m, { n: N, dtype: 'complex128', per: 'op', op: 'nd.exp(x)' });
  },
};

await main(cases);
