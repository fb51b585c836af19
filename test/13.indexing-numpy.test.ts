// Advanced indexing against NumPy 2: x.index(...) is x[...], x.setIndex(..., v)
// is x[...] = v, over every dtype family, contiguous and strided (negative
// step, transposed) views, 0-d and empty selections, and NumPy's errors.
import test from 'tape';
import * as nd from '../src/index.js';
import { type NDArray, codes, type DType } from '../src/index.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';
import { arrayOf, checkAll, edgeValues, randomView, skipWithoutNumpy, type Case } from './helpers/numpy-diff.js';

type Ix = nd.AdvancedIndex;
const DTYPES: DType[] = ['bool', 'int8', 'uint16', 'int32', 'int64', 'uint64', 'float16', 'float32', 'float64'];

const i64 = (v: number[]) => nd.array(v.map(BigInt));
const mask4 = () => nd.array([true, false, true, true]);
const mask45 = () =>
  nd
    .asarray(Uint8Array.from({ length: 20 }, (_, i) => ((i * 7) % 3 === 0 ? 1 : 0)))
    .astype('bool')
    .reshape([4, 5]);

/** [label, our indices, NumPy's index expression] on an array of shape (4, 5, 6). */
const READS: [string, () => Ix[], string][] = [
  ['int list', () => [[0, 2, 3]], '[[0, 2, 3]]'],
  ['negative ints', () => [[-1, 0, -4]], '[[-1, 0, -4]]'],
  ['slice then list', () => [':', [1, 0]], '[:, [1, 0]]'],
  [
    'two lists broadcast',
    () => [
      [[0], [3]],
      [1, 4],
    ],
    '[[[0], [3]], [1, 4]]',
  ],
  ['int, slice, list (non-adjacent)', () => [0, ':', [0, 1]], '[0, :, [0, 1]]'],
  ['slice, int, list (adjacent)', () => [':', 0, [0, 1]], '[:, 0, [0, 1]]'],
  ['list, slice, int (non-adjacent)', () => [[0, 1], ':', 0], '[[0, 1], :, 0]'],
  ['ellipsis then list', () => ['...', [1, 2]], '[..., [1, 2]]'],
  ['newaxis among lists', () => [null, [1, 0], [[0], [2]]], '[None, [1, 0], [[0], [2]]]'],
  ['list, newaxis, list (non-adjacent)', () => [[1, 0], null, [2, 2]], '[[1, 0], None, [2, 2]]'],
  [
    '2-D int list',
    () => [
      [
        [0, 1],
        [2, 3],
      ],
    ],
    '[[[0, 1], [2, 3]]]',
  ],
  ['stepped slice and list', () => ['::2', [4, 0], '::-2'], '[::2, [4, 0], ::-2]'],
  ['int64 array', () => [i64([3, 1]), '1:3'], '[np.array([3, 1]), 1:3]'],
  ['uint8 array', () => [':', nd.array([4, 4, 0], { dtype: 'uint8' })], '[:, np.array([4, 4, 0], dtype=np.uint8)]'],
  ['bigint and 0-d int', () => [1n, nd.array(2, { dtype: 'int32' }), [0, 5]], '[1, np.array(2, dtype=np.int32), [0, 5]]'],
  ['empty list', () => [[]], '[np.array([], dtype=np.intp)]'],
  ['mask on axis 0', () => [mask4()], '[np.array([True, False, True, True])]'],
  ['mask on two axes', () => [mask45()], '[(np.arange(20).reshape(4, 5) * 7 % 3 == 0)]'],
  ['slice then mask', () => [':', nd.array([false, true, false, true, true])], '[:, np.array([False, True, False, True, True])]'],
  ['mask and list', () => [mask4(), ':', [0, 1, 2]], '[np.array([True, False, True, True]), :, [0, 1, 2]]'],
  ['basic only: a view', () => [1, '::-1'], '[1, ::-1]'],
  ['out of bounds', () => [[0, 4]], '[[0, 4]]'],
  ['too many indices', () => [[0], [0], [0], [0]], '[[0], [0], [0], [0]]'],
  ['mask of wrong length', () => [nd.array([true, false])], '[np.array([True, False])]'],
];

