/**
 * Argument handling shared by the Generator methods: `size`, NumPy's
 * broadcasting of distribution parameters against `size`, the parameter
 * constraints NumPy checks (with its messages), and output arrays.
 *
 * @module
 */
import { NdshareRangeError, codes, invalidType, invalidValue } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { asarray, empty, type ArrayInput } from '../ndarray/creation.js';
import { broadcastShapes, checkShape } from '../ndarray/layout.js';

/** NumPy's `size`: an int, a shape, or undefined/null for "the parameters' broadcast shape". */
export type Size = number | readonly number[] | null | undefined;

/** A distribution parameter: a number or anything `nd.asarray` takes. */
export type Param = number | ArrayInput;

/** The shape `size` asks for, or undefined. */
export function sizeShape(size: Size): number[] | undefined {
  if (size === undefined || size === null) return undefined;
  return checkShape(size, 'options.size');
}

/** A parameter as float64 values with its shape ([] for a scalar). */
export interface FloatParam {
  name: string;
  shape: number[];
  /** C-order values (length 1 for a scalar). */
  values: Float64Array;
  scalar: boolean;
}

export function floatParam(v: Param, name: string): FloatParam {
  if (typeof v === 'number') return { name, shape: [], values: Float64Array.of(v), scalar: true };
  if (typeof v === 'bigint') return { name, shape: [], values: Float64Array.of(Number(v)), scalar: true };
  if (v === undefined || v === null) invalidType(name, 'a number or an array of numbers', v);
  const x = asarray(v as ArrayInput, { dtype: 'float64' });
  const c = x.flags.cContiguous && x.offset === 0 && x.data.length === x.size ? x : x.copy();
  return { name, shape: [...x.shape], values: c.data as Float64Array, scalar: false };
}

/** Values of `p` broadcast to `shape` (a length-1 array stays length 1). */
export function expand(p: FloatParam, shape: readonly number[]): Float64Array {
  if (p.values.length === 1) return p.values;
  const same = p.shape.length === shape.length && p.shape.every((d, i) => d === shape[i]);
  if (same) return p.values;
  const x = new NDArray(p.values, 'float64', p.shape);
  return x.broadcastTo(shape).copy().data as Float64Array;
}

/**
 * The output shape of a broadcasting distribution: `size` if given (the
 * parameters must broadcast to it, as NumPy requires), else the parameters'
 * broadcast shape; `scalar` when NumPy would return a scalar.
 */
export function outShape(size: Size, params: readonly FloatParam[]): { shape: number[]; scalar: boolean } {
  const s = sizeShape(size);
  const shapes = params.map((p) => p.shape);
  let b: number[];
  try {
    b = broadcastShapes(...shapes);
  } catch {
    throw new NdshareRangeError(`shape mismatch: the parameters (${params.map((p) => p.name).join(', ')}) cannot be broadcast together`, {
      code: codes.BROADCAST,
    });
  }
  if (s === undefined) return { shape: b, scalar: params.every((p) => p.scalar) };
  let full: number[];
  try {
    full = broadcastShapes(s, b);
  } catch {
    throw new NdshareRangeError(`shape mismatch: parameters of shape (${b.join(', ')}) cannot be broadcast to size (${s.join(', ')})`, {
      code: codes.BROADCAST,
    });
  }
  if (full.length !== s.length || full.some((d, i) => d !== s[i])) {
    throw new NdshareRangeError(`shape mismatch: parameters of shape (${b.join(', ')}) cannot be broadcast to size (${s.join(', ')})`, {
      code: codes.BROADCAST,
    });
  }
  return { shape: s, scalar: false };
}

/** The constraint NumPy puts on a parameter (CONS_* in _common.pyx), checked on every value. */
export type Constraint = 'none' | 'nonNegative' | 'positive' | 'bounded01' | 'boundedGt0_1' | 'boundedLt0_1' | 'gt1' | 'positiveNotNan' | 'poisson';

export const POISSON_LAM_MAX = 9.223372006484771e18; // int64 max - 10 sqrt(int64 max), NumPy's bound

export function checkParam(p: FloatParam, c: Constraint): void {
  if (c === 'none') return;
  const v = p.values;
  for (let i = 0; i < v.length; i++) {
    const x = v[i]!;
    let bad: string | undefined;
    switch (c) {
      case 'nonNegative':
        if (!(x >= 0) && !Number.isNaN(x)) bad = `${p.name} < 0`;
        else if (Number.isNaN(x)) bad = `${p.name} < 0`;
        break;
      case 'positive':
        if (!(x > 0)) bad = `${p.name} <= 0`;
        break;
      case 'positiveNotNan':
        if (!(x > 0)) bad = `${p.name} <= 0`;
        break;
      case 'bounded01':
        if (!(x >= 0 && x <= 1)) bad = `${p.name} < 0, ${p.name} > 1 or ${p.name} is NaN`;
        break;
      case 'boundedGt0_1':
        if (!(x > 0 && x <= 1)) bad = `${p.name} <= 0, ${p.name} > 1 or ${p.name} contains NaNs`;
        break;
      case 'boundedLt0_1':
        if (!(x >= 0 && x < 1)) bad = `${p.name} < 0, ${p.name} >= 1 or ${p.name} is NaN`;
        break;
      case 'gt1':
        if (!(x > 1)) bad = `${p.name} <= 1 or ${p.name} is NaN`;
        break;
      case 'poisson':
        if (!(x >= 0)) bad = `${p.name} < 0 or ${p.name} is NaN`;
        else if (x > POISSON_LAM_MAX) bad = `${p.name} value too large`;
        break;
    }
    if (bad !== undefined) invalidValue(p.name, `values satisfying NumPy's check (${bad} is refused)`, x);
  }
}

/** Output array: `out` checked against dtype and shape, or a new C-order array. */
export function outArray(shape: readonly number[], dtype: DType, out: NDArray | undefined): NDArray {
  if (out === undefined) return empty(shape, { dtype });
  if (!(out instanceof NDArray)) invalidType('options.out', 'an NDArray', out);
  if (out.dtype !== dtype) invalidValue('options.out', `an NDArray of dtype ${dtype}`, out.dtype, codes.DTYPE);
  if (!out.flags.cContiguous) invalidValue('options.out', 'a C-contiguous NDArray', out);
  if (!out.flags.writeable) throw new NdshareRangeError('options.out is read-only', { code: codes.READ_ONLY });
  if (out.shape.length !== shape.length || out.shape.some((d, i) => d !== shape[i])) {
    invalidValue('options.out', `an NDArray of shape (${shape.join(', ')}) to match size`, `shape (${out.shape.join(', ')})`);
  }
  return out;
}

/** The contiguous elements of a C-contiguous array, as a typed subarray. */
export function body<T extends ArrayLike<unknown>>(x: NDArray): T {
  const d = x.data as unknown as { subarray(a: number, b: number): T };
  return d.subarray(x.offset, x.offset + x.size);
}

/** Throws NumPy's "not supported" for an option value we refuse. */
export function unsupported(what: string): never {
  throw new NdshareRangeError(`${what} is not supported`, { code: codes.UNSUPPORTED });
}
