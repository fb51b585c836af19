/**
 * NumPy's ufunc methods on every binary elementwise function (DESIGN §3.1
 * point 8): `reduce`, `accumulate`, `outer` and the unbuffered in-place `at`.
 *
 * One row per ufunc that needs more than the generic method: its identity (for
 * empty reductions), whether a reduction over several axes may reorder, the
 * existing reduction or scan it maps to, and a scalar function for `at`'s fast
 * loop. A binary ufunc without a row still gets every method (generic: one
 * vectorised call per step along the axis).
 *
 * @module
 */
import { NdshareError, NdshareRangeError, NdshareTypeError, codes, invalidType } from '../errors.js';
import type { DType } from '../ndarray/dtypes.js';
import { normalizeAxis } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { indexPositions } from '../indexing/advanced.js';
import { all, any, cumprod, cumsum, max, min, prod, sum, type ReductionOptions } from './reduce.js';
import { resultType } from './promote.js';
import { checkOptions } from '../validate.js';
import {
  emptyArray,
  loopDType,
  onBinaryUfunc,
  scalarArray,
  toArray,
  type BinaryUfunc,
  type OpSpec,
  type Operand,
  type UfuncAccumulateOptions,
  type UfuncReduceOptions,
} from './ufunc.js';

type Num = number | bigint;

/** What a ufunc's row adds to the generic methods. */
interface Row {
  /** The identity: an empty reduction gives it; absent = NumPy's "no identity" error. */
  readonly identity?: number | boolean;
  /** Reduction over several axes at once is allowed (the op is associative and commutative). */
  readonly reorderable: boolean;
  /** The existing reduction with NumPy's ufunc.reduce dtype rules. */
  readonly reduce?: (x: NDArray, o: ReductionOptions) => NDArray;
  /** The existing scan (called with the accumulate's loop dtype). */
  readonly scan?: typeof cumsum;
  /** The op on two elements of the loop dtype, for `at` (numbers for ≤32-bit and floats, bigints for 64-bit). */
  readonly scalar?: (a: Num, b: Num, dtype: DType) => Num;
}

const i32mul = (a: Num, b: Num, d: DType): Num => {
  if (typeof a === 'bigint') return a * (b as bigint);
  // Exact low bits for 32-bit integers (a double product would round above 2^53).
  if (d === 'int32' || d === 'uint32') return Math.imul(a, b as number);
  return a * (b as number);
};

const ROWS: Readonly<Record<string, Row>> = {
  add: { identity: 0, reorderable: true, reduce: sum, scan: cumsum, scalar: (a, b) => (a as number) + (b as number) },
  subtract: { reorderable: false, scalar: (a, b) => (a as number) - (b as number) },
  multiply: { identity: 1, reorderable: true, reduce: prod, scan: cumprod, scalar: i32mul },
  maximum: {
    reorderable: true,
    reduce: max,
    scalar: (a, b) => (a !== a || (b as number) < (a as number) ? a : b !== b ? b : (b as number) > (a as number) ? b : a),
  },
  minimum: {
    reorderable: true,
    reduce: min,
    scalar: (a, b) => (a !== a || (b as number) > (a as number) ? a : b !== b ? b : (b as number) < (a as number) ? b : a),
  },
  logicalAnd: { identity: true, reorderable: true, reduce: all },
  logicalOr: { identity: false, reorderable: true, reduce: any },
  logicalXor: { identity: false, reorderable: true },
  bitwiseAnd: { identity: -1, reorderable: true },
  bitwiseOr: { identity: 0, reorderable: true },
  bitwiseXor: { identity: 0, reorderable: true },
};

const NO_ROW: Row = { reorderable: false };

function checkKeys(options: object | undefined, allowed: readonly string[], fn: string, numpyOnly: readonly string[]): void {
  checkOptions(options, { fn, known: allowed, numpyOnly });
}

function asOperandArray(v: Operand, arg: string): NDArray {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
    return scalarArray(v, resultType([], [v]));
  }
  return toArray(v, arg);
}

/** A comparison's bool output cannot be fed back into a non-bool operand: NumPy finds no loop. */
function checkFoldable(spec: OpSpec, x: NDArray, method: string): void {
  if (spec.comparison && x.dtype !== 'bool') {
    throw new NdshareTypeError(`No loop matching the specified signature and casting was found for ufunc ${spec.name}.${method} on ${x.dtype}`, {
      code: codes.DTYPE,
    });
  }
}

