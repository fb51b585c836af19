/**
 * Zero-copy interop with scijs `ndarray` (https://github.com/scijs/ndarray).
 *
 * A scijs ndarray is `{data, shape, stride, offset}` plus a `dtype` string
 * derived from the class of `data`; strides and offset are in elements, as
 * ndshare's. Both directions share the typed array: writes through one show
 * in the other.
 *
 * dtype mapping (scijs -> ndshare):
 *
 * | scijs            | ndshare   | storage shared                                  |
 * |------------------|-----------|-------------------------------------------------|
 * | `float64`        | float64   | the Float64Array                                |
 * | `float32`        | float32   | the Float32Array                                |
 * | `int8/16/32`     | same      | the typed array                                 |
 * | `uint8/16/32`    | same      | the typed array                                 |
 * | `uint8_clamped`  | uint8     | the Uint8ClampedArray                           |
 * | `buffer`         | uint8     | the Node Buffer (a Uint8Array)                  |
 * | `bigint64`       | int64     | the BigInt64Array                               |
 * | `biguint64`      | uint64    | the BigUint64Array                              |
 * | `float16`        | float16   | a Uint16Array over the Float16Array's bytes     |
 * | `array`, `generic` | —       | ERR_NDSHARE_DTYPE (no typed array to share)     |
 *
 * ndshare -> scijs: the same table backwards, plus:
 * - `bool` -> scijs `uint8` over the 0/1 Uint8Array (scijs has no bool; a
 *   round trip therefore comes back as uint8);
 * - `float16` -> scijs `float16` over a Float16Array view of the same bytes
 *   where the runtime has `Float16Array` (Node >= 24); elsewhere ERR_NDSHARE_DTYPE;
 * - `bfloat16` -> always ERR_NDSHARE_DTYPE (no JS type holds it; use `astype('float32')`).
 *
 * scijs has no read-only flag: an NDArray that is not writeable (e.g. from a
 * sealed store object) still gives a scijs view, and writing through that view
 * is the caller's responsibility.
 *
 * @module
 */
import ndarray from 'ndarray';
import { codes, invalidType, invalidValue, NdshareError } from '../errors.js';
import type { DType, TypedArray } from '../ndarray/dtypes.js';
import { COMMON_DTYPES, isArrayOfNumbers, lookupDType, type ForeignDTypeTable } from './common.js';
import { NDArray } from '../ndarray/ndarray.js';

/** The fields every scijs ndarray has; what {@link fromScijs} reads. */
export interface ScijsNdarrayLike {
  readonly data: unknown;
  readonly shape: readonly number[];
  readonly stride: readonly number[];
  readonly offset: number;
  readonly dtype: string;
}

/** A scijs ndarray over a typed array, as {@link toScijs} returns it. */
export interface ScijsNdarray<D extends ArrayBufferView = TypedArray> extends ScijsNdarrayLike {
  data: D;
  shape: number[];
  stride: number[];
  offset: number;
  readonly dtype: string;
  readonly size: number;
  readonly dimension: number;
  readonly order: number[];
  get(...idx: number[]): number | bigint;
  set(...args: (number | bigint)[]): number | bigint;
  index(...idx: number[]): number;
  lo(...idx: number[]): ScijsNdarray<D>;
  hi(...idx: number[]): ScijsNdarray<D>;
  step(...idx: number[]): ScijsNdarray<D>;
  transpose(...axes: number[]): ScijsNdarray<D>;
  pick(...idx: (number | null)[]): ScijsNdarray<D>;
}

/** scijs dtype -> ndshare dtype and the storage class `data` must be. */
const FROM_SCIJS: ForeignDTypeTable = {
  ...COMMON_DTYPES,
  uint8_clamped: ['uint8', Uint8ClampedArray],
  buffer: ['uint8', Uint8Array],
  bigint64: ['int64', BigInt64Array],
  biguint64: ['uint64', BigUint64Array],
};

/**
 * True for a scijs ndarray: an object with `data`, `shape` and `stride`
 * arrays, a numeric `offset` and a `dtype` string. An ndshare NDArray
 * (`strides`) and a stdlib ndarray (`strides`, no `stride`) do not match.
 *
 * @example
 * isScijsNdarray(ndarray(new Float64Array(4), [2, 2])); // true
 * isScijsNdarray(nd.zeros([2, 2]));                     // false
 */
export function isScijsNdarray(x: unknown): x is ScijsNdarrayLike {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    'data' in o && typeof o.dtype === 'string' && typeof o.offset === 'number' && isArrayOfNumbers(o.shape) && isArrayOfNumbers(o.stride) && !('strides' in o)
  );
}

/** True for a Float16Array (Node >= 24), tested by tag so it works where the global is missing. */
function isFloat16Array(v: unknown): v is ArrayBufferView & { length: number } {
  return ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Float16Array]';
}

/**
 * An NDArray over the same memory as a scijs ndarray (no copy): same typed
 * array, shape, strides and offset. Writes through either show in the other.
 *
 * @param x a scijs ndarray over a typed array (see the module's table of dtypes).
 * @returns a writeable NDArray; `x.data` is its `data` (a Uint16Array view of it for float16).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `x` is not a scijs ndarray, or its
 *   `data` is not the typed array its dtype says.
 * @throws {NdshareError} ERR_NDSHARE_DTYPE for scijs dtypes without a typed array
 *   (`array`, `generic`) or unknown to ndshare.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS when shape/stride/offset reach outside `data`.
 * @example
 * import ndarray from 'ndarray';
 * const s = ndarray(new Float32Array(6), [2, 3]);
 * const x = nd.fromScijs(s);
 * x.set(1, 2, 5);
 * s.get(1, 2); // 5
 */
