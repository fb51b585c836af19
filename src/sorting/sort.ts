/**
 * Sorting and selection: `sort`, `argsort`, `partition`, `argpartition`,
 * `lexsort`, `sortComplex`, with NumPy 2's semantics.
 *
 * Every routine copies the rows along `axis` into one contiguous buffer and
 * hands them to native/kernels/sort: NaN sorts last, integers and floats use
 * a stable LSD radix sort on order-preserving keys (so every `kind` gives a
 * stable result, which is a valid result of NumPy's unstable quicksort too),
 * partition is introselect (std::nth_element).
 *
 * @module
 */
import { native } from '../binding.js';
import { codes, invalidType, NdshareError, NdshareTypeError } from '../errors.js';
import { NDArray } from '../ndarray/ndarray.js';
import { allocZeroed } from '../ndarray/dtypes.js';
import { arrayArg, axisArg, code, newArray, optionsArg, rowsOf, storage, unpermute, unsupported, valueError, type Operand } from './common.js';
import { checkOptions } from '../validate.js';

/** Options of {@link sort} and {@link argsort}. */
export interface SortOptions {
  /** Axis to sort along (negative counts from the end); null: the flattened array. Default -1. */
  axis?: number | null;
  /** 'quicksort' | 'mergesort' | 'heapsort' | 'stable' (NumPy reads the first letter). All give a stable sort here. */
  kind?: string | null;
  /** Sort stably (NumPy 2). Not together with `kind`. */
  stable?: boolean | null;
  /** Field order of structured arrays: ndshare has none (ERR_NDSHARE_UNSUPPORTED). */
  order?: unknown;
}

/** Options of {@link partition} and {@link argpartition}. */
export interface PartitionOptions {
  /** Axis (default -1); null: the flattened array. */
  axis?: number | null;
  /** Only 'introselect' (NumPy's only selection algorithm). */
  kind?: string;
  /** Structured arrays only: unsupported. */
  order?: unknown;
}

/** Options of {@link lexsort}. */
export interface LexsortOptions {
  /** Axis to sort along (default -1). */
  axis?: number | null;
}

function checkKind(kind: unknown, stable: unknown, fn: string): void {
  if (kind !== undefined && kind !== null) {
    if (typeof kind !== 'string') invalidType('options.kind', "'quicksort', 'mergesort', 'heapsort' or 'stable'", kind);
    if (!/^[qhms]/i.test(kind)) valueError(`${fn}: sort kind must be one of 'quick', 'heap', or 'stable' (got '${kind}')`);
    if (stable !== undefined && stable !== null) valueError(`${fn}: \`kind\` and \`stable\` can't be provided at the same time`);
  }
  if (stable !== undefined && stable !== null && typeof stable !== 'boolean') invalidType('options.stable', 'a boolean or null', stable);
}

function prepare(a: Operand, o: { axis?: number | null; order?: unknown }, fn: string, dflt: number | null = -1): { x: NDArray; axis: number } {
  if (o.order !== undefined && o.order !== null) unsupported(fn, 'options.order (structured arrays)');
  let x = arrayArg(a, 'a');
  let axis = axisArg(o.axis, x.ndim, dflt);
  if (axis === null) {
    x = x.reshape([x.size]);
    axis = 0;
  }
  return { x, axis };
}

/**
 * A sorted copy of `a` (NumPy's `np.sort`): NaN last, stable for every kind.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for a bad axis (including axis -1 of a 0-d array).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an unknown kind, or kind with stable.
 * @throws {NdshareError} ERR_NDSHARE_UNSUPPORTED for `order`.
 * @example nd.sort([3, NaN, 1]).toArray() // [1, 3, NaN]
 */
export function sort(a: Operand, options?: SortOptions): NDArray {
  const o = optionsArg(options, ['axis', 'kind', 'stable', 'order'], 'sort');
  checkKind(o.kind, o.stable, 'sort');
  const { x, axis } = prepare(a, o, 'sort');
  const r = rowsOf(x, axis);
  if (r.n > 1) native.sort.sort(code(r.buf.dtype), storage(r.buf), r.rows, r.n);
  return unpermute(r.buf, r.perm);
}

/**
 * Indices (int64) that sort `a` along `axis` (NumPy's `np.argsort`): NaN last,
 * equal elements (0 and -0 included) in their original order for every kind.
 * @throws {NdshareRangeError} as {@link sort}.
 * @example nd.argsort([3, 1, 2]).toArray() // [1n, 2n, 0n]
 */
export function argsort(a: Operand, options?: SortOptions): NDArray {
  const o = optionsArg(options, ['axis', 'kind', 'stable', 'order'], 'argsort');
  checkKind(o.kind, o.stable, 'argsort');
  const { x, axis } = prepare(a, o, 'argsort');
  const r = rowsOf(x, axis);
  const out = newArray('int64', r.buf.shape);
  if (out.size > 0) native.sort.argsort(code(r.buf.dtype), storage(r.buf), r.rows, r.n, out.data as BigInt64Array);
  return unpermute(out, r.perm);
}

function kthArg(kth: unknown, n: number): Float64Array {
  let list: unknown[];
  if (kth instanceof NDArray) list = kth.ndim === 0 ? [kth.item()] : (kth.reshape([kth.size]).toArray() as unknown[]);
  else if (Array.isArray(kth)) list = kth;
  else list = [kth];
  const out = new Float64Array(list.length);
  list.forEach((k, i) => {
    if (typeof k === 'boolean' || (typeof k !== 'bigint' && !(typeof k === 'number' && Number.isInteger(k)))) {
      throw new NdshareTypeError(`Expected integer kth but received ${String(k)}`, { code: codes.INVALID_ARG_TYPE });
    }
    let v = Number(k);
    if (v < 0) v += n;
    if (v < 0 || v >= n) valueError(`kth(=${String(k)}) out of bounds (${n})`);
    out[i] = v;
  });
  return out;
}

