/**
 * What workers compute: element maps, chunk kernels and reductions over
 * ranges of a C-order iteration. Runs in the worker only.
 *
 * Element functions arrive as source. Each is compiled once per worker into
 * a loop generated for it, so the call site sees one function and V8 inlines
 * it. A first call in a context without Node's globals turns a function that
 * closes over outer variables into a clear error instead of a wrong answer.
 *
 * @module
 */
import { runInContext, createContext } from 'node:vm';
import { codes, NdshareError, NdshareTypeError } from '../errors.js';
import type { DType, TypedArray } from '../ndarray/dtypes.js';
import { dtypeInfo } from '../ndarray/dtypes.js';
import { storerOf, toScalar, type Scalar } from '../ndarray/cast.js';
import type { NDArray } from '../ndarray/ndarray.js';
import type { FnRef } from './protocol.js';

type AnyFn = (...a: unknown[]) => unknown;
type RowKernel = (
  ins: TypedArray[],
  inStrides: number[],
  inPos: number[],
  out: TypedArray,
  outStride: number,
  outPos: number,
  run: number,
  args: unknown,
) => void;

interface Compiled {
  /** The function in this realm (fast). */
  fn: AnyFn;
  /** The same source compiled in a bare context: free variables throw there. */
  probe: AnyFn;
  /** Row loops per (input count, plain-typed) shape. */
  rows: Map<string, RowKernel>;
}

const compiled = new Map<string, Compiled>();
/** A context with the language's globals only (Math, Number, …): no process, require, Buffer or pool state. */
const bare = createContext(Object.create(null));

// esbuild with keepNames (tsx, vitest, …) rewrites a named function nested in a
// shipped one as `__name(fn, "name")`, calling a helper of the caller's module
// that is not shipped. Give both realms a stand-in, so TypeScript callers run
// under tsx are not told that their pure function uses an outer variable.
const NAME_HELPER = `(f, name) => { try { Object.defineProperty(f, 'name', { value: name, configurable: true }); } catch {} return f; }`;
runInContext(`globalThis.__name = ${NAME_HELPER};`, bare);
(globalThis as { __name?: unknown }).__name ??= (0, eval)(NAME_HELPER);

function evaluate(source: string, name: string, where: 'here' | 'bare'): AnyFn {
  const attempts = [`(${source})`, `(function ${source})`]; // the second for method shorthand `f(x) { … }`
  let last: unknown;
  for (const code of attempts) {
    try {
      const f = where === 'here' ? (0, eval)(code) : runInContext(code, bare);
      if (typeof f === 'function') return f as AnyFn;
    } catch (e) {
      last = e;
    }
  }
  throw new NdshareTypeError(
    `Expected a function whose source can be shipped to the workers for ${name} but could not compile it: ${(last as Error)?.message ?? 'not a function'}`,
  );
}

/** Compiles (or returns the cached) function. */
export function compile(ref: FnRef): Compiled {
  let c = compiled.get(ref.source);
  if (!c) {
    if (/\{\s*\[native code\]\s*\}\s*$/.test(ref.source)) {
      throw new NdshareTypeError(`Expected a JavaScript function for ${ref.name} but received a native or bound function (its source cannot be shipped)`);
    }
    c = { fn: evaluate(ref.source, ref.name, 'here'), probe: evaluate(ref.source, ref.name, 'bare'), rows: new Map() };
    compiled.set(ref.source, c);
  }
  return c;
}

/** Calls the probe; a free variable surfaces as a ReferenceError, which becomes a coded error naming the fix. */
export function probeCall(c: Compiled, ref: FnRef, argv: unknown[]): unknown {
  try {
    return c.probe(...argv);
  } catch (e) {
    // Thrown in the bare context: another realm's ReferenceError, so test the name, not the class.
    if ((e as { name?: unknown } | null)?.name === 'ReferenceError') {
      throw new NdshareError(`${ref.name} uses a variable from outside its body (${(e as Error).message}). Functions are shipped to the workers as ` +
          'source and must be pure: pass the values they need in {args} and read them from the last parameter', { code: codes.INVALID_ARG_VALUE });
    }
    throw e;
  }
}

/** A row loop for `n` inputs of plain numeric dtypes, generated for `c.fn`. */
function rowKernel(c: Compiled, n: number): RowKernel {
  const key = `plain${n}`;
  let k = c.rows.get(key);
  if (k) return k;
  const decl: string[] = [];
  const call: string[] = [];
  const step: string[] = [];
  for (let j = 0; j < n; j++) {
    decl.push(`const d${j} = ins[${j}], s${j} = inStrides[${j}]; let p${j} = inPos[${j}];`);
    call.push(`d${j}[p${j}]`);
    step.push(`p${j} += s${j};`);
  }
  const body = `
    return function row(ins, inStrides, inPos, out, os, op, run, args) {
      ${decl.join('\n')}
      for (let t = 0; t < run; t++) {
        out[op] = f(${[...call, 'args'].join(', ')});
        ${step.join(' ')}
        op += os;
      }
    };`;
  k = new Function('f', body)(c.fn) as RowKernel;
  c.rows.set(key, k);
  return k;
}

function isPlain(dtype: DType): boolean {
  const i = dtypeInfo(dtype);
  return !i.packed && !i.bigint && dtype !== 'bool';
}

/**
 * out[i] = fn(in0[i], in1[i], …, args) for the C-order flat indices [start, end)
 * of out's shape (inputs already broadcast to it).
 */
export function mapRange(c: Compiled, ref: FnRef, ins: NDArray[], out: NDArray, start: number, end: number, args: unknown): void {
  if (start >= end) return;
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
  const pos = (x: NDArray) => {
    let p = x.offset;
    for (let k = 0; k < nd; k++) p += idx[k]! * x.strides[k]!;
    return p;
  };
  let i = start;
  // The first element of every chunk goes through the probe: whichever worker
  // runs whichever chunk first, a closure fails loudly with the coded error.
  let first = true;
  while (i < end) {
    const col = nd === 0 ? 0 : idx[nd - 1]!;
    let run = Math.min(last - col, end - i);
    const inPos = ins.map(pos);
    let op = pos(out);
    if (first) {
      const argv = ins.map((x, j) => toScalar(x.dtype, x.data[inPos[j]!]!));
      odata[op] = store(probeCall(c, ref, [...argv, args]) as Scalar);
      for (let j = 0; j < ins.length; j++) inPos[j]! += inStrides[j]!;
      op += outStride;
      run--;
      i++;
      first = false;
      if (nd > 0) idx[nd - 1]!++;
    }
    if (row) row(ins.map((x) => x.data), inStrides, inPos, out.data, outStride, op, run, args);
    else {
      for (let t = 0; t < run; t++) {
        const argv = ins.map((x, j) => toScalar(x.dtype, x.data[inPos[j]! + t * inStrides[j]!]!));
        odata[op + t * outStride] = store(c.fn(...argv, args) as Scalar);
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
