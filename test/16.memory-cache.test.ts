// The page cache behind large result buffers (native/memory/page_cache.h):
// results reuse the pages of collected buffers whatever their sizes, never
// while a view can still reach them; zeroed buffers are zero; the cache stays
// within its limits, empties when idle, and is safe across worker threads.
import test from 'tape';
import { Worker } from 'node:worker_threads';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { native } from '../src/binding.js';
import * as nd from '../src/index.js';
import { codes } from '../src/errors.js';
import { throwsCoded } from './helpers/assert.js';

const MiB = 1024 * 1024;
const GRANULE = 2 * MiB;
const mem = native.memory;

// A gc() without --expose-gc on the command line.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects, then waits until V8's background sweeper has handed the buffers back (or 2 s). */
async function collect(wantCached = 1): Promise<void> {
  for (let k = 0; k < 40; k++) {
    gc();
    await new Promise((r) => setTimeout(r, 10 + k * 5));
    if (mem.stats().cachedBytes >= wantCached) return;
  }
}

/** Lets V8 collect whatever earlier tests dropped, then empties the cache. */
async function settle(): Promise<void> {
  for (let k = 0; k < 6; k++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  mem.trim();
}

/** Allocates buffers of `list` sizes filled with 0xcd and drops them (in a frame of its own, so nothing keeps them). */
function dirty(list: readonly number[]): number {
  let n = 0;
  for (const b of list) n += new Uint8Array(mem.allocateUninit(b)).fill(0xcd).length;
  return n;
}

/** Deterministic pseudo-random sizes in [lo, hi). */
function sizes(n: number, lo: number, hi: number, seed = 7): number[] {
  let s = seed;
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    out.push(lo + (s % (hi - lo)));
  }
  return out;
}

test('a buffer of another size reuses cached pages: split of a larger piece, gather of smaller ones', async (t) => {
  const saved = mem.stats();
  mem.configure(512 * MiB, 0); // no idle release during the test
  mem.trim();
  new Uint8Array(mem.allocateUninit(40 * MiB)).fill(0xab);
  await collect(40 * MiB);
  t.equal(mem.stats().cachedBytes, 40 * MiB, 'the collected 40 MiB buffer is cached');

  // Smaller: cut from the cached piece, no system call. 10 MiB + 5 bytes is
  // not within an eighth of whole granules (12 MiB), so it takes whole pages.
  const page = mem.pageSize;
  const cut = 10 * MiB + page;
  const s0 = mem.stats();
  const small = new Uint8Array(mem.allocateUninit(10 * MiB + 5));
  const s1 = mem.stats();
  t.equal(s1.hits - s0.hits, 1, 'a hit');
  t.equal(s1.cachedBytes, 40 * MiB - cut, 'the rest (30 MiB less a page) stays cached');
  t.equal(small[0], 0xab, 'its pages are the old ones (contents unspecified)');

  // Larger than anything cached: the rest moves into a 60 MiB block (whole granules).
  const big = new Uint8Array(mem.allocateUninit(60 * MiB));
  const s2 = mem.stats();
  t.equal(s2.gathers - s1.gathers, 1, 'a gather');
  t.equal(s2.reusedBytes - s1.reusedBytes, 40 * MiB - cut, '30 MiB less a page reused');
  t.equal(s2.freshBytes - s1.freshBytes, 20 * MiB + cut, '30 MiB and a page fresh');
  t.equal(s2.cachedBytes, 0, 'nothing left cached');
  t.equal(big[0], 0xab, 'the moved pages come first, with their contents');
  t.equal(big[40 * MiB - cut - 1], 0xab, 'up to the end of the moved piece');
  t.equal(big[40 * MiB - cut], 0, 'then fresh zero pages');
  big.fill(1, 0, 10);
  t.equal(big[9], 1, 'writable');
  mem.configure(saved.limit, saved.idleMs);
  t.end();
});

/** Cuts three 8 MiB buffers (whole granules) and drops them. */
function cutThree(): number {
  let n = 0;
  for (let k = 0; k < 3; k++) n += new Uint8Array(mem.allocateUninit(8 * MiB)).fill(k).length;
  return n;
}

