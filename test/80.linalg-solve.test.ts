// nd.linalg solves and factorisations against NumPy 2: solve, inv, det,
// slogdet, cholesky (lower/upper), qr (every mode, judged by Q R = A and
// orthogonality; R's diagonal signs are not unique), lstsq (residuals), pinv,
// matrixRank, matrixPower, multiDot, tensorsolve, tensorinv. Batched and
// empty stacks, float32 staying float32, integer promotion, singular and
// ill-conditioned inputs, the LinAlgError and shape errors.
import test from 'tape';
import * as nd from '../src/index.js';
import { skipWithoutNumpy } from './helpers/numpy-diff.js';
import { close, maxAbs, np, orthErr, randn, relErr, spd, throwsCode, vals } from './helpers/linalg.js';

const LINALG = 'ERR_NDSHARE_LINALG';

test('solve, inv, det, slogdet: batched, float32, integer input, sizes across the blocking', (t) => {
  if (skipWithoutNumpy(t)) return;
  const shapes = [
    [1, 1],
    [3, 3],
    [2, 4, 4],
    [70, 70],
    [130, 130],
    [2, 3, 5, 5],
  ];
  const cases: { expr: string; args: nd.NDArray[]; ours: () => nd.NDArray; tol: number; label: string }[] = [];
  shapes.forEach((s, i) => {
    const a = randn(s, 10 + i);
    const n = s[s.length - 1]!;
    const b = randn([...s.slice(0, -1), 2], 50 + i);
    const bv = randn([n], 90 + i);
    const tol = 1e-9 * n;
    cases.push({ label: `solve ${s}`, expr: 'np.linalg.solve(a0, a1)', args: [a, b], ours: () => nd.linalg.solve(a, b), tol });
    if (s.length === 2) cases.push({ label: `solve vector ${s}`, expr: 'np.linalg.solve(a0, a1)', args: [a, bv], ours: () => nd.linalg.solve(a, bv), tol });
    cases.push({ label: `inv ${s}`, expr: 'np.linalg.inv(a0)', args: [a], ours: () => nd.linalg.inv(a), tol });
    cases.push({ label: `det ${s}`, expr: 'np.linalg.det(a0)', args: [a], ours: () => nd.linalg.det(a), tol });
    cases.push({ label: `slogdet.sign ${s}`, expr: 'np.linalg.slogdet(a0).sign', args: [a], ours: () => nd.linalg.slogdet(a).sign, tol: 0 });
    cases.push({ label: `slogdet.logabsdet ${s}`, expr: 'np.linalg.slogdet(a0).logabsdet', args: [a], ours: () => nd.linalg.slogdet(a).logabsdet, tol });
    const a32 = a.astype('float32');
    cases.push({ label: `inv float32 ${s}`, expr: 'np.linalg.inv(a0)', args: [a32], ours: () => nd.linalg.inv(a32), tol: 2e-3 * n });
    cases.push({ label: `det float32 ${s}`, expr: 'np.linalg.det(a0)', args: [a32], ours: () => nd.linalg.det(a32), tol: 1e-3 * n });
  });
  const ai = nd.array(
    [
      [4, 1, 2],
      [1, 5, 3],
      [2, 3, 6],
    ],
    { dtype: 'int32' },
  );
  cases.push({ label: 'inv int32 -> float64', expr: 'np.linalg.inv(a0)', args: [ai], ours: () => nd.linalg.inv(ai), tol: 1e-14 });
  cases.push({ label: 'det int32', expr: 'np.linalg.det(a0)', args: [ai], ours: () => nd.linalg.det(ai), tol: 1e-14 });
  const sing = nd.array([
    [1, 2],
    [2, 4],
  ]);
  cases.push({ label: 'det singular', expr: 'np.linalg.det(a0)', args: [sing], ours: () => nd.linalg.det(sing), tol: 0 });
  cases.push({ label: 'slogdet singular sign', expr: 'np.linalg.slogdet(a0).sign', args: [sing], ours: () => nd.linalg.slogdet(sing).sign, tol: 0 });
  cases.push({ label: 'slogdet singular log', expr: 'np.linalg.slogdet(a0).logabsdet', args: [sing], ours: () => nd.linalg.slogdet(sing).logabsdet, tol: 0 });
  const empty = nd.zeros([3, 0, 0]);
  cases.push({ label: 'det of empty matrices', expr: 'np.linalg.det(a0)', args: [empty], ours: () => nd.linalg.det(empty), tol: 0 });
  cases.push({ label: 'inv of empty matrices', expr: 'np.linalg.inv(a0)', args: [empty], ours: () => nd.linalg.inv(empty), tol: 0 });
  const nostack = nd.zeros([0, 2, 2]);
  cases.push({ label: 'inv of an empty stack', expr: 'np.linalg.inv(a0)', args: [nostack], ours: () => nd.linalg.inv(nostack), tol: 0 });
  // broadcast batch: a (2, 1, 3, 3) with b (4, 3, 1)
  const ab = randn([2, 1, 3, 3], 7);
  const bb = randn([4, 3, 1], 8);
  cases.push({ label: 'solve broadcasting batches', expr: 'np.linalg.solve(a0, a1)', args: [ab, bb], ours: () => nd.linalg.solve(ab, bb), tol: 1e-10 });
  // transposed, non-contiguous input
  const big = randn([6, 6], 9);
  const view = big.T;
  cases.push({ label: 'inv of a transposed view', expr: 'np.linalg.inv(a0)', args: [view], ours: () => nd.linalg.inv(view), tol: 1e-10 });
  const res = np(cases);
  cases.forEach((c, i) => close(t, c.ours(), res[i]!, c.tol, c.label));
  t.end();
});

