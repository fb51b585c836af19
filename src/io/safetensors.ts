/**
 * The safetensors format (huggingface/safetensors): read and write a set of
 * named tensors.
 *
 * Format: an 8-byte little-endian u64 N, N bytes of UTF-8 JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}`,
 * then the data buffer. Offsets are relative to the start of the data buffer;
 * tensors are C-contiguous and little-endian; the tensors cover the data
 * buffer exactly (no holes, no overlaps).
 *
 * Reading:
 * - {@link loadSafetensors} maps the file (mmap MAP_PRIVATE through the
 *   addon): the tensors are read-only views over the mapping, no copy, and
 *   the pages come from the page cache, shared by every process that maps the
 *   same file. The mapping lives as long as any tensor does.
 * - A tensor whose data does not start at a multiple of its item size within
 *   the buffer is copied into aligned storage; so is a bool tensor with bytes
 *   other than 0/1 (normalized to 1).
 * - Errors: {@link codes.CORRUPT_FILE} for anything malformed (truncated file,
 *   huge or bad header length, bad JSON, bad entries, shapes, offsets,
 *   overlaps, holes, duplicate names), naming the tensor and the bad value;
 *   {@link codes.DTYPE} for dtypes ndshare lacks (F8_*, complex, …).
 *
 * Writing: `__metadata__` first, then the tensors in the order given; data
 * ordered by decreasing item size (so every tensor is aligned), the JSON
 * padded with spaces so the data starts at a multiple of 8.
 *
 * @module
 */
import { native } from '../binding.js';
import { codes, describe, invalidType, invalidValue, NdshareError } from '../errors.js';
import type { DType, TypedArray } from '../ndarray/dtypes.js';
import { allocUninit, dtypeInfo, viewOf } from '../ndarray/dtypes.js';
import { MAX_NDIM } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { fstatSync, readSync } from 'node:fs';
import { checkPath, writeFileAtomically } from './files.js';

/** The largest header the reader accepts (as the reference implementation). */
const MAX_HEADER = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** safetensors dtype -> ndshare dtype. */
const FROM_ST: Readonly<Record<string, DType>> = {
  BOOL: 'bool',
  U8: 'uint8',
  I8: 'int8',
  I16: 'int16',
  U16: 'uint16',
  I32: 'int32',
  U32: 'uint32',
  I64: 'int64',
  U64: 'uint64',
  F16: 'float16',
  BF16: 'bfloat16',
  F32: 'float32',
  F64: 'float64',
};

/** ndshare dtype -> safetensors dtype. */
/** dtype -> safetensors name; the complex dtypes have none (safetensors has no complex type). */
const TO_ST: Readonly<Partial<Record<DType, string>>> = Object.fromEntries(Object.entries(FROM_ST).map(([k, v]) => [v, k]));

// ---- errors ------------------------------------------------------------------

type Source = { path?: string };

function details(src: Source): Record<string, unknown> | undefined {
  return src.path === undefined ? undefined : { path: src.path };
}

function corrupt(src: Source, what: string): never {
  const where = src.path === undefined ? 'Corrupt safetensors data' : `Corrupt safetensors file '${src.path}'`;
  throw new NdshareError(`${where}: ${what}`, { code: codes.CORRUPT_FILE, ...details(src) });
}

function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    s = describe(v);
  }
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

// ---- parsing -----------------------------------------------------------------

