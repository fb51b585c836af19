// unique (every option, axis), unique_all/counts/inverse/values, intersect1d,
// isin, setdiff1d, setxor1d, union1d against NumPy 2: every dtype family,
// ties, NaN (equal_nan both ways), -0/+0, views, 0-d and empty inputs, errors.
import test from 'tape';
import * as nd from '../src/index.js';
import type { NDArray, DType } from '../src/index.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';
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

const tied = tiedValues;

const at = (r: NDArray | NDArray[], i: number): NDArray => (Array.isArray(r) ? r[i]! : r);

test('unique: every dtype, every return_* combination, equal_nan, views, 0-d and empty', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(780);
  const cases: Case[] = [];
  const combos: [boolean, boolean, boolean][] = [
    [false, false, false],
    [true, false, false],
    [false, true, false],
    [false, false, true],
    [true, true, true],
  ];
  for (const d of ALL_DTYPES) {
    const tol: Tol = isFloatDType(d) ? SZ : 'exact';
    const inputs: [string, NDArray, NDArray, string][] = [];
    for (const n of [30, 2000]) {
      const x = tied(d, n, rand);
      inputs.push([`ties n=${n}`, x, x, 'a0']);
    }
    const v = randomView(rand, d, [4, 5]);
    inputs.push(['view (4,5)', v.base, v.view(v.base), v.py.replace('{}', '0')]);
    const z = arrayOf(edgeValues(d, 3, rand).slice(1, 2), d).reshape([]);
    inputs.push(['0-d', z, z, 'a0']);
    const e = arrayOf([], d);
    inputs.push(['empty', e, e, 'a0']);
    for (const [label, base, x, py] of inputs) {
      for (const [ri, rv, rc] of combos) {
        const kw = `return_index=${ri ? 'True' : 'False'}, return_inverse=${rv ? 'True' : 'False'}, return_counts=${rc ? 'True' : 'False'}`;
        const opts = { returnIndex: ri, returnInverse: rv, returnCounts: rc };
        const nout = 1 + Number(ri) + Number(rv) + Number(rc);
        for (let k = 0; k < nout; k++) {
          const expr = nout === 1 ? `np.unique(${py}, ${kw})` : `np.unique(${py}, ${kw})[${k}]`;
          cases.push({ label: `unique ${d} ${label} ${kw} [${k}]`, expr, args: [base], ours: () => at(nd.unique(x, opts), k), tol: k === 0 ? tol : 'exact' });
        }
      }
      for (const en of [false, true]) {
        const pyen = en ? 'True' : 'False';
        cases.push({
          label: `unique ${d} ${label} equal_nan=${pyen}`,
          expr: `np.unique(${py}, return_counts=True, equal_nan=${pyen})[1]`,
          args: [base],
          ours: () => at(nd.unique(x, { returnCounts: true, equalNan: en }), 1),
        });
      }
    }
  }
  checkAll(t, 'unique', cases);
  t.end();
});

test('unique with axis: rows, columns, negative axis, counts and inverse', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(781);
  const cases: Case[] = [];
  for (const d of NUMPY_DTYPES) {
    // Finite values only: NumPy compares rows as structured scalars.
    const pool = edgeValues(d, 30, rand)
      .filter((v) => typeof v !== 'number' || Number.isFinite(v))
      .slice(0, 3);
    const x = arrayOf(
      Array.from({ length: 60 }, () => pool[rand() % pool.length]!),
      d,
    ).reshape([6, 2, 5]);
    for (const axis of [0, 1, 2, -1]) {
      for (let k = 0; k < 4; k++) {
        cases.push({
          label: `unique ${d} axis=${axis} [${k}]`,
          expr: `np.unique(a0, return_index=True, return_inverse=True, return_counts=True, axis=${axis})[${k}]`,
          args: [x],
          ours: () => at(nd.unique(x, { axis, returnIndex: true, returnInverse: true, returnCounts: true }), k),
          tol: isFloatDType(d) ? SZ : 'exact',
        });
      }
    }
    const y = x.slice('::-1', ':', '::2');
    cases.push({
      label: `unique ${d} axis=0 of a view`,
      expr: 'np.unique(a0[::-1, :, ::2], axis=0)',
      args: [x],
      ours: () => at(nd.unique(y, { axis: 0 }), 0),
      tol: isFloatDType(d) ? SZ : 'exact',
    });
  }
  const f = arrayOf([1, 2], 'float64');
  cases.push({
    label: 'axis out of range',
    expr: 'np.unique(a0, axis=1)',
    args: [f],
    ours: () => at(nd.unique(f, { axis: 1 }), 0),
    errCode: 'ERR_NDSHARE_OUT_OF_BOUNDS',
  });
  checkAll(t, 'unique axis', cases);
  t.end();
});

test('unique_all, unique_counts, unique_inverse, unique_values (named fields)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(782);
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const tol: Tol = isFloatDType(d) ? SZ : 'exact';
    const x = tied(d, 40, rand).reshape([5, 8]);
    for (const f of ['values', 'indices', 'inverse_indices', 'counts']) {
      const js = f === 'inverse_indices' ? 'inverseIndices' : f;
      cases.push({
        label: `unique_all ${d} .${f}`,
        expr: `np.unique_all(a0).${f}`,
        args: [x],
        ours: () => (nd.uniqueAll(x) as unknown as Record<string, NDArray>)[js]!,
        tol: f === 'values' ? tol : 'exact',
      });
    }
    cases.push({ label: `unique_counts ${d} .values`, expr: 'np.unique_counts(a0).values', args: [x], ours: () => nd.uniqueCounts(x).values, tol });
    cases.push({ label: `unique_counts ${d} .counts`, expr: 'np.unique_counts(a0).counts', args: [x], ours: () => nd.uniqueCounts(x).counts });
    cases.push({
      label: `unique_inverse ${d} .inverse_indices`,
      expr: 'np.unique_inverse(a0).inverse_indices',
      args: [x],
      ours: () => nd.uniqueInverse(x).inverseIndices,
    });
    // NumPy 2.4 returns unique_values in hash order: compare sorted.
    cases.push({ label: `unique_values ${d}`, expr: "np.sort(np.unique_values(a0), kind='stable')", args: [x], ours: () => nd.uniqueValues(x), tol });
  }
  checkAll(t, 'unique_*', cases);
  t.end();
});

