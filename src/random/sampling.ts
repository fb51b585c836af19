/**
 * `choice`, `shuffle`, `permutation`, `permuted` and `bytes`: NumPy's
 * algorithms (Fisher-Yates from the end with NumPy's bounded draws, Floyd's
 * sampling with NumPy's hash set, the tail shuffle for large samples, inverse
 * CDF for `p`), so the same seed gives NumPy's order.
 *
 * @module
 */
import { native } from '../binding.js';
import { NdshareRangeError, codes, invalidType, invalidValue } from '../errors.js';
import { NDArray } from '../ndarray/ndarray.js';
import { asarray, empty, type ArrayInput } from '../ndarray/creation.js';
import { normalizeAxis, sizeOf } from '../ndarray/layout.js';
import { allocUninit } from '../ndarray/dtypes.js';
import type { BitGenerator } from './bitgen.js';
import { body, sizeShape, type Size } from './args.js';

/** The bytes of a C-contiguous array's elements. */
function bytesOf(x: NDArray): Uint8Array {
  const d = x.data;
  return new Uint8Array(d.buffer, d.byteOffset + x.offset * x.itemsize, x.size * x.itemsize);
}

/** Moves `axis` to the front as a C-contiguous copy (or the array itself when already so). */
function axisFirst(x: NDArray, axis: number): NDArray {
  const perm = [axis, ...x.shape.keys()].filter((a, i) => i === 0 || a !== axis);
  const t = axis === 0 ? x : x.transpose(perm);
  return t.flags.cContiguous ? t : t.copy();
}

function fromAxisFirst(t: NDArray, axis: number): NDArray {
  if (axis === 0) return t;
  const nd = t.ndim;
  const inv = new Array<number>(nd);
  const perm = [axis, ...t.shape.keys()].filter((a, i) => i === 0 || a !== axis);
  perm.forEach((p, i) => (inv[p] = i));
  return t.transpose(inv).copy();
}

/** Fisher-Yates of the rows of `x` along axis 0, in place; x must be C-contiguous. */
function shuffleRows(bg: BitGenerator, x: NDArray, first = 1, lemire = false): void {
  const n = x.shape[0] ?? 0;
  if (n < 2) return;
  const bytes = bytesOf(x);
  native.random.shuffle(bg.kind, bg.words, bytes, n, bytes.length / n, first, lemire);
}

/**
 * Shuffles `x` in place along `axis` (default 0), as NumPy's `shuffle`.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE when x is not an NDArray.
 * @throws {NdshareRangeError} ERR_NDSHARE_READ_ONLY for a read-only array; ERR_NDSHARE_OUT_OF_BOUNDS for a bad axis.
 */
export function shuffle(bg: BitGenerator, x: NDArray, axis = 0): void {
  if (!(x instanceof NDArray)) invalidType('x', 'an NDArray (shuffle works in place)', x);
  if (!x.flags.writeable) throw new NdshareRangeError('shuffle: x is read-only', { code: codes.READ_ONLY });
  if (x.ndim === 0) invalidValue('x', 'an array of at least one dimension', 'a 0-d array');
  const ax = normalizeAxis(axis, x.ndim);
  const n = x.shape[ax]!;
  if (n < 2) return;
  if (ax === 0 && x.flags.cContiguous) return shuffleRows(bg, x);
  // Strided: draw the same swaps, apply them on the view.
  const js = new Float64Array(n - 1);
  native.random.intervals(bg.kind, bg.words, js, n, 1);
  const t = axisFirst(x, ax);
  const tmp = t.copy();
  const rb = bytesOf(tmp);
  const row = rb.length / n;
  const buf = new Uint8Array(row);
  let k = 0;
  for (let i = n - 1; i >= 1; i--) {
    const j = js[k++]!;
    if (i === j) continue;
    buf.set(rb.subarray(j * row, j * row + row));
    rb.copyWithin(j * row, i * row, i * row + row);
    rb.set(buf, i * row);
  }
  x.assign(fromAxisFirst(tmp, ax));
}

/**
 * A permuted copy of `x` along `axis`, or a permutation of `arange(x)` for an integer.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a negative integer.
 */
export function permutation(bg: BitGenerator, x: number | bigint | ArrayInput, axis = 0): NDArray {
  if (typeof x === 'number' || typeof x === 'bigint') {
    const n = Number(x);
    if (!Number.isSafeInteger(n) || n < 0) invalidValue('x', 'a non-negative integer', x);
    const a = empty([n], { dtype: 'int64' });
    native.random.iota(body<BigInt64Array>(a));
    shuffleRows(bg, a);
    return a;
  }
  const arr = asarray(x as ArrayInput);
  if (arr.ndim === 0) invalidValue('x', 'an array of at least one dimension or an integer', 'a 0-d array');
  const ax = normalizeAxis(axis, arr.ndim);
  if (arr.ndim === 1) {
    const c = arr.copy();
    shuffleRows(bg, c);
    return c;
  }
  const t = axisFirst(arr, ax);
  const c = t === arr ? arr.copy() : t;
  shuffleRows(bg, c);
  return fromAxisFirst(c, ax);
}

