/**
 * Shared helpers of the sorting, set and statistics routines: array inputs,
 * options objects, rows along an axis as a contiguous copy, and results put
 * back in the input's axis order.
 *
 * @module
 */
import type { TypedArray } from '../ndarray/dtypes.js';
import { codes, invalidType, invalidValue, NdshareError, NdshareRangeError } from '../errors.js';
import { allocUninit, allocZeroed, dtypeInfo, type DType } from '../ndarray/dtypes.js';
import { normalizeAxis, sizeOf } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { dtypeCode, scalarArray, toArray } from '../math/ufunc.js';
import type { Operand } from '../math/ufunc.js';
import { checkOptions } from '../validate.js';

export type { Operand };

/** An NDArray for an array-like or a JS scalar (numbers: float64, bigints: int64, booleans: bool). */
export function arrayArg(x: unknown, arg: string): NDArray {
  if (typeof x === 'number') return scalarArray(x, 'float64');
  if (typeof x === 'bigint') return scalarArray(x, 'int64');
  if (typeof x === 'boolean') return scalarArray(x, 'bool');
  return toArray(x, arg);
}

/** The options object (or {}), with every key checked against the ones the function has. */
export function optionsArg<T extends object>(o: T | undefined, allowed: readonly string[], fn: string): Partial<T> {
  if (o === null) return {};
  return checkOptions(o, { fn: `nd.${fn}`, known: allowed });
}

/** Throws ERR_NDSHARE_UNSUPPORTED for an option NumPy has and ndshare does not. */
export function unsupported(fn: string, what: string): never {
  throw new NdshareError(`${fn}: ${what} is not supported`, { code: codes.UNSUPPORTED });
}

/** A boolean option. */
export function boolArg(v: unknown, arg: string, dflt: boolean): boolean {
  if (v === undefined || v === null) return dflt;
  if (typeof v !== 'boolean') invalidType(arg, 'a boolean', v);
  return v;
}

/** An integer option (numbers or bigints). */
export function intArg(v: unknown, arg: string): number {
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof NDArray && v.ndim === 0 && v.dtypeInfo.kind !== 'f') return Number(v.item());
  if (typeof v !== 'number' || !Number.isInteger(v)) invalidType(arg, 'an integer', v);
  return v;
}

/** The axis option: null for the flattened array, else a normalized axis (0-d arrays count as 1-d for axis -1/0 only when NumPy allows). */
export function axisArg(v: unknown, ndim: number, dflt: number | null, arg = 'options.axis'): number | null {
  if (v === undefined) v = dflt;
  if (v === null) return null;
  return normalizeAxis(typeof v === 'bigint' ? Number(v) : v, ndim, arg);
}

/** Rows along `axis` as a fresh C-contiguous array whose last axis is `axis`. */
export interface Rows {
  /** The contiguous copy (moved axis last). */
  buf: NDArray;
  /** Number of rows and their length. */
  rows: number;
  n: number;
  /** The axis order of `buf` relative to the input. */
  perm: number[];
}

/** A contiguous copy of `x` with `axis` moved last (always a fresh array). */
export function rowsOf(x: NDArray, axis: number): Rows {
  const nd = x.ndim;
  const perm: number[] = [];
  for (let i = 0; i < nd; i++) if (i !== axis) perm.push(i);
  perm.push(axis);
  const moved = axis === nd - 1 ? x : x.transpose(perm);
  const buf = moved.copy();
  const n = x.shape[axis] ?? 1;
  return { buf, rows: n === 0 ? 0 : buf.size / n, n, perm };
}

/** Puts an array laid out as `perm` of the input back in the input's axis order (a C-contiguous copy). */
export function unpermute(y: NDArray, perm: readonly number[]): NDArray {
  if (perm.every((p, i) => p === i)) return y;
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return y.transpose(inv).copy();
}

/** A fresh C-contiguous array. */
export function newArray(d: DType, shape: readonly number[], zeroed = false): NDArray {
  const n = sizeOf(shape);
  return new NDArray(zeroed ? allocZeroed(d, n) : allocUninit(d, n), d, shape);
}

/** The native dtype code. */
export const code = dtypeCode;

/** A flat C-contiguous copy (or the array itself when it already is one starting at offset 0 and owning its data). */
export function flatContiguous(x: NDArray): NDArray {
  if (x.flags.cContiguous && x.offset === 0 && x.data.length === x.size * dtypeInfo(x.dtype).lanes) return x.ndim === 1 ? x : x.reshape([x.size]);
  return x.copy().reshape([x.size]);
}

/** The storage of a flat contiguous array from its offset (complex: its parts, two per element). */
export function storage(x: NDArray): TypedArray {
  const lanes = dtypeInfo(x.dtype).lanes;
  return x.offset === 0 && x.data.length === x.size * lanes ? x.data : x.data.subarray(x.offset * lanes, (x.offset + x.size) * lanes);
}

/** Writes `res` into `out` (NumPy's out=): same shape, a cast that keeps kind. */
export function intoOut(res: NDArray, out: unknown, arg = 'options.out'): NDArray {
  if (out === undefined || out === null) return res;
  if (!(out instanceof NDArray)) invalidType(arg, 'an NDArray', out);
  if (out.shape.length !== res.shape.length || out.shape.some((d, i) => d !== res.shape[i])) {
    throw new NdshareError(`${arg} has shape (${out.shape.join(', ')}), the result has (${res.shape.join(', ')})`, { code: codes.SHAPE_MISMATCH });
  }
  if (!out.flags.writeable) throw new NdshareError(`${arg} is read-only`, { code: codes.READ_ONLY });
  out.assign(res.dtype === out.dtype ? res : res.astype(out.dtype));
  return out;
}

/** A RangeError with the INVALID_ARG_VALUE code (NumPy's ValueError). */
export function valueError(message: string): never {
  throw new NdshareRangeError(message, { code: codes.INVALID_ARG_VALUE });
}

export { invalidType, invalidValue };
