/**
 * The NDArray: a dtype, a shape and element strides over a typed array.
 *
 * Layout words follow NumPy's array struct and the JS ecosystem (scijs,
 * stdlib): element `i, j, …` is at `data[offset + i*strides[0] + j*strides[1] + …]`,
 * strides and offset are in elements, `data` is the whole underlying typed
 * array. A view's `base` is the array that owns the memory, never another view.
 *
 * @module
 */
import { inspect } from 'node:util';
import { codes, describe, invalidType, invalidValue, NdshareError, NdshareRangeError, NdshareTypeError } from '../errors.js';
import type { Complex, DType, DTypeInfo, TypedArray } from './dtypes.js';
import { allocUninit, dtypeInfo, elementCount, isComplex, storageMatches } from './dtypes.js';
import {
  broadcastStrides,
  checkShape,
  contiguousStrides,
  extent,
  isContiguous,
  indexValue,
  nocopyReshapeStrides,
  normalizeAxes,
  normalizeAxis,
  resolveReshape,
  sharesMemory,
  sizeOf,
  type Order,
} from './layout.js';
import { converterOf, elementAt, storerOf, stridedCopy, stridedFill, type Scalar } from './cast.js';
import { complexCopy, complexFill, isComplexValue } from './complex.js';
import { castContiguous } from './fastcast.js';
import { formatElements } from './format.js';
import { basicIndex } from './slicing.js';
import { ArrayFlags, type Flags } from './flags.js';
import { checkOptions } from '../validate.js';

export { freezeArray, type Flags } from './flags.js';

/**
 * One basic index per axis for {@link NDArray.slice} (NumPy basic indexing; the result is a view):
 * - an integer (a number, a bigint or a 0-d integer array) selects one position and removes
 *   the axis (negative counts from the end);
 * - `null` inserts a new axis of length 1 (NumPy's `newaxis`);
 * - `'...'` stands for as many full axes as needed (at most one);
 * - a string `'start:stop:step'` (any part may be empty, e.g. `'::-1'`, `':'`, `'1:'`);
 * - `{start, stop, step}` with `null`/`undefined` for a default.
 *
 * A list is never a slice: `x.slice([0, 2, 5])` is refused with a coded error;
 * NumPy's `x[[0, 2, 5]]` is `x.index([0, 2, 5])` (see docs/indexing.md).
 */
export type Index =
  number | bigint | null | string | NDArray | { start?: number | bigint | null; stop?: number | bigint | null; step?: number | bigint | null };

export type { AstypeOptions, ElementOf, ElementTypes, NestedArray } from './elements.js';
import type { AstypeOptions, ElementOf, NestedArray } from './elements.js';

/**
 * An n-dimensional array of one dtype over a typed array.
 *
 * Create arrays with `nd.array`, `nd.zeros`, … rather than with `new`; the
 * constructor is for code that already holds storage (the store, interop, I/O)
 * and validates that every addressed element lies inside `data`.
 *
 * @example
 * const x = nd.arange(6).reshape([2, 3]);
 * x.get(1, 2);        // 5
 * x.T.shape;          // [3, 2]
 * x.slice(null, '::-1').toArray(); // [[[3, 4, 5], [0, 1, 2]]]
 */
export class NDArray<out D extends DType = DType> {
  /** The element type. */
  readonly dtype: D;
  /** Length of each axis. */
  readonly shape: readonly number[];
  /** Step in elements of `data` between neighbours along each axis (may be 0 or negative). */
  readonly strides: readonly number[];
  /** Position in `data` of the element at index 0, 0, …. */
  readonly offset: number;
  /** The whole underlying typed array (not only this view's elements). */
  readonly data: TypedArray;
  /** Number of elements. */
  readonly size: number;
  /** Number of axes. */
  readonly ndim: number;
  /** Layout and ownership flags. */
  readonly flags: Flags;
  /** The array that owns the memory, or null if this array owns it. */
  readonly base: NDArray | null;

  // Hot-path copies for get/set: the first three axes (0 beyond ndim), how to
  // read an element (0 as stored, 1 bool, 2 decode float16/bfloat16) and how to store one.
  readonly #d0: number;
  readonly #d1: number;
  readonly #d2: number;
  readonly #s0: number;
  readonly #s1: number;
  readonly #s2: number;
  readonly #kind: 0 | 1 | 2 | 3;
  readonly #store: (v: Scalar) => number | bigint;

