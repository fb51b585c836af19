// Shared-memory segments and cross-process synchronization (native shm + sync):
// real processes and threads, no mocks. Children run test/fixtures/shm-child.ts
// and report JSON lines; every wait is bounded so nothing can hang CI.
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readdirSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { Worker } from 'node:worker_threads';
import test from 'tape';
import { native } from '../src/binding.js';
import { NdshareError, NdshareRangeError, NdshareTypeError } from '../src/errors.js';
import { Segment } from '../src/shm/segment.js';
import { throwsCoded } from './helpers/assert.js';

const { shm, sync } = native;
const CHILD = fileURLToPath(new URL('./fixtures/shm-child.ts', import.meta.url));
const WORKER = new URL('./fixtures/shm-worker.ts', import.meta.url).href;
const MiB = 1024 * 1024;
// The `import` condition of tsx's `./esm/api` export (createRequire would pick `require`).
const TSX_ESM_API = (() => {
  const pkgPath = createRequire(import.meta.url).resolve('tsx/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { exports: Record<string, { import: { default: string } }> };
  return new URL(pkg.exports['./esm/api']!.import.default, pathToFileURL(pkgPath)).href;
})();

// ---- helpers ----------------------------------------------------------------

type Report = Record<string, unknown>;

interface Child {
  proc: ChildProcess;
  /** The next JSON line the child printed (rejects after timeoutMs). */
  next(timeoutMs?: number): Promise<Report>;
  /** Resolves when the child has exited (it is SIGKILLed after `limitMs` regardless). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Runs shm-child.ts `mode source ...args`; `fds` become the child's fd 3, 4, … */
function runChild(mode: string, source: string, args: (string | number)[] = [], fds: number[] = [], limitMs = 30_000): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', CHILD, mode, source, ...args.map(String)], {
    stdio: ['ignore', 'pipe', 'inherit', ...fds],
  });
  const killer = setTimeout(() => proc.kill('SIGKILL'), limitMs);
  const lines: Report[] = [];
  const waiting: ((r: Report) => void)[] = [];
  createInterface({ input: proc.stdout! }).on('line', (line) => {
    const report = JSON.parse(line) as Report;
    const w = waiting.shift();
    if (w) w(report);
    else lines.push(report);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => {
      clearTimeout(killer);
      resolve({ code, signal });
    });
  });
  return {
    proc,
    exited,
    next(timeoutMs = 15_000) {
      const ready = lines.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise<Report>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`child ${mode}: no report in ${timeoutMs} ms`)), timeoutMs);
        waiting.push((r) => {
          clearTimeout(timer);
          resolve(r);
        });
        void exited.then(({ code, signal }) => reject(new Error(`child ${mode} exited (${signal ?? code}) without reporting`)));
      });
    },
  };
}

/** Starts a worker thread on shm-worker.ts (TypeScript through tsx's loader). */
function runWorker(workerData: Record<string, unknown>): Worker {
  // Workers do not run the process's --import hooks: register tsx's ESM loader
  // in the worker (its `tsx/esm/api` ESM entry), then load the fixture.
  const code = `import(${JSON.stringify(TSX_ESM_API)}).then(({ register }) => { register(); return import(${JSON.stringify(WORKER)}); })`;
  return new Worker(code, { eval: true, workerData });
}

