// nd.linalg.eig / eigvals / nd.roots against NumPy 2 for general real matrices:
// eigenvalues as NumPy's (in NumPy's order where LAPACK's is deterministic: the
// 2x2 and triangular cases; as a sorted set otherwise), real results for real
// spectra and complex ones otherwise (float32 -> float32/complex64), batched
// stacks, repeated and defective eigenvalues; eigenvectors judged by
// A v = lambda v, unit norm, and (for distinct eigenvalues) agreement with
// NumPy's up to a unit factor; errors as NumPy raises them.
import test from 'tape';
import * as nd from '../src/index.js';
import type { NDArray } from '../src/index.js';
import { skipWithoutNumpy } from './helpers/numpy-diff.js';
import { close, np, randn, throwsCode, vals, value } from './helpers/linalg.js';

/** Complex entries of a (real or complex) array, row-major, as [re, im] pairs. */
function pairs(x: NDArray): [number, number][] {
  const c = x.astype('complex128').copy();
  const d = c.data as Float64Array;
  return Array.from({ length: c.size }, (_, i) => [d[2 * i]!, d[2 * i + 1]!]);
}

/** max over columns of |A v - lambda v| / max(1, |A|), and the worst | |v| - 1 |, for one n x n matrix. */
function residual(a: number[], w: [number, number][], v: [number, number][], n: number): { res: number; norm: number } {
  let res = 0;
  let norm = 0;
  const scale = Math.max(1, ...a.map(Math.abs));
  for (let p = 0; p < n; p++) {
    let len = 0;
    for (let i = 0; i < n; i++) {
      let sr = 0;
      let si = 0;
      for (let j = 0; j < n; j++) {
        sr += a[i * n + j]! * v[j * n + p]![0];
        si += a[i * n + j]! * v[j * n + p]![1];
      }
      const [vr, vi] = v[i * n + p]!;
      const [lr, li] = w[p]!;
      res = Math.max(res, Math.hypot(sr - (lr * vr - li * vi), si - (lr * vi + li * vr)) / scale);
      len += vr * vr + vi * vi;
    }
    norm = Math.max(norm, Math.abs(Math.sqrt(len) - 1));
  }
  return { res, norm };
}

const sortKey = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];

test('eig: values as NumPy, vectors by A v = λ v and unit norm, real or complex as NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const mats: { label: string; a: NDArray; ordered: boolean }[] = [
    {
      label: '2x2 real spectrum',
      a: nd.array([
        [1, 2],
        [3, 4],
      ]),
      ordered: true,
    },
    {
      label: 'rotation',
      a: nd.array([
        [0, -1],
        [1, 0],
      ]),
      ordered: true,
    },
    {
      label: 'upper triangular',
      a: nd.array([
        [1, 5, 2],
        [0, 3, 7],
        [0, 0, -2],
      ]),
      ordered: true,
    },
    { label: 'identity (repeated)', a: nd.eye(4), ordered: true },
    {
      label: 'defective Jordan block',
      a: nd.array([
        [2, 1],
        [0, 2],
      ]),
      ordered: true,
    },
    { label: 'random 6x6', a: randn([6, 6], 840), ordered: false },
    { label: 'random 25x25', a: randn([25, 25], 841), ordered: false },
    { label: 'batched 3 x 4x4', a: randn([3, 4, 4], 842), ordered: false },
    { label: 'transposed view', a: randn([5, 5], 843).T, ordered: false },
    {
      label: 'int input',
      a: nd.array(
        [
          [4, 1, 0],
          [1, 3, -2],
          [7, 0, 1],
        ],
        { dtype: 'int32' },
      ),
      ordered: false,
    },
  ];
  const res = np(
    mats.map(({ a, ordered }) => ({
      // Real and imaginary parts (NumPy's order, or sorted by (re, im)), and whether the result is complex.
      expr: ordered
        ? 'np.stack([np.linalg.eigvals(a0).real, np.linalg.eigvals(a0).imag, np.full(a0.shape[:-1], np.iscomplexobj(np.linalg.eigvals(a0)))])'
        : 'np.stack([np.sort_complex(np.linalg.eigvals(a0)).real, np.sort_complex(np.linalg.eigvals(a0)).imag, np.full(a0.shape[:-1], np.iscomplexobj(np.linalg.eigvals(a0)))])',
      args: [a],
    })),
  );
  mats.forEach(({ label, a, ordered }, k) => {
    const want = value(res[k]!);
    const { eigenvalues: w, eigenvectors: v } = nd.linalg.eig(a);
    const n = a.shape[a.ndim - 1]!;
    const count = a.size / (n * n);
    const wantComplex = vals(want.index(2) as NDArray)[0] === 1;
    t.equal(w.dtype, wantComplex ? 'complex128' : 'float64', `${label}: eigenvalues dtype ${w.dtype}`);
    t.equal(v.dtype, w.dtype, `${label}: eigenvectors have the eigenvalues' dtype`);
    t.deepEqual(v.shape, [...a.shape], `${label}: vectors shape`);
    const wp = pairs(w);
    const vp = pairs(v);
    const av = vals(a.astype('float64').copy());
    for (let b = 0; b < count; b++) {
      const wb = wp.slice(b * n, (b + 1) * n);
      const got = ordered ? wb : [...wb].sort(sortKey);
      const wr = vals(want.index(0) as NDArray).slice(b * n, (b + 1) * n);
      const wi = vals(want.index(1) as NDArray).slice(b * n, (b + 1) * n);
      let err = 0;
      got.forEach(([re, im], i) => (err = Math.max(err, Math.hypot(re - wr[i]!, im - wi[i]!))));
      t.ok(err <= 1e-10 * Math.max(1, ...wr.map(Math.abs)), `${label}[${b}]: eigenvalues ${ordered ? 'in order' : 'as a set'} (err ${err.toExponential(1)})`);
      const { res: r, norm } = residual(av.slice(b * n * n, (b + 1) * n * n), wb, vp.slice(b * n * n, (b + 1) * n * n), n);
      t.ok(r < 1e-12 * n, `${label}[${b}]: |A v - λ v| ${r.toExponential(1)}`);
      t.ok(norm < 1e-12, `${label}[${b}]: unit vectors`);
    }
  });
  // Repeated eigenvalues: independent vectors (the identity's are the identity).
  close(t, nd.linalg.eig(nd.eye(3)).eigenvectors, nd.eye(3), 0, 'identity: eigenvectors are e_i');
  t.end();
});

