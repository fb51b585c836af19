// nd.linalg spectral routines against NumPy 2: eigh/eigvalsh (UPLO, batched,
// float32; eigenvectors judged by A v = λ v and orthogonality), svd/svdvals
// (every option; U S Vh = A and orthogonality; singular values against NumPy's),
// eigvals for real spectra (as a set; complex spectra and eig in test/84), norm /
// vectorNorm / matrixNorm for every ord, axis and keepdims, and cond.
import test from 'tape';
import * as nd from '../src/index.js';
import { skipWithoutNumpy } from './helpers/numpy-diff.js';
import { close, maxAbs, np, orthErr, randn, relErr, spd, throwsCode, vals } from './helpers/linalg.js';

test('eigh / eigvalsh: values against NumPy, vectors by A v = λ v and orthogonality', (t) => {
  if (skipWithoutNumpy(t)) return;
  const shapes = [
    [1, 1],
    [2, 2],
    [5, 5],
    [3, 6, 6],
    [90, 90],
    [0, 0],
  ];
  const mats = shapes.map((s, i) => randn(s, 100 + i));
  const cases = mats.flatMap((a) => [
    { expr: 'np.linalg.eigvalsh(a0)', args: [a] },
    { expr: 'np.linalg.eigvalsh(a0, UPLO="U")', args: [a] },
  ]);
  const res = np(cases);
  mats.forEach((a, i) => {
    const s = a.shape.join('x');
    const n = a.shape[a.ndim - 1]!;
    close(t, nd.linalg.eigvalsh(a), res[2 * i]!, 1e-12 * Math.max(n, 1), `eigvalsh L ${s}`);
    close(t, nd.linalg.eigvalsh(a, 'U'), res[2 * i + 1]!, 1e-12 * Math.max(n, 1), `eigvalsh U ${s}`);
    const { eigenvalues: w, eigenvectors: v } = nd.linalg.eigh(a);
    close(t, w, res[2 * i]!, 1e-12 * Math.max(n, 1), `eigh values ${s}`);
    if (n === 0) return;
    // the symmetric matrix eigh saw: the lower triangle mirrored
    const lower = nd.add(nd.multiply(a, lowerMask(n)), nd.linalg.matrixTranspose(nd.multiply(a, strictLowerMask(n))));
    const av = nd.matmul(lower, v);
    const vl = nd.multiply(v, w.expandDims(-2));
    t.ok(relErr(av, vl) < 1e-11 * n, `eigh ${s}: A v = v diag(w)`);
    t.ok(orthErr(v) < 1e-12 * n, `eigh ${s}: orthonormal vectors`);
  });
  const a32 = spd([8, 8], 7, 'float32');
  const e32 = nd.linalg.eigh(a32);
  t.equal(e32.eigenvalues.dtype, 'float32', 'eigh keeps float32');
  const [r32] = np([{ expr: 'np.linalg.eigvalsh(a0)', args: [a32] }]);
  close(t, e32.eigenvalues, r32!, 1e-5, 'eigh float32 values');
  // repeated eigenvalues: the identity plus a rank-one term
  const rep = nd.add(nd.eye(6), nd.linalg.outer(nd.ones([6]), nd.ones([6])));
  const er = nd.linalg.eigh(rep);
  t.ok(orthErr(er.eigenvectors) < 1e-12, 'eigh: orthonormal vectors for repeated eigenvalues');
  t.deepEqual(
    vals(er.eigenvalues).map((x) => Math.round(x * 1e9) / 1e9),
    [1, 1, 1, 1, 1, 7],
    'eigh: repeated eigenvalues',
  );
  throwsCode(t, () => nd.linalg.eigh(nd.ones([2, 3])), 'ERR_NDSHARE_LINALG', 'eigh not square');
  throwsCode(t, () => nd.linalg.eigh(nd.eye(2), 'X' as 'L'), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'eigh bad UPLO');
  t.end();
});

function lowerMask(n: number): nd.NDArray {
  return nd.array(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j <= i ? 1 : 0))));
}
function strictLowerMask(n: number): nd.NDArray {
  return nd.array(Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j < i ? 1 : 0))));
}

