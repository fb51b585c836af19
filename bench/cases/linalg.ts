/**
 * nd.linalg and einsum against NumPy (issue 13's table): solve, inv, det,
 * cholesky and qr of 1000x1000 float64; svd and eigh of 500x500; norm (2-norm
 * of a 1000x1000 matrix flattened); einsum('bij,bjk->bik') on 64x128x128 and
 * einsum('ij,ij->i') on 1000x1000. Inputs are seeded uniform draws in [-1, 1)
 * (cholesky: A A^T / n + I; eigh: A + A^T), as the NumPy twins
 * (bench/numpy/cases.py). Each result is shape-checked inside the timed loop.
 */
import { main, measure, result, type Case } from '../harness.js';
import * as nd from '../../src/index.js';
import { resultOf } from '../../src/fft/complex.js';

function input(shape: number[], seed: number): nd.NDArray {
  return nd.random.uniform(shape, { low: -1, high: 1, seed });
}

function shapeIs(r: nd.NDArray, shape: number[], what: string): void {
  if (r.shape.length !== shape.length || r.shape.some((d, i) => d !== shape[i])) throw new Error(`${what}: shape ${r.shape}`);
}

const cases: Record<string, Case> = {};
const N = 1000;
const M = 500;

const one = (name: string, make: () => nd.NDArray, run: (a: nd.NDArray) => nd.NDArray, shape: number[], op: string, n: number): void => {
  cases[name] = () => {
    const a = make();
    const m = measure(
      name,
      () => run(a),
      (r) => shapeIs(r, shape, name),
    );
    return result(name, m, { n, dtype: 'float64', per: 'op', op });
  };
};

one(
  'linalg-solve-1000',
  () => input([N, N], 1),
  (a) => nd.linalg.solve(a, nd.ones([N])),
  [N],
  'nd.linalg.solve(a, b)',
  N,
);
one(
  'linalg-inv-1000',
  () => input([N, N], 1),
  (a) => nd.linalg.inv(a),
  [N, N],
  'nd.linalg.inv(a)',
  N,
);
one(
  'linalg-det-1000',
  () => input([N, N], 1),
  (a) => nd.linalg.det(a),
  [],
  'nd.linalg.det(a)',
  N,
);
one(
  'linalg-cholesky-1000',
  () => {
    const a = input([N, N], 2);
    return nd.add(nd.divide(nd.matmul(a, a.T), N), nd.eye(N));
  },
  (a) => nd.linalg.cholesky(a),
  [N, N],
  'nd.linalg.cholesky(a)',
  N,
);
one(
  'linalg-qr-1000',
  () => input([N, N], 3),
  (a) => nd.linalg.qr(a).R,
  [N, N],
  'nd.linalg.qr(a)',
  N,
);
one(
  'linalg-svd-500',
  () => input([M, M], 4),
  (a) => nd.linalg.svd(a).S,
  [M],
  'nd.linalg.svd(a)',
  M,
);
// More SVD sizes (issue 13, deliverable 4): square 100 and 1000, and a tall 2000x200 with
// fullMatrices false (QR first, then the SVD of R).
for (const [name, shape, full] of [
  ['linalg-svd-100', [100, 100], true],
  ['linalg-svd-1000', [1000, 1000], true],
  ['linalg-svd-2000x200', [2000, 200], false],
] as const) {
  one(
    name,
    () => input([...shape], 11),
    (a) => nd.linalg.svd(a, { fullMatrices: full }).S,
    [Math.min(...shape)],
    full ? 'nd.linalg.svd(a)' : 'nd.linalg.svd(a, { fullMatrices: false })',
    shape[0],
  );
}
one(
  'linalg-svdvals-500',
  () => input([M, M], 4),
  (a) => nd.linalg.svdvals(a),
  [M],
  'nd.linalg.svdvals(a)',
  M,
);
one(
  'linalg-eigh-500',
  () => {
    const a = input([M, M], 5);
    return nd.add(a, a.T);
  },
  (a) => nd.linalg.eigh(a).eigenvalues,
  [M],
  'nd.linalg.eigh(a)',
  M,
);
one(
  'linalg-norm-1000',
  () => input([N, N], 6),
  (a) => nd.linalg.norm(a),
  [],
  'nd.linalg.norm(a)',
  N,
);
cases['linalg-einsum-bmm'] = () => {
  const a = input([64, 128, 128], 7);
  const b = input([64, 128, 128], 8);
  const m = measure(
    'linalg-einsum-bmm',
    () => nd.einsum('bij,bjk->bik', a, b),
    (r) => shapeIs(r, [64, 128, 128], 'einsum'),
  );
  return result('linalg-einsum-bmm', m, { n: 64, dtype: 'float64', per: 'op', op: "nd.einsum('bij,bjk->bik', a, b)" });
};
cases['linalg-einsum-rowdot'] = () => {
  const a = input([N, N], 9);
  const b = input([N, N], 10);
  const m = measure(
    'linalg-einsum-rowdot',
    () => nd.einsum('ij,ij->i', a, b),
    (r) => shapeIs(r, [N], 'einsum'),
  );
  return result('linalg-einsum-rowdot', m, { n: N, dtype: 'float64', per: 'op', op: "nd.einsum('ij,ij->i', a, b)" });
};

// Complex128 rows (issue 13, complex matrices): inputs as bench/cases/fft.ts builds them (uniform pairs),
// the NumPy twins use _c in bench/numpy/cases.py. eigh: A + A^H.
function cinput(shape: number[], seed: number): nd.NDArray {
  return resultOf({ a: input([...shape, 2], seed), complex: true });
}
const cone = (name: string, make: () => nd.NDArray[], run: (x: nd.NDArray[]) => nd.NDArray, shape: number[], op: string, n: number): void => {
  cases[name] = () => {
    const x = make();
    const m = measure(
      name,
      () => run(x),
      (r) => shapeIs(r, shape, name),
    );
    return result(name, m, { n, dtype: 'complex128', per: 'op', op });
  };
};
for (const n of [256, 512]) {
  cone(
    `linalg-zmatmul-${n}`,
    () => [cinput([n, n], 11), cinput([n, n], 12)],
    ([a, b]) => nd.matmul(a!, b!),
    [n, n],
    'nd.matmul(a, b) complex128',
    n,
  );
}
cone(
  'linalg-zsolve-500',
  () => [cinput([M, M], 13)],
  ([a]) => nd.linalg.solve(a!, nd.ones([M])),
  [M],
  'nd.linalg.solve(a, b) complex128',
  M,
);
cone(
  'linalg-zeigh-300',
  () => {
    const a = cinput([300, 300], 14);
    return [nd.add(a, nd.conj(a.T))];
  },
  ([a]) => nd.linalg.eigh(a!).eigenvalues,
  [300],
  'nd.linalg.eigh(a) complex128',
  300,
);

await main(cases);
