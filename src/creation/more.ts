/**
 * The rest of NumPy's creation group over the core constructors
 * (ndarray/creation.ts): the `*Like` family, conversions with layout
 * requirements, log/geometric ranges, grids (meshgrid, indices), arrays from
 * functions, iterables and buffers, and the matrix builders diag, diagflat,
 * identity and vander.
 *
 * @module
 */
import { NdshareError, NdshareRangeError, NdshareTypeError, codes, invalidType, invalidValue } from '../errors.js';
import { asarray, eye, linspace, zeros, type ArrayInput, type DTypeOptions } from '../ndarray/creation.js';
import { dtypeInfo, type DType, type TypedArray } from '../ndarray/dtypes.js';
import { checkShape, indexValue } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { storerOf, type Scalar } from '../ndarray/cast.js';
import { isfinite, log10, multiply, power } from '../math/elementwise.js';
import { all } from '../math/reduce.js';
import { resultType } from '../math/promote.js';
import { emptyArray, scalarArray, toArray, type Operand } from '../math/ufunc.js';
import { diagonal } from '../indexing/functions.js';
import { int64Of } from '../indexing/int64.js';

/** Options of the `*Like` functions. */
export interface LikeOptions extends DTypeOptions {
  /** Another shape for the result. */
  shape?: readonly number[] | number;
  /** 'C', 'F', 'A' or 'K' (default: 'K', the prototype's layout when it is F-contiguous). */
  order?: 'C' | 'F' | 'A' | 'K';
}

function like(x: Operand, options: LikeOptions | undefined, arg = 'prototype'): NDArray {
  const p = toArray(x, arg);
  const shape = options?.shape === undefined ? p.shape : checkShape(typeof options.shape === 'number' ? [options.shape] : options.shape, 'options.shape');
  const d = options?.dtype === undefined ? p.dtype : dtypeInfo(options.dtype, 'options.dtype').name;
  const order = options?.order ?? 'K';
  if (!['C', 'F', 'A', 'K'].includes(order)) invalidValue('options.order', "'C', 'F', 'A' or 'K'", order);
  const fortran =
    order === 'F' || ((order === 'A' || order === 'K') && p.ndim > 1 && p.flags.fContiguous && !p.flags.cContiguous && options?.shape === undefined);
  return emptyArray(d, shape, fortran);
}

/** An uninitialized array like `prototype` (NumPy's `empty_like`). */
export function emptyLike(prototype: Operand, options?: LikeOptions): NDArray {
  return like(prototype, options);
}

/**
 * An array like `a` filled with `fillValue` (NumPy's `full_like`).
 * @example nd.fullLike(nd.zeros([2], { dtype: 'int32' }), 7.9).toArray() // [7, 7]
 */
export function fullLike(a: Operand, fillValue: Scalar, options?: LikeOptions): NDArray {
  const r = like(a, options, 'a');
  r.fill(fillValue);
  return r;
}

/** A copy of `a` (NumPy's `copy`; order 'K' keeps an F layout). */
export function copy(a: Operand, options?: { order?: 'C' | 'F' | 'A' | 'K' }): NDArray {
  const x = toArray(a, 'a');
  const o = options?.order ?? 'K';
  const f = o === 'F' || ((o === 'A' || o === 'K') && x.ndim > 1 && x.flags.fContiguous && !x.flags.cContiguous);
  return x.copy(f ? 'F' : 'C');
}

/** NumPy's `asanyarray`: as {@link asarray} (ndshare has no ndarray subclasses). */
export function asanyarray(a: ArrayInput, options?: DTypeOptions): NDArray {
  return asarray(a, options);
}

/** `a` as a C-contiguous array (no copy when it already is one) (NumPy's `ascontiguousarray`; at least 1-D). */
export function ascontiguousarray(a: ArrayInput, options?: DTypeOptions): NDArray {
  let x = asarray(a, options);
  if (x.ndim === 0) x = x.reshape([1]);
  return x.flags.cContiguous ? x : x.copy('C');
}

/** `a` as an F-contiguous array (NumPy's `asfortranarray`). */
export function asfortranarray(a: ArrayInput, options?: DTypeOptions): NDArray {
  const x = asarray(a, options);
  return x.flags.fContiguous ? x : x.copy('F');
}

/**
 * {@link asarray}, refusing NaN and infinities (NumPy's `asarray_chkfinite`).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when an element is not finite.
 */
export function asarrayChkfinite(a: ArrayInput, options?: DTypeOptions): NDArray {
  const x = asarray(a, options);
  if (x.size > 0 && !(all(isfinite(x)).item() as boolean)) {
    throw new NdshareRangeError('array must not contain infs or NaNs', { code: codes.INVALID_ARG_VALUE });
  }
  return x;
}