test('13 x.index(...) is NumPy x[...] over dtypes and views', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(13);
  const cases: Case[] = [];
  for (const d of DTYPES) {
    for (const strided of [false, true]) {
      const v = randomView(rand, d, [4, 5, 6]);
      const base = strided ? v.base : arrayOf(edgeValues(d, 120, rand), d).reshape([4, 5, 6]);
      const view = strided ? v.view : (a: NDArray) => a;
      const pyView = strided ? v.py.replace('{}', '0') : 'a0';
      for (const [label, ix, py] of READS) {
        cases.push({
          label: `${d}${strided ? ' strided' : ''} ${label}`,
          expr: `${pyView}${py}`,
          args: [base],
          ours: () => view(base).index(...ix()),
        });
      }
    }
  }
  // Whole-array masks (the fast path) and 0-d / empty arrays.
  for (const d of DTYPES) {
    const x = arrayOf(edgeValues(d, 60, rand), d).reshape([3, 4, 5]);
    cases.push({ label: `${d} x[x != 0]`, expr: 'a0[a0 != 0]', args: [x], ours: () => x.index(nd.notEqual(x, 0)) });
    cases.push({ label: `${d} x.T[x.T != 0]`, expr: 'a0.T[a0.T != 0]', args: [x], ours: () => x.T.index(nd.notEqual(x.T, 0)) });
    const z = arrayOf(edgeValues(d, 1, rand), d).reshape([]);
    cases.push({ label: `${d} 0-d x[...]`, expr: 'a0[...]', args: [z], ours: () => z.index('...') });
    const e = arrayOf([], d).reshape([0, 3]);
    cases.push({ label: `${d} empty x[[]]`, expr: 'a0[np.array([], dtype=np.intp)]', args: [e], ours: () => e.index([]) });
    cases.push({ label: `${d} empty x[:, [2, 0]]`, expr: 'a0[:, [2, 0]]', args: [e], ours: () => e.index(':', [2, 0]) });
  }
  t.equal(checkAll(t, 'index', cases), 0);
  t.end();
});

/** [label, indices, NumPy index, value (ours), value (NumPy)] on (4, 5, 6). */
const WRITES: [string, () => Ix[], string, () => nd.NDArray | number, string][] = [
  ['int list = scalar', () => [[0, 2]], '[[0, 2]]', () => 7, '7'],
  ['repeated index, last wins', () => [[1, 1, 1]], '[[1, 1, 1]]', () => nd.arange(3).reshape([3, 1, 1]), 'np.arange(3).reshape(3, 1, 1)'],
  ['mask = scalar', () => [mask4()], '[np.array([True, False, True, True])]', () => 1, '1'],
  ['mixed = broadcast row', () => [':', [0, 4], '1:3'], '[:, [0, 4], 1:3]', () => nd.array([2, 3]), 'np.array([2, 3])'],
  ['non-adjacent = array', () => [0, ':', [0, 5]], '[0, :, [0, 5]]', () => nd.arange(10).reshape([2, 5]), 'np.arange(10).reshape(2, 5)'],
  ['basic view = scalar', () => ['1:3', null, -1], '[1:3, None, -1]', () => 3, '3'],
  ['out of bounds', () => [[4]], '[[4]]', () => 0, '0'],
  ['value does not broadcast', () => [[0, 1]], '[[0, 1]]', () => nd.ones([3]), 'np.ones(3)'],
];

