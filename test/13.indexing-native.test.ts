// The native index kernels (native/kernels/index) against NumPy 2: gather and
// scatter through integer arrays of every integer dtype (strided and reversed
// index arrays too), take's modes, boolean-mask compress and its scatter on
// leading axes, nonzero/argwhere/flatnonzero of every dtype (-0, NaN), over
// contiguous, strided and negative-stride views, 0-d and empty arrays, the
// errors (index and axis size named), arrays above 1e6 elements (the
// parallel paths), on every instruction set.
import test from 'tape';
import * as nd from '../src/index.js';
import { type NDArray, codes, type DType } from '../src/index.js';
import { native } from '../src/binding.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';
import { INT_DTYPES, NUMPY_DTYPES, arrayOf, availableIsas, checkAll, edgeValues, randomView, skipWithoutNumpy, type Case } from './helpers/numpy-diff.js';

const NP: Record<string, string> = { int8: 'np.int8', uint8: 'np.uint8', int16: 'np.int16', uint16: 'np.uint16', int32: 'np.int32' };
const npd = (d: DType) => NP[d] ?? `np.${d}`;

/** An index array of dtype `d` from small integers (negative ones only for signed dtypes). */
function ixOf(v: number[], d: DType): NDArray {
  return nd.array(
    v.map((x) => (d.endsWith('64') ? BigInt(x) : x)),
    { dtype: d },
  );
}

test('13n gather: every data dtype x every index dtype, views, reversed index arrays, modes', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(131);
  const cases: Case[] = [];
  for (const d of NUMPY_DTYPES) {
    const v = randomView(rand, d, [4, 5, 6]);
    const x = v.view(v.base);
    const px = v.py.replace('{}', '0');
    for (const id of INT_DTYPES) {
      const signed = !id.startsWith('u');
      const vals = signed ? [3, -1, 0, -4, 2] : [3, 1, 0, 2, 2];
      const ix = ixOf(vals, id);
      const pix = `np.array(${JSON.stringify(vals)}, dtype=${npd(id)})`;
      cases.push({ label: `${d}[${id}] axis 0`, expr: `${px}[${pix}[:4]]`, args: [v.base], ours: () => x.index(ix.slice(':4')) });
      cases.push({ label: `${d}[:, ${id} reversed]`, expr: `${px}[:, ${pix}[::-1]]`, args: [v.base], ours: () => x.index(':', ix.slice('::-1')) });
      cases.push({
        label: `${d} take ${id} axis 2`,
        expr: `np.take(${px}, ${pix}.reshape(5, 1), axis=2)`,
        args: [v.base],
        ours: () => nd.take(x, ix.reshape([5, 1]), { axis: 2 }),
      });
    }
    const big = ixOf([7, -9, 25, 3, -30], 'int32');
    for (const mode of ['wrap', 'clip'] as const) {
      cases.push({
        label: `${d} take ${mode}`,
        expr: `np.take(${px}, np.array([7, -9, 25, 3, -30], dtype=np.int32), axis=1, mode='${mode}')`,
        args: [v.base],
        ours: () => nd.take(x, big, { axis: 1, mode }),
      });
      cases.push({
        label: `${d} take flat ${mode}`,
        expr: `np.take(${px}, np.array([[7, -9], [125, -300]]), mode='${mode}')`,
        args: [v.base],
        ours: () =>
          nd.take(
            x,
            nd.array([
              [7n, -9n],
              [125n, -300n],
            ]),
            { mode },
          ),
      });
    }
    // Two index arrays broadcast with a slice between (non-adjacent: the block goes first), with an integer.
    cases.push({
      label: `${d} x[[[0],[3]], 1:4, [5, 0]]`,
      expr: `${px}[[[0], [3]], 1:4, [5, 0]]`,
      args: [v.base],
      ours: () => x.index([[0], [3]], '1:4', [5, 0]),
    });
    cases.push({ label: `${d} x[-1, :, [1, 1]]`, expr: `${px}[-1, :, [1, 1]]`, args: [v.base], ours: () => x.index(-1, ':', [1, 1]) });
    cases.push({ label: `${d} out of bounds`, expr: `${px}[:, [0, 5]]`, args: [v.base], ours: () => x.index(':', [0, 5]), errCode: codes.OUT_OF_BOUNDS });
    cases.push({ label: `${d} take raise`, expr: `np.take(${px}, [-121])`, args: [v.base], ours: () => nd.take(x, [-121]), errCode: codes.OUT_OF_BOUNDS });
    // Empty and 0-d.
    const e = arrayOf([], d).reshape([0, 4]);
    cases.push({ label: `${d} empty[:, [3, 0]]`, expr: 'a0[:, [3, 0]]', args: [e], ours: () => e.index(':', [3, 0]) });
    cases.push({ label: `${d} empty[:, [4]] raises`, expr: 'a0[:, [4]]', args: [e], ours: () => e.index(':', [4]), errCode: codes.OUT_OF_BOUNDS });
    const z = arrayOf(edgeValues(d, 1, rand), d).reshape([]);
    cases.push({ label: `${d} take of 0-d`, expr: 'np.take(a0, [0, -1, 0])', args: [z], ours: () => nd.take(z, [0, -1, 0]) });
    cases.push({ label: `${d} take 0-d index`, expr: `np.take(${px}, 2, axis=1)`, args: [v.base], ours: () => nd.take(x, 2, { axis: 1 }) });
  }
  t.equal(checkAll(t, 'native gather', cases, availableIsas()), 0);
  t.end();
});