/** The next message of a worker (rejects after timeoutMs or on error). */
function nextMessage(worker: Worker, timeoutMs = 15_000): Promise<Report> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker: no message in ${timeoutMs} ms`)), timeoutMs);
    worker.once('message', (m: Report) => {
      clearTimeout(timer);
      resolve(m);
    });
    worker.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, limit]);
  } finally {
    clearTimeout(timer);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

const fdCount = (): number => readdirSync('/proc/self/fd').length;
const devShm = (): string[] => readdirSync('/dev/shm').sort();
const nowNs = (): number => Number(process.hrtime.bigint());

// A gc() without --expose-gc on the command line.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const kernel = release().split('.').map(Number);
const hasFutexWaitv = kernel[0]! > 5 || (kernel[0] === 5 && kernel[1]! >= 16);

// ---- segments across processes -----------------------------------------------

test('create -> another process opens /proc/<pid>/fd/<fd>, reads and writes the same memory', async (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 1 * MiB);
  t.ok(buffer instanceof SharedArrayBuffer, 'a SharedArrayBuffer');
  t.equal(buffer.byteLength, MiB, 'of the capacity');
  t.ok(fd > 2, `fd ${fd}`);
  const i32 = new Int32Array(buffer);
  const count = 4096;
  for (let k = 0; k < count; k++) i32[k] = 7 * k + 1;
  const child = runChild('check-rw', `path:/proc/${process.pid}/fd/${fd}`, [count]);
  const report = await child.next();
  t.equal(report.mismatches, 0, 'the child read our pattern');
  t.equal(report.byteLength, MiB, 'and mapped the whole segment');
  t.equal((await child.exited).code, 0, 'child exited cleanly');
  let ok = true;
  for (let k = 0; k < count; k++) if (i32[k] !== -(k + 1)) ok = false;
  t.ok(ok, 'we see its writes: zero copy both ways');
  shm.close(fd);
});

test('a child maps an fd passed in stdio (fd 3) with map(3)', async (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 64 * 1024);
  const i32 = new Int32Array(buffer);
  for (let k = 0; k < 1000; k++) i32[k] = 7 * k + 1;
  const child = runChild('check-rw', 'fd:3', [1000], [fd]);
  const report = await child.next();
  t.equal(report.mismatches, 0, 'child read the pattern through fd 3');
  t.equal(report.byteLength, 64 * 1024, 'size from fstat');
  await child.exited;
  t.equal(i32[999], -1000, 'its writes are ours');
  shm.close(fd);
});

test('Atomics.add from 2 processes x 1e6 on one int32 gives exactly 2e6', async (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 4096);
  const i32 = new Int32Array(buffer);
  const children = [runChild('add', 'fd:3', [1e6], [fd]), runChild('add', 'fd:3', [1e6], [fd])];
  for (const c of children) t.deepEqual(await c.next(30_000), { done: true }, 'child done');
  for (const c of children) t.equal((await c.exited).code, 0, 'child exited cleanly');
  t.equal(Atomics.load(i32, 1), 2, 'both children passed the start barrier');
  t.equal(Atomics.load(i32, 0), 2e6, 'no lost update');
  shm.close(fd);
});

// ---- futex ---------------------------------------------------------------------

test('futexWait in a child wakes on our futexWake: ping-pong latency', async (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 4096);
  const i32 = new Int32Array(buffer);
  const rounds = 200;
  const child = runChild('pong', 'fd:3', [rounds * 2], [fd]);
  t.deepEqual(await child.next(), { ready: true });
  // Blocking round trips: ping (word 0) then wait for the pong (word 1).
  const sync_rtt: number[] = [];
  let r = 0;
  for (let k = 0; k < rounds; k++) {
    r++;
    const t0 = nowNs();
    Atomics.store(i32, 0, r);
    sync.futexWake(buffer, 0, 1);
    while (Atomics.load(i32, 1) < r) {
      if (sync.futexWait(buffer, 4, r - 1, 10_000) === 'timed-out') break;
    }
    sync_rtt.push(nowNs() - t0);
  }
  t.equal(Atomics.load(i32, 1), r, `${rounds} blocking round trips completed`);
  // The same with the parent waiting asynchronously. The wait starts before
  // the ping, so every answer goes through a waiter thread and the event loop.
  const async_rtt: number[] = [];
  for (let k = 0; k < rounds; k++) {
    r++;
    const t0 = nowNs();
    const pong = sync.futexWaitAsync(buffer, 4, r - 1, 10_000);
    Atomics.store(i32, 0, r);
    sync.futexWake(buffer, 0, 1);
    let result = await pong;
    while (Atomics.load(i32, 1) < r && result !== 'timed-out') {
      result = await sync.futexWaitAsync(buffer, 4, r - 1, 10_000);
    }
    async_rtt.push(nowNs() - t0);
  }
  t.equal(Atomics.load(i32, 1), r, `${rounds} async round trips completed`);
  t.deepEqual(await child.next(), { done: true });
  await child.exited;
  const us = (ns: number): string => (ns / 1000).toFixed(1);
  t.comment(
    `cross-process futex round trip (wake + wake back), median of ${rounds}: ` +
      `blocking ${us(median(sync_rtt))} us (one way ~${us(median(sync_rtt) / 2)} us), ` +
      `parent async ${us(median(async_rtt))} us`,
  );
  shm.close(fd);
});

test('futexWait: timed-out within bounds, not-equal at once, ok when woken', (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 4096);
  let t0 = nowNs();
  t.equal(sync.futexWait(buffer, 0, 0, 100), 'timed-out', 'timeout 100 ms');
  let ms = (nowNs() - t0) / 1e6;
  t.ok(ms >= 99 && ms < 2000, `returned after ${ms.toFixed(1)} ms`);
  t0 = nowNs();
  t.equal(sync.futexWait(buffer, 0, 0, 0), 'timed-out', 'timeout 0');
  t.equal(sync.futexWait(buffer, 0, 1, 10_000), 'not-equal', 'value differs: not-equal');
  ms = (nowNs() - t0) / 1e6;
  t.ok(ms < 50, `both without waiting (${ms.toFixed(2)} ms)`);
  t.equal(sync.futexWait(buffer, 0, 0, 0.5), 'timed-out', 'fractional ms timeouts');
  new Uint32Array(buffer)[1] = 0xffffffff;
  t.equal(sync.futexWait(buffer, 4, -1, 0), 'timed-out', 'expected as int32 (-1 == 0xffffffff)');
  t.equal(sync.futexWait(buffer, 4, 0xffffffff, 0), 'timed-out', 'expected as uint32');
  t.equal(sync.futexWake(buffer, 0, Infinity), 0, 'nobody to wake');
  t.equal(sync.futexWake(buffer, 0, 0), 0, 'count 0 wakes nobody');
  shm.close(fd);
  t.end();
});

test('futexWaitAsync: does not block the event loop and resolves on a wake from another process', async (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 4096);
  const i32 = new Int32Array(buffer);
  const child = runChild('wake-later', 'fd:3', [300, 8, 1], [fd]);
  await child.next();
  let ticks = 0;
  const ticker = setInterval(() => ticks++, 20);
  const t0 = nowNs();
  const result = await within(sync.futexWaitAsync(buffer, 8, 0, 10_000), 15_000, 'futexWaitAsync');
  clearInterval(ticker);
  const ms = (nowNs() - t0) / 1e6;
  t.equal(result, 'ok', `woken after ${ms.toFixed(0)} ms`);
  t.ok(ticks >= 5, `a 20 ms interval ran ${ticks} times meanwhile`);
  t.equal(Atomics.load(i32, 2), 1, "and the child's store is visible");
  t.equal((await child.next()).woken, 1, 'the child woke exactly one waiter');
  await child.exited;
  shm.close(fd);
});

test('futexWaitAsync: immediate results, timeouts, many waiters', async (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 4096);
  const i32 = new Int32Array(buffer);
  t.equal(await sync.futexWaitAsync(buffer, 0, 1, 10_000), 'not-equal', 'not-equal');
  t.equal(await sync.futexWaitAsync(buffer, 0, 0, 0), 'timed-out', 'timeout 0');
  let t0 = nowNs();
  t.equal(await sync.futexWaitAsync(buffer, 0, 0, 100), 'timed-out', 'timeout 100 ms');
  const ms = (nowNs() - t0) / 1e6;
  t.ok(ms >= 99 && ms < 2000, `resolved after ${ms.toFixed(1)} ms`);

  // 40 waiters on one word, woken by one wake-all.
  const waits = Array.from({ length: 40 }, () => sync.futexWaitAsync(buffer, 4, 0, 10_000));
  await sleep(100); // let the waiter threads get to sleep (those that do not still see the new value)
  Atomics.store(i32, 1, 1);
  const woken = sync.futexWake(buffer, 4, Infinity);
  t0 = nowNs();
  const results = await within(Promise.all(waits), 10_000, '40 waiters');
  t.ok(
    results.every((r) => r === 'ok'),
    `all 40 resolved 'ok' (${woken} woken in the kernel, the rest saw the new value) in ${((nowNs() - t0) / 1e6).toFixed(1)} ms`,
  );

  // Waits on different words resolve independently.
  const a = sync.futexWaitAsync(buffer, 16, 0, 10_000);
  const b = sync.futexWaitAsync(buffer, 20, 0, 150);
  await sleep(20);
  Atomics.store(i32, 4, 1);
  sync.futexWake(buffer, 16, 1);
  t.equal(await a, 'ok', 'word 16 woken');
  t.equal(await b, 'timed-out', 'word 20 timed out');
  shm.close(fd);
});

test('a pending futexWaitAsync keeps the process alive until it resolves (and no longer)', async (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 4096);
  // Timed: the child ends by itself right after the timeout.
  const timed = runChild('wait-async', 'fd:3', [0, 0, 300], [fd]);
  await timed.next();
  const t0 = nowNs();
  const report = await timed.next();
  t.equal(report.result, 'timed-out', `child's wait timed out after ${String(report.elapsed)} ms`);
  t.equal((await timed.exited).code, 0, 'then the child exited by itself');
  t.ok((nowNs() - t0) / 1e6 < 5000, 'promptly');
  // Infinite: alive until we wake it.
  const forever = runChild('wait-async', 'fd:3', [4, 0, -1], [fd]);
  await forever.next();
  await sleep(300);
  t.equal(forever.proc.exitCode, null, 'still alive 300 ms later, waiting');
  Atomics.store(new Int32Array(buffer), 1, 1);
  let woken = 0;
  for (let k = 0; k < 100 && woken === 0; k++) {
    woken = sync.futexWake(buffer, 4, 1);
    if (woken === 0) await sleep(10);
  }
  t.equal(woken, 1, 'our wake reached its waiter thread');
  t.equal((await forever.next()).result, 'ok', 'its promise resolved');
  t.equal((await forever.exited).code, 0, 'and it exited by itself');
  shm.close(fd);
});

