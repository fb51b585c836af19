/**
 * Handing a float64 array to another process and back, by size (1 KB, 10 MB,
 * 100 MB, 1 GB; decimal units, 1 KB = 125 elements), ndshare against the
 * ways Node moves arrays between processes and threads, all in one process
 * per size so every ratio is measured in the same run.
 *
 * One op = one round trip, checked inside the timed loop (the reply is the
 * sum of the first and last element, compared with the expected sum):
 *
 *  - `ndshare`: the array is put in a store once, before timing. The parent
 *    writes the object id (slot, generation) into a control block
 *    (bench/peers/protocol.ts), bumps the request sequence and futex-wakes;
 *    the child (bench/peers/handoff-child.ts, blocked in `futexWait`) does
 *    `store.get(id)`, reads both ends, `store.release(view)`, writes the sum
 *    and wakes the parent, which waits with a blocking `futexWait`.
 *  - `futex-floor`: the same round trip without touching the store (the child
 *    echoes): the floor any cross-process control message pays here.
 *  - The 1 KB reference (sizes above 1 KB; in `meta.vs1KB` and the summary
 *    line, not a row): the same round trip on a 1 KB object in the same store.
 *    The size's object, the floor and the 1 KB object are sampled interleaved
 *    (`measureInterleaved`), so their ratios survive the machine's moods.
 *  - `-1cpu` / `-2cpu`: the interleaved set again with both processes pinned
 *    to CPU 0, or the parent on CPU 0 and the child on CPU 1 (taskset, every
 *    thread): on this VM a wake-up across vCPUs costs tens of µs and one on
 *    the same CPU a few, and the unpinned rows get whichever the scheduler
 *    picks. Skipped (visibly) without taskset or with fewer than 2 CPUs.
 *  - `ndshare-async`: as `ndshare`, the parent waiting with `futexWaitAsync`
 *    (event loop free; what a server would use).
 *  - `ipc-json`: `child_process.fork` with `serialization: 'json'`. JSON has no
 *    binary type, so the array goes as base64 of its bytes
 *    (`Buffer.from(x.buffer).toString('base64')`, encoded inside the op) and
 *    the child decodes it (`Buffer.from(b64, 'base64')`, a Float64Array over
 *    it): the cheapest honest way to move a Float64Array through JSON IPC.
 *  - `ipc-advanced`: `serialization: 'advanced'`, `child.send({i, x})`, the
 *    Float64Array structured-cloned through the pipe.
 *  - `worker-clone`: `worker.postMessage({i, x})` (structured clone) to a
 *    worker thread. Threads, not processes: shown because it is the common
 *    alternative.
 *  - `worker-transfer`: `postMessage({i, x}, [x.buffer])`, and the worker
 *    transfers it back (it must come back to be sent again). Threads only.
 *
 * The IPC peers reply with the sum only (the array does not come back).
 * `ipc-json`, `ipc-advanced` and `worker-clone` are not run at 1 GB (seconds
 * per op, and gigabytes of copies): their rows say `skipped`. The 1 GB case
 * runs only if `os.freemem()` leaves room for the source array and its copy
 * in the store; otherwise every row says why it was skipped.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { native } from '../../src/binding.js';
import * as nd from '../../src/index.js';
import { forkIpcChild, spawnStoreChild, startWorker, within, type Peer, type Reply } from '../peers/children.js';
import { CONTROL_WORDS, Cmd, REPLY_BYTE, W_CMD, W_GEN, W_READY, W_REP_SEQ, W_REQ_SEQ, W_SLOT, W_STATUS } from '../peers/protocol.js';
import {
  main,
  measureAsync,
  measureInterleaved,
  quick,
  result,
  skipped,
  type CaseResult,
  type InterleavedOp,
  type Measurement,
  type MeasureOptions,
} from '../harness.js';

const SIZES: [label: string, bytes: number][] = [
  ['1KB', 1e3],
  ['10MB', 1e7],
  ['100MB', 1e8],
  ['1GB', 1e9],
];
const REF_BYTES = 1e3;
/** The largest size the copying peers (json, advanced, clone) run at. */
const SLOW_PEER_MAX_BYTES = 1e8;
/** A reply must come within this long, or the parent gives up (the child is then killed on exit). */
const REPLY_TIMEOUT_MS = 10_000;

