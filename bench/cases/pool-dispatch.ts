/**
 * `pool-dispatch`: the latency of an empty task on a warm worker, from the
 * call to the settled Promise, ndshare's pool against piscina, a
 * child_process IPC ping-pong and the bare cross-process futex round trip,
 * all in one process, their samples interleaved in turns of 50 consecutive
 * calls (so each impl's worker is in its steady state, back to back, while a
 * slowdown of the machine still hits every impl).
 *
 * One sample = one call (batch 1, ≥ 2000 samples per impl), checked inside
 * the timing; medians (p10–p90) over the samples:
 *
 *  - `ndshare-run` (reference): `await pool.run(url, 'noop')` on a pool of 1
 *    worker process (bench/peers/pool-tasks.mjs, already imported by the
 *    worker during warm-up), calls back to back.
 *  - `ndshare-run-idle`: the same, each call after a 1 ms pause (untimed), so
 *    the worker has stopped spinning and sleeps on its futex: the first task
 *    after a lull.
 *  - `ndshare-run-thread`: `ndshare-run` on a pool of 1 worker thread.
 *  - `ndshare-map1`, `ndshare-map1-thread`: `pool.map` of a 1-element float64
 *    array (sealed in the pool's store) with `(v) => v`: the job path. The
 *    input's bytes and the output's travel in the control message
 *    (src/pool/inline.ts): no store object is made or opened.
 *  - `ndshare-map1-store` (diagnostic): the same with `{inline: false}`: the
 *    input opened from the store, the output allocated there (released and
 *    deleted after each call, untimed).
 *  - `piscina-run`, `piscina-run-idle`: `piscina.run(null, {name: 'noop'})` on
 *    a piscina pool of 1 thread (default `atomics: 'sync'`), back to back and
 *    after a 1 ms pause.
 *  - `cp-ipc`: `child.send({i})` to a `child_process.fork` child (JSON
 *    channel) that answers `{i}` at once (bench/peers/pool-child.mjs).
 *  - `ndshare-run-nostack` (diagnostic): `ndshare-run` with
 *    `Error.stackTraceLimit = 0` around the call (set and restored outside
 *    the timing): what the pool's per-dispatch capture of the caller's stack
 *    (a `new Error()` kept for errors rebuilt from the worker) costs.
 *  - `futex-floor`: the bare cross-process round trip of bench/cases/store-handoff.ts
 *    (a word bumped and futex-woken each way, the parent blocked in
 *    `futexWait`, the child echoing): the floor of any control message
 *    between two processes on this machine.
 *
 * Then `ndshare-run`, `ndshare-run-idle`, `cp-ipc` and `futex-floor` again,
 * pinned (taskset, every thread of the case process, the worker, the IPC
 * child and the floor's child): `-1cpu` all on CPU 0, `-2cpu` the caller on
 * CPU 0 and the others on CPU 1. (piscina's thread lives in the case process,
 * so it is not pinned apart.) On this VM a wake-up across vCPUs costs tens of µs, and a spinning
 * waiter that shares its CPU with the thread it waits for wastes its spin;
 * the free rows get whichever the scheduler picks. Skipped (visibly) without
 * taskset or with fewer than 2 CPUs.
 *
 * Target (DESIGN.md §5): an empty task to a warm worker process ≤ 30 µs
 * median (`ndshare-run`; `meta.summary` also gives the idle case).
 */
import * as nd from '../../src/index.js';
import { native } from '../../src/binding.js';
import { affinityOf, pinning, setAffinity } from '../peers/affinity.js';
import { spawnStoreChild, within } from '../peers/children.js';
import { forkPoolChild, freeResult, startPiscina } from '../peers/pool-peers.js';
import { CONTROL_WORDS, Cmd, REPLY_BYTE, W_CMD, W_GEN, W_READY, W_REP_SEQ, W_REQ_SEQ, W_SLOT, W_STATUS } from '../peers/protocol.js';
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

const NAME = 'pool-dispatch';
const TASKS = new URL('../peers/pool-tasks.mjs', import.meta.url);
const IDLE_MS = 1;

const OPTS: InterleavedAsyncOptions = quick
  ? { batch: 1, warmupMs: 100, warmupOps: 50, minSamples: 300, minTimeMs: 0, maxTimeMs: 20_000, samplesPerTurn: 50, turnWarmupOps: 2 }
  : { batch: 1, warmupMs: 300, warmupOps: 200, minSamples: 2000, minTimeMs: 0, maxTimeMs: 90_000, samplesPerTurn: 50, turnWarmupOps: 2 };

