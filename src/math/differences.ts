/**
 * Differences and cumulative sums with NumPy 2's semantics: `diff`,
 * `ediff1d`, `cumulativeSum`, `cumulativeProd` (the Array API forms).
 *
 * @module
 */
import { codes, NdshareTypeError } from '../errors.js';
import { normalizeAxis } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { arrayArg, boolArg, intArg, intoOut, optionsArg, valueError, type Operand } from '../sorting/common.js';
import { notEqual, subtract } from './elementwise.js';
import { canCastSameKind } from './promote.js';
import { cumprod, cumsum } from './reduce.js';
import { concatenate } from './shaping.js';
import type { DType } from '../ndarray/dtypes.js';
import { checkOptions } from '../validate.js';

/** Options of {@link diff}. */
export interface DiffOptions {
  /** How many times to difference. Default 1. */
  n?: number;
  /** Axis (default -1). */
  axis?: number;
  /** Values put before `a` along axis (a scalar is broadcast to one slice). */
  prepend?: Operand;
  /** Values put after `a` along axis. */
  append?: Operand;
}

function slab(v: Operand, a: NDArray, axis: number, arg: string): NDArray {
  const p = arrayArg(v, arg);
  if (p.ndim !== 0) return p;
  const shape = [...a.shape];
  shape[axis] = 1;
  return p.broadcastTo(shape);
}

/**
 * The n-th discrete difference along `axis` (NumPy's `np.diff`): `a[1:] - a[:-1]`
 * (`!=` for bool), repeated n times.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for n < 0 or a 0-d input; ERR_NDSHARE_OUT_OF_BOUNDS for a bad axis.
 * @example nd.diff([1, 4, 9, 16]).toArray() // [3, 5, 7]
 */
export function diff(a: Operand, options?: DiffOptions): NDArray {
  const o = optionsArg(options, ['n', 'axis', 'prepend', 'append'], 'diff');
  const n = o.n === undefined ? 1 : intArg(o.n, 'options.n');
  let x = arrayArg(a, 'a');
  if (n === 0) return x;
  if (n < 0) valueError(`order must be non-negative but got ${n}`);
  if (x.ndim === 0) valueError('diff requires input that is at least one dimensional');
  const axis = normalizeAxis(o.axis ?? -1, x.ndim, 'options.axis');
  const parts: NDArray[] = [];
  if (o.prepend !== undefined) parts.push(slab(o.prepend, x, axis, 'options.prepend'));
  parts.push(x);
  if (o.append !== undefined) parts.push(slab(o.append, x, axis, 'options.append'));
  if (parts.length > 1) x = concatenate(parts, { axis });
  const hi = x.ndim;
  for (let k = 0; k < n; k++) {
    const s1 = new Array<string>(hi).fill(':');
    const s2 = new Array<string>(hi).fill(':');
    s1[axis] = '1:';
    s2[axis] = ':-1';
    const op = x.dtype === 'bool' ? notEqual : subtract;
    x = op(x.slice(...s1), x.slice(...s2));
  }
  return x;
}

/** Options of {@link ediff1d}. */
export interface Ediff1dOptions {
  /** Values appended after the differences. */
  toEnd?: Operand | null;
  /** Values put before the differences. */
  toBegin?: Operand | null;
}

function extra(v: Operand | null | undefined, d: DType, arg: string): NDArray | undefined {
  if (v === undefined || v === null) return undefined;
  const from: DType = typeof v === 'number' ? (Number.isInteger(v) ? 'int64' : 'float64') : arrayArg(v, arg).dtype;
  if (!canCastSameKind(from, d)) {
    throw new NdshareTypeError(
      `dtype of \`${arg === 'options.toBegin' ? 'to_begin' : 'to_end'}\` must be compatible with input \`ary\` under the \`same_kind\` rule.`,
      { code: codes.DTYPE },
    );
  }
  const a = arrayArg(v, arg);
  return a.reshape([a.size]).astype(d);
}

