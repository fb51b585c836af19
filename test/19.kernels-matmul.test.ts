// math.matmul against NumPy: every dtype, shapes around the micro-tile sizes,
// transposed / negative / gapped / broadcast strides, every ISA path, one
// thread and the default threads, and bad descs that must throw coded errors.
import test from 'tape';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { native } from '../src/binding.js';
import { NdshareRangeError, NdshareTypeError } from '../src/errors.js';
import { throwsCoded } from './helpers/assert.js';
import { numpy, python, SKIP_MESSAGE } from './helpers/python.js';
import { at } from './helpers/checked.js';

const m = native.math;
const D = m.dtypes;

type Typed = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | BigInt64Array | BigUint64Array | Float32Array | Float64Array;
type Ctor = { new (n: number): Typed; new (buf: ArrayBuffer, off: number, len: number): Typed; BYTES_PER_ELEMENT: number };

const STORAGE: Record<string, Ctor> = {
  bool: Uint8Array,
  int8: Int8Array,
  uint8: Uint8Array,
  int16: Int16Array,
  uint16: Uint16Array,
  int32: Int32Array,
  uint32: Uint32Array,
  int64: BigInt64Array,
  uint64: BigUint64Array,
  float16: Uint16Array,
  bfloat16: Uint16Array,
  float32: Float32Array,
  float64: Float64Array,
} as unknown as Record<string, Ctor>;
const DTYPES = Object.keys(STORAGE);
const FLOATS = new Set(['float16', 'bfloat16', 'float32', 'float64']);

function isas(): string[] {
  return [...native.kernels.isas];
}

interface Case {
  dtype: string;
  batch: number[]; // out's batch shape
  aBatch: number[]; // 1 where a broadcasts
  bBatch: number[];
  M: number;
  N: number;
  K: number;
}

const prod = (s: number[]): number => s.reduce((x, y) => x * y, 1);

function cases(): Case[] {
  const list: Case[] = [];
  const plain = (dtype: string, M: number, N: number, K: number): void => {
    list.push({ dtype, batch: [], aBatch: [], bBatch: [], M, N, K });
  };
  for (const dtype of DTYPES) {
    for (const [M, N, K] of <[number, number, number][]>[
      [0, 3, 4],
      [3, 0, 4],
      [3, 4, 0],
      [1, 1, 1],
      [2, 2, 2],
      [7, 15, 17],
      [17, 31, 33],
      [1, 65, 7],
      [65, 1, 33],
    ]) {
      plain(dtype, M, N, K);
    }
    // Broadcast batches: a broadcast over the first axis, b over the second.
    list.push({ dtype, batch: [2, 3], aBatch: [1, 3], bBatch: [2, 1], M: 5, N: 9, K: 6 });
    list.push({ dtype, batch: [3], aBatch: [3], bBatch: [1], M: 15, N: 33, K: 16 });
    // Enough total work for the batch-parallel path.
    list.push({ dtype, batch: [4], aBatch: [4], bBatch: [4], M: 64, N: 48, K: 80 });
    // One product big enough for the row-split (integers) or threaded GEMM (floats).
    plain(dtype, 70, 80, 60);
  }
  for (const dtype of ['float32', 'float64', 'float16', 'bfloat16']) {
    for (const [M, N, K] of <[number, number, number][]>[
      [31, 33, 65],
      [33, 65, 129],
      [129, 31, 7],
      [15, 17, 31],
      [300, 257, 129],
      [150, 200, 400],
      [600, 20, 400],
      [50, 60, 1400],
    ])
      plain(dtype, M, N, K);
    list.push({ dtype, batch: [2], aBatch: [2], bBatch: [1], M: 200, N: 180, K: 190 });
  }
  for (const dtype of ['int32', 'uint8', 'int64']) plain(dtype, 129, 65, 33);
  return list;
}