test('collected blocks coalesce with their cached neighbours', async (t) => {
  mem.configure(512 * MiB, 0);
  await settle(); // earlier tests' buffers: collected and trimmed first
  new Uint8Array(mem.allocateUninit(40 * MiB)).fill(1);
  await collect(40 * MiB);
  t.equal(mem.stats().pieces, 1, 'one 40 MiB piece');
  const s0 = mem.stats();
  cutThree();
  t.equal(mem.stats().hits - s0.hits, 3, 'three buffers cut from it');
  await collect(40 * MiB);
  const s1 = mem.stats();
  t.equal(s1.cachedBytes, 40 * MiB, 'all 40 MiB cached again');
  t.equal(s1.pieces, 1, 'as one piece: the three heads merged with each other and the tail');
  const big = mem.allocateUninit(40 * MiB);
  t.equal(mem.stats().hits - s1.hits, 1, 'so a 40 MiB buffer is a hit again, no page moved');
  t.equal(big.byteLength, 40 * MiB);
  mem.configure(512 * MiB, 2000);
  t.end();
});

test('zeroed buffers are zero whatever pages they reuse (nd.zeros, allocate)', async (t) => {
  mem.configure(512 * MiB, 0);
  mem.trim();
  const list = sizes(12, 2 * MiB, 30 * MiB, 3);
  for (let round = 0; round < 3; round++) {
    dirty(list); // dirty pages of every size, dropped at once
    await collect(64 * MiB);
    t.ok(mem.stats().cachedBytes >= 64 * MiB, `round ${round}: dirty pages cached (${mem.stats().cachedBytes >> 20} MiB)`);
    const before = mem.stats();
    for (const b of sizes(6, 2 * MiB, 50 * MiB, 11 + round)) {
      const buf = mem.allocate(b);
      // Every byte: as doubles (exact zero bits), then the tail bytes.
      const words = new Float64Array(buf, 0, Math.floor(b / 8));
      const tail = new Uint8Array(buf, words.byteLength);
      t.ok(words.every((v) => Object.is(v, 0)) && tail.every((v) => v === 0), `allocate(${b}) is zero`);
    }
    const x = nd.zeros([3_000_000]);
    t.ok(
      (x.data as Float64Array).every((v) => v === 0),
      'nd.zeros of 24 MB is zero',
    );
    const c = nd.zeros([1_000_000], { dtype: 'complex128' });
    t.ok(
      (c.data as Float64Array).every((v) => v === 0),
      'nd.zeros complex128 is zero',
    );
    const after = mem.stats();
    t.ok(after.hits + after.gathers > before.hits + before.gathers, 'they reused cached pages');
  }
  mem.configure(512 * MiB, 2000);
  t.end();
});

test('a buffer reachable through a view is never handed out again', async (t) => {
  mem.configure(512 * MiB, 0);
  mem.trim();
  const n = 2_000_000; // 16 MB of float64
  let x: nd.NDArray | null = nd.arange(n);
  const view = x.slice('100:-100:3'); // a strided view: keeps x's buffer alive
  const sub = (x.data as Float64Array).subarray(5, 10); // a typed-array view of the same buffer
  x = null;
  for (let round = 0; round < 4; round++) {
    await collect();
    // Churn: many buffers of the same and other sizes, filled with garbage.
    for (const b of [16e6, 8e6, 24e6, 16e6 + 8]) new Float64Array(mem.allocateUninit(b)).fill(-1);
    gc();
  }
  await collect();
  let ok = true;
  for (let i = 0; i < view.size; i += 997) if (view.get(i) !== 100 + 3 * i) ok = false;
  t.ok(ok, 'the view still reads its own elements');
  t.deepEqual(Array.from(sub), [5, 6, 7, 8, 9], 'the typed-array view too');
  mem.configure(512 * MiB, 2000);
  t.end();
});

