/**
 * The .npy header: its constants, the parser of its Python-literal dict and
 * its decoding into a dtype, a shape and an order (see npy.ts for the format).
 *
 * @module
 */
import { codes, NdshareError } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import { dtypeInfo } from '../ndarray/dtypes.js';
import { MAX_NDIM } from '../ndarray/layout.js';

// ---- constants ---------------------------------------------------------------

export const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** Magic (6) + version (2). */
export const MAGIC_LEN = 8;
/** NumPy aligns the data to this many bytes from the start of the file. */
export const ARRAY_ALIGN = 64;
/** NumPy leaves this many characters for the growing axis (`len(str(8*2**64-1))`). */
export const GROWTH_AXIS_MAX_DIGITS = 21;
/** Nesting limit of the header parser (NumPy's own headers nest at most 3 deep). */
const MAX_DEPTH = 32;
/** True on little-endian machines (typed arrays use the machine's byte order). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
export const NATIVE_ORDER = LITTLE_ENDIAN ? '<' : '>';

/**
 * A lookup table with no prototype: a descr read from a file such as
 * `'__proto__'` or `'constructor'` finds nothing instead of an Object member.
 */
function noProto<T>(entries: Record<string, T>): Readonly<Record<string, T>> {
  return Object.freeze(Object.assign(Object.create(null) as Record<string, T>, entries));
}

/** Type string without byte order (as in `'<f8'`) -> dtype. */
const TYPECODES: Readonly<Record<string, DType>> = noProto({
  b1: 'bool',
  i1: 'int8',
  u1: 'uint8',
  i2: 'int16',
  u2: 'uint16',
  i4: 'int32',
  u4: 'uint32',
  i8: 'int64',
  u8: 'uint64',
  f2: 'float16',
  f4: 'float32',
  f8: 'float64',
  c8: 'complex64',
  c16: 'complex128',
});

/** NumPy one-character codes of fixed size (NumPy never writes these, but `np.load` accepts them). */
const CHARCODES: Readonly<Record<string, string>> = noProto({
  '?': 'b1',
  b: 'i1',
  B: 'u1',
  h: 'i2',
  H: 'u2',
  i: 'i4',
  I: 'u4',
  q: 'i8',
  Q: 'u8',
  e: 'f2',
  f: 'f4',
  d: 'f8',
  F: 'c8',
  D: 'c16',
});

/**
 * Type strings NumPy accepts for dtypes ndshare does not have: complex
 * longdouble, (unicode/byte) strings, void, object, datetime/timedelta,
 * platform-sized integers.
 */
const UNSUPPORTED_DESCR = /^(?:c(?:32)?|G|f(?:12|16)|g|[USaV]\d*|O\d*|[Mm]8?(?:\[\d*[A-Za-z]+\])?|[lLpPnNT])$/;

// ---- errors ------------------------------------------------------------------

/** Where the bytes came from, for messages. */
export type Source = { path?: string };

export function corrupt(src: Source, what: string): never {
  const where = src.path === undefined ? 'Corrupt .npy data' : `Corrupt .npy file '${src.path}'`;
  throw new NdshareError(`${where}: ${what}`, { code: codes.CORRUPT_FILE, ...(src.path === undefined ? undefined : { path: src.path }) });
}

function unsupportedDType(src: Source, what: string): never {
  const where = src.path === undefined ? '.npy data' : `.npy file '${src.path}'`;
  throw new NdshareError(`Unsupported dtype in ${where}: ${what}`, { code: codes.DTYPE, ...(src.path === undefined ? undefined : { path: src.path }) });
}

// ---- the header parser (a subset of Python literals) -------------------------

/** A parsed Python literal. Tuples and lists are told apart, as NumPy requires a tuple shape. */
type PyValue =
  | { readonly t: 'str'; readonly v: string }
  | { readonly t: 'int'; readonly v: bigint }
  | { readonly t: 'bool'; readonly v: boolean }
  | { readonly t: 'none' }
  | { readonly t: 'tuple'; readonly v: readonly PyValue[] }
  | { readonly t: 'list'; readonly v: readonly PyValue[] }
  | { readonly t: 'dict'; readonly v: ReadonlyMap<string, PyValue> };

class LiteralSyntaxError extends Error {}

/**
 * Recursive-descent parser for the literals `ast.literal_eval` accepts in a
 * .npy header: `{...}` with string keys, `(...)` tuples (`(x)` is just x,
 * `(x,)` a tuple), `[...]` lists, '…'/"…" strings with escapes (optional
 * u/U prefix), integers with an optional sign and Python 2's `L` suffix,
 * True, False, None. Whitespace and trailing commas as Python allows.
 */