/** Sampling of the fast impls: 1 s of samples is plenty for ops of ~100 µs and keeps the run short. */
const FAST: MeasureOptions = quick ? {} : { minSamples: 20, minTimeMs: 1000, maxTimeMs: 3000, warmupMs: 200 };
/** Sampling of ops of tens of ms to seconds: one warm-up op, ≥ 5 samples, stop after ~8 s. */
const SLOW: MeasureOptions = quick
  ? { minSamples: 3, minTimeMs: 0, maxTimeMs: 1500, warmupMs: 0, warmupOps: 1 }
  : { minSamples: 5, minTimeMs: 1000, maxTimeMs: 8000, warmupMs: 0, warmupOps: 1 };

/** Interleaved ndshare / floor / 1 KB samples: ≥ 1.5 s in all per placement. */
const INTERLEAVED: MeasureOptions = quick ? {} : { minSamples: 20, minTimeMs: 1500, maxTimeMs: 4000, warmupMs: 200 };

const FLOOR_NOTE = 'futex-floor: the same futex round trip, the child echoes without store.get/release';

/**
 * Where the parent and the child run. On this VM a futex wake-up that must
 * wake the other (idle, halted) vCPU costs tens of µs, while a wake-up on the
 * same CPU is a context switch, so a round trip is bimodal and the scheduler
 * picks the mode. `free` is what users get; the pinned placements (taskset,
 * all threads of both processes) show the two modes apart.
 */
interface Placement {
  suffix: string;
  what: string;
  parent?: string;
  child?: string;
  note?: string;
}
const PLACEMENTS: Placement[] = [
  { suffix: '', what: 'scheduler free' },
  {
    suffix: '-1cpu',
    what: 'both on CPU 0',
    parent: '0',
    child: '0',
    note: '-1cpu: parent and child pinned to CPU 0 (taskset): the wake-up is a context switch',
  },
  { suffix: '-2cpu', what: 'CPU 0 / CPU 1', parent: '0', child: '1', note: '-2cpu: parent on CPU 0, child on CPU 1 (taskset): every wake-up crosses CPUs' },
];
interface Placed {
  placement: Placement;
  m: Measurement;
  floor: Measurement;
  ref?: Measurement;
}

/** Whether the pinned placements can run here (taskset present, ≥ 2 CPUs). */
const pinning: { ok: true } | { ok: false; why: string } = (() => {
  if (os.cpus().length < 2) return { ok: false, why: 'needs 2 CPUs' };
  try {
    execFileSync('taskset', ['-p', String(process.pid)], { stdio: 'ignore' });
    return { ok: true };
  } catch (e) {
    return { ok: false, why: `taskset is not usable: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}` };
  }
})();

/** The CPU list a process may run on (`taskset -p -c`). */
function affinityOf(pid: number): string {
  const out = execFileSync('taskset', ['-p', '-c', String(pid)], { encoding: 'utf8' });
  return out.slice(out.lastIndexOf(':') + 1).trim();
}

/** Pins every thread of `pid` to `cpus` (`taskset -a -p -c`). */
function setAffinity(pid: number, cpus: string): void {
  execFileSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' });
}

function fillSource(bytes: number): Float64Array {
  const x = new Float64Array(bytes / 8);
  // Cheap and not constant: both ends differ, so a reply from the wrong array is caught.
  for (let k = 0; k < x.length; k++) x[k] = (k % 1009) * 0.5 + 1;
  x[x.length - 1] = 12345.25;
  return x;
}

function fmt(ns: number): string {
  return ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : `${(ns / 1e3).toFixed(1)} µs`;
}

function parseId(id: string): { slot: number; gen: number } {
  const m = /^#(\d+)\.(\d+)$/.exec(id);
  if (!m) throw new Error(`unexpected object id ${id}`);
  return { slot: Number(m[1]), gen: Number(m[2]) | 0 };
}

