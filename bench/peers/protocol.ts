/**
 * The control block of the `store-handoff` benchmark: a few words through
 * which the case process (the parent) hands an object id to its child
 * (`bench/peers/handoff-child.ts`) and gets the reply back, over futexes.
 *
 * The block is a sealed int32 store object of {@link CONTROL_WORDS} elements,
 * which both processes `get` (so it is pinned and never evicted) and then
 * write through its raw SharedArrayBuffer with Atomics. ndshare refuses
 * writes through a sealed view; going around that is fine for a benchmark's
 * control words, and no array data is ever written this way.
 *
 * Ordering: a side writes its payload words with plain stores, then bumps its
 * sequence word with `Atomics.store` and `futexWake`s it; the other side reads
 * the sequence word with `Atomics.load` (sequentially consistent), then the
 * payload, so the payload is always complete when the new sequence is seen.
 *
 * @module
 */

/** int32 words in the control block. */
export const CONTROL_WORDS = 16;

/** Word 0 (byte 0): request sequence. Written by the parent only; the child futex-waits on it. */
export const W_REQ_SEQ = 0;
/** Word 1 (byte 4): command of the current request ({@link Cmd}). Parent writes it before bumping W_REQ_SEQ. */
export const W_CMD = 1;
/** Word 2 (byte 8): slot of the object to read. Parent writes it before bumping W_REQ_SEQ. */
export const W_SLOT = 2;
/** Word 3 (byte 12): generation of the object to read (a uint32 stored as int32). Parent writes it. */
export const W_GEN = 3;
/** Word 4 (byte 16): reply sequence. Written by the child only (= the request it answers); the parent futex-waits on it. */
export const W_REP_SEQ = 4;
/** Word 5 (byte 20): reply status, 0 ok, 1 the child failed (its error is on its stderr). Child writes it. */
export const W_STATUS = 5;
/** Word 6 (byte 24): 1 once the child has attached and mapped the block. Child writes it once; the parent waits on it. */
export const W_READY = 6;
/** Word 7 (byte 28): unused (keeps the float64 reply 8-byte aligned). */
/** Bytes 32..39 (words 8-9): the reply, a float64 (first + last element). Child writes it before bumping W_REP_SEQ. */
export const REPLY_BYTE = 32;

/** Commands (W_CMD). */
export const Cmd = {
  /** `store.get(id)`, read the first and last element, `store.release(view)`, reply with their sum. */
  Read: 1,
  /** Reply at once, without touching the store: the floor of a cross-process round trip. */
  Echo: 2,
  /** Release, close the store and exit 0. */
  Exit: 3,
} as const;

/** How long the child sleeps in one futex wait before checking that its parent is still alive (ms). */
export const CHILD_POLL_MS = 1000;
