/**
 * Nested JS arrays to typed-array storage, for `nd.array`: shape discovery,
 * one checking and storing walk, and dtype inference (see creation.ts).
 *
 * @module
 */
import { codes, describe, invalidType, invalidValue, NdshareError } from '../errors.js';
import type { DType, TypedArray } from './dtypes.js';
import { allocUninit, dtypeOfTypedArray, integerRange, isComplex, partDType } from './dtypes.js';
import { isComplexValue } from './complex.js';
import { checkShape, MAX_NDIM, sizeOf } from './layout.js';
import { converterOf, storerOf, type Scalar, type Storer } from './cast.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Inclusive range of each integer dtype (defined once, by iinfo in dtypes.ts): BigInt elements and arange's first values must lie in it. */
export const INT_RANGE = (dtype: DType): readonly [bigint, bigint] | undefined => integerRange(dtype);

/** The dtype a lone scalar infers (`array(5n)`, `full(shape, 5n)`). */
export function scalarDType(v: Scalar, arg: string): DType {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'float64';
  if (v < INT64_MIN || v > UINT64_MAX) invalidValue(arg, 'a bigint in [-2^63, 2^64) (int64 or uint64)', v);
  return v > INT64_MAX ? 'uint64' : 'int64';
}

/** Throws when a BigInt does not fit an integer dtype (NumPy: "Python integer 300 out of bounds for int8"). */
export function checkBigint(dtype: DType, v: bigint, arg: string): void {
  const range = INT_RANGE(dtype);
  if (range !== undefined && (v < range[0] || v > range[1])) {
    invalidValue(arg, `an integer in [${range[0]}, ${range[1]}] (${dtype})`, v);
  }
}

/** Typed-array storage as the fill loops see it. */
export type Writable = { [i: number]: number | bigint; set(a: ArrayLike<number | bigint>, o: number): void };

function isSequence(v: unknown): v is ArrayLike<unknown> {
  return Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
}

/** The shape of nested arrays, read from the first element of each level ({@link NestedWalker} checks the rest). */
function nestedShape(data: unknown): number[] {
  const shape: number[] = [];
  let cur: unknown = data;
  // The bound stops a self-containing array; checkShape then reports too many dimensions.
  while (isSequence(cur) && shape.length <= MAX_NDIM) {
    shape.push(cur.length);
    if (cur.length === 0) break;
    cur = cur[0];
  }
  return checkShape(shape, 'data (shape)');
}

/**
 * One pass over nested arrays in C order: checks that every level is a
 * sequence of the length `shape` says and that leaves are scalars, and writes
 * the leaves into `out`.
 *
 * With `dtype` undefined it infers: `out` is a Float64Array that receives
 * every leaf as a double (final when the inferred dtype is float64) while the
 * walk notes what it saw. Paths for messages (`data[1][0]`) are built from
 * `idx` only when something is wrong.
 */
class NestedWalker {
  readonly #shape: readonly number[];
  readonly #last: number;
  readonly #out: Writable;
  readonly #dtype: DType | undefined;
  readonly #store: Storer;
  /** Numbers can be stored as they are (float64/float32 storage, or inference). */
  readonly #plain: boolean;
  readonly #idx: number[];
  #k = 0;
  /** Leaves that are not numbers (booleans and BigInts, typed-array ones included). */
  nonNumbers = 0;
  bools = false;
  bigints = false;
  /** A `{ re, im }` leaf was met while inferring (the caller walks again as complex128). */
  complex = false;
  /** A BigInt below 0 / above 2^63-1. */
  negative = false;
  aboveInt64 = false;

  constructor(shape: readonly number[], out: TypedArray, dtype: DType | undefined) {
    this.#shape = shape;
    this.#last = shape.length - 1;
    this.#out = out as unknown as Writable;
    this.#dtype = dtype;
    this.#store = storerOf(dtype ?? 'float64');
    this.#plain = dtype === undefined || dtype === 'float64' || dtype === 'float32';
    this.#idx = new Array<number>(shape.length).fill(0);
  }

