/**
 * Copies that rearrange elements: roll, tile, repeat, resize, trimZeros,
 * copyto, and pad with NumPy's modes.
 *
 * @module
 */
import { NdshareError, NdshareTypeError, codes, invalidType, invalidValue } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import { checkShape, indexValue, normalizeAxes, normalizeAxis, sizeOf } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { canCastSafely, canCastSameKind } from '../math/promote.js';
import { emptyArray, scalarArray, type Operand } from '../math/ufunc.js';
import { concatenate } from '../math/shaping.js';
import { index } from '../indexing/advanced.js';
import { int64Of, numbersOf } from '../indexing/int64.js';
import { arrayOf, flip, ravel } from './views.js';
import { add, divide, equal, floor, multiply, subtract } from '../math/elementwise.js';
import { round, where } from '../math/selection.js';
import { any, max, mean, min } from '../math/reduce.js';
import { checkOptions } from '../validate.js';

const lead = (axis: number): string[] => Array<string>(axis).fill(':');

/**
 * Elements shifted by `shift` along `axis` (the flattened array by default),
 * those past the end coming back at the start (NumPy's `roll`).
 * @example nd.roll(nd.arange(5), 2) // [3, 4, 0, 1, 2]
 */
export function roll(a: Operand, shift: number | readonly number[], options?: { axis?: number | readonly number[] | null }): NDArray {
  checkOptions(options, { fn: 'nd.roll', known: ['axis'] });
  const x = arrayOf(a);
  if (options?.axis === undefined || options.axis === null) {
    if (Array.isArray(shift)) invalidType('shift', 'one integer when axis is null', shift);
    return roll(ravel(x), shift, { axis: 0 }).reshape(x.shape);
  }
  const axes = Array.isArray(options.axis) ? options.axis : [options.axis];
  const shifts = Array.isArray(shift) ? shift : [shift];
  const n = Math.max(axes.length, shifts.length);
  if (axes.length !== shifts.length && axes.length !== 1 && shifts.length !== 1) {
    invalidValue('shift', `as many shifts as axes (${axes.length})`, shift);
  }
  const total = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const ax = normalizeAxis(axes[axes.length === 1 ? 0 : i], x.ndim, 'options.axis');
    const s = indexValue(shifts[shifts.length === 1 ? 0 : i]) as number;
    if (!Number.isInteger(s)) invalidType('shift', 'integers', shift);
    total.set(ax, (total.get(ax) ?? 0) + s);
  }
  let out = x;
  for (const [ax, s] of total) {
    const len = out.shape[ax]!;
    if (len === 0) continue;
    const k = ((s % len) + len) % len;
    if (k === 0) continue;
    const r = emptyArray(out.dtype, out.shape);
    r.slice(...lead(ax), `${k}:`).assign(out.slice(...lead(ax), `:${len - k}`));
    r.slice(...lead(ax), `:${k}`).assign(out.slice(...lead(ax), `${len - k}:`));
    out = r;
  }
  return out === x ? x.copy() : out;
}

/**
 * `A` repeated `reps` times along each axis (NumPy's `tile`).
 * @example nd.tile(nd.array([0, 1]), [2, 2]) // [[0, 1, 0, 1], [0, 1, 0, 1]]
 */
export function tile(A: Operand, reps: number | readonly number[]): NDArray {
  const x = arrayOf(A, 'A');
  const r = (Array.isArray(reps) ? reps : [reps]).map((v) => indexValue(v) as number);
  r.forEach((v, i) => {
    if (!Number.isInteger(v) || v < 0) invalidValue(`reps[${i}]`, 'a non-negative integer', v);
  });
  const nd0 = Math.max(x.ndim, r.length);
  const xs = [...Array<number>(nd0 - x.ndim).fill(1), ...x.shape];
  const rs = [...Array<number>(nd0 - r.length).fill(1), ...r];
  // View x as (1, d0, 1, d1, ...) broadcast to (r0, d0, r1, d1, ...), then copy and merge pairs.
  const inter: number[] = [];
  const target: number[] = [];
  xs.forEach((d, i) => {
    inter.push(1, d);
    target.push(rs[i]!, d);
  });
  const b = x.reshape(inter).broadcastTo(target).copy();
  return b.reshape(xs.map((d, i) => d * rs[i]!));
}

