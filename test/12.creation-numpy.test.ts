// Creation functions and random arrays against NumPy: dtype inference with
// BigInts, BigInt bounds, arange and linspace in every dtype (bit-exact),
// options validation, size limits, and the random generators' edge cases.
import test from 'tape';
import { constants } from 'node:buffer';
import * as nd from '../src/index.js';
import { type NDArray, NdshareError, type DType } from '../src/index.js';
import { numpy, python, SKIP_MESSAGE } from './helpers/python.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';

const INVALID_VALUE = 'ERR_NDSHARE_INVALID_ARG_VALUE';
const INVALID_TYPE = 'ERR_NDSHARE_INVALID_ARG_TYPE';

const INT_DTYPES: DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
const INT_RANGE: Record<string, [bigint, bigint]> = {
  int8: [-128n, 127n],
  uint8: [0n, 255n],
  int16: [-32768n, 32767n],
  uint16: [0n, 65535n],
  int32: [-(2n ** 31n), 2n ** 31n - 1n],
  uint32: [0n, 2n ** 32n - 1n],
  int64: [-(2n ** 63n), 2n ** 63n - 1n],
  uint64: [0n, 2n ** 64n - 1n],
};

/** The bytes of a fresh (contiguous, offset 0) array, as hex: the exact comparison for every dtype. */
function hexOf(x: NDArray): string {
  return Buffer.from(x.data.buffer, x.data.byteOffset + x.offset * x.itemsize, x.nbytes).toString('hex');
}

/** A Python literal for JS data: numbers are floats (JS numbers are doubles), BigInts Python ints. */
function pyLit(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyLit).join(', ')}]`;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0.0' : `float('${String(v)}')`;
  throw new Error(`no Python literal for ${String(v)}`);
}

function skipWithoutNumpy(t: test.Test): boolean {
  if (numpy()) return false;
  t.skip(SKIP_MESSAGE);
  t.end();
  return true;
}

/** Runs Python `expr(i)` for each case; returns {dtype, hex} or {err: exception name} per case. */
function numpyResults(exprs: string[]): ({ dtype: string; hex: string } | { err: string })[] {
  const body = exprs
    .map(
      (e) => `
try:
    a = np.asarray(${e})
    out.append({'dtype': str(a.dtype), 'hex': a.tobytes().hex()})
