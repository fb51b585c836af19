// canCast, minScalarType, isdtype, issubdtype and sharesMemory /
// mayShareMemory against NumPy 2: every pair of dtypes and casting rule,
// kinds, abstract types, scalars at the range edges; overlap of strided,
// transposed and negative-stride views (NumPy's exact solver), and the errors.
import test from 'tape';
import * as nd from '../src/index.js';
import type { DType, NDArray } from '../src/index.js';
import { mulberry32 } from './helpers/assert.js';
import { NUMPY_DTYPES as REAL_DTYPES, skipWithoutNumpy } from './helpers/numpy-diff.js';

const NUMPY_DTYPES: DType[] = [...REAL_DTYPES, 'complex64', 'complex128'];
import { python } from './helpers/python.js';

/** Evaluates each Python expression; returns its JSON value or {err: ExceptionName}. */
function pyEval(exprs: string[]): unknown[] {
  const code = `
exprs = json.loads(open(os.path.join(D, 'e.json')).read())
out = []
for e in exprs:
    try:
        v = eval(e)
        if isinstance(v, np.dtype): v = str(v)
        elif isinstance(v, (bool, np.bool_)): v = bool(v)
        out.append(v)
    except Exception as ex:
        out.append({'err': type(ex).__name__})
print(json.dumps(out))
`;
  return JSON.parse(python(code, { 'e.json': new TextEncoder().encode(JSON.stringify(exprs)) }).stdout) as unknown[];
}

interface QCase {
  label: string;
  expr: string;
  ours: () => unknown;
  errCode?: string;
}

function checkQueries(t: test.Test, title: string, cases: QCase[]): void {
  const want = pyEval(cases.map((c) => c.expr));
  let bad = 0;
  cases.forEach((c, i) => {
    const w = want[i] as unknown;
    let got: unknown;
    let err: (Error & { code?: string }) | undefined;
    try {
      got = c.ours();
    } catch (e) {
      err = e as Error & { code?: string };
    }
    const wErr = typeof w === 'object' && w !== null && 'err' in w ? (w as { err: string }).err : undefined;
    let msg: string | null = null;
    if (wErr !== undefined) {
      if (err === undefined) msg = `NumPy raises ${wErr}, ours returned ${JSON.stringify(got)}`;
      else if (!nd.isNdshareError(err)) msg = `NumPy raises ${wErr}, ours threw uncoded ${err.name}: ${err.message}`;
      else if (c.errCode !== undefined && err.code !== c.errCode) msg = `NumPy raises ${wErr}, ours threw ${err.code} (want ${c.errCode})`;
    } else if (err !== undefined) msg = `ours threw ${err.code ?? err.name}: ${err.message}; NumPy gives ${JSON.stringify(w)}`;
    else if (got !== w) msg = `ours ${JSON.stringify(got)}, NumPy ${JSON.stringify(w)}`;
    if (msg !== null) {
      bad++;
      t.fail(`${title}: ${c.label} [${c.expr}]: ${msg}`);
    }
  });
  t.pass(`${title}: ${cases.length - bad}/${cases.length} cases agree with NumPy`);
}

