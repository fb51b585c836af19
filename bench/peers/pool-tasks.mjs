/**
 * Task module of the pool benchmarks: `pool.run(url, name, …)`
 * imports it once per worker and then calls the export by name. Plain
 * JavaScript (a worker loads it with a dynamic import).
 *
 * @module
 */
import { mapInto } from './pool-fn.mjs';

/** The empty task: no arguments, no result. */
export function noop() {}

/**
 * A hand-written loop in a pool worker (`pool.run(url, 'handLoop', x, start,
 * stop)`): allocates its output in the pool's store (through the worker
 * context, which lives on globalThis under a registered symbol) and computes
 * out[i - start] = f(x[i]) for i in [start, stop) with the same loop as the
 * single-process baseline; the output goes back sealed, as a reference. A
 * diagnostic for pool-map: the same workers and memory without map's
 * generated kernel, per-chunk probe and dynamic chunks.
 */
export function handLoop(x, start, stop) {
  const { store } = globalThis[Symbol.for('ndshare.workerContext')];
  const n = stop - start;
  const out = store.empty([n], { dtype: 'float64' });
  mapInto(x.data.subarray(x.offset + start, x.offset + stop), out.data.subarray(out.offset, out.offset + n));
  return out;
}
