// The array header codec: round trips for every dtype and layout, and a
// reader that survives any bytes. readHeader reads headers other processes
// wrote into shared memory, so for corrupt input it must throw a
// CORRUPT_HEADER NdshareError (never another error) or return a header whose
// every addressed byte lies in the buffer, and it must never look at a byte
// outside [at, at + length).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Builder } from 'flatbuffers';
import test from 'tape';

import { encodeHeader, readHeader, writeHeader, MAX_NDIM, type ArrayHeader } from '../src/header/codec.js';
import { codes, NdshareError, NdshareRangeError, NdshareTypeError } from '../src/errors.js';
import { DTYPES, dtypeInfo, type DType } from '../src/ndarray/dtypes.js';
import { mulberry32, throwsCoded } from './helpers/assert.js';

// ---------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------

/** Deterministic PRNG in [0, 1), so a failure can be replayed. */
function rng(seed: number): () => number {
  const next = mulberry32(seed);
  return () => next() / 4294967296;
}

function cStrides(shape: number[], itemsize: number): number[] {
  const s = new Array<number>(shape.length);
  let acc = itemsize;
  for (let k = shape.length - 1; k >= 0; k--) {
    s[k] = acc;
    acc *= Math.max(shape[k]!, 1);
  }
  return s;
}

function fStrides(shape: number[], itemsize: number): number[] {
  const s = new Array<number>(shape.length);
  let acc = itemsize;
  for (let k = 0; k < shape.length; k++) {
    s[k] = acc;
    acc *= Math.max(shape[k]!, 1);
  }
  return s;
}

const prod = (xs: number[]): number => xs.reduce((a, b) => a * b, 1);

/**
 * Independent check that a header only addresses bytes inside its extent and
 * the extent inside the buffer: exact BigInt bounds, plus (for small arrays)
 * every element enumerated. Returns a reason, or null if the header is sound.
 */
function unsound(h: ArrayHeader, bufferByteLength: number): string | null {
  const { itemsize } = dtypeInfo(h.dtype);
  if (h.shape.length !== h.byteStrides.length) return 'ndim';
  if (h.shape.length > MAX_NDIM) return 'too many axes';
  for (const v of [h.byteOffset, h.dataStart, h.byteLength, ...h.shape]) {
    if (!Number.isSafeInteger(v) || v < 0) return `bad count ${v}`;
  }
  for (const s of h.byteStrides) if (!Number.isSafeInteger(s) || s % itemsize !== 0) return `bad stride ${s}`;
  if (h.dataStart % itemsize || h.byteOffset % itemsize || h.byteLength % itemsize) return 'misaligned';
  const start = BigInt(h.dataStart);
  const end = start + BigInt(h.byteLength);
  if (end > BigInt(bufferByteLength)) return 'extent past buffer';
  if (h.shape.includes(0)) return null;
  if (BigInt(h.shape.reduce((a, b) => a * b, 1)) > BigInt(Number.MAX_SAFE_INTEGER)) return 'size';
  let lo = BigInt(h.byteOffset);
  let hi = lo;
  h.shape.forEach((n, k) => {
    const span = BigInt(h.byteStrides[k]!) * BigInt(n - 1);
    if (span < 0n) lo += span;
    else hi += span;
  });
  if (lo < start || hi + BigInt(itemsize) > end) return `elements span [${lo}, ${hi + BigInt(itemsize)}) outside [${start}, ${end})`;
  const size = prod(h.shape);
  if (size <= 4096) {
    const idx = new Array<number>(h.shape.length).fill(0);
    for (let i = 0; i < size; i++) {
      let addr = h.byteOffset;
      for (let k = 0; k < idx.length; k++) addr += idx[k]! * h.byteStrides[k]!;
      if (addr < h.dataStart || addr + itemsize > h.dataStart + h.byteLength) return `element [${idx}] at ${addr}`;
      for (let k = idx.length - 1; k >= 0; k--) {
        if (++idx[k]! < h.shape[k]!) break;
        idx[k] = 0;
      }
    }
  }
  return null;
}

type Outcome = { ok: ArrayHeader } | { err: string } | { bad: unknown };

function outcome(bytes: Uint8Array, at: number, length: number, bufferByteLength: number): Outcome {
  try {
    return { ok: readHeader(bytes, at, length, bufferByteLength) };
  } catch (e) {
    if (e instanceof NdshareError && e.code === codes.CORRUPT_HEADER) return { err: e.message };
    return { bad: e };
  }
}

/**
 * Decodes `header` (length `length`) placed at an odd offset inside two
 * buffers whose other bytes differ (zeros, and 0xa5 / random). The reader
 * must give the same outcome in both (it reads nothing outside the range),
 * and that outcome must be a CORRUPT_HEADER error or a sound header.
 * Returns a description of the violation, or null.
 */