// ---- robust mutex ----------------------------------------------------------------

test('robust mutex across processes: busy, timeout, owner killed with SIGKILL', async (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 4096);
  t.equal(sync.mutexSize % 8, 0, `mutexSize ${sync.mutexSize} is a multiple of 8`);
  sync.mutexInit(buffer, 64);
  const holder = runChild('hold-mutex', 'fd:3', [64], [fd]);
  t.deepEqual(await holder.next(), { locked: 0 }, 'child holds the mutex');
  t.equal(sync.mutexTryLock(buffer, 64), 3, 'tryLock: busy');
  // A waiter that timed out before the owner died must not hide the death from the next one.
  let t0 = nowNs();
  t.equal(sync.mutexLock(buffer, 64, 200), 2, 'lock with 200 ms timeout: timed out');
  let ms = (nowNs() - t0) / 1e6;
  t.ok(ms >= 199 && ms < 3000, `after ${ms.toFixed(1)} ms`);
  // Block in mutexLock while another process kills the owner.
  spawn('/bin/sh', ['-c', `sleep 0.3; kill -9 ${holder.proc.pid}`], { stdio: 'ignore' });
  t0 = nowNs();
  t.equal(sync.mutexLock(buffer, 64, 10_000), 1, 'lock: previous owner died (EOWNERDEAD)');
  ms = (nowNs() - t0) / 1e6;
  t.ok(ms < 9000, `a blocked waiter got the lock ${ms.toFixed(0)} ms after starting to wait`);
  t.equal((await holder.exited).signal, 'SIGKILL', 'the owner was SIGKILLed');
  sync.mutexConsistent(buffer, 64);
  sync.mutexUnlock(buffer, 64);
  t.equal(sync.mutexLock(buffer, 64, 1000), 0, 'after consistent + unlock: a normal lock');
  t.equal(sync.mutexTryLock(buffer, 64), 3, 'tryLock by the owner: busy');
  throwsCoded(t, 'relock by the owner', () => sync.mutexLock(buffer, 64, 100), NdshareError, 'ERR_NDSHARE_NATIVE', /EDEADLK|deadlock|already holds/i);
  sync.mutexUnlock(buffer, 64);
  throwsCoded(t, 'unlock when not held', () => sync.mutexUnlock(buffer, 64), NdshareError, 'ERR_NDSHARE_NATIVE', /does not hold/);
  throwsCoded(t, 'consistent when not owner-died', () => sync.mutexConsistent(buffer, 64), NdshareError, 'ERR_NDSHARE_NATIVE');

  // Owner dies again; this time the next owner unlocks without repairing.
  const holder2 = runChild('hold-mutex', 'fd:3', [64], [fd]);
  t.deepEqual(await holder2.next(), { locked: 0 }, 'a second child holds it');
  holder2.proc.kill('SIGKILL');
  await holder2.exited;
  t.equal(sync.mutexTryLock(buffer, 64), 1, 'tryLock sees the dead owner too');
  sync.mutexUnlock(buffer, 64);
  throwsCoded(t, 'unlocked without consistent -> unrecoverable', () => sync.mutexLock(buffer, 64, 100), NdshareError, 'ERR_NDSHARE_NATIVE', /unrecoverable/);
  sync.mutexInit(buffer, 64);
  t.equal(sync.mutexLock(buffer, 64, 100), 0, 're-initialized: usable again');
  sync.mutexUnlock(buffer, 64);
  shm.close(fd);
});