test('loops of mixed result sizes: results correct, RSS bounded, the cache within its limit', async (t) => {
  mem.configure(256 * MiB, 0);
  mem.trim();
  const x = nd.random.uniform([6_000_000], { seed: 3 });
  const src = x.data as Float64Array;
  const rss0 = process.memoryUsage.rss();
  let peak = 0;
  let maxCached = 0;
  const s0 = mem.stats();
  const lens = sizes(150, 300_000, 6_000_000, 5);
  for (let i = 0; i < lens.length; i++) {
    const m = lens[i]!;
    const v = x.slice(`:${m}`);
    const r = i % 3 === 0 ? v.astype('float32') : i % 3 === 1 ? nd.add(v, 1) : nd.multiply(v, 2).astype('int32');
    const k = (i * 7919) % m;
    const want = i % 3 === 0 ? Math.fround(src[k]!) : i % 3 === 1 ? src[k]! + 1 : Math.trunc(src[k]! * 2);
    if (r.size !== m || r.data[k] !== want || r.data[m - 1] !== r.get(m - 1)) {
      t.fail(`round ${i}: element ${k} of ${m} is ${String(r.data[k])}, expected ${want}`);
      break;
    }
    maxCached = Math.max(maxCached, mem.stats().cachedBytes);
    peak = Math.max(peak, process.memoryUsage.rss());
  }
  const s1 = mem.stats();
  const reused = s1.reusedBytes - s0.reusedBytes;
  const fresh = s1.freshBytes - s0.freshBytes;
  t.ok(reused > fresh, `most result bytes reused pages (${reused >> 20} MiB reused, ${fresh >> 20} MiB fresh)`);
  t.ok(maxCached <= 256 * MiB, `the cache stayed within its limit (at most ${maxCached >> 20} MiB)`);
  t.ok(s1.gathers > s0.gathers, 'some results were gathered from pieces of other sizes');
  t.ok(peak - rss0 < 1536 * MiB, `RSS grew by ${((peak - rss0) / MiB).toFixed(0)} MiB over ${lens.length} results`);
  mem.configure(512 * MiB, 2000);
  t.end();
});

test('limits: 0 caches nothing; an idle cache is given back to the OS', async (t) => {
  const saved = mem.stats();
  mem.configure(0, 0);
  t.equal(mem.stats().cachedBytes, 0, 'configure(0) trims at once');
  {
    new Uint8Array(mem.allocateUninit(8 * MiB)).fill(1);
  }
  await collect(Infinity);
  t.equal(mem.stats().cachedBytes, 0, 'with limit 0 a collected buffer is unmapped');

  mem.configure(64 * MiB, 100);
  const idle0 = mem.stats().idleBytes;
  const evicted0 = mem.stats().evictedBytes;
  new Uint8Array(mem.allocateUninit(8 * MiB)).fill(1);
  new Uint8Array(mem.allocateUninit(100 * MiB)).fill(1); // over the limit: unmapped, never cached
  let maxCached = 0;
  for (let k = 0; k < 100 && mem.stats().idleBytes < idle0 + 8 * MiB; k++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
    maxCached = Math.max(maxCached, mem.stats().cachedBytes);
  }
  t.ok(maxCached <= 64 * MiB, `within the limit (at most ${maxCached >> 20} MiB)`);
  t.ok(mem.stats().evictedBytes - evicted0 >= 100 * MiB, 'the 100 MiB block was unmapped, not cached');
  t.ok(mem.stats().idleBytes - idle0 >= 8 * MiB, 'the 8 MiB piece was unmapped after idleMs');
  t.equal(mem.stats().cachedBytes, 0, 'nothing left cached');

  mem.configure(saved.limit, saved.idleMs);
  const st = mem.stats();
  t.equal(st.limit, saved.limit, 'settings restored');
  t.ok(saved.limit > 0 && saved.limit <= 512 * MiB && saved.limit % GRANULE === 0, `default limit ${saved.limit >> 20} MiB`);
  t.end();
});