function fuzzOne(header: Uint8Array, length: number, bufferByteLength: number, shared = false): string | null {
  const at = 37;
  const make = (fill: number): Uint8Array => {
    const size = at + length + 64;
    const u = shared ? new Uint8Array(new SharedArrayBuffer(size)) : new Uint8Array(size);
    u.fill(fill);
    u.set(header.subarray(0, length), at);
    return u;
  };
  const a = outcome(make(0x00), at, length, bufferByteLength);
  const b = outcome(make(0xa5), at, length, bufferByteLength);
  for (const o of [a, b]) {
    if ('bad' in o) {
      const e = o.bad as Error & { code?: string };
      return `threw ${e?.name} ${e?.code ?? ''}: ${e?.message}`;
    }
    if ('ok' in o) {
      const why = unsound(o.ok, bufferByteLength);
      if (why) return `decoded an unsound header (${why}): ${JSON.stringify(o.ok)}`;
    }
  }
  if (JSON.stringify(a) !== JSON.stringify(b)) {
    return `outcome depends on bytes outside the header: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`;
  }
  return null;
}

/** Builds a layout over an extent that holds exactly its base array. */
function base(dtype: DType, shape: number[], order: 'C' | 'F' = 'C', dataStart = 128): ArrayHeader {
  const { itemsize } = dtypeInfo(dtype);
  return {
    dtype,
    shape,
    byteStrides: order === 'C' ? cStrides(shape, itemsize) : fStrides(shape, itemsize),
    byteOffset: dataStart,
    dataStart,
    byteLength: prod(shape) * itemsize,
    order,
  };
}

/** Layouts every dtype is round-tripped through. */
function layouts(dtype: DType): [string, ArrayHeader][] {
  const is = dtypeInfo(dtype).itemsize;
  const out: [string, ArrayHeader][] = [];
  out.push(['0-d', base(dtype, [])]);
  out.push(['zero-size 3-D', base(dtype, [3, 0, 2])]);
  out.push(['zero-size, offset past the extent', { ...base(dtype, [0]), byteOffset: 1 << 20 }]);
  out.push(['1-D', base(dtype, [7])]);
  out.push(['2-D C', base(dtype, [3, 4])]);
  out.push(['3-D C', base(dtype, [2, 3, 4])]);
  out.push(['4-D C', base(dtype, [2, 3, 4, 5])]);
  out.push(['3-D F', base(dtype, [2, 3, 4], 'F')]);
  out.push(['4-D F at dataStart 0', base(dtype, [5, 1, 3, 2], 'F', 0)]);
  {
    // transpose(2, 0, 1) of a C [2, 3, 4]: neither C nor F.
    const b = base(dtype, [2, 3, 4]);
    out.push(['transposed', { ...b, shape: [4, 2, 3], byteStrides: [b.byteStrides[2]!, b.byteStrides[0]!, b.byteStrides[1]!], order: 'A' }]);
  }
  {
    // x[::-1, ::-1] of a C [3, 4]: element [0, 0] is the last in memory.
    const b = base(dtype, [3, 4]);
    out.push(['negative strides', { ...b, byteStrides: [-4 * is, -is], byteOffset: b.dataStart + 11 * is, order: 'A' }]);
  }
  {
    // x[::-2, 1::3] of a C [6, 8]
    const b = base(dtype, [6, 8]);
    out.push(['mixed-sign stepped slice', { ...b, shape: [3, 3], byteStrides: [-16 * is, 3 * is], byteOffset: b.dataStart + (5 * 8 + 1) * is, order: 'A' }]);
  }
  {
    // broadcast_to(x[4], [5, 4]) and a scalar broadcast to [2, 3]
    const b = base(dtype, [4]);
    out.push(['zero (broadcast) strides', { ...b, shape: [5, 4], byteStrides: [0, is], order: 'A' }]);
    out.push(['all-zero strides', { ...base(dtype, []), shape: [2, 3], byteStrides: [0, 0], order: 'A' }]);
  }
  out.push(['length-1 axes with large strides', { ...base(dtype, [1, 3, 1]), byteStrides: [is * 1_000_000_007, is, -is * 99], order: 'A' }]);
  out.push(['view inside a larger extent', { ...base(dtype, [2, 2]), byteLength: 64 * is, byteOffset: 128 + 5 * is }]);
  return out;
}

const NAMES: [string, Pick<ArrayHeader, 'name' | 'metadata'>][] = [
  ['no name, no metadata', {}],
  ['ascii name', { name: 'weights/layer0' }],
  ['unicode name and metadata', { name: 'Gewichte/λ/🧠', metadata: { ключ: '値', '🎉': 'ok 🎉', a: 'b' } }],
  ['empty name and empty metadata', { name: '', metadata: {} }],
  ['empty key and value, long value', { metadata: { '': '', long: 'x'.repeat(1000) + 'é'.repeat(40) } }],
  // JSON.parse makes '__proto__' an own key; it must survive as an entry.
  ['__proto__ key', { metadata: JSON.parse('{"__proto__": "p", "constructor": "c"}') as Record<string, string> }],
];

function bufferFor(h: ArrayHeader): number {
  return h.dataStart + h.byteLength + 40;
}

// ---------------------------------------------------------------------------
// round trips
// ---------------------------------------------------------------------------

