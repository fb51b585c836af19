// matmul, dot, concatenate and stack against NumPy 2: every dtype (integers
// exact with wraparound, bool), vector/matrix/batched forms with broadcasting,
// transposed and sliced operands, empty dimensions, the thread count, and the
// shape errors. One python3 process per test.
import test from 'tape';
import * as nd from '../src/index.js';
import { type NDArray, NdshareError, NdshareRangeError, type DType } from '../src/index.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';
import { ALL_DTYPES, arrayOf, availableIsas, checkAll, diff, edgeValues, type Case, type Tol, skipWithoutNumpy, isFloatDType } from './helpers/numpy-diff.js';

const isFloat = isFloatDType;
const SHAPE_MISMATCH = 'ERR_NDSHARE_SHAPE_MISMATCH';

function maxAbs(x: NDArray): number {
  const f = x.astype('float64').copy();
  let m = 0;
  for (let i = 0; i < f.size; i++) m = Math.max(m, Math.abs(f.data[i] as number));
  return m;
}

/** K*eps*max|a|*max|b| (as ulps of that magnitude) for float products; exact otherwise. */
function mmTol(a: NDArray, b: NDArray, K: number): Tol {
  if (!isFloat(a.dtype) && !isFloat(b.dtype)) return 'exact';
  return { ulps: Math.max(K, 2), floor: maxAbs(a) * maxAbs(b) };
}

/** Finite values for float products (small integers and fractions), edge values for integers. */
function vals(d: DType, n: number, rand: () => number): (number | bigint | boolean)[] {
  if (isFloat(d)) return Array.from({ length: n }, () => Math.round((rand() / 2 ** 32 - 0.5) * 64) / 8);
  return edgeValues(d, n, rand);
}

function mk(d: DType, shape: number[], rand: () => number): NDArray {
  return arrayOf(
    vals(
      d,
      shape.reduce((p, q) => p * q, 1),
      rand,
    ),
    d,
  ).reshape(shape);
}