except Exception as e:
    out.append({'err': type(e).__name__})`,
    )
    .join('');
  const { stdout } = python(`out = []${body}\nprint(json.dumps(out))`);
  return JSON.parse(stdout);
}

/** Runs `f`; returns {dtype, hex} or the coded error it threw (anything uncoded fails the test). */
function ours(t: test.Test, label: string, f: () => NDArray): { dtype: string; hex: string } | { err: string; message: string } {
  try {
    const x = f();
    return { dtype: x.dtype, hex: hexOf(x) };
  } catch (e) {
    const err = e as Error & { code?: string };
    if (typeof err.code !== 'string') t.fail(`${label}: uncoded ${err.name}: ${err.message}`);
    return { err: `${err.name} ${err.code}`, message: err.message };
  }
}

// ---- 1. dtype inference with BigInts -----------------------------------------------------------

test('array: BigInts mixed with numbers and booleans infer the dtype NumPy infers', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: unknown[] = [
    [1.5, 2n],
    [2n, 1.5],
    [-1n, 2n ** 63n],
    [[-1n], [2n ** 63n]],
    [2n ** 63n, -(2n ** 63n)],
    [true, 2n],
    [true, 2n ** 63n],
    [true, false],
    [true, 1.5],
    [1n, -2n],
    [2n ** 63n, 2n ** 64n - 1n],
    [-(2n ** 63n), 0n],
    [
      [1.5, 2n],
      [3n, true],
    ],
    [2n ** 63n, 2.5],
    [[2n ** 53n + 1n, 0.5]],
    2n ** 63n,
    -5n,
    true,
    [],
  ];
  const expected = numpyResults(cases.map((c) => `np.array(${pyLit(c)})`));
  cases.forEach((c, i) => {
    const label = `array(${pyLit(c)})`;
    t.deepEqual(
      ours(t, label, () => nd.array(c as never)),
      expected[i],
      label,
    );
  });
  t.end();
});

test('array: a non-negative BigInt with one above 2^63-1 gives uint64 (NumPy: float64)', (t) => {
  // Deliberate: every value fits uint64 exactly, where float64 would round
  // 2^63 + 1. NumPy 2.4 promotes int64 with uint64 and gives float64 here.
  const x = nd.array([1n, 2n ** 63n + 1n]);
  t.equal(x.dtype, 'uint64');
  t.deepEqual(x.toArray(), [1n, 2n ** 63n + 1n]);
  t.equal(nd.array([new BigInt64Array([-1n]), new BigUint64Array([2n ** 63n])]).dtype, 'float64', 'typed arrays count by value too');
  t.end();
});

test('array: BigInts outside [-2^63, 2^64) are coded RangeErrors naming the element', (t) => {
  const cases: [string, unknown, RegExp][] = [
    ['2^64', [2n ** 64n], /for data\[0\] but received 18446744073709551616n/],
    ['-2^63-1', [0n, -(2n ** 63n) - 1n], /for data\[1\] /],
    [
      'nested',
      [
        [1n, 2n],
        [3n, 2n ** 64n],
      ],
      /for data\[1\]\[1\] /,
    ],
    ['with numbers', [[1.5], [2n ** 70n]], /for data\[1\]\[0\] /],
    ['0-d', 2n ** 64n, /for data but/],
  ];
  for (const [label, data, message] of cases) {
    throwsCoded(t, label, () => nd.array(data as never), RangeError, INVALID_VALUE, message);
  }
  t.end();
});

test('array and full: a BigInt outside an explicit integer dtype throws (NumPy OverflowError), numbers still wrap', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: [DType, bigint][] = [];
  for (const dtype of INT_DTYPES) {
    const [lo, hi] = INT_RANGE[dtype]!;
    for (const v of [lo - 1n, lo, hi, hi + 1n]) cases.push([dtype, v]);
  }
  const expected = numpyResults(cases.flatMap(([d, v]) => [`np.array([[0, ${v}]], dtype=np.${d})`, `np.full(2, ${v}, dtype=np.${d})`]));
  cases.forEach(([dtype, v], i) => {
    const a = ours(t, `array ${dtype} ${v}`, () => nd.array([[0n, v]], { dtype }));
    const f = ours(t, `full ${dtype} ${v}`, () => nd.full([2], v, { dtype }));
    for (const [label, got, want, arg] of [
      ['array', a, expected[2 * i]!, /for data\[0\]\[1\] /],
      ['full', f, expected[2 * i + 1]!, /for fillValue /],
    ] as const) {
      if ('err' in want) {
        t.ok(
          'err' in got && got.err === `NdshareRangeError ${INVALID_VALUE}` && arg.test(got.message),
          `${label} ${v}n as ${dtype}: NumPy ${want.err}, ours ${JSON.stringify(got)}`,
        );
      } else t.deepEqual(got, want, `${label} ${v}n as ${dtype}`);
    }
  });
  // Float and bool dtypes take any BigInt, as NumPy does.
  t.deepEqual(nd.array([2n ** 70n], { dtype: 'float64' }).toArray(), [2 ** 70]);
  t.deepEqual(nd.array([2n ** 70n], { dtype: 'bool' }).toArray(), [true]);
  // JS numbers are floats: they cast (wrap) as astype does.
  t.deepEqual(nd.array([300, -1.5], { dtype: 'int8' }).toArray(), [44, -1]);
  t.deepEqual(nd.full([1], 300, { dtype: 'int8' }).toArray(), [44]);
  t.end();
});

test('full and array infer uint64 for a scalar BigInt above 2^63-1', (t) => {
  const f = nd.full([2], 2n ** 63n);
  t.equal(f.dtype, 'uint64');
  t.deepEqual(f.toArray(), [2n ** 63n, 2n ** 63n]);
  t.equal(nd.full([1], -1n).dtype, 'int64');
  t.equal(nd.array(2n ** 64n - 1n).dtype, 'uint64');
  t.equal(nd.array(2n ** 64n - 1n).item(), 2n ** 64n - 1n);
  throwsCoded(t, 'full 2^64', () => nd.full([1], 2n ** 64n), RangeError, INVALID_VALUE, /fillValue/);
  throwsCoded(t, 'full -1n as uint8', () => nd.full([1], -1n, { dtype: 'uint8' }), RangeError, INVALID_VALUE, /\[0, 255\].*fillValue/);
  t.end();
});

test('array: malformed nested data is still reported with the element path', (t) => {
  throwsCoded(t, 'ragged', () => nd.array([[1, 2], [3]]), NdshareError, 'ERR_NDSHARE_SHAPE_MISMATCH', /data\[1\] to be a sequence of length 2/);
  throwsCoded(
    t,
    'string leaf',
    () =>
      nd.array([
        [1, 2],
        [3, 'a'],
      ] as never),
    TypeError,
    INVALID_TYPE,
    /for data\[1\]\[1\] /,
  );
  throwsCoded(
    t,
    'sequence leaf',
    () =>
      nd.array([
        [1, 2],
        [[3], 4],
      ] as never),
    NdshareError,
    'ERR_NDSHARE_SHAPE_MISMATCH',
    /data\[1\]\[0\] is a sequence/,
  );
  throwsCoded(t, 'string leaf with dtype', () => nd.array([[1, null]] as never, { dtype: 'int32' }), TypeError, INVALID_TYPE, /for data\[0\]\[1\] /);
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  throwsCoded(t, 'self-containing array', () => nd.array(cyclic as never), RangeError, INVALID_VALUE, /dimensions/);
  t.end();
});

// ---- 2. arange in every dtype -----------------------------------------------------------------

test('arange: every dtype matches NumPy bit for bit (first values cast, then dtype arithmetic)', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: [number, number, number, DType][] = [
    [-3.5, 2, 1, 'int32'],
    [0, 5, 0.5, 'int32'],
    [10, 0, -2.5, 'int16'],
    [0, 1, 0.1, 'float32'],
    [0, 1e-300, 1e300, 'float64'],
    [0, -1e-300, 1e300, 'float64'],
    [0, 1, 0.1, 'float16'],
    [1e-3, 2, 0.07, 'float16'],
    [-100, 100, 7.3, 'float16'],
    [0, 70000, 1000, 'float16'],
    [250, 260, 1, 'uint8'],
    [120, 140, 1, 'int8'],
    [2e9, 2.3e9, 1e7, 'int32'],
    [0, 3e10, 2e9, 'int32'],
    [0, 4e10, 3e9, 'uint32'],
    [9.2e18, 9.3e18, 1e16, 'int64'],
    [1.8e19, 1.85e19, 1e17, 'uint64'],
    [10, 0, -3, 'uint8'],
    [10, 0, -3, 'uint64'],
    [-0.5, 3, 1, 'uint8'],
    [3, 3e6, 7.5, 'int8'],
    [0.1, 5, 0.3, 'float64'],
    [5, 5, 1, 'int32'],
    [0, 10, -1, 'float32'],
    [0, 2, 1, 'bool'],
    [0.5, 2, 1, 'bool'],
    [0, 0.5, 1, 'bool'],
    [0, 3, 1.5, 'bool'],
    // NumPy raises: a first value outside the dtype, or bool with 3+ values.
    [127.5, 130, 1, 'int8'],
    [300, 310, 1, 'int8'],
    [-5, 5, 3, 'uint64'],
    [0, 1e20, 1e19, 'int64'],
    [0, 3, 1, 'bool'],
  ];
  const r = mulberry32(20240612);
  const steps = [0.1, 0.25, 0.3, 0.5, 1, 1.5, 2.5, 3, 7, 1 / 3];
  const dtypes: DType[] = [...INT_DTYPES, 'float16', 'float32', 'float64'];
  for (let c = 0; c < 400; c++) {
    const start = ((r() % 8001) - 4000) / 100;
    const step = steps[r() % steps.length]! * (r() % 4 === 0 ? -1 : 1) * (1 + (r() % 3));
    const stop = start + step * (r() % 40) + ((r() % 100) / 100) * step;
    cases.push([start, stop, step, dtypes[r() % dtypes.length]!]);
  }
  const expected = numpyResults(cases.map(([a, b, s, d]) => `np.arange(${pyLit(a)}, ${pyLit(b)}, ${pyLit(s)}, dtype=np.${d === 'bool' ? 'bool_' : d})`));
  let bad = 0;
  cases.forEach(([a, b, s, d], i) => {
    const label = `arange(${a}, ${b}, ${s}, ${d})`;
    const got = ours(t, label, () => nd.arange(a, b, s, { dtype: d }));
    const want = expected[i]!;
    const same =
      'err' in want
        ? 'err' in got && /^Ndshare(Range|Type)Error ERR_NDSHARE_(INVALID_ARG_VALUE|DTYPE)$/.test(got.err)
        : JSON.stringify(got) === JSON.stringify(want);
    if (!same && bad++ < 8) t.fail(`${label}: ours ${JSON.stringify(got)}, NumPy ${JSON.stringify(want)}`);
  });
  t.equal(bad, 0, `${cases.length} arange calls agree with NumPy`);
  t.end();
});

test('arange: float32 steps in float32 even past 2^24 elements', (t) => {
  if (skipWithoutNumpy(t)) return;
  // v0 + fround(fround(i) * delta): i = 2^24 + 1 is 2^24 in float32, so the value is 2^24 + 0.5 -> 2^24
  // (a double computation then rounded gives 2^24 + 2).
  const x = nd.arange(0.5, 1.7e7, 1, { dtype: 'float32' });
  const idx = [0, 1, 2, 9, 16777215, 16777216, 16777217, 16777219, x.size - 1];
  const want = python(`a = np.arange(0.5, 1.7e7, 1.0, dtype=np.float32)