/** `fn.reduce(x, {axis = 0, keepdims, dtype})`. */
function reduceWith(fn: BinaryUfunc, spec: OpSpec, row: Row, x0: Operand, options?: UfuncReduceOptions): NDArray {
  checkKeys(options, ['axis', 'keepdims', 'dtype'], `${spec.name}.reduce`, ['out', 'initial', 'where']);
  const x = asOperandArray(x0, 'x');
  const axisOpt = options?.axis === undefined ? 0 : options.axis;
  const axes = axisOpt === null ? [...x.shape.keys()] : (Array.isArray(axisOpt) ? axisOpt : [axisOpt]).map((a) => normalizeAxis(a, x.ndim, 'options.axis'));
  if (new Set(axes).size !== axes.length) {
    throw new NdshareRangeError(`${spec.name}.reduce: duplicate value in options.axis`, { code: codes.INVALID_ARG_VALUE });
  }
  if (axes.length > 1 && !row.reorderable) {
    throw new NdshareRangeError(`reduction operation '${spec.name}' is not reorderable, so at most one axis may be specified`, {
      code: codes.INVALID_ARG_VALUE,
    });
  }
  checkFoldable(spec, x, 'reduce');
  const keepdims = options?.keepdims ?? false;
  if (row.reduce && (options?.dtype === undefined || !['logicalAnd', 'logicalOr'].includes(spec.name))) {
    const o: ReductionOptions = { axis: axes, keepdims };
    if (options?.dtype !== undefined) o.dtype = options.dtype;
    return row.reduce(x, o);
  }
  // Generic: fold one axis at a time (in decreasing order so the others keep their numbers).
  let acc = x;
  if (options?.dtype !== undefined) acc = acc.astype(options.dtype);
  for (const ax of [...axes].sort((a, b) => b - a)) acc = foldAxis(fn, spec, row, acc, ax, options?.dtype);
  if (keepdims) {
    const shape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
    acc = acc.reshape(shape);
  }
  return acc;
}

function foldAxis(fn: BinaryUfunc, spec: OpSpec, row: Row, x: NDArray, axis: number, dtype: DType | undefined): NDArray {
  const n = x.shape[axis]!;
  const moved = x.ndim === 0 ? x : x.transpose([axis, ...[...x.shape.keys()].filter((a) => a !== axis)]);
  const rest = moved.shape.slice(1);
  const t = dtype ?? (spec.bool ? 'bool' : loopDType(spec, x.dtype));
  if (n === 0) {
    if (row.identity === undefined) {
      throw new NdshareRangeError(`zero-size array to reduction operation ${spec.name} which has no identity`, { code: codes.INVALID_ARG_VALUE });
    }
    const out = emptyArray(t, rest);
    out.fill(row.identity);
    return out;
  }
  let acc = moved.slice(0).astype(t);
  for (let i = 1; i < n; i++) acc = fn(acc, moved.slice(i), dtype === undefined ? undefined : { dtype });
  return acc;
}

/** `fn.accumulate(x, {axis = 0, dtype})`. */
function accumulateWith(fn: BinaryUfunc, spec: OpSpec, row: Row, x0: Operand, options?: UfuncAccumulateOptions): NDArray {
  checkKeys(options, ['axis', 'dtype'], `${spec.name}.accumulate`, ['out']);
  const x = asOperandArray(x0, 'x');
  if (x.ndim === 0) {
    throw new NdshareRangeError(`${spec.name}.accumulate: cannot accumulate a 0-d array`, { code: codes.INVALID_ARG_VALUE });
  }
  const axis = normalizeAxis(options?.axis ?? 0, x.ndim, 'options.axis');
  checkFoldable(spec, x, 'accumulate');
  const t: DType = options?.dtype ?? (spec.bool ? 'bool' : loopDType(spec, x.dtype));
  // add/multiply accumulate as cumsum/cumprod do: small integers and bool in (u)int64.
  if (row.scan && !spec.bool) {
    const r = options?.dtype === undefined ? row.scan(x, { axis }) : row.scan(x, { axis, dtype: t });
    // The running fold starts from x's first slice itself (a -0 stays -0), not from the identity.
    if (r.size > 0) r.slice(...[...Array(axis).fill(':'), 0]).assign(x.slice(...[...Array(axis).fill(':'), 0]));
    return r;
  }
  const out = emptyArray(t, x.shape);
  if (out.size === 0) return out;
  const lead = (i: number) => [...Array(axis).fill(':'), i] as string[];
  out.slice(...lead(0)).assign(x.slice(...lead(0)));
  const n = x.shape[axis]!;
  for (let i = 1; i < n; i++) {
    const r = fn(out.slice(...lead(i - 1)), x.slice(...lead(i)), options?.dtype === undefined ? undefined : { dtype: t });
    out.slice(...lead(i)).assign(r);
  }
  return out;
}

/** `fn.outer(a, b)`: a with b.ndim trailing axes of length 1, against b. */
function outerWith(fn: BinaryUfunc, a0: Operand, b0: Operand, options?: Parameters<BinaryUfunc>[2]): NDArray {
  const a = asOperandArray(a0, 'a');
  const b = asOperandArray(b0, 'b');
  return fn(a.reshape([...a.shape, ...b.shape.map(() => 1)]), b, options);
}

