/**
 * The piscina worker of the pool benchmarks (bench/cases/pool-map.ts and
 * pool-dispatch.ts). Plain JavaScript: piscina's threads load it with a
 * dynamic import and need no TypeScript loader. Each export is a task,
 * picked with `piscina.run(task, { name })`:
 *
 *  - `clone({x})`: x arrived by structured clone (a copy); computes a new
 *    array and returns it, cloned back (a second copy).
 *  - `move({x})`: x arrived transferred (no copy); computes into a new array
 *    and transfers both back (x must come back to be sent again), no copy
 *    either way.
 *  - `inplace({x})`: x arrived transferred (the caller sliced it out of its
 *    array, which is the copy); computes in place and transfers it back.
 *  - `noop()`: the empty task (dispatch latency).
 *
 * @module
 */
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { mapInto } from './pool-fn.mjs';

export function clone({ x }) {
  return mapInto(x, new Float64Array(x.length));
}

export function move_({ x }) {
  const out = mapInto(x, new Float64Array(x.length));
  // Both buffers go back transferred: the result, and the input for the next op.
  return move({
    get [transferableSymbol]() {
      return [x.buffer, out.buffer];
    },
    get [valueSymbol]() {
      return { x, out };
    },
  });
}
export { move_ as move };

export function inplace({ x }) {
  return move(mapInto(x, x));
}

export function noop() {}
