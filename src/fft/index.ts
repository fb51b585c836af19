/**
 * `nd.fft`: NumPy's numpy.fft. The transforms run in native/kernels/fft
 * (mixed radix 2/3/4/5 and odd radices, Bluestein for large prime factors,
 * float32 staying single precision), batched over the other axes.
 *
 * @module
 */
export { fft, ifft, rfft, irfft, hfft, ihfft, fft2, ifft2, rfft2, irfft2, fftn, ifftn, rfftn, irfftn, type FftOptions, type FftnOptions } from './api.js';
export type { Norm } from './transforms.js';
export { fftfreq, rfftfreq, type FreqOptions } from './freq.js';
export { fftshift, ifftshift, type ShiftOptions } from './shift.js';
export { fftTest as test, type ModuleTestOptions } from '../testing.js';