print(json.dumps([a.size, a[${JSON.stringify(idx)}].tobytes().hex()]))`).stdout;
  const got = Buffer.from(new Float32Array(idx.map((i) => x.get(i) as number)).buffer).toString('hex');
  t.deepEqual([x.size, got], JSON.parse(want));
  t.end();
});

test('arange: bfloat16 rounds the first values, then computes in float32 (as ml_dtypes)', (t) => {
  // bfloat16(0.1) = 0.10009765625; 3 * that = 0.30029296875, rounded to 8 bits: 0.30078125.
  const x = nd.arange(0, 1, 0.1, { dtype: 'bfloat16' });
  t.equal(x.size, 10);
  t.equal(x.get(1), 0.10009765625);
  t.equal(x.get(3), 0.30078125);
  t.end();
});

test('arange: errors name the value that does not fit', (t) => {
  throwsCoded(t, 'start', () => nd.arange(300, 310, 1, { dtype: 'int8' }), RangeError, INVALID_VALUE, /\[-128, 127\].*for start /);
  throwsCoded(t, 'start + step', () => nd.arange(127.5, 130, 1, { dtype: 'int8' }), RangeError, INVALID_VALUE, /for start \+ step /);
  throwsCoded(t, 'bool of 3', () => nd.arange(3, { dtype: 'bool' }), RangeError, 'ERR_NDSHARE_DTYPE', /options\.dtype/);
  t.end();
});

// ---- 3. linspace with integer dtypes ----------------------------------------------------------

test('linspace: integer dtypes floor before casting, as NumPy 2', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: [number, number, number, boolean, DType][] = [
    [-1, 1, 5, true, 'int32'],
    [-2.5, 2.5, 11, true, 'int16'],
    [0, 255, 10, true, 'uint8'],
    [1, 0, 5, true, 'int64'],
    [-1, 1, 4, false, 'int32'],
    [-7.2, 3.3, 9, true, 'int8'],
    [0.5, 9.5, 7, true, 'uint32'],
    [0, 1, 5, true, 'bool'],
    [-1, 1, 5, true, 'float32'],
    [-1, 1, 5, true, 'float16'],
  ];
  const expected = numpyResults(
    cases.map(([a, b, n, e, d]) => `np.linspace(${pyLit(a)}, ${pyLit(b)}, ${n}, endpoint=${e ? 'True' : 'False'}, dtype=np.${d === 'bool' ? 'bool_' : d})`),
  );
  cases.forEach(([a, b, n, e, d], i) => {
    const label = `linspace(${a}, ${b}, ${n}, endpoint ${e}, ${d})`;
    t.deepEqual(
      ours(t, label, () => nd.linspace(a, b, n, { endpoint: e, dtype: d })),
      expected[i],
      label,
    );
  });
  t.deepEqual(nd.linspace(-1, 1, 5, { dtype: 'int32' }).toArray(), [-1, -1, 0, 0, 1]);
  t.end();
});

// ---- 4. random --------------------------------------------------------------------------------

test('random.uniform never returns high, even after rounding to the dtype', (t) => {
  for (const dtype of ['float16', 'bfloat16', 'float32'] as DType[]) {
    const v = nd.random.uniform([100000], { dtype, seed: 7 }).toArray() as number[];
    const top = dtype === 'float16' ? 1 - 2 ** -11 : dtype === 'bfloat16' ? 1 - 2 ** -8 : 1 - 2 ** -24;
    t.equal(v.filter((x) => x >= 1).length, 0, `${dtype}: no value reaches 1`);
    if (dtype !== 'float32') t.ok(v.includes(top), `${dtype}: the largest value below 1 (${top}) still occurs`);
    const mean = v.reduce((s, x) => s + x, 0) / v.length;
    t.ok(Math.abs(mean - 0.5) < 0.01, `${dtype}: mean ${mean}`);
  }
  // float32 values near 1e7 are integers: half of [1e7, 1e7 + 1) would round up to high.
  const w = nd.random.uniform([10000], { low: 1e7, high: 1e7 + 1, dtype: 'float32', seed: 1 }).toArray() as number[];
  t.ok(
    w.every((x) => x === 1e7),
    'float32 in [1e7, 1e7+1): every value is 1e7',
  );
  // Here 5 draws in 6 would round up to high (the generator then draws below a bound instead of redrawing).
  const w2 = nd.random.uniform([1000], { low: 1e7 + 0.4, high: 1e7 + 1, dtype: 'float32', seed: 2 }).toArray() as number[];
  t.ok(
    w2.every((x) => x === 1e7),
    'float32 in [1e7+0.4, 1e7+1): every value is 1e7',
  );
  // float64 at the top of [1, 2): 1 + (1 - 2^-53) rounds to 2, so the generator must exclude that draw.
  const z = nd.random.uniform([1000], { low: 1, high: 2, seed: 3 }).toArray() as number[];
  t.ok(
    z.every((x) => x >= 1 && x < 2),
    'float64 in [1, 2)',
  );
  throwsCoded(
    t,
    'no float32 value in [low, high)',
    () => nd.random.uniform([1], { low: 1e7 + 0.6, high: 1e7 + 0.9, dtype: 'float32' }),
    RangeError,
    INVALID_VALUE,
    /options\.high/,
  );
  throwsCoded(t, 'high == low', () => nd.random.uniform([1], { low: 1, high: 1 }), RangeError, INVALID_VALUE, /options\.high/);
  throwsCoded(t, 'high < low', () => nd.random.uniform([1], { low: 1, high: 0 }), RangeError, INVALID_VALUE, /options\.high/);
  throwsCoded(t, 'high - low overflows', () => nd.random.uniform([1], { low: -1e308, high: 1e308 }), RangeError, INVALID_VALUE, /options\.high/);
  t.end();
});

test('random: the whole seed picks the stream (negative and wide seeds included)', (t) => {
  const seeds: (number | bigint)[] = [
    0,
    -1,
    1,
    4294967296,
    4294967297,
    -4294967297,
    2 ** 53 - 1,
    -(2 ** 53 - 1),
    2n ** 63n - 1n,
    -(2n ** 63n),
    2n ** 64n,
    2n ** 64n + 1n,
    -(2n ** 64n),
    2n ** 200n,
    2n ** 200n + 1n,
  ];
  const streams = seeds.map((seed) => JSON.stringify(nd.random.integers([8], { high: 2 ** 32, dtype: 'uint32', seed }).toArray()));
  t.equal(new Set(streams).size, seeds.length, `${seeds.length} seeds, ${new Set(streams).size} distinct streams`);
  t.deepEqual(nd.random.uniform([5], { seed: 5 }).toArray(), nd.random.uniform([5], { seed: 5n }).toArray(), '5 and 5n are the same seed');
  t.deepEqual(nd.random.uniform([5], { seed: -3 }).toArray(), nd.random.uniform([5], { seed: -3 }).toArray(), 'a negative seed is reproducible');
  const v = nd.random.uniform([20000], { seed: -(2n ** 100n) }).toArray() as number[];
  const mean = v.reduce((s, x) => s + x, 0) / v.length;
  t.ok(Math.abs(mean - 0.5) < 0.01, `a wide negative seed gives a sound stream (mean ${mean})`);
  t.end();
});

test('random.integers: bounds outside the dtype throw as NumPy does', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: [number, number, DType][] = [];
  for (const dtype of INT_DTYPES) {
    const [lo, hi] = INT_RANGE[dtype]!.map(Number) as [number, number];
    if (dtype.endsWith('64')) {
      // (ndshare draws from ranges of at most 2^53 values)
      cases.push([dtype === 'uint64' ? -1 : -(2 ** 52), 5, dtype], [0, 2 ** 53 - 1, dtype]);
      continue;
    }
    cases.push([lo, hi + 1, dtype], [lo - 1, 0, dtype], [0, hi + 2, dtype], [0, 1000, dtype], [-1, 5, dtype]);
  }
  const { stdout } = python(`