test('canCast matches NumPy for every pair and rule', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: QCase[] = [];
  for (const a of NUMPY_DTYPES)
    for (const b of NUMPY_DTYPES)
      for (const casting of ['no', 'equiv', 'safe', 'same_kind', 'unsafe'] as const) {
        cases.push({
          label: `${a}->${b} ${casting}`,
          expr: `np.can_cast(np.${a === 'bool' ? 'bool_' : a}, np.${b === 'bool' ? 'bool_' : b}, casting='${casting}')`,
          ours: () => nd.canCast(a, b, { casting }),
        });
      }
  const x = nd.zeros([2], { dtype: 'int16' });
  cases.push({ label: 'from an array', expr: "np.can_cast(np.zeros(2, 'int16'), 'int8')", ours: () => nd.canCast(x, 'int8') });
  cases.push({ label: 'from an array, safe up', expr: "np.can_cast(np.zeros(2, 'int16'), 'float32')", ours: () => nd.canCast(x, 'float32') });
  cases.push({ label: 'default is safe', expr: "np.can_cast('float64', 'float32')", ours: () => nd.canCast('float64', 'float32') });
  cases.push({
    label: 'python int refused',
    expr: "np.can_cast(1, 'int8')",
    ours: () => nd.canCast(1 as unknown as DType, 'int8'),
    errCode: 'ERR_NDSHARE_INVALID_ARG_TYPE',
  });
  cases.push({
    label: 'bad casting',
    expr: "np.can_cast('int8', 'int16', casting='nope')",
    ours: () => nd.canCast('int8', 'int16', { casting: 'nope' as 'no' }),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({ label: 'bad dtype', expr: "np.can_cast('int8', 'int7')", ours: () => nd.canCast('int8', 'int7' as DType), errCode: 'ERR_NDSHARE_DTYPE' });
  checkQueries(t, 'canCast', cases);
  t.end();
});

test('minScalarType matches NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: QCase[] = [];
  const ints = [0, 1, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, -1, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1];
  for (const v of ints) cases.push({ label: `int ${v}`, expr: `np.min_scalar_type(${v})`, ours: () => nd.minScalarType(v) });
  for (const v of [2n ** 64n - 1n, 2n ** 63n, -(2n ** 63n), 2n ** 63n - 1n])
    cases.push({ label: `bigint ${v}`, expr: `np.min_scalar_type(${v})`, ours: () => nd.minScalarType(v) });
  for (const v of [0.5, -0.5, 64999.5, 65000.5, -65000.5, 1e10, 3.3e38, 3.5e38, 1e300, NaN, Infinity, -Infinity]) {
    const lit = Number.isNaN(v) ? "float('nan')" : v === Infinity ? "float('inf')" : v === -Infinity ? "float('-inf')" : String(v);
    cases.push({ label: `float ${v}`, expr: `np.min_scalar_type(${lit})`, ours: () => nd.minScalarType(v) });
  }
  cases.push({ label: 'bool', expr: 'np.min_scalar_type(True)', ours: () => nd.minScalarType(true) });
  // 0-d arrays: value-based by their kind; arrays: their own dtype.
  const zd: [DType, number | bigint | boolean][] = [
    ['int64', 300n],
    ['int64', -5n],
    ['uint64', 2n ** 64n - 1n],
    ['int32', 70000],
    ['float64', 1.0],
    ['float64', 1e20],
    ['float32', 70000],
    ['float16', 2],
    ['bool', true],
    ['uint8', 3],
  ];
  for (const [d, re, im, lit] of [
    ['complex128', 1, 2, '1+2j'],
    ['complex128', 1e300, 0, '1e300+0j'],
    ['complex64', 0, -3, '-3j'],
  ] as [DType, number, number, string][]) {
    const a = nd.array(nd.complex(re, im), { dtype: d });
    cases.push({ label: `0-d ${d} ${lit}`, expr: `np.min_scalar_type(np.array(${lit}, dtype='${d}'))`, ours: () => nd.minScalarType(a) });
  }
  for (const [d, v] of zd) {
    const a = nd.array(v as never, { dtype: d });
    cases.push({
      label: `0-d ${d} ${v}`,
      expr: `np.min_scalar_type(np.array(${typeof v === 'boolean' ? (v ? 'True' : 'False') : v}, dtype='${d}'))`,
      ours: () => nd.minScalarType(a),
    });
  }
  for (const d of NUMPY_DTYPES) {
    const a = nd.zeros([3], { dtype: d });
    cases.push({ label: `array ${d}`, expr: `np.min_scalar_type(np.zeros(3, '${d}'))`, ours: () => nd.minScalarType(a) });
    const e = nd.zeros([0], { dtype: d });
    cases.push({ label: `empty ${d}`, expr: `np.min_scalar_type(np.zeros(0, '${d}'))`, ours: () => nd.minScalarType(e) });
  }
  checkQueries(t, 'minScalarType', cases);
  t.throws(() => nd.minScalarType('int8' as never), /Expected/, 'a string is refused');
  t.end();
});

