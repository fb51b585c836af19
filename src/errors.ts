/**
 * Errors raised by ndshare.
 *
 * Every error ndshare throws carries a permanent `code` (`ERR_NDSHARE_*`). The
 * code never changes between versions; the message may. Program against the
 * code, show the message.
 *
 * - Failures of an operation (shape mismatch, corrupt header, store full, …)
 *   are {@link NdshareError}s.
 * - Bad arguments are {@link NdshareTypeError} (wrong type) or
 *   {@link NdshareRangeError} (right type, value out of range), which extend
 *   the built-in `TypeError` / `RangeError` so that generic code that catches
 *   those keeps working; they carry a `code` too.
 *
 * @module
 */

/** The code table: one entry per failure a caller may want to tell apart. */
export const codes = {
  /** An argument has the wrong type. */
  INVALID_ARG_TYPE: 'ERR_NDSHARE_INVALID_ARG_TYPE',
  /** An argument has the right type but a value out of range. */
  INVALID_ARG_VALUE: 'ERR_NDSHARE_INVALID_ARG_VALUE',
  /** Shapes that must agree do not (reshape size, set shape, …). */
  SHAPE_MISMATCH: 'ERR_NDSHARE_SHAPE_MISMATCH',
  /** Shapes cannot be broadcast together. */
  BROADCAST: 'ERR_NDSHARE_BROADCAST',
  /** An unknown dtype or a dtype the operation does not support. */
  DTYPE: 'ERR_NDSHARE_DTYPE',
  /** An index or axis is outside the array. */
  OUT_OF_BOUNDS: 'ERR_NDSHARE_OUT_OF_BOUNDS',
  /** A write into a read-only array. */
  READ_ONLY: 'ERR_NDSHARE_READ_ONLY',
  /** The store has no room even after eviction. */
  STORE_FULL: 'ERR_NDSHARE_STORE_FULL',
  /** A name (or id) that must be new is taken. */
  EXISTS: 'ERR_NDSHARE_EXISTS',
  /** No object with that id or name. */
  NOT_FOUND: 'ERR_NDSHARE_NOT_FOUND',
  /** A wait ran out of time. */
  TIMEOUT: 'ERR_NDSHARE_TIMEOUT',
  /** Use of a closed store, pool or mapping. */
  CLOSED: 'ERR_NDSHARE_CLOSED',
  /** An array header that does not describe bytes inside its buffer. */
  CORRUPT_HEADER: 'ERR_NDSHARE_CORRUPT_HEADER',
  /** A malformed file (.npy, safetensors, …). */
  CORRUPT_FILE: 'ERR_NDSHARE_CORRUPT_FILE',
  /** A worker died while running a task. */
  WORKER_EXITED: 'ERR_NDSHARE_WORKER_EXITED',
  /** An operation was cancelled through an AbortSignal. */
  ABORTED: 'ERR_NDSHARE_ABORTED',
  /** The native addon failed (a system call, for instance). */
  NATIVE: 'ERR_NDSHARE_NATIVE',
  /** The operation is valid but not supported (yet) for these inputs. */
  UNSUPPORTED: 'ERR_NDSHARE_UNSUPPORTED',
  /** A linear-algebra routine failed on valid input (singular matrix, no convergence, …). */
  LINALG: 'ERR_NDSHARE_LINALG',
  /** A store no process holds any more (by name), or a handle whose process has exited or closed it. */
  STORE_GONE: 'ERR_NDSHARE_STORE_GONE',
  /** The per-user runtime folder of named stores is unusable (not ours, not private, not a folder). */
  RUNTIME_DIR: 'ERR_NDSHARE_RUNTIME_DIR',
} as const;

/** One of the values of {@link codes}. */
export type ErrorCode = (typeof codes)[keyof typeof codes];

/** Anything ndshare throws has this shape. */
export interface CodedError extends Error {
  readonly code: ErrorCode;
}

/** Extra fields an error may carry (stats of a full store, errno of a syscall, …). */
export type ErrorDetails = Record<string, unknown>;

/**
 * The options of {@link NdshareError}: like `Error`'s (`cause`), plus the
 * permanent `code` and any extra fields to attach (`stats`, `errno`, …).
 */
export interface NdshareErrorOptions extends ErrorDetails {
  code: ErrorCode;
  cause?: unknown;
}