test('13 x.setIndex(..., v) is NumPy x[...] = v', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(14);
  const cases: Case[] = [];
  for (const d of DTYPES) {
    const base = arrayOf(edgeValues(d, 120, rand), d).reshape([4, 5, 6]);
    for (const [label, ix, py, val, pyVal] of WRITES) {
      cases.push({
        label: `${d} ${label}`,
        expr: `(a0.__setitem__((slice(None),)*0 + np.index_exp${py}, ${pyVal}), a0)[1]`,
        args: [base],
        ours: () => base.copy().setIndex(...ix(), val()),
      });
    }
    const v = randomView(rand, d, [4, 5]);
    cases.push({
      label: `${d} strided view x[mask] = 0`,
      expr: `(lambda w: (w.__setitem__(w != 0, 0), a0)[1])(${v.py.replace('{}', '0')})`,
      args: [v.base],
      ours: () => {
        const b = v.base.copy();
        const w = v.view(b);
        w.setIndex(nd.notEqual(w, 0), 0);
        return b;
      },
    });
  }
  t.equal(checkAll(t, 'setIndex', cases), 0);
  t.end();
});

test('13 a list is never start/stop/step; 0-d arrays are numbers; bigint indices', (t) => {
  const x = nd.arange(10);
  throwsCoded(t, 'slice([0, 2, 5])', () => x.slice([0, 2, 5] as never), TypeError, codes.UNSUPPORTED);
  t.deepEqual(x.index([0, 2, 5]).toArray(), [0, 2, 5]);
  const s = nd.sum(x) as unknown as number;
  t.equal(s + 1, 46, 'nd.sum(x) + 1 is a number');
  t.ok((nd.max(x) as unknown as number) > 8, 'comparison');
  t.equal(`${nd.mean(x)}`, '4.5', 'template string of a 0-d array');
  const big = nd.sum(nd.arange(5, { dtype: 'int64' })) as unknown as bigint;
  t.equal(big + 1n, 11n, 'int64 0-d is a bigint');
  t.equal(x.get(nd.argmax(x).item() as bigint), 9, 'a bigint index');
  t.equal(x.get(nd.argmax(x) as never), 9, 'a 0-d integer array index');
  t.equal(
    nd
      .arange(6)
      .reshape([2, 3])
      .slice(1n as never, -1)
      .item(),
    5,
  );
  throwsCoded(t, 'ones([2]) + 1', () => (nd.ones([2]) as unknown as number) + 1, TypeError, codes.UNSUPPORTED);
  t.equal(String(nd.ones([2])), 'array([1, 1], dtype=float64, shape=(2))');
  const f = nd.zeros([2, 2]);
  const n: number = f.get(0, 0) + 1;
  t.equal(n, 1, 'zeros() is NDArray<float64>: get() is a number to the type checker');
  const b: bigint = nd.zeros([2], { dtype: 'int64' }).get(1) + 1n;
  t.equal(b, 1n, 'NDArray<int64>.get() is a bigint');
  const u: nd.NDArray = f; // the typed form is assignable to the untyped one
  t.equal(u.ndim, 2);
  t.end();
});

