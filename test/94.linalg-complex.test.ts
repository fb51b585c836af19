// Complex linear algebra against NumPy 2 at test time: matmul/dot/vdot and the
// other products on complex64/complex128 (mixed with real operands, batched,
// views), and nd.linalg on complex stacks. Unique results (products, solve,
// inv, det, eigenvalues, singular values, R of QR) are compared with NumPy's by
// norm-wise relative error; factors that are not unique (eigenvectors, U/Vh, Q)
// are judged by invariants (reconstruction, unitarity, A v = λ v, residuals).
// NumPy's LinAlgError cases raise ERR_NDSHARE_LINALG.
import test from 'tape';
import * as nd from '../src/index.js';
import type { DType, NDArray } from '../src/index.js';
import { skipWithoutNumpy, type PyResult } from './helpers/numpy-diff.js';
import { randn } from './helpers/linalg.js';
import { np, throwsCode } from './helpers/linalg.js';

/** A complex stack re + i im (random normal-ish parts), of `dtype`. */
function crandn(shape: number[], seed: number, dtype: DType = 'complex128'): NDArray {
  const z = nd.add(randn(shape, seed), nd.multiply(randn(shape, seed + 7919), nd.complex(0, 1)));
  return z.dtype === dtype ? z : z.astype(dtype);
}

/** A Hermitian positive-definite stack A A^H + n I. */
function hpd(shape: number[], seed: number, dtype: DType = 'complex128'): NDArray {
  const a = crandn(shape, seed);
  const n = shape[shape.length - 1]!;
  const p = nd.add(nd.matmul(a, ct(a)), nd.multiply(nd.eye(n), n));
  return p.astype(dtype);
}

/** Conjugate transpose of the last two axes. */
function ct(x: NDArray): NDArray {
  return nd.conj(nd.linalg.matrixTranspose(x));
}

/** Interleaved (re, im) values of any array. */
function cvals(x: NDArray): Float64Array {
  const c = x.astype('complex128').copy();
  return (c.data as Float64Array).slice(0, 2 * c.size);
}

/** max |got - want| / max(1, max |want|) over complex entries. */
function crel(got: NDArray, want: NDArray): number {
  const g = cvals(got);
  const w = cvals(want);
  if (g.length !== w.length) return Infinity;
  let m = 0;
  let s = 1;
  for (let i = 0; i < g.length; i += 2) {
    if ([g[i], g[i + 1], w[i], w[i + 1]].some((v) => Number.isNaN(v))) {
      if (!(Number.isNaN(g[i]!) === Number.isNaN(w[i]!))) return Infinity;
      continue;
    }
    if (g[i] === w[i] && g[i + 1] === w[i + 1]) continue;
    m = Math.max(m, Math.hypot(g[i]! - w[i]!, g[i + 1]! - w[i + 1]!));
    s = Math.max(s, Math.hypot(w[i]!, w[i + 1]!));
  }
  return m / s;
}

function want(r: PyResult): NDArray {
  if ('err' in r) throw new Error(`NumPy raised ${r.err}: ${r.msg}`);
  return r.value;
}

/** Same shape, NumPy's dtype, relative error <= tol. */
function cclose(t: test.Test, got: NDArray, w: PyResult, tol: number, label: string): void {
  if ('err' in w) {
    t.fail(`${label}: NumPy raised ${w.err}: ${w.msg}`);
    return;
  }
  const v = w.value;
  if (got.shape.length !== v.shape.length || got.shape.some((d, i) => d !== v.shape[i])) {
    t.fail(`${label}: shape (${got.shape.join(', ')}) != NumPy's (${v.shape.join(', ')})`);
    return;
  }
  if (got.dtype !== w.dtype) {
    t.fail(`${label}: dtype ${got.dtype} != NumPy's ${w.dtype}`);
    return;
  }
  const e = crel(got, v);
  if (!(e <= tol)) t.fail(`${label}: relative error ${e.toExponential(2)} > ${tol}`);
  else t.pass(label);
}

/** max |x| over a (complex) array. */
function cmax(x: NDArray): number {
  const v = cvals(x);
  let m = 0;
  for (let i = 0; i < v.length; i += 2) m = Math.max(m, Math.hypot(v[i]!, v[i + 1]!));
  return m;
}

