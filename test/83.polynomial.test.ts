// The poly* functions and roots against NumPy 2: coefficient arithmetic,
// division with remainder, derivatives and integrals, evaluation, least-squares
// fits (weights, full output, covariance), poly of roots and of matrices, and
// roots (real roots as a set; complex roots in test/84).
import test from 'tape';
import * as nd from '../src/index.js';
import { skipWithoutNumpy } from './helpers/numpy-diff.js';
import { close, np, randn, throwsCode, vals } from './helpers/linalg.js';

test('polyadd, polysub, polymul, polydiv, polyder, polyint, polyval', (t) => {
  if (skipWithoutNumpy(t)) return;
  const p = nd.array([3, 0, -2, 5]);
  const q = nd.array([1, 4]);
  const pi = nd.array([1, 2, 3], { dtype: 'int64' });
  const qi = nd.array([4, 5], { dtype: 'int64' });
  const x = randn([3, 4], 1);
  const cases = [
    { label: 'polyadd', expr: 'np.polyadd(a0, a1)', args: [p, q], ours: () => nd.polyadd(p, q) },
    { label: 'polyadd int', expr: 'np.polyadd(a0, a1)', args: [pi, qi], ours: () => nd.polyadd(pi, qi) },
    { label: 'polysub', expr: 'np.polysub(a1, a0)', args: [p, q], ours: () => nd.polysub(q, p) },
    { label: 'polymul', expr: 'np.polymul(a0, a1)', args: [p, q], ours: () => nd.polymul(p, q) },
    { label: 'polymul int', expr: 'np.polymul(a0, a1)', args: [pi, qi], ours: () => nd.polymul(pi, qi) },
    { label: 'polydiv q', expr: 'np.polydiv(a0, a1)[0]', args: [p, q], ours: () => nd.polydiv(p, q)[0] },
    { label: 'polydiv r', expr: 'np.polydiv(a0, a1)[1]', args: [p, q], ours: () => nd.polydiv(p, q)[1] },
    { label: 'polydiv exact r', expr: 'np.polydiv(np.polymul(a0, a1), a1)[1]', args: [p, q], ours: () => nd.polydiv(nd.polymul(p, q), q)[1] },
    { label: 'polydiv short', expr: 'np.polydiv(a1, a0)[0]', args: [p, q], ours: () => nd.polydiv(q, p)[0] },
    { label: 'polyder', expr: 'np.polyder(a0)', args: [p], ours: () => nd.polyder(p) },
    { label: 'polyder m=2', expr: 'np.polyder(a0, 2)', args: [p], ours: () => nd.polyder(p, 2) },
    { label: 'polyder int', expr: 'np.polyder(a0)', args: [pi], ours: () => nd.polyder(pi) },
    { label: 'polyint', expr: 'np.polyint(a0)', args: [p], ours: () => nd.polyint(p) },
    { label: 'polyint m=2 k', expr: 'np.polyint(a0, 2, [1, 2])', args: [p], ours: () => nd.polyint(p, 2, [1, 2]) },
    { label: 'polyint k scalar', expr: 'np.polyint(a0, 3, 4)', args: [p], ours: () => nd.polyint(p, 3, 4) },
    { label: 'polyval array', expr: 'np.polyval(a0, a1)', args: [p, x], ours: () => nd.polyval(p, x) },
    { label: 'polyval int', expr: 'np.polyval(a0, a1)', args: [pi, qi], ours: () => nd.polyval(pi, qi) },
    { label: 'polyval scalar', expr: 'np.asarray(np.polyval(a0, 2.5))', args: [p], ours: () => nd.polyval(p, 2.5) },
  ];
  const res = np(cases);
  cases.forEach((c, i) => close(t, c.ours(), res[i]!, 1e-13, c.label));
  t.end();
});

