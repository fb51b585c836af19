/**
 * Zero-copy interop with `@stdlib/ndarray` (https://github.com/stdlib-js/ndarray).
 *
 * A stdlib ndarray has `dtype`, `data` (its buffer), `shape`, `strides` and
 * `offset` in elements (like ndshare), an `order` ('row-major' or
 * 'column-major') and `flags.READONLY`. Both directions share the memory:
 * writes through one show in the other. The read-only flag travels both
 * ways (`flags.READONLY` <-> `flags.writeable === false`).
 *
 * dtype mapping (stdlib <-> ndshare):
 *
 * | stdlib                  | ndshare  | storage shared                                     |
 * |-------------------------|----------|----------------------------------------------------|
 * | `float64`, `float32`    | same     | the typed array                                    |
 * | `int8/16/32`, `uint8/16/32` | same | the typed array                                    |
 * | `bool`                  | bool     | stdlib's BooleanArray and ndshare's Uint8Array over the same bytes |
 * | `uint8c` (-> only)      | uint8    | the Uint8ClampedArray (and back to `uint8c`)       |
 * | `binary` (-> only)      | uint8    | the Node Buffer                                    |
 * | `float16`               | float16  | Float16Array <-> Uint16Array over the same bytes, where the runtime has Float16Array (Node >= 24); else ERR_NDSHARE_DTYPE |
 * | —                       | int64, uint64 | ERR_NDSHARE_DTYPE: @stdlib/ndarray 0.4 has no 64-bit integer dtype |
 * | —                       | bfloat16 | ERR_NDSHARE_DTYPE                                  |
 * | `complex64`, `complex128` | same   | stdlib's Complex64Array/Complex128Array and ndshare's Float32Array/Float64Array of parts over the same bytes |
 * | `generic`               | —        | ERR_NDSHARE_DTYPE                                  |
 *
 * The stdlib package is loaded on first use of {@link toStdlib} (it is large);
 * {@link isStdlibNdarray} and {@link fromStdlib} never load it.
 *
 * @module
 */
import { createRequire } from 'node:module';
import { codes, invalidType, invalidValue, NdshareError } from '../errors.js';
import type { DType, TypedArray } from '../ndarray/dtypes.js';
import { COMMON_DTYPES, isArrayOfNumbers, lookupDType, type ForeignDTypeTable } from './common.js';
import { NDArray } from '../ndarray/ndarray.js';

/** Memory order of a stdlib ndarray. */
export type StdlibOrder = 'row-major' | 'column-major';

/** The fields every stdlib ndarray has; what {@link fromStdlib} reads. */
export interface StdlibNdarrayLike {
  readonly dtype: string;
  readonly data: unknown;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly order: string;
  readonly flags?: { readonly READONLY?: boolean };
}

/** A stdlib ndarray, as {@link toStdlib} returns it (the members ndshare relies on; see stdlib's own typings for the rest). */
export interface StdlibNdarray extends StdlibNdarrayLike {
  readonly data: ArrayBufferView | ArrayLike<unknown>;
  readonly shape: number[];
  readonly strides: number[];
  readonly order: StdlibOrder;
  readonly ndims: number;
  readonly length: number;
  readonly flags: { readonly ROW_MAJOR_CONTIGUOUS: boolean; readonly COLUMN_MAJOR_CONTIGUOUS: boolean; readonly READONLY: boolean };
  get(...idx: number[]): unknown;
  set(...args: unknown[]): StdlibNdarray;
}

type StdlibCtor = (
  dtype: string,
  buffer: unknown,
  shape: number[],
  strides: number[],
  offset: number,
  order: StdlibOrder,
  options: { readonly?: boolean },
) => StdlibNdarray;

type BooleanArrayCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => ArrayLike<boolean>;
/** stdlib's Complex64Array / Complex128Array over a buffer (length in complex elements). */
type ComplexArrayCtor = new (buffer: ArrayBufferLike, byteOffset: number, length: number) => unknown;

