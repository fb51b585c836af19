/**
 * What travels through a worker's mailbox: tasks from the owner, results and
 * errors back, v8-serialized. NDArrays inside a message travel as references
 * to the store ({@link ArrayRef}), never as bytes.
 *
 * @module
 */
import { deserialize, serialize } from 'node:v8';
import { codes, NdshareError, NdshareTypeError } from '../errors.js';
import type { InlineArray, InlineOut } from './inline.js';
import { MAILBOX_BYTES } from './protocol.js';

/** The built-in reductions of `pool.reduce`. */
export type ReduceOp = 'sum' | 'prod' | 'min' | 'max' | 'mean';

/** Property naming an NDArray passed by reference in a message (a string: messages may be JSON or v8-serialized, symbols are neither). */
export const REF_KEY = '__ndshareRef';

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
      /** Store references, or the bytes of small inputs (inline.ts). */
      inputs: (ArrayRef | InlineArray)[];
      /** The broadcast shape of the inputs (mapChunks' output may have another shape, with the same rows). */
      shape: number[];
      /** A store array, or a small output the worker makes and sends back in its result (`{chunks, out}`, base64). */
      out: ArrayRef | InlineOut;
      fn: FnRef;
      /** The caller's args, NDArrays replaced by references (see {@link encodeRefs}); absent if undefined. */
      args?: unknown;
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
      args?: unknown;
      chunkSize: number;
      chunks: number;
      accumulator: 'float' | 'bigint';
    }
  | { kind: 'run'; module: string; exportName: string; args: unknown[] }
  | { kind: 'call'; fn: FnRef; args: unknown[] };