/** Options of `permuted`. */
export interface PermutedOptions {
  /** Axis whose 1-d slices are shuffled independently; null (default) shuffles the flattened array. */
  axis?: number | null;
  /** Where to write the result (may be x itself). */
  out?: NDArray;
}

/**
 * `x` with each 1-d slice along `axis` shuffled independently (NumPy's `permuted`).
 * @throws {NdshareRangeError} ERR_NDSHARE_SHAPE_MISMATCH when `out` has another shape.
 */
export function permuted(bg: BitGenerator, x: ArrayInput, options: PermutedOptions = {}): NDArray {
  const arr = asarray(x);
  const out = options.out;
  if (out !== undefined) {
    if (!(out instanceof NDArray)) invalidType('options.out', 'an NDArray', out);
    if (out.shape.length !== arr.shape.length || out.shape.some((d, i) => d !== arr.shape[i])) {
      throw new NdshareRangeError('permuted: out must have the shape of x', { code: codes.SHAPE_MISMATCH });
    }
  }
  const c = arr.copy();
  if (options.axis === undefined || options.axis === null) {
    if (c.size > 1) native.random.shuffle(bg.kind, bg.words, bytesOf(c), c.size, c.itemsize, 1);
  } else {
    const ax = normalizeAxis(options.axis, c.ndim);
    // Lanes along ax in C order of the other axes, each shuffled in turn.
    const t = axisFirst(c, ax); // (n, ...rest)
    const n = t.shape[0]!;
    const lanes = n === 0 ? 0 : t.size / n;
    const lt = t.reshape([n, lanes]).transpose([1, 0]).copy(); // (lanes, n), each lane contiguous
    const b = bytesOf(lt);
    const lane = n * lt.itemsize;
    for (let l = 0; l < lanes; l++) native.random.shuffle(bg.kind, bg.words, b.subarray(l * lane, (l + 1) * lane), n, lt.itemsize, 1);
    const back = fromAxisFirst(lt.transpose([1, 0]).copy().reshape(t.shape), ax);
    c.assign(back);
  }
  if (out === undefined) return c;
  out.assign(c);
  return out;
}

/** Options of `choice`. */
export interface ChoiceOptions {
  size?: Size;
  /** Sample with replacement (default true). */
  replace?: boolean;
  /** Probabilities of each entry (1-d, summing to 1). */
  p?: ArrayInput | null;
  /** Axis of `a` to sample along (default 0). */
  axis?: number;
  /** Shuffle a sample drawn without replacement (default true). */
  shuffle?: boolean;
}

/**
 * Samples from `a` (an array, or `arange(a)` for an integer), as NumPy's `choice`.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an empty `a` with a non-empty sample,
 *   bad probabilities, or a sample larger than the population without replacement.
 */
