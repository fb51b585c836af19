/**
 * Compute kernels against NumPy (issue 5's table): 10M float64 and float32
 * elementwise ops and reductions, sums along each axis of a 3162x3162 matrix,
 * and square matmul at 256, 512 and 1024. One op = one whole call, allocation
 * of the result included (as NumPy's `np.exp(x)` allocates). Inputs are
 * seeded uniform draws over the ranges the NumPy twins use (bench/numpy/cases.py).
 * Each op's result is checked inside the timed loop at one element that
 * changes with the op index, against a JS (float64) reference.
 */
import { assert, main, measure, result, type Case } from '../harness.js';
import * as nd from '../../src/index.js';

const N = 10_000_000;
const SIDE = 3162;

type DT = 'float32' | 'float64';
const DTYPES: readonly DT[] = ['float64', 'float32'];
const SHORT: Record<DT, string> = { float64: 'f64', float32: 'f32' };

function input(dtype: DT, low: number, high: number, seed: number, shape: number[] = [N]): nd.NDArray {
  return nd.random.uniform(shape, { low, high, seed }).astype(dtype);
}

/** Relative tolerance of one element check (float32 results compared with a float64 reference). */
function close(got: number, want: number, dtype: DT): boolean {
  const eps = dtype === 'float32' ? 2e-6 : 1e-13;
  return Math.abs(got - want) <= eps * Math.max(1, Math.abs(want));
}

interface Unary {
  name: string;
  low: number;
  high: number;
  run: (x: nd.NDArray) => nd.NDArray;
  ref: (v: number) => number;
}

const UNARY: Unary[] = [
  { name: 'mul-scalar', low: 0, high: 1, run: (x) => nd.multiply(x, 2.5), ref: (v) => v * 2.5 },
  { name: 'exp', low: -3, high: 3, run: (x) => nd.exp(x), ref: Math.exp },
  { name: 'log', low: 0.01, high: 3, run: (x) => nd.log(x), ref: Math.log },
  { name: 'sqrt', low: 0.01, high: 3, run: (x) => nd.sqrt(x), ref: Math.sqrt },
  { name: 'sin', low: -3, high: 3, run: (x) => nd.sin(x), ref: Math.sin },
  { name: 'tanh', low: -3, high: 3, run: (x) => nd.tanh(x), ref: Math.tanh },
];

const cases: Record<string, Case> = {};