/** max |Q^H Q - I| over a stack with orthonormal columns. */
function unitErr(q: NDArray): number {
  const k = q.shape[q.ndim - 1]!;
  return cmax(nd.subtract(nd.matmul(ct(q), q), nd.eye(k)));
}

/** Each NumPy value matched to the nearest unused one of ours, per matrix of a stack (last axis). */
function sameSet(t: test.Test, got: NDArray, w: PyResult, tol: number, label: string): void {
  const g = cvals(got);
  const v = cvals(want(w));
  const n = got.shape[got.ndim - 1]!;
  let worst = g.length === v.length ? 0 : Infinity;
  for (let b = 0; b * 2 * n < v.length && worst < Infinity; b++) {
    const used = new Set<number>();
    for (let i = 0; i < n; i++) {
      const [wr, wi] = [v[2 * (b * n + i)]!, v[2 * (b * n + i) + 1]!];
      let best = -1;
      let bd = Infinity;
      for (let j = 0; j < n; j++) {
        if (used.has(j)) continue;
        const dd = Math.hypot(g[2 * (b * n + j)]! - wr, g[2 * (b * n + j) + 1]! - wi);
        if (dd < bd) [bd, best] = [dd, j];
      }
      used.add(best);
      worst = Math.max(worst, bd / Math.max(1, Math.hypot(wr, wi)));
    }
  }
  t.ok(worst <= tol, `${label} (${worst.toExponential(1)})`);
}

const tolOf = (d: DType): number => (d === 'complex64' ? 2e-5 : 1e-12);

interface Diff {
  label: string;
  expr: string;
  args: NDArray[];
  ours: () => NDArray;
  tol: number;
}

function runDiffs(t: test.Test, cases: Diff[]): void {
  const res = np(cases);
  cases.forEach((c, i) => {
    let got: NDArray;
    try {
      got = c.ours();
    } catch (e) {
      t.fail(`${c.label}: threw ${(e as Error).message}`);
      return;
    }
    cclose(t, got, res[i]!, c.tol, c.label);
  });
}

