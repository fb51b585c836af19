// Order statistics and NaN-ignoring reductions against NumPy 2: median,
// quantile/percentile with all 13 methods, the nan forms, nanmean/nanvar/
// nanstd/nanmin/nanmax/nansum/nanprod/nancumsum/nancumprod, average (weights,
// returned), ptp: dtype families, axes (one, several, none, negative),
// keepdims, strided and negative-stride views, NaN/Inf/-0, ties, empty and
// 0-d inputs, and NumPy's refusals as coded errors.
import test from 'tape';
import * as nd from '../src/index.js';
import { NdshareError, NdshareRangeError, NdshareTypeError, type DType, type NDArray } from '../src/index.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';
import { arrayOf, checkAll, edgeValues, type Case, type Tol, skipWithoutNumpy } from './helpers/numpy-diff.js';

const METHODS = [
  'inverted_cdf',
  'averaged_inverted_cdf',
  'closest_observation',
  'interpolated_inverted_cdf',
  'hazen',
  'weibull',
  'linear',
  'median_unbiased',
  'normal_unbiased',
  'lower',
  'higher',
  'midpoint',
  'nearest',
] as const;
const DTYPES: DType[] = ['int8', 'uint16', 'int32', 'int64', 'uint64', 'float16', 'float32', 'float64'];
// Ours interpolate in float64 and round once; NumPy computes the virtual index
// and the lerp in the input's float dtype: a few float32/float16 ulps apart.
const TOL: Tol = { ulps: 16, halfUlps: 8 };

/** Small values with ties, NaN, Inf and -0 (floats) or the integer range. */
function values(d: DType, n: number, rand: () => number): (number | bigint | boolean)[] {
  const v = edgeValues(d, n, rand);
  // Ties: repeat a few values.
  for (let i = 0; i + 3 < n; i += 7) v[i + 3] = v[i]!;
  return v;
}

