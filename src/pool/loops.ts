/**
 * What workers compute: element maps and reductions over ranges of a C-order
 * iteration, calling the functions compile.ts made. Runs in the worker only.
 *
 * @module
 */
import { dtypeInfo, type DType } from '../ndarray/dtypes.js';
import { storerOf, toScalar, type Scalar } from '../ndarray/cast.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { lastFailedAt, probeCall, rowKernel, type Compiled } from './compile.js';
import type { FnRef } from './messages.js';

export type { Strided } from './inline.js';
import type { Strided } from './inline.js';

/** Where a user function threw: the flat element index, the chunk, the chunk's rows. */
export interface Where {
  index?: number;
  chunk?: number;
  rows?: [number, number];
}

const kWhere = Symbol('ndshare.pool.where');
const kBase = Symbol('ndshare.pool.message');
const kStack = Symbol('ndshare.pool.stack');

/**
 * Marks an error thrown by user code with where it happened: `index` (the
 * flat C-order element index) and `chunk` as fields, and all of it in the
 * message ("… (in the pool worker: element 777, chunk 7)"). Called at each
 * level that knows a part (loop, then chunk); errors that are not objects
 * pass unchanged.
 */
export function markWhere(e: unknown, where: Where): unknown {
  if (typeof e !== 'object' || e === null) return e;
  try {
    const err = e as Error & Record<string | symbol, unknown>;
    const w: Where = { ...((err[kWhere] as Where | undefined) ?? {}), ...where };
    // The stack's first line holds the message: keep the original of both, rewrite from them.
    if (err[kBase] === undefined) {
      for (const [k, v] of [
        [kBase, String(err.message)],
        [kStack, err.stack],
      ] as const) {
        Object.defineProperty(err, k, { value: v, enumerable: false, configurable: true });
      }
    }
    Object.defineProperty(err, kWhere, { value: w, enumerable: false, configurable: true });
    const parts: string[] = [];
    if (w.index !== undefined) parts.push(`element ${w.index}`);
    if (w.rows !== undefined) parts.push(`rows ${w.rows[0]}..${w.rows[1]}`);
    if (w.chunk !== undefined) parts.push(`chunk ${w.chunk}`);
    const base = err[kBase] as string;
    err.message = `${base} (in the pool worker: ${parts.join(', ')})`;
    const stack = err[kStack];
    if (typeof stack === 'string') err.stack = stack.replace(base, err.message);
    if (w.index !== undefined) err.index = w.index;
    if (w.chunk !== undefined) err.chunk = w.chunk;
  } catch {
    // a frozen error keeps its message
  }
  return e;
}

function isPlain(dtype: DType): boolean {
  const i = dtypeInfo(dtype);
  return !i.packed && !i.bigint && dtype !== 'bool';
}

/**
 * out[i] = fn(in0[i], in1[i], …, args, range) for the C-order flat indices [start, end)
 * of out's shape (inputs already broadcast to it); `range` is the chunk's (its rng: docs/random.md).
 */
export function mapRange(c: Compiled, ref: FnRef, ins: Strided[], out: Strided, start: number, end: number, args: unknown, range: unknown): void {
  if (start >= end) return;
  let at = start;
  try {
    mapRangeAt(c, ref, ins, out, start, end, args, range, (i) => (at = i));
  } catch (e) {
    throw markWhere(e, { index: at });
  }
}