// NumPy makes the inputs (so every dtype, float16/bfloat16 included, is
// generated there) and the references: exact for integers and bool, float64
// products and |a| @ |b| (for the error bound) for floats.
const PY = `
cases = json.load(open(os.path.join(D, 'cases.json')))
rng = np.random.default_rng(19)
def gen(dt, shape):
    if dt == 'bool':
        return rng.random(shape) < 0.3
    if dt == 'bfloat16':
        bits = rng.standard_normal(shape).astype(np.float32).view(np.uint32).astype(np.uint64)
        return ((bits + 0x7fff + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
    if dt.startswith('float'):
        return rng.standard_normal(shape).astype(dt)
    info = np.iinfo(dt)
    return rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dt)
def as64(dt, x):
    if dt == 'bfloat16':
        return (x.astype(np.uint32) << 16).view(np.float32).astype(np.float64)
    return x.astype(np.float64)
for i, c in enumerate(cases):
    dt = c['dtype']
    a = gen(dt, c['aBatch'] + [c['M'], c['K']])
    b = gen(dt, c['bBatch'] + [c['K'], c['N']])
    a.tofile(os.path.join(D, f'out{i}_a')); b.tofile(os.path.join(D, f'out{i}_b'))
    if dt in ('float16', 'bfloat16', 'float32', 'float64'):
        a64, b64 = as64(dt, a), as64(dt, b)
        np.matmul(a64, b64).tofile(os.path.join(D, f'out{i}_r'))
        np.matmul(np.abs(a64), np.abs(b64)).tofile(os.path.join(D, f'out{i}_s'))
    else:
        np.matmul(a, b).astype(a.dtype).tofile(os.path.join(D, f'out{i}_r'))
`;

function view(buf: Buffer | undefined, T: Ctor): Typed {
  const bytes = new Uint8Array(buf ?? new Uint8Array(0)); // copy: aligned, own buffer
  return new T(bytes.buffer, 0, bytes.byteLength / T.BYTES_PER_ELEMENT);
}

const LAYOUTS = ['c', 'f', 'neg', 'gap'] as const;
type Layout = (typeof LAYOUTS)[number];

interface Placed {
  data: Typed;
  offset: number;
  strides: number[];
  mask: Uint8Array; // 1 where an element is addressed
}

// Puts a C-ordered logical array `values` of `shape` into a bigger typed array
// with the given memory layout; every other element holds a sentinel.
function place(values: Typed | null, shape: number[], layout: Layout, T: Ctor, sentinel: number | bigint): Placed {
  const nd = shape.length;
  const order = [...Array(nd).keys()];
  if (layout === 'f' && nd >= 2) [order[nd - 2], order[nd - 1]] = [at(order, nd - 1), at(order, nd - 2)];
  const strides = new Array<number>(nd).fill(0);
  let step = layout === 'gap' ? 2 : 1;
  for (let i = nd - 1; i >= 0; i--) {
    const ax = at(order, i);
    strides[ax] = step;
    step *= Math.max(at(shape, ax), 1);
    if (layout === 'gap') step += 1;
  }
  let offset = 3;
  if (layout === 'neg') {
    for (const ax of [nd - 2, nd - 1]) {
      offset += at(strides, ax) * Math.max(at(shape, ax) - 1, 0);
      strides[ax] = -at(strides, ax);
    }
  }
  const data = new T(offset + step + 5);
  data.fill(sentinel as never);
  const mask = new Uint8Array(data.length);
  const n = prod(shape);
  const idx = new Array<number>(nd).fill(0);
  for (let lin = 0; lin < n; lin++) {
    let pos = offset;
    for (let d = 0; d < nd; d++) pos += at(idx, d) * at(strides, d);
    if (values) data[pos] = values[lin] as never;
    mask[pos] = 1;
    for (let d = nd - 1; d >= 0; d--) {
      if ((idx[d] = at(idx, d) + 1) < at(shape, d)) break;
      idx[d] = 0;
    }
  }
  return { data, offset, strides, mask };
}

function descFor(c: Case, a: Placed, b: Placed, out: Placed): Float64Array {
  const nb = c.batch.length;
  const d: number[] = [nb, ...c.batch, c.M, c.N, c.K];
  const push = (p: Placed, own: number[]): void => {
    d.push(p.offset, ...own.map((s, i) => (s === 1 && c.batch[i] !== 1 ? 0 : at(p.strides, i))), at(p.strides, nb), at(p.strides, nb + 1));
  };
  push(a, c.aBatch);
  push(b, c.bBatch);
  push(out, c.batch);
  return new Float64Array(d);
}

function halfToNumber(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * f * 2 ** -24;
  if (e === 31) return f ? NaN : s * Infinity;
  return s * (1 + f / 1024) * 2 ** (e - 15);
}
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
function bf16ToNumber(h: number): number {
  u32[0] = h << 16;
  return f32[0]!; // a scratch of length 1
}