test('matmul: every dtype, vector and matrix forms, batches with broadcasting', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(720);
  const cases: Case[] = [];
  const forms: [string, number[], number[]][] = [
    ['(3,4)@(4,5)', [3, 4], [4, 5]],
    ['(4,)@(4,)', [4], [4]],
    ['(4,)@(4,5)', [4], [4, 5]],
    ['(3,4)@(4,)', [3, 4], [4]],
    ['(2,1,3,4)@(5,4,2)', [2, 1, 3, 4], [5, 4, 2]],
    ['(2,3,4)@(4,)', [2, 3, 4], [4]],
    ['(4,)@(2,4,3)', [4], [2, 4, 3]],
    ['(1,1)@(1,1)', [1, 1], [1, 1]],
    ['(0,4)@(4,5)', [0, 4], [4, 5]],
    ['(3,0)@(0,5)', [3, 0], [0, 5]],
    ['(3,4)@(4,0)', [3, 4], [4, 0]],
    ['(0,)@(0,)', [0], [0]],
    ['(2,0,3)@(3,2)', [2, 0, 3], [3, 2]],
    ['(17,33)@(33,9)', [17, 33], [33, 9]],
  ];
  for (const d of ALL_DTYPES) {
    for (const [label, sa, sb] of forms) {
      const a = mk(d, sa, rand);
      const b = mk(d, sb, rand);
      cases.push({ label: `${d} ${label}`, expr: 'np.matmul(a0, a1)', args: [a, b], ours: () => nd.matmul(a, b), tol: mmTol(a, b, sa[sa.length - 1]!) });
    }
    // Transposed, sliced, reversed operands.
    const a = mk(d, [6, 5], rand);
    const b = mk(d, [8, 6], rand);
    cases.push({ label: `${d} a.T @ b.T`, expr: 'a0.T @ a1.T', args: [a, b], ours: () => nd.matmul(a.T, b.T), tol: mmTol(a, b, 6) });
    cases.push({
      label: `${d} a[::2] @ b[1::2, ::-1].T`,
      expr: 'a0[::2] @ a1[::2, ::-1][:, :5].T',
      args: [a, b],
      ours: () => nd.matmul(a.slice('::2'), b.slice('::2', '::-1').slice(':', ':5').T),
      tol: mmTol(a, b, 5),
    });
    cases.push({
      label: `${d} a[:, ::-1] @ vector[::-1]`,
      expr: 'a0[:, ::-1] @ a1[0, ::-1][:5]',
      args: [a, b],
      ours: () => nd.matmul(a.slice(':', '::-1'), b.slice(0, '::-1').slice(':5')),
      tol: mmTol(a, b, 5),
    });
    const c3 = mk(d, [3, 4, 5], rand);
    cases.push({
      label: `${d} 3-D transposed batch`,
      expr: 'a0.transpose(2, 1, 0) @ a1[:, :3].T',
      args: [c3, b],
      ours: () => nd.matmul(c3.transpose([2, 1, 0]), b.slice(':', ':3').T),
      tol: mmTol(c3, b, 3),
    });
  }
  // Mixed dtypes promote.
  const i8 = mk('int8', [3, 4], rand);
  for (const d of ['uint8', 'int16', 'float16', 'float32', 'bool', 'uint64'] as DType[]) {
    const b = mk(d, [4, 2], rand);
    cases.push({ label: `int8 @ ${d}`, expr: 'a0 @ a1', args: [i8, b], ours: () => nd.matmul(i8, b), tol: mmTol(i8, b, 4) });
  }
  // Large integer products wrap exactly.
  const big = arrayOf([2n ** 62n, 3n, -(2n ** 63n), 2n ** 40n, 7n, -1n], 'int64').reshape([2, 3]);
  cases.push({ label: 'int64 wraparound', expr: 'a0 @ a0.T', args: [big], ours: () => nd.matmul(big, big.T) });
  const u8 = arrayOf([255, 255, 200, 17], 'uint8').reshape([2, 2]);
  cases.push({ label: 'uint8 wraparound', expr: 'a0 @ a0', args: [u8], ours: () => nd.matmul(u8, u8) });
  // NaN / Inf.
  const fn = arrayOf([NaN, 1, Infinity, 0, -Infinity, 2], 'float64').reshape([2, 3]);
  const fo = arrayOf([1, 2, 3, 4, 5, 6], 'float64').reshape([3, 2]);
  cases.push({ label: 'float64 NaN/Inf', expr: 'a0 @ a1', args: [fn, fo], ours: () => nd.matmul(fn, fo) });
  {
    const o = nd.zeros([3, 5], { dtype: 'float64' });
    const a = mk('float32', [3, 4], rand);
    const b = mk('float32', [4, 5], rand);
    cases.push({
      label: 'out float64 for float32 @ float32',
      expr: '(np.matmul(a0, a1, out=a2), a2)[1]',
      args: [a, b, o],
      ours: () => (nd.matmul(a, b, { out: o }), o),
      tol: mmTol(a, b, 4),
    });
  }
  checkAll(
    t,
    'matmul',
    cases.filter((c) => !c.label.startsWith('out')),
    availableIsas(),
  );
  {
    const a = mk('float64', [4, 4], rand);
    const b = mk('float64', [4, 4], rand);
    cases.push({
      label: 'out aliasing x1 (a = a @ b)',
      expr: '(np.matmul(a0, a1, out=a0), a0)[1]',
      args: [a, b],
      ours: () => (nd.matmul(a, b, { out: a }), a),
      tol: mmTol(a, b, 4),
    });
    const c = mk('int32', [3, 3], rand);
    cases.push({
      label: 'out aliasing both (c = c @ c.T) into a view',
      expr: '(np.matmul(a0, a0.T, out=a0), a0)[1]',
      args: [c],
      ours: () => (nd.matmul(c, c.T, { out: c }), c),
    });
  }
  checkAll(
    t,
    'matmul out',
    cases.filter((c) => c.label.startsWith('out')),
  );
  t.end();
});