test('polyfit: degrees, weights, 2-D y, full, cov', (t) => {
  if (skipWithoutNumpy(t)) return;
  const x = nd.linspace(-2, 3, 25);
  const y = nd.add(nd.polyval([0.5, -1, 2, 3], x), nd.multiply(randn([25], 2), 0.1));
  const y2 = nd.stack([y, nd.multiply(y, 2)], { axis: 1 });
  const w = nd.add(nd.abs(randn([25], 3)), 0.5);
  const cases = [
    { label: 'polyfit deg 1', expr: 'np.polyfit(a0, a1, 1)', args: [x, y], ours: () => nd.polyfit(x, y, 1) as nd.NDArray },
    { label: 'polyfit deg 3', expr: 'np.polyfit(a0, a1, 3)', args: [x, y], ours: () => nd.polyfit(x, y, 3) as nd.NDArray },
    { label: 'polyfit deg 0', expr: 'np.polyfit(a0, a1, 0)', args: [x, y], ours: () => nd.polyfit(x, y, 0) as nd.NDArray },
    { label: 'polyfit w', expr: 'np.polyfit(a0, a1, 2, w=a2)', args: [x, y, w], ours: () => nd.polyfit(x, y, 2, { w }) as nd.NDArray },
    { label: 'polyfit 2-D y', expr: 'np.polyfit(a0, a1, 2)', args: [x, y2], ours: () => nd.polyfit(x, y2, 2) as nd.NDArray },
    {
      label: 'polyfit full residuals',
      expr: 'np.polyfit(a0, a1, 2, full=True)[1]',
      args: [x, y],
      ours: () => (nd.polyfit(x, y, 2, { full: true }) as nd.NDArray[])[1]!,
    },
    {
      label: 'polyfit full s',
      expr: 'np.polyfit(a0, a1, 2, full=True)[3]',
      args: [x, y],
      ours: () => (nd.polyfit(x, y, 2, { full: true }) as nd.NDArray[])[3]!,
    },
    { label: 'polyfit cov', expr: 'np.polyfit(a0, a1, 2, cov=True)[1]', args: [x, y], ours: () => (nd.polyfit(x, y, 2, { cov: true }) as nd.NDArray[])[1]! },
    {
      label: 'polyfit cov unscaled',
      expr: 'np.polyfit(a0, a1, 2, cov="unscaled")[1]',
      args: [x, y],
      ours: () => (nd.polyfit(x, y, 2, { cov: 'unscaled' }) as nd.NDArray[])[1]!,
    },
    {
      label: 'polyfit cov 2-D y',
      expr: 'np.polyfit(a0, a1, 1, cov=True)[1]',
      args: [x, y2],
      ours: () => (nd.polyfit(x, y2, 1, { cov: true }) as nd.NDArray[])[1]!,
    },
  ];
  const res = np(cases);
  cases.forEach((c, i) => close(t, c.ours(), res[i]!, 1e-9, c.label));
  const full = nd.polyfit(x, y, 2, { full: true }) as unknown[];
  t.equal(full[2], 3, 'polyfit full: rank');
  throwsCode(t, () => nd.polyfit(x, y, -1), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'negative degree');
  throwsCode(t, () => nd.polyfit(nd.ones([2, 2]), y, 1), 'ERR_NDSHARE_INVALID_ARG_TYPE', '2-D x');
  throwsCode(t, () => nd.polyfit(x, nd.ones([3]), 1), 'ERR_NDSHARE_INVALID_ARG_TYPE', 'length mismatch');
  t.end();
});

test("poly and roots: real roots as NumPy's", (t) => {
  if (skipWithoutNumpy(t)) return;
  const r = nd.array([1, -2, 3.5, 0.25]);
  const m = nd.array([
    [2, 1, 0],
    [1, 3, 1],
    [0, 1, 4],
  ]);
  const rot = nd.array([
    [0, -1],
    [1, 0],
  ]);
  const p = nd.array([1, -6, 11, -6]); // (x-1)(x-2)(x-3)
  const pz = nd.array([0, 0, 2, -2, 0, 0]); // leading and trailing zeros: roots 1, 0, 0
  const wilk = nd.poly(nd.arange(1, 11));
  const cases = [
    { label: 'poly of roots', expr: 'np.poly(a0)', args: [r], ours: () => nd.poly(r) },
    { label: 'poly of a matrix', expr: 'np.poly(a0)', args: [m], ours: () => nd.poly(m) },
    { label: 'poly of a matrix with complex eigenvalues (real coefficients)', expr: 'np.poly(a0)', args: [rot], ours: () => nd.poly(rot) },
    { label: 'roots cubic', expr: 'np.sort(np.roots(a0))', args: [p], ours: () => sorted(nd.roots(p)) },
    { label: 'roots with zeros', expr: 'np.sort(np.roots(a0))', args: [pz], ours: () => sorted(nd.roots(pz)) },
    { label: 'roots Wilkinson 10', expr: 'np.sort(np.roots(a0).real)', args: [wilk], ours: () => sorted(nd.roots(wilk)) },
    { label: 'roots of a constant', expr: 'np.roots(a0)', args: [nd.array([5])], ours: () => nd.roots([5]) },
  ];
  const res = np(cases);
  cases.forEach((c, i) => close(t, c.ours(), res[i]!, 1e-8, c.label));
  throwsCode(t, () => nd.roots([[1, 2]]), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'roots of a 2-D array');
  t.end();
});

function sorted(x: nd.NDArray): nd.NDArray {
  return nd.array(vals(x).sort((a, b) => a - b));
}
