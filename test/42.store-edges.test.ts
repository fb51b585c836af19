// The store's edge cases (issue 10): fds it does not own, capacity that
// fails before evicting, pin limits, unsealed objects, strict ids.
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'tape';
import * as nd from '../src/index.js';
import { codes, NdshareError } from '../src/index.js';
import { throwsCoded } from './helpers/assert.js';
import { startUnrelated } from './helpers/unrelated.js';

/** A real file of `mib` MiB filled with a byte pattern, opened read-write; returns its fd. */
function unrelatedFile(dir: string, mib: number): { fd: number; path: string } {
  const path = join(dir, `unrelated-${mib}.bin`);
  const fd = openSync(path, 'w+');
  const chunk = Buffer.alloc(1 << 20);
  for (let i = 0; i < chunk.length; i++) chunk[i] = (i * 7 + 1) & 0xff || 1;
  for (let m = 0; m < mib; m++) writeSync(fd, chunk, 0, chunk.length, m * chunk.length);
  return { fd, path };
}

/** Bytes of the file at `fd` that are zero (a punched hole reads as zeros; the pattern has none). */
function zeroBytes(fd: number): number {
  const buf = Buffer.alloc(1 << 20);
  let zeros = 0;
  for (let pos = 0; ; pos += buf.length) {
    const n = readSync(fd, buf, 0, buf.length, pos);
    if (n === 0) return zeros;
    for (let i = 0; i < n; i++) if (buf[i] === 0) zeros++;
  }
}

test('a failed attach with a caller-owned fd never closes it; the live store never touches an unrelated file', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-fd-'));
  try {
    // 1. The caller's fd is a plain file (not a store): attach fails and the fd stays the caller's.
    const plain = unrelatedFile(dir, 1);
    throwsCoded(
      t,
      'attach over a plain file',
      () => nd.Store.attach({ kind: 'ndshare-store', version: 1, pid: process.pid, fd: plain.fd, token: '0'.repeat(32) }, { fd: plain.fd }),
      NdshareError,
      codes.CORRUPT_HEADER,
    );
    t.doesNotThrow(() => fstatSync(plain.fd), "the caller's fd is still open after the failed attach");
    closeSync(plain.fd);

    // 2. The caller passes the live store's own fd with a wrong token: attach fails, the store keeps its fd.
    const store = nd.Store.create({ capacity: '64MiB', retainFreed: 0 });
    const storeFd = store.fd;
    const wrong = { ...store.handle, token: 'f'.repeat(32) };
    throwsCoded(t, 'attach with a wrong token', () => nd.Store.attach(wrong, { fd: storeFd }), NdshareError, codes.CORRUPT_HEADER);
    // If the failed attach had closed storeFd, this file would get its number.
    const victim = unrelatedFile(dir, 64);
    t.doesNotThrow(() => fstatSync(storeFd), "the store's fd is still open");
    // A large free past the retain budget punches a hole: in the store's segment, never in the file.
    const big = store.empty([4 * 2 ** 20], { dtype: 'uint8' });
    big.fill(1);
    store.release(big);
    t.equal(zeroBytes(victim.fd), 0, 'no byte of the unrelated file became zero');
    store.close();
    t.doesNotThrow(() => fstatSync(victim.fd), 'closing the store did not close the unrelated file');
    closeSync(victim.fd);

    // 3. A successful attach through a caller's fd does not take it over either.
    const owner = nd.Store.create({ capacity: '8MiB' });
    owner.put(nd.arange(10), { name: 'r' });
    const callerFd = openSync(`/proc/self/fd/${owner.fd}`, 'r+');
    const other = nd.Store.attach(owner.handle, { fd: callerFd });
    t.equal(other.get('r').get(9), 9);
    t.notEqual(other.fd, callerFd, 'the store works on its own duplicate');
    other.close();
    t.doesNotThrow(() => fstatSync(callerFd), "close() left the caller's fd open");
    closeSync(callerFd);
    owner.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.end();
});