/** The pinned placements: fewer samples (the free placement above is the headline). */
const PINNED_OPTS: InterleavedAsyncOptions = quick
  ? { ...OPTS, warmupOps: 20, warmupMs: 50, minSamples: 200, maxTimeMs: 10_000 }
  : { ...OPTS, warmupOps: 50, warmupMs: 100, minSamples: 1000, maxTimeMs: 30_000 };

/**
 * Where the case process and the worker (and the futex-floor child) run, after
 * the free run: both on CPU 0, or the caller on CPU 0 and the worker on CPU 1
 * (taskset, every thread).
 */
const PLACEMENTS = [
  { suffix: '-1cpu', what: 'both on CPU 0', parent: '0', child: '0', note: '-1cpu: caller and worker (or child) pinned to CPU 0 (taskset, all threads)' },
  { suffix: '-2cpu', what: 'CPU 0 / CPU 1', parent: '0', child: '1', note: '-2cpu: caller on CPU 0, worker (or child) on CPU 1 (taskset, all threads)' },
];
/** The rows measured again in each pinned placement. */
const PINNED_ROWS = ['ndshare-run', 'ndshare-run-idle', 'cp-ipc', 'futex-floor'];

const pause = () => new Promise<void>((resolve) => setTimeout(resolve, IDLE_MS));

function fmtUs(ns: number): string {
  return `${(ns / 1e3).toFixed(1)} µs`;
}

