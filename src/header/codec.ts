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

import { ArrayHeader as _ArrayHeader, DType as _DType, KeyValue as _KeyValue, Order as _Order } from './generated/ndarray_generated.js';
import { NdshareError, NdshareRangeError, codes, invalidType, invalidValue } from '../errors.js';
import { dtypeInfo, type DType } from '../ndarray/dtypes.js';
import { MAX_NDIM } from '../ndarray/layout.js';

/** A decoded (or to-be-encoded) array header. All positions are in bytes. */
export interface ArrayHeader {
  /** Element type. */
  dtype: DType;
  /** Elements per axis (`[]` for a 0-d array). */
  shape: number[];
  /** BYTE step per axis; may be negative (reversed) or zero (broadcast). */
  byteStrides: number[];
  /** Byte position of element `[0, 0, …]` in the buffer the header refers to. */
  byteOffset: number;
  /** Start of the data extent (bytes, in the buffer). */
  dataStart: number;
  /** Length of the data extent (bytes). Every addressed byte is in `[dataStart, dataStart + byteLength)`. */
  byteLength: number;
  /** Memory order hint: 'C' (row-major), 'F' (column-major), 'A' (neither / no preference). */
  order: 'C' | 'F' | 'A';
  /** Optional name. */
  name?: string;
  /** Optional string metadata. */
  metadata?: Record<string, string>;
}

/** The most axes a header may describe (NumPy 2's NPY_MAXDIMS), shared with the NDArray layout. */
export { MAX_NDIM };

/** The header format version this module writes and reads (schema field `version`). */
export const HEADER_VERSION = 1;

/** The FlatBuffers file identifier of an array header (bytes 4..8). */
export const HEADER_IDENTIFIER = 'NDSH';

// Both directions of the dtype mapping are written out so that adding a dtype
// to dtypes.ts without adding it to the schema fails to compile here.
const DTYPE_TO_FB: Readonly<Record<DType, _DType>> = {
  bool: _DType.bool,
  int8: _DType.int8,
  uint8: _DType.uint8,
  int16: _DType.int16,
  uint16: _DType.uint16,
  int32: _DType.int32,
  uint32: _DType.uint32,
  int64: _DType.int64,
  uint64: _DType.uint64,
  float16: _DType.float16,
  bfloat16: _DType.bfloat16,
  float32: _DType.float32,
  float64: _DType.float64,
};
const FB_TO_DTYPE: readonly (DType | undefined)[] = (() => {
  const out: (DType | undefined)[] = [];
  for (const name of Object.keys(DTYPE_TO_FB) as DType[]) out[DTYPE_TO_FB[name]] = name;
  return out;
})();
/** Bytes per element, indexed by the schema's dtype value. */
const FB_ITEMSIZE: readonly number[] = FB_TO_DTYPE.map((d) => (d === undefined ? 0 : dtypeInfo(d).itemsize));

const ORDER_TO_FB: Readonly<Record<ArrayHeader['order'], _Order>> = { C: _Order.C, F: _Order.F, A: _Order.A };
const FB_TO_ORDER: readonly (ArrayHeader['order'] | undefined)[] = (() => {
  const out: (ArrayHeader['order'] | undefined)[] = [];
  for (const o of Object.keys(ORDER_TO_FB) as ArrayHeader['order'][]) out[ORDER_TO_FB[o]] = o;
  return out;
})();

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

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

function checkRange(bytes: Uint8Array, at: unknown, atArg: string, length: unknown, lengthArg: string): void {
  if (typeof at !== 'number') invalidType(atArg, 'a non-negative safe integer', at);
  if (!Number.isSafeInteger(at) || at < 0) invalidValue(atArg, 'a non-negative safe integer', at);
  if (typeof length !== 'number') invalidType(lengthArg, 'a non-negative safe integer', length);
  if (!Number.isSafeInteger(length) || length < 0) invalidValue(lengthArg, 'a non-negative safe integer', length);
  if (at + length > bytes.length) {
    invalidValue(lengthArg, `a range inside the ${bytes.length} bytes given (${atArg} is ${at})`, length);
  }
}

