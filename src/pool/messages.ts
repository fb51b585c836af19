/**
 * What travels through a worker's mailbox: tasks from the owner, results and
 * errors back, v8-serialized. NDArrays inside a message travel as references
 * to the store ({@link ArrayRef}), never as bytes.
 *
 * @module
 */
import { deserialize, serialize } from 'node:v8';
import { codes, NdshareError, NdshareTypeError } from '../errors.js';
import { MAILBOX_BYTES } from './protocol.js';
import { REF_KEY } from './symbols.js';

/** The built-in reductions of `pool.reduce`. */
export type ReduceOp = 'sum' | 'prod' | 'min' | 'max' | 'mean';

/** A slice of a stored array: where to find it and which view of it. */
export interface ArrayRef {
  id: string;
  dtype: string;
  shape: number[];
  strides: number[];
  offset: number;
}

/** A function shipped as source. */
export interface FnRef {
  source: string;
  /** The argument it came in (for messages): 'fn', 'kernel', 'op.combine', … */
  name: string;
  /** The function's own name, if it has one (for stack frames). */
  fnName?: string;
}

/** Messages from the owner to a worker. */
export type Task =
  | { kind: 'noop' }
  | {
      /** map: chunks of elements; mapChunks: chunks of leading-axis rows. */
      kind: 'map' | 'mapChunks';
      job: string;
      inputs: ArrayRef[];
      /** The broadcast shape of the inputs (mapChunks' output may have another shape, with the same rows). */
      shape: number[];
      out: ArrayRef;
      fn: FnRef;
      /** The caller's args, NDArrays replaced by references (see {@link encodeRefs}). */
      args: unknown;
      chunkSize: number;
      chunks: number;
    }
  | {
      kind: 'reduce';
      job: string;
      input: ArrayRef;
      op: ReduceOp | { map?: FnRef; combine: FnRef; init: number };
      axis: number | null;
      out: ArrayRef | null;
      args: unknown;
      chunkSize: number;
      chunks: number;
      accumulator: 'float' | 'bigint';
    }
  | { kind: 'run'; module: string; exportName: string; args: unknown[] }
  | { kind: 'call'; fn: FnRef; args: unknown[] };

/** Marker of an NDArray passed by reference inside a message. */
export interface RefMarker {
  [REF_KEY]: ArrayRef;
}

export function isRefMarker(v: unknown): v is RefMarker {
  return typeof v === 'object' && v !== null && REF_KEY in v;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype;
}

/**
 * `v` with every value for which `refOf` answers (an NDArray) replaced by a
 * reference marker, through plain objects and arrays; `path` names the
 * argument in errors (`args.C`, `args[1].w`).
 */
export function encodeRefs(v: unknown, path: string, refOf: (x: unknown, path: string) => ArrayRef | undefined): unknown {
  const r = refOf(v, path);
  if (r !== undefined) return { [REF_KEY]: r };
  if (Array.isArray(v)) return v.map((e, i) => encodeRefs(e, `${path}[${i}]`, refOf));
  if (isPlainObject(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) o[k] = encodeRefs(e, `${path}.${k}`, refOf);
    return o;
  }
  return v;
}

/** The inverse of {@link encodeRefs}: markers become what `open` makes of them (NDArray views). */
export function decodeRefs(v: unknown, open: (r: ArrayRef) => unknown): unknown {
  if (isRefMarker(v)) return open(v[REF_KEY]);
  if (Array.isArray(v)) return v.map((e) => decodeRefs(e, open));
  if (isPlainObject(v)) {
    const o: Record<string, unknown> = {};
    for (const [k, e] of Object.entries(v)) o[k] = decodeRefs(e, open);
    return o;
  }
  return v;
}

/** True if a message holds no reference (then decoding can be skipped). */
export function hasRefs(v: unknown): boolean {
  if (isRefMarker(v)) return true;
  if (Array.isArray(v)) return v.some(hasRefs);
  if (isPlainObject(v)) return Object.values(v).some(hasRefs);
  return false;
}

/**
 * Serializes `value` into `bytes` at `offset`; returns its length.
 * @throws {NdshareError} ERR_NDSHARE_UNSUPPORTED when it does not fit the mailbox.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE when it cannot be serialized (a function, a symbol).
 */
export function writeMessage(bytes: Uint8Array, offset: number, value: unknown, what: string): number {
  let buf: Buffer;
  try {
    buf = serialize(value);
  } catch (e) {
    // v8's DataCloneError is an uncoded Error naming neither the argument nor the rule.
    throw new NdshareTypeError(
      `Expected values that can be structured-cloned in the ${what} (args, run arguments and results: no functions or symbols) ` +
        `but serializing it failed: ${(e as Error).message}`,
    );
  }
  if (buf.length > MAILBOX_BYTES) {
    throw new NdshareError(
      codes.UNSUPPORTED,
      `The ${what} serializes to ${buf.length} bytes, more than a pool mailbox holds (${MAILBOX_BYTES}): ` +
        'pass large arrays as NDArrays (they travel as store references), not as plain data',
    );
  }
  bytes.set(buf, offset);
  return buf.length;
}

/** Reads a message written by {@link writeMessage}. */
export function readMessage<T>(bytes: Uint8Array, offset: number, length: number): T {
  // deserialize needs its own copy when the source is shared memory another process writes.
  return deserialize(Buffer.from(bytes.subarray(offset, offset + length))) as T;
}
