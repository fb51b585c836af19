/**
 * The native complex loops (native/kernels/elementwise/complex.inc) against
 * NumPy at test time, on every instruction set: every op of
 * `math.opInfo[op].complex` for complex64 and complex128, on random values,
 * on the grid of special parts (±0, ±Inf, NaN, tiny, huge) against each other
 * (broadcast 196 × 196), on and next to the branch cuts, on reversed and
 * stepped views, with a `{re, im}` scalar on either side, 0-d, empty, `out`
 * (a negative-stride view) and in place. Bit for bit (NaN equal to NaN, -0
 * distinct from 0): NumPy's complex functions are the C library's, which the
 * loops call too, and its arithmetic is reproduced operation for operation.
 * Also: power with integer, real and complex exponents and zero bases;
 * promotion of real operands; coded errors of the native entry point.
 */
import test from 'tape';
import * as nd from '../src/index.js';
import type { NDArray } from '../src/index.js';
import { native } from '../src/binding.js';
import { availableIsas, checkAll, skipWithoutNumpy, type Case } from './helpers/numpy-diff.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';

const C_DTYPES = ['complex64', 'complex128'] as const;
const ISAS = availableIsas();

/** The ops with a complex loop, from the addon's table, and what they return. */
const OPS = Object.entries(native.math.opInfo)
  .filter(([, i]) => i.complex !== undefined)
  .map(([name, i]) => ({ name, arity: i.arity }));

/** NumPy's name of an ndshare ufunc. */
function npName(name: string): string {
  if (name === 'abs') return 'absolute';
  return name.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);
}

type Fn = (...args: unknown[]) => NDArray;
function ours(name: string): Fn {
  const f = (nd as unknown as Record<string, Fn>)[name];
  if (typeof f !== 'function') throw new Error(`nd.${name} is not exported`);
  return f;
}

const PARTS = [0, -0, 1, -1, 0.5, -2.25, 3e-310, 1e300, -1e300, NaN, Infinity, -Infinity, 1.5e-5, 123.456];

function edgeGrid(): nd.Complex[] {
  const out: nd.Complex[] = [];
  for (const re of PARTS) for (const im of PARTS) out.push({ re, im });
  return out;
}

function randomComplex(n: number, seed: number, scale: number): nd.Complex[] {
  const u = mulberry32(seed);
  const r = (): number => u() / 2 ** 32;
  return Array.from({ length: n }, () => ({ re: (r() - 0.5) * 2 * scale, im: (r() - 0.5) * 2 * scale }));
}

/** Log-uniform magnitudes 1e-6..1e6 with random signs (the transcendentals' whole range). */
function wideComplex(n: number, seed: number): nd.Complex[] {
  const u = mulberry32(seed);
  const r = (): number => u() / 2 ** 32;
  const v = (): number => (r() < 0.5 ? -1 : 1) * 10 ** (12 * r() - 6);
  return Array.from({ length: n }, () => ({ re: v(), im: v() }));
}

/** On and next to the branch cuts of log/sqrt (negative real axis) and of the inverse functions (real |x| > 1, imaginary |y| > 1). */
function branchCuts(): nd.Complex[] {
  const out: nd.Complex[] = [];
  for (const re of [-4, -1, -0.25, -0, 0, 0.5, 1, 2]) for (const im of [0, -0, 1e-300, -1e-300, 1e-8, -1e-8]) out.push({ re, im }, { re: im, im: re });
  return out;
}

test('complex native loops: every op, dtype and ISA bit for bit as NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  t.ok(OPS.length >= 48, `${OPS.length} ops have complex loops`);
  const cases: Case[] = [];
  for (const c of C_DTYPES) {
    const rnd = nd.array(randomComplex(67, 3, 3), { dtype: c });
    const rnd2 = nd.array(randomComplex(67, 4, 3), { dtype: c });
    const wide = nd.array(wideComplex(200, 5), { dtype: c });
    const grid = nd.array(edgeGrid(), { dtype: c });
    const cuts = nd.array(branchCuts(), { dtype: c });
    const base = nd.array(randomComplex(60, 6, 2), { dtype: c }).reshape([6, 10]);
    const view = base.slice('::-1', '::3'); // (6, 4): reversed rows, stepped columns
    const zero = nd.array(nd.complex(0.75, -1.25), { dtype: c });
    const empty = nd.zeros([0, 3], { dtype: c });
    const sc = nd.complex(1.5, -2);
    for (const { name, arity } of OPS) {
      const f = ours(name);
      const np = `np.${npName(name)}`;
      const L = `${name} ${c}`;
      if (arity === 1) {
        for (const [what, x] of [
          ['random', rnd],
          ['wide', wide],
          ['special grid', grid],
          ['branch cuts', cuts],
          ['view', view],
          ['0-d', zero],
          ['empty', empty],
        ] as const) {
          cases.push({ label: `${L} ${what}`, expr: `${np}(a0)`, args: [x], ours: () => f(x) });
        }
      } else {
        const gi = grid.reshape([196, 1]);
        const gj = grid.reshape([1, 196]);
        cases.push({ label: `${L} random`, expr: `${np}(a0, a1)`, args: [rnd, rnd2], ours: () => f(rnd, rnd2) });
        cases.push({ label: `${L} special grid 196x196`, expr: `${np}(a0, a1)`, args: [gi, gj], ours: () => f(gi, gj) });
        cases.push({ label: `${L} view with view`, expr: `${np}(a0, a1)`, args: [view, view.slice('::-1')], ours: () => f(view, view.slice('::-1')) });
        cases.push({ label: `${L} scalar right`, expr: `${np}(a0, complex(1.5, -2))`, args: [rnd], ours: () => f(rnd, sc) });
        cases.push({ label: `${L} scalar left`, expr: `${np}(complex(1.5, -2), a0)`, args: [rnd], ours: () => f(sc, rnd) });
        cases.push({ label: `${L} 0-d with array`, expr: `${np}(a0, a1)`, args: [zero, wide], ours: () => f(zero, wide) });
        cases.push({ label: `${L} empty`, expr: `${np}(a0, a1)`, args: [empty, empty], ours: () => f(empty, empty) });
      }
    }
  }
  checkAll(t, 'complex ops', cases, ISAS);
  t.end();
});

