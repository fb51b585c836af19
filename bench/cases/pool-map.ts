/**
 * `pool-map`: a compute-bound element function over 10M float64 on 2 cores,
 * ndshare's worker pool against one process and against the other ways to
 * spread the same job over two workers, all in one process and one run, the
 * samples of every implementation interleaved (A, B, C, A, B, C…) so that a
 * slowdown of this shared machine hits them all alike.
 *
 * The job: out[i] = f(x[i]) with
 * f(v) = sin(v)·cos(v/2) + √|v|·e^(−v·10⁻⁷) (bench/peers/pool-fn.mjs, the same
 * source for every JS implementation), x = `nd.random.uniform([1e7],
 * {seed: 1, low: -100, high: 100})`. One op = the whole array. Every op's
 * result is checked inside the timing: 20 elements (both ends, both sides of
 * the middle, 16 spread by the op's index) compared with f computed here,
 * exactly for the JS implementations (same V8 Math functions), within
 * 1e-12 relative for Python's; and every implementation's whole output is
 * compared once, on its warm-up op (op 0, untimed).
 *
 * Sampling fits the orchestrator's 180 s per case: the single-process loop is
 * timed once while the expected output is computed, a round of every
 * implementation is estimated from it (ROUND_FACTOR), and the sampling stops
 * after `BUDGET_MS` less the setup, the warm-up round and one more round, or
 * at 9 samples each (py-multiprocessing: 3). On a loaded machine that means
 * fewer samples (each row's `samples` says how many), never fewer checks.
 *
 * Implementations (what is inside the timing):
 *
 *  - `single-process`: `mapInto(x, out)`, a plain loop in this process into a
 *    preallocated output (the fastest one-process version: no allocation).
 *  - `ndshare-1`, `ndshare-2`: `pool.map(x, f, {chunkSize: 65536})` on a pool
 *    of 1 or 2 worker processes (153 chunks, claimed dynamically). x was put in
 *    the pool's store before timing (`store.empty`, filled, sealed). Timed: the
 *    map call (the output's allocation in the store included); the output is
 *    released and deleted right after each sample, outside the timing.
 *    `ndshare-2` is the reference row (× ndshare).
 *  - `ndshare-2-threads`: the same on a pool of 2 worker threads.
 *  - `ndshare-2-hand` (diagnostic): the `ndshare-2` pool running a
 *    hand-written loop (the single-process loop) over one half per worker,
 *    with `pool.run(url, 'handLoop', x, start, stop)` (bench/peers/pool-tasks.mjs);
 *    each task allocates its half's output in the store and returns it.
 *    What map's generated kernel, probe and dynamic chunks cost, if anything.
 *  - `piscina-clone`: piscina, 2 threads, one task per half. The halves are
 *    two Float64Arrays split off x before timing (a worker postMessage of
 *    `x.subarray()` would clone the whole 80 MB buffer for each task); each
 *    task's half is structured-cloned in (a copy) and its result cloned back
 *    (a copy). The two result halves are not joined (that would be one more
 *    80 MB copy, ~10–20 ms).
 *  - `piscina-move`: the same halves, transferred in (no copy); the worker
 *    computes into a new array and transfers both buffers back (the input must
 *    come back to be sent again): no copy at all. Results not joined.
 *  - `piscina-move-slice`: the data as one Float64Array, each half
 *    `x.slice()`d out (a copy, in the timing) and transferred; the worker
 *    computes in place and transfers it back.
 *  - `cp-advanced`: two `child_process.fork` children with
 *    `serialization: 'advanced'`; each gets `{x: x.subarray(half)}` (Node's
 *    serializer copies just the view's bytes through the pipe) and sends its
 *    result array back the same way. Results not joined.
 *  - `py-multiprocessing`, `py-mp-numpy`, `numpy-1proc`: Python (see
 *    bench/numpy/pool_map.py): 2 forked `multiprocessing` workers over
 *    `shared_memory` arrays, per element in Python floats (the same work as
 *    the JS rows) or with vectorized numpy ufuncs (the same result, a
 *    different computational style); numpy on one core for reference. Timed
 *    here: one command to the Python server and its reply (< 0.1 ms of JSON
 *    and pipe). Skipped, visibly, without python3 and numpy.
 *
 * Targets (DESIGN.md §5): ndshare-2 ≥ 1.8× faster than single-process, and
 * ahead of piscina (clone and move) on the same job: see `meta.summary`.
 */
