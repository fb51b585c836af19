/**
 * Keys shared by the owner and the workers (a leaf module: imports nothing).
 *
 * @module
 */

/** Property naming an NDArray passed by reference in a message (a string: messages are v8-serialized, symbols are not). */
export const REF_KEY = '__ndshareRef';

/** Registered symbol under which a worker keeps its {@link WorkerContext} on globalThis. */
export const kWorkerContext = Symbol.for('ndshare.workerContext');
