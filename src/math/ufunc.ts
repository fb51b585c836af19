/**
 * The elementwise machinery behind every math function (NumPy's ufunc
 * model): promote the operands' dtypes (NEP 50, promote.ts), pick the loop
 * dtype (the first of the op's loops the promoted dtype casts to safely, as
 * NumPy's type resolver does), broadcast, allocate or check `out`, and run the
 * native kernel once over the strided N-d loop (native/kernels/elementwise).
 *
 * @module
 */
import { native } from '../binding.js';
import { NdshareError, NdshareRangeError, NdshareTypeError, codes, invalidType } from '../errors.js';
import { asarray, type ArrayInput } from '../ndarray/creation.js';
import { DTYPES, allocUninit, dtypeInfo, isComplex, partDType, type DType, type TypedArray } from '../ndarray/dtypes.js';
import { broadcastShapes, broadcastStrides, contiguousStrides, sizeOf } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { sharesMemory } from '../ndarray/layout.js';
import { storerOf } from '../ndarray/cast.js';
import { canCastSafely, canCastSameKind, fitsInteger, isInteger, resultType, weakKind, type ScalarOperand } from './promote.js';
import { checkOptions } from '../validate.js';
import { complexResult, resolveComplex, wantsComplex } from './ufunc-complex.js';

/** An operand of a math function: an array, anything `nd.asarray` takes, or a JS scalar. */
export type Operand = NDArray | ScalarOperand | ArrayInput;

/** Options of the elementwise functions. */
export interface UfuncOptions {
  /** Where to write the result: an array of the broadcast shape whose dtype the result casts to ('same_kind'). */
  out?: NDArray;
  /** The dtype to compute in and return (the inputs cast to it 'same_kind'). */
  dtype?: DType;
  /**
   * A bool mask, broadcast with the inputs: the result is written only where it is true.
   * Elsewhere `out` keeps its values; without `out` those elements are 0 (NumPy leaves them uninitialized).
   */
  where?: Operand;
}

const UFUNC_OPTIONS: readonly (keyof UfuncOptions)[] = ['out', 'dtype', 'where'];
/** NumPy's ufunc keywords ndshare does not support yet (ERR_NDSHARE_UNSUPPORTED). */
const UFUNC_NUMPY_ONLY = ['casting', 'order', 'subok', 'signature'];

/** Every dtype, in NumPy's loop order (bfloat16 after float16). */
export const ALL: readonly DType[] = DTYPES;
/** Every dtype but bool. */
export const NUMERIC: readonly DType[] = ALL.slice(1);
/** The floating dtypes. */
export const FLOATING: readonly DType[] = ['float16', 'bfloat16', 'float32', 'float64'];

/** How an op resolves its loop. */
export interface OpSpec {
  /** Native op name (also the public name). */
  readonly name: string;
  readonly arity: 1 | 2 | 3;
  /** Loop dtypes in NumPy's order: the first the promoted dtype casts to safely is used. */
  readonly loops: readonly DType[];
  /** The result is bool (comparisons, logical ops, isnan/isinf/isfinite). */
  readonly bool?: boolean;
  /** A comparison: compares by value, exactly (int64 with uint64, integer scalars out of the array's range). */
  readonly comparison?: boolean;
  /** A logical op: only whether a scalar is nonzero matters (so any integer scalar is accepted). */
  readonly logical?: boolean;
  /** Overrides the loop choice (or throws NumPy's error) for a promoted dtype. */
  readonly resolve?: (t: DType) => DType | undefined;
}

const ARG_NAMES = [['x'], ['x1', 'x2'], ['x', 'min', 'max']] as const;

function isScalar(v: unknown): v is ScalarOperand {
  return typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean';
}

/** An NDArray for an operand that is not a scalar (no copy when it already is one). */
export function toArray(v: unknown, arg: string): NDArray {
  if (v instanceof NDArray) return v;
  if (v === null || v === undefined || typeof v === 'string' || typeof v === 'function' || typeof v === 'symbol') {
    invalidType(arg, 'an NDArray, an array-like or a number, bigint or boolean', v);
  }
  return asarray(v as ArrayInput);
}

