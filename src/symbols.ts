/**
 * ndshare's internal symbols, in one place. None is part of the public API;
 * each is named for the internal protocol it keys. This module imports
 * nothing.
 *
 * @module
 * @internal
 */

/** Store method: give back the pin of a tracked view (the FinalizationRegistry backstop). */
export const kReleaseTracked = Symbol('ndshare.releaseTracked');

/**
 * Store method, for pool workers: a writable view of an unsealed object by id,
 * pinned by the caller. Pool outputs and control blocks are allocated by the
 * pool's owner and written by its workers before the owner seals them.
 */
export const kOpenForWrite = Symbol('ndshare.openForWrite');

/**
 * The global key of a pool worker's context. `Symbol.for` (the registry), so
 * that two loaded copies of ndshare in one worker see the same context.
 */
export const kWorkerContext = Symbol.for('ndshare.workerContext');