import { openSync, readSync, writeSync, closeSync } from 'node:fs';
import os from 'node:os';
import type { Piscina } from 'piscina';
import * as nd from '../../src/index.js';
import { f, mapInto } from '../peers/pool-fn.mjs';
import { forkPoolChild, freeResult, startPiscina, startPython, type PoolChild, type PyServer } from '../peers/pool-peers.js';
import {
  main,
  measureInterleavedAsync,
  quick,
  result,
  skipped,
  type CaseResult,
  type InterleavedAsyncOp,
  type InterleavedAsyncOptions,
  type Measurement,
} from '../harness.js';

const NAME = 'pool-map';
const N = 10_000_000;
const H = N / 2;
const CHUNK = 65_536;
const TASKS = new URL('../peers/pool-tasks.mjs', import.meta.url);
/** Python's transcendental functions (libm, numpy's SIMD loops) may differ from V8's in the last bits. */
const PY_TOLERANCE = 1e-12;

/** Ops of 0.2–1 s: one warm-up op each, then interleaved rounds of one sample per impl. */
const OPTS: InterleavedAsyncOptions = quick
  ? { batch: 1, warmupOps: 1, warmupMs: 0, minSamples: 3, minTimeMs: 0, maxTimeMs: 60_000, gcBetweenSamples: true }
  : { batch: 1, warmupOps: 1, warmupMs: 0, minSamples: 9, minTimeMs: 0, maxTimeMs: 100_000, gcBetweenSamples: true };
/** What the case may take in all (the orchestrator kills it at 180 s), leaving time to close the pools and peers. */
const BUDGET_MS = 150_000;
/**
 * One round of every implementation, in single-process ops: the 12 medians of
 * the quiet run of 2026-11-26 (bench/README.md) add up to 13× the
 * single-process median; 15 leaves a margin.
 */
const ROUND_FACTOR = 15;
/** Python one element at a time takes seconds per op: fewer samples. */
const SLOW_MAX_SAMPLES = quick ? 1 : 3;

/** The indices checked in op `i`: both ends, both sides of the middle, and 16 spread by `i`. */
function sampleIndices(i: number): number[] {
  const ks = [0, H - 1, H, N - 1];
  for (let j = 0; j < 16; j++) ks.push((i * 7_919_993 + j * 1_000_003 + 17) % N);
  return ks;
}

function fmtMs(ns: number): string {
  return `${(ns / 1e6).toFixed(0)} ms`;
}

