/**
 * Heat diffusion on a square plate (an explicit 5-point stencil), ported from
 * NumPy line by line: slices are views, `u[1:-1, 1:-1] = ...` is
 * `u.slice('1:-1', '1:-1').assign(...)`.
 *
 * The NumPy original (bench/numpy/cases.py times it beside this port):
 *
 * ```python
 * def heat(n, steps, alpha=0.1):
 *     u = np.zeros((n, n))
 *     u[n // 2 - n // 8 : n // 2 + n // 8, n // 2 - n // 8 : n // 2 + n // 8] = 1.0
 *     for _ in range(steps):
 *         c = u[1:-1, 1:-1]
 *         u[1:-1, 1:-1] = c + alpha * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4 * c)
 *     return u
 * ```
 *
 * `npm run example:heat` runs 200 steps on a 1000 x 1000 plate, then the same
 * on a pool of worker processes: two grids in the shared store, each step one
 * `mapChunks` whose workers read the whole old grid (their halo rows
 * included) and write their band of rows of the new one; the grids swap.
 *
 * @module
 */
import * as nd from '../src/index.js';

const hot = (n: number): string => `${Math.floor(n / 2) - Math.floor(n / 8)}:${Math.floor(n / 2) + Math.floor(n / 8)}`;

/** The plate after `steps` steps, NumPy's way. */
export function heat(n: number, steps: number, alpha = 0.1): nd.NDArray<'float64'> {
  const u = nd.zeros([n, n]);
  u.slice(hot(n), hot(n)).fill(1);
  for (let s = 0; s < steps; s++) {
    const c = u.slice('1:-1', '1:-1');
    const lap = nd.subtract(
      nd.add(nd.add(u.slice(':-2', '1:-1'), u.slice('2:', '1:-1')), nd.add(u.slice('1:-1', ':-2'), u.slice('1:-1', '2:'))),
      nd.multiply(4, c),
    );
    c.assign(nd.add(c, nd.multiply(alpha, lap)));
  }
  return u;
}

/**
 * The same on a pool: two grids in the store; each step, each chunk of rows of
 * the new grid is computed from the old one (a plain loop over its data).
 */
export async function heatPool(pool: nd.Pool, n: number, steps: number, alpha = 0.1): Promise<nd.NDArray> {
  let a = pool.store.empty([n, n], { dtype: 'float64' });
  let b = pool.store.empty([n, n], { dtype: 'float64' });
  a.fill(0);
  a.slice(hot(n), hot(n)).fill(1);
  b.assign(a);
  const chunkSize = Math.ceil(n / (2 * pool.stats().workers.length));
  for (let s = 0; s < steps; s++) {
    await pool.mapChunks(
      a,
      (_inputs, out, args: { u: nd.NDArray; alpha: number }, { start, stop }) => {
        const u = args.u;
        const w = u.shape[1]!;
        const h = u.shape[0]!;
        const d = u.data as Float64Array;
        const o = out.data as Float64Array;
        const k = args.alpha;
        for (let i = start; i < stop; i++) {
          const r = u.offset + i * w;
          const q = out.offset + (i - start) * w;
          if (i === 0 || i === h - 1) {
            for (let j = 0; j < w; j++) o[q + j] = d[r + j]!;
            continue;
          }
          o[q] = d[r]!;
          o[q + w - 1] = d[r + w - 1]!;
          for (let j = 1; j < w - 1; j++) {
            const c = d[r + j]!;
            o[q + j] = c + k * (d[r - w + j]! + d[r + w + j]! + d[r + j - 1]! + d[r + j + 1]! - 4 * c);
          }
        }
      },
      { out: b, args: { u: a, alpha }, chunkSize },
    );
    [a, b] = [b, a];
  }
  pool.store.release(b);
  return a;
}

async function main(): Promise<void> {
  const [n, steps] = [1000, 200];
  let t = performance.now();
  const u = heat(n, steps);
  console.log(`heat: ${n} x ${n}, ${steps} steps in ${(performance.now() - t).toFixed(0)} ms; centre ${u.get(n / 2, n / 2).toFixed(6)}`);
  const pool = await nd.Pool.start({ workers: 2, capacity: '256MiB' });
  try {
    t = performance.now();
    const v = await heatPool(pool, n, steps);
    console.log(`heat with 2 worker processes: ${(performance.now() - t).toFixed(0)} ms; same result: ${nd.allclose(u, v, { rtol: 0, atol: 1e-12 })}`);
  } finally {
    await pool.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