test('configure and allocate refuse bad arguments with coded errors', (t) => {
  for (const [limit, idle] of [
    [-1, 0],
    [0, -1],
    [2 ** 47, 0],
    [NaN, 0],
    [0, NaN],
  ] as const) {
    throwsCoded(t, `configure(${limit}, ${idle})`, () => mem.configure(limit, idle), RangeError, codes.INVALID_ARG_VALUE, /memory\.configure/);
  }
  throwsCoded(t, 'configure("1", 0)', () => mem.configure('1' as never, 0), TypeError, codes.INVALID_ARG_TYPE, /memory\.configure/);
  throwsCoded(t, 'allocate(0)', () => mem.allocate(0), RangeError, codes.INVALID_ARG_VALUE, /for bytes/);
  t.end();
});

test('worker threads and the main thread share the cache without ever sharing a live buffer', async (t) => {
  mem.configure(256 * MiB, 0);
  const binding = pathToFileURL(new URL('../src/binding.ts', import.meta.url).pathname).href;
  // Node 20 does not apply --import hooks inside workers: register tsx's there by hand.
  const tsx = pathToFileURL(
    createRequire(import.meta.url)
      .resolve('tsx/esm/api')
      .replace(/\.cjs$/, '.mjs'),
  ).href;
  // Each thread keeps a window of live buffers stamped with (thread, serial) at
  // both ends and in the middle, allocates buffers of mixed sizes, and checks
  // every live stamp after each allocation: a buffer handed out twice would
  // be overwritten by its second owner.
  const body = `
    function churn(mem, id, rounds, gc) {
      const live = [];
      let serial = 0, reused = 0;
      const stamp = (u, v) => { u[0] = v; u[u.length >> 1] = v; u[u.length - 1] = v; };
      for (let i = 0; i < rounds; i++) {
        const bytes = 2097152 + ((i * 2654435761 + id * 40503) % 12) * 1048576 * 2 + (i % 7) * 4096;
        const before = mem.stats().reusedBytes;
        const u = new Float64Array(mem.allocateUninit(bytes - (bytes % 8)));
        if (mem.stats().reusedBytes > before) reused++;
        const v = id * 1e6 + serial++;
        stamp(u, v);
        live.push([u, v]);
        if (live.length > 4) live.shift();
        for (const [w, x] of live) {
          if (w[0] !== x || w[w.length >> 1] !== x || w[w.length - 1] !== x) return { error: 'buffer of ' + x + ' overwritten in thread ' + id };
        }
        if (i % 8 === 7 && gc) gc();
      }
      return { reused };
    }`;
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    ${body}
    (async () => {
      (await import(workerData.tsx)).register();
      const { native } = await import(workerData.binding);
      const v8 = require('node:v8'); v8.setFlagsFromString('--expose-gc');
      const gc = require('node:vm').runInNewContext('gc');
      parentPort.postMessage(churn(native.memory, workerData.id, 120, gc));
    })().catch((e) => parentPort.postMessage({ error: String(e && e.stack || e) }));
  `;
  const runs = [1, 2].map(
    (id) =>
      new Promise<Record<string, unknown>>((resolve, reject) => {
        const w = new Worker(code, { eval: true, workerData: { binding, tsx, id } });
        w.once('message', (m) => {
          resolve(m as Record<string, unknown>);
          void w.terminate();
        });
        w.once('error', reject);
      }),
  );
  // The main thread churns too, meanwhile.
  const churn = new Function('mem', 'id', 'rounds', 'gc', `${body}; return churn(mem, id, rounds, gc);`) as (
    m: typeof mem,
    id: number,
    rounds: number,
    g: () => void,
  ) => Record<string, unknown>;
  await new Promise((r) => setTimeout(r, 50));
  const mine = churn(mem, 3, 120, gc);
  const results = [...(await Promise.all(runs)), mine];
  for (const [i, r] of results.entries()) {
    t.notOk(r.error, `thread ${i + 1}: ${String(r.error ?? 'every live buffer kept its stamps')}`);
    t.ok((r.reused as number) > 0, `thread ${i + 1} reused cached pages ${String(r.reused)} times`);
  }
  mem.configure(512 * MiB, 2000);
  t.end();
});