test('quantile/percentile: every method x dtype x axis matches NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(86);
  const cases: Case[] = [];
  for (const d of DTYPES) {
    // Integers: values whose differences fit the dtype (NumPy's lerp subtracts in the integer dtype and wraps).
    const finite = d.startsWith('float')
      ? arrayOf(
          Array.from({ length: 60 }, () => Math.round((rand() / 2 ** 32 - 0.5) * 2000) / 8),
          d,
        ).reshape([3, 4, 5])
      : arrayOf(
          Array.from({ length: 60 }, (_, i) => (i % 7 === 3 ? 10 : (rand() % 100) - (d.startsWith('u') ? 0 : 50))),
          d,
        ).reshape([3, 4, 5]);
    for (const method of METHODS) {
      // An array q promotes the result (float64 q: float64); NumPy then computes the
      // virtual index in q's dtype and the lerp partly in the input's: array q only for
      // integer and float64 inputs, scalar q for float16/float32.
      if (d === 'float16' || d === 'float32') {
        for (const qq of [0, 0.1, 0.5, 0.77, 1]) {
          cases.push({
            label: `quantile(${d}, ${qq}, ${method})`,
            expr: `np.quantile(a0, ${qq}, method='${method}')`,
            args: [finite],
            ours: () => nd.quantile(finite, qq, { method }),
            tol: TOL,
          });
        }
      } else {
        const q = nd.array([0, 0.1, 0.25, 0.5, 0.77, 1]);
        cases.push({
          label: `quantile(${d}, ${method})`,
          expr: `np.quantile(a0, a1, method='${method}')`,
          args: [finite, q],
          ours: () => nd.quantile(finite, q, { method }),
          tol: TOL,
        });
      }
      cases.push({
        label: `quantile(${d}, axis 1, ${method})`,
        expr: `np.quantile(a0, 0.3, axis=1, method='${method}')`,
        args: [finite],
        ours: () => nd.quantile(finite, 0.3, { axis: 1, method }),
        tol: TOL,
      });
      cases.push({
        label: `percentile(${d}.T[::-1], axis (0,2), keepdims, ${method})`,
        expr: `np.percentile(a0.T[::-1], ${d === 'float16' || d === 'float32' ? '50' : '[5, 50, 95]'}, axis=(0, 2), keepdims=True, method='${method}')`,
        args: [finite],
        ours: () => nd.percentile(finite.T.slice('::-1'), d === 'float16' || d === 'float32' ? 50 : [5, 50, 95], { axis: [0, 2], keepdims: true, method }),
        tol: TOL,
      });
    }
    cases.push({ label: `median(${d})`, expr: 'np.median(a0)', args: [finite], ours: () => nd.median(finite), tol: TOL });
    cases.push({ label: `median(${d}, axis -1)`, expr: 'np.median(a0, axis=-1)', args: [finite], ours: () => nd.median(finite, { axis: -1 }), tol: TOL });
    cases.push({
      label: `median(${d}[:, ::2], axis 0, keepdims)`,
      expr: 'np.median(a0[:, ::2], axis=0, keepdims=True)',
      args: [finite],
      ours: () => nd.median(finite.slice(':', '::2'), { axis: 0, keepdims: true }),
      tol: TOL,
    });
  }
  // NaN/Inf/-0 in float rows; the nan forms.
  for (const d of ['float16', 'float32', 'float64'] as DType[]) {
    const x = arrayOf(values(d, 48, rand), d).reshape([6, 8]);
    const allNan = arrayOf([NaN, NaN, 1, 2, NaN, NaN], d).reshape([2, 3]);
    for (const f of ['median', 'nanmedian']) {
      cases.push({
        label: `${f}(${d} with NaN)`,
        expr: `np.${f}(a0, axis=1)`,
        args: [x],
        ours: () => (nd as unknown as Record<string, (a: NDArray, o: object) => NDArray>)[f]!(x, { axis: 1 }),
        tol: TOL,
      });
    }
    for (const method of METHODS) {
      cases.push({
        label: `nanquantile(${d}, ${method})`,
        expr: `np.nanquantile(a0, 0.3, axis=0, method='${method}')`,
        args: [x],
        ours: () => nd.nanquantile(x, 0.3, { axis: 0, method }),
        tol: TOL,
      });
      cases.push({
        label: `quantile(${d} with NaN, ${method})`,
        expr: `np.quantile(a0, 0.5, axis=1, method='${method}')`,
        args: [x],
        ours: () => nd.quantile(x, 0.5, { axis: 1, method }),
        tol: TOL,
      });
    }
    cases.push({
      label: `nanpercentile(${d} all-NaN row)`,
      expr: 'np.nanpercentile(a0, 40, axis=0)',
      args: [allNan],
      ours: () => nd.nanpercentile(allNan, 40, { axis: 0 }),
      tol: TOL,
    });
    cases.push({
      label: `nanmedian(${d} all-NaN col)`,
      expr: 'np.nanmedian(a0, axis=0)',
      args: [allNan],
      ours: () => nd.nanmedian(allNan, { axis: 0 }),
      tol: TOL,
    });
  }
  const e = nd.zeros([0, 3]);
  cases.push({ label: 'median(empty axis 0)', expr: 'np.median(a0, axis=0)', args: [e], ours: () => nd.median(e, { axis: 0 }) });
  const z = nd.array(5.5);
  cases.push({ label: 'median(0-d)', expr: 'np.median(a0)', args: [z], ours: () => nd.median(z) });
  const big = nd.array([2n ** 62n + 1n, 2n ** 62n + 3n, 5n], { dtype: 'int64' });
  cases.push({
    label: 'quantile(int64 beyond 2^53, lower)',
    expr: "np.quantile(a0, 0.5, method='lower')",
    args: [big],
    ours: () => nd.quantile(big, 0.5, { method: 'lower' }),
  });
  checkAll(t, 'quantiles', cases);
  t.end();
});

