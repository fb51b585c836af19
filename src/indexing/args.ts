/**
 * Argument checks shared by the indexing routines (functions.ts, multi-index.ts):
 * operands as arrays, integer index arrays, and NumPy's out-of-range `mode`.
 *
 * @module
 */
import { NdshareRangeError, NdshareTypeError, codes, invalidValue } from '../errors.js';
import { NDArray } from '../ndarray/ndarray.js';
import { resultType } from '../math/promote.js';
import { scalarArray, toArray } from '../math/ufunc.js';
import { int64Of, numbersOf } from './int64.js';

/** NumPy's out-of-range index handling for take/put/choose/ravelMultiIndex. */
export type IndexMode = 'raise' | 'wrap' | 'clip';

export function arr(v: unknown, arg: string): NDArray {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return scalarArray(v, resultType([], [v]));
  return toArray(v, arg);
}

export function checkMode(mode: unknown, arg = 'options.mode'): IndexMode {
  if (mode === undefined) return 'raise';
  if (mode !== 'raise' && mode !== 'wrap' && mode !== 'clip') invalidValue(arg, "'raise', 'wrap' or 'clip'", mode);
  return mode;
}

/** Integer index values as numbers, moved into [0, n) by `mode` ('raise' leaves them for the plan to check). */
export function modeIndices(ind: NDArray, n: number, mode: IndexMode): NDArray {
  if (mode === 'raise') return ind;
  const v = numbersOf(ind);
  if (n === 0) throw new NdshareRangeError('Cannot do a non-empty take from an empty axis', { code: codes.OUT_OF_BOUNDS });
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    v[i] = mode === 'wrap' ? ((x % n) + n) % n : x < 0 ? 0 : x >= n ? n - 1 : x;
  }
  return int64Of(v, ind.shape);
}

export function intIndex(v: unknown, arg: string): NDArray {
  const a = arr(v, arg);
  if (a.dtype === 'float64' && !(v instanceof NDArray)) {
    const d = numbersOf(a);
    if (d.every(Number.isInteger)) return int64Of(d, a.shape);
  }
  if (!/^u?int/.test(a.dtype)) {
    throw new NdshareTypeError(`Expected integer indices for ${arg} but received an array of dtype ${a.dtype}`, { code: codes.INVALID_ARG_TYPE });
  }
  return a;
}