/** The index of `at`: a JS list whose items are lists, arrays or basic indices is a tuple; anything else is one index. */
function atIndices(indices: unknown): unknown[] {
  if (Array.isArray(indices) && indices.some((v) => typeof v !== 'number' && typeof v !== 'bigint' && typeof v !== 'boolean')) {
    return indices;
  }
  return [indices];
}

/** `fn.at(x, indices, values)`: unbuffered, in place. */
function atWith(fn: BinaryUfunc, spec: OpSpec, row: Row, x: NDArray, indices: unknown, values?: Operand): void {
  if (!(x instanceof NDArray)) invalidType('x', 'an NDArray', x);
  if (!x.flags.writeable) throw new NdshareError(`${spec.name}.at: x is read-only`, { code: codes.READ_ONLY });
  if (values === undefined) {
    throw new NdshareTypeError(`${spec.name}.at: values are required for a binary ufunc`, { code: codes.INVALID_ARG_TYPE });
  }
  const { positions, shape } = indexPositions(x, atIndices(indices));
  const n = positions.length;
  const scalar = typeof values === 'number' || typeof values === 'bigint' || typeof values === 'boolean';
  const v = scalar ? undefined : toArray(values, 'values');
  const t = resultType(v ? [x.dtype, v.dtype] : [x.dtype], scalar ? [values] : []);
  const loop = spec.bool ? 'bool' : loopDType(spec, t);
  // NumPy's ufunc.at casts the result back into x unsafely (as astype does).
  const wide = (v ?? scalarArray(values as number, loop)).broadcastTo(shape);
  // No copy when the values already are what the loop reads (and are not x's own memory).
  const reuse = wide.dtype === loop && wide.flags.cContiguous && wide.offset === 0 && wide.data.buffer !== x.data.buffer;
  const vals = reuse ? wide : wide.astype(loop);
  if (n === 0) return;
  const packed = x.dtype === 'float16' || x.dtype === 'bfloat16' || x.dtype === 'bool';
  const data = x.data as unknown as { [i: number]: Num };
  const vd = vals.data as unknown as { [i: number]: Num };
  if (row.scalar && loop === x.dtype && !packed) {
    const f = row.scalar;
    if (spec.name === 'add' && typeof vd[0] === 'number') {
      const fd = data as unknown as Float64Array;
      for (let i = 0; i < n; i++) fd[positions[i]!]! += vd[i] as number;
    } else {
      for (let i = 0; i < n; i++) {
        const p = positions[i]!;
        data[p] = f(data[p]!, vd[i]!, loop);
      }
    }
    return;
  }
  // Generic: rounds in which every position occurs once, each one vectorised call.
  const seen = new Map<number, number>();
  const round = new Int32Array(n);
  let rounds = 0;
  for (let i = 0; i < n; i++) {
    const r = seen.get(positions[i]!) ?? 0;
    round[i] = r;
    seen.set(positions[i]!, r + 1);
    if (r + 1 > rounds) rounds = r + 1;
  }
  const flat = new NDArray(x.data, x.dtype, [x.data.length]);
  for (let r = 0; r < rounds; r++) {
    const sel: number[] = [];
    for (let i = 0; i < n; i++) if (round[i] === r) sel.push(i);
    const pos = Float64Array.from(sel, (i) => positions[i]!);
    const cur = gatherFlat(flat, pos);
    const vv = gatherFlat(new NDArray(vals.data, vals.dtype, [vals.size]), Float64Array.from(sel));
    const res = fn(cur, vv, { dtype: loop }).astype(x.dtype);
    const rd = res.data as unknown as { [i: number]: Num };
    for (let k = 0; k < pos.length; k++) data[pos[k]!] = rd[k]!;
  }
}

function gatherFlat(a: NDArray, pos: Float64Array): NDArray {
  const out = emptyArray(a.dtype, [pos.length]);
  const d = a.data as unknown as { [i: number]: Num };
  const o = out.data as unknown as { [i: number]: Num };
  for (let i = 0; i < pos.length; i++) o[i] = d[pos[i]!]!;
  return out;
}

onBinaryUfunc((fn, spec) => {
  const row = ROWS[spec.name] ?? NO_ROW;
  const methods = {
    ufuncName: spec.name,
    reduce: (x: Operand, options?: UfuncReduceOptions) => reduceWith(fn, spec, row, x, options),
    accumulate: (x: Operand, options?: UfuncAccumulateOptions) => accumulateWith(fn, spec, row, x, options),
    outer: (a: Operand, b: Operand, options?: Parameters<BinaryUfunc>[2]) => outerWith(fn, a, b, options),
    at: (x: NDArray, indices: unknown, values?: Operand) => atWith(fn, spec, row, x, indices, values),
  };
  for (const [k, v] of Object.entries(methods)) {
    Object.defineProperty(fn, k, { value: v, enumerable: false, writable: false, configurable: false });
  }
});