/** Marker of an NDArray passed inside a message: by reference, or (small ones, map and mapChunks) by value. */
export interface RefMarker {
  [REF_KEY]: ArrayRef | InlineArray;
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
export function encodeRefs(v: unknown, path: string, refOf: (x: unknown, path: string) => ArrayRef | InlineArray | undefined): unknown {
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
export function decodeRefs(v: unknown, open: (r: ArrayRef | InlineArray) => unknown): unknown {
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

// ---- map and mapChunks tasks on the wire ----------------------------------------------

/** An ArrayRef, an InlineArray or an InlineOut as an array: told apart by length (5, 3, 2). */
type PackedArray =
  | [id: string, dtype: string, shape: number[], strides: number[], offset: number]
  | [inline: string, dtype: string, shape: number[]]
  | [dtype: string, shape: number[]];

function packArray(a: ArrayRef | InlineArray | InlineOut): PackedArray {
  if ('id' in a) return [a.id, a.dtype, a.shape, a.strides, a.offset];
  if ('inline' in a) return [a.inline, a.dtype, a.shape];
  return [a.dtype, a.shape];
}

function unpackArray(p: PackedArray): ArrayRef | InlineArray | InlineOut {
  if (p.length === 5) return { id: p[0], dtype: p[1], shape: p[2], strides: p[3], offset: p[4] };
  if (p.length === 3) return { inline: p[0], dtype: p[1], shape: p[2] };
  return { dtype: p[0], shape: p[1] };
}

/**
 * A task as it goes into the mailbox: map and mapChunks tasks as arrays of
 * their fields in a fixed order (`JSON.parse` and `JSON.stringify` of arrays
 * take about half the time of the same objects', and these are the tasks a
 * small job pays on every call); other tasks as they are.
 */
export function packTask(task: Task): unknown {
  if (task.kind !== 'map' && task.kind !== 'mapChunks') return task;
  const fn = task.fn.fnName === undefined ? [task.fn.source, task.fn.name] : [task.fn.source, task.fn.name, task.fn.fnName];
  const packed: unknown[] = [task.kind, task.job, task.inputs.map(packArray), task.shape, packArray(task.out), fn, task.chunkSize, task.chunks];
  if ('args' in task) packed.push(task.args);
  return packed;
}

/** The inverse of {@link packTask}. */
export function unpackTask(msg: unknown): Task {
  if (!Array.isArray(msg)) return msg as Task;
  const [kind, job, inputs, shape, out, fn, chunkSize, chunks] = msg as [
    'map' | 'mapChunks',
    string,
    PackedArray[],
    number[],
    PackedArray,
    [string, string, string?],
    number,
    number,
  ];
  const task: Task = {
    kind,
    job,
    inputs: inputs.map(unpackArray) as (ArrayRef | InlineArray)[],
    shape,
    out: unpackArray(out) as ArrayRef | InlineOut,
    fn: fn.length === 3 ? { source: fn[0], name: fn[1], fnName: fn[2]! } : { source: fn[0], name: fn[1] },
    chunkSize,
    chunks,
  };
  if (msg.length > 8) task.args = msg[8];
  return task;
}

/** First byte of a message: how the rest is encoded. (A zero-length message is `undefined`.) */
const TAG_JSON = 1;
const TAG_V8 = 2;
/** Past this many values, a message goes through v8's serializer without further checking. */
const JSON_NODES = 256;

/**
 * True if `JSON.parse(JSON.stringify(v))` gives back an equal value: finite
 * numbers other than -0, strings, booleans, null, and plain objects and dense
 * arrays of those, small enough to check quickly. Tasks and results are
 * mostly such (references, chunk counts, small args); JSON costs a fraction
 * of v8's serializer for them.
 */
function jsonSafe(v: unknown, budget: { n: number }): boolean {
  if (--budget.n < 0) return false;
  switch (typeof v) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(v) && !Object.is(v, -0);
    case 'object': {
      if (v === null) return true;
      if (Array.isArray(v)) {
        for (let i = 0; i < v.length; i++) if (!(i in v) || !jsonSafe(v[i], budget)) return false;
        return true;
      }
      if (Object.getPrototypeOf(v) !== Object.prototype) return false;
      for (const k in v) if (!jsonSafe((v as Record<string, unknown>)[k], budget)) return false;
      return true;
    }
    default:
      return false;
  }
}

/** A Buffer over the same memory as `bytes` (cached: one per control object). */
const buffers = new WeakMap<Uint8Array, Buffer>();
function bufferOf(bytes: Uint8Array): Buffer {
  let b = buffers.get(bytes);
  if (!b) {
    b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    buffers.set(bytes, b);
  }
  return b;
}

function tooLarge(what: string, length: number): NdshareError {
  return new NdshareError(
    `The ${what} serializes to ${length} bytes, more than a pool mailbox holds (${MAILBOX_BYTES}): ` +
      'pass large arrays as NDArrays (they travel as store references), not as plain data',
    { code: codes.UNSUPPORTED },
  );
}

/**
 * Serializes `value` into `bytes` at `offset` (a mailbox of MAILBOX_BYTES);
 * returns its length. JSON when that round-trips (the common case, and the
 * cheap one), else v8's structured-clone serializer.
 * @throws {NdshareError} ERR_NDSHARE_UNSUPPORTED when it does not fit the mailbox.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE when it cannot be serialized (a function, a symbol).
 */
export function writeMessage(bytes: Uint8Array, offset: number, value: unknown, what: string): number {
  if (value === undefined) return 0;
  const buf = bufferOf(bytes);
  if (jsonSafe(value, { n: JSON_NODES })) {
    const json = JSON.stringify(value);
    // At most 3 bytes per UTF-16 unit: only a long message needs its exact length first.
    if (json.length * 3 + 1 > MAILBOX_BYTES) {
      const n = Buffer.byteLength(json) + 1;
      if (n > MAILBOX_BYTES) throw tooLarge(what, n);
    }
    buf[offset] = TAG_JSON;
    return 1 + buf.write(json, offset + 1, 'utf8');
  }
  let data: Buffer;
  try {
    data = serialize(value);
  } catch (e) {
    // v8's DataCloneError is an uncoded Error naming neither the argument nor the rule.
    throw new NdshareTypeError(
      `Expected values that can be structured-cloned in the ${what} (args, run arguments and results: no functions or symbols) ` +
        `but serializing it failed: ${(e as Error).message}`,
    );
  }
  if (data.length + 1 > MAILBOX_BYTES) throw tooLarge(what, data.length + 1);
  buf[offset] = TAG_V8;
  buf.set(data, offset + 1);
  return data.length + 1;
}

/** Reads a message written by {@link writeMessage}. */
export function readMessage<T>(bytes: Uint8Array, offset: number, length: number): T {
  if (length === 0) return undefined as T;
  const buf = bufferOf(bytes);
  if (buf[offset] === TAG_JSON) return JSON.parse(buf.toString('utf8', offset + 1, offset + length)) as T;
  // deserialize needs its own copy when the source is shared memory another process writes.
  return deserialize(Buffer.from(bytes.subarray(offset + 1, offset + length))) as T;
}