await main({
  [NAME]: async (): Promise<CaseResult[]> => {
    const closers: (() => Promise<void> | void)[] = [];
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- ops of different result types in one list
    const ops: InterleavedAsyncOp<any>[] = [];
    const metaOf: Record<string, Record<string, unknown>> = {};
    const counts = new Map<nd.Pool, number>();
    let workerPid = 0;
    try {
      // --- ndshare: a pool of 1 worker process, a pool of 1 worker thread ---
      for (const backend of ['process', 'thread'] as const) {
        const pool = await nd.Pool.start({ workers: 1, backend, capacity: '64MiB' });
        closers.push(() => pool.close());
        counts.set(pool, 0);
        const store = pool.store;
        const x1 = store.empty([1], { dtype: 'float64' });
        (x1.data as Float64Array)[x1.offset] = 42.5;
        store.seal(x1);
        const suffix = backend === 'thread' ? '-thread' : '';
        // Not an async function: that would add a Promise (and microtask hops) around the call.
        const run = () => {
          counts.set(pool, counts.get(pool)! + 1);
          return pool.run(TASKS, 'noop');
        };
        const isUndefined = (impl: string) => (r: unknown) => {
          if (r !== undefined) throw new Error(`${impl}: the noop task returned ${String(r)}`);
        };
        ops.push({ name: `ndshare-run${suffix}`, op: run, check: isUndefined(`ndshare-run${suffix}`) });
        metaOf[`ndshare-run${suffix}`] = { backend, ...(backend === 'process' ? { reference: true } : {}) };
        if (backend === 'process') {
          workerPid = pool.stats().workers[0]!.pid!;
          ops.push({ name: 'ndshare-run-idle', op: run, check: isUndefined('ndshare-run-idle'), before: pause });
          metaOf['ndshare-run-idle'] = {
            backend,
            pauseMs: IDLE_MS,
            note: `-idle: each call after a ${IDLE_MS} ms pause (untimed): the worker sleeps on its futex`,
          };
          // Diagnostic: the same call without the caller-stack capture that every dispatch does.
          let limit = Error.stackTraceLimit;
          ops.push({
            name: 'ndshare-run-nostack',
            op: run,
            check: isUndefined('ndshare-run-nostack'),
            before: () => {
              limit = Error.stackTraceLimit;
              Error.stackTraceLimit = 0;
            },
            after: () => {
              Error.stackTraceLimit = limit;
            },
          });
          metaOf['ndshare-run-nostack'] = {
            backend,
            note: 'ndshare-run-nostack (diagnostic): Error.stackTraceLimit = 0 around the call, so the caller stack the pool captures per dispatch costs nothing',
          };
        }
        const id = (v: number) => v;
        // The default (a small output comes back in the answer, a local array) and, diagnostic, the store path.
        for (const inline of [true, false]) {
          const name = `ndshare-map1${inline ? '' : '-store'}${suffix}`;
          if (!inline && backend === 'thread') continue;
          ops.push({
            name,
            op: () => {
              counts.set(pool, counts.get(pool)! + 1);
              return pool.map(x1, id, { inline });
            },
            check: (y: nd.NDArray) => {
              if ((y.data as Float64Array)[y.offset] !== 42.5) throw new Error(`${name}: wrong element`);
              if ((store.idOf(y) === undefined) !== inline) throw new Error(`${name}: the result is ${inline ? '' : 'not '}in the store`);
            },
            after: (ys: nd.NDArray[]) => ys.forEach((y) => store.idOf(y) !== undefined && freeResult(store, y)),
          });
          metaOf[name] = {
            backend,
            note: inline
              ? 'ndshare-map1: pool.map of a 1-element array (the job path; input and output travel in the message, inline.ts)'
              : 'ndshare-map1-store (diagnostic): the same with {inline: false}: the output allocated in the store, freed after each call (untimed)',
          };
        }
      }

      // --- piscina, 1 thread ---
      const pis = await startPiscina(1);
      closers.push(() => pis.close());
      const pisRun = () => pis.run(null, { name: 'noop' });
      const pisCheck = (r: unknown) => {
        if (r !== undefined) throw new Error(`piscina-run: the noop task returned ${String(r)}`);
      };
      ops.push({ name: 'piscina-run', op: pisRun, check: pisCheck });
      ops.push({ name: 'piscina-run-idle', op: pisRun, check: pisCheck, before: pause });
      metaOf['piscina-run'] = { threads: 1 };
      metaOf['piscina-run-idle'] = { threads: 1, pauseMs: IDLE_MS };

      // --- child_process IPC ping-pong ---
      const child = await forkPoolChild('json');
      closers.push(() => child.close());
      ops.push({
        name: 'cp-ipc',
        op: (i) => child.request<{ i: number }>({ i }),
        check: (r: { i: number }, i) => {
          if (r.i !== i) throw new Error(`cp-ipc: reply ${r.i}, expected ${i}`);
        },
      });
      metaOf['cp-ipc'] = { note: 'cp-ipc: child_process.fork, JSON channel, {i} answered with {i}' };

      // --- the bare futex round trip (store-handoff's Echo) ---
      const floor = await startFloor();
      closers.push(() => floor.close());
      ops.push({
        name: 'futex-floor',
        op: () => floor.roundTrip(),
        check: (r: number) => {
          if (r !== 0) throw new Error(`futex-floor: reply ${r}`);
        },
      });
      metaOf['futex-floor'] = { note: 'futex-floor: a futex round trip to a child process (blocking wait), no pool: the floor of a control message' };

      const ms = await measureInterleavedAsync(ops, OPTS);

      // The same calls pinned, to tell the VM's placement modes apart.
      const pinned: { placement: (typeof PLACEMENTS)[number]; ms: Measurement[] }[] = [];
      if (pinning.ok) {
        const subset = ops.filter((o) => PINNED_ROWS.includes(o.name));
        const others = [workerPid, child.pid, floor.pid];
        const masks = new Map([process.pid, ...others].map((pid) => [pid, affinityOf(pid)]));
        try {
          for (const placement of PLACEMENTS) {
            setAffinity(process.pid, placement.parent);
            for (const pid of others) setAffinity(pid, placement.child);
            const m = await measureInterleavedAsync(
              subset.map((o) => ({ ...o, name: o.name + placement.suffix })),
              PINNED_OPTS,
            );
            pinned.push({ placement, ms: m });
          }
        } finally {
          for (const [pid, mask] of masks) setAffinity(pid, mask);
        }
      }

      // Every call reached the worker: its task count is the number of calls.
      for (const [pool, n] of counts) {
        const done = pool.stats().workers[0]!.tasksDone;
        if (done !== n) throw new Error(`final check: the ${pool.stats().workers[0]!.pid ? 'process' : 'thread'} worker ran ${done} tasks, ${n} were sent`);
      }

      const all = [...ms, ...pinned.flatMap((p) => p.ms)];
      const med = (impl: string) => all.find((m) => m.name === impl)!.median;
      const placed = pinned
        .map(
          ({ placement: p }) =>
            `${p.what}: ${fmtUs(med('ndshare-run' + p.suffix))} back to back, ${fmtUs(med('ndshare-run-idle' + p.suffix))} idle, ` +
            `child_process IPC ${fmtUs(med('cp-ipc' + p.suffix))}, floor ${fmtUs(med('futex-floor' + p.suffix))}`,
        )
        .join('; ');
      const summary =
        `empty task to a warm worker process: ${fmtUs(med('ndshare-run'))} back to back, ${fmtUs(med('ndshare-run-idle'))} after a ${IDLE_MS} ms pause ` +
        `(target ≤ 30 µs; futex floor ${fmtUs(med('futex-floor'))}); without the caller-stack capture ${fmtUs(med('ndshare-run-nostack'))}; ` +
        `thread ${fmtUs(med('ndshare-run-thread'))}; job path (map of 1 element) ${fmtUs(med('ndshare-map1'))} ` +
        `(${(med('ndshare-map1') / med('ndshare-run')).toFixed(1)}× the empty task; through the store ${fmtUs(med('ndshare-map1-store'))}); ` +
        `piscina ${fmtUs(med('piscina-run'))} (idle ${fmtUs(med('piscina-run-idle'))}); child_process IPC ${fmtUs(med('cp-ipc'))}` +
        (placed ? `. Pinned: ${placed}` : '');
      const common = { per: 'task (round trip)', rate: 'ops' };
      const rows = ms.map((m) => result(NAME, m, { ...common, ...metaOf[m.name], ...(m.name === 'ndshare-run' ? { summary } : {}) }, m.name));
      rows.sort((a, b) => Number(b.impl === 'ndshare-run') - Number(a.impl === 'ndshare-run'));
      for (const { placement, ms: pm } of pinned) {
        for (const m of pm) {
          const base = m.name.slice(0, -placement.suffix.length);
          rows.push(result(NAME, m, { ...common, ...metaOf[base], reference: false, placement: placement.what, note: placement.note }, m.name));
        }
      }
      if (!pinning.ok) for (const p of PLACEMENTS) for (const r of PINNED_ROWS) rows.push(skipped(NAME, r + p.suffix, pinning.why, common));
      return rows;
    } finally {
      for (const close of closers.reverse()) await close();
    }
  },
});

