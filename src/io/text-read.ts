/**
 * Text input: NumPy's `loadtxt` and `genfromtxt` for the common
 * delimited-numbers cases.
 *
 * Both read the whole text, cut it into lines, drop comments (from the first
 * comment string to the end of the line) and blank lines, split each line at
 * the delimiter (or at runs of whitespace when there is none), keep the
 * `usecols`, and parse each field as NumPy does for the dtype: floats as
 * Python's `float()` (`nan`, `inf`, exponents; no hex, no empty field),
 * integers strictly (`'1.0'` is an error for `loadtxt`), bool as an integer
 * that is nonzero. The rows become a 2-d array that is squeezed and padded
 * to `ndmin` dimensions and transposed for `unpack`, as NumPy's
 * `_ensure_ndmin_ndarray`.
 *
 * Complex dtypes read NumPy's complex text (`'1+2j'`, `'(1+2j)'`, `'2j'`;
 * text-complex.ts).
 *
 * Out of scope (refused with ERR_NDSHARE_UNSUPPORTED): structured results
 * (`genfromtxt` `names`, a structured dtype), `quotechar`, fixed-width
 * fields, encodings other than UTF-8.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { codes, invalidType, invalidValue, NdshareError, NdshareRangeError } from '../errors.js';
import { allocUninit, checkDType, type DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { checkOptions } from '../validate.js';
import { checkPath } from './files.js';
import { integerRange } from '../ndarray/dtypes.js';
import { parseComplexField } from './text-complex.js';

/** A text source: a file path or `file:` URL, or the lines themselves. */
export type TextSource = string | URL | readonly string[];

/** A value a converter may return. */
export type ConvertedValue = number | bigint | boolean;
/** One converter for every column, or one per column index. */
export type Converters = ((field: string) => ConvertedValue) | Record<number, (field: string) => ConvertedValue>;

function malformed(what: string): never {
  throw new NdshareError(what, { code: codes.CORRUPT_FILE });
}

/** The lines of a source (a file read as UTF-8, or the given strings). */
function linesOf(fname: unknown): string[] {
  if (Array.isArray(fname)) {
    fname.forEach((l, i) => {
      if (typeof l !== 'string') invalidType(`fname[${i}]`, 'a string (a line)', l);
    });
    return (fname as string[]).flatMap((l) => l.split(/\r?\n/)).filter((l, i, a) => i < a.length - 1 || l !== '' || a.length === 1);
  }
  const p = checkPath(fname);
  const text = readFileSync(p, 'utf8');
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function commentsOf(v: unknown, dflt: string[]): string[] {
  if (v === undefined) return dflt;
  if (v === null) return [];
  if (typeof v === 'string') return v === '' ? [] : [v];
  if (Array.isArray(v) && v.every((c) => typeof c === 'string')) return (v as string[]).filter((c) => c !== '');
  return invalidType('options.comments', 'a string, an array of strings or null', v);
}

function stripComment(line: string, comments: readonly string[]): string {
  let end = line.length;
  for (const c of comments) {
    const k = line.indexOf(c);
    if (k >= 0 && k < end) end = k;
  }
  let s = end === line.length ? line : line.slice(0, end);
  if (s.endsWith('\r')) s = s.slice(0, -1);
  return s;
}

const WS = /[ \t\v\f\r]+/;

function splitter(delimiter: unknown, fn: string): (s: string) => string[] {
  if (delimiter === undefined || delimiter === null) return (s) => s.trim().split(WS);
  if (typeof delimiter === 'number')
    throw new NdshareRangeError(`${fn}: fixed-width fields (a numeric delimiter) are not supported`, { code: codes.UNSUPPORTED });
  if (typeof delimiter !== 'string' || delimiter.length === 0) invalidType('options.delimiter', 'a non-empty string or null', delimiter);
  return (s) => s.split(delimiter);
}

/** Column selection: indices after resolving negatives against `n` columns. */
function usecolsOf(v: unknown): number[] | undefined {
  if (v === undefined || v === null) return undefined;
  const list = typeof v === 'number' ? [v] : Array.isArray(v) ? v : invalidType('options.usecols', 'an integer or an array of integers', v);
  list.forEach((c, i) => {
    if (!Number.isSafeInteger(c)) invalidType(`options.usecols[${i}]`, 'an integer', c);
  });
  return list as number[];
}

const FLOAT_RE = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan)$/i;
const INT_RE = /^[+-]?\d+$/;

