// sort, argsort, partition, argpartition, lexsort, searchsorted, countNonzero,
// nanargmax, nanargmin against NumPy 2: every dtype family, ties and NaN
// (stable order), -0/+0, non-contiguous and negative-stride views, 0-d and
// empty inputs, negative and null axes, and the errors NumPy raises.
import test from 'tape';
import * as nd from '../src/index.js';
import type { NDArray } from '../src/index.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';
import { native } from '../src/binding.js';
import {
  ALL_DTYPES,
  NUMPY_DTYPES,
  arrayOf,
  checkAll,
  edgeValues,
  randomView,
  skipWithoutNumpy,
  tiedValues,
  isFloatDType,
  type Case,
  type Tol,
} from './helpers/numpy-diff.js';

const SZ: Tol = { ulps: 0, signedZero: true };

// NumPy 2.4.6's default (SIMD quick)sort of float16 returns unsorted output
// when -0.0 and 0.0 occur together with negative values (its stable sort is
// right), so value sorts are compared with kind='stable'.

const tied = tiedValues;

function pyAxis(a: number | null | undefined): string {
  return a === undefined ? '' : `, axis=${a === null ? 'None' : a}`;
}

test('sort and argsort: every dtype, every axis form, views, ties and NaN (stable)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(770);
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const tol: Tol = isFloatDType(d) ? SZ : 'exact';
    const shapes: number[][] = [[0], [1], [9], [4, 6], [3, 4, 5], [600], [2, 0, 3]];
    for (const shape of shapes) {
      const v = randomView(rand, d, shape);
      const x = v.view(v.base);
      for (const axis of [undefined, 0, -1, null, ...(shape.length > 1 ? [1, -2] : [])] as (number | null | undefined)[]) {
        const py = v.py.replace('{}', '0');
        cases.push({
          label: `sort ${d} (${shape}) view axis=${axis}`,
          expr: `np.sort(${py}${pyAxis(axis)})`,
          args: [v.base],
          ours: () => nd.sort(x, { axis }),
          tol,
        });
        cases.push({
          label: `argsort ${d} (${shape}) view axis=${axis}`,
          expr: `np.argsort(${py}${pyAxis(axis)}, kind='stable')`,
          args: [v.base],
          ours: () => nd.argsort(x, { axis }),
        });
      }
    }
    // Ties, NaN, -0/+0: long enough for the radix path and short for the comparison path.
    for (const n of [40, 3000]) {
      const x = tied(d, n, rand);
      cases.push({ label: `argsort stable ${d} ties n=${n}`, expr: "np.argsort(a0, kind='stable')", args: [x], ours: () => nd.argsort(x, { kind: 'stable' }) });
      cases.push({
        label: `argsort stable=true ${d} ties n=${n}`,
        expr: 'np.argsort(a0, stable=True)',
        args: [x],
        ours: () => nd.argsort(x, { stable: true }),
      });
      cases.push({
        label: `argsort reversed ${d} ties n=${n}`,
        expr: "np.argsort(a0[::-1], kind='stable')",
        args: [x],
        ours: () => nd.argsort(x.slice('::-1'), { kind: 'mergesort' }),
      });
      cases.push({ label: `sort ${d} ties n=${n}`, expr: "np.sort(a0, kind='stable')", args: [x], ours: () => nd.sort(x, { kind: 'heapsort' }), tol });
      const m = x.reshape([n / 20, 20]);
      cases.push({
        label: `argsort 2-D ${d} axis 0`,
        expr: "np.argsort(a0.reshape(-1, 20), axis=0, kind='stable')",
        args: [x],
        ours: () => nd.argsort(m, { axis: 0 }),
      });
    }
    // 0-d: axis None works, axis -1 raises (AxisError).
    const z = arrayOf(edgeValues(d, 3, rand).slice(2, 3), d).reshape([]);
    cases.push({ label: `sort 0-d ${d} axis None`, expr: 'np.sort(a0, axis=None)', args: [z], ours: () => nd.sort(z, { axis: null }), tol });
    cases.push({ label: `sort 0-d ${d} axis -1`, expr: 'np.sort(a0)', args: [z], ours: () => nd.sort(z), errCode: 'ERR_NDSHARE_OUT_OF_BOUNDS' });
  }
  const f = arrayOf([3, 1, 2], 'float64');
  cases.push({
    label: 'bad kind',
    expr: "np.sort(a0, kind='xyz')",
    args: [f],
    ours: () => nd.sort(f, { kind: 'xyz' }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'kind with stable',
    expr: "np.sort(a0, kind='stable', stable=True)",
    args: [f],
    ours: () => nd.sort(f, { kind: 'stable', stable: true }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({ label: 'axis out of range', expr: 'np.sort(a0, axis=1)', args: [f], ours: () => nd.sort(f, { axis: 1 }), errCode: 'ERR_NDSHARE_OUT_OF_BOUNDS' });
  checkAll(t, 'sort/argsort', cases);
  t.end();
});

test('partition and argpartition: the kth elements match NumPy, the sides hold', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(771);
  const cases: Case[] = [];
  for (const d of NUMPY_DTYPES) {
    const tol: Tol = isFloatDType(d) ? SZ : 'exact';
    for (const n of [7, 700]) {
      const x = tied(d, n, rand);
      for (const k of [0, 3, -1, [1, 5]] as (number | number[])[]) {
        const ks = Array.isArray(k) ? k : [k];
        const pk = Array.isArray(k) ? `[${k.join(', ')}]` : String(k);
        for (const kk of ks) {
          cases.push({
            label: `partition ${d} n=${n} k=${pk} @${kk}`,
            expr: `np.partition(a0, ${pk})[${kk}]`,
            args: [x],
            ours: () => nd.partition(x, k).slice(kk),
            tol,
          });
          cases.push({
            label: `argpartition ${d} n=${n} k=${pk} @${kk}`,
            expr: `a0[np.argpartition(a0, ${pk})[${kk}]]`,
            args: [x],
            ours: () => x.slice(Number(nd.argpartition(x, k).get(kk < 0 ? n + kk : kk))),
            tol,
          });
        }
        // Property: everything before the pivot <= pivot <= everything after (NaN last).
        const p = nd.partition(x, k).astype('float64');
        const ap = nd.argpartition(x, k);
        const xs = x.astype('float64');
        for (const kk0 of ks) {
          const kk = kk0 < 0 ? n + kk0 : kk0;
          const piv = p.get(kk) as number;
          const le = (a: number, b: number): boolean => a <= b || Number.isNaN(b);
          let ok = true;
          for (let i = 0; i < n; i++) {
            const v = p.get(i) as number;
            const w = xs.get(Number(ap.get(i))) as number;
            if (
              i < kk
                ? !le(v, piv) || !le(w, xs.get(Number(ap.get(kk))) as number)
                : i > kk
                  ? !le(piv, v) || !le(xs.get(Number(ap.get(kk))) as number, w)
                  : false
            )
              ok = false;
          }
          if (!ok) t.fail(`partition property ${d} n=${n} k=${kk}`);
        }
      }
    }
    const m = tied(d, 60, rand).reshape([3, 4, 5]);
    cases.push({
      label: `partition 3-D ${d} axis 1`,
      expr: 'np.partition(a0, 2, axis=1)[:, 2, :]',
      args: [m],
      ours: () => nd.partition(m, 2, { axis: 1 }).slice(':', 2, ':'),
      tol,
    });
    cases.push({
      label: `partition ${d} axis None`,
      expr: 'np.partition(a0, 17, axis=None)[17]',
      args: [m],
      ours: () => nd.partition(m, 17, { axis: null }).slice(17),
      tol,
    });
  }
  const f = arrayOf([3, 1, 2], 'float64');
  cases.push({ label: 'kth out of bounds', expr: 'np.partition(a0, 3)', args: [f], ours: () => nd.partition(f, 3), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({ label: 'kth -4', expr: 'np.partition(a0, -4)', args: [f], ours: () => nd.partition(f, -4), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({
    label: 'bad kind',
    expr: "np.partition(a0, 1, kind='quick')",
    args: [f],
    ours: () => nd.partition(f, 1, { kind: 'quick' }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  checkAll(t, 'partition', cases);
  t.end();
});

test('lexsort: several keys of several dtypes, ties, NaN, axis', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(772);
  const cases: Case[] = [];
  for (const d of NUMPY_DTYPES) {
    const a = tied(d, 50, rand);
    const b = tied('int16', 50, rand);
    const c = tied('float64', 50, rand);
    cases.push({ label: `lexsort (${d}, int16)`, expr: 'np.lexsort((a0, a1))', args: [a, b], ours: () => nd.lexsort([a, b]) });
    cases.push({ label: `lexsort (float64, ${d}, int16)`, expr: 'np.lexsort((a2, a0, a1))', args: [a, b, c], ours: () => nd.lexsort([c, a, b]) });
    const a2 = a.reshape([5, 10]);
    const b2 = b.reshape([5, 10]);
    cases.push({
      label: `lexsort 2-D ${d} axis 0`,
      expr: 'np.lexsort((a0.reshape(5, 10), a1.reshape(5, 10)), axis=0)',
      args: [a, b],
      ours: () => nd.lexsort([a2, b2], { axis: 0 }),
    });
    cases.push({
      label: `lexsort 2-D ${d} axis -1 reversed`,
      expr: 'np.lexsort((a0.reshape(5, 10)[:, ::-1], a1.reshape(5, 10)[:, ::-1]))',
      args: [a, b],
      ours: () => nd.lexsort([a2.slice(':', '::-1'), b2.slice(':', '::-1')]),
    });
  }
  const k = nd.stack([tied('int32', 30, rand), tied('int32', 30, rand)]);
  cases.push({ label: 'lexsort of a 2-D array (rows are keys)', expr: 'np.lexsort(a0)', args: [k], ours: () => nd.lexsort(k) });
  const e = arrayOf([], 'float64');
  cases.push({ label: 'lexsort empty keys', expr: 'np.lexsort((a0,))', args: [e], ours: () => nd.lexsort([e]) });
  const x = arrayOf([1, 2], 'int32');
  const y = arrayOf([1, 2, 3], 'int32');
  cases.push({
    label: 'lexsort keys of different shapes',
    expr: 'np.lexsort((a0, a1))',
    args: [x, y],
    ours: () => nd.lexsort([x, y]),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  checkAll(t, 'lexsort', cases);
  throwsCoded(t, 'lexsort([])', () => nd.lexsort([]), TypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE');
  t.end();
});

test('searchsorted: sides, sorter, NaN, mixed dtypes, needles of every shape', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(773);
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const a = nd.sort(tied(d, 40, rand));
    const base = tied(d, 30, rand);
    const views: [string, NDArray, string][] = [
      ['1-D', base, 'a1'],
      ['reversed', base.slice('::-1'), 'a1[::-1]'],
      ['2-D', base.reshape([5, 6]), 'a1.reshape(5, 6)'],
      ['0-d', base.slice(3).reshape([]), 'a1[3]'],
      ['empty', base.slice('0:0'), 'a1[0:0]'],
    ];
    for (const [label, v, py] of views) {
      for (const side of ['left', 'right'] as const) {
        cases.push({
          label: `searchsorted ${d} ${label} ${side}`,
          expr: `np.searchsorted(a0, ${py}, side='${side}')`,
          args: [a, base],
          ours: () => nd.searchsorted(a, v, { side }),
        });
      }
    }
    const u = tied(d, 40, rand);
    const s = nd.argsort(u);
    cases.push({
      label: `searchsorted ${d} sorter`,
      expr: "np.searchsorted(a0, a1, side='right', sorter=np.argsort(a0, kind='stable'))",
      args: [u, base],
      ours: () => nd.searchsorted(u, base, { side: 'right', sorter: s }),
    });
    const big = nd.sort(tied(d, 2000, rand));
    cases.push({ label: `searchsorted ${d} long`, expr: 'np.searchsorted(a0, a1)', args: [big, base], ours: () => nd.searchsorted(big, base) });
  }
  const i8 = nd.sort(arrayOf([-5, 0, 3, 100, 127], 'int8'));
  const f = arrayOf([2.5, 200, -300], 'float64');
  cases.push({ label: 'int8 into float64 needles', expr: 'np.searchsorted(a0, a1)', args: [i8, f], ours: () => nd.searchsorted(i8, f) });
  const u64 = arrayOf([0n, 5n, 2n ** 63n], 'uint64');
  const i64 = arrayOf([-1n, 6n], 'int64');
  cases.push({ label: 'uint64 with int64', expr: 'np.searchsorted(a0, a1)', args: [u64, i64], ours: () => nd.searchsorted(u64, i64) });
  const m2 = arrayOf([1, 2, 3, 4], 'float64').reshape([2, 2]);
  cases.push({ label: '2-D a', expr: 'np.searchsorted(a0, 2)', args: [m2], ours: () => nd.searchsorted(m2, 2), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  const one = arrayOf([1, 2, 3], 'float64');
  const bad = arrayOf([0, 5, 1], 'int64');
  cases.push({
    label: 'sorter out of range',
    expr: 'np.searchsorted(a0, 2, sorter=a1)',
    args: [one, bad],
    ours: () => nd.searchsorted(one, 2, { sorter: bad }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  checkAll(t, 'searchsorted', cases);
  t.equal(nd.searchsorted([1, 2, 3, 5], 4).item(), 3n, 'scalar needle gives a 0-d int64');
  t.end();
});

test('countNonzero, nanargmax, nanargmin', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(774);
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const v = randomView(rand, d, [3, 4, 5]);
    const x = v.view(v.base);
    const py = v.py.replace('{}', '0');
    for (const axis of [undefined, 0, -1, [0, 2], null] as (number | number[] | null | undefined)[]) {
      const pa = axis === undefined ? '' : `, axis=${axis === null ? 'None' : Array.isArray(axis) ? `(${axis.join(', ')})` : axis}`;
      cases.push({
        label: `countNonzero ${d} axis=${axis}`,
        expr: `np.asarray(np.count_nonzero(${py}${pa}), dtype=np.int64)`,
        args: [v.base],
        ours: () => nd.countNonzero(x, { axis }),
      });
    }
    cases.push({
      label: `countNonzero ${d} keepdims`,
      expr: `np.count_nonzero(${py}, axis=1, keepdims=True)`,
      args: [v.base],
      ours: () => nd.countNonzero(x, { axis: 1, keepdims: true }),
    });
    // nanargmax/nanargmin: no all-NaN slice along axis 1 (rows of tied values get one finite value).
    const y = tied(d, 24, rand).reshape([4, 6]);
    if (isFloatDType(d)) for (let r = 0; r < 4; r++) y.set(r, r, 1.5);
    for (const fn of ['nanargmax', 'nanargmin'] as const) {
      for (const axis of [undefined, 1, -1] as (number | undefined)[]) {
        cases.push({ label: `${fn} ${d} axis=${axis}`, expr: `np.${fn}(a0${pyAxis(axis)})`, args: [y], ours: () => nd[fn](y, { axis }) });
      }
      cases.push({ label: `${fn} ${d} keepdims`, expr: `np.${fn}(a0, axis=1, keepdims=True)`, args: [y], ours: () => nd[fn](y, { axis: 1, keepdims: true }) });
    }
  }
  const allNan = arrayOf([NaN, NaN, 1, NaN], 'float64').reshape([2, 2]);
  cases.push({
    label: 'nanargmax all-NaN slice',
    expr: 'np.nanargmax(a0, axis=1)',
    args: [allNan],
    ours: () => nd.nanargmax(allNan, { axis: 1 }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'nanargmin all-NaN slice',
    expr: 'np.nanargmin(a0, axis=1)',
    args: [allNan],
    ours: () => nd.nanargmin(allNan, { axis: 1 }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  const empty = arrayOf([], 'float64');
  cases.push({ label: 'nanargmax empty', expr: 'np.nanargmax(a0)', args: [empty], ours: () => nd.nanargmax(empty), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  checkAll(t, 'count/nanarg', cases);
  t.end();
});

test('sortComplex is refused (no complex dtypes); order is refused', (t) => {
  throwsCoded(t, 'sortComplex', () => nd.sortComplex([1, 2]), Error, 'ERR_NDSHARE_UNSUPPORTED');
  throwsCoded(t, 'sort order', () => nd.sort([1, 2], { order: 'x' }), Error, 'ERR_NDSHARE_UNSUPPORTED');
  throwsCoded(t, 'unknown option', () => nd.sort([1, 2], { kinds: 'x' } as never), RangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE', /unknown option 'kinds'/);
  t.end();
});

test('native sort kernels check every length, kth and index (coded errors, no stray access)', (t) => {
  const s = native.sort;
  const f = new Float64Array(8);
  const out = new BigInt64Array(8);
  const code = native.math.dtypes.float64!;
  const i32 = native.math.dtypes.int32!;
  const bad: [string, () => unknown][] = [
    ['sort rows*rowLen past the buffer', () => s.sort(code, f, 3, 3)],
    ['sort bad dtype code', () => s.sort(99, f, 1, 8)],
    ['sort negative rowLen', () => s.sort(code, f, 1, -1)],
    ['argsort out too short', () => s.argsort(code, f, 1, 8, new BigInt64Array(4))],
    ['partition kth >= rowLen', () => s.partition(code, f, 1, 8, new Float64Array([8]))],
    ['partition kth not an integer', () => s.partition(code, f, 1, 8, new Float64Array([1.5]))],
    ['argpartition out too short', () => s.argpartition(code, f, 1, 8, new Float64Array([1]), new BigInt64Array(2))],
    ['searchsorted n past a', () => s.searchsorted(code, f, 9, f, 1, false, out)],
    ['searchsorted out too short', () => s.searchsorted(code, f, 8, f, 8, false, new BigInt64Array(2))],
    ['bincount value >= nbins', () => s.bincount(i32, new Int32Array([0, 5]), 2, null, new BigInt64Array(3), 3)],
    ['bincount negative value', () => s.bincount(i32, new Int32Array([-1]), 1, null, new BigInt64Array(3), 3)],
    ['bincount out shorter than nbins', () => s.bincount(i32, new Int32Array([0]), 1, null, new BigInt64Array(1), 3)],
    ['histogram out too short', () => s.histogram(code, f, 8, new Float64Array([0, 1, 2]), true, null, new BigInt64Array(1))],
    ['runs starts too short', () => s.runs(code, f, 8, false, new BigInt64Array(2), null)],
  ];
  for (const [label, fn] of bad) {
    try {
      fn();
      t.fail(`${label}: did not throw`);
    } catch (e) {
      const err = e as Error & { code?: string };
      t.ok(typeof err.code === 'string' && err.code.startsWith('ERR_NDSHARE_'), `${label}: ${err.code}: ${err.message}`);
    }
  }
  t.end();
});