test('svd / svdvals: every option, shapes, rank deficiency, by reconstruction and against NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const shapes = [
    [6, 4],
    [4, 6],
    [5, 5],
    [2, 7, 3],
    [1, 1],
    [60, 40],
    [3, 0],
    [0, 3],
  ];
  const mats = shapes.map((s, i) => randn(s, 200 + i));
  mats.push(nd.matmul(randn([7, 2], 250), randn([2, 5], 251))); // rank 2
  mats.push(nd.zeros([4, 3]));
  const res = np(mats.map((a) => ({ expr: 'np.linalg.svd(a0, compute_uv=False)', args: [a] })));
  mats.forEach((a, i) => {
    const s = a.shape.join('x');
    const m = a.shape[a.ndim - 2]!;
    const n = a.shape[a.ndim - 1]!;
    const k = Math.min(m, n);
    close(t, nd.linalg.svdvals(a), res[i]!, 1e-12 * Math.max(m, n, 1), `svdvals ${s}`);
    for (const full of [true, false]) {
      const { U, S, Vh } = nd.linalg.svd(a, { fullMatrices: full });
      const uc = full ? m : k;
      const vr = full ? n : k;
      t.deepEqual([U.shape.slice(-2), S.shape.slice(-1), Vh.shape.slice(-2)], [[m, uc], [k], [vr, n]], `svd ${s} full=${full}: shapes`);
      close(t, S, res[i]!, 1e-12 * Math.max(m, n, 1), `svd ${s} full=${full}: S`);
      if (m === 0 || n === 0) continue;
      const us = nd.multiply(U.slice(...batchAll(U), `0:${k}`), S.expandDims(-2));
      const rec = nd.matmul(us, Vh.slice(...batchAll(Vh).slice(0, -1), `0:${k}`));
      t.ok(relErr(rec, a) < 1e-12 * Math.max(m, n), `svd ${s} full=${full}: U S Vh = A`);
      t.ok(orthErr(U) < 1e-12 * Math.max(m, n), `svd ${s} full=${full}: U orthonormal`);
      t.ok(orthErr(nd.linalg.matrixTranspose(Vh)) < 1e-12 * Math.max(m, n), `svd ${s} full=${full}: Vh orthonormal`);
    }
  });
  const sym = spd([5, 5], 260);
  const ind = nd.subtract(sym, nd.multiply(nd.eye(5), 8));
  const hs = nd.linalg.svd(ind, { hermitian: true });
  const [hr] = np([{ expr: 'np.linalg.svd(a0, hermitian=True).S', args: [ind] }]);
  close(t, hs.S, hr!, 1e-12, 'svd hermitian S');
  t.ok(relErr(nd.matmul(nd.multiply(hs.U, hs.S.expandDims(-2)), hs.Vh), ind) < 1e-12, 'svd hermitian: U S Vh = A');
  const f32 = randn([5, 3], 9, 'float32');
  t.equal(nd.linalg.svd(f32).U.dtype, 'float32', 'svd keeps float32');
  t.ok(!('U' in nd.linalg.svd(f32, { computeUv: false })), 'computeUv false gives only S');
  throwsCode(
    t,
    () =>
      nd.linalg.svd(
        nd.array([
          [NaN, 1],
          [1, 1],
        ]),
      ),
    'ERR_NDSHARE_LINALG',
    'svd of NaN: did not converge',
  );
  throwsCode(t, () => nd.linalg.svd([1, 2]), 'ERR_NDSHARE_LINALG', 'svd of a vector');
  t.end();
});

function batchAll(x: nd.NDArray): (string | null)[] {
  return x.shape.slice(0, -1).map(() => ':');
}

test('eigvals: real spectra as NumPy (as a set; complex ones in test/84)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const tri = nd.array([
    [1, 5, 2],
    [0, 3, 7],
    [0, 0, -2],
  ]);
  const sym = spd([6, 6], 300);
  const q = nd.linalg.qr(randn([5, 5], 301)).Q;
  const similar = nd.matmul(
    nd.matmul(
      q,
      nd.array([
        [1, 0, 0, 0, 0],
        [0, 2, 0, 0, 0],
        [0, 0, -3, 0, 0],
        [0, 0, 0, 4, 1],
        [0, 0, 0, 0, 5],
      ]),
    ),
    nd.linalg.inv(q),
  );
  const mats = [tri, sym, similar];
  const res = np(mats.map((a) => ({ expr: 'np.sort(np.linalg.eigvals(a0).real)', args: [a] })));
  mats.forEach((a, i) => {
    const w = nd.array(vals(nd.linalg.eigvals(a)).sort((x, y) => x - y));
    close(t, w, res[i]!, 1e-9, `eigvals ${i}`);
  });
  t.end();
});