/** Python's float() of a field (surrounding whitespace allowed); undefined if it is not a number. */
function parseFloatField(s: string): number | undefined {
  const v = Number(s);
  if (v === v && v !== Infinity && v !== -Infinity) {
    // Number() also takes '', ' ', '0x1f', '0b1', '0o7': those take the checked path below (Python's
    // float refuses them). Fast accept: ends in a digit, starts with no space, no letter at index 1.
    const c = s.charCodeAt(s.length - 1);
    const c0 = s.charCodeAt(0);
    const c1 = s.charCodeAt(1);
    if (c >= 48 && c <= 57 && c0 > 32 && !(c1 === 120 || c1 === 88 || c1 === 98 || c1 === 66 || c1 === 111 || c1 === 79)) return v;
  }
  const t = s.trim();
  if (!FLOAT_RE.test(t)) return undefined;
  const l = t.toLowerCase();
  if (l.endsWith('nan')) return NaN;
  if (l.endsWith('inf') || l.endsWith('infinity')) return l.startsWith('-') ? -Infinity : Infinity;
  return Number(t);
}

function parseIntField(s: string): bigint | undefined {
  const t = s.trim();
  return INT_RE.test(t) ? BigInt(t) : undefined;
}

/** Storage for parsed values: numbers or bigints, grown as rows come. */
type ColumnBuffer = Float64Array | BigInt64Array | BigUint64Array;