test('complex native loops: out= (negative strides), in place, dtype=, real operands', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: Case[] = [];
  for (const c of C_DTYPES) {
    const a = nd.array(randomComplex(40, 9, 4), { dtype: c }).reshape([4, 10]);
    const b = nd.array(randomComplex(40, 10, 4), { dtype: c }).reshape([4, 10]);
    for (const name of ['add', 'multiply', 'divide', 'exp', 'sqrt', 'arcsin', 'power'] as const) {
      const f = ours(name);
      const np = `np.${npName(name)}`;
      const unary = native.math.opInfo[name]!.arity === 1;
      cases.push({
        label: `${name} ${c} into a reversed out`,
        expr: unary ? `${np}(a0, out=a1[::-1, ::-1])` : `${np}(a0, a2, out=a1[::-1, ::-1])`,
        args: unary ? [a, nd.zeros([4, 10], { dtype: c })] : [a, nd.zeros([4, 10], { dtype: c }), b],
        ours: () => {
          const o = nd.zeros([4, 10], { dtype: c });
          const r = unary ? f(a, { out: o.slice('::-1', '::-1') }) : f(a, b, { out: o.slice('::-1', '::-1') });
          return r;
        },
      });
      cases.push({
        label: `${name} ${c} in place`,
        expr: unary ? `${np}(a0, out=a0)` : `${np}(a0, a1, out=a0)`,
        args: unary ? [a] : [a, b],
        ours: () => {
          const x = a.copy();
          return unary ? f(x, { out: x }) : f(x, b, { out: x });
        },
      });
    }
    // abs into a float out of the part dtype and into complex (same_kind).
    const part = c === 'complex64' ? 'float32' : 'float64';
    cases.push({
      label: `abs ${c} into ${part} out`,
      expr: `np.absolute(a0, out=np.zeros((4, 10), dtype='${part}')[:, ::-1])`,
      args: [a],
      ours: () => nd.abs(a, { out: nd.zeros([4, 10], { dtype: part }).slice(':', '::-1') }),
    });
  }
  const f32 = nd.array([1.5, -2, 0.25], { dtype: 'float32' });
  const i32 = nd.array([3, -4, 0], { dtype: 'int32' });
  const c64 = nd.array([nd.complex(1, 2), nd.complex(-0.5, 0), nd.complex(0, -3)], { dtype: 'complex64' });
  cases.push({ label: 'float32 * complex64', expr: 'np.multiply(a0, a1)', args: [f32, c64], ours: () => nd.multiply(f32, c64) });
  cases.push({ label: 'int32 + complex64 -> complex128', expr: 'np.add(a0, a1)', args: [i32, c64], ours: () => nd.add(i32, c64) });
  cases.push({ label: 'float32 array + 1j scalar', expr: 'np.add(a0, 1j)', args: [f32], ours: () => nd.add(f32, nd.complex(0, 1)) });
  cases.push({ label: 'complex64 + 2.5', expr: 'np.add(a0, 2.5)', args: [c64], ours: () => nd.add(c64, 2.5) });
  cases.push({ label: 'exp(float32, dtype=complex64)', expr: "np.exp(a0, dtype='complex64')", args: [f32], ours: () => nd.exp(f32, { dtype: 'complex64' }) });
  cases.push({
    label: 'arcsin(complex64, dtype=complex128)',
    expr: "np.arcsin(a0, dtype='complex128')",
    args: [c64],
    ours: () => nd.arcsin(c64, { dtype: 'complex128' }),
  });
  cases.push({ label: 'floatPower(complex64) -> complex128', expr: 'np.float_power(a0, 2.5)', args: [c64], ours: () => nd.floatPower(c64, 2.5) });
  cases.push({
    label: 'sqrt of a real array with complex dtype',
    expr: "np.sqrt(a0, dtype='complex128')",
    args: [f32],
    ours: () => nd.sqrt(f32, { dtype: 'complex128' }),
  });
  checkAll(t, 'complex out/promotion', cases, ISAS);
  t.end();
});

