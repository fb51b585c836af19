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

const cases: Record<string, Case> = {
  'strided-add-2d': () => {
    const { u, d } = plate();
    const c = u.slice('1:-1', '1:-1');
    const s = u.slice('2:', '1:-1');
    const m = measure(
      'strided-add-2d',
      () => nd.add(c, s),
      checker(d, (k) => d[k]! + d[k + SIDE]!),
    );
    return result('strided-add-2d', m, {
      n: INNER * INNER,
      side: SIDE,
      dtype: 'float64',
      per: 'op',
      op: "nd.add(u.slice('1:-1', '1:-1'), u.slice('2:', '1:-1'))",
    });
  },
  'strided-sqrt-2d': () => {
    const { u, d } = plate();
    const c = u.slice('1:-1', '1:-1');
    const m = measure(
      'strided-sqrt-2d',
      () => nd.sqrt(c),
      checker(d, (k) => Math.sqrt(d[k]!)),
    );
    return result('strided-sqrt-2d', m, { n: INNER * INNER, side: SIDE, dtype: 'float64', per: 'op', op: "nd.sqrt(u.slice('1:-1', '1:-1'))" });
  },
  'strided-axpy-2d': () => {
    const { u, d } = plate();
    const c = u.slice('1:-1', '1:-1');
    const w = u.slice('1:-1', ':-2');
    const m = measure(
      'strided-axpy-2d',
      () => nd.add(c, nd.multiply(0.1, w)),
      checker(d, (k) => d[k]! + 0.1 * d[k - 1]!),
    );
    return result('strided-axpy-2d', m, {
      n: INNER * INNER,
      side: SIDE,
      dtype: 'float64',
      per: 'op',
      op: "nd.add(c, nd.multiply(0.1, u.slice('1:-1', ':-2')))",
    });
  },
};

await main(cases);