  /**
   * @param data storage; must be of `dtype`'s storage type (see `dtypes.ts`).
   * @param dtype element type.
   * @param shape length of each axis.
   * @param strides element strides (default: C-contiguous).
   * @param offset element offset of index 0 (default 0).
   * @param options `writeable` (default true), `base` (the owner, for views) and
   *   `ownData` (default: no `base`; pass false for memory borrowed from elsewhere:
   *   a shared segment, a file buffer, another library's array).
   * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for mismatched storage.
   * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS when the view reaches outside `data`.
   */
  constructor(
    data: TypedArray,
    dtype: D,
    shape: readonly number[],
    strides?: readonly number[],
    offset = 0,
    options: { writeable?: boolean; base?: NDArray | null; ownData?: boolean } = {},
  ) {
    const info = dtypeInfo(dtype);
    if (!ArrayBuffer.isView(data) || !storageMatches(data as TypedArray, dtype)) {
      invalidType('data', `a ${info.ctor.name} for dtype ${dtype}`, data);
    }
    const shp = checkShape(shape);
    const str = strides === undefined ? contiguousStrides(shp) : [...strides];
    if (str.length !== shp.length) invalidValue('strides', `${shp.length} strides to match shape`, strides);
    for (let i = 0; i < str.length; i++) {
      if (!Number.isSafeInteger(str[i])) invalidType(`strides[${i}]`, 'an integer', str[i]);
    }
    if (!Number.isSafeInteger(offset) || offset < 0) invalidValue('offset', 'a non-negative integer', offset);
    const ext = extent(shp, str, offset);
    if (ext && (ext.lo < 0 || ext.hi >= elementCount(data, info.name))) {
      throw new NdshareRangeError(
        `View of shape (${shp.join(', ')}), strides (${str.join(', ')}) and offset ${offset} reaches elements ` +
          `[${ext.lo}, ${ext.hi}] outside data of ${elementCount(data, info.name)} elements`,
        { code: codes.OUT_OF_BOUNDS },
      );
    }
    this.dtype = info.name as D;
    this.data = data;
    this.shape = Object.freeze(shp);
    this.strides = Object.freeze(str);
    this.offset = offset;
    this.size = sizeOf(shp);
    this.ndim = shp.length;
    const base = options.base ?? null;
    this.base = base === null ? null : (base.base ?? base);
    this.#d0 = shp[0] ?? 0;
    this.#d1 = shp[1] ?? 0;
    this.#d2 = shp[2] ?? 0;
    this.#s0 = str[0] ?? 0;
    this.#s1 = str[1] ?? 0;
    this.#s2 = str[2] ?? 0;
    this.#kind = info.name === 'bool' ? 1 : info.packed ? 2 : info.lanes === 2 ? 3 : 0;
    this.#store = storerOf(info.name);
    this.flags = new ArrayFlags(
      this.base ?? this,
      isContiguous(shp, str, 'C'),
      isContiguous(shp, str, 'F'),
      options.writeable ?? true,
      this.base === null && (options.ownData ?? true),
    );
  }

  /** Facts about the dtype (item size, kind, storage). */
  get dtypeInfo(): DTypeInfo {
    return dtypeInfo(this.dtype);
  }

  /** Bytes per element. */
  get itemsize(): number {
    return dtypeInfo(this.dtype).itemsize;
  }

  /** Bytes of this view's elements (size × itemsize). */
  get nbytes(): number {
    return this.size * dtypeInfo(this.dtype).itemsize;
  }

  /** Transposed view (axes reversed). */
  get T(): NDArray<D> {
    return this.transpose();
  }

  // ---- element access ------------------------------------------------------

