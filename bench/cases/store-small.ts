/**
 * Small objects in one process (no other process involved):
 *
 *  - `store-small-cycle`: one op = `store.put(x)` of a 1 KB float64 array
 *    (125 elements) + `store.get(id)` + read one element + `store.release(view)`
 *    + `store.delete(id)`. Reported as ops/s. Peer `js-map-copy`: the same
 *    life cycle on a plain `Map` in the heap (`map.set(k, x.slice())`, `get`,
 *    read, `delete`): what the bookkeeping of a shared store costs over a
 *    private one.
 *  - `store-small-get`: one op = `store.get(id)` of an existing 1 KB object +
 *    read one element + `store.release(view)`, in ns. Peers: `ndshare-by-name`
 *    (the same by name: a name-index lookup instead of parsing an id) and
 *    `typedarray-view` (`new Float64Array(sab, offset, 125)` over the same
 *    bytes + read: the floor of handing out a view; no lock, no pin, no header).
 *
 * Every op reads an element of the result (a different one each op) and
 * compares it with the source.
 */
import { assert, main, measure, quick, result, type MeasureOptions } from '../harness.js';
import * as nd from '../../src/index.js';

const N = 125; // 1 KB of float64
const OPTS: MeasureOptions = quick ? {} : { minSamples: 20, minTimeMs: 1000, maxTimeMs: 3000, warmupMs: 200 };

function source(): { x: nd.NDArray; src: Float64Array } {
  const x = nd.random.uniform([N], { seed: 11 });
  return { x, src: x.data as Float64Array };
}

await main({
  'store-small-cycle': () => {
    const { x, src } = source();
    const common = { bytes: N * 8, dtype: 'float64', elements: N, per: 'op', rate: 'ops' };
    const store = nd.Store.create({ capacity: '16MiB' });
    try {
      const cycle = measure(
        'store-small-cycle',
        (i) => {
          const id = store.put(x);
          const v = store.get(id);
          const got = v.data[i % N];
          store.release(v);
          store.delete(id);
          return got;
        },
        (got, i) => {
          if (got !== src[i % N]) throw new Error(`store cycle: element ${i % N} is ${String(got)}`);
        },
        OPTS,
      );
      const stats = store.stats();
      assert(stats.objects === 0 && stats.pinned === 0, `nothing left behind (objects ${stats.objects}, pinned ${stats.pinned})`);
      assert(store.check().length === 0, `store invariants: ${store.check().join('; ')}`);

      const map = new Map<number, Float64Array>();
      const mapCycle = measure(
        'js-map-copy',
        (i) => {
          map.set(i, src.slice());
          const got = map.get(i)![i % N];
          map.delete(i);
          return got;
        },
        (got, i) => {
          if (got !== src[i % N]) throw new Error(`map cycle: element ${i % N} is ${String(got)}`);
        },
        OPTS,
      );
      return [
        result('store-small-cycle', cycle, { ...common, note: 'ndshare (store-small-cycle): put + get + read + release + delete of 1 KB' }),
        result('store-small-cycle', mapCycle, { ...common, note: 'js-map-copy: Map.set(k, x.slice()) + get + read + delete (private heap)' }, 'js-map-copy'),
      ];
    } finally {
      store.close();
    }
  },

  'store-small-get': () => {
    const { x, src } = source();
    const common = { bytes: N * 8, dtype: 'float64', elements: N, per: 'op', rate: 'ops' };
    const store = nd.Store.create({ capacity: '16MiB' });
    try {
      const id = store.put(x, { name: 'small' });
      const get = measure(
        'store-small-get',
        (i) => {
          const v = store.get(id);
          const got = v.data[i % N];
          store.release(v);
          return got;
        },
        (got, i) => {
          if (got !== src[i % N]) throw new Error(`get: element ${i % N} is ${String(got)}`);
        },
        OPTS,
      );
      const byName = measure(
        'ndshare-by-name',
        (i) => {
          const v = store.get('small');
          const got = v.data[i % N];
          store.release(v);
          return got;
        },
        (got, i) => {
          if (got !== src[i % N]) throw new Error(`get by name: element ${i % N} is ${String(got)}`);
        },
        OPTS,
      );
      // The floor: a typed-array view over the same shared bytes.
      const v0 = store.get(id);
      const sab = v0.data.buffer as SharedArrayBuffer;
      const offset = v0.data.byteOffset;
      const view = measure(
        'typedarray-view',
        (i) => new Float64Array(sab, offset, N)[i % N],
        (got, i) => {
          if (got !== src[i % N]) throw new Error(`view: element ${i % N} is ${String(got)}`);
        },
        OPTS,
      );
      store.release(v0);
      const stats = store.stats();
      assert(stats.pinned === 0, `no pin left (${stats.pinned})`);
      return [
        result('store-small-get', get, { ...common, note: 'ndshare (store-small-get): get(id) + read + release of an existing 1 KB object' }),
        result('store-small-get', byName, { ...common, note: 'ndshare-by-name: get(name) + read + release' }, 'ndshare-by-name'),
        result(
          'store-small-get',
          view,
          { ...common, note: 'typedarray-view: new Float64Array(sab, offset, 125) + read (no lock, pin or header)' },
          'typedarray-view',
        ),
      ];
    } finally {
      store.close();
    }
  },
});