test("solve: residual on an ill-conditioned (Hilbert) matrix is as small as NumPy's", (t) => {
  if (skipWithoutNumpy(t)) return;
  const n = 10;
  const h = nd.array(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => 1 / (i + j + 1))));
  const b = nd.ones([n]);
  const x = nd.linalg.solve(h, b);
  const [ref] = np([{ expr: 'np.linalg.norm(a0 @ np.linalg.solve(a0, a1) - a1)', args: [h, b] }]);
  const ours = maxAbs(nd.subtract(nd.matmul(h, x), b));
  const theirs = vals((ref as { value: nd.NDArray }).value)[0]!;
  t.ok(ours <= Math.max(10 * theirs, 1e-12), `residual ${ours.toExponential(2)} vs NumPy ${theirs.toExponential(2)}`);
  t.end();
});

test('cholesky: lower and upper, batched, float32; not positive definite', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases = [
    [4, 4],
    [3, 5, 5],
    [100, 100],
    [1, 1],
  ].flatMap((s, i) => {
    const a = spd(s, 20 + i);
    const a32 = a.astype('float32');
    return [
      { label: `cholesky ${s}`, expr: 'np.linalg.cholesky(a0)', args: [a], ours: () => nd.linalg.cholesky(a), tol: 1e-12 * s[s.length - 1]! },
      {
        label: `cholesky upper ${s}`,
        expr: 'np.linalg.cholesky(a0, upper=True)',
        args: [a],
        ours: () => nd.linalg.cholesky(a, { upper: true }),
        tol: 1e-12 * s[s.length - 1]!,
      },
      { label: `cholesky float32 ${s}`, expr: 'np.linalg.cholesky(a0)', args: [a32], ours: () => nd.linalg.cholesky(a32), tol: 1e-5 * s[s.length - 1]! },
    ];
  });
  const res = np(cases);
  cases.forEach((c, i) => close(t, c.ours(), res[i]!, c.tol, c.label));
  throwsCode(
    t,
    () =>
      nd.linalg.cholesky([
        [1, 2],
        [2, 1],
      ]),
    LINALG,
    'indefinite',
  );
  throwsCode(t, () => nd.linalg.cholesky([[1, 2, 3]]), LINALG, 'not square');
  t.end();
});

