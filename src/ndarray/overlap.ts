/**
 * Whether two arrays use the same memory: NumPy's `shares_memory` and
 * `may_share_memory`.
 *
 * Two NDArrays can share memory only when their `data` typed arrays lie over
 * the same ArrayBuffer or SharedArrayBuffer object. Views returned by
 * different `store.get()` calls of one store are over the store's one
 * SharedArrayBuffer, so they compare as NumPy's views would. (Two Store
 * objects attached to the same segment in one process map it twice, at two
 * addresses: their arrays never compare as sharing; the same holds for two
 * NumPy processes.)
 *
 * The exact test is NumPy's (`numpy/_core/src/common/mem_overlap.c`): the
 * arrays overlap when some byte of an element of `a` is a byte of an element
 * of `b`, that is when
 *
 *     offA + Σ sa_i·x_i + u = offB + Σ sb_j·y_j + v,
 *     0 ≤ x_i < na_i, 0 ≤ y_j < nb_j, 0 ≤ u < itemsizeA, 0 ≤ v < itemsizeB
 *
 * has an integer solution. Terms are made positive (x → n-1-x for a negative
 * coefficient), equal coefficients merged, and the bounded equation
 * Σ c_k·z_k = B is solved by a depth-first search over the largest
 * coefficients first, pruned by the bounds and by divisibility (gcd). The
 * search counts its steps: past `maxWork` it gives up with
 * ERR_NDSHARE_UNSUPPORTED (NumPy's TooHardError).
 *
 * @module
 */
import { codes, invalidType, invalidValue, NdshareError } from '../errors.js';
import { NDArray } from './ndarray.js';
import { checkOptions } from '../validate.js';
import { arrayOf } from '../manipulation/views.js';

/** Options of {@link sharesMemory} and {@link mayShareMemory}. */
export interface ShareMemoryOptions {
  /**
   * How hard to try: -1 (or undefined for `sharesMemory`) solves the overlap
   * problem exactly; 0 (the default of `mayShareMemory`) compares bounds only;
   * a positive number bounds the steps of the exact search.
   */
  maxWork?: number;
}

interface Span {
  buffer: ArrayBufferLike;
  /** Byte address of the element at index 0 within the buffer. */
  start: number;
  /** Byte strides and lengths of the axes with more than one element. */
  terms: { stride: number; n: number }[];
  itemsize: number;
  /** Lowest and one-past-highest byte touched. */
  lo: number;
  hi: number;
  empty: boolean;
}

function span(x: NDArray): Span {
  const isz = x.itemsize;
  const start = x.data.byteOffset + x.offset * isz;
  let lo = start;
  let hi = start + isz;
  const terms: { stride: number; n: number }[] = [];
  for (let i = 0; i < x.ndim; i++) {
    const n = x.shape[i]!;
    const s = x.strides[i]! * isz;
    if (n > 1 && s !== 0) {
      terms.push({ stride: s, n });
      if (s > 0) hi += s * (n - 1);
      else lo += s * (n - 1);
    }
  }
  return { buffer: x.data.buffer, start, terms, itemsize: isz, lo, hi, empty: x.size === 0 };
}

/** An NDArray, or a fresh array for an array-like or scalar (which then shares nothing), as NumPy converts them. */
function checkArray(v: unknown, arg: string): NDArray {
  if (v instanceof NDArray) return v;
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'function' || typeof v === 'symbol')
    invalidType(arg, 'an NDArray or an array-like', v);
  return arrayOf(v, arg);
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return Math.abs(a);
}

class TooHard extends Error {}

/**
 * Is there z with Σ c_k·z_k = target, 0 ≤ z_k ≤ ub_k? `c` sorted descending,
 * all positive; `suffixGcd[k]` the gcd of c[k..], `suffixMax[k]` Σ c_j·ub_j for j ≥ k.
 */
function solvable(c: readonly number[], ub: readonly number[], target: number, maxWork: number): boolean {
  const m = c.length;
  const suffixGcd = new Array<number>(m + 1).fill(0);
  const suffixMax = new Array<number>(m + 1).fill(0);
  for (let k = m - 1; k >= 0; k--) {
    suffixGcd[k] = gcd(suffixGcd[k + 1]!, c[k]!);
    suffixMax[k] = suffixMax[k + 1]! + c[k]! * ub[k]!;
  }
  let work = 0;
  const rec = (k: number, t: number): boolean => {
    if (t === 0) return true;
    if (k === m || t < 0 || t > suffixMax[k]!) return false;
    if (t % suffixGcd[k]! !== 0) return false;
    if (k === m - 1) return t % c[k]! === 0 && t / c[k]! <= ub[k]!;
    const ck = c[k]!;
    const rest = suffixMax[k + 1]!;
    // z_k must leave a remainder the later terms can reach: t - ck·z ∈ [0, rest].
    const zmax = Math.min(ub[k]!, Math.floor(t / ck));
    const zmin = Math.max(0, Math.ceil((t - rest) / ck));
    for (let z = zmax; z >= zmin; z--) {
      if (maxWork >= 0 && ++work > maxWork) throw new TooHard();
      if (rec(k + 1, t - ck * z)) return true;
    }
    return false;
  };
  return rec(0, target);
}

