/**
 * Counting: `bincount` and `digitize`, with NumPy 2's semantics.
 *
 * @module
 */
import { native } from '../binding.js';
import { codes, NdshareTypeError } from '../errors.js';
import { NDArray } from '../ndarray/ndarray.js';
import { arrayArg, boolArg, code, flatContiguous, intArg, newArray, optionsArg, storage, valueError, type Operand } from '../sorting/common.js';
import { searchsorted } from '../sorting/search.js';

/** Options of {@link bincount}. */
export interface BincountOptions {
  /** Weights, one per element of x: the result sums them (float64) instead of counting. */
  weights?: Operand | null;
  /** The least length of the result. Default 0. */
  minlength?: number | bigint;
}

/**
 * Number of occurrences of each value 0..max(x) of a 1-D array of
 * non-negative integers (NumPy's `np.bincount`): int64 counts, or float64 sums
 * of `weights`.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for float input (NumPy: no safe cast to int64).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for negative values, a negative minlength,
 *   weights of another length, or input that is not 1-D.
 * @example nd.bincount(nd.array([0, 1, 1, 3], { dtype: 'int32' })).toArray() // [1n, 2n, 0n, 1n]
 */
export function bincount(x: Operand, options?: BincountOptions): NDArray {
  const o = optionsArg(options, ['weights', 'minlength'], 'bincount');
  const fromJs = !(x instanceof NDArray);
  let a = arrayArg(x, 'x');
  const minlength = o.minlength === undefined ? 0 : intArg(o.minlength, 'options.minlength');
  if (minlength < 0) valueError("'minlength' must not be negative");
  if (a.ndim !== 1) valueError(`bincount: x must be 1-D (got ${a.ndim}-d)`);
  if (a.size === 0 && fromJs) a = newArray('int64', [0]);
  if (a.dtypeInfo.kind === 'f') {
    throw new NdshareTypeError(`Cannot cast array data from dtype('${a.dtype}') to dtype('int64') according to the rule 'safe'`, { code: codes.DTYPE });
  }
  const xs = flatContiguous(a);
  let w: NDArray | undefined;
  if (o.weights !== undefined && o.weights !== null) {
    w = flatContiguous(arrayArg(o.weights, 'options.weights').astype('float64'));
    if (w.size !== a.size) valueError("The weights and list don't have the same length.");
  }
  let nbins = minlength;
  if (a.size > 0) {
    const [lo, hi] = native.sort.intRange(code(xs.dtype), storage(xs), xs.size);
    if (lo < 0) valueError("'list' argument must have no negative elements");
    nbins = Math.max(nbins, hi + 1);
  }
  const out = newArray(w ? 'float64' : 'int64', [nbins], true);
  if (a.size > 0) {
    native.sort.bincount(code(xs.dtype), storage(xs), xs.size, w ? (storage(w) as Float64Array) : null, out.data as BigInt64Array | Float64Array, nbins);
  }
  return out;
}

/** Options of {@link digitize}. */
export interface DigitizeOptions {
  /** Intervals closed on the right (bins[i-1] < x <= bins[i]). Default false. */
  right?: boolean;
}

/** 1 increasing, -1 decreasing, 0 neither (NumPy's _monotonicity). */
function monotonicity(b: NDArray): number {
  const v = flatContiguous(b.dtypeInfo.packed ? b.astype('float32') : b);
  const s = storage(v) as unknown as ArrayLike<number | bigint>;
  let inc = true;
  let dec = true;
  for (let i = 1; i < s.length; i++) {
    if (!(s[i - 1]! <= s[i]!)) inc = false;
    if (!(s[i - 1]! >= s[i]!)) dec = false;
  }
  return inc ? 1 : dec ? -1 : 0;
}

/**
 * The index of the bin each value of `x` falls in (NumPy's `np.digitize`):
 * int64 of x's shape; `bins` increasing or decreasing.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when bins are not monotonic or not 1-D.
 * @example nd.digitize([0.2, 6.4, 3.0], [0, 1, 2.5, 4]).toArray() // [1n, 4n, 3n]
 */
export function digitize(x: Operand, bins: Operand, options?: DigitizeOptions): NDArray {
  const o = optionsArg(options, ['right'], 'digitize');
  const right = boolArg(o.right, 'options.right', false);
  const b = arrayArg(bins, 'bins');
  if (b.ndim !== 1) valueError('digitize: bins must be 1-D');
  const mono = monotonicity(b);
  if (mono === 0) valueError('bins must be monotonically increasing or decreasing');
  const side = right ? 'left' : 'right';
  if (mono === -1) {
    const r = searchsorted(b.slice('::-1'), x, { side });
    const d = r.data as BigInt64Array;
    const n = BigInt(b.size);
    for (let i = 0; i < d.length; i++) d[i] = n - d[i]!;
    return r;
  }
  return searchsorted(b, x, { side });
}
