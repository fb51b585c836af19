// The rest of the creation group against NumPy 2: *Like, layout conversions,
// log/geometric ranges, grids, fromfunction/fromiter/frombuffer, diag,
// diagflat, identity and vander, over dtype families and strided views.
import test from 'tape';
import * as nd from '../src/index.js';
import { type NDArray, codes, type DType } from '../src/index.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';
import { checkAll, randomView, skipWithoutNumpy, type Case } from './helpers/numpy-diff.js';

const DTYPES: DType[] = ['bool', 'int8', 'uint16', 'int32', 'int64', 'uint64', 'float16', 'float32', 'float64'];
const one = (r: NDArray | NDArray[]): NDArray => (Array.isArray(r) ? nd.stack(r) : r);

test('75 creation functions against NumPy', (t) => {
  if (skipWithoutNumpy(t)) return;
  const rand = mulberry32(75);
  const cases: Case[] = [];
  const none: NDArray[] = [];
  for (const d of DTYPES) {
    const v = randomView(rand, d, [3, 4]);
    const x = v.view(v.base);
    const X = v.py.replace('{}', '0');
    const add = (label: string, expr: string, ours: () => NDArray | NDArray[], args: NDArray[] = [v.base]) =>
      cases.push({ label: `${d} ${label}`, expr, args, ours: () => one(ours()) });
    add('fullLike', `np.full_like(${X}, 3)`, () => nd.fullLike(x, 3));
    add('fullLike dtype shape', `np.full_like(${X}, 2.5, dtype=np.float32, shape=(2, 2))`, () => nd.fullLike(x, 2.5, { dtype: 'float32', shape: [2, 2] }));
    add('emptyLike shape', `np.empty_like(${X}).shape`, () => nd.array(nd.emptyLike(x).shape, { dtype: 'int64' }));
    add('copy', `np.copy(${X})`, () => nd.copy(x));
    add('ascontiguousarray', `np.ascontiguousarray(${X})`, () => nd.ascontiguousarray(x));
    add('asfortranarray', `np.asfortranarray(${X})`, () => nd.asfortranarray(x));
    add('diag of 2-D', `np.diag(${X}, 1)`, () => nd.diag(x, { k: 1 }));
    add('diag of 1-D', `np.diag(${X}[0], -2)`, () => nd.diag(x.slice(0), { k: -2 }));
    add('diagflat', `np.diagflat(${X}, 1)`, () => nd.diagflat(x, { k: 1 }));
    add('vander', `np.vander(${X}[0])`, () => nd.vander(x.slice(0)));
    add('vander N increasing', `np.vander(${X}[:, 1], 5, increasing=True)`, () => nd.vander(x.slice(':', 1), { N: 5, increasing: true }));
    add('identity', `np.identity(3, dtype=np.${d === 'bool' ? 'bool_' : d})`, () => nd.identity(3, { dtype: d }), none);
    add(
      'indices',
      `np.indices((2, 3), dtype=np.${d === 'bool' ? 'int64' : d})`,
      () => nd.indices([2, 3], { dtype: d === 'bool' ? 'int64' : d }) as NDArray,
      none,
    );
    add('fromiter', `np.fromiter(iter([1, 0, 3]), dtype=np.${d === 'bool' ? 'bool_' : d})`, () => nd.fromiter([1, 0, 3], d), none);
    add('frombuffer', `np.frombuffer(np.ascontiguousarray(${X}).tobytes(), dtype=a0.dtype)`, () => {
      const c = nd.ascontiguousarray(x);
      return nd.frombuffer(new Uint8Array(c.data.buffer, c.data.byteOffset + c.offset * c.itemsize, c.nbytes).slice(), { dtype: d });
    });
    add('meshgrid xy', `np.stack(np.meshgrid(${X}[0], ${X}[1, :3]))`, () => nd.meshgrid(x.slice(0), x.slice(1, ':3')));
    add('meshgrid ij', `np.stack(np.meshgrid(${X}[0], ${X}[1, :3], indexing='ij'))`, () => nd.meshgrid(x.slice(0), x.slice(1, ':3'), { indexing: 'ij' }));
  }
  const push = (label: string, expr: string, ours: () => NDArray | NDArray[], tol?: Case['tol']) =>
    cases.push({ label, expr, args: none, ours: () => one(ours()), ...(tol ? { tol } : {}) });
  const ULP = { ulps: 4 };
  push('logspace', 'np.logspace(0, 3, 7)', () => nd.logspace(0, 3, 7), ULP);
  push('logspace base 2 no endpoint', 'np.logspace(-1, 4, 5, endpoint=False, base=2)', () => nd.logspace(-1, 4, 5, { endpoint: false, base: 2 }), ULP);
  push('geomspace', 'np.geomspace(1, 1000, 4)', () => nd.geomspace(1, 1000, 4), ULP);
  push('geomspace negative', 'np.geomspace(-1000, -1, 4)', () => nd.geomspace(-1000, -1, 4), ULP);
  push('geomspace int', 'np.geomspace(1, 256, 9, dtype=np.int32)', () => nd.geomspace(1, 256, 9, { dtype: 'int32' }));
  push('geomspace zero', 'np.geomspace(0, 1, 3)', () => nd.geomspace(0, 1, 3));
  push('fromfunction', 'np.fromfunction(lambda i, j: i * 10 + j, (3, 4))', () => nd.fromfunction((i, j) => nd.add(nd.multiply(i!, 10), j!), [3, 4]));
  push('asarrayChkfinite', 'np.asarray_chkfinite([1.0, np.nan])', () => nd.asarrayChkfinite([1, NaN]));
  push('meshgrid sparse', 'np.meshgrid([1., 2., 3.], [4., 5.], sparse=True)[0]', () => nd.meshgrid([1, 2, 3], [4, 5], { sparse: true })[0]!);
  push('fromiter short', 'np.fromiter(iter([1, 2]), dtype=np.float64, count=3)', () => nd.fromiter([1, 2], 'float64', { count: 3 }));
  push('frombuffer bad size', "np.frombuffer(b'abc', dtype=np.int16)", () => nd.frombuffer(new Uint8Array([97, 98, 99]), { dtype: 'int16' }));
  t.equal(checkAll(t, 'creation', cases), 0);
  t.end();
});

test('75 require and frombuffer share memory', (t) => {
  const buf = new Float64Array([1, 2, 3, 4]);
  const a = nd.frombuffer(buf.buffer, { dtype: 'float64', offset: 8, count: 2 });
  buf[1] = 9;
  t.deepEqual(a.toArray(), [9, 3], 'frombuffer is a view');
  const x = nd.arange(6).reshape([2, 3]).T;
  const r = nd.require(x, { requirements: ['C', 'W'] });
  t.ok(r.flags.cContiguous && r.flags.writeable);
  t.equal(nd.require(r, { requirements: 'C' }), r, 'no copy when met');
  throwsCoded(t, 'require C and F', () => nd.require(x, { requirements: ['C', 'F'] }), RangeError, codes.INVALID_ARG_VALUE);
  t.end();
});