test('13 nd.ix and take/compress/extract/choose/select/nonzero against NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(15);
  const cases: Case[] = [];
  for (const d of DTYPES) {
    const x = arrayOf(edgeValues(d, 30, rand), d).reshape([5, 6]);
    const v = randomView(rand, d, [5, 6]);
    const w = v.view(v.base);
    const pw = v.py.replace('{}', '0');
    const add = (label: string, expr: string, ours: () => NDArray | NDArray[], args = [x]) =>
      cases.push({
        label: `${d} ${label}`,
        expr,
        args,
        ours: () => {
          const r = ours();
          return Array.isArray(r) ? nd.stack(r.length ? r : [nd.zeros([0])]) : r;
        },
      });
    add('ix', 'a0[np.ix_([0, 4], [5, 1, 2])]', () => x.index(...nd.ix([0, 4], [5, 1, 2])));
    add('ix bool', 'a0[np.ix_([True, False, True, False, True], [1, 2])]', () => x.index(...nd.ix([true, false, true, false, true], [1, 2])));
    add('take flat', 'np.take(a0, [0, 29, -1])', () => nd.take(x, [0, 29, -1]));
    add('take axis 1', 'np.take(a0, [[0, 5], [1, 1]], axis=1)', () =>
      nd.take(
        x,
        [
          [0, 5],
          [1, 1],
        ],
        { axis: 1 },
      ),
    );
    add('take wrap', "np.take(a0, [7, -8], axis=0, mode='wrap')", () => nd.take(x, [7, -8], { axis: 0, mode: 'wrap' }));
    add('take clip', "np.take(a0, [7, -8], axis=-1, mode='clip')", () => nd.take(x, [7, -8], { axis: -1, mode: 'clip' }));
    add('take raise', 'np.take(a0, [30])', () => nd.take(x, [30]));
    add('take strided', `np.take(${pw}, [3, 0], axis=1)`, () => nd.take(w, [3, 0], { axis: 1 }), [v.base]);
    add('compress', 'np.compress([True, False, True], a0, axis=0)', () => nd.compress([true, false, true], x, { axis: 0 }));
    add('compress flat', 'np.compress([False, True], a0)', () => nd.compress([false, true], x));
    add('extract', 'np.extract(a0 != 0, a0)', () => nd.extract(nd.notEqual(x, 0), x));
    add('nonzero', 'np.stack(np.nonzero(a0))', () => nd.nonzero(x));
    add('nonzero strided', `np.stack(np.nonzero(${pw}))`, () => nd.nonzero(w), [v.base]);
    add('flatnonzero', 'np.flatnonzero(a0)', () => nd.flatnonzero(x));
    add('argwhere', 'np.argwhere(a0)', () => nd.argwhere(x));
    add('diagonal', 'np.diagonal(a0, 1)', () => nd.diagonal(x, { offset: 1 }));
    add('diagonal -2', 'np.diagonal(a0, -2)', () => nd.diagonal(x, { offset: -2 }));
    add('diagonal strided', `np.diagonal(${pw})`, () => nd.diagonal(w), [v.base]);
    add('tril', 'np.tril(a0, -1)', () => nd.tril(x, { k: -1 }));
    add('triu', 'np.triu(a0, 2)', () => nd.triu(x, { k: 2 }));
    add('takeAlongAxis', 'np.take_along_axis(a0, np.argsort(a0, axis=1, kind="stable"), axis=1)', () =>
      nd.takeAlongAxis(x, nd.array(argsortRows(x), { dtype: 'int64' }), { axis: 1 }),
    );
    add('choose', 'np.choose(np.array([[0], [1], [0], [1], [1]]), [a0, a0[::-1]])', () =>
      nd.choose(nd.array([[0], [1], [0], [1], [1]], { dtype: 'int32' }), [x, x.slice('::-1')]),
    );
    add('select', 'np.select([a0 != 0, np.ones(a0.shape, bool)], [a0, a0[::-1]], 3)', () =>
      nd.select([nd.notEqual(x, 0), nd.ones(x.shape, { dtype: 'bool' })], [x, x.slice('::-1')], { default: 3 }),
    );
    add('put', '(np.put(a0, [0, -1, 3], [9, 8]), a0)[1]', () => {
      const y = x.copy();
      nd.put(y, [0, -1, 3], [9, 8]);
      return y;
    });
    add('place', '(np.place(a0, a0 != 0, [1, 2]), a0)[1]', () => {
      const y = x.copy();
      nd.place(y, nd.notEqual(y, 0), [1, 2]);
      return y;
    });
    add('putmask', '(np.putmask(a0, a0 != 0, [1, 2, 3]), a0)[1]', () => {
      const y = x.copy();
      nd.putmask(y, nd.notEqual(y, 0), [1, 2, 3]);
      return y;
    });
    add('fillDiagonal', '(np.fill_diagonal(a0, 5), a0)[1]', () => {
      const y = x.copy();
      nd.fillDiagonal(y, 5);
      return y;
    });
    add('putAlongAxis', '(np.put_along_axis(a0, np.array([[1], [0], [2], [5], [4]]), 1, axis=1), a0)[1]', () => {
      const y = x.copy();
      nd.putAlongAxis(y, nd.array([[1], [0], [2], [5], [4]], { dtype: 'int64' }), 1, { axis: 1 });
      return y;
    });
  }
  const e: Case[] = [];
  const none: NDArray[] = [];
  const push = (label: string, expr: string, ours: () => NDArray | NDArray[]) =>
    e.push({
      label,
      expr,
      args: none,
      ours: () => {
        const r = ours();
        return Array.isArray(r) ? nd.stack(r) : r;
      },
    });
  push('tri', 'np.tri(3, 4, 1)', () => nd.tri(3, { M: 4, k: 1 }));
  push('trilIndices', 'np.stack(np.tril_indices(4, 1, 5))', () => nd.trilIndices(4, { k: 1, m: 5 }));
  push('triuIndices', 'np.stack(np.triu_indices(4))', () => nd.triuIndices(4));
  push('triuIndicesFrom', 'np.stack(np.triu_indices_from(np.ones((3, 5)), -1))', () => nd.triuIndicesFrom(nd.ones([3, 5]), { k: -1 }));
  push('diagIndices', 'np.stack(np.diag_indices(3, 3))', () => nd.diagIndices(3, 3));
  push('maskIndices', 'np.stack(np.mask_indices(3, np.triu, 1))', () => nd.maskIndices(3, (m, k) => nd.triu(m, { k }), { k: 1 }));
  push('ravelMultiIndex', 'np.ravel_multi_index(([3, 6, 6], [4, 5, 1]), (7, 6))', () =>
    nd.ravelMultiIndex(
      [
        [3, 6, 6],
        [4, 5, 1],
      ],
      [7, 6],
    ),
  );
  push('ravelMultiIndex F clip', "np.ravel_multi_index(([3, 9], [-4, 5]), (7, 6), mode='clip', order='F')", () =>
    nd.ravelMultiIndex(
      [
        [3, 9],
        [-4, 5],
      ],
      [7, 6],
      { mode: 'clip', order: 'F' },
    ),
  );
  push('ravelMultiIndex raise', 'np.ravel_multi_index(([3, 9], [4, 5]), (7, 6))', () =>
    nd.ravelMultiIndex(
      [
        [3, 9],
        [4, 5],
      ],
      [7, 6],
    ),
  );
  push('unravelIndex', 'np.stack(np.unravel_index([22, 41, 37], (7, 6)))', () => nd.unravelIndex([22, 41, 37], [7, 6]));
  push('unravelIndex F', "np.stack(np.unravel_index([31, 41, 13], (7, 6), order='F'))", () => nd.unravelIndex([31, 41, 13], [7, 6], { order: 'F' }));
  push('unravelIndex oob', 'np.stack(np.unravel_index([42], (7, 6)))', () => nd.unravelIndex([42], [7, 6]));
  push('nonzero 0-d', 'np.nonzero(np.array(1))', () => nd.nonzero(nd.array(1)));
  push('choose oob', 'np.choose([2], [[1], [2]])', () => nd.choose([2], [[1], [2]]));
  push('select non-bool', 'np.select([np.array([1, 0])], [np.array([1, 2])])', () => nd.select([nd.array([1, 0])], [nd.array([1, 2])]));
  t.equal(checkAll(t, 'indexing functions', [...cases, ...e]), 0);
  t.end();
});

/** A stable argsort of each row (JS), for takeAlongAxis without depending on the sorting module. */
function argsortRows(x: NDArray): number[][] {
  const rows = x.toArray() as (number | bigint | boolean)[][];
  const key = (v: number | bigint | boolean) => (typeof v === 'boolean' ? Number(v) : v);
  return rows.map((r) =>
    r
      .map((_, i) => i)
      .sort((i, j) => {
        const a = key(r[i]!),
          b = key(r[j]!);
        const an = typeof a === 'number' && Number.isNaN(a),
          bn = typeof b === 'number' && Number.isNaN(b);
        if (an || bn) return an && bn ? i - j : an ? 1 : -1;
        return a < b ? -1 : a > b ? 1 : i - j;
      }),
  );
}