// ---------------------------------------------------------------------------
// Layout rules (shared by the encoder and the decoder)
// ---------------------------------------------------------------------------

/**
 * Checks that (shape, strides, byteOffset) address only elements inside
 * [dataStart, dataStart + byteLength), and alignment. Inputs are safe
 * integers, shape entries non-negative. Returns undefined if all is well,
 * else a description naming the values (built only on failure).
 */
function layoutProblem(
  itemsize: number,
  shape: readonly number[],
  strides: readonly number[],
  byteOffset: number,
  dataStart: number,
  byteLength: number,
): string | undefined {
  const ndim = shape.length;
  let size = 1;
  let empty = false;
  for (let k = 0; k < ndim; k++) {
    if (shape[k] === 0) empty = true;
    size *= shape[k]!;
  }
  // A size that is not a safe integer is only a problem if no axis is 0.
  if (!empty && size > MAX_SAFE) {
    const exact = shape.reduce((acc, n) => acc * BigInt(n), 1n);
    return `shape [${shape.join(', ')}] has ${exact} elements, more than ${MAX_SAFE}`;
  }
  if (byteOffset % itemsize !== 0) return `byteOffset ${byteOffset} is not a multiple of the itemsize ${itemsize}`;
  if (dataStart % itemsize !== 0) return `dataStart ${dataStart} is not a multiple of the itemsize ${itemsize}`;
  if (byteLength % itemsize !== 0) return `byteLength ${byteLength} is not a multiple of the itemsize ${itemsize}`;
  for (let k = 0; k < ndim; k++) {
    if (strides[k]! % itemsize !== 0) {
      return `strides[${k}] = ${strides[k]} is not a multiple of the itemsize ${itemsize} (strides [${strides.join(', ')}])`;
    }
  }
  if (empty) return undefined; // addresses nothing
  // Lowest and highest addressed byte. Sums of doubles: once a partial sum
  // passes 2^53 it is inexact, but rounding is monotonic and the bounds it is
  // compared with are below 2^53, so an out-of-range layout can never round
  // back into range.
  let neg = 0;
  let pos = 0;
  for (let k = 0; k < ndim; k++) {
    const n = shape[k]!;
    const s = strides[k]!;
    if (n > 1) {
      if (s > 0) pos += s * (n - 1);
      else if (s < 0) neg -= s * (n - 1);
    }
  }
  const lo = byteOffset - neg;
  const hi = byteOffset + pos + itemsize;
  const end = dataStart + byteLength;
  if (lo < dataStart || hi > end) {
    return (
      `shape [${shape.join(', ')}], strides [${strides.join(', ')}] and byteOffset ${byteOffset} ` +
      `address bytes [${lo}, ${hi}), outside the data extent [${dataStart}, ${end})`
    );
  }
  return undefined;
}

// ---------------------------------------------------------------------------
// Decoding
// ---------------------------------------------------------------------------

// vtable slots (4 + 2 * field id, in schema order) of the fields read below.
// They must agree with schema/ndarray.fbs; the generated accessors use the
// same numbers (e.g. `__offset(this.bb_pos, 8)` for shape).
const AH_VERSION = 4;
const AH_DTYPE = 6;
const AH_SHAPE = 8;
const AH_STRIDES = 10;
const AH_BYTE_OFFSET = 12;
const AH_DATA_START = 14;
const AH_BYTE_LENGTH = 16;
const AH_ORDER = 18;
const AH_NAME = 20;
const AH_METADATA = 22;
const KV_KEY = 4;
const KV_VALUE = 6;

const ID0 = HEADER_IDENTIFIER.charCodeAt(0);
const ID1 = HEADER_IDENTIFIER.charCodeAt(1);
const ID2 = HEADER_IDENTIFIER.charCodeAt(2);
const ID3 = HEADER_IDENTIFIER.charCodeAt(3);

// Verifier scratch state. Module-level so that a decode allocates nothing but
// its result; decoding is synchronous, so there is no interleaving.
let vAt = 0; // header start (absolute)
let vEnd = 0; // header end (absolute, exclusive)
let tVt = 0; // vtable of the current table (absolute)
let tVtSize = 0; // its size in bytes
let tSize = 0; // inline size of the current table