test('round trip: every dtype x every layout, with encodeHeader and writeHeader', (t) => {
  const failures: string[] = [];
  let count = 0;
  for (const dtype of DTYPES) {
    for (const [label, h] of layouts(dtype)) {
      const why = unsound(h, bufferFor(h));
      if (why) failures.push(`${dtype} ${label}: test layout is unsound (${why})`);
      for (const [nlabel, extra] of NAMES) {
        const full: ArrayHeader = { ...h, ...extra };
        const what = `${dtype} ${label} ${nlabel}`;
        const bytes = encodeHeader(full);
        const back = readHeader(bytes, 0, bytes.length, bufferFor(h));
        if (JSON.stringify(back) !== JSON.stringify(full)) {
          failures.push(`${what}: ${JSON.stringify(back)} != ${JSON.stringify(full)}`);
        }
        // writeHeader into shared memory at an odd offset gives the same bytes.
        const arena = new Uint8Array(new SharedArrayBuffer(bytes.length + 100)).fill(0xee);
        const n = writeHeader(full, arena, 13, bytes.length + 50);
        if (n !== bytes.length || Buffer.compare(arena.subarray(13, 13 + n), bytes) !== 0) {
          failures.push(`${what}: writeHeader wrote ${n} bytes that differ from encodeHeader's ${bytes.length}`);
        }
        if (arena[12] !== 0xee || arena[13 + n] !== 0xee) failures.push(`${what}: writeHeader wrote outside its range`);
        const back2 = readHeader(arena, 13, n, bufferFor(h));
        if (JSON.stringify(back2) !== JSON.stringify(full)) failures.push(`${what}: shared-memory read differs`);
        count++;
      }
    }
  }
  t.deepEqual(failures, [], `${count} headers round-trip exactly`);
  t.end();
});

test('round trip: object identity and key details', (t) => {
  const meta = JSON.parse('{"__proto__": "p", "z": "1", "a": "2"}') as Record<string, string>;
  const h: ArrayHeader = { ...base('float32', [2, 3]), name: 'n', metadata: meta };
  const bytes = encodeHeader(h);
  const a = readHeader(bytes, 0, bytes.length, 1000);
  const b = readHeader(bytes, 0, bytes.length, 1000);
  t.notEqual(a, b, 'fresh object per call');
  t.notEqual(a.shape, b.shape, 'fresh shape array per call');
  t.deepEqual(Object.keys(a.metadata!), ['__proto__', 'z', 'a'], 'metadata keeps insertion order and __proto__ as a key');
  t.equal(Object.getPrototypeOf(a.metadata), Object.prototype, 'metadata is a plain object');
  t.equal(a.metadata!['__proto__'], 'p');
  t.notOk('name' in readHeader(encodeHeader(base('int8', [2])), 0, encodeHeader(base('int8', [2])).length, 1000), 'absent name stays absent');
  const neg = encodeHeader({ ...base('float64', [2]), byteStrides: [-0] as number[], shape: [1] });
  t.ok(Object.is(readHeader(neg, 0, neg.length, 1000).byteStrides[0], 0), '-0 stride is normalized to 0');
  t.end();
});

test('header size and identifier', (t) => {
  const h: ArrayHeader = {
    dtype: 'float64',
    shape: [100, 200, 300],
    byteStrides: [480000, 2400, 8],
    byteOffset: 4096,
    dataStart: 4096,
    byteLength: 48_000_000,
    order: 'C',
  };
  const bytes = encodeHeader(h);
  t.comment(`3-D float64 header: ${bytes.length} bytes (${encodeHeader({ ...h, byteOffset: 0, dataStart: 0 }).length} at offset 0)`);
  t.ok(bytes.length <= 160, `3-D header is small (${bytes.length} bytes)`);
  t.equal(Buffer.from(bytes.subarray(4, 8)).toString('latin1'), 'NDSH', 'file identifier at bytes 4..8');
  t.equal(bytes.length % 8, 0, 'length is a multiple of 8 (FlatBuffers aligns the root)');
  t.end();
});

// ---------------------------------------------------------------------------
// corrupted bytes
// ---------------------------------------------------------------------------

const FUZZ_BASES: [string, ArrayHeader, number][] = [
  ['3-D float64', base('float64', [4, 5, 6]), 1000 + 128],
  [
    'negative strides + name + metadata',
    {
      ...base('int16', [3, 4]),
      byteStrides: [-8, -2],
      byteOffset: 128 + 22,
      order: 'A',
      name: 'λ-weights',
      metadata: { k: 'v', ключ: '値', x: '' },
    },
    1000,
  ],
  ['0-d bool', base('bool', []), 200],
  ['broadcast uint64', { ...base('uint64', [4]), shape: [9, 4], byteStrides: [0, 8], order: 'A' }, 500],
];

test('corrupt: truncated at every length', (t) => {
  for (const [label, h, buf] of FUZZ_BASES) {
    const bytes = encodeHeader(h);
    const failures: string[] = [];
    let decoded = 0;
    for (let len = 0; len < bytes.length; len++) {
      const why = fuzzOne(bytes, len, buf);
      if (why) failures.push(`length ${len}: ${why}`);
      else if ('ok' in outcome(bytes, 0, len, buf)) decoded++;
    }
    t.deepEqual(failures.slice(0, 5), [], `${label}: ${bytes.length} truncations (${decoded} still decode soundly)`);
  }
  t.end();
});

