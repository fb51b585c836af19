/**
 * Element access `x.get(i, j)` in a loop over a 1000×1000 float64 array.
 * One op = one row (1000 calls, summed); times are reported per element.
 * Each row's sum is checked against a plain typed-array sum of the same row,
 * added in the same order (so equal exactly).
 * NumPy twin: `a[i, j]` in a Python loop, same rows, per element.
 */
import { assert, main, measure, result } from '../harness.js';
import * as nd from '../../src/index.js';

const R = 1000;
const C = 1000;

await main({
  'get-loop': () => {
    const x = nd.random.uniform([R, C], { seed: 1 });
    const d = x.data as Float64Array;
    assert(x.flags.cContiguous && x.offset === 0, 'a fresh C-contiguous array');
    const rowSums = new Float64Array(R);
    for (let i = 0; i < R; i++) {
      let s = 0;
      for (let j = 0; j < C; j++) s += d[i * C + j]!;
      rowSums[i] = s;
    }
    const m = measure(
      'get-loop',
      (op) => {
        const i = op % R;
        let s = 0;
        for (let j = 0; j < C; j++) s += x.get(i, j) as number;
        return s;
      },
      (s, op) => {
        if (s !== rowSums[op % R]) throw new Error(`row ${op % R}: sum of get() is ${s}, expected ${rowSums[op % R]}`);
      },
      { itemsPerOp: C },
    );
    return result('get-loop', m, { shape: [R, C], dtype: 'float64', per: 'element' });
  },
});
