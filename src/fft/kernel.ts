/**
 * The one caller of the native FFT kernel (native/kernels/fft): a batch of
 * 1-D transforms along one axis of a "signal".
 *
 * A signal is a float32/float64 NDArray, real, or complex as *pairs*: a
 * trailing axis of length 2 holding (re, im) with stride 1 (NumPy's
 * `x.view(float).reshape(*x.shape, 2)`). The kernel reads any strides, even
 * negative, and writes a new C-contiguous result.
 *
 * @module
 */
import { native } from '../binding.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { emptyArray } from '../math/ufunc.js';

/** What one kernel call computes (native/kernels/fft/fft.cc). */
export const enum Kind {
  /** complex -> complex, n points. */
  C2C = 0,
  /** real -> complex through the full transform, n points. */
  R2CFull = 1,
  /** real -> half spectrum, n/2 + 1 points (forward only). */
  R2C = 2,
  /** half spectrum -> real, n points (backward only). */
  C2R = 3,
}

type FloatData = Float64Array | Float32Array;

interface NativeFft {
  fft(
    kind: number,
    n: number,
    forward: boolean,
    fct: number,
    inBuf: FloatData,
    inOffset: number,
    inLen: number,
    inStride: number,
    outBuf: FloatData,
    outOffset: number,
    outStride: number,
    batchShape: number[],
    inBatchStrides: number[],
    outBatchStrides: number[],
  ): void;
  fftPlanInfo(n: number): { bluestein: boolean; factors: number[]; m: number };
}

const kernel = native.math as unknown as NativeFft;

/** The planner's choice for a length (tests). */
export function planInfo(n: number): { bluestein: boolean; factors: number[]; m: number } {
  return kernel.fftPlanInfo(n);
}

/**
 * One batch of transforms of `x` (float32/float64; pairs when `kind` reads
 * complex) along `axis` (an axis of the signal, pairs' axis excluded), of
 * length `n`, scaled by `fct`. Returns a new C-contiguous signal of the same
 * float dtype: pairs unless `kind` is C2R; with `inPlace` (x is a temporary
 * of the caller), a C2C of unchanged length writes over x and returns it.
 */
export function transform1(x: NDArray, kind: Kind, axis: number, n: number, forward: boolean, fct: number, inPlace = false): NDArray {
  const inComplex = kind === Kind.C2C || kind === Kind.C2R;
  const outComplex = kind !== Kind.C2R;
  let src = x;
  if (inComplex && src.strides[src.ndim - 1] !== 1) src = src.copy();
  const shape = inComplex ? src.shape.slice(0, -1) : src.shape.slice();
  const outLen = kind === Kind.R2C ? Math.floor(n / 2) + 1 : n;
  const outShape = shape.slice();
  outShape[axis] = outLen;
  // In place: each line is gathered whole before it is written back.
  const out = inPlace && kind === Kind.C2C && src === x && n === shape[axis] ? src : emptyArray(src.dtype, outComplex ? [...outShape, 2] : outShape);
  const batch: number[] = [];
  const inBs: number[] = [];
  const outBs: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    if (d === axis) continue;
    batch.push(shape[d]!);
    inBs.push(src.strides[d]!);
    outBs.push(out.strides[d]!);
  }
  kernel.fft(
    kind,
    n,
    forward,
    fct,
    src.data as FloatData,
    src.offset,
    shape[axis]!,
    src.strides[axis]!,
    out.data as FloatData,
    out.offset,
    out.strides[axis]!,
    batch,
    inBs,
    outBs,
  );
  return out;
}