test('matmul: larger float products (blocking edges), 1 thread vs default', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(721);
  const cases: Case[] = [];
  const sizes: [number, number, number][] = [
    [67, 129, 33],
    [128, 256, 64],
    [1, 300, 1],
    [300, 1, 200],
    [5, 1000, 3],
    [130, 70, 257],
  ];
  const results: [string, () => NDArray][] = [];
  for (const d of ['float32', 'float64', 'float16', 'bfloat16', 'int32'] as DType[]) {
    for (const [M, K, N] of sizes) {
      const a = arrayOf(
        Array.from({ length: M * K }, () => (rand() / 2 ** 32) * 2 - 1),
        d === 'int32' ? 'float64' : d,
      ).reshape([M, K]);
      const b = arrayOf(
        Array.from({ length: K * N }, () => (rand() / 2 ** 32) * 2 - 1),
        d === 'int32' ? 'float64' : d,
      ).reshape([K, N]);
      const ai = d === 'int32' ? nd.multiply(a, 1000).astype('int32') : a;
      const bi = d === 'int32' ? nd.multiply(b, 1000).astype('int32') : b;
      cases.push({ label: `${d} (${M},${K})@(${K},${N})`, expr: 'a0 @ a1', args: [ai, bi], ours: () => nd.matmul(ai, bi), tol: mmTol(ai, bi, K) });
      cases.push({
        label: `${d} (${M},${K}).T-layout`,
        expr: 'np.asfortranarray(a0) @ np.asfortranarray(a1)',
        args: [ai, bi],
        ours: () => nd.matmul(ai.copy('F'), bi.copy('F')),
        tol: mmTol(ai, bi, K),
      });
      results.push([`${d} ${M}x${K}x${N}`, () => nd.matmul(ai, bi)]);
    }
  }
  // Integer and bool products with long K (wrapping accumulators, early exits for bool rows).
  for (const d of ['bool', 'int8', 'uint8', 'int16', 'int64', 'uint64'] as DType[]) {
    for (const [M, K, N, density] of [
      [64, 300, 70, 0.02],
      [33, 1000, 5, 0.5],
      [5, 2049, 9, 0.001],
    ] as [number, number, number, number][]) {
      const gen = (len: number): (number | bigint | boolean)[] =>
        d === 'bool' ? Array.from({ length: len }, () => rand() / 2 ** 32 < density) : edgeValues(d, len, rand);
      const a = arrayOf(gen(M * K), d).reshape([M, K]);
      const b = arrayOf(gen(K * N), d).reshape([K, N]);
      cases.push({ label: `${d} (${M},${K})@(${K},${N})`, expr: 'a0 @ a1', args: [a, b], ours: () => nd.matmul(a, b) });
      cases.push({ label: `${d} (${M},${K})@(${K},${N}) transposed`, expr: 'a1.T.copy().T.T @ a0.T', args: [a, b], ours: () => nd.matmul(b.T, a.T) });
    }
  }
  checkAll(t, 'matmul large', cases, availableIsas());
  // Threads: 1 against the default, on products big enough to be split.
  const threads = nd.getThreads();
  const rand2 = mulberry32(722);
  for (const d of ['float32', 'float64'] as DType[]) {
    const a = arrayOf(
      Array.from({ length: 300 * 257 }, () => (rand2() / 2 ** 32) * 2 - 1),
      d,
    ).reshape([300, 257]);
    const b = arrayOf(
      Array.from({ length: 257 * 310 }, () => (rand2() / 2 ** 32) * 2 - 1),
      d,
    ).reshape([257, 310]);
    nd.setThreads(1);
    const one = nd.matmul(a, b);
    const want = { dtype: d, shape: one.shape.slice(), value: one, hasBf16: false, hasF16: false };
    for (const n of [threads, 3, 4]) {
      nd.setThreads(n);
      const many = nd.matmul(a, b);
      t.equal(diff(many, want, mmTol(a, b, 257)), null, `${d} 300x257x310: setThreads(1) and ${n} threads agree within K*eps`);
      const mt = nd.matmul(a.slice('1:').T.copy().T, b.slice(':', '::-1').slice(':', '1:'));
      const ref = {
        dtype: d,
        shape: mt.shape.slice(),
        value: (nd.setThreads(1), nd.matmul(a.slice('1:'), b.slice(':', '::-1').slice(':', '1:'))),
        hasBf16: false,
        hasF16: false,
      };
      t.equal(diff(mt, ref, mmTol(a, b, 257)), null, `${d} F-ordered and reversed operands, ${n} threads against 1`);
    }
    nd.setThreads(threads);
  }
  t.equal(nd.getThreads(), threads, 'thread count restored');
  for (const bad of [0, -1, 1.5, NaN]) throwsCoded(t, `setThreads(${bad})`, () => nd.setThreads(bad), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE');
  t.equal(nd.getThreads(), threads, 'a refused setThreads leaves the count');
  t.end();
});

test('matmul errors: mismatched inner dimensions, 0-d operands, batch shapes, out shape', (t) => {
  const e = (label: string, f: () => unknown, code = SHAPE_MISMATCH): void => throwsCoded(t, label, f, NdshareError, code);
  e('(3,4)@(5,2)', () => nd.matmul(nd.ones([3, 4]), nd.ones([5, 2])));
  e('(4,)@(5,)', () => nd.matmul(nd.ones([4]), nd.ones([5])));
  e('(4,)@(5,4)', () => nd.matmul(nd.ones([4]), nd.ones([5, 4])));
  e('(3,4)@(3,)', () => nd.matmul(nd.ones([3, 4]), nd.ones([3])));
  e('0-d @ (2,2)', () => nd.matmul(nd.ones([]), nd.ones([2, 2])));
  e('(2,2) @ 0-d', () => nd.matmul(nd.ones([2, 2]), nd.ones([])));
  e('batch (2,3,4)@(3,4,5)', () => nd.matmul(nd.ones([2, 3, 4]), nd.ones([3, 4, 5])), 'ERR_NDSHARE_BROADCAST');
  e('out of the wrong shape', () => nd.matmul(nd.ones([2, 3]), nd.ones([3, 4]), { out: nd.zeros([4, 2]) }));
  e('dot (2,3)·(2,3)', () => nd.dot(nd.ones([2, 3]), nd.ones([2, 3])));
  e('dot (2,3,4)·(3,4,2)', () => nd.dot(nd.ones([2, 3, 4]), nd.ones([3, 2, 4])));
  t.end();
});

