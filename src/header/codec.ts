/**
 * The array header: encode to and decode from FlatBuffers bytes.
 *
 * This is the only module that touches the flatc output in `./generated/`
 * (imported under `_`-prefixed names so it never mixes with the domain types);
 * everything else in ndshare sees the plain {@link ArrayHeader} object.
 *
 * Headers are read from shared memory that other processes wrote, so
 * {@link readHeader} trusts nothing. The FlatBuffers JS runtime has no
 * verifier and does not bounds-check (a lying offset makes it read whatever
 * lies there, or `undefined` past the end), so the structure is verified here
 * first, the way flatc's C++ `Verifier` would, reading offsets with the same
 * signedness as the runtime so that what is checked is what gets read.
 * Numbers are taken by the verifier as it checks them (int64 to a safe
 * integer without going through BigInt, which the runtime's `readInt64`
 * allocates several of per field); strings are then read through the
 * generated accessors. Last, the layout is checked: every byte the array can
 * address must lie in its data extent, which must lie in the buffer. See
 * docs/header.md.
 *
 * @module
 */
import * as flatbuffers from 'flatbuffers';

import { ArrayHeader as _ArrayHeader, KeyValue as _KeyValue } from './generated/ndarray_generated.js';
import type { DType as _DType, Order as _Order } from './generated/ndarray_generated.js';
import { NdshareRangeError, invalidType, invalidValue } from '../errors.js';
import { dtypeInfo } from '../ndarray/dtypes.js';
import { MAX_NDIM } from '../ndarray/layout.js';
import { checkRange, DTYPE_TO_FB, HEADER_VERSION, layoutProblem, MAX_SAFE, ORDER_TO_FB, type ArrayHeader } from './rules.js';

export { HEADER_IDENTIFIER, HEADER_VERSION, MAX_NDIM, type ArrayHeader } from './rules.js';
export { readHeader } from './decode.js';

// ---------------------------------------------------------------------------
// Encoding
// ---------------------------------------------------------------------------

// One builder, reused: `new Builder()` allocates a buffer and a TextEncoder.
// Encoding is synchronous and reads all user input before touching it, so it
// cannot be re-entered mid-build.
const BUILDER_INITIAL = 512;
const BUILDER_KEEP = 64 * 1024;
let builder = new flatbuffers.Builder(BUILDER_INITIAL);

// A lone surrogate cannot be encoded as UTF-8 (TextEncoder would write U+FFFD
// and the name would not round-trip), so such strings are refused.
// String.prototype.isWellFormed (ES2024, in Node 20) is not in our `lib`.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
type MaybeWellFormed = { isWellFormed?: () => boolean };
const isWellFormed: (s: string) => boolean =
  typeof (String.prototype as MaybeWellFormed).isWellFormed === 'function'
    ? (s) => (s as unknown as Required<MaybeWellFormed>).isWellFormed()
    : (s) => !LONE_SURROGATE.test(s);

function checkString(arg: string, value: unknown): string {
  if (typeof value !== 'string') invalidType(arg, 'a string', value);
  if (!isWellFormed(value)) invalidValue(arg, 'a well-formed string (no lone surrogates)', value);
  return value;
}

// The builder's createString(string) calls TextEncoder.encode, which costs
// ~0.4 µs per short string (most of an encode); encodeInto a scratch buffer
// is 5x cheaper. createString copies the bytes at once, so reuse is safe.
const textEncoder = new TextEncoder();
const encodeScratch = new Uint8Array(1024);
function utf8Bytes(s: string): Uint8Array {
  const r = textEncoder.encodeInto(s, encodeScratch);
  return r.read === s.length ? encodeScratch.subarray(0, r.written) : textEncoder.encode(s);
}

function checkByteCount(arg: string, value: unknown, itemsize: number): number {
  if (typeof value !== 'number') invalidType(arg, 'a non-negative safe integer', value);
  if (!Number.isSafeInteger(value) || value < 0) invalidValue(arg, 'a non-negative safe integer', value);
  if (value % itemsize !== 0) invalidValue(arg, `a multiple of the itemsize (${itemsize})`, value);
  return value;
}

/** Validated, copied input: nothing is read from the caller's object after this. */
interface Checked {
  fbDtype: _DType;
  shape: number[];
  strides: number[];
  byteOffset: number;
  dataStart: number;
  byteLength: number;
  order: _Order;
  name: string | undefined;
  metadata: string[] | undefined; // [k0, v0, k1, v1, …]
}