class LiteralParser {
  #s: string;
  #i = 0;
  constructor(s: string) {
    this.#s = s;
  }

  parseAll(): PyValue {
    const v = this.#value(0);
    this.#ws();
    if (this.#i < this.#s.length) this.#fail('end of header');
    return v;
  }

  #fail(expected: string): never {
    const at = this.#i;
    const got = at < this.#s.length ? JSON.stringify(this.#s.slice(at, at + 12)) : 'end of header';
    throw new LiteralSyntaxError(`expected ${expected} at character ${at}, found ${got}`);
  }

  #ws(): void {
    const s = this.#s;
    while (this.#i < s.length) {
      const c = s.charCodeAt(this.#i);
      // space, \t, \n, \v, \f, \r; a backslash-newline continues a line in Python.
      if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) this.#i++;
      else if (c === 0x5c && s[this.#i + 1] === '\n') this.#i += 2;
      else break;
    }
  }

  #value(depth: number): PyValue {
    if (depth > MAX_DEPTH) throw new LiteralSyntaxError(`literal nested more than ${MAX_DEPTH} levels deep`);
    this.#ws();
    const s = this.#s;
    const c = s[this.#i];
    if (c === undefined) this.#fail('a value');
    if (c === '{') return this.#dict(depth);
    if (c === '(') return this.#tuple(depth);
    if (c === '[') return this.#list(depth);
    if (c === "'" || c === '"') return { t: 'str', v: this.#string() };
    if ((c === 'u' || c === 'U') && (s[this.#i + 1] === "'" || s[this.#i + 1] === '"')) {
      this.#i++;
      return { t: 'str', v: this.#string() };
    }
    if (c === '-' || c === '+' || (c >= '0' && c <= '9')) return { t: 'int', v: this.#int() };
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(this.#i, this.#i + 64))?.[0];
    if (word === 'True' || word === 'False' || word === 'None') {
      this.#i += word.length;
      return word === 'None' ? { t: 'none' } : { t: 'bool', v: word === 'True' };
    }
    this.#fail('a literal (string, integer, True, False, None, tuple, list or dict)');
  }

  /** Items up to `close`, separated by commas, trailing comma allowed. Returns the items and whether any comma was seen. */
  #items(close: string, depth: number): { items: PyValue[]; comma: boolean } {
    this.#i++; // opening bracket
    const items: PyValue[] = [];
    let comma = false;
    for (;;) {
      this.#ws();
      if (this.#s[this.#i] === close) {
        this.#i++;
        return { items, comma };
      }
      items.push(this.#value(depth + 1));
      this.#ws();
      if (this.#s[this.#i] === ',') {
        this.#i++;
        comma = true;
      } else if (this.#s[this.#i] !== close) this.#fail(`',' or '${close}'`);
    }
  }

  #tuple(depth: number): PyValue {
    const { items, comma } = this.#items(')', depth);
    // `(x)` is a parenthesized value, `(x,)` and `()` are tuples.
    if (items.length === 1 && !comma) return items[0]!;
    return { t: 'tuple', v: items };
  }

  #list(depth: number): PyValue {
    return { t: 'list', v: this.#items(']', depth).items };
  }

  #dict(depth: number): PyValue {
    this.#i++;
    const map = new Map<string, PyValue>();
    for (;;) {
      this.#ws();
      if (this.#s[this.#i] === '}') {
        this.#i++;
        return { t: 'dict', v: map };
      }
      const keyStart = this.#i;
      const key = this.#value(depth + 1);
      if (key.t !== 'str') {
        this.#i = keyStart;
        this.#fail('a string key');
      }
      if (map.has(key.v)) {
        this.#i = keyStart;
        throw new LiteralSyntaxError(`duplicate key ${JSON.stringify(key.v)} at character ${keyStart}`);
      }
      this.#ws();
      if (this.#s[this.#i] !== ':') this.#fail("':'");
      this.#i++;
      map.set(key.v, this.#value(depth + 1));
      this.#ws();
      if (this.#s[this.#i] === ',') this.#i++;
      else if (this.#s[this.#i] !== '}') this.#fail("',' or '}'");
    }
  }

  #int(): bigint {
    const m = /^([+-]?)[ \t]*(0|[1-9][0-9]*)[lL]?/.exec(this.#s.slice(this.#i, this.#i + 400));
    if (!m) this.#fail('an integer');
    this.#i += m[0].length;
    const next = this.#s[this.#i];
    if (next !== undefined && /[0-9A-Za-z_.]/.test(next)) this.#fail('an integer (floats and other numbers are not valid here)');
    const v = BigInt(m[2]!);
    return m[1] === '-' ? -v : v;
  }

  #string(): string {
    const s = this.#s;
    const q = s[this.#i]!;
    const triple = s.startsWith(q.repeat(3), this.#i);
    this.#i += triple ? 3 : 1;
    let out = '';
    for (;;) {
      const c = s[this.#i];
      if (c === undefined) this.#fail(`closing ${q}`);
      if (triple ? s.startsWith(q.repeat(3), this.#i) : c === q) {
        this.#i += triple ? 3 : 1;
        return out;
      }
      if (c === '\n' && !triple) this.#fail(`closing ${q} before end of line`);
      if (c !== '\\') {
        out += c;
        this.#i++;
        continue;
      }
      const e = s[this.#i + 1];
      this.#i += 2;
      switch (e) {
        case '\n':
          break;
        case '\\':
          out += '\\';
          break;
        case "'":
          out += "'";
          break;
        case '"':
          out += '"';
          break;
        case 'a':
          out += '\x07';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'v':
          out += '\v';
          break;
        case 'x':
        case 'u':
        case 'U': {
          const n = e === 'x' ? 2 : e === 'u' ? 4 : 8;
          const hex = s.slice(this.#i, this.#i + n);
          if (!/^[0-9A-Fa-f]+$/.test(hex) || hex.length !== n) this.#fail(`${n} hex digits after \\${e}`);
          const cp = parseInt(hex, 16);
          if (cp > 0x10ffff) this.#fail('a code point below 0x110000');
          out += String.fromCodePoint(cp);
          this.#i += n;
          break;
        }
        default:
          if (e !== undefined && e >= '0' && e <= '7') {
            const oct = /^[0-7]{1,3}/.exec(s.slice(this.#i - 1, this.#i + 2))![0];
            out += String.fromCharCode(parseInt(oct, 8));
            this.#i += oct.length - 1;
          } else if (e === undefined) this.#fail('an escape');
          else out += `\\${e}`; // Python keeps unknown escapes as they are
      }
    }
  }
}

// ---- header decoding ---------------------------------------------------------

/** What the header says about the data. */
export interface NpyHeader {
  readonly dtype: DType;
  readonly shape: number[];
  readonly fortranOrder: boolean;
  /** The file's byte order differs from the machine's. */
  readonly swap: boolean;
  /** Byte position of the first element. */
  readonly dataStart: number;
  readonly version: 1 | 2 | 3;
}

/** A shape as Python writes it: `()`, `(3,)`, `(2, 3)`. */
export function pyShape(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
}

function reprValue(v: PyValue): string {
  switch (v.t) {
    case 'str':
      return `'${v.v}'`;
    case 'int':
      return v.v.toString();
    case 'bool':
      return v.v ? 'True' : 'False';
    case 'none':
      return 'None';
    case 'tuple':
      return `(${v.v.map(reprValue).join(', ')}${v.v.length === 1 ? ',' : ''})`;
    case 'list':
      return `[${v.v.map(reprValue).join(', ')}]`;
    case 'dict':
      return `{${[...v.v].map(([k, x]) => `'${k}': ${reprValue(x)}`).join(', ')}}`;
  }
}

function short(v: PyValue): string {
  const r = reprValue(v);
  return r.length > 60 ? `${r.slice(0, 57)}...` : r;
}

/** descr (the header's value) -> dtype and whether bytes need swapping. */
function decodeDescr(descr: PyValue, src: Source): { dtype: DType; swap: boolean } {
  if (descr.t === 'list') {
    unsupportedDType(src, `structured dtype ${short(descr)}; ndshare arrays hold one numeric dtype (save each field as its own array)`);
  }
  if (descr.t !== 'str') corrupt(src, `'descr' is not a dtype string: ${short(descr)}`);
  const m = /^([<>|=]?)(.+)$/s.exec(descr.v);
  if (!m) corrupt(src, `'descr' is empty`);
  const order = m[1]!;
  const body = m[2]!;
  const code = TYPECODES[body] ?? (CHARCODES[body] !== undefined ? TYPECODES[CHARCODES[body]!] : undefined);
  if (code !== undefined) {
    const itemsize = dtypeInfo(code).itemsize;
    const fileLittle = order === '<' ? true : order === '>' ? false : LITTLE_ENDIAN; // '|', '=', '' are native
    return { dtype: code, swap: itemsize > 1 && fileLittle !== LITTLE_ENDIAN };
  }
  if (UNSUPPORTED_DESCR.test(body)) {
    const hint =
      body === 'O' || body.startsWith('O')
        ? 'object arrays hold pickled Python objects, which ndshare never loads'
        : /^(?:c|[FDG])/.test(body)
          ? 'complex dtypes are not supported yet'
          : /^[USa]/.test(body)
            ? 'string dtypes are not supported'
            : /^[Mm]/.test(body)
              ? "datetime/timedelta are not supported (save them as int64 with astype('int64') in NumPy)"
              : /^(?:f(?:12|16)|g)$/.test(body)
                ? "longdouble is not supported (save it as float64 with astype('float64') in NumPy)"
                : 'ndshare has no such dtype';
    unsupportedDType(src, `descr '${descr.v}': ${hint}`);
  }
  corrupt(src, `unknown descr '${descr.v}'`);
}

function decodeShape(v: PyValue, src: Source): number[] {
  if (v.t !== 'tuple') corrupt(src, `'shape' is not a tuple of integers: ${short(v)}`);
  if (v.v.length > MAX_NDIM) corrupt(src, `'shape' has ${v.v.length} dimensions, more than ${MAX_NDIM}`);
  const shape: number[] = [];
  let size = 1n;
  for (const d of v.v) {
    if (d.t !== 'int') corrupt(src, `'shape' is not a tuple of integers: ${short(v)}`);
    if (d.v < 0n) corrupt(src, `'shape' has a negative dimension: ${short(v)}`);
    if (d.v > BigInt(Number.MAX_SAFE_INTEGER)) corrupt(src, `'shape' has a dimension above 2^53: ${short(v)}`);
    shape.push(Number(d.v));
    size *= d.v;
  }
  if (size > BigInt(Number.MAX_SAFE_INTEGER)) corrupt(src, `'shape' ${short(v)} has more than 2^53 elements`);
  return shape;
}

function latin1(bytes: Uint8Array): string {
  // TextDecoder('latin1') is windows-1252 in WHATWG; NumPy means ISO-8859-1 (byte = code point).
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(i + 8192, bytes.length)));
  }
  return s;
}

export function readHeader(bytes: Uint8Array, src: Source): NpyHeader {
  if (bytes.length < MAGIC_LEN) {
    if (bytes.length === 0) corrupt(src, 'empty (no magic string)');
    corrupt(src, `truncated: ${bytes.length} bytes, fewer than the 8 of the magic string and version`);
  }
  for (let i = 0; i < MAGIC.length; i++) {
    if (bytes[i] !== MAGIC[i]) {
      corrupt(src, `bad magic string: expected \\x93NUMPY, found ${JSON.stringify(latin1(bytes.subarray(0, 6)))}`);
    }
  }
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if ((major !== 1 && major !== 2 && major !== 3) || minor !== 0) {
    corrupt(src, `unknown format version ${major}.${minor} (known: 1.0, 2.0, 3.0)`);
  }
  const lenSize = major === 1 ? 2 : 4;
  if (bytes.length < MAGIC_LEN + lenSize) corrupt(src, 'truncated before the header length');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = major === 1 ? dv.getUint16(MAGIC_LEN, true) : dv.getUint32(MAGIC_LEN, true);
  const hstart = MAGIC_LEN + lenSize;
  const dataStart = hstart + hlen;
  if (dataStart > bytes.length) {
    corrupt(src, `header length ${hlen} reaches beyond the end of the data (${bytes.length} bytes)`);
  }
  const raw = bytes.subarray(hstart, dataStart);
  let text: string;
  if (major === 3) {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(raw);
    } catch {
      corrupt(src, 'header is not valid UTF-8 (format 3.0)');
    }
  } else text = latin1(raw);

  let dict: PyValue;
  try {
    dict = new LiteralParser(text).parseAll();
  } catch (e) {
    if (e instanceof LiteralSyntaxError) corrupt(src, `header is not a Python literal: ${e.message}`);
    throw e;
  }
  if (dict.t !== 'dict') corrupt(src, `header is not a dictionary: ${short(dict)}`);
  const keys = [...dict.v.keys()].sort();
  if (keys.length !== 3 || keys[0] !== 'descr' || keys[1] !== 'fortran_order' || keys[2] !== 'shape') {
    corrupt(src, `header keys are [${keys.map((k) => `'${k}'`).join(', ')}], expected 'descr', 'fortran_order', 'shape'`);
  }
  const fortran = dict.v.get('fortran_order')!;
  if (fortran.t !== 'bool') corrupt(src, `'fortran_order' is not True or False: ${short(fortran)}`);
  const shape = decodeShape(dict.v.get('shape')!, src);
  const { dtype, swap } = decodeDescr(dict.v.get('descr')!, src);
  return { dtype, shape, fortranOrder: fortran.v, swap, dataStart, version: major };
}