test('complex matmul/dot/vdot and the other products as NumPy (batched, views, mixed real/complex)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: Diff[] = [];
  for (const d of ['complex128', 'complex64'] as const) {
    const tol = tolOf(d);
    const a = crandn([4, 3], 1, d);
    const b = crandn([3, 5], 2, d);
    const A = crandn([2, 4, 3], 3, d);
    const B = crandn([2, 1, 5, 4], 4, d);
    const big = crandn([70, 130], 5, d);
    const big2 = crandn([130, 33], 6, d);
    const v = crandn([3], 7, d);
    const w = crandn([3], 8, d);
    cases.push(
      { label: `${d} matmul 4x3 @ 3x5`, expr: 'a0 @ a1', args: [a, b], ours: () => nd.matmul(a, b), tol },
      { label: `${d} matmul batched broadcast`, expr: 'a1 @ a0', args: [A, B], ours: () => nd.matmul(B, A), tol },
      { label: `${d} matmul 70x130 @ 130x33`, expr: 'a0 @ a1', args: [big, big2], ours: () => nd.matmul(big, big2), tol: tol * 4 },
      { label: `${d} matmul transposed views`, expr: 'a0.T @ a1.T', args: [big2, big], ours: () => nd.matmul(big2.T, big.T), tol: tol * 4 },
      {
        label: `${d} matmul negative strides`,
        expr: 'a0[::-1, ::-2] @ a1[::-2]',
        args: [big, big2],
        ours: () => nd.matmul(big.slice('::-1', '::-2'), big2.slice('::-2')),
        tol: tol * 4,
      },
      { label: `${d} matmul vector @ matrix`, expr: 'a0 @ a1', args: [v, b], ours: () => nd.matmul(v, b), tol },
      { label: `${d} matmul matrix @ vector`, expr: 'a0 @ a1', args: [a, v], ours: () => nd.matmul(a, v), tol },
      { label: `${d} matmul vector @ vector`, expr: 'a0 @ a1', args: [v, w], ours: () => nd.matmul(v, w), tol },
      { label: `${d} matmul K = 0`, expr: 'a0[:, :0] @ a1[:0]', args: [a, b], ours: () => nd.matmul(a.slice(':', ':0'), b.slice(':0')), tol },
      { label: `${d} dot N-D`, expr: 'np.dot(a0, a1)', args: [A, b], ours: () => nd.dot(A, b), tol },
      { label: `${d} vdot conjugates a`, expr: 'np.vdot(a0, a1)', args: [a, a], ours: () => nd.vdot(a, a), tol },
      { label: `${d} vdot of matrices`, expr: 'np.vdot(a0, a1)', args: [big, big], ours: () => nd.vdot(big, big), tol: tol * 10 },
      { label: `${d} inner`, expr: 'np.inner(a0, a1)', args: [a, A], ours: () => nd.inner(a, A), tol },
      { label: `${d} outer`, expr: 'np.outer(a0, a1)', args: [v, w], ours: () => nd.outer(v, w), tol },
      {
        label: `${d} tensordot`,
        expr: 'np.tensordot(a0, a1, axes=([1, 2], [0, 1]))',
        args: [A, crandn([4, 3, 2], 9, d)],
        ours: () =>
          nd.tensordot(A, crandn([4, 3, 2], 9, d), [
            [1, 2],
            [0, 1],
          ]),
        tol,
      },
      {
        label: `${d} einsum bij,bjk->bik`,
        expr: "np.einsum('bij,bjk->bik', a0, a1)",
        args: [A, crandn([2, 3, 6], 10, d)],
        ours: () => nd.einsum('bij,bjk->bik', A, crandn([2, 3, 6], 10, d)),
        tol,
      },
      { label: `${d} einsum ij,ij->i`, expr: "np.einsum('ij,ij->i', a0, a1)", args: [a, a], ours: () => nd.einsum('ij,ij->i', a, a), tol },
      { label: `${d} kron`, expr: 'np.kron(a0, a1)', args: [a, v], ours: () => nd.kron(a, v), tol },
      { label: `${d} trace`, expr: 'np.trace(a0)', args: [big], ours: () => nd.trace(big), tol },
      {
        label: `${d} multi_dot`,
        expr: 'np.linalg.multi_dot([a0, a1, a2])',
        args: [a, b, big.slice(':5', ':4')],
        ours: () => nd.linalg.multiDot([a, b, big.slice(':5', ':4')]),
        tol,
      },
      {
        label: `${d} matrix_power 3`,
        expr: 'np.linalg.matrix_power(a0, 3)',
        args: [big.slice(':6', ':6')],
        ours: () => nd.linalg.matrixPower(big.slice(':6', ':6'), 3),
        tol: tol * 10,
      },
      {
        label: `${d} matrix_power -2`,
        expr: 'np.linalg.matrix_power(a0, -2)',
        args: [big.slice(':6', ':6')],
        ours: () => nd.linalg.matrixPower(big.slice(':6', ':6'), -2),
        tol: tol * 100,
      },
      {
        label: `${d} matrix_power 0`,
        expr: 'np.linalg.matrix_power(a0, 0)',
        args: [big.slice(':6', ':6')],
        ours: () => nd.linalg.matrixPower(big.slice(':6', ':6'), 0),
        tol,
      },
      { label: `${d} vecdot conjugates x1`, expr: 'np.vecdot(a0, a1)', args: [A, v], ours: () => nd.vecdot(A, v), tol },
      { label: `${d} linalg.vecdot conjugates x1`, expr: 'np.linalg.vecdot(a0, a1)', args: [A, v], ours: () => nd.linalg.vecdot(A, v), tol },
      { label: `${d} matvec`, expr: 'np.matvec(a0, a1)', args: [A, v], ours: () => nd.matvec(A, v), tol },
      { label: `${d} vecmat conjugates x1`, expr: 'np.vecmat(a0, a1)', args: [crandn([4], 11, d), A], ours: () => nd.vecmat(crandn([4], 11, d), A), tol },
    );
  }
  // K x N past the expansion budget: B is expanded and multiplied in two column chunks.
  const ka = crandn([8, 1100], 17);
  const kb = crandn([1100, 1000], 18);
  cases.push({ label: 'complex128 matmul 8x1100 @ 1100x1000 (chunked)', expr: 'a0 @ a1', args: [ka, kb], ours: () => nd.matmul(ka, kb), tol: 1e-11 });
  const s320 = crandn([320, 320], 19);
  cases.push({
    label: 'complex128 solve 320x320 (updates in row blocks)',
    expr: 'np.linalg.solve(a0, a1)',
    args: [s320, kb.slice(':320', ':2')],
    ours: () => nd.linalg.solve(s320, kb.slice(':320', ':2')),
    tol: 1e-9,
  });
  const r64 = randn([3, 4], 12);
  const r32 = randn([3, 4], 13, 'float32');
  const c64 = crandn([4, 2], 14, 'complex64');
  const i64 = randn([3, 4], 15).astype('int64');
  cases.push(
    { label: 'float64 @ complex64 -> complex128', expr: 'a0 @ a1', args: [r64, c64], ours: () => nd.matmul(r64, c64), tol: 2e-7 },
    { label: 'float32 @ complex64 -> complex64', expr: 'a0 @ a1', args: [r32, c64], ours: () => nd.matmul(r32, c64), tol: 2e-5 },
    { label: 'int64 @ complex64 -> complex128', expr: 'a0 @ a1', args: [i64, c64], ours: () => nd.matmul(i64, c64), tol: 2e-7 },
    { label: 'complex128 dot float64', expr: 'np.dot(a0, a1)', args: [crandn([2, 3], 16), r64], ours: () => nd.dot(crandn([2, 3], 16), r64), tol: 1e-12 },
  );
  runDiffs(t, cases);
  const e = nd.matmul(nd.zeros([0, 3], { dtype: 'complex128' }), crandn([3, 2], 1));
  t.deepEqual([e.shape, e.dtype], [[0, 2], 'complex128'], 'empty complex matmul');
  t.end();
});