test('intersect1d, isin, setdiff1d, setxor1d, union1d', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(783);
  const cases: Case[] = [];
  const pairs: [DType, DType][] = NUMPY_DTYPES.map((d) => [d, d] as [DType, DType]);
  pairs.push(['int8', 'uint8'], ['int32', 'float64'], ['float16', 'float32'], ['bool', 'int16'], ['int64', 'uint64']);
  for (const [d1, d2] of pairs) {
    const a = tied(d1, 40, rand, 8).reshape([5, 8]);
    const b = tied(d2, 30, rand, 8);
    const tol: Tol = isFloatDType(d1) || isFloatDType(d2) ? SZ : 'exact';
    const lab = `${d1}/${d2}`;
    cases.push({ label: `intersect1d ${lab}`, expr: 'np.intersect1d(a0, a1)', args: [a, b], ours: () => at(nd.intersect1d(a, b), 0), tol });
    for (let k = 0; k < 3; k++) {
      cases.push({
        label: `intersect1d indices ${lab} [${k}]`,
        expr: `np.intersect1d(a0, a1, return_indices=True)[${k}]`,
        args: [a, b],
        ours: () => at(nd.intersect1d(a, b, { returnIndices: true }), k),
        tol: k === 0 ? tol : 'exact',
      });
    }
    for (const invert of [false, true]) {
      cases.push({
        label: `isin ${lab} invert=${invert}`,
        expr: `np.isin(a0, a1, invert=${invert ? 'True' : 'False'})`,
        args: [a, b],
        ours: () => nd.isin(a, b, { invert }),
      });
    }
    cases.push({
      label: `isin ${lab} view`,
      expr: 'np.isin(a0[::-1, ::2], a1[::3])',
      args: [a, b],
      ours: () => nd.isin(a.slice('::-1', '::2'), b.slice('::3')),
    });
    cases.push({ label: `setdiff1d ${lab}`, expr: 'np.setdiff1d(a0, a1)', args: [a, b], ours: () => nd.setdiff1d(a, b), tol });
    cases.push({ label: `setxor1d ${lab}`, expr: 'np.setxor1d(a0, a1)', args: [a, b], ours: () => nd.setxor1d(a, b), tol });
    cases.push({ label: `union1d ${lab}`, expr: 'np.union1d(a0, a1)', args: [a, b], ours: () => nd.union1d(a, b), tol });
    const ua = nd.unique(a) as NDArray;
    const ub = nd.unique(b) as NDArray;
    cases.push({
      label: `setdiff1d assume_unique ${lab}`,
      expr: 'np.setdiff1d(np.unique(a0)[::-1], np.unique(a1), assume_unique=True)',
      args: [a, b],
      ours: () => nd.setdiff1d(ua.slice('::-1'), ub, { assumeUnique: true }),
      tol,
    });
    cases.push({
      label: `setxor1d assume_unique ${lab}`,
      expr: 'np.setxor1d(np.unique(a0), np.unique(a1), assume_unique=True)',
      args: [a, b],
      ours: () => nd.setxor1d(ua, ub, { assumeUnique: true }),
      tol,
    });
    cases.push({
      label: `intersect1d assume_unique ${lab}`,
      expr: 'np.intersect1d(np.unique(a0), np.unique(a1), assume_unique=True)',
      args: [a, b],
      ours: () => at(nd.intersect1d(ua, ub, { assumeUnique: true }), 0),
      tol,
    });
  }
  const e = arrayOf([], 'float64');
  const one = arrayOf([1, 2, NaN], 'float64');
  cases.push({ label: 'isin empty test', expr: 'np.isin(a1, a0)', args: [e, one], ours: () => nd.isin(one, e) });
  cases.push({ label: 'isin NaN', expr: 'np.isin(a0, a0)', args: [one], ours: () => nd.isin(one, one) });
  cases.push({ label: 'setxor1d empty', expr: 'np.setxor1d(a0, a0)', args: [e], ours: () => nd.setxor1d(e, e) });
  cases.push({
    label: "isin kind='table' on floats",
    expr: "np.isin(a0, a0, kind='table')",
    args: [one],
    ours: () => nd.isin(one, one, { kind: 'table' }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'isin bad kind',
    expr: "np.isin(a0, a0, kind='hash')",
    args: [one],
    ours: () => nd.isin(one, one, { kind: 'hash' as never }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  const i = arrayOf([3, 1, 2], 'int32');
  cases.push({
    label: "isin kind='table' on ints",
    expr: "np.isin(a0, a0[:2], kind='table')",
    args: [i],
    ours: () => nd.isin(i, i.slice(':2'), { kind: 'table' }),
  });
  checkAll(t, 'set routines', cases);
  throwsCoded(t, 'unique bad option type', () => nd.unique([1], { returnCounts: 1 as never }), TypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE');
  t.end();
});
