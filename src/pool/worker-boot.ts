/**
 * What the owner tells a worker at start (an env var for processes,
 * workerData for threads). A leaf module: the runtimes and the entry share it.
 *
 * @module
 */
import type { StoreHandle } from '../store/store.js';

export interface WorkerBoot {
  handle: StoreHandle;
  /** fd of the store segment inherited at spawn (processes), or undefined (threads open /proc). */
  fd: number | undefined;
  control: string;
  slots: number;
  slot: number;
  parentPid: number;
  /** The slot's TASK_SEQ when the owner spawned this worker: a higher value is a task for it. */
  taskSeq: number;
  /** Kernel threads (matmul) this worker starts with; undefined leaves the library default (threads share one). */
  threads: number | undefined;
}