test('dot: 0-d, 1-D, 2-D and N-D operands', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(723);
  const cases: Case[] = [];
  const forms: [string, number[], number[]][] = [
    ['()·(3,)', [], [3]],
    ['(3,)·()', [3], []],
    ['()·()', [], []],
    ['(2,3)·()', [2, 3], []],
    ['(4,)·(4,)', [4], [4]],
    ['(3,4)·(4,)', [3, 4], [4]],
    ['(4,)·(4,2)', [4], [4, 2]],
    ['(3,4)·(4,2)', [3, 4], [4, 2]],
    ['(2,3,4)·(4,)', [2, 3, 4], [4]],
    ['(2,3,4)·(4,5)', [2, 3, 4], [4, 5]],
    ['(3,4)·(2,4,5)', [3, 4], [2, 4, 5]],
    ['(4,)·(2,4,5)', [4], [2, 4, 5]],
    ['(2,3,4)·(3,4,2)', [2, 3, 4], [3, 4, 2]],
    ['(2,1,3)·(2,3,2)', [2, 1, 3], [2, 3, 2]],
    ['(0,3)·(3,2,4)', [0, 3], [2, 3, 4]],
  ];
  for (const d of ['int32', 'float64', 'float32', 'uint8', 'bool', 'float16'] as DType[]) {
    for (const [label, sa, sb] of forms) {
      const a = mk(d, sa, rand);
      const b = mk(d, sb, rand);
      const K = sa.length ? sa[sa.length - 1]! : 1;
      cases.push({ label: `${d} ${label}`, expr: 'np.dot(a0, a1)', args: [a, b], ours: () => nd.dot(a, b), tol: mmTol(a, b, K) });
    }
    const a = mk(d, [2, 4, 3], rand);
    const b = mk(d, [2, 3, 5], rand);
    cases.push({
      label: `${d} transposed N-D`,
      expr: 'np.dot(a0.transpose(0, 2, 1), a1[:, ::-1])',
      args: [a, b],
      ours: () => nd.dot(a.transpose([0, 2, 1]), b.slice(':', '::-1')),
      tol: mmTol(a, b, 4),
    });
  }
  const i8 = mk('int8', [3, 4], rand);
  const f32 = mk('float32', [4], rand);
  cases.push({ label: 'int8·float32', expr: 'np.dot(a0, a1)', args: [i8, f32], ours: () => nd.dot(i8, f32), tol: mmTol(i8, f32, 4) });
  checkAll(t, 'dot', cases);
  t.end();
});