/**
 * `a` meeting `requirements` ('C'/'C_CONTIGUOUS', 'F'/'F_CONTIGUOUS', 'W'/'WRITEABLE', 'O'/'OWNDATA', 'A'/'ALIGNED', 'E'/'ENSUREARRAY'), copied when needed (NumPy's `require`).
 */
export function require(a: ArrayInput, options?: { dtype?: DType; requirements?: string | readonly string[] }): NDArray {
  let x = asarray(a, options?.dtype === undefined ? undefined : { dtype: options.dtype });
  const reqs = options?.requirements === undefined ? [] : typeof options.requirements === 'string' ? [options.requirements] : options.requirements;
  const names: Record<string, string> = {
    C: 'C',
    C_CONTIGUOUS: 'C',
    CONTIGUOUS: 'C',
    F: 'F',
    F_CONTIGUOUS: 'F',
    FORTRAN: 'F',
    W: 'W',
    WRITEABLE: 'W',
    O: 'O',
    OWNDATA: 'O',
    A: 'A',
    ALIGNED: 'A',
    E: 'E',
    ENSUREARRAY: 'E',
  };
  const set = new Set(
    reqs.map((r) => {
      const n = names[String(r).toUpperCase()];
      if (n === undefined) invalidValue('options.requirements', 'C, F, W, O, A or E flags', r);
      return n;
    }),
  );
  if (set.has('C') && set.has('F')) invalidValue('options.requirements', 'not both C and F', reqs);
  if (
    (set.has('C') && !x.flags.cContiguous) ||
    (set.has('F') && !x.flags.fContiguous) ||
    (set.has('W') && !x.flags.writeable) ||
    (set.has('O') && !x.flags.ownData)
  ) {
    x = x.copy(set.has('F') ? 'F' : 'C');
  }
  return x;
}

/** Options of {@link logspace}. */
export interface LogspaceOptions extends DTypeOptions {
  /** Default 50. */
  num?: number;
  endpoint?: boolean;
  /** Default 10. */
  base?: number;
}

/**
 * `base ** linspace(start, stop, num)` (NumPy's `logspace`).
 * @example nd.logspace(0, 2, 3).toArray() // [1, 10, 100]
 */
export function logspace(start: number, stop: number, num = 50, options?: LogspaceOptions): NDArray {
  if (typeof num === 'object') return logspace(start, stop, (num as LogspaceOptions).num ?? 50, num as LogspaceOptions);
  const y = linspace(start, stop, options?.num ?? num, { endpoint: options?.endpoint ?? true });
  const r = power(options?.base ?? 10, y);
  return options?.dtype === undefined ? r : r.astype(options.dtype);
}

/**
 * Numbers spaced evenly on a log scale from `start` to `stop` (NumPy's `geomspace`; negative ranges keep their sign).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when start or stop is 0.
 */
export function geomspace(start: number, stop: number, num = 50, options?: { endpoint?: boolean; dtype?: DType }): NDArray {
  if (start === 0 || stop === 0) throw new NdshareRangeError('Geometric sequence cannot include zero', { code: codes.INVALID_ARG_VALUE });
  if (!Number.isInteger(num) || num < 0) invalidValue('num', 'a non-negative integer', num);
  const endpoint = options?.endpoint ?? true;
  let sign = 1;
  let s = start;
  let e = stop;
  if (s < 0 && e < 0) {
    sign = -1;
    s = -s;
    e = -e;
  }
  if (s < 0 || e < 0) {
    throw new NdshareTypeError('geomspace: a range through zero needs complex numbers (not supported)', { code: codes.UNSUPPORTED });
  }
  const ls = log10(s);
  const le = log10(e);
  const y = logspace(ls.item() as number, le.item() as number, num, { endpoint });
  const d = y.data as Float64Array;
  // NumPy pins the ends exactly.
  if (num > 0) d[0] = s;
  if (num > 1 && endpoint) d[num - 1] = e;
  const r = sign < 0 ? multiply(y, -1) : y;
  if (options?.dtype === undefined) return r;
  const k = dtypeInfo(options.dtype).kind;
  if (k === 'i' || k === 'u') {
    const f = r.data as Float64Array;
    for (let i = 0; i < f.length; i++) f[i] = Math.floor(f[i]!);
  }
  return r.astype(options.dtype);
}

/**
 * Coordinate matrices from coordinate vectors (NumPy's `meshgrid`; indexing 'xy' (default) or 'ij').
 * @example const [X, Y] = nd.meshgrid([1, 2, 3], [4, 5]); X.shape // [2, 3]
 */
