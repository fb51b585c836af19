// bincount, digitize, histogram (every bin spec, the estimators included),
// histogram_bin_edges, histogram2d, histogramdd, diff, ediff1d,
// cumulative_sum/prod, isclose, allclose, array_equal, array_equiv against
// NumPy 2: dtype families, views, NaN/Inf, 0-d and empty inputs, errors.
import test from 'tape';
import * as nd from '../src/index.js';
import type { NDArray, DType } from '../src/index.js';
import { mulberry32 } from './helpers/assert.js';
import {
  ALL_DTYPES,
  INT_DTYPES,
  NUMPY_DTYPES,
  arrayOf,
  checkAll,
  edgeValues,
  randomView,
  skipWithoutNumpy,
  isFloatDType,
  type Case,
  type Tol,
} from './helpers/numpy-diff.js';

const NEAR: Tol = { ulps: 64, floor: 1e-12 };

/** n values in [lo, hi) of dtype d (floats with a fraction). */
function uniform(d: DType, n: number, lo: number, hi: number, rand: () => number): NDArray {
  return arrayOf(
    Array.from({ length: n }, () => {
      const u = lo + (rand() / 2 ** 32) * (hi - lo);
      return isFloatDType(d) ? Math.round(u * 8) / 8 : Math.floor(u);
    }),
    d,
  );
}

const at = <T extends NDArray>(r: readonly T[] | T, i: number): NDArray => (Array.isArray(r) ? r[i]! : (r as NDArray));

