/**
 * What waits for a worker: single tasks (run, call) and jobs (map, mapChunks,
 * reduce). A job stays at the head of the queue while chunks remain, so idle
 * workers keep joining it; each worker that joins runs a participation.
 *
 * @module
 */
import type { Task } from './messages.js';

/** A map/mapChunks/reduce job: the workers claim its chunks from a counters object. */
export interface Job {
  /** The job's counters (JOB_WORD) as int32 words. */
  i32: Int32Array;
  chunks: number;
  /** Participations dispatched and not yet finished. */
  outstanding: number;
  /** Participations dispatched so far. */
  participants: number;
  /** At most this many workers join (1 for a one-chunk job without a counters object). */
  maxParticipants: number;
  /** The first error of a participation (the job rejects with it). */
  error?: Error;
  /** The last participation's result message (a one-chunk job's inline output rides in it). */
  result?: unknown;
  settled: boolean;
  /** Settles the job's promise with `result`. */
  resolve: (result: unknown) => void;
  reject: (e: Error) => void;
}

/** A unit of work for one worker: a task, or one participation in a job. */
export interface Work {
  task: Task;
  /** The caller's stack before the hop (see captureStack). */
  callerStack: Error;
  /** Set for a job participation (then resolve/reject are unused: the job settles). */
  job?: Job;
  settled: boolean;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** FIFO of work; jobs leave it when their last chunk is claimed or they are cancelled. */
export class TaskQueue {
  #items: Work[] = [];

  get size(): number {
    return this.#items.length;
  }

  head(): Work | undefined {
    return this.#items[0];
  }

  push(w: Work): void {
    this.#items.push(w);
  }

  shift(): Work | undefined {
    return this.#items.shift();
  }

  /** Removes `w`; true if it was queued. */
  remove(w: Work): boolean {
    const i = this.#items.indexOf(w);
    if (i < 0) return false;
    this.#items.splice(i, 1);
    return true;
  }

  removeJob(job: Job): void {
    if (this.#items.some((q) => q.job === job)) this.#items = this.#items.filter((q) => q.job !== job);
  }

  hasJob(job: Job): boolean {
    return this.#items.some((q) => q.job === job);
  }

  /** Empties the queue, returning what was in it. */
  drain(): Work[] {
    return this.#items.splice(0);
  }
}
