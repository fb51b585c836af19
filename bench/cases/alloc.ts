/**
 * Loops whose results change size from one op to the next (issue 16, item 4):
 * what a result costs when the memory freed by the previous ones has another
 * size. One op = one whole round of calls, allocation of every result included;
 * the results of a round are dropped before the next (NumPy frees them at
 * once, V8 when it collects them). NumPy twins in bench/numpy/cases.py.
 *
 * - `alloc-mixed-loop`: on 10M float64 `x`, `x.astype('float32')` (40 MB),
 *   `x[:7M] + 1` (56 MB), `(x[:3M] * 1000).astype('int32')` (24 + 12 MB),
 *   `sqrt(x[:4.5M])` (36 MB) and `sum` of the last one.
 * - `alloc-astype-sizes`: `x[:n].astype('float32')` with a new n at every op,
 *   `n = 2.5M + (i * 1_234_567) % 7.5M` (10-40 MB, never the same twice in a
 *   row): one call per op.
 * - `alloc-zeros-fill`: `nd.zeros(n)` then `fill(1)` for the same sizes: the
 *   zeroed path (`np.zeros` + `fill`).
 */
import { main, measure, result } from '../harness.js';
import * as nd from '../../src/index.js';

const N = 10_000_000;
const SIZES = [10_000_000, 7_000_000, 4_000_000, 9_000_000, 2_500_000];
/** The length of op i's cast in alloc-astype-sizes (the same formula in the NumPy twin). */
const castLength = (i: number): number => 2_500_000 + ((i * 1_234_567) % 7_500_000);

function mixedRound(x: nd.NDArray): { a: nd.NDArray; b: nd.NDArray; c: nd.NDArray; d: nd.NDArray; s: number } {
  const a = x.astype('float32');
  const b = nd.add(x.slice(':7000000'), 1);
  const c = nd.multiply(x.slice(':3000000'), 1000).astype('int32');
  const d = nd.sqrt(x.slice(':4500000'));
  const s = Number(nd.sum(d));
  return { a, b, c, d, s };
}

await main({
  'alloc-mixed-loop': () => {
    const x = nd.random.uniform([N], { seed: 1 });
    const src = x.data as Float64Array;
    const m = measure(
      'alloc-mixed-loop',
      () => mixedRound(x),
      (r, i) => {
        const k = (i * 7_919) % 2_500_000;
        if (r.a.data[k] !== Math.fround(src[k]!)) throw new Error(`astype: element ${k}`);
        if (r.b.data[k] !== src[k]! + 1) throw new Error(`add: element ${k}`);
        if (r.c.data[k] !== Math.trunc(src[k]! * 1000)) throw new Error(`astype int32: element ${k}`);
        if (r.d.data[k] !== Math.sqrt(src[k]!)) throw new Error(`sqrt: element ${k}`);
        if (!(r.s > 0)) throw new Error('sum');
      },
    );
    return result('alloc-mixed-loop', m, { n: N, per: 'round of 5 calls (164 MB of results)' });
  },
  'alloc-astype-sizes': () => {
    const x = nd.random.uniform([N], { seed: 2 });
    const src = x.data as Float64Array;
    const m = measure(
      'alloc-astype-sizes',
      (i) => x.slice(`:${castLength(i)}`).astype('float32'),
      (y, i) => {
        const n = castLength(i);
        const k = (i * 7_919) % n;
        if (y.size !== n || y.data[k] !== Math.fround(src[k]!)) throw new Error(`astype: element ${k} of ${n}`);
      },
    );
    return result('alloc-astype-sizes', m, { sizes: '2.5M + (i * 1234567) % 7.5M', per: 'op (one cast; a new size each op)' });
  },
  'alloc-zeros-fill': () => {
    const m = measure(
      'alloc-zeros-fill',
      (i) => nd.zeros([SIZES[i % SIZES.length]!]).fill(1),
      (z, i) => {
        const n = SIZES[i % SIZES.length]!;
        const k = (i * 7_919) % n;
        if (z.size !== n || z.data[k] !== 1) throw new Error(`zeros+fill: element ${k} of ${n}`);
      },
    );
    return result('alloc-zeros-fill', m, { sizes: SIZES, per: 'op (zeros then fill; sizes cycle)' });
  },
});
