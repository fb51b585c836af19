// cross, vecdot, matvec, vecmat, gradient, trapezoid, interp, unwrap against
// NumPy 2 at test time: dtype families, broadcasting, axes, non-contiguous
// and negative-stride views, 0-d and empty inputs, NaN/Inf/-0, and the cases
// where NumPy raises (a coded error on our side).
import test from 'tape';
import * as nd from '../src/index.js';
import type { DType, NDArray } from '../src/index.js';
import { mulberry32 } from './helpers/assert.js';
import { moderate as mk } from './helpers/moderate.js';
import { checkAll, type Case, skipWithoutNumpy } from './helpers/numpy-diff.js';

const FAMILY: DType[] = ['bool', 'int8', 'uint8', 'int16', 'int32', 'uint32', 'int64', 'uint64', 'float16', 'float32', 'float64'];

const TOL = { ulps: 8, halfUlps: 2, floor: 1e-6 } as const;

test('cross, vecdot, matvec, vecmat match NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(881);
  const cases: Case[] = [];
  for (const d of FAMILY) {
    const a3 = mk(d, [4, 3], rand);
    const b3 = mk(d, [4, 3], rand);
    const a2 = mk(d, [4, 2], rand);
    const b2 = mk(d, [1, 2], rand);
    const tol = d.startsWith('float') ? TOL : 'exact';
    cases.push({ label: `cross 3x3 ${d}`, expr: 'np.cross(a0, a1)', args: [a3, b3], ours: () => nd.cross(a3, b3), tol });
    cases.push({ label: `cross 2x3 ${d}`, expr: 'np.cross(a0, a1)', args: [a2, b3], ours: () => nd.cross(a2, b3), tol });
    cases.push({ label: `cross 3x2 ${d}`, expr: 'np.cross(a0, a1)', args: [a3, b2], ours: () => nd.cross(a3, b2), tol });
    cases.push({ label: `cross 2x2 ${d}`, expr: 'np.cross(a0, a1)', args: [a2, b2], ours: () => nd.cross(a2, b2), tol });
    const x = mk(d, [3, 5, 4], rand, 4);
    const y = mk(d, [5, 4], rand, 4);
    const m = mk(d, [2, 1, 3, 4], rand, 4);
    const v = mk(d, [4], rand, 4);
    cases.push({ label: `vecdot ${d}`, expr: 'np.vecdot(a0, a1)', args: [x, y], ours: () => nd.vecdot(x, y), tol });
    cases.push({ label: `vecdot axis=0 ${d}`, expr: 'np.vecdot(a0, a1, axis=0)', args: [x, x], ours: () => nd.vecdot(x, x, { axis: 0 }), tol });
    cases.push({ label: `matvec ${d}`, expr: 'np.matvec(a0, a1)', args: [m, v], ours: () => nd.matvec(m, v), tol });
    cases.push({ label: `vecmat ${d}`, expr: 'np.vecmat(a0, a1)', args: [v, x], ours: () => nd.vecmat(v, x), tol });
  }
  // Views, axes options, promotion.
  const base = mk('float64', [6, 3, 8], rand);
  const view = base.slice('::-2', ':', '1::2'); // (3, 3, 4), negative and step-2 strides
  const other = mk('float32', [3, 4], rand);
  cases.push({
    label: 'cross axisa=1',
    expr: 'np.cross(a0[::-2, :, 1::2], a0[::-2, :, 1::2][::-1], axisa=1, axisb=1)',
    args: [base],
    ours: () => nd.cross(view, view.slice('::-1'), { axisa: 1, axisb: 1 }),
    tol: TOL,
  });
  cases.push({
    label: 'cross axisc=0',
    expr: 'np.cross(a0[::-2, :, 1::2], a0[::-2, :, 1::2][::-1], axisa=1, axisb=1, axisc=0)',
    args: [base],
    ours: () => nd.cross(view, view.slice('::-1'), { axisa: 1, axisb: 1, axisc: 0 }),
    tol: TOL,
  });
  cases.push({
    label: 'cross axis=1',
    expr: 'np.cross(a0[::-2, :, 1::2], a0[::-2, :, 1::2][::-1], axis=1)',
    args: [base],
    ours: () => nd.cross(view, view.slice('::-1'), { axis: 1 }),
    tol: TOL,
  });
  cases.push({ label: 'vecdot view mixed', expr: 'np.vecdot(a0[::-2, :, 1::2], a1)', args: [base, other], ours: () => nd.vecdot(view, other), tol: TOL });
  cases.push({
    label: 'vecdot axes',
    expr: 'np.vecdot(a0[::-2, :, 1::2], a0[::-2, :, 1::2], axes=[(0,), (0,)])',
    args: [base],
    ours: () => nd.vecdot(view, view, { axes: [[0], [0]] }),
    tol: TOL,
  });
  cases.push({
    label: 'matvec axes',
    expr: 'np.matvec(a0[::-2, :, 1::2], a1[0, :3], axes=[(0, 1), (0,), (0,)])',
    args: [base, other],
    ours: () => nd.matvec(view, other.slice(0, ':3'), { axes: [[0, 1], [0], [0]] }),
    tol: TOL,
  });
  cases.push({
    label: 'vecmat axes',
    expr: 'np.vecmat(a1[0, :3], a0[::-2, :, 1::2], axes=[(0,), (0, 2), (0,)])',
    args: [base, other],
    ours: () => nd.vecmat(other.slice(0, ':3'), view, { axes: [[0], [0, 2], [0]] }),
    tol: TOL,
  });
  const cb1 = mk('int16', [2, 1, 3], rand);
  const cb2 = mk('float32', [4, 3], rand);
  cases.push({ label: 'cross broadcast int16*float32', expr: 'np.cross(a0, a1)', args: [cb1, cb2], ours: () => nd.cross(cb1, cb2), tol: TOL });
  const i8 = mk('int8', [3, 4], rand, 100);
  const u8 = mk('uint8', [4], rand, 200);
  cases.push({ label: 'vecdot int8*uint8 (int16, wraps)', expr: 'np.vecdot(a0, a1)', args: [i8, u8], ours: () => nd.vecdot(i8, u8) });
  cases.push({
    label: 'vecdot dtype=float32',
    expr: 'np.vecdot(a0, a1, dtype=np.float32)',
    args: [i8, u8],
    ours: () => nd.vecdot(i8, u8, { dtype: 'float32' }),
  });
  cases.push({
    label: 'matvec dtype=int8 same_kind',
    expr: 'np.matvec(a0, a1, dtype=np.int8)',
    args: [i8, u8],
    ours: () => nd.matvec(i8, u8, { dtype: 'int8' }),
  });
  cases.push({
    label: 'vecdot dtype=int8 from float refused',
    expr: 'np.vecdot(a0, a1, dtype=np.int8)',
    args: [cb2, cb2],
    ours: () => nd.vecdot(cb2, cb2, { dtype: 'int8' }),
    errCode: 'ERR_NDSHARE_DTYPE',
  });
  cases.push({
    label: 'vecdot axis and axes',
    expr: 'np.vecdot(a0, a0, axis=0, axes=[(0,), (0,)])',
    args: [cb2],
    ours: () => nd.vecdot(cb2, cb2, { axis: 0, axes: [[0], [0]] }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  const special = nd.array([
    [NaN, 1, -0],
    [Infinity, 2, 3],
    [-0, -0, 0],
  ]);
  cases.push({ label: 'cross NaN/Inf/-0', expr: 'np.cross(a0, a0[::-1])', args: [special], ours: () => nd.cross(special, special.slice('::-1')) });
  cases.push({ label: 'vecdot NaN/Inf', expr: 'np.vecdot(a0, a0)', args: [special], ours: () => nd.vecdot(special, special) });
  const e0 = nd.zeros([0, 3]);
  const e1 = nd.zeros([2, 0]);
  cases.push({ label: 'cross empty', expr: 'np.cross(a0, a0)', args: [e0], ours: () => nd.cross(e0, e0) });
  cases.push({ label: 'vecdot empty core', expr: 'np.vecdot(a0, a0)', args: [e1], ours: () => nd.vecdot(e1, e1) });
  cases.push({ label: 'matvec empty core', expr: 'np.matvec(a0, np.zeros(0))', args: [e1], ours: () => nd.matvec(e1, nd.zeros([0])) });
  // Errors.
  const s0 = nd.array(1.5);
  const v4 = nd.ones([4]);
  const m23 = nd.ones([2, 3]);
  cases.push({ label: 'cross 0-d', expr: 'np.cross(a0, a0)', args: [s0], ours: () => nd.cross(s0, s0), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({ label: 'cross length 4', expr: 'np.cross(a0, a0)', args: [v4], ours: () => nd.cross(v4, v4), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({
    label: 'cross axisa out',
    expr: 'np.cross(a0, a0, axisa=2)',
    args: [m23],
    ours: () => nd.cross(m23, m23, { axisa: 2 }),
    errCode: 'ERR_NDSHARE_OUT_OF_BOUNDS',
  });
  cases.push({ label: 'vecdot mismatch', expr: 'np.vecdot(a0, a1)', args: [m23, v4], ours: () => nd.vecdot(m23, v4), errCode: 'ERR_NDSHARE_SHAPE_MISMATCH' });
  cases.push({ label: 'vecdot 0-d', expr: 'np.vecdot(a0, a0)', args: [s0], ours: () => nd.vecdot(s0, s0), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({ label: 'matvec 1-d matrix', expr: 'np.matvec(a0, a0)', args: [v4], ours: () => nd.matvec(v4, v4), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  cases.push({ label: 'vecmat mismatch', expr: 'np.vecmat(a0, a1)', args: [v4, m23], ours: () => nd.vecmat(v4, m23), errCode: 'ERR_NDSHARE_SHAPE_MISMATCH' });
  checkAll(t, 'vector products', cases);
  const out = nd.zeros([3], { dtype: 'float32' });
  const r = nd.matvec(
    nd.array([
      [1, 2],
      [3, 4],
      [5, 6],
    ]),
    nd.array([1, -1]),
    { out },
  );
  t.equal(r, out, 'matvec writes options.out');
  t.deepEqual(out.toArray(), [-1, -1, -1]);
  const o2 = nd.zeros([2]);
  t.equal(
    nd.vecdot(
      nd.array([
        [1, 2],
        [3, 4],
      ]),
      nd.array([1, 1]),
      { out: o2 },
    ),
    o2,
    'vecdot writes options.out',
  );
  t.deepEqual(o2.toArray(), [3, 7]);
  t.end();
});

test('gradient and trapezoid match NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(882);
  const cases: Case[] = [];
  for (const d of FAMILY) {
    const f = mk(d, [5, 7], rand);
    const tol = d === 'float16' ? { ulps: 2, floor: 1e-3 } : d.startsWith('float') ? TOL : TOL;
    for (const eo of [1, 2]) {
      cases.push({
        label: `gradient axis0 ${d} e${eo}`,
        expr: `np.gradient(a0, edge_order=${eo})[0]`,
        args: [f],
        ours: () => (nd.gradient(f, { edgeOrder: eo }) as NDArray[])[0]!,
        tol,
      });
      cases.push({
        label: `gradient axis1 ${d} e${eo}`,
        expr: `np.gradient(a0, 0.5, edge_order=${eo})[1]`,
        args: [f],
        ours: () => (nd.gradient(f, 0.5, { edgeOrder: eo }) as NDArray[])[1]!,
        tol,
      });
    }
    cases.push({ label: `trapezoid ${d}`, expr: 'np.trapezoid(a0)', args: [f], ours: () => nd.trapezoid(f), tol });
    cases.push({
      label: `trapezoid axis0 dx ${d}`,
      expr: 'np.trapezoid(a0, dx=0.25, axis=0)',
      args: [f],
      ours: () => nd.trapezoid(f, { dx: 0.25, axis: 0 }),
      tol,
    });
    const xs = mk(d === 'bool' ? 'int8' : d, [7], rand);
    cases.push({ label: `trapezoid x ${d}`, expr: 'np.trapezoid(a0, x=a1)', args: [f, xs], ours: () => nd.trapezoid(f, { x: xs }), tol });
  }
  const f = mk('float64', [6, 9], rand).slice('::-1', '1::2'); // (6, 4) view
  const fb = f.copy();
  const xc = nd.array([0, 0.5, 1.5, 1.75, 3, 4.5]);
  const xu = nd.array([1, 3, 5, 7, 9, 11]);
  const xi = nd.array([0, 1, 3, 6, 10, 15]).astype('int32');
  const f32 = fb.astype('float32');
  for (const eo of [1, 2]) {
    cases.push({
      label: `gradient coords e${eo}`,
      expr: `np.gradient(a0, a1, edge_order=${eo}, axis=0)`,
      args: [fb, xc],
      ours: () => nd.gradient(f, xc, { axis: 0, edgeOrder: eo }) as NDArray,
      tol: TOL,
    });
    cases.push({
      label: `gradient uniform coords e${eo}`,
      expr: `np.gradient(a0, a1, edge_order=${eo}, axis=0)`,
      args: [f32, xu],
      ours: () => nd.gradient(f32, xu, { axis: 0, edgeOrder: eo }) as NDArray,
      tol: TOL,
    });
    cases.push({
      label: `gradient int coords e${eo}`,
      expr: `np.gradient(a0, a1, 2.0, edge_order=${eo})[0]`,
      args: [fb, xi],
      ours: () => (nd.gradient(f, xi, 2, { edgeOrder: eo }) as NDArray[])[0]!,
      tol: TOL,
    });
    cases.push({
      label: `gradient two spacings e${eo}`,
      expr: `np.gradient(a0, a1, 2.0, edge_order=${eo})[1]`,
      args: [fb, xi],
      ours: () => (nd.gradient(f, xi, 2, { edgeOrder: eo }) as NDArray[])[1]!,
      tol: TOL,
    });
  }
  cases.push({ label: 'gradient axis=-1 view', expr: 'np.gradient(a0, axis=-1)', args: [fb], ours: () => nd.gradient(f, { axis: -1 }) as NDArray, tol: TOL });
  const sp = nd.array([NaN, 1, Infinity, -0, 0, 2]);
  cases.push({ label: 'gradient NaN/Inf', expr: 'np.gradient(a0)', args: [sp], ours: () => nd.gradient(sp) as NDArray });
  cases.push({ label: 'trapezoid NaN/Inf', expr: 'np.trapezoid(a0)', args: [sp], ours: () => nd.trapezoid(sp) });
  cases.push({ label: 'trapezoid x 2-d', expr: 'np.trapezoid(a0, x=a0, axis=0)', args: [fb], ours: () => nd.trapezoid(f, { x: f, axis: 0 }), tol: TOL });
  const e = nd.zeros([0]);
  const e2 = nd.zeros([3, 0]);
  cases.push({ label: 'trapezoid empty', expr: 'np.trapezoid(a0)', args: [e], ours: () => nd.trapezoid(e) });
  cases.push({ label: 'trapezoid empty 2-d axis0', expr: 'np.trapezoid(a0, axis=0)', args: [e2], ours: () => nd.trapezoid(e2, { axis: 0 }) });
  cases.push({ label: 'gradient empty other axis', expr: 'np.gradient(a0, axis=0)', args: [e2], ours: () => nd.gradient(e2, { axis: 0 }) as NDArray });
  // Errors.
  const two = nd.array([1, 2]);
  const s0 = nd.array(3);
  const bl = nd.array([true, false, true]);
  cases.push({
    label: 'gradient too short e2',
    expr: 'np.gradient(a0, edge_order=2)',
    args: [two],
    ours: () => nd.gradient(two, { edgeOrder: 2 }) as NDArray,
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'gradient edge_order 3',
    expr: 'np.gradient(a0, edge_order=3)',
    args: [fb],
    ours: () => nd.gradient(f, { edgeOrder: 3 }) as NDArray,
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'gradient bad coords length',
    expr: 'np.gradient(a0, a1, axis=1)',
    args: [fb, xc],
    ours: () => nd.gradient(f, xc, { axis: 1 }) as NDArray,
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'gradient 3 spacings',
    expr: 'np.gradient(a0, 1.0, 2.0, 3.0)',
    args: [fb],
    ours: () => nd.gradient(f, 1, 2, 3) as NDArray,
    errCode: 'ERR_NDSHARE_INVALID_ARG_TYPE',
  });
  cases.push({
    label: 'gradient 2-d coords',
    expr: 'np.gradient(a0, a0, axis=0)',
    args: [fb],
    ours: () => nd.gradient(f, f, { axis: 0 }) as NDArray,
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({ label: 'gradient bool', expr: 'np.gradient(a0)', args: [bl], ours: () => nd.gradient(bl) as NDArray, errCode: 'ERR_NDSHARE_DTYPE' });
  cases.push({ label: 'trapezoid 0-d', expr: 'np.trapezoid(a0)', args: [s0], ours: () => nd.trapezoid(s0), errCode: 'ERR_NDSHARE_OUT_OF_BOUNDS' });
  checkAll(t, 'gradient/trapezoid', cases);
  t.end();
});

test('interp and unwrap match NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(883);
  const cases: Case[] = [];
  const xp = nd.array([-3, -1, -1, 0, 0.5, 2, 4, 4, 7]);
  const fp = nd.array([1, 5, -2, 3, 3, 0.5, 8, -1, 2]);
  const xs = nd.array([-5, -3, -2, -1, -0.5, -0, 0, 0.25, 0.5, 1, 2, 3, 4, 5, 7, 8, NaN, Infinity, -Infinity]);
  cases.push({ label: 'interp', expr: 'np.interp(a0, a1, a2)', args: [xs, xp, fp], ours: () => nd.interp(xs, xp, fp), tol: { ulps: 1 } });
  cases.push({
    label: 'interp left/right',
    expr: 'np.interp(a0, a1, a2, left=-9, right=99.5)',
    args: [xs, xp, fp],
    ours: () => nd.interp(xs, xp, fp, { left: -9, right: 99.5 }),
    tol: { ulps: 1 },
  });
  const x2 = mk('float32', [3, 5], rand, 8);
  cases.push({ label: 'interp 2-d float32 x', expr: 'np.interp(a0, a1, a2)', args: [x2, xp, fp], ours: () => nd.interp(x2, xp, fp), tol: { ulps: 1 } });
  const xv = mk('float64', [40], rand, 8);
  cases.push({
    label: 'interp view x',
    expr: 'np.interp(a0[::-3], a1, a2)',
    args: [xv, xp, fp],
    ours: () => nd.interp(xv.slice('::-3'), xp, fp),
    tol: { ulps: 1 },
  });
  for (const d of ['bool', 'int8', 'uint16', 'int64', 'float16', 'float32'] as DType[]) {
    const xi = mk(d, [12], rand, 6);
    const xpi = nd.array([-4, -2, 0, 1, 3, 5]).astype(d === 'bool' ? 'int8' : d === 'uint16' ? 'uint16' : d);
    const fpi = mk(d, [6], rand, 6);
    cases.push({ label: `interp ${d}`, expr: 'np.interp(a0, a1, a2)', args: [xi, xpi, fpi], ours: () => nd.interp(xi, xpi, fpi), tol: { ulps: 1 } });
  }
  const xpU = nd.array([190, -160, 30, -10, 100]);
  const fpU = nd.array([1, 2, 3, 4, 5]);
  const xq = nd.array([-180, -175, 0, 5, 179, 181, 360, 720.5, -1000]);
  cases.push({
    label: 'interp period',
    expr: 'np.interp(a0, a1, a2, period=360)',
    args: [xq, xpU, fpU],
    ours: () => nd.interp(xq, xpU, fpU, { period: 360 }),
    tol: { ulps: 2 },
  });
  cases.push({
    label: 'interp period negative',
    expr: 'np.interp(a0, a1, a2, period=-360)',
    args: [xq, xpU, fpU],
    ours: () => nd.interp(xq, xpU, fpU, { period: -360 }),
    tol: { ulps: 2 },
  });
  const one = nd.array([2]);
  const onef = nd.array([7]);
  cases.push({ label: 'interp single point', expr: 'np.interp(a0, a1, a2)', args: [xs, one, onef], ours: () => nd.interp(xs, one, onef) });
  const fpInf = nd.array([0, Infinity, Infinity, -Infinity, 1, NaN, 2, 2, 3]);
  cases.push({ label: 'interp inf fp', expr: 'np.interp(a0, a1, a2)', args: [xs, xp, fpInf], ours: () => nd.interp(xs, xp, fpInf) });
  // The native search: many x (groups of four and a tail), scattered and sorted, with sample points and
  // duplicated samples hit exactly; xp longer than x (slopes computed per point) and shorter (per interval).
  const xpL = nd.sort(nd.concatenate([mk('float64', [697], rand, 50), nd.array([0, 0, 1.5])]));
  const fpL = mk('float64', [700], rand, 10);
  const xL = nd.concatenate([mk('float64', [1000], rand, 60), xpL.slice('::7'), nd.array([NaN, -Infinity, Infinity])]);
  cases.push({ label: 'interp 1103 x, 700 xp', expr: 'np.interp(a0, a1, a2)', args: [xL, xpL, fpL], ours: () => nd.interp(xL, xpL, fpL), tol: { ulps: 1 } });
  const xS = nd.sort(xL);
  cases.push({ label: 'interp sorted x', expr: 'np.interp(a0, a1, a2)', args: [xS, xpL, fpL], ours: () => nd.interp(xS, xpL, fpL), tol: { ulps: 1 } });
  const xF = xL.slice('5:18');
  cases.push({ label: 'interp 13 x, 700 xp', expr: 'np.interp(a0, a1, a2)', args: [xF, xpL, fpL], ours: () => nd.interp(xF, xpL, fpL), tol: { ulps: 1 } });
  const s0 = nd.array(0.75);
  cases.push({ label: 'interp 0-d', expr: 'np.interp(a0, a1, a2)', args: [s0, xp, fp], ours: () => nd.interp(s0, xp, fp) });
  const e = nd.zeros([0]);
  cases.push({ label: 'interp empty x', expr: 'np.interp(a0, a1, a2)', args: [e, xp, fp], ours: () => nd.interp(e, xp, fp) });
  cases.push({
    label: 'interp empty xp',
    expr: 'np.interp(a0, a1, a1)',
    args: [xs, e],
    ours: () => nd.interp(xs, e, e),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'interp length mismatch',
    expr: 'np.interp(a0, a1, a2)',
    args: [xs, xp, one],
    ours: () => nd.interp(xs, xp, one),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'interp period 0',
    expr: 'np.interp(a0, a1, a2, period=0)',
    args: [xs, xp, fp],
    ours: () => nd.interp(xs, xp, fp, { period: 0 }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  // unwrap
  for (const d of ['int16', 'int64', 'float16', 'float32', 'float64'] as DType[]) {
    const p = mk(d, [4, 9], rand, 12);
    const tol = { ulps: 4, halfUlps: 1, floor: 1e-3 };
    cases.push({ label: `unwrap ${d}`, expr: 'np.unwrap(a0)', args: [p], ours: () => nd.unwrap(p), tol });
    cases.push({ label: `unwrap axis0 ${d}`, expr: 'np.unwrap(a0, axis=0)', args: [p], ours: () => nd.unwrap(p, { axis: 0 }), tol });
    cases.push({ label: `unwrap period 4 ${d}`, expr: 'np.unwrap(a0, period=4)', args: [p], ours: () => nd.unwrap(p, { period: 4 }), tol });
    cases.push({
      label: `unwrap period 5 discont 3 ${d}`,
      expr: 'np.unwrap(a0, discont=3, period=5)',
      args: [p],
      ours: () => nd.unwrap(p, { discont: 3, period: 5 }),
      tol,
    });
  }
  const ph = nd.array([0, 3, 6.5, 0.2, -3.2, NaN, 1, Infinity, 2, -0]);
  cases.push({ label: 'unwrap NaN/Inf', expr: 'np.unwrap(a0)', args: [ph], ours: () => nd.unwrap(ph), tol: { ulps: 2 } });
  const pv = mk('float64', [10, 6], rand, 10);
  cases.push({
    label: 'unwrap view',
    expr: 'np.unwrap(a0[::-2, 1:], axis=0, period=3.5)',
    args: [pv],
    ours: () => nd.unwrap(pv.slice('::-2', '1:'), { axis: 0, period: 3.5 }),
    tol: { ulps: 4 },
  });
  cases.push({ label: 'unwrap empty', expr: 'np.unwrap(a0)', args: [e], ours: () => nd.unwrap(e) });
  cases.push({ label: 'unwrap 0-d', expr: 'np.unwrap(a0)', args: [s0], ours: () => nd.unwrap(s0), errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE' });
  checkAll(t, 'interp/unwrap', cases);
  t.end();
});
