/**
 * The transforms of numpy.fft as public functions: fft, ifft, rfft, irfft,
 * hfft, ihfft (1-D), fft2, ifft2, rfft2, irfft2 (2-D), fftn, ifftn, rfftn,
 * irfftn (n-D). Options are NumPy's keywords: `{n, axis, norm, out}` and
 * `{s, axes, norm, out}`. Results are complex128 (complex64 for float32,
 * float16 and complex64 inputs), real for irfft/hfft/irfftn.
 *
 * @module
 */
import type { NDArray } from '../ndarray/ndarray.js';
import { arrayOf } from '../manipulation/views.js';
import type { Operand } from '../math/ufunc.js';
import { checkOptions } from '../validate.js';
import { into, resultOf, signalOf } from './complex.js';
import * as T from './transforms.js';

/** Options of the 1-D transforms. */
export interface FftOptions {
  /** The transform length: the input is cropped or zero-padded to it along `axis` (default: its length; irfft/hfft: 2 (m - 1)). */
  n?: number | null;
  /** The axis transformed; default -1. */
  axis?: number;
  /** `'backward'` (default: the inverse scaled by 1/n), `'ortho'` (both by 1/sqrt(n)) or `'forward'`. */
  norm?: T.Norm | null;
  /** An array of the result's shape to write into. */
  out?: NDArray | null;
}

/** Options of the 2-D and n-D transforms. */
export interface FftnOptions {
  /** Lengths along `axes` (-1: the input's); default: the input's (irfftn: 2 (m - 1) on the last). */
  s?: readonly (number | null)[] | null;
  /** The axes transformed (fft2: [-2, -1]; fftn: all, or the last len(s)). */
  axes?: number | readonly number[] | null;
  norm?: T.Norm | null;
  out?: NDArray | null;
}

const ONE = ['n', 'axis', 'norm', 'out'];
const MANY = ['s', 'axes', 'norm', 'out'];

/** NumPy's real results keep float16 (computed in float32, rounded once); bfloat16 likewise. */
function finish(fn: string, x: NDArray, s: T.Signal, out: unknown): NDArray {
  let r = resultOf(s);
  if (!s.complex && (x.dtype === 'float16' || x.dtype === 'bfloat16')) r = r.astype(x.dtype);
  return into(fn, r, out);
}

type OneFn = (fn: string, x: T.Signal, n: unknown, axis: unknown, norm: T.Norm) => T.Signal;

function one(fn: string, a: Operand, options: FftOptions | undefined, run: OneFn): NDArray {
  const o = checkOptions(options, { fn, known: ONE });
  const norm = T.checkNorm(fn, o.norm);
  const x = arrayOf(a);
  return finish(fn, x, run(fn, signalOf(x), o.n, o.axis, norm), o.out);
}

type ManyFn = (fn: string, x: T.Signal, s: unknown, axes: unknown, norm: T.Norm) => T.Signal;

function many(fn: string, a: Operand, options: FftnOptions | undefined, run: ManyFn, defaultAxes?: number[]): NDArray {
  const o = checkOptions(options, { fn, known: MANY });
  const norm = T.checkNorm(fn, o.norm);
  const axes = o.axes === undefined ? defaultAxes : o.axes;
  const x = arrayOf(a);
  return finish(fn, x, run(fn, signalOf(x), o.s, axes, norm), o.out);
}

/**
 * The discrete Fourier transform along one axis (NumPy's `fft.fft`).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for n < 1 (or an empty axis) or a bad norm;
 *   ERR_NDSHARE_OUT_OF_BOUNDS for an axis out of range.
 * @example nd.fft.fft([1, 2, 3, 4]) // complex128 [10, -2+2j, -2, -2-2j]
 */
export function fft(a: Operand, options?: FftOptions): NDArray {
  return one('nd.fft.fft', a, options, (fn, x, n, axis, norm) => T.c2c(fn, x, n, axis, norm, true));
}

/**
 * The inverse transform along one axis (NumPy's `fft.ifft`).
 * @throws {NdshareRangeError} as {@link fft}.
 * @example nd.fft.ifft(nd.fft.fft([1, 2, 3])) // complex128 [1, 2, 3]
 */
export function ifft(a: Operand, options?: FftOptions): NDArray {
  return one('nd.fft.ifft', a, options, (fn, x, n, axis, norm) => T.c2c(fn, x, n, axis, norm, false));
}

/**
 * The transform of a real input: its n/2 + 1 non-negative frequencies (NumPy's `fft.rfft`).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a complex input; otherwise as {@link fft}.
 * @example nd.fft.rfft([1, 2, 3, 4]) // complex128 [10, -2+2j, -2]
 */
export function rfft(a: Operand, options?: FftOptions): NDArray {
  return one('nd.fft.rfft', a, options, T.r2c);
}