/** The ndshare rows: one store, one child, the control block; the interleaved set per placement, then the async wait. */
async function measureStore(label: string, x: Float64Array): Promise<{ placements: Placed[]; asyncM: Measurement; meta: Record<string, unknown> }> {
  const bytes = x.byteLength;
  const store = nd.Store.create({ capacity: bytes + REF_BYTES + (4 << 20) });
  try {
    const id = store.put(nd.asarray(x));
    const refX = fillSource(REF_BYTES);
    const refId = store.put(nd.asarray(refX));
    const expected = x[0]! + x[x.length - 1]!;
    const refExpected = refX[0]! + refX[refX.length - 1]!;

    // The control block: a sealed int32 object both sides hold pinned and write through its raw buffer.
    const block = store.zeros([CONTROL_WORDS], { dtype: 'int32' });
    const controlId = store.seal(block);
    const data = block.data as Int32Array;
    const sab = data.buffer as SharedArrayBuffer;
    const base = data.byteOffset;
    const ctl = new Int32Array(sab, base, CONTROL_WORDS);
    const reply = new Float64Array(sab, base + REPLY_BYTE, 1);
    const reqOffset = base + W_REQ_SEQ * 4;
    const repOffset = base + W_REP_SEQ * 4;

    const child = spawnStoreChild(store.fd, { handle: store.handle, control: controlId });
    try {
      // Ready: the child has attached and holds the block.
      const ready = (async () => {
        while (Atomics.load(ctl, W_READY) !== 1) await native.sync.futexWaitAsync(sab, base + W_READY * 4, 0, 1000);
      })();
      await within(
        Promise.race([ready, child.exited.then((e) => Promise.reject(new Error(`ndshare child exited (${e.signal ?? e.code}) before it was ready`)))]),
        30_000,
        'ndshare child start',
      );

      const post = (cmd: number, obj: { slot: number; gen: number }): number => {
        ctl[W_CMD] = cmd;
        ctl[W_SLOT] = obj.slot;
        ctl[W_GEN] = obj.gen;
        const seq = (ctl[W_REQ_SEQ]! + 1) | 0;
        Atomics.store(ctl, W_REQ_SEQ, seq);
        native.sync.futexWake(sab, reqOffset, 1);
        return seq;
      };
      const answered = (): number => {
        if (Atomics.load(ctl, W_STATUS) !== 0) throw new Error('the ndshare child failed (see its stderr)');
        return reply[0]!;
      };
      // Blocking round trip: the parent sleeps in futexWait until the reply sequence moves.
      const roundTrip = (cmd: number, obj: { slot: number; gen: number }): number => {
        const seq = post(cmd, obj);
        const deadline = performance.now() + REPLY_TIMEOUT_MS;
        for (let v = Atomics.load(ctl, W_REP_SEQ); v !== seq; v = Atomics.load(ctl, W_REP_SEQ)) {
          if (performance.now() > deadline) throw new Error(`no reply from the ndshare child within ${REPLY_TIMEOUT_MS} ms`);
          native.sync.futexWait(sab, repOffset, v, 1000);
        }
        return answered();
      };
      // The same, waiting with futexWaitAsync (the event loop stays free).
      const roundTripAsync = async (cmd: number, obj: { slot: number; gen: number }): Promise<number> => {
        const seq = post(cmd, obj);
        const deadline = performance.now() + REPLY_TIMEOUT_MS;
        for (let v = Atomics.load(ctl, W_REP_SEQ); v !== seq; v = Atomics.load(ctl, W_REP_SEQ)) {
          if (performance.now() > deadline) throw new Error(`no reply from the ndshare child within ${REPLY_TIMEOUT_MS} ms`);
          await native.sync.futexWaitAsync(sab, repOffset, v, 1000);
        }
        return answered();
      };

      const obj = parseId(id);
      const ref = parseId(refId);
      const checkSum = (want: number, what: string) => (sum: number) => {
        if (sum !== want) throw new Error(`${what}: the child read ${sum}, expected ${want}`);
      };
      const ops: InterleavedOp<number>[] = [
        { name: `ndshare ${label}`, op: () => roundTrip(Cmd.Read, obj), check: checkSum(expected, 'ndshare') },
        { name: 'futex-floor', op: () => roundTrip(Cmd.Echo, obj), check: checkSum(0, 'futex-floor') },
      ];
      if (bytes !== REF_BYTES) ops.push({ name: 'ndshare 1KB', op: () => roundTrip(Cmd.Read, ref), check: checkSum(refExpected, 'ndshare 1KB') });

      const placements: Placed[] = [];
      const childPid = child.child.pid!;
      const parentMask = pinning.ok ? affinityOf(process.pid) : '';
      try {
        for (const p of PLACEMENTS) {
          if (p.parent !== undefined) {
            if (!pinning.ok) continue;
            setAffinity(process.pid, p.parent);
            setAffinity(childPid, p.child!);
          }
          const [m, floor, refM] = measureInterleaved(ops, INTERLEAVED) as [Measurement, Measurement, Measurement?];
          placements.push({ placement: p, m, floor, ...(refM ? { ref: refM } : {}) });
          if (p.parent !== undefined) {
            setAffinity(process.pid, parentMask);
            setAffinity(childPid, parentMask);
          }
        }
      } finally {
        if (pinning.ok) setAffinity(process.pid, parentMask);
      }
      const asyncM = await measureAsync(`ndshare-async ${label}`, () => roundTripAsync(Cmd.Read, obj), checkSum(expected, 'ndshare-async'), FAST);

      // Once more, outside the timing: the child's view is the same bytes (its sum of both ends).
      if (roundTrip(Cmd.Read, obj) !== expected) throw new Error('final check: wrong sum');
      post(Cmd.Exit, obj);
      const { code, signal } = await within(child.exited, 10_000, 'ndshare child exit');
      if (code !== 0) throw new Error(`ndshare child exited with ${signal ?? code}`);
      const stats = store.stats();
      return { placements, asyncM, meta: { residentBytes: stats.residentBytes, clientsAfter: stats.clients } };
    } finally {
      await child.close();
    }
  } finally {
    store.close();
  }
}