test("robust mutex: the holder's mapping is collected while it holds the lock, then it is SIGKILLed", async (t) => {
  // glibc links held robust mutexes through the mutexes, and the kernel walks that list through
  // the dying process's mappings: an unmapped one would hide the death (docs/shm.md).
  const { fd, buffer } = shm.create('ndshare-test', 4096);
  for (let run = 0; run < 3; run++) {
    sync.mutexInit(buffer, 64);
    const holder = runChild('hold-mutex-dropped', 'fd:3', [64], [fd]);
    t.deepEqual(await holder.next(), { locked: 0, deferred: 1 }, `run ${run}: the child holds the mutex; its collected mapping waits to be unmapped`);
    holder.proc.kill('SIGKILL');
    await holder.exited;
    t.equal(sync.mutexLock(buffer, 64, 10_000), 1, 'the death is reported: EOWNERDEAD');
    sync.mutexConsistent(buffer, 64);
    sync.mutexUnlock(buffer, 64);
  }
  shm.close(fd);
});

test('mutex lock/unlock cost (uncontended)', (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 4096);
  sync.mutexInit(buffer, 0);
  const n = 1e6;
  for (let k = 0; k < 1e5; k++) {
    sync.mutexLock(buffer, 0, -1);
    sync.mutexUnlock(buffer, 0);
  }
  const t0 = nowNs();
  for (let k = 0; k < n; k++) {
    sync.mutexLock(buffer, 0, Infinity);
    sync.mutexUnlock(buffer, 0);
  }
  const pair = (nowNs() - t0) / n;
  t.comment(`lock + unlock: ${pair.toFixed(0)} ns per pair (${(pair / 2).toFixed(0)} ns per call, JS -> native included)`);
  t.equal(sync.mutexTryLock(buffer, 0), 0, 'still consistent afterwards');
  sync.mutexUnlock(buffer, 0);
  shm.close(fd);
  t.end();
});

// ---- hole punching ---------------------------------------------------------------------