export function fromScijs(x: ScijsNdarrayLike): NDArray {
  if (!isScijsNdarray(x)) {
    invalidType('x', 'a scijs ndarray ({data, shape, stride, offset, dtype})', x);
  }
  const { dtype: sdtype, shape, stride } = x;
  let dtype: DType;
  let data: TypedArray;
  const entry = lookupDType(FROM_SCIJS, sdtype);
  if (entry !== undefined) {
    const [dt, ctor] = entry;
    if (!(x.data instanceof ctor)) invalidType('x.data', `a ${ctor.name} for scijs dtype '${sdtype}'`, x.data);
    dtype = dt;
    data = x.data as TypedArray;
  } else if (sdtype === 'float16') {
    if (!isFloat16Array(x.data)) invalidType('x.data', "a Float16Array for scijs dtype 'float16'", x.data);
    dtype = 'float16';
    data = new Uint16Array(x.data.buffer, x.data.byteOffset, x.data.length);
  } else if (sdtype === 'array' || sdtype === 'generic') {
    throw new NdshareError(
      `Cannot view a scijs ndarray of dtype '${sdtype}' without a copy: its data is not a typed array. ` +
        'Build it over a typed array (ndarray(new Float64Array(...), shape)) or copy the values with nd.array(nestedArrays)',
      { code: codes.DTYPE },
    );
  } else {
    throw new NdshareError(`Unknown scijs dtype '${sdtype}'`, { code: codes.DTYPE });
  }
  if (stride.length !== shape.length) {
    invalidValue('x.stride', `${shape.length} strides to match x.shape`, stride);
  }
  // An empty view addresses no element; scijs may leave any offset on it.
  const empty = shape.some((d) => d === 0);
  const offset = empty && !(Number.isSafeInteger(x.offset) && x.offset >= 0) ? 0 : x.offset;
  return new NDArray(data, dtype, [...shape], [...stride], offset, { ownData: false });
}

/**
 * A scijs ndarray over the same memory as `x` (no copy): same typed array,
 * shape, strides and offset. Writes through either show in the other.
 *
 * `bool` arrays become scijs `uint8` (scijs has no bool). scijs has no
 * read-only flag: for an `x` that is not writeable, do not write through the result.
 *
 * @param x an NDArray.
 * @returns a scijs ndarray whose `data` is `x.data` (a Float16Array view of it for float16).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `x` is not an NDArray.
 * @throws {NdshareError} ERR_NDSHARE_DTYPE for bfloat16, and for float16 where the runtime
 *   has no Float16Array (Node < 24): use `x.astype('float32')`.
 * @example
 * const s = nd.arange(6).reshape([2, 3]).toScijs();
 * s.get(1, 2); // 5
 */
export function toScijs(x: NDArray): ScijsNdarray {
  if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
  let data: TypedArray | ArrayBufferView = x.data;
  if (x.dtype === 'bfloat16' || x.dtype === 'float16') {
    const F16 = (globalThis as { Float16Array?: new (b: ArrayBufferLike, o: number, n: number) => ArrayBufferView }).Float16Array;
    if (x.dtype === 'bfloat16' || F16 === undefined) {
      throw new NdshareError(
        `scijs ndarray has no ${x.dtype} dtype${x.dtype === 'float16' ? ' in a runtime without Float16Array' : ''}: ` +
          `convert first with x.astype('float32') (exact for ${x.dtype})`,
        { code: codes.DTYPE },
      );
    }
    data = new F16(x.data.buffer, x.data.byteOffset, x.data.length);
  }
  const make = ndarray as unknown as (data: ArrayBufferView, shape: number[], stride: number[], offset: number) => ScijsNdarray;
  return make(data, [...x.shape], [...x.strides], x.offset);
}

/**
 * The old name of {@link fromScijs}.
 * @deprecated Use {@link fromScijs}; `fromNdarray` will be removed in the next release.
 */
export const fromNdarray: (x: ScijsNdarrayLike) => NDArray = fromScijs;

/**
 * The old name of {@link toScijs}.
 * @deprecated Use {@link toScijs}; `toNdarray` will be removed in the next release.
 */
export const toNdarray: (x: NDArray) => ScijsNdarray = toScijs;

// ---- NDArray methods, attached from this side ------------------------------

declare module '../ndarray/ndarray.js' {
  interface NDArray {
    /**
     * A scijs `ndarray` over the same memory (no copy). scijs has no read-only
     * flag: the view is writable even when this array is not.
     * @throws {NdshareError} ERR_NDSHARE_DTYPE for dtypes scijs lacks (bfloat16; float16 before Node 24).
     * @example const s = x.toScijs(); s.set(0, 0, 5); x.get(0, 0) // 5
     */
    toScijs(): ScijsNdarray;
    /**
     * The old name of {@link NDArray.toScijs}.
     * @deprecated Use `toScijs()`; `toNdarray()` will be removed in the next release.
     */
    toNdarray(): ScijsNdarray;
  }
}

Object.defineProperties(NDArray.prototype, {
  toScijs: {
    value: function toScijsMethod(this: NDArray): ScijsNdarray {
      return toScijs(this);
    },
    writable: true,
    configurable: true,
  },
  toNdarray: {
    value: function toNdarrayMethod(this: NDArray): ScijsNdarray {
      return toScijs(this);
    },
    writable: true,
    configurable: true,
  },
});
