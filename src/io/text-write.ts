/**
 * Text output: NumPy's `savetxt`, with Python's `%` formatting of each
 * value (`%.18e` by default; `d i u o x X e E f F g G s` with flags
 * `- + space 0 #`, width and precision) so that the files match NumPy's
 * byte for byte.
 *
 * @module
 */
import { codes, invalidType, NdshareRangeError, NdshareTypeError } from '../errors.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { complexColumnFormat } from './text-complex.js';
import { checkOptions } from '../validate.js';
import { arrayOf } from '../manipulation/views.js';
import { checkPath, writeFileAtomically } from './files.js';
import type { Operand } from '../math/ufunc.js';

const SPEC = /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([diouxXeEfFgGs%])/g;

interface Spec {
  flags: string;
  width: number;
  precision: number | undefined;
  conv: string;
}

/** Python's two-digit-at-least exponent: 'e+5' -> 'e+05'. */
function pyExp(s: string): string {
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

/** Exact fixed-point digits of v (toFixed switches to exponents at 1e21). */
function fixed(v: number, p: number): string {
  if (Math.abs(v) < 1e21) return v.toFixed(p);
  const int = BigInt(v).toString();
  return p > 0 ? `${int}.${'0'.repeat(p)}` : int;
}

/** Python's repr/str of a float. */
function pyFloatStr(v: number): string {
  if (Number.isNaN(v)) return 'nan';
  if (!Number.isFinite(v)) return v < 0 ? '-inf' : 'inf';
  const a = Math.abs(v);
  if (a !== 0 && (a >= 1e16 || a < 1e-4)) {
    const e = v.toExponential();
    const [m, x] = e.split('e');
    return pyExp(`${m}e${x}`);
  }
  const s = String(v);
  return Number.isInteger(v) ? `${Object.is(v, -0) ? '-0' : s}.0` : s;
}

function pad(body: string, sign: string, sp: Spec, numeric: boolean): string {
  const len = sign.length + body.length;
  if (len >= sp.width) return sign + body;
  if (sp.flags.includes('-')) return sign + body + ' '.repeat(sp.width - len);
  if (sp.flags.includes('0') && numeric) return sign + '0'.repeat(sp.width - len) + body;
  return ' '.repeat(sp.width - len) + sign + body;
}

function signOf(neg: boolean, flags: string): string {
  return neg ? '-' : flags.includes('+') ? '+' : flags.includes(' ') ? ' ' : '';
}

function formatFloat(v: number, sp: Spec): string {
  const neg = v < 0 || Object.is(v, -0);
  const a = Math.abs(v);
  const upper = sp.conv === sp.conv.toUpperCase();
  if (!Number.isFinite(a)) {
    const s = Number.isNaN(a) ? 'nan' : 'inf';
    return pad(upper ? s.toUpperCase() : s, signOf(neg && !Number.isNaN(a), sp.flags), sp, false);
  }
  const p = sp.precision ?? 6;
  let body: string;
  switch (sp.conv.toLowerCase()) {
    case 'e':
      body = pyExp(a.toExponential(Math.min(p, 100)));
      if (p > 100) body = body.replace('e', '0'.repeat(p - 100) + 'e');
      if (p === 0 && sp.flags.includes('#')) body = body.replace('e', '.e');
      break;
    case 'f':
      body = fixed(a, p);
      if (p === 0 && sp.flags.includes('#')) body += '.';
      break;
    default: {
      // %g: P significant digits; exponent form when X < -4 or X >= P; trailing zeros removed unless '#'.
      const P = p === 0 ? 1 : p;
      const exp = a === 0 ? 0 : Number(a.toExponential(Math.min(P - 1, 100)).split('e')[1]);
      if (exp >= -4 && exp < P) body = fixed(a, P - 1 - exp);
      else body = pyExp(a.toExponential(Math.min(P - 1, 100)));
      if (!sp.flags.includes('#')) {
        const [m, e] = body.split('e');
        let mm = m!;
        if (mm.includes('.')) mm = mm.replace(/0+$/, '').replace(/\.$/, '');
        body = e === undefined ? mm : `${mm}e${e}`;
      } else if (!body.includes('.')) body = body.replace(/(e|$)/, '.$1');
    }
  }
  if (upper) body = body.toUpperCase();
  return pad(body, signOf(neg, sp.flags), sp, true);
}

function formatInt(v: number | bigint, sp: Spec): string {
  let b: bigint;
  if (typeof v === 'bigint') b = v;
  else {
    if (!Number.isFinite(v)) {
      throw new NdshareRangeError(`Cannot format ${v} with %${sp.conv} (Python raises for a non-finite integer conversion)`, { code: codes.INVALID_ARG_VALUE });
    }
    b = BigInt(Math.trunc(v));
  }
  const neg = b < 0n;
  const a = neg ? -b : b;
  let body = sp.conv === 'o' ? a.toString(8) : sp.conv === 'x' ? a.toString(16) : sp.conv === 'X' ? a.toString(16).toUpperCase() : a.toString();
  if (sp.precision !== undefined && body.length < sp.precision) body = '0'.repeat(sp.precision - body.length) + body;
  if (sp.flags.includes('#')) body = (sp.conv === 'o' ? '0o' : sp.conv === 'x' ? '0x' : sp.conv === 'X' ? '0X' : '') + body;
  return pad(body, signOf(neg, sp.flags), sp, true);
}

/** The shortest decimal that reads back as float32 `v` (NumPy's str of a float32), as a double. */
function shortestSingle(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  for (let p = 1; p < 9; p++) {
    const t = Number(v.toPrecision(p));
    if (Math.fround(t) === v) return t;
  }
  return v;
}

/** `single`: v is a float32 (str gives its shortest float32 digits, as NumPy's). */
function formatValue(v: number | bigint | boolean, sp: Spec, single = false): string {
  switch (sp.conv) {
    case 's': {
      const s = typeof v === 'boolean' ? (v ? 'True' : 'False') : typeof v === 'bigint' ? v.toString() : pyFloatStr(single ? shortestSingle(v) : v);
      const t = sp.precision === undefined ? s : s.slice(0, sp.precision);
      return pad(t, '', sp, false);
    }
    case 'd':
    case 'i':
    case 'u':
    case 'o':
    case 'x':
    case 'X':
      // Python: '%x' % np.True_ raises TypeError (bool is not an index there), '%d' takes it.
      if (typeof v === 'boolean' && sp.conv !== 'd' && sp.conv !== 'i' && sp.conv !== 'u') {
        throw new NdshareTypeError(`Cannot format a bool with %${sp.conv} (Python raises TypeError)`, { code: codes.INVALID_ARG_TYPE });
      }
      return formatInt(typeof v === 'boolean' ? (v ? 1 : 0) : v, sp);
    default:
      return formatFloat(typeof v === 'boolean' ? (v ? 1 : 0) : Number(v), sp);
  }
}

/** A compiled format: literal pieces around the specs. */
interface Format {
  pieces: string[];
  specs: Spec[];
}

function compile(fmt: string): Format {
  const pieces: string[] = [];
  const specs: Spec[] = [];
  let last = 0;
  let lit = '';
  for (const m of fmt.matchAll(SPEC)) {
    lit += fmt.slice(last, m.index);
    last = m.index! + m[0].length;
    if (m[4] === '%') {
      lit += '%';
      continue;
    }
    pieces.push(lit);
    lit = '';
    specs.push({ flags: m[1] ?? '', width: m[2] ? Number(m[2]) : 0, precision: m[3] !== undefined ? Number(m[3]) : undefined, conv: m[4]! });
  }
  pieces.push(lit + fmt.slice(last));
  return { pieces, specs };
}

/** Options of {@link savetxt}. */
export interface SavetxtOptions {
  /** A format for every column ('%.18e', the default), one string with a spec per column, or an array of them. */
  fmt?: string | readonly string[];
  /** Between columns (default ' '). */
  delimiter?: string;
  /** After each row (default '\n'). */
  newline?: string;
  /** Text written first, each line prefixed with `comments`. */
  header?: string;
  /** Text written last, each line prefixed with `comments`. */
  footer?: string;
  /** Prefix of the header and footer lines (default '# '). */
  comments?: string;
  encoding?: never;
}

/**
 * The text {@link savetxt} writes, as a string.
 * @throws as {@link savetxt}.
 */
export function formatTxt(X: Operand, options?: SavetxtOptions): string {
  const o = checkOptions(options, { fn: 'nd.savetxt', known: ['fmt', 'delimiter', 'newline', 'header', 'footer', 'comments'], numpyOnly: ['encoding'] });
  let x = arrayOf(X, 'X');
  if (x.ndim === 0 || x.ndim > 2)
    throw new NdshareRangeError(`Expected a 1-d or 2-d array for X but received a ${x.ndim}-d array`, { code: codes.SHAPE_MISMATCH });
  // Complex: two values (re, im) per column, ' (%s+%sj)' for a one-spec fmt, '+-' written '-' (NumPy's).
  const cx = x.dtype === 'complex64' || x.dtype === 'complex128';
  if (x.ndim === 1) x = x.reshape([x.shape[0]!, 1]);
  const ncol = x.shape[1]!;
  const width = cx ? 2 * ncol : ncol; // values per line
  const delimiter = o.delimiter ?? ' ';
  const newline = o.newline ?? '\n';
  const comments = o.comments ?? '# ';
  for (const [k, v] of Object.entries({ delimiter, newline, comments })) if (typeof v !== 'string') invalidType(`options.${k}`, 'a string', v);
  const fmt = o.fmt ?? '%.18e';
  let row: Format;
  if (Array.isArray(fmt)) {
    if (fmt.length !== ncol)
      throw new NdshareRangeError(`Expected ${ncol} formats in options.fmt (one per column) but received ${fmt.length}`, { code: codes.INVALID_ARG_VALUE });
    row = compile((fmt as string[]).join(delimiter));
  } else if (typeof fmt === 'string') {
    const n = compile(fmt).specs.length;
    if (n === 1)
      row = compile(
        Array(ncol)
          .fill(cx ? complexColumnFormat(fmt) : fmt)
          .join(delimiter),
      );
    else if (n === width) row = compile(fmt);
    else
      throw new NdshareRangeError(`options.fmt has ${n} % formats for ${ncol} columns (expected 1 or ${width}): ${JSON.stringify(fmt)}`, {
        code: codes.INVALID_ARG_VALUE,
      });
  } else return invalidType('options.fmt', 'a string or an array of strings', fmt);
  if (row.specs.length !== width)
    throw new NdshareTypeError(`options.fmt does not give one % format per column: ${JSON.stringify(fmt)}`, { code: codes.INVALID_ARG_VALUE });

  const parts: string[] = [];
  if (o.header) parts.push(comments + o.header.replaceAll('\n', '\n' + comments) + newline);
  const c = x.copy();
  const data = c.data;
  const isBool = c.dtype === 'bool';
  // Integer elements stored as numbers print as Python ints with %s.
  const intAsBig = !isBool && !cx && c.dtypeInfo.kind !== 'f' && !c.dtypeInfo.bigint;
  const packed = c.dtypeInfo.packed;
  const flat = packed ? (c.astype('float64').data as Float64Array) : data;
  const rows = x.shape[0]!;
  const { pieces, specs } = row;
  const single = c.dtype === 'float32' || c.dtype === 'complex64';
  for (let i = 0; i < rows; i++) {
    let line = pieces[0]!;
    for (let j = 0; j < width; j++) {
      const raw = flat[i * width + j]!;
      const v = isBool ? raw === 1 : intAsBig && specs[j]!.conv === 's' ? BigInt(raw) : raw;
      line += formatValue(v as number | bigint | boolean, specs[j]!, single) + pieces[j + 1]!;
    }
    parts.push((cx ? line.replaceAll('+-', '-') : line) + newline);
  }
  if (o.footer) parts.push(comments + o.footer.replaceAll('\n', '\n' + comments) + newline);
  return parts.join('');
}

/**
 * Saves a 1-d or 2-d array to a text file (NumPy's `np.savetxt`): one line
 * per row (a 1-d array is one column), each value formatted by Python's `%`
 * rules, so the file is what NumPy writes. The file is written atomically,
 * as `nd.save`.
 *
 * @param fname a path or `file:` URL.
 * @param X the array (array-likes as `nd.asarray`).
 * @param options `fmt` ('%.18e'), `delimiter` (' '), `newline` ('\n'), `header`, `footer`, `comments` ('# ').
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH for a 0-d or 3-d+ array (NumPy's ValueError).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when `fmt` does not fit the number of columns; ERR_NDSHARE_UNSUPPORTED for `encoding`.
 * @example
 * nd.savetxt('out.csv', nd.arange(6).reshape([2, 3]), { fmt: '%d', delimiter: ',' }); // "0,1,2\n3,4,5\n"
 */
export function savetxt(fname: string | URL, X: Operand | NDArray, options?: SavetxtOptions): void {
  const p = checkPath(fname);
  const text = formatTxt(X, options);
  writeFileAtomically(p, [Buffer.from(text, 'utf8')]);
}