test('complex power: integer, real and complex exponents, zero and infinite bases (as NumPy)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: Case[] = [];
  const exps = [0, 1, 2, 3, 4, 5, -1, -2, -3, -7, 16, 99, -99, 100, -100, 0.5, -0.5, 2.5, 1e10, -0, NaN, Infinity];
  for (const c of C_DTYPES) {
    const bases = nd
      .array(
        [...randomComplex(20, 12, 2), { re: 0, im: 0 }, { re: -0, im: 0 }, { re: 0, im: -0 }, { re: Infinity, im: 0 }, { re: 1, im: NaN }, { re: -1, im: 0 }],
        { dtype: c },
      )
      .reshape([26, 1]);
    const e = nd
      .array(
        exps.map((re) => ({ re, im: 0 })),
        { dtype: c },
      )
      .reshape([1, exps.length]);
    const ec = nd.array(randomComplex(exps.length, 13, 2), { dtype: c }).reshape([1, exps.length]);
    cases.push({ label: `${c} ** real-valued complex exponents`, expr: 'np.power(a0, a1)', args: [bases, e], ours: () => nd.power(bases, e) });
    cases.push({ label: `${c} ** complex exponents`, expr: 'np.power(a0, a1)', args: [bases, ec], ours: () => nd.power(bases, ec) });
    const re = nd.array(exps, { dtype: c === 'complex64' ? 'float32' : 'float64' });
    cases.push({ label: `${c} ** real array`, expr: 'np.power(a0, a1)', args: [bases, re], ours: () => nd.power(bases, re) });
    const ints = nd.array([0, 1, 2, 3, -2, 7], { dtype: 'int8' });
    cases.push({ label: `${c} ** int8 array`, expr: 'np.power(a0, a1)', args: [bases, ints], ours: () => nd.power(bases, ints) });
    cases.push({ label: `${c} ** 3 (scalar)`, expr: 'np.power(a0, 3)', args: [bases], ours: () => nd.power(bases, 3) });
    cases.push({ label: `2 ** ${c}`, expr: 'np.power(2, a0)', args: [bases], ours: () => nd.power(2, bases) });
  }
  const f64 = nd.array([-8, 2, -0.5]);
  cases.push({ label: 'float64 ** complex scalar', expr: 'np.power(a0, complex(0.5, 0))', args: [f64], ours: () => nd.power(f64, nd.complex(0.5, 0)) });
  checkAll(t, 'complex power', cases, ISAS);
  t.end();
});

test('complex native loops: refusals and guards', (t) => {
  const c = nd.array([nd.complex(1, 2)]);
  throwsCoded(t, 'floor has no complex loop', () => nd.floor(c), nd.NdshareTypeError, 'ERR_NDSHARE_DTYPE');
  throwsCoded(t, 'a real dtype= for complex input', () => nd.exp(c, { dtype: 'float64' }), nd.NdshareTypeError, 'ERR_NDSHARE_DTYPE');
  throwsCoded(t, 'complex result into a float out', () => nd.exp(c, { out: nd.zeros([1]) }), nd.NdshareTypeError, 'ERR_NDSHARE_DTYPE');
  throwsCoded(
    t,
    'broadcast mismatch',
    () => nd.add(nd.zeros([2], { dtype: 'complex64' }), nd.zeros([3], { dtype: 'complex128' })),
    nd.NdshareError,
    'ERR_NDSHARE_BROADCAST',
  );
  const m = native.math;
  const op = m.ops.add!;
  const desc = Float64Array.from([1, 2, 0, 1, 0, 1, 0, 1]);
  const coded = (label: string, fn: () => unknown, cls: typeof TypeError): void => {
    try {
      fn();
      t.fail(`${label}: did not throw`);
    } catch (e) {
      const err = e as Error & { code?: string };
      t.ok(err instanceof cls && typeof err.code === 'string' && err.code.startsWith('ERR_NDSHARE_'), `${label}: ${err.name} ${err.code}: ${err.message}`);
    }
  };
  coded('native: a Float32Array for complex128', () => m.elementwise(op, 14, [new Float32Array(4), new Float64Array(4), new Float64Array(4)], desc), TypeError);
  coded('native: too short for 2 elements', () => m.elementwise(op, 14, [new Float64Array(3), new Float64Array(4), new Float64Array(4)], desc), RangeError);
  coded(
    'native: an op without a complex loop',
    () => m.elementwise(m.ops.floor!, 14, [new Float64Array(4), new Float64Array(4)], Float64Array.from([1, 2, 0, 1, 0, 1])),
    TypeError,
  );
  coded('native: dtype code past complex128', () => m.elementwise(op, 15, [new Float64Array(4), new Float64Array(4), new Float64Array(4)], desc), RangeError);
  const out = new Float64Array(4);
  m.elementwise(op, 14, [Float64Array.from([1, 2, 3, 4]), Float64Array.from([10, 20, 30, 40]), out], desc);
  t.deepEqual(Array.from(out), [11, 22, 33, 44], 'native complex128 add over two elements');
  t.end();
});