interface Prepared {
  c: Case;
  a: Typed;
  b: Typed;
  r: Typed;
  s: Float64Array | null;
}

// Runs case `p` with layouts chosen by `variant`; returns a failure message or null.
function check(p: Prepared, variant: number): string | null {
  const { c } = p;
  const T = at(STORAGE, c.dtype);
  const big = c.dtype === 'int64' || c.dtype === 'uint64';
  const sentinel = big ? 77n : c.dtype === 'float16' ? 0x7e00 : 77;
  const la = at(LAYOUTS, variant % 4),
    lb = at(LAYOUTS, (variant + 1) % 4),
    lo = at(LAYOUTS, (variant >> 1) % 4);
  let av = p.a;
  if (c.dtype === 'bool') av = (av as Uint8Array).map((x, i) => (x ? 1 + ((i * 37) % 255) : 0)); // any nonzero is true
  const a = place(av, [...c.aBatch, c.M, c.K], la, T, big ? 5n : 5);
  const b = place(p.b, [...c.bBatch, c.K, c.N], lb, T, big ? 5n : 5);
  const out = place(null, [...c.batch, c.M, c.N], lo, T, sentinel);
  const before = out.data.slice();
  m.matmul(at(D, c.dtype), [a.data, b.data, out.data], descFor(c, a, b, out));
  const n = prod(c.batch) * c.M * c.N;
  const idx = new Array<number>(c.batch.length + 2).fill(0);
  const shape = [...c.batch, c.M, c.N];
  const isFloat = FLOATS.has(c.dtype);
  const eps = c.dtype === 'float64' ? 2 ** -52 : 2 ** -23;
  const round = c.dtype === 'float16' ? 2 ** -11 : c.dtype === 'bfloat16' ? 2 ** -8 : 0;
  const tiny = c.dtype === 'float16' ? 2 ** -24 : 1e-300;
  for (let lin = 0; lin < n; lin++) {
    let pos = out.offset;
    for (let d = 0; d < shape.length; d++) pos += at(idx, d) * at(out.strides, d);
    const got = out.data[pos];
    if (isFloat) {
      const g = c.dtype === 'float16' ? halfToNumber(got as number) : c.dtype === 'bfloat16' ? bf16ToNumber(got as number) : (got as number);
      const ref = p.r[lin] as number;
      const tol = (c.K + 2) * eps * at(p.s as Float64Array, lin) + round * Math.abs(ref) + tiny;
      if (!(Math.abs(g - ref) <= tol)) return `element ${lin}: ${g} vs ${ref} (tol ${tol})`;
    } else if (c.dtype === 'bool') {
      if (got !== p.r[lin]) return `element ${lin}: ${got} vs ${p.r[lin]}`;
    } else if (got !== p.r[lin]) {
      return `element ${lin}: ${got} vs ${p.r[lin]}`;
    }
    for (let d = shape.length - 1; d >= 0; d--) {
      if ((idx[d] = at(idx, d) + 1) < at(shape, d)) break;
      idx[d] = 0;
    }
  }
  for (let i = 0; i < out.data.length; i++) {
    if (!out.mask[i] && out.data[i] !== before[i]) return `element ${i} outside out was written`;
  }
  return null;
}

test('matmul matches NumPy for every dtype, layout, ISA and thread setting', (t) => {
  if (!numpy()) {
    t.skip(SKIP_MESSAGE);
    t.end();
    return;
  }
  const list = cases();
  const py = python(PY, { 'cases.json': new TextEncoder().encode(JSON.stringify(list)) });
  const prepared: Prepared[] = list.map((c, i) => {
    const T = at(STORAGE, c.dtype);
    const isFloat = FLOATS.has(c.dtype);
    return {
      c,
      a: view(py.files[`out${i}_a`], T),
      b: view(py.files[`out${i}_b`], T),
      r: isFloat ? view(py.files[`out${i}_r`], Float64Array as unknown as Ctor) : view(py.files[`out${i}_r`], T),
      s: isFloat ? (view(py.files[`out${i}_s`], Float64Array as unknown as Ctor) as Float64Array) : null,
    };
  });
  const defaultThreads = m.getThreads();
  try {
    for (const isa of isas()) {
      native.kernels.setIsa(isa);
      for (const threads of [1, defaultThreads]) {
        m.setThreads(threads);
        const failures: string[] = [];
        prepared.forEach((p, i) => {
          const msg = check(p, i + threads);
          if (msg) failures.push(`${p.c.dtype} batch [${p.c.batch}] ${p.c.M}x${p.c.N}x${p.c.K}: ${msg}`);
        });
        t.deepEqual(failures, [], `${isa}, ${threads} thread(s): ${prepared.length} cases`);
        if (threads === defaultThreads) break;
      }
    }
  } finally {
    native.kernels.setIsa('auto');
    m.setThreads(defaultThreads);
  }
  t.end();
});