await main({
  [NAME]: async (): Promise<CaseResult[]> => {
    const caseStart = performance.now();
    const loadBefore = os.loadavg();
    const x = nd.random.uniform([N], { seed: 1, low: -100, high: 100 });
    const src = (x.data as Float64Array).subarray(x.offset, x.offset + N);
    const refStart = performance.now();
    const reference = mapInto(src, new Float64Array(N)); // the expected output, element for element
    const singleMs = performance.now() - refStart; // one single-process op, as loaded as the rest will be

    const exact = (impl: string, get: (k: number) => number, i: number) => {
      for (const k of sampleIndices(i)) {
        const got = get(k);
        if (got !== reference[k]) throw new Error(`${impl}: out[${k}] = ${got}, expected f(x[${k}]) = ${reference[k]}`);
      }
    };
    const near = (impl: string, ks: number[], vs: number[]) => {
      ks.forEach((k, j) => {
        const want = f(src[k]!);
        if (!(Math.abs(vs[j]! - want) <= PY_TOLERANCE * (1 + Math.abs(want)))) throw new Error(`${impl}: out[${k}] = ${vs[j]}, expected ≈ ${want}`);
      });
    };
    /** The whole output, on op 0 (the warm-up op: untimed). */
    const whole = (impl: string, get: (k: number) => number): void => {
      for (let k = 0; k < N; k++) if (get(k) !== reference[k]) throw new Error(`whole-output check, ${impl}: out[${k}] = ${get(k)}, expected ${reference[k]}`);
    };
    /** The sampled check of every op, and the whole output on op 0. */
    const checked = (impl: string, get: (k: number) => number, i: number): void => {
      exact(impl, get, i);
      if (i === 0) whole(impl, get);
    };

    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ops of different result types in one list
    const ops: InterleavedAsyncOp<any>[] = [];
    const finals: (() => Record<string, unknown> | void)[] = [];
    const closers: (() => Promise<void>)[] = [];
    const skippedRows: CaseResult[] = [];
    const common = { elements: N, dtype: 'float64', per: 'op (1e7 elements)', workers: 2 };
    const metaOf: Record<string, Record<string, unknown>> = {};

    try {
      /** An element of the output from its two halves (the peers' results are not joined). */
      const fromHalves = (parts: Float64Array[]) => (k: number) => (k < H ? parts[0]![k]! : parts[1]![k - H]!);

      // --- single-process ---
      const out1 = new Float64Array(N);
      ops.push({
        name: 'single-process',
        op: () => mapInto(src, out1),
        check: (y: Float64Array, i) => checked('single-process', (k) => y[k]!, i),
      });
      metaOf['single-process'] = { workers: 1, note: 'single-process: a plain loop in the case process, preallocated output' };
      finals.push(() => {});

      // --- ndshare: 1 and 2 worker processes, 2 worker threads ---
      const configs: [impl: string, workers: number, backend: 'process' | 'thread'][] = [
        ['ndshare-1', 1, 'process'],
        ['ndshare-2', 2, 'process'],
        ['ndshare-2-threads', 2, 'thread'],
      ];
      for (const [impl, workers, backend] of configs) {
        const pool = await nd.Pool.start({ workers, backend, capacity: '1GiB' });
        closers.push(() => pool.close());
        const store = pool.store;
        const xs = store.empty([N], { dtype: 'float64' });
        (xs.data as Float64Array).set(src, xs.offset);
        store.seal(xs);
        const free = (y: nd.NDArray) => freeResult(store, y);
        ops.push({
          name: impl,
          op: () => pool.map(xs, f, { chunkSize: CHUNK }),
          check: (y: nd.NDArray, i) => {
            const d = y.data as Float64Array;
            checked(impl, (k) => d[y.offset + k]!, i);
          },
          after: (ys: nd.NDArray[]) => ys.forEach(free),
        });
        metaOf[impl] = {
          workers,
          backend,
          chunkSize: CHUNK,
          chunks: Math.ceil(N / CHUNK),
          ...(impl === 'ndshare-2' ? { reference: true } : {}),
          ...(backend === 'thread' ? { note: 'ndshare-2-threads: the same pool with worker threads' } : {}),
        };
        finals.push(() => ({ tasksDone: pool.stats().workers.map((w) => w.tasksDone) }));
        if (impl !== 'ndshare-2') continue;

        // Diagnostic: the same two worker processes running a hand-written loop over a half each.
        const hand = async (): Promise<nd.NDArray[]> =>
          (await Promise.all([0, 1].map((j) => pool.run(TASKS, 'handLoop', xs, j * H, (j + 1) * H)))) as nd.NDArray[];
        const halvesOf = (ys: nd.NDArray[]) => ys.map((y) => (y.data as Float64Array).subarray(y.offset, y.offset + H));
        const drop = (ys: nd.NDArray[]) => ys.forEach(free);
        ops.push({
          name: 'ndshare-2-hand',
          op: hand,
          check: (ys: nd.NDArray[], i) => checked('ndshare-2-hand', fromHalves(halvesOf(ys)), i),
          after: (batches: nd.NDArray[][]) => batches.forEach(drop),
        });
        metaOf['ndshare-2-hand'] = {
          workers: 2,
          backend,
          note: "ndshare-2-hand (diagnostic): the ndshare-2 pool, pool.run of a hand-written loop per half (static split), each task allocating its half's output in the store",
        };
        finals.push(() => {});
      }

      // --- piscina, 2 threads ---
      const pis: Piscina = await startPiscina(2);
      closers.push(() => pis.close());
      const halves = [src.slice(0, H), src.slice(H)];
      const moving: Float64Array[] = [src.slice(0, H), src.slice(H)];
      const piscinaOps: [impl: string, run: () => Promise<Float64Array[]>, note: string][] = [
        [
          'piscina-clone',
          () => Promise.all(halves.map((h) => pis.run({ x: h }, { name: 'clone' }) as Promise<Float64Array>)),
          'piscina-clone: halves split off before timing, cloned in, results cloned back, not joined',
        ],
        [
          'piscina-move',
          async () => {
            const rs = (await Promise.all(moving.map((h) => pis.run({ x: h }, { name: 'move', transferList: [h.buffer as ArrayBuffer] })))) as {
              x: Float64Array;
              out: Float64Array;
            }[];
            rs.forEach((r, j) => (moving[j] = r.x)); // the inputs come back transferred
            return rs.map((r) => r.out);
          },
          'piscina-move: halves split off before timing, transferred in and back with the results (no copy), not joined',
        ],
        [
          'piscina-move-slice',
          () =>
            Promise.all(
              [0, 1].map((j) => {
                const part = src.slice(j * H, (j + 1) * H); // the copy that lets us transfer it
                return pis.run({ x: part }, { name: 'inplace', transferList: [part.buffer as ArrayBuffer] }) as Promise<Float64Array>;
              }),
            ),
          'piscina-move-slice: each half sliced out of x in the timing, transferred, computed in place, moved back',
        ],
      ];
      for (const [impl, run, note] of piscinaOps) {
        ops.push({ name: impl, op: run, check: (parts: Float64Array[], i) => checked(impl, fromHalves(parts), i) });
        metaOf[impl] = { threads: 2, note };
        finals.push(() => {});
      }

      // --- child_process.fork x2, advanced serialization ---
      const children: PoolChild[] = [];
      for (let j = 0; j < 2; j++) {
        const c = await forkPoolChild('advanced');
        children.push(c);
        closers.push(() => c.close());
      }
      const cpRun = async (i: number) => {
        const rs = await Promise.all(children.map((c, j) => c.request<{ i: number; y: Float64Array }>({ i, x: src.subarray(j * H, (j + 1) * H) })));
        rs.forEach((r) => {
          if (r.i !== i) throw new Error(`cp-advanced: reply to ${r.i}, expected ${i}`);
        });
        return rs.map((r) => r.y);
      };
      ops.push({ name: 'cp-advanced', op: cpRun, check: (parts: Float64Array[], i) => checked('cp-advanced', fromHalves(parts), i) });
      metaOf['cp-advanced'] = { processes: 2, note: "cp-advanced: fork({serialization: 'advanced'}) x2, x.subarray(half) sent, result sent back, not joined" };
      finals.push(() => {});

      // --- Python ---
      const pyImpls: [impl: string, note: string, max?: number][] = [
        ['py-multiprocessing', 'py-multiprocessing: 2 forked processes over shared_memory, per element in Python floats (math.sin…)', SLOW_MAX_SAMPLES],
        ['py-mp-numpy', 'py-mp-numpy: the same 2 processes, vectorized numpy ufuncs per half (same result, different computational style)'],
        ['numpy-1proc', 'numpy-1proc: vectorized numpy, whole array, one process (reference)'],
      ];
      const py = await startPython(N);
      if ('unavailable' in py) {
        for (const [impl] of pyImpls) skippedRows.push(skipped(NAME, impl, py.unavailable, common));
      } else {
        closers.push(() => py.close());
        // x into Python's shared memory segment (its pages are mapped by the server and its workers).
        writeSegment(py.x, src);
        const server: PyServer = py;
        for (const [impl, note, max] of pyImpls) {
          const pyNs: number[] = [];
          let maxRelDiff: number | undefined;
          /** The whole output, read back from Python's segment after op 0. */
          const wholePy = (): number => {
            const got = readSegment(server.out, N);
            let maxRel = 0;
            for (let k = 0; k < N; k++) {
              const rel = Math.abs(got[k]! - reference[k]!) / (1 + Math.abs(reference[k]!));
              if (!(rel <= PY_TOLERANCE)) throw new Error(`whole-output check, ${impl}: out[${k}] = ${got[k]}, expected ≈ ${reference[k]}`);
              if (rel > maxRel) maxRel = rel;
            }
            return maxRel;
          };
          ops.push({
            name: impl,
            op: async (i) => {
              const ks = sampleIndices(i);
              const r = await server.run(impl, ks);
              pyNs.push(r.ns);
              return { ks, v: r.v };
            },
            check: (r: { ks: number[]; v: number[] }, i) => {
              near(impl, r.ks, r.v);
              if (i === 0) maxRelDiff = wholePy();
            },
            ...(max !== undefined ? { maxSamples: max } : {}),
          });
          metaOf[impl] = { processes: impl === 'numpy-1proc' ? 1 : 2, python: server.python, numpy: server.numpy, note, serverNs: pyNs };
          finals.push(() => ({ maxRelDiff }));
        }
      }

      // What the setup and the warm-up round leave of the budget, less one round (the last one may start just before the cap).
      const roundMs = ROUND_FACTOR * singleMs;
      const sampleMs = BUDGET_MS - (performance.now() - caseStart) - 2 * roundMs;
      const maxTimeMs = Math.max(0, Math.min(OPTS.maxTimeMs!, sampleMs));
      const ms = await measureInterleavedAsync(ops, { ...OPTS, maxTimeMs });
      const extra: Record<string, unknown>[] = finals.map((fin) => fin() ?? {});

      const by = new Map<string, Measurement>(ms.map((m) => [m.name, m]));
      const med = (impl: string) => by.get(impl)?.median;
      const two = med('ndshare-2')!;
      const ratio = (impl: string) => (med(impl) !== undefined ? (med(impl)! / two).toFixed(2) : 'n/a');
      const summary =
        `ndshare-2 ${fmtMs(two)}, speedup over single-process (${fmtMs(med('single-process')!)}) ${ratio('single-process')}× (target ≥ 1.8×); ` +
        `ndshare-1 ${fmtMs(med('ndshare-1')!)} (${(med('single-process')! / med('ndshare-1')!).toFixed(2)}× single-process); ` +
        `hand-written loop on the same 2 workers ${fmtMs(med('ndshare-2-hand')!)}; ` +
        `piscina-clone ${ratio('piscina-clone')}×, piscina-move ${ratio('piscina-move')}×, piscina-move-slice ${ratio('piscina-move-slice')}× ndshare-2's time (target > 1)`;

      const rows: CaseResult[] = [];
      ms.forEach((m, j) => {
        const meta: Record<string, unknown> = { ...common, ...metaOf[m.name], ...extra[j] };
        if (Array.isArray(meta.serverNs)) {
          // Python's own time for the job (without the command's round trip); the warm-up op left out.
          const s = (meta.serverNs as number[]).slice(OPTS.warmupOps ?? 1).sort((a, b) => a - b);
          meta.serverMedianNs = s[s.length >> 1];
          delete meta.serverNs;
        }
        if (m.name === 'ndshare-2') meta.summary = summary;
        rows.push(result(NAME, m, meta, m.name));
      });
      // The reference row first, so the table reads from it.
      rows.sort((a, b) => Number(b.impl === 'ndshare-2') - Number(a.impl === 'ndshare-2'));
      rows.push(...skippedRows);
      // How loaded the machine was, and what that left for sampling (fewer samples under load: see the header).
      Object.assign(rows[0]!.meta, {
        loadavg: loadBefore,
        loadavgAfter: os.loadavg(),
        singleProcessSetupMs: Math.round(singleMs),
        maxTimeMs: Math.round(maxTimeMs),
      });
      return rows;
    } finally {
      for (const close of closers.reverse()) await close().catch((e: unknown) => process.stderr.write(`pool-map: close: ${String(e)}\n`));
    }
  },
});

/** Writes `data` at the start of /dev/shm/<name> (no truncation: Python has it mapped). */
function writeSegment(name: string, data: Float64Array): void {
  const fd = openSync(`/dev/shm/${name}`, 'r+');
  try {
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done, done);
  } finally {
    closeSync(fd);
  }
}

/** The first `n` float64 of /dev/shm/<name>. */
function readSegment(name: string, n: number): Float64Array {
  const out = new Float64Array(n);
  const bytes = new Uint8Array(out.buffer);
  const fd = openSync(`/dev/shm/${name}`, 'r');
  try {
    for (let done = 0; done < bytes.length;) {
      const r = readSync(fd, bytes, done, bytes.length - done, done);
      if (r === 0) throw new Error(`/dev/shm/${name} is shorter than ${n} float64`);
      done += r;
    }
  } finally {
    closeSync(fd);
  }
  return out;
}
