/**
 * The pool's own errors: an aborted task is an `AbortError` (as with fetch,
 * timers/promises and piscina), coded like every ndshare error.
 *
 * @module
 */
import { codes, NdshareError } from '../errors.js';

/**
 * What an aborted task or job rejects with: `name === 'AbortError'`,
 * `code === 'ERR_NDSHARE_ABORTED'`, the signal's reason as `cause`.
 * An `NdshareError`, so `instanceof NdshareError` holds.
 */
export class AbortError extends NdshareError {
  constructor(message = 'The operation was aborted', options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? { code: codes.ABORTED } : { code: codes.ABORTED, cause: options.cause });
  }

  override get name(): string {
    return 'AbortError';
  }
}

export function abortError(signal: AbortSignal, what = 'task'): AbortError {
  return new AbortError(`The ${what} was aborted`, { cause: signal.reason });
}

export function timeoutError(ms: number, what = 'task'): NdshareError {
  return new NdshareError(`The ${what} did not finish within ${ms} ms`, { code: codes.TIMEOUT, timeout: ms });
}

export function closedError(how: 'closed' | 'destroyed' = 'closed'): NdshareError {
  return new NdshareError(`The pool is ${how === 'closed' ? 'closed' : 'destroyed'}`, { code: codes.CLOSED });
}