/** The options of {@link NdshareTypeError} and {@link NdshareRangeError}. */
export interface ArgumentErrorOptions {
  /** Defaults to `INVALID_ARG_TYPE` (type errors) or `INVALID_ARG_VALUE` (range errors). */
  code?: ErrorCode;
  cause?: unknown;
}

/**
 * The base class of ndshare's operational errors.
 *
 * Constructed like `Error`: `new NdshareError(message, { code, cause, ...details })`.
 *
 * @example
 * try { x.reshape([7]); } catch (e) {
 *   if (e instanceof NdshareError && e.code === 'ERR_NDSHARE_SHAPE_MISMATCH') …
 * }
 * throw new NdshareError('Store full', { code: codes.STORE_FULL, stats });
 */
export class NdshareError extends Error implements CodedError {
  readonly code: ErrorCode;
  /**
   * @param options `code` (required), `cause` (the standard `Error.cause`) and
   *   extra fields to attach to the error (`stats`, `errno`, `syscall`, …).
   */
  constructor(message: string, options: NdshareErrorOptions) {
    if (typeof options?.code !== 'string') {
      throw new TypeError(`NdshareError(message, options): options.code must be an ndshare error code, received ${describe(options?.code)}`);
    }
    const { code, cause, ...rest } = options;
    super(message, cause === undefined ? undefined : { cause });
    Object.assign(this, rest);
    this.code = code;
  }
  override get name(): string {
    return 'NdshareError';
  }

  /**
   * `e instanceof NdshareError` holds for every error ndshare throws, the
   * argument errors (which extend TypeError/RangeError) included, and across
   * two loaded copies of the package: it checks for an ndshare code.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (this !== NdshareError) return Function.prototype[Symbol.hasInstance].call(this, value);
    const code = (value as { code?: unknown } | null)?.code;
    return value instanceof Error && typeof code === 'string' && code.startsWith('ERR_NDSHARE_');
  }
}

/** A bad argument type. `code` is `ERR_NDSHARE_INVALID_ARG_TYPE` unless stated otherwise. */
export class NdshareTypeError extends TypeError implements CodedError {
  readonly code: ErrorCode;
  constructor(message: string, options?: ArgumentErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = options?.code ?? codes.INVALID_ARG_TYPE;
  }
  override get name(): string {
    return 'NdshareTypeError';
  }
}

/** A bad argument value. `code` is `ERR_NDSHARE_INVALID_ARG_VALUE` unless stated otherwise. */
export class NdshareRangeError extends RangeError implements CodedError {
  readonly code: ErrorCode;
  constructor(message: string, options?: ArgumentErrorOptions) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = options?.code ?? codes.INVALID_ARG_VALUE;
  }
  override get name(): string {
    return 'NdshareRangeError';
  }
}

/** True for any error thrown by ndshare (operational or argument). */
export function isNdshareError(e: unknown): e is CodedError {
  return e instanceof NdshareError;
}

/** Renders a received value for a message: short, typed, never throws. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  switch (typeof value) {
    case 'string': {
      const s = value.length > 40 ? `${value.slice(0, 37)}...` : value;
      return `'${s}' (string)`;
    }
    case 'number':
    case 'boolean':
      return `${String(value)} (${typeof value})`;
    case 'bigint':
      return `${value}n (bigint)`;
    case 'symbol':
      return `${String(value)} (symbol)`;
    case 'function':
      return `function ${(value as { name?: string }).name || '<anonymous>'}`;
  }
  if (Array.isArray(value)) {
    const head = value.slice(0, 6).map((v) => (typeof v === 'object' && v !== null ? '…' : String(v)));
    return `[${head.join(', ')}${value.length > 6 ? ', …' : ''}] (array of length ${value.length})`;
  }
  const ctor = (value as { constructor?: { name?: string } }).constructor?.name;
  return `an instance of ${ctor || 'Object'}`;
}

/** Throws a coded TypeError: "Expected <expected> for <arg> but received <value>". */
export function invalidType(arg: string, expected: string, value: unknown): never {
  throw new NdshareTypeError(`Expected ${expected} for ${arg} but received ${describe(value)}`);
}

/** Throws a coded RangeError: "Expected <expected> for <arg> but received <value>". */
export function invalidValue(arg: string, expected: string, value: unknown, code: ErrorCode = codes.INVALID_ARG_VALUE): never {
  throw new NdshareRangeError(`Expected ${expected} for ${arg} but received ${describe(value)}`, { code });
}