test('linalg on complex stacks: solve, inv, det, slogdet, cholesky, qr as NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: Diff[] = [];
  for (const d of ['complex128', 'complex64'] as const) {
    const tol = d === 'complex64' ? 5e-4 : 1e-10;
    const a = crandn([5, 5], 21, d);
    const A = crandn([3, 4, 4], 22, d);
    const b = crandn([5], 23, d);
    const Bm = crandn([3, 4, 2], 24, d);
    const H = hpd([3, 6, 6], 25, d);
    const W = crandn([2, 4, 7], 26, d);
    const T = crandn([7, 3], 27, d);
    cases.push(
      { label: `${d} solve vector`, expr: 'np.linalg.solve(a0, a1)', args: [a, b], ours: () => nd.linalg.solve(a, b), tol },
      { label: `${d} solve batched`, expr: 'np.linalg.solve(a0, a1)', args: [A, Bm], ours: () => nd.linalg.solve(A, Bm), tol },
      { label: `${d} solve broadcast b`, expr: 'np.linalg.solve(a0, a1)', args: [A, Bm.slice(0)], ours: () => nd.linalg.solve(A, Bm.slice(0)), tol },
      { label: `${d} inv`, expr: 'np.linalg.inv(a0)', args: [A], ours: () => nd.linalg.inv(A), tol },
      { label: `${d} inv of a view`, expr: 'np.linalg.inv(a0.T[::-1])', args: [a], ours: () => nd.linalg.inv(a.T.slice('::-1')), tol },
      { label: `${d} det`, expr: 'np.linalg.det(a0)', args: [A], ours: () => nd.linalg.det(A), tol },
      { label: `${d} slogdet sign`, expr: 'np.linalg.slogdet(a0)[0]', args: [A], ours: () => nd.linalg.slogdet(A).sign, tol },
      { label: `${d} slogdet logabsdet`, expr: 'np.linalg.slogdet(a0)[1]', args: [A], ours: () => nd.linalg.slogdet(A).logabsdet, tol },
      { label: `${d} cholesky`, expr: 'np.linalg.cholesky(a0)', args: [H], ours: () => nd.linalg.cholesky(H), tol },
      { label: `${d} cholesky upper`, expr: 'np.linalg.cholesky(a0, upper=True)', args: [H], ours: () => nd.linalg.cholesky(H, { upper: true }), tol },
      { label: `${d} qr R (tall)`, expr: 'np.linalg.qr(a0)[1]', args: [T], ours: () => nd.linalg.qr(T).R, tol },
      { label: `${d} qr r mode (wide, batched)`, expr: "np.linalg.qr(a0, mode='r')", args: [W], ours: () => nd.linalg.qr(W, 'r'), tol },
      { label: `${d} qr complete R`, expr: "np.linalg.qr(a0, mode='complete')[1]", args: [T], ours: () => nd.linalg.qr(T, 'complete').R, tol },
      { label: `${d} qr raw h`, expr: "np.linalg.qr(a0, mode='raw')[0]", args: [T], ours: () => nd.linalg.qr(T, 'raw').h, tol },
      { label: `${d} qr raw tau`, expr: "np.linalg.qr(a0, mode='raw')[1]", args: [T], ours: () => nd.linalg.qr(T, 'raw').tau, tol },
      {
        label: `${d} real a, complex b`,
        expr: 'np.linalg.solve(a0, a1)',
        args: [randn([5, 5], 28), b],
        ours: () => nd.linalg.solve(randn([5, 5], 28), b),
        tol,
      },
      {
        label: `${d} tensorsolve`,
        expr: 'np.linalg.tensorsolve(a0, a1)',
        args: [crandn([6, 2, 3], 29, d), crandn([6], 30, d)],
        ours: () => nd.linalg.tensorsolve(crandn([6, 2, 3], 29, d), crandn([6], 30, d)),
        tol,
      },
      {
        label: `${d} tensorinv`,
        expr: 'np.linalg.tensorinv(a0, 1)',
        args: [crandn([4, 2, 2], 31, d)],
        ours: () => nd.linalg.tensorinv(crandn([4, 2, 2], 31, d), 1),
        tol,
      },
    );
    // Past the 96-column blocks of LU, the blocked solves and Cholesky (their GEMM updates).
    const big = crandn([130, 130], 32, d);
    const bigH = hpd([130, 130], 33, d);
    const rhs = crandn([130, 3], 34, d);
    const tb = d === 'complex64' ? 5e-3 : 1e-9;
    cases.push(
      { label: `${d} solve 130x130`, expr: 'np.linalg.solve(a0, a1)', args: [big, rhs], ours: () => nd.linalg.solve(big, rhs), tol: tb },
      { label: `${d} inv 130x130`, expr: 'np.linalg.inv(a0)', args: [big], ours: () => nd.linalg.inv(big), tol: tb },
      { label: `${d} slogdet 130x130`, expr: 'np.linalg.slogdet(a0)[1]', args: [big], ours: () => nd.linalg.slogdet(big).logabsdet, tol: tb },
      { label: `${d} cholesky 130x130`, expr: 'np.linalg.cholesky(a0)', args: [bigH], ours: () => nd.linalg.cholesky(bigH), tol: tb },
      { label: `${d} eigvalsh 130x130`, expr: 'np.linalg.eigvalsh(a0)', args: [bigH], ours: () => nd.linalg.eigvalsh(bigH), tol: tb },
      {
        label: `${d} svdvals 130x60`,
        expr: 'np.linalg.svd(a0, compute_uv=False)',
        args: [big.slice(':', ':60')],
        ours: () => nd.linalg.svdvals(big.slice(':', ':60')),
        tol: tb,
      },
    );
    for (const mode of ['reduced', 'complete'] as const) {
      for (const x of [T, W, big.slice(':', ':100'), big.slice(':60')]) {
        const { Q, R } = nd.linalg.qr(x, mode);
        t.ok(unitErr(Q) < tol, `${d} qr ${mode} (${x.shape.join('x')}): Q unitary (${unitErr(Q).toExponential(1)})`);
        t.ok(cmax(nd.subtract(nd.matmul(Q, R), x)) < tol * 10, `${d} qr ${mode}: Q R = A`);
        t.deepEqual([Q.dtype, R.dtype], [d, d], `${d} qr ${mode}: dtypes`);
      }
    }
    const L = nd.linalg.cholesky(H);
    t.ok(cmax(nd.subtract(nd.matmul(L, ct(L)), H)) < tol * 100, `${d} cholesky: L L^H = A`);
  }
  runDiffs(t, cases);
  t.end();
});