/**
 * Each element repeated `repeats` times along `axis` (flattened when null) (NumPy's `repeat`).
 * @example nd.repeat(nd.array([1, 2]), 2) // [1, 1, 2, 2]
 */
export function repeat(a: Operand, repeats: Operand, options?: { axis?: number | null }): NDArray {
  checkOptions(options, { fn: 'nd.repeat', known: ['axis'] });
  let x = arrayOf(a);
  if (options?.axis === undefined || options.axis === null) x = ravel(x);
  const axis = normalizeAxis(options?.axis ?? 0, x.ndim, 'options.axis');
  const len = x.shape[axis]!;
  const rv = arrayOf(repeats, 'repeats');
  let reps = Array.from(numbersOf(rv.dtype === 'float64' ? rv : rv));
  if (reps.some((v) => !Number.isInteger(v))) invalidType('repeats', 'integers', repeats);
  if (reps.some((v) => v < 0)) invalidValue('repeats', 'non-negative counts', repeats);
  if (reps.length === 1) reps = Array<number>(len).fill(reps[0]!);
  if (reps.length !== len) {
    throw new NdshareError(`repeat: ${reps.length} repeats cannot be broadcast to an axis of length ${len}`, { code: codes.SHAPE_MISMATCH });
  }
  const idx: number[] = [];
  reps.forEach((n, i) => {
    for (let k = 0; k < n; k++) idx.push(i);
  });
  return index(x, ...lead(axis), int64Of(idx));
}

/**
 * A new array of `newShape` filled with copies of `a` in C order, repeated as needed (NumPy's `resize`).
 */
export function resize(a: Operand, newShape: readonly number[] | number): NDArray {
  const x = ravel(arrayOf(a));
  const shape = checkShape(typeof newShape === 'number' ? [newShape] : newShape, 'newShape');
  const n = sizeOf(shape);
  if (n === 0 || x.size === 0) {
    const out = emptyArray(x.dtype, shape);
    if (n > 0) out.fill(0);
    return out;
  }
  const reps = Math.ceil(n / x.size);
  return concatenate(Array<NDArray>(reps).fill(x), { axis: 0 }).slice(`:${n}`).reshape(shape);
}

/**
 * `filt` without its leading and/or trailing zeros (NumPy's `trim_zeros`; trim 'f', 'b' or 'fb').
 * @example nd.trimZeros(nd.array([0, 0, 1, 2, 0])) // [1, 2]
 */
export function trimZeros(filt: Operand, options?: { trim?: 'f' | 'b' | 'fb' | 'bf'; axis?: number | readonly number[] | null }): NDArray {
  checkOptions(options, { fn: 'nd.trimZeros', known: ['trim', 'axis'] });
  const x = arrayOf(filt, 'filt');
  const trim = (options?.trim ?? 'fb').toLowerCase();
  if (!/^[fb]+$/.test(trim)) invalidValue('options.trim', "'f', 'b' or 'fb'", options?.trim);
  const axes = options?.axis === undefined || options.axis === null ? [...x.shape.keys()] : normalizeAxes(options.axis, x.ndim, 'options.axis');
  const nz = x.dtype === 'bool' ? x : where(x, true, false);
  const idx: string[] = x.shape.map(() => ':');
  for (const ax of axes) {
    const others = [...x.shape.keys()].filter((k) => k !== ax);
    const any = others.length ? nz.transpose([ax, ...others]).reshape([x.shape[ax]!, -1]) : nz.reshape([-1, 1]);
    const rows = any.shape[0]!;
    let first = rows;
    let last = -1;
    for (let i = 0; i < rows; i++) {
      const row = any.slice(i);
      let hit = false;
      for (let j = 0; j < row.shape[0]!; j++)
        if (row.get(j)) {
          hit = true;
          break;
        }
      if (hit) {
        if (first === rows) first = i;
        last = i;
      }
    }
    if (first === rows) {
      first = 0;
      last = -1;
    }
    const a = trim.includes('f') ? first : 0;
    const b = trim.includes('b') ? last + 1 : rows;
    idx[ax] = `${a}:${Math.max(a, b)}`;
  }
  return x.slice(...idx);
}

