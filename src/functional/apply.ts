/**
 * Functional programming helpers: NumPy's `apply_along_axis`,
 * `apply_over_axes` and `piecewise`.
 *
 * The callbacks are plain JS functions run in the caller (no workers): they
 * receive NDArray views and may return NDArrays, nested arrays or scalars,
 * converted as `nd.asarray` does (so a JS number is float64, DESIGN §3.1.9).
 *
 * @module
 */
import { codes, invalidType, NdshareError, NdshareRangeError } from '../errors.js';
import { contiguousStrides, normalizeAxis } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import type { Scalar } from '../ndarray/cast.js';
import { asarray, zeros, zerosLike, type ArrayInput } from '../ndarray/creation.js';
import { arrayOf, expandDims, moveaxis } from '../manipulation/views.js';
import { logicalNot, logicalOr } from '../math/elementwise.js';
import { setIndex, index } from '../indexing/advanced.js';
import type { Operand } from '../math/ufunc.js';

/** What a callback may return: an NDArray, a JS scalar or a nested array. */
export type CallbackResult = NDArray | Scalar | ArrayInput;

function resultArray(v: unknown, what: string): NDArray {
  if (v instanceof NDArray) return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return arrayOf(v);
  if (v === null || v === undefined || typeof v !== 'object') invalidType(what, 'an NDArray, an array-like or a JS scalar', v);
  return asarray(v as ArrayInput);
}

function checkFunction(f: unknown, arg: string): (...a: never[]) => unknown {
  if (typeof f !== 'function') invalidType(arg, 'a function', f);
  return f as (...a: never[]) => unknown;
}

/**
 * Applies `func1d` to the 1-D slices of `arr` along `axis` (NumPy's
 * `np.apply_along_axis`). `func1d(slice, ...args)` receives a 1-D view; its
 * results (all of the shape and dtype of the first one, as NumPy requires)
 * replace the axis: a scalar result removes it, a result of shape S puts S
 * in its place.
 *
 * @param func1d called once per slice, with the extra `args`.
 * @param axis the axis to slice along (negative counts from the end).
 * @param arr the input array (array-likes as `nd.asarray`).
 * @returns shape `arr.shape[:axis] + S + arr.shape[axis+1:]`, the dtype of the first result.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `func1d` is not a function.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for a bad axis (a 0-d `arr` has none);
 *   ERR_NDSHARE_INVALID_ARG_VALUE when an axis other than `axis` has length 0 (NumPy's ValueError).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when a later result does not fit the first one's shape.
 * @example
 * const x = nd.arange(6).reshape([2, 3]);
 * nd.applyAlongAxis((r) => nd.sum(r), 1, x).toArray()          // [3, 12]
 * nd.applyAlongAxis((r) => nd.sort(r), 0, x).shape             // [2, 3]
 */