test('13n masks and nonzero: leading-axis masks, strided masks and data, every dtype', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(132);
  const cases: Case[] = [];
  for (const d of NUMPY_DTYPES) {
    const v = randomView(rand, d, [4, 5, 6]);
    const x = v.view(v.base);
    const px = v.py.replace('{}', '0');
    const mv = randomView(rand, 'bool', [4, 5]);
    const m = mv.view(mv.base);
    const pm = mv.py.replace('{}', '1');
    cases.push({ label: `${d} x[x != 0]`, expr: `${px}[${px} != 0]`, args: [v.base], ours: () => x.index(nd.notEqual(x, 0)) });
    cases.push({ label: `${d} x[m2] (leading)`, expr: `${px}[${pm}]`, args: [v.base, mv.base], ours: () => x.index(m) });
    cases.push({ label: `${d} x[m1] (leading)`, expr: `${px}[${pm}[:, 0]]`, args: [v.base, mv.base], ours: () => x.index(m.slice(':', 0)) });
    cases.push({ label: `${d} nonzero`, expr: `np.stack(np.nonzero(${px}))`, args: [v.base], ours: () => nd.stack(nd.nonzero(x)) });
    cases.push({ label: `${d} argwhere`, expr: `np.argwhere(${px})`, args: [v.base], ours: () => nd.argwhere(x) });
    cases.push({ label: `${d} flatnonzero`, expr: `np.flatnonzero(${px})`, args: [v.base], ours: () => nd.flatnonzero(x) });
    cases.push({ label: `${d} count`, expr: `np.array(np.count_nonzero(${px}))`, args: [v.base], ours: () => nd.array(nd.countNonzero(x) as never) });
    const e = arrayOf([], d).reshape([3, 0]);
    cases.push({ label: `${d} empty nonzero`, expr: 'np.stack(np.nonzero(a0))', args: [e], ours: () => nd.stack(nd.nonzero(e)) });
    cases.push({ label: `${d} empty argwhere`, expr: 'np.argwhere(a0)', args: [e], ours: () => nd.argwhere(e) });
    cases.push({ label: `${d} empty mask`, expr: 'a0[a0 != 0]', args: [e], ours: () => e.index(nd.notEqual(e, 0)) });
    // Writes: x[m] = scalar / array on a strided view; x[idx] = v with reversed index arrays.
    cases.push({
      label: `${d} view[m] = 1`,
      expr: `(lambda w: (w.__setitem__(${pm}, 1), a0)[1])(${px})`,
      args: [v.base, mv.base],
      ours: () => {
        const b = v.base.copy();
        v.view(b).setIndex(m, 1);
        return b;
      },
    });
    cases.push({
      label: `${d} view[m] = row`,
      expr: `(lambda w: (w.__setitem__(${pm}, np.arange(6).astype(a0.dtype)), a0)[1])(${px})`,
      args: [v.base, mv.base],
      ours: () => {
        const b = v.base.copy();
        v.view(b).setIndex(m, nd.arange(6).astype(d));
        return b;
      },
    });
    cases.push({
      label: `${d} view[:, idx[::-1]] = arange`,
      expr: `(lambda w: (w.__setitem__((slice(None), np.array([4, 0, -2])[::-1]), np.arange(3).astype(a0.dtype)), a0)[1])(${px})`,
      args: [v.base],
      ours: () => {
        const b = v.base.copy();
        v.view(b).setIndex(':', nd.array([4n, 0n, -2n]).slice('::-1'), nd.arange(3).astype(d));
        return b;
      },
    });
    cases.push({
      label: `${d} x[[0, 9]] = 1 raises, writes nothing`,
      expr: `(lambda w: (w.__setitem__([0, 9], 1)))(${px})`,
      args: [v.base],
      ours: () => {
        const b = v.base.copy();
        v.view(b).setIndex([0, 9], 1);
        return b;
      },
      errCode: codes.OUT_OF_BOUNDS,
    });
  }
  // ufunc.at through the native positions: strided x, reversed index arrays, 2-D values, a bad index.
  for (const d of ['int32', 'float32', 'float64'] as DType[]) {
    const v = randomView(rand, d, [6, 4]);
    const px = v.py.replace('{}', '0');
    const at = (label: string, py: string, f: (w: NDArray) => void, errCode?: string) =>
      cases.push({
        label: `${d} ${label}`,
        expr: `(lambda w: (${py}, a0)[1])(${px})`,
        args: [v.base],
        ours: () => {
          const b = v.base.copy();
          f(v.view(b));
          return b;
        },
        ...(errCode ? { errCode } : {}),
      });
    at('add.at rows', 'np.add.at(w, np.array([5, 0, 5, -1])[::-1], np.arange(16).reshape(4, 4).astype(w.dtype))', (w) =>
      nd.add.at(w, nd.array([5n, 0n, 5n, -1n]).slice('::-1'), nd.arange(16).reshape([4, 4]).astype(d)),
    );
    at('maximum.at (i, j)', 'np.maximum.at(w, (np.array([1, 1, 2]), np.array([3, 3, 0])), 7)', (w) =>
      nd.maximum.at(
        w,
        [
          [1, 1, 2],
          [3, 3, 0],
        ],
        7,
      ),
    );
    at('add.at out of bounds', 'np.add.at(w, [0, 6], 1)', (w) => nd.add.at(w, [0, 6], 1), codes.OUT_OF_BOUNDS);
  }
  // -0 and NaN: -0 is zero, NaN is nonzero.
  for (const d of ['float16', 'float32', 'float64'] as DType[]) {
    const x = nd.array([0, -0, NaN, 1, -Infinity], { dtype: d });
    cases.push({
      label: `${d} nonzero -0 NaN`,
      expr: `np.flatnonzero(np.array([0, -0.0, np.nan, 1, -np.inf], dtype=np.${d}))`,
      args: [],
      ours: () => nd.flatnonzero(x),
    });
  }
  t.equal(checkAll(t, 'native masks', cases, availableIsas()), 0);
  t.end();
});

