// Differential tests of the NDArray core against NumPy: casts between every
// pair of dtypes NumPy has (bit-exact), random chains of view operations
// (values, shapes, and view-versus-copy), and creation functions.
import test from 'tape';
import * as nd from '../src/index.js';
import { NDArray, type DType, type Index } from '../src/index.js';
import { bytesOf, numpy, python, SKIP_MESSAGE } from './helpers/python.js';

const NUMPY_DTYPES: DType[] = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float16', 'float32', 'float64'];

// Values that exercise every cast rule: fractions, wraparound, the limits of
// each integer type, float16 rounding and overflow, NaN, ±Inf, -0.
const EDGE = [
  0,
  -0,
  1,
  -1,
  0.5,
  -0.5,
  1.5,
  2.5,
  -2.5,
  1.7,
  -1.7,
  127,
  128,
  -128,
  -129,
  255,
  256,
  300,
  -300,
  32767,
  32768,
  -32769,
  65535,
  65536,
  65504,
  65519,
  65520,
  1e5,
  2147483647,
  2147483648,
  -2147483649,
  4294967295,
  4294967296,
  1e10,
  -1e10,
  2 ** 53,
  2 ** 62,
  -(2 ** 62),
  6e-8,
  3e-5,
  0.1,
  1 / 3,
  NaN,
  Infinity,
  -Infinity,
];

const RANGES: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127],
  uint8: [0, 255],
  int16: [-32768, 32767],
  uint16: [0, 65535],
  int32: [-2147483648, 2147483647],
  uint32: [0, 4294967295],
  int64: [-(2 ** 63), 2 ** 63 - 1],
  uint64: [0, 2 ** 64 - 1],
};

/**
 * True when casting the float `v` to `to` is undefined behaviour in C, which
 * NumPy inherits (it warns "invalid value encountered in cast"): NaN, ±Inf or
 * a truncated value outside the target's range. Results then depend on the
 * CPU's conversion instructions, so they are not compared.
 */
function undefinedCast(v: unknown, to: DType): boolean {
  const range = RANGES[to];
  if (!range || typeof v !== 'number') return false;
  if (!Number.isFinite(v)) return true;
  const i = Math.trunc(v);
  return i < range[0] || i > range[1];
}

test('astype: every pair of dtypes matches NumPy bit for bit (defined casts)', (t) => {
  if (!numpy()) {
    t.skip(SKIP_MESSAGE);
    t.end();
    return;
  }
  const src = new Float64Array(EDGE);
  const pairs: [DType, DType][] = [];
  for (const a of NUMPY_DTYPES) for (const b of NUMPY_DTYPES) pairs.push([a, b]);
  const code = `
v = np.fromfile(os.path.join(D, 'in.bin'), dtype='<f8')
pairs = json.loads(open(os.path.join(D, 'pairs.json')).read())
with np.errstate(all='ignore'):
    for i, (a, b) in enumerate(pairs):
        v.astype(a).astype(b).tofile(os.path.join(D, 'out%04d' % i))
`;
  const { files } = python(code, {
    'in.bin': bytesOf(src),
    'pairs.json': new TextEncoder().encode(JSON.stringify(pairs)),
  });
  let mismatches = 0;
  pairs.forEach(([a, b], i) => {
    const ours = nd.asarray(src).astype(a).astype(b);
    const want = files[`out${String(i).padStart(4, '0')}`]!;
    if (Buffer.from(bytesOf(ours.data)).equals(want)) return;
    // Bytes differ: decode both; only NaN payloads and undefined casts may differ.
    const theirs = new NDArray(new ours.dtypeInfo.ctor(new Uint8Array(want).buffer) as never, b, [EDGE.length]);
    const mid = nd.asarray(src).astype(a);
    for (let k = 0; k < EDGE.length; k++) {
      if (undefinedCast(EDGE[k]!, a) || undefinedCast(mid.get(k), b)) continue;
      const g = ours.get(k);
      const w = theirs.get(k);
      if (Object.is(g, w) || (Number.isNaN(g) && Number.isNaN(w))) continue;
      mismatches++;
      t.fail(`${a} -> ${b}: input ${EDGE[k]}: ours ${String(g)}, NumPy ${String(w)}`);
      break;
    }
  });
  t.equal(mismatches, 0, `${pairs.length} dtype pairs compared over ${EDGE.length} edge values`);
  t.end();
});

