/**
 * Moderate random inputs for the numeric differential tests (88, 89): values
 * whose sums and products stay finite, per dtype family (bool, unsigned,
 * signed, float in steps of 1/8 so that float16 holds them exactly).
 */
import type { DType, NDArray } from '../../src/index.js';
import { arrayOf } from './numpy-diff.js';

/** n values of dtype d in about [-span, span] ([0, span) for unsigned). */
export function moderateValues(d: DType, n: number, rand: () => number, span = 10): (number | bigint | boolean)[] {
  const out: (number | bigint | boolean)[] = [];
  for (let i = 0; i < n; i++) {
    const u = rand() / 2 ** 32;
    if (d === 'bool') out.push(u < 0.5);
    else if (d.startsWith('uint')) out.push(Math.floor(u * span));
    else if (d.startsWith('int')) out.push(Math.floor((u - 0.5) * 2 * span));
    else out.push(Math.round((u - 0.5) * 2 * span * 8) / 8);
  }
  return out;
}

/** A fresh array of `shape` and dtype d of moderate values. */
export function moderate(d: DType, shape: number[], rand: () => number, span = 10): NDArray {
  const n = shape.reduce((p, q) => p * q, 1);
  return arrayOf(moderateValues(d, n, rand, span), d).reshape(shape);
}