  /** An index on axis `k` of length `d`, normalized (fast path for valid int32 indices). */
  #axis(i: unknown, k: number, d: number): number {
    if (typeof i === 'number' && (i | 0) === i) {
      if (i < 0) i += d;
      if (i >= 0 && i < d) return i;
    }
    return this.#slowAxis(i, k, d);
  }

  #slowAxis(i: unknown, k: number, d: number): number {
    i = indexValue(i);
    if (typeof i !== 'number' || !Number.isInteger(i)) invalidType(`index[${k}]`, 'an integer', i);
    const j = i < 0 ? i + d : i;
    if (j < 0 || j >= d) {
      throw new NdshareRangeError(`Index ${i} is out of bounds for axis ${k} with size ${d}`, { code: codes.OUT_OF_BOUNDS });
    }
    return j;
  }

  #countError(count: number): never {
    throw new NdshareRangeError(`Expected ${this.ndim} indices for an array of shape (${this.shape.join(', ')}) but received ${count}`, {
      code: codes.OUT_OF_BOUNDS,
    });
  }

  #checkWriteable(): void {
    if (!this.flags.writeable) {
      throw new NdshareError('Assignment destination is read-only', { code: codes.READ_ONLY });
    }
  }

  /**
   * The element at one index per axis.
   * @returns a number; a bigint for int64/uint64; a boolean for bool.
   * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for a wrong count or an index outside an axis.
   * @example nd.eye(3).get(1, 1) // 1
   */
  get(...idx: (number | bigint | NDArray)[]): ElementOf<D>;
  get(): ElementOf<D> {
    // `arguments` and an unrolled switch instead of a rest array: 5x faster in a hot loop.
    const n = arguments.length;
    if (n !== this.ndim) this.#countError(n);
    let p = this.offset;
    switch (n) {
      case 0:
        break;
      case 1:
        p += this.#axis(arguments[0], 0, this.#d0) * this.#s0;
        break;
      case 2:
        p += this.#axis(arguments[0], 0, this.#d0) * this.#s0 + this.#axis(arguments[1], 1, this.#d1) * this.#s1;
        break;
      case 3:
        p +=
          this.#axis(arguments[0], 0, this.#d0) * this.#s0 +
          this.#axis(arguments[1], 1, this.#d1) * this.#s1 +
          this.#axis(arguments[2], 2, this.#d2) * this.#s2;
        break;
      default:
        // Inline, never passing `arguments` on: that would materialize it on every call.
        for (let k = 0; k < n; k++) p += this.#axis(arguments[k], k, this.shape[k]!) * this.strides[k]!;
    }
    return this.#load(p);
  }

  #load(p: number): ElementOf<D> {
    switch (this.#kind) {
      case 0:
        return this.data[p] as ElementOf<D>;
      case 1:
        return (this.data[p] !== 0) as ElementOf<D>;
      default:
        return elementAt(this.dtype, this.data, p) as ElementOf<D>;
    }
  }

  /**
   * Sets the element at one index per axis: `x.set(i, j, value)`. The value is
   * cast to the dtype as `astype` would.
   * @throws {NdshareError} ERR_NDSHARE_READ_ONLY when the array is not writeable.
   * @example x.set(0, 1, 2.5)
   */
  set(...args: [...(number | bigint | NDArray)[], Scalar | Complex]): this;
  set(): this {
    this.#checkWriteable();
    const n = arguments.length - 1;
    const value = arguments[n] as Scalar | Complex;
    const complexValue = isComplexValue(value);
    if (typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'boolean' && !complexValue) {
      invalidType('value', 'a number, bigint, boolean or {re, im}', value);
    }
    if (n !== this.ndim) this.#countError(n);
    let p = this.offset;
    for (let k = 0; k < n; k++) p += this.#axis(arguments[k], k, this.shape[k]!) * this.strides[k]!;
    const data = this.data as unknown as { [i: number]: number | bigint };
    if (this.#kind === 3) {
      data[2 * p] = this.#store(complexValue ? value.re : value);
      data[2 * p + 1] = complexValue ? this.#store(value.im) : 0;
    } else if (complexValue) {
      invalidType('value', `a number, bigint or boolean for dtype ${this.dtype} (a complex value needs a complex array)`, value);
    } else data[p] = this.#store(value);
    return this;
  }

  /**
   * The single element of a size-1 array, or the element at a flat C-order
   * index, or at one index per axis.
   * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH for `item()` on an array of size other than 1.
   */
  item(...idx: (number | bigint | NDArray)[]): ElementOf<D> {
    if (idx.length === 0) {
      if (this.size !== 1) {
        throw new NdshareError(`item() without an index needs an array of size 1, not of shape (${this.shape.join(', ')})`, { code: codes.SHAPE_MISMATCH });
      }
      return elementAt(this.dtype, this.data, this.offset) as ElementOf<D>;
    }
    if (idx.length === 1 && this.ndim !== 1) {
      let flat = indexValue(idx[0]) as number;
      if (!Number.isInteger(flat)) invalidType('index', 'an integer', flat);
      if (flat < 0) flat += this.size;
      if (flat < 0 || flat >= this.size) {
        throw new NdshareRangeError(`Index ${idx[0]} is out of bounds for size ${this.size}`, { code: codes.OUT_OF_BOUNDS });
      }
      let p = this.offset;
      for (let k = this.ndim - 1; k >= 0; k--) {
        const d = this.shape[k]!;
        p += (flat % d) * this.strides[k]!;
        flat = Math.floor(flat / d);
      }
      return elementAt(this.dtype, this.data, p) as ElementOf<D>;
    }
    return this.get(...idx);
  }

  /**
   * The elements as nested JS arrays (a scalar for a 0-d array).
   * @example nd.arange(4).reshape([2, 2]).toArray() // [[0, 1], [2, 3]]
   */
  toArray(): NestedArray {
    const { dtype, data, shape, strides } = this;
    const nd = shape.length;
    const build = (axis: number, p: number): NestedArray => {
      if (axis === nd) return elementAt(dtype, data, p);
      const d = shape[axis]!;
      const s = strides[axis]!;
      const out = new Array<NestedArray>(d);
      for (let i = 0; i < d; i++) out[i] = build(axis + 1, p + i * s);
      return out;
    };
    return build(0, this.offset);
  }

  // ---- copies and casts ----------------------------------------------------

  /**
   * A new array that owns a copy of the elements, in C (default) or F order.
   * @example const y = x.T.copy(); y.flags.cContiguous // true
   */
  copy(order: Order = 'C'): NDArray<D> {
    if (order !== 'C' && order !== 'F') invalidValue('order', "'C' or 'F'", order);
    return this.#castTo(this.dtype, order);
  }

  /**
   * The elements cast to `dtype`, with NumPy's results: float -> int truncates,
   * integers wrap around, anything -> bool is `!= 0`, float16/bfloat16 round to
   * nearest even.
   * @throws {NdshareRangeError} ERR_NDSHARE_DTYPE for an unknown dtype.
   * @example nd.array([1.7, -1.7, 300]).astype('int8').toArray() // [1, -1, 44]
   */
  astype<T extends DType>(dtype: T, options?: AstypeOptions): NDArray<T> {
    const o = checkOptions(options, { fn: 'NDArray.astype', known: ['copy'] });
    const to = dtypeInfo(dtype).name as T;
    if ((to as DType) === this.dtype && o.copy === false) return this as unknown as NDArray<T>;
    return this.#castTo(to, 'C');
  }

  #castTo<T extends DType>(to: T, order: Order): NDArray<T> {
    const out = allocUninit(to, this.size);
    const outStrides = contiguousStrides(this.shape, order);
    const contiguousSource = order === 'C' ? this.flags.cContiguous : this.flags.fContiguous;
    const dst = { data: out, strides: outStrides, offset: 0 };
    if (isComplex(this.dtype) || isComplex(to)) complexCopy(dst, to, this, this.dtype, this.shape);
    else if (!(contiguousSource && castContiguous(this.dtype, to, this.data, this.offset, out, this.size))) {
      stridedCopy(dst, this, this.shape, converterOf(this.dtype, to));
    }
    return new NDArray(out, to, this.shape, outStrides, 0);
  }

  /**
   * Writes `value` (an NDArray broadcast to this shape, or a scalar) into this
   * array, casting as `astype` would.
   * @throws {NdshareError} ERR_NDSHARE_READ_ONLY, ERR_NDSHARE_BROADCAST.
   * @example x.slice(0).assign(nd.zeros([3]))
   */
  assign(value: NDArray | Scalar | Complex): this {
    this.#checkWriteable();
    if (value instanceof NDArray) {
      // Overlapping source and destination (x.assign(x.T)) would read half-written data.
      const src = sharesMemory(this, value) ? value.copy() : value;
      const from = { data: src.data, strides: broadcastStrides(src.shape, src.strides, this.shape), offset: src.offset };
      if (isComplex(src.dtype) || isComplex(this.dtype)) complexCopy(this, this.dtype, from, src.dtype, this.shape);
      else stridedCopy(this, from, this.shape, converterOf(src.dtype, this.dtype));
      return this;
    }
    const complexValue = isComplexValue(value);
    if (typeof value !== 'number' && typeof value !== 'bigint' && typeof value !== 'boolean' && !complexValue) {
      invalidType('value', 'an NDArray, number, bigint, boolean or {re, im}', value);
    }
    if (this.#kind === 3) complexFill(this, this.dtype, this.shape, value);
    else if (complexValue) invalidType('value', `a number, bigint or boolean for dtype ${this.dtype} (a complex value needs a complex array)`, value);
    else stridedFill(this, this.shape, storerOf(this.dtype)(value));
    return this;
  }

  /**
   * Sets every element to `value`.
   * @throws {NdshareError} ERR_NDSHARE_READ_ONLY when the array is not writeable.
   */
  fill(value: Scalar | Complex): this {
    return this.assign(value);
  }

  // ---- views ---------------------------------------------------------------

  /** A view of the same data with another shape/strides/offset. */
  #view(shape: readonly number[], strides: readonly number[], offset: number, writeable = this.flags.writeable): NDArray<D> {
    return new NDArray(this.data, this.dtype, shape, strides, offset, { writeable, base: this });
  }

  /**
   * The array with a new shape (one entry may be -1). A view whenever NumPy
   * would give one (the axes merged or split are contiguous), else a copy.
   * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH when the sizes differ.
   * @example nd.arange(6).reshape([2, -1]).shape // [2, 3]
   */
  reshape(shape: readonly number[] | number): NDArray<D> {
    const target = resolveReshape(shape, this.size, this.shape);
    if (this.size === 0) return this.#view(target, contiguousStrides(target), this.offset);
    const strides = nocopyReshapeStrides(this.shape, this.strides, target);
    if (strides) return this.#view(target, strides, this.offset);
    const c = this.copy('C');
    return new NDArray(c.data, c.dtype, target, contiguousStrides(target), 0);
  }

  /**
   * A view with the axes permuted (reversed when `axes` is omitted).
   * @throws {NdshareRangeError} when `axes` is not a permutation of 0…ndim-1.
   */
  transpose(axes?: readonly number[]): NDArray<D> {
    const n = this.ndim;
    let perm: number[];
    if (axes === undefined) perm = Array.from({ length: n }, (_, i) => n - 1 - i);
    else {
      if (!Array.isArray(axes)) invalidType('axes', 'an array of axes', axes);
      if (axes.length !== n) invalidValue('axes', `a permutation of ${n} axes`, axes);
      perm = axes.map((a, i) => normalizeAxis(a, n, `axes[${i}]`));
      if (new Set(perm).size !== n) invalidValue('axes', `a permutation of ${n} axes`, axes);
    }
    return this.#view(
      perm.map((a) => this.shape[a]!),
      perm.map((a) => this.strides[a]!),
      this.offset,
    );
  }

  /**
   * A view selected by one {@link Index} per axis (NumPy basic indexing):
   * numbers pick and drop an axis, `null` adds one, slices may step backwards.
   * Missing trailing axes are taken whole.
   * @example x.slice(0)            // first row
   * @example x.slice('...', '::-1') // last axis reversed
   * @example x.slice({ start: 1, step: 2 }, null) // rows 1, 3, …, with a new axis
   */
  slice(...indices: Index[]): NDArray<D> {
    const ellipses = indices.filter((i) => i === '...').length;
    if (ellipses > 1) invalidValue('indices', "at most one '...'", indices);
    const consumed = indices.filter((i) => i !== null && i !== '...').length;
    for (const [pos, ix] of indices.entries()) {
      const v = indexValue(ix);
      if (Array.isArray(v) || ArrayBuffer.isView(v) || v instanceof NDArray) {
        // A list is NumPy's integer-array (or mask) index, never start/stop/step.
        throw new NdshareTypeError(
          `Expected a basic index (an integer, null, '...', a 'start:stop:step' string or {start, stop, step}) ` +
            `for indices[${pos}] but received ${describe(ix)}; x.slice() gives views only: use x.index(...) for ` +
            `NumPy's integer-array and boolean-mask indexing (a copy)`,
          { code: codes.UNSUPPORTED },
        );
      }
    }
    if (consumed > this.ndim) {
      throw new NdshareRangeError(`Too many indices for an array of ${this.ndim} dimensions: received ${consumed}`, { code: codes.OUT_OF_BOUNDS });
    }
    const { shape, strides, offset } = basicIndex(this.shape, this.strides, this.offset, indices, consumed);
    return this.#view(shape, strides, offset);
  }

  /**
   * A view without axes of length 1 (only `axis` when given).
   * @throws {NdshareRangeError} when a given axis has a length other than 1.
   */
  squeeze(axis?: number | readonly number[]): NDArray<D> {
    const drop = axis === undefined ? this.shape.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0) : normalizeAxes(axis, this.ndim);
    for (const a of drop) {
      if (this.shape[a] !== 1) invalidValue('axis', `an axis of length 1 (axis ${a} has length ${this.shape[a]})`, axis);
    }
    const keep = this.shape.map((_, i) => i).filter((i) => !drop.includes(i));
    return this.#view(
      keep.map((i) => this.shape[i]!),
      keep.map((i) => this.strides[i]!),
      this.offset,
    );
  }

  /**
   * A view with new axes of length 1 inserted at `axis` (positions in the result).
   * @example nd.zeros([3]).expandDims(0).shape // [1, 3]
   */
  expandDims(axis: number | readonly number[]): NDArray<D> {
    const count = Array.isArray(axis) ? axis.length : 1;
    const outNdim = this.ndim + count;
    const axes = normalizeAxes(axis, outNdim);
    const shape: number[] = [];
    const strides: number[] = [];
    let src = 0;
    for (let i = 0; i < outNdim; i++) {
      if (axes.includes(i)) {
        shape.push(1);
        strides.push(0);
      } else {
        shape.push(this.shape[src]!);
        strides.push(this.strides[src]!);
        src++;
      }
    }
    return this.#view(shape, strides, this.offset);
  }

  /**
   * A read-only view broadcast to `shape` (stretched axes get stride 0), as NumPy's `broadcast_to`.
   * @throws {NdshareError} ERR_NDSHARE_BROADCAST when this shape does not broadcast to `shape`.
   */
  broadcastTo(shape: readonly number[]): NDArray<D> {
    const target = checkShape(shape);
    return this.#view(target, broadcastStrides(this.shape, this.strides, target), this.offset, false);
  }

  /** A 1-D copy in C order (always a copy, as NumPy's `flatten`). */
  flatten(): NDArray<D> {
    const c = this.copy('C');
    return new NDArray(c.data, c.dtype, [this.size], [1], 0);
  }

  /** A 1-D view when the array is C-contiguous, else a 1-D copy (NumPy's `ravel`). */
  ravel(): NDArray<D> {
    if (this.flags.cContiguous) return this.#view([this.size], [1], this.offset);
    return this.flatten();
  }

  // ---- interop -------------------------------------------------------------
  // toScijs(), toNdarray() (deprecated) and toStdlib() are attached to this
  // class by src/interop/scijs.ts and src/interop/stdlib.ts (declaration
  // merging there), so that this module never imports the interop modules.

  /**
   * A 0-d array is a number in arithmetic and comparisons (a bigint for 64-bit
   * integers, a boolean for bool), as a NumPy scalar is: `nd.sum(x) + 1` is a
   * number. String conversion gives {@link toString}. Any other array refuses
   * to become a number (JS cannot do NumPy's elementwise `x + 1`: use `nd.add`).
   * @throws {NdshareTypeError} ERR_NDSHARE_UNSUPPORTED for arithmetic on an array with ndim > 0.
   */
  [Symbol.toPrimitive](hint: 'number' | 'string' | 'default'): ElementOf<D> | string {
    if (hint === 'string') return this.ndim === 0 ? (this.#kind === 3 ? formatElements(this) : String(this.item())) : this.toString();
    if (this.ndim === 0 && this.#kind !== 3) return this.item();
    if (this.#kind === 3) {
      throw new NdshareTypeError(`A ${this.dtype} array is not a number (JS has no complex numbers): use x.item() for { re, im }, or nd.real / nd.imag`, {
        code: codes.UNSUPPORTED,
      });
    }
    throw new NdshareTypeError(
      `An array of shape (${this.shape.join(', ')}) is not a number: only 0-d arrays convert in JS arithmetic ` +
        `and comparisons; use nd.add, nd.less, ... for elementwise operations or x.item() for one element`,
      { code: codes.UNSUPPORTED },
    );
  }

  /** The element of a 0-d array (see `Symbol.toPrimitive`); the array itself otherwise. */
  valueOf(): Scalar | Complex | object {
    return this.ndim === 0 ? this.item() : this;
  }

  /** Rendering for console.log / util.inspect. */
  [inspect.custom](): string {
    return this.toString();
  }

  /** NumPy-like text: `array([[1, 2], [3, 4]], dtype=float64)`. Large arrays are summarized. */
  toString(): string {
    return `array(${formatElements(this)}, dtype=${this.dtype}${this.ndim > 0 ? `, shape=(${this.shape.join(', ')})` : ''})`;
  }
}