test('corrupt: every byte flipped, zeroed, set to 0xff, incremented', (t) => {
  for (const [label, h, buf] of FUZZ_BASES) {
    const bytes = encodeHeader(h);
    const failures: string[] = [];
    let decoded = 0;
    let tried = 0;
    for (let i = 0; i < bytes.length; i++) {
      for (const f of [(x: number) => x ^ 0xff, () => 0, () => 0xff, (x: number) => (x + 1) & 0xff, (x: number) => x ^ 0x80]) {
        const m = bytes.slice();
        m[i] = f(m[i]!);
        if (m[i] === bytes[i]) continue;
        tried++;
        const why = fuzzOne(m, m.length, buf, i % 2 === 0);
        if (why) failures.push(`byte ${i} -> 0x${m[i]!.toString(16)}: ${why}`);
        else if ('ok' in outcome(m, 0, m.length, buf)) decoded++;
      }
    }
    t.deepEqual(failures.slice(0, 5), [], `${label}: ${tried} single-byte mutations (${decoded} still decode soundly)`);
  }
  t.end();
});

test('corrupt: random garbage and randomly damaged headers', (t) => {
  const rand = rng(20240611);
  const failures: string[] = [];
  let decoded = 0;
  // Pure garbage, sometimes with the right identifier to get past the first check.
  for (let i = 0; i < 3000; i++) {
    const len = Math.floor(rand() * 300);
    const g = new Uint8Array(len);
    for (let j = 0; j < len; j++) g[j] = Math.floor(rand() * 256);
    if (len >= 8 && i % 2 === 0) g.set([0x4e, 0x44, 0x53, 0x48], 4);
    if (len >= 8 && i % 4 === 0) g.set([Math.floor(rand() * len) & ~3, 0, 0, 0], 0);
    const why = fuzzOne(g, len, Math.floor(rand() * 5000));
    if (why) failures.push(`garbage #${i}: ${why}`);
  }
  // Valid headers with a few random bytes replaced.
  for (let i = 0; i < 6000; i++) {
    const [, h, buf] = FUZZ_BASES[i % FUZZ_BASES.length]!;
    const m = encodeHeader(h);
    const hits = 1 + Math.floor(rand() * 4);
    for (let j = 0; j < hits; j++) m[Math.floor(rand() * m.length)] = Math.floor(rand() * 256);
    const why = fuzzOne(m, m.length, buf);
    if (why) failures.push(`damaged #${i}: ${why}`);
    else if ('ok' in outcome(m, 0, m.length, buf)) decoded++;
  }
  t.deepEqual(failures.slice(0, 5), [], `9000 random inputs (${decoded} damaged headers still decode soundly)`);
  t.end();
});

// ---------------------------------------------------------------------------
// hand-built lying headers
// ---------------------------------------------------------------------------

/**
 * A header writer that does not validate: the `flatbuffers` runtime driven
 * directly, with field ids as in schema/ndarray.fbs (version 0, dtype 1,
 * shape 2, strides 3, byte_offset 4, data_start 5, byte_length 6, order 7,
 * name 8, metadata 9). Every given field is written, even when it equals the
 * default, which codec.ts's writer never does.
 */
interface Raw {
  version?: number;
  dtype?: number;
  shape?: (number | bigint)[] | null;
  strides?: (number | bigint)[] | null;
  byteOffset?: number | bigint;
  dataStart?: number | bigint;
  byteLength?: number | bigint;
  order?: number;
  name?: string;
  metadata?: [string | null, string | null][];
  identifier?: string;
  extraField?: boolean;
}

function raw(r: Raw): Uint8Array {
  const b = new Builder(256);
  b.forceDefaults(true);
  let meta = 0;
  if (r.metadata) {
    const offs = r.metadata.map(([k, v]) => {
      const ko = k === null ? 0 : b.createString(k);
      const vo = v === null ? 0 : b.createString(v);
      b.startObject(2);
      if (ko) b.addFieldOffset(0, ko, 0);
      if (vo) b.addFieldOffset(1, vo, 0);
      return b.endObject();
    });
    b.startVector(4, offs.length, 4);
    for (let i = offs.length - 1; i >= 0; i--) b.addOffset(offs[i]!);
    meta = b.endVector();
  }
  const name = r.name === undefined ? 0 : b.createString(r.name);
  const vec = (xs: (number | bigint)[]): number => {
    b.startVector(8, xs.length, 8);
    for (let i = xs.length - 1; i >= 0; i--) b.addInt64(BigInt(xs[i]!));
    return b.endVector();
  };
  const shape = r.shape === null ? 0 : vec(r.shape ?? []);
  const strides = r.strides === null ? 0 : vec(r.strides ?? []);
  b.startObject(r.extraField ? 12 : 10);
  if (r.version !== undefined) b.addFieldInt16(0, r.version, 1);
  b.addFieldInt8(1, r.dtype ?? 12, 0);
  if (shape) b.addFieldOffset(2, shape, 0);
  if (strides) b.addFieldOffset(3, strides, 0);
  b.addFieldInt64(4, BigInt(r.byteOffset ?? 0), 0n);
  b.addFieldInt64(5, BigInt(r.dataStart ?? 0), 0n);
  b.addFieldInt64(6, BigInt(r.byteLength ?? 0), 0n);
  if (r.order !== undefined) b.addFieldInt8(7, r.order, 0);
  if (name) b.addFieldOffset(8, name, 0);
  if (meta) b.addFieldOffset(9, meta, 0);
  if (r.extraField) b.addFieldInt32(11, 0x7fffffff, 0);
  const root = b.endObject();
  b.finish(root, r.identifier ?? 'NDSH');
  return b.asUint8Array().slice();
}

