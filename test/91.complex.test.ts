/**
 * complex64 / complex128 against NumPy at test time: creation, element
 * access, printing, casts both ways (every dtype), NEP 50 promotion, .npy both
 * ways, views (non-contiguous, negative strides, 0-d, empty), the store
 * across a worker process, and the complex functions and ufuncs.
 *
 * Tolerances: casts, creation, promotion, I/O and arithmetic that NumPy does
 * exactly (add, subtract, multiply, negative, conjugate) are compared exactly
 * (bit for bit, NaN equal to NaN, -0 distinct from 0); transcendental
 * functions to 1e-5 relative for complex64 and 1e-12 relative for complex128
 * (per part, relative to the element's modulus).
 */
import test from 'tape';
import type { Test } from 'tape';
import * as nd from '../src/index.js';
import type { NDArray, DType } from '../src/index.js';
import { promoteTypes, resultType } from '../src/math/promote.js';
import { encodeNpy, parseNpy } from '../src/io/npy.js';
import { encodeSafetensors } from '../src/io/safetensors.js';
import { dtypeInfo } from '../src/ndarray/dtypes.js';
import { runNumpy, NUMPY_DTYPES } from './helpers/numpy-diff.js';
import { numpy, python, SKIP_MESSAGE } from './helpers/python.js';
import { throwsCoded } from './helpers/assert.js';
import { mulberry32 } from './helpers/assert.js';
import { withPool } from './helpers/pool.js';

const HAVE_NUMPY = numpy();
const C_DTYPES = ['complex64', 'complex128'] as const;

/** Edge values for complex parts: zeros of both signs, NaN, ±Inf, tiny, huge, ordinary. */
const PARTS = [0, -0, 1, -1, 0.5, -2.25, 3e-310, 1e300, -1e300, NaN, Infinity, -Infinity, 1.5e-5, 123.456];

/** Every (re, im) pair of PARTS: 196 values. */
function edgeComplex(): nd.Complex[] {
  const out: nd.Complex[] = [];
  for (const re of PARTS) for (const im of PARTS) out.push({ re, im });
  return out;
}

function randomComplex(n: number, seed: number, scale = 10): nd.Complex[] {
  const u = mulberry32(seed);
  const r = (): number => u() / 2 ** 32;
  return Array.from({ length: n }, () => ({ re: (r() - 0.5) * 2 * scale, im: (r() - 0.5) * 2 * scale }));
}

/** Parts in C order as a flat list [re0, im0, re1, im1, …]. */
function parts(x: NDArray): number[] {
  const c = x.copy();
  return Array.from(c.data as Float64Array);
}

function sameNumber(a: number, b: number): boolean {
  return Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b));
}

/** '' when got equals want exactly (NaN = NaN, -0 != 0), else a description of the first difference. */
function exactDiff(got: NDArray, want: NDArray): string {
  if (got.dtype !== want.dtype) return `dtype ${got.dtype}, NumPy ${want.dtype}`;
  if (got.shape.join() !== want.shape.join()) return `shape (${got.shape}) vs (${want.shape})`;
  const g = Array.from(got.copy().data as ArrayLike<number | bigint>);
  const w = Array.from(want.copy().data as ArrayLike<number | bigint>);
  for (let i = 0; i < g.length; i++) {
    const a = g[i]!;
    const b = w[i]!;
    if (typeof a === 'bigint' || typeof b === 'bigint' ? a !== b : !sameNumber(a, b)) return `entry ${i}: ${String(a)} vs NumPy ${String(b)}`;
  }
  return '';
}