/** mapRange's loop; `track(i)` learns the flat index of the element being computed when a call may throw. */
function mapRangeAt(
  c: Compiled,
  ref: FnRef,
  ins: Strided[],
  out: Strided,
  start: number,
  end: number,
  args: unknown,
  range: unknown,
  track: (i: number) => void,
): void {
  const shape = out.shape;
  const nd = shape.length;
  const idx = new Array<number>(nd).fill(0);
  let r = start;
  for (let k = nd - 1; k >= 0; k--) {
    idx[k] = r % shape[k]!;
    r = Math.floor(r / shape[k]!);
  }
  const plain = ins.every((x) => isPlain(x.dtype)) && isPlain(out.dtype);
  const row = plain ? rowKernel(c, ins.length) : undefined;
  const store = storerOf(out.dtype);
  const odata = out.data as unknown as { [i: number]: number | bigint };
  const last = nd === 0 ? 1 : shape[nd - 1]!;
  const inStrides = ins.map((x) => (nd === 0 ? 0 : x.strides[nd - 1]!));
  const outStride = nd === 0 ? 0 : out.strides[nd - 1]!;
  let i = start;
  // The first element of every chunk goes through the probe: whichever worker
  // runs whichever chunk first, a closure fails loudly with the coded error.
  let first = true;
  while (i < end) {
    const col = nd === 0 ? 0 : idx[nd - 1]!;
    let run = Math.min(last - col, end - i);
    const inPos = ins.map((x) => posOf(x, idx));
    let op = posOf(out, idx);
    if (first) {
      const argv = ins.map((x, j) => toScalar(x.dtype, x.data[inPos[j]!]!));
      track(i);
      odata[op] = store(probeCall(c, ref, [...argv, args, range]) as Scalar);
      for (let j = 0; j < ins.length; j++) inPos[j]! += inStrides[j]!;
      op += outStride;
      run--;
      i++;
      first = false;
      if (nd > 0) idx[nd - 1]!++;
    }
    // (run is 0 when the probe did the row's only element: no row loop to call.)
    if (row && run > 0) {
      try {
        row(
          ins.map((x) => x.data),
          inStrides,
          inPos,
          out.data,
          outStride,
          op,
          run,
          args,
          range,
        );
      } catch (e) {
        track(i + lastFailedAt());
        throw e;
      }
    } else {
      for (let t = 0; t < run; t++) {
        track(i + t);
        const argv = ins.map((x, j) => toScalar(x.dtype, x.data[inPos[j]! + t * inStrides[j]!]!));
        odata[op + t * outStride] = store(c.fn(...argv, args, range) as Scalar);
      }
    }
    i += run;
    if (nd === 0) break;
    idx[nd - 1]! += run;
    // Carry into the outer axes.
    for (let k = nd - 1; k > 0 && idx[k]! >= shape[k]!; k--) {
      idx[k] = 0;
      idx[k - 1]!++;
    }
  }
}

/** The position in `x.data` of the element at index `idx`. */
function posOf(x: Strided, idx: readonly number[]): number {
  let p = x.offset;
  for (let k = 0; k < idx.length; k++) p += idx[k]! * x.strides[k]!;
  return p;
}

/** Elements of `x` over flat C-order indices [start, end), as scalars, to `visit`. */
export function forRange(x: NDArray, start: number, end: number, visit: (v: number | bigint, i: number) => void): void {
  const shape = x.shape;
  const nd = shape.length;
  const data = x.data as unknown as { [i: number]: number | bigint };
  if (nd === 0) {
    if (start < end) visit(data[x.offset]!, 0);
    return;
  }
  const idx = new Array<number>(nd).fill(0);
  let r = start;
  for (let k = nd - 1; k >= 0; k--) {
    idx[k] = r % shape[k]!;
    r = Math.floor(r / shape[k]!);
  }
  const last = shape[nd - 1]!;
  const s = x.strides[nd - 1]!;
  let i = start;
  while (i < end) {
    let p = x.offset;
    for (let k = 0; k < nd; k++) p += idx[k]! * x.strides[k]!;
    const run = Math.min(last - idx[nd - 1]!, end - i);
    for (let t = 0; t < run; t++, p += s) visit(data[p]!, i + t);
    i += run;
    idx[nd - 1]! += run;
    for (let k = nd - 1; k > 0 && idx[k]! >= shape[k]!; k--) {
      idx[k] = 0;
      idx[k - 1]!++;
    }
  }
}

/** Partial of a built-in reduction over [start, end) of `x`: a number (floats, small ints) or a bigint. */
export function reduceRange(x: NDArray, op: 'sum' | 'prod' | 'min' | 'max' | 'mean', start: number, end: number, big: boolean): number | bigint {
  const kind = dtypeInfo(x.dtype);
  const decode = kind.packed || x.dtype === 'bool' ? (v: number | bigint) => Number(toScalar(x.dtype, v)) : undefined;
  if (big) {
    let acc: bigint = op === 'prod' ? 1n : op === 'min' || op === 'max' ? BigInt.asIntN(64, 0n) : 0n;
    let seen = false;
    forRange(x, start, end, (raw) => {
      const v = BigInt(raw);
      if (op === 'sum' || op === 'mean') acc += v;
      else if (op === 'prod') acc = kind.name === 'uint64' ? BigInt.asUintN(64, acc * v) : BigInt.asIntN(64, acc * v);
      else if (!seen || (op === 'min' ? v < acc : v > acc)) acc = v;
      seen = true;
    });
    return acc;
  }
  let acc = op === 'prod' ? 1 : op === 'min' ? Infinity : op === 'max' ? -Infinity : 0;
  forRange(x, start, end, (raw) => {
    const v = decode ? decode(raw) : (raw as number);
    if (op === 'sum' || op === 'mean') acc += v;
    else if (op === 'prod') acc *= v;
    // NaN propagates, as in NumPy.
    else if (op === 'min') acc = v < acc || Number.isNaN(v) ? v : acc;
    else acc = v > acc || Number.isNaN(v) ? v : acc;
  });
  return acc;
}