/** A float64 [4, 5] C array at 0 in a 160-byte buffer; tests override parts. */
const OK: Raw = { dtype: 12, shape: [4, 5], strides: [40, 8], byteOffset: 0, dataStart: 0, byteLength: 160 };
const I64_MAX = (1n << 63n) - 1n;

test('lying headers: accepted when sound, with defaults written explicitly and unknown fields', (t) => {
  const h = readHeader(raw(OK), 0, raw(OK).length, 160);
  t.deepEqual(h, { dtype: 'float64', shape: [4, 5], byteStrides: [40, 8], byteOffset: 0, dataStart: 0, byteLength: 160, order: 'C' });
  const v1 = raw({ ...OK, version: 1, order: 0 });
  t.equal(readHeader(v1, 0, v1.length, 160).order, 'C', 'explicit version 1 and order C');
  const extra = raw({ ...OK, extraField: true });
  t.deepEqual(readHeader(extra, 0, extra.length, 160).shape, [4, 5], 'a field from a newer writer is ignored');
  const nodefault = raw({ ...OK, dtype: 0, shape: [3], strides: [1], byteLength: 3 });
  t.equal(readHeader(nodefault, 0, nodefault.length, 3).dtype, 'bool');
  const empty = raw({ ...OK, shape: [0, 1 << 30], strides: [8, 8], byteOffset: 8 << 20, byteLength: 0 });
  t.deepEqual(readHeader(empty, 0, empty.length, 0).shape, [0, 1 << 30], 'zero-size array addresses nothing');
  t.end();
});

test('lying headers: rejected with CORRUPT_HEADER and a message naming the values', (t) => {
  const cases: [string, Raw | Uint8Array, number, RegExp][] = [
    ['extent past the buffer end', OK, 159, /data extent \[0, 160\) runs past the end of the 159-byte buffer/],
    ['extent end overflows', { ...OK, dataStart: 2 ** 53 - 8, byteLength: 160 }, 160, /data extent/],
    ['byteOffset misaligned', { ...OK, byteOffset: 4, byteLength: 168 }, 200, /byteOffset 4 is not a multiple of the itemsize 8/],
    ['dataStart misaligned', { ...OK, dataStart: 4, byteOffset: 8 }, 200, /dataStart 4 is not a multiple/],
    ['byteLength misaligned', { ...OK, byteLength: 161 }, 200, /byteLength 161 is not a multiple/],
    ['stride misaligned', { ...OK, strides: [40, 12], byteLength: 400 }, 400, /strides\[1\] = 12 is not a multiple/],
    ['huge shape entry (2^53)', { ...OK, shape: [2 ** 53, 1] }, 160, /shape\[0\] = 9007199254740992 is not a non-negative safe integer/],
    ['int64 max shape entry', { ...OK, shape: [I64_MAX, 1] }, 160, /shape\[0\] = 9223372036854775807/],
    ['shape product not safe', { ...OK, shape: [2 ** 30, 2 ** 30], strides: [0, 0] }, 160, /has 1152921504606846976 elements/],
    ['negative shape', { ...OK, shape: [-1, 5] }, 160, /shape\[0\] = -1 is not a non-negative/],
    ['stride points past the extent', { ...OK, strides: [48, 8] }, 1000, /address bytes \[0, 184\), outside the data extent \[0, 160\)/],
    ['negative stride points before the extent', { ...OK, strides: [-40, 8], byteOffset: 80 }, 1000, /address bytes \[-40, 120\)/],
    ['0-d element one past the extent', { ...OK, shape: [], strides: [], byteOffset: 160 }, 1000, /address bytes \[160, 168\)/],
    ['unsafe stride', { ...OK, strides: [-(2 ** 60), 8] }, 1000, /strides\[0\] = -1152921504606846976 is not a safe integer/],
    ['ndim 65', { ...OK, shape: new Array(65).fill(1), strides: new Array(65).fill(8), byteLength: 8 }, 8, /ndim 65 is more than 64/],
    ['strides shorter than shape', { ...OK, strides: [40] }, 160, /strides has 1 entries but shape has 2/],
    ['missing shape', { ...OK, shape: null }, 160, /required field shape is missing/],
    ['missing strides', { ...OK, strides: null }, 160, /required field strides is missing/],
    ['unknown dtype', { ...OK, dtype: 15 }, 160, /dtype code 15 is unknown/],
    ['dtype 255', { ...OK, dtype: 255 }, 160, /dtype code 255 is unknown/],
    ['unknown order', { ...OK, order: 3 }, 160, /order code 3 is unknown/],
    ['version 2', { ...OK, version: 2 }, 160, /version 2 is not supported/],
    ['version 0', { ...OK, version: 0 }, 160, /version 0 is not supported/],
    ['byte_offset above 2^53', { ...OK, byteOffset: 1n << 63n }, 160, /byteOffset 9223372036854775808 is larger than/],
    ['byte_length 2^64-1', { ...OK, byteLength: (1n << 64n) - 1n }, 160, /byteLength 18446744073709551615 is larger/],
    ['wrong identifier', { ...OK, identifier: 'NPY1' }, 160, /file identifier is \[4e 50 59 31\], not 'NDSH'/],
    [
      'duplicate metadata key',
      {
        ...OK,
        metadata: [
          ['k', '1'],
          ['k', '2'],
        ],
      },
      160,
      /metadata key "k" appears twice/,
    ],
    [
      'metadata key missing',
      {
        ...OK,
        metadata: [
          ['a', 'b'],
          [null, 'v'],
        ],
      },
      160,
      /required field metadata\[1\]\.key is missing/,
    ],
  ];
  for (const [label, r, buf, message] of cases) {
    const bytes = r instanceof Uint8Array ? r : raw(r);
    try {
      const h = readHeader(bytes, 0, bytes.length, buf);
      t.fail(`${label}: decoded ${JSON.stringify(h)}`);
    } catch (e) {
      const err = e as NdshareError;
      t.ok(err instanceof NdshareError && err.code === 'ERR_NDSHARE_CORRUPT_HEADER', `${label}: ${err.message}`);
      t.match(err.message, message, `${label}: message names the values`);
    }
  }
  t.end();
});