/**
 * A child process answering futex round trips (bench/peers/handoff-child.ts
 * in `ndshare` mode, `Cmd.Echo`): the floor any cross-process control
 * message pays here.
 */
async function startFloor(): Promise<{ pid: number; roundTrip(): number; close(): Promise<void> }> {
  const store = nd.Store.create({ capacity: 4 << 20 });
  const block = store.zeros([CONTROL_WORDS], { dtype: 'int32' });
  const controlId = store.seal(block);
  const data = block.data as Int32Array;
  const sab = data.buffer as SharedArrayBuffer;
  const base = data.byteOffset;
  const ctl = new Int32Array(sab, base, CONTROL_WORDS);
  const reply = new Float64Array(sab, base + REPLY_BYTE, 1);
  const child = spawnStoreChild(store.fd, { handle: store.handle, control: controlId });
  const ready = (async () => {
    while (Atomics.load(ctl, W_READY) !== 1) await native.sync.futexWaitAsync(sab, base + W_READY * 4, 0, 1000);
  })();
  await within(
    Promise.race([ready, child.exited.then((e) => Promise.reject(new Error(`futex-floor child exited (${e.signal ?? e.code}) before it was ready`)))]),
    30_000,
    'futex-floor child start',
  );
  const post = (cmd: number): number => {
    ctl[W_CMD] = cmd;
    ctl[W_SLOT] = 0;
    ctl[W_GEN] = 0;
    const seq = (ctl[W_REQ_SEQ]! + 1) | 0;
    Atomics.store(ctl, W_REQ_SEQ, seq);
    native.sync.futexWake(sab, base + W_REQ_SEQ * 4, 1);
    return seq;
  };
  return {
    pid: child.child.pid!,
    roundTrip(): number {
      const seq = post(Cmd.Echo);
      const deadline = performance.now() + 10_000;
      for (let v = Atomics.load(ctl, W_REP_SEQ); v !== seq; v = Atomics.load(ctl, W_REP_SEQ)) {
        if (performance.now() > deadline) throw new Error('futex-floor: no reply within 10 s');
        native.sync.futexWait(sab, base + W_REP_SEQ * 4, v, 1000);
      }
      if (Atomics.load(ctl, W_STATUS) !== 0) throw new Error('futex-floor: the child failed (see its stderr)');
      return reply[0]!;
    },
    async close() {
      post(Cmd.Exit);
      await within(child.exited, 10_000, 'futex-floor child exit').catch(() => {});
      await child.close();
      store.release(block);
      store.close();
    },
  };
}