test('13n errors name the index and the axis size; a scatter writes nothing when an index is bad', (t) => {
  const x = nd.arange(10).astype('float64');
  throwsCoded(t, 'x[[1, 12]]', () => x.index([1, 12]), RangeError, codes.OUT_OF_BOUNDS);
  t.throws(() => x.index([1, -11]), /Index -11 is out of bounds for axis 0 with size 10/);
  t.throws(() => nd.take(x.reshape([2, 5]), [5], { axis: 1 }), /Index 5 is out of bounds for axis 1 with size 5/);
  t.throws(() => x.index(nd.array([3n, 18446744073709551615n], { dtype: 'uint64' })), /Index 18446744073709551615 is out of bounds/);
  throwsCoded(t, 'wrap on an empty axis', () => nd.take(nd.zeros([0]), [1], { mode: 'wrap' }), RangeError, codes.OUT_OF_BOUNDS);
  const y = x.copy();
  t.throws(() => y.setIndex([0, 1, 2, 30], 5), /Index 30/);
  t.deepEqual(y.toArray(), x.toArray(), 'nothing written');
  // Descriptors that lie are refused before any access.
  throwsCoded(
    t,
    'data extent outside the typed array',
    () =>
      native.index.take(0, new Float64Array(4), new Float64Array(4), Float64Array.from([8, 0, 0, 8, 0, 0, 1, 1, 4, 12, 64, 8, 0, 0, 0, 1]), [
        new BigInt64Array(4),
      ]),
    RangeError,
    codes.INVALID_ARG_VALUE,
  );
  throwsCoded(
    t,
    'index dtype does not match its typed array',
    () =>
      native.index.take(0, new Float64Array(4), new Float64Array(4), Float64Array.from([8, 0, 0, 8, 0, 0, 1, 1, 4, 7, 4, 8, 0, 0, 0, 1]), [new Int32Array(4)]),
    TypeError,
    codes.INVALID_ARG_TYPE,
  );
  throwsCoded(
    t,
    'vals too short',
    () => native.index.compress(0, new Float64Array(4), new Float64Array(1), Float64Array.from([8, 0, 0, 8, 4, 1, 4, 8, 1, 0, 0]), new Uint8Array(4)),
    RangeError,
    codes.INVALID_ARG_VALUE,
  );
  t.end();
});