/** One peer's measurement: `send(x, i)` makes the message, the reply must carry `i` and the sum. */
async function measurePeer(
  name: string,
  peer: Peer,
  expected: number,
  send: (i: number) => [msg: unknown, transfer?: ArrayBuffer[]],
  options: MeasureOptions,
  onReply?: (r: Reply) => void,
): Promise<Measurement> {
  return measureAsync(
    name,
    async (i) => {
      const [msg, transfer] = send(i);
      const r = await peer.request(msg, transfer);
      onReply?.(r);
      return r;
    },
    (r, i) => {
      if (r.i !== i || r.sum !== expected) throw new Error(`${name}: reply ${JSON.stringify({ i: r.i, sum: r.sum })}, expected i=${i} sum=${expected}`);
    },
    options,
  );
}

async function handoff(label: string, bytes: number): Promise<CaseResult[]> {
  const name = `store-handoff-${label}`;
  const common = { bytes, dtype: 'float64', elements: bytes / 8, per: 'round trip' };
  const slowPeers = ['ipc-json', 'ipc-advanced', 'worker-clone'];
  const all = [...PLACEMENTS.flatMap((p) => [`ndshare${p.suffix}`, `futex-floor${p.suffix}`]), 'ndshare-async', ...slowPeers, 'worker-transfer'];

  // 1 GB needs the source (1 GB) plus its copy in the store (1 GB), plus room for the rest.
  const need = 2 * bytes + (1 << 30);
  if (bytes >= 1e9 && os.freemem() < need) {
    const why = `not enough free memory: os.freemem() = ${(os.freemem() / 2 ** 30).toFixed(1)} GiB, needs ${(need / 2 ** 30).toFixed(1)} GiB`;
    return all.map((impl) => skipped(name, impl, why, common));
  }

  let x = fillSource(bytes);
  const expected = x[0]! + x[x.length - 1]!;
  const rows: CaseResult[] = [];

  const s = await measureStore(label, x);
  const ratios: string[] = [];
  for (const { placement: p, m, floor, ref } of s.placements) {
    const vs1KB = ref ? m.median / ref.median : undefined;
    if (ref) ratios.push(`${p.what} ${fmt(m.median)} vs ${fmt(ref.median)} = ${vs1KB!.toFixed(2)}×`);
    const where = { placement: p.what };
    const refMeta = ref ? { ref1KB_ns: Math.round(ref.median), ref1KB_p10_ns: Math.round(ref.p10), ref1KB_p90_ns: Math.round(ref.p90), vs1KB } : {};
    rows.push(
      result(name, m, { ...common, ...s.meta, ...where, ...refMeta, ...(p.note ? { note: p.note } : {}) }, `ndshare${p.suffix}`),
      result(name, floor, { ...common, ...where, note: FLOOR_NOTE }, `futex-floor${p.suffix}`),
    );
  }
  if (ratios.length > 0)
    rows[0]!.meta.summary = `ndshare ${label} vs a 1 KB object, interleaved in one process: ${ratios.join('; ')} (target ≤ 1.5×, ≤ 100 µs)`;
  if (!pinning.ok) {
    for (const p of PLACEMENTS)
      if (p.parent !== undefined) for (const impl of ['ndshare', 'futex-floor']) rows.push(skipped(name, impl + p.suffix, pinning.why, common));
  }
  rows.push(result(name, s.asyncM, { ...common, note: 'ndshare-async: parent waits with futexWaitAsync (event loop free)' }, 'ndshare-async'));

  if (bytes <= SLOW_PEER_MAX_BYTES) {
    const opts = bytes >= 1e7 ? SLOW : FAST;
    const json = await forkIpcChild('json');
    try {
      const mj = await measurePeer(
        `ipc-json ${label}`,
        json,
        expected,
        (i) => [{ i, b64: Buffer.from(x.buffer, x.byteOffset, x.byteLength).toString('base64') }],
        opts,
      );
      rows.push(result(name, mj, { ...common, note: "ipc-json: fork({serialization: 'json'}), the bytes as base64, decoded in the child" }, 'ipc-json'));
    } finally {
      await json.close();
    }
    const adv = await forkIpcChild('advanced');
    try {
      const ma = await measurePeer(`ipc-advanced ${label}`, adv, expected, (i) => [{ i, x }], opts);
      rows.push(result(name, ma, common, 'ipc-advanced'));
    } finally {
      await adv.close();
    }
  } else {
    for (const impl of ['ipc-json', 'ipc-advanced']) {
      rows.push(skipped(name, impl, `not run above ${SLOW_PEER_MAX_BYTES / 1e6} MB (seconds per op)`, common));
    }
  }

  const worker = await startWorker();
  try {
    if (bytes <= SLOW_PEER_MAX_BYTES) {
      const mc = await measurePeer(`worker-clone ${label}`, worker, expected, (i) => [{ i, x }], bytes >= 1e8 ? SLOW : FAST);
      rows.push(result(name, mc, { ...common, note: 'worker-*: worker_threads in the same process (threads, not processes)' }, 'worker-clone'));
    } else {
      rows.push(skipped(name, 'worker-clone', `not run above ${SLOW_PEER_MAX_BYTES / 1e6} MB (a GB copy per op)`, common));
    }
    // Last: transferring detaches the parent's buffer between ops; it comes back with each reply.
    const mt = await measurePeer(
      `worker-transfer ${label}`,
      worker,
      expected,
      (i) => [{ i, x, transfer: true }, [x.buffer as ArrayBuffer]],
      FAST,
      (r) => {
        if (!(r.x instanceof Float64Array) || r.x.length !== bytes / 8) throw new Error('worker-transfer: the array did not come back');
        x = r.x;
      },
    );
    rows.push(result(name, mt, { ...common, note: 'worker-*: worker_threads in the same process (threads, not processes)' }, 'worker-transfer'));
  } finally {
    await worker.close();
  }
  return rows;
}

await main(Object.fromEntries(SIZES.map(([label, bytes]) => [`store-handoff-${label}`, () => handoff(label, bytes)])));