function checkHeader(h: unknown): Checked {
  if (typeof h !== 'object' || h === null || Array.isArray(h)) invalidType('header', 'an ArrayHeader object', h);
  const o = h as Record<string, unknown>;
  const info = dtypeInfo(o.dtype, 'header.dtype');
  const itemsize = info.itemsize;

  const shapeIn = o.shape;
  if (!Array.isArray(shapeIn)) invalidType('header.shape', 'an array of non-negative safe integers', shapeIn);
  if (shapeIn.length > MAX_NDIM) invalidValue('header.shape', `at most ${MAX_NDIM} dimensions`, shapeIn);
  const ndim = shapeIn.length;
  const shape = new Array<number>(ndim);
  for (let k = 0; k < ndim; k++) {
    const n: unknown = shapeIn[k];
    if (typeof n !== 'number') invalidType(`header.shape[${k}]`, 'a non-negative safe integer', n);
    if (!Number.isSafeInteger(n) || n < 0) invalidValue(`header.shape[${k}]`, 'a non-negative safe integer', n);
    shape[k] = n + 0; // normalizes -0
  }
  const stridesIn = o.byteStrides;
  if (!Array.isArray(stridesIn)) invalidType('header.byteStrides', 'an array of safe integers (byte strides)', stridesIn);
  if (stridesIn.length !== ndim) {
    invalidValue('header.byteStrides', `${ndim} byte strides (one per axis of shape [${shape.join(', ')}])`, stridesIn);
  }
  const strides = new Array<number>(ndim);
  for (let k = 0; k < ndim; k++) {
    const s: unknown = stridesIn[k];
    if (typeof s !== 'number') invalidType(`header.byteStrides[${k}]`, 'a safe integer (bytes)', s);
    if (!Number.isSafeInteger(s)) invalidValue(`header.byteStrides[${k}]`, 'a safe integer (bytes)', s);
    if (s % itemsize !== 0) invalidValue(`header.byteStrides[${k}]`, `a multiple of the itemsize (${itemsize})`, s);
    strides[k] = s + 0; // normalizes -0
  }
  const byteOffset = checkByteCount('header.byteOffset', o.byteOffset, itemsize);
  const dataStart = checkByteCount('header.dataStart', o.dataStart, itemsize);
  const byteLength = checkByteCount('header.byteLength', o.byteLength, itemsize);
  if (dataStart + byteLength > MAX_SAFE) {
    invalidValue('header.byteLength', `a data extent ending at most at ${MAX_SAFE} (dataStart is ${dataStart})`, byteLength);
  }
  const problem = layoutProblem(itemsize, shape, strides, byteOffset, dataStart, byteLength);
  // Not invalidValue(): the problem involves several fields, and its own
  // description ("… address bytes [lo, hi), outside the data extent …") says more.
  if (problem !== undefined) throw new NdshareRangeError(`Invalid header: ${problem}`);

  const orderIn = o.order;
  if (orderIn !== 'C' && orderIn !== 'F' && orderIn !== 'A') invalidValue('header.order', "'C', 'F' or 'A'", orderIn);

  const name = o.name === undefined ? undefined : checkString('header.name', o.name);

  let metadata: string[] | undefined;
  const metaIn = o.metadata;
  if (metaIn !== undefined) {
    if (typeof metaIn !== 'object' || metaIn === null || Array.isArray(metaIn)) {
      invalidType('header.metadata', 'an object of string values', metaIn);
    }
    metadata = [];
    for (const key of Object.keys(metaIn)) {
      checkString('header.metadata key', key);
      metadata.push(key, checkString(`header.metadata[${JSON.stringify(key)}]`, (metaIn as Record<string, unknown>)[key]));
    }
  }
  return {
    fbDtype: DTYPE_TO_FB[info.name],
    shape,
    strides,
    byteOffset,
    dataStart,
    byteLength,
    order: ORDER_TO_FB[orderIn],
    name,
    metadata,
  };
}

