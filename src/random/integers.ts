/**
 * `Generator.integers`: NumPy's bounded integers for every integer dtype and
 * bool, with `endpoint`, scalar or broadcast array bounds. The draws are
 * NumPy's (Lemire's method on 32 or 64 bits, 8/16-bit and bool draws carved
 * out of buffered 32-bit ones), so streams match NumPy bit for bit.
 *
 * @module
 */
import { native } from '../binding.js';
import { NdshareRangeError, codes, invalidType, invalidValue } from '../errors.js';
import { checkDType, dtypeInfo, type DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { asarray, type ArrayInput } from '../ndarray/creation.js';
import { broadcastShapes } from '../ndarray/layout.js';
import type { BitGenerator } from './bitgen.js';
import { body, outArray, sizeShape, type Size } from './args.js';

/** Options of `Generator.integers`. */
export interface IntegersOptions {
  size?: Size;
  /** Integer dtype or 'bool' (default 'int64'). */
  dtype?: DType;
  /** Include `high` (default false). */
  endpoint?: boolean;
}

/** A bound as bigints with its shape ([] for a scalar). */
function bound(v: unknown, name: string): { shape: number[]; values: bigint[] } {
  if (typeof v === 'bigint') return { shape: [], values: [v] };
  if (typeof v === 'number') {
    if (!Number.isInteger(v)) invalidType(name, 'an integer', v);
    return { shape: [], values: [BigInt(v)] };
  }
  if (typeof v === 'boolean') return { shape: [], values: [v ? 1n : 0n] };
  const x = asarray(v as ArrayInput);
  const info = dtypeInfo(x.dtype);
  if (info.kind !== 'f' && info.kind !== 'i' && info.kind !== 'u' && info.kind !== 'b') invalidType(name, 'integers', x.dtype);
  const f = x.flatten();
  const values: bigint[] = [];
  for (let i = 0; i < f.size; i++) {
    const n = f.get(i) as number | bigint | boolean;
    if (typeof n === 'number' && !Number.isInteger(n)) invalidType(name, 'integers', n);
    values.push(BigInt(n));
  }
  return { shape: [...x.shape], values };
}

function expandTo(b: { shape: number[]; values: bigint[] }, shape: readonly number[]): bigint[] {
  if (b.values.length === 1) return b.values;
  const same = b.shape.length === shape.length && b.shape.every((d, i) => d === shape[i]);
  if (same) return b.values;
  const idx = new NDArray(Float64Array.from(b.values.keys()), 'float64', b.shape).broadcastTo(shape).copy();
  return Array.from(idx.data as Float64Array, (i) => b.values[i]!);
}

/**
 * Integers in [low, high) (or [low, high] with `endpoint`); `high` undefined means [0, low).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for non-integer bounds.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE: "low is out of bounds for int8",
 *   "high is out of bounds", "low >= high" (NumPy's checks); ERR_NDSHARE_DTYPE for a non-integer dtype.
 */
export function integers(bg: BitGenerator, low: unknown, high: unknown, options: IntegersOptions = {}): NDArray {
  if (high === undefined || high === null) {
    high = low;
    low = 0;
  }
  const dtype = checkDType(options.dtype ?? 'int64', 'options.dtype');
  const info = dtypeInfo(dtype);
  if (info.kind !== 'i' && info.kind !== 'u' && info.kind !== 'b') {
    invalidValue('options.dtype', 'an integer dtype or bool', dtype, codes.DTYPE);
  }
  const endpoint = options.endpoint ?? false;
  if (typeof endpoint !== 'boolean') invalidType('options.endpoint', 'a boolean', endpoint);
  const bits = info.kind === 'b' ? 1 : 8 * info.itemsize;
  const width = info.kind === 'b' ? 1 : 8 * info.itemsize;
  const min = info.kind === 'i' ? -(1n << BigInt(width - 1)) : 0n;
  const max = info.kind === 'b' ? 1n : info.kind === 'i' ? (1n << BigInt(width - 1)) - 1n : (1n << BigInt(width)) - 1n;
  const lo = bound(low, 'low');
  const hi = bound(high, 'high');
  const s = sizeShape(options.size);
  let shape: number[];
  try {
    shape = broadcastShapes(lo.shape, hi.shape);
    if (s !== undefined) {
      const full = broadcastShapes(s, shape);
      if (full.length !== s.length || full.some((d, i) => d !== s[i])) throw new Error('size');
      shape = s;
    }
  } catch {
    throw new NdshareRangeError('shape mismatch: low, high and size cannot be broadcast together', { code: codes.BROADCAST });
  }
  const los = expandTo(lo, shape);
  const his = expandTo(hi, shape);
  const n = Math.max(los.length, his.length);
  const mask = (1n << 64n) - 1n;
  const wmask = (1n << BigInt(width)) - 1n;
  const off = new BigUint64Array(los.length === 1 && his.length === 1 ? 1 : n);
  const rng = new BigUint64Array(off.length);
  for (let i = 0; i < off.length; i++) {
    const l = los[los.length === 1 ? 0 : i]!;
    let h = his[his.length === 1 ? 0 : i]!;
    if (l < min) invalidValue('low', `a value in the range of ${dtype} (low is out of bounds for ${dtype})`, l);
    if (!endpoint) h -= 1n;
    if (h > max) invalidValue('high', `a value in the range of ${dtype} (high is out of bounds for ${dtype})`, endpoint ? h : h + 1n);
    if (l > h) invalidValue('high', endpoint ? `a value >= low (${l}) (low > high)` : `a value > low (${l}) (low >= high)`, endpoint ? h : h + 1n);
    off[i] = l & mask & (bits === 1 ? mask : wmask);
    rng[i] = (h - l) & mask;
  }
  const o = outArray(shape, dtype, undefined);
  if (o.size > 0) native.random.integers(bg.kind, bg.words, bits, body(o), off, rng);
  return o;
}