/**
 * Copies `src` (broadcast) into `dst`, optionally only where `where` is true (NumPy's `copyto`; casting 'same_kind' by default).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE when `src` does not cast under `casting`.
 */
export function copyto(dst: NDArray, src: Operand, options?: { casting?: 'no' | 'equiv' | 'safe' | 'same_kind' | 'unsafe'; where?: Operand }): void {
  checkOptions(options, { fn: 'nd.copyto', known: ['casting', 'where'] });
  if (typeof dst !== 'object' || dst === null || !('assign' in dst)) invalidType('dst', 'an NDArray', dst);
  const s = arrayOf(src, 'src');
  const casting = options?.casting ?? 'same_kind';
  const ok =
    casting === 'unsafe' ||
    (casting === 'same_kind' ? canCastSameKind(s.dtype, dst.dtype) : casting === 'safe' ? canCastSafely(s.dtype, dst.dtype) : s.dtype === dst.dtype);
  const scalar = typeof src === 'number' || typeof src === 'bigint' || typeof src === 'boolean';
  if (!ok && !scalar) {
    throw new NdshareTypeError(`Cannot cast array data from ${s.dtype} to ${dst.dtype} according to the rule '${casting}'`, { code: codes.DTYPE });
  }
  if (options?.where === undefined) {
    dst.assign(s);
    return;
  }
  dst.assign(where(options.where, s.astype(dst.dtype), dst));
}

/** Options of {@link pad}. */
export interface PadOptions {
  /** 'constant' (default), 'edge', 'linear_ramp', 'maximum', 'mean', 'median', 'minimum', 'reflect', 'symmetric', 'wrap', 'empty'. */
  mode?: PadMode;
  /** For 'constant': the fill values (scalar, (before, after), or per axis). Default 0. */
  constantValues?: number | bigint | readonly unknown[];
  /** For 'linear_ramp': the end values. Default 0. */
  endValues?: number | readonly unknown[];
  /** For maximum/mean/median/minimum: how many edge elements to use (default all). */
  statLength?: number | readonly unknown[] | null;
  /** For reflect/symmetric: 'even' (default) or 'odd'. */
  reflectType?: 'even' | 'odd';
}

/** NumPy's pad modes. */
export type PadMode = 'constant' | 'edge' | 'linear_ramp' | 'maximum' | 'mean' | 'median' | 'minimum' | 'reflect' | 'symmetric' | 'wrap' | 'empty';

/** NumPy's `_as_pairs`: a scalar, a pair, or one pair per axis, as [before, after] per axis. */
function asPairs(v: unknown, ndim: number, arg: string, integer: boolean): [number, number][] {
  const num = (w: unknown): number => {
    const n = Number(indexValue(w));
    if (Number.isNaN(n) || (integer && (!Number.isInteger(n) || n < 0))) invalidValue(arg, integer ? 'non-negative integers' : 'numbers', v);
    return n;
  };
  if (!Array.isArray(v)) {
    const a = num(v);
    return Array.from({ length: ndim }, () => [a, a]);
  }
  if (v.length === 1 && !Array.isArray(v[0])) return Array.from({ length: ndim }, () => [num(v[0]), num(v[0])]);
  if (v.length === 2 && !Array.isArray(v[0]) && !Array.isArray(v[1])) return Array.from({ length: ndim }, () => [num(v[0]), num(v[1])]);
  if (v.length === 1 && Array.isArray(v[0])) {
    const p = v[0] as unknown[];
    return Array.from({ length: ndim }, () => [num(p[0]), num(p.length > 1 ? p[1] : p[0])]);
  }
  if (v.length !== ndim) invalidValue(arg, `one pair per axis (${ndim})`, v);
  return v.map((p) => {
    if (!Array.isArray(p)) return [num(p), num(p)];
    if (p.length === 1) return [num(p[0]), num(p[0])];
    if (p.length !== 2) invalidValue(arg, 'pairs (before, after)', v);
    return [num(p[0]), num(p[1])];
  });
}