test('complex eigh, eig, svd and the SVD-based routines: values as NumPy, factors by invariants', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: Diff[] = [];
  for (const d of ['complex128', 'complex64'] as const) {
    const tol = d === 'complex64' ? 5e-4 : 1e-10;
    const H = hpd([2, 7, 7], 41, d);
    const G = crandn([2, 6, 6], 42, d);
    const tall = crandn([2, 8, 5], 43, d);
    const wide = crandn([5, 9], 44, d);
    const rd = d === 'complex64' ? 'float32' : 'float64';
    // A Hermitian matrix that is not positive definite (eigh only needs Hermitian).
    const Hn = nd.add(crandn([6, 6], 45, d), ct(crandn([6, 6], 45, d)));
    cases.push(
      { label: `${d} eigvalsh`, expr: 'np.linalg.eigvalsh(a0)', args: [H], ours: () => nd.linalg.eigvalsh(H), tol },
      { label: `${d} eigvalsh indefinite, UPLO=U`, expr: "np.linalg.eigvalsh(a0, UPLO='U')", args: [Hn], ours: () => nd.linalg.eigvalsh(Hn, 'U'), tol },
      { label: `${d} eigh values`, expr: 'np.linalg.eigh(a0)[0]', args: [H], ours: () => nd.linalg.eigh(H).eigenvalues, tol },
      {
        label: `${d} eigvals of triangular (NumPy's order)`,
        expr: 'np.linalg.eigvals(np.triu(a0))',
        args: [G],
        ours: () => nd.linalg.eigvals(nd.multiply(G, nd.triu(nd.ones([6, 6], { dtype: 'float32' })))),
        tol,
      },
      { label: `${d} svdvals tall`, expr: 'np.linalg.svd(a0, compute_uv=False)', args: [tall], ours: () => nd.linalg.svdvals(tall), tol },
      { label: `${d} svd S wide`, expr: 'np.linalg.svd(a0)[1]', args: [wide], ours: () => nd.linalg.svd(wide).S, tol },
      { label: `${d} svd hermitian S`, expr: 'np.linalg.svd(a0, hermitian=True)[1]', args: [Hn], ours: () => nd.linalg.svd(Hn, { hermitian: true }).S, tol },
      { label: `${d} pinv`, expr: 'np.linalg.pinv(a0)', args: [tall], ours: () => nd.linalg.pinv(tall), tol },
      {
        label: `${d} lstsq x`,
        expr: 'np.linalg.lstsq(a0, a1)[0]',
        args: [tall.slice(0), crandn([8, 2], 46, d)],
        ours: () => nd.linalg.lstsq(tall.slice(0), crandn([8, 2], 46, d))[0],
        tol,
      },
      {
        label: `${d} lstsq residuals`,
        expr: 'np.linalg.lstsq(a0, a1)[1]',
        args: [tall.slice(0), crandn([8, 2], 46, d)],
        ours: () => nd.linalg.lstsq(tall.slice(0), crandn([8, 2], 46, d))[1],
        tol,
      },
      {
        label: `${d} lstsq s`,
        expr: 'np.linalg.lstsq(a0, a1)[3]',
        args: [tall.slice(0), crandn([8], 47, d)],
        ours: () => nd.linalg.lstsq(tall.slice(0), crandn([8], 47, d))[3],
        tol,
      },
      {
        label: `${d} matrix_rank (rank 3 of 5)`,
        expr: 'np.linalg.matrix_rank(a0[..., :3] @ a1)',
        args: [tall, crandn([3, 5], 48, d)],
        ours: () => nd.linalg.matrixRank(nd.matmul(tall.slice('...', ':3'), crandn([3, 5], 48, d))),
        tol: 0,
      },
      { label: `${d} matrix_rank full`, expr: 'np.linalg.matrix_rank(a0)', args: [tall], ours: () => nd.linalg.matrixRank(tall), tol: 0 },
      { label: `${d} cond`, expr: 'np.linalg.cond(a0)', args: [G], ours: () => nd.linalg.cond(G), tol: tol * 100 },
      { label: `${d} cond 'fro'`, expr: "np.linalg.cond(a0, 'fro')", args: [G], ours: () => nd.linalg.cond(G, 'fro'), tol: tol * 100 },
    );
    for (const ord of [undefined, 'fro', 'nuc', 1, -1, 2, -2, Infinity, -Infinity] as const) {
      const py = ord === undefined ? 'None' : typeof ord === 'string' ? `'${ord}'` : ord === Infinity ? 'np.inf' : ord === -Infinity ? '-np.inf' : String(ord);
      cases.push({
        label: `${d} matrix norm ord=${String(ord)}`,
        expr: `np.linalg.norm(a0, ord=${py}, axis=(1, 2))`,
        args: [G],
        ours: () => nd.linalg.norm(G, ord === undefined ? { axis: [1, 2] } : { ord, axis: [1, 2] }),
        tol,
      });
    }
    for (const ord of [undefined, 0, 1, 2, 3, Infinity, -Infinity] as const) {
      const py = ord === undefined ? 'None' : ord === Infinity ? 'np.inf' : ord === -Infinity ? '-np.inf' : String(ord);
      cases.push({
        label: `${d} vector norm ord=${String(ord)}`,
        expr: `np.linalg.norm(a0, ord=${py}, axis=-1)`,
        args: [G],
        ours: () => nd.linalg.norm(G, ord === undefined ? { axis: -1 } : { ord, axis: -1 }),
        tol,
      });
    }
    cases.push({ label: `${d} norm of everything`, expr: 'np.linalg.norm(a0)', args: [G], ours: () => nd.linalg.norm(G), tol });

    // eigh: A V = V diag(w), V unitary; dtypes.
    const { eigenvalues: w, eigenvectors: V } = nd.linalg.eigh(H);
    t.deepEqual([w.dtype, V.dtype], [rd, d], `${d} eigh dtypes`);
    t.ok(unitErr(V) < tol * 10, `${d} eigh: V unitary`);
    t.ok(cmax(nd.subtract(nd.matmul(H, V), nd.multiply(V, w.expandDims(-2)))) < tol * 100, `${d} eigh: A V = V diag(w)`);
    // eigvals as a set against NumPy's (the order of a general matrix's is not specified).
    sameSet(t, nd.linalg.eigvals(G), np([{ expr: 'np.linalg.eigvals(a0)', args: [G] }])[0]!, tol * 10, `${d} eigvals as a set`);
    // Past the 96-reflector blocks of Q's formation (eigh's and eig's back-transforms).
    for (const n of [110]) {
      const Hb = hpd([n, n], 50, d);
      const Gb = crandn([n, n], 51, d);
      const eb = nd.linalg.eigh(Hb);
      t.ok(
        cmax(nd.subtract(nd.matmul(Hb, eb.eigenvectors), nd.multiply(eb.eigenvectors, eb.eigenvalues.expandDims(-2)))) < tol * 1e3 &&
          unitErr(eb.eigenvectors) < tol * 10,
        `${d} eigh ${n}x${n}: A V = V diag(w), V unitary`,
      );
      const gb = nd.linalg.eig(Gb);
      t.ok(
        cmax(nd.subtract(nd.matmul(Gb, gb.eigenvectors), nd.multiply(gb.eigenvectors, gb.eigenvalues.expandDims(-2)))) < tol * 1e3,
        `${d} eig ${n}x${n}: A v = λ v`,
      );
    }
    // eig: A v = λ v per column, unit norm, largest component real.
    const { eigenvalues: l, eigenvectors: E } = nd.linalg.eig(G);
    t.deepEqual([l.dtype, E.dtype], [d, d], `${d} eig dtypes`);
    t.ok(cmax(nd.subtract(nd.matmul(G, E), nd.multiply(E, l.expandDims(-2)))) < tol * 100, `${d} eig: A v = λ v`);
    const norms = nd.linalg.norm(E, { axis: -2 });
    t.ok(cmax(nd.subtract(norms, 1)) < tol, `${d} eig: unit vectors`);
    // svd: U S Vh = A, U and Vh unitary, in both shapes and both modes.
    for (const x of [tall, wide, crandn([130, 100], 49, d)]) {
      for (const full of [true, false]) {
        const { U, S, Vh } = nd.linalg.svd(x, { fullMatrices: full });
        const k = S.shape[S.ndim - 1]!;
        const us = nd.multiply(U.slice('...', `:${k}`), S.expandDims(-2));
        t.ok(cmax(nd.subtract(nd.matmul(us, Vh.slice('...', `:${k}`, ':')), x)) < tol * 10, `${d} svd ${x.shape.join('x')} full=${full}: U S Vh = A`);
        t.ok(unitErr(U) < tol * 10 && unitErr(ct(Vh)) < tol * 10, `${d} svd ${x.shape.join('x')} full=${full}: U, Vh unitary`);
        t.deepEqual([U.dtype, S.dtype, Vh.dtype], [d, rd, d], `${d} svd dtypes`);
      }
    }
    const hs = nd.linalg.svd(Hn, { hermitian: true });
    const rec = nd.matmul(nd.multiply(hs.U, hs.S.expandDims(-2)), hs.Vh);
    t.ok(cmax(nd.subtract(rec, Hn)) < tol * 100, `${d} svd hermitian: U S Vh = A`);
  }
  runDiffs(t, cases);
  t.end();
});

