/**
 * Errors across the process hop: the worker serializes name, message, stack,
 * code and other own fields; the owner rebuilds an error of the same class
 * whose stack shows the worker's frames, then the caller's (captured before
 * the hop, as sharp does).
 *
 * @module
 */
import { serialize } from 'node:v8';
import { NdshareError, NdshareRangeError, NdshareTypeError, type ErrorCode } from '../errors.js';
import { AbortError } from './errors.js';

export interface SerializedError {
  name: string;
  message: string;
  stack: string | undefined;
  code: string | undefined;
  fields: Record<string, unknown>;
}

/** An Error from any realm (errors thrown in the probe context are not `instanceof Error` here). */
function isErrorLike(e: unknown): e is Error {
  return e instanceof Error || (typeof e === 'object' && e !== null && typeof (e as Error).message === 'string' && typeof (e as Error).name === 'string');
}

/** What the worker sends for a thrown value. */
export function serializeError(e: unknown): SerializedError {
  if (!isErrorLike(e)) {
    return { name: 'Error', message: `A non-Error value was thrown: ${String(e)}`, stack: undefined, code: undefined, fields: {} };
  }
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e)) {
    if (k === 'code' || k === 'message' || k === 'stack' || k === 'name') continue;
    if (typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' || v === null) fields[k] = v;
  }
  const code = (e as { code?: unknown }).code;
  return { name: e.name, message: e.message, stack: e.stack, code: typeof code === 'string' ? code : undefined, fields };
}

/** The owner's error for a serialized one; `callerStack` comes from `new Error()` before the hop. */
export function rebuildError(s: SerializedError, callerStack: string | undefined): Error {
  let err: Error;
  const ndshare = s.code?.startsWith('ERR_NDSHARE_');
  if (ndshare && s.name === 'AbortError') err = new AbortError(s.message);
  else if (ndshare && (s.name === 'NdshareTypeError' || s.name === 'TypeError')) err = new NdshareTypeError(s.message, { code: s.code as ErrorCode });
  else if (ndshare && (s.name === 'NdshareRangeError' || s.name === 'RangeError')) err = new NdshareRangeError(s.message, { code: s.code as ErrorCode });
  else if (ndshare) err = new NdshareError(s.message, { code: s.code as ErrorCode });
  else if (s.name === 'TypeError') err = new TypeError(s.message);
  else if (s.name === 'RangeError') err = new RangeError(s.message);
  else if (s.name === 'SyntaxError') err = new SyntaxError(s.message);
  else if (s.name === 'ReferenceError') err = new ReferenceError(s.message);
  else {
    err = new Error(s.message);
    if (s.name !== 'Error') Object.defineProperty(err, 'name', { value: s.name, configurable: true, writable: true });
  }
  if (s.code !== undefined && !ndshare) Object.defineProperty(err, 'code', { value: s.code, enumerable: true, configurable: true, writable: true });
  Object.assign(err, s.fields);
  // The pool's own frames (captureStack, the scheduler, Pool methods) say nothing to the caller.
  const callerFrames = callerStack
    ?.split('\n')
    .slice(1)
    .filter((l) => !/[\\/]pool[\\/](scheduler|pool|default)\.[jt]s:/.test(l))
    .join('\n');
  err.stack = `${s.stack ?? `${s.name}: ${s.message}`}\n    --- in the worker; called from ---\n${callerFrames ?? ''}`;
  return err;
}

function cut(text: string, max: number, bytes: number): string {
  if (text.length <= max) return text;
  return `${text.slice(0, max)}… [truncated by the pool: the error was ${bytes} bytes serialized, more than a worker's mailbox holds]`;
}

/**
 * `s`, shortened until it serializes to at most `maxBytes`: an error too
 * large for the mailbox (a huge message, stack or field) would otherwise be
 * lost with its worker. Message, stack and string fields are cut, with a note.
 */
export function fitError(s: SerializedError, maxBytes: number): SerializedError {
  const bytes = serialize(s).length;
  if (bytes <= maxBytes) return s;
  // Strings may be two bytes a character: a quarter of the mailbox for the message, as much for the stack.
  const quarter = Math.floor(maxBytes / 8);
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(s.fields)) fields[k] = typeof v === 'string' ? cut(v, 256, bytes) : v;
  const fitted: SerializedError = {
    name: cut(s.name, 256, bytes),
    message: cut(s.message, quarter, bytes),
    stack: s.stack === undefined ? undefined : cut(s.stack, quarter, bytes),
    code: s.code === undefined ? undefined : cut(s.code, 256, bytes),
    fields,
  };
  if (serialize(fitted).length <= maxBytes) return fitted;
  return { ...fitted, stack: undefined, fields: { truncatedFields: Object.keys(s.fields).length } };
}
