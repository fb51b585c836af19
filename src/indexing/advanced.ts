/**
 * NumPy's indexing `x[...]` on NDArray: basic indices give views (through
 * `slice`), integer arrays and boolean masks give copies, mixed with slices,
 * integers, `'...'` and new axes, with NumPy's rule for where the advanced
 * axes land: next to each other when the advanced indices (integers included)
 * are adjacent in the index, first otherwise.
 *
 * One plan (which element of `x` each result element reads) serves reading
 * (`index`), writing (`setIndex`) and the unbuffered `ufunc.at`.
 *
 * @module
 */
import { NdshareRangeError, NdshareTypeError, codes, describe, invalidType } from '../errors.js';
import { asarray } from '../ndarray/creation.js';
import { allocUninit, dtypeInfo, type DType, type TypedArray } from '../ndarray/dtypes.js';
import { broadcastShapes, indexValue, sizeOf } from '../ndarray/layout.js';
import { NDArray, type Index } from '../ndarray/ndarray.js';
import { storerOf, type Scalar } from '../ndarray/cast.js';
import { numbersOf } from './int64.js';
import { compressMask, gatherTake, maskCount, nonzeroNative, positionsTake, scatterMask, scatterTake, type TakeIndex, type TakeSpec } from './native.js';

/** One index of {@link index}: a basic {@link Index}, or an integer array or boolean mask (NDArray, typed array or JS list). */
export type AdvancedIndex = Index | readonly unknown[] | TypedArray | NDArray;

type Writable = { [i: number]: number | bigint };

/** One axis of the traversal of the result: a strided axis, or the advanced block (a table of offsets). */
interface Dim {
  readonly len: number;
  readonly stride: number;
  readonly table?: Float64Array;
}

/** Which element of `data` each result element (in C order) reads. */
export interface Plan {
  readonly data: TypedArray;
  readonly dtype: DType;
  readonly base: number;
  readonly dims: readonly Dim[];
  readonly shape: readonly number[];
  /** A view when the index was basic only. */
  readonly view?: NDArray;
}

function isBasic(v: unknown): boolean {
  return (
    v === null ||
    typeof v === 'string' ||
    typeof v === 'number' ||
    typeof v === 'bigint' ||
    (typeof v === 'object' && !Array.isArray(v) && !ArrayBuffer.isView(v) && !(v instanceof NDArray))
  );
}

/** An index array as an NDArray of an integer or bool dtype. */
function indexArray(v: unknown, arg: string): NDArray {
  let a: NDArray;
  if (v instanceof NDArray) a = v;
  else if (Array.isArray(v) || ArrayBuffer.isView(v)) {
    a = asarray(v as never);
    // JS numbers arrive as float64: a list of integral numbers is an integer index.
    if (a.dtype === 'float64') {
      const d = a.data as Float64Array;
      for (let i = 0; i < d.length; i++) {
        if (!Number.isInteger(d[i])) {
          throw new NdshareTypeError(`Expected integers or booleans for ${arg} but received ${describe(v)}`, { code: codes.INVALID_ARG_TYPE });
        }
      }
      return a.astype('int64');
    }
    return a;
  } else invalidType(arg, 'an index', v);
  if (a.dtype !== 'bool' && !/^u?int/.test(a.dtype)) {
    throw new NdshareTypeError(`Arrays used as indices must be of integer or boolean type: ${arg} has dtype ${a.dtype}`, { code: codes.INVALID_ARG_TYPE });
  }
  return a;
}

