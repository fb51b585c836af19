/**
 * Elementwise ops on 2-D strided views against NumPy (issue 16, the heat
 * stencil's shape of work): `u` is a 3162 x 3162 float64 matrix and the
 * operands are its shifted interior views (rows of 3160 contiguous elements,
 * 3162 apart), 9,985,600 elements per op, result allocated.
 *  - strided-add-2d: `nd.add(u[1:-1, 1:-1], u[2:, 1:-1])`;
 *  - strided-sqrt-2d: `nd.sqrt(u[1:-1, 1:-1])`;
 *  - strided-axpy-2d: `nd.add(c, nd.multiply(0.1, u[1:-1, :-2]))` (a scalar
 *    broadcast and a temporary, as the stencil writes it).
 * Twins in bench/numpy/cases.py (STRIDED_CASES).
 *
 * What these showed (Dec 2026, loaded machine): the native strided loop is not
 * the gap. With `{out}` (no allocation) a 498x498 strided add takes 66 µs
 * against NumPy's 169 µs, and the heat example runs 38-64 ms instead of
 * 72-395 ms. What costs is the fresh result: below 2 MiB (the heat example's
 * 1.98 MB temporaries) it comes from Buffer.allocUnsafeSlow and faults in new
 * pages on every op, where NumPy's allocator hands back recently freed memory;
 * and each fresh buffer counts as V8 external memory, so a scavenge for
 * "external memory pressure" runs every few ops (--trace-gc: ~13 per heat
 * run, ~100 ms of its time under load).
 */
import { main, measure, result, type Case } from '../harness.js';
import * as nd from '../../src/index.js';

const SIDE = 3162;
const INNER = SIDE - 2;

function plate(): { u: nd.NDArray; d: Float64Array } {
  const u = nd.random.uniform([SIDE, SIDE], { low: 0, high: 1, seed: 7 });
  return { u, d: u.data as Float64Array };
}

/** Checks element (i, j) of a result over the interior against f(row offset of (i + 1, j + 1) in u). */
function checker(d: Float64Array, f: (k: number) => number): (r: nd.NDArray, i: number) => void {
  return (r, i) => {
    const p = (i * 7919) % (INNER * INNER);
    const [a, b] = [Math.floor(p / INNER), p % INNER];
    const want = f((a + 1) * SIDE + b + 1);
    const got = (r.data as Float64Array)[r.offset + a * r.strides[0]! + b * r.strides[1]!]!;
    if (Math.abs(got - want) > 1e-13 * Math.max(1, Math.abs(want))) throw new Error(`element (${a}, ${b}): ${got} != ${want}`);
  };
}

/** One case: `run` over the plate's views, checked against `ref` (row offsets in u). */
function strided(name: string, op: string, run: (u: nd.NDArray) => () => nd.NDArray, ref: (d: Float64Array, k: number) => number): Case {
  return () => {
    const { u, d } = plate();
    const m = measure(
      name,
      run(u),
      checker(d, (k) => ref(d, k)),
    );
    return result(name, m, { n: INNER * INNER, side: SIDE, dtype: 'float64', per: 'op', op });
  };
}

const cases: Record<string, Case> = {
  'strided-add-2d': strided(
    'strided-add-2d',
    "nd.add(u.slice('1:-1', '1:-1'), u.slice('2:', '1:-1'))",
    (u) => {
      const [c, s] = [u.slice('1:-1', '1:-1'), u.slice('2:', '1:-1')];
      return () => nd.add(c, s);
    },
    (d, k) => d[k]! + d[k + SIDE]!,
  ),
  'strided-sqrt-2d': strided(
    'strided-sqrt-2d',
    "nd.sqrt(u.slice('1:-1', '1:-1'))",
    (u) => {
      const c = u.slice('1:-1', '1:-1');
      return () => nd.sqrt(c);
    },
    (d, k) => Math.sqrt(d[k]!),
  ),
  'strided-axpy-2d': strided(
    'strided-axpy-2d',
    "nd.add(c, nd.multiply(0.1, u.slice('1:-1', ':-2')))",
    (u) => {
      const [c, w] = [u.slice('1:-1', '1:-1'), u.slice('1:-1', ':-2')];
      return () => nd.add(c, nd.multiply(0.1, w));
    },
    (d, k) => d[k]! + 0.1 * d[k - 1]!,
  ),
};

await main(cases);
