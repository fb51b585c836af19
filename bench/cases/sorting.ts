/**
 * Sorting, searching, counting and histograms against NumPy (issue 12), on
 * 10M elements: sort and argsort (float64, int32, int64; random and nearly
 * sorted: a sorted ramp with 1% of positions swapped), unique with counts,
 * bincount, searchsorted (1M needles into 10M sorted values) and histogram
 * (100 bins). One op = one whole call, allocation of the result included.
 * Twins in bench/numpy/cases.py draw the same distributions.
 */
import { assert, main, measure, result, type Case } from '../harness.js';
import * as nd from '../../src/index.js';

const N = 10_000_000;

type DT = 'float64' | 'int32' | 'int64';
const SHORT: Record<DT, string> = { float64: 'f64', int32: 'i32', int64: 'i64' };

/** A small deterministic generator (the same one the NumPy twin uses for the swaps). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s;
  };
}

function randomInput(dtype: DT): nd.NDArray {
  const u = nd.random.uniform([N], { low: 0, high: dtype === 'float64' ? 1 : 2 ** 30, seed: 1 });
  return dtype === 'float64' ? u : nd.floor(u).astype(dtype);
}

function nearlySorted(dtype: DT): nd.NDArray {
  const x = nd.arange(N).astype(dtype);
  const d = x.data as unknown as { [i: number]: number | bigint };
  const r = lcg(7);
  for (let k = 0; k < N / 100; k++) {
    const i = r() % N;
    const j = r() % N;
    const t = d[i]!;
    d[i] = d[j]!;
    d[j] = t;
  }
  return x;
}

const cases: Record<string, Case> = {};

for (const dtype of ['float64', 'int32', 'int64'] as const) {
  for (const kind of ['random', 'nearly'] as const) {
    const s = `${SHORT[dtype]}-${kind}`;
    cases[`sort-${s}`] = () => {
      const x = kind === 'random' ? randomInput(dtype) : nearlySorted(dtype);
      const m = measure(
        `sort-${s}`,
        () => nd.sort(x),
        (r, i) => {
          const k = (i * 7_919_993) % (N - 1);
          if (!(r.data[k]! <= r.data[k + 1]!)) throw new Error(`sort: not sorted at ${k}`);
        },
      );
      return result(`sort-${s}`, m, { n: N, dtype, per: 'op', op: 'nd.sort(x)' });
    };
    cases[`argsort-${s}`] = () => {
      const x = kind === 'random' ? randomInput(dtype) : nearlySorted(dtype);
      const xd = x.data;
      const m = measure(
        `argsort-${s}`,
        () => nd.argsort(x),
        (r, i) => {
          const k = (i * 7_919_993) % (N - 1);
          const a = Number(r.data[k]!);
          const b = Number(r.data[k + 1]!);
          if (!(xd[a]! <= xd[b]!)) throw new Error(`argsort: not sorted at ${k}`);
        },
      );
      return result(`argsort-${s}`, m, { n: N, dtype, per: 'op', op: 'nd.argsort(x)' });
    };
  }
}

cases['unique-counts-i64'] = () => {
  const x = nd.floor(nd.random.uniform([N], { low: 0, high: 1_000_000, seed: 3 })).astype('int64');
  const m = measure(
    'unique-counts-i64',
    () => nd.unique(x, { returnCounts: true }) as nd.NDArray[],
    (r) => {
      if (r.length !== 2 || r[0]!.size !== r[1]!.size || r[0]!.size < 900_000) throw new Error('unique: wrong result');
    },
  );
  return result('unique-counts-i64', m, { n: N, dtype: 'int64', per: 'op', op: 'nd.unique(x, {returnCounts: true})' });
};

cases['bincount-i64'] = () => {
  const x = nd.floor(nd.random.uniform([N], { low: 0, high: 1000, seed: 4 })).astype('int64');
  const m = measure(
    'bincount-i64',
    () => nd.bincount(x),
    (r) => {
      if (r.size !== 1000) throw new Error('bincount: wrong length');
    },
  );
  return result('bincount-i64', m, { n: N, dtype: 'int64', per: 'op', op: 'nd.bincount(x)' });
};

cases['searchsorted-f64'] = () => {
  const a = nd.sort(nd.random.uniform([N], { low: 0, high: 1, seed: 5 }));
  const v = nd.random.uniform([1_000_000], { low: 0, high: 1, seed: 6 });
  const ad = a.data as Float64Array;
  const vd = v.data as Float64Array;
  const m = measure(
    'searchsorted-f64',
    () => nd.searchsorted(a, v),
    (r, i) => {
      const k = (i * 7919) % 1_000_000;
      const p = Number(r.data[k]!);
      if ((p > 0 && !(ad[p - 1]! < vd[k]!)) || (p < N && !(ad[p]! >= vd[k]!))) throw new Error(`searchsorted: wrong at ${k}`);
    },
  );
  return result('searchsorted-f64', m, { n: N, needles: 1_000_000, dtype: 'float64', per: 'op', op: 'nd.searchsorted(a, v)' });
};

cases['histogram-f64'] = () => {
  const x = nd.random.uniform([N], { low: 0, high: 1, seed: 8 });
  const m = measure(
    'histogram-f64',
    () => nd.histogram(x, { bins: 100 }),
    (r) => {
      if (r[0].size !== 100) throw new Error('histogram: wrong length');
    },
  );
  const [h] = nd.histogram(x, { bins: 100 });
  assert(Number(nd.sum(h).item()) === N, 'histogram counts every element');
  return result('histogram-f64', m, { n: N, bins: 100, dtype: 'float64', per: 'op', op: 'nd.histogram(x, {bins: 100})' });
};

// Order statistics (native introselect over all rows at once): 10M values, and 1000 rows of 10,000.
cases['median-f64'] = () => {
  const x = nd.random.uniform([N], { low: 0, high: 1, seed: 9 });
  const m = measure(
    'median-f64',
    () => nd.median(x),
    (r) => assert(Math.abs(Number(r.item()) - 0.5) < 0.01, 'median near 0.5'),
  );
  return result('median-f64', m, { n: N, dtype: 'float64', per: 'op', op: 'nd.median(x)' });
};

cases['percentile-f64'] = () => {
  const x = nd.random.uniform([N], { low: 0, high: 1, seed: 10 });
  const m = measure(
    'percentile-f64',
    () => nd.percentile(x, [5, 50, 95]),
    (r) => assert(r.size === 3 && Math.abs(Number(r.get(2)) - 0.95) < 0.01, 'percentiles near 0.05/0.5/0.95'),
  );
  return result('percentile-f64', m, { n: N, dtype: 'float64', per: 'op', op: 'nd.percentile(x, [5, 50, 95])' });
};

cases['median-rows-f64'] = () => {
  const x = nd.random.uniform([1000, N / 1000], { low: 0, high: 1, seed: 11 });
  const m = measure(
    'median-rows-f64',
    () => nd.median(x, { axis: 1 }),
    (r) => assert(r.size === 1000, 'one median per row'),
  );
  return result('median-rows-f64', m, { n: N, rows: 1000, dtype: 'float64', per: 'op', op: 'nd.median(x, {axis: 1})' });
};

await main(cases);
