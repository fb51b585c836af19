// The ufuncs of issue 16 (bitwise, shifts, gcd/lcm, fmod, fmax/fmin,
// heaviside, nextafter, spacing, inverse hyperbolics, positive/conjugate/
// reciprocal, signbit, floatPower, divmod, modf and the aliases) against
// NumPy 2: every op x every dtype (result dtype, NumPy's refusals as coded
// errors, values incl. NaN/Inf/-0/integer limits), strided and negative-stride
// views, 0-d and empty arrays, weak scalars, mixed dtypes, on every ISA.
import test from 'tape';
import * as nd from '../src/index.js';
import { NdshareError, NdshareRangeError, NdshareTypeError, type DType, type NDArray } from '../src/index.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';
import { ALL_DTYPES, availableIsas, arrayOf, checkAll, edgeValues, type Case, type Tol, skipWithoutNumpy } from './helpers/numpy-diff.js';

type Fn = (...a: never[]) => NDArray;
const api = nd as unknown as Record<string, Fn>;

function py(name: string): string {
  return 'np.' + name.replace(/[A-Z]/g, (m) => '_' + m.toLowerCase());
}

const UNARY = [
  'invert',
  'bitwiseNot',
  'bitwiseInvert',
  'arcsinh',
  'arccosh',
  'arctanh',
  'asinh',
  'acosh',
  'atanh',
  'spacing',
  'positive',
  'conjugate',
  'conj',
  'reciprocal',
  'signbit',
  'absolute',
];
const BINARY = [
  'bitwiseAnd',
  'bitwiseOr',
  'bitwiseXor',
  'leftShift',
  'rightShift',
  'bitwiseLeftShift',
  'bitwiseRightShift',
  'gcd',
  'lcm',
  'fmod',
  'fmax',
  'fmin',
  'heaviside',
  'nextafter',
  'floatPower',
  'remainder',
  'trueDivide',
];
const TRANSCENDENTAL = new Set(['arcsinh', 'arccosh', 'arctanh', 'asinh', 'acosh', 'atanh', 'floatPower']);
/** Ours refuse 16-bit float results of these (NumPy computes them in float16): tested separately. */
const NO_HALF = new Set(['spacing', 'nextafter']);
const HALF_LIKE = new Set<DType>(['bool', 'int8', 'uint8', 'float16', 'bfloat16']);

function tolOf(op: string): Tol {
  if (op === 'fmax' || op === 'fmin') return { ulps: 0, signedZero: true };
  return TRANSCENDENTAL.has(op) ? { ulps: 4, f64Ulps: 2, halfUlps: 1 } : 'exact';
}

test('more ufuncs, unary: every op x every dtype matches NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(85);
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    let vals = edgeValues(d, 48, rand);
    const x = arrayOf(vals, d);
    // reciprocal of integer 0 is platform-defined in NumPy (a C division by zero): leave 0 out.
    vals = vals.map((v) => (v === 0 || v === 0n ? (typeof v === 'bigint' ? 3n : 3) : v));
    const nz = arrayOf(vals, d);
    const y = arrayOf(edgeValues(d, 24, rand), d).reshape([4, 6]);
    for (const op of UNARY) {
      if (NO_HALF.has(op) && HALF_LIKE.has(d)) continue;
      const a = op === 'reciprocal' ? nz : x;
      cases.push({ label: `${op}(${d}[48])`, expr: `${py(op)}(a0)`, args: [a], ours: () => api[op]!(a as never), tol: tolOf(op) });
      cases.push({
        label: `${op}(${d}[4,6].T[::-1])`,
        expr: `${py(op)}(a0.T[::-1])`,
        args: [y],
        ours: () => api[op]!(y.T.slice('::-1') as never),
        tol: tolOf(op),
      });
      cases.push({ label: `${op}(${d} 0-d)`, expr: `${py(op)}(a0[0])`, args: [nz], ours: () => api[op]!(nz.slice(0) as never), tol: tolOf(op) });
      cases.push({
        label: `${op}(${d} empty)`,
        expr: `${py(op)}(a0[:0].reshape(0, 3))`,
        args: [x],
        ours: () => api[op]!(x.slice(':0').reshape([0, 3]) as never),
        tol: tolOf(op),
      });
    }
  }
  checkAll(t, 'unary', cases, availableIsas());
  t.end();
});

