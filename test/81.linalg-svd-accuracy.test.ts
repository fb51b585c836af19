// nd.linalg.svd (Householder bidiagonalisation + implicit-QR bidiagonal SVD,
// native/kernels/linalg/svd.cc) against NumPy 2 at test time: singular values
// per element (norm-wise where only absolute accuracy exists, relative where
// the input is already bidiagonal or diagonal and both sides keep relative
// accuracy), reconstruction and orthogonality over the blocked sizes, both
// bulge-chasing directions, tall matrices through QR first, rank deficiency,
// ill-conditioning, repeated values, float32, views, and NumPy's errors.
import test from 'tape';
import * as nd from '../src/index.js';
import { np, orthErr, randn, relErr, throwsCode, vals, value } from './helpers/linalg.js';
import { availableIsas, skipWithoutNumpy } from './helpers/numpy-diff.js';
import { native } from '../src/binding.js';

const EPS = 2.220446049250313e-16;

/** max_i |got_i - want_i| / scale_i, scale_i = want_i (relative) or max(want) (norm-wise). */
function svErr(got: nd.NDArray, want: nd.NDArray, relative: boolean): number {
  const g = vals(got);
  const w = vals(want);
  if (g.length !== w.length) return Infinity;
  const smax = Math.max(0, ...w.map(Math.abs));
  let e = 0;
  for (let i = 0; i < g.length; i++) {
    const d = Math.abs(g[i]! - w[i]!);
    if (d === 0) continue;
    const s = relative ? Math.abs(w[i]!) : smax;
    e = Math.max(e, s === 0 ? Infinity : d / s);
  }
  return e;
}

function absMax(x: nd.NDArray): number {
  return x.size === 0 ? 0 : (nd.max(nd.abs(x)).item() as number);
}

function checkFactors(t: test.Test, a: nd.NDArray, label: string, tol: number): void {
  const m = a.shape[a.ndim - 2]!;
  const n = a.shape[a.ndim - 1]!;
  const k = Math.min(m, n);
  for (const full of [true, false]) {
    const { U, S, Vh } = nd.linalg.svd(a, { fullMatrices: full });
    const uk = full ? U.slice(...U.shape.slice(0, -1).map(() => ':'), `0:${k}`) : U;
    const vk = full ? Vh.slice(...Vh.shape.slice(0, -2).map(() => ':'), `0:${k}`) : Vh;
    const rec = nd.matmul(nd.multiply(uk, S.expandDims(-2)), vk);
    const scale = Math.max(1e-300, absMax(S));
    const recErr = absMax(nd.subtract(rec, a)) / scale;
    const ok = recErr < tol && orthErr(U) < tol && orthErr(nd.linalg.matrixTranspose(Vh)) < tol;
    const sv = vals(S);
    const sorted = sv.every((x, i) => x >= 0 && (i % k === 0 || x <= sv[i - 1]!));
    if (ok && sorted) t.pass(`${label} full=${full}: U S Vh = A, U and V orthonormal, S >= 0 descending`);
    else
      t.fail(
        `${label} full=${full}: reconstruction ${recErr.toExponential(2)}, U ${orthErr(U).toExponential(2)}, ` +
          `V ${orthErr(nd.linalg.matrixTranspose(Vh)).toExponential(2)}, sorted ${sorted}`,
      );
  }
}

/** Q diag(s) W^T with Q, W orthogonal from NumPy-independent QRs of random matrices. */
function withValues(m: number, n: number, s: number[], seed: number): nd.NDArray {
  const q = nd.linalg.qr(randn([m, m], seed)).Q;
  const w = nd.linalg.qr(randn([n, n], seed + 1)).Q;
  const d = nd.zeros([m, n]);
  s.forEach((x, i) => d.set(i, i, x));
  return nd.matmul(nd.matmul(q, d), nd.linalg.matrixTranspose(w));
}

function bidiag(d: number[], e: number[]): nd.NDArray {
  const n = d.length;
  const a = nd.zeros([n, n]);
  d.forEach((x, i) => a.set(i, i, x));
  e.forEach((x, i) => a.set(i, i + 1, x));
  return a;
}