export function meshgrid(...args: (Operand | { indexing?: 'xy' | 'ij'; sparse?: boolean; copy?: boolean })[]): NDArray[] {
  let opts: { indexing?: 'xy' | 'ij'; sparse?: boolean; copy?: boolean } = {};
  const last = args[args.length - 1];
  if (last !== undefined && typeof last === 'object' && !Array.isArray(last) && !(last instanceof NDArray) && !ArrayBuffer.isView(last)) {
    opts = last as typeof opts;
    args = args.slice(0, -1);
  }
  const indexing = opts.indexing ?? 'xy';
  if (indexing !== 'xy' && indexing !== 'ij') invalidValue('options.indexing', "'xy' or 'ij'", indexing);
  const xs = args.map((a, i) => toArray(a, `xi[${i}]`).ravel());
  const n = xs.length;
  const out = xs.map((x, i) => {
    const shape = Array<number>(n).fill(1);
    shape[i] = x.size;
    if (indexing === 'xy' && n > 1) {
      if (i === 0) {
        shape[0] = 1;
        shape[1] = x.size;
      } else if (i === 1) {
        shape[1] = 1;
        shape[0] = x.size;
      }
    }
    return x.reshape(shape);
  });
  if (opts.sparse) return opts.copy === false ? out : out.map((o) => o.copy());
  const full = out.map((o) => o.shape).reduce((s, sh) => s.map((d, k) => Math.max(d, sh[k]!)), Array<number>(n).fill(1));
  return out.map((o) => (opts.copy === false ? o.broadcastTo(full) : o.broadcastTo(full).copy()));
}

/**
 * The grid of indices of an array of shape `dimensions`: shape (ndim, ...dimensions) (NumPy's `indices`; int64).
 */
export function indices(dimensions: readonly number[], options?: { dtype?: DType; sparse?: boolean }): NDArray | NDArray[] {
  const dims = checkShape(dimensions, 'dimensions');
  const d = options?.dtype ?? 'int64';
  const n = dims.length;
  const grids = dims.map((len, i) => {
    const shape = Array<number>(n).fill(1);
    shape[i] = len;
    return int64Of(
      Float64Array.from({ length: len }, (_, k) => k),
      shape,
    ).astype(d);
  });
  if (options?.sparse) return grids;
  const out = emptyArray(d, [n, ...dims]);
  grids.forEach((g, i) => out.slice(i).assign(g));
  return out;
}

/**
 * An array whose element at each index is `fn(...index arrays)` (NumPy's
 * `fromfunction`: `fn` is called once with one float64 coordinate array per axis).
 * @example nd.fromfunction((i, j) => nd.add(i, j), [2, 3])
 */
export function fromfunction(fn: (...coords: NDArray[]) => NDArray | Scalar, shape: readonly number[], options?: DTypeOptions): NDArray {
  if (typeof fn !== 'function') invalidType('function', 'a function', fn);
  const grids = indices(shape, { dtype: options?.dtype ?? 'float64' }) as NDArray;
  const r = fn(...Array.from({ length: shape.length }, (_, i) => grids.slice(i)));
  return r instanceof NDArray ? r : scalarArray(r as Scalar, resultType([], [r as Scalar]));
}

/**
 * A 1-D array from an iterable (NumPy's `fromiter`); `count` limits the number read.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when the iterable ends before `count` elements.
 */
export function fromiter(iter: Iterable<Scalar>, dtype: DType, options?: { count?: number }): NDArray {
  if (iter === null || typeof (iter as { [Symbol.iterator]?: unknown })[Symbol.iterator] !== 'function') invalidType('iter', 'an iterable', iter);
  const count = options?.count ?? -1;
  if (!Number.isInteger(count)) invalidType('options.count', 'an integer', count);
  const vals: Scalar[] = [];
  for (const v of iter) {
    if (count >= 0 && vals.length >= count) break;
    vals.push(v);
  }
  if (count >= 0 && vals.length < count) {
    throw new NdshareRangeError(`iterator too short: Expected ${count} but iterator had only ${vals.length} items.`, { code: codes.INVALID_ARG_VALUE });
  }
  const out = emptyArray(dtypeInfo(dtype).name, [vals.length]);
  const st = storerOf(out.dtype);
  const d = out.data as unknown as { [i: number]: number | bigint };
  vals.forEach((v, i) => {
    d[i] = st(v);
  });
  return out;
}

/**
 * A 1-D array over the bytes of `buffer` (no copy; NumPy's `frombuffer`). `count` -1 reads to the end.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when the byte length or offset does not fit the dtype.
 */
