/**
 * NumPy's transforms over signals (kernel.ts): argument rules of
 * numpy/fft/_pocketfft.py (`n` cropping/padding, `axis`, `norm`, the n-D
 * `s`/`axes` cooking, Hermitian transforms through the real ones). The
 * public functions (index.ts) convert arrays to signals and back.
 *
 * @module
 */
import { NdshareRangeError, NdshareTypeError, codes, invalidType, invalidValue } from '../errors.js';
import { indexValue, normalizeAxis } from '../ndarray/layout.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { emptyArray } from '../math/ufunc.js';
import { Kind, transform1 } from './kernel.js';

/** NumPy's `norm`: which direction is scaled (1/n), or both (1/sqrt(n)). */
export type Norm = 'backward' | 'ortho' | 'forward';

/** A float32/float64 array, real or complex as (re, im) pairs on a trailing axis of 2. */
export interface Signal {
  readonly a: NDArray;
  readonly complex: boolean;
}

/** The signal's own shape (the pairs' axis excluded). */
export function shapeOf(x: Signal): number[] {
  return x.complex ? x.a.shape.slice(0, -1) : x.a.shape.slice();
}

export function checkNorm(fn: string, norm: unknown): Norm {
  if (norm === undefined || norm === null) return 'backward';
  if (norm === 'backward' || norm === 'ortho' || norm === 'forward') return norm;
  if (typeof norm !== 'string') invalidType(`${fn}: options.norm`, '"backward", "ortho" or "forward"', norm);
  return invalidValue(`${fn}: options.norm`, '"backward", "ortho" or "forward"', norm);
}

function swap(norm: Norm): Norm {
  return norm === 'backward' ? 'forward' : norm === 'forward' ? 'backward' : 'ortho';
}

/** NumPy's fct of _raw_fft, in the signal's precision. */
function factor(norm: Norm, n: number, forward: boolean, single: boolean): number {
  const eff = forward ? norm : swap(norm);
  const r = single ? Math.fround : (v: number) => v;
  if (eff === 'backward') return 1;
  if (eff === 'ortho') return r(1 / r(Math.sqrt(n)));
  return r(1 / n);
}

function checkN(fn: string, n: unknown, arg: string): number | null {
  if (n === undefined || n === null) return null;
  const v = indexValue(n);
  if (typeof v !== 'number' || !Number.isInteger(v)) invalidType(`${fn}: ${arg}`, 'an integer', n);
  return v;
}

function points(fn: string, n: number): number {
  if (n < 1) throw new NdshareRangeError(`${fn}: Invalid number of FFT data points (${n}) specified.`, { code: codes.INVALID_ARG_VALUE });
  return n;
}

/** The complex pairs of a real signal (imaginary parts zero), for transforms that read complex input. */
function asPairs(x: Signal): NDArray {
  if (x.complex) return x.a;
  const src = x.a.copy();
  const out = emptyArray(x.a.dtype, [...x.a.shape, 2]);
  const s = src.data as Float64Array;
  const d = out.data as Float64Array;
  const o = src.offset;
  for (let i = 0; i < src.size; i++) {
    d[2 * i] = s[o + i]!;
    d[2 * i + 1] = 0;
  }
  return out;
}

/** The conjugate of complex pairs (a copy). */
export function conjPairs(a: NDArray): NDArray {
  const src = a.copy();
  const d = src.data as Float64Array;
  for (let i = src.offset + 1; i < src.offset + src.size; i += 2) d[i] = -d[i]!;
  return src;
}

/** fft / ifft along one axis (NumPy's fft(a, n, axis, norm), ifft). */
export function c2c(fn: string, x: Signal, nArg: unknown, axisArg: unknown, norm: Norm, forward: boolean, inPlace = false): Signal {
  const shape = shapeOf(x);
  const axis = normalizeAxis(axisArg ?? -1, shape.length, `${fn}: options.axis`);
  const n = points(fn, checkN(fn, nArg, 'options.n') ?? shape[axis]!);
  const single = x.a.dtype === 'float32';
  const a = transform1(x.a, x.complex ? Kind.C2C : Kind.R2CFull, axis, n, forward, factor(norm, n, forward, single), inPlace);
  return { a, complex: true };
}

/** rfft along one axis: a real signal's n/2 + 1 non-negative frequencies. */
export function r2c(fn: string, x: Signal, nArg: unknown, axisArg: unknown, norm: Norm): Signal {
  if (x.complex) throw new NdshareTypeError(`${fn}: a real input is expected (NumPy refuses complex input to rfft)`, { code: codes.DTYPE });
  const shape = shapeOf(x);
  const axis = normalizeAxis(axisArg ?? -1, shape.length, `${fn}: options.axis`);
  const n = points(fn, checkN(fn, nArg, 'options.n') ?? shape[axis]!);
  const a = transform1(x.a, Kind.R2C, axis, n, true, factor(norm, n, true, x.a.dtype === 'float32'));
  return { a, complex: true };
}