test('svd: singular values agree with NumPy and the factors hold, every blocked size and shape', (t) => {
  if (skipWithoutNumpy(t)) return;
  const shapes = [
    [1, 1],
    [2, 2],
    [3, 3],
    [1, 7],
    [7, 1],
    [17, 17],
    [33, 20],
    [20, 33],
    [64, 64],
    [97, 97],
    [100, 60],
    [130, 130],
    [37, 200],
    [400, 90],
    [260, 260],
    [3, 9, 5],
  ];
  const mats = shapes.map((s, i) => randn(s, 400 + i));
  const res = np(mats.map((a) => ({ expr: 'np.linalg.svd(a0, compute_uv=False)', args: [a] })));
  mats.forEach((a, i) => {
    const s = a.shape.join('x');
    const mn = Math.max(...a.shape.slice(-2));
    const want = value(res[i]!);
    const e1 = svErr(nd.linalg.svdvals(a), want, false);
    const e2 = svErr(nd.linalg.svd(a).S, want, false);
    t.ok(e1 <= 10 * EPS * mn && e2 <= 10 * EPS * mn, `${s}: S agrees with NumPy (${Math.max(e1, e2).toExponential(2)})`);
    checkFactors(t, a, s, 30 * EPS * mn);
  });
  t.end();
});

test('svd: ill-conditioned, rank-deficient, zero, repeated and clustered values', (t) => {
  if (skipWithoutNumpy(t)) return;
  const n = 40;
  const ill = withValues(
    n,
    n,
    Array.from({ length: n }, (_, i) => 10 ** (-15 * (i / (n - 1)))),
    500,
  );
  const rank3 = nd.matmul(randn([50, 3], 501), randn([3, 30], 502));
  const rank0 = nd.zeros([6, 4]);
  const orth = nd.linalg.qr(randn([30, 30], 503)).Q; // every value 1
  const clustered = withValues(
    25,
    25,
    Array.from({ length: 25 }, (_, i) => 1 + (i % 3) * 1e-9),
    504,
  );
  const tallRankDef = nd.matmul(randn([300, 5], 505), randn([5, 40], 506));
  const eyeWide = nd.eye(4, 9);
  const cases = { ill, rank3, rank0, orth, clustered, tallRankDef, eyeWide };
  const names = Object.keys(cases) as (keyof typeof cases)[];
  const res = np(names.map((k) => ({ expr: 'np.linalg.svd(a0, compute_uv=False)', args: [cases[k]] })));
  names.forEach((k, i) => {
    const a = cases[k];
    const mn = Math.max(...a.shape);
    const e = svErr(nd.linalg.svdvals(a), value(res[i]!), false);
    t.ok(e <= 10 * EPS * mn || (k === 'rank0' && e === 0), `${k}: S agrees with NumPy norm-wise (${e.toExponential(2)})`);
    checkFactors(t, a, k, 30 * EPS * mn);
  });
  t.deepEqual(vals(nd.linalg.svdvals(rank0)), [0, 0, 0, 0], 'zero matrix: S = 0 exactly');
  t.equal(Number(nd.linalg.matrixRank(rank3).item()), 3, 'matrixRank of a rank-3 product');
  t.equal(Number(nd.linalg.matrixRank(tallRankDef).item()), 5, 'matrixRank of a tall rank-5 product (QR path)');
  t.end();
});

test('svd: relative accuracy of tiny values where the input is bidiagonal or diagonal (both chase directions)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const n = 20;
  // Graded downwards (chase top to bottom) and upwards (bottom to top); LAPACK keeps every value to high
  // relative accuracy on such inputs, so must we.
  const down = bidiag(
    Array.from({ length: n }, (_, i) => 10 ** -i),
    Array.from({ length: n - 1 }, (_, i) => 0.5 * 10 ** -i),
  );
  const up = bidiag(
    Array.from({ length: n }, (_, i) => 10 ** -(n - 1 - i)),
    Array.from({ length: n - 1 }, (_, i) => 0.7 * 10 ** -(n - 1 - i)),
  );
  const wilk = bidiag(
    Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 1e-12)),
    Array.from({ length: n - 1 }, () => 1e-6),
  );
  const diag = nd.zeros([5, 5]);
  [1, 1e-20, 1e-100, 3, 1e-300].forEach((x, i) => diag.set(i, i, i % 2 ? -x : x));
  const cases = { down, up, wilk, diag };
  const names = Object.keys(cases) as (keyof typeof cases)[];
  const res = np(names.map((k) => ({ expr: 'np.linalg.svd(a0, compute_uv=False)', args: [cases[k]] })));
  names.forEach((k, i) => {
    const got = nd.linalg.svdvals(cases[k]);
    const e = svErr(got, value(res[i]!), true);
    t.ok(e <= 1e-13, `${k}: every value agrees with NumPy to relative ${e.toExponential(2)}`);
    checkFactors(t, cases[k], k, 1e-13);
  });
  t.deepEqual(vals(nd.linalg.svdvals(diag)), [3, 1, 1e-20, 1e-100, 1e-300], 'diagonal: |d| sorted, exactly');
  t.end();
});

