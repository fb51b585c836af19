/**
 * The owner's side of the control path: spawns and replaces workers, hands
 * out work, waits for answers, and makes every task-facing promise settle:
 * an aborted or timed-out task or job rejects at once, its chunks stop at the
 * next claim, and a worker still inside it after the grace period is killed
 * and replaced.
 *
 * @module
 */
import { native } from '../binding.js';
import { codes, NdshareError } from '../errors.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { Store, ObjectId } from '../store/store.js';
import { abortError, timeoutError } from './errors.js';
import { mailboxOffset, JOB_WORD, POOL_WORD, WORKER_WORD, wordOf } from './protocol.js';
import { packTask, readMessage, writeMessage, type Task } from './messages.js';
import type { CancelOptions, JobOptions } from './options.js';
import { TaskQueue, type Job, type Work } from './queue.js';
import { rebuildError, type SerializedError } from './remote-error.js';
import { spawnWorker, type Backend, type ExitInfo } from './runtime/index.js';
import { WorkerHandle } from './worker-handle.js';

/**
 * The caller's stack before the hop: a few frames (a full capture costs several µs per task),
 * formatted only if the task fails.
 */
export function captureStack(above: (...args: never[]) => unknown): Error {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 6;
  const e = {} as Error;
  // Frames from `above` (the public method the caller called) outwards: the pool's own are left out.
  Error.captureStackTrace(e, above);
  Error.stackTraceLimit = limit;
  return e;
}

/** How long destroy() lets an idle worker exit by itself before killing it (see Scheduler.#killNow). */
const IDLE_EXIT_MS = 1000;

/** setTimeout fires at once for delays past 2^31 - 1 ms (Infinity too): those mean "never". */
const MAX_DELAY = 0x7fffffff;

/** The disarm of a call without signal or timeout (most calls: no closure to make); also a job participation's resolve/reject. */
const NOTHING_TO_DISARM = (): void => {};

export interface SchedulerInit {
  store: Store;
  control: NDArray;
  controlId: ObjectId;
  backend: Backend;
  slots: number;
  kernelThreads: number | undefined;
  cancelGrace: number;
  /** Turns a `run`/`call` result's references into pinned views (before the worker's next task). */
  decodeResult: (msg: unknown) => unknown;
}

export class Scheduler {
  readonly store: Store;
  readonly backend: Backend;
  readonly control: NDArray;
  readonly slotCount: number;
  readonly handles: WorkerHandle[] = [];
  readonly queue = new TaskQueue();
  readonly #init: SchedulerInit;
  readonly #words: Int32Array;
  readonly #bytes: Uint8Array;
  readonly #sab: SharedArrayBuffer;
  /** Workers running something. */
  #busy = 0;
  #idleWaiters: (() => void)[] = [];
  /** Set once the workers are being stopped: dead workers are no longer replaced. */
  stopping: Promise<void> | undefined;

  constructor(init: SchedulerInit) {
    this.#init = init;
    this.store = init.store;
    this.backend = init.backend;
    this.control = init.control;
    this.slotCount = init.slots;
    this.#bytes = init.control.data as Uint8Array;
    this.#words = new Int32Array(this.#bytes.buffer, this.#bytes.byteOffset, Math.floor(this.#bytes.byteLength / 4));
    this.#sab = this.#bytes.buffer as SharedArrayBuffer;
  }

  get busyCount(): number {
    return this.#busy;
  }