test('norm, vectorNorm, matrixNorm: every ord, axis, keepdims; cond', (t) => {
  if (skipWithoutNumpy(t)) return;
  const v = randn([7], 400);
  const m = randn([4, 5], 401);
  const s3 = randn([2, 3, 4], 402);
  const i32 = nd.array(
    [
      [3, -4],
      [1, 2],
    ],
    { dtype: 'int32' },
  );
  const f32 = randn([3, 3], 403, 'float32');
  const vord = [undefined, Infinity, -Infinity, 0, 1, -1, 2, -2, 3, 0.5];
  const mord = [undefined, 'fro', 'nuc', Infinity, -Infinity, 1, -1, 2, -2] as const;
  const py = (o: unknown): string =>
    o === undefined ? 'None' : o === Infinity ? 'np.inf' : o === -Infinity ? '-np.inf' : typeof o === 'string' ? `'${o}'` : String(o);
  const cases: { label: string; expr: string; args: nd.NDArray[]; ours: () => nd.NDArray }[] = [];
  for (const o of vord) {
    cases.push({ label: `norm vector ord=${o}`, expr: `np.linalg.norm(a0, ord=${py(o)})`, args: [v], ours: () => nd.linalg.norm(v, { ord: o }) });
    if (o !== undefined)
      cases.push({
        label: `vector_norm ord=${o} axis=1`,
        expr: `np.linalg.vector_norm(a0, ord=${py(o)}, axis=1)`,
        args: [s3],
        ours: () => nd.linalg.vectorNorm(s3, { ord: o, axis: 1 }),
      });
  }
  for (const o of mord) {
    cases.push({ label: `norm matrix ord=${o}`, expr: `np.linalg.norm(a0, ord=${py(o)})`, args: [m], ours: () => nd.linalg.norm(m, { ord: o }) });
    cases.push({
      label: `norm axis=(2,0) ord=${o} keepdims`,
      expr: `np.linalg.norm(a0, ord=${py(o)}, axis=(2, 0), keepdims=True)`,
      args: [s3],
      ours: () => nd.linalg.norm(s3, { ord: o, axis: [2, 0], keepdims: true }),
    });
    if (o !== undefined)
      cases.push({
        label: `matrix_norm ord=${o}`,
        expr: `np.linalg.matrix_norm(a0, ord=${py(o)})`,
        args: [s3],
        ours: () => nd.linalg.matrixNorm(s3, { ord: o }),
      });
  }
  cases.push({ label: 'norm of a 3-D array (flattened)', expr: 'np.linalg.norm(a0)', args: [s3], ours: () => nd.linalg.norm(s3) });
  cases.push({ label: 'norm keepdims (flattened)', expr: 'np.linalg.norm(a0, keepdims=True)', args: [s3], ours: () => nd.linalg.norm(s3, { keepdims: true }) });
  cases.push({ label: 'norm axis=-1', expr: 'np.linalg.norm(a0, axis=-1)', args: [s3], ours: () => nd.linalg.norm(s3, { axis: -1 }) });
  cases.push({ label: 'norm int32 -> float64', expr: 'np.linalg.norm(a0)', args: [i32], ours: () => nd.linalg.norm(i32) });
  cases.push({ label: 'norm float32', expr: 'np.linalg.norm(a0, ord=2)', args: [f32], ours: () => nd.linalg.norm(f32, { ord: 2 }) });
  cases.push({ label: 'vector_norm all axes', expr: 'np.linalg.vector_norm(a0)', args: [s3], ours: () => nd.linalg.vectorNorm(s3) });
  cases.push({ label: 'norm of large values', expr: 'np.linalg.norm(a0 * 1e150)', args: [v], ours: () => nd.linalg.norm(nd.multiply(v, 1e150)) });
  const sq = randn([3, 4, 4], 404);
  for (const p of [undefined, 2, -2, 1, -1, Infinity, -Infinity, 'fro', 'nuc'] as const) {
    cases.push({ label: `cond p=${p}`, expr: `np.linalg.cond(a0, p=${py(p)})`, args: [sq], ours: () => nd.linalg.cond(sq, p) });
  }
  const res = np(cases);
  cases.forEach((c, i) => close(t, c.ours(), res[i]!, 1e-10, c.label, c.label.includes('float32') ? 'float32' : undefined));
  throwsCode(t, () => nd.linalg.norm(m, { ord: 3 }), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'matrix ord 3');
  throwsCode(t, () => nd.linalg.norm(v, { ord: 'fro' }), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'vector ord fro');
  throwsCode(t, () => nd.linalg.norm(s3, { ord: 2 }), 'ERR_NDSHARE_INVALID_ARG_VALUE', '3-D with ord and no axis');
  t.ok(maxAbs(nd.linalg.norm(nd.zeros([0]))) === 0, 'norm of empty is 0');
  t.end();
});
