/**
 * Set routines with NumPy 2's semantics: `unique` (returnIndex, returnInverse,
 * returnCounts, axis, equalNan, sorted), `uniqueAll`, `uniqueCounts`,
 * `uniqueInverse`, `uniqueValues`, `intersect1d`, `isin`, `setdiff1d`,
 * `setxor1d`, `union1d`.
 *
 * Sort-based, as NumPy: one native sort (or stable argsort when indices are
 * wanted), then a scan for the first element of each run of equal values.
 * Equality is numeric: -0 equals 0, NaN equals nothing (unless equalNan).
 *
 * @module
 */
import { native } from '../binding.js';
import { concatenate } from '../math/shaping.js';
import { promoteTypes } from '../math/promote.js';
import { NDArray } from '../ndarray/ndarray.js';
import { lexsort } from './sort.js';
import { allocUninit, allocZeroed } from '../ndarray/dtypes.js';
import { arrayArg, axisArg, boolArg, code, flatContiguous, newArray, optionsArg, storage, unpermute, valueError, type Operand } from './common.js';
import { checkOptions } from '../validate.js';

type Cells = { [i: number]: number | bigint; length: number };

/** Elements of a flat contiguous array as comparable JS values (halves widened to float32). */
function comparable(x: NDArray): ArrayLike<number | bigint> {
  if (x.dtypeInfo.packed) return storage(x.astype('float32').copy()) as Float32Array;
  return storage(x) as unknown as ArrayLike<number | bigint>;
}

/** out[i] = src[idx[i]] for a flat contiguous `src`. */
function gather(src: NDArray, idx: ArrayLike<number | bigint>, count = idx.length): NDArray {
  const out = newArray(src.dtype, [count]);
  const s = storage(src) as unknown as Cells;
  const d = out.data as unknown as Cells;
  for (let i = 0; i < count; i++) d[i] = s[Number(idx[i])]!;
  return out;
}

interface Uniq {
  values: NDArray;
  index?: NDArray;
  inverse?: NDArray;
  counts?: NDArray;
}

/** NumPy's _unique1d over a flat contiguous array. */
function unique1d(flat: NDArray, wantIndex: boolean, wantInverse: boolean, wantCounts: boolean, equalNan: boolean): Uniq {
  const n = flat.size;
  let aux: NDArray;
  let perm: BigInt64Array | undefined;
  if (wantIndex || wantInverse) {
    perm = allocUninit('int64', n) as BigInt64Array; // argsort writes all n
    if (n > 0) native.sort.argsort(code(flat.dtype), storage(flat), 1, n, perm);
    aux = gather(flat, perm);
  } else {
    aux = flat.copy();
    if (n > 1) native.sort.sort(code(aux.dtype), storage(aux), 1, n);
  }
  // Run starts (and lengths) in one native pass over the sorted values.
  const starts = allocZeroed('int64', n) as BigInt64Array;
  const counts = wantCounts ? (allocZeroed('int64', n) as BigInt64Array) : null;
  const k = n > 0 ? native.sort.runs(code(aux.dtype), storage(aux), n, equalNan, starts, counts) : 0;
  const first = starts.subarray(0, k);
  const res: Uniq = { values: gather(aux, first) };
  if (wantIndex) {
    const ix = newArray('int64', [k]);
    const d = ix.data as BigInt64Array;
    for (let j = 0; j < k; j++) d[j] = perm![Number(first[j])]!;
    res.index = ix;
  }
  if (wantInverse) {
    const inv = newArray('int64', [n]);
    const d = inv.data as BigInt64Array;
    let c = -1;
    let next = k > 0 ? Number(first[0]) : Infinity;
    let cb = -1n;
    for (let i = 0; i < n; i++) {
      if (i === next) {
        c++;
        cb++;
        next = c + 1 < k ? Number(first[c + 1]) : Infinity;
      }
      d[Number(perm![i]!)] = cb;
    }
    res.inverse = inv;
  }
  if (counts) res.counts = new NDArray(counts.slice(0, k), 'int64', [k]);
  return res;
}

