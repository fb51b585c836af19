/**
 * The worker entry (process or thread): attaches to the pool's store, opens
 * the control object, then loops: wait for a task (spin briefly, then sleep on
 * the futex), run it (tasks.ts), write the result, wake the owner.
 *
 * @module
 */
import { isMainThread, parentPort, threadId, workerData } from 'node:worker_threads';
import { native } from '../binding.js';
import { kOpenForWrite, Store, type ObjectId } from '../store/store.js';
import { setWorkerContext } from './context.js';
import { readMessage, unpackTask, writeMessage } from './messages.js';
import { MAILBOX_BYTES, mailboxOffset, POOL_WORD, WORKER_WORD, wordOf } from './protocol.js';
import { fitError, serializeError } from './remote-error.js';
import { SpinBudget } from './spin.js';
import { execute, releaseHandoff } from './tasks.js';
import type { WorkerBoot } from './worker-boot.js';
// The NDArray interop methods (toScijs, toStdlib) for user functions run here.
import '../interop/scijs.js';
import '../interop/stdlib.js';

export type { WorkerBoot } from './worker-boot.js';

const SPIN_MS = 0.05;
const spin = new SpinBudget(SPIN_MS);
const SLICE_MS = 100;

const boot: WorkerBoot = isMainThread ? JSON.parse(process.env.NDSHARE_WORKER ?? 'null') : (workerData as WorkerBoot);
if (!boot) throw new Error('ndshare pool worker started without NDSHARE_WORKER');

if (isMainThread) {
  // A worker process must never outlive its owner, even after kill -9 of the owner.
  native.proc.dieWithParent(9, boot.parentPid);
}
// Once, at start: a task calling nd.setThreads later keeps its own choice.
if (boot.threads !== undefined) native.math.setThreads(boot.threads);

const store = Store.attach(boot.handle, boot.fd !== undefined ? { fd: boot.fd } : {});
setWorkerContext({ store, workerIndex: boot.slot });
const control = store[kOpenForWrite](boot.control as ObjectId);
const bytes = control.data as Uint8Array;
const words = new Int32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
const sab = bytes.buffer as SharedArrayBuffer;
const word = (f: number) => wordOf(boot.slot, f);
const byteOf = (w: number) => bytes.byteOffset + w * 4;
const mailbox = mailboxOffset(boot.slots, boot.slot);
const env = { store, workerIndex: boot.slot };

/** Writes a thrown value as the result; an error too large for the mailbox is cut down, never fatal. */
function writeError(e: unknown): number {
  try {
    return writeMessage(bytes, mailbox, fitError(serializeError(e), MAILBOX_BYTES - 16), 'error');
  } catch (e2) {
    const s = {
      name: 'Error',
      message: `The task failed, and its error could not be sent: ${String((e2 as Error)?.message ?? e2)}`,
      stack: undefined,
      code: undefined,
      fields: {},
    };
    return writeMessage(bytes, mailbox, s, 'error');
  }
}

async function main(): Promise<void> {
  Atomics.store(words, word(WORKER_WORD.pid), isMainThread ? process.pid : threadId);
  // Count from the sequence the owner saw when it spawned us, not from what we read
  // now: a task written while we were starting (the owner does not wait for a
  // replacement's readiness, nor the thread for its ready message) must not be lost.
  let seen = boot.taskSeq;
  if (isMainThread) process.send?.({ ready: true });
  else parentPort?.postMessage({ ready: true });
  for (;;) {
    // Spin a moment (a task often follows a task; adaptively, see SpinBudget), then sleep on the futex in slices.
    spin.spin(() => Atomics.load(words, word(WORKER_WORD.taskSeq)) !== seen);
    while (Atomics.load(words, word(WORKER_WORD.taskSeq)) === seen) {
      if (Atomics.load(words, POOL_WORD.stop) !== 0) return shutdown();
      native.sync.futexWait(sab, byteOf(word(WORKER_WORD.taskSeq)), seen, SLICE_MS);
    }
    seen = Atomics.load(words, word(WORKER_WORD.taskSeq));
    if (Atomics.load(words, POOL_WORD.stop) !== 0) return shutdown();
    // The owner pinned the previous results before sending this task.
    releaseHandoff(store);
    Atomics.store(words, word(WORKER_WORD.busy), 1);
    let status = 0;
    let length: number;
    try {
      const task = unpackTask(readMessage(bytes, mailbox, Atomics.load(words, word(WORKER_WORD.taskBytes))));
      const result = await execute(env, task);
      length = writeMessage(bytes, mailbox, result, 'task result');
    } catch (e) {
      status = 1;
      length = writeError(e);
    }
    Atomics.store(words, word(WORKER_WORD.resultBytes), length);
    Atomics.store(words, word(WORKER_WORD.status), status);
    Atomics.store(words, word(WORKER_WORD.busy), 0);
    Atomics.add(words, word(WORKER_WORD.doneSeq), 1);
    native.sync.futexWake(sab, byteOf(word(WORKER_WORD.doneSeq)), Infinity);
  }
}

function shutdown(): void {
  store.release(control);
  store.close();
  process.exit(0);
}

main().catch((e) => {
  process.stderr.write(`ndshare pool worker ${boot.slot} failed: ${(e as Error).stack}\n`);
  process.exit(70);
});
