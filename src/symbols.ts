/**
 * ndshare's internal symbols, in one place. None is part of the public API;
 * each is named for the internal protocol it keys. This module imports
 * nothing.
 *
 * @module
 * @internal
 */

/**
 * Store method, for pool workers: seals an array allocated for a caller (a
 * `run` result) as the caller's: unless it is named, it is freed when its last
 * pin goes, so a result the caller releases or drops gives its memory back.
 */
export const kSealResult = Symbol('ndshare.sealResult');

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
