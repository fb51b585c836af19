/**
 * einsum and einsumPath: Einstein summation with NumPy's subscripts (explicit
 * '->' output or implicit sorted output, '...' broadcasting, repeated letters
 * in one operand for diagonals). Operands are first reduced alone (diagonals,
 * letters no one else needs); then pairs contract through tensordot-like
 * transposes + one batched matmul (the GEMM), in the order `optimize` picks
 * (einsum-path.ts: NumPy's greedy and optimal searches).
 *
 * @module
 */
import { NdshareError, codes, invalidValue } from '../errors.js';
import { checkOptions } from '../validate.js';
import type { DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { multiply } from '../math/elementwise.js';
import { matmul } from '../math/linalg.js';
import { promoteTypes } from '../math/promote.js';
import { sum } from '../math/reduce.js';
import type { Operand } from '../math/ufunc.js';
import { arr, f64View, fromF64, prodOf, rowdot } from './core.js';
import { planEinsum, type EinsumOptimize } from './einsum-path.js';

/** Options of {@link einsum} and {@link einsumPath}. */
export interface EinsumOptions {
  /**
   * Contraction order, as NumPy's: false (no optimization: left to right; einsum's default), true / 'greedy'
   * (einsumPath's default), 'optimal' (every order, within the memory limit), [strategy, memoryLimit], or an
   * explicit path ['einsum_path', [0, 1], ...] as einsumPath returns it.
   */
  optimize?: EinsumOptimize;
}

interface Term {
  x: NDArray;
  idx: string[]; // one letter per axis (ellipsis axes get letters from the private range)
}

function fail(msg: string): never {
  throw new NdshareError(`einsum: ${msg}`, { code: codes.INVALID_ARG_VALUE });
}

interface Parsed {
  inputs: string[][];
  output: string[];
  sizes: Map<string, number>;
  terms: Term[];
}

const ELL = [
  ...'\u0100\u0101\u0102\u0103\u0104\u0105\u0106\u0107\u0108\u0109\u010a\u010b\u010c\u010d\u010e\u010f\u0110\u0111\u0112\u0113\u0114\u0115\u0116\u0117\u0118\u0119\u011a\u011b\u011c\u011d\u011e\u011f\u0120\u0121\u0122\u0123\u0124\u0125\u0126\u0127\u0128\u0129\u012a\u012b\u012c\u012d\u012e\u012f\u0130\u0131\u0132\u0133\u0134\u0135\u0136\u0137\u0138\u0139\u013a\u013b\u013c\u013d\u013e\u013f',
];

function parse(subscripts: string, ops: NDArray[]): Parsed {
  if (typeof subscripts !== 'string') invalidValue('subscripts', 'a string', subscripts);
  const s = subscripts.replace(/\s+/g, '');
  const arrow = s.indexOf('->');
  const lhs = arrow >= 0 ? s.slice(0, arrow) : s;
  const rhs = arrow >= 0 ? s.slice(arrow + 2) : undefined;
  const parts = lhs.split(',');
  if (parts.length !== ops.length) fail(`more operands were provided than the subscripts specify (${parts.length} terms, ${ops.length} operands)`);
  let ellNdim = 0;
  const inputs: string[][] = [];
  const terms: Term[] = [];
  const sizes = new Map<string, number>();
  parts.forEach((p, k) => {
    const x = ops[k]!;
    const dots = p.indexOf('...');
    const letters = p.replace('...', '');
    for (const c of letters) if (!/[a-zA-Z]/.test(c)) fail(`invalid subscript '${c}' in the einstein sum subscripts string, subscripts must be letters`);
    if (dots < 0 && letters.length !== x.ndim) fail(`operand ${k} has ${x.ndim} dimensions but its subscripts '${p}' name ${letters.length}`);
    if (dots >= 0 && letters.length > x.ndim) fail(`operand ${k} has ${x.ndim} dimensions but its subscripts '${p}' name more`);
    const ne = dots >= 0 ? x.ndim - letters.length : 0;
    ellNdim = Math.max(ellNdim, ne);
    const idx = dots >= 0 ? [...p.slice(0, dots), ...ELL.slice(0, ne).map((_, i) => `#${ne - i}`), ...p.slice(dots + 3)] : [...p];
    inputs.push(idx);
    terms.push({ x, idx });
  });
  // Ellipsis axes align from the right: '#1' is the last ellipsis axis of every operand.
  const ellLetters = [...Array(ellNdim).keys()].map((i) => `#${ellNdim - i}`);
  // Broadcast sizes: a letter of size 1 may meet a larger one only for ellipsis axes (NumPy broadcasts those).
  for (const t of terms) {
    t.idx.forEach((c, ax) => {
      const d = t.x.shape[ax]!;
      const prev = sizes.get(c);
      if (prev === undefined || prev === 1) sizes.set(c, d);
      else if (d !== prev && !(d === 1 && c.startsWith('#'))) {
        fail(`operands could not be broadcast together: dimension '${c.startsWith('#') ? '...' : c}' has sizes ${prev} and ${d}`);
      }
    });
  }
  let output: string[];
  if (rhs === undefined) {
    const count = new Map<string, number>();
    for (const idx of inputs) for (const c of idx) if (!c.startsWith('#')) count.set(c, (count.get(c) ?? 0) + 1);
    output = [...ellLetters, ...[...count.keys()].filter((c) => count.get(c) === 1).sort()];
  } else {
    if (rhs.includes('...') || ellNdim === 0) {
      output = [];
      const dots = rhs.indexOf('...');
      const pre = dots >= 0 ? rhs.slice(0, dots) : rhs;
      const post = dots >= 0 ? rhs.slice(dots + 3) : '';
      output = [...pre, ...(dots >= 0 ? ellLetters : []), ...post];
    } else {
      // An explicit output without '...' sums the ellipsis axes away (only when they have size 1 in NumPy; we sum).
      output = [...rhs];
    }
    const seen = new Set<string>();
    for (const c of output) {
      if (c.startsWith('#')) continue;
      if (!/[a-zA-Z]/.test(c)) fail(`invalid subscript '${c}' in the output`);
      if (seen.has(c)) fail(`output subscript '${c}' appears more than once in the output`);
      seen.add(c);
      if (!sizes.has(c)) fail(`output subscript '${c}' did not appear in the input subscripts`);
    }
  }
  // Broadcast size-1 ellipsis axes up to the common size.
  for (const t of terms) {
    const target = t.idx.map((c) => sizes.get(c)!);
    if (target.some((d, i) => d !== t.x.shape[i])) t.x = t.x.broadcastTo(target);
  }
  return { inputs, output, sizes, terms };
}

/** Collapses repeated letters of one operand to their diagonal (a strided view). */
function diagonals(t: Term): Term {
  let { x, idx } = t;
  for (;;) {
    const dup = idx.findIndex((c, i) => idx.indexOf(c) !== i);
    if (dup < 0) return { x, idx };
    const first = idx.indexOf(idx[dup]!);
    if (x.shape[first] !== x.shape[dup]) fail(`dimensions in operand for collapsing index '${idx[dup]}' don't match (${x.shape[first]} != ${x.shape[dup]})`);
    const shape = x.shape.filter((_, i) => i !== dup);
    const strides = x.strides.map((s, i) => (i === first ? s + x.strides[dup]! : s)).filter((_, i) => i !== dup);
    x = new NDArray(x.data, x.dtype, shape, strides, x.offset);
    idx = idx.filter((_, i) => i !== dup);
  }
}

/** Sums away the letters of `t` that are in none of `keep`. */
function sumAway(t: Term, keep: Set<string>, dtype: DType): Term {
  const axes = t.idx.map((c, i) => (keep.has(c) ? -1 : i)).filter((i) => i >= 0);
  if (axes.length === 0) return t;
  return { x: sum(t.x, { axis: axes, dtype }), idx: t.idx.filter((c) => keep.has(c)) };
}

/** Contracts two terms: shared letters still needed are batch, the rest summed, on one batched matmul. */
function contract(a: Term, b: Term, needed: Set<string>): Term {
  const inB = new Set(b.idx);
  const inA = new Set(a.idx);
  const batch = a.idx.filter((c) => inB.has(c) && needed.has(c));
  const summed = a.idx.filter((c) => inB.has(c) && !needed.has(c));
  const freeA = a.idx.filter((c) => !inB.has(c));
  const freeB = b.idx.filter((c) => !inA.has(c));
  const size = (t: Term, c: string): number => t.x.shape[t.idx.indexOf(c)]!;
  const perm = (t: Term, order: string[]): NDArray => t.x.transpose(order.map((c) => t.idx.indexOf(c)));
  const bs = batch.map((c) => size(a, c));
  const M = prodOf(freeA.map((c) => size(a, c)));
  const N = prodOf(freeB.map((c) => size(b, c)));
  const K = prodOf(summed.map((c) => size(a, c)));
  const flat = (x: NDArray, shape: number[]): NDArray => (x.flags.cContiguous ? x : x.copy()).reshape(shape);
  if (freeA.length === 0 && freeB.length === 0 && bs.length > 0) {
    // Row-wise dot products ('ij,ij->i'): one multiply and one native sum beat a stack of 1x1 products.
    const A1 = flat(perm(a, [...batch, ...summed]), [...bs, K]);
    const B1 = flat(perm(b, [...batch, ...summed]), [...bs, K]);
    const dt = promoteTypes(a.x.dtype, b.x.dtype);
    const va = f64View(A1);
    const vb = f64View(B1);
    if (va && vb) return { x: fromF64(rowdot(va, vb, prodOf(bs), K), bs, 'float64'), idx: batch };
    return { x: sum(multiply(A1, B1), { axis: -1, dtype: dt }), idx: batch };
  }
  const A2 = flat(perm(a, [...batch, ...freeA, ...summed]), [...bs, M, K]);
  const B2 = flat(perm(b, [...batch, ...summed, ...freeB]), [...bs, K, N]);
  const r = matmul(A2, B2);
  return { x: r.reshape([...bs, ...freeA.map((c) => size(a, c)), ...freeB.map((c) => size(b, c))]), idx: [...batch, ...freeA, ...freeB] };
}

/** Runs the contraction along `path` (NumPy's path format: positions in the current list; results appended). */
function run(p: Parsed, path: number[][]): NDArray {
  const dtype = p.terms.map((t) => t.x.dtype).reduce((x, y) => promoteTypes(x, y));
  const out = new Set(p.output);
  let terms = p.terms.map(diagonals);
  const lettersBut = (skip: readonly number[]): Set<string> => {
    const s = new Set(out);
    terms.forEach((t, i) => {
      if (!skip.includes(i)) for (const c of t.idx) s.add(c);
    });
    return s;
  };
  terms = terms.map((t, i) => sumAway(t, lettersBut([i]), dtype));
  for (const pos of path) {
    // A step of more than two operands contracts them pairwise, left to right.
    const asc = [...pos].sort((a, b) => a - b);
    let acc = terms[asc[0]!]!;
    for (let q = 1; q < asc.length; q++) acc = contract(acc, terms[asc[q]!]!, lettersBut(asc.slice(0, q + 1)));
    if (asc.length === 1) acc = sumAway(acc, lettersBut(asc), dtype);
    terms = [...terms.filter((_, k) => !asc.includes(k)), acc];
  }
  const last = sumAway(terms[0]!, out, dtype);
  const x = last.x.transpose(p.output.map((c) => last.idx.indexOf(c)));
  return x.dtype === dtype ? x.copy() : x.astype(dtype);
}

/** Splits a trailing options object off the operands. */
function splitOptions(operands: (Operand | EinsumOptions)[], fn: string, numpyOnly: string[]): [NDArray[], EinsumOptions | undefined] {
  let opts: EinsumOptions | undefined;
  const last = operands[operands.length - 1];
  if (last !== undefined && typeof last === 'object' && last !== null && !(last instanceof NDArray) && !Array.isArray(last) && !ArrayBuffer.isView(last)) {
    opts = checkOptions(last as EinsumOptions, { fn, known: ['optimize'], numpyOnly });
    operands = operands.slice(0, -1);
  }
  return [operands.map((o, i) => arr(o as Operand, `operands[${i}]`)), opts];
}

/**
 * Einstein summation (NumPy's `einsum`).
 * @throws {NdshareError} ERR_NDSHARE_INVALID_ARG_VALUE for malformed subscripts, operand counts or mismatched dimensions.
 * @example nd.einsum('ij,jk->ik', a, b) // a @ b
 * @example nd.einsum('ii', nd.eye(3)).item() // 3 (trace)
 */
export function einsum(subscripts: string, ...operands: (Operand | EinsumOptions)[]): NDArray {
  const [ops, opts] = splitOptions(operands, 'nd.einsum', ['out', 'dtype', 'order', 'casting']);
  const p = parse(subscripts, ops);
  return run(p, planEinsum(p.inputs, p.output, p.sizes, opts?.optimize ?? false).path);
}

/**
 * The contraction order einsum would use, as NumPy's `einsum_path`: `[['einsum_path', [i, j], ...], report]`,
 * with NumPy's path for 'greedy' (the default) and 'optimal', and NumPy's printed report.
 * @throws as {@link einsum}.
 * @example nd.einsumPath('ij,jk,kl->il', a, b, c, { optimize: 'greedy' })[0] // ['einsum_path', [0, 1], [0, 1]]
 */
export function einsumPath(subscripts: string, ...operands: (Operand | EinsumOptions)[]): [(string | number[])[], string] {
  const [ops, opts] = splitOptions(operands, 'nd.einsumPath', []);
  const p = parse(subscripts, ops);
  const plan = planEinsum(p.inputs, p.output, p.sizes, opts?.optimize ?? 'greedy');
  return [['einsum_path', ...plan.path.map((s) => s.slice())], plan.report];
}