test('isdtype and issubdtype match NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const cases: QCase[] = [];
  const kinds = ['bool', 'signed integer', 'unsigned integer', 'integral', 'real floating', 'complex floating', 'numeric'] as const;
  const np = (d: string) => `np.${d === 'bool' ? 'bool_' : d}`;
  for (const d of NUMPY_DTYPES) {
    for (const k of kinds) cases.push({ label: `isdtype(${d}, ${k})`, expr: `np.isdtype(${np(d)}, '${k}')`, ours: () => nd.isdtype(d, k) });
    cases.push({
      label: `isdtype(${d}, (bool, real floating))`,
      expr: `np.isdtype(${np(d)}, ('bool', 'real floating'))`,
      ours: () => nd.isdtype(d, ['bool', 'real floating']),
    });
    cases.push({
      label: `isdtype(${d}, (int16, unsigned))`,
      expr: `np.isdtype(${np(d)}, (np.int16, 'unsigned integer'))`,
      ours: () => nd.isdtype(d, ['int16', 'unsigned integer']),
    });
    cases.push({ label: `isdtype(${d}, float32)`, expr: `np.isdtype(${np(d)}, np.float32)`, ours: () => nd.isdtype(d, 'float32') });
    for (const b of [...NUMPY_DTYPES, ...nd.ABSTRACT_TYPES]) {
      cases.push({ label: `issubdtype(${d}, ${b})`, expr: `np.issubdtype(${np(d)}, ${np(b)})`, ours: () => nd.issubdtype(d, b) });
    }
  }
  for (const a of nd.ABSTRACT_TYPES)
    for (const b of [...nd.ABSTRACT_TYPES, 'float64', 'int8'] as const) {
      cases.push({ label: `issubdtype(${a}, ${b})`, expr: `np.issubdtype(np.${a}, ${np(b)})`, ours: () => nd.issubdtype(a, b) });
    }
  const arr = nd.zeros([2], { dtype: 'uint16' });
  cases.push({
    label: 'issubdtype(array, integer)',
    expr: "np.issubdtype(np.zeros(2, 'uint16'), np.integer)",
    ours: () => nd.issubdtype(arr as never, nd.integer),
    errCode: 'ERR_NDSHARE_INVALID_ARG_TYPE',
  });
  cases.push({
    label: 'issubdtype(array.dtype, integer)',
    expr: "np.issubdtype(np.zeros(2, 'uint16').dtype, np.integer)",
    ours: () => nd.issubdtype(arr.dtype, nd.integer),
  });
  cases.push({
    label: 'issubdtype(bad name)',
    expr: "np.issubdtype('int7', np.integer)",
    ours: () => nd.issubdtype('int7' as DType, nd.integer),
    errCode: 'ERR_NDSHARE_DTYPE',
  });
  cases.push({
    label: 'isdtype(bad kind)',
    expr: "np.isdtype(np.int8, 'integer')",
    ours: () => nd.isdtype('int8', 'integer' as 'bool'),
    errCode: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  });
  cases.push({
    label: 'isdtype(array)',
    expr: "np.isdtype(np.zeros(2), 'bool')",
    ours: () => nd.isdtype(arr as unknown as DType, 'bool'),
    errCode: 'ERR_NDSHARE_INVALID_ARG_TYPE',
  });
  cases.push({
    label: 'isdtype(kind 3)',
    expr: 'np.isdtype(np.int8, 3)',
    ours: () => nd.isdtype('int8', 3 as unknown as DType),
    errCode: 'ERR_NDSHARE_INVALID_ARG_TYPE',
  });
  checkQueries(t, 'isdtype/issubdtype', cases);
  t.equal(nd.floating, 'floating', 'abstract types are their names');
  t.ok(nd.issubdtype('bfloat16', nd.floating), 'bfloat16 is floating (ndshare; NumPy has none)');
  t.end();
});

