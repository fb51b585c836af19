/**
 * The element function of the `pool-map` benchmark, in one place for every
 * implementation: the case process (the single-process loop, the checks and
 * `pool.map`, which ships its source to the workers), the piscina worker
 * (`piscina-worker.mjs`) and the child_process peer (`pool-child.mjs`).
 * Plain JavaScript, so worker threads and child processes load it without tsx,
 * and so the source `pool.map` ships is exactly this text.
 *
 * Compute-bound: two trigonometric calls, an exp and a sqrt per element
 * (~55–60 ns per element on the development VM).
 *
 * @module
 */

/** f(v) = sin(v)·cos(v/2) + √|v|·e^(−v·10⁻⁷). */
export const f = (v) => Math.sin(v) * Math.cos(v * 0.5) + Math.sqrt(Math.abs(v)) * Math.exp(-v * 1e-7);

/** out[i] = f(x[i]) for i in [0, x.length): the loop every JS peer runs on its share. */
export function mapInto(x, out) {
  const n = x.length;
  for (let i = 0; i < n; i++) out[i] = f(x[i]);
  return out;
}
