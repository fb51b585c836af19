/**
 * `x.astype('float32')` on 10M float64 (C-contiguous, uniform in [0, 1)).
 * One op = one whole cast, allocation of the result included (as in NumPy).
 * NumPy twin: `a.astype(np.float32)`.
 */
import { assert, main, measure, result } from '../harness.js';
import * as nd from '../../src/index.js';

const N = 10_000_000;

await main({
  'astype-f64-f32': () => {
    const x = nd.random.uniform([N], { seed: 1 });
    const src = x.data as Float64Array;
    const m = measure(
      'astype-f64-f32',
      () => x.astype('float32'),
      (y, i) => {
        // One element per op, a different one each time: reading the result
        // keeps the cast alive, and comparing it catches a wrong cast.
        const k = (i * 7_919_993) % N;
        if (y.data[k] !== Math.fround(src[k]!)) throw new Error(`astype float32: element ${k} is wrong`);
      },
    );
    // Once, outside the timing: the whole result.
    const y = x.astype('float32');
    assert(y.dtype === 'float32' && y.size === N, 'astype returns 10M float32');
    const out = y.data as Float32Array;
    for (let k = 0; k < N; k++) assert(out[k] === Math.fround(src[k]!), `element ${k}`);
    return result('astype-f64-f32', m, { n: N, from: 'float64', to: 'float32', per: 'op' });
  },
});