test('astype: 64-bit integers beyond 2^53 round once to float32/float64/float16 as NumPy does', (t) => {
  if (!numpy()) {
    t.skip(SKIP_MESSAGE);
    t.end();
    return;
  }
  const ints = [2n ** 60n + 2n ** 36n + 1n, -(2n ** 62n) - 12345n, 2n ** 53n + 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 55n - 1n, 123456789n];
  const uints = [2n ** 64n - 2n ** 39n - 1n, 2n ** 64n - 1n, 2n ** 63n + 2n ** 38n + 1n, 2n ** 53n + 3n, 7n];
  const src = { i: new BigInt64Array(ints), u: new BigUint64Array(uints) };
  const { stdout } = python(
    `
i = np.fromfile(os.path.join(D, 'i.bin'), dtype='<i8'); u = np.fromfile(os.path.join(D, 'u.bin'), dtype='<u8')
out = {}
for name, a in (('i', i), ('u', u)):
    for dt in ('float32', 'float64', 'float16'):
        out[name + dt] = [repr(float(v)) for v in a.astype(dt)]
print(json.dumps(out))
`,
    { 'i.bin': bytesOf(src.i), 'u.bin': bytesOf(src.u) },
  );
  const fromRepr = (v: string) => (v === 'inf' ? Infinity : v === '-inf' ? -Infinity : Number(v));
  const want = Object.fromEntries(Object.entries(JSON.parse(stdout) as Record<string, string[]>).map(([k, v]) => [k, v.map(fromRepr)]));
  for (const [name, data] of Object.entries(src)) {
    for (const dt of ['float32', 'float64', 'float16'] as const) {
      t.deepEqual(nd.asarray(data).astype(dt).toArray(), want[name + dt], `${name === 'i' ? 'int64' : 'uint64'} -> ${dt}`);
    }
  }
  t.end();
});

type Op =
  | { op: 'slice'; idx: (number | null | '...' | [number | null, number | null, number | null])[] }
  | { op: 'transpose'; axes: number[] | null }
  | { op: 'reshape'; shape: number[] }
  | { op: 'squeeze' }
  | { op: 'expand'; axis: number }
  | { op: 'ravel' };

// A small deterministic PRNG so failures reproduce.
function rng(seed: number) {
  let s = seed >>> 0;
  return (n: number) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % n;
  };
}

function randomOp(x: NDArray, r: (n: number) => number): Op {
  const kind = r(6);
  if (kind === 0 && x.ndim > 0) {
    const idx: Op extends never ? never : (number | null | '...' | [number | null, number | null, number | null])[] = [];
    for (let a = 0; a < x.ndim; a++) {
      const len = x.shape[a]!;
      const c = r(5);
      if (c === 0 && len > 0) idx.push(r(2 * len) - len);
      else if (c === 1) idx.push(null, [null, null, null]);
      else {
        const step = [1, 2, -1, -2, 3][r(5)]!;
        const pick = () => (r(3) === 0 ? null : r(2 * len + 3) - len - 1);
        idx.push([pick(), pick(), step]);
      }
    }
    return { op: 'slice', idx };
  }
  if (kind === 1) {
    const axes = Array.from({ length: x.ndim }, (_, i) => i);
    for (let i = axes.length - 1; i > 0; i--) {
      const j = r(i + 1);
      [axes[i], axes[j]] = [axes[j]!, axes[i]!];
    }
    return { op: 'transpose', axes: r(3) === 0 ? null : axes };
  }
  if (kind === 2) {
    // Factor the size into a random shape.
    let n = x.size;
    const shape: number[] = [];
    for (const p of [2, 3, 2, 5, 2]) {
      if (n % p === 0 && r(2) === 0) {
        shape.push(p);
        n /= p;
      }
    }
    shape.push(n);
    if (r(2) === 0 && shape.length > 1 && x.size > 0) shape[r(shape.length)] = -1;
    return { op: 'reshape', shape };
  }
  if (kind === 3) return { op: 'squeeze' };
  if (kind === 4 && x.ndim < 6) return { op: 'expand', axis: r(x.ndim + 1) };
  return { op: 'ravel' };
}

function apply(x: NDArray, o: Op): NDArray {
  switch (o.op) {
    case 'slice':
      // [start, stop, step] tuples (the Python side's slices) as slice objects: a list is never a slice.
      return x.slice(...(o.idx.map((i) => (Array.isArray(i) ? { start: i[0], stop: i[1], step: i[2] } : i)) as Index[]));
    case 'transpose':
      return o.axes ? x.transpose(o.axes) : x.T;
    case 'reshape':
      return x.reshape(o.shape);
    case 'squeeze':
      return x.squeeze();
    case 'expand':
      return x.expandDims(o.axis);
    case 'ravel':
      return x.ravel();
  }
}