/** A 0-d array of dtype `d` holding the scalar `v`. */
export function scalarArray(v: ScalarOperand, d: DType): NDArray {
  const data = allocUninit(d, 1);
  (data as unknown as { [i: number]: number | bigint })[0] = storerOf(d)(v);
  return new NDArray(data, d, []);
}

/** The loop dtype of `spec` for promoted dtype `t`, or a coded error as NumPy raises one. */
export function loopDType(spec: OpSpec, t: DType): DType {
  const special = spec.resolve?.(t);
  if (special !== undefined) return special;
  for (const l of spec.loops) if (canCastSafely(t, l)) return l;
  throw new NdshareTypeError(`${spec.name} does not support dtype ${t}`, { code: codes.DTYPE });
}

/** Throws the READ_ONLY error unless `out` may be written. */
export function checkOut(out: unknown, arg = 'options.out'): NDArray {
  if (!(out instanceof NDArray)) invalidType(arg, 'an NDArray', out);
  if (!out.flags.writeable) {
    throw new NdshareError(`${arg} is read-only (a sealed or frozen array)`, { code: codes.READ_ONLY });
  }
  return out;
}

/** The `desc` of native/kernels/iter.h for operands over `shape` (strides already broadcast). */
export function loopDesc(shape: readonly number[], operands: readonly { offset: number; strides: readonly number[] }[]): Float64Array {
  const nd = shape.length;
  const desc = new Float64Array(1 + nd + operands.length * (1 + nd));
  desc[0] = nd;
  for (let i = 0; i < nd; i++) desc[1 + i] = shape[i]!;
  let p = 1 + nd;
  for (const op of operands) {
    desc[p++] = op.offset;
    for (let i = 0; i < nd; i++) desc[p++] = op.strides[i]!;
  }
  return desc;
}

/** dtype name -> native code. */
export function dtypeCode(d: DType): number {
  return native.math.dtypes[d]!;
}

/** A new array of `shape` in C order, or F order when `fortran` (NumPy's K order for F inputs). */
export function emptyArray(d: DType, shape: readonly number[], fortran = false): NDArray {
  const data = allocUninit(d, sizeOf(shape));
  return new NDArray(data, d, shape, contiguousStrides(shape, fortran ? 'F' : 'C'));
}

/** Same memory, same layout: an in-place operation reads each element before writing it. */
function sameView(a: NDArray, b: NDArray, aStrides: readonly number[]): boolean {
  return a.data === b.data && a.offset === b.offset && aStrides.every((s, i) => s === b.strides[i]);
}

let opCodes: Readonly<Record<string, number>> | undefined;

function opCode(name: string): number {
  opCodes ??= native.math.ops;
  const c = opCodes[name];
  if (c === undefined) throw new NdshareTypeError(`The addon has no kernel for ${name}`, { code: codes.UNSUPPORTED });
  return c;
}

/** NumPy's truth value of a scalar: nonzero (NaN is true). */
function truthy(v: ScalarOperand): boolean {
  // Loose equality compares numbers, bigints and booleans by value.
  return !(v == 0); // eslint-disable-line eqeqeq
}

type Comparison = 'equal' | 'notEqual' | 'less' | 'lessEqual' | 'greater' | 'greaterEqual';

/** `a OP b` with the operands swapped: less <-> greater, ... */
const MIRROR: Record<Comparison, Comparison> = {
  equal: 'equal',
  notEqual: 'notEqual',
  less: 'greater',
  lessEqual: 'greaterEqual',
  greater: 'less',
  greaterEqual: 'lessEqual',
};