/** Exact overlap of two spans over the same buffer. */
function overlapExact(a: Span, b: Span, maxWork: number): boolean {
  // offA + Σ sa x + u - offB - Σ sb y - v = 0. Collect signed terms: coefficient, upper bound.
  const signed: [number, number][] = [];
  for (const t of a.terms) signed.push([t.stride, t.n - 1]);
  for (const t of b.terms) signed.push([-t.stride, t.n - 1]);
  if (a.itemsize > 1) signed.push([1, a.itemsize - 1]);
  if (b.itemsize > 1) signed.push([-1, b.itemsize - 1]);
  // Σ coef·z = offB - offA; flip negative coefficients: coef·z = -|coef|·z = |coef|·(ub - z) - |coef|·ub.
  let target = b.start - a.start;
  const merged = new Map<number, number>();
  for (const [coef, ub] of signed) {
    if (ub === 0) continue;
    let c = coef;
    if (c < 0) {
      c = -c;
      target += c * ub;
    }
    merged.set(c, (merged.get(c) ?? 0) + ub);
  }
  const cs = [...merged.keys()].sort((p, q) => q - p);
  return solvable(
    cs,
    cs.map((c) => merged.get(c)!),
    target,
    maxWork,
  );
}

function boundsOverlap(a: Span, b: Span): boolean {
  return a.lo < b.hi && b.lo < a.hi;
}

function maxWorkOf(options: ShareMemoryOptions | undefined, fn: string, dflt: number): number {
  const o = checkOptions(options, { fn, known: ['maxWork'] });
  const w = o.maxWork ?? dflt;
  if (typeof w !== 'number') invalidType('options.maxWork', 'an integer', w);
  if (!Number.isSafeInteger(w) || w < -1) invalidValue('options.maxWork', 'an integer ≥ -1 (-1 exact, 0 bounds only)', w);
  return w;
}

function decide(x1: unknown, x2: unknown, maxWork: number, tooHard: 'throw' | 'true'): boolean {
  const a = span(checkArray(x1, 'x1'));
  const b = span(checkArray(x2, 'x2'));
  if (a.buffer !== b.buffer || a.empty || b.empty) return false;
  if (!boundsOverlap(a, b)) return false;
  try {
    if (maxWork === 0) throw new TooHard();
    return overlapExact(a, b, maxWork);
  } catch (e) {
    if (e instanceof TooHard) {
      if (tooHard === 'true') return true;
      throw new NdshareError(`Exceeded maxWork (${maxWork}) deciding whether the arrays share memory`, { code: codes.UNSUPPORTED, maxWork });
    }
    throw e;
  }
}

/**
 * True if `x1` and `x2` share memory: some element of one uses a byte of an
 * element of the other (NumPy's `np.shares_memory`, exact by default).
 *
 * Array-likes and scalars are converted to fresh arrays, which share nothing.
 *
 * @param options `maxWork`: -1 or undefined for the exact answer, N > 0 to
 *   stop after N search steps, 0 for bounds only (as NumPy, overlapping
 *   bounds then count as too hard).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if an argument is not an NDArray or array-like.
 * @throws {NdshareError} ERR_NDSHARE_UNSUPPORTED when the search needs more than `maxWork` steps (NumPy's TooHardError).
 * @example
 * const x = nd.arange(10);
 * nd.sharesMemory(x.slice('0::2'), x.slice('1::2')) // false: even and odd elements
 * nd.mayShareMemory(x.slice('0::2'), x.slice('1::2')) // true: the bounds overlap
 */
export function sharesMemory(x1: NDArray, x2: NDArray, options?: ShareMemoryOptions): boolean {
  return decide(x1, x2, maxWorkOf(options, 'nd.sharesMemory', -1), 'throw');
}

/**
 * True if `x1` and `x2` might share memory: the byte ranges they span
 * overlap (NumPy's `np.may_share_memory`, bounds only by default). False is
 * certain; true may be a false positive (interleaved views). With a
 * positive `maxWork`, a search that runs out of steps answers true.
 *
 * @param options `maxWork` as {@link sharesMemory} (default 0: bounds only).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE if an argument is not an NDArray.
 * @example nd.mayShareMemory(x, x.T) // true
 */
export function mayShareMemory(x1: NDArray, x2: NDArray, options?: ShareMemoryOptions): boolean {
  return decide(x1, x2, maxWorkOf(options, 'nd.mayShareMemory', 0), 'true');
}