test('13n large arrays (parallel take and count) agree with a JS reference on every ISA', (t) => {
  const n = 1 << 21;
  const x = nd.random.uniform([n], { seed: 5 });
  const idx = nd.random.integers([n], { low: -n, high: n, seed: 6, dtype: 'int64' });
  const xd = x.data as Float64Array;
  const id = idx.data as BigInt64Array;
  for (const isa of availableIsas()) {
    native.kernels.setIsa(isa);
    try {
      const r = nd.take(x, idx).data as Float64Array;
      let bad = 0;
      for (let i = 0; i < n; i++) {
        const j = Number(id[i]!);
        if (r[i] !== xd[j < 0 ? j + n : j]) bad++;
      }
      t.equal(bad, 0, `${isa}: take of 2^21 random indices`);
      const rev = nd.take(x.slice('::-1'), idx.slice('::-1')).data as Float64Array;
      let bad2 = 0;
      for (let i = 0; i < n; i++) {
        const j = Number(id[n - 1 - i]!);
        if (rev[i] !== xd[n - 1 - (j < 0 ? j + n : j)]) bad2++;
      }
      t.equal(bad2, 0, `${isa}: reversed data and index`);
      const m = nd.greater(x, 0.5);
      const md = m.data as Uint8Array;
      let c = 0;
      for (let i = 0; i < n; i++) c += md[i]!;
      t.equal(Number(nd.countNonzero(m).item()), c, `${isa}: count`);
      const sel = x.index(m).data as Float64Array;
      let k = 0;
      let bad3 = sel.length === c ? 0 : 1;
      for (let i = 0; i < n; i++) if (md[i] && sel[k++] !== xd[i]) bad3++;
      t.equal(bad3, 0, `${isa}: x[x > 0.5]`);
      const nz = nd.nonzero(m)[0]!.data as BigInt64Array;
      k = 0;
      let bad4 = nz.length === c ? 0 : 1;
      for (let i = 0; i < n; i++) if (md[i] && nz[k++] !== BigInt(i)) bad4++;
      t.equal(bad4, 0, `${isa}: nonzero`);
      // The first bad index is reported, wherever the chunks split.
      const idx2 = idx.copy();
      idx2.set(n - 3, BigInt(3 * n));
      idx2.set(n - 2, BigInt(5 * n));
      t.throws(() => nd.take(x, idx2), new RegExp(`Index ${3 * n} is out`), `${isa}: the first bad index of the last chunk`);
      idx2.set(7, BigInt(-2 * n));
      t.throws(() => nd.take(x, idx2), new RegExp(`Index ${-2 * n} is out`), `${isa}: the first bad index overall`);
    } finally {
      native.kernels.setIsa('auto');
    }
  }
  t.end();
});

