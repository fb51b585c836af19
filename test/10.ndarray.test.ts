import test from 'tape';
import * as nd from '../src/index.js';
import { DTYPES, NDArray } from '../src/index.js';

test('array: nested arrays infer shape and dtype', (t) => {
  const x = nd.array([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  t.deepEqual(x.shape, [2, 3]);
  t.equal(x.dtype, 'float64');
  t.deepEqual(x.strides, [3, 1]);
  t.equal(x.size, 6);
  t.equal(x.ndim, 2);
  t.deepEqual(x.toArray(), [
    [1, 2, 3],
    [4, 5, 6],
  ]);
  t.equal(nd.array([true, false]).dtype, 'bool');
  t.deepEqual(nd.array([true, false]).toArray(), [true, false]);
  t.equal(nd.array([1n, -2n]).dtype, 'int64');
  t.equal(nd.array([2n ** 63n]).dtype, 'uint64');
  t.equal(nd.array(new Float32Array([1, 2])).dtype, 'float32');
  t.deepEqual(nd.array(3.5).shape, []);
  t.equal(nd.array(3.5).item(), 3.5);
  t.deepEqual(nd.array([]).shape, [0]);
  t.deepEqual(nd.array([[], []]).shape, [2, 0]);
  t.deepEqual(nd.array([1, 2, 3, 4], { shape: [2, 2] }).toArray(), [
    [1, 2],
    [3, 4],
  ]);
  t.deepEqual(nd.array([new Int32Array([1, 2]), new Int32Array([3, 4])]).toArray(), [
    [1, 2],
    [3, 4],
  ]);
  t.end();
});

test('array: ragged input and non-scalars are coded errors', (t) => {
  const bad: [unknown, string][] = [
    [[[1, 2], [3]], 'ERR_NDSHARE_SHAPE_MISMATCH'],
    [[[1, 2], 3], 'ERR_NDSHARE_SHAPE_MISMATCH'],
    [[1, [2]], 'ERR_NDSHARE_SHAPE_MISMATCH'],
    [['a'], 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    [[{}], 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    ['abc', 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    [undefined, 'ERR_NDSHARE_INVALID_ARG_TYPE'],
    [new DataView(new ArrayBuffer(4)), 'ERR_NDSHARE_INVALID_ARG_TYPE'],
  ];
  for (const [input, code] of bad) {
    t.throws(
      () => nd.array(input as never),
      (e: { code?: string }) => e.code === code,
      `${JSON.stringify(input) ?? String(input)} -> ${code}`,
    );
  }
  t.throws(() => nd.array([1, 2, 3], { shape: [2, 2] }), /size 3/, 'shape of another size');
  t.end();
});

test('asarray shares memory with typed arrays, NDArrays and matching dtypes', (t) => {
  const f = new Float32Array([1, 2, 3, 4, 5, 6]);
  const x = nd.asarray(f, { shape: [2, 3] });
  x.set(1, 2, 42);
  t.equal(f[5], 42, 'write through the view reaches the typed array');
  t.equal(nd.asarray(x), x, 'same NDArray back');
  t.notEqual(nd.asarray(x, { dtype: 'float64' }).data, f, 'another dtype copies');
  t.equal(nd.asarray([1, 2]).dtype, 'float64');
  t.end();
});

test('creation functions', (t) => {
  t.deepEqual(nd.zeros([2, 2], { dtype: 'int32' }).toArray(), [
    [0, 0],
    [0, 0],
  ]);
  t.deepEqual(nd.ones(3, { dtype: 'int64' }).toArray(), [1n, 1n, 1n]);
  t.deepEqual(nd.full([2], 7, { dtype: 'uint8' }).toArray(), [7, 7]);
  t.equal(nd.full([1], true).dtype, 'bool');
  t.equal(nd.full([1], 5n).dtype, 'int64');
  t.deepEqual(nd.empty([3, 0]).shape, [3, 0]);
  t.deepEqual(nd.arange(5).toArray(), [0, 1, 2, 3, 4]);
  t.deepEqual(nd.arange(2, 5).toArray(), [2, 3, 4]);
  t.deepEqual(nd.arange(10, 0, -3, { dtype: 'int32' }).toArray(), [10, 7, 4, 1]);
  t.deepEqual(nd.arange(0, 0).shape, [0]);
  t.deepEqual(nd.linspace(0, 1, 5).toArray(), [0, 0.25, 0.5, 0.75, 1]);
  t.deepEqual(nd.linspace(0, 1, 4, { endpoint: false }).toArray(), [0, 0.25, 0.5, 0.75]);
  t.deepEqual(nd.eye(3, 4, { k: 1, dtype: 'uint8' }).toArray(), [
    [0, 1, 0, 0],
    [0, 0, 1, 0],
    [0, 0, 0, 1],
  ]);
  t.deepEqual(nd.eye(2, undefined, { k: -1 }).toArray(), [
    [0, 0],
    [1, 0],
  ]);
  const z = nd.zerosLike(nd.ones([2, 3], { dtype: 'float32' }));
  t.equal(z.dtype, 'float32');
  t.deepEqual(z.shape, [2, 3]);
  t.deepEqual(nd.onesLike(z, { dtype: 'bool' }).toArray(), [
    [true, true, true],
    [true, true, true],
  ]);
  t.end();
});

test('every dtype: zeros, set, get, toArray, astype round trip', (t) => {
  for (const dtype of DTYPES) {
    const x = nd.zeros([2, 3], { dtype });
    t.equal(x.data.BYTES_PER_ELEMENT, x.itemsize, `${dtype} itemsize`);
    x.set(1, 2, 3);
    const v = x.get(1, 2);
    const expected = dtype === 'bool' ? true : dtype === 'int64' || dtype === 'uint64' ? 3n : 3;
    t.equal(v, expected, `${dtype} get after set`);
    t.equal(x.get(-1, -1), expected, `${dtype} negative indices`);
    t.equal(x.astype('float64').get(1, 2), dtype === 'bool' ? 1 : 3, `${dtype} -> float64`);
  }
  t.end();
});

test('float16 and bfloat16 elements round to nearest even', (t) => {
  const h = nd.array([1, 65504, 65520, 1e-8, -0, NaN, Infinity, 0.1], { dtype: 'float16' });
  const got = h.toArray() as number[];
  t.deepEqual(got.slice(0, 3), [1, 65504, Infinity], 'max half and overflow');
  t.equal(got[3], 0, '1e-8 underflows to 0');
  t.ok(Object.is(got[4], -0), '-0 kept');
  t.ok(Number.isNaN(got[5]), 'NaN kept');
  t.equal(got[7], 0.0999755859375, '0.1 as half');
  const b = nd.array([1, 3.140625, 1 + 2 ** -8], { dtype: 'bfloat16' });
  t.deepEqual(b.toArray(), [1, 3.140625, 1], 'bfloat16 ties to even');
  t.end();
});

test('float64 <-> float32 casts round to nearest even on the native and the small-array path', (t) => {
  for (const n of [5, 1023, 1024, 100_003]) {
    const src = new Float64Array(n);
    let s = 12345;
    for (let i = 0; i < n; i++) {
      s = (Math.imul(s, 1103515245) + 12345) >>> 0;
      src[i] = (s / 2 ** 32 - 0.5) * 10 ** ((s % 80) - 40);
    }
    src.set([NaN, Infinity, -Infinity, -0, 3.4028235677973366e38].slice(0, n));
    const f32 = nd.asarray(src).astype('float32');
    const expected = Float32Array.from(src, (v) => Math.fround(v));
    t.ok(
      Buffer.from(f32.data.buffer, f32.data.byteOffset, f32.data.byteLength).equals(Buffer.from(expected.buffer)),
      `n=${n}: float64 -> float32 bits equal Math.fround`,
    );
    const back = f32.astype('float64');
    t.ok(
      (back.data as Float64Array).every((v, i) => Object.is(v, expected[i]) || (Number.isNaN(v) && Number.isNaN(expected[i]!))),
      `n=${n}: float32 -> float64 exact`,
    );
  }
  t.end();
});

test('views: reshape gives a view when NumPy would and a copy otherwise', (t) => {
  const owner = nd.arange(24);
  const x = owner.reshape([2, 3, 4]);
  t.equal(x.base, owner, 'reshape of a fresh array is a view of it');
  const r = x.reshape([6, -1]);
  t.equal(r.base, owner, 'base is the owner, never a view');
  t.deepEqual(r.shape, [6, 4]);
  t.false(r.flags.ownData);
  const tr = x.transpose([2, 0, 1]);
  t.deepEqual(tr.shape, [4, 2, 3]);
  t.false(tr.flags.cContiguous);
  const copied = tr.reshape([-1]);
  t.true(copied.flags.ownData, 'reshape of a transposed array copies');
  t.deepEqual(copied.toArray(), (tr.toArray() as number[][][]).flat(2));
  const merged = x.T.reshape([4, 6]);
  t.true(merged.flags.ownData, 'C-order reshape of an F view copies');
  const split = nd.arange(12).reshape([3, 4]).T.reshape([2, 2, 3]);
  t.false(split.flags.ownData, 'splitting a strided axis is a view');
  t.throws(
    () => x.reshape([5, 5]),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_SHAPE_MISMATCH',
  );
  t.throws(
    () => x.reshape([-1, -1]),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
  );
  t.end();
});

test('views: slice with steps, negative steps, newaxis and ellipsis', (t) => {
  const x = nd.arange(12).reshape([3, 4]);
  t.deepEqual(x.slice(1).toArray(), [4, 5, 6, 7]);
  t.deepEqual(x.slice(-1, -1).toArray(), 11);
  t.deepEqual(x.slice(':', '::2').toArray(), [
    [0, 2],
    [4, 6],
    [8, 10],
  ]);
  t.deepEqual(x.slice('::-1', 0).toArray(), [8, 4, 0]);
  t.deepEqual(x.slice('...', '::-2').toArray(), [
    [3, 1],
    [7, 5],
    [11, 9],
  ]);
  t.deepEqual(x.slice(null, 0).shape, [1, 4]);
  t.deepEqual(x.slice('1:', { start: 1, stop: 3 }).toArray(), [
    [5, 6],
    [9, 10],
  ]);
  t.deepEqual(x.slice('::-1', { start: 3, stop: 0, step: -2 }).toArray(), [
    [11, 9],
    [7, 5],
    [3, 1],
  ]);
  t.deepEqual(x.slice('5:').shape, [0, 4], 'empty slice');
  const v = x.slice(':', 1);
  v.set(2, -1);
  t.equal(x.get(2, 1), -1, 'slices write through');
  t.throws(
    () => x.slice(3),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_OUT_OF_BOUNDS',
  );
  t.throws(
    () => x.slice(0, 0, 0),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_OUT_OF_BOUNDS',
  );
  t.throws(
    () => x.slice('::0'),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
  );
  t.throws(
    () => x.slice('...', '...'),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
  );
  t.throws(
    () => x.slice('a:b'),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
  );
  for (const fancy of [nd.array([0, 2]), new Int32Array([1, 2]), { begin: 1 }, new Map()]) {
    t.throws(
      () => x.slice(fancy as never),
      (e: { code?: string }) => e.code === 'ERR_NDSHARE_UNSUPPORTED',
      `fancy index ${String(fancy)} is refused, not ignored`,
    );
  }
  t.end();
});

test('views: squeeze, expandDims, broadcastTo, flatten, ravel, T', (t) => {
  const x = nd.arange(6).reshape([1, 2, 1, 3]);
  t.deepEqual(x.squeeze().shape, [2, 3]);
  t.deepEqual(x.squeeze(2).shape, [1, 2, 3]);
  t.deepEqual(x.squeeze([0, -2]).shape, [2, 3]);
  t.throws(
    () => x.squeeze(1),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
  );
  t.deepEqual(nd.zeros([3]).expandDims(0).shape, [1, 3]);
  t.deepEqual(nd.zeros([3]).expandDims([0, 2]).shape, [1, 3, 1]);
  t.deepEqual(nd.zeros([3]).expandDims(-1).shape, [3, 1]);
  const b = nd.arange(3).broadcastTo([2, 3]);
  t.deepEqual(b.strides, [0, 1], 'zero stride on the new axis');
  t.deepEqual(b.toArray(), [
    [0, 1, 2],
    [0, 1, 2],
  ]);
  t.false(b.flags.writeable, 'broadcast views are read-only');
  t.throws(
    () => b.set(0, 0, 1),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_READ_ONLY',
  );
  t.throws(
    () => nd.arange(3).broadcastTo([2, 4]),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_BROADCAST',
  );
  const m = nd.arange(6).reshape([2, 3]);
  t.deepEqual(m.T.flatten().toArray(), [0, 3, 1, 4, 2, 5]);
  t.true(m.flatten().flags.ownData, 'flatten copies');
  t.false(m.ravel().flags.ownData, 'ravel of a C-contiguous array is a view');
  t.true(m.T.ravel().flags.ownData, 'ravel of a transposed array copies');
  t.deepEqual(m.T.shape, [3, 2]);
  t.deepEqual(m.T.strides, [1, 3]);
  t.true(m.T.flags.fContiguous);
  t.end();
});

test('flags follow NumPy (length-1 axes ignored, empty arrays are both)', (t) => {
  const x = nd.zeros([3, 1, 4]);
  t.true(x.flags.cContiguous);
  t.false(x.flags.fContiguous);
  t.true(nd.zeros([1, 5]).flags.fContiguous, 'a row vector is both');
  t.true(nd.zeros([0, 3]).T.flags.cContiguous, 'empty is both');
  const e1 = nd.arange(12).reshape([3, 4]).slice('::-1', '2:2').flags;
  t.true(e1.cContiguous && e1.fContiguous, 'an empty view with a negative stride is both');
  const e2 = nd.arange(12).reshape([3, 4]).slice('0:0', '::2').flags;
  t.true(e2.cContiguous && e2.fContiguous, 'an empty view with a stepped axis is both');
  t.true(x.flags.ownData);
  t.true(x.flags.writeable);
  t.end();
});

test('copy, astype, assign, fill, item', (t) => {
  const x = nd.arange(6).reshape([2, 3]);
  const c = x.T.copy();
  t.true(c.flags.cContiguous);
  t.deepEqual(c.toArray(), [
    [0, 3],
    [1, 4],
    [2, 5],
  ]);
  const f = x.copy('F');
  t.true(f.flags.fContiguous);
  t.deepEqual(f.toArray(), x.toArray());
  t.equal(x.astype('float64', { copy: false }), x, 'astype without copy returns itself');
  t.notEqual(x.astype('float64'), x);
  t.deepEqual(nd.array([1.7, -1.7, 300, -129]).astype('int8').toArray(), [1, -1, 44, 127]);
  t.deepEqual(nd.array([0, 0.5, NaN, -0]).astype('bool').toArray(), [false, true, true, false]);
  t.deepEqual(nd.array([-1]).astype('uint64').toArray(), [2n ** 64n - 1n]);
  const foreignBool = new NDArray(new Uint8Array([0, 1, 2, 255]), 'bool', [4]);
  t.deepEqual(foreignBool.astype('int32').toArray(), [0, 1, 1, 1], 'bool bytes other than 0/1 are true, cast as 1');
  const y = nd.zeros([2, 3]);
  y.slice(':', 1).assign(nd.array([7, 8]));
  t.deepEqual(y.toArray(), [
    [0, 7, 0],
    [0, 8, 0],
  ]);
  y.assign(nd.array([1, 2, 3]));
  t.deepEqual(
    y.toArray(),
    [
      [1, 2, 3],
      [1, 2, 3],
    ],
    'assign broadcasts',
  );
  const sq = nd.arange(9).reshape([3, 3]);
  sq.assign(sq.T);
  t.deepEqual(
    sq.toArray(),
    [
      [0, 3, 6],
      [1, 4, 7],
      [2, 5, 8],
    ],
    'overlapping assign reads the old values',
  );
  y.fill(2);
  t.deepEqual(y.toArray(), [
    [2, 2, 2],
    [2, 2, 2],
  ]);
  t.equal(nd.arange(6).reshape([2, 3]).item(4), 4, 'flat item');
  t.equal(nd.arange(6).reshape([2, 3]).T.item(1), 3, 'flat item follows C order of the view');
  t.throws(
    () => x.item(),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_SHAPE_MISMATCH',
  );
  t.throws(
    () => x.get(0),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_OUT_OF_BOUNDS',
  );
  t.throws(
    () => x.get(2, 0),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_OUT_OF_BOUNDS',
  );
  t.throws(
    () => x.get(0.5, 0),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_TYPE',
  );
  t.end();
});

test('NDArray constructor refuses views outside their data', (t) => {
  const data = new Float64Array(10);
  t.doesNotThrow(() => new NDArray(data, 'float64', [2, 5]));
  t.doesNotThrow(() => new NDArray(data, 'float64', [5], [-2], 8), 'negative stride inside');
  const bad: [number[], number[] | undefined, number][] = [
    [[11], undefined, 0],
    [[2, 5], [5, 1], 1],
    [[5], [-2], 7],
    [[3], [5], 0],
  ];
  for (const [shape, strides, offset] of bad) {
    t.throws(
      () => new NDArray(data, 'float64', shape, strides, offset),
      (e: { code?: string }) => e.code === 'ERR_NDSHARE_OUT_OF_BOUNDS',
      `shape ${shape} strides ${strides} offset ${offset}`,
    );
  }
  t.throws(
    () => new NDArray(data, 'float32', [2]),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_TYPE',
  );
  t.throws(
    () => new NDArray(new Uint16Array(4), 'float16', [2], [1], -1),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
  );
  t.end();
});

test('random: seeded, in range, stable', (t) => {
  const a = nd.random.uniform([1000], { seed: 42 });
  const b = nd.random.uniform([1000], { seed: 42 });
  t.deepEqual(a.toArray(), b.toArray(), 'same seed, same values');
  t.notDeepEqual(a.toArray(), nd.random.uniform([1000], { seed: 43 }).toArray(), 'other seed, other values');
  const u = a.toArray() as number[];
  t.true(
    u.every((v) => v >= 0 && v < 1),
    'uniform in [0, 1)',
  );
  const mean = u.reduce((s, v) => s + v, 0) / u.length;
  t.true(Math.abs(mean - 0.5) < 0.05, `uniform mean ${mean}`);
  const n = nd.random.normal([20000], { seed: 1, loc: 3, scale: 2 }).toArray() as number[];
  const nm = n.reduce((s, v) => s + v, 0) / n.length;
  const sd = Math.sqrt(n.reduce((s, v) => s + (v - nm) ** 2, 0) / n.length);
  t.true(Math.abs(nm - 3) < 0.1 && Math.abs(sd - 2) < 0.1, `normal mean ${nm} sd ${sd}`);
  const ints = nd.random.integers([5000], { low: -3, high: 4, seed: 9, dtype: 'int32' });
  const iv = ints.toArray() as number[];
  t.equal(ints.dtype, 'int32');
  t.deepEqual(
    [...new Set(iv)].sort((p, q) => p - q),
    [-3, -2, -1, 0, 1, 2, 3],
    'every value of [low, high) appears, no other',
  );
  t.equal(nd.random.integers([2], { high: 5, seed: 1 }).dtype, 'int64');
  t.equal(nd.random.uniform([4], { seed: 1, dtype: 'float16' }).dtype, 'float16');
  t.throws(
    () => nd.random.integers([2], { low: 5, high: 5 }),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
  );
  t.throws(
    () => nd.random.uniform([2], { dtype: 'int32' }),
    (e: { code?: string }) => e.code === 'ERR_NDSHARE_INVALID_ARG_VALUE',
  );
  t.end();
});

test('toString summarizes like NumPy', (t) => {
  t.equal(
    String(
      nd.array(
        [
          [1, 2],
          [3, 4],
        ],
        { dtype: 'int32' },
      ),
    ),
    'array([[1, 2], [3, 4]], dtype=int32, shape=(2, 2))',
  );
  t.match(String(nd.arange(5000)), /\[0, 1, 2, \.\.\., 4997, 4998, 4999\]/);
  t.equal(nd.array(true).toString(), 'array(True, dtype=bool)');
  t.equal(String(nd.array(true)), 'true', 'String() of a 0-d array is its element, as str() of a NumPy scalar');
  t.end();
});