test('capacity: an allocation that cannot fit even after evicting everything fails first and evicts nothing', (t) => {
  using store = nd.Store.create({ capacity: '16MiB' });
  const ids = [0, 1, 2].map((k) => store.put(nd.full([2 ** 17], k), { name: `w${k}` })); // 3 x 1 MiB, unpinned
  const before = store.stats();
  try {
    store.empty([4e6]); // 32 MB > 16 MiB
    t.fail('did not throw');
  } catch (e) {
    const err = e as NdshareError & { stats?: nd.StoreStats; limit?: string };
    t.equal(err.code, codes.STORE_FULL, err.message);
    t.equal(err.limit, 'bytes', 'names the limit');
    t.equal(err.stats?.capacity, 16 * 2 ** 20, 'carries stats');
    t.ok(err.stats!.largestAfterEviction < 32e6, 'stats say what eviction could give');
  }
  for (const id of ids) t.true(store.has(id), `${id} was not evicted`);
  t.equal(store.stats().evictions, before.evictions, 'no eviction happened');
  t.equal(store.stats().objects, 3, 'no object was left behind');
  // What fits after evicting does evict (LRU), as before.
  const big = store.empty([1.8e6]); // 14.4 MB: needs some of the three to go
  t.ok(store.stats().evictions >= 1, 'evicts when that makes it fit');
  store.release(big);
  t.deepEqual(store.check(), []);
  t.end();
});

test('not evictable: put/empty/zeros with {evictable: false} stay, counted in stats', (t) => {
  using store = nd.Store.create({ capacity: '8MiB' });
  const w = store.put(nd.full([2 ** 18], 7), { name: 'weights', evictable: false }); // 2 MiB
  const z = store.zeros([2 ** 18], { evictable: false });
  store.seal(z);
  store.release(z);
  const e = store.empty([2 ** 10], { evictable: false, dtype: 'int8' });
  store.seal(e);
  store.release(e);
  const s = store.stats();
  t.equal(s.unevictable, 3, 'three objects not evictable');
  t.ok(s.unevictableBytes >= 2 * 2 ** 21, `${s.unevictableBytes} bytes not evictable`);
  // Fill the store with evictable objects: they evict each other, never the weights.
  for (let k = 0; k < 20; k++) store.put(nd.ones([2 ** 17]));
  t.true(store.has(w), 'the weights are still there');
  const view = store.get('weights');
  t.equal(view.get(0), 7);
  store.release(view);
  throwsCoded(t, 'what only fits by evicting the weights fails', () => store.empty([2 ** 19 + 2 ** 18]), NdshareError, codes.STORE_FULL, /bytes/);
  throwsCoded(t, 'evictable must be a boolean', () => store.put(nd.ones([2]), { evictable: 'no' as never }), TypeError, codes.INVALID_ARG_TYPE);
  store.delete(w);
  t.equal(store.stats().unevictable, 2, 'delete removes it as usual');
  t.end();
});

test('STORE_FULL carries stats and the limit for every limit: objects, clients, pins', (t) => {
  const full = (fn: () => unknown): { limit?: string; stats?: nd.StoreStats } => {
    try {
      fn();
    } catch (e) {
      return e as { limit?: string; stats?: nd.StoreStats };
    }
    return {};
  };
  {
    using store = nd.Store.create({ capacity: '4MiB', maxObjects: 2 });
    const a = store.empty([1]);
    const b = store.empty([1]);
    const e = full(() => store.empty([1]));
    t.equal(e.limit, 'objects');
    t.equal(e.stats?.limits.maxObjects, 2);
    store.release(a);
    store.release(b);
  }
  {
    using store = nd.Store.create({ capacity: '4MiB', maxClients: 1 });
    const e = full(() => nd.Store.attach(store.handle));
    t.equal(e.limit, 'clients');
    t.equal(e.stats?.clients, 1);
  }
  {
    using store = nd.Store.create({ capacity: '4MiB', pinsPerClient: 2 });
    store.put(nd.ones([3]), { name: 'p' });
    const held = [store.empty([1]), store.get('p')];
    const e = full(() => store.get(store.put(nd.ones([1]))));
    t.equal(e.limit, 'pins');
    t.equal(e.stats?.pinsHeld, 2);
    t.equal(e.stats?.limits.pinsPerClient, 2);
    for (const x of held) store.release(x);
  }
  t.end();
});