/** The coordinates of the true elements of a bool array, one Float64Array per axis (C order). */
export function maskCoordinates(m: NDArray): Float64Array[] {
  const nd = m.ndim;
  const c = m.flags.cContiguous ? m : m.copy();
  const data = c.data as Uint8Array;
  const n = c.size;
  const o = c.offset;
  let count = 0;
  for (let i = 0; i < n; i++) count += data[o + i]! !== 0 ? 1 : 0;
  const out = Array.from({ length: nd }, () => new Float64Array(count));
  if (nd === 1) {
    const a = out[0]!;
    for (let i = 0, k = 0; i < n; i++) if (data[o + i]) a[k++] = i;
    return out;
  }
  const idx = new Array<number>(nd).fill(0);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (data[o + i]) {
      for (let ax = 0; ax < nd; ax++) out[ax]![k] = idx[ax]!;
      k++;
    }
    for (let ax = nd - 1; ax >= 0; ax--) {
      if (++idx[ax]! < m.shape[ax]!) break;
      idx[ax] = 0;
    }
  }
  return out;
}

/** Index values of an integer array, broadcast to `shape`, normalized for an axis of length `len`, times `stride`. */
function addOffsets(table: Float64Array, a: NDArray | Float64Array, shape: readonly number[], len: number, stride: number, axis: number): void {
  const n = table.length;
  const check = (v: number): number => {
    const j = v < 0 ? v + len : v;
    if (!(j >= 0 && j < len)) {
      throw new NdshareRangeError(`Index ${v} is out of bounds for axis ${axis} with size ${len}`, { code: codes.OUT_OF_BOUNDS });
    }
    return j * stride;
  };
  if (a instanceof Float64Array) {
    for (let i = 0; i < n; i++) table[i]! += check(a[i]!);
    return;
  }
  const b = a.broadcastTo(shape);
  if (b.flags.cContiguous && (b.data instanceof BigInt64Array || b.data instanceof BigUint64Array)) {
    const v = numbersOf(b);
    for (let i = 0; i < n; i++) table[i]! += check(v[i]!);
    return;
  }
  if (b.flags.cContiguous) {
    const d = b.data;
    for (let i = 0, p = b.offset; i < n; i++, p++) table[i]! += check(Number(d[p]!));
    return;
  }
  const d = b.data;
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  let p = b.offset;
  for (let i = 0; i < n; i++) {
    table[i]! += check(Number(d[p]!));
    for (let ax = nd - 1; ax >= 0; ax--) {
      idx[ax]!++;
      p += b.strides[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      p -= idx[ax]! * b.strides[ax]!;
      idx[ax] = 0;
    }
  }
}

/** An advanced entry of a parsed index: an integer array (or one integer) on axis `ax` of the view. */
interface AdvEntry {
  readonly v: NDArray | number;
  readonly ax: number;
}

/** `x[indices]` parsed: the basic view, the advanced entries, and the strided dims before and after the block. */
export interface ParsedIndex {
  readonly view: NDArray;
  /** Set when the index was basic only (the result is the view). */
  readonly basic: boolean;
  readonly advs: readonly AdvEntry[];
  readonly bshape: readonly number[];
  readonly before: readonly Dim[];
  readonly after: readonly Dim[];
  readonly shape: readonly number[];
}

/**
 * Parses `x[indices]`: NumPy's rules for ellipsis, new axes, masks (as their
 * nonzero coordinates) and where the advanced axes land.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for too many indices or a mask of the wrong shape.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for float index arrays.
 */
export function parseIndex(x: NDArray, indices: readonly unknown[]): ParsedIndex {
  const items = indices.map((v) => {
    const u = indexValue(v);
    return u instanceof NDArray && u.ndim === 0 && u.dtype !== 'bool' ? indexValue(u) : u;
  });
  if (items.every(isBasic)) {
    const view = x.slice(...(items as Index[]));
    return { view, basic: true, advs: [], bshape: [], before: [], after: [], shape: view.shape };
  }
  if (items.some((v) => typeof v === 'boolean')) {
    throw new NdshareTypeError('A boolean scalar index (NumPy x[True]) is not supported; use x.expandDims(0)', { code: codes.UNSUPPORTED });
  }
  // Expand: each entry is a basic index or an advanced one (array or integer) consuming one axis.
  type Entry = { kind: 'basic'; v: unknown } | { kind: 'adv'; v: NDArray | number };
  const arrays = items.map((v, i) => (isBasic(v) ? v : indexArray(v, `indices[${i}]`)));
  const consumed = arrays.reduce<number>((n, v) => {
    if (v === null || v === '...') return n;
    if (v instanceof NDArray) return n + (v.dtype === 'bool' ? Math.max(v.ndim, 0) : 1);
    return n + 1;
  }, 0);
  if (consumed > x.ndim) {
    throw new NdshareRangeError(`Too many indices for an array of ${x.ndim} dimensions: received ${consumed}`, { code: codes.OUT_OF_BOUNDS });
  }
  if (arrays.filter((v) => v === '...').length > 1) {
    throw new NdshareRangeError("An index can only have a single ellipsis ('...')", { code: codes.INVALID_ARG_VALUE });
  }
  const entries: Entry[] = [];
  let axis = 0;
  for (const v of arrays) {
    if (v === '...') {
      for (let k = 0; k < x.ndim - consumed; k++, axis++) entries.push({ kind: 'basic', v: ':' });
    } else if (v instanceof NDArray && v.dtype === 'bool') {
      if (v.ndim === 0) throw new NdshareTypeError('A 0-d boolean index is not supported', { code: codes.UNSUPPORTED });
      checkMaskShape(x, v, axis);
      for (const c of nonzeroNative(v)) entries.push({ kind: 'adv', v: c });
      axis += v.ndim;
    } else if (v instanceof NDArray) {
      entries.push({ kind: 'adv', v });
      axis++;
    } else if (typeof v === 'number') {
      entries.push({ kind: 'adv', v });
      axis++;
    } else {
      entries.push({ kind: 'basic', v });
      if (v !== null) axis++;
    }
  }
  // The basic part, advanced axes kept whole.
  const basic = entries.map((e) => (e.kind === 'adv' ? ':' : e.v)) as Index[];
  const view = x.slice(...basic);
  // Axes of `view` that the advanced entries index.
  const advs: AdvEntry[] = [];
  const advPos: number[] = [];
  let vAxis = 0;
  entries.forEach((e, pos) => {
    if (e.kind === 'adv') {
      advs.push({ v: e.v, ax: vAxis });
      advPos.push(pos);
      vAxis++;
    } else if (e.v === null || typeof e.v === 'string' || typeof e.v === 'object') vAxis++;
  });
  const adjacent = advPos.every((p, i) => i === 0 || p === advPos[i - 1]! + 1);
  const bshape = broadcastShapes(...advs.map((e) => (typeof e.v === 'number' ? [] : e.v.shape)));
  const after: Dim[] = [];
  const before: Dim[] = [];
  const advAxes = advs.map((e) => e.ax);
  for (let a = 0; a < view.ndim; a++) {
    if (advAxes.includes(a)) continue;
    const d = { len: view.shape[a]!, stride: view.strides[a]! };
    if (adjacent && a < advAxes[0]!) before.push(d);
    else after.push(d);
  }
  const shape = [...before.map((d) => d.len), ...bshape, ...after.map((d) => d.len)];
  return { view, basic: false, advs, bshape, before, after, shape };
}

function checkMaskShape(x: NDArray, m: NDArray, axis: number): void {
  for (let k = 0; k < m.ndim; k++) {
    if (m.shape[k] !== x.shape[axis + k]) {
      throw new NdshareRangeError(
        `Boolean index did not match the indexed array along axis ${axis + k}; the array has size ${x.shape[axis + k]} ` +
          `but the boolean index has size ${m.shape[k]}`,
        { code: codes.OUT_OF_BOUNDS },
      );
    }
  }
}

/** An integer index on an axis of `len`, normalised (negative counts from the end) or an OUT_OF_BOUNDS error. */
function checkedInteger(v: number, len: number, ax: number): number {
  const j = v < 0 ? v + len : v;
  if (!Number.isInteger(v) || j < 0 || j >= len) {
    throw new NdshareRangeError(`Index ${v} is out of bounds for axis ${ax} with size ${len}`, { code: codes.OUT_OF_BOUNDS });
  }
  return j;
}

/**
 * The plan of `x[indices]`.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for too many indices or an index outside its axis.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for float index arrays; a mask of the wrong shape.
 */
export function planIndex(x: NDArray, indices: readonly unknown[]): Plan {
  const p = parseIndex(x, indices);
  const view = p.view;
  if (p.basic) {
    return {
      data: view.data,
      dtype: x.dtype,
      base: view.offset,
      dims: view.shape.map((len, i) => ({ len, stride: view.strides[i]! })),
      shape: view.shape,
      view,
    };
  }
  const table = new Float64Array(sizeOf(p.bshape));
  for (const e of p.advs) {
    const len = view.shape[e.ax]!;
    const stride = view.strides[e.ax]!;
    if (typeof e.v === 'number') {
      const j = checkedInteger(e.v, len, e.ax);
      for (let i = 0; i < table.length; i++) table[i]! += j * stride;
    } else addOffsets(table, e.v, p.bshape, len, stride, e.ax);
  }
  const block: Dim = { len: table.length, stride: 0, table };
  const dims = [...p.before, block, ...p.after];
  // An empty result reads nothing: its base need not be valid.
  return { data: x.data, dtype: x.dtype, base: sizeOf(p.shape) === 0 ? 0 : view.offset, dims, shape: p.shape };
}

/** The native take of a parsed advanced index (integers folded into the base). */
function takeOf(x: NDArray, p: ParsedIndex): TakeSpec {
  const view = p.view;
  let base = view.offset;
  const idx: TakeIndex[] = [];
  for (const e of p.advs) {
    const len = view.shape[e.ax]!;
    const stride = view.strides[e.ax]!;
    if (typeof e.v === 'number') base += checkedInteger(e.v, len, e.ax) * stride;
    else idx.push({ index: e.v, len, stride, axis: e.ax });
  }
  if (idx.length === 0) {
    // Only integers: a block of one element.
    idx.push({ index: ZERO, len: 1, stride: 0, axis: 0 });
  }
  return { x, base, before: p.before, after: p.after, bshape: p.bshape, indices: idx };
}

const ZERO = new NDArray(new Int32Array(1), 'int32', []);

/**
 * Calls `inner(base, dim)` for every position of the outer dims (all but the last), in C order.
 */
function forEachRow(plan: Plan, inner: (base: number, last: Dim) => void): void {
  const dims = plan.dims;
  if (dims.length === 0) {
    inner(plan.base, { len: 1, stride: 0 });
    return;
  }
  if (dims.some((d) => d.len === 0)) return;
  const last = dims[dims.length - 1]!;
  const outer = dims.slice(0, -1);
  const no = outer.length;
  const idx = new Array<number>(no).fill(0);
  let total = 1;
  for (const d of outer) total *= d.len;
  for (let r = 0; r < total; r++) {
    let b = plan.base;
    for (let k = 0; k < no; k++) {
      const d = outer[k]!;
      b += d.table ? d.table[idx[k]!]! : idx[k]! * d.stride;
    }
    inner(b, last);
    for (let k = no - 1; k >= 0; k--) {
      if (++idx[k]! < outer[k]!.len) break;
      idx[k] = 0;
    }
  }
}

/** The positions in `plan.data` of every result element, in C order. */
export function planPositions(plan: Plan): Float64Array {
  const out = new Float64Array(sizeOf(plan.shape));
  let o = 0;
  forEachRow(plan, (b, last) => {
    const t = last.table;
    if (t) for (let j = 0; j < last.len; j++) out[o++] = b + t[j]!;
    else for (let j = 0; j < last.len; j++) out[o++] = b + j * last.stride;
  });
  return out;
}

/** The positions in `x.data` of every element of `x[indices]` (C order), and the selection's shape. */
export function indexPositions(x: NDArray, indices: readonly unknown[]): { positions: Float64Array; shape: readonly number[] } {
  const p = parseIndex(x, indices);
  if (!p.basic) return { positions: positionsTake(takeOf(x, p)), shape: p.shape };
  const plan = planIndex(x, indices);
  return { positions: planPositions(plan), shape: plan.shape };
}

/** The single bool mask of `indices` when it covers leading axes of x with matching lengths (the compress path). */
function leadingMask(x: NDArray, indices: readonly unknown[]): NDArray | undefined {
  if (indices.length !== 1) return undefined;
  const m = indices[0];
  if (!(m instanceof NDArray) || m.dtype !== 'bool' || m.ndim === 0 || m.ndim > x.ndim) return undefined;
  return m.shape.every((d, i) => d === x.shape[i]) ? m : undefined;
}

/**
 * NumPy's `x[indices]`: a view for basic indices (integers, slices, `null`,
 * `'...'`), a copy once an integer array or a boolean mask appears.
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for an index outside its axis or a mask of the wrong shape.
 * @example x.index([0, 2, 5])            // x[[0, 2, 5]]
 * @example x.index(nd.greater(x, 0))     // x[x > 0]
 * @example x.index(':', [1, 0])          // x[:, [1, 0]]
 */
export function index<D extends DType>(x: NDArray<D>, ...indices: AdvancedIndex[]): NDArray<D> {
  const m = leadingMask(x, indices);
  if (m) return compressMask(x, m);
  const p = parseIndex(x, indices);
  if (p.basic) return p.view as NDArray<D>;
  return gatherTake<D>(takeOf(x, p));
}

/**
 * NumPy's `x[indices] = value`: `value` (an array-like broadcast to the
 * selection, or a scalar) is cast to x's dtype as `astype` casts; with repeated
 * indices the last write wins, as in NumPy.
 * @throws {NdshareError} ERR_NDSHARE_READ_ONLY when x is not writeable.
 * @example x.setIndex(nd.less(x, 0), 0)     // x[x < 0] = 0
 * @example x.setIndex([0, 2], ':', 1)       // x[[0, 2], :] = 1
 */
export function setIndex(x: NDArray, indicesAndValue: readonly unknown[]): void {
  if (indicesAndValue.length === 0) invalidType('value', 'a value to assign', undefined);
  const value = indicesAndValue[indicesAndValue.length - 1];
  const indices = indicesAndValue.slice(0, -1);
  if (!x.flags.writeable) {
    // Same error as assign().
    x.assign(0);
  }
  const scalar = typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean';
  const m = leadingMask(x, indices);
  if (m) {
    const count = maskCount(m);
    const shape = [count, ...x.shape.slice(m.ndim)];
    const v = scalar ? storedItem(x.dtype, value) : (value instanceof NDArray ? value : asarray(value as never)).broadcastTo(shape).astype(x.dtype);
    scatterMask(x, m, count, v);
    return;
  }
  const p = parseIndex(x, indices);
  if (p.basic) {
    p.view.assign(value instanceof NDArray || typeof value !== 'object' ? (value as Scalar | NDArray) : asarray(value as never));
    return;
  }
  const v = scalar ? storedItem(x.dtype, value) : (value instanceof NDArray ? value : asarray(value as never)).broadcastTo(p.shape).astype(x.dtype);
  scatterTake(takeOf(x, p), v);
}

/** One value stored as x's dtype stores it (the cast astype does), as a 0-d array. */
function storedItem(dtype: DType, value: number | bigint | boolean): NDArray {
  const a = allocUninit(dtype, 1);
  if (dtypeInfo(dtype).lanes === 2) {
    // complex: (value, 0), as astype from a real scalar gives.
    const r = new NDArray(a, dtype, []);
    r.fill(value as never);
    return r;
  }
  (a as unknown as Writable)[0] = storerOf(dtype)(value);
  return new NDArray(a, dtype, []);
}
