/**
 * The JS types of NDArray elements per dtype, and the plain-data shapes
 * NDArray methods take and return (no runtime code; ndarray.ts re-exports them).
 *
 * @module
 */
import type { Complex, DType } from './dtypes.js';
import type { Scalar } from './cast.js';

/** The JS type of one element of a dtype: bigint for 64-bit integers, boolean for bool, number otherwise. */
export type ElementOf<D extends DType> = ElementTypes[D];

/** dtype name -> JS element type (see {@link ElementOf}). */
export interface ElementTypes {
  bool: boolean;
  int8: number;
  uint8: number;
  int16: number;
  uint16: number;
  int32: number;
  uint32: number;
  int64: bigint;
  uint64: bigint;
  float16: number;
  bfloat16: number;
  float32: number;
  float64: number;
  complex64: Complex;
  complex128: Complex;
}

/** Options for {@link NDArray.astype}. */
export interface AstypeOptions {
  /** When false and the dtype already matches, return this array itself. Default true. */
  copy?: boolean;
}

/** A nested JS array of scalars (`{ re, im }` for complex), as `toArray()` returns and `array()` accepts. */
export type NestedArray = Scalar | Complex | NestedArray[];