/** Byte position (in `bytes`) of the uoffset of root-table field `slot`. */
function fieldPos(bytes: Uint8Array, slot: number): number {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const table = dv.getUint32(0, true);
  const vt = table - dv.getInt32(table, true);
  return table + dv.getUint16(vt + slot, true);
}

test('lying offsets and lengths: structure checked before any read', (t) => {
  const named = encodeHeader({ ...base('float64', [4, 5], 'C', 0), name: 'abc', metadata: { k: 'v' } });
  const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
  const patch = (f: (b: Uint8Array, d: DataView) => void): Uint8Array => {
    const b = named.slice();
    f(b, dv(b));
    return b;
  };
  const shapeAt = (b: Uint8Array) => fieldPos(b, 8);
  const vecLen = (b: Uint8Array, slot: number) => {
    const p = fieldPos(b, slot);
    return p + dv(b).getUint32(p, true);
  };
  const cases: [string, Uint8Array, RegExp][] = [
    ['root offset past the end', patch((_, d) => d.setUint32(0, 10_000, true)), /root table at 10000 lies outside/],
    ['root offset negative', patch((_, d) => d.setUint32(0, 0xfffffff0, true)), /root offset -16/],
    ['root offset into the prefix', patch((_, d) => d.setUint32(0, 4, true)), /root offset 4/],
    ['vtable outside', patch((b, d) => d.setInt32(d.getUint32(0, true), -100_000, true)), /vtable of root table at \d+ lies outside/],
    [
      'vtable size odd',
      patch((b, d) => {
        const t0 = d.getUint32(0, true);
        d.setUint16(t0 - d.getInt32(t0, true), 7, true);
      }),
      /vtable of root table has size 7/,
    ],
    [
      'vtable size 0x8000',
      patch((b, d) => {
        const t0 = d.getUint32(0, true);
        d.setUint16(t0 - d.getInt32(t0, true), 0x8000, true);
      }),
      /vtable of root table has size -32768/,
    ],
    [
      'table size past the end',
      patch((b, d) => {
        const t0 = d.getUint32(0, true);
        d.setUint16(t0 - d.getInt32(t0, true) + 2, 0xfff0, true);
      }),
      /root table has inline size 65520/,
    ],
    [
      'field offset outside its table',
      patch((b, d) => {
        const t0 = d.getUint32(0, true);
        d.setUint16(t0 - d.getInt32(t0, true) + 8, 0x7000, true);
      }),
      /field shape at offset 28672 lies outside/,
    ],
    ['shape uoffset past the end', patch((b, d) => d.setUint32(shapeAt(b), 50_000, true)), /shape offset 50000 .* points outside/],
    ['shape uoffset negative (would read backwards)', patch((b, d) => d.setInt32(shapeAt(b), -8, true)), /shape offset -8/],
    ['shape length 0x7fffffff', patch((b, d) => d.setUint32(vecLen(b, 8), 0x7fffffff, true)), /shape has length 2147483647, which runs past/],
    ['shape length 0xffffffff', patch((b, d) => d.setUint32(vecLen(b, 8), 0xffffffff, true)), /shape has length 4294967295/],
    ['name length lies', patch((b, d) => d.setUint32(vecLen(b, 20), 1000, true)), /name has length 1000/],
    [
      'name not NUL-terminated',
      patch((b) => {
        b[vecLen(b, 20) + 4 + 3] = 0x41;
      }),
      /name is not NUL-terminated/,
    ],
    ['metadata count lies', patch((b, d) => d.setUint32(vecLen(b, 22), 1 << 20, true)), /metadata has length 1048576/],
  ];
  for (const [label, bytes, message] of cases) {
    const why = fuzzOne(bytes, bytes.length, 1000);
    t.equal(why, null, `${label}: corrupt-or-sound, independent of surrounding bytes`);
    const o = outcome(bytes, 0, bytes.length, 1000);
    t.ok('err' in o, `${label}: rejected`);
    if ('err' in o) t.match(o.err, message, `${label}: ${o.err}`);
  }
  t.end();
});

