// Real-input forms of NumPy's small helpers against NumPy 2: isposinf/
// isneginf, isreal/iscomplex, real/imag/angle, fix/around, nanToNum, sinc, i0,
// the window functions; and the info helpers.
import test from 'tape';
import * as nd from '../src/index.js';
import type { DType } from '../src/index.js';
import { mulberry32 } from './helpers/assert.js';
import { arrayOf, checkAll, edgeValues, type Case, skipWithoutNumpy } from './helpers/numpy-diff.js';

test('misc helpers match NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(87);
  const cases: Case[] = [];
  for (const d of ['int8', 'uint16', 'int64', 'float16', 'float32', 'float64'] as DType[]) {
    const x = arrayOf(edgeValues(d, 40, rand), d);
    cases.push({ label: `isposinf(${d})`, expr: 'np.isposinf(a0)', args: [x], ours: () => nd.isposinf(x) });
    cases.push({ label: `isneginf(${d}[::-1])`, expr: 'np.isneginf(a0[::-1])', args: [x], ours: () => nd.isneginf(x.slice('::-1')) });
    cases.push({ label: `isreal(${d})`, expr: 'np.isreal(a0)', args: [x], ours: () => nd.isreal(x) });
    cases.push({ label: `iscomplex(${d})`, expr: 'np.iscomplex(a0)', args: [x], ours: () => nd.iscomplex(x) });
    cases.push({ label: `real(${d})`, expr: 'np.real(a0)', args: [x], ours: () => nd.real(x) });
    cases.push({ label: `imag(${d})`, expr: 'np.imag(a0)', args: [x], ours: () => nd.imag(x) });
    cases.push({ label: `angle(${d})`, expr: 'np.angle(a0)', args: [x], ours: () => nd.angle(x) });
    cases.push({ label: `angle(${d}, deg)`, expr: 'np.angle(a0, deg=True)', args: [x], ours: () => nd.angle(x, true), tol: { ulps: 1 } });
    cases.push({ label: `fix(${d})`, expr: 'np.fix(a0)', args: [x], ours: () => nd.fix(x) });
    cases.push({ label: `nanToNum(${d})`, expr: 'np.nan_to_num(a0)', args: [x], ours: () => nd.nanToNum(x) });
    cases.push({
      label: `nanToNum(${d}, values)`,
      expr: 'np.nan_to_num(a0, nan=-1, posinf=7, neginf=-7)',
      args: [x],
      ours: () => nd.nanToNum(x, { nan: -1, posinf: 7, neginf: -7 }),
    });
    // float16: NumPy computes sin(pi x) in float16 (sinc(1) = 3e-4); ours in float32.
    if (d !== 'float16')
      cases.push({ label: `sinc(${d})`, expr: 'np.sinc(a0)', args: [x], ours: () => nd.sinc(x), tol: { ulps: 4, halfUlps: 1, floor: 1e-300 } });
  }
  const xs = nd.array([0, 0.5, -1, 3, 10, 50, 200, 700, -2.5, 1e-8]);
  cases.push({ label: 'i0', expr: 'np.i0(a0)', args: [xs], ours: () => nd.i0(xs), tol: { ulps: 64 } });
  for (const M of [0, 1, 2, 5, 12, 51]) {
    for (const w of ['bartlett', 'blackman', 'hamming', 'hanning']) {
      cases.push({
        label: `${w}(${M})`,
        expr: `np.${w}(${M})`,
        args: [],
        ours: () => (nd as unknown as Record<string, (m: number) => nd.NDArray>)[w]!(M),
        tol: { ulps: 8, floor: 1e-16 },
      });
    }
    cases.push({ label: `kaiser(${M}, 14)`, expr: `np.kaiser(${M}, 14)`, args: [], ours: () => nd.kaiser(M, 14), tol: { ulps: 64, floor: 1e-16 } });
  }
  checkAll(t, 'misc', cases);
  t.end();
});

test('info helpers', (t) => {
  const a = nd.zeros([2, 3]);
  t.equal(nd.ndim(a), 2);
  t.equal(nd.ndim(3), 0);
  t.deepEqual(nd.shape([[1, 2, 3]]), [1, 3]);
  t.equal(nd.size(a), 6);
  t.equal(nd.size(a, -1), 3);
  t.equal(nd.isfortran(a), false);
  t.equal(nd.isfortran(a.T), true);
  t.equal(nd.isscalar(1.5), true);
  t.equal(nd.isscalar(nd.array(1.5)), false);
  t.equal(nd.iscomplexobj(a), false);
  t.equal(nd.isrealobj(a), true);
  t.end();
});