let stdlib: { ctor: StdlibCtor; BooleanArray: BooleanArrayCtor; complex64: ComplexArrayCtor; complex128: ComplexArrayCtor } | undefined;

/**
 * @stdlib/ndarray is CommonJS without an `exports` map, so its subpaths are
 * directories that ESM `import` cannot resolve; `require` can. BooleanArray
 * is resolved from @stdlib/ndarray's own location (it is its dependency, not ours).
 */
function loadStdlib(): { ctor: StdlibCtor; BooleanArray: BooleanArrayCtor; complex64: ComplexArrayCtor; complex128: ComplexArrayCtor } {
  if (stdlib === undefined) {
    const req = createRequire(import.meta.url);
    const ndReq = createRequire(req.resolve('@stdlib/ndarray/package.json'));
    const bufferCtors = ndReq('@stdlib/ndarray/base/buffer-ctors') as (dtype: string) => unknown;
    stdlib = {
      ctor: ndReq('@stdlib/ndarray/ctor') as StdlibCtor,
      BooleanArray: bufferCtors('bool') as BooleanArrayCtor,
      complex64: bufferCtors('complex64') as ComplexArrayCtor,
      complex128: bufferCtors('complex128') as ComplexArrayCtor,
    };
  }
  return stdlib;
}

/** stdlib dtype -> ndshare dtype and the typed array class `data` must be. */
const FROM_STDLIB: ForeignDTypeTable = {
  ...COMMON_DTYPES,
  uint8c: ['uint8', Uint8ClampedArray],
  binary: ['uint8', Uint8Array],
  // Not in @stdlib/ndarray 0.4, accepted should a later version add them.
  int64: ['int64', BigInt64Array],
  uint64: ['uint64', BigUint64Array],
};

/**
 * True for a stdlib ndarray: an object with a `dtype` string, `data`,
 * `shape` and `strides` arrays, a numeric `offset` and an `order` of
 * 'row-major' or 'column-major'. An ndshare NDArray (no `order`) and a scijs
 * ndarray (`stride`, array `order`) do not match.
 *
 * @example
 * isStdlibNdarray(stdlibArray('float64', new Float64Array(4), [2, 2], [2, 1], 0, 'row-major')); // true
 * isStdlibNdarray(nd.zeros([2, 2])); // false
 */
export function isStdlibNdarray(x: unknown): x is StdlibNdarrayLike {
  if (typeof x !== 'object' || x === null) return false;
  const o = x as Record<string, unknown>;
  return (
    typeof o.dtype === 'string' &&
    (o.order === 'row-major' || o.order === 'column-major') &&
    typeof o.offset === 'number' &&
    'data' in o &&
    isArrayOfNumbers(o.shape) &&
    isArrayOfNumbers(o.strides)
  );
}

function isFloat16Array(v: unknown): v is ArrayBufferView & { length: number } {
  return ArrayBuffer.isView(v) && Object.prototype.toString.call(v) === '[object Float16Array]';
}

/** A BooleanArray (or any typed-array-like of 1-byte items over an ArrayBuffer): its bytes as a Uint8Array. */
function boolBytes(data: unknown): Uint8Array | undefined {
  if (data instanceof Uint8Array) return data;
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as { buffer?: unknown; byteOffset?: unknown; length?: unknown; BYTES_PER_ELEMENT?: unknown };
  const isBuffer = d.buffer instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && d.buffer instanceof SharedArrayBuffer);
  if (!isBuffer || d.BYTES_PER_ELEMENT !== 1 || typeof d.byteOffset !== 'number' || typeof d.length !== 'number') {
    return undefined;
  }
  return new Uint8Array(d.buffer as ArrayBufferLike, d.byteOffset, d.length);
}