// ---------------------------------------------------------------------------
// argument validation
// ---------------------------------------------------------------------------

test('encodeHeader validates its input', (t) => {
  const h = base('float64', [4, 5], 'C', 0);
  const T = NdshareTypeError;
  const R = NdshareRangeError;
  const TYPE = codes.INVALID_ARG_TYPE;
  const VALUE = codes.INVALID_ARG_VALUE;
  const cases: [string, unknown, typeof T | typeof R, string, RegExp?][] = [
    ['not an object', 42, T, TYPE, /for header/],
    ['null', null, T, TYPE],
    ['unknown dtype', { ...h, dtype: 'float128' }, R, codes.DTYPE, /header\.dtype/],
    ['dtype not a string', { ...h, dtype: 8 }, T, TYPE, /header\.dtype/],
    ['shape not an array', { ...h, shape: '4,5' }, T, TYPE, /header\.shape/],
    ['shape entry negative', { ...h, shape: [-4, 5] }, R, VALUE, /header\.shape\[0\]/],
    ['shape entry fractional', { ...h, shape: [4, 2.5] }, R, VALUE, /header\.shape\[1\]/],
    ['shape entry a string', { ...h, shape: [4, '5'] }, T, TYPE, /header\.shape\[1\]/],
    ['shape entry NaN', { ...h, shape: [NaN, 5] }, R, VALUE],
    ['shape entry bigint', { ...h, shape: [4n, 5] }, T, TYPE],
    ['ndim 65', { ...h, shape: new Array(65).fill(1), byteStrides: new Array(65).fill(8), byteLength: 8 }, R, VALUE, /at most 64/],
    ['strides length', { ...h, byteStrides: [40] }, R, VALUE, /header\.byteStrides/],
    ['stride misaligned', { ...h, byteStrides: [40, 4] }, R, VALUE, /multiple of the itemsize \(8\) for header\.byteStrides\[1\]/],
    ['stride unsafe', { ...h, byteStrides: [2 ** 60, 8] }, R, VALUE, /header\.byteStrides\[0\]/],
    ['byteOffset misaligned', { ...h, byteOffset: 4 }, R, VALUE, /header\.byteOffset/],
    ['byteOffset negative', { ...h, byteOffset: -8 }, R, VALUE, /header\.byteOffset/],
    ['dataStart missing', { ...h, dataStart: undefined }, T, TYPE, /header\.dataStart/],
    ['byteLength misaligned', { ...h, byteLength: 161 }, R, VALUE, /header\.byteLength/],
    ['extent end unsafe', { ...h, dataStart: 2 ** 53 - 8, byteLength: 160 }, R, VALUE, /header\.byteLength/],
    ['elements outside the extent', { ...h, byteLength: 152 }, R, VALUE, /address bytes \[0, 160\), outside the data extent \[0, 152\)/],
    ['negative stride before the extent', { ...h, byteStrides: [-40, 8] }, R, VALUE, /address bytes \[-120, 40\)/],
    ['order', { ...h, order: 'K' }, R, VALUE, /header\.order/],
    ['name not a string', { ...h, name: 7 }, T, TYPE, /header\.name/],
    ['name null', { ...h, name: null }, T, TYPE, /header\.name/],
    ['name lone surrogate', { ...h, name: 'a\uD800b' }, R, VALUE, /well-formed/],
    ['metadata not an object', { ...h, metadata: 'k=v' }, T, TYPE, /header\.metadata/],
    ['metadata an array', { ...h, metadata: [['k', 'v']] }, T, TYPE, /header\.metadata/],
    ['metadata value not a string', { ...h, metadata: { k: 1 } }, T, TYPE, /header\.metadata\["k"\]/],
    ['metadata key lone surrogate', { ...h, metadata: { '\uDC00': 'v' } }, R, VALUE, /metadata key/],
  ];
  for (const [label, value, cls, code, message] of cases) {
    throwsCoded(t, `encodeHeader ${label}`, () => encodeHeader(value as ArrayHeader), cls, code, message);
    throwsCoded(t, `writeHeader ${label}`, () => writeHeader(value as ArrayHeader, new Uint8Array(512), 0, 512), cls, code);
  }
  t.end();
});

