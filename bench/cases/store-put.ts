/**
 * `store.put` of a 100 MB float64 array (1e8 bytes, 12.5M elements, C
 * contiguous) against plain copies of the same bytes, all in one process:
 *
 *  - `ndshare`: one op = `store.put(x)` + `store.delete(id)`, the delete
 *    inside the timing (it is part of the cycle: without it the store fills
 *    up). The op also does `store.get(id)`, reads one element (a different one
 *    each op) and `release`s, to check the copy inside the loop: ~2 µs of
 *    ~10 ms. `meta.put_ns` / `meta.delete_ns` split the median op.
 *    Freed blocks of ≥ 1 MiB are hole-punched (fallocate PUNCH_HOLE), so the
 *    next put lands on pages the kernel must fault in and zero again: this is
 *    the steady state of put, warm-up or not. `meta.firstPut_ns` is the very
 *    first put into the fresh store (one op, before any warm-up), for contrast.
 *  - `copy-into-store`: `y.data.set(x.data)` into a 100 MB `store.empty` array
 *    whose pages were touched once and are kept (never freed): the copy that
 *    put does, into the same shared mapping, without the page faults. This is
 *    what put would cost if freed pages were kept resident.
 *  - `buffer-copy`: `src.copy(dst)` of the same bytes into a preallocated,
 *    already touched Buffer (the target's baseline: put ≥ 0.8× its bandwidth).
 *  - `buffer-alloc-copy`: `Buffer.allocUnsafeSlow(n)` + `src.copy(dst)`: a
 *    fresh private destination each op, so it pays page faults like put.
 *
 * Bandwidth = 1e8 bytes / median op time. In the peers table, the
 * `× ndshare` of `buffer-copy` is buffer-copy time / put time, which is put
 * bandwidth / Buffer.copy bandwidth (the target is ≥ 0.8).
 */
import { assert, main, measure, quick, result, type MeasureOptions } from '../harness.js';
import * as nd from '../../src/index.js';

const BYTES = 1e8;
const N = BYTES / 8;
const OPTS: MeasureOptions = quick ? {} : { minSamples: 20, minTimeMs: 1500, maxTimeMs: 5000, warmupMs: 200 };
const now = process.hrtime.bigint;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

await main({
  'store-put': () => {
    const x = nd.random.uniform([N], { seed: 7 });
    const src = x.data as Float64Array;
    const srcBuf = Buffer.from(src.buffer, src.byteOffset, src.byteLength);
    const common = { bytes: BYTES, bytesPerOp: BYTES, dtype: 'float64', elements: N, per: 'op' };
    const at = (i: number) => (i * 7_919_993) % N;

    // Room for the put object and the touched `copy-into-store` target at once.
    const store = nd.Store.create({ capacity: 2 * BYTES + (16 << 20) });
    try {
      // The very first put, into never-touched pages, before anything else.
      const t0 = now();
      const first = store.put(x);
      const firstPut = Number(now() - t0);
      store.delete(first);

      const putNs: number[] = [];
      const deleteNs: number[] = [];
      const put = measure(
        'store-put',
        (i) => {
          const a = now();
          const id = store.put(x);
          const b = now();
          const v = store.get(id);
          const k = at(i);
          const got = v.data[k];
          store.release(v);
          const c = now();
          store.delete(id);
          const d = now();
          putNs.push(Number(b - a));
          deleteNs.push(Number(d - c));
          return { got, k };
        },
        ({ got, k }) => {
          if (got !== src[k]) throw new Error(`store.put: element ${k} is ${String(got)}, expected ${src[k]}`);
        },
        OPTS,
      );

      // The copy alone, into a store array whose pages are resident.
      const y = store.empty([N]);
      const dst = y.data as Float64Array;
      dst.fill(1); // touch every page once; they stay (the object is never freed during the timing)
      const intoStore = measure(
        'copy-into-store',
        (i) => {
          dst.set(src);
          return at(i);
        },
        (k) => {
          if (dst[k] !== src[k]) throw new Error(`copy-into-store: element ${k} differs`);
        },
        OPTS,
      );
      assert(Buffer.compare(Buffer.from(dst.buffer, dst.byteOffset, BYTES), srcBuf) === 0, 'copy-into-store: all bytes equal');
      store.release(y);

      // Buffer.copy into a preallocated, touched destination.
      const dstBuf = Buffer.alloc(BYTES, 1);
      const dstF = new Float64Array(dstBuf.buffer, dstBuf.byteOffset, N);
      const bufferCopy = measure(
        'buffer-copy',
        (i) => {
          srcBuf.copy(dstBuf);
          return at(i);
        },
        (k) => {
          if (dstF[k] !== src[k]) throw new Error(`buffer-copy: element ${k} differs`);
        },
        OPTS,
      );
      assert(Buffer.compare(dstBuf, srcBuf) === 0, 'buffer-copy: all bytes equal');

      // A fresh private destination each op: faults its pages like put does.
      const allocCopy = measure(
        'buffer-alloc-copy',
        (i) => {
          const d = Buffer.allocUnsafeSlow(BYTES);
          srcBuf.copy(d);
          const k = at(i);
          return { got: d.readDoubleLE(k * 8), k };
        },
        ({ got, k }) => {
          if (got !== src[k]) throw new Error(`buffer-alloc-copy: element ${k} differs`);
        },
        OPTS,
      );

      // Once, outside the timing: a put's whole content.
      const id = store.put(x);
      const v = store.get(id);
      assert(Buffer.compare(Buffer.from(v.data.buffer, v.data.byteOffset, BYTES), srcBuf) === 0, 'store.put: all bytes equal');
      store.release(v);
      store.delete(id);

      const gbps = (ns: number) => (BYTES / ns).toFixed(2);
      const putMed = median(putNs);
      const delMed = median(deleteNs);
      const summary =
        `put+delete ${gbps(put.median)} GB/s (put alone ~${gbps(putMed)} GB/s, delete ${(delMed / 1e6).toFixed(2)} ms), ` +
        `Buffer.copy ${gbps(bufferCopy.median)} GB/s: ${(bufferCopy.median / put.median).toFixed(2)}× (target ≥ 0.8); ` +
        `first put into a fresh store ${gbps(firstPut)} GB/s; copy into resident store pages ${gbps(intoStore.median)} GB/s`;
      const stats = store.stats();
      return [
        result('store-put', put, {
          ...common,
          put_ns: Math.round(putMed),
          delete_ns: Math.round(delMed),
          firstPut_ns: firstPut,
          residentBytesAfter: stats.residentBytes,
          note: 'ndshare: put + delete of a 100 MB array (delete inside the op: every put faults in fresh, hole-punched pages)',
          summary,
        }),
        result(
          'store-put',
          intoStore,
          { ...common, note: 'copy-into-store: TypedArray.set into a store array with resident pages (put minus allocation and page faults)' },
          'copy-into-store',
        ),
        result('store-put', bufferCopy, { ...common, note: 'buffer-copy: src.copy(dst), dst preallocated and touched' }, 'buffer-copy'),
        result(
          'store-put',
          allocCopy,
          { ...common, note: 'buffer-alloc-copy: Buffer.allocUnsafeSlow + copy, fresh private pages each op' },
          'buffer-alloc-copy',
        ),
      ];
    } finally {
      store.close();
    }
  },
});