/** Options of {@link unique}. */
export interface UniqueOptions {
  /** Also return the index of each unique value's first occurrence. */
  returnIndex?: boolean;
  /** Also return the indices that rebuild the input from the unique values. */
  returnInverse?: boolean;
  /** Also return how many times each unique value occurs. */
  returnCounts?: boolean;
  /** Unique subarrays along this axis (default null: the flattened array). */
  axis?: number | null;
  /** Collapse every NaN into one (default true; ignored with `axis`, as in NumPy). */
  equalNan?: boolean;
  /** NumPy 2.3's `sorted`: results are always sorted here (a valid result for false too). */
  sorted?: boolean;
}

/** Unique subarrays along `axis`: rows compared lexicographically by value. */
function uniqueAxis(x: NDArray, axis: number, wantIndex: boolean, wantInverse: boolean, wantCounts: boolean): Uniq & { perm: number[]; rest: number[] } {
  const perm = [axis, ...[...x.shape.keys()].filter((i) => i !== axis)];
  const moved = x.transpose(perm).copy();
  const n = x.shape[axis]!;
  const rest = moved.shape.slice(1);
  const m = rest.reduce((a, b) => a * b, 1);
  const rows = moved.reshape([n, m]);
  let order: BigInt64Array;
  if (m === 0 || n === 0) {
    order = new BigInt64Array(n).map((_, i) => BigInt(i));
  } else {
    const keys: NDArray[] = [];
    for (let j = m - 1; j >= 0; j--) keys.push(rows.slice(':', j));
    order = lexsort(keys).data as BigInt64Array;
  }
  const cv = comparable(rows.astype(rows.dtype).copy());
  const mask = new Uint8Array(n);
  if (n > 0) mask[0] = 1;
  for (let i = 1; i < n; i++) {
    const a = Number(order[i - 1]) * m;
    const b = Number(order[i]) * m;
    for (let j = 0; j < m; j++) {
      if (cv[a + j] !== cv[b + j]) {
        mask[i] = 1;
        break;
      }
    }
  }
  const pos: number[] = [];
  for (let i = 0; i < n; i++) if (mask[i]) pos.push(i);
  const k = pos.length;
  const vals = newArray(x.dtype, [k, m]);
  const src = storage(rows) as unknown as Cells;
  const dst = vals.data as unknown as Cells;
  for (let j = 0; j < k; j++) {
    const r = Number(order[pos[j]!]) * m;
    for (let c = 0; c < m; c++) dst[j * m + c] = src[r + c]!;
  }
  const res: Uniq & { perm: number[]; rest: number[] } = { values: vals.reshape([k, ...rest]), perm, rest };
  if (wantIndex)
    res.index = new NDArray(
      BigInt64Array.from(pos, (p) => order[p]!),
      'int64',
      [k],
    );
  if (wantInverse) {
    const inv = allocZeroed('int64', n) as BigInt64Array;
    let c = -1n;
    for (let i = 0; i < n; i++) {
      if (mask[i]) c++;
      inv[Number(order[i])] = c;
    }
    res.inverse = new NDArray(inv, 'int64', [n]);
  }
  if (wantCounts)
    res.counts = new NDArray(
      BigInt64Array.from(pos, (p, j) => BigInt((j + 1 < k ? pos[j + 1]! : n) - p)),
      'int64',
      [k],
    );
  return res;
}

function uniqueImpl(ar: Operand, options: UniqueOptions | undefined, fn: string): Uniq {
  const o = optionsArg(options, ['returnIndex', 'returnInverse', 'returnCounts', 'axis', 'equalNan', 'sorted'], fn);
  const wi = boolArg(o.returnIndex, 'options.returnIndex', false);
  const wv = boolArg(o.returnInverse, 'options.returnInverse', false);
  const wc = boolArg(o.returnCounts, 'options.returnCounts', false);
  const equalNan = boolArg(o.equalNan, 'options.equalNan', true);
  boolArg(o.sorted, 'options.sorted', true);
  const x = arrayArg(ar, 'ar');
  const axis = x.ndim === 0 && (o.axis === undefined || o.axis === null) ? null : axisArg(o.axis, x.ndim, null);
  if (axis === null) {
    const r = unique1d(flatContiguous(x), wi, wv, wc, equalNan);
    if (r.inverse) r.inverse = r.inverse.reshape([...x.shape]);
    return r;
  }
  const r = uniqueAxis(x, axis, wi, wv, wc);
  r.values = unpermute(r.values, r.perm);
  return r;
}