test('13n complex64/complex128 move as 8- and 16-byte items (their parts indexed alike)', (t) => {
  const parts = (a: NDArray): [NDArray, NDArray] => [nd.real(a), nd.imag(a)];
  for (const d of ['complex64', 'complex128'] as DType[]) {
    const re = nd.array([0, 1, 0, -0, 2, 0, 3, 0, 0, 5, -1, 0]);
    const im = nd.array([0, 0, 2, 0, -0, 1, 0, 0, 4, 0, 0, NaN]);
    const x = nd
      .add(re.astype(d), nd.multiply(nd.complex(0, 1), im).astype(d))
      .astype(d)
      .reshape([3, 4]);
    const m = nd.array([true, false, true]);
    const ops: [string, (a: NDArray) => NDArray][] = [
      ['x[[2, 0, -1]]', (a) => a.index([2, 0, -1])],
      ['x[:, idx[::-1]]', (a) => a.index(':', nd.array([3n, 0n, 1n]).slice('::-1'))],
      ['x[::-1][m]', (a) => a.slice('::-1').index(m)],
      ['take flat', (a) => nd.take(a, [5, -2, 11])],
      ['take clip axis 1', (a) => nd.take(a, [9, -3], { axis: 1, mode: 'clip' })],
      ['x.T[[1], [2]]', (a) => a.T.index([1], [2])],
    ];
    const [xr, xi] = parts(x);
    for (const [label, op] of ops) {
      const [r, i] = parts(op(x));
      t.ok(nd.arrayEqual(r, op(xr), { equalNan: true }) && nd.arrayEqual(i, op(xi), { equalNan: true }), `${d} ${label}`);
    }
    const nz = nd.logicalOr(nd.notEqual(xr, 0), nd.notEqual(xi, 0));
    t.ok(nd.arrayEqual(nd.stack(nd.nonzero(x)), nd.stack(nd.nonzero(nz))), `${d} nonzero: a pair is zero when both parts are (-0 too, NaN is not)`);
    t.equal(Number(nd.countNonzero(x).item()), Number(nd.countNonzero(nz).item()), `${d} countNonzero`);
    const y = x.copy();
    y.setIndex([0, 2], ':', 7);
    const [yr, yi] = parts(y);
    t.deepEqual(yr.index([0, 2]).toArray(), [Array(4).fill(7), Array(4).fill(7)], `${d} x[[0, 2], :] = 7 (real part)`);
    t.deepEqual(yi.index([0, 2]).toArray(), [Array(4).fill(0), Array(4).fill(0)], `${d} x[[0, 2], :] = 7 (imaginary part 0)`);
    const z = x.copy();
    z.setIndex(m, x.index([1, 1]));
    const [zr, zi] = parts(z);
    t.ok(
      nd.arrayEqual(zr.index(m), xr.index([1, 1]), { equalNan: true }) && nd.arrayEqual(zi.index(m), xi.index([1, 1]), { equalNan: true }),
      `${d} x[m] = rows`,
    );
  }
  t.end();
});