/**
 * `array` padded by `padWidth` along each axis with NumPy's modes.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an unknown mode or bad widths;
 *   'reflect'/'symmetric'/'wrap' and statistics of an empty axis that needs padding are refused as NumPy refuses them.
 * @example nd.pad(nd.array([1, 2, 3]), [1, 2], { mode: 'reflect' }) // [2, 1, 2, 3, 2, 1]
 */
export function pad(array: Operand, padWidth: number | readonly unknown[], options?: PadOptions): NDArray {
  checkOptions(options, { fn: 'nd.pad', known: ['mode', 'constantValues', 'endValues', 'statLength', 'reflectType'] });
  const x = arrayOf(array, 'array');
  const mode = options?.mode ?? 'constant';
  const MODES = ['constant', 'edge', 'linear_ramp', 'maximum', 'mean', 'median', 'minimum', 'reflect', 'symmetric', 'wrap', 'empty'];
  if (!MODES.includes(mode)) invalidValue('options.mode', MODES.join(', '), mode);
  const allowed: Record<string, string[]> = {
    constant: ['constantValues'],
    linear_ramp: ['endValues'],
    maximum: ['statLength'],
    mean: ['statLength'],
    median: ['statLength'],
    minimum: ['statLength'],
    reflect: ['reflectType'],
    symmetric: ['reflectType'],
  };
  for (const k of Object.keys(options ?? {})) {
    if (k !== 'mode' && !(allowed[mode] ?? []).includes(k)) {
      throw new NdshareTypeError(`pad: option '${k}' is not allowed for mode '${mode}'`, { code: codes.INVALID_ARG_VALUE });
    }
  }
  const widths = asPairs(padWidth, x.ndim, 'padWidth', true);
  const shape = x.shape.map((d, k) => d + widths[k]![0] + widths[k]![1]);
  const out = emptyArray(x.dtype, shape);
  const inner = x.shape.map((d, k) => `${widths[k]![0]}:${widths[k]![0] + d}`);
  if (out.size === 0) return out;
  out.slice(...inner).assign(x);
  if (mode === 'empty') return out;
  if (mode === 'constant') {
    const cv = asPairs(options?.constantValues ?? 0, x.ndim, 'options.constantValues', false);
    // Axis by axis, the padded corners taking the later axis' values, as NumPy.
    for (let k = 0; k < x.ndim; k++) {
      const [b, a] = widths[k]!;
      const region = (r: string) => out.slice(...lead(k), r);
      if (b > 0) region(`:${b}`).fill(castFill(cv[k]![0], out.dtype));
      if (a > 0) region(`${shape[k]! - a}:`).fill(castFill(cv[k]![1], out.dtype));
    }
    return out;
  }
  // The other modes fill axis by axis from what is already in `out` (earlier axes padded fully).
  for (let k = 0; k < x.ndim; k++) {
    const [b, a] = widths[k]!;
    if (b === 0 && a === 0) continue;
    const len = x.shape[k]!;
    // The rows of `out` that hold data along k, every other axis as far as filled so far.
    const view = out.slice(...Array.from({ length: x.ndim }, (_, j) => (j < k ? ':' : j === k ? ':' : inner[j]!)));
    const data = view.slice(...lead(k), `${b}:${b + len}`);
    const at = (r: string) => view.slice(...lead(k), r);
    if (len === 0) {
      if (
        mode === 'reflect' ||
        mode === 'symmetric' ||
        mode === 'wrap' ||
        mode === 'edge' ||
        mode === 'linear_ramp' ||
        mode === 'maximum' ||
        mode === 'minimum' ||
        mode === 'mean'
      ) {
        throw new NdshareError(`can't extend empty axis ${k} using modes other than 'constant' or 'empty'`, { code: codes.INVALID_ARG_VALUE });
      }
    }
    const pick = (src: NDArray, idx: number[]) => index(src, ...lead(k), int64Of(idx));
    if (mode === 'edge') {
      if (b) at(`:${b}`).assign(data.slice(...lead(k), '0:1'));
      if (a) at(`${b + len}:`).assign(data.slice(...lead(k), `${len - 1}:`));
    } else if (mode === 'wrap') {
      if (b)
        at(`:${b}`).assign(
          pick(
            data,
            Array.from({ length: b }, (_, i) => (((i - b) % len) + len) % len),
          ),
        );
      if (a)
        at(`${b + len}:`).assign(
          pick(
            data,
            Array.from({ length: a }, (_, i) => i % len),
          ),
        );
    } else if (mode === 'reflect' || mode === 'symmetric') {
      if (len === 1 && mode === 'reflect') {
        // NumPy: reflecting a single element is the edge mode.
        if (b) at(`:${b}`).assign(data.slice(...lead(k), '0:1'));
        if (a) at(`${b + len}:`).assign(data.slice(...lead(k), '0:1'));
      } else {
        reflectBoth(view, k, b, a, len, mode === 'symmetric', options?.reflectType === 'odd');
      }
    } else if (mode === 'linear_ramp') {
      const ev = asPairs(options?.endValues ?? 0, x.ndim, 'options.endValues', false)[k]!;
      const ramp = (edge0: NDArray, end: number, n: number, toEdge: boolean) => {
        // NumPy: linspace(end, edge, n, endpoint=False, dtype) in float64 (floored for integers); reversed after.
        const work = /^u?int|bool/.test(x.dtype) ? 'float64' : x.dtype;
        const edge = edge0.astype(work);
        const delta = subtract(edge, end);
        const step = divide(delta, n);
        // As linspace: when any step is 0 (subnormal deltas), every row computes (j / n) * delta instead.
        const anyZero = any(equal(step, 0)).item() as boolean;
        for (let j = 0; j < n; j++) {
          const pos = toEdge ? j : n - 1 - j;
          let v = add(anyZero ? multiply(divide(scalarArray(j, work), n), delta) : multiply(step, j), end);
          if (/^u?int/.test(x.dtype)) v = floor(v);
          at(`${toEdge ? pos : b + len + pos}:${(toEdge ? pos : b + len + pos) + 1}`).assign(v.astype(x.dtype));
        }
      };
      if (b) ramp(data.slice(...lead(k), '0:1'), ev[0], b, true);
      if (a) ramp(data.slice(...lead(k), `${len - 1}:`), ev[1], a, false);
    } else {
      const sl = asPairs(options?.statLength ?? len, x.ndim, 'options.statLength', true)[k]!;
      const stat = (part: NDArray): NDArray => {
        if (part.shape[k] === 0) throw new NdshareError('stat_length of 0 yields no value for padding', { code: codes.INVALID_ARG_VALUE });
        if (mode === 'maximum') return max(part, { axis: k, keepdims: true });
        if (mode === 'minimum') return min(part, { axis: k, keepdims: true });
        if (mode === 'median') return roundIfInt(medianAlong(part, k), x.dtype);
        return roundIfInt(mean(part, { axis: k, keepdims: true }), x.dtype);
      };
      if (b) at(`:${b}`).assign(stat(data.slice(...lead(k), `:${Math.min(sl[0], len)}`)));
      if (a) at(`${b + len}:`).assign(stat(data.slice(...lead(k), `${len - Math.min(sl[1], len)}:`)));
    }
  }
  return out;
  function castFill(v: number, d: DType): number | bigint | boolean {
    if (d === 'bool') return v !== 0;
    if (d === 'int64' || d === 'uint64') return BigInt(Math.trunc(v));
    return v;
  }
}

