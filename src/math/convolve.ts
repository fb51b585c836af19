/**
 * Discrete linear convolution and cross-correlation of two 1-D sequences
 * (NumPy's `np.convolve`, `np.correlate`) with the modes `'valid'`, `'same'`
 * and `'full'`. The O(n·m) loop runs natively (native/kernels/correlate):
 * float32 and float64 in their own type, float16/bfloat16 through float32
 * (NumPy's half dot accumulates in float), integers and bool through int64
 * with wrapping arithmetic (NumPy's integer dot accumulates in a 64-bit
 * integer and casts the sum back; bool is "any product true"), complex64 and
 * complex128 in their own type. `correlate` conjugates `v` for complex input,
 * as NumPy's; `convolve` conjugates nothing.
 *
 * @module
 */
import { native } from '../binding.js';
import { isComplex, type DType } from '../ndarray/dtypes.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { arrayArg, flatContiguous, invalidValue, newArray, optionsArg, storage, unsupported, valueError, type Operand } from '../sorting/common.js';
import { notEqual } from './elementwise.js';
import { conjugate } from './elementwise-more.js';
import { isInteger, promoteTypes } from './promote.js';
import { dtypeCode } from './ufunc.js';

/** NumPy's modes: a name, or its integer code (0 valid, 1 same, 2 full). */
export type ConvolveMode = 'valid' | 'same' | 'full' | 0 | 1 | 2;

/** Options of {@link convolve} and {@link correlate}. */
export interface ConvolveOptions {
  /** Size of the output: 'full' (every overlap), 'same' (the longer input's length), 'valid' (complete overlaps only). */
  mode?: ConvolveMode;
}

const MODES: Record<string, 0 | 1 | 2> = { valid: 0, same: 1, full: 2, '0': 0, '1': 1, '2': 2 };

function modeArg(v: unknown, dflt: 0 | 1 | 2): 0 | 1 | 2 {
  if (v === undefined) return dflt;
  const m = typeof v === 'string' || typeof v === 'number' ? MODES[String(v)] : undefined;
  if (m === undefined) invalidValue('options.mode', "'valid', 'same' or 'full' (or 0, 1, 2)", v);
  return m;
}

/** A 1-D input (0-d counts as one element, as NumPy's ndmin=1); more dimensions are NumPy's "object too deep" ValueError. */
function vector(x: Operand, arg: string): NDArray {
  const a = arrayArg(x, arg);
  if (a.ndim > 1) valueError(`${arg} must be 1-D (object too deep for desired array): got shape (${a.shape.join(', ')})`);
  return a.ndim === 0 ? a.reshape([1]) : a;
}

/** The compute dtype of the native kernel for result dtype t. */
function computeDType(t: DType): DType {
  if (t === 'float64' || t === 'float32' || t === 'complex64' || t === 'complex128') return t;
  if (t === 'float16' || t === 'bfloat16') return 'float32';
  return 'int64';
}

/** correlate(a, v) for n >= m >= 1 in dtype t: the lags of `mode`. */
function core(a: NDArray, v: NDArray, mode: 0 | 1 | 2, t: DType): NDArray {
  const n = a.shape[0]!;
  const m = v.shape[0]!;
  const lag0 = mode === 0 ? 0 : mode === 1 ? -Math.floor(m / 2) : -(m - 1);
  const len = mode === 0 ? n - m + 1 : mode === 1 ? n : n + m - 1;
  const c = computeDType(t);
  const ac = flatContiguous(a.dtype === c ? a : a.astype(c));
  const vc = flatContiguous(v.dtype === c ? v : v.astype(c));
  const out = newArray(c, [len]);
  native.math.correlate(dtypeCode(c), storage(ac), storage(vc), storage(out), lag0);
  if (t === 'bool') return notEqual(out, 0);
  return c === t ? out : out.astype(t);
}

function correlateImpl(a0: Operand, v0: Operand, mode: 0 | 1 | 2, convolveMode: boolean): NDArray {
  let a = vector(a0, 'a');
  let v = vector(v0, 'v');
  const t = promoteTypes(a.dtype, v.dtype);
  if (!(t === 'bool' || isInteger(t) || t === 'float16' || t === 'bfloat16' || t === 'float32' || t === 'float64' || isComplex(t))) {
    unsupported(convolveMode ? 'convolve' : 'correlate', `dtype ${t}`);
  }
  if (convolveMode) {
    // np.convolve: the longer input first, then correlate with the other reversed.
    if (v.shape[0]! > a.shape[0]!) [a, v] = [v, a];
    if (a.shape[0] === 0) valueError('a cannot be empty');
    if (v.shape[0] === 0) valueError('v cannot be empty');
    return core(a, v.slice('::-1'), mode, t);
  }
  if (a.shape[0] === 0) valueError('a cannot be empty');
  if (v.shape[0] === 0) valueError('v cannot be empty');
  if (isComplex(t)) {
    // np.correlate conjugates v first; a swap then reverses the result (sum a[n] conj(v[n + k]) is c[-k]).
    if (a.shape[0]! < v.shape[0]!) return core(conjugate(v, { dtype: t }), a, mode, t).slice('::-1');
    return core(a, conjugate(v, { dtype: t }), mode, t);
  }
  // NumPy swaps a shorter `a` with `v` and reverses the result.
  if (a.shape[0]! < v.shape[0]!) return core(v, a, mode, t).slice('::-1');
  return core(a, v, mode, t);
}

/**
 * Cross-correlation of two 1-D sequences (NumPy's `np.correlate`):
 * `c[k] = sum_n a[n + k] * v[n]`, default mode `'valid'`. The result dtype is
 * the promotion of the inputs' dtypes (integers wrap as NumPy's do).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an empty input, an input of more than one
 *   dimension or an unknown mode.
 * @example nd.correlate([1, 2, 3], [0, 1, 0.5]).toArray() // [3.5]
 */
export function correlate(a: Operand, v: Operand, options?: ConvolveOptions): NDArray {
  const o = optionsArg(options, ['mode'], 'correlate');
  return correlateImpl(a, v, modeArg(o.mode, 0), false);
}

/**
 * Discrete linear convolution of two 1-D sequences (NumPy's `np.convolve`),
 * default mode `'full'` (length n + m - 1).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an empty input, an input of more than one
 *   dimension or an unknown mode.
 * @example nd.convolve([1, 2, 3], [0, 1, 0.5]).toArray() // [0, 1, 2.5, 4, 1.5]
 */
export function convolve(a: Operand, v: Operand, options?: ConvolveOptions): NDArray {
  const o = optionsArg(options, ['mode'], 'convolve');
  return correlateImpl(a, v, modeArg(o.mode, 2), true);
}
