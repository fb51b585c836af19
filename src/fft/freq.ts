/**
 * The sample frequencies of a transform: NumPy's `fft.fftfreq` and
 * `fft.rfftfreq` (float64 results, as NumPy's integer ramp times a Python
 * float).
 *
 * @module
 */
import { NdshareRangeError, codes, invalidType } from '../errors.js';
import { indexValue } from '../ndarray/layout.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { emptyArray } from '../math/ufunc.js';
import { checkOptions } from '../validate.js';

/** Options of {@link fftfreq} and {@link rfftfreq}. */
export interface FreqOptions {
  /** The sample spacing (the inverse of the sampling rate); default 1. */
  d?: number;
  /** Only `'cpu'` (NumPy 2's Array API `device`). */
  device?: 'cpu';
}

/** The window length `n` and `1 / (n d)`, validated as NumPy does. */
function scaleOf(fn: string, n: unknown, dOrOptions: number | FreqOptions | undefined): { n: number; val: number } {
  const opts: FreqOptions = typeof dOrOptions === 'number' ? { d: dOrOptions } : checkOptions(dOrOptions, { fn, known: ['d', 'device'] });
  const len = indexValue(n);
  if (typeof len !== 'number' || !Number.isInteger(len)) invalidType('n', 'an integer', n);
  if (opts.device !== undefined && opts.device !== 'cpu') invalidType('options.device', "'cpu'", opts.device);
  const d = indexValue(opts.d ?? 1);
  if (typeof d !== 'number') invalidType('d', 'a number', opts.d);
  if (len < 0)
    throw new NdshareRangeError(`${fn}: Expected n >= 0 but received ${len} (negative dimensions are not allowed)`, { code: codes.INVALID_ARG_VALUE });
  const nd = len * d;
  // NumPy computes 1.0 / (n * d) in Python floats: ZeroDivisionError for n == 0 or d == 0.
  if (nd === 0) throw new NdshareRangeError(`${fn}: n * d is zero (n = ${len}, d = ${d}): float division by zero`, { code: codes.INVALID_ARG_VALUE });
  return { n: len, val: 1.0 / nd };
}

/**
 * The frequencies of the bins of an `n`-point {@link fft} with sample spacing
 * `d`: `[0, 1, ..., (n-1)/2, -(n/2), ..., -1] / (n d)` (NumPy's `fft.fftfreq`).
 * `d` may be passed positionally or as `{d}`.
 *
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if n is not an integer or d not a number.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE if n < 0, or n * d == 0 (NumPy's ZeroDivisionError).
 * @example nd.fft.fftfreq(4, 0.5) // [0, 0.5, -1, -0.5]
 */
export function fftfreq(n: number, d?: number | FreqOptions): NDArray {
  const { n: len, val } = scaleOf('nd.fft.fftfreq', n, d);
  const out = emptyArray('float64', [len]);
  const data = out.data as Float64Array;
  const N = Math.floor((len - 1) / 2) + 1;
  for (let i = 0; i < N; i++) data[i] = i * val;
  const h = Math.floor(len / 2);
  for (let i = N; i < len; i++) data[i] = (i - N - h) * val;
  return out;
}

/**
 * The frequencies of the bins of an `n`-point {@link rfft} with sample spacing
 * `d`: `[0, 1, ..., n/2] / (n d)` (NumPy's `fft.rfftfreq`).
 *
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if n is not an integer or d not a number.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE if n < 0, or n * d == 0.
 * @example nd.fft.rfftfreq(4, 0.5) // [0, 0.5, 1]
 */
export function rfftfreq(n: number, d?: number | FreqOptions): NDArray {
  const { n: len, val } = scaleOf('nd.fft.rfftfreq', n, d);
  const N = Math.floor(len / 2) + 1;
  const out = emptyArray('float64', [N]);
  const data = out.data as Float64Array;
  for (let i = 0; i < N; i++) data[i] = i * val;
  return out;
}