// One ByteBuffer per byte array: constructing one allocates a TextDecoder,
// which costs more than a whole decode. Weak, so a dropped arena is not pinned.
const byteBuffers = new WeakMap<Uint8Array, flatbuffers.ByteBuffer>();
const rootTable = new _ArrayHeader();
const kvTable = new _KeyValue();

function corrupt(what: string): never {
  throw new NdshareError(`Corrupt array header: ${what}`, { code: codes.CORRUPT_HEADER });
}

function i32(b: Uint8Array, p: number): number {
  return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
}
/** Signed, as the runtime's `readInt16` (vtable entries are read that way). */
function i16(b: Uint8Array, p: number): number {
  return ((b[p]! | (b[p + 1]! << 8)) << 16) >> 16;
}

/**
 * Names a part of the header in a message: `what` is a constant such as
 * 'metadata[].key' and `i` fills the brackets, so that the hot path passes
 * constants and builds no strings.
 */
function label(what: string, i: number): string {
  return i < 0 ? what : what.replace('[]', `[${i}]`);
}

/** Checks the table at absolute `pos` and its vtable; sets tVt/tVtSize/tSize. */
function enterTable(b: Uint8Array, pos: number, what: string, i = -1): void {
  if (pos < vAt || pos + 4 > vEnd) corrupt(`${label(what, i)} at ${pos - vAt} lies outside the ${vEnd - vAt}-byte header`);
  const vt = pos - i32(b, pos); // soffset: signed, as the runtime reads it
  if (vt < vAt || vt + 4 > vEnd) {
    corrupt(`vtable of ${label(what, i)} at ${vt - vAt} lies outside the ${vEnd - vAt}-byte header`);
  }
  const vs = i16(b, vt);
  if (vs < 4 || (vs & 1) !== 0 || vt + vs > vEnd) {
    corrupt(`vtable of ${label(what, i)} has size ${vs}, which is invalid or runs past the ${vEnd - vAt}-byte header`);
  }
  const ts = b[vt + 2]! | (b[vt + 3]! << 8);
  if (ts < 4 || pos + ts > vEnd) {
    corrupt(`${label(what, i)} has inline size ${ts}, which is invalid or runs past the ${vEnd - vAt}-byte header`);
  }
  tVt = vt;
  tVtSize = vs;
  tSize = ts;
}

/** Absolute position of a field of the current table (0 if absent), checked to lie inside the table. */
function field(b: Uint8Array, pos: number, slot: number, size: number, what: string, i = -1): number {
  if (slot >= tVtSize) return 0;
  const off = i16(b, tVt + slot);
  if (off === 0) return 0;
  if (off < 4 || off + size > tSize) {
    corrupt(`field ${label(what, i)} at offset ${off} lies outside its ${tSize}-byte table`);
  }
  return pos + off;
}

/**
 * Follows the uoffset stored at `fpos`; checks that its target and the 4
 * bytes there (a length word or a table's soffset) lie in the header.
 */
function follow(b: Uint8Array, fpos: number, what: string, i = -1): number {
  const u = i32(b, fpos); // signed, as the runtime reads it; a valid one is > 0
  if (u <= 0 || fpos + u + 4 > vEnd) {
    corrupt(`${label(what, i)} offset ${u} (at ${fpos - vAt}) points outside the ${vEnd - vAt}-byte header`);
  }
  return fpos + u;
}

/**
 * Follows the uoffset stored at `fpos` to a vector (or string) of elements of
 * `elemSize` bytes; checks all of it lies in the header and returns the
 * absolute position of its length word. The element count is returned
 * through `vLen`.
 */
