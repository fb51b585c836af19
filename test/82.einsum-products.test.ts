// einsum / einsumPath and the tensor products (tensordot, inner, outer, kron,
// vdot, trace, and the Array API members of nd.linalg) against NumPy 2:
// explicit and implicit outputs, ellipsis with broadcasting, repeated indices
// (diagonals and traces), both contraction orders, integer dtypes exact.
import test from 'tape';
import * as nd from '../src/index.js';
import { skipWithoutNumpy } from './helpers/numpy-diff.js';
import { close, np, randn, throwsCode } from './helpers/linalg.js';

test('einsum: explicit/implicit, ellipsis, diagonals, optimize on and off', (t) => {
  if (skipWithoutNumpy(t)) return;
  const A = randn([3, 4], 1);
  const B = randn([4, 5], 2);
  const C = randn([5, 2], 3);
  const S = randn([4, 4], 4);
  const T = randn([2, 3, 4], 5);
  const U = randn([2, 4, 3], 6);
  const v = randn([4], 7);
  const w = randn([3], 8);
  const E = randn([5, 1, 3, 4], 9);
  const I = nd.array(
    [
      [1, 2],
      [3, 4],
    ],
    { dtype: 'int32' },
  );
  const J = nd.array(
    [
      [5, 6],
      [7, 8],
    ],
    { dtype: 'int32' },
  );
  const specs: [string, nd.NDArray[]][] = [
    ['ij,jk->ik', [A, B]],
    ['ij,jk', [A, B]],
    ['ij,jk,kl->il', [A, B, C]],
    ['ij,jk,kl', [A, B, C]],
    ['ii', [S]],
    ['ii->i', [S]],
    ['ij->ji', [A]],
    ['ij', [A]],
    ['ji', [A]],
    ['ij->', [A]],
    ['i,i', [v, v]],
    ['i,j->ij', [v, w]],
    ['i,j', [v, w]],
    ['bij,bjk->bik', [T, U]],
    ['...ij,...jk->...ik', [T, U]],
    ['...j,j', [A, v]],
    ['ij,ij->i', [A, A]],
    ['ij,ij->j', [A, A]],
    ['ij,ij', [A, A]],
    ['bij->b', [T]],
    ['...ij->...ji', [E]],
    ['i...,i...->...', [A, A]],
    ['jik,jil->kl', [T.transpose([1, 0, 2]).copy(), randn([3, 2, 5], 10)]],
    ['ij,jk->ik', [I, J]],
    ['ii->', [I]],
    ['ab,bc,cd,de->ae', [randn([2, 30], 11), randn([30, 40], 12), randn([40, 3], 13), randn([3, 6], 14)]],
  ];
  const res = np(specs.map(([s, ops]) => ({ expr: `np.einsum('${s}', ${ops.map((_, i) => `a${i}`).join(', ')})`, args: ops })));
  specs.forEach(([s, ops], i) => {
    close(t, nd.einsum(s, ...ops), res[i]!, 1e-12, `einsum ${s}`);
    close(t, nd.einsum(s, ...ops, { optimize: true }), res[i]!, 1e-12, `einsum ${s} optimize`);
  });
  const [path, report] = nd.einsumPath('ab,bc,cd,de->ae', ...specs[specs.length - 1]![1], { optimize: 'greedy' });
  t.equal(path[0], 'einsum_path', 'einsumPath starts with einsum_path');
  t.equal(path.length, 4, 'einsumPath: three pairwise contractions');
  t.ok(report.includes('Complete contraction:  ab,bc,cd,de->ae'), 'einsumPath report');
  throwsCode(t, () => nd.einsum('ij,jk->ik', A, A), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'mismatched sizes');
  throwsCode(t, () => nd.einsum('ij,jk->ik', A), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'too few operands');
  throwsCode(t, () => nd.einsum('ij->ii', A), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'repeated output');
  throwsCode(t, () => nd.einsum('ij->k', A), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'unknown output letter');
  throwsCode(t, () => nd.einsum('ijk', A), 'ERR_NDSHARE_INVALID_ARG_VALUE', 'too many subscripts');
  t.end();
});