function partitionPrep(a: Operand, kth: unknown, options: PartitionOptions | undefined, fn: string) {
  const o = optionsArg(options, ['axis', 'kind', 'order'], fn);
  if (o.kind !== undefined && o.kind !== 'introselect') valueError(`${fn}: select kind must be 'introselect' (got '${String(o.kind)}')`);
  const { x, axis } = prepare(a, o, fn);
  const r = rowsOf(x, axis);
  return { r, k: kthArg(kth, r.n) };
}

/**
 * A copy of `a` with the element at each `kth` position where a sort would put
 * it, smaller-or-equal before and greater-or-equal after (NumPy's
 * `np.partition`; the order inside each side is unspecified, as in NumPy).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for kth out of bounds or kind other than 'introselect'.
 * @example nd.partition([3, 4, 2, 1], 2).get(2) // 3
 */
export function partition(a: Operand, kth: number | bigint | readonly (number | bigint)[] | NDArray, options?: PartitionOptions): NDArray {
  checkOptions(options, { fn: 'nd.partition', known: ['axis', 'kind', 'order'] });
  const { r, k } = partitionPrep(a, kth, options, 'partition');
  if (r.n > 1 && r.rows > 0) native.sort.partition(code(r.buf.dtype), storage(r.buf), r.rows, r.n, k);
  return unpermute(r.buf, r.perm);
}

/**
 * Indices (int64) that partition `a` around each `kth` (NumPy's `np.argpartition`).
 * @throws {NdshareRangeError} as {@link partition}.
 * @example nd.argpartition([3, 4, 2, 1], 1).get(1) // 2n (the index of 2)
 */
export function argpartition(a: Operand, kth: number | bigint | readonly (number | bigint)[] | NDArray, options?: PartitionOptions): NDArray {
  checkOptions(options, { fn: 'nd.argpartition', known: ['axis', 'kind', 'order'] });
  const { r, k } = partitionPrep(a, kth, options, 'argpartition');
  const out = newArray('int64', r.buf.shape);
  if (out.size > 0) native.sort.argpartition(code(r.buf.dtype), storage(r.buf), r.rows, r.n, k, out.data as BigInt64Array);
  return unpermute(out, r.perm);
}

/**
 * Indirect stable sort on several keys, the LAST key primary (NumPy's
 * `np.lexsort`). `keys` is a list of arrays of one shape, or an array whose
 * first axis enumerates the keys.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for an empty key list.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when the keys differ in shape.
 * @example nd.lexsort([[1, 2, 1], [0, 0, 1]]).toArray() // [0n, 1n, 2n]
 */
export function lexsort(keys: NDArray | readonly Operand[], options?: LexsortOptions): NDArray {
  const o = optionsArg(options, ['axis'], 'lexsort');
  let list: NDArray[];
  if (keys instanceof NDArray) {
    if (keys.ndim === 0) throw new NdshareTypeError('need sequence of keys with len > 0 in lexsort', { code: codes.INVALID_ARG_TYPE });
    list = [];
    for (let i = 0; i < keys.shape[0]!; i++) list.push(keys.slice(i));
  } else if (Array.isArray(keys)) {
    list = keys.map((k, i) => arrayArg(k, `keys[${i}]`));
  } else invalidType('keys', 'a list of arrays or an NDArray', keys);
  if (list.length === 0) throw new NdshareTypeError('need sequence of keys with len > 0 in lexsort', { code: codes.INVALID_ARG_TYPE });
  const shape = list[0]!.shape;
  for (const k of list) {
    if (k.ndim !== shape.length || k.shape.some((d, i) => d !== shape[i])) valueError('all keys need to be the same shape');
  }
  if (shape.length === 0) return newArray('int64', [], true);
  let axis = axisArg(o.axis, shape.length, -1);
  if (axis === null) {
    list = list.map((k) => k.reshape([k.size]));
    axis = 0;
  }
  const first = rowsOf(list[0]!, axis);
  const { rows, n, perm } = first;
  const idx = newArray('int64', first.buf.shape);
  if (idx.size === 0) return unpermute(idx, perm);
  native.sort.argsort(code(first.buf.dtype), storage(first.buf), rows, n, idx.data as BigInt64Array);
  const cur = idx.data as BigInt64Array;
  const p = allocZeroed('int64', cur.length) as BigInt64Array;
  const next = allocZeroed('int64', cur.length) as BigInt64Array;
  for (let j = 1; j < list.length; j++) {
    const r = rowsOf(list[j]!, axis);
    const src = storage(r.buf) as unknown as { [i: number]: number | bigint; length: number };
    const g = r.buf.copy();
    const gs = storage(g) as unknown as { [i: number]: number | bigint };
    for (let row = 0, base = 0; row < rows; row++, base += n) {
      for (let i = 0; i < n; i++) gs[base + i] = src[base + Number(cur[base + i])]!;
    }
    native.sort.argsort(code(g.dtype), storage(g), rows, n, p);
    for (let row = 0, base = 0; row < rows; row++, base += n) {
      for (let i = 0; i < n; i++) next[base + i] = cur[base + Number(p[base + i])]!;
    }
    cur.set(next);
  }
  return unpermute(idx, perm);
}

/**
 * NumPy's `np.sort_complex`: ndshare has no complex dtypes, so it always
 * throws.
 * @throws {NdshareError} ERR_NDSHARE_UNSUPPORTED.
 */
export function sortComplex(a: Operand): NDArray {
  void a;
  throw new NdshareError('sortComplex: ndshare has no complex dtypes (sort_complex returns complex128)', { code: codes.UNSUPPORTED });
}