cases = ${JSON.stringify(cases)}
out = []
g = np.random.default_rng(0)
for lo, hi, d in cases:
    try:
        g.integers(lo, hi, size=3, dtype=d)
        out.append('ok')
    except ValueError as e:
        out.append(str(e).split(' ')[0])
print(json.dumps(out))`);
  const expected = JSON.parse(stdout) as string[];
  cases.forEach(([low, high, dtype], i) => {
    const label = `integers({low: ${low}, high: ${high}, dtype: ${dtype}})`;
    const got = ours(t, label, () => nd.random.integers([1000], { low, high, dtype, seed: i }));
    if (expected[i] === 'ok') {
      t.ok(!('err' in got), `${label}: ok`);
      const v = (nd.random.integers([1000], { low, high, dtype, seed: i }).toArray() as (number | bigint)[]).map(Number);
      t.ok(
        v.every((x) => x >= low && x < high),
        `${label}: values in [low, high)`,
      );
    } else {
      const ourError = 'err' in got ? `${got.err}: ${got.message}` : 'no error';
      t.ok(
        'err' in got && got.err === `NdshareRangeError ${INVALID_VALUE}` && got.message.includes(`options.${expected[i]}`),
        `${label}: NumPy "${expected[i]} is out of bounds", ours ${ourError}`,
      );
    }
  });
  throwsCoded(t, 'uint8 high 1000', () => nd.random.integers([5], { high: 1000, dtype: 'uint8' }), RangeError, INVALID_VALUE, /at most 256 .*options\.high/);
  t.end();
});

// ---- 5. size limits ---------------------------------------------------------------------------

test('sizes above what a typed array holds are coded errors naming the argument', (t) => {
  // 2^47 elements are above every Node's limit (the addon maps at most 2^46 bytes);
  // 2^33 is above Node 20's 2^32-element typed arrays.
  const sizes = [2 ** 47, 2 ** 50];
  if (constants.MAX_LENGTH <= 2 ** 32) sizes.push(2 ** 33);
  for (const n of sizes) {
    const msg = /^Expected at most \d+ elements of uint8 for shape /;
    throwsCoded(t, `zeros [${n}]`, () => nd.zeros([n], { dtype: 'uint8' }), RangeError, INVALID_VALUE, msg);
    throwsCoded(t, `ones [${n}]`, () => nd.ones([n], { dtype: 'uint8' }), RangeError, INVALID_VALUE, msg);
    throwsCoded(t, `empty [${n}]`, () => nd.empty([n], { dtype: 'uint8' }), RangeError, INVALID_VALUE, msg);
    throwsCoded(t, `full [${n}]`, () => nd.full([n], 1, { dtype: 'uint8' }), RangeError, INVALID_VALUE, msg);
    throwsCoded(t, `zeros [2, ${n / 2}]`, () => nd.zeros([2, n / 2], { dtype: 'uint8' }), RangeError, INVALID_VALUE, msg);
  }
  throwsCoded(t, 'zeros float64 2^44', () => nd.zeros([2 ** 44]), RangeError, INVALID_VALUE, /elements of float64 for shape/);
  throwsCoded(t, 'arange(0, 1e10, 1e-10)', () => nd.arange(0, 1e10, 1e-10), RangeError, INVALID_VALUE, /for the length of arange/);
  throwsCoded(t, 'arange overflowing length', () => nd.arange(-1e308, 1e308, 1e-300), RangeError, INVALID_VALUE, /for the length of arange/);
  throwsCoded(t, 'linspace 2^47', () => nd.linspace(0, 1, 2 ** 47), RangeError, INVALID_VALUE, /for num /);
  throwsCoded(t, 'random.uniform 2^47', () => nd.random.uniform([2 ** 47]), RangeError, INVALID_VALUE, /for shape /);
  t.end();
});

// ---- 6. options objects -----------------------------------------------------------------------

test('options that are not an object are coded TypeErrors (positional dtype, null, …)', (t) => {
  const x = nd.zeros([2]);
  const calls: [string, (o: never) => unknown][] = [
    ['array', (o) => nd.array([1], o)],
    ['asarray', (o) => nd.asarray([1], o)],
    ['empty', (o) => nd.empty([3], o)],
    ['zeros', (o) => nd.zeros([3], o)],
    ['ones', (o) => nd.ones([3], o)],
    ['full', (o) => nd.full([3], 1, o)],
    ['zerosLike', (o) => nd.zerosLike(x, o)],
    ['onesLike', (o) => nd.onesLike(x, o)],
    ['arange', (o) => nd.arange(0, 5, 1, o)],
    ['linspace', (o) => nd.linspace(0, 1, 5, o)],
    ['eye', (o) => nd.eye(2, 2, o)],
    ['random.uniform', (o) => nd.random.uniform([2], o)],
    ['random.normal', (o) => nd.random.normal([2], o)],
    ['random.integers', (o) => nd.random.integers([2], o)],
  ];
  for (const [name, call] of calls) {
    for (const bad of ['float32', null, 5, true, ['float32']]) {
      if (name === 'arange' && bad === 5) continue; // a fourth number: 'arange 4 numbers' in test/00
      throwsCoded(t, `${name}(…, ${JSON.stringify(bad)})`, () => call(bad as never), TypeError, INVALID_TYPE, /for options but/);
    }
  }
  throwsCoded(
    t,
    'arange(5, "int32")',
    () => nd.arange(5, 'int32' as never),
    TypeError,
    INVALID_TYPE,
    /^Expected an options object for options but received 'int32' \(string\)$/,
  );
  t.equal(nd.zeros([3], undefined).dtype, 'float64', 'undefined options are the defaults');
  t.end();
});

// ---- 7. speed of array() on nested data -------------------------------------------------------

test('array: 1000x1000 nested numbers, values exact in C order', (t) => {
  // Its speed (~4 ms here) is not asserted: timings belong to bench/, not to tests on a shared CI machine.
  const n = 1000;
  const nested = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => i * n + j + 0.5));
  const x = nd.array(nested);
  const d = x.data as Float64Array;
  t.equal(x.dtype, 'float64');
  t.deepEqual(x.shape, [n, n]);
  t.ok(
    d.every((v, k) => v === k + 0.5),
    'values in C order',
  );
  t.end();
});

// ---- 8. array(data, {shape}) owns its data ----------------------------------------------------

test('array(data, {shape}) builds a fresh array with the final shape, not a view', (t) => {
  const inputs: [string, () => NDArray][] = [
    ['nested', () => nd.array([1, 2, 3, 4], { shape: [2, 2] })],
    ['typed array', () => nd.array(new Int32Array([1, 2, 3, 4]), { shape: [2, 2] })],
    ['NDArray', () => nd.array(nd.arange(4), { shape: [2, 2] })],
    ['NDArray view', () => nd.array(nd.arange(8).slice('::2'), { shape: [2, 2] })],
    ['asarray of nested', () => nd.asarray([1, 2, 3, 4], { shape: [2, 2] })],
  ];
  for (const [label, make] of inputs) {
    const x = make();
    t.deepEqual(x.shape, [2, 2], `${label}: shape`);
    t.ok(
      x.flags.ownData && x.base === null && x.flags.cContiguous,
      `${label}: owns its data (ownData ${x.flags.ownData}, base ${x.base === null ? 'null' : 'set'})`,
    );
  }
  const s = nd.array(5, { shape: [1, 1] });
  t.ok(s.flags.ownData && s.base === null, 'scalar reshaped: owns its data');
  t.deepEqual(nd.array(nd.arange(8).slice('::2'), { shape: [2, 2] }).toArray(), [
    [0, 2],
    [4, 6],
  ]);
  throwsCoded(t, 'shape of another size', () => nd.array([1, 2, 3], { shape: [2, 2] }), NdshareError, 'ERR_NDSHARE_SHAPE_MISMATCH', /size 3/);
  t.end();
});
