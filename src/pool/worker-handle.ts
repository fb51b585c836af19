/**
 * The owner's handle on one worker slot: its runtime (process or thread),
 * what it runs, and how the owner waits for its answer.
 *
 * @module
 */
import type { Work } from './queue.js';
import type { WorkerRuntime } from './runtime/index.js';
import { SpinBudget } from './spin.js';

/** How long the owner spins for a worker's answer before sleeping on the futex (ms). */
const SPIN_MS = 0.03;

export class WorkerHandle {
  /** The slot in the control object (a replacement reuses it). */
  readonly index: number;
  readonly rt: WorkerRuntime;
  busy = false;
  tasksDone = 0;
  /** The DONE_SEQ value of the last answer the owner picked up. */
  seenDone: number;
  /** What it runs now. */
  current: Work | undefined;
  /** Set once its runtime exited. */
  dead = false;
  /** How long to spin for this worker's answer before sleeping. */
  readonly spin = new SpinBudget(SPIN_MS);

  constructor(index: number, rt: WorkerRuntime, seenDone: number) {
    this.index = index;
    this.rt = rt;
    this.seenDone = seenDone;
  }

  get idle(): boolean {
    return !this.busy && !this.dead;
  }

  /** Kills it (SIGKILL or terminate) if it still runs `match`ing work; returns whether it did. */
  killIf(match: (w: Work) => boolean): boolean {
    if (this.dead || !this.current || !match(this.current)) return false;
    this.rt.kill();
    return true;
  }
}
