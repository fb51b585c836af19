/**
 * Compiles the functions users ship to the workers (element functions,
 * chunk kernels, custom reductions, inline `run` functions) and the row loops
 * generated for them. Runs in the worker only; the loops that call them are
 * in loops.ts.
 *
 * Functions arrive as source. Each is compiled once per worker into
 * a loop generated for it, so the call site sees one function and V8 inlines
 * it. A first call in a context without Node's globals turns a function that
 * closes over outer variables into a clear error instead of a wrong answer.
 *
 * @module
 */
import { runInContext, createContext } from 'node:vm';
import { codes, NdshareError, NdshareTypeError } from '../errors.js';
import type { TypedArray } from '../ndarray/dtypes.js';
import type { FnRef } from './messages.js';

type AnyFn = (...a: unknown[]) => unknown;
export type RowKernel = (
  ins: TypedArray[],
  inStrides: number[],
  inPos: number[],
  out: TypedArray,
  outStride: number,
  outPos: number,
  run: number,
  args: unknown,
  range: unknown,
) => void;

export interface Compiled {
  /** The function in this realm (fast). */
  fn: AnyFn;
  /** The same source compiled in a bare context: free variables throw there. */
  probe: AnyFn;
  /** Row loops for plain-typed inputs, by input count. */
  rows: RowKernel[];
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

/**
 * The name stack frames show for a shipped function: `ndshare-pool/<argument>/<function name>.js`,
 * with lines and columns counted in the function's own source (line 1 is its first line).
 */
export function sourceUrlOf(ref: FnRef): string {
  const clean = (s: string) => s.replace(/[^\w.$-]+/g, '_');
  return `ndshare-pool/${clean(ref.name)}/${clean(ref.fnName || 'anonymous')}.js`;
}

function evaluate(ref: FnRef, where: 'here' | 'bare'): AnyFn {
  const { source, name } = ref;
  // The second form is for method shorthand `f(x) { … }`. The sourceURL names the
  // function in stack traces (instead of "eval at evaluate (compile.ts)").
  const url = `\n//# sourceURL=${sourceUrlOf(ref)}`;
  const attempts = [`(${source})${url}`, `(function ${source})${url}`];
  let last: unknown;
  for (const code of attempts) {
    try {
      const f = where === 'here' ? (0, eval)(code) : runInContext(code, bare, { filename: sourceUrlOf(ref) });
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
    c = { fn: evaluate(ref, 'here'), probe: evaluate(ref, 'bare'), rows: [] };
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
      throw new NdshareError(
        `${ref.name} uses a variable from outside its body (${(e as Error).message}). Functions are shipped to the workers as ` +
          'source and must be pure: pass the values they need in {args} and read them from the last parameter',
        { code: codes.INVALID_ARG_VALUE },
      );
    }
    throw e;
  }
}

/** Where in its row the last generated loop that threw was (read right after the throw). */
let failedAt = 0;
const markFailed = (e: unknown, t: number): unknown => {
  failedAt = t;
  return e;
};
/** The row position of the element whose call threw in the last row loop that threw. */
export function lastFailedAt(): number {
  return failedAt;
}

/** A row loop for `n` inputs of plain numeric dtypes, generated for `c.fn`. */
export function rowKernel(c: Compiled, n: number): RowKernel {
  let k = c.rows[n];
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
    return function row(ins, inStrides, inPos, out, os, op, run, args, range) {
      ${decl.join('\n')}
      let t = 0;
      try {
        for (; t < run; t++) {
          out[op] = f(${[...call, 'args', 'range'].join(', ')});
          ${step.join(' ')}
          op += os;
        }
      } catch (e) {
        throw mark(e, t);
      }
    };
    //# sourceURL=ndshare-pool/row-loop-${n}.js`;
  k = new Function('f', 'mark', body)(c.fn, markFailed) as RowKernel;
  c.rows[n] = k;
  return k;
}