export function applyAlongAxis(func1d: (x: NDArray, ...args: never[]) => CallbackResult, axis: number, arr: Operand, ...args: unknown[]): NDArray {
  const f = checkFunction(func1d, 'func1d');
  const a = arrayOf(arr, 'arr');
  const ax = normalizeAxis(axis, a.ndim, 'axis');
  const view = moveaxis(a, ax, -1);
  const iterShape = view.shape.slice(0, -1);
  if (iterShape.some((d) => d === 0)) {
    throw new NdshareRangeError(`Cannot apply along axis ${axis} of arr of shape (${a.shape.join(', ')}): another axis has length 0`, {
      code: codes.INVALID_ARG_VALUE,
    });
  }
  const n = view.shape[view.ndim - 1]!;
  const s = view.strides[view.ndim - 1]!;
  const iters = iterShape.reduce((p, q) => p * q, 1);
  const idx = new Array<number>(iterShape.length).fill(0);
  const slice = (): NDArray => {
    let off = view.offset;
    for (let k = 0; k < idx.length; k++) off += idx[k]! * view.strides[k]!;
    return new NDArray(view.data, view.dtype, [n], [s], off, { base: view.base ?? view, writeable: view.flags.writeable });
  };
  const call = (): NDArray => resultArray(f(slice() as never, ...(args as never[])), 'the result of func1d');
  const first = call();
  const resShape = first.shape;
  const resSize = first.size;
  const buff = zeros([...iterShape, ...resShape], { dtype: first.dtype });
  const resStrides = contiguousStrides(resShape);
  const slot = (k: number): NDArray => new NDArray(buff.data, buff.dtype, resShape, resStrides, k * resSize);
  slot(0).assign(first);
  for (let k = 1; k < iters; k++) {
    for (let j = idx.length - 1; j >= 0; j--) {
      if (++idx[j]! < iterShape[j]!) break;
      idx[j] = 0;
    }
    const r = call();
    slot(k).assign(r);
  }
  // (iter..., res...) -> iter[:axis] + res + iter[axis:], as NumPy's buff.transpose(buff_permute).
  const ni = iterShape.length;
  const nr = resShape.length;
  const perm = [...Array(ax).keys()];
  for (let j = 0; j < nr; j++) perm.push(ni + j);
  for (let j = ax; j < ni; j++) perm.push(j);
  return buff.transpose(perm);
}

/**
 * Applies `func(a, axis)` repeatedly over several axes (NumPy's
 * `np.apply_over_axes`): for each axis in turn, the result replaces `a` when
 * it has as many dimensions, or gets the axis back as a length-1 axis
 * (NumPy's `expand_dims`).
 *
 * @param func `(a, axis) => NDArray`, e.g. `(x, ax) => nd.sum(x, { axis: ax })`.
 * @param a the input array.
 * @param axes an axis or an array of axes (negative counts from the end).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `func` is not a function.
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH when a result has neither `a.ndim` nor `a.ndim - 1` dimensions (NumPy's ValueError).
 * @example
 * nd.applyOverAxes((x, ax) => nd.sum(x, { axis: ax }), nd.arange(24).reshape([2, 3, 4]), [0, 2]).shape // [1, 3, 1]
 */
export function applyOverAxes(func: (a: NDArray, axis: number) => CallbackResult, a: Operand, axes: number | readonly number[]): NDArray {
  const f = checkFunction(func, 'func');
  let val = arrayOf(a);
  const N = val.ndim;
  const list = Array.isArray(axes) ? (axes as readonly number[]) : [axes as number];
  if (N === 0 && list.length > 0) normalizeAxis(list[0], N, 'axes');
  for (const raw of list) {
    const axis = normalizeAxis(raw, N, 'axes');
    let res = resultArray((f as (a: NDArray, axis: number) => unknown)(val, axis), 'the result of func');
    if (res.ndim !== val.ndim) {
      res = expandDims(res, axis);
      if (res.ndim !== val.ndim) {
        throw new NdshareError('func must return an array with as many dimensions as a, or one fewer (the axis it reduced)', { code: codes.SHAPE_MISMATCH });
      }
    }
    val = res;
  }
  return val;
}

/** A function of {@link piecewise}, or a constant. */
export type PiecewiseFunction = ((x: NDArray, ...args: never[]) => CallbackResult) | Scalar;

function boolArray(v: unknown, arg: string): NDArray {
  const a = v instanceof NDArray ? v : typeof v === 'boolean' || typeof v === 'number' ? arrayOf(v) : asarray(v as ArrayInput);
  if (a.dtype !== 'bool') return a.astype('bool');
  void arg;
  return a;
}