test('more ufuncs, binary: every op x every dtype, strided views, broadcasting, weak scalars', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(851);
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const x = arrayOf(edgeValues(d, 48, rand), d);
    const y = arrayOf(edgeValues(d, 48, rand), d);
    const m = arrayOf(edgeValues(d, 24, rand), d).reshape([4, 6]);
    const row = arrayOf(edgeValues(d, 6, rand), d);
    for (const op of BINARY) {
      if (NO_HALF.has(op) && HALF_LIKE.has(d)) continue;
      const tol = tolOf(op);
      cases.push({ label: `${op}(${d}, ${d})`, expr: `${py(op)}(a0, a1)`, args: [x, y], ours: () => api[op]!(x as never, y as never), tol });
      cases.push({
        label: `${op}(${d}[4,6][::-1, ::2], ${d}[6][::2])`,
        expr: `${py(op)}(a0[::-1, ::2], a1[::2])`,
        args: [m, row],
        ours: () => api[op]!(m.slice('::-1', '::2') as never, row.slice('::2') as never),
        tol,
      });
      cases.push({ label: `${op}(${d}, 3)`, expr: `${py(op)}(a0, 3)`, args: [x], ours: () => api[op]!(x as never, 3 as never), tol });
      cases.push({ label: `${op}(2, ${d})`, expr: `${py(op)}(2, a0)`, args: [x], ours: () => api[op]!(2 as never, x as never), tol });
    }
  }
  // Mixed dtypes: promotion picks NumPy's loop.
  const pairs: [DType, DType][] = [
    ['int8', 'uint8'],
    ['int16', 'uint32'],
    ['int64', 'uint64'],
    ['bool', 'int8'],
    ['uint8', 'float32'],
    ['int32', 'float64'],
    ['float16', 'float32'],
    ['bool', 'bool'],
  ];
  for (const [p, q] of pairs) {
    const a = arrayOf(edgeValues(p, 20, rand), p);
    const b = arrayOf(edgeValues(q, 20, rand), q);
    for (const op of BINARY) {
      if (NO_HALF.has(op)) continue;
      cases.push({ label: `${op}(${p}, ${q})`, expr: `${py(op)}(a0, a1)`, args: [a, b], ours: () => api[op]!(a as never, b as never), tol: tolOf(op) });
    }
  }
  checkAll(t, 'binary', cases, availableIsas());
  t.end();
});

test('divmod and modf (two results) match NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(852);
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const x = arrayOf(edgeValues(d, 40, rand), d);
    const y = arrayOf(edgeValues(d, 40, rand), d);
    for (const k of [0, 1]) {
      cases.push({ label: `divmod(${d})[${k}]`, expr: `np.divmod(a0, a1)[${k}]`, args: [x, y], ours: () => nd.divmod(x, y)[k]! });
      cases.push({ label: `modf(${d})[${k}]`, expr: `np.modf(a0)[${k}]`, args: [x], ours: () => nd.modf(x)[k]! });
      cases.push({ label: `modf(${d}[::-2])[${k}]`, expr: `np.modf(a0[::-2])[${k}]`, args: [x], ours: () => nd.modf(x.slice('::-2'))[k]! });
    }
  }
  checkAll(t, 'two results', cases);
  t.end();
});

test('more ufuncs: out, dtype, and the coded refusals', (t) => {
  const x = nd.array([1, 2, 3], { dtype: 'int32' });
  const out = nd.zeros([3], { dtype: 'int64' });
  t.equal(nd.bitwiseOr(x, 4, { out }), out, 'out is returned');
  t.deepEqual(out.toArray(), [5n, 6n, 7n], 'out holds the result cast to int64');
  t.equal(nd.fmax(x, 2, { dtype: 'float64' }).dtype, 'float64', 'dtype chooses the loop');
  throwsCoded(t, 'bitwise on floats', () => nd.bitwiseAnd(nd.array([1.5]), 1), NdshareTypeError, 'ERR_NDSHARE_DTYPE');
  throwsCoded(
    t,
    'int64 << uint64 promotes to float64',
    () => nd.leftShift(nd.array([1], { dtype: 'int64' }), nd.array([1], { dtype: 'uint64' })),
    NdshareTypeError,
    'ERR_NDSHARE_DTYPE',
  );
  throwsCoded(t, 'positive(bool)', () => nd.positive(nd.array([true])), NdshareTypeError, 'ERR_NDSHARE_DTYPE');
  throwsCoded(t, 'nextafter(float16) is not implemented', () => nd.nextafter(nd.array([1], { dtype: 'float16' }), 2), NdshareTypeError, 'ERR_NDSHARE_DTYPE');
  throwsCoded(t, 'spacing(int8) would be float16', () => nd.spacing(nd.array([1], { dtype: 'int8' })), NdshareTypeError, 'ERR_NDSHARE_DTYPE');
  throwsCoded(t, 'casting= is refused', () => nd.add(x, 1, { casting: 'unsafe' } as never), NdshareRangeError, 'ERR_NDSHARE_UNSUPPORTED');
  throwsCoded(t, 'shapes that do not broadcast', () => nd.gcd(x, nd.array([1, 2], { dtype: 'int32' })), NdshareError, 'ERR_NDSHARE_BROADCAST');
  t.end();
});
