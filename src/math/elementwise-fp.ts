/**
 * The ufuncs whose operands or outputs do not all share one dtype:
 * `bitwiseCount` (integers in, uint8 out), `ldexp` (float and integer in) and
 * `frexp` (one float in, a float and an int32 out). Each is rows of the
 * native op table (native/kernels/elementwise/ops.h): bitwiseCount a
 * byte-output row, ldexp a float row whose exponent travels in the float
 * dtype (clamped first: exact), frexp two rows (mantissa, exponent) run over
 * the same input.
 *
 * @module
 */
import { NdshareTypeError, codes, invalidType } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { clip } from './selection.js';
import { canCastSafely, canCastSameKind, isInteger } from './promote.js';
import { applyUfunc, checkOut, toArray, type Operand, type OpSpec } from './ufunc.js';

/** Options of {@link bitwiseCount} and {@link ldexp}. */
export interface FpUfuncOptions {
  /** Where to write the result (the result casts to it 'same_kind'). */
  out?: NDArray | null;
}

/** Options of {@link frexp}: `out` is a pair [mantissa, exponent] (either may be null). */
export interface FrexpOptions {
  out?: readonly [NDArray | null, NDArray | null] | null;
}

const INTS: readonly DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];

function onlyOut(fn: string, options: unknown): unknown {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== 'object' || Array.isArray(options)) invalidType('options', 'an object', options);
  for (const k of Object.keys(options)) {
    if (k !== 'out') {
      throw new NdshareTypeError(`${fn}: option '${k}' is not supported (only options.out)`, {
        code: k === 'where' || k === 'dtype' || k === 'casting' || k === 'order' ? codes.UNSUPPORTED : codes.INVALID_ARG_VALUE,
      });
    }
  }
  return (options as { out?: unknown }).out ?? undefined;
}

/** Writes r into out ('same_kind'), as a ufunc's out=. */
function into(fn: string, r: NDArray, out: unknown, arg: string): NDArray {
  if (out === undefined || out === null) return r;
  const o = checkOut(out, arg);
  if (o.ndim !== r.ndim || o.shape.some((d, i) => d !== r.shape[i])) {
    throw new NdshareTypeError(`${fn}: ${arg} has shape (${o.shape.join(', ')}), the result (${r.shape.join(', ')})`, { code: codes.SHAPE_MISMATCH });
  }
  if (o.dtype !== r.dtype && !canCastSameKind(r.dtype, o.dtype)) {
    throw new NdshareTypeError(`${fn}: cannot cast the result from ${r.dtype} to ${o.dtype} (${arg}) with casting rule 'same_kind'`, { code: codes.DTYPE });
  }
  o.assign(r.dtype === o.dtype ? r : r.astype(o.dtype));
  return o;
}

/**
 * The number of 1-bits in the absolute value of each integer (NumPy 2's
 * `np.bitwise_count`), as uint8; bool counts as int8.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for float input.
 * @example nd.bitwiseCount([0, 7, -1, 255]).toArray() // [0, 3, 1, 8]
 */
export function bitwiseCount(x: Operand, options?: FpUfuncOptions): NDArray {
  const out = onlyOut('bitwiseCount', options);
  const r = applyUfunc({ name: 'bitwiseCount', arity: 1, loops: INTS, bool: true }, [x], undefined);
  // The row writes the count into the byte a bool result would use: the same memory read as uint8.
  const counts = new NDArray(r.data, 'uint8', r.shape, r.strides, r.offset);
  return into('bitwiseCount', counts, out, 'options.out');
}

/** The float loop of ldexp/frexp for an input dtype: the first of float16/32/64 it casts to safely (bfloat16 keeps its own). */
function floatLoop(fn: string, d: DType): DType {
  if (d === 'bfloat16') return d;
  for (const l of ['float16', 'float32', 'float64'] as const) if (canCastSafely(d, l)) return l;
  throw new NdshareTypeError(`${fn} does not support dtype ${d}`, { code: codes.DTYPE });
}

