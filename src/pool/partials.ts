/**
 * The owner's half of a whole-array reduction: combining the workers'
 * per-chunk partials (plain arithmetic, never user code).
 *
 * @module
 */
import type { Scalar } from '../ndarray/cast.js';
import { dtypeInfo } from '../ndarray/dtypes.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { ReduceOp } from './messages.js';

/** Combines per-chunk partials (numbers, or bigints for 64-bit and integer-product accumulators). */
export function combinePartials(op: ReduceOp, partials: (number | bigint)[], x: NDArray, integer: boolean): Scalar {
  const info = dtypeInfo(x.dtype);
  const wrap = (v: bigint) => (info.kind === 'u' ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v));
  switch (op) {
    case 'sum':
      if (integer) return wrap(partials.reduce<bigint>((a, v) => a + BigInt(v), 0n));
      return (partials as number[]).reduce((a, v) => a + v, 0);
    case 'prod':
      if (integer) return partials.reduce<bigint>((a, v) => wrap(a * BigInt(v)), 1n);
      return (partials as number[]).reduce((a, v) => a * v, 1);
    case 'mean':
      return partials.reduce<number>((a, v) => a + Number(v), 0) / x.size;
    case 'min':
    case 'max': {
      const cmp = op === 'min' ? (a: number | bigint, b: number | bigint) => b < a : (a: number | bigint, b: number | bigint) => b > a;
      let acc = partials[0]!;
      for (const v of partials) {
        if (typeof v === 'number' && Number.isNaN(v)) return NaN;
        if (cmp(acc, v)) acc = v;
      }
      return info.bigint ? acc : integer ? Number(acc) : acc;
    }
  }
}