test('punchHole gives memory back: 64 MiB written, middle 32 MiB punched', (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 64 * MiB);
  t.ok(shm.residentBytes(fd) < MiB, `sparse when created (${shm.residentBytes(fd)} bytes)`);
  const u32 = new Uint32Array(buffer);
  for (let k = 0; k < u32.length; k++) u32[k] = k ^ 0x9e3779b9;
  const before = shm.residentBytes(fd);
  t.ok(before >= 64 * MiB && before <= 65 * MiB, `resident ${(before / MiB).toFixed(2)} MiB after writing 64 MiB`);
  shm.punchHole(fd, 16 * MiB, 32 * MiB);
  const after = shm.residentBytes(fd);
  const dropped = before - after;
  t.ok(dropped >= 32 * MiB - 64 * 1024 && dropped <= 32 * MiB, `dropped ${(dropped / MiB).toFixed(2)} MiB`);
  let zeros = true;
  for (let k = (16 * MiB) / 4; k < (48 * MiB) / 4; k++) if (u32[k] !== 0) zeros = false;
  t.ok(zeros, 'the punched range reads as zeros');
  // tmpfs allocates a page on a read fault through a shared mapping, even over a hole.
  t.comment(`reading the 32 MiB hole through the mapping re-allocated ${((shm.residentBytes(fd) - after) / MiB).toFixed(2)} MiB`);
  shm.punchHole(fd, 16 * MiB, 32 * MiB);
  t.equal(shm.residentBytes(fd), after, 'punched again');
  let intact = true;
  for (let k = 0; k < (16 * MiB) / 4; k++) if (u32[k] !== (k ^ 0x9e3779b9) >>> 0) intact = false;
  for (let k = (48 * MiB) / 4; k < u32.length; k++) if (u32[k] !== (k ^ 0x9e3779b9) >>> 0) intact = false;
  t.ok(intact, 'the rest is intact');

  // Rounded inward: only whole pages inside the range are punched.
  const page = shm.pageSize;
  const u8 = new Uint8Array(buffer);
  u8.fill(0xab, 0, 8 * page);
  shm.punchHole(fd, page + 1, 3 * page); // [page+1, 4*page+1) -> pages 2 and 3
  t.equal(u8[2 * page - 1], 0xab, 'partial head page kept');
  t.ok(
    u8.subarray(2 * page, 4 * page).every((b) => b === 0),
    'whole pages inside punched',
  );
  t.equal(u8[4 * page], 0xab, 'partial tail page kept');
  const r0 = shm.residentBytes(fd);
  shm.punchHole(fd, 100, 100);
  shm.punchHole(fd, 5 * page + 1, page - 2);
  t.equal(shm.residentBytes(fd), r0, 'no whole page inside: no-op');
  t.equal(u8[100], 0xab, 'and nothing zeroed');
  shm.punchHole(fd, 0, 64 * MiB);
  t.ok(shm.residentBytes(fd) < MiB, 'punching everything frees everything');
  u32[0] = 1;
  t.equal(u32[0], 1, 'still writable afterwards');
  shm.close(fd);
  t.end();
});

// ---- leaks and lifetime -------------------------------------------------------------------

test('a child holding a segment is killed: nothing in /dev/shm, our fds back to baseline', async (t) => {
  const shmBefore = devShm();
  const fdsBefore = fdCount();
  const child = runChild('create-hang', '-', [4 * MiB]);
  const { pid, fd } = (await child.next()) as { pid: number; fd: number };
  t.deepEqual(devShm(), shmBefore, 'a live memfd leaves no /dev/shm entry');
  const seg = shm.open(`/proc/${pid}/fd/${fd}`);
  const i32 = new Int32Array(seg.buffer);
  t.equal(i32[1023], 3 * 1023, "we read the child's segment");
  child.proc.kill('SIGKILL');
  t.equal((await child.exited).signal, 'SIGKILL', 'child SIGKILLed');
  t.equal(i32[1023], 3 * 1023, 'our mapping keeps the memory after its creator died');
  i32[0] = 42;
  t.equal(i32[0], 42, 'and stays writable');
  t.deepEqual(devShm(), shmBefore, 'no new /dev/shm entry after kill -9');
  shm.close(seg.fd);
  // The child's pipes are closed once it has exited and its stdout ended.
  await sleep(50);
  t.equal(fdCount(), fdsBefore, `fd count back to ${fdsBefore}`);
});

test('fds: create/open/map/close balance; close twice is a coded EBADF', (t) => {
  const before = fdCount();
  const made = Array.from({ length: 5 }, () => shm.create('ndshare-test', 8192));
  const opened = made.map((s) => shm.open(`/proc/self/fd/${s.fd}`));
  t.equal(fdCount(), before + 10, '10 fds open');
  const mapped = shm.map(opened[0]!.fd);
  t.equal(mapped.fd, opened[0]!.fd, "map keeps the caller's fd");
  new Int32Array(made[0]!.buffer)[5] = 55;
  t.equal(new Int32Array(mapped.buffer)[5], 55, 'two mappings in one process share memory');
  for (const s of [...made, ...opened]) shm.close(s.fd);
  t.equal(fdCount(), before, 'back to baseline');
  try {
    shm.close(made[0]!.fd);
    t.fail('second close did not throw');
  } catch (e) {
    const err = e as NdshareError & { errno?: number; syscall?: string };
    t.ok(err instanceof NdshareError && err.code === 'ERR_NDSHARE_NATIVE', `${err.code}: ${err.message}`);
    t.equal(err.errno, 9, 'errno EBADF');
    t.equal(err.syscall, 'close', 'syscall close');
  }
  t.end();
});

test('mappings are released by GC, not by close', async (t) => {
  const mapsWith = (name: string): number =>
    readFileSync('/proc/self/maps', 'utf8')
      .split('\n')
      .filter((l) => l.includes(`/memfd:${name}`)).length;
  (() => {
    const { fd, buffer } = shm.create('ndshare-gc-probe', 4 * MiB);
    new Uint8Array(buffer)[0] = 1;
    shm.close(fd);
    t.equal(mapsWith('ndshare-gc-probe'), 1, 'mapped after close while the buffer is referenced');
  })();
  let left = 1;
  for (let k = 0; k < 100 && left > 0; k++) {
    gc();
    await sleep(20);
    left = mapsWith('ndshare-gc-probe');
  }
  t.equal(left, 0, 'unmapped once the buffer is collected');
});

