/**
 * Leaf type definitions shared by the native binding, the dtypes, the array
 * class and the interop modules. This module imports nothing: anything may
 * import it without creating an import cycle.
 *
 * @module
 */

/** The names of ndshare's real (non-complex) dtypes (NumPy spellings). */
export const DTYPES = ['bool', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64', 'float16', 'bfloat16', 'float32', 'float64'] as const;

/** The complex dtypes: interleaved (re, im) pairs of float32 / float64, as NumPy stores them. */
export const COMPLEX_DTYPES = ['complex64', 'complex128'] as const;

/** Every dtype name: {@link DTYPES} then {@link COMPLEX_DTYPES}. */
export const ALL_DTYPES = [...DTYPES, ...COMPLEX_DTYPES] as const;

/** A dtype name. */
export type DType = (typeof DTYPES)[number] | (typeof COMPLEX_DTYPES)[number];

/** A complex dtype name. */
export type ComplexDType = (typeof COMPLEX_DTYPES)[number];

/** Kind letter as in NumPy's `dtype.kind`: b(ool), i(nt), u(nsigned), f(loat), c(omplex). */
export type DTypeKind = 'b' | 'i' | 'u' | 'f' | 'c';

/** One complex element as JS sees it (`x.get()`, `x.item()`, `nd.array([{ re, im }])`). */
export interface Complex {
  re: number;
  im: number;
}

/** Any typed array ndshare stores data in. */
export type TypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

/** A constructor of one of the typed arrays above. */
export type TypedArrayConstructor =
  | Int8ArrayConstructor
  | Uint8ArrayConstructor
  | Uint8ClampedArrayConstructor
  | Int16ArrayConstructor
  | Uint16ArrayConstructor
  | Int32ArrayConstructor
  | Uint32ArrayConstructor
  | BigInt64ArrayConstructor
  | BigUint64ArrayConstructor
  | Float32ArrayConstructor
  | Float64ArrayConstructor;

/** The reductions the addon runs (NumPy names; `native.math.reduceOps`). */
export type NativeReduceOp = 'sum' | 'prod' | 'min' | 'max' | 'any' | 'all';