class Column {
  readonly big: boolean;
  /** complex64/complex128: two parts pushed per element. */
  readonly complex: boolean;
  #buf: ColumnBuffer;
  length = 0;
  constructor(readonly dtype: DType) {
    this.big = dtype === 'int64' || dtype === 'uint64';
    this.complex = dtype === 'complex64' || dtype === 'complex128';
    this.#buf = dtype === 'int64' ? new BigInt64Array(1024) : dtype === 'uint64' ? new BigUint64Array(1024) : new Float64Array(1024);
  }
  push(v: number | bigint): void {
    if (this.length === this.#buf.length) {
      const n = new (this.#buf.constructor as new (n: number) => ColumnBuffer)(this.#buf.length * 2);
      n.set(this.#buf as never);
      this.#buf = n;
    }
    this.#buf[this.length++] = v as never;
  }
  toArray(shape: number[]): NDArray {
    const n = this.length;
    if (this.big) {
      const data = allocUninit(this.dtype, n) as BigInt64Array | BigUint64Array;
      data.set(this.#buf.subarray(0, n) as never);
      return new NDArray(data, this.dtype, shape);
    }
    const f = new NDArray(this.#buf.subarray(0, n) as Float64Array, this.complex ? 'complex128' : 'float64', shape);
    return this.dtype === f.dtype ? f.copy() : f.astype(this.dtype);
  }
}

/** NumPy's _ensure_ndmin_ndarray, then unpack. */
function finish(a: NDArray, ndmin: number, unpack: boolean): NDArray {
  let x = a;
  if (x.ndim > ndmin) x = x.squeeze();
  if (x.ndim < ndmin) {
    if (ndmin === 1) x = x.reshape([x.size]);
    else if (ndmin === 2) x = (x.ndim === 0 ? x.reshape([1, 1]) : x.reshape([1, x.size])).T;
  }
  return unpack ? x.T : x;
}

function ndminOf(v: unknown): number {
  if (v === undefined) return 0;
  if (v !== 0 && v !== 1 && v !== 2) invalidValue('options.ndmin', '0, 1 or 2', v);
  return v;
}

/** The dtype of the result (complex fields are text-complex.ts's). */
function textDType(v: unknown): DType {
  return checkDType(v ?? 'float64', 'options.dtype');
}

function intDTypeCheck(v: bigint, d: DType): boolean {
  const r = integerRange(d);
  return r === undefined || (v >= r[0] && v <= r[1]);
}

const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * A plain decimal ('-12.375'): at most 15 digits, no exponent, no spaces.
 * Then digits / 10^k is exact (Clinger's fast path: both are exact doubles
 * and one division rounds correctly). Anything else gives undefined and goes
 * to {@link parseFloatField}.
 */
function plainDecimal(s: string): number | undefined {
  const len = s.length;
  let i = 0;
  let neg = false;
  let c = s.charCodeAt(0);
  if (c === 45 || c === 43) {
    neg = c === 45;
    i = 1;
  }
  let mant = 0;
  let digits = 0;
  let frac = -1;
  for (; i < len; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      if (frac >= 0) frac++;
    } else if (c === 46 && frac < 0) frac = 0;
    else return undefined;
  }
  if (digits === 0 || digits > 15) return undefined;
  const v = frac > 0 ? mant / POW10[frac]! : mant;
  return neg ? -v : v;
}

/** loadtxt's loop for float64/float32 without converters or usecols: the common CSV case, kept tight. */
function fastFloats(
  lines: readonly string[],
  skiprows: number,
  maxRows: number,
  comments: readonly string[],
  split: (s: string) => string[],
  dtype: DType,
): NDArray {
  let buf = new Float64Array(1 << 16);
  let n = 0;
  let ncols = -1;
  let rows = 0;
  const nc = comments.length;
  for (let li = skiprows; li < lines.length; li++) {
    if (maxRows >= 0 && rows >= maxRows) break;
    let s = lines[li]!;
    if (nc) s = stripComment(s, comments);
    else if (s.endsWith('\r')) s = s.slice(0, -1);
    if (s.length === 0 || (s.charCodeAt(0) <= 32 && s.trim() === '')) continue;
    const fields = split(s);
    const m = fields.length;
    if (ncols < 0) ncols = m;
    else if (m !== ncols) malformed(`the number of columns changed from ${ncols} to ${m} at row ${rows + 1}; use usecols to select a subset`);
    if (n + m > buf.length) {
      const grown = new Float64Array(Math.max(buf.length * 2, n + m));
      grown.set(buf);
      buf = grown;
    }
    for (let j = 0; j < m; j++) {
      const f = fields[j]!;
      const v = plainDecimal(f) ?? parseFloatField(f);
      if (v === undefined) malformed(`could not convert string ${JSON.stringify(fields[j])} to ${dtype} at row ${rows}, column ${j + 1}`);
      buf[n++] = v;
    }
    rows++;
  }
  if (ncols < 0) return new NDArray(new Float64Array(0), 'float64', [0, 1]).astype(dtype);
  const a = new NDArray(buf.subarray(0, n), 'float64', [rows, ncols]);
  return dtype === 'float64' ? a.copy() : a.astype(dtype);
}

/** Options of {@link loadtxt}. */
export interface LoadtxtOptions {
  /** The dtype of the result (default float64). */
  dtype?: DType;
  /** Comment marker(s) (default '#'); null for none. */
  comments?: string | readonly string[] | null;
  /** Field separator (default: runs of whitespace). */
  delimiter?: string | null;
  /** A converter for every column, or per column index: `(field) => value`. */
  converters?: Converters | null;
  /** Lines to skip first, comments included (default 0). */
  skiprows?: number;
  /** The columns to keep (negative counts from the end). */
  usecols?: number | readonly number[] | null;
  /** Return the columns (the transpose). */
  unpack?: boolean;
  /** The least number of dimensions of the result: 0, 1 or 2. */
  ndmin?: 0 | 1 | 2;
  /** Read at most this many rows of data (after skiprows; blank and comment lines do not count). */
  maxRows?: number | null;
  encoding?: never;
  quotechar?: never;
  like?: never;
}

/**
 * Loads numbers from a text file (NumPy's `np.loadtxt`): one row per line,
 * fields split at `delimiter`, comments and blank lines skipped.
 *
 * @param fname a path or `file:` URL (read as UTF-8), or an array of lines.
 * @returns a 2-d array of `dtype`, squeezed to at least `ndmin` dimensions (a
 *   single column gives a 1-d array), transposed with `unpack`.
 * @throws {NdshareError} ERR_NDSHARE_CORRUPT_FILE for a field that does not parse as the dtype, a value
 *   out of an integer dtype's range, or a row with a different number of columns (NumPy's ValueError;
 *   the message gives the row and column).
 * @throws {NdshareRangeError} ERR_NDSHARE_UNSUPPORTED for `encoding`, `quotechar` and `like`; ERR_NDSHARE_INVALID_ARG_VALUE for bad options.
 * @example
 * // data.csv: "1,2,3\n4,5,6\n"
 * nd.loadtxt('data.csv', { delimiter: ',' }).shape            // [2, 3]
 * nd.loadtxt(['# x y', '1 2', '3 4'], { unpack: true }).toArray() // [[1, 3], [2, 4]]
 */
export function loadtxt(fname: TextSource, options?: LoadtxtOptions): NDArray {
  const o = checkOptions(options, {
    fn: 'nd.loadtxt',
    known: ['dtype', 'comments', 'delimiter', 'converters', 'skiprows', 'usecols', 'unpack', 'ndmin', 'maxRows'],
    numpyOnly: ['encoding', 'quotechar', 'like'],
  });
  const dtype = textDType(o.dtype);
  const comments = commentsOf(o.comments, ['#']);
  const split = splitter(o.delimiter, 'nd.loadtxt');
  const skiprows = o.skiprows ?? 0;
  if (!Number.isSafeInteger(skiprows) || skiprows < 0) invalidValue('options.skiprows', 'a non-negative integer', skiprows);
  const maxRows = o.maxRows ?? -1;
  if (!Number.isSafeInteger(maxRows)) invalidValue('options.maxRows', 'an integer or null', maxRows);
  const usecols = usecolsOf(o.usecols);
  const ndmin = ndminOf(o.ndmin);
  const converters = o.converters ?? null;
  if (converters !== null && typeof converters !== 'function' && typeof converters !== 'object')
    invalidType('options.converters', 'a function or an object of functions', converters);
  const convOf = (j: number): ((f: string) => ConvertedValue) | undefined =>
    converters === null ? undefined : typeof converters === 'function' ? converters : (converters as Record<number, (f: string) => ConvertedValue>)[j];

  const lines = linesOf(fname);
  if (converters === null && usecols === undefined && (dtype === 'float64' || dtype === 'float32')) {
    return finish(fastFloats(lines, skiprows, maxRows, comments, split, dtype), ndmin, o.unpack === true);
  }
  const col = new Column(dtype);
  const isInt = /int/.test(dtype);
  const isBool = dtype === 'bool';
  const unsigned = dtype.startsWith('uint');
  let ncols = -1;
  let rows = 0;
  for (let li = skiprows; li < lines.length; li++) {
    if (maxRows >= 0 && rows >= maxRows) break;
    const s = comments.length ? stripComment(lines[li]!, comments) : lines[li]!;
    if (s.trim() === '') continue;
    const fields = split(s);
    let picked: string[] = fields;
    let idx: number[] | undefined;
    if (usecols !== undefined) {
      idx = usecols.map((c) => {
        const k = c < 0 ? c + fields.length : c;
        if (k < 0 || k >= fields.length) malformed(`invalid column index ${c} at row ${rows + 1} with ${fields.length} columns`);
        return k;
      });
      picked = idx.map((k) => fields[k]!);
    }
    if (ncols < 0) ncols = picked.length;
    else if (picked.length !== ncols)
      malformed(`the number of columns changed from ${ncols} to ${picked.length} at row ${rows + 1}; use usecols to select a subset`);
    for (let j = 0; j < picked.length; j++) {
      const f = picked[j]!;
      const colIndex = idx ? idx[j]! : j;
      const conv = convOf(colIndex) ?? (idx ? undefined : undefined);
      const bad: () => never = () => malformed(`could not convert string ${JSON.stringify(f)} to ${dtype} at row ${rows}, column ${colIndex + 1}`);
      if (col.complex && conv === undefined) {
        const z = parseComplexField(f, parseFloatField) ?? bad();
        col.push(z[0]);
        col.push(z[1]);
        continue;
      }
      if (conv !== undefined) {
        const v = conv(f);
        if (typeof v === 'boolean') col.push(v ? 1 : 0);
        else if (typeof v === 'bigint') col.push(col.big ? v : Number(v));
        else if (typeof v === 'number') col.push(col.big ? (Number.isInteger(v) ? BigInt(v) : bad()) : v);
        else invalidType(`the result of converters[${colIndex}]`, 'a number, bigint or boolean', v);
        if (col.complex) col.push(0); // a converted value is the real part
        continue;
      }
      if (isInt || isBool) {
        const v = parseIntField(f);
        if (v === undefined || (isInt && !intDTypeCheck(v, dtype)) || (unsigned && f.trimStart().startsWith('-'))) bad();
        col.push(isBool ? (v !== 0n ? 1 : 0) : col.big ? v : Number(v));
      } else {
        const v = parseFloatField(f);
        if (v === undefined) bad();
        col.push(v);
      }
    }
    rows++;
  }
  if (ncols < 0) ncols = usecols?.length ?? 1;
  const a = rows === 0 ? new Column(dtype).toArray([0, ncols]) : col.toArray([rows, ncols]);
  return finish(a, ndmin, o.unpack === true);
}

/** Options of {@link genfromtxt}. */
export interface GenfromtxtOptions {
  dtype?: DType;
  comments?: string | readonly string[] | null;
  delimiter?: string | null;
  /** Lines to skip at the start (comments included). */
  skipHeader?: number;
  /** Lines to skip at the end. */
  skipFooter?: number;
  usecols?: number | readonly number[] | null;
  /** Strings that mark a missing value, besides the empty field. */
  missingValues?: string | readonly string[] | null;
  /** The value for missing and invalid fields (default NaN for floats, -1 for integers, false for bool). */
  fillingValues?: number | bigint | boolean | null;
  /** Structured results are out of scope: only null/false. */
  names?: null | false;
  /** Rows with a wrong number of columns: an error (default true) or skipped (false). */
  invalidRaise?: boolean;
  maxRows?: number | null;
  unpack?: boolean;
  ndmin?: 0 | 1 | 2;
  /** Strip whitespace around fields (accepted: fields are always stripped for numbers). */
  autostrip?: boolean;
  converters?: never;
  excludelist?: never;
  deletechars?: never;
  replaceSpace?: never;
  defaultfmt?: never;
  caseSensitive?: never;
  usemask?: never;
  loose?: never;
  encoding?: never;
  like?: never;
}

const TRUE_RE = /^\s*true\s*$/i;
const FALSE_RE = /^\s*false\s*$/i;

/**
 * Loads numbers from a text file with missing values (NumPy's
 * `np.genfromtxt`, numeric results): empty fields and `missingValues` become
 * `fillingValues`, as do fields that do not parse (NumPy's `loose`);
 * integers accept float text (truncated), bool accepts `True`/`False`.
 *
 * @param fname a path or `file:` URL, or an array of lines.
 * @throws {NdshareError} ERR_NDSHARE_CORRUPT_FILE for rows with a wrong number of columns (unless `invalidRaise: false`).
 * @throws {NdshareRangeError} ERR_NDSHARE_UNSUPPORTED for `names` (structured arrays) and NumPy's other options.
 * @example
 * nd.genfromtxt(['1,,3', '4,5,6'], { delimiter: ',' }).toArray() // [[1, NaN, 3], [4, 5, 6]]
 */
export function genfromtxt(fname: TextSource, options?: GenfromtxtOptions): NDArray {
  const o = checkOptions(options, {
    fn: 'nd.genfromtxt',
    known: [
      'dtype',
      'comments',
      'delimiter',
      'skipHeader',
      'skipFooter',
      'usecols',
      'missingValues',
      'fillingValues',
      'names',
      'invalidRaise',
      'maxRows',
      'unpack',
      'ndmin',
      'autostrip',
    ],
    numpyOnly: ['converters', 'excludelist', 'deletechars', 'replaceSpace', 'defaultfmt', 'caseSensitive', 'usemask', 'loose', 'encoding', 'like'],
  });
  if (o.names !== undefined && o.names !== null && o.names !== false) {
    throw new NdshareRangeError(
      'nd.genfromtxt: options.names gives a structured array, which ndshare does not have (read the header line yourself, then use usecols)',
      {
        code: codes.UNSUPPORTED,
      },
    );
  }
  const dtype = textDType(o.dtype);
  const comments = commentsOf(o.comments, ['#']);
  const split = splitter(o.delimiter, 'nd.genfromtxt');
  const skipHeader = o.skipHeader ?? 0;
  const skipFooter = o.skipFooter ?? 0;
  for (const [k, v] of [
    ['options.skipHeader', skipHeader],
    ['options.skipFooter', skipFooter],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0) invalidValue(k, 'a non-negative integer', v);
  }
  const maxRows = o.maxRows ?? -1;
  const usecols = usecolsOf(o.usecols);
  const ndmin = ndminOf(o.ndmin);
  const missing = new Set<string>(['']);
  const mv = o.missingValues;
  if (typeof mv === 'string') for (const m of mv.split(',')) missing.add(m.trim());
  else if (Array.isArray(mv)) for (const m of mv) missing.add(String(m).trim());
  const isInt = /int/.test(dtype);
  const isBool = dtype === 'bool';
  const fill = o.fillingValues ?? (isBool ? false : isInt ? -1 : NaN);
  const col = new Column(dtype);
  const fillValue: number | bigint = typeof fill === 'boolean' ? (fill ? 1 : 0) : col.big ? BigInt(fill) : Number(fill);

  const all = linesOf(fname);
  // NumPy drops skip_footer lines from the end of the data lines (after comments and blanks are removed).
  const data: string[][] = [];
  for (let li = skipHeader; li < all.length; li++) {
    const s = comments.length ? stripComment(all[li]!, comments) : all[li]!;
    if (s.trim() === '') continue;
    data.push(split(s).map((f) => f.trim()));
  }
  if (skipFooter > 0) data.splice(Math.max(0, data.length - skipFooter));
  let ncols = -1;
  let rows = 0;
  const errors: string[] = [];
  data.forEach((fields, r) => {
    if (maxRows >= 0 && rows >= maxRows) return;
    if (ncols < 0) ncols = fields.length;
    if (fields.length !== ncols) {
      errors.push(`Line #${r + 1 + skipHeader} (got ${fields.length} columns instead of ${ncols})`);
      return;
    }
    const idx = usecols === undefined ? fields.map((_, k) => k) : usecols.map((c) => (c < 0 ? c + ncols : c));
    for (const k of idx) {
      if (k < 0 || k >= ncols) malformed(`usecols index ${k} is out of range for ${ncols} columns`);
      const f = fields[k]!;
      if (missing.has(f)) {
        col.push(fillValue);
        if (col.complex) col.push(0);
        continue;
      }
      if (col.complex) {
        const z = parseComplexField(f, parseFloatField) ?? [fillValue as number, 0];
        col.push(z[0]);
        col.push(z[1]);
        continue;
      }
      if (isBool) {
        col.push(TRUE_RE.test(f) ? 1 : FALSE_RE.test(f) ? 0 : (fillValue as number));
        continue;
      }
      const v = parseFloatField(f);
      if (v === undefined) col.push(fillValue);
      else if (isInt) {
        const iv = parseIntField(f) ?? (Number.isFinite(v) ? BigInt(Math.trunc(v)) : undefined);
        if (iv === undefined || !intDTypeCheck(iv, dtype)) col.push(fillValue);
        else col.push(col.big ? iv : Number(iv));
      } else col.push(v);
    }
    rows++;
  });
  if (errors.length > 0 && o.invalidRaise !== false) malformed(`Some errors were detected: ${errors.slice(0, 10).join('; ')}`);
  const width = usecols?.length ?? (ncols < 0 ? 1 : ncols);
  const a = rows === 0 ? new Column(dtype).toArray([0, width]) : col.toArray([rows, width]);
  return finish(a, ndmin, o.unpack === true);
}
