// The store within one process: put/get/seal/release/delete, names, views,
// read-only guarantees, eviction, capacity errors and validation.
import test from 'tape';
import * as nd from '../src/index.js';
import { codes, NdshareError, NdshareRangeError, NdshareTypeError } from '../src/index.js';
import { throwsCoded } from './helpers/assert.js';

test('put and get: same values, read-only view over shared memory, by id and by name', (t) => {
  using store = nd.Store.create({ capacity: '8MiB' });
  const x = nd.arange(12, { dtype: 'float32' }).reshape([3, 4]).T; // non-contiguous input
  const id = store.put(x, { name: 'x' });
  t.match(id, /^#\d+\.\d+$/, `id ${id}`);
  const a = store.get(id);
  const b = store.get('x');
  t.deepEqual(a.toArray(), x.toArray(), 'values (stored in C order)');
  t.deepEqual(a.shape, [4, 3]);
  t.equal(a.dtype, 'float32');
  t.true(a.flags.cContiguous);
  t.false(a.flags.writeable, 'views from get are read-only');
  t.false(a.flags.ownData);
  t.ok(a.data.buffer instanceof SharedArrayBuffer, 'data lives in the shared segment');
  t.equal(a.data.byteOffset % 64, 0, 'data is 64-byte aligned');
  t.equal(a.data.buffer, b.data.buffer);
  t.equal(a.data.byteOffset, b.data.byteOffset, 'id and name reach the same bytes');
  throwsCoded(t, 'set on a get view', () => a.set(0, 0, 1), NdshareError, codes.READ_ONLY);
  throwsCoded(t, 'fill on a slice of it', () => a.slice(0).fill(1), NdshareError, codes.READ_ONLY);
  t.true(store.has('x') && store.has(id));
  t.equal(store.idOf(a.slice(1)), id, 'idOf works through views');
  store.release(a);
  store.release(b);
  store.release(b); // idempotent
  t.end();
});

test('every dtype and 0-d / empty arrays round trip through the store', (t) => {
  using store = nd.Store.create({ capacity: '4MiB' });
  for (const dtype of nd.DTYPES) {
    const x = nd.arange(6).astype(dtype).reshape([2, 3]);
    const y = store.get(store.put(x));
    t.deepEqual(y.toArray(), x.toArray(), dtype);
    store.release(y);
  }
  const scalar = store.get(store.put(nd.array(2.5)));
  t.deepEqual(scalar.shape, []);
  t.equal(scalar.item(), 2.5);
  const none = store.get(store.put(nd.zeros([3, 0])));
  t.deepEqual(none.shape, [3, 0]);
  t.end();
});

test('empty/zeros are writable until seal, invisible until seal, read-only after', (t) => {
  using store = nd.Store.create({ capacity: '8MiB' });
  const w = store.zeros([1000, 100], { dtype: 'int32', name: 'w' });
  t.ok(
    (w.data as Int32Array).every((v) => v === 0),
    'zeros are zero',
  );
  t.true(w.flags.writeable);
  w.slice(':', 0).fill(7);
  throwsCoded(t, 'get before seal', () => store.get('w'), NdshareError, codes.NOT_FOUND, /not sealed yet/);
  throwsCoded(t, 'get before seal, with a timeout', () => store.get('w', { timeout: 30 }), NdshareError, codes.TIMEOUT);
  t.false(store.has('w'));
  const id = store.seal(w);
  t.false(w.flags.writeable, 'the array turned read-only at seal');
  throwsCoded(t, 'write after seal', () => w.set(0, 0, 1), NdshareError, codes.READ_ONLY);
  const r = store.get('w');
  t.equal(r.get(999, 0), 7);
  t.equal(store.idOf(r), id);
  throwsCoded(t, 'seal twice', () => store.seal(w), NdshareError, codes.NOT_FOUND);
  store.release(w);
  store.release(r);
  // A large zeros over memory that held data reads as zeros (hole punching path).
  const big = store.empty([1 << 18], { name: 'big' });
  big.fill(3);
  store.seal(big);
  store.release(big);
  store.delete('big');
  const z = store.zeros([1 << 18]);
  t.ok(
    (z.data as Float64Array).every((v) => v === 0),
    'recycled memory is zeroed',
  );
  t.end();
});

test('delete: immediate when unpinned, deferred while pinned; names come free', (t) => {
  using store = nd.Store.create({ capacity: '8MiB' });
  const base = store.stats().used;
  const id = store.put(nd.ones([1000]), { name: 'a' });
  const v = store.get('a');
  store.delete('a');
  t.false(store.has('a'), 'gone from get at once');
  throwsCoded(t, 'get after delete', () => store.get(id), NdshareError, codes.NOT_FOUND);
  t.equal(v.get(999), 1, 'a pinned view stays valid');
  t.ok(store.stats().used > base, 'memory held while pinned');
  store.release(v);
  t.equal(store.stats().used, base, 'freed with the last pin');
  store.put(nd.zeros([2]), { name: 'a' });
  t.pass('the name can be used again');
  throwsCoded(t, 'name taken', () => store.put(nd.zeros([2]), { name: 'a' }), NdshareError, codes.EXISTS, /'a'/);
  throwsCoded(t, 'delete a missing name', () => store.delete('nope'), NdshareError, codes.NOT_FOUND, /nope/);
  t.deepEqual(store.check(), [], 'arena invariants hold');
  t.end();
});

test('eviction: least recently used unpinned sealed objects go first; pinned never', (t) => {
  using store = nd.Store.create({ capacity: '1MiB' });
  const chunk = () => nd.zeros([16 * 1024]); // 128 KiB
  const ids = Array.from({ length: 7 }, (_, i) => store.put(chunk(), { name: `c${i}` }));
  const pinned = store.get('c0'); // c0 is now the most recently used, and pinned
  store.get('c1'); // touch c1 (and pin it)
  for (let i = 7; i < 12; i++) store.put(chunk(), { name: `c${i}` });
  const s = store.stats();
  t.ok(s.evictions >= 4, `${s.evictions} evictions`);
  t.true(store.has('c0') && store.has('c1'), 'pinned objects survive');
  t.false(store.has('c2'), 'the least recently used unpinned one went first');
  t.true(store.has('c11'), 'the newest is there');
  t.equal(pinned.get(0), 0);
  void ids;
  t.deepEqual(store.check(), []);
  t.end();
});

test('store full: a coded error with stats, never a hang', (t) => {
  using store = nd.Store.create({ capacity: '1MiB' });
  const held = [store.empty([64 * 1024]), store.empty([32 * 1024])]; // 768 KiB, pinned and unsealed
  try {
    store.put(nd.zeros([64 * 1024]));
    t.fail('did not throw');
  } catch (e) {
    const err = e as NdshareError & { stats?: nd.StoreStats };
    t.equal(err.code, codes.STORE_FULL);
    t.ok(err.stats && err.stats.capacity === 1 << 20 && err.stats.pinned === 2, `stats attached: ${JSON.stringify(err.stats)}`);
  }
  throwsCoded(t, 'bigger than the store', () => store.empty([1 << 20]), NdshareError, codes.STORE_FULL);
  for (const x of held) store.release(x);
  t.end();
});

test('stats, list, close', (t) => {
  const store = nd.Store.create({ capacity: '2MiB' });
  store.put(nd.arange(10, { dtype: 'int16' }), { name: 'n' });
  const v = store.get('n');
  const list = store.list();
  t.equal(list.length, 1);
  t.deepEqual(
    { ...list[0], id: undefined, createdAt: undefined },
    { id: undefined, name: 'n', state: 'sealed', dtype: 'int16', shape: [10], nbytes: 20, refcount: 1, createdAt: undefined },
  );
  t.ok(Math.abs(list[0]!.createdAt - Date.now()) < 60_000, 'createdAt is a recent Date.now()');
  const s = store.stats();
  t.equal(s.capacity, 2 * 1024 * 1024);
  t.equal(s.objects, 1);
  t.equal(s.pinned, 1);
  t.equal(s.clients, 1);
  t.ok(s.used > 0 && s.used + s.free === s.capacity);
  t.equal(JSON.parse(JSON.stringify(store.handle)).kind, 'ndshare-store', 'the handle is JSON');
  store.close();
  store.close(); // idempotent
  t.equal(v.get(3), 3, 'views stay readable after close');
  throwsCoded(t, 'use after close', () => store.get('n'), NdshareError, codes.CLOSED);
  throwsCoded(t, 'put after close', () => store.put(nd.zeros([1])), NdshareError, codes.CLOSED);
  t.end();
});

test('a second thread-level client in the same process sees the same objects', (t) => {
  using a = nd.Store.create({ capacity: '2MiB' });
  using b = nd.Store.attach(a.handle);
  a.put(nd.arange(5), { name: 'shared' });
  const v = b.get('shared');
  t.deepEqual(v.toArray(), [0, 1, 2, 3, 4]);
  t.equal(a.stats().clients, 2);
  t.equal(a.stats().pinned, 1, "b's pin is visible to a");
  b.close();
  t.equal(a.stats().pinned, 0, "closing b released b's pins");
  t.end();
});

test('bad arguments give coded errors naming the argument', (t) => {
  using store = nd.Store.create({ capacity: '1MiB' });
  const T = NdshareTypeError;
  const R = NdshareRangeError;
  throwsCoded(t, 'capacity 0', () => nd.Store.create({ capacity: 0 }), R, codes.INVALID_ARG_VALUE, /options\.capacity/);
  throwsCoded(t, 'capacity "lots"', () => nd.Store.create({ capacity: 'lots' }), R, codes.INVALID_ARG_VALUE, /options\.capacity/);
  throwsCoded(t, 'capacity {}', () => nd.Store.create({ capacity: {} as never }), T, codes.INVALID_ARG_TYPE, /options\.capacity/);
  throwsCoded(t, 'no options', () => nd.Store.create(undefined as never), T, codes.INVALID_ARG_TYPE, /options/);
  throwsCoded(t, 'maxObjects 0', () => nd.Store.create({ capacity: '1MiB', maxObjects: 0 }), R, codes.INVALID_ARG_VALUE, /maxObjects/);
  throwsCoded(t, 'put a list', () => store.put([1, 2] as never), T, codes.INVALID_ARG_TYPE, /\bx\b/);
  throwsCoded(t, 'name ""', () => store.put(nd.zeros([1]), { name: '' }), R, codes.INVALID_ARG_VALUE, /name/);
  throwsCoded(t, 'name "#1"', () => store.put(nd.zeros([1]), { name: '#1' }), R, codes.INVALID_ARG_VALUE, /name/);
  throwsCoded(t, 'name 5', () => store.put(nd.zeros([1]), { name: 5 as never }), T, codes.INVALID_ARG_TYPE, /name/);
  throwsCoded(t, 'name too long', () => store.put(nd.zeros([1]), { name: 'x'.repeat(2000) }), R, codes.INVALID_ARG_VALUE, /name/);
  throwsCoded(t, 'bad id', () => store.get('#x'), R, codes.INVALID_ARG_VALUE, /\bid\b/);
  throwsCoded(t, 'get a number', () => store.get(5 as never), T, codes.INVALID_ARG_TYPE, /name/);
  throwsCoded(t, 'negative timeout', () => store.get('a', { timeout: -1 }), R, codes.INVALID_ARG_VALUE, /timeout/);
  throwsCoded(t, 'release a foreign array', () => store.release(nd.zeros([1])), R, codes.INVALID_ARG_VALUE, /\bx\b/);
  throwsCoded(t, 'release an unheld id', () => store.release(store.put(nd.zeros([1]))), NdshareError, codes.NOT_FOUND);
  throwsCoded(t, 'empty dtype', () => store.empty([2], { dtype: 'f8' as never }), R, codes.DTYPE);
  throwsCoded(t, 'empty shape', () => store.empty([-2]), R, codes.INVALID_ARG_VALUE, /shape/);
  throwsCoded(t, 'attach a string', () => nd.Store.attach('handle' as never), T, codes.INVALID_ARG_TYPE, /handle/);
  throwsCoded(t, 'attach a bad token', () => nd.Store.attach({ ...store.handle, token: 'zz' }), R, codes.INVALID_ARG_VALUE, /token/);
  throwsCoded(t, 'attach a foreign token', () => nd.Store.attach({ ...store.handle, token: '0'.repeat(32) }), NdshareError, codes.CORRUPT_HEADER, /token/);
  throwsCoded(t, 'attach a gone process', () => nd.Store.attach({ ...store.handle, pid: 999_999_999 }), NdshareError, codes.STORE_GONE, /999999999 has exited/);
  throwsCoded(t, 'attach a closed fd', () => nd.Store.attach({ ...store.handle, fd: 1_000_000 }), NdshareError, codes.STORE_GONE, /no longer holds/);
  t.end();
});

test('a store dropped without close() is closed by the GC, and collecting it never crashes', async (t) => {
  const { setFlagsFromString } = await import('node:v8');
  const { runInNewContext } = await import('node:vm');
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  using keep = nd.Store.create({ capacity: '4MiB' });
  (() => {
    for (let i = 0; i < 20; i++) nd.Store.attach(keep.handle).put(nd.zeros([10]), { name: `n${i}` });
    // Stores whose segment would be unmapped while their liveness mutex is held (the crash case).
    for (let i = 0; i < 50; i++) nd.Store.create({ capacity: '1MiB' }).put(nd.zeros([4]));
  })();
  for (let r = 0; r < 10 && keep.stats().clients > 1; r++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  t.equal(keep.stats().clients, 1, 'the dropped clients were retired');
  t.equal(keep.stats().objects, 20, 'their sealed objects stay');
  keep.put(nd.ones([3]), { name: 'after' });
  t.true(keep.has('after'), 'the store still works');
});

test('ids from another store, stale or made up never touch memory outside the object table', (t) => {
  using store = nd.Store.create({ capacity: '8MiB', maxObjects: 256 });
  const keep = store.put(nd.arange(1000), { name: 'keep' });
  for (const id of ['#513.0', '#256.0', '#999999999.0', '#0.4294967296', '#1.7']) {
    throwsCoded(t, `get ${id}`, () => store.get(id), NdshareError, codes.NOT_FOUND);
    throwsCoded(t, `delete ${id}`, () => store.delete(id), NdshareError, codes.NOT_FOUND);
    throwsCoded(t, `seal ${id}`, () => store.seal(id as nd.ObjectId), NdshareError, codes.NOT_FOUND);
    throwsCoded(t, `release ${id}`, () => store.release(id as nd.ObjectId), NdshareError, codes.NOT_FOUND);
    t.false(store.has(id), `has ${id}`);
  }
  const v = store.get(keep);
  t.equal(v.get(999), 999, 'the real object is intact');
  t.deepEqual(store.check(), [], 'arena invariants hold');
  t.end();
});

test('a freed large block gives its pages back outside the lock and is reusable', (t) => {
  using store = nd.Store.create({ capacity: '64MiB' });
  const base = store.stats();
  const big = store.empty([4 << 20]); // 32 MiB
  big.fill(1);
  store.seal(big);
  store.release(big);
  const full = store.stats().residentBytes;
  store.delete(store.idOf(big)!);
  const after = store.stats();
  t.ok(full - after.residentBytes >= 30 * 2 ** 20, `resident bytes fell by ${((full - after.residentBytes) / 2 ** 20).toFixed(1)} MiB`);
  t.equal(after.used, base.used, 'used back to the baseline');
  t.equal(after.largestFree, base.largestFree, 'the block is free again (coalesced)');
  const again = store.zeros([4 << 20]);
  t.equal((again.data as Float64Array)[12345], 0, 'reallocated and zero');
  t.deepEqual(store.check(), []);
  t.end();
});

test('freed memory within the retain budget stays resident and is reused without new pages', (t) => {
  using store = nd.Store.create({ capacity: '256MiB', retainFreed: '64MiB' });
  const fill = () => {
    const x = store.empty([4 << 20]); // 32 MiB
    x.fill(2);
    store.seal(x);
    store.release(x);
    return store.idOf(x)!;
  };
  const id = fill();
  const resident = store.stats().residentBytes;
  store.delete(id);
  t.ok(store.stats().residentBytes >= resident - 2 ** 20, 'within budget: pages kept after delete');
  fill();
  t.ok(store.stats().residentBytes <= resident + 2 ** 20, 'the next put reuses them: resident memory did not grow');
  using strict = nd.Store.create({ capacity: '256MiB', retainFreed: 0 });
  const y = strict.empty([4 << 20]);
  y.fill(1);
  strict.seal(y);
  strict.release(y);
  const before = strict.stats().residentBytes;
  strict.delete(strict.idOf(y)!);
  t.ok(before - strict.stats().residentBytes >= 30 * 2 ** 20, 'retainFreed: 0 gives pages back at once');
  throwsCoded(t, 'retainFreed "x"', () => nd.Store.create({ capacity: '1MiB', retainFreed: 'x' }), NdshareRangeError, codes.INVALID_ARG_VALUE, /retainFreed/);
  t.end();
});

test('releasing the last pin of a never-sealed array frees it', (t) => {
  using store = nd.Store.create({ capacity: '8MiB' });
  const base = store.stats();
  const x = store.zeros([1000], { name: 'draft' });
  store.release(x);
  const s = store.stats();
  t.equal(s.objects, base.objects, 'gone');
  t.equal(s.used, base.used, 'memory back');
  t.false(
    store.list().some((o) => o.name === 'draft'),
    'and its name is free',
  );
  t.end();
});
