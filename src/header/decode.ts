/**
 * The array header's decoder: verifies FlatBuffers bytes that another
 * process may have written (trusting nothing) and returns an
 * {@link ArrayHeader} (see codec.ts for the design, docs/header.md).
 *
 * @module
 */
import * as flatbuffers from 'flatbuffers';

import { ArrayHeader as _ArrayHeader, KeyValue as _KeyValue } from './generated/ndarray_generated.js';
import { NdshareError, codes, invalidType, invalidValue } from '../errors.js';
import { MAX_NDIM } from '../ndarray/layout.js';
import { checkRange, FB_ITEMSIZE, FB_TO_DTYPE, FB_TO_ORDER, HEADER_IDENTIFIER, HEADER_VERSION, layoutProblem, MAX_SAFE, type ArrayHeader } from './rules.js';

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