test('complex eig of a badly scaled matrix (balanced as zgeev): values as NumPy, A v = λ v', (t) => {
  if (skipWithoutNumpy(t)) return;
  const a = nd.array([
    [nd.complex(1, 0), nd.complex(1e6, 0), nd.complex(0, 1e-6)],
    [nd.complex(1e-6, 0), nd.complex(2, 1), nd.complex(3, 0)],
    [nd.complex(1e6, 1), nd.complex(0, 0), nd.complex(1, 1)],
  ]);
  const r = nd.linalg.eig(a);
  sameSet(t, r.eigenvalues, np([{ expr: 'np.linalg.eigvals(a0)', args: [a] }])[0]!, 1e-13, 'eigenvalues');
  const res = cmax(nd.subtract(nd.matmul(a, r.eigenvectors), nd.multiply(r.eigenvectors, r.eigenvalues.expandDims(-2))));
  t.ok(res < 1e-13 * cmax(a), `A v = λ v relative to |A| (${res.toExponential(1)})`);
  t.end();
});

test("complex linalg: NumPy's LinAlgError cases, empty stacks", (t) => {
  const sing = nd.array([
    [nd.complex(1, 1), nd.complex(2, 2)],
    [nd.complex(2, 2), nd.complex(4, 4)],
  ]);
  throwsCode(t, () => nd.linalg.solve(sing, [nd.complex(1, 0), 2]), 'ERR_NDSHARE_LINALG', 'solve singular');
  throwsCode(t, () => nd.linalg.inv(sing), 'ERR_NDSHARE_LINALG', 'inv singular');
  throwsCode(t, () => nd.linalg.cholesky(crandn([3, 3], 51)), 'ERR_NDSHARE_LINALG', 'cholesky of a non-Hermitian-PD matrix');
  throwsCode(t, () => nd.linalg.cholesky(nd.multiply(hpd([3, 3], 52), -1)), 'ERR_NDSHARE_LINALG', 'cholesky of a negative definite matrix');
  throwsCode(t, () => nd.linalg.eig(nd.array([[nd.complex(NaN, 0)]])), 'ERR_NDSHARE_LINALG', 'eig of NaN');
  throwsCode(t, () => nd.linalg.svd(nd.array([[nd.complex(Infinity, 0), 1]])), 'ERR_NDSHARE_LINALG', 'svd of Inf');
  throwsCode(t, () => nd.linalg.inv(crandn([2, 3], 53)), 'ERR_NDSHARE_LINALG', 'inv of a non-square matrix');
  const s = nd.linalg.slogdet(sing);
  t.deepEqual([s.sign.item(), s.logabsdet.item()], [{ re: 0, im: 0 }, -Infinity], 'slogdet of a singular matrix: 0, -inf');
  t.deepEqual(nd.linalg.det(sing).item(), { re: 0, im: 0 }, 'det of a singular matrix');
  const e = nd.zeros([0, 3, 3], { dtype: 'complex64' });
  t.deepEqual([nd.linalg.inv(e).shape, nd.linalg.inv(e).dtype], [[0, 3, 3], 'complex64'], 'inv of an empty stack');
  t.deepEqual(nd.linalg.det(e).shape, [0], 'det of an empty stack');
  t.deepEqual(nd.linalg.eigvalsh(e).dtype, 'float32', 'eigvalsh of an empty complex64 stack is float32');
  t.deepEqual(nd.linalg.svd(e).S.shape, [0, 3], 'svd of an empty stack');
  t.deepEqual(nd.linalg.eig(e).eigenvalues.shape, [0, 3], 'eig of an empty stack');
  const z = nd.linalg.eigh(nd.zeros([0, 0], { dtype: 'complex128' }));
  t.deepEqual([z.eigenvalues.shape, z.eigenvectors.shape], [[0], [0, 0]], 'eigh of a 0x0 matrix');
  t.end();
});
