/**
 * `nd.fft`: NumPy's numpy.fft. The transforms run in native/kernels/fft
 * (mixed radix 2/3/4/5 and odd radices, Bluestein for large prime factors,
 * float32 staying single precision), batched over the other axes.
 *
 * @module
 */
export { fftfreq, rfftfreq, type FreqOptions } from './freq.js';
export { fftshift, ifftshift, type ShiftOptions } from './shift.js';