test('qr: every mode, tall/wide/square/batched, judged by Q R = A, orthogonality and |R| against NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const shapes = [
    [5, 3],
    [3, 5],
    [4, 4],
    [2, 6, 4],
    [150, 80],
    [80, 150],
    [0, 3],
    [3, 0],
  ];
  const cases: { expr: string; args: nd.NDArray[] }[] = [];
  const arrays = shapes.map((s, i) => randn(s, 30 + i));
  for (const a of arrays) {
    cases.push({ expr: 'np.abs(np.linalg.qr(a0, mode="r"))', args: [a] });
    cases.push({ expr: 'np.abs(np.linalg.qr(a0, mode="complete").R)', args: [a] });
    cases.push({ expr: 'np.linalg.qr(a0, mode="raw")[0].shape and np.abs(np.linalg.qr(a0, mode="raw")[1])', args: [a] });
  }
  const res = np(cases);
  arrays.forEach((a, i) => {
    const s = a.shape.join('x');
    const m = a.shape[a.ndim - 2]!;
    const n = a.shape[a.ndim - 1]!;
    for (const mode of ['reduced', 'complete'] as const) {
      const { Q, R } = nd.linalg.qr(a, mode);
      const k = mode === 'complete' ? m : Math.min(m, n);
      t.deepEqual(
        [Q.shape.slice(-2), R.shape.slice(-2)],
        [
          [m, k],
          [k, n],
        ],
        `qr ${mode} ${s} shapes`,
      );
      t.ok(relErr(nd.matmul(Q, R), a) < 1e-12 * Math.max(m, n, 1), `qr ${mode} ${s}: Q R = A`);
      t.ok(orthErr(Q) < 1e-12 * Math.max(m, 1), `qr ${mode} ${s}: Q orthonormal`);
      if (mode === 'complete') close(t, nd.abs(R), res[i * 3 + 1]!, 1e-10, `qr complete ${s}: |R| as NumPy's`);
    }
    close(t, nd.abs(nd.linalg.qr(a, 'r')), res[i * 3]!, 1e-10, `qr r ${s}: |R| as NumPy's`);
    const raw = nd.linalg.qr(a, 'raw');
    t.deepEqual(raw.h.shape, [...a.shape.slice(0, -2), n, m], `qr raw ${s}: h is transposed`);
    close(t, nd.abs(raw.tau), res[i * 3 + 2]!, 1e-10, `qr raw ${s}: tau`);
  });
  const f32 = randn([6, 4], 3, 'float32');
  t.equal(nd.linalg.qr(f32).Q.dtype, 'float32', 'qr keeps float32');
  throwsCode(t, () => nd.linalg.qr([1, 2, 3]), LINALG, 'qr of a vector');
  throwsCode(t, () => nd.linalg.qr(nd.ones([2, 2]), 'bogus' as 'r'), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'qr bad mode');
  t.end();
});

test('lstsq, pinv, matrixRank: full rank, rank deficient, under/overdetermined, rcond', (t) => {
  if (skipWithoutNumpy(t)) return;
  const a = randn([20, 5], 40);
  const b = randn([20], 41);
  const b2 = randn([20, 3], 42);
  const w = randn([4, 9], 43);
  const def = nd.matmul(randn([8, 2], 44), randn([2, 6], 45)); // rank 2
  const cases = [
    { label: 'lstsq x', expr: 'np.linalg.lstsq(a0, a1)[0]', args: [a, b], ours: () => nd.linalg.lstsq(a, b)[0] },
    { label: 'lstsq residuals', expr: 'np.linalg.lstsq(a0, a1)[1]', args: [a, b], ours: () => nd.linalg.lstsq(a, b)[1] },
    { label: 'lstsq s', expr: 'np.linalg.lstsq(a0, a1)[3]', args: [a, b], ours: () => nd.linalg.lstsq(a, b)[3] },
    { label: 'lstsq x 2-D b', expr: 'np.linalg.lstsq(a0, a1)[0]', args: [a, b2], ours: () => nd.linalg.lstsq(a, b2)[0] },
    { label: 'lstsq residuals 2-D b', expr: 'np.linalg.lstsq(a0, a1)[1]', args: [a, b2], ours: () => nd.linalg.lstsq(a, b2)[1] },
    { label: 'lstsq underdetermined (min norm)', expr: 'np.linalg.lstsq(a0, a1[:4])[0]', args: [w, b], ours: () => nd.linalg.lstsq(w, b.slice('0:4'))[0] },
    { label: 'lstsq underdetermined residuals empty', expr: 'np.linalg.lstsq(a0, a1[:4])[1]', args: [w, b], ours: () => nd.linalg.lstsq(w, b.slice('0:4'))[1] },
    { label: 'lstsq rank deficient', expr: 'np.linalg.lstsq(a0, a1[:8])[0]', args: [def, b], ours: () => nd.linalg.lstsq(def, b.slice('0:8'))[0] },
    { label: 'pinv', expr: 'np.linalg.pinv(a0)', args: [a], ours: () => nd.linalg.pinv(a) },
    { label: 'pinv wide', expr: 'np.linalg.pinv(a0)', args: [w], ours: () => nd.linalg.pinv(w) },
    { label: 'pinv rank deficient', expr: 'np.linalg.pinv(a0)', args: [def], ours: () => nd.linalg.pinv(def) },
    {
      label: 'pinv hermitian',
      expr: 'np.linalg.pinv(a0, hermitian=True)',
      args: [spd([5, 5], 46)],
      ours: () => nd.linalg.pinv(spd([5, 5], 46), { hermitian: true }),
    },
    { label: 'matrix_rank', expr: 'np.linalg.matrix_rank(a0)', args: [def], ours: () => nd.linalg.matrixRank(def) },
    { label: 'matrix_rank full', expr: 'np.linalg.matrix_rank(a0)', args: [a], ours: () => nd.linalg.matrixRank(a) },
    { label: 'matrix_rank tol', expr: 'np.linalg.matrix_rank(a0, tol=1e3)', args: [a], ours: () => nd.linalg.matrixRank(a, { tol: 1e3 }) },
    { label: 'matrix_rank vector', expr: 'np.linalg.matrix_rank(a0)', args: [b], ours: () => nd.linalg.matrixRank(b) },
    { label: 'matrix_rank batched', expr: 'np.linalg.matrix_rank(a0)', args: [randn([3, 4, 4], 47)], ours: () => nd.linalg.matrixRank(randn([3, 4, 4], 47)) },
  ];
  const res = np(cases);
  cases.forEach((c, i) => close(t, c.ours(), res[i]!, 1e-9, c.label));
  const [, , rank] = nd.linalg.lstsq(def, b.slice('0:8'));
  t.equal(rank, 2, 'lstsq rank of a rank-2 matrix');
  throwsCode(t, () => nd.linalg.lstsq(a, randn([19], 1)), 'ERR_NDSHARE_SHAPE_MISMATCH', 'lstsq b rows');
  t.end();
});

