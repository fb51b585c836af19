/**
 * NDArray methods that have a function twin (`x.sum()` is `nd.sum(x)`, …),
 * attached here from the math and indexing side so that ndarray.ts never
 * imports them back (better-sqlite3's lib/methods style). One row per method.
 *
 * @module
 */
import type { DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import type { Scalar } from '../ndarray/cast.js';
import {
  all,
  any,
  argmax,
  argmin,
  cumprod,
  cumsum,
  max,
  mean,
  min,
  prod,
  std,
  sum,
  variance,
  type ArgOptions,
  type MomentOptions,
  type ReductionOptions,
  type ScanOptions,
} from './reduce.js';
import { clip, round, type ClipOptions, type RoundOptions } from './selection.js';
import type { Operand } from './ufunc.js';
import { index, setIndex, type AdvancedIndex } from '../indexing/advanced.js';
import { compress, diagonal, nonzero, put, take, type DiagonalOptions, type IndexMode, type TakeOptions } from '../indexing/functions.js';
import { copyto } from '../manipulation/rearrange.js';
import { argsort, sort, type SortOptions } from '../sorting/sort.js';
import { invalidValue } from '../errors.js';

declare module '../ndarray/ndarray.js' {
  interface NDArray<out D extends DType = DType> {
    /** `nd.sum(x, options)`. */
    sum(options?: ReductionOptions): NDArray;
    /** `nd.prod(x, options)`. */
    prod(options?: ReductionOptions): NDArray;
    /** `nd.mean(x, options)`. */
    mean(options?: ReductionOptions): NDArray;
    /** `nd.std(x, options)`. */
    std(options?: MomentOptions): NDArray;
    /** `nd.var(x, options)`. */
    var(options?: MomentOptions): NDArray;
    /** `nd.min(x, options)`. */
    min(options?: ReductionOptions): NDArray<D>;
    /** `nd.max(x, options)`. */
    max(options?: ReductionOptions): NDArray<D>;
    /** `nd.argmin(x, options)`. */
    argmin(options?: ArgOptions): NDArray<'int64'>;
    /** `nd.argmax(x, options)`. */
    argmax(options?: ArgOptions): NDArray<'int64'>;
    /** `nd.any(x, options)`. */
    any(options?: Omit<ReductionOptions, 'dtype'>): NDArray<'bool'>;
    /** `nd.all(x, options)`. */
    all(options?: Omit<ReductionOptions, 'dtype'>): NDArray<'bool'>;
    /** `nd.cumsum(x, options)`. */
    cumsum(options?: ScanOptions): NDArray;
    /** `nd.cumprod(x, options)`. */
    cumprod(options?: ScanOptions): NDArray;
    /** `nd.clip(x, min, max, options)`. */
    clip(min: Operand | null, max: Operand | null, options?: ClipOptions): NDArray;
    /** `nd.round(x, options)`. */
    round(options?: RoundOptions): NDArray<D>;
    /** `nd.take(x, indices, options)`. */
    take(indices: Operand, options?: TakeOptions): NDArray<D>;
    /** `nd.put(x, indices, values, options)`, in place. */
    put(indices: Operand, values: Operand, options?: { mode?: IndexMode }): void;
    /** `nd.compress(condition, x, options)`. */
    compress(condition: Operand, options?: { axis?: number | null }): NDArray<D>;
    /** `nd.diagonal(x, options)`. */
    diagonal(options?: DiagonalOptions): NDArray<D>;
    /** `nd.nonzero(x)`. */
    nonzero(): NDArray<'int64'>[];
    /**
     * NumPy's `x.sort()`: sorts in place along `axis` (default -1), NaN last, stable for every kind.
     * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for `axis: null` (in place needs one axis); as {@link sort}.
     * @throws {NdshareError} ERR_NDSHARE_READ_ONLY for a read-only array.
     */
    sort(options?: SortOptions): void;
    /** `nd.argsort(x, options)`. */
    argsort(options?: SortOptions): NDArray<'int64'>;
    /**
     * NumPy's `x[...]` with advanced indexing (see docs/indexing.md): basic
     * indices give a view, integer arrays and boolean masks a copy.
     */
    index(...indices: AdvancedIndex[]): NDArray<D>;
    /** NumPy's `x[...] = value`: `x.setIndex(...indices, value)`, in place. */
    setIndex(...args: [...AdvancedIndex[], NDArray | Scalar | readonly unknown[]]): this;
  }
}

type Method = (this: NDArray, ...args: never[]) => unknown;

const METHODS: Record<string, Method> = {
  sum(this: NDArray, o?: ReductionOptions) {
    return sum(this, o);
  },
  prod(this: NDArray, o?: ReductionOptions) {
    return prod(this, o);
  },
  mean(this: NDArray, o?: ReductionOptions) {
    return mean(this, o);
  },
  std(this: NDArray, o?: MomentOptions) {
    return std(this, o);
  },
  var(this: NDArray, o?: MomentOptions) {
    return variance(this, o);
  },
  min(this: NDArray, o?: ReductionOptions) {
    return min(this, o);
  },
  max(this: NDArray, o?: ReductionOptions) {
    return max(this, o);
  },
  argmin(this: NDArray, o?: ArgOptions) {
    return argmin(this, o);
  },
  argmax(this: NDArray, o?: ArgOptions) {
    return argmax(this, o);
  },
  any(this: NDArray, o?: ReductionOptions) {
    return any(this, o);
  },
  all(this: NDArray, o?: ReductionOptions) {
    return all(this, o);
  },
  cumsum(this: NDArray, o?: ScanOptions) {
    return cumsum(this, o);
  },
  cumprod(this: NDArray, o?: ScanOptions) {
    return cumprod(this, o);
  },
  clip(this: NDArray, lo: Operand | null, hi: Operand | null, o?: ClipOptions) {
    return clip(this, lo, hi, o);
  },
  round(this: NDArray, o?: RoundOptions) {
    return round(this, o);
  },
  take(this: NDArray, i: Operand, o?: TakeOptions) {
    return take(this, i, o);
  },
  put(this: NDArray, i: Operand, v: Operand, o?: { mode?: IndexMode }) {
    put(this, i, v, o);
  },
  compress(this: NDArray, c: Operand, o?: { axis?: number | null }) {
    return compress(c, this, o);
  },
  diagonal(this: NDArray, o?: DiagonalOptions) {
    return diagonal(this, o);
  },
  nonzero(this: NDArray) {
    return nonzero(this);
  },
  sort(this: NDArray, o?: SortOptions) {
    if (o?.axis === null) invalidValue('options.axis', 'an integer (x.sort() sorts in place along one axis; nd.sort(x, {axis: null}) flattens)', null);
    copyto(this, sort(this, o));
  },
  argsort(this: NDArray, o?: SortOptions) {
    return argsort(this, o);
  },
  index(this: NDArray, ...i: AdvancedIndex[]) {
    return index(this, ...i);
  },
  setIndex(this: NDArray, ...a: unknown[]) {
    setIndex(this, a);
    return this;
  },
};

for (const [name, fn] of Object.entries(METHODS)) {
  Object.defineProperty(NDArray.prototype, name, { value: fn, writable: true, configurable: true, enumerable: false });
}