/**
 * The sorted unique elements of `ar` (NumPy's `np.unique`). With any of
 * `returnIndex`, `returnInverse`, `returnCounts`, an array
 * `[values, index?, inverse?, counts?]` in NumPy's order; all indices int64.
 * With `axis`, unique subarrays along it.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for a bad axis.
 * @example nd.unique([3, 1, 3, NaN, NaN]).toArray() // [1, 3, NaN]
 * @example const [v, c] = nd.unique([2, 2, 5], { returnCounts: true }); // v [2, 5], c [2n, 1n]
 */
export function unique(ar: Operand, options?: UniqueOptions): NDArray | NDArray[] {
  checkOptions(options, { fn: 'nd.unique', known: ['returnIndex', 'returnInverse', 'returnCounts', 'axis', 'equalNan', 'sorted'] });
  const r = uniqueImpl(ar, options, 'unique');
  const out = [r.values];
  if (r.index) out.push(r.index);
  if (r.inverse) out.push(r.inverse);
  if (r.counts) out.push(r.counts);
  return out.length === 1 ? r.values : out;
}

/** The values of `unique(x)` as one array (the array-returning form, for internal use and typing). */
function uniqueValuesOf(x: Operand, equalNan = true): NDArray {
  return uniqueImpl(x, { equalNan }, 'unique').values;
}

/**
 * NumPy's `np.unique_all`: `{values, indices, inverseIndices, counts}`, NaNs distinct.
 * @example nd.uniqueAll([1, 1, 2]).counts.toArray() // [2n, 1n]
 */
export function uniqueAll(x: Operand): { values: NDArray; indices: NDArray; inverseIndices: NDArray; counts: NDArray } {
  const r = uniqueImpl(x, { returnIndex: true, returnInverse: true, returnCounts: true, equalNan: false }, 'uniqueAll');
  return { values: r.values, indices: r.index!, inverseIndices: r.inverse!, counts: r.counts! };
}

/**
 * NumPy's `np.unique_counts`: `{values, counts}`, NaNs distinct.
 * @example nd.uniqueCounts([1, 1, 2]).counts.toArray() // [2n, 1n]
 */
export function uniqueCounts(x: Operand): { values: NDArray; counts: NDArray } {
  const r = uniqueImpl(x, { returnCounts: true, equalNan: false }, 'uniqueCounts');
  return { values: r.values, counts: r.counts! };
}

/**
 * NumPy's `np.unique_inverse`: `{values, inverseIndices}` (inverse in x's shape), NaNs distinct.
 * @example nd.uniqueInverse([5, 1, 5]).inverseIndices.toArray() // [1n, 0n, 1n]
 */
export function uniqueInverse(x: Operand): { values: NDArray; inverseIndices: NDArray } {
  const r = uniqueImpl(x, { returnInverse: true, equalNan: false }, 'uniqueInverse');
  return { values: r.values, inverseIndices: r.inverse! };
}

/**
 * NumPy's `np.unique_values`: the unique values, NaNs distinct. NumPy 2.4
 * returns them in an unspecified (hash) order; ndshare returns them sorted.
 * @example nd.uniqueValues([3, 1, 3]).toArray() // [1, 3]
 */
export function uniqueValues(x: Operand): NDArray {
  return uniqueValuesOf(x, false);
}

function flat(x: Operand, arg: string): NDArray {
  const a = arrayArg(x, arg);
  return a.ndim === 1 ? a : a.reshape([a.size]);
}