test('nan-reductions, average, ptp match NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(861);
  const cases: Case[] = [];
  for (const d of ['int16', 'uint8', 'int64', 'float16', 'float32', 'float64'] as DType[]) {
    const x = d.startsWith('float')
      ? arrayOf(
          values(d, 24, rand).map((v, i) => (i % 5 === 0 ? NaN : typeof v === 'number' && Number.isFinite(v) ? v % 100 : 1.5)),
          d,
        ).reshape([4, 6])
      : arrayOf(
          Array.from({ length: 24 }, () => rand() % 50),
          d,
        ).reshape([4, 6]);
    for (const f of ['nansum', 'nanprod', 'nanmean', 'nanvar', 'nanstd', 'nanmin', 'nanmax']) {
      for (const [ax, pyAx] of [
        [undefined, 'None'],
        [0, '0'],
        [-1, '-1'],
      ] as const) {
        const o = ax === undefined ? {} : { axis: ax };
        cases.push({
          label: `${f}(${d}, axis ${pyAx})`,
          expr: `np.${f}(a0, axis=${pyAx})`,
          args: [x],
          ours: () => (nd as unknown as Record<string, (a: NDArray, o: object) => NDArray>)[f]!(x, o),
          tol: { ulps: 8, halfUlps: 2, floor: 1e-12 },
        });
      }
    }
    cases.push({
      label: `nanvar(${d}, ddof 1, keepdims)`,
      expr: 'np.nanvar(a0, axis=1, ddof=1, keepdims=True)',
      args: [x],
      ours: () => nd.nanvar(x, { axis: 1, ddof: 1, keepdims: true }),
      tol: { ulps: 8, halfUlps: 2 },
    });
    cases.push({
      label: `nancumsum(${d}.T)`,
      expr: 'np.nancumsum(a0.T, axis=0)',
      args: [x],
      ours: () => nd.nancumsum(x.T, { axis: 0 }),
      tol: { ulps: 4, halfUlps: 1 },
    });
    cases.push({
      label: `nancumprod(${d}[::-1])`,
      expr: 'np.nancumprod(a0[::-1, :3], axis=1)',
      args: [x],
      ours: () => nd.nancumprod(x.slice('::-1', ':3'), { axis: 1 }),
      tol: { ulps: 4, halfUlps: 1 },
    });
    cases.push({ label: `ptp(${d}, axis 0)`, expr: 'np.ptp(a0, axis=0)', args: [x], ours: () => nd.ptp(x, { axis: 0 }) });
    cases.push({ label: `amax(${d})`, expr: 'np.amax(a0, axis=1)', args: [x], ours: () => nd.amax(x, { axis: 1 }) });
    const w = nd.array([1, 2, 0.5, 4, 1, 3]);
    cases.push({
      label: `average(${d}, 1-d weights on axis 1)`,
      expr: 'np.average(a0, axis=1, weights=a1)',
      args: [x, w],
      ours: () => nd.average(x, { axis: 1, weights: w }),
      tol: { ulps: 8, halfUlps: 2 },
    });
    cases.push({ label: `average(${d}) no weights`, expr: 'np.average(a0)', args: [x], ours: () => nd.average(x), tol: { ulps: 8, halfUlps: 2 } });
    cases.push({
      label: `average(${d}, returned)[1]`,
      expr: 'np.average(a0, axis=1, weights=a1, returned=True)[1]',
      args: [x, w],
      ours: () => nd.average(x, { axis: 1, weights: w, returned: true })[1],
    });
  }
  checkAll(t, 'nan-reductions', cases);
  t.end();
});

test('quantiles and average: coded errors where NumPy raises', (t) => {
  const x = nd.array([1, 2, 3]);
  throwsCoded(t, 'q > 1', () => nd.quantile(x, 1.5), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE');
  throwsCoded(t, 'percentile q < 0', () => nd.percentile(x, -1), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE');
  throwsCoded(t, 'unknown method', () => nd.quantile(x, 0.5, { method: 'bogus' as never }), NdshareError, 'ERR_NDSHARE_INVALID_ARG_VALUE');
  throwsCoded(t, 'axis out of range', () => nd.median(x, { axis: 1 }), NdshareRangeError, 'ERR_NDSHARE_OUT_OF_BOUNDS');
  throwsCoded(t, 'weights sum to zero', () => nd.average(x, { weights: [1, -1, 0] }), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE');
  throwsCoded(t, 'weights of another length', () => nd.average(x, { axis: 0, weights: [1, 2] }), NdshareError, 'ERR_NDSHARE_BROADCAST');
  throwsCoded(t, 'weights shape without axis', () => nd.average(nd.zeros([2, 3]), { weights: [1, 2, 3] }), NdshareError, 'ERR_NDSHARE_BROADCAST');
  throwsCoded(t, 'ptp of bool', () => nd.ptp(nd.array([true, false])), NdshareTypeError, 'ERR_NDSHARE_DTYPE');
  throwsCoded(t, 'out is NumPy-only', () => nd.median(x, { out: x } as never), NdshareRangeError, 'ERR_NDSHARE_UNSUPPORTED');
  t.end();
});