/** NumPy rounds float statistics and ramps into integer arrays (np.around, then cast). */
function roundIfInt(v: NDArray, d: DType): NDArray {
  if (d.startsWith('int') || d.startsWith('uint')) return round(v.astype('float64')).astype(d);
  return v.astype(d);
}

export { flip };

/**
 * NumPy's reflect/symmetric padding of one axis: chunks of at most one period
 * of what is already filled, mirrored from the edge outwards (odd: 2*edge - chunk),
 * until both widths are filled.
 */
function reflectBoth(view: NDArray, axis: number, left: number, right: number, len: number, symmetric: boolean, odd: boolean): void {
  const size = view.shape[axis]!;
  const at = (r: string) => view.slice(...lead(axis), r);
  const r0 = right;
  while (left > 0 || right > 0) {
    let period = size - left - right;
    const edgeOffset = symmetric ? 1 : 0;
    if (symmetric) period = Math.floor(period / len) * len;
    else period = Math.floor((period - 1) / (len - 1)) * (len - 1);
    if (left > 0) {
      const n = Math.min(period, left);
      // Elements left+n-edgeOffset ... down to left+1-edgeOffset (reversed) fill left-n .. left-1.
      const stop = left - edgeOffset;
      const start = stop + n;
      let chunk = view.slice(...lead(axis), { start, stop: stop < 0 ? null : stop, step: -1 });
      if (odd) chunk = subtract(multiply(at(`${left}:${left + 1}`), 2), chunk).astype(view.dtype);
      else chunk = chunk.copy();
      at(`${left - n}:${left}`).assign(chunk);
      left -= n;
    }
    if (right > 0) {
      const n = Math.min(period, right);
      const start = size - right + edgeOffset - 2;
      const stop = start - n;
      let chunk = view.slice(...lead(axis), { start, stop: stop < 0 ? null : stop, step: -1 });
      if (odd) chunk = subtract(multiply(at(`${size - right - 1}:${size - right}`), 2), chunk).astype(view.dtype);
      else chunk = chunk.copy();
      at(`${size - right}:${size - right + n}`).assign(chunk);
      right -= n;
    }
  }
  void r0;
}

