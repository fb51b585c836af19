// Lifetimes (DESIGN Guarantee 7): released pool.run results give their memory
// back; dropped results are reclaimed before STORE_FULL. Run as users run: no
// --expose-gc. (The 1,000-iteration loops are test/43 and test/44.)
import test from 'tape';
import * as nd from '../src/index.js';

const TASKS = new URL('./fixtures/lifetime-tasks.ts', import.meta.url);

test('released pool.run results give their memory back (freed, and punched past the retain budget)', async (t) => {
  using store = nd.Store.create({ capacity: '1GiB', retainFreed: 0 });
  const pool = await nd.Pool.start({ workers: 1, store });
  try {
    const x = nd.ones([8 * 2 ** 20]); // 64 MiB
    await pool.run(TASKS, 'doubleInStore', nd.ones([1])); // warm up: the worker's first handoff
    const base = store.stats();
    for (let i = 0; i < 10; i++) {
      for (const fn of ['doubleInStore', 'doubleCopied']) {
        const y = (await pool.run(TASKS, fn, x)) as nd.NDArray;
        t.equal(y.get(0), 2);
        store.release(y);
      }
    }
    await pool.run(TASKS, 'doubleInStore', nd.ones([1])); // the worker drops its handoff pins of the last results
    const after = store.stats();
    t.ok(after.used <= base.used + 2 ** 20, `used ${after.used} back to ${base.used} (no result left behind)`);
    t.ok(
      after.residentBytes < base.residentBytes + 64 * 2 ** 20,
      `resident ${(after.residentBytes / 2 ** 20).toFixed(1)} MiB: the 20 x 64 MiB went back to the OS`,
    );
    // A result the task returns that the caller owns already (its input) is not the caller's to free.
    const w = store.put(nd.arange(4), { name: 'keep' });
    const echoed = (await pool.run(new URL('./fixtures/pool-tasks.ts', import.meta.url), 'echo', store.get(w))) as nd.NDArray;
    store.release(echoed);
    t.true(store.has('keep'), 'an object the caller put is not freed with a result');
  } finally {
    await pool.close();
  }
});

test('a dropped result is reclaimed when the store is full, without --expose-gc', async (t) => {
  t.equal(typeof (globalThis as { gc?: unknown }).gc, 'undefined', 'no exposed gc');
  using store = nd.Store.create({ capacity: '300MiB' });
  const pool = await nd.Pool.start({ workers: 1, store });
  try {
    // 80 MB in the store, and room for two results of 80 MB besides: y and the one being computed.
    const x = store.get(store.put(nd.ones([10_000_000])));
    let y: nd.NDArray | undefined;
    for (let i = 0; i < 12; i++) y = await pool.map(x, (v: number) => v + 1);
    t.equal(y!.get(0), 2, '12 results of 80 MB went through a 300 MiB store');
    const s = store.stats();
    t.ok(s.used <= 3 * 80.1e6, `used ${(s.used / 1e6).toFixed(0)} MB`);
    y = undefined;
    for (let k = 0; k < 3 && store.stats().used >= 2 * 80e6; k++) await store.reclaim();
    t.ok(store.stats().used < 2 * 80e6, `reclaim() gives back what nobody holds (${(store.stats().used / 1e6).toFixed(0)} MB left: x)`);
  } finally {
    await pool.close();
  }
});