test('eig: vectors agree with NumPy up to a unit factor (distinct eigenvalues)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const a = randn([8, 8], 850);
  // |<v_ours, v_numpy>| = 1 for each column when both are unit vectors of the same eigenvalue.
  const [r] = np([{ expr: 'np.abs(np.einsum("ij,ij->j", np.linalg.eig(a0).eigenvectors.conj(), a1))', args: [a, nd.linalg.eig(a).eigenvectors] }]);
  const overlap = vals(value(r!));
  t.ok(
    overlap.every((o) => Math.abs(o - 1) < 1e-10),
    `|<v, v_numpy>| = 1 for every column (worst ${Math.max(...overlap.map((o) => Math.abs(o - 1))).toExponential(1)})`,
  );
  t.end();
});

test('eig/eigvals: float32, empty, errors; roots real or complex as NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const f32 = nd.array(
    [
      [0, -2],
      [2, 0],
    ],
    { dtype: 'float32' },
  );
  t.equal(nd.linalg.eig(f32).eigenvalues.dtype, 'complex64', 'float32 with a complex spectrum: complex64');
  t.equal(
    nd.linalg.eigvals(
      nd.array(
        [
          [1, 0],
          [0, 2],
        ],
        { dtype: 'float32' },
      ),
    ).dtype,
    'float32',
    'float32 with a real spectrum: float32',
  );
  const e = nd.linalg.eig(nd.zeros([0, 0]));
  t.deepEqual([e.eigenvalues.shape, e.eigenvectors.shape], [[0], [0, 0]], 'a 0x0 matrix: empty results');
  throwsCode(t, () => nd.linalg.eig(nd.zeros([2, 3])), 'ERR_NDSHARE_LINALG', 'non-square');
  throwsCode(
    t,
    () =>
      nd.linalg.eig([
        [1, Infinity],
        [0, 1],
      ]),
    'ERR_NDSHARE_LINALG',
    'Inf',
  );
  throwsCode(t, () => nd.linalg.eigvals([[NaN]]), 'ERR_NDSHARE_LINALG', 'NaN');
  // Complex input is supported (test/94): a complex zero matrix has complex zero eigenvalues.
  t.equal(nd.linalg.eig(nd.zeros([2, 2], { dtype: 'complex128' })).eigenvalues.dtype, 'complex128', 'complex input: complex eigenvalues');
  const polys = [
    [1, 0, 1],
    [1, -3, 2],
    [1, 0, 1, 0, 0],
    [2, 3, 4, 5, 6, 7],
    [0, 0, 1, -1],
  ];
  const res = np(polys.map((p) => ({ expr: 'np.stack([np.sort_complex(np.roots(a0)).real, np.sort_complex(np.roots(a0)).imag])', args: [nd.array(p)] })));
  polys.forEach((p, k) => {
    const got = pairs(nd.roots(p)).sort(sortKey);
    const want = value(res[k]!);
    const wr = vals(want.index(0) as NDArray);
    const wi = vals(want.index(1) as NDArray);
    let err = 0;
    got.forEach(([re, im], i) => (err = Math.max(err, Math.hypot(re - wr[i]!, im - wi[i]!))));
    t.ok(got.length === wr.length && err < 1e-10, `roots(${p.join(', ')}): ${got.length} roots as NumPy's (err ${err.toExponential(1)})`);
  });
  t.equal(nd.roots([1, 0, 1]).dtype, 'complex128', 'complex roots: complex128');
  t.equal(nd.roots([1, -3, 2]).dtype, 'float64', 'real roots: float64');
  t.end();
});
