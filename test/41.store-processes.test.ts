// The store across real processes: unrelated processes attach by handle,
// children by an inherited fd; reads are zero-copy; async waits do not block.
import test from 'tape';
import * as nd from '../src/index.js';
import { spawnChild } from './helpers/child.js';

test('an unrelated process attaches by handle, reads a named array, and sees the same bytes', async (t) => {
  using store = nd.Store.create({ capacity: '64MiB' });
  const x = nd.random.uniform([1000, 1000], { seed: 3 });
  store.put(x, { name: 'x' });
  let expected = 0;
  for (const v of x.data as Float64Array) expected += v;
  const mine = store.get('x');
  const child = spawnChild('store-child.ts', 'read', { handle: store.handle, name: 'x', watch: 42.5 });
  const r = await child.next<{ sum: number; shape: number[]; writeable: boolean; byteOffset: number; shared: boolean }>();
  t.ok(Math.abs(r.sum - expected) < 1e-6, `child's sum ${r.sum} equals ours`);
  t.deepEqual(r.shape, [1000, 1000]);
  t.false(r.writeable, 'read-only in the child too');
  t.true(r.shared, 'over a SharedArrayBuffer');
  t.equal(r.byteOffset, mine.data.byteOffset, 'the same offset in the same segment');
  // Scribble through the raw memory (bypassing immutability, for the test only): the child sees it.
  new Float64Array(mine.data.buffer, mine.data.byteOffset, 1)[0] = 42.5;
  const seen = await child.next<{ saw: number }>();
  t.equal(seen.saw, 42.5, 'a write in this process is visible in the other: one copy of the data');
  t.equal((await child.exited).code, 0);
  store.release(mine);
  t.equal(store.stats().clients, 1, 'the child detached');
});

test('a child given the fd at spawn maps it directly', async (t) => {
  using store = nd.Store.create({ capacity: '8MiB' });
  store.put(nd.arange(100), { name: 'r' });
  const child = spawnChild('store-child.ts', 'read', { handle: store.handle, fd: 3, name: 'r' }, [store.fd]);
  const r = await child.next<{ sum: number }>();
  t.equal(r.sum, 4950);
  t.equal((await child.exited).code, 0);
});

test('objects put by a child are visible here; getAsync waits without blocking the event loop', async (t) => {
  using store = nd.Store.create({ capacity: '8MiB' });
  const putter = spawnChild('store-child.ts', 'put', { handle: store.handle, name: 'from-child', n: 100 });
  const { id } = await putter.next<{ id: string }>();
  await putter.exited;
  const v = store.get(id);
  t.equal(v.dtype, 'int32');
  t.equal(v.get(99), 99);
  store.release(v);

  const waiter = spawnChild('store-child.ts', 'wait-get', { handle: store.handle, name: 'later', timeout: 20_000 });
  // Let the waiter block on the name, then show it keeps ticking, then create the object.
  let ticks = 0;
  for (;;) {
    const m = await waiter.next<{ tick?: boolean; sum?: number }>();
    if (m.tick && ++ticks === 5) break;
  }
  store.put(nd.ones([10]), { name: 'later' });
  let msg: { tick?: boolean; sum?: number };
  do msg = await waiter.next();
  while (msg.tick);
  t.equal(msg.sum, 10, 'the waiting child got the object as soon as it was sealed');
  t.ok(ticks >= 5, 'its timers ran while it waited');
  t.equal((await waiter.exited).code, 0);
});

test('get with a timeout in this thread wakes on a seal from another process', async (t) => {
  using store = nd.Store.create({ capacity: '8MiB' });
  const started = performance.now();
  const pending = store.getAsync('soon', { timeout: 10_000 });
  const putter = spawnChild('store-child.ts', 'put', { handle: store.handle, name: 'soon', n: 7 });
  const v = await pending;
  t.deepEqual(v.toArray(), [0, 1, 2, 3, 4, 5, 6]);
  t.ok(performance.now() - started < 10_000, 'well before the timeout');
  await putter.exited;
  await store.getAsync('never', { timeout: 50 }).then(
    () => t.fail('resolved'),
    (e) => t.equal(e.code, 'ERR_NDSHARE_TIMEOUT', 'times out when nothing comes'),
  );
});