/** The conditions of piecewise as bool arrays, as NumPy's `asarray(condlist, dtype=bool)` then rows. */
function conditions(condlist: unknown, x: NDArray): NDArray[] {
  if (typeof condlist === 'boolean' || typeof condlist === 'number') return [boolArray(condlist, 'condlist')];
  if (condlist instanceof NDArray) {
    // NumPy wraps it as one condition when its first element is a scalar (and x is not 0-d); else its rows are the conditions.
    const c = boolArray(condlist, 'condlist');
    if (c.ndim === 0 || (c.ndim === 1 && x.ndim !== 0)) return [c];
    return Array.from({ length: c.shape[0]! }, (_, i) => c.slice(i));
  }
  if (!Array.isArray(condlist)) invalidType('condlist', 'a bool NDArray, a boolean or an array of conditions', condlist);
  const firstIsCond = condlist.length > 0 && (condlist[0] instanceof NDArray || Array.isArray(condlist[0]));
  if (!firstIsCond && x.ndim !== 0) return [boolArray(condlist, 'condlist')];
  return condlist.map((c, i) => boolArray(c, `condlist[${i}]`));
}

/**
 * Evaluates a piecewise-defined function (NumPy's `np.piecewise`): where
 * `condlist[i]` is true, the result is `funclist[i](x[condlist[i]], ...args)`
 * (or `funclist[i]` itself when it is a constant). With one more function
 * than conditions, the last one applies where no condition holds. Elsewhere
 * the result is 0. Later conditions overwrite earlier ones. The result has
 * the shape and dtype of `x`; function results are cast to it.
 *
 * @param x the input array.
 * @param condlist a bool array shaped like `x`, or an array of them (nested
 *   arrays and booleans as `nd.asarray`).
 * @param funclist functions `(values, ...args) => values` or constants.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a bad `condlist` or `funclist`.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when `funclist` has neither as many
 *   entries as `condlist` nor one more (NumPy's ValueError).
 * @example
 * const x = nd.linspace(-2, 2, 5);
 * nd.piecewise(x, [nd.less(x, 0), nd.greaterEqual(x, 0)], [(v) => nd.negative(v), (v) => v]).toArray() // [2, 1, 0, 1, 2]
 * nd.piecewise(x, [nd.less(x, 0)], [-1, 1]).toArray() // [-1, -1, 1, 1, 1]
 */
export function piecewise(x: Operand, condlist: unknown, funclist: readonly PiecewiseFunction[], ...args: unknown[]): NDArray {
  const xa = arrayOf(x, 'x');
  if (!Array.isArray(funclist)) invalidType('funclist', 'an array of functions or constants', funclist);
  const conds = conditions(condlist, xa);
  const n = conds.length;
  const n2 = funclist.length;
  if (n === n2 - 1) {
    let any = conds[0] ?? boolArray(false, 'condlist');
    for (let i = 1; i < n; i++) any = logicalOr(any, conds[i]!);
    conds.push(logicalNot(any));
  } else if (n !== n2) {
    throw new NdshareRangeError(`Expected ${n} or ${n + 1} entries for funclist (with ${n} condition(s)) but received ${n2}`, {
      code: codes.INVALID_ARG_VALUE,
    });
  }
  // A 0-d x is handled as one element (x[cond] is then 1-d, as in NumPy); boolean indexing needs an axis.
  const zeroD = xa.ndim === 0;
  const x1 = zeroD ? xa.reshape([1]) : xa;
  const y = zerosLike(x1);
  conds.forEach((c, i) => {
    const cond = zeroD && c.ndim === 0 ? c.reshape([1]) : c;
    const func = funclist[i];
    if (typeof func !== 'function') {
      if (typeof func !== 'number' && typeof func !== 'bigint' && typeof func !== 'boolean') invalidType(`funclist[${i}]`, 'a function or a JS scalar', func);
      setIndex(y, [cond, func]);
      return;
    }
    const vals = index(x1, cond);
    if (vals.size > 0) setIndex(y, [cond, resultArray((func as (v: NDArray, ...a: unknown[]) => unknown)(vals, ...args), `the result of funclist[${i}]`)]);
  });
  return zeroD ? y.reshape([]) : y;
}