/** A stdlib Complex64Array/Complex128Array (or any view of `bytes`-byte complex items): its parts as a Float32Array/Float64Array. */
function complexParts(data: unknown, bytes: 8 | 16): Float32Array | Float64Array | undefined {
  if (typeof data !== 'object' || data === null) return undefined;
  const d = data as { buffer?: unknown; byteOffset?: unknown; length?: unknown; BYTES_PER_ELEMENT?: unknown };
  const isBuffer = d.buffer instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && d.buffer instanceof SharedArrayBuffer);
  if (!isBuffer || d.BYTES_PER_ELEMENT !== bytes || typeof d.byteOffset !== 'number' || typeof d.length !== 'number') return undefined;
  const P = bytes === 8 ? Float32Array : Float64Array;
  return new P(d.buffer as ArrayBuffer, d.byteOffset, 2 * d.length);
}

/**
 * An NDArray over the same memory as a stdlib ndarray (no copy): same
 * buffer, shape, strides and offset; read-only if the stdlib array is.
 * Writes through either show in the other.
 *
 * @param x a stdlib ndarray (see the module's table of dtypes).
 * @returns an NDArray; `writeable` is `!x.flags.READONLY`.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `x` is not a stdlib ndarray, or its
 *   `data` is not the typed array its dtype says (e.g. a 'float64' ndarray over a plain Array).
 * @throws {NdshareError} ERR_NDSHARE_DTYPE for `generic` and other dtypes ndshare lacks.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS when shape/strides/offset reach outside `data`.
 * @example
 * import ndarray from '@stdlib/ndarray/ctor';
 * const s = ndarray('float64', new Float64Array(6), [2, 3], [3, 1], 0, 'row-major');
 * const x = nd.fromStdlib(s);
 * x.set(1, 2, 5);
 * s.get(1, 2); // 5
 */
export function fromStdlib(x: StdlibNdarrayLike): NDArray {
  if (!isStdlibNdarray(x)) {
    invalidType('x', 'a @stdlib/ndarray ndarray ({dtype, data, shape, strides, offset, order})', x);
  }
  const sdtype = x.dtype;
  const raw = x.data;
  let dtype: DType;
  let data: TypedArray;
  const entry = lookupDType(FROM_STDLIB, sdtype);
  if (entry !== undefined) {
    const [dt, ctor] = entry;
    if (!(raw instanceof ctor)) invalidType('x.data', `a ${ctor.name} for stdlib dtype '${sdtype}'`, raw);
    dtype = dt;
    data = raw as TypedArray;
  } else if (sdtype === 'bool') {
    const bytes = boolBytes(raw);
    if (bytes === undefined) invalidType('x.data', "a BooleanArray or Uint8Array for stdlib dtype 'bool'", raw);
    dtype = 'bool';
    data = bytes;
  } else if (sdtype === 'float16') {
    if (!isFloat16Array(raw)) invalidType('x.data', "a Float16Array for stdlib dtype 'float16'", raw);
    dtype = 'float16';
    data = new Uint16Array(raw.buffer, raw.byteOffset, raw.length);
  } else if (sdtype === 'complex64' || sdtype === 'complex128') {
    const parts = complexParts(raw, sdtype === 'complex64' ? 8 : 16);
    if (parts === undefined) invalidType('x.data', `a ${sdtype === 'complex64' ? 'Complex64Array' : 'Complex128Array'} for stdlib dtype '${sdtype}'`, raw);
    dtype = sdtype;
    data = parts;
  } else {
    const why = sdtype === 'generic' ? 'its data is a plain array, not a typed array, so it cannot be viewed without a copy' : 'ndshare has no such dtype';
    throw new NdshareError(`Cannot view a stdlib ndarray of dtype '${sdtype}': ${why}`, { code: codes.DTYPE });
  }
  const shape = [...x.shape];
  // A 0-d stdlib ndarray has strides [0].
  const strides = shape.length === 0 ? [] : [...x.strides];
  if (strides.length !== shape.length) invalidValue('x.strides', `${shape.length} strides to match x.shape`, x.strides);
  const empty = shape.some((d) => d === 0);
  const offset = empty && !(Number.isSafeInteger(x.offset) && x.offset >= 0) ? 0 : x.offset;
  const writeable = !(x.flags?.READONLY ?? false);
  return new NDArray(data, dtype, shape, strides, offset, { writeable, ownData: false });
}