function compareScalars(op: Comparison, a: ScalarOperand, b: ScalarOperand): boolean {
  const x = typeof a === 'boolean' ? Number(a) : a;
  const y = typeof b === 'boolean' ? Number(b) : b;
  switch (op) {
    case 'equal':
      return x == y; // eslint-disable-line eqeqeq
    case 'notEqual':
      return x != y; // eslint-disable-line eqeqeq
    case 'less':
      return x < y;
    case 'lessEqual':
      return x <= y;
    case 'greater':
      return x > y;
    case 'greaterEqual':
      return x >= y;
  }
}

function filled(shape: readonly number[], value: boolean, out: NDArray | undefined, name: string): NDArray {
  if (out !== undefined) {
    const o = checkOut(out);
    const s = broadcastShapes(shape, o.shape);
    if (s.length !== o.ndim || s.some((d, i) => d !== o.shape[i])) {
      throw new NdshareError(`${name}: output of shape (${o.shape.join(', ')}) does not match the broadcast shape (${s.join(', ')})`, {
        code: codes.BROADCAST,
      });
    }
    return o.fill(value);
  }
  const r = emptyArray('bool', shape);
  r.fill(value);
  return r;
}

/**
 * The comparisons NumPy 2 answers by value where promotion alone would not:
 * two JS scalars (compared exactly, bigints included); an integer array
 * against an integer scalar outside its dtype (the answer is the same for
 * every element); int64/smaller signed arrays against uint64 arrays (promotion
 * would go through float64 and lose bits above 2^53). Undefined: the plain path applies.
 */
function compareByValue(spec: OpSpec, inputs: readonly unknown[], out: NDArray | undefined): NDArray | undefined {
  const op = spec.name as Comparison;
  const [a, b] = inputs;
  const sa = isScalar(a);
  const sb = isScalar(b);
  if (sa && sb) return filled([], compareScalars(op, a, b), out, op);
  if (sa || sb) {
    const w = (sa ? a : b) as ScalarOperand;
    const arr = toArray(sa ? b : a, sa ? 'x2' : 'x1');
    if (weakKind(w) !== 'int' || !isInteger(arr.dtype) || fitsInteger(w as number | bigint, arr.dtype)) return undefined;
    // Every element lies on the same side of w: compare any in-range value (0) with it.
    const r = sa ? compareScalars(op, w, 0) : compareScalars(op, 0, w);
    return filled(arr.shape, r, out, op);
  }
  const x = toArray(a, 'x1');
  const y = toArray(b, 'x2');
  const signedUnsigned = (p: NDArray, q: NDArray): boolean => isInteger(p.dtype) && p.dtype.startsWith('int') && q.dtype === 'uint64';
  if (signedUnsigned(x, y)) return compareSignedUnsigned(op, x, y, out);
  if (signedUnsigned(y, x)) return compareSignedUnsigned(MIRROR[op], y, x, out);
  return undefined;
}

/** s OP u for a signed integer array s and a uint64 array u, exactly: a negative s is below every u. */
function compareSignedUnsigned(op: Comparison, s: NDArray, u: NDArray, out: NDArray | undefined): NDArray {
  const lookup = (name: string): OpSpec => ({ name, arity: 2, loops: ALL, bool: true });
  const negative = applyUfunc(lookup('less'), [s, 0], undefined);
  const asUnsigned = applyUfunc(lookup(op), [s.astype('uint64'), u], undefined);
  const combine = op === 'notEqual' || op === 'less' || op === 'lessEqual' ? 'logicalOr' : 'logicalAnd';
  const first = combine === 'logicalOr' ? negative : applyUfunc({ ...lookup('logicalNot'), arity: 1 }, [negative], undefined);
  return applyUfunc(lookup(combine), [first, asUnsigned], out ? { out } : undefined);
}

/**
 * Runs an elementwise op: NumPy's ufunc call, `op(...inputs, {out, dtype})`.
 * @throws {NdshareError} ERR_NDSHARE_BROADCAST for shapes that do not broadcast (or an `out` of another shape).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a dtype the op does not support or an `out` the
 *   result cannot be cast to.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an integer scalar outside the dtype it takes.
 */
