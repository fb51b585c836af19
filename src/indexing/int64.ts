/**
 * Index results in NumPy's `intp` (int64) without a BigInt per element:
 * non-negative integers below 2^53 are written as two 32-bit words.
 *
 * @module
 */
import { NDArray } from '../ndarray/ndarray.js';

/** An int64 array of `shape` holding the integers `v` (|v| < 2^53). */
export function int64Of(v: ArrayLike<number>, shape: readonly number[] = [v.length]): NDArray<'int64'> {
  const n = v.length;
  const out = new BigInt64Array(n);
  const w = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const x = v[i]!;
    // Little-endian words; negative values through BigInt (rare: indices are non-negative).
    if (x >= 0 && x < 4294967296) {
      w[2 * i] = x | 0;
      w[2 * i + 1] = 0;
    } else if (x >= 0) {
      const lo = x % 4294967296;
      w[2 * i] = lo | 0;
      w[2 * i + 1] = (x - lo) / 4294967296;
    } else {
      out[i] = BigInt(x);
    }
  }
  return new NDArray(out, 'int64', shape);
}

/** The elements of a C-contiguous integer array as numbers (int64 read through 32-bit words). */
export function numbersOf(a: NDArray): Float64Array {
  const c = a.flags.cContiguous ? a : a.copy();
  const n = c.size;
  const out = new Float64Array(n);
  const d = c.data;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) {
    const w = new Int32Array(d.buffer, d.byteOffset, d.length * 2);
    const unsigned = d instanceof BigUint64Array;
    for (let i = 0, p = 2 * c.offset; i < n; i++, p += 2) {
      const hi = w[p + 1]!;
      out[i] = (unsigned ? hi >>> 0 : hi) * 4294967296 + (w[p]! >>> 0);
    }
    return out;
  }
  for (let i = 0, p = c.offset; i < n; i++, p++) out[i] = Number(d[p]!);
  return out;
}