// ---- worker threads ------------------------------------------------------------------------

test('worker threads: addon loads, futex between threads, SAB outlives its creating thread', async (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 4096);
  const i32 = new Int32Array(buffer);

  // Worker blocks in futexWait; we wake it without changing the value.
  const waiter = runWorker({ mode: 'wait-sync', buffer });
  t.deepEqual(await nextMessage(waiter), { waiting: true }, 'worker about to wait');
  const result = nextMessage(waiter);
  let woken = 0;
  for (let k = 0; k < 500 && woken === 0; k++) {
    woken = sync.futexWake(buffer, 0, 1);
    if (woken === 0) await sleep(5);
  }
  t.equal(woken, 1, 'woke the worker thread');
  t.deepEqual(await result, { result: 'ok' }, 'its futexWait returned ok');
  await waiter.terminate();

  // We wait asynchronously; a worker wakes us.
  const pending = sync.futexWaitAsync(buffer, 4, 0, 10_000);
  const waker = runWorker({ mode: 'wake', buffer });
  const [r, msg] = await Promise.all([within(pending, 15_000, 'async wait'), nextMessage(waker)]);
  t.equal(r, 'ok', 'main thread woken by the worker');
  t.ok(msg.woken === 1 || msg.woken === 0, `worker's wake count ${String(msg.woken)}`);
  t.equal(Atomics.load(i32, 1), 1);
  await waker.terminate();

  // A segment created in a worker, posted here, then the worker ends.
  const creator = runWorker({ mode: 'create' });
  const { buffer: theirs } = (await nextMessage(creator)) as { buffer: SharedArrayBuffer };
  await creator.terminate();
  gc();
  await sleep(50);
  const view = new Int32Array(theirs);
  t.ok(
    view.every((v) => v === 0x5eed),
    'its mapping is alive here after the worker exited',
  );
  shm.close(fd);
});

test('worker threads: terminate with a pending futexWaitAsync; mutex owner thread exits', async (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 4096);
  const w = runWorker({ mode: 'wait-forever', buffer });
  t.deepEqual(await nextMessage(w), { waiting: true });
  // A waiter of ours on the same word must not be disturbed by the cancellation.
  const ours = sync.futexWaitAsync(buffer, 8, 0, 400);
  await sleep(50);
  const t0 = nowNs();
  await within(w.terminate(), 5000, 'terminate');
  t.ok(true, `worker terminated in ${((nowNs() - t0) / 1e6).toFixed(1)} ms with a wait pending`);
  const r = await ours;
  if (hasFutexWaitv) t.equal(r, 'timed-out', 'our waiter on that word saw no spurious wake (futex_waitv)');
  else t.ok(r === 'timed-out' || r === 'ok', `without futex_waitv a spurious wake is allowed (${r})`);

  sync.mutexInit(buffer, 64);
  const holder = runWorker({ mode: 'hold-mutex', buffer });
  t.deepEqual(await nextMessage(holder), { locked: 0 }, 'worker thread holds the mutex');
  t.equal(sync.mutexTryLock(buffer, 64), 3, 'busy for the main thread');
  await holder.terminate();
  t.equal(sync.mutexLock(buffer, 64, 5000), 1, 'owner thread ended: EOWNERDEAD');
  sync.mutexConsistent(buffer, 64);
  sync.mutexUnlock(buffer, 64);

  // A thread with its own mapping (a pool's worker thread): terminate() frees the mapping before
  // the thread ends; the unmapping waits for the thread, so the kernel can report both deaths.
  sync.mutexInit(buffer, 64);
  sync.mutexInit(buffer, 128);
  const own = runWorker({ mode: 'hold-own-mapping', path: `/proc/self/fd/${fd}` });
  t.deepEqual(await nextMessage(own), { locked: [0, 0] }, 'a worker thread holds two mutexes in its own mapping');
  await own.terminate();
  t.equal(sync.mutexLock(buffer, 64, 5000), 1, 'terminated: the mutex it held mid-work reports EOWNERDEAD');
  t.equal(sync.mutexTryLock(buffer, 128), 1, 'and the one it held for life');
  for (const at of [64, 128]) {
    sync.mutexConsistent(buffer, at);
    sync.mutexUnlock(buffer, at);
  }
  let left = sync.deferredUnmaps();
  for (let k = 0; k < 50 && left > 0; k++) {
    await sleep(20);
    left = sync.deferredUnmaps();
  }
  t.equal(left, 0, 'its mapping is unmapped once the thread is gone');
  shm.close(fd);
});

// ---- validation --------------------------------------------------------------------------