test('svd: float32, views, empty and 1-element stacks, NaN/Inf, hermitian', (t) => {
  if (skipWithoutNumpy(t)) return;
  const a32 = randn([30, 20], 600, 'float32');
  const [r32] = np([{ expr: 'np.linalg.svd(a0, compute_uv=False)', args: [a32] }]);
  const s32 = nd.linalg.svd(a32);
  t.deepEqual([s32.U.dtype, s32.S.dtype, s32.Vh.dtype], ['float32', 'float32', 'float32'], 'float32 stays float32');
  t.ok(svErr(s32.S, value(r32!), false) < 1e-6, 'float32 S agrees with NumPy');
  t.ok(relErr(nd.matmul(nd.multiply(s32.U.slice(':', '0:20'), s32.S.expandDims(-2)), s32.Vh), a32) < 1e-5, 'float32 U S Vh = A');
  const base = randn([40, 50], 601);
  const views = [base.T, base.slice('::-1', '::2'), base.slice('5:35', '::-3')];
  const rv = np(views.map((v) => ({ expr: 'np.linalg.svd(a0, compute_uv=False)', args: [v] })));
  views.forEach((v, i) => {
    t.ok(svErr(nd.linalg.svdvals(v), value(rv[i]!), false) < 1e-13, `view ${i} (${v.shape}): S agrees with NumPy`);
    checkFactors(t, v, `view ${i}`, 1e-12);
  });
  for (const shape of [
    [0, 0],
    [0, 4],
    [4, 0],
    [2, 0, 3],
  ]) {
    const { U, S, Vh } = nd.linalg.svd(nd.zeros(shape));
    const m = shape[shape.length - 2]!;
    const n = shape[shape.length - 1]!;
    t.deepEqual([U.shape.slice(-2), S.shape.slice(-1), Vh.shape.slice(-2)], [[m, m], [0], [n, n]], `empty ${shape}: shapes`);
  }
  const one = nd.linalg.svd([[-3]]);
  t.deepEqual([vals(one.S), vals(nd.matmul(nd.multiply(one.U, one.S), one.Vh))], [[3], [-3]], '1x1: |a|, and U S Vh = a');
  for (const bad of [NaN, Infinity, -Infinity]) {
    const a = randn([5, 5], 602);
    a.set(2, 3, bad);
    throwsCode(t, () => nd.linalg.svd(a), 'ERR_NDSHARE_LINALG', `svd with ${bad}`);
    throwsCode(t, () => nd.linalg.svdvals(a), 'ERR_NDSHARE_LINALG', `svdvals with ${bad}`);
    // NumPy raises for NaN; for an infinity LAPACK returns NaNs without an error, which we refuse to
    // pass on as a result (docs/linalg.md, departures).
    const [pr] = np([{ expr: 'np.linalg.svd(a0, compute_uv=False)', args: [a] }]);
    if (Number.isNaN(bad)) t.ok(pr && 'err' in pr && pr.err === 'LinAlgError', 'NumPy raises LinAlgError for NaN too');
    else t.ok(pr && 'value' in pr && vals(pr.value).every(Number.isNaN), `NumPy returns NaNs for ${bad}`);
  }
  const sym = nd.add(randn([8, 8], 603), nd.linalg.matrixTranspose(randn([8, 8], 603)));
  const [hs] = np([{ expr: 'np.linalg.svd(a0, hermitian=True, compute_uv=False)', args: [sym] }]);
  t.ok(svErr(nd.linalg.svd(sym, { hermitian: true }).S, value(hs!), false) < 1e-13, 'hermitian: S as NumPy (through eigh)');
  t.end();
});

