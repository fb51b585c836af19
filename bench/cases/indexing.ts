/**
 * Indexing against NumPy on 10M elements (issue 12's table): take with random
 * indices, boolean mask x[x > 0] (comparison included, as NumPy's expression),
 * add.at into 1000 bins, nonzero of a bool mask, pad of a 3162x3162 matrix by
 * one (constant), roll by 12345. One op = one whole call, allocation included.
 * Each op's result is checked inside the timed loop at one element.
 */
import { main, measure, result, type Case } from '../harness.js';
import * as nd from '../../src/index.js';

const N = 10_000_000;
const SIDE = 3162;
const BINS = 1000;

const uniform = (low: number, high: number, seed: number, shape: number[] = [N]) => nd.random.uniform(shape, { low, high, seed });
const indices = (n: number, high: number, seed: number) => nd.random.integers([n], { low: 0, high, seed, dtype: 'int64' });

const cases: Record<string, Case> = {
  'idx-take': () => {
    const x = uniform(0, 1, 1);
    const idx = indices(N, N, 2);
    const xd = x.data as Float64Array;
    const id = idx.data as BigInt64Array;
    const m = measure(
      'idx-take',
      () => nd.take(x, idx),
      (r, i) => {
        const k = (i * 7_919_993) % N;
        if (r.data[k] !== xd[Number(id[k])]) throw new Error('take: wrong element');
      },
    );
    return result('idx-take', m, { n: N, dtype: 'float64', per: 'op', op: 'nd.take(x, idx) (random int64 idx)' });
  },
  'idx-mask': () => {
    const x = uniform(-1, 1, 3);
    const m = measure(
      'idx-mask',
      () => x.index(nd.greater(x, 0)),
      (r) => {
        if (!((r.data[0] as number) > 0)) throw new Error('mask: wrong element');
      },
    );
    return result('idx-mask', m, { n: N, dtype: 'float64', per: 'op', op: 'x.index(nd.greater(x, 0))' });
  },
  'idx-add-at': () => {
    const z = nd.zeros([BINS]);
    const idx = indices(N, BINS, 4);
    let calls = 0;
    const m = measure(
      'idx-add-at',
      () => {
        nd.add.at(z, idx, 1);
        calls++;
        return z;
      },
      (r) => {
        if (Math.abs((nd.sum(r).item() as number) - calls * N) > 0) throw new Error('add.at: wrong total');
      },
    );
    return result('idx-add-at', m, { n: N, bins: BINS, dtype: 'float64', per: 'op', op: 'nd.add.at(z, idx, 1)' });
  },
  'idx-nonzero': () => {
    const mask = nd.greater(uniform(-1, 1, 5), 0);
    const md = mask.data as Uint8Array;
    const m = measure(
      'idx-nonzero',
      () => nd.nonzero(mask)[0]!,
      (r) => {
        if (md[Number((r.data as BigInt64Array)[0])] !== 1) throw new Error('nonzero: wrong index');
      },
    );
    return result('idx-nonzero', m, { n: N, per: 'op', op: 'nd.nonzero(mask)' });
  },
  'idx-pad': () => {
    const x = uniform(0, 1, 6, [SIDE, SIDE]);
    const m = measure(
      'idx-pad',
      () => nd.pad(x, 1),
      (r) => {
        if (r.shape[0] !== SIDE + 2 || r.get(1, 1) !== x.get(0, 0) || r.get(0, 0) !== 0) throw new Error('pad: wrong');
      },
    );
    return result('idx-pad', m, { shape: [SIDE, SIDE], dtype: 'float64', per: 'op', op: 'nd.pad(x, 1)' });
  },
  'idx-roll': () => {
    const x = uniform(0, 1, 7);
    const xd = x.data as Float64Array;
    const m = measure(
      'idx-roll',
      () => nd.roll(x, 12345),
      (r, i) => {
        const k = (i * 7_919_993) % N;
        if (r.data[(k + 12345) % N] !== xd[k]) throw new Error('roll: wrong element');
      },
    );
    return result('idx-roll', m, { n: N, dtype: 'float64', per: 'op', op: 'nd.roll(x, 12345)' });
  },
};

await main(cases);