test('matrixPower, multiDot, tensorsolve, tensorinv', (t) => {
  if (skipWithoutNumpy(t)) return;
  const a = randn([4, 4], 60);
  const ai = nd.array(
    [
      [1, 1],
      [1, 0],
    ],
    { dtype: 'int64' },
  );
  const A = randn([10, 3], 61);
  const B = randn([3, 12], 62);
  const C = randn([12, 2], 63);
  const v = randn([10], 64);
  const T = randn([6, 2, 3], 65);
  const tb = randn([6], 66);
  const T4 = randn([4, 6, 8, 3], 67);
  const cases = [
    { label: 'matrix_power 5', expr: 'np.linalg.matrix_power(a0, 5)', args: [a], ours: () => nd.linalg.matrixPower(a, 5) },
    { label: 'matrix_power 0', expr: 'np.linalg.matrix_power(a0, 0)', args: [a], ours: () => nd.linalg.matrixPower(a, 0) },
    { label: 'matrix_power -3', expr: 'np.linalg.matrix_power(a0, -3)', args: [a], ours: () => nd.linalg.matrixPower(a, -3) },
    { label: 'matrix_power int64 stays int64', expr: 'np.linalg.matrix_power(a0, 10)', args: [ai], ours: () => nd.linalg.matrixPower(ai, 10) },
    { label: 'multi_dot', expr: 'np.linalg.multi_dot([a0, a1, a2])', args: [A, B, C], ours: () => nd.linalg.multiDot([A, B, C]) },
    {
      label: 'multi_dot vector ends',
      expr: 'np.linalg.multi_dot([a3, a0, a1, a2, a2[0]])',
      args: [A, B, C, v],
      ours: () => nd.linalg.multiDot([v, A, B, C, C.slice(0)]),
    },
    { label: 'tensorsolve', expr: 'np.linalg.tensorsolve(a0, a1)', args: [T, tb], ours: () => nd.linalg.tensorsolve(T, tb) },
    { label: 'tensorinv', expr: 'np.linalg.tensorinv(a0, ind=2)', args: [T4], ours: () => nd.linalg.tensorinv(T4, 2) },
  ];
  const res = np(cases);
  cases.forEach((c, i) => close(t, c.ours(), res[i]!, 1e-9, c.label));
  throwsCode(
    t,
    () =>
      nd.linalg.matrixPower(
        [
          [1, 2],
          [2, 4],
        ],
        -1,
      ),
    LINALG,
    'matrix_power of a singular matrix, negative',
  );
  throwsCode(t, () => nd.linalg.tensorinv(randn([4, 3], 1), 1), LINALG, 'tensorinv not square');
  t.end();
});

test('linalg errors: singular, not square, too few dimensions, shape mismatches', (t) => {
  throwsCode(
    t,
    () =>
      nd.linalg.inv([
        [1, 2],
        [2, 4],
      ]),
    LINALG,
    'inv singular',
  );
  throwsCode(
    t,
    () =>
      nd.linalg.solve(
        [
          [0, 0],
          [0, 0],
        ],
        [1, 1],
      ),
    LINALG,
    'solve singular',
  );
  throwsCode(t, () => nd.linalg.inv(nd.ones([2, 3])), LINALG, 'inv not square');
  throwsCode(t, () => nd.linalg.det([1, 2]), LINALG, 'det of a vector');
  throwsCode(t, () => nd.linalg.solve(nd.eye(3), nd.ones([4])), 'ERR_NDSHARE_SHAPE_MISMATCH', 'solve b length');
  throwsCode(t, () => nd.linalg.eig(nd.ones([2, 3])), LINALG, 'eig not square');
  t.end();
});