/** irfft along one axis: n real points from a half spectrum (n defaults to 2 (m - 1)). */
export function c2r(fn: string, x: Signal, nArg: unknown, axisArg: unknown, norm: Norm): Signal {
  const shape = shapeOf(x);
  const axis = normalizeAxis(axisArg ?? -1, shape.length, `${fn}: options.axis`);
  const n = points(fn, checkN(fn, nArg, 'options.n') ?? 2 * (shape[axis]! - 1));
  const a = transform1(asPairs(x), Kind.C2R, axis, n, false, factor(norm, n, false, x.a.dtype === 'float32'));
  return { a, complex: false };
}

/** hfft: the real spectrum of a Hermitian signal given by its first half (irfft of the conjugate, norm swapped). */
export function hfft(fn: string, x: Signal, nArg: unknown, axisArg: unknown, norm: Norm): Signal {
  const pairs = x.complex ? conjPairs(x.a) : x.a;
  return c2r(fn, { a: pairs, complex: x.complex }, nArg, axisArg, swap(norm));
}

/** ihfft: the conjugate of rfft with the norm swapped. */
export function ihfft(fn: string, x: Signal, nArg: unknown, axisArg: unknown, norm: Norm): Signal {
  const r = r2c(fn, x, nArg, axisArg, swap(norm));
  const d = r.a.data as Float64Array;
  for (let i = 1; i < r.a.size; i += 2) d[i] = -d[i]!;
  return r;
}

/** NumPy's _cook_nd_args: the lengths and axes of an n-D transform. */
function cook(fn: string, shape: readonly number[], sArg: unknown, axesArg: unknown, invreal: boolean): { s: (number | null)[]; axes: number[] } {
  const list = (v: unknown, arg: string): unknown[] => {
    if (Array.isArray(v)) return v as unknown[];
    if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
    return invalidType(`${fn}: ${arg}`, 'a sequence of integers', v);
  };
  const shapeless = sArg === undefined || sArg === null;
  const axesGiven = axesArg !== undefined && axesArg !== null;
  const axesRaw = axesGiven ? (typeof axesArg === 'number' || typeof axesArg === 'bigint' ? [axesArg] : list(axesArg, 'options.axes')) : null;
  const axesIdx = axesRaw?.map((ax, i) => normalizeAxis(ax, shape.length, `${fn}: options.axes[${i}]`)) ?? null;
  let s: (number | null)[];
  if (shapeless) {
    s = axesIdx === null ? shape.slice() : axesIdx.map((ax) => shape[ax]!);
  } else {
    s = list(sArg, 'options.s').map((v, i) => checkN(fn, v, `options.s[${i}]`));
  }
  let axes: number[];
  if (axesIdx === null) {
    if (s.length > shape.length) {
      throw new NdshareRangeError(`${fn}: options.s has ${s.length} entries for an input of ${shape.length} dimensions`, { code: codes.OUT_OF_BOUNDS });
    }
    axes = s.map((_, i) => shape.length - s.length + i);
  } else {
    axes = axesIdx;
  }
  if (s.length !== axes.length) invalidValue(`${fn}: options.s`, `as many lengths as axes (${axes.length}): Shape and axes have different lengths`, sArg);
  if (invreal && shapeless && axes.length > 0) s[s.length - 1] = (shape[axes[axes.length - 1]!]! - 1) * 2;
  s = s.map((v, i) => (v === -1 ? shape[axes[i]!]! : v));
  return { s, axes };
}

/** fftn / ifftn (and fft2 / ifft2 with their default axes): the 1-D transforms from the last axis back. */
export function c2cn(fn: string, x: Signal, sArg: unknown, axesArg: unknown, norm: Norm, forward: boolean): Signal {
  const { s, axes } = cook(fn, shapeOf(x), sArg, axesArg, false);
  let y = x;
  for (let i = axes.length - 1; i >= 0; i--) y = c2c(fn, y, s[i], axes[i], norm, forward, y !== x);
  return y;
}

/** rfftn: rfft on the last axis, then fft on the others. */
export function r2cn(fn: string, x: Signal, sArg: unknown, axesArg: unknown, norm: Norm): Signal {
  if (x.complex) throw new NdshareTypeError(`${fn}: a real input is expected (NumPy refuses complex input to rfftn)`, { code: codes.DTYPE });
  const { s, axes } = cook(fn, shapeOf(x), sArg, axesArg, false);
  if (axes.length === 0) return { a: asPairs(x), complex: true };
  let y = r2c(fn, x, s[s.length - 1], axes[axes.length - 1], norm);
  for (let i = axes.length - 2; i >= 0; i--) y = c2c(fn, y, s[i], axes[i], norm, true, true);
  return y;
}

/** irfftn: ifft on every axis but the last, then irfft on the last. */
export function c2rn(fn: string, x: Signal, sArg: unknown, axesArg: unknown, norm: Norm): Signal {
  const { s, axes } = cook(fn, shapeOf(x), sArg, axesArg, true);
  if (axes.length === 0) return x;
  let y = x;
  for (let i = 0; i < axes.length - 1; i++) y = c2c(fn, y, s[i], axes[i], norm, false, y !== x);
  return c2r(fn, y, s[s.length - 1], axes[axes.length - 1], norm);
}