test('tensordot, inner, outer, kron, vdot, trace', (t) => {
  if (skipWithoutNumpy(t)) return;
  const a = randn([3, 4, 5], 20);
  const b = randn([4, 5, 2], 21);
  const c = randn([5, 3], 22);
  const m = randn([3, 4], 23);
  const x = randn([4], 24);
  const i1 = nd.array(
    [
      [1, 2],
      [3, 4],
    ],
    { dtype: 'int16' },
  );
  const i2 = nd.array(
    [
      [0, 5],
      [6, 7],
    ],
    { dtype: 'int16' },
  );
  const cases = [
    { label: 'tensordot axes=2', expr: 'np.tensordot(a0, a1)', args: [a, b], ours: () => nd.tensordot(a, b) },
    { label: 'tensordot axes=1', expr: 'np.tensordot(a0, a1, axes=1)', args: [a, c], ours: () => nd.tensordot(a, c, 1) },
    { label: 'tensordot axes=0', expr: 'np.tensordot(a0, a1, axes=0)', args: [m, x], ours: () => nd.tensordot(m, x, 0) },
    {
      label: 'tensordot axis lists',
      expr: 'np.tensordot(a0, a1, axes=([0, 2], [1, 0]))',
      args: [a, c],
      ours: () =>
        nd.tensordot(a, c, [
          [0, 2],
          [1, 0],
        ]),
    },
    { label: 'linalg.tensordot', expr: 'np.linalg.tensordot(a0, a1)', args: [a, b], ours: () => nd.linalg.tensordot(a, b) },
    { label: 'inner 1-D', expr: 'np.inner(a0, a0)', args: [x], ours: () => nd.inner(x, x) },
    { label: 'inner N-D', expr: 'np.inner(a0, a1)', args: [a, randn([2, 5], 25)], ours: () => nd.inner(a, randn([2, 5], 25)) },
    { label: 'inner scalar', expr: 'np.inner(a0, 3.0)', args: [m], ours: () => nd.inner(m, 3.0) },
    { label: 'outer', expr: 'np.outer(a0, a1)', args: [m, x], ours: () => nd.outer(m, x) },
    { label: 'linalg.outer', expr: 'np.linalg.outer(a0, a1)', args: [x, x], ours: () => nd.linalg.outer(x, x) },
    { label: 'kron 2-D', expr: 'np.kron(a0, a1)', args: [m, c], ours: () => nd.kron(m, c) },
    { label: 'kron mixed ndim', expr: 'np.kron(a0, a1)', args: [x, m], ours: () => nd.kron(x, m) },
    { label: 'kron int16', expr: 'np.kron(a0, a1)', args: [i1, i2], ours: () => nd.kron(i1, i2) },
    { label: 'vdot', expr: 'np.vdot(a0, a1)', args: [m, randn([4, 3], 26)], ours: () => nd.vdot(m, randn([4, 3], 26)) },
    { label: 'trace', expr: 'np.trace(a0)', args: [m], ours: () => nd.trace(m) },
    { label: 'trace offset', expr: 'np.trace(a0, offset=1)', args: [m], ours: () => nd.trace(m, { offset: 1 }) },
    { label: 'trace offset -2', expr: 'np.trace(a0, offset=-2)', args: [m], ours: () => nd.trace(m, { offset: -2 }) },
    { label: 'trace axes', expr: 'np.trace(a0, axis1=1, axis2=2)', args: [a], ours: () => nd.trace(a, { axis1: 1, axis2: 2 }) },
    { label: 'trace int16 -> int64', expr: 'np.trace(a0)', args: [i1], ours: () => nd.trace(i1) },
    { label: 'linalg.trace', expr: 'np.linalg.trace(a0)', args: [a], ours: () => nd.linalg.trace(a) },
    { label: 'linalg.diagonal', expr: 'np.linalg.diagonal(a0, offset=1)', args: [a], ours: () => nd.linalg.diagonal(a, { offset: 1 }) },
    { label: 'linalg.matrix_transpose', expr: 'np.linalg.matrix_transpose(a0)', args: [a], ours: () => nd.linalg.matrixTranspose(a) },
    {
      label: 'linalg.cross',
      expr: 'np.linalg.cross(a0, a1)',
      args: [randn([4, 3], 27), randn([3], 28)],
      ours: () => nd.linalg.cross(randn([4, 3], 27), randn([3], 28)),
    },
    { label: 'linalg.vecdot', expr: 'np.linalg.vecdot(a0, a1)', args: [m, randn([4], 29)], ours: () => nd.linalg.vecdot(m, randn([4], 29)) },
    { label: 'linalg.vecdot axis 0', expr: 'np.linalg.vecdot(a0, a1, axis=0)', args: [m, m], ours: () => nd.linalg.vecdot(m, m, { axis: 0 }) },
    { label: 'linalg.matmul', expr: 'np.linalg.matmul(a0, a1)', args: [m, x], ours: () => nd.linalg.matmul(m, x) },
  ];
  const res = np(cases);
  cases.forEach((c, i) => close(t, c.ours(), res[i]!, 1e-12, c.label));
  throwsCode(t, () => nd.tensordot(a, b, 1), 'ERR_NDSHARE_SHAPE_MISMATCH', 'tensordot mismatch');
  throwsCode(t, () => nd.vdot([1, 2], [1, 2, 3]), 'ERR_NDSHARE_SHAPE_MISMATCH', 'vdot lengths');
  throwsCode(t, () => nd.linalg.cross([1, 2], [3, 4]), 'ERR_NDSHARE_SHAPE_MISMATCH', 'cross of 2-vectors');
  t.end();
});