test('matmul: threads 1 and default agree, float32 and float64', (t) => {
  const defaultThreads = m.getThreads();
  try {
    for (const [dtype, T] of [
      ['float32', Float32Array],
      ['float64', Float64Array],
    ] as const) {
      const M = 260,
        N = 300,
        K = 270;
      const a = new T(M * K).map((_, i) => Math.sin(i));
      const b = new T(K * N).map((_, i) => Math.cos(i));
      const desc = new Float64Array([0, M, N, K, 0, K, 1, 0, N, 1, 0, N, 1]);
      const one = new T(M * N),
        many = new T(M * N);
      m.setThreads(1);
      m.matmul(D[dtype], [a, b, one], desc);
      m.setThreads(Math.max(2, defaultThreads));
      m.matmul(D[dtype], [a, b, many], desc);
      let worst = 0;
      for (let i = 0; i < one.length; i++) worst = Math.max(worst, Math.abs(at(one, i) - at(many, i)));
      t.ok(worst <= K * (dtype === 'float32' ? 1e-6 : 1e-14), `${dtype}: max difference ${worst}`);
    }
  } finally {
    m.setThreads(defaultThreads);
  }
  t.end();
});

test('matmul: out overlapping an input still gets a @ b (the input is read first)', (t) => {
  const M = 20,
    K = 20,
    N = 20;
  const x = new Float64Array(M * K).map((_, i) => (i % 7) - 3);
  const b = new Float64Array(K * N).map((_, i) => (i % 5) - 2);
  const expect = new Float64Array(M * N);
  for (let i = 0; i < M; i++)
    for (let j = 0; j < N; j++) for (let k = 0; k < K; k++) expect[i * N + j] = at(expect, i * N + j) + at(x, i * K + k) * at(b, k * N + j);
  m.matmul(D.float64, [x, b, x], new Float64Array([0, M, N, K, 0, K, 1, 0, N, 1, 0, N, 1]));
  t.deepEqual(Array.from(x), Array.from(expect));
  t.end();
});

test('matmul from several worker threads at once (one pool, busy callers fall back)', async (t) => {
  const M = 192,
    N = 200,
    K = 210;
  const a = new Float32Array(M * K).map((_, i) => Math.sin(i));
  const b = new Float32Array(K * N).map((_, i) => Math.cos(i * 0.7));
  const desc = new Float64Array([0, M, N, K, 0, K, 1, 0, N, 1, 0, N, 1]);
  const ref = new Float32Array(M * N);
  m.matmul(D.float32, [a, b, ref], desc);
  const addon = fileURLToPath(new URL('../build/Release/ndshare.node', import.meta.url));
  const code = `
    const { parentPort, workerData: w } = require('node:worker_threads');
    const m = require(w.addon).math;
    const out = new Float32Array(w.M * w.N);
    let same = 0;
    for (let r = 0; r < 30; r++) {
      out.fill(0);
      m.matmul(m.dtypes.float32, [w.a, w.b, out], w.desc);
      if (out.every((v, i) => v === w.ref[i])) same++;
    }
    parentPort.postMessage(same);
  `;
  const runs = [0, 1, 2].map(
    () =>
      new Promise<number>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { addon, a, b, desc, ref, M, N } });
        w.once('message', (n: number) => {
          resolve(n);
          void w.terminate();
        });
        w.once('error', reject);
      }),
  );
  // The main thread keeps calling too.
  let mainSame = 0;
  const out = new Float32Array(M * N);
  for (let r = 0; r < 10; r++) {
    m.matmul(D.float32, [a, b, out], desc);
    if (out.every((v, i) => v === ref[i])) mainSame++;
  }
  const counts = await Promise.all(runs);
  t.deepEqual(counts, [30, 30, 30], 'every worker result is bit-identical to the reference');
  t.equal(mainSame, 10, 'main thread results too');
});