test('views: random chains of slice/transpose/reshape/squeeze/expand/ravel match NumPy', (t) => {
  if (!numpy()) {
    t.skip(SKIP_MESSAGE);
    t.end();
    return;
  }
  const r = rng(12345);
  type Result = { shape: number[]; values: number[]; view: boolean; strides: number[]; c: boolean; f: boolean };
  const cases: { shape: number[]; ops: Op[]; result: Result }[] = [];
  const shapes = [[24], [4, 6], [2, 3, 4], [2, 3, 2, 2], [1, 5, 1], [0, 3], [6, 1, 4]];
  for (let c = 0; c < 1000; c++) {
    const shape = shapes[r(shapes.length)]!;
    const base = nd.arange(shape.reduce((a, b) => a * b, 1)).reshape(shape);
    let x = base;
    const ops: Op[] = [];
    for (let k = 0; k < 1 + r(4); k++) {
      const o = randomOp(x, r);
      ops.push(o);
      x = apply(x, o);
    }
    const view = x.data === base.data;
    cases.push({
      shape,
      ops,
      result: {
        shape: [...x.shape],
        values: x.flatten().toArray() as number[],
        view,
        strides: x.strides.map((s) => s * 8),
        c: x.flags.cContiguous,
        f: x.flags.fContiguous,
      },
    });
  }
  const code = `
cases = json.loads(open(os.path.join(D, 'cases.json')).read())
out = []
for c in cases:
    base = np.arange(int(np.prod(c['shape'])), dtype=np.float64).reshape(c['shape'])
    x = base
    for o in c['ops']:
        if o['op'] == 'slice':
            idx = tuple(Ellipsis if i == '...' else (slice(*i) if isinstance(i, list) else i) for i in o['idx'])
            # slice() always gives a view; NumPy's all-integer index gives a scalar unless an Ellipsis is present.
            if Ellipsis not in idx: idx = idx + (Ellipsis,)
            x = x[idx]
        elif o['op'] == 'transpose':
            x = x.transpose(o['axes']) if o['axes'] is not None else x.T
        elif o['op'] == 'reshape':
            x = x.reshape(o['shape'])
        elif o['op'] == 'squeeze':
            x = x.squeeze()
        elif o['op'] == 'expand':
            x = np.expand_dims(x, o['axis'])
        elif o['op'] == 'ravel':
            x = x.ravel()
    out.append({'shape': list(x.shape), 'values': x.flatten().tolist(), 'view': bool(np.shares_memory(x, base)),
                'strides': list(x.strides), 'c': bool(x.flags.c_contiguous), 'f': bool(x.flags.f_contiguous)})
print(json.dumps(out))
`;
  const { stdout } = python(code, { 'cases.json': new TextEncoder().encode(JSON.stringify(cases)) });
  const expected = JSON.parse(stdout) as Result[];
  let bad = 0;
  cases.forEach((c, i) => {
    const e = expected[i]!;
    const same =
      JSON.stringify(c.result.shape) === JSON.stringify(e.shape) &&
      JSON.stringify(c.result.values) === JSON.stringify(e.values) &&
      (c.result.view === e.view || c.result.values.length === 0) &&
      c.result.c === e.c &&
      c.result.f === e.f &&
      // Strides of length-1 and empty axes are free to differ (NumPy itself varies them).
      c.result.strides.every((s, k) => s === e.strides[k] || c.result.shape[k]! <= 1 || c.result.values.length === 0);
    if (!same && bad++ < 5) {
      t.fail(`case ${i}: shape ${JSON.stringify(c.shape)} ops ${JSON.stringify(c.ops)}: ours ${JSON.stringify(c.result)} NumPy ${JSON.stringify(e)}`);
    }
  });
  t.equal(bad, 0, `${cases.length} random view chains agree with NumPy (values, shape, strides, flags, view or copy)`);
  t.end();
});

test('creation: arange, linspace and eye match NumPy exactly', (t) => {
  if (!numpy()) {
    t.skip(SKIP_MESSAGE);
    t.end();
    return;
  }
  const specs = [
    { f: 'arange', args: [0, 1, 0.1] },
    { f: 'arange', args: [-3.5, 7.25, 0.3] },
    { f: 'arange', args: [10, 0, -0.7] },
    { f: 'linspace', args: [0, 1, 7] },
    { f: 'linspace', args: [-2.5, 1e6, 101] },
    { f: 'linspace', args: [1, 1, 5] },
    { f: 'linspace', args: [0, 10, 1] },
  ];
  const ours = specs.map((s) =>
    s.f === 'arange'
      ? (nd.arange(...(s.args as [number, number, number])).toArray() as number[])
      : (nd.linspace(s.args[0]!, s.args[1]!, s.args[2]!).toArray() as number[]),
  );
  const { stdout } = python(`
specs = ${JSON.stringify(specs)}
out = []
for s in specs:
    a = s['args']
    out.append((np.arange(*a, dtype=np.float64) if s['f'] == 'arange' else np.linspace(a[0], a[1], int(a[2]))).tolist())
print(json.dumps(out))
`);
  const theirs = JSON.parse(stdout) as number[][];
  specs.forEach((s, i) => t.deepEqual(ours[i], theirs[i], `${s.f}(${s.args.join(', ')})`));
  const { stdout: eyeOut } = python('print(json.dumps(np.eye(4, 6, k=-2).tolist()))');
  t.deepEqual(nd.eye(4, 6, { k: -2 }).toArray(), JSON.parse(eyeOut), 'eye(4, 6, k=-2)');
  t.end();
});