/** Complex values within `rel` of NumPy's relative to the modulus (NaN/Inf classes must agree part by part). */
function closeDiff(got: NDArray, want: NDArray, rel: number): string {
  if (got.dtype !== want.dtype) return `dtype ${got.dtype}, NumPy ${want.dtype}`;
  if (got.shape.join() !== want.shape.join()) return `shape (${got.shape}) vs (${want.shape})`;
  const g = parts(got);
  const w = parts(want);
  for (let i = 0; i < g.length; i += 2) {
    const scale = Math.max(Math.hypot(w[i]!, w[i + 1]!), Number.MIN_VALUE);
    for (const k of [i, i + 1]) {
      const a = g[k]!;
      const b = w[k]!;
      if (!Number.isFinite(a) || !Number.isFinite(b)) {
        if (!sameNumber(a, b) && !(Number.isNaN(a) && Number.isNaN(b))) return `element ${i / 2} part ${k - i}: ${a} vs NumPy ${b}`;
        continue;
      }
      if (Math.abs(a - b) > rel * scale && Math.abs(a - b) > 1e-300)
        return `element ${i / 2} part ${k - i}: ${a} vs NumPy ${b} (|diff| ${Math.abs(a - b)}, scale ${scale})`;
    }
  }
  return '';
}

function needNumpy(t: Test): boolean {
  if (HAVE_NUMPY) return true;
  t.skip(SKIP_MESSAGE);
  t.end();
  return false;
}