export function choice(bg: BitGenerator, a: number | bigint | ArrayInput, options: ChoiceOptions = {}): NDArray {
  const replace = options.replace ?? true;
  const doShuffle = options.shuffle ?? true;
  let arr: NDArray | undefined;
  let pop: number;
  let axis = 0;
  if (typeof a === 'number' || typeof a === 'bigint') {
    pop = Number(a);
    if (!Number.isSafeInteger(pop)) invalidType('a', 'an integer or an array', a);
    if (pop < 0) invalidValue('a', 'a non-negative integer (a must be non-negative)', a);
  } else {
    arr = asarray(a as ArrayInput);
    if (arr.ndim === 0) invalidValue('a', 'an array of at least one dimension or an integer', 'a 0-d array');
    axis = normalizeAxis(options.axis ?? 0, arr.ndim, 'options.axis');
    pop = arr.shape[axis]!;
  }
  const sz = sizeShape(options.size);
  const shape = sz ?? [];
  const size = sizeOf(shape);
  if (pop === 0 && size !== 0) invalidValue('a', 'a non-empty population (a cannot be empty unless no samples are taken)', pop);
  let p: Float64Array | undefined;
  if (options.p !== undefined && options.p !== null) {
    const pa = asarray(options.p, { dtype: 'float64' });
    if (pa.ndim !== 1) invalidValue('options.p', 'a 1-dimensional array (p must be 1-dimensional)', `${pa.ndim}-d`);
    if (pa.size !== pop) invalidValue('options.p', `${pop} probabilities (a and p must have same size)`, pa.size);
    p = pa.copy().data as Float64Array;
    let sum = 0;
    let c = 0;
    for (let i = 0; i < p.length; i++) {
      const v = p[i]!;
      if (!(v >= 0)) invalidValue('options.p', 'non-negative probabilities (probabilities are not non-negative)', v);
      // Kahan summation, as NumPy's check.
      const y = v - c;
      const t = sum + y;
      c = t - sum - y;
      sum = t;
    }
    if (Math.abs(sum - 1) > Math.sqrt(Number.EPSILON)) invalidValue('options.p', 'probabilities that sum to 1 (probabilities do not sum to 1)', sum);
  }
  let idx: BigInt64Array;
  if (replace) {
    if (p !== undefined) {
      const cdf = cumulative(p);
      const u = new Float64Array(size);
      native.random.fill(bg.kind, bg.words, 0, u);
      idx = new BigInt64Array(size);
      for (let i = 0; i < size; i++) idx[i] = BigInt(searchRight(cdf, u[i]!));
    } else {
      idx = new BigInt64Array(size);
      if (size > 0) native.random.integers(bg.kind, bg.words, 64, idx, BigUint64Array.of(0n), BigUint64Array.of(BigInt(pop - 1)));
    }
  } else {
    if (size > pop) invalidValue('options.size', `at most ${pop} samples (cannot take a larger sample than population when replace is false)`, size);
    if (p !== undefined) {
      let nonzero = 0;
      for (const v of p) if (v > 0) nonzero++;
      if (size > nonzero) invalidValue('options.p', `at least ${size} non-zero entries (fewer non-zero entries in p than size)`, nonzero);
      idx = new BigInt64Array(size);
      const pw = Float64Array.from(p);
      let found = 0;
      while (found < size) {
        const u = new Float64Array(size - found);
        native.random.fill(bg.kind, bg.words, 0, u);
        for (let i = 0; i < found; i++) pw[Number(idx[i])] = 0;
        const cdf = cumulative(pw);
        const fresh = Array.from(u, (x) => searchRight(cdf, x));
        // np.unique(..., return_index=True): the first occurrence of each value, in order of first appearance.
        const seen = new Set<number>();
        for (const v of fresh) {
          if (seen.has(v)) continue;
          seen.add(v);
          idx[found++] = BigInt(v);
        }
      }
    } else if (pop > 10000 && size > Math.floor(pop / (doShuffle ? 50 : 20))) {
      // Tail shuffle: the last `size` entries of a partially shuffled arange.
      const all = allocUninit('int64', pop) as BigInt64Array; // huge pages, reused after GC
      native.random.iota(all);
      native.random.shuffle(bg.kind, bg.words, new Uint8Array(all.buffer), pop, 8, Math.max(pop - size, 1), true);
      idx = all.slice(pop - size);
    } else {
      idx = new BigInt64Array(size);
      native.random.floyd(bg.kind, bg.words, pop, idx);
      if (doShuffle && size > 1) native.random.shuffle(bg.kind, bg.words, new Uint8Array(idx.buffer), size, 8, 1, true);
    }
  }
  const ix = new NDArray(idx, 'int64', shape);
  if (arr === undefined) return ix;
  return takeAlong(arr, idx, shape, axis);
}

function cumulative(p: Float64Array): Float64Array {
  const c = new Float64Array(p.length);
  let s = 0;
  for (let i = 0; i < p.length; i++) c[i] = s += p[i]!;
  const last = c[c.length - 1]!;
  for (let i = 0; i < c.length; i++) c[i] = c[i]! / last;
  return c;
}

/** First index whose value is > x (searchsorted side='right'). */
function searchRight(cdf: Float64Array, x: number): number {
  let lo = 0;
  let hi = cdf.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (cdf[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** a.take(idx, axis) with idx of shape `shape`. */
function takeAlong(a: NDArray, idx: BigInt64Array, shape: readonly number[], axis: number): NDArray {
  const c = a.flags.cContiguous ? a : a.copy();
  const outer = sizeOf(a.shape.slice(0, axis));
  const inner = sizeOf(a.shape.slice(axis + 1));
  const n = a.shape[axis]!;
  const outShape = [...a.shape.slice(0, axis), ...shape, ...a.shape.slice(axis + 1)];
  const out = empty(outShape, { dtype: a.dtype });
  const src = bytesOf(c);
  const dst = bytesOf(out);
  const blk = inner * a.itemsize;
  let k = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < idx.length; i++) {
      const j = Number(idx[i]);
      const from = (o * n + j) * blk;
      dst.set(src.subarray(from, from + blk), k);
      k += blk;
    }
  }
  return out;
}

/**
 * `length` random bytes, as NumPy's `bytes` (little-endian uint32 draws, truncated).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a negative or non-integer length.
 */
export function randomBytes(bg: BitGenerator, length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) invalidValue('length', 'a non-negative integer', length);
  const n = length === 0 ? 0 : Math.floor((length - 1) / 4) + 1;
  const w = new Uint32Array(n);
  if (n > 0) native.random.integers(bg.kind, bg.words, 32, w, BigUint64Array.of(0n), BigUint64Array.of(0xffffffffn));
  return new Uint8Array(w.buffer, 0, length);
}
