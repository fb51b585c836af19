/**
 * Which store object each array views, and whether it still holds its pin:
 * the pins arrays hold, given back by release() or, as a backstop, when the
 * array is collected; and the stores' own lifetimes (closed by close() or,
 * as a backstop, when collected).
 *
 * @module
 */
import { native } from '../binding.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { Arena } from './arena.js';

export interface Tracked {
  slot: number;
  generation: number;
  pinned: boolean;
  /** The Store (one client) whose pin it is. */
  store: object;
  /** Gives the pin back (the store's, when the array is collected while still pinned). */
  release: (t: Tracked) => void;
  /** Data bytes reported to V8 as external memory while pinned. */
  bytes: number;
}

/** This thread's arrays that hold pins (what a GC could give back). */
let liveTracked = 0;

/** How many arrays of this thread hold pins now. */
export function trackedCount(): number {
  return liveTracked;
}

/** The pin is given back (by the caller): stop the finalizer and the external-memory count. */
export function untrack(t: Tracked): void {
  t.pinned = false;
  finalizer.unregister(t);
  liveTracked--;
  if (t.bytes > 0) native.shm.adjustExternalMemory(-t.bytes);
}

/** Which store object each root NDArray views, and whether it still holds its pin. */
export const tracked = new WeakMap<NDArray, Tracked>();

/** Backstop: an array dropped without release() gives its pin back when collected. */
const finalizer = new FinalizationRegistry<Tracked>((t) => {
  if (t.pinned) t.release(t);
});

/**
 * Records that `x` holds a pin on the object. Its bytes count as this
 * thread's external memory while it does (as a Buffer's would), so V8's GC
 * feels the pressure of dropped results and collects them: their finalizer
 * then gives the pin back (see docs/store.md, Lifetimes).
 */
export function track(x: NDArray, t: Omit<Tracked, 'pinned'>): void {
  const r: Tracked = { ...t, pinned: true };
  tracked.set(x, r);
  finalizer.register(x, r, r);
  liveTracked++;
  if (r.bytes > 0) native.shm.adjustExternalMemory(r.bytes);
}

/**
 * Asks V8 for a full GC by reporting a short burst of external memory (no
 * --expose-gc needed), then yields to the event loop until the finalizers of
 * what it collected ran (they run as tasks after the GC).
 */
export async function collectDropped(): Promise<void> {
  const burst = 2 ** 40;
  native.shm.adjustExternalMemory(burst);
  native.shm.adjustExternalMemory(-burst);
  for (let k = 0; k < 3; k++) await new Promise((r) => setTimeout(r, k));
}

/**
 * Arenas whose client still holds its liveness mutex. glibc links held robust
 * mutexes through the mutexes themselves, so a segment unmapped (collected)
 * while one is held makes the thread's next robust lock write into unmapped
 * memory. A store's arena therefore stays strongly referenced until close().
 */
export const liveArenas = new Set<Arena>();

/** Backstop: a Store dropped without close() is closed when collected (on its own thread). */
export const storeFinalizer = new FinalizationRegistry<{ arena: Arena; client: number }>(({ arena, client }) => {
  retire(arena, client);
});

/** Releases a client's pins, deletes its unsealed objects, frees its slot and closes its fd. */
export function retire(arena: Arena, client: number): void {
  if (!liveArenas.delete(arena)) return;
  try {
    arena.lock(client);
    try {
      arena.retireClient(client, true);
    } finally {
      arena.unlock();
    }
  } finally {
    native.shm.close(arena.fd);
  }
}