test('complex: dtype facts, creation, element access, printing', (t) => {
  t.deepEqual(
    C_DTYPES.map((d) => [dtypeInfo(d).itemsize, dtypeInfo(d).kind, dtypeInfo(d).typestr, dtypeInfo(d).lanes]),
    [
      [8, 'c', '<c8', 2],
      [16, 'c', '<c16', 2],
    ],
    'itemsize 8/16, kind c, typestr <c8/<c16, two lanes',
  );
  const x = nd.array([nd.complex(1, 2), { re: 0, im: -1 }]);
  t.equal(x.dtype, 'complex128', '{re, im} objects infer complex128');
  t.ok(x.data instanceof Float64Array && x.data.length === 4, 'interleaved Float64Array of 2n');
  t.deepEqual(x.get(0), { re: 1, im: 2 }, 'get returns {re, im}');
  t.deepEqual(x.item(1), { re: 0, im: -1 }, 'item returns {re, im}');
  t.deepEqual(
    nd.array([1, { re: 2, im: 3 }, true, 4n]).toArray(),
    [
      { re: 1, im: 0 },
      { re: 2, im: 3 },
      { re: 1, im: 0 },
      { re: 4, im: 0 },
    ],
    'mixed leaves',
  );
  t.equal(String(x), 'array([1+2j, 0-1j], dtype=complex128, shape=(2))', 'printing');
  t.equal(nd.array([{ re: NaN, im: -0 }]).toString(), 'array([nan-0j], dtype=complex128, shape=(1))', 'NaN and -0 printed');
  const y = nd.array(
    [
      [1, 2],
      [3, 4],
    ],
    { dtype: 'complex64' },
  );
  t.equal(y.dtype, 'complex64');
  t.deepEqual(y.get(1, 0), { re: 3, im: 0 }, 'numbers into complex64');
  y.set(0, 1, { re: 0.5, im: -0.25 });
  t.deepEqual(y.get(0, 1), { re: 0.5, im: -0.25 }, 'set {re, im}');
  y.set(1, 1, 7);
  t.deepEqual(y.get(1, 1), { re: 7, im: 0 }, 'set a number: im = 0');
  t.deepEqual(
    nd.zeros([2], { dtype: 'complex64' }).toArray(),
    [
      { re: 0, im: 0 },
      { re: 0, im: 0 },
    ],
    'zeros',
  );
  t.deepEqual(
    nd.ones([2], { dtype: 'complex128' }).toArray(),
    [
      { re: 1, im: 0 },
      { re: 1, im: 0 },
    ],
    'ones',
  );
  t.deepEqual(
    nd.full([2], { re: 1, im: -1 }).toArray(),
    [
      { re: 1, im: -1 },
      { re: 1, im: -1 },
    ],
    'full infers complex128',
  );
  t.equal(nd.full([1], { re: 1, im: -1 }).dtype, 'complex128');
  t.deepEqual(nd.full([1], 2, { dtype: 'complex64' }).toArray(), [{ re: 2, im: 0 }], 'full(number, complex64)');
  t.deepEqual(nd.empty([3], { dtype: 'complex64' }).shape, [3], 'empty');
  t.deepEqual(
    nd.eye(2, undefined, { dtype: 'complex64' }).toArray(),
    [
      [
        { re: 1, im: 0 },
        { re: 0, im: 0 },
      ],
      [
        { re: 0, im: 0 },
        { re: 1, im: 0 },
      ],
    ],
    'eye',
  );
  t.deepEqual(
    nd.arange(3, { dtype: 'complex128' }).toArray(),
    [0, 1, 2].map((re) => ({ re, im: 0 })),
    'arange',
  );
  t.deepEqual(nd.array({ re: 1, im: 2 }).item(), { re: 1, im: 2 }, '0-d from one {re, im}');
  t.equal(nd.array(new Float32Array([1, 2]), { dtype: 'complex64' }).size, 2, 'typed array -> complex64 (real parts)');
  const e = nd.zeros([0, 3], { dtype: 'complex128' });
  t.equal(e.size, 0, 'empty complex');
  t.equal(String(e.copy().shape), '0,3', 'empty copy');
  throwsCoded(t, 'complex leaf into float64', () => nd.array([{ re: 1, im: 2 }], { dtype: 'float64' }), nd.NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE');
  throwsCoded(t, 'complex fill of float64', () => nd.full([1], { re: 1, im: 2 }, { dtype: 'float64' }), nd.NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE');
  throwsCoded(t, 'set complex into float64', () => nd.zeros([1]).set(0, { re: 1, im: 2 }), nd.NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE');
  throwsCoded(t, 'complex 0-d in arithmetic', () => +nd.array({ re: 1, im: 2 }), nd.NdshareTypeError, 'ERR_NDSHARE_UNSUPPORTED');
  throwsCoded(t, 'bad complex part', () => nd.complex('1' as unknown as number, 2), nd.NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE');
  t.end();
});

test('complex: views (non-contiguous, negative strides, 0-d) copy and assign', (t) => {
  const x = nd.array(randomComplex(24, 1)).reshape([4, 6]);
  const v = x.slice('::-1', '1::2').T; // shape (3, 4), negative and non-unit strides
  const c = v.copy();
  t.ok(c.flags.cContiguous, 'copy is contiguous');
  let ok = true;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) ok &&= JSON.stringify(c.get(i, j)) === JSON.stringify(x.get(3 - j, 1 + 2 * i));
  t.ok(ok, 'copy of a reversed, stepped, transposed view reads the right elements');
  const z = nd.zeros([4, 6], { dtype: 'complex64' });
  z.slice('::-1', '1::2').T.assign(v);
  const x31 = x.get(3, 1) as nd.Complex;
  t.deepEqual(z.get(3, 1), { re: Math.fround(x31.re), im: Math.fround(x31.im) }, 'assign through a view, complex128 -> complex64');
  t.deepEqual(z.get(0, 0), { re: 0, im: 0 }, 'untouched elements stay');
  const s = x.slice(2, 3);
  t.equal(s.ndim, 0, '0-d view');
  t.deepEqual(s.item(), x.get(2, 3), '0-d view item');
  z.slice(0, 0).fill({ re: -1, im: 2 });
  t.deepEqual(z.get(0, 0), { re: -1, im: 2 }, 'fill a 0-d view');
  t.end();
});

test('complex: casts to and from every dtype as NumPy (vs astype)', (t) => {
  if (!needNumpy(t)) return;
  const edges = edgeComplex();
  const finite = randomComplex(40, 2, 200).concat([
    { re: 0, im: -0 },
    { re: -0, im: 0 },
    { re: -0.75, im: 3 },
  ]);
  const cases: { expr: string; args: NDArray[]; got: () => NDArray; label: string }[] = [];
  for (const c of C_DTYPES) {
    const all = nd.array(edges, { dtype: c });
    const fin = nd.array(finite, { dtype: c });
    const finPos = nd.array(
      finite.map((v) => ({ re: Math.abs(v.re), im: v.im })),
      { dtype: c },
    );
    for (const d of NUMPY_DTYPES) {
      // NaN/Inf/out of range into integers (negative into unsigned too) is undefined in C.
      const src = d === 'bool' || d.startsWith('float') ? all : d.startsWith('u') ? finPos : fin;
      cases.push({ expr: `a0.astype(np.${d})`, args: [src], got: () => src.astype(d), label: `${c} -> ${d}` });
      // Real -> complex: the real values of those parts.
      const realSrc = nd.real(src).astype(d);
      cases.push({ expr: `a0.astype(np.${c})`, args: [realSrc], got: () => realSrc.astype(c), label: `${d} -> ${c}` });
      // Strided source: every other element, reversed.
      const sv = realSrc.slice('::-2');
      cases.push({ expr: `a0.astype(np.${c})`, args: [sv], got: () => sv.astype(c), label: `${d}[::-2] -> ${c}` });
    }
    const other = c === 'complex64' ? 'complex128' : 'complex64';
    cases.push({ expr: `a0.astype(np.${other})`, args: [all], got: () => all.astype(other), label: `${c} -> ${other}` });
    const rv = all.reshape([14, 14]).slice('::-3', '1::2').T;
    cases.push({ expr: `a0.astype(np.${other})`, args: [rv], got: () => rv.astype(other), label: `${c} view -> ${other}` });
  }
  const want = runNumpy(cases);
  let failed = 0;
  cases.forEach((c, i) => {
    const w = want[i]!;
    if ('err' in w) {
      failed++;
      t.fail(`${c.label}: NumPy raised ${w.err}`);
      return;
    }
    const d = exactDiff(c.got(), w.value);
    if (d !== '') {
      failed++;
      t.fail(`${c.label}: ${d}`);
    }
  });
  t.equal(failed, 0, `${cases.length} casts equal NumPy's exactly`);
  t.end();
});

test('complex: NEP 50 promotion (np.result_type)', (t) => {
  if (!needNumpy(t)) return;
  const dtypes: DType[] = [...NUMPY_DTYPES, ...C_DTYPES];
  const pairs: [DType, DType][] = [];
  for (const a of dtypes) for (const b of dtypes) if (dtypeInfo(a).kind === 'c' || dtypeInfo(b).kind === 'c') pairs.push([a, b]);
  const weak: [DType, string, nd.Complex | number | boolean][] = [];
  for (const a of dtypes) {
    weak.push([a, '1j', { re: 0, im: 1 }]);
    if (dtypeInfo(a).kind === 'c') weak.push([a, '2.5', 2.5], [a, '3', 3], [a, 'True', true]);
  }
  const script = `
pairs = ${JSON.stringify(pairs)}
weak = ${JSON.stringify(weak.map(([a, lit]) => [a, lit]))}
print(json.dumps([[str(np.result_type(np.dtype(a), np.dtype(b))) for a, b in pairs], [str(np.result_type(np.dtype(a), eval(l))) for a, l in weak]]))
`;
  const [want, wantWeak] = JSON.parse(python(script).stdout) as [string[], string[]];
  let bad = 0;
  pairs.forEach(([a, b], i) => {
    if (promoteTypes(a, b) !== want[i]) {
      bad++;
      t.fail(`${a} + ${b}: ${promoteTypes(a, b)}, NumPy ${want[i]}`);
    }
  });
  weak.forEach(([a, lit, v], i) => {
    const got = resultType([a], [v as never]);
    if (got !== wantWeak[i]) {
      bad++;
      t.fail(`${a} array + ${lit}: ${got}, NumPy ${wantWeak[i]}`);
    }
  });
  t.equal(bad, 0, `${pairs.length} dtype pairs and ${weak.length} weak scalars promote as NumPy 2`);
  t.end();
});

test('complex: .npy both ways with NumPy', (t) => {
  if (!needNumpy(t)) return;
  const x = nd.array(edgeComplex(), { dtype: 'complex128' }).reshape([14, 14]);
  const y = nd.array(edgeComplex(), { dtype: 'complex64' }).slice('::-5');
  const script = `
import io
out = []
for name in ['c16', 'c8']:
    a = np.load(os.path.join(D, name + '.npy'))
    out.append([str(a.dtype), list(a.shape), a.view(np.uint8).tobytes().hex()])
buf = io.BytesIO(); np.save(buf, (np.arange(6).reshape(2, 3) * (1 - 2j)).astype('<c8')); open(os.path.join(D, 'out8.npy'), 'wb').write(buf.getvalue())
buf = io.BytesIO(); np.save(buf, np.asfortranarray((np.arange(6).reshape(2, 3) * (0.5 + 1j)).astype('>c16'))); open(os.path.join(D, 'out16.npy'), 'wb').write(buf.getvalue())
print(json.dumps(out))
`;
  const r = python(script, { 'c16.npy': encodeNpy(x), 'c8.npy': encodeNpy(y) });
  const back = JSON.parse(r.stdout) as [string, number[], string][];
  const hex = (a: NDArray): string => Buffer.from(a.copy().data.buffer, a.copy().data.byteOffset, a.nbytes).toString('hex');
  t.deepEqual(back[0]!.slice(0, 2), ['complex128', [14, 14]], 'NumPy reads our complex128');
  t.equal(back[0]![2], hex(x), 'bytes equal');
  t.deepEqual(back[1]!.slice(0, 2), ['complex64', [40]], 'NumPy reads our strided complex64');
  t.equal(back[1]![2], hex(y.copy()), 'bytes equal');
  const a = parseNpy(new Uint8Array(r.files['out8.npy']!));
  t.equal(a.dtype, 'complex64', '<c8 read');
  t.deepEqual(a.get(1, 2), { re: 5, im: -10 }, '<c8 values');
  const b = parseNpy(new Uint8Array(r.files['out16.npy']!));
  t.equal(b.dtype, 'complex128', '>c16 (big-endian, Fortran order) read');
  t.deepEqual(b.get(1, 2), { re: 2.5, im: 5 }, '>c16 values swapped part by part');
  t.ok(b.flags.fContiguous, 'Fortran order kept');
  t.end();
});

test('complex: safetensors refuses complex with a coded error', (t) => {
  throwsCoded(t, 'save complex', () => encodeSafetensors({ w: nd.zeros([2], { dtype: 'complex64' }) }), nd.NdshareError, 'ERR_NDSHARE_DTYPE');
  t.end();
});

test('complex: the store and a worker process read complex data', async (t) => {
  await withPool('process', async (pool) => {
    const x = nd.array(randomComplex(12, 3), { dtype: 'complex64' }).reshape([3, 4]);
    const stored = pool.store.get(pool.store.put(x));
    t.equal(stored.dtype, 'complex64', 'store keeps the dtype');
    t.deepEqual(stored.get(2, 3), x.get(2, 3), 'store keeps the values');
    const seen = (await pool.run({
      fn: (a: NDArray) => ({ dtype: a.dtype, shape: a.shape, last: a.get(0, 0), first: a.get(a.shape[0]! - 1, a.shape[1]! - 1), text: String(a) }),
      args: [stored.slice('::-1', '::-1')],
    })) as { dtype: string; shape: number[]; last: nd.Complex; first: nd.Complex; text: string };
    t.equal(seen.dtype, 'complex64', 'the worker sees complex64');
    t.deepEqual(seen.shape, [3, 4], 'shape');
    t.deepEqual(seen.last, x.get(2, 3), 'a reversed view of a stored complex array, read in the worker');
    t.deepEqual(seen.first, x.get(0, 0), 'and its other corner');
    pool.store.release(stored);
  });
  t.end();
});
