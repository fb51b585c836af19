/**
 * One-dimensional piecewise-linear interpolation (NumPy's `np.interp`) and
 * phase unwrapping (`np.unwrap`).
 *
 * @module
 */
import { native } from '../binding.js';
import { NdshareTypeError, codes, invalidType } from '../errors.js';
import type { Complex } from '../ndarray/dtypes.js';
import { normalizeAxis } from '../ndarray/layout.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { argsort } from '../sorting/sort.js';
import { arrayArg, flatContiguous, intArg, newArray, optionsArg, storage, valueError, type Operand } from '../sorting/common.js';
import { diff } from './differences.js';
import { interpComplex } from './interp-complex.js';
import { abs, add, equal, greater, less, logicalAnd, mod, subtract } from './elementwise.js';
import { isInteger, resultType } from './promote.js';
import { cumsum } from './reduce.js';
import { where } from './selection.js';
import { concatenate } from './shaping.js';

/** Options of {@link interp}. */
export interface InterpOptions {
  /** Value for x < xp[0] (default fp[0]); `{re, im}` for complex fp. */
  left?: number | Complex | null;
  /** Value for x > xp[-1] (default fp[-1]); `{re, im}` for complex fp. */
  right?: number | Complex | null;
  /** Period of the x-coordinates (then left/right are ignored and xp need not be sorted). */
  period?: number | null;
}

function numberOpt(v: unknown, arg: string): number | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return Number(v);
  const a = arrayArg(v, arg);
  if (a.size !== 1) invalidType(arg, 'a number', v);
  return Number(a.reshape([]).astype('float64').item());
}

function f64(a: NDArray): Float64Array {
  return storage(flatContiguous(a.dtype === 'float64' ? a : a.astype('float64'))) as Float64Array;
}

/**
 * Linear interpolation of the points (xp, fp) at x (NumPy's `np.interp`), in
 * float64; x of any shape, NaN x gives NaN. `xp` must be increasing (NumPy
 * does not check it either; the result for unsorted xp is undefined), except
 * with `period`, where xp is sorted after being taken modulo the period.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for empty xp, xp and fp of different lengths,
 *   xp or fp not 1-D, or a period of 0.
 * @example nd.interp([0.5, 1.5, 5], [0, 1, 2], [0, 10, 20]).toArray() // [5, 15, 20]
 */
export function interp(x: Operand, xp: Operand, fp: Operand, options?: InterpOptions): NDArray {
  const o = optionsArg(options, ['left', 'right', 'period'], 'interp');
  let X = arrayArg(x, 'x');
  let XP = arrayArg(xp, 'xp');
  let FP = arrayArg(fp, 'fp');
  if (FP.dtype.startsWith('complex') || X.dtype.startsWith('complex') || XP.dtype.startsWith('complex')) {
    return interpComplex(X, XP, FP, o, interp); // interp-complex.ts: per part
  }
  let left = numberOpt(o.left, 'options.left');
  let right = numberOpt(o.right, 'options.right');
  const period = numberOpt(o.period, 'options.period');
  if (period !== undefined) {
    if (period === 0) valueError('period must be a non-zero value (options.period)');
    const p = Math.abs(period);
    left = undefined;
    right = undefined;
    if (XP.ndim !== 1 || FP.ndim !== 1) valueError('Data points must be 1-D sequences (xp, fp)');
    if (XP.shape[0] !== FP.shape[0]) valueError('fp and xp are not of the same length');
    X = mod(X.astype('float64'), p);
    XP = mod(XP.astype('float64'), p);
    const order = argsort(XP);
    XP = XP.take(order);
    FP = FP.astype('float64').take(order);
    XP = concatenate([subtract(XP.slice('-1:'), p), XP, add(XP.slice('0:1'), p)]);
    FP = concatenate([FP.slice('-1:'), FP, FP.slice('0:1')]);
  }
  if (XP.ndim !== 1 || FP.ndim !== 1) valueError('object of too small depth for desired array: xp and fp must be 1-D');
  const n = XP.shape[0]!;
  if (n === 0) valueError('array of sample points is empty (xp)');
  if (FP.shape[0] !== n) valueError('fp and xp are not of the same length.');
  const xs = f64(X);
  const px = f64(XP);
  const pf = f64(FP);
  const lval = left ?? pf[0]!;
  const rval = right ?? pf[n - 1]!;
  const out = newArray('float64', X.shape);
  if (n === 1) {
    const r = out.data as Float64Array;
    const m = xs.length;
    const x0 = px[0]!;
    const f0 = pf[0]!;
    for (let i = 0; i < m; i++) {
      const v = xs[i]!;
      r[i] = v < x0 ? lval : v > x0 ? rval : f0; // NaN x gives fp[0], as NumPy
    }
    return out;
  }
  native.math.interp(xs, px, pf, storage(out) as Float64Array, lval, rval);
  return out;
}

/** Options of {@link unwrap}. */
export interface UnwrapOptions {
  /** Jumps smaller than this are left alone (default period / 2; smaller values act as period / 2). */
  discont?: number | null;
  /** Axis to unwrap along (default -1). */
  axis?: number;
  /** The period of the values (default 2π). */
  period?: number;
}

/**
 * Unwraps by taking the complement of large jumps with respect to `period`
 * (NumPy's `np.unwrap`): consecutive differences larger than `discont` along
 * `axis` are shifted by multiples of the period. Integer input with an
 * integer period stays integer.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a 0-d input.
 * @example nd.unwrap([0, 3, 6.5, 0.2]).toArray() // [0, 3, 6.5, 6.483185307179586]
 */
export function unwrap(p: Operand, options?: UnwrapOptions): NDArray {
  const o = optionsArg(options, ['discont', 'axis', 'period'], 'unwrap');
  const P = arrayArg(p, 'p');
  const period = o.period === undefined ? 2 * Math.PI : numberOpt(o.period, 'options.period')!;
  const axis = o.axis === undefined ? -1 : intArg(o.axis, 'options.axis');
  if (P.ndim === 0) valueError('diff requires input that is at least one dimensional (p is 0-d)');
  const ax = normalizeAxis(axis, P.ndim, 'options.axis');
  const dd = diff(P, { axis: ax });
  const discont = o.discont === undefined || o.discont === null ? period / 2 : numberOpt(o.discont, 'options.discont')!;
  const dtype = resultType([dd.dtype], [period], ['options.period']);
  let high: number;
  let ambiguous: boolean;
  if (isInteger(dtype)) {
    high = Math.floor(period / 2);
    ambiguous = period - 2 * high === 0;
  } else {
    high = period / 2;
    ambiguous = true;
  }
  const low = -high;
  let ddmod = add(mod(subtract(dd, low), period), low);
  if (ambiguous) ddmod = where(logicalAnd(equal(ddmod, low), greater(dd, 0)), high, ddmod);
  let corr = subtract(ddmod, dd);
  corr = where(less(abs(dd), discont), 0, corr);
  if (corr.dtype === 'bool') throw new NdshareTypeError('unwrap: boolean phases cannot be corrected', { code: codes.DTYPE });
  const up = P.astype(dtype).copy();
  const idx: string[] = new Array<string>(P.ndim).fill(':');
  idx[ax] = '1:';
  const tail = add(P.slice(...idx), cumsum(corr, { axis: ax }));
  up.slice(...idx).assign(tail.dtype === dtype ? tail : tail.astype(dtype));
  return up;
}