test('getThreads / setThreads', (t) => {
  const n = m.getThreads();
  t.ok(Number.isInteger(n) && n >= 1 && n <= 64, `default ${n}`);
  m.setThreads(1);
  t.equal(m.getThreads(), 1);
  m.setThreads(n);
  t.equal(m.getThreads(), n);
  for (const bad of [0, -1, 1.5, NaN, 65]) {
    throwsCoded(t, `setThreads(${bad})`, () => m.setThreads(bad), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE');
  }
  throwsCoded(t, 'setThreads("2")', () => m.setThreads('2' as never), NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE');
  t.end();
});

test('bad matmul arguments throw coded errors', (t) => {
  const a = new Float64Array(12),
    b = new Float64Array(12),
    c = new Float64Array(9);
  // 3x4 @ 4x3
  const good = [0, 3, 3, 4, 0, 4, 1, 0, 3, 1, 0, 3, 1];
  m.matmul(D.float64, [a, b, c], new Float64Array(good));
  t.pass('the good desc runs');
  const range = (label: string, desc: number[], ops: Typed[] = [a, b, c], dtype = D.float64): void => {
    throwsCoded(t, label, () => m.matmul(dtype, ops, new Float64Array(desc)), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE');
  };
  const type = (label: string, fn: () => unknown): void => {
    throwsCoded(t, label, fn, NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE');
  };
  const with_ = (i: number, v: number): number[] => good.map((x, j) => (j === i ? v : x));
  range('empty desc', []);
  range('short desc', good.slice(0, -1));
  range('long desc', [...good, 0]);
  range('nbatch negative', with_(0, -1));
  range('nbatch huge', with_(0, 63));
  range('nbatch fractional', with_(0, 0.5));
  range('M negative', with_(1, -3));
  range('K NaN', with_(3, NaN));
  range('a offset past the end', with_(4, 1));
  range('a offset negative', with_(4, -1));
  range('a row stride too big', with_(5, 5));
  range('b column stride negative', with_(9, -1));
  range('out row stride too big', with_(11, 4));
  range('stride Infinity', with_(11, Infinity));
  range('stride 2^60', with_(5, 2 ** 60));
  range('size overflow', [1, 2 ** 40, 2 ** 20, 2 ** 20, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 1]);
  range('batch stride out of bounds', [1, 2, 3, 3, 4, 0, 1, 4, 1, 0, 0, 3, 1, 0, 9, 3, 1]);
  range('dtype 13', good, [a, b, c], 13);
  range('dtype -1', good, [a, b, c], -1);
  range('two operands', good, [a, b]);
  type('wrong typed array', () => m.matmul(D.float32, [a, b, c], new Float64Array(good)));
  type('int64 with Float64Array', () => m.matmul(D.int64, [a, b, c], new Float64Array(good)));
  type('float16 with Int16Array', () => m.matmul(D.float16, [new Int16Array(12), new Int16Array(12), new Int16Array(9)], new Float64Array(good)));
  type('desc Float32Array', () => m.matmul(D.float64, [a, b, c], new Float32Array(good) as never));
  type('operands not an array', () => m.matmul(D.float64, a as never, new Float64Array(good)));
  type('operand not a typed array', () => m.matmul(D.float64, [a, [1, 2] as never, c], new Float64Array(good)));
  type('dtype not a number', () => m.matmul('float64' as never, [a, b, c], new Float64Array(good)));
  // Empty products check nothing beyond the shape but never touch memory.
  m.matmul(D.float64, [new Float64Array(0), new Float64Array(20), new Float64Array(0)], new Float64Array([0, 0, 5, 4, 0, 4, 1, 0, 5, 1, 0, 5, 1]));
  t.pass('M = 0 with empty a and out is fine');
  const out = new Float64Array(6).fill(9);
  m.matmul(D.float64, [new Float64Array(0), new Float64Array(0), out], new Float64Array([0, 2, 3, 0, 0, 0, 1, 0, 3, 1, 0, 3, 1]));
  t.deepEqual(Array.from(out), [0, 0, 0, 0, 0, 0], 'K = 0 gives zeros');
  t.end();
});