/** 'column-major' when the strides grow from the first axis to the last, else 'row-major'. */
function orderOf(x: NDArray): StdlibOrder {
  if (x.flags.cContiguous) return 'row-major';
  if (x.flags.fContiguous) return 'column-major';
  const s = x.strides.filter((_, i) => x.shape[i] !== 1).map(Math.abs);
  for (let i = 1; i < s.length; i++) if (s[i]! < s[i - 1]!) return 'row-major';
  return s.length > 1 && s[0]! < s[s.length - 1]! ? 'column-major' : 'row-major';
}

/**
 * A stdlib ndarray over the same memory as `x` (no copy): same buffer,
 * shape, strides and offset, `{readonly: true}` when `x` is not writeable.
 * Writes through either show in the other.
 *
 * @param x an NDArray.
 * @returns a stdlib ndarray; for bool its `data` is a BooleanArray over `x.data`'s bytes, for complex a
 *   Complex64Array/Complex128Array.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if `x` is not an NDArray.
 * @throws {NdshareError} ERR_NDSHARE_DTYPE for int64/uint64 (no such stdlib dtype: use
 *   `astype('float64')`, exact up to 2^53, or `astype('int32')`), bfloat16, and float16 where
 *   the runtime has no Float16Array (use `astype('float32')`).
 * @example
 * const s = nd.arange(6).reshape([2, 3]).toStdlib();
 * s.get(1, 2); // 5
 */
export function toStdlib(x: NDArray): StdlibNdarray {
  if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
  const { ctor, BooleanArray, complex64, complex128 } = loadStdlib();
  let sdtype: string = x.dtype;
  let buffer: unknown = x.data;
  switch (x.dtype) {
    case 'int64':
    case 'uint64':
      throw new NdshareError(
        `@stdlib/ndarray has no ${x.dtype} dtype: convert first with x.astype('float64') ` + "(exact for magnitudes up to 2^53) or x.astype('int32')",
        { code: codes.DTYPE },
      );
    case 'bfloat16':
    case 'float16': {
      const F16 = (globalThis as { Float16Array?: new (b: ArrayBufferLike, o: number, n: number) => ArrayBufferView }).Float16Array;
      if (x.dtype === 'bfloat16' || F16 === undefined) {
        throw new NdshareError(
          `@stdlib/ndarray has no ${x.dtype} storage${x.dtype === 'float16' ? ' in a runtime without Float16Array' : ''}: ` +
            `convert first with x.astype('float32') (exact for ${x.dtype})`,
          { code: codes.DTYPE },
        );
      }
      buffer = new F16(x.data.buffer, x.data.byteOffset, x.data.length);
      break;
    }
    case 'bool':
      buffer = new BooleanArray(x.data.buffer, x.data.byteOffset, x.data.length);
      break;
    case 'uint8':
      if (x.data instanceof Uint8ClampedArray) sdtype = 'uint8c';
      break;
    case 'complex64':
    case 'complex128':
      buffer = new (x.dtype === 'complex64' ? complex64 : complex128)(x.data.buffer, x.data.byteOffset, x.data.length / 2);
      break;
  }
  const strides = x.ndim === 0 ? [0] : [...x.strides];
  return ctor(sdtype, buffer, [...x.shape], strides, x.offset, orderOf(x), { readonly: !x.flags.writeable });
}

// ---- NDArray method, attached from this side -------------------------------

declare module '../ndarray/ndarray.js' {
  interface NDArray {
    /**
     * A `@stdlib/ndarray` ndarray over the same memory (no copy); read-only stays read-only.
     * @throws {NdshareError} ERR_NDSHARE_DTYPE for dtypes stdlib lacks (int64, uint64, bfloat16).
     */
    toStdlib(): StdlibNdarray;
  }
}

Object.defineProperty(NDArray.prototype, 'toStdlib', {
  value: function toStdlibMethod(this: NDArray): StdlibNdarray {
    return toStdlib(this);
  },
  writable: true,
  configurable: true,
});