/** The median along `axis` with keepdims, in float64 (NaN when a slice holds NaN), as np.median for pad. */
function medianAlong(part: NDArray, axis: number): NDArray {
  const others = [...part.shape.keys()].filter((j) => j !== axis);
  const moved = part.transpose([...others, axis]).astype('float64');
  const len = part.shape[axis]!;
  const rows = moved.size / len;
  const flat = moved.reshape([rows, len]);
  const src = flat.data as Float64Array;
  const res = new Float64Array(rows);
  const buf = new Float64Array(len);
  for (let r = 0; r < rows; r++) {
    let nan = false;
    for (let j = 0; j < len; j++) {
      const v = src[flat.offset + r * len + j]!;
      if (v !== v) nan = true;
      buf[j] = v;
    }
    if (nan) {
      res[r] = NaN;
      continue;
    }
    buf.sort();
    const h = len >> 1;
    // np.median is a mean of the middle element(s): a sum from +0, so -0 comes out +0.
    res[r] = len % 2 ? buf[h]! + 0 : (buf[h - 1]! + buf[h]!) / 2;
  }
  const shape = part.shape.map((d, j) => (j === axis ? 1 : d));
  return emptyArray('float64', shape).assign(
    new NDArray(
      res,
      'float64',
      others.map((j) => part.shape[j]!),
    ).reshape(shape),
  );
}