/**
 * `x1 * 2**x2`, exactly (NumPy's `np.ldexp`): x1 in a float dtype (integers
 * as NumPy's loops: int8/uint8/bool → float16, int16/uint16 → float32,
 * wider → float64), x2 integers (bool, int8..int64, uint8..uint32; uint64 and
 * floats are refused as NumPy refuses them).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a float or uint64 x2 or a non-integer JS number.
 * @example nd.ldexp(3, [1, 2, -1]).toArray() // [6, 12, 1.5]
 */
export function ldexp(x1: Operand, x2: Operand, options?: FpUfuncOptions): NDArray {
  const out = onlyOut('ldexp', options);
  const a = typeof x1 === 'number' || typeof x1 === 'bigint' || typeof x1 === 'boolean' ? undefined : toArray(x1, 'x1');
  let e: NDArray | number;
  let x2Bool = false;
  if (typeof x2 === 'number' || typeof x2 === 'bigint' || typeof x2 === 'boolean') {
    const v = Number(x2);
    if (typeof x2 === 'number' && !Number.isInteger(x2)) {
      throw new NdshareTypeError(`ldexp: x2 must be an integer (NumPy has no float exponent loop), got ${x2}`, { code: codes.DTYPE });
    }
    e = Math.max(-4000, Math.min(4000, v));
  } else {
    const b = toArray(x2, 'x2');
    x2Bool = b.dtype === 'bool';
    if (!(b.dtype === 'bool' || (isInteger(b.dtype) && b.dtype !== 'uint64'))) {
      throw new NdshareTypeError(`ldexp: ufunc 'ldexp' not supported for the input types (x2 is ${b.dtype}; it must be an integer dtype other than uint64)`, {
        code: codes.DTYPE,
      });
    }
    e = clip(b.astype('float64'), -4000, 4000);
  }
  // A JS scalar x1: NumPy 2 picks the float16 loop for a Python int (or bool) against an integer array
  // (np.ldexp(3, int32 array) is float16), float64 for a Python float, a bool array or two scalars.
  const intLike = typeof x1 === 'bigint' || typeof x1 === 'boolean' || (typeof x1 === 'number' && Number.isInteger(x1));
  const x2Array = typeof e !== 'number' && !x2Bool;
  const loop = a === undefined ? (intLike && x2Array ? 'float16' : 'float64') : floatLoop('ldexp', a.dtype);
  const spec: OpSpec = { name: 'ldexp', arity: 2, loops: [loop] };
  const xa = a === undefined ? Number(x1 as number) : a.dtype === loop ? a : a.astype(loop);
  const xe =
    typeof e === 'number'
      ? toArray(new Float64Array([e]), 'x2')
          .reshape([])
          .astype(loop)
      : e.astype(loop);
  const r = applyUfunc(spec, [xa, xe], undefined);
  return into('ldexp', r, out, 'options.out');
}

/**
 * Splits each element into mantissa and exponent, `x = m * 2**e` with
 * 0.5 <= |m| < 1 (NumPy's `np.frexp`): returns [m, e], m in the float loop
 * dtype (as ldexp's x1), e int32. 0, ±Inf and NaN give themselves and 0.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for an out the results cannot be cast to.
 * @example nd.frexp([8, 0.75]).map((a) => a.toArray()) // [[0.5, 0.75], [4, 0]]
 */
export function frexp(x: Operand, options?: FrexpOptions): [NDArray, NDArray] {
  const outs = onlyOut('frexp', options);
  if (outs !== undefined && (!Array.isArray(outs) || outs.length !== 2)) invalidType('options.out', 'a pair [mantissa, exponent]', outs);
  const a = typeof x === 'number' ? toArray(new Float64Array([x]), 'x').reshape([]) : toArray(x, 'x');
  const loop = floatLoop('frexp', a.dtype);
  const xa = a.dtype === loop ? a : a.astype(loop);
  const m = applyUfunc({ name: 'frexpMantissa', arity: 1, loops: [loop] }, [xa], undefined);
  const e = applyUfunc({ name: 'frexpExponent', arity: 1, loops: [loop] }, [xa], undefined).astype('int32');
  const pair = outs as [NDArray | null, NDArray | null] | undefined;
  return [into('frexp', m, pair?.[0], 'options.out[0]'), into('frexp', e, pair?.[1], 'options.out[1]')];
}
