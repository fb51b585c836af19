/**
 * `fft.fftshift` / `fft.ifftshift`: the zero-frequency bin moved to the
 * centre of the spectrum and back (rolls by n/2 along each axis).
 *
 * @module
 */
import { invalidValue } from '../errors.js';
import { normalizeAxis } from '../ndarray/layout.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { Operand } from '../math/ufunc.js';
import { roll } from '../manipulation/rearrange.js';
import { arrayOf } from '../manipulation/views.js';
import { checkOptions } from '../validate.js';

/** Options of {@link fftshift} and {@link ifftshift}. */
export interface ShiftOptions {
  /** The axes to shift (an int or a list); every axis by default. */
  axes?: number | readonly number[] | null;
}

function shiftBy(fn: string, x: Operand, options: ShiftOptions | undefined, sign: 1 | -1): NDArray {
  const a = arrayOf(x, 'x');
  const opts = checkOptions(options, { fn, known: ['axes'] });
  const axes = opts.axes === undefined || opts.axes === null ? a.shape.map((_, i) => i) : Array.isArray(opts.axes) ? opts.axes : [opts.axes];
  // NumPy: roll(x, shift, axes) with empty axes (a 0-d array) fails to unpack.
  if (axes.length === 0) invalidValue('axes', 'at least one axis (NumPy cannot shift a 0-d array)', opts.axes ?? a.shape);
  const norm = axes.map((ax, i) => normalizeAxis(ax, a.ndim, Array.isArray(opts.axes) ? `options.axes[${i}]` : 'options.axes'));
  // -(n/2) for ifftshift is -floor(n/2), as NumPy's -(dim // 2).
  const shifts = norm.map((ax) => sign * Math.floor(a.shape[ax]! / 2));
  return roll(a, shifts, { axis: norm });
}

/**
 * `x` with the zero-frequency bin moved to the centre: rolled by `floor(n/2)`
 * along each of `axes` (all by default), as NumPy's `fft.fftshift`.
 *
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for an axis out of range;
 *   ERR_NDSHARE_INVALID_ARG_VALUE for a 0-d input with no axes (NumPy raises too).
 * @example nd.fft.fftshift(nd.fft.fftfreq(5)) // [-0.4, -0.2, 0, 0.2, 0.4]
 */
export function fftshift(x: Operand, options?: ShiftOptions): NDArray {
  return shiftBy('nd.fft.fftshift', x, options, 1);
}

/**
 * The inverse of {@link fftshift}: rolled by `-floor(n/2)` along each of
 * `axes` (all by default), as NumPy's `fft.ifftshift`.
 *
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for an axis out of range;
 *   ERR_NDSHARE_INVALID_ARG_VALUE for a 0-d input with no axes.
 * @example nd.fft.ifftshift(nd.fft.fftshift(nd.arange(5))) // [0, 1, 2, 3, 4]
 */
export function ifftshift(x: Operand, options?: ShiftOptions): NDArray {
  return shiftBy('nd.fft.ifftshift', x, options, -1);
}
