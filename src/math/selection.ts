/**
 * The elementwise functions that are not plain ufunc calls: `where` (a
 * three-way select), `clip` (one pass of maximum/minimum), `round` (with
 * `decimals`, as NumPy: scale, round half to even, unscale).
 *
 * @module
 */
import { native } from '../binding.js';
import { NdshareError, NdshareTypeError, codes, invalidType, invalidValue } from '../errors.js';
import type { DType, TypedArray } from '../ndarray/dtypes.js';
import { broadcastShapes, broadcastStrides } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { sharesMemory } from '../ndarray/layout.js';
import { divide, maximum, minimum, multiply, rint } from './elementwise.js';
import { canCastSameKind, intRange, isFloat, promoteAll, resultType, type ScalarOperand } from './promote.js';
import { ALL, applyUfunc, checkOut, dtypeCode, emptyArray, loopDesc, scalarArray, toArray, type Operand, type OpSpec } from './ufunc.js';
import { checkOptions } from '../validate.js';

function isScalar(v: unknown): v is ScalarOperand {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

/** Options of {@link where}. */
export interface WhereOptions {
  /** Where to write the result (same shape as the broadcast result; the result casts to it 'same_kind'). */
  out?: NDArray;
}

/**
 * Elements of `x` where `condition` is true (nonzero), of `y` elsewhere, with
 * broadcasting. `x` and `y` promote as in arithmetic (JS scalars are weak).
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST when the shapes do not broadcast.
 * @example nd.where(nd.greater(x, 0), x, 0) // relu
 */
export function where(condition: Operand, x: Operand, y: Operand, options?: WhereOptions): NDArray {
  checkOptions(options, { fn: 'nd.where', known: ['out'] });
  if (x === undefined || y === undefined) {
    throw new NdshareTypeError('where(condition) without x and y is not supported; pass where(condition, x, y)', { code: codes.UNSUPPORTED });
  }
  let cond = isScalar(condition) ? scalarArray(condition, 'bool') : toArray(condition, 'condition');
  if (cond.dtype !== 'bool') cond = cond.astype('bool');
  const strong: DType[] = [];
  const weak: ScalarOperand[] = [];
  const weakNames: string[] = [];
  const pair = [x, y].map((v, i) => {
    if (isScalar(v)) {
      weak.push(v);
      weakNames.push(i === 0 ? 'x' : 'y');
      return undefined;
    }
    const a = toArray(v, i === 0 ? 'x' : 'y');
    strong.push(a.dtype);
    return a;
  });
  const t = resultType(strong, weak, weakNames);
  const [xa, ya] = pair.map((a, i) => {
    if (a === undefined) return scalarArray((i === 0 ? x : y) as ScalarOperand, t);
    return a.dtype === t ? a : a.astype(t);
  }) as [NDArray, NDArray];
  const ops = [cond, xa, ya];
  const out = options?.out === undefined ? undefined : checkOut(options.out);
  const shape = broadcastShapes(...ops.map((o) => o.shape), ...(out ? [out.shape] : []));
  if (out && (shape.length !== out.ndim || shape.some((d, i) => d !== out.shape[i]))) {
    throw new NdshareError(`where: output of shape (${out.shape.join(', ')}) does not match (${shape.join(', ')})`, { code: codes.BROADCAST });
  }
  if (out && out.dtype !== t && !canCastSameKind(t, out.dtype)) {
    throw new NdshareTypeError(`Cannot cast the result of where from ${t} to ${out.dtype} (options.out)`, { code: codes.DTYPE });
  }
  const direct = out !== undefined && out.dtype === t && ops.every((o) => !sharesMemory(o, out));
  const target = direct ? out : emptyArray(t, shape);
  const strides = ops.map((o) => broadcastStrides(o.shape, o.strides, shape));
  const data: TypedArray[] = [...ops.map((o) => o.data), target.data];
  native.math.where(dtypeCode(t), data, loopDesc(shape, [...ops.map((o, i) => ({ offset: o.offset, strides: strides[i]! })), target]));
  if (out && target !== out) {
    out.assign(target);
    return out;
  }
  return target;
}

const CLIP: OpSpec = { name: 'clip', arity: 3, loops: ALL };

/** Options of {@link clip}. */
export interface ClipOptions {
  out?: NDArray;
  dtype?: DType;
}

/**
 * Limits the elements of `x` to [min, max]: `minimum(maximum(x, min), max)`
 * in one pass, with broadcasting; NaN propagates. Either bound may be null
 * (one-sided), not both.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE when both bounds are null.
 * @example nd.clip(x, 0, 1)
 */
export function clip(x: Operand, min: Operand | null, max: Operand | null, options?: ClipOptions): NDArray {
  checkOptions(options, { fn: 'nd.clip', known: ['out', 'dtype'] });
  const noMin = min === null || min === undefined;
  const noMax = max === null || max === undefined;
  if (noMin && noMax) invalidValue('min, max', 'at least one bound', null);
  if (noMin) return minimum(x, max as Operand, options);
  if (noMax) return maximum(x, min as Operand, options);
  // As NumPy 2: integer bounds outside an integer dtype clip by value (a
  // bound below the dtype's range is no bound), so they are brought into range.
  const names = ['x', 'min', 'max'];
  const operands = [x, min, max].map((v, i) => (isScalar(v) ? v : toArray(v, names[i]!)));
  const strong = operands.filter((v): v is NDArray => v instanceof NDArray).map((v) => v.dtype);
  const t = strong.length > 0 ? promoteAll(strong) : undefined;
  const range = t === undefined ? undefined : intRange(t);
  const inRange = (v: Operand): Operand => {
    if (range === undefined || !isScalar(v) || typeof v === 'boolean' || (typeof v === 'number' && !Number.isInteger(v))) return v;
    const b = BigInt(v);
    const c = b < range[0] ? range[0] : b > range[1] ? range[1] : b;
    return typeof v === 'bigint' ? c : Number(c);
  };
  return applyUfunc(CLIP, [operands[0], inRange(operands[1] as Operand), inRange(operands[2] as Operand)], options);
}

/** Options of {@link round}. */
export interface RoundOptions {
  /** Decimal places (negative: tens, hundreds, ...). Default 0. */
  decimals?: number;
  out?: NDArray;
}

/**
 * Rounds to `decimals` places, ties to even, as NumPy: for floats
 * `rint(x * 10^d) / 10^d` (so results carry that product's rounding); integer
 * and bool arrays are copied for d >= 0 and rounded in float64 for d < 0.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for non-integer decimals.
 * @example nd.round(nd.array([0.5, 1.5, 2.675]), { decimals: 0 }) // [0, 2, 3]
 */
export function round(x: Operand, options?: RoundOptions): NDArray {
  checkOptions(options, { fn: 'nd.round', known: ['decimals', 'out'] });
  const d = options?.decimals ?? 0;
  if (!Number.isInteger(d)) invalidType('options.decimals', 'an integer', d);
  const a = isScalar(x) ? scalarArray(x, resultType([], [x])) : toArray(x, 'x');
  const out = options?.out;
  if (a.dtype === 'bool') {
    // NumPy rounds bool through rint's float16 loop; with decimals the scaled result cannot go back to bool.
    if (d !== 0) {
      throw new NdshareTypeError(`round of a bool array with decimals ${d}: the float64 result cannot be cast to bool`, { code: codes.DTYPE });
    }
    return rint(a, out ? { out } : undefined);
  }
  if (!isFloat(a.dtype)) {
    if (d >= 0) {
      if (out) return checkOut(out).assign(a);
      return a.copy();
    }
    const f = 10 ** -d;
    const r = multiply(rint(divide(a, f)), f);
    const back = r.astype(a.dtype);
    if (out) return checkOut(out).assign(back);
    return back;
  }
  if (d === 0) return rint(a, out ? { out } : undefined);
  if (d > 0) {
    const f = 10 ** d;
    const y = multiply(a, f);
    rint(y, { out: y });
    return divide(y, f, out ? { out } : { out: y });
  }
  const f = 10 ** -d;
  const y = divide(a, f);
  rint(y, { out: y });
  return multiply(y, f, out ? { out } : { out: y });
}