  #byteOf(word: number): number {
    return this.#bytes.byteOffset + word * 4;
  }

  // ---- workers ---------------------------------------------------------------------

  spawn(index: number): WorkerHandle {
    const w = this.#words;
    const taskSeq = Atomics.load(w, wordOf(index, WORKER_WORD.taskSeq));
    const boot = {
      handle: this.store.handle,
      control: this.#init.controlId,
      slots: this.slotCount,
      slot: index,
      parentPid: process.pid,
      taskSeq,
      threads: this.#init.kernelThreads,
    };
    Atomics.store(w, wordOf(index, WORKER_WORD.busy), 0);
    const rt = spawnWorker(this.backend, boot, this.store.fd);
    const h = new WorkerHandle(index, rt, Atomics.load(w, wordOf(index, WORKER_WORD.doneSeq)));
    void rt.exited.then((info) => this.#onExit(h, info));
    return h;
  }

  #onExit(h: WorkerHandle, info: ExitInfo): void {
    h.dead = true;
    const work = h.current;
    h.current = undefined;
    // Unblock the owner's wait on this slot.
    Atomics.add(this.#words, wordOf(h.index, WORKER_WORD.doneSeq), 1);
    native.sync.futexWake(this.#sab, this.#byteOf(wordOf(h.index, WORKER_WORD.doneSeq)), Infinity);
    if (work) {
      const how = info.signal ? `signal ${info.signal}` : `exit code ${info.code}`;
      const err = new NdshareError(`Pool worker ${h.index} (${h.rt.backend} ${h.rt.id}) exited with ${how} while running a task`, {
        code: codes.WORKER_EXITED,
        exitCode: info.code,
        signal: info.signal,
      });
      this.#settle(work, err, undefined);
    }
    // Replace it in the same slot, also while close() drains the queue (else queued work would never run).
    if (this.stopping) return;
    const fresh = this.spawn(h.index);
    this.handles[h.index] = fresh;
    fresh.rt.ready.then(
      () => {
        if (this.#busy === 0) fresh.rt.unref();
        this.pump();
      },
      () => {},
    );
  }

  // ---- tasks -----------------------------------------------------------------------

  /** Queues a single task (run, call); it settles with its result, its error, an abort or a timeout. */
  submit(task: Task, options: CancelOptions, callerStack: Error): Promise<unknown> {
    if (options.signal?.aborted) return Promise.reject(abortError(options.signal));
    return new Promise((resolve, reject) => {
      const work: Work = { task, callerStack, settled: false, resolve, reject };
      const unwatch = this.#watch(options, 'task', (e) => this.#cancelWork(work, e));
      work.resolve = (v) => {
        unwatch();
        resolve(v);
      };
      work.reject = (e) => {
        unwatch();
        reject(e);
      };
      this.queue.push(work);
      this.pump();
    });
  }

  /**
   * Runs a job (map, mapChunks, reduce) to completion with progress, abort and
   * timeout. Without `counters` (a one-chunk job), one worker runs chunk 0
   * directly: no counters object to allocate, open and free. Resolves with
   * the last participation's result message (a one-chunk map's small output, base64; else undefined).
   */
  runJob(task: Task, counters: NDArray | undefined, chunks: number, options: JobOptions, callerStack: Error): Promise<unknown> {
    if (options.signal?.aborted) return Promise.reject(abortError(options.signal, 'job'));
    const d = counters?.data as Uint8Array | undefined;
    const i32 = d ? new Int32Array(d.buffer, d.byteOffset, 16) : new Int32Array(16);
    let job!: Job;
    // Settles with the job's result (#settleJob).
    const done = new Promise<unknown>((resolve, reject) => {
      job = { i32, chunks, outstanding: 0, participants: 0, maxParticipants: d ? Infinity : 1, settled: false, resolve, reject };
    });
    const onProgress = options.onProgress;
    const report = onProgress && (() => onProgress({ done: Math.min(Atomics.load(i32, JOB_WORD.done), chunks), total: chunks }));
    const unwatch = this.#watch(options, 'job', (e) => this.#cancelJob(job, e));
    // A throwing onProgress fails the job (from a timer it would be an uncaught exception that ends the process).
    const progress = report
      ? setInterval(() => {
          try {
            report();
          } catch (e) {
            this.#cancelJob(job, e as Error);
          }
        }, 50)
      : undefined;
    // A job's participations settle the job, not themselves (see #settle).
    this.queue.push({ task, callerStack, job, settled: false, resolve: NOTHING_TO_DISARM, reject: NOTHING_TO_DISARM });
    this.pump();
    // Without progress, signal or timeout there is nothing to report or disarm: the job's own promise (one await less).
    if (!report && unwatch === NOTHING_TO_DISARM) return done;
    return (async () => {
      try {
        const result = await done;
        if (!d) i32[JOB_WORD.done] = chunks;
        report?.();
        return result;
      } finally {
        if (progress) clearInterval(progress);
        unwatch();
      }
    })();
  }

  /** Arms `options.signal` and `options.timeout`; returns the disarm. */
  #watch(options: CancelOptions, what: 'task' | 'job', cancel: (e: Error) => void): () => void {
    const { signal, timeout } = options;
    if (signal === undefined && (timeout === undefined || timeout > MAX_DELAY)) return NOTHING_TO_DISARM;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    if (signal) {
      onAbort = () => cancel(abortError(signal, what));
      signal.addEventListener('abort', onAbort, { once: true });
    }
    if (timeout !== undefined && timeout <= MAX_DELAY) timer = setTimeout(() => cancel(timeoutError(timeout, what)), timeout);
    return () => {
      clearTimeout(timer);
      if (onAbort) signal!.removeEventListener('abort', onAbort);
    };
  }

  /** Rejects a task now; if a worker already runs it, that worker is killed unless it finishes within the grace period. */
  #cancelWork(work: Work, e: Error): void {
    if (work.settled) return;
    const queued = this.queue.remove(work);
    this.#settle(work, e, undefined);
    if (!queued) this.#killAfterGrace((w) => w === work);
  }

  /** Rejects a job now and stops its chunks; workers still inside one after the grace period are killed. */
  #cancelJob(job: Job, e: Error): void {
    if (job.settled) return;
    Atomics.store(job.i32, JOB_WORD.cancel, 1);
    if (!job.error) job.error = e;
    this.queue.removeJob(job);
    this.#settleJob(job, e);
    if (job.outstanding > 0) this.#killAfterGrace((w) => w.job === job);
  }

  #killAfterGrace(match: (w: Work) => boolean): void {
    const timer = setTimeout(() => {
      for (const h of this.handles) h.killIf(match);
    }, this.#init.cancelGrace);
    // A busy worker keeps the loop alive (it is ref'd); the timer alone must not.
    timer.unref();
  }

  #settleJob(job: Job, error: Error | undefined): void {
    if (job.settled) return;
    job.settled = true;
    if (error) job.reject(error);
    else job.resolve(job.result);
  }

  /** Settles a task, or one participation of a job (the job settles with its last one). */
  #settle(work: Work, error: Error | undefined, result: unknown): void {
    const job = work.job;
    if (!job) {
      if (work.settled) return;
      work.settled = true;
      if (error) work.reject(error);
      else work.resolve(result);
      return;
    }
    if (error && !job.error) {
      job.error = error;
      Atomics.store(job.i32, JOB_WORD.cancel, 1);
    }
    if (!error && result !== undefined) job.result = result;
    job.outstanding--;
    // Once every chunk is claimed (or the job failed) nobody new needs to join.
    if (job.error || Atomics.load(job.i32, JOB_WORD.next) >= job.chunks || job.participants >= job.maxParticipants) this.queue.removeJob(job);
    if (job.outstanding === 0 && !this.queue.hasJob(job)) this.#settleJob(job, job.error);
  }

  // ---- dispatch --------------------------------------------------------------------

  pump(): void {
    for (const h of this.handles) {
      const head = this.queue.head();
      if (!head) break;
      if (!h.idle) continue;
      const job = head.job;
      let work: Work = head;
      if (job) {
        // A job item stays queued while chunks remain, so idle workers keep joining it.
        job.participants++;
        job.outstanding++;
        const full = job.participants >= Math.min(this.handles.length, job.maxParticipants);
        if (full || Atomics.load(job.i32, JOB_WORD.next) >= job.chunks) this.queue.shift();
        work = { task: head.task, callerStack: head.callerStack, job, settled: false, resolve: head.resolve, reject: head.reject };
      } else this.queue.shift();
      this.#dispatch(h, work);
    }
  }

  #dispatch(h: WorkerHandle, work: Work): void {
    h.busy = true;
    h.current = work;
    this.#busy++;
    h.rt.ref();
    let length: number;
    try {
      length = writeMessage(this.#bytes, mailboxOffset(this.slotCount, h.index), packTask(work.task), 'task');
    } catch (e) {
      h.busy = false;
      h.current = undefined;
      this.#busy--;
      this.#settle(work, e as Error, undefined);
      // The slot never got the task: unref it if nothing else runs, and hand it the next item.
      this.#maybeIdle();
      queueMicrotask(() => this.pump());
      return;
    }
    const w = this.#words;
    Atomics.store(w, wordOf(h.index, WORKER_WORD.taskBytes), length);
    Atomics.add(w, wordOf(h.index, WORKER_WORD.taskSeq), 1);
    native.sync.futexWake(this.#sab, this.#byteOf(wordOf(h.index, WORKER_WORD.taskSeq)), 1);
    void this.#collect(h, work);
  }

  async #collect(h: WorkerHandle, work: Work): Promise<void> {
    const words = this.#words;
    const w = wordOf(h.index, WORKER_WORD.doneSeq);
    const seen = h.seenDone;
    // A short task is often done within microseconds: spin before sleeping (adaptively, see SpinBudget).
    h.spin.spin(() => Atomics.load(words, w) !== seen);
    while (Atomics.load(words, w) === seen) await native.sync.futexWaitAsync(this.#sab, this.#byteOf(w), seen, 1000);
    h.seenDone = Atomics.load(words, w);
    this.#busy--;
    if (h.dead) {
      this.#maybeIdle(); // #onExit settled the work
      return;
    }
    h.current = undefined;
    h.busy = false;
    h.tasksDone++;
    const status = Atomics.load(words, wordOf(h.index, WORKER_WORD.status));
    const length = Atomics.load(words, wordOf(h.index, WORKER_WORD.resultBytes));
    let result: unknown;
    let error: Error | undefined;
    if (!work.settled || work.job) {
      try {
        const msg = readMessage<unknown>(this.#bytes, mailboxOffset(this.slotCount, h.index), length);
        // A run result's arrays are pinned here, before this worker gets its next task (it holds them until then).
        if (status === 0) result = work.task.kind === 'run' || work.task.kind === 'call' ? this.#init.decodeResult(msg) : msg;
        else error = rebuildError(msg as SerializedError, work.callerStack.stack);
      } catch (e) {
        error = e as Error;
      }
    }
    this.#settle(work, error, result);
    this.pump();
    this.#maybeIdle();
  }

  /** Nothing runs: let the process exit if it wants to, and wake whoever waits for idle (close). */
  #maybeIdle(): void {
    if (this.#busy > 0 || this.queue.size > 0) return;
    for (const h of this.handles) h.rt.unref();
    for (const f of this.#idleWaiters.splice(0)) f();
  }

  /** Resolves once nothing runs and nothing is queued. */
  whenIdle(): Promise<void> {
    if (this.#busy === 0 && this.queue.size === 0) return Promise.resolve();
    return new Promise((r) => this.#idleWaiters.push(r));
  }

  /** Rejects everything queued with `e`. */
  rejectQueued(e: Error): void {
    for (const w of this.queue.drain()) {
      if (w.job) {
        Atomics.store(w.job.i32, JOB_WORD.cancel, 1);
        if (!w.job.error) w.job.error = e;
        if (w.job.outstanding === 0) this.#settleJob(w.job, e);
      } else this.#settle(w, e, undefined);
    }
    this.#maybeIdle();
  }

  // ---- stop ------------------------------------------------------------------------

  /**
   * Stops the workers (SIGKILL after `graceMs`), once: a second call with
   * `graceMs` 0 kills at once and shares the first call's stop.
   */
  stop(graceMs: number): Promise<void> {
    if (graceMs === 0 && this.stopping) this.#killNow();
    this.stopping ??= this.#stopOnce(graceMs);
    return this.stopping;
  }

  /**
   * destroy(): busy workers are killed at once; idle ones were told to stop
   * (stop word, woken) and exit by themselves within moments, killed only if
   * they have not after IDLE_EXIT_MS. An idle worker stopping takes the store
   * mutex (it releases its pins and closes its store): killed there, a
   * process leaves the mutex to the kernel's robust-mutex recovery, but a
   * worker thread terminated there leaves it held (measured: the owner's
   * next lock waits 30 s; likely its own mapping of the store is gone before
   * its OS thread exits, so the kernel cannot mark the mutex owner-dead).
   */
  #killNow(): void {
    const idle: WorkerHandle[] = [];
    for (const h of this.handles) {
      if (h.busy) h.rt.kill();
      else idle.push(h);
    }
    if (idle.length === 0) return;
    const timer = setTimeout(() => idle.forEach((h) => h.rt.kill()), IDLE_EXIT_MS);
    void Promise.all(idle.map((h) => h.rt.exited)).then(() => clearTimeout(timer));
  }

  async #stopOnce(graceMs: number): Promise<void> {
    Atomics.store(this.#words, POOL_WORD.stop, 1);
    for (const h of this.handles) {
      // Whoever awaits the stop must be kept alive until the workers are gone: an idle
      // pool's workers are unref'd, and an empty event loop would end the process first.
      h.rt.ref();
      native.sync.futexWake(this.#sab, this.#byteOf(wordOf(h.index, WORKER_WORD.taskSeq)), Infinity);
    }
    const exits = Promise.all(this.handles.map((h) => h.rt.exited));
    if (graceMs > 0) {
      const timer = setTimeout(() => this.handles.forEach((h) => h.rt.kill()), graceMs);
      await exits;
      clearTimeout(timer);
    } else {
      this.#killNow();
      await exits;
    }
  }
}