/**
 * The inverse of {@link rfft}: n real points (default 2 (m - 1)) from a half spectrum (NumPy's `fft.irfft`).
 * @throws {NdshareRangeError} as {@link fft}.
 * @example nd.fft.irfft(nd.fft.rfft([1, 2, 3, 4])) // float64 [1, 2, 3, 4]
 */
export function irfft(a: Operand, options?: FftOptions): NDArray {
  return one('nd.fft.irfft', a, options, T.c2r);
}

/**
 * The real transform of a Hermitian-symmetric signal given by its first half (NumPy's `fft.hfft`).
 * @throws {NdshareRangeError} as {@link fft}.
 * @example nd.fft.hfft([1, 2, 3]) // float64 [8, -2, 0, -2]
 */
export function hfft(a: Operand, options?: FftOptions): NDArray {
  return one('nd.fft.hfft', a, options, T.hfft);
}

/**
 * The inverse of {@link hfft} for a real input (NumPy's `fft.ihfft`).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a complex input; otherwise as {@link fft}.
 * @example nd.fft.ihfft([8, -2, 0, -2]) // complex128 [1, 2, 3]
 */
export function ihfft(a: Operand, options?: FftOptions): NDArray {
  return one('nd.fft.ihfft', a, options, T.ihfft);
}

/**
 * The 2-D transform over `axes` (default [-2, -1]) (NumPy's `fft.fft2`).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when s and axes differ in length or a length is < 1.
 * @example nd.fft.fft2(nd.ones([2, 2])) // complex128 [[4, 0], [0, 0]]
 */
export function fft2(a: Operand, options?: FftnOptions): NDArray {
  return many('nd.fft.fft2', a, options, (fn, x, s, axes, norm) => T.c2cn(fn, x, s, axes, norm, true), [-2, -1]);
}

/**
 * The inverse 2-D transform (NumPy's `fft.ifft2`).
 * @throws {NdshareRangeError} as {@link fft2}.
 * @example nd.fft.ifft2(nd.fft.fft2(nd.ones([2, 2]))) // complex128 ones
 */
export function ifft2(a: Operand, options?: FftnOptions): NDArray {
  return many('nd.fft.ifft2', a, options, (fn, x, s, axes, norm) => T.c2cn(fn, x, s, axes, norm, false), [-2, -1]);
}

/**
 * The 2-D transform of a real input, halved on the last axis (NumPy's `fft.rfft2`).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a complex input; otherwise as {@link fft2}.
 * @example nd.fft.rfft2(nd.ones([2, 4])).shape // [2, 3]
 */
export function rfft2(a: Operand, options?: FftnOptions): NDArray {
  return many('nd.fft.rfft2', a, options, T.r2cn, [-2, -1]);
}

/**
 * The inverse of {@link rfft2} (NumPy's `fft.irfft2`).
 * @throws {NdshareRangeError} as {@link fft2}.
 * @example nd.fft.irfft2(nd.fft.rfft2(nd.ones([2, 4]))).shape // [2, 4]
 */
export function irfft2(a: Operand, options?: FftnOptions): NDArray {
  return many('nd.fft.irfft2', a, options, T.c2rn, [-2, -1]);
}

/**
 * The n-D transform over `axes` (default all, or the last len(s)) (NumPy's `fft.fftn`).
 * @throws {NdshareRangeError} as {@link fft2}.
 * @example nd.fft.fftn(nd.ones([2, 2, 2])).get(0, 0, 0) // {re: 8, im: 0}
 */
export function fftn(a: Operand, options?: FftnOptions): NDArray {
  return many('nd.fft.fftn', a, options, (fn, x, s, axes, norm) => T.c2cn(fn, x, s, axes, norm, true));
}

/**
 * The inverse n-D transform (NumPy's `fft.ifftn`).
 * @throws {NdshareRangeError} as {@link fft2}.
 * @example nd.fft.ifftn(nd.fft.fftn(nd.ones([2, 2, 2]))).shape // [2, 2, 2]
 */
export function ifftn(a: Operand, options?: FftnOptions): NDArray {
  return many('nd.fft.ifftn', a, options, (fn, x, s, axes, norm) => T.c2cn(fn, x, s, axes, norm, false));
}

/**
 * The n-D transform of a real input, halved on the last axis (NumPy's `fft.rfftn`).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a complex input; otherwise as {@link fft2}.
 * @example nd.fft.rfftn(nd.ones([2, 2, 4])).shape // [2, 2, 3]
 */
export function rfftn(a: Operand, options?: FftnOptions): NDArray {
  return many('nd.fft.rfftn', a, options, T.r2cn);
}

/**
 * The inverse of {@link rfftn} (NumPy's `fft.irfftn`).
 * @throws {NdshareRangeError} as {@link fft2}.
 * @example nd.fft.irfftn(nd.fft.rfftn(nd.ones([2, 2, 4]))).shape // [2, 2, 4]
 */
export function irfftn(a: Operand, options?: FftnOptions): NDArray {
  return many('nd.fft.irfftn', a, options, T.c2rn);
}