export function applyUfunc(spec: OpSpec, inputs: readonly unknown[], options: UfuncOptions | undefined): NDArray {
  const names = ARG_NAMES[spec.arity - 1]!;
  checkOptions(options, { fn: `nd.${spec.name}`, known: UFUNC_OPTIONS, numpyOnly: UFUNC_NUMPY_ONLY });
  if (options?.where !== undefined) return applyMasked(spec, inputs, options, options.where);
  const cx = wantsComplex(inputs, options?.dtype) ? complexResult(spec.name) : undefined;
  if (cx !== undefined) {
    // The op's complex loop (an op without one falls through and refuses the complex dtype).
    const wide = !spec.loops.includes('float32');
    const { loop, resultDType, ops } = resolveComplex(spec.name, cx, inputs, names, toArray, options?.dtype, wide);
    return runLoop(spec.name, loop, resultDType, ops, options?.out);
  }
  if (spec.logical) inputs = inputs.map((v) => (isScalar(v) ? truthy(v) : v));
  if (spec.comparison && options?.dtype === undefined) {
    const r = compareByValue(spec, inputs, options?.out);
    if (r !== undefined) return r;
  }
  const arrays: (NDArray | undefined)[] = [];
  const strong: DType[] = [];
  const weak: ScalarOperand[] = [];
  const weakNames: string[] = [];
  for (let i = 0; i < spec.arity; i++) {
    const v = inputs[i];
    if (isScalar(v)) {
      arrays.push(undefined);
      weak.push(v);
      weakNames.push(names[i]!);
    } else {
      const a = toArray(v, names[i]!);
      arrays.push(a);
      strong.push(a.dtype);
    }
  }
  // Promotion (NEP 50).
  const t = resultType(strong, weak, weakNames);
  let loop: DType;
  const requested = options?.dtype;
  if (requested !== undefined) {
    const d = dtypeInfo(requested, 'options.dtype').name;
    loop = spec.bool ? loopDType(spec, t) : loopDType(spec, d);
    if (!spec.bool && loop !== d) {
      throw new NdshareTypeError(`${spec.name} has no ${d} loop (options.dtype)`, { code: codes.DTYPE });
    }
    if (!canCastSameKind(t, loop)) {
      throw new NdshareTypeError(`Cannot cast the inputs of ${spec.name} from ${t} to ${loop} with casting rule 'same_kind' (options.dtype)`, {
        code: codes.DTYPE,
      });
    }
  } else if (weak.length === 0 && strong.length > 1 && spec.loops === FLOATING && spec.resolve?.(t) === undefined) {
    // NumPy's linear search for the float-only ufuncs: the first loop that every
    // input casts to safely (arctan2(int8, uint8) is float16, not int16's float32).
    loop = spec.loops.find((l) => strong.every((d) => canCastSafely(d, l))) ?? loopDType(spec, t);
  } else {
    loop = loopDType(spec, t);
  }
  const resultDType: DType = spec.bool ? 'bool' : loop;

  // Operands in the loop dtype.
  const ops: NDArray[] = arrays.map((a, i) => {
    if (a === undefined) return scalarArray(inputs[i] as ScalarOperand, loop);
    return a.dtype === loop ? a : a.astype(loop);
  });
  return runLoop(spec.name, loop, resultDType, ops, options?.out);
}

/**
 * Broadcasts `ops` (already in the loop dtype), checks or allocates the
 * output and runs the native loop of op `name` for dtype `loop` once over
 * the strided N-d loop.
 */