/** Options of {@link intersect1d}. */
export interface Intersect1dOptions {
  /** Both inputs are already unique (skips `unique`). */
  assumeUnique?: boolean;
  /** Also return the indices of the common values in each (first occurrences). */
  returnIndices?: boolean;
}

/**
 * The sorted unique values in both `ar1` and `ar2` (NumPy's `np.intersect1d`);
 * with `returnIndices`, `[values, indices1, indices2]`.
 * @example nd.intersect1d([1, 3, 4, 3], [3, 1, 2, 1]).toArray() // [1, 3]
 */
export function intersect1d(ar1: Operand, ar2: Operand, options?: Intersect1dOptions): NDArray | NDArray[] {
  const o = optionsArg(options, ['assumeUnique', 'returnIndices'], 'intersect1d');
  const au = boolArg(o.assumeUnique, 'options.assumeUnique', false);
  const ri = boolArg(o.returnIndices, 'options.returnIndices', false);
  let a1 = flat(ar1, 'ar1');
  let a2 = flat(ar2, 'ar2');
  let ind1: NDArray | undefined;
  let ind2: NDArray | undefined;
  if (!au) {
    const u1 = unique1d(flatContiguous(a1), ri, false, false, true);
    const u2 = unique1d(flatContiguous(a2), ri, false, false, true);
    a1 = u1.values;
    a2 = u2.values;
    ind1 = u1.index;
    ind2 = u2.index;
  }
  const aux0 = flatContiguous(concatenate([a1, a2]));
  const n = aux0.size;
  let aux: NDArray;
  let order: BigInt64Array | undefined;
  if (ri) {
    order = allocUninit('int64', n) as BigInt64Array; // argsort writes all n
    if (n > 0) native.sort.argsort(code(aux0.dtype), storage(aux0), 1, n, order);
    aux = gather(aux0, order);
  } else {
    aux = aux0.copy();
    if (n > 1) native.sort.sort(code(aux.dtype), storage(aux), 1, n);
  }
  const cv = comparable(aux);
  const hits: number[] = [];
  for (let i = 0; i + 1 < n; i++) if (cv[i + 1] === cv[i]) hits.push(i);
  const values = gather(aux, hits);
  if (!ri) return values;
  const i1 = hits.map((h) => Number(order![h]!));
  const i2 = hits.map((h) => Number(order![h + 1]!) - a1.size);
  const pick = (ix: number[], map: NDArray | undefined): NDArray => {
    const d = map ? (map.data as BigInt64Array) : undefined;
    return new NDArray(
      BigInt64Array.from(ix, (v) => (d ? d[v]! : BigInt(v))),
      'int64',
      [ix.length],
    );
  };
  return [values, pick(i1, ind1), pick(i2, ind2)];
}

/** Options of {@link isin}. */
export interface IsinOptions {
  /** Inputs are unique (accepted; the result does not depend on it). */
  assumeUnique?: boolean;
  /** Return the complement (not in testElements). */
  invert?: boolean;
  /** null, 'sort' or 'table' (table: integer and bool inputs only). Both give the same result. */
  kind?: 'sort' | 'table' | null;
}

function membership(e: NDArray, t: NDArray, invert: boolean): NDArray {
  const d = promoteTypes(e.dtype, t.dtype);
  const ee = flatContiguous(e.dtype === d ? e : e.astype(d));
  const s = (t.dtype === d ? t : t.astype(d)).copy().reshape([t.size]);
  if (s.size > 1) native.sort.sort(code(d), storage(s), 1, s.size);
  const pos = allocUninit('int64', ee.size) as BigInt64Array; // searchsorted writes all
  if (ee.size > 0) native.sort.searchsorted(code(d), storage(s), s.size, storage(ee), ee.size, false, pos);
  const sv = comparable(s);
  const ev = comparable(ee);
  const out = newArray('bool', [ee.size]);
  const o = out.data as Uint8Array;
  const m = s.size;
  for (let i = 0; i < ee.size; i++) {
    const p = Number(pos[i]);
    const hit = p < m && sv[p] === ev[i];
    o[i] = hit !== invert ? 1 : 0;
  }
  return out;
}