/** Sets a key as an own data property (safe for names such as '__proto__'). */
function define<T>(obj: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The top-level keys of a JSON object text, in order (the text is known to be valid JSON of an object). */
function topLevelKeys(text: string): string[] {
  const keys: string[] = [];
  let i = text.indexOf('{') + 1;
  const n = text.length;
  const ws = () => {
    while (i < n && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const skipString = () => {
    i++; // opening quote
    while (i < n && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++; // closing quote
  };
  for (;;) {
    ws();
    if (i >= n || text[i] === '}') return keys;
    const start = i;
    skipString();
    keys.push(JSON.parse(text.slice(start, i)) as string);
    ws();
    i++; // ':'
    let depth = 0;
    for (; i < n; i++) {
      const c = text[i];
      if (c === '"') {
        skipString();
        i--;
      } else if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') {
        if (depth === 0) return keys;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    i++; // ','
  }
}

interface Entry {
  name: string;
  dtype: DType;
  shape: number[];
  begin: number;
  end: number;
}

function checkOffset(src: Source, name: string, what: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) {
    corrupt(src, `tensor ${JSON.stringify(name)}: ${what} must be a non-negative integer, got ${show(v)}`);
  }
  return v;
}

function parseEntry(src: Source, name: string, v: unknown): Entry {
  const q = JSON.stringify(name);
  if (name.length === 0) corrupt(src, 'a tensor has an empty name');
  if (typeof v !== 'object' || v === null || Array.isArray(v)) {
    corrupt(src, `tensor ${q}: expected an object {dtype, shape, data_offsets}, got ${show(v)}`);
  }
  const e = v as Record<string, unknown>;
  const st = e['dtype'];
  if (typeof st !== 'string') corrupt(src, `tensor ${q}: 'dtype' must be a string, got ${show(st)}`);
  const dtype = Object.hasOwn(FROM_ST, st) ? FROM_ST[st] : undefined;
  if (dtype === undefined) {
    if (/^[A-Z][A-Z0-9_]*$/.test(st)) {
      throw new NdshareError(
        `Unsupported dtype in safetensors ${src.path === undefined ? 'data' : `file '${src.path}'`}: tensor ${q} has dtype ` +
          `${JSON.stringify(st)}; ndshare reads ${Object.keys(FROM_ST).join(' ')}`,
        { code: codes.DTYPE, ...details(src) },
      );
    }
    corrupt(src, `tensor ${q}: unknown dtype ${show(st)}`);
  }
  const shapeV = e['shape'];
  if (!Array.isArray(shapeV)) corrupt(src, `tensor ${q}: 'shape' must be an array, got ${show(shapeV)}`);
  if (shapeV.length > MAX_NDIM) corrupt(src, `tensor ${q}: ${shapeV.length} dimensions (at most ${MAX_NDIM})`);
  let count = 1;
  const shape: number[] = [];
  for (const d of shapeV) {
    if (typeof d !== 'number' || !Number.isSafeInteger(d) || d < 0) {
      corrupt(src, `tensor ${q}: shape ${show(shapeV)} has ${show(d)}, not a non-negative integer`);
    }
    shape.push(d);
    count *= d;
  }
  if (!Number.isSafeInteger(count)) corrupt(src, `tensor ${q}: shape ${show(shapeV)} has too many elements`);
  const offs = e['data_offsets'];
  if (!Array.isArray(offs) || offs.length !== 2) {
    corrupt(src, `tensor ${q}: 'data_offsets' must be [begin, end], got ${show(offs)}`);
  }
  const begin = checkOffset(src, name, 'data_offsets[0]', offs[0]);
  const end = checkOffset(src, name, 'data_offsets[1]', offs[1]);
  if (end < begin) corrupt(src, `tensor ${q}: data_offsets ${show(offs)} end before begin`);
  const nbytes = count * dtypeInfo(dtype).itemsize;
  if (end - begin !== nbytes) {
    corrupt(src, `tensor ${q}: data_offsets ${show(offs)} span ${end - begin} bytes but shape ${show(shapeV)} of ${st} needs ${nbytes}`);
  }
  return { name, dtype, shape, begin, end };
}

interface Parsed {
  entries: Entry[];
  metadata: Record<string, string>;
  dataStart: number;
}

/** `bytes`: the file, or its first 8 + N bytes when `fileBytes` gives the whole file's length. */
function parseHeader(bytes: Uint8Array, src: Source, fileBytes = bytes.length): Parsed {
  if (fileBytes < 8 || bytes.length < 8) corrupt(src, `${bytes.length} bytes, too short for the 8-byte header length`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, 8);
  const n64 = dv.getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER)) corrupt(src, `header length ${n64} is larger than the ${MAX_HEADER}-byte limit`);
  const n = Number(n64);
  if (8 + n > fileBytes || 8 + n > bytes.length) corrupt(src, `header length ${n} runs past the end of the ${fileBytes}-byte file (truncated?)`);
  if (n < 2) corrupt(src, `header length ${n} is too short for a JSON object`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    corrupt(src, 'the header is not valid UTF-8');
  }
  if (text.trimStart()[0] !== '{') corrupt(src, `the header must be a JSON object, starts with ${show(text.slice(0, 20))}`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    corrupt(src, `the header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) corrupt(src, 'the header must be a JSON object');
  const keys = topLevelKeys(text);
  const seen = new Set<string>();
  for (const k of keys) {
    if (seen.has(k)) corrupt(src, `duplicate tensor name ${JSON.stringify(k)}`);
    seen.add(k);
  }
  const obj = json as Record<string, unknown>;
  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const k of keys) {
    const v = obj[k];
    if (k === '__metadata__') {
      if (typeof v !== 'object' || v === null || Array.isArray(v)) corrupt(src, `'__metadata__' must be an object, got ${show(v)}`);
      for (const [mk, mv] of Object.entries(v)) {
        if (typeof mv !== 'string') corrupt(src, `'__metadata__' value of ${JSON.stringify(mk)} must be a string, got ${show(mv)}`);
        define(metadata, mk, mv);
      }
      continue;
    }
    entries.push(parseEntry(src, k, v));
  }
  const dataStart = 8 + n;
  const dataLen = fileBytes - dataStart;
  // The tensors must tile the data buffer: sorted by offsets, each starts where the previous ended.
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let pos = 0;
  let prev: Entry | undefined;
  for (const e of sorted) {
    if (e.begin < pos) {
      corrupt(src, `tensor ${JSON.stringify(e.name)} at data_offsets [${e.begin}, ${e.end}] overlaps tensor ${JSON.stringify(prev!.name)} (ends at ${pos})`);
    }
    if (e.begin > pos) {
      corrupt(src, `hole in the data buffer: bytes [${pos}, ${e.begin}) belong to no tensor (before tensor ${JSON.stringify(e.name)})`);
    }
    if (e.end > dataLen) {
      corrupt(src, `tensor ${JSON.stringify(e.name)}: data_offsets [${e.begin}, ${e.end}] run past the ${dataLen}-byte data buffer (truncated?)`);
    }
    pos = e.end;
    if (e.end > e.begin) prev = e;
  }
  if (pos !== dataLen) corrupt(src, `the tensors cover ${pos} bytes of the ${dataLen}-byte data buffer (trailing bytes)`);
  return { entries, metadata, dataStart };
}

function decode(bytes: Uint8Array, src: Source, writeable: boolean): { tensors: Record<string, NDArray>; metadata: Record<string, string> } {
  if (!LITTLE_ENDIAN) throw new NdshareError('safetensors I/O needs a little-endian machine', { code: codes.UNSUPPORTED });
  const { entries, metadata, dataStart } = parseHeader(bytes, src);
  const tensors: Record<string, NDArray> = {};
  for (const e of entries) {
    const { itemsize } = dtypeInfo(e.dtype);
    const size = (e.end - e.begin) / itemsize;
    const at = bytes.byteOffset + dataStart + e.begin;
    const region = bytes.subarray(dataStart + e.begin, dataStart + e.end);
    let badBool = false;
    if (e.dtype === 'bool') {
      for (let i = 0; i < region.length; i++) {
        if (region[i]! > 1) {
          badBool = true;
          break;
        }
      }
    }
    let data: TypedArray;
    let copied = false;
    if (size > 0 && at % itemsize === 0 && !badBool) {
      data = viewOf(e.dtype, bytes.buffer, at, size);
    } else {
      data = allocUninit(e.dtype, size);
      new Uint8Array(data.buffer, data.byteOffset, region.length).set(region);
      copied = true;
      if (badBool) {
        const u8 = data as Uint8Array;
        for (let i = 0; i < u8.length; i++) if (u8[i]! > 1) u8[i] = 1;
      }
    }
    define(tensors, e.name, new NDArray(data, e.dtype, e.shape, undefined, 0, { writeable, ownData: copied }));
  }
  return { tensors, metadata };
}

/**
 * Parses the bytes of a safetensors file held in memory.
 *
 * The tensors are views over `bytes` (no copy; writeable, `ownData: false`)
 * when aligned; unaligned tensors and bool tensors with bytes other than 0/1
 * are copied. `bytes` is never modified.
 *
 * @returns the tensors by name and the `__metadata__` strings.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `bytes` is not a Uint8Array.
 * @throws {NdshareError} ERR_NDSHARE_CORRUPT_FILE for malformed bytes; ERR_NDSHARE_DTYPE for an unsupported dtype.
 * @example const { tensors, metadata } = nd.parseSafetensors(new Uint8Array(await res.arrayBuffer()));
 */
export function parseSafetensors(bytes: Uint8Array): { tensors: Record<string, NDArray>; metadata: Record<string, string> } {
  if (!(bytes instanceof Uint8Array)) invalidType('bytes', 'a Uint8Array', bytes);
  return decode(bytes, {}, true);
}

/**
 * Maps a safetensors file and returns its tensors: read-only NDArrays
 * (`writeable: false`, `ownData: false`) over a private mapping of the file,
 * no copy. The pages are the page cache's, shared by every process that maps
 * the file; a write through `x.data` would only touch a private copy.
 *
 * @param path a file path or a `file:` URL.
 * @throws {NdshareError} ERR_NDSHARE_NATIVE (with `errno`, `syscall`) when the file cannot be opened or mapped.
 * @throws {NdshareError} ERR_NDSHARE_CORRUPT_FILE / ERR_NDSHARE_DTYPE as {@link parseSafetensors}.
 * @example const w = nd.loadSafetensors('model.safetensors'); w['lm_head.weight'].shape;
 */
export function loadSafetensors(path: string | URL): Record<string, NDArray> {
  return loadSafetensorsWithMetadata(path).tensors;
}

/** {@link loadSafetensors} with the `__metadata__` strings (not in the public barrel). */
export function loadSafetensorsWithMetadata(path: string | URL): { tensors: Record<string, NDArray>; metadata: Record<string, string> } {
  const p = checkPath(path);
  const buffer = native.memory.mapFile(p);
  return decode(new Uint8Array(buffer), { path: p }, false);
}

/** Where each tensor of a safetensors file lies, from its header alone (for readers that pread the data). */
export interface SafetensorsLayout {
  tensors: { name: string; dtype: DType; shape: number[]; offset: number; nbytes: number }[];
  metadata: Record<string, string>;
  fileBytes: number;
}

/**
 * Reads and checks the header of an open safetensors file (pread of its first
 * 8 + N bytes, no mapping): every tensor's dtype, shape and absolute byte range.
 * @throws {NdshareError} ERR_NDSHARE_CORRUPT_FILE / ERR_NDSHARE_DTYPE as {@link parseSafetensors}.
 */
export function readSafetensorsLayout(fd: number, path: string): SafetensorsLayout {
  if (!LITTLE_ENDIAN) throw new NdshareError('safetensors I/O needs a little-endian machine', { code: codes.UNSUPPORTED });
  const src = { path };
  const fileBytes = fstatSync(fd).size;
  const head = new Uint8Array(8);
  const got = readFully(fd, head, 0);
  if (got < 8) corrupt(src, `${fileBytes} bytes, too short for the 8-byte header length`);
  const n64 = new DataView(head.buffer).getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER)) corrupt(src, `header length ${n64} is larger than the ${MAX_HEADER}-byte limit`);
  const n = Math.min(Number(n64), Math.max(0, fileBytes - 8));
  const bytes = new Uint8Array(8 + n);
  bytes.set(head);
  readFully(fd, bytes.subarray(8), 8);
  const { entries, metadata, dataStart } = parseHeader(bytes, src, fileBytes);
  return {
    tensors: entries.map((e) => ({ name: e.name, dtype: e.dtype, shape: e.shape, offset: dataStart + e.begin, nbytes: e.end - e.begin })),
    metadata,
    fileBytes,
  };
}

/** pread until `into` is full or the file ends; returns the bytes read. */
export function readFully(fd: number, into: Uint8Array, position: number): number {
  let done = 0;
  while (done < into.length) {
    const k = readSync(fd, into, done, Math.min(into.length - done, 1 << 30), position + done);
    if (k === 0) break;
    done += k;
  }
  return done;
}

// ---- writing -----------------------------------------------------------------

function checkTensors(tensors: unknown): [string, NDArray][] {
  if (typeof tensors !== 'object' || tensors === null || Array.isArray(tensors)) {
    invalidType('tensors', 'an object of name -> NDArray', tensors);
  }
  const out: [string, NDArray][] = [];
  for (const [name, x] of Object.entries(tensors)) {
    if (name.length === 0 || name === '__metadata__') invalidValue('tensors', "names that are non-empty and not '__metadata__'", name);
    if (!(x instanceof NDArray)) invalidType(`tensors[${JSON.stringify(name)}]`, 'an NDArray', x);
    out.push([name, x]);
  }
  return out;
}

function checkMetadata(metadata: unknown): [string, string][] {
  if (metadata === undefined) return [];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    invalidType('metadata', 'an object of string -> string', metadata);
  }
  const out: [string, string][] = [];
  for (const [k, v] of Object.entries(metadata)) {
    if (typeof v !== 'string') invalidType(`metadata[${JSON.stringify(k)}]`, 'a string', v);
    out.push([k, v]);
  }
  return out;
}

/** The header bytes and the data chunks of a safetensors file. */
function prepare(tensors: unknown, metadata: unknown): { header: Uint8Array; chunks: Uint8Array[] } {
  if (!LITTLE_ENDIAN) throw new NdshareError('safetensors I/O needs a little-endian machine', { code: codes.UNSUPPORTED });
  const list = checkTensors(tensors);
  const meta = checkMetadata(metadata);
  for (const [name, x] of list) {
    if (TO_ST[x.dtype] === undefined) {
      throw new NdshareError(
        `Cannot save tensor ${JSON.stringify(name)} of dtype ${x.dtype}: safetensors has no ${x.dtype} dtype (save nd.real(x) and nd.imag(x) as two tensors)`,
        {
          code: codes.DTYPE,
        },
      );
    }
  }
  // Data order: by decreasing item size (stable), so each tensor starts at a multiple of its item size.
  const order = list.map(([name, x], i) => ({ name, x, i, itemsize: dtypeInfo(x.dtype).itemsize })).sort((a, b) => b.itemsize - a.itemsize || a.i - b.i);
  const offsets = new Map<string, [number, number]>();
  const chunks: Uint8Array[] = [];
  let pos = 0;
  for (const { name, x, itemsize } of order) {
    const src = x.flags.cContiguous ? x : x.copy('C');
    const n = src.size * itemsize;
    if (n > 0) chunks.push(new Uint8Array(src.data.buffer, src.data.byteOffset + src.offset * itemsize, n));
    offsets.set(name, [pos, pos + n]);
    pos += n;
  }
  const parts: string[] = [];
  if (meta.length > 0) {
    parts.push(`"__metadata__":{${meta.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`);
  }
  for (const [name, x] of list) {
    const [b, e] = offsets.get(name)!;
    parts.push(`${JSON.stringify(name)}:{"dtype":"${TO_ST[x.dtype]}","shape":[${x.shape.join(',')}],"data_offsets":[${b},${e}]}`);
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const n = Math.ceil(json.length / 8) * 8;
  const header = new Uint8Array(8 + n);
  new DataView(header.buffer).setBigUint64(0, BigInt(n), true);
  header.set(json, 8);
  header.fill(0x20, 8 + json.length);
  return { header, chunks };
}

/**
 * The bytes of a safetensors file holding `tensors` (and `metadata`).
 * @throws as {@link saveSafetensors}.
 * @example nd.parseSafetensors(encodeSafetensors({ a: nd.arange(3) })).tensors.a.toArray(); // [0, 1, 2]
 */
export function encodeSafetensors(tensors: Record<string, NDArray>, metadata?: Record<string, string>): Uint8Array {
  const { header, chunks } = prepare(tensors, metadata);
  const total = header.length + chunks.reduce((s, c) => s + c.length, 0);
  const out = new Uint8Array(total);
  out.set(header, 0);
  let pos = header.length;
  for (const c of chunks) {
    out.set(c, pos);
    pos += c.length;
  }
  return out;
}

/**
 * Saves named tensors (any layout; non-contiguous ones are written as a C-order
 * copy) and optional string metadata as a safetensors file. Written under a
 * temporary name, flushed, then renamed over `path` (never a partial file).
 *
 * @param path a file path or a `file:` URL.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a bad path, a non-NDArray tensor or a non-string metadata value.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an empty name or the name '__metadata__'.
 * @example nd.saveSafetensors('w.safetensors', { w: nd.zeros([2, 2]) }, { format: 'pt' });
 */
export function saveSafetensors(path: string | URL, tensors: Record<string, NDArray>, metadata?: Record<string, string>): void {
  const p = checkPath(path);
  const { header, chunks } = prepare(tensors, metadata);
  writeFileAtomically(p, [header, ...chunks]);
}
