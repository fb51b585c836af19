/**
 * Searching and counting: `searchsorted`, `countNonzero`, `nanargmax`,
 * `nanargmin`.
 *
 * @module
 */
import { native } from '../binding.js';
import { countNonzeroNative } from '../indexing/native.js';
import { invalidType } from '../errors.js';
import { isFloat, promoteTypes, resultType, weakKind, fitsInteger } from '../math/promote.js';
import { argmax, argmin, all, any, sum } from '../math/reduce.js';
import { isnan, notEqual } from '../math/elementwise.js';
import { where } from '../math/selection.js';
import type { DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { arrayArg, code, flatContiguous, intoOut, newArray, optionsArg, storage, valueError, type Operand } from './common.js';
import { checkOptions } from '../validate.js';

/** Options of {@link searchsorted}. */
export interface SearchsortedOptions {
  /** 'left' (default): the first suitable index; 'right': the last. */
  side?: 'left' | 'right';
  /** Indices (int) that sort `a`, when `a` itself is not sorted. */
  sorter?: Operand | null;
}

/** The dtype both sides are compared in: NumPy's common dtype, a JS scalar weak (NEP 50). */
function commonDType(a: NDArray, v: unknown, vArr: NDArray): DType {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
    const t = resultType([a.dtype], [v], ['v'], false);
    if (weakKind(v) === 'int' && !isFloat(t) && t !== 'bool' && !fitsInteger(v as number | bigint, t)) return 'float64';
    return t;
  }
  return promoteTypes(a.dtype, vArr.dtype);
}

/**
 * Where `v` would go in the sorted 1-D `a` to keep it sorted (NumPy's
 * `np.searchsorted`): int64 indices of `v`'s shape. NaN counts as the largest
 * value, as in NumPy's sort order.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when `a` is not 1-D, for a bad side, or a sorter out of range.
 * @example nd.searchsorted([1, 2, 3, 5], 4).item() // 3n
 */
export function searchsorted(a: Operand, v: Operand, options?: SearchsortedOptions): NDArray {
  const o = optionsArg(options, ['side', 'sorter'], 'searchsorted');
  const side = o.side ?? 'left';
  if (side !== 'left' && side !== 'right') valueError(`side must be 'left' or 'right' (got ${String(side)})`);
  let x = arrayArg(a, 'a');
  if (x.ndim !== 1) valueError(`searchsorted: a must be 1-D (got ${x.ndim}-d)`);
  const va = arrayArg(v, 'v');
  if (o.sorter !== undefined && o.sorter !== null) {
    const s = arrayArg(o.sorter, 'options.sorter');
    if (s.ndim !== 1 || s.size !== x.size) valueError('sorter.size must equal a.size');
    if (s.dtypeInfo.kind === 'f' || s.dtype === 'bool') invalidType('options.sorter', 'an integer array', o.sorter);
    const idx = s.astype('int64').copy();
    const id = idx.data as BigInt64Array;
    const n = BigInt(x.size);
    for (let i = 0; i < id.length; i++) if (id[i]! < 0n || id[i]! >= n) valueError('Sorter index out of range.');
    const src = x.copy();
    const g = src.copy();
    const ss = src.data as unknown as { [i: number]: number | bigint };
    const gs = g.data as unknown as { [i: number]: number | bigint };
    for (let i = 0; i < id.length; i++) gs[i] = ss[Number(id[i])]!;
    x = g;
  }
  const t = commonDType(x, v, va);
  const xa = flatContiguous(x.dtype === t ? x : x.astype(t));
  const vv = flatContiguous(va.dtype === t ? va : va.astype(t));
  const out = newArray('int64', va.shape);
  if (out.size > 0) native.sort.searchsorted(code(t), storage(xa), xa.size, storage(vv), vv.size, side === 'right', out.data as BigInt64Array);
  return out;
}

/** Options of {@link countNonzero}. */
export interface CountNonzeroOptions {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
}

/**
 * Number of non-zero elements (NaN counts), int64 (NumPy's `np.count_nonzero`).
 * @example nd.countNonzero([[0, 1], [2, 0]], { axis: 0 }).toArray() // [1n, 1n]
 */
export function countNonzero(a: Operand, options?: CountNonzeroOptions): NDArray {
  const o = optionsArg(options, ['axis', 'keepdims'], 'countNonzero');
  const x = arrayArg(a, 'a');
  if ((o.axis ?? null) === null && !o.keepdims) return new NDArray(BigInt64Array.of(BigInt(countNonzeroNative(x))), 'int64', []);
  const mask = x.dtype === 'bool' ? x : notEqual(x, 0);
  return sum(mask, { axis: o.axis ?? null, keepdims: o.keepdims ?? false, dtype: 'int64' });
}

/** Options of {@link nanargmax} and {@link nanargmin}. */
export interface NanArgOptions {
  axis?: number | null;
  keepdims?: boolean;
  out?: NDArray | null;
}

function nanArg(which: 'max' | 'min', a: Operand, options: NanArgOptions | undefined): NDArray {
  const fn = which === 'max' ? 'nanargmax' : 'nanargmin';
  const o = optionsArg(options, ['axis', 'keepdims', 'out'], fn);
  const x = arrayArg(a, 'a');
  const arg = which === 'max' ? argmax : argmin;
  const opts = { axis: o.axis ?? null, keepdims: o.keepdims ?? false };
  if (!isFloat(x.dtype)) return intoOut(arg(x, opts), o.out);
  const nan = isnan(x);
  const filled = where(nan, which === 'max' ? -Infinity : Infinity, x);
  const res = arg(filled.dtype === x.dtype ? filled : filled.astype(x.dtype), opts);
  if (x.size > 0 && (any(all(nan, { axis: o.axis ?? null })).item() as boolean)) valueError('All-NaN slice encountered');
  return intoOut(res, o.out);
}

/**
 * Index of the largest value ignoring NaN (NumPy's `np.nanargmax`).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an all-NaN slice or an empty axis.
 * @example nd.nanargmax([NaN, 3, 1]).item() // 1n
 */
export function nanargmax(a: Operand, options?: NanArgOptions): NDArray {
  checkOptions(options, { fn: 'nd.nanargmax', known: ['axis', 'keepdims', 'out'] });
  return nanArg('max', a, options);
}

/**
 * Index of the smallest value ignoring NaN (NumPy's `np.nanargmin`).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an all-NaN slice or an empty axis.
 * @example nd.nanargmin([NaN, 3, 1]).item() // 2n
 */
export function nanargmin(a: Operand, options?: NanArgOptions): NDArray {
  checkOptions(options, { fn: 'nd.nanargmin', known: ['axis', 'keepdims', 'out'] });
  return nanArg('min', a, options);
}