let vLen = 0;
function vector(b: Uint8Array, fpos: number, elemSize: number, isString: boolean, what: string, i = -1): number {
  const p = follow(b, fpos, what, i);
  const n = i32(b, p);
  const room = vEnd - p - 4 - (isString ? 1 : 0); // a string has a NUL after its bytes
  if (n < 0 || n * elemSize > room) {
    corrupt(`${label(what, i)} has length ${n >>> 0}, which runs past the ${vEnd - vAt}-byte header (it starts at ${p - vAt})`);
  }
  if (isString && b[p + 4 + n] !== 0) corrupt(`${label(what, i)} is not NUL-terminated`);
  vLen = n;
  return p;
}

const UTF8_BYTES = flatbuffers.Encoding.UTF8_BYTES;
const textDecoder = new TextDecoder(); // not fatal: bad UTF-8 becomes U+FFFD, as in the runtime

/**
 * Decodes a string's bytes. Names and metadata are mostly short ASCII, for
 * which TextDecoder's per-call cost dominates a whole decode, so that case
 * is done by hand.
 */
function utf8(bytes: string | Uint8Array | null): string {
  if (bytes === null) return '';
  if (typeof bytes === 'string') return bytes;
  const n = bytes.length;
  if (n <= 32) {
    let s = '';
    for (let i = 0; i < n; i++) {
      const c = bytes[i]!;
      if (c > 0x7f) return textDecoder.decode(bytes);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return textDecoder.decode(bytes);
}

/** Reads a signed int64 as a number if it is a safe integer; NaN if not. */
function readSafeInt64(b: Uint8Array, p: number): number {
  const lo = i32(b, p) >>> 0;
  const hi = i32(b, p + 4);
  if (hi > 0x1fffff || hi < -0x200000 || (hi === -0x200000 && lo === 0)) return NaN;
  return hi * 4294967296 + lo;
}

/** Reads an unsigned int64 as a number if it is a safe integer; NaN if not. */
function readSafeUint64(b: Uint8Array, p: number): number {
  const hi = i32(b, p + 4) >>> 0;
  if (hi > 0x1fffff) return NaN;
  return hi * 4294967296 + (i32(b, p) >>> 0);
}

/** The exact value of an int64 at p, for error messages only. */
function int64Text(b: Uint8Array, p: number, signed: boolean): string {
  const v = (BigInt(i32(b, p + 4) >>> 0) << 32n) | BigInt(i32(b, p) >>> 0);
  return String(signed ? BigInt.asIntN(64, v) : v);
}

function readCount(b: Uint8Array, fpos: number, what: string): number {
  if (fpos === 0) return 0;
  const v = readSafeUint64(b, fpos);
  if (Number.isNaN(v)) corrupt(`${what} ${int64Text(b, fpos, false)} is larger than ${MAX_SAFE}`);
  return v;
}

/**
 * Decodes and validates the header in `bytes[at, at + length)` that
 * describes data in a buffer of `bufferByteLength` bytes.
 *
 * Runs in O(ndim) (plus the length of the name and metadata, if any) and
 * trusts nothing in the header: the FlatBuffer must lie entirely inside
 * `[at, at + length)` (root offset, vtables, vectors, strings), carry the
 * identifier `NDSH` and a known version, dtype and order; there are at most 64
 * axes, shape entries are non-negative safe integers with a safe product,
 * `byteStrides` has one entry per axis, `byteOffset`, `dataStart`, `byteLength`
 * and the strides are multiples of the itemsize, the data extent
 * `[dataStart, dataStart + byteLength)` lies in `[0, bufferByteLength)`, and
 * every element the array can address (lowest to highest byte, whatever the
 * sign of the strides) lies in the extent. A zero-size array addresses
 * nothing. Fields added by newer writers are ignored.
 *
 * @param bytes - bytes holding the header (e.g. a view of the whole arena)
 * @param at - where the header starts in `bytes`
 * @param length - the header's length in bytes (as returned by {@link writeHeader})
 * @param bufferByteLength - the length of the buffer the header's positions refer to
 * @returns a fresh {@link ArrayHeader}
 * @throws {NdshareError} ERR_NDSHARE_CORRUPT_HEADER if the bytes are not a valid
 *   header for that buffer; never any other error, whatever the bytes
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if an argument has the wrong type
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE if `[at, at + length)`
 *   is not inside `bytes` or `bufferByteLength` is not a non-negative safe integer
 *
 * @example
 * const h = readHeader(arenaBytes, headerAt, headerLength, arenaBytes.byteLength);
 * const { itemsize, ctor } = dtypeInfo(h.dtype);
 * const data = new ctor(arenaBytes.buffer, h.dataStart, h.byteLength / itemsize);
 * const offset = (h.byteOffset - h.dataStart) / itemsize;   // in elements
 * const strides = h.byteStrides.map((s) => s / itemsize);        // in elements
 */
export function readHeader(bytes: Uint8Array, at: number, length: number, bufferByteLength: number): ArrayHeader {
  if (!(bytes instanceof Uint8Array)) invalidType('bytes', 'a Uint8Array', bytes);
  checkRange(bytes, at, 'at', length, 'length');
  if (typeof bufferByteLength !== 'number') invalidType('bufferByteLength', 'a non-negative safe integer', bufferByteLength);
  if (!Number.isSafeInteger(bufferByteLength) || bufferByteLength < 0) {
    invalidValue('bufferByteLength', 'a non-negative safe integer', bufferByteLength);
  }
  try {
    return decode(bytes, at, length, bufferByteLength);
  } catch (e) {
    if (e instanceof NdshareError) throw e; // only corrupt() throws those in decode()
    // Not expected once the structure is verified; but a garbage header must
    // never surface as a random TypeError/RangeError.
    throw new NdshareError(`Corrupt array header: could not be decoded (${e instanceof Error ? e.message : String(e)})`, { code: codes.CORRUPT_HEADER });
  }
}

function decode(b: Uint8Array, at: number, length: number, bufferByteLength: number): ArrayHeader {
  vAt = at;
  vEnd = at + length;
  if (length < 8) corrupt(`${length} bytes are too few (a header has at least a root offset and the identifier, 8 bytes)`);
  if (b[at + 4] !== ID0 || b[at + 5] !== ID1 || b[at + 6] !== ID2 || b[at + 7] !== ID3) {
    const id = Array.from(b.subarray(at + 4, at + 8), (x) => x.toString(16).padStart(2, '0')).join(' ');
    corrupt(`file identifier is [${id}], not '${HEADER_IDENTIFIER}' [4e 44 53 48]`);
  }
  const root = i32(b, at);
  if (root < 8) corrupt(`root offset ${root} points into the header prefix or backwards`);
  const t = at + root;
  enterTable(b, t, 'root table');

  // --- scalars and vector positions of the root table ---
  const fVersion = field(b, t, AH_VERSION, 2, 'version');
  const version = fVersion === 0 ? 1 : b[fVersion]! | (b[fVersion + 1]! << 8);
  if (version !== HEADER_VERSION) corrupt(`version ${version} is not supported (this reader knows version ${HEADER_VERSION})`);

  const fDtype = field(b, t, AH_DTYPE, 1, 'dtype');
  const dtypeCode = fDtype === 0 ? 0 : b[fDtype]!;
  const dtype = FB_TO_DTYPE[dtypeCode];
  if (dtype === undefined) corrupt(`dtype code ${dtypeCode} is unknown (known: 0..${FB_TO_DTYPE.length - 1})`);
  const itemsize = FB_ITEMSIZE[dtypeCode]!;

  const fOrder = field(b, t, AH_ORDER, 1, 'order');
  const orderCode = fOrder === 0 ? 0 : b[fOrder]!;
  const order = FB_TO_ORDER[orderCode];
  if (order === undefined) corrupt(`order code ${orderCode} is unknown (known: 0..${FB_TO_ORDER.length - 1})`);

  const byteOffset = readCount(b, field(b, t, AH_BYTE_OFFSET, 8, 'byte_offset'), 'byteOffset');
  const dataStart = readCount(b, field(b, t, AH_DATA_START, 8, 'data_start'), 'dataStart');
  const byteLength = readCount(b, field(b, t, AH_BYTE_LENGTH, 8, 'byte_length'), 'byteLength');

  const fShape = field(b, t, AH_SHAPE, 4, 'shape');
  if (fShape === 0) corrupt('required field shape is missing');
  const shapeAt = vector(b, fShape, 8, false, 'shape');
  const ndim = vLen;
  if (ndim > MAX_NDIM) corrupt(`ndim ${ndim} is more than ${MAX_NDIM}`);
  const fStrides = field(b, t, AH_STRIDES, 4, 'strides');
  if (fStrides === 0) corrupt('required field strides is missing');
  const stridesAt = vector(b, fStrides, 8, false, 'strides');
  if (vLen !== ndim) corrupt(`strides has ${vLen} entries but shape has ${ndim}`);

  const fName = field(b, t, AH_NAME, 4, 'name');
  if (fName !== 0) vector(b, fName, 1, true, 'name');
  const fMeta = field(b, t, AH_METADATA, 4, 'metadata');
  let metaAt = 0;
  let metaCount = 0;
  if (fMeta !== 0) {
    metaAt = vector(b, fMeta, 4, false, 'metadata');
    metaCount = vLen;
    for (let i = 0; i < metaCount; i++) {
      const kvAt = follow(b, metaAt + 4 + 4 * i, 'metadata[]', i);
      enterTable(b, kvAt, 'metadata[]', i);
      const fKey = field(b, kvAt, KV_KEY, 4, 'metadata[].key', i);
      if (fKey === 0) corrupt(`required field ${label('metadata[].key', i)} is missing`);
      vector(b, fKey, 1, true, 'metadata[].key', i);
      const fValue = field(b, kvAt, KV_VALUE, 4, 'metadata[].value', i);
      if (fValue !== 0) vector(b, fValue, 1, true, 'metadata[].value', i);
    }
  }

  // --- shape and strides, checked as numbers ---
  const shape = new Array<number>(ndim);
  const strides = new Array<number>(ndim);
  for (let k = 0; k < ndim; k++) {
    const p = shapeAt + 4 + 8 * k;
    const n = readSafeInt64(b, p);
    if (!(n >= 0)) corrupt(`shape[${k}] = ${int64Text(b, p, true)} is not a non-negative safe integer`);
    shape[k] = n;
    const q = stridesAt + 4 + 8 * k;
    const s = readSafeInt64(b, q);
    if (Number.isNaN(s)) corrupt(`strides[${k}] = ${int64Text(b, q, true)} is not a safe integer`);
    strides[k] = s;
  }

  if (dataStart + byteLength > bufferByteLength) {
    corrupt(`data extent [${dataStart}, ${dataStart + byteLength}) runs past the end of the ${bufferByteLength}-byte buffer`);
  }
  const problem = layoutProblem(itemsize, shape, strides, byteOffset, dataStart, byteLength);
  if (problem !== undefined) corrupt(problem);

  const h: ArrayHeader = { dtype, shape, byteStrides: strides, byteOffset, dataStart, byteLength, order };

  // --- strings, through the generated accessors (structure verified above) ---
  if (fName !== 0 || fMeta !== 0) {
    let bb = byteBuffers.get(b);
    if (bb === undefined) {
      bb = new flatbuffers.ByteBuffer(b);
      byteBuffers.set(b, bb);
    }
    const r = rootTable.__init(t, bb);
    if (fName !== 0) h.name = utf8(r.name(UTF8_BYTES));
    if (fMeta !== 0) {
      const meta: Record<string, string> = {};
      for (let i = 0; i < metaCount; i++) {
        const kv = r.metadata(i, kvTable)!;
        const key = utf8(kv.key(UTF8_BYTES));
        if (Object.prototype.hasOwnProperty.call(meta, key)) corrupt(`metadata key ${JSON.stringify(key)} appears twice`);
        const value = utf8(kv.value(UTF8_BYTES));
        // Assigning '__proto__' would set the prototype instead of adding an
        // entry; defineProperty is slow, so it is kept for that one key.
        if (key === '__proto__') {
          Object.defineProperty(meta, key, { value, enumerable: true, writable: true, configurable: true });
        } else {
          meta[key] = value;
        }
      }
      h.metadata = meta;
    }
    r.bb = null; // do not keep the last buffer reachable from module state
  }
  return h;
}