  /** Walks `data`, whose shape is `shape` if it is well formed. */
  run(data: readonly unknown[]): void {
    this.#walk(data, 0);
  }

  #path(depth: number, last?: number): string {
    let p = 'data';
    for (let a = 0; a < depth; a++) p += `[${this.#idx[a]}]`;
    return last === undefined ? p : `${p}[${last}]`;
  }

  #walk(v: unknown, axis: number): void {
    if (!isSequence(v) || v.length !== this.#shape[axis]) {
      throw new NdshareError(
        `Inhomogeneous nested array: expected ${this.#path(axis)} to be a sequence of length ${this.#shape[axis]}, received ${describe(v)}`,
        { code: codes.SHAPE_MISMATCH },
      );
    }
    if (axis === this.#last) {
      if (Array.isArray(v)) this.#inner(v);
      else this.#innerTyped(v as TypedArray);
      return;
    }
    const idx = this.#idx;
    for (let i = 0; i < v.length; i++) {
      idx[axis] = i;
      this.#walk(v[i], axis + 1);
    }
  }

  /** The innermost axis: a plain loop; anything but a number goes through #leaf. */
  #inner(seq: readonly unknown[]): void {
    const o = this.#out;
    const n = seq.length;
    let k = this.#k;
    if (this.#plain) {
      for (let i = 0; i < n; i++) {
        const v = seq[i];
        if (typeof v === 'number') o[k++] = v;
        else {
          this.#k = k;
          this.#leaf(v, i);
          k = this.#k;
        }
      }
    } else {
      const store = this.#store;
      for (let i = 0; i < n; i++) {
        const v = seq[i];
        if (typeof v === 'number') o[k++] = store(v);
        else {
          this.#k = k;
          this.#leaf(v, i);
          k = this.#k;
        }
      }
    }
    this.#k = k;
  }

  /** A typed array as the innermost level: cast as a whole (its values are not range-checked, as NumPy casts arrays). */
  #innerTyped(seq: TypedArray): void {
    const from = dtypeOfTypedArray(seq);
    const n = seq.length;
    const o = this.#out;
    let k = this.#k;
    if (from === undefined) invalidType(this.#path(this.#last), 'a numeric typed array', seq);
    if (this.#dtype === undefined) {
      if (from === 'int64' || from === 'uint64') {
        this.bigints = true;
        this.nonNumbers += n;
        for (let i = 0; i < n; i++) {
          const v = seq[i] as bigint;
          if (v < 0n) this.negative = true;
          else if (v > INT64_MAX) this.aboveInt64 = true;
          o[k++] = Number(v);
        }
      } else {
        o.set(seq as Float64Array, k);
        k += n;
      }
    } else {
      const convert = converterOf(from, this.#dtype);
      if (convert === undefined) {
        o.set(seq as Float64Array, k);
        k += n;
      } else {
        for (let i = 0; i < n; i++) o[k++] = convert(seq[i]!);
      }
    }
    this.#k = k;
  }

  /** One leaf that may be anything; `i` is its index on the last axis (for messages). */
  #leaf(v: unknown, i: number): void {
    const o = this.#out;
    if (typeof v === 'number') {
      o[this.#k++] = this.#store(v);
    } else if (typeof v === 'boolean') {
      this.bools = true;
      this.nonNumbers++;
      o[this.#k++] = this.#store(v);
    } else if (typeof v === 'bigint') {
      const dtype = this.#dtype;
      if (dtype === undefined) {
        if (v < INT64_MIN || v > UINT64_MAX) scalarDType(v, this.#path(this.#last, i)); // throws
        this.bigints = true;
        this.nonNumbers++;
        if (v < 0n) this.negative = true;
        else if (v > INT64_MAX) this.aboveInt64 = true;
      } else {
        const range = INT_RANGE(dtype);
        if (range !== undefined && (v < range[0] || v > range[1])) checkBigint(dtype, v, this.#path(this.#last, i));
      }
      o[this.#k++] = this.#store(v);
    } else if (isComplexValue(v) && this.#dtype === undefined) {
      this.complex = true;
      this.nonNumbers++;
      o[this.#k++] = v.re;
    } else if (isSequence(v)) {
      throw new NdshareError(`Inhomogeneous nested array: ${this.#path(this.#last, i)} is a sequence, expected a scalar at depth ${this.#shape.length}`, {
        code: codes.SHAPE_MISMATCH,
      });
    } else if (isComplexValue(v)) {
      invalidType(this.#path(this.#last, i), `a number, bigint or boolean for dtype ${this.#dtype} (a { re, im } value needs a complex dtype)`, v);
    } else invalidType(this.#path(this.#last, i), 'a number, bigint, boolean or { re, im }', v);
  }

  /** The dtype the walk's leaves infer (after {@link run} in inference mode). */
  inferred(size: number): DType {
    if (this.bigints) {
      if (this.nonNumbers < size) return 'float64'; // numbers among the BigInts
      if (this.negative && this.aboveInt64) return 'float64';
      return this.aboveInt64 ? 'uint64' : 'int64';
    }
    if (this.bools && this.nonNumbers === size) return 'bool';
    return 'float64';
  }
}

/** Copies nested arrays into a new array of `dtype` (inferred when undefined). */
export function fromNested(data: readonly unknown[], dtype: DType | undefined): { out: TypedArray; dtype: DType; shape: number[] } {
  const shape = nestedShape(data);
  const size = sizeOf(shape);
  if (dtype !== undefined && isComplex(dtype)) return { out: complexFromNested(data, shape, dtype), dtype, shape };
  if (dtype !== undefined) {
    const out = allocUninit(dtype, size, 'data (shape)', shape);
    new NestedWalker(shape, out, dtype).run(data);
    return { out, dtype, shape };
  }
  const doubles = allocUninit('float64', size, 'data (shape)', shape);
  const walker = new NestedWalker(shape, doubles, undefined);
  walker.run(data);
  if (walker.complex) return { out: complexFromNested(data, shape, 'complex128'), dtype: 'complex128', shape };
  const to = walker.inferred(size);
  // float64 results are final: booleans were stored as 0/1 and BigInts rounded as Number() rounds.
  if (to === 'float64') return { out: doubles, dtype: to, shape };
  const out = allocUninit(to, size, 'data (shape)', shape);
  if (to === 'bool') (out as Uint8Array).set(doubles as Float64Array);
  else new NestedWalker(shape, out, to).run(data); // int64/uint64 need the exact BigInts again
  return { out, dtype: to, shape };
}

/**
 * Nested arrays whose leaves are numbers, bigints, booleans or `{ re, im }`
 * into interleaved complex storage of `dtype` (the shape is checked as the
 * walker checks it; typed arrays give real parts).
 */
function complexFromNested(data: readonly unknown[], shape: readonly number[], dtype: DType): TypedArray {
  const out = allocUninit(dtype, sizeOf(shape), 'data (shape)', shape);
  const o = out as unknown as { [i: number]: number };
  const store = storerOf(partDType(dtype));
  const last = shape.length - 1;
  let k = 0;
  const path: number[] = [];
  const walk = (v: unknown, axis: number): void => {
    if (axis > last) {
      if (isComplexValue(v)) {
        o[k++] = store(v.re) as number;
        o[k++] = store(v.im) as number;
      } else if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
        o[k++] = store(v) as number;
        o[k++] = 0;
      } else {
        invalidType(`data${path.map((i) => `[${i}]`).join('')}`, 'a number, bigint, boolean or { re, im }', v);
      }
      return;
    }
    if (!isSequence(v) || v.length !== shape[axis]) {
      throw new NdshareError(
        `Inhomogeneous nested array: expected data${path.map((i) => `[${i}]`).join('')} to be a sequence of length ${shape[axis]}, received ${describe(v)}`,
        { code: codes.SHAPE_MISMATCH },
      );
    }
    for (let i = 0; i < v.length; i++) {
      path.push(i);
      walk(v[i], axis + 1);
      path.pop();
    }
  };
  walk(data, 0);
  return out;
}