function runLoop(name: string, loop: DType, resultDType: DType, ops: readonly NDArray[], out: NDArray | undefined): NDArray {
  let shape: number[];
  if (out !== undefined) {
    out = checkOut(out);
    shape = broadcastShapes(...ops.map((o) => o.shape), out.shape);
    if (shape.length !== out.ndim || shape.some((d, i) => d !== out!.shape[i])) {
      throw new NdshareError(`${name}: output of shape (${out.shape.join(', ')}) does not match the broadcast shape (${shape.join(', ')})`, {
        code: codes.BROADCAST,
      });
    }
    if (out.dtype !== resultDType && !canCastSameKind(resultDType, out.dtype)) {
      throw new NdshareTypeError(`Cannot cast the result of ${name} from ${resultDType} to ${out.dtype} (options.out) with casting rule 'same_kind'`, {
        code: codes.DTYPE,
      });
    }
  } else {
    shape = broadcastShapes(...ops.map((o) => o.shape));
  }
  const strides = ops.map((o) => broadcastStrides(o.shape, o.strides, shape));

  // Write straight into `out` when it has the result dtype and no input overlaps it other than exactly.
  let target: NDArray;
  if (out !== undefined && out.dtype === resultDType && ops.every((o, i) => !sharesMemory(o, out!) || sameView(o, out!, strides[i]!))) {
    target = out;
  } else {
    const fortran =
      shape.length > 1 &&
      ops.some((o) => o.ndim === shape.length && o.size > 1) &&
      ops.every((o) => o.size <= 1 || (o.ndim === shape.length && o.flags.fContiguous && !o.flags.cContiguous));
    target = emptyArray(resultDType, shape, fortran);
  }

  const data: TypedArray[] = ops.map((o) => o.data);
  data.push(target.data);
  const desc = loopDesc(shape, [...ops.map((o, i) => ({ offset: o.offset, strides: strides[i]! })), target]);
  const flags = native.math.elementwise(opCode(name), dtypeCode(loop), data, desc);
  if (flags & 1) {
    throw new NdshareRangeError(`${name}: integers to negative integer powers are not allowed (x2 has a negative element)`, {
      code: codes.INVALID_ARG_VALUE,
    });
  }
  if (out !== undefined && target !== out) {
    out.assign(target);
    return out;
  }
  return target;
}

/**
 * `op(...inputs, {where, out, dtype})`: the op over every element, then written
 * into `out` (or a zeroed result) where the broadcast mask is true.
 */
function applyMasked(spec: OpSpec, inputs: readonly unknown[], options: UfuncOptions, where: Operand): NDArray {
  let mask = typeof where === 'boolean' ? scalarArray(where, 'bool') : toArray(where, 'options.where');
  if (mask.dtype !== 'bool') {
    throw new NdshareTypeError(`Cannot cast options.where from ${mask.dtype} to bool with casting rule 'safe' (a bool mask is needed)`, {
      code: codes.DTYPE,
    });
  }
  const e = inputs[1];
  if (spec.name === 'power' && e instanceof NDArray && isInteger(e.dtype)) {
    // NumPy computes only where the mask is true: a negative exponent elsewhere must not raise.
    const ones = emptyArray(e.dtype, broadcastShapes(e.shape, mask.shape)).fill(1);
    maskedAssign(ones, e, mask);
    inputs = [inputs[0], ones];
  }
  const r = applyUfunc(spec, inputs, options.dtype === undefined ? undefined : { dtype: options.dtype });
  let target: NDArray;
  if (options.out !== undefined) {
    target = checkOut(options.out);
    const shape = broadcastShapes(r.shape, mask.shape, target.shape);
    if (shape.length !== target.ndim || shape.some((d, i) => d !== target.shape[i])) {
      throw new NdshareError(`${spec.name}: output of shape (${target.shape.join(', ')}) does not match the broadcast shape (${shape.join(', ')})`, {
        code: codes.BROADCAST,
      });
    }
    if (target.dtype !== r.dtype && !canCastSameKind(r.dtype, target.dtype)) {
      throw new NdshareTypeError(`Cannot cast the result of ${spec.name} from ${r.dtype} to ${target.dtype} (options.out) with casting rule 'same_kind'`, {
        code: codes.DTYPE,
      });
    }
  } else {
    target = emptyArray(r.dtype, broadcastShapes(r.shape, mask.shape)).fill(0);
  }
  if (sharesMemory(mask, target)) mask = mask.copy();
  maskedAssign(target, r.dtype === target.dtype ? r : r.astype(target.dtype), mask);
  return target;
}