test('bad arguments: coded errors, never a crash', (t) => {
  const { fd, buffer } = shm.create('ndshare-test', 4096);
  type Kind = readonly [abstract new (...args: never[]) => Error, string];
  const TYPE: Kind = [NdshareTypeError, 'ERR_NDSHARE_INVALID_ARG_TYPE'];
  const RANGE: Kind = [NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE'];
  const NATIVE: Kind = [NdshareError, 'ERR_NDSHARE_NATIVE'];
  const expect = (label: string, fn: () => unknown, [cls, code]: Kind, message?: RegExp): void => throwsCoded(t, label, fn, cls, code, message);
  const call =
    (f: (...a: never[]) => unknown, ...args: unknown[]) =>
    () =>
      (f as (...a: unknown[]) => unknown)(...args);

  // Offsets for every function that takes (sab, byteOffset).
  const badOffsets: [unknown, Kind][] = [
    [-4, RANGE],
    [-1, RANGE],
    [1, RANGE],
    [2, RANGE],
    [4096, RANGE],
    [4092 + 4, RANGE],
    [1e300, RANGE],
    [NaN, RANGE],
    [Infinity, RANGE],
    [0.5, RANGE],
    ['0', TYPE],
    [null, TYPE],
    [undefined, TYPE],
    [{}, TYPE],
    [0n, TYPE],
  ];
  const sabFns: [string, (off: unknown) => unknown][] = [
    ['futexWait', (o) => call(sync.futexWait, buffer, o, 0, 0)()],
    ['futexWaitAsync', (o) => call(sync.futexWaitAsync, buffer, o, 0, 0)()],
    ['futexWake', (o) => call(sync.futexWake, buffer, o, 1)()],
    ['mutexInit', (o) => call(sync.mutexInit, buffer, o)()],
    ['mutexLock', (o) => call(sync.mutexLock, buffer, o, 0)()],
    ['mutexTryLock', (o) => call(sync.mutexTryLock, buffer, o)()],
    ['mutexConsistent', (o) => call(sync.mutexConsistent, buffer, o)()],
    ['mutexUnlock', (o) => call(sync.mutexUnlock, buffer, o)()],
  ];
  for (const [name, f] of sabFns) {
    for (const [off, kind] of badOffsets) expect(`${name} offset ${String(off)}`, () => f(off), kind);
  }
  // Mutex-specific: 4-aligned but not 8, and a mutex that would run past the end.
  expect('mutexInit offset 4 (not 8-aligned)', () => sync.mutexInit(buffer, 4), RANGE);
  expect('mutexInit at the end', () => sync.mutexInit(buffer, 4096 - 8), RANGE);
  expect('futexWait at the last word is fine, past it is not', () => sync.futexWait(buffer, 4096, 0, 0), RANGE);
  t.equal(sync.futexWait(buffer, 4092, 0, 0), 'timed-out', 'the last word works');

  // Buffers that are not SharedArrayBuffers.
  const notSab: unknown[] = [new ArrayBuffer(64), new Int32Array(new SharedArrayBuffer(64)), Buffer.alloc(64), null, undefined, 3, 'sab', {}];
  for (const b of notSab) {
    expect(`futexWait sab ${String(b)}`, call(sync.futexWait, b, 0, 0, 0), TYPE);
    expect(`futexWake sab ${String(b)}`, call(sync.futexWake, b, 0, 1), TYPE);
    expect(`mutexLock sab ${String(b)}`, call(sync.mutexLock, b, 0, 0), TYPE);
    expect(`futexWaitAsync sab ${String(b)}`, call(sync.futexWaitAsync, b, 0, 0, 0), TYPE);
  }
  expect('empty SharedArrayBuffer', call(sync.futexWait, new SharedArrayBuffer(0), 0, 0, 0), RANGE);
  t.equal(sync.futexWait(new SharedArrayBuffer(8), 4, 0, 0), 'timed-out', 'a plain SharedArrayBuffer works too');

  // Other numeric arguments.
  for (const [v, kind] of [
    [1.5, RANGE],
    [2 ** 32, RANGE],
    [-(2 ** 31) - 1, RANGE],
    [NaN, RANGE],
    ['0', TYPE],
  ] as [unknown, Kind][]) {
    expect(`futexWait expected ${String(v)}`, call(sync.futexWait, buffer, 0, v, 0), kind);
  }
  for (const [v, kind] of [
    [-2, RANGE],
    [-Infinity, RANGE],
    [NaN, RANGE],
    ['10', TYPE],
    [null, TYPE],
  ] as [unknown, Kind][]) {
    expect(`futexWait timeout ${String(v)}`, call(sync.futexWait, buffer, 0, 0, v), kind);
    expect(`mutexLock timeout ${String(v)}`, call(sync.mutexLock, buffer, 0, v), kind);
  }
  for (const [v, kind] of [
    [-1, RANGE],
    [1.5, RANGE],
    [NaN, RANGE],
    ['1', TYPE],
  ] as [unknown, Kind][]) {
    expect(`futexWake count ${String(v)}`, call(sync.futexWake, buffer, 0, v), kind);
  }

  // Segments: sizes, names, fds, paths.
  for (const [v, kind] of [
    [0, RANGE],
    [-1, RANGE],
    [1.5, RANGE],
    [2 ** 46 + 1, RANGE],
    [NaN, RANGE],
    ['4096', TYPE],
    [null, TYPE],
  ] as [unknown, Kind][]) {
    expect(`create capacity ${String(v)}`, call(shm.create, 'x', v), kind);
  }
  for (const [v, kind] of [
    ['', RANGE],
    ['x'.repeat(250), RANGE],
    ['a\0b', RANGE],
    [42, TYPE],
    [null, TYPE],
  ] as [unknown, Kind][]) {
    expect(`create name ${String(v).slice(0, 10)}`, call(shm.create, v, 4096), kind);
  }
  for (const f of ['map', 'close', 'residentBytes'] as const) {
    for (const [v, kind] of [
      [-1, RANGE],
      [1.5, RANGE],
      [2 ** 31, RANGE],
      [NaN, RANGE],
      ['3', TYPE],
      [null, TYPE],
    ] as [unknown, Kind][]) {
      expect(`${f} fd ${String(v)}`, call(shm[f], v), kind);
    }
    expect(`${f} fd 99999 (not open)`, call(shm[f], 99999), NATIVE, /EBADF|Bad file/);
  }
  for (const std of [0, 1, 2]) expect(`close(${std}) refused`, call(shm.close, std), RANGE);
  expect('punchHole bad fd', call(shm.punchHole, 99999, 0, 4096), NATIVE);
  for (const [off, len, kind] of [
    [-1, 10, RANGE],
    [0, 4097, RANGE],
    [4096, 1, RANGE],
    [4000, 200, RANGE],
    [NaN, 1, RANGE],
    [0, '1', TYPE],
  ] as [unknown, unknown, Kind][]) {
    expect(`punchHole(${String(off)}, ${String(len)})`, call(shm.punchHole, fd, off, len), kind);
  }
  const nul = openSync('/dev/null', 'r+');
  expect('map of /dev/null (size 0)', call(shm.map, nul), RANGE, /empty/);
  closeSync(nul);
  for (const [p, kind] of [
    ['/nonexistent/x', NATIVE],
    ['/proc/self/fd/99999', NATIVE],
    ['/tmp', NATIVE],
    ['/dev/null', RANGE],
    ['', RANGE],
    [7, TYPE],
  ] as [unknown, Kind][]) {
    expect(`open(${String(p)})`, call(shm.open, p), kind);
  }
  try {
    shm.open('/nonexistent/x');
  } catch (e) {
    const err = e as { errno?: number; syscall?: string };
    t.equal(err.errno, 2, 'ENOENT carries errno 2');
    t.equal(err.syscall, 'open', 'and syscall open');
  }
  shm.close(fd);
  t.end();
});

// ---- the TS wrapper --------------------------------------------------------------------------

test('Segment: create, handle/attach, fromFd, close idempotent, dispose', async (t) => {
  const before = fdCount();
  const seg = Segment.create(1 * MiB, { name: 'ndshare-seg' });
  t.equal(seg.byteLength, MiB);
  t.equal(seg.name, 'ndshare-seg');
  seg.punchHole(0, MiB);
  t.ok(seg.residentBytes() < 64 * 1024, 'punchHole/residentBytes through the wrapper');
  const other = Segment.attach(seg.handle);
  new Int32Array(other.buffer)[3] = 33;
  t.equal(new Int32Array(seg.buffer)[3], 33, 'attached through /proc/self/fd');
  t.equal(JSON.parse(JSON.stringify(seg.handle)).fd, seg.fd, 'the handle is plain JSON');
  throwsCoded(t, 'attach with the wrong size', () => Segment.attach({ ...seg.handle, byteLength: 4096 }), NdshareError, 'ERR_NDSHARE_NOT_FOUND');
  throwsCoded(t, 'attach with the wrong name', () => Segment.attach({ ...seg.handle, name: 'other' }), NdshareError, 'ERR_NDSHARE_NOT_FOUND');
  throwsCoded(t, 'attach to a closed fd', () => Segment.attach({ ...seg.handle, fd: 99999 }), NdshareError, 'ERR_NDSHARE_NOT_FOUND');
  throwsCoded(t, 'attach bad pid', () => Segment.attach({ ...seg.handle, pid: 0 }), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE');
  throwsCoded(t, 'create bad capacity', () => Segment.create(0), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE');
  throwsCoded(t, 'create bad name', () => Segment.create(4096, { name: '' }), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE');
  throwsCoded(t, 'punchHole out of range', () => seg.punchHole(MiB, 1), NdshareRangeError, 'ERR_NDSHARE_INVALID_ARG_VALUE');
  other.close();
  other.close();
  t.ok(other.closed, 'close is idempotent');
  throwsCoded(t, 'fd after close', () => other.fd, NdshareError, 'ERR_NDSHARE_CLOSED');
  throwsCoded(t, 'handle after close', () => other.handle, NdshareError, 'ERR_NDSHARE_CLOSED');
  throwsCoded(t, 'punchHole after close', () => other.punchHole(0, 4096), NdshareError, 'ERR_NDSHARE_CLOSED');
  t.equal(new Int32Array(other.buffer)[3], 33, 'the buffer outlives close');
  {
    using tmp = Segment.fromFd(shm.open(`/proc/self/fd/${seg.fd}`).fd);
    t.equal(tmp.byteLength, MiB, 'fromFd maps the whole file');
  }
  seg[Symbol.dispose]();
  t.ok(seg.closed, 'dispose closes');
  t.equal(fdCount(), before, 'every fd closed');
});
