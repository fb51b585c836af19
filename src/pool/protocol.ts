/**
 * The pool's control path: one control object in the store (an unsealed
 * uint8 array the pool's owner allocates and its workers open for writing),
 * holding a few words and a mailbox per worker. Tasks and results are
 * v8-serialized into the mailbox (messages.ts); a sequence word per direction
 * is bumped and futex-woken. No IPC message is on the hot path.
 *
 * ```
 * words [0, 16)             pool words (POOL_WORD)
 * per worker w, 16 words:   WORKER_WORD: TASK_SEQ DONE_SEQ TASK_BYTES RESULT_BYTES STATUS BUSY PID
 * mailboxes                 MAILBOX_BYTES per worker, from mailboxOffset(slots, 0)
 * ```
 *
 * A job (map, mapChunks, reduce) has its own counters object (JOB_WORD).
 *
 * @module
 */

/** Words of the whole pool, at the start of the control object. */
export const POOL_WORD = {
  /** i32: 1 once the pool is closing; written by the owner, read by workers between waits. */
  stop: 0,
} as const;

/** Words of one worker, within its WORKER_WORDS-word block (see {@link wordOf}). */
export const WORKER_WORD = {
  /** i32 futex word: bumped by the owner after writing a task; workers wait on it. */
  taskSeq: 0,
  /** i32 futex word: bumped by the worker after writing the result; the owner waits on it. */
  doneSeq: 1,
  /** i32 bytes of the task in the mailbox. Owner. */
  taskBytes: 2,
  /** i32 bytes of the result in the mailbox. Worker. */
  resultBytes: 3,
  /** i32 0 = result, 1 = serialized error. Worker. */
  status: 4,
  /** i32 1 while the worker runs a task. Worker. */
  busy: 5,
  /** i32 the worker's pid (process) or thread id. Worker, at start. */
  pid: 6,
} as const;

export const WORKER_WORDS = 16;
export const POOL_WORDS = 16;
/** Bytes of one worker's mailbox: the largest task or result payload. */
export const MAILBOX_BYTES = 256 * 1024;

/** Byte offset of worker `w`'s mailbox in the control object. */
export function mailboxOffset(slots: number, w: number): number {
  const words = POOL_WORDS + slots * WORKER_WORDS;
  return Math.ceil((words * 4) / 64) * 64 + w * MAILBOX_BYTES;
}

/** Total bytes of a control object for `slots` workers. */
export function controlBytes(slots: number): number {
  return mailboxOffset(slots, slots);
}

/** Word index of worker `w`'s field `f` (a {@link WORKER_WORD} value). */
export function wordOf(w: number, f: number): number {
  return POOL_WORDS + w * WORKER_WORDS + f;
}

/** Words of a job's counters object (an unsealed uint8 object per map/mapChunks/reduce job). */
export const JOB_WORD = {
  /** i32 next chunk to claim (Atomics.add by workers). */
  next: 0,
  /** i32 chunks finished; the worker that finishes the last one wakes the owner. */
  done: 1,
  /** i32 1 = stop claiming chunks (abort, timeout, an error elsewhere). */
  cancel: 2,
  /** i32 1 once the final combine of a custom reduction is written. */
  combined: 3,
} as const;

/** Byte offset, in a job's counters, of the float64/bigint partials: one per chunk, then one for the final value. */
export const JOB_PARTIALS_OFFSET = 64;

/** Bytes of the counters object of a job of `chunks` chunks. */
export function jobBytes(chunks: number): number {
  return JOB_PARTIALS_OFFSET + 8 * (chunks + 1);
}