export function frombuffer(buffer: ArrayBuffer | SharedArrayBuffer | ArrayBufferView, options?: { dtype?: DType; count?: number; offset?: number }): NDArray {
  const info = dtypeInfo(options?.dtype ?? 'float64', 'options.dtype');
  let ab: ArrayBufferLike;
  let base = 0;
  let len: number;
  if (ArrayBuffer.isView(buffer)) {
    ab = buffer.buffer;
    base = buffer.byteOffset;
    len = buffer.byteLength;
  } else if (buffer instanceof ArrayBuffer || (typeof SharedArrayBuffer !== 'undefined' && buffer instanceof SharedArrayBuffer)) {
    ab = buffer;
    len = buffer.byteLength;
  } else invalidType('buffer', 'an ArrayBuffer, SharedArrayBuffer or typed array', buffer);
  const offset = options?.offset ?? 0;
  if (!Number.isInteger(offset) || offset < 0 || offset > len) invalidValue('options.offset', `an integer in [0, ${len}]`, offset);
  const count = options?.count ?? -1;
  const avail = len - offset;
  let n: number;
  if (count < 0) {
    if (avail % info.itemsize !== 0) {
      throw new NdshareRangeError('buffer size must be a multiple of element size', { code: codes.INVALID_ARG_VALUE });
    }
    n = avail / info.itemsize;
  } else {
    if (!Number.isInteger(count) || count * info.itemsize > avail) {
      throw new NdshareRangeError('buffer is smaller than requested size', { code: codes.INVALID_ARG_VALUE });
    }
    n = count;
  }
  const byteOffset = base + offset;
  if (byteOffset % info.ctor.BYTES_PER_ELEMENT !== 0) {
    throw new NdshareRangeError(`offset ${byteOffset} is not aligned to ${info.ctor.BYTES_PER_ELEMENT} bytes for ${info.name}`, { code: codes.UNSUPPORTED });
  }
  const Ctor = info.ctor as unknown as new (b: ArrayBufferLike, o: number, l: number) => TypedArray;
  return new NDArray(new Ctor(ab, byteOffset, n * info.lanes), info.name, [n], [1], 0, { ownData: false });
}

/**
 * The k-th diagonal of a 2-D array (a copy), or a 2-D array with `v` on its k-th diagonal (NumPy's `diag`).
 * @example nd.diag([1, 2]).toArray() // [[1, 0], [0, 2]]
 */
export function diag(v: Operand, options?: { k?: number }): NDArray {
  const x = toArray(v, 'v');
  const k = indexValue(options?.k ?? 0) as number;
  if (!Number.isInteger(k)) invalidType('options.k', 'an integer', k);
  if (x.ndim === 1) {
    const n = x.size + Math.abs(k);
    const out = zeros([n, n], { dtype: x.dtype });
    diagonalView(out, k).assign(x);
    return out;
  }
  if (x.ndim === 2) return diagonal(x, { offset: k }).copy();
  throw new NdshareError(`diag: input must be 1-d or 2-d, not ${x.ndim}-d`, { code: codes.INVALID_ARG_VALUE });
}

function diagonalView(out: NDArray, k: number): NDArray {
  const n = out.shape[0]!;
  const m = out.shape[1]!;
  const len = k >= 0 ? Math.max(0, Math.min(n, m - k)) : Math.max(0, Math.min(n + k, m));
  const off = len === 0 ? 0 : k >= 0 ? k : -k * m;
  return new NDArray(out.data, out.dtype, [len], [m + 1], off, { base: out });
}

/** A 2-D array with the flattened input on its k-th diagonal (NumPy's `diagflat`). */
export function diagflat(v: Operand, options?: { k?: number }): NDArray {
  return diag(toArray(v, 'v').ravel(), options);
}

/** The n×n identity (NumPy's `identity`). */
export function identity(n: number, options?: DTypeOptions): NDArray {
  return eye(indexValue(n) as number, undefined, options);
}

/**
 * The Vandermonde matrix of `x`: columns x^(N-1), ..., x^0 (increasing: x^0 first) (NumPy's `vander`).
 * @example nd.vander([1, 2, 3], { N: 3 })
 */
export function vander(x: Operand, options?: { N?: number | null; increasing?: boolean }): NDArray {
  const v = toArray(x, 'x');
  if (v.ndim !== 1) invalidValue('x', 'a 1-D array', v.shape);
  const N = options?.N === undefined || options.N === null ? v.size : (indexValue(options.N) as number);
  if (!Number.isInteger(N) || N < 0) invalidValue('options.N', 'a non-negative integer', options?.N);
  const t = resultType([v.dtype, 'int64'], []);
  const out = emptyArray(t === 'bool' ? 'int64' : t, [v.size, N]);
  if (out.size === 0) return out;
  const vt = v.astype(out.dtype);
  // Column j holds x ** p by repeated multiplication, as NumPy's cumulative product.
  const cols = Array.from({ length: N }, (_, j) => (options?.increasing ? j : N - 1 - j));
  let acc = zeros([v.size], { dtype: out.dtype });
  acc.fill(1);
  for (let p = 0; p < N; p++) {
    out.slice(':', cols.indexOf(p)).assign(acc);
    acc = multiply(acc, vt);
  }
  return out;
}