/**
 * Differences of consecutive elements of the flattened array (NumPy's
 * `np.ediff1d`), in the input's dtype, with optional values before and after.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE when toBegin/toEnd do not cast same-kind to the input's dtype, or for bool input.
 * @example nd.ediff1d([1, 2, 4, 7], { toBegin: -99 }).toArray() // [-99, 1, 2, 3]
 */
export function ediff1d(ary: Operand, options?: Ediff1dOptions): NDArray {
  const o = optionsArg(options, ['toEnd', 'toBegin'], 'ediff1d');
  const x0 = arrayArg(ary, 'ary');
  const x = x0.reshape([x0.size]);
  const begin = extra(o.toBegin, x.dtype, 'options.toBegin');
  const end = extra(o.toEnd, x.dtype, 'options.toEnd');
  let d = subtract(x.slice('1:'), x.slice(':-1'));
  if (d.dtype !== x.dtype) d = d.astype(x.dtype);
  if (!begin && !end) return d;
  return concatenate([...(begin ? [begin] : []), d, ...(end ? [end] : [])]);
}

/** Options of {@link cumulativeSum} and {@link cumulativeProd}. */
export interface CumulativeOptions {
  /** Axis; may be omitted only for arrays of at most one dimension. */
  axis?: number | null;
  /** Accumulator and result dtype. */
  dtype?: DType | null;
  /** Where to write the result. */
  out?: NDArray | null;
  /** Start with the identity (0 or 1), so the result is one longer along axis. */
  includeInitial?: boolean;
}

function cumulative(kind: 'sum' | 'prod', x0: Operand, options: CumulativeOptions | undefined): NDArray {
  const fn = kind === 'sum' ? 'cumulativeSum' : 'cumulativeProd';
  const o = optionsArg(options, ['axis', 'dtype', 'out', 'includeInitial'], fn);
  let x = arrayArg(x0, 'x');
  if (x.ndim === 0) x = x.reshape([1]);
  let axis: number;
  if (o.axis === undefined || o.axis === null) {
    if (x.ndim >= 2) valueError('For arrays which have more than one dimension ``axis`` argument is required.');
    axis = 0;
  } else axis = normalizeAxis(o.axis, x.ndim, 'options.axis');
  const init = boolArg(o.includeInitial, 'options.includeInitial', false);
  const scan = kind === 'sum' ? cumsum : cumprod;
  let res = scan(x, { axis, ...(o.dtype ? { dtype: o.dtype } : {}) });
  if (init) {
    const shape = [...res.shape];
    shape[axis] = 1;
    const first = new NDArray(new res.dtypeInfo.ctor(shape.reduce((p, q) => p * q, 1)) as never, res.dtype, shape);
    first.fill(kind === 'sum' ? 0 : 1);
    res = concatenate([first, res], { axis });
  }
  return intoOut(res, o.out);
}

/**
 * Running sum along `axis` (NumPy 2's `np.cumulative_sum`), optionally
 * starting with 0 (`includeInitial`).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when axis is omitted for an array of 2+ dimensions.
 * @example nd.cumulativeSum([1, 2, 3], { includeInitial: true }).toArray() // [0, 1, 3, 6]
 */
export function cumulativeSum(x: Operand, options?: CumulativeOptions): NDArray {
  checkOptions(options, { fn: 'nd.cumulativeSum', known: ['axis', 'dtype', 'out', 'includeInitial'] });
  return cumulative('sum', x, options);
}

/**
 * Running product along `axis` (NumPy 2's `np.cumulative_prod`), optionally
 * starting with 1.
 * @throws {NdshareRangeError} as {@link cumulativeSum}.
 * @example nd.cumulativeProd([1, 2, 3]).toArray() // [1, 2, 6]
 */
export function cumulativeProd(x: Operand, options?: CumulativeOptions): NDArray {
  checkOptions(options, { fn: 'nd.cumulativeProd', known: ['axis', 'dtype', 'out', 'includeInitial'] });
  return cumulative('prod', x, options);
}