/**
 * For each element, whether it equals some element of `testElements`
 * (NumPy's `np.isin`): a bool array of `element`'s shape. NaN is in nothing.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a bad kind, or 'table' with float inputs.
 * @example nd.isin([1, 2, 3], [2, 5]).toArray() // [false, true, false]
 */
export function isin(element: Operand, testElements: Operand, options?: IsinOptions): NDArray {
  const o = optionsArg(options, ['assumeUnique', 'invert', 'kind'], 'isin');
  boolArg(o.assumeUnique, 'options.assumeUnique', false);
  const invert = boolArg(o.invert, 'options.invert', false);
  const e = arrayArg(element, 'element');
  const t = arrayArg(testElements, 'testElements');
  if (o.kind !== undefined && o.kind !== null && o.kind !== 'sort' && o.kind !== 'table') {
    valueError(`Invalid kind: '${String(o.kind)}'. Please use None, 'sort' or 'table'.`);
  }
  if (o.kind === 'table' && (e.dtypeInfo.kind === 'f' || t.dtypeInfo.kind === 'f')) {
    valueError("The 'table' method is only supported for boolean or integer arrays. Please select 'sort' or None for kind.");
  }
  return membership(e, t, invert).reshape([...e.shape]);
}

/** Options of {@link setdiff1d} and {@link setxor1d}. */
export interface SetOptions {
  assumeUnique?: boolean;
}

function compress(x: NDArray, mask: NDArray): NDArray {
  const m = mask.data as Uint8Array;
  const idx: number[] = [];
  for (let i = 0; i < m.length; i++) if (m[i]) idx.push(i);
  return gather(flatContiguous(x), idx);
}

/**
 * The unique values of `ar1` not in `ar2`, sorted (NumPy's `np.setdiff1d`;
 * with `assumeUnique`, `ar1`'s order).
 * @example nd.setdiff1d([5, 1, 2, 1], [2]).toArray() // [1, 5]
 */
export function setdiff1d(ar1: Operand, ar2: Operand, options?: SetOptions): NDArray {
  const o = optionsArg(options, ['assumeUnique'], 'setdiff1d');
  const au = boolArg(o.assumeUnique, 'options.assumeUnique', false);
  const a1 = au ? flat(ar1, 'ar1') : uniqueValuesOf(ar1);
  const a2 = au ? arrayArg(ar2, 'ar2') : uniqueValuesOf(ar2);
  return compress(a1, membership(a1, a2, true));
}

/**
 * The sorted unique values in exactly one of the inputs (NumPy's `np.setxor1d`).
 * @example nd.setxor1d([1, 2, 3], [2, 4]).toArray() // [1, 3, 4]
 */
export function setxor1d(ar1: Operand, ar2: Operand, options?: SetOptions): NDArray {
  const o = optionsArg(options, ['assumeUnique'], 'setxor1d');
  const au = boolArg(o.assumeUnique, 'options.assumeUnique', false);
  const a1 = au ? flat(ar1, 'ar1') : uniqueValuesOf(ar1);
  const a2 = au ? flat(ar2, 'ar2') : uniqueValuesOf(ar2);
  const aux = concatenate([a1, a2]).copy();
  const n = aux.size;
  if (n === 0) return aux;
  if (n > 1) native.sort.sort(code(aux.dtype), storage(aux), 1, n);
  const cv = comparable(aux);
  const keep: number[] = [];
  for (let i = 0; i < n; i++) {
    const leftNew = i === 0 || cv[i] !== cv[i - 1];
    const rightNew = i === n - 1 || cv[i + 1] !== cv[i];
    if (leftNew && rightNew) keep.push(i);
  }
  return gather(aux, keep);
}

/**
 * The sorted unique values in either input (NumPy's `np.union1d`).
 * @example nd.union1d([1, 3], [2, 3]).toArray() // [1, 2, 3]
 */
export function union1d(ar1: Operand, ar2: Operand): NDArray {
  return uniqueValuesOf(concatenate([flat(ar1, 'ar1'), flat(ar2, 'ar2')]));
}
