/**
 * NumPy's `fromfile`: the raw elements of a binary file, or the numbers of a
 * text file separated by `sep`.
 *
 * @module
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { codes, invalidType, invalidValue, NdshareError, NdshareRangeError } from '../errors.js';
import { allocUninit, checkDType, dtypeInfo, type DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { checkOptions } from '../validate.js';
import { checkPath } from './files.js';

/** Options of {@link fromfile}. */
export interface FromfileOptions {
  /** Element type (default float64). Binary files hold the machine's byte order. */
  dtype?: DType;
  /** Elements to read; -1 (default) reads all. */
  count?: number;
  /** '' (default) for a binary file, else the separator of a text file ('' / ' ' / ',' …). */
  sep?: string;
  /** Bytes to skip at the start (binary files only). */
  offset?: number;
  like?: never;
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** NumPy's separator matching: whitespace in `sep` matches any run of whitespace (at least one if `sep` is only whitespace). */
function sepRegex(sep: string): RegExp {
  if (sep.trim() === '') return /\s+/y;
  let re = '\\s*';
  for (const ch of sep) re += /\s/.test(ch) ? '\\s*' : escapeRe(ch);
  return new RegExp(`${re}\\s*`, 'y');
}

const FLOAT_TOKEN = /\s*([+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|inf(?:inity)?|nan))/iy;
const INT_TOKEN = /\s*([+-]?\d+)/y;

/**
 * Reads an array from a file (NumPy's `np.fromfile`).
 *
 * Binary (`sep: ''`, the default): the file's bytes from `offset` as
 * elements of `dtype` in the machine's byte order; `count` elements at most
 * (-1: as many whole elements as the file has).
 *
 * Text (`sep` not empty): numbers separated by `sep`, where whitespace in
 * `sep` matches any whitespace; text that is neither (before `count` values
 * are read) is an error, as in NumPy 2.4.
 *
 * @param file a path or `file:` URL.
 * @returns a 1-d array.
 * @throws {NdshareError} ERR_NDSHARE_CORRUPT_FILE for unmatched text in text mode (NumPy's ValueError).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for `offset` with a text `sep` (NumPy's TypeError) or bad types.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a negative offset or a count below -1; ERR_NDSHARE_UNSUPPORTED for `like`.
 * @example
 * // python: np.arange(5, dtype='int32').tofile('a.bin')
 * nd.fromfile('a.bin', { dtype: 'int32' }).toArray()  // [0, 1, 2, 3, 4]
 * nd.fromfile('a.txt', { sep: ',' })                    // "1, 2, 3" -> [1, 2, 3]
 */
export function fromfile(file: string | URL, options?: FromfileOptions): NDArray {
  const o = checkOptions(options, { fn: 'nd.fromfile', known: ['dtype', 'count', 'sep', 'offset'], numpyOnly: ['like'] });
  const p = checkPath(file);
  const dtype = checkDType(o.dtype ?? 'float64', 'options.dtype');
  const count = o.count ?? -1;
  if (typeof count !== 'number' || !Number.isSafeInteger(count) || count < -1) invalidValue('options.count', 'an integer ≥ -1', count);
  const sep = o.sep ?? '';
  if (typeof sep !== 'string') invalidType('options.sep', 'a string', sep);
  const offset = o.offset ?? 0;
  if (typeof offset !== 'number' || !Number.isSafeInteger(offset) || offset < 0) invalidValue('options.offset', 'a non-negative integer', offset);
  if (sep !== '') {
    if (o.offset !== undefined && o.offset !== 0)
      throw new NdshareRangeError("nd.fromfile: options.offset is only permitted for binary files (sep: '')", { code: codes.INVALID_ARG_TYPE });
    return fromText(readFileSync(p, 'utf8'), dtype, count, sep);
  }
  const { itemsize } = dtypeInfo(dtype);
  const fd = openSync(p, 'r');
  try {
    const size = fstatSync(fd).size;
    const avail = Math.max(0, Math.floor((size - offset) / itemsize));
    const n = count < 0 ? avail : Math.min(count, avail);
    const data = allocUninit(dtype, n);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, n * itemsize);
    let off = 0;
    while (off < bytes.length) {
      const r = readSync(fd, bytes, off, bytes.length - off, offset + off);
      if (r === 0) break;
      off += r;
    }
    if (dtype === 'bool') for (let i = 0; i < n; i++) if (bytes[i]! > 1) bytes[i] = 1;
    return new NDArray(data, dtype, [n]);
  } finally {
    closeSync(fd);
  }
}

function fromText(text: string, dtype: DType, count: number, sep: string): NDArray {
  const isInt = /int/.test(dtype) || dtype === 'bool';
  const tok = isInt ? INT_TOKEN : FLOAT_TOKEN;
  const sepRe = sepRegex(sep);
  const values: (number | bigint)[] = [];
  const big = dtype === 'int64' || dtype === 'uint64';
  let pos = 0;
  const unmatched = (): never => {
    throw new NdshareError(
      `string or file could not be read to its end due to unmatched data: ${JSON.stringify(text.slice(pos, pos + 20))} after ${values.length} values`,
      {
        code: codes.CORRUPT_FILE,
      },
    );
  };
  while (count < 0 || values.length < count) {
    tok.lastIndex = pos;
    const m = tok.exec(text);
    if (m === null) {
      if (text.slice(pos).trim() !== '') unmatched();
      break;
    }
    const s = m[1]!;
    if (isInt) values.push(big ? BigInt(s) : Number(s));
    else {
      const l = s.toLowerCase();
      values.push(l.endsWith('nan') ? NaN : l.includes('inf') ? (l.startsWith('-') ? -Infinity : Infinity) : Number(s));
    }
    pos = tok.lastIndex;
    sepRe.lastIndex = pos;
    if (!sepRe.test(text)) {
      if ((count < 0 || values.length < count) && text.slice(pos).trim() !== '') unmatched();
      break;
    }
    pos = sepRe.lastIndex;
  }
  const n = values.length;
  if (big) {
    const data = allocUninit(dtype, n) as BigInt64Array | BigUint64Array;
    values.forEach((v, i) => (data[i] = BigInt.asIntN(64, v as bigint) as never));
    if (dtype === 'uint64') values.forEach((v, i) => (data[i] = BigInt.asUintN(64, v as bigint) as never));
    return new NDArray(data, dtype, [n]);
  }
  const f = new NDArray(Float64Array.from(values as number[]), 'float64', [n]);
  return dtype === 'float64' ? f : f.astype(dtype);
}