test('eigh at the sizes where the tridiagonal reduction and the QL rotations run blocked and threaded', (t) => {
  if (skipWithoutNumpy(t)) return;
  for (const [n, seed] of [
    [130, 700],
    [300, 701],
  ] as const) {
    const b = randn([n, n], seed);
    const a = nd.add(b, nd.linalg.matrixTranspose(b));
    const [want] = np([{ expr: 'np.linalg.eigvalsh(a0)', args: [a] }]);
    const { eigenvalues: w, eigenvectors: v } = nd.linalg.eigh(a);
    const e1 = svErr(w, value(want!), false);
    const e2 = svErr(nd.linalg.eigvalsh(a), value(want!), false);
    t.ok(e1 < 10 * EPS * n && e2 < 10 * EPS * n, `eigh ${n}: values agree with NumPy (${Math.max(e1, e2).toExponential(2)})`);
    const res = absMax(nd.subtract(nd.matmul(a, v), nd.multiply(v, w.expandDims(-2)))) / absMax(w);
    t.ok(res < 30 * EPS * n, `eigh ${n}: A v = v diag(w) (${res.toExponential(2)})`);
    t.ok(orthErr(v) < 30 * EPS * n, `eigh ${n}: orthonormal vectors`);
  }
  t.end();
});

test('svd and eigh of matrices scaled near the overflow and underflow thresholds (scaled by a power of two first)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const a = randn([30, 20], 800);
  const b = randn([12, 12], 801);
  const sym = nd.add(b, nd.linalg.matrixTranspose(b));
  for (const f of [1e300, 1e-300, 1e-305]) {
    const x = nd.multiply(a, f);
    const y = nd.multiply(sym, f);
    const [ws, we] = np([
      { expr: 'np.linalg.svd(a0, compute_uv=False)', args: [x] },
      { expr: 'np.linalg.eigvalsh(a0)', args: [y] },
    ]);
    const e1 = svErr(nd.linalg.svdvals(x), value(ws!), false);
    const e2 = svErr(nd.linalg.eigvalsh(y), value(we!), false);
    t.ok(e1 < 1e-13 && e2 < 1e-13, `scale ${f}: svd and eigh values agree with NumPy (${Math.max(e1, e2).toExponential(2)})`);
    checkFactors(t, x, `scale ${f}`, 1e-13);
  }
  t.end();
});

test('svd, svdvals, eigh and qr on every ISA of the linalg/vec kernels (baseline, AVX2, AVX-512)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const a = randn([150, 130], 900);
  const b = randn([140, 140], 901);
  const sym = nd.add(b, nd.linalg.matrixTranspose(b));
  const [ws, we] = np([
    { expr: 'np.linalg.svd(a0, compute_uv=False)', args: [a] },
    { expr: 'np.linalg.eigvalsh(a0)', args: [sym] },
  ]);
  for (const isa of availableIsas()) {
    native.kernels.setIsa(isa);
    try {
      const e1 = svErr(nd.linalg.svdvals(a), value(ws!), false);
      const e2 = svErr(nd.linalg.eigvalsh(sym), value(we!), false);
      t.ok(e1 < 1e-13 && e2 < 1e-13, `${isa}: svd and eigh values agree with NumPy (${Math.max(e1, e2).toExponential(2)})`);
      checkFactors(t, a, `${isa} svd`, 1e-13);
      const { eigenvalues: w, eigenvectors: v } = nd.linalg.eigh(sym);
      const res = absMax(nd.subtract(nd.matmul(sym, v), nd.multiply(v, w.expandDims(-2)))) / absMax(w);
      t.ok(res < 1e-13 && orthErr(v) < 1e-13, `${isa} eigh: A v = v diag(w), orthonormal`);
      const { Q, R } = nd.linalg.qr(a);
      t.ok(relErr(nd.matmul(Q, R), a) < 1e-13 && orthErr(Q) < 1e-13, `${isa} qr: Q R = A, Q orthonormal`);
    } finally {
      native.kernels.setIsa('auto');
    }
  }
  t.end();
});