test('sharesMemory and mayShareMemory match NumPy on views', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(89);
  const cases: QCase[] = [];
  const bases: [string, NDArray, string][] = [
    ['f8 60', nd.arange(60), 'np.arange(60.0)'],
    ['i2 3x4x5', nd.arange(60, { dtype: 'int16' }).reshape([3, 4, 5]), "np.arange(60, dtype='int16').reshape(3, 4, 5)"],
    ['u1 120', nd.zeros([120], { dtype: 'uint8' }), "np.zeros(120, 'uint8')"],
    ['c16 30', nd.arange(30).astype('complex128'), 'np.arange(30.0).astype(complex)'],
  ];
  const sl = (n: number): string => {
    const step = [1, 2, 3, -1, -2, 5][rand() % 6]!;
    const a = rand() % Math.max(1, n);
    const b = rand() % (n + 1);
    return step > 0 ? `${Math.min(a, b)}:${Math.max(a, b)}:${step}` : `${Math.max(a, b)}:${Math.min(a, b) === 0 ? '' : Math.min(a, b) - 1}:${step}`;
  };
  for (const [name, base, py] of bases) {
    for (let k = 0; k < 40; k++) {
      const s1 = base.shape.map(sl);
      const s2 = base.shape.map(sl);
      const tr = base.ndim > 1 && rand() % 2 === 0;
      const v1 = base.slice(...s1);
      const v2p = base.slice(...s2);
      const v2 = tr ? v2p.T : v2p;
      const e1 = `b[${s1.join(', ')}]`;
      const e2 = `b[${s2.join(', ')}]${tr ? '.T' : ''}`;
      cases.push({ label: `${name} shares ${e1} ${e2}`, expr: `(lambda b: np.shares_memory(${e1}, ${e2}))(${py})`, ours: () => nd.sharesMemory(v1, v2) });
      cases.push({ label: `${name} may ${e1} ${e2}`, expr: `(lambda b: np.may_share_memory(${e1}, ${e2}))(${py})`, ours: () => nd.mayShareMemory(v1, v2) });
    }
  }
  // Reinterpreted itemsizes: a uint8 view of a float64 array's bytes (frombuffer over the same buffer).
  const f = nd.arange(8);
  const bytes = nd.asarray(new Uint8Array(f.data.buffer, f.data.byteOffset, 64));
  cases.push({ label: 'bytes of element 1 vs element 1', expr: 'True', ours: () => nd.sharesMemory(bytes.slice('8:16'), f.slice('1:2')) });
  cases.push({ label: 'byte 15 vs elements 2:', expr: 'False', ours: () => nd.sharesMemory(bytes.slice('15:16'), f.slice('2:')) });
  const x = nd.arange(10);
  cases.push({ label: 'copy', expr: 'False', ours: () => nd.sharesMemory(x, x.copy()) });
  cases.push({ label: 'empty', expr: '(lambda b: np.shares_memory(b[3:3], b))(np.arange(10.0))', ours: () => nd.sharesMemory(x.slice('3:3'), x) });
  cases.push({ label: 'self', expr: '(lambda b: np.shares_memory(b, b))(np.arange(10.0))', ours: () => nd.sharesMemory(x, x) });
  cases.push({
    label: '0-d',
    expr: '(lambda b: np.shares_memory(b[3, ...], b[3:4]))(np.arange(10.0))',
    ours: () => nd.sharesMemory(x.slice(3), x.slice('3:4')),
  });
  cases.push({
    label: 'broadcast',
    expr: '(lambda b: np.shares_memory(np.broadcast_to(b[2:3], (5,)), b[1::2]))(np.arange(10.0))',
    ours: () => nd.sharesMemory(x.slice('2:3').broadcastTo([5]), x.slice('1::2')),
  });
  cases.push({
    label: 'may maxWork -1',
    expr: '(lambda b: np.may_share_memory(b[::2], b[1::2], max_work=-1))(np.arange(10.0))',
    ours: () => nd.mayShareMemory(x.slice('::2'), x.slice('1::2'), { maxWork: -1 }),
  });
  cases.push({
    label: 'shares maxWork 0, disjoint bounds',
    expr: '(lambda b: np.shares_memory(b[:3], b[5:], max_work=0))(np.arange(10.0))',
    ours: () => nd.sharesMemory(x.slice(':3'), x.slice('5:'), { maxWork: 0 }),
  });
  cases.push({
    label: 'shares maxWork 0',
    expr: '(lambda b: np.shares_memory(b[::2], b[1::2], max_work=0))(np.arange(10.0))',
    ours: () => nd.sharesMemory(x.slice('::2'), x.slice('1::2'), { maxWork: 0 }),
    errCode: 'ERR_NDSHARE_UNSUPPORTED',
  });
  cases.push({ label: 'a scalar shares nothing', expr: 'np.shares_memory(1, np.arange(3))', ours: () => nd.sharesMemory(1 as never, x) });
  cases.push({ label: 'a list shares nothing', expr: 'np.shares_memory([1, 2], np.arange(3))', ours: () => nd.sharesMemory([1, 2] as never, x) });
  cases.push({
    label: 'may maxWork 0 (bounds)',
    expr: '(lambda b: np.may_share_memory(b[::2], b[1::2], max_work=0))(np.arange(10.0))',
    ours: () => nd.mayShareMemory(x.slice('::2'), x.slice('1::2'), { maxWork: 0 }),
  });
  checkQueries(t, 'sharesMemory', cases);

  // A hard instance: maxWork bounds the search (NumPy's TooHardError) and mayShareMemory then answers true.
  const big = nd.zeros([400 * 400 + 1]);
  const a = new nd.NDArray(big.data, 'float64', [200, 200], [400, 1], 0);
  const b = new nd.NDArray(big.data, 'float64', [200, 200], [399, 1], 201);
  t.throws(
    () => nd.sharesMemory(a, b, { maxWork: 1 }),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_UNSUPPORTED',
    'maxWork 1 gives up with a coded error',
  );
  t.equal(nd.mayShareMemory(a, b, { maxWork: 1 }), true, 'mayShareMemory answers true when the search gives up');
  t.end();
});

test('sharesMemory sees views from different store.get() calls', (t) => {
  const store = nd.Store.create({ capacity: '4MiB' });
  try {
    const id = store.put(nd.arange(100));
    const v1 = store.get(id);
    const v2 = store.get(id);
    t.notEqual(v1, v2, 'two NDArray objects');
    t.equal(nd.sharesMemory(v1, v2), true, 'the same object shares memory');
    t.equal(nd.sharesMemory(v1.slice('::2'), v2.slice('1::2')), false, 'even and odd elements do not');
    t.equal(nd.mayShareMemory(v1.slice('::2'), v2.slice('1::2')), true, 'but their bounds overlap');
    const other = store.get(store.put(nd.arange(100)));
    t.equal(nd.mayShareMemory(v1, other), false, 'another object of the same store does not');
    store.release(v1);
    store.release(v2);
    store.release(other);
  } finally {
    store.close();
  }
  t.end();
});