test('bincount and digitize', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(790);
  const cases: Case[] = [];
  for (const d of ['bool', ...INT_DTYPES.filter((x) => x !== 'uint64')] as DType[]) {
    const x = uniform(d, 200, 0, d === 'bool' ? 2 : 50, rand);
    const w = uniform('float64', 200, -3, 3, rand);
    cases.push({ label: `bincount ${d}`, expr: 'np.bincount(a0)', args: [x], ours: () => nd.bincount(x) });
    cases.push({ label: `bincount ${d} minlength`, expr: 'np.bincount(a0, minlength=80)', args: [x], ours: () => nd.bincount(x, { minlength: 80 }) });
    cases.push({ label: `bincount ${d} weights`, expr: 'np.bincount(a0, weights=a1)', args: [x, w], ours: () => nd.bincount(x, { weights: w }), tol: NEAR });
    cases.push({ label: `bincount ${d} reversed view`, expr: 'np.bincount(a0[::-3])', args: [x], ours: () => nd.bincount(x.slice('::-3')) });
  }
  const e = arrayOf([], 'int32');
  cases.push({ label: 'bincount empty', expr: 'np.bincount(a0, minlength=3)', args: [e], ours: () => nd.bincount(e, { minlength: 3 }) });
  const neg = arrayOf([1, -1], 'int32');
  cases.push({ label: 'bincount negative', expr: 'np.bincount(a0)', args: [neg], ours: () => nd.bincount(neg), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  const fl = arrayOf([1, 2], 'float64');
  cases.push({ label: 'bincount float', expr: 'np.bincount(a0)', args: [fl], ours: () => nd.bincount(fl), errCode: 'ERR_NDSHARE_DTYPE' });
  const u64 = arrayOf([1n, 2n], 'uint64');
  cases.push({ label: 'bincount uint64', expr: 'np.bincount(a0)', args: [u64], ours: () => nd.bincount(u64) });
  const m2 = arrayOf([1, 2, 3, 4], 'int32').reshape([2, 2]);
  cases.push({ label: 'bincount 2-D', expr: 'np.bincount(a0)', args: [m2], ours: () => nd.bincount(m2), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  const ok = arrayOf([1, 2], 'int32');
  cases.push({
    label: 'bincount minlength < 0',
    expr: 'np.bincount(a0, minlength=-1)',
    args: [ok],
    ours: () => nd.bincount(ok, { minlength: -1 }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'bincount weights length',
    expr: 'np.bincount(a0, weights=a1)',
    args: [ok, fl.slice(':1')],
    ours: () => nd.bincount(ok, { weights: fl.slice(':1') }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  for (const d of NUMPY_DTYPES) {
    const v = randomView(rand, d, [3, 7]);
    const x = v.view(v.base);
    const py = v.py.replace('{}', '0');
    const inc = nd.sort(
      arrayOf(
        edgeValues(d, 12, rand).filter((q) => typeof q !== 'number' || !Number.isNaN(q)),
        d,
      ),
    );
    const bins = nd.unique(inc) as NDArray;
    for (const right of [false, true]) {
      const r = right ? 'True' : 'False';
      cases.push({
        label: `digitize ${d} right=${r}`,
        expr: `np.digitize(${py}, a1, right=${r})`,
        args: [v.base, bins],
        ours: () => nd.digitize(x, bins, { right }),
      });
      cases.push({
        label: `digitize ${d} decreasing right=${r}`,
        expr: `np.digitize(${py}, a1[::-1], right=${r})`,
        args: [v.base, bins],
        ours: () => nd.digitize(x, bins.slice('::-1'), { right }),
      });
    }
    cases.push({ label: `digitize ${d} 0-d`, expr: 'np.digitize(a0[0, 0], a1)', args: [v.base, bins], ours: () => nd.digitize(v.base.slice(0, 0), bins) });
  }
  const nm = arrayOf([1, 3, 2], 'float64');
  cases.push({
    label: 'digitize non-monotonic',
    expr: 'np.digitize(a0, a0)',
    args: [nm],
    ours: () => nd.digitize(nm, nm),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  checkAll(t, 'bincount/digitize', cases);
  t.end();
});

test('histogram and histogram_bin_edges: counts, edges, range, weights, density, estimators', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(791);
  const cases: Case[] = [];
  const specs: [string, unknown, string][] = [
    ['default', undefined, ''],
    ['bins=7', 7, 'bins=7'],
    ['bins=1', 1, 'bins=1'],
    ['edges', [-3, -1, 0, 0.5, 2, 9], 'bins=[-3, -1, 0, 0.5, 2, 9]'],
    ...['auto', 'fd', 'doane', 'rice', 'scott', 'sqrt', 'sturges', 'stone'].map((s): [string, unknown, string] => [s, s, `bins='${s}'`]),
  ];
  for (const d of ['int8', 'uint16', 'int32', 'int64', 'float16', 'float32', 'float64', 'bool'] as DType[]) {
    const x = d === 'bool' ? uniform(d, 300, 0, 2, rand) : uniform(d, 300, -4, 12, rand);
    const w = uniform('float64', 300, 0, 2, rand);
    const tol: Tol = isFloatDType(d) ? { ulps: 2 } : 'exact';
    for (const [label, bins, kw] of specs) {
      const opts = bins === undefined ? {} : { bins: bins as nd.Bins };
      cases.push({ label: `histogram ${d} ${label} [0]`, expr: `np.histogram(a0${kw ? ', ' + kw : ''})[0]`, args: [x], ours: () => nd.histogram(x, opts)[0] });
      cases.push({
        label: `histogram ${d} ${label} [1]`,
        expr: `np.histogram(a0${kw ? ', ' + kw : ''})[1]`,
        args: [x],
        ours: () => nd.histogram(x, opts)[1],
        tol,
      });
      cases.push({
        label: `histogram_bin_edges ${d} ${label} range`,
        expr: `np.histogram_bin_edges(a0${kw ? ', ' + kw : ''}, range=(-2, 5.5))`,
        args: [x],
        ours: () => nd.histogramBinEdges(x, { ...opts, range: [-2, 5.5] }),
        tol,
      });
      cases.push({
        label: `histogram ${d} ${label} range [0]`,
        expr: `np.histogram(a0${kw ? ', ' + kw : ''}, range=(-2, 5.5))[0]`,
        args: [x],
        ours: () => nd.histogram(x, { ...opts, range: [-2, 5.5] })[0],
      });
    }
    for (const [label, bins, kw] of specs.slice(0, 4)) {
      const opts = bins === undefined ? {} : { bins: bins as nd.Bins };
      cases.push({
        label: `histogram ${d} ${label} weights`,
        expr: `np.histogram(a0${kw ? ', ' + kw : ''}, weights=a1)[0]`,
        args: [x, w],
        ours: () => nd.histogram(x, { ...opts, weights: w })[0],
        tol: NEAR,
      });
      cases.push({
        label: `histogram ${d} ${label} density`,
        expr: `np.histogram(a0${kw ? ', ' + kw : ''}, density=True)[0]`,
        args: [x],
        ours: () => nd.histogram(x, { ...opts, density: true })[0],
        tol: NEAR,
      });
    }
    const v = x.reshape([15, 20]).slice('::-2', '1::3');
    cases.push({
      label: `histogram ${d} view`,
      expr: 'np.histogram(a0.reshape(15, 20)[::-2, 1::3], bins=5)[0]',
      args: [x],
      ours: () => nd.histogram(v, { bins: 5 })[0],
    });
  }
  const c = arrayOf([2.5, 2.5], 'float32');
  cases.push({ label: 'histogram constant float32 edges', expr: 'np.histogram(a0, bins=4)[1]', args: [c], ours: () => nd.histogram(c, { bins: 4 })[1] });
  const e = arrayOf([], 'float64');
  cases.push({ label: 'histogram empty', expr: 'np.histogram(a0)[0]', args: [e], ours: () => nd.histogram(e)[0] });
  cases.push({ label: 'histogram empty edges', expr: 'np.histogram(a0)[1]', args: [e], ours: () => nd.histogram(e)[1] });
  const nanx = arrayOf([1, NaN, 3], 'float64');
  cases.push({
    label: 'histogram NaN autodetected',
    expr: 'np.histogram(a0)',
    args: [nanx],
    ours: () => nd.histogram(nanx)[0],
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'histogram NaN with range',
    expr: 'np.histogram(a0, range=(0, 4))[0]',
    args: [nanx],
    ours: () => nd.histogram(nanx, { range: [0, 4] })[0],
  });
  const inf = arrayOf([1, Infinity, 3], 'float64');
  cases.push({
    label: 'histogram inf with range',
    expr: 'np.histogram(a0, bins=[0, 2, np.inf])[0]',
    args: [inf],
    ours: () => nd.histogram(inf, { bins: [0, 2, Infinity] })[0],
  });
  const ok = arrayOf([1, 2, 3], 'float64');
  cases.push({
    label: 'range reversed',
    expr: 'np.histogram(a0, range=(3, 1))',
    args: [ok],
    ours: () => nd.histogram(ok, { range: [3, 1] })[0],
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'range not finite',
    expr: 'np.histogram(a0, range=(0, np.inf))',
    args: [ok],
    ours: () => nd.histogram(ok, { range: [0, Infinity] })[0],
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'bins=0',
    expr: 'np.histogram(a0, bins=0)',
    args: [ok],
    ours: () => nd.histogram(ok, { bins: 0 })[0],
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'bins=2.5',
    expr: 'np.histogram(a0, bins=2.5)',
    args: [ok],
    ours: () => nd.histogram(ok, { bins: 2.5 })[0],
    errCode: 'ERR_NDSHARE_INVALID_ARG_TYPE',
  });
  cases.push({
    label: 'unknown estimator',
    expr: "np.histogram(a0, bins='best')",
    args: [ok],
    ours: () => nd.histogram(ok, { bins: 'best' })[0],
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'estimator with weights',
    expr: "np.histogram(a0, bins='auto', weights=a0)",
    args: [ok],
    ours: () => nd.histogram(ok, { bins: 'auto', weights: ok })[0],
    errCode: 'ERR_NDSHARE_INVALID_ARG_TYPE',
  });
  cases.push({
    label: 'decreasing edges',
    expr: 'np.histogram(a0, bins=[3, 1])',
    args: [ok],
    ours: () => nd.histogram(ok, { bins: [3, 1] })[0],
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'weights shape',
    expr: 'np.histogram(a0, weights=a0[:2])',
    args: [ok],
    ours: () => nd.histogram(ok, { weights: ok.slice(':2') })[0],
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  checkAll(t, 'histogram', cases);
  t.end();
});

test('histogram2d and histogramdd', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(792);
  const cases: Case[] = [];
  for (const d of ['int16', 'float32', 'float64'] as DType[]) {
    const x = uniform(d, 120, -3, 9, rand);
    const y = uniform(d, 120, 0, 4, rand);
    const w = uniform('float64', 120, 0, 1, rand);
    const specs: [string, unknown, string][] = [
      ['default', undefined, ''],
      ['bins=4', 4, 'bins=4'],
      ['bins=[3, 5]', [3, 5], 'bins=[3, 5]'],
      // JS numbers are float64 (DESIGN 3.1.9): the Python edges are floats too.
      ['edges', [-1, 0, 2, 8], 'bins=[-1., 0., 2., 8.]'],
      ['[edges, 3]', [[-1, 0, 2, 8], 3], 'bins=[[-1., 0., 2., 8.], 3]'],
    ];
    for (const [label, bins, kw] of specs) {
      const opts = bins === undefined ? {} : { bins: bins as never };
      for (let k = 0; k < 3; k++) {
        cases.push({
          label: `histogram2d ${d} ${label} [${k}]`,
          expr: `np.histogram2d(a0, a1${kw ? ', ' + kw : ''})[${k}]`,
          args: [x, y],
          ours: () => at(nd.histogram2d(x, y, opts), k),
          tol: k === 0 ? 'exact' : { ulps: 2 },
        });
      }
    }
    cases.push({
      label: `histogram2d ${d} range weights density`,
      expr: 'np.histogram2d(a0, a1, bins=3, range=[[0, 5], [1, 3]], weights=a2, density=True)[0]',
      args: [x, y, w],
      ours: () =>
        nd.histogram2d(x, y, {
          bins: 3,
          range: [
            [0, 5],
            [1, 3],
          ],
          weights: w,
          density: true,
        })[0],
      tol: NEAR,
    });
    const s = nd.stack([x, y, x.slice('::-1')], { axis: 1 });
    cases.push({
      label: `histogramdd ${d} (N, 3)`,
      expr: 'np.histogramdd(np.stack([a0, a1, a0[::-1]], axis=1), bins=(2, 3, 4))[0]',
      args: [x, y],
      ours: () => nd.histogramdd(s, { bins: [2, 3, 4] })[0],
    });
    for (let k = 0; k < 3; k++) {
      cases.push({
        label: `histogramdd ${d} edges[${k}]`,
        expr: `np.histogramdd(np.stack([a0, a1, a0[::-1]], axis=1), bins=(2, 3, 4))[1][${k}]`,
        args: [x, y],
        ours: () => nd.histogramdd(s, { bins: [2, 3, 4] })[1][k]!,
        tol: { ulps: 2 },
      });
    }
    cases.push({
      label: `histogramdd ${d} list of coordinates`,
      expr: 'np.histogramdd([a0, a1], bins=3, range=[(0, 4), None])[0]',
      args: [x, y],
      ours: () => nd.histogramdd([x, y], { bins: 3, range: [[0, 4], null] })[0],
    });
    cases.push({
      label: `histogramdd ${d} 1-D`,
      expr: 'np.histogramdd(a0, bins=5, density=True)[0]',
      args: [x],
      ours: () => nd.histogramdd(x, { bins: 5, density: true })[0],
      tol: NEAR,
    });
  }
  const x = arrayOf([1, 2, 3], 'float64');
  cases.push({
    label: 'histogramdd bins of the wrong length',
    expr: 'np.histogramdd(np.stack([a0, a0], axis=1), bins=[2, 2, 2])',
    args: [x],
    ours: () => nd.histogramdd(nd.stack([x, x], { axis: 1 }), { bins: [2, 2, 2] })[0],
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'histogramdd bins=0',
    expr: 'np.histogramdd(np.stack([a0, a0], axis=1), bins=0)',
    args: [x],
    ours: () => nd.histogramdd(nd.stack([x, x], { axis: 1 }), { bins: 0 })[0],
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  checkAll(t, 'histogram2d/dd', cases);
  t.end();
});

test('diff, ediff1d, cumulative_sum, cumulative_prod', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(793);
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const v = randomView(rand, d, [4, 5]);
    const x = v.view(v.base);
    const py = v.py.replace('{}', '0');
    const tol: Tol = isFloatDType(d) ? { ulps: 1, signedZero: true } : 'exact';
    for (const o of [{}, { n: 2 }, { axis: 0 }, { axis: -2, n: 3 }, { n: 0 }, { n: 7 }] as { n?: number; axis?: number }[]) {
      const kw = Object.entries(o)
        .map(([k, val]) => `${k}=${val}`)
        .join(', ');
      cases.push({ label: `diff ${d} ${kw}`, expr: `np.diff(${py}${kw ? ', ' + kw : ''})`, args: [v.base], ours: () => nd.diff(x, o), tol });
    }
    const p = arrayOf(edgeValues(d, 5, rand), d);
    cases.push({
      label: `diff ${d} prepend/append arrays`,
      expr: `np.diff(${py}, prepend=a1.reshape(1, 5), append=a1[:1].reshape(1, 1).repeat(4, 0), axis=0 if False else -1) if False else np.diff(${py}, axis=0, prepend=a1.reshape(1, 5))`,
      args: [v.base, p],
      ours: () => nd.diff(x, { axis: 0, prepend: p.reshape([1, 5]) }),
      tol,
    });
    const cs = isFloatDType(d) ? { ulps: 8, floor: 1 } : 'exact';
    const small = arrayOf(
      edgeValues(d, 40, rand).map((q) => (typeof q === 'number' && Number.isFinite(q) ? Math.max(-4, Math.min(4, q)) : typeof q === 'bigint' ? q % 3n : q)),
      d,
    ).reshape([5, 8]);
    for (const fn of ['cumulative_sum', 'cumulative_prod']) {
      const js = fn === 'cumulative_sum' ? nd.cumulativeSum : nd.cumulativeProd;
      cases.push({ label: `${fn} ${d} axis=1`, expr: `np.${fn}(a0, axis=1)`, args: [small], ours: () => js(small, { axis: 1 }), tol: cs as Tol });
      cases.push({
        label: `${fn} ${d} axis=-2 include_initial`,
        expr: `np.${fn}(a0, axis=-2, include_initial=True)`,
        args: [small],
        ours: () => js(small, { axis: -2, includeInitial: true }),
        tol: cs as Tol,
      });
      cases.push({
        label: `${fn} ${d} 1-D dtype float64`,
        expr: `np.${fn}(a0[1], dtype=np.float64)`,
        args: [small],
        ours: () => js(small.slice(1), { dtype: 'float64' }),
        tol: { ulps: 8, floor: 1 },
      });
      cases.push({ label: `${fn} ${d} 0-d`, expr: `np.${fn}(a0[1, 1])`, args: [small], ours: () => js(small.slice(1, 1)), tol: cs as Tol });
      cases.push({
        label: `${fn} ${d} 2-D without axis`,
        expr: `np.${fn}(a0)`,
        args: [small],
        ours: () => js(small),
        errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
      });
    }
    if (d !== 'bool') {
      cases.push({ label: `ediff1d ${d}`, expr: `np.ediff1d(${py})`, args: [v.base], ours: () => nd.ediff1d(x), tol });
      const b = arrayOf([edgeValues(d, 3, rand)[2]!], d);
      cases.push({
        label: `ediff1d ${d} to_begin/to_end`,
        expr: `np.ediff1d(${py}, to_begin=a1, to_end=a1[::-1])`,
        args: [v.base, b],
        ours: () => nd.ediff1d(x, { toBegin: b, toEnd: b.slice('::-1') }),
        tol,
      });
    }
  }
  const z = arrayOf([3], 'float64').reshape([]);
  cases.push({ label: 'diff 0-d', expr: 'np.diff(a0)', args: [z], ours: () => nd.diff(z), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  const i8 = arrayOf([1, 5, 2], 'int8');
  cases.push({ label: 'diff n<0', expr: 'np.diff(a0, n=-1)', args: [i8], ours: () => nd.diff(i8, { n: -1 }), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  const f = arrayOf([1.5], 'float64');
  cases.push({
    label: 'ediff1d to_begin float into int8',
    expr: 'np.ediff1d(a0, to_begin=a1)',
    args: [i8, f],
    ours: () => nd.ediff1d(i8, { toBegin: f }),
    errCode: 'ERR_NDSHARE_DTYPE',
  });
  checkAll(t, 'diff/cumulative', cases);
  t.end();
});

test('isclose, allclose, array_equal, array_equiv', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(794);
  const cases: Case[] = [];
  const b = (v: boolean): NDArray => nd.array([v]).astype('bool').reshape([]);
  for (const d of ALL_DTYPES) {
    const x = arrayOf(edgeValues(d, 24, rand), d).reshape([4, 6]);
    const y = nd.add(x, isFloatDType(d) ? nd.multiply(x, 1e-6) : 0).astype(d);
    const z = arrayOf(edgeValues(d, 6, rand), d);
    for (const o of [{}, { rtol: 0, atol: 0.5 }, { equalNan: true }] as { rtol?: number; atol?: number; equalNan?: boolean }[]) {
      const kw = Object.entries(o)
        .map(([k, v]) => `${k === 'equalNan' ? 'equal_nan' : k}=${v === true ? 'True' : v}`)
        .join(', ');
      cases.push({ label: `isclose ${d} ${kw}`, expr: `np.isclose(a0, a1${kw ? ', ' + kw : ''})`, args: [x, y], ours: () => nd.isclose(x, y, o) });
      cases.push({ label: `isclose ${d} broadcast ${kw}`, expr: `np.isclose(a0, a1${kw ? ', ' + kw : ''})`, args: [x, z], ours: () => nd.isclose(x, z, o) });
      cases.push({ label: `allclose ${d} ${kw}`, expr: `np.allclose(a0, a1${kw ? ', ' + kw : ''})`, args: [x, y], ours: () => b(nd.allclose(x, y, o)) });
      cases.push({
        label: `allclose ${d} view ${kw}`,
        expr: `np.allclose(a0[::-1], a1[::-1]${kw ? ', ' + kw : ''})`,
        args: [x, x],
        ours: () => b(nd.allclose(x.slice('::-1'), x.slice('::-1'), o)),
      });
    }
    cases.push({ label: `isclose ${d} with scalar`, expr: 'np.isclose(a0, 1)', args: [x], ours: () => nd.isclose(x, 1) });
    for (const en of [false, true]) {
      const k = en ? 'True' : 'False';
      cases.push({
        label: `array_equal ${d} self equal_nan=${k}`,
        expr: `np.array_equal(a0, a0.copy(), equal_nan=${k})`,
        args: [x],
        ours: () => b(nd.arrayEqual(x, x.copy(), { equalNan: en })),
      });
    }
    cases.push({ label: `array_equal ${d} shapes`, expr: 'np.array_equal(a0, a0[:2])', args: [x], ours: () => b(nd.arrayEqual(x, x.slice(':2'))) });
    cases.push({
      label: `array_equiv ${d} broadcast`,
      expr: 'np.array_equiv(a0[:1], np.repeat(a0[:1], 3, axis=0))',
      args: [x],
      ours: () => b(nd.arrayEquiv(x.slice(':1'), nd.concatenate([x.slice(':1'), x.slice(':1'), x.slice(':1')]))),
    });
    cases.push({ label: `array_equiv ${d} mismatch`, expr: 'np.array_equiv(a0, a0[:, :2])', args: [x], ours: () => b(nd.arrayEquiv(x, x.slice(':', ':2'))) });
  }
  checkAll(t, 'close/equal', cases);
  t.end();
});