test('concatenate and stack: axes, null axis, promotion, views, errors', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(724);
  const cases: Case[] = [];
  for (const d of ALL_DTYPES) {
    const a = mk(d, [2, 3], rand);
    const b = mk(d, [4, 3], rand);
    const c = mk(d, [2, 5], rand);
    cases.push({ label: `${d} axis 0`, expr: 'np.concatenate([a0, a1])', args: [a, b], ours: () => nd.concatenate([a, b]) });
    cases.push({ label: `${d} axis 1`, expr: 'np.concatenate([a0, a1], axis=1)', args: [a, c], ours: () => nd.concatenate([a, c], { axis: 1 }) });
    cases.push({
      label: `${d} axis -1 with views`,
      expr: 'np.concatenate([a0[:, ::-1], a1.T[:3].T[:2], a0[:, :0]], axis=-1)',
      args: [a, b],
      ours: () => nd.concatenate([a.slice(':', '::-1'), b.T.slice(':3').T.slice(':2'), a.slice(':', ':0')], { axis: -1 }),
    });
    cases.push({
      label: `${d} axis null`,
      expr: 'np.concatenate([a0, a1.T, a2], axis=None)',
      args: [a, b, c],
      ours: () => nd.concatenate([a, b.T, c], { axis: null }),
    });
    cases.push({ label: `${d} stack axis 0`, expr: 'np.stack([a0, a0[::-1], a0])', args: [a], ours: () => nd.stack([a, a.slice('::-1'), a]) });
    cases.push({ label: `${d} stack axis -1`, expr: 'np.stack([a0, a0.T.T], axis=-1)', args: [a], ours: () => nd.stack([a, a.T.T], { axis: -1 }) });
    cases.push({ label: `${d} stack axis 1`, expr: 'np.stack([a0, a0], axis=1)', args: [a], ours: () => nd.stack([a, a], { axis: 1 }) });
  }
  // Mixed dtypes promote as NumPy's result_type over the arrays.
  const ds: DType[] = ['bool', 'int8', 'uint8', 'int16', 'uint32', 'int64', 'uint64', 'float16', 'float32', 'float64'];
  for (const p of ds) {
    for (const q of ds) {
      const a = mk(p, [2], rand);
      const b = mk(q, [3], rand);
      cases.push({ label: `concatenate ${p}, ${q}`, expr: 'np.concatenate([a0, a1])', args: [a, b], ours: () => nd.concatenate([a, b]) });
    }
  }
  const x = mk('int8', [2], rand),
    y = mk('uint8', [2], rand),
    z = mk('float16', [2], rand);
  cases.push({ label: 'concatenate int8, uint8, float16', expr: 'np.concatenate([a0, a1, a2])', args: [x, y, z], ours: () => nd.concatenate([x, y, z]) });
  cases.push({ label: 'stack int8, uint8', expr: 'np.stack([a0, a1])', args: [x, y], ours: () => nd.stack([x, y]) });
  cases.push({ label: 'stack 0-d', expr: 'np.stack([a0[0], a1[1]])', args: [x, y], ours: () => nd.stack([x.slice(0), y.slice(1)]) });
  cases.push({
    label: 'concatenate dtype=float32',
    expr: "np.concatenate([a0, a1], dtype='float32')",
    args: [x, y],
    ours: () => nd.concatenate([x, y], { dtype: 'float32' }),
  });
  const fx = mk('float64', [3], rand);
  cases.push({
    label: "concatenate float64 dtype='int8' (same_kind refuses)",
    expr: "np.concatenate([a0, a0], dtype='int8')",
    args: [fx],
    ours: () => nd.concatenate([fx, fx], { dtype: 'int8' }),
  });
  cases.push({
    label: "stack float64 dtype='float32'",
    expr: "np.stack([a0, a0], dtype='float32')",
    args: [fx],
    ours: () => nd.stack([fx, fx], { dtype: 'float32' }),
  });
  cases.push({
    label: 'concatenate zero-size',
    expr: 'np.concatenate([a0[:0], a1[:0]])',
    args: [x, y],
    ours: () => nd.concatenate([x.slice(':0'), y.slice(':0')]),
  });
  checkAll(t, 'concat', cases);

  const e = (label: string, f: () => unknown): void => throwsCoded(t, label, f, NdshareError, SHAPE_MISMATCH);
  e('concatenate (2,3) with (2,4) axis 0', () => nd.concatenate([nd.ones([2, 3]), nd.ones([2, 4])]));
  e('concatenate 1-D with 2-D', () => nd.concatenate([nd.ones([3]), nd.ones([2, 3])]));
  e('concatenate 0-d', () => nd.concatenate([nd.ones([]), nd.ones([])]));
  e('stack (2,3) with (3,2)', () => nd.stack([nd.ones([2, 3]), nd.ones([3, 2])]));
  e('stack (2,) with (3,)', () => nd.stack([nd.ones([2]), nd.ones([3])]));
  try {
    nd.concatenate([nd.ones([2])], { axis: 1 });
    t.fail('concatenate axis 1 of 1-D: did not throw');
  } catch (err) {
    t.ok(typeof (err as { code?: string }).code === 'string', `concatenate axis 1 of 1-D: ${(err as { code?: string }).code}`);
  }
  for (const [label, f] of [
    ['stack axis 3 of 2-D', () => nd.stack([nd.ones([2, 3])], { axis: 3 })],
    ['concatenate axis -3 of 2-D', () => nd.concatenate([nd.ones([2, 3])], { axis: -3 })],
  ] as [string, () => unknown][]) {
    try {
      f();
      t.fail(`${label}: did not throw`);
    } catch (err) {
      t.ok(typeof (err as { code?: string }).code === 'string', `${label}: ${(err as { code?: string }).code}`);
    }
  }
  try {
    nd.concatenate([]);
    t.fail('concatenate([]): did not throw');
  } catch (err) {
    t.ok(typeof (err as { code?: string }).code === 'string', `concatenate([]): ${(err as { code?: string }).code}`);
  }
  t.end();
});
