/**
 * k-means (Lloyd's algorithm), ported from NumPy line by line: fancy indexing
 * (`C[labels]`-style `X[choice]`, `C[nz] = ...`), `bincount`, `add.at`,
 * `argmin`, and the distance matrix through one matrix product.
 *
 * The NumPy original (bench/numpy/cases.py times it beside this port):
 *
 * ```python
 * def kmeans(X, k, iters, seed):
 *     rng = np.random.default_rng(seed)
 *     C = X[rng.choice(len(X), k, replace=False)]
 *     x2 = (X ** 2).sum(1)[:, None]
 *     for _ in range(iters):
 *         d = x2 - 2 * (X @ C.T) + (C ** 2).sum(1)
 *         labels = d.argmin(1)
 *         counts = np.bincount(labels, minlength=k)
 *         sums = np.zeros_like(C)
 *         np.add.at(sums, labels, X)
 *         nz = counts > 0
 *         C[nz] = sums[nz] / counts[nz][:, None]
 *     return C, labels
 * ```
 *
 * `npm run example:kmeans` clusters 200,000 points of 8 dimensions around 16
 * centres, then again with the assignment step (the distance matrix and its
 * argmin, the bulk of the work) split over a pool of worker processes, which
 * read X and C from the shared store without a copy.
 *
 * @module
 */
import * as nd from '../src/index.js';

/** The result of {@link kmeans}: the centres (k, d) and each point's cluster (int64). */
export interface KMeans {
  C: nd.NDArray<'float64'>;
  labels: nd.NDArray;
}

/** The update step: new centres from the labels (a cluster left empty keeps its centre). */
function update(X: nd.NDArray, C: nd.NDArray<'float64'>, labels: nd.NDArray, k: number): void {
  const counts = nd.bincount(labels, { minlength: k });
  const sums = nd.zerosLike(C);
  nd.add.at(sums, labels, X);
  const nz = nd.greater(counts, 0);
  C.setIndex(nz, nd.divide(sums.index(nz), counts.index(nz).index(':', null)));
}

/** `x2 - 2 * (X @ C.T) + (C ** 2).sum(1)`, then its argmin per row. */
function assign(X: nd.NDArray, x2: nd.NDArray, C: nd.NDArray): nd.NDArray {
  const d = nd.add(nd.subtract(x2, nd.multiply(2, nd.matmul(X, C.T))), nd.sum(nd.square(C), { axis: 1 }));
  return nd.argmin(d, { axis: 1 });
}

/** k-means of the rows of X (n, d), `iters` rounds, NumPy's initial choice for the same seed. */
export function kmeans(X: nd.NDArray, k: number, iters: number, seed: number): KMeans {
  const rng = nd.random.defaultRng(seed);
  const C = X.index(rng.choice(X.shape[0]!, k, { replace: false })).astype('float64');
  const x2 = nd.sum(nd.square(X), { axis: 1 }).index(':', null);
  let labels = nd.zeros([X.shape[0]!], { dtype: 'int64' }) as nd.NDArray;
  for (let it = 0; it < iters; it++) {
    labels = assign(X, x2, C);
    update(X, C, labels, k);
  }
  return { C, labels };
}

/**
 * The same with the assignment step on a pool: each worker takes a band of
 * rows of X (a view of the shared store) and returns its labels.
 */
export async function kmeansPool(pool: nd.Pool, X: nd.NDArray, k: number, iters: number, seed: number): Promise<KMeans> {
  const rng = nd.random.defaultRng(seed);
  const C = X.index(rng.choice(X.shape[0]!, k, { replace: false })).astype('float64');
  const n = X.shape[0]!;
  const bands = pool.stats().workers.length;
  let labels = nd.zeros([n], { dtype: 'int64' }) as nd.NDArray;
  for (let it = 0; it < iters; it++) {
    const parts = await Promise.all(
      Array.from({ length: bands }, (_, b) =>
        pool.run<nd.NDArray>({
          fn: (Xs: nd.NDArray, Cs: nd.NDArray, lo: number, hi: number, ctx: nd.TaskContext) => {
            const q = ctx.nd;
            const band = Xs.slice(`${lo}:${hi}`);
            const x2 = q.sum(q.square(band), { axis: 1 }).index(':', null);
            const d = q.add(q.subtract(x2, q.multiply(2, q.matmul(band, Cs.T))), q.sum(q.square(Cs), { axis: 1 }));
            return q.argmin(d, { axis: 1 });
          },
          args: [X, C, Math.floor((n * b) / bands), Math.floor((n * (b + 1)) / bands)],
        }),
      ),
    );
    labels = nd.concatenate(parts);
    for (const p of parts) pool.store.release(p);
    update(X, C, labels, k);
  }
  return { C, labels };
}

/** Points around `k` centres on a grid, in `dims` dimensions (seeded). */
export function blobs(n: number, dims: number, k: number, seed: number): nd.NDArray<'float64'> {
  const rng = nd.random.defaultRng(seed);
  const centres = nd.multiply(10, rng.standardNormal([k, dims])) as nd.NDArray<'float64'>;
  const which = rng.integers(0, k, [n]);
  return nd.add(centres.index(which), rng.standardNormal([n, dims])) as nd.NDArray<'float64'>;
}

async function main(): Promise<void> {
  const [n, dims, k, iters] = [200_000, 8, 16, 20];
  const X = blobs(n, dims, k, 1);
  let t = performance.now();
  const a = kmeans(X, k, iters, 0);
  console.log(`kmeans: ${n} points, ${dims}-d, k=${k}, ${iters} rounds in ${(performance.now() - t).toFixed(0)} ms`);
  const pool = await nd.Pool.start({ workers: 2, capacity: '256MiB' });
  try {
    const Xs = pool.store.get(pool.store.put(X));
    t = performance.now();
    const b = await kmeansPool(pool, Xs, k, iters, 0);
    console.log(`kmeans with 2 worker processes: ${(performance.now() - t).toFixed(0)} ms`);
    const same = nd.arrayEqual(a.labels, b.labels);
    console.log(`same labels: ${same}; cluster sizes: ${nd.bincount(a.labels, { minlength: k }).toArray().toString()}`);
  } finally {
    await pool.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