for (const dtype of DTYPES) {
  const s = SHORT[dtype];

  cases[`math-add-${s}`] = () => {
    const x = input(dtype, 0, 1, 1);
    const y = input(dtype, 0, 1, 2);
    const xd = x.data as Float64Array;
    const yd = y.data as Float64Array;
    const m = measure(
      `math-add-${s}`,
      () => nd.add(x, y),
      (r, i) => {
        const k = (i * 7_919_993) % N;
        const want = dtype === 'float32' ? Math.fround(xd[k]! + yd[k]!) : xd[k]! + yd[k]!;
        if (r.data[k] !== want) throw new Error(`add: element ${k} is wrong`);
      },
    );
    return result(`math-add-${s}`, m, { n: N, dtype, per: 'op', op: 'nd.add(x, y)' });
  };

  for (const u of UNARY) {
    const name = `math-${u.name}-${s}`;
    cases[name] = () => {
      const x = input(dtype, u.low, u.high, 1);
      const xd = x.data as Float64Array;
      const m = measure(
        name,
        () => u.run(x),
        (r, i) => {
          const k = (i * 7_919_993) % N;
          const got = r.data[k] as number;
          if (!close(got, u.ref(xd[k]!), dtype)) throw new Error(`${u.name}: element ${k} is ${got}, want ${u.ref(xd[k]!)}`);
        },
      );
      return result(name, m, { n: N, dtype, per: 'op', low: u.low, high: u.high });
    };
  }

  // Reductions of 10M elements: checked against a float64 sum computed once.
  const total = (d: ArrayLike<number>, f: (v: number) => number = (v) => v): number => {
    let acc = 0;
    for (let i = 0; i < d.length; i++) acc += f(d[i]!);
    return acc;
  };
  const reductions: { name: string; run: (x: nd.NDArray) => nd.NDArray; want: (x: ArrayLike<number>) => number; tol: number }[] = [
    { name: 'sum', run: (x) => nd.sum(x), want: (d) => total(d), tol: dtype === 'float32' ? 1e-5 : 1e-12 },
    {
      name: 'max',
      run: (x) => nd.max(x),
      want: (d) => {
        let best = -Infinity;
        for (let i = 0; i < d.length; i++) best = Math.max(best, d[i]!);
        return best;
      },
      tol: 0,
    },
    { name: 'mean', run: (x) => nd.mean(x), want: (d) => total(d) / d.length, tol: dtype === 'float32' ? 1e-5 : 1e-12 },
    {
      name: 'std',
      run: (x) => nd.std(x),
      want: (d) => {
        const mu = total(d) / d.length;
        return Math.sqrt(total(d, (v) => (v - mu) * (v - mu)) / d.length);
      },
      tol: dtype === 'float32' ? 1e-4 : 1e-10,
    },
    {
      name: 'argmax',
      run: (x) => nd.argmax(x),
      want: (d) => {
        let best = 0;
        for (let i = 1; i < d.length; i++) if (d[i]! > d[best]!) best = i;
        return best;
      },
      tol: 0,
    },
  ];
  for (const red of reductions) {
    const name = `math-${red.name}-${s}`;
    cases[name] = () => {
      const x = input(dtype, 0, 1, 3);
      const want = red.want(x.data as Float64Array);
      const m = measure(
        name,
        () => red.run(x),
        (r) => {
          const got = Number(r.item());
          if (!(Math.abs(got - want) <= red.tol * Math.max(1, Math.abs(want)))) {
            throw new Error(`${red.name}: ${got}, want ${want}`);
          }
        },
      );
      return result(name, m, { n: N, dtype, per: 'op' });
    };
  }

  for (const axis of [0, 1]) {
    const name = `math-sum-axis${axis}-${s}`;
    cases[name] = () => {
      const x = input(dtype, 0, 1, 4, [SIDE, SIDE]);
      const d = x.data as Float64Array;
      const m = measure(
        name,
        () => nd.sum(x, { axis }),
        (r, i) => {
          const k = (i * 7919) % SIDE;
          let want = 0;
          for (let j = 0; j < SIDE; j++) want += axis === 0 ? d[j * SIDE + k]! : d[k * SIDE + j]!;
          const got = r.data[k] as number;
          if (!close(got, want, dtype) && !(dtype === 'float32' && Math.abs(got - want) <= 1e-4 * want)) {
            throw new Error(`sum axis ${axis}: element ${k} is ${got}, want ${want}`);
          }
        },
      );
      return result(name, m, { shape: [SIDE, SIDE], axis, dtype, per: 'op' });
    };
  }

  for (const n of [256, 512, 1024]) {
    const name = `math-matmul-${n}-${s}`;
    cases[name] = () => {
      const a = input(dtype, -1, 1, 5, [n, n]);
      const b = input(dtype, -1, 1, 6, [n, n]);
      const ad = a.data as Float64Array;
      const bd = b.data as Float64Array;
      const m = measure(
        name,
        () => nd.matmul(a, b),
        (r, i) => {
          const row = (i * 7919) % n;
          const col = (i * 104_729) % n;
          let want = 0;
          for (let k = 0; k < n; k++) want += ad[row * n + k]! * bd[k * n + col]!;
          const got = r.data[row * n + col] as number;
          if (Math.abs(got - want) > (dtype === 'float32' ? 1e-4 : 1e-10) * n) {
            throw new Error(`matmul: element (${row}, ${col}) is ${got}, want ${want}`);
          }
        },
      );
      const r = nd.matmul(a, b);
      assert(r.shape[0] === n && r.shape[1] === n && r.dtype === dtype, 'matmul result shape and dtype');
      return result(name, m, { n, dtype, per: 'op', threads: nd.getThreads(), gflops: (2 * n ** 3) / m.median });
    };
  }
}

await main(cases);