test('writeHeader: range checks, too-small room is a coded error and writes nothing', (t) => {
  const h: ArrayHeader = { ...base('float32', [3, 3]), name: 'w' };
  const size = encodeHeader(h).length;
  const target = new Uint8Array(size + 20).fill(0x5a);
  throwsCoded(
    t,
    'one byte short',
    () => writeHeader(h, target, 4, size - 1),
    NdshareRangeError,
    codes.INVALID_ARG_VALUE,
    new RegExp(`at least ${size} bytes.*maxLength`),
  );
  throwsCoded(t, 'no room', () => writeHeader(h, target, 0, 0), NdshareRangeError, codes.INVALID_ARG_VALUE, /maxLength/);
  t.ok(
    target.every((x) => x === 0x5a),
    'nothing written on failure',
  );
  t.equal(writeHeader(h, target, 20, size), size, 'exact fit');
  t.ok(
    target.subarray(0, 20).every((x) => x === 0x5a),
    'bytes before untouched',
  );
  throwsCoded(t, 'range past the target', () => writeHeader(h, target, 21, size), NdshareRangeError, codes.INVALID_ARG_VALUE, /maxLength/);
  throwsCoded(t, 'negative at', () => writeHeader(h, target, -1, 10), NdshareRangeError, codes.INVALID_ARG_VALUE, /\bat\b/);
  throwsCoded(t, 'fractional maxLength', () => writeHeader(h, target, 0, 1.5), NdshareRangeError, codes.INVALID_ARG_VALUE);
  throwsCoded(
    t,
    'target not bytes',
    () => writeHeader(h, new ArrayBuffer(100) as unknown as Uint8Array, 0, 100),
    NdshareTypeError,
    codes.INVALID_ARG_TYPE,
    /target/,
  );
  throwsCoded(t, 'at a string', () => writeHeader(h, target, '0' as unknown as number, 10), NdshareTypeError, codes.INVALID_ARG_TYPE);
  t.end();
});

test('readHeader validates its arguments (programming errors, not corrupt headers)', (t) => {
  const bytes = encodeHeader(base('uint8', [3]));
  const n = bytes.length;
  throwsCoded(
    t,
    'bytes an ArrayBuffer',
    () => readHeader(bytes.buffer as unknown as Uint8Array, 0, n, 1000),
    NdshareTypeError,
    codes.INVALID_ARG_TYPE,
    /bytes/,
  );
  throwsCoded(t, 'range past the bytes', () => readHeader(bytes, 1, n, 1000), NdshareRangeError, codes.INVALID_ARG_VALUE, /length/);
  throwsCoded(t, 'negative length', () => readHeader(bytes, 0, -1, 1000), NdshareRangeError, codes.INVALID_ARG_VALUE, /length/);
  throwsCoded(t, 'bufferByteLength negative', () => readHeader(bytes, 0, n, -1), NdshareRangeError, codes.INVALID_ARG_VALUE, /bufferByteLength/);
  throwsCoded(
    t,
    'bufferByteLength a bigint',
    () => readHeader(bytes, 0, n, 10n as unknown as number),
    NdshareTypeError,
    codes.INVALID_ARG_TYPE,
    /bufferByteLength/,
  );
  t.ok(readHeader(Buffer.from(bytes), 0, n, 1000), 'a Buffer is a Uint8Array');
  t.end();
});

// ---------------------------------------------------------------------------
// interop with flatc's C++ builder and verifier (skipped without flatc)
// ---------------------------------------------------------------------------

function hasFlatc(): boolean {
  try {
    execFileSync('flatc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

test('interop: flatc (C++) reads our headers and we read its', { skip: !hasFlatc() }, (t) => {
  const schema = new URL('../schema/ndarray.fbs', import.meta.url).pathname;
  const dir = mkdtempSync(join(tmpdir(), 'ndshare-header-'));
  try {
    // Ours -> flatc --json (flatc verifies the buffer before printing it).
    const h: ArrayHeader = {
      ...base('bfloat16', [3, 4]),
      byteStrides: [-8, 2],
      byteOffset: 128 + 16,
      order: 'A',
      name: 'λ',
      metadata: { a: '1', b: '2' },
    };
    writeFileSync(join(dir, 'ours.bin'), encodeHeader(h));
    execFileSync('flatc', ['--json', '--strict-json', '--raw-binary', '-o', dir, schema, '--', join(dir, 'ours.bin')]);
    const json = JSON.parse(readFileSync(join(dir, 'ours.json'), 'utf8')) as Record<string, unknown>;
    t.equal(json.dtype, 'bfloat16');
    t.deepEqual(json.shape, [3, 4]);
    t.deepEqual(json.strides, [-8, 2]);
    t.equal(json.byte_offset, 144);
    t.equal(json.name, 'λ');
    t.deepEqual(json.metadata, [
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
    ]);

    // flatc's builder -> ours (different vtable placement and sharing).
    const theirs = {
      dtype: 'int32',
      shape: [2, 3],
      strides: [4, 8],
      byte_offset: 64,
      data_start: 64,
      byte_length: 24,
      order: 'F',
      name: 'from C++',
      metadata: [
        { key: 'x', value: 'y' },
        { key: 'z', value: 'w' },
      ],
    };
    writeFileSync(join(dir, 'theirs.json'), JSON.stringify(theirs));
    execFileSync('flatc', ['--binary', '-o', dir, schema, join(dir, 'theirs.json')]);
    const bin = new Uint8Array(readFileSync(join(dir, 'theirs.bin')));
    t.deepEqual(readHeader(bin, 0, bin.length, 88), {
      dtype: 'int32',
      shape: [2, 3],
      byteStrides: [4, 8],
      byteOffset: 64,
      dataStart: 64,
      byteLength: 24,
      order: 'F',
      name: 'from C++',
      metadata: { x: 'y', z: 'w' },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  t.end();
});
