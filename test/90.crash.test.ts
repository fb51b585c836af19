// Crash safety with real processes and SIGKILL: pins and unsealed objects of
// a dead process are released; a process killed holding the store mutex
// leaves a store that repairs itself; an owner killed leaves nothing behind;
// a multi-process stress run with a killer keeps every invariant.
import test from 'tape';
import { readdirSync } from 'node:fs';
import * as nd from '../src/index.js';
import { kill9, spawnChild } from './helpers/child.js';

const fdCount = () => readdirSync('/proc/self/fd').length;
const shmEntries = () => readdirSync('/dev/shm').filter((f) => f.includes('ndshare')).length;

test('kill -9 of a reader releases its pins and deletes what it never sealed', async (t) => {
  using store = nd.Store.create({ capacity: '16MiB' });
  store.put(nd.ones([1000]), { name: 'a' });
  store.put(nd.ones([1000]), { name: 'b' });
  const base = store.stats();
  const child = spawnChild('store-child.ts', 'pin-and-hang', { handle: store.handle, names: ['a', 'b'], unsealed: 'draft' });
  await child.next();
  const during = store.list();
  t.equal(during.find((o) => o.name === 'a')?.refcount, 1, 'the child holds a pin on a');
  t.equal(
    during.find((o) => o.name === 'draft'),
    undefined,
    'its unsealed object is invisible to us (only its creator sees it)',
  );
  t.equal(store.stats().objects, base.objects + 1, 'but it exists: stats count it');
  await kill9(child);
  const after = store.stats();
  t.equal(after.pinned, 0, 'its pins are gone');
  t.equal(after.objects, base.objects, 'its unsealed object is gone');
  t.equal(after.used, base.used, 'used bytes back to the baseline');
  t.equal(after.clients, 1);
  store.put(nd.zeros([10]), { name: 'draft' });
  t.pass('its name is free again');
  t.deepEqual(store.check(), []);
});

test('kill -9 while holding the store mutex: the next locker repairs and carries on', async (t) => {
  using store = nd.Store.create({ capacity: '16MiB' });
  store.put(nd.arange(10), { name: 'x' });
  const child = spawnChild('store-child.ts', 'hold-lock', { handle: store.handle, name: 'x' });
  await child.next();
  await kill9(child);
  const started = performance.now();
  const v = store.get('x');
  t.ok(performance.now() - started < 5000, 'no deadlock');
  t.equal(v.get(9), 9);
  const s = store.stats();
  t.equal(s.repairs, 1, 'one repair ran');
  t.equal(s.pinned, 1, "only our own pin is left (the dead child's is gone)");
  t.equal(s.clients, 1);
  t.deepEqual(store.check(), []);
});

test('kill -9 of the owner leaves no file in /dev/shm and no fd behind', async (t) => {
  const shmBefore = shmEntries();
  const fdsBefore = fdCount();
  const owner = spawnChild('store-child.ts', 'create-owner', {});
  const { handle } = await owner.next<{ handle: nd.StoreHandle }>();
  const store = nd.Store.attach(handle);
  const v = store.get('owned');
  await kill9(owner);
  t.equal(v.get(999), 999, 'an attached process keeps reading after the owner died');
  store.put(nd.zeros([5]), { name: 'after' });
  t.true(store.has('after'), 'and keeps using the store');
  store.release(v);
  store.close();
  t.equal(shmEntries(), shmBefore, 'nothing in /dev/shm (the segment is an anonymous memfd)');
  t.equal(fdCount(), fdsBefore, 'no fd leaked');
});

test('stress: 4 processes of random put/get/release/delete for 10 s, one more killed -9 again and again', async (t) => {
  using store = nd.Store.create({ capacity: '8MiB', maxObjects: 256 });
  const baseline = store.stats();
  const workers = Array.from({ length: 4 }, (_, i) =>
    spawnChild('store-child.ts', 'stress', { handle: store.handle, ms: 10_000, seed: i + 1, names: 40, maxElems: 40_000 }),
  );
  let kills = 0;
  const killer = (async () => {
    const until = Date.now() + 9_000;
    while (Date.now() < until) {
      const victim = spawnChild('store-child.ts', 'stress', { handle: store.handle, ms: 60_000, seed: 100 + kills, names: 40, maxElems: 40_000 });
      await new Promise((r) => setTimeout(r, 300 + ((kills * 7919) % 700)));
      await kill9(victim);
      kills++;
    }
  })();
  const results = await Promise.all(workers.map((w) => w.next<Record<string, number>>(60_000)));
  await killer;
  for (const [i, w] of workers.entries()) t.equal((await w.exited).code, 0, `worker ${i} exited cleanly: ${JSON.stringify(results[i])}`);
  const totals = results.reduce(
    (a, r) => {
      for (const [k, v] of Object.entries(r)) a[k] = (a[k] ?? 0) + v;
      return a;
    },
    {} as Record<string, number>,
  );
  t.comment(`ops: ${JSON.stringify(totals)}; ${kills} processes killed mid-run`);
  t.equal(totals.bad, 0, 'no reader ever saw a torn or foreign object');
  t.ok(totals.get! > 1000 && totals.put! > 500, 'real work was done');
  t.ok(kills >= 5, `${kills} kills`);
  const s = store.stats();
  t.equal(s.pinned, 0, 'every pin came back (refcounts at 0)');
  t.equal(s.clients, 1, 'every dead client reaped');
  t.deepEqual(store.check(), [], 'arena invariants hold');
  const names = store.list().map((o) => o.name);
  t.equal(new Set(names).size, names.length, `names are unique (${names.length} objects)`);
  for (const o of store.list()) {
    t.equal(o.state, 'sealed', `${o.name} is sealed (no orphaned unsealed objects)`);
    const v = store.get(o.id);
    const d = v.data as Float64Array;
    const k = Number(o.name!.slice(4));
    if (d[0] !== k * 1000 || d[d.length - 1] !== k * 1000 + d.length - 1) t.fail(`${o.name} has wrong contents`);
    store.release(v);
    store.delete(o.id);
  }
  t.equal(store.stats().used, baseline.used, 'used bytes back to the baseline after deleting everything');
});