test('pins exhausted: put and empty fail before creating anything (no orphan, the name stays free)', async (t) => {
  using store = nd.Store.create({ capacity: '4MiB', pinsPerClient: 2 });
  const held = [store.empty([4]), store.empty([4])];
  const before = store.stats();
  throwsCoded(t, 'put', () => store.put(nd.ones([10]), { name: 'n' }), NdshareError, codes.STORE_FULL, /pinsPerClient/);
  throwsCoded(t, 'empty', () => store.empty([10], { name: 'm' }), NdshareError, codes.STORE_FULL, /pinsPerClient/);
  const after = store.stats();
  t.equal(after.objects, before.objects, 'no object created');
  t.equal(after.used, before.used, 'no bytes taken');
  t.equal(store.list().length, 2, 'nothing new in list()');
  store.release(held[0]!);
  const id = store.put(nd.ones([10]), { name: 'n' });
  t.ok(id, 'the retry with the same name succeeds (no EXISTS)');
  const v = await store.getAsync('n', { timeout: 100 });
  t.equal(v.size, 10, 'get finds it (no TIMEOUT)');
  store.release(v);
  store.release(held[1]!);
  t.deepEqual(store.check(), []);
  t.end();
});

test('unsealed objects are invisible and untouchable to every client but their creator', (t) => {
  using store = nd.Store.create({ capacity: '4MiB' });
  using other = nd.Store.attach(store.handle); // another client (a second thread-level client)
  const w = store.empty([8], { name: 'draft' });
  w.fill(1);
  const id = store.idOf(w)!;
  t.equal(other.list().length, 0, "not in the other client's list()");
  t.equal(store.list().length, 1, "in the creator's list()");
  throwsCoded(t, 'seal by id from another client', () => other.seal(id), NdshareError, codes.NOT_FOUND);
  throwsCoded(t, 'delete by id from another client', () => other.delete(id), NdshareError, codes.NOT_FOUND);
  throwsCoded(t, 'delete by name from another client', () => other.delete('draft'), NdshareError, codes.NOT_FOUND);
  throwsCoded(t, 'get from another client', () => other.get(id), NdshareError, codes.NOT_FOUND);
  t.false(other.has('draft'));
  t.true(w.flags.writeable, 'still writable by its creator');
  store.seal(w);
  t.equal(other.get('draft').get(0), 1, 'visible to all once its creator sealed it');
  t.equal(other.list().length, 1);
  t.end();
});

test("ids parse strictly: '#01.0' is not '#1.0'; a gone id fails at once, even with a timeout", async (t) => {
  using store = nd.Store.create({ capacity: '4MiB' });
  store.put(nd.ones([1]));
  const id = store.put(nd.ones([2]));
  t.equal(id, '#1.0');
  for (const bad of ['#01.0', '#1.00', '#+1.0', '#1.0 ', '#1.-0', '#1e0.0']) {
    throwsCoded(t, `id ${JSON.stringify(bad)}`, () => store.get(bad), RangeError, codes.INVALID_ARG_VALUE);
  }
  store.delete(id);
  const started = performance.now();
  await store.getAsync(id, { timeout: 5000 }).then(
    () => t.fail('resolved'),
    (e) => t.equal(e.code, codes.NOT_FOUND, e.message),
  );
  throwsCoded(t, 'get (blocking) too', () => store.get(id, { timeout: 5000 }), NdshareError, codes.NOT_FOUND, /gone/);
  t.ok(performance.now() - started < 1000, `failed at once (${Math.round(performance.now() - started)} ms), not after 5 s`);
  // A name may still appear later: waiting for one is unchanged.
  const later = store.getAsync('later', { timeout: 5000 });
  setTimeout(() => store.put(nd.ones([3]), { name: 'later' }), 20);
  t.equal((await later).size, 3);
  t.end();
});

test('an unrelated process (started by a shell script) cannot see, seal, get or delete an unsealed object', async (t) => {
  using store = nd.Store.create({ capacity: '8MiB' });
  const w = store.empty([16], { name: 'draft' });
  w.fill(3);
  const id = store.idOf(w)!;
  const p = startUnrelated('store-child.ts', 'probe-unsealed', { handle: store.handle, id, name: 'draft' });
  try {
    const r = await p.line<{ listed: boolean; seal: string; get: string; deleteById: string; deleteByName: string; has: boolean }>(0);
    t.false(r.listed, 'not in its list()');
    t.equal(r.seal, codes.NOT_FOUND, 'seal refused');
    t.equal(r.get, codes.NOT_FOUND, 'get finds nothing');
    t.equal(r.deleteById, codes.NOT_FOUND, 'delete by id refused');
    t.equal(r.deleteByName, codes.NOT_FOUND, 'delete by name refused');
    t.false(r.has);
  } finally {
    p.kill();
  }
  t.true(w.flags.writeable, 'still unsealed and writable here');
  t.equal(store.list()[0]?.state, 'created', 'still there, unsealed');
  store.seal(w);
  t.end();
});