/** target[i] = mask[i] ? src[i] : target[i] over target's shape (src and mask broadcast), natively; complex by parts. */
function maskedAssign(target: NDArray, src: NDArray, mask: NDArray): void {
  if (isComplex(target.dtype)) {
    const part = (a: NDArray, k: 0 | 1): NDArray =>
      new NDArray(
        a.data,
        partDType(a.dtype),
        a.shape,
        a.strides.map((s) => 2 * s),
        2 * a.offset + k,
        { base: a },
      );
    for (const k of [0, 1] as const) maskedAssign(part(target, k), part(src, k), mask);
    return;
  }
  const shape = target.shape;
  const ops = [mask, src, target, target];
  const desc = loopDesc(
    shape,
    ops.map((o) => ({ offset: o.offset, strides: broadcastStrides(o.shape, o.strides, shape) })),
  );
  native.math.where(
    dtypeCode(target.dtype),
    ops.map((o) => o.data),
    desc,
  );
}

/** The signature of a unary elementwise function. */
export type UnaryUfunc = (x: Operand, options?: UfuncOptions) => NDArray;
/** Options of `ufunc.reduce` (NumPy's: the default axis is 0). */
export interface UfuncReduceOptions {
  /** Axis or axes to reduce (null: all). Default 0. */
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  /** The dtype to compute in. */
  dtype?: DType;
}

/** Options of `ufunc.accumulate`. */
export interface UfuncAccumulateOptions {
  /** Default 0. */
  axis?: number;
  dtype?: DType;
}

/** NumPy's ufunc methods, carried by every binary elementwise function (see math/ufunc-methods.ts). */
export interface UfuncMethods {
  /** `np.<ufunc>.reduce(x, axis=0)`: folds the op along axes. */
  reduce(x: Operand, options?: UfuncReduceOptions): NDArray;
  /** `np.<ufunc>.accumulate(x, axis=0)`: the running fold, same shape as x. */
  accumulate(x: Operand, options?: UfuncAccumulateOptions): NDArray;
  /** `np.<ufunc>.outer(a, b)`: op of every pair, shape a.shape + b.shape. */
  outer(a: Operand, b: Operand, options?: UfuncOptions): NDArray;
  /** `np.<ufunc>.at(x, indices, values)`: unbuffered in place, repeated indices apply each time. */
  at(x: NDArray, indices: unknown, values?: Operand): void;
  /** The ufunc's name (camelCase). */
  readonly ufuncName: string;
}

/** The signature of a binary elementwise function, with its ufunc methods. */
export type BinaryUfunc = ((x1: Operand, x2: Operand, options?: UfuncOptions) => NDArray) & UfuncMethods;

const binaryRegistry: [BinaryUfunc, OpSpec][] = [];
let attachMethods: ((fn: BinaryUfunc, spec: OpSpec) => void) | undefined;

/**
 * Registers the one function that attaches ufunc methods (math/ufunc-methods.ts);
 * it runs for the binary ufuncs made so far and for each one made later.
 */
export function onBinaryUfunc(attach: (fn: BinaryUfunc, spec: OpSpec) => void): void {
  attachMethods = attach;
  for (const [fn, spec] of binaryRegistry) attach(fn, spec);
}

/** A public unary function over `spec`. */
export function unary(spec: Omit<OpSpec, 'arity'>): UnaryUfunc {
  const full: OpSpec = { ...spec, arity: 1 };
  return (x, options) => applyUfunc(full, [x], options);
}

/** A public binary function over `spec`. */
export function binary(spec: Omit<OpSpec, 'arity'>): BinaryUfunc {
  const full: OpSpec = { ...spec, arity: 2 };
  const fn = ((x1: Operand, x2: Operand, options?: UfuncOptions) => applyUfunc(full, [x1, x2], options)) as BinaryUfunc;
  Object.defineProperty(fn, 'name', { value: spec.name });
  binaryRegistry.push([fn, full]);
  attachMethods?.(fn, full);
  return fn;
}