/** Builds the header in the shared builder; returns its bytes (a view into the builder, valid until the next build). */
function build(c: Checked): Uint8Array {
  const b = builder;
  b.clear();
  // Children first: FlatBuffers builds back to front.
  let metaOff = 0;
  if (c.metadata !== undefined) {
    const m = c.metadata;
    const count = m.length / 2;
    const kvs = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      const k = b.createString(utf8Bytes(m[2 * i]!));
      const v = b.createString(utf8Bytes(m[2 * i + 1]!));
      kvs[i] = _KeyValue.createKeyValue(b, k, v);
    }
    metaOff = _ArrayHeader.createMetadataVector(b, kvs);
  }
  const nameOff = c.name === undefined ? 0 : b.createString(utf8Bytes(c.name));
  const ndim = c.shape.length;
  _ArrayHeader.startShapeVector(b, ndim);
  for (let k = ndim - 1; k >= 0; k--) b.addInt64(BigInt(c.shape[k]!));
  const shapeOff = b.endVector();
  _ArrayHeader.startStridesVector(b, ndim);
  for (let k = ndim - 1; k >= 0; k--) b.addInt64(BigInt(c.strides[k]!));
  const stridesOff = b.endVector();

  _ArrayHeader.startArrayHeader(b);
  // `version` equals its default and is therefore not stored; a reader that
  // finds no version field reads the default (1).
  _ArrayHeader.addVersion(b, HEADER_VERSION);
  _ArrayHeader.addDtype(b, c.fbDtype);
  _ArrayHeader.addShape(b, shapeOff);
  _ArrayHeader.addStrides(b, stridesOff);
  _ArrayHeader.addByteOffset(b, BigInt(c.byteOffset));
  _ArrayHeader.addDataStart(b, BigInt(c.dataStart));
  _ArrayHeader.addByteLength(b, BigInt(c.byteLength));
  _ArrayHeader.addOrder(b, c.order);
  if (nameOff !== 0) _ArrayHeader.addName(b, nameOff);
  if (metaOff !== 0) _ArrayHeader.addMetadata(b, metaOff);
  const root = _ArrayHeader.endArrayHeader(b);
  _ArrayHeader.finishArrayHeaderBuffer(b, root);
  return b.asUint8Array();
}

/** Drops a builder that grew for an unusually large header, so it does not pin that memory. */
function trimBuilder(): void {
  if (builder.dataBuffer().capacity() > BUILDER_KEEP) builder = new flatbuffers.Builder(BUILDER_INITIAL);
}

/**
 * Encodes a header into fresh bytes.
 *
 * The header is validated as {@link readHeader} would (except against a
 * buffer length, which is not known here): an encoded header always decodes.
 *
 * @param h - the header
 * @returns a new `Uint8Array` holding the FlatBuffer (identifier `NDSH`)
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if a field has the wrong type
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE if a field is out of range
 *   (negative or unsafe integers, misaligned offsets or strides, more than 64
 *   axes, elements outside the data extent, lone surrogates in strings), or
 *   ERR_NDSHARE_DTYPE for an unknown dtype
 *
 * @example
 * const bytes = encodeHeader({
 *   dtype: 'float64', shape: [2, 3], byteStrides: [24, 8],
 *   byteOffset: 0, dataStart: 0, byteLength: 48, order: 'C',
 * });
 * readHeader(bytes, 0, bytes.length, 48).shape; // [2, 3]
 */
export function encodeHeader(h: ArrayHeader): Uint8Array {
  const out = new Uint8Array(build(checkHeader(h))); // a copy: the builder is reused
  trimBuilder();
  return out;
}

/**
 * Encodes a header straight into `target[at, at + maxLength)` (e.g. into a
 * store's arena) and returns the number of bytes written. The bytes are
 * position-independent: the header may be read from wherever it was written.
 *
 * @param h - the header
 * @param target - the bytes to write into
 * @param at - where the header starts in `target`
 * @param maxLength - the room available from `at`
 * @returns the header's length in bytes (pass it to {@link readHeader})
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if an argument or field has the wrong type
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE if a field is invalid (see
 *   {@link encodeHeader}), if `[at, at + maxLength)` is not inside `target`, or if the
 *   header needs more than `maxLength` bytes (nothing is written then)
 *
 * @example
 * const n = writeHeader(h, arenaBytes, 128, 256);
 * readHeader(arenaBytes, 128, n, arenaBytes.byteLength);
 */
export function writeHeader(h: ArrayHeader, target: Uint8Array, at: number, maxLength: number): number {
  if (!(target instanceof Uint8Array)) invalidType('target', 'a Uint8Array', target);
  checkRange(target, at, 'at', maxLength, 'maxLength');
  const bytes = build(checkHeader(h));
  const n = bytes.length;
  if (n > maxLength) {
    trimBuilder();
    invalidValue('maxLength', `at least ${n} bytes (the size of this header)`, maxLength);
  }
  target.set(bytes, at);
  trimBuilder();
  return n;
}
