// convolve, correlate, cov, corrcoef, bitwiseCount, ldexp, frexp against
// NumPy 2 at test time: dtype families (integer wrap included), modes,
// weights, views, 0-d and empty inputs, NaN/Inf/-0, NumPy's errors.
import test from 'tape';
import * as nd from '../src/index.js';
import type { DType } from '../src/index.js';
import { mulberry32 } from './helpers/assert.js';
import { moderate as mk } from './helpers/moderate.js';
import { arrayOf, availableIsas, checkAll, edgeValues, type Case, skipWithoutNumpy, INT_DTYPES } from './helpers/numpy-diff.js';

const FAMILY: DType[] = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float16', 'float32', 'float64'];

const MODES = ['valid', 'same', 'full'] as const;

test('convolve and correlate match NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(891);
  const cases: Case[] = [];
  for (const d of FAMILY) {
    // int8 with span 100: sums that wrap, as NumPy's integer dot does.
    const a = mk(d, [11], rand, d === 'int8' || d === 'uint8' ? 100 : 10);
    const v = mk(d, [4], rand, d === 'int8' || d === 'uint8' ? 100 : 10);
    const tol = d === 'float16' ? { ulps: 1 } : d.startsWith('float') ? { ulps: 8, floor: 1e-3 } : 'exact';
    for (const mode of MODES) {
      cases.push({ label: `convolve ${mode} ${d}`, expr: `np.convolve(a0, a1, mode='${mode}')`, args: [a, v], ours: () => nd.convolve(a, v, { mode }), tol });
      cases.push({
        label: `correlate ${mode} ${d}`,
        expr: `np.correlate(a0, a1, mode='${mode}')`,
        args: [a, v],
        ours: () => nd.correlate(a, v, { mode }),
        tol,
      });
      cases.push({
        label: `correlate short-first ${mode} ${d}`,
        expr: `np.correlate(a1, a0, mode='${mode}')`,
        args: [a, v],
        ours: () => nd.correlate(v, a, { mode }),
        tol,
      });
      cases.push({
        label: `convolve short-first ${mode} ${d}`,
        expr: `np.convolve(a1, a0, mode='${mode}')`,
        args: [a, v],
        ours: () => nd.convolve(v, a, { mode }),
        tol,
      });
    }
  }
  // Even/odd lengths for 'same', promotion, views, long inputs (the blocked interior path).
  for (const [n, m] of [
    [10, 4],
    [10, 5],
    [7, 7],
    [1, 1],
    [3, 8],
    [600, 37],
  ] as const) {
    const a = mk('float64', [n], rand);
    const v = mk('float32', [m], rand);
    for (const mode of MODES) {
      cases.push({
        label: `correlate ${n}x${m} ${mode}`,
        expr: `np.correlate(a0, a1, mode='${mode}')`,
        args: [a, v],
        ours: () => nd.correlate(a, v, { mode }),
        tol: { ulps: 16, floor: 1e-2 },
      });
      cases.push({
        label: `convolve ${n}x${m} ${mode}`,
        expr: `np.convolve(a0, a1, mode='${mode}')`,
        args: [a, v],
        ours: () => nd.convolve(a, v, { mode }),
        tol: { ulps: 16, floor: 1e-2 },
      });
    }
  }
  const i64 = mk('int64', [700], rand, 1000);
  const w64 = mk('int64', [50], rand, 1000);
  cases.push({ label: 'convolve int64 long', expr: 'np.convolve(a0, a1)', args: [i64, w64], ours: () => nd.convolve(i64, w64) });
  const f32 = mk('float32', [500], rand);
  const g32 = mk('float32', [33], rand);
  cases.push({
    label: 'correlate float32 long',
    expr: "np.correlate(a0, a1, 'same')",
    args: [f32, g32],
    ours: () => nd.correlate(f32, g32, { mode: 'same' }),
    tol: { ulps: 64, floor: 1e-1 },
  });
  const base = mk('float64', [30], rand);
  cases.push({
    label: 'convolve views',
    expr: 'np.convolve(a0[::-2], a0[1:8:3])',
    args: [base],
    ours: () => nd.convolve(base.slice('::-2'), base.slice('1:8:3')),
    tol: { ulps: 16, floor: 1e-2 },
  });
  cases.push({
    label: 'convolve int mode code',
    expr: 'np.convolve(a0[:9], a0[:3], mode=1)',
    args: [base],
    ours: () => nd.convolve(base.slice(':9'), base.slice(':3'), { mode: 1 }),
    tol: { ulps: 16, floor: 1e-2 },
  });
  const sp = nd.array([1, NaN, -0, Infinity, 2, -0]);
  const k = nd.array([-0, 1, 0.5]);
  cases.push({ label: 'convolve NaN/Inf/-0', expr: 'np.convolve(a0, a1)', args: [sp, k], ours: () => nd.convolve(sp, k) });
  const i8 = mk('int8', [9], rand, 100);
  const u16 = mk('uint16', [3], rand, 100);
  cases.push({ label: 'convolve int8*uint16', expr: 'np.convolve(a0, a1)', args: [i8, u16], ours: () => nd.convolve(i8, u16) });
  const s0 = nd.array(2.5);
  cases.push({ label: 'convolve 0-d', expr: 'np.convolve(a0, a1)', args: [s0, k], ours: () => nd.convolve(s0, k) });
  const e = nd.zeros([0]);
  const m2 = nd.ones([2, 2]);
  cases.push({ label: 'convolve empty', expr: 'np.convolve(a0, a1)', args: [e, k], ours: () => nd.convolve(e, k), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({
    label: 'correlate empty',
    expr: 'np.correlate(a0, a1)',
    args: [k, e],
    ours: () => nd.correlate(k, e),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({ label: 'convolve 2-d', expr: 'np.convolve(a0, a1)', args: [m2, k], ours: () => nd.convolve(m2, k), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({
    label: 'correlate bad mode',
    expr: "np.correlate(a0, a1, mode='middle')",
    args: [sp, k],
    ours: () => nd.correlate(sp, k, { mode: 'middle' as 'same' }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  checkAll(t, 'convolve/correlate', cases, availableIsas()); // the kernel family on every ISA
  t.end();
});

test('cov and corrcoef match NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(892);
  const cases: Case[] = [];
  const TOL = { ulps: 64, floor: 1e-9 };
  for (const d of FAMILY) {
    const m = mk(d, [3, 8], rand);
    const tol = d === 'float16' || d === 'float32' ? { ulps: 64, floor: 1e-4 } : TOL;
    cases.push({ label: `cov ${d}`, expr: 'np.cov(a0)', args: [m], ours: () => nd.cov(m), tol });
    cases.push({ label: `cov rowvar=False ${d}`, expr: 'np.cov(a0, rowvar=False)', args: [m], ours: () => nd.cov(m, { rowvar: false }), tol });
    cases.push({ label: `corrcoef ${d}`, expr: 'np.corrcoef(a0)', args: [m], ours: () => nd.corrcoef(m), tol });
    if (d !== 'bool' && d !== 'float16')
      cases.push({
        label: `cov dtype=float32 ${d}`,
        expr: 'np.cov(a0, dtype=np.float32)',
        args: [m],
        ours: () => nd.cov(m, { dtype: 'float32' }),
        tol: { ulps: 64, floor: 1e-4 },
      });
  }
  const m = mk('float64', [4, 12], rand);
  const y = mk('int32', [12], rand);
  const fw = nd.array([1, 2, 0, 3, 1, 1, 4, 2, 1, 1, 2, 1]).astype('int64');
  const aw = nd.array([0.5, 1, 2, 0.25, 1, 1, 3, 0.5, 1, 2, 1, 1]);
  const vbase = mk('float64', [8, 30], rand);
  const view = vbase.slice('::-2', '1::2'); // (4, 15)
  const viewPy = 'a0[::-2, 1::2]';
  cases.push({ label: 'cov y', expr: 'np.cov(a0, a1)', args: [m, y], ours: () => nd.cov(m, { y }), tol: TOL });
  cases.push({ label: 'cov bias', expr: 'np.cov(a0, bias=True)', args: [m], ours: () => nd.cov(m, { bias: true }), tol: TOL });
  cases.push({ label: 'cov ddof=3', expr: 'np.cov(a0, ddof=3)', args: [m], ours: () => nd.cov(m, { ddof: 3 }), tol: TOL });
  cases.push({ label: 'cov fweights', expr: 'np.cov(a0, fweights=a1)', args: [m, fw], ours: () => nd.cov(m, { fweights: fw }), tol: TOL });
  cases.push({ label: 'cov aweights', expr: 'np.cov(a0, aweights=a1)', args: [m, aw], ours: () => nd.cov(m, { aweights: aw }), tol: TOL });
  cases.push({
    label: 'cov both weights ddof=0',
    expr: 'np.cov(a0, fweights=a1, aweights=a2, ddof=0)',
    args: [m, fw, aw],
    ours: () => nd.cov(m, { fweights: fw, aweights: aw, ddof: 0 }),
    tol: TOL,
  });
  cases.push({
    label: 'cov both weights',
    expr: 'np.cov(a0, fweights=a1, aweights=a2)',
    args: [m, fw, aw],
    ours: () => nd.cov(m, { fweights: fw, aweights: aw }),
    tol: TOL,
  });
  cases.push({ label: 'cov 1-d', expr: 'np.cov(a0[0])', args: [m], ours: () => nd.cov(m.slice(0)), tol: TOL });
  cases.push({
    label: 'cov 1-d rowvar False',
    expr: 'np.cov(a0[0], a0[1], rowvar=False)',
    args: [m],
    ours: () => nd.cov(m.slice(0), { y: m.slice(1), rowvar: false }),
    tol: TOL,
  });
  cases.push({ label: 'cov view', expr: `np.cov(${viewPy})`, args: [vbase], ours: () => nd.cov(view), tol: TOL });
  cases.push({
    label: 'corrcoef view y',
    expr: `np.corrcoef(${viewPy}, a0[0:2, 0:15], rowvar=True)`,
    args: [vbase],
    ours: () => nd.corrcoef(view, { y: vbase.slice('0:2', '0:15') }),
    tol: TOL,
  });
  cases.push({ label: 'corrcoef 1-d', expr: 'np.corrcoef(a0[0])', args: [m], ours: () => nd.corrcoef(m.slice(0)), tol: TOL });
  const sp = nd.array([
    [1, NaN, 3, 4],
    [1, 2, Infinity, 4],
    [-0, 0, -0, 0],
    [2, 2, 2, 2],
  ]);
  cases.push({ label: 'cov NaN/Inf/-0', expr: 'np.cov(a0)', args: [sp], ours: () => nd.cov(sp) });
  cases.push({ label: 'corrcoef constant row', expr: 'np.corrcoef(a0[2:])', args: [sp], ours: () => nd.corrcoef(sp.slice('2:')) });
  const one = nd.array([[1, 2, 3]]);
  cases.push({ label: 'cov one observation dof<=0', expr: 'np.cov(a0[:, :1])', args: [one], ours: () => nd.cov(one.slice(':', ':1')) });
  const e = nd.zeros([0, 4]);
  cases.push({ label: 'cov no variables', expr: 'np.cov(a0)', args: [e], ours: () => nd.cov(e) });
  const s0 = nd.array(1.5);
  cases.push({ label: 'cov 0-d', expr: 'np.cov(a0)', args: [s0], ours: () => nd.cov(s0) });
  // Complex variables: X · conj(X)ᵀ; corrcoef clips the real and imaginary parts.
  // An absolute floor (1e-12 for complex128): the imaginary diagonal is rounding noise (~1e-13), of another sign than NumPy's zgemm gives.
  const CTOL = { ulps: 64, floor: 10 };
  const cm = nd.array(Array.from({ length: 24 }, () => nd.complex((rand() / 2 ** 32) * 4 - 2, (rand() / 2 ** 32) * 4 - 2))).reshape([3, 8]);
  const caw = nd.array(Array.from({ length: 8 }, () => 1 + (rand() % 4)));
  cases.push({ label: 'cov complex128', expr: 'np.cov(a0)', args: [cm], ours: () => nd.cov(cm), tol: CTOL });
  cases.push({
    label: 'cov complex rowvar=False y',
    expr: 'np.cov(a0.T, a0.T[:, :1], rowvar=False)',
    args: [cm],
    ours: () => nd.cov(cm.T, { y: cm.T.slice(':', ':1'), rowvar: false }),
    tol: CTOL,
  });
  cases.push({ label: 'cov complex aweights', expr: 'np.cov(a0, aweights=a1)', args: [cm, caw], ours: () => nd.cov(cm, { aweights: caw }), tol: CTOL });
  cases.push({
    label: 'cov complex64',
    expr: 'np.cov(a0.astype(np.complex64))',
    args: [cm],
    ours: () => nd.cov(cm.astype('complex64')),
    tol: { ulps: 64, floor: 1 },
  });
  cases.push({ label: 'cov real with complex y', expr: 'np.cov(a0.real, a0)', args: [cm], ours: () => nd.cov(nd.real(cm).copy(), { y: cm }), tol: CTOL });
  cases.push({ label: 'corrcoef complex128', expr: 'np.corrcoef(a0)', args: [cm], ours: () => nd.corrcoef(cm), tol: CTOL });
  // Errors.
  const t3 = nd.ones([2, 2, 2]);
  const fwBad = nd.array([1, 2.5, 0, 3, 1, 1, 4, 2, 1, 1, 2, 1]);
  const awNeg = nd.array([1, -1, 0, 3, 1, 1, 4, 2, 1, 1, 2, 1]);
  const wShort = nd.array([1, 2, 3]);
  cases.push({ label: 'cov 3-d', expr: 'np.cov(a0)', args: [t3], ours: () => nd.cov(t3), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({
    label: 'cov ddof 1.5',
    expr: 'np.cov(a0, ddof=1.5)',
    args: [m],
    ours: () => nd.cov(m, { ddof: 1.5 }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'cov fweights non-integer',
    expr: 'np.cov(a0, fweights=a1)',
    args: [m, fwBad],
    ours: () => nd.cov(m, { fweights: fwBad }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_TYPE',
  });
  cases.push({
    label: 'cov aweights negative',
    expr: 'np.cov(a0, aweights=a1)',
    args: [m, awNeg],
    ours: () => nd.cov(m, { aweights: awNeg }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'cov weights short',
    expr: 'np.cov(a0, aweights=a1)',
    args: [m, wShort],
    ours: () => nd.cov(m, { aweights: wShort }),
    errCode: 'ERR_NDSHARE_SHAPE_MISMATCH',
  });
  checkAll(t, 'cov/corrcoef', cases);
  t.end();
});

test('bitwiseCount, ldexp, frexp match NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(893);
  const cases: Case[] = [];
  for (const d of ['bool', ...INT_DTYPES] as DType[]) {
    const x = arrayOf(edgeValues(d, 40, rand), d);
    cases.push({ label: `bitwiseCount ${d}`, expr: 'np.bitwise_count(a0)', args: [x], ours: () => nd.bitwiseCount(x) });
    cases.push({ label: `bitwiseCount view ${d}`, expr: 'np.bitwise_count(a0[::-3])', args: [x], ours: () => nd.bitwiseCount(x.slice('::-3')) });
  }
  const fx = nd.array([1.5, -2]);
  cases.push({ label: 'bitwiseCount float', expr: 'np.bitwise_count(a0)', args: [fx], ours: () => nd.bitwiseCount(fx), errCode: 'ERR_NDSHARE_DTYPE' });
  const exps = nd.array([0, 1, -1, 3, -3, 10, -20, 60, -60, 1100, -1100, 3000, -3000, 127, -149, 16, -25]);
  const FL: DType[] = ['bool', 'int8', 'uint8', 'int16', 'int32', 'int64', 'float16', 'float32', 'float64'];
  for (const d of FL) {
    const x = arrayOf(edgeValues(d, 17, rand), d);
    for (const ed of ['int8', 'int16', 'int32', 'int64', 'uint8', 'uint32', 'bool'] as DType[]) {
      const e = exps.astype(ed);
      cases.push({ label: `ldexp ${d} ${ed}`, expr: 'np.ldexp(a0, a1)', args: [x, e], ours: () => nd.ldexp(x, e) });
    }
    cases.push({ label: `ldexp ${d} scalar`, expr: 'np.ldexp(a0, 5)', args: [x], ours: () => nd.ldexp(x, 5) });
    cases.push({ label: `frexp[0] ${d}`, expr: 'np.frexp(a0)[0]', args: [x], ours: () => nd.frexp(x)[0] });
    cases.push({ label: `frexp[1] ${d}`, expr: 'np.frexp(a0)[1]', args: [x], ours: () => nd.frexp(x)[1] });
    cases.push({ label: `frexp view ${d}`, expr: 'np.frexp(a0[::-2])[1]', args: [x], ours: () => nd.frexp(x.slice('::-2'))[1] });
  }
  const tiny = nd.array([5e-324, 1e-310, 2.2250738585072014e-308, 1.7976931348623157e308, -0]);
  cases.push({ label: 'frexp subnormals[0]', expr: 'np.frexp(a0)[0]', args: [tiny], ours: () => nd.frexp(tiny)[0] });
  cases.push({ label: 'frexp subnormals[1]', expr: 'np.frexp(a0)[1]', args: [tiny], ours: () => nd.frexp(tiny)[1] });
  const sub = nd.array([1, 3, -1074, 2000, -2000]).astype('int32');
  cases.push({ label: 'ldexp into subnormals', expr: 'np.ldexp(a0, a1)', args: [tiny, sub], ours: () => nd.ldexp(tiny, sub) });
  const col = nd.array([[0.75], [-3]]);
  const row = nd.array([[1, 2, -1]]).astype('int16');
  cases.push({ label: 'ldexp broadcast', expr: 'np.ldexp(a0, a1)', args: [col, row], ours: () => nd.ldexp(col, row) });
  cases.push({ label: 'ldexp python int x1', expr: 'np.ldexp(3, a0)', args: [row], ours: () => nd.ldexp(3, row) });
  cases.push({ label: 'ldexp python float x1', expr: 'np.ldexp(2.5, a0)', args: [row], ours: () => nd.ldexp(2.5, row) });
  const bx = nd.array([true, false]);
  cases.push({ label: 'ldexp python int x1 bool x2', expr: 'np.ldexp(3, a0)', args: [bx], ours: () => nd.ldexp(3, bx) });
  const ef = nd.array([1.5]);
  const eu = nd.array([1]).astype('uint64');
  cases.push({ label: 'ldexp float exponent', expr: 'np.ldexp(a0, a0)', args: [ef], ours: () => nd.ldexp(ef, ef), errCode: 'ERR_NDSHARE_DTYPE' });
  cases.push({ label: 'ldexp uint64 exponent', expr: 'np.ldexp(a0, a1)', args: [ef, eu], ours: () => nd.ldexp(ef, eu), errCode: 'ERR_NDSHARE_DTYPE' });
  const s0 = nd.array(6.0);
  cases.push({ label: 'frexp 0-d', expr: 'np.frexp(a0)[0]', args: [s0], ours: () => nd.frexp(s0)[0] });
  const em = nd.zeros([0, 3]);
  cases.push({ label: 'frexp empty', expr: 'np.frexp(a0)[1]', args: [em], ours: () => nd.frexp(em)[1] });
  cases.push({ label: 'bitwiseCount empty', expr: 'np.bitwise_count(a0.astype(np.int32))', args: [em], ours: () => nd.bitwiseCount(em.astype('int32')) });
  checkAll(t, 'bitwiseCount/ldexp/frexp', cases);

  // out= forms.
  const x = nd.array([8, 0.75, -3]);
  const m = nd.zeros([3], { dtype: 'float32' });
  const e = nd.zeros([3], { dtype: 'int64' });
  const [mm, ee] = nd.frexp(x, { out: [m, e] });
  t.equal(mm, m, 'frexp writes out[0]');
  t.equal(ee, e, 'frexp writes out[1]');
  t.deepEqual(m.toArray(), [0.5, 0.75, -0.75], 'mantissas');
  t.deepEqual(e.toArray(), [4n, 0n, 2n], 'exponents');
  const c = nd.zeros([2], { dtype: 'int16' });
  nd.bitwiseCount(nd.array([255, 7]).astype('uint8'), { out: c });
  t.deepEqual(c.toArray(), [8, 3], 'bitwiseCount into int16');
  const o = nd.zeros([2]);
  t.equal(nd.ldexp(nd.array([1, 2]), nd.array([3, 4]).astype('int32'), { out: o }), o, 'ldexp writes out');
  t.deepEqual(o.toArray(), [8, 32]);
  t.throws(() => nd.frexp(x, { out: [nd.zeros([3], { dtype: 'int8' }), null] }), /same_kind/, 'frexp out[0] int8 refused');
  t.throws(
    () => nd.ldexp(x, 1, { dtype: 'float32' } as never),
    (err: { code?: string }) => err.code === 'ERR_NDSHARE_UNSUPPORTED',
    'ldexp dtype refused',
  );
  t.end();
});

test('complex inputs: cov, corrcoef and vecdot give complex results', (t) => {
  const z = nd.zeros([3], { dtype: 'complex128' });
  const r = nd.ones([3]);
  // convolve/correlate/interp take complex (test/95); cov/corrcoef are compared with NumPy above.
  t.equal(nd.cov(z).dtype, 'complex128', 'cov is complex');
  t.equal(nd.corrcoef(nd.array([nd.complex(1, 1), nd.complex(2, 0), nd.complex(0, 3)])).dtype, 'complex128', 'corrcoef is complex');
  // vecdot/matvec/vecmat take complex input (test/94 compares them with NumPy).
  t.equal(nd.vecdot(z, r).dtype, 'complex128', 'vecdot is complex');
  t.end();
});
