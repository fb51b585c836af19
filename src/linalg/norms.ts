/**
 * nd.linalg norms and derived routines: norm, vectorNorm, matrixNorm, cond,
 * matrixPower, multiDot, tensorsolve, tensorinv.
 *
 * @module
 */
import { NdshareError, codes, invalidValue } from '../errors.js';
import { normalizeAxis } from '../ndarray/layout.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { matmul } from '../math/linalg.js';
import type { Operand } from '../math/ufunc.js';
import { arr, checkStack, f64, f64View, fromF64, linalgError, prodOf, resultDType, rowdot, shapeError } from './core.js';
import { inv, solve } from './decomp.js';
import { svd } from './spectral.js';
import { checkOptions } from '../validate.js';
import { isComplex, partDType } from '../ndarray/dtypes.js';
import { abs } from '../math/elementwise.js';

/** A norm order: a number (including ±Infinity), 'fro' or 'nuc'. */
export type NormOrd = number | 'fro' | 'nuc';

/** Options of {@link norm}. */
export interface NormOptions {
  ord?: NormOrd;
  axis?: number | readonly number[];
  keepdims?: boolean;
}

/** x with `axes` moved last (in order), as a contiguous float64 buffer, and the remaining shape. */
function gather(x: NDArray, axes: readonly number[]): { buf: Float64Array; rest: number[]; inner: number[] } {
  const others = [...x.shape.keys()].filter((i) => !axes.includes(i));
  const t = x.transpose([...others, ...axes]);
  return { buf: f64(t), rest: others.map((i) => x.shape[i]!), inner: axes.map((i) => x.shape[i]!) };
}

function keep(x: NDArray, axes: readonly number[], rest: number[], keepdims: boolean): number[] {
  if (!keepdims) return rest;
  return x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function vectorOrd(v: Float64Array, off: number, len: number, ord: number): number {
  let r = 0;
  if (ord === Infinity) {
    r = len === 0 ? NaN : -Infinity;
    for (let i = 0; i < len; i++) r = Math.max(r, Math.abs(v[off + i]!));
    if (len === 0) linalgError('zero-size array to reduction operation maximum which has no identity');
    return r;
  }
  if (ord === -Infinity) {
    if (len === 0) linalgError('zero-size array to reduction operation minimum which has no identity');
    r = Infinity;
    for (let i = 0; i < len; i++) r = Math.min(r, Math.abs(v[off + i]!));
    return r;
  }
  if (ord === 0) {
    for (let i = 0; i < len; i++) if (v[off + i] !== 0) r++;
    return r;
  }
  if (ord === 1) {
    for (let i = 0; i < len; i++) r += Math.abs(v[off + i]!);
    return r;
  }
  if (ord === 2) {
    // Scaled sum of squares: no overflow for large elements.
    let scale = 0;
    for (let i = 0; i < len; i++) scale = Math.max(scale, Math.abs(v[off + i]!));
    if (scale === 0 || !Number.isFinite(scale)) {
      for (let i = 0; i < len; i++) r += v[off + i]! * v[off + i]!;
      return Math.sqrt(r);
    }
    for (let i = 0; i < len; i++) {
      const t = v[off + i]! / scale;
      r += t * t;
    }
    return scale * Math.sqrt(r);
  }
  for (let i = 0; i < len; i++) r += Math.abs(v[off + i]!) ** ord;
  return r ** (1 / ord);
}

function vectorNormAxes(x_: NDArray, axes: number[], ord: NormOrd, keepdims: boolean): NDArray {
  if (typeof ord !== 'number') invalidValue('ord', 'a number for vector norms', ord);
  // Complex: the norms of the magnitudes (float32 for complex64, as NumPy's).
  const x = isComplex(x_.dtype) ? abs(x_) : x_;
  if (ord === 2) {
    // Sums of squares on the native kernel (no copy for a whole contiguous float64 array), the
    // overflow/underflow-safe scaled loop only where that sum is not a normal number.
    const whole = axes.length === x.ndim ? f64View(x) : undefined;
    const g = whole ? { buf: whole, rest: [] as number[], inner: [...x.shape] } : gather(x, axes);
    const len = prodOf(g.inner);
    const count = prodOf(g.rest);
    const out = rowdot(g.buf, g.buf, count, len);
    for (let b = 0; b < count; b++) {
      const ss = out[b]!;
      out[b] = ss > 1e-280 && ss < Infinity ? Math.sqrt(ss) : vectorOrd(g.buf, b * len, len, 2);
    }
    return fromF64(out, keep(x, axes, g.rest, keepdims), resultDType(x.dtype));
  }
  const { buf, rest, inner } = gather(x, axes);
  const len = prodOf(inner);
  const count = prodOf(rest);
  const out = new Float64Array(count);
  for (let b = 0; b < count; b++) out[b] = vectorOrd(buf, b * len, len, ord);
  return fromF64(out, keep(x, axes, rest, keepdims), resultDType(x.dtype));
}

function matrixNormAxes(x_: NDArray, r: number, c: number, ord: NormOrd, keepdims: boolean): NDArray {
  if (r === c) shapeError('norm: Duplicate axes given.');
  const spectral = ord === 2 || ord === -2 || ord === 'nuc';
  if (spectral && isComplex(x_.dtype)) return complexSpectralNorm(x_, r, c, ord, keepdims);
  const x = isComplex(x_.dtype) ? abs(x_) : x_;
  const { buf, rest } = gather(x, [r, c]);
  const m = x.shape[r]!;
  const n = x.shape[c]!;
  const count = prodOf(rest);
  const dt = resultDType(x.dtype);
  const shape = keep(x, [r, c], rest, keepdims);
  if (ord === 2 || ord === -2 || ord === 'nuc') {
    if (m === 0 || n === 0) linalgError('norm: zero-size array');
    const S = f64(svd(fromF64(buf, [...rest, m, n], 'float64'), { computeUv: false }).S);
    const k = Math.min(m, n);
    const out = new Float64Array(count);
    for (let b = 0; b < count; b++) {
      const s = S.subarray(b * k, (b + 1) * k);
      out[b] = ord === 2 ? s[0]! : ord === -2 ? s[k - 1]! : s.reduce((p, q) => p + q, 0);
    }
    return fromF64(out, shape, dt);
  }
  if (ord === 'fro') {
    const out = new Float64Array(count);
    for (let b = 0; b < count; b++) out[b] = vectorOrd(buf, b * m * n, m * n, 2);
    return fromF64(out, shape, dt);
  }
  if (ord === 1 || ord === -1 || ord === Infinity || ord === -Infinity) {
    // 1: max over columns of the column sums of |x|; inf: max over rows of the row sums.
    const byCol = ord === 1 || ord === -1;
    const want = ord > 0 ? Math.max : Math.min;
    const out = new Float64Array(count);
    for (let b = 0; b < count; b++) {
      const sums = new Float64Array(byCol ? n : m);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) sums[byCol ? j : i] = sums[byCol ? j : i]! + Math.abs(buf[b * m * n + i * n + j]!);
      }
      if (sums.length === 0) linalgError('norm: zero-size array to reduction operation which has no identity');
      out[b] = want(...sums);
    }
    return fromF64(out, shape, dt);
  }
  return invalidValue('ord', "2, -2, 1, -1, Infinity, -Infinity, 'fro' or 'nuc' (Invalid norm order for matrices)", ord);
}

/** ord 2, -2 or 'nuc' of complex matrices: from the singular values of the complex SVD. */
function complexSpectralNorm(x: NDArray, r: number, c: number, ord: 2 | -2 | 'nuc', keepdims: boolean): NDArray {
  const others = [...x.shape.keys()].filter((i) => i !== r && i !== c);
  const rest = others.map((i) => x.shape[i]!);
  const m = x.shape[r]!;
  const n = x.shape[c]!;
  if (m === 0 || n === 0) linalgError('norm: zero-size array');
  const S = svd(x.transpose([...others, r, c]), { computeUv: false }).S;
  const s = f64(S);
  const k = Math.min(m, n);
  const count = prodOf(rest);
  const out = new Float64Array(count);
  for (let b = 0; b < count; b++) {
    const sb = s.subarray(b * k, (b + 1) * k);
    out[b] = ord === 2 ? sb[0]! : ord === -2 ? sb[k - 1]! : sb.reduce((p, q) => p + q, 0);
  }
  return fromF64(out, keep(x, [r, c], rest, keepdims), S.dtype);
}

/**
 * NumPy's `linalg.norm`: a vector norm (1-D, or one axis), a matrix norm (2-D, or two axes), or
 * with neither ord nor axis the 2-norm of the flattened array.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for an invalid ord or axis count.
 * @example nd.linalg.norm([3, 4]).item() // 5
 */
export function norm(x: Operand, options: NormOptions = {}): NDArray {
  checkOptions(options, { fn: 'nd.linalg.norm', known: ['ord', 'axis', 'keepdims'] });
  const X = arr(x, 'x');
  const ord = options.ord;
  const keepdims = options.keepdims === true;
  let axes: number[];
  if (options.axis === undefined) {
    if (ord === undefined) {
      const all = [...X.shape.keys()];
      const r = vectorNormAxes(X, all, 2, keepdims);
      return r;
    }
    if (X.ndim !== 1 && X.ndim !== 2) invalidValue('x', 'a 1-D or 2-D array when ord is given without axis (Improper number of dimensions to norm)', X.ndim);
    axes = [...X.shape.keys()];
  } else {
    const list = typeof options.axis === 'number' ? [options.axis] : [...options.axis];
    axes = list.map((a, i) => normalizeAxis(a, X.ndim, `options.axis[${i}]`));
  }
  if (axes.length === 1) {
    if (ord === 'fro' || ord === 'nuc') invalidValue('ord', 'a number for vector norms', ord);
    return vectorNormAxes(X, axes, ord ?? 2, keepdims);
  }
  if (axes.length === 2) return matrixNormAxes(X, axes[0]!, axes[1]!, ord ?? 'fro', keepdims);
  return invalidValue('options.axis', 'one or two axes (Improper number of dimensions to norm)', options.axis);
}

/** Options of {@link vectorNorm}. */
export interface VectorNormOptions {
  axis?: number | readonly number[] | null;
  keepdims?: boolean;
  ord?: number;
}

/**
 * The Array API `vector_norm`: over `axis` (default every axis, flattened), any number of axes.
 * @example nd.linalg.vectorNorm([[3, 4]], { ord: 1 }).item() // 7
 */
export function vectorNorm(x: Operand, options: VectorNormOptions = {}): NDArray {
  checkOptions(options, { fn: 'nd.linalg.vectorNorm', known: ['axis', 'keepdims', 'ord'] });
  const X = arr(x, 'x');
  const ax = options.axis ?? null;
  const axes = ax === null ? [...X.shape.keys()] : (typeof ax === 'number' ? [ax] : [...ax]).map((a, i) => normalizeAxis(a, X.ndim, `options.axis[${i}]`));
  return vectorNormAxes(X, axes, options.ord ?? 2, options.keepdims === true);
}

/** Options of {@link matrixNorm}. */
export interface MatrixNormOptions {
  keepdims?: boolean;
  ord?: NormOrd;
}

/**
 * The Array API `matrix_norm` over the last two axes (default 'fro').
 * @throws {NdshareError} ERR_NDSHARE_LINALG for ndim < 2.
 * @example nd.linalg.matrixNorm([[3, 0], [0, 4]], { ord: 2 }).item() // 4
 */
export function matrixNorm(x: Operand, options: MatrixNormOptions = {}): NDArray {
  checkOptions(options, { fn: 'nd.linalg.matrixNorm', known: ['keepdims', 'ord'] });
  const X = arr(x, 'x');
  checkStack('matrix_norm', X, false);
  return matrixNormAxes(X, X.ndim - 2, X.ndim - 1, options.ord ?? 'fro', options.keepdims === true);
}

/**
 * Condition number: p = undefined/2/-2 from the singular values, else norm(x, p) * norm(inv(x), p).
 * @throws {NdshareError} ERR_NDSHARE_LINALG for ndim < 2 (or a singular matrix with p other than 2/-2).
 * @example nd.linalg.cond([[1, 0], [0, 2]]).item() // 2
 */
export function cond(x: Operand, p?: NormOrd): NDArray {
  const X = arr(x, 'x');
  checkStack('cond', X, false);
  const m = X.ndim;
  if (p === undefined || p === 2 || p === -2) {
    const S = svd(X, { computeUv: false }).S;
    const s = f64(S);
    const k = S.shape[S.ndim - 1]!;
    const count = prodOf(X.shape.slice(0, -2));
    const out = new Float64Array(count);
    for (let b = 0; b < count; b++) {
      const first = s[b * k]!;
      const last = s[b * k + k - 1]!;
      out[b] = p === -2 ? last / first : first / last;
    }
    return fromF64(out, X.shape.slice(0, -2), resultDType(partDType(X.dtype)));
  }
  checkStack('cond', X, true);
  const a = f64(matrixNormAxes(X, m - 2, m - 1, p, false));
  const b = f64(matrixNormAxes(inv(X), m - 2, m - 1, p, false));
  return fromF64(
    a.map((v, i) => v * b[i]!),
    X.shape.slice(0, -2),
    resultDType(partDType(X.dtype)),
  );
}

/**
 * a raised to the integer power n (n < 0 through inv), by repeated squaring; batched.
 * @throws {NdshareError} ERR_NDSHARE_LINALG for a non-square stack or (n < 0) a singular matrix.
 * @example nd.linalg.matrixPower([[1, 1], [0, 1]], 3).toArray() // [[1, 3], [0, 1]]
 */
export function matrixPower(a: Operand, n: number): NDArray {
  if (!Number.isInteger(n)) throw new NdshareError(`matrix_power: exponent must be an integer, got ${n}`, { code: codes.INVALID_ARG_TYPE });
  const A = arr(a, 'a');
  checkStack('matrix_power', A, true);
  const m = A.shape[A.ndim - 1]!;
  if (n === 0) {
    const e = new Float64Array(prodOf(A.shape));
    for (let b = 0; b < prodOf(A.shape.slice(0, -2)); b++) for (let i = 0; i < m; i++) e[b * m * m + i * m + i] = 1;
    return fromF64(e, A.shape, 'float64').astype(A.dtype);
  }
  let base = n < 0 ? inv(A) : A;
  let k = Math.abs(n);
  let result: NDArray | undefined;
  while (k > 0) {
    if (k & 1) result = result === undefined ? base : matmul(result, base);
    k = Math.floor(k / 2);
    if (k > 0) base = matmul(base, base);
  }
  return result!.copy();
}

/**
 * Product of a chain of arrays (first and last may be 1-D) in the cheapest order (NumPy's
 * dynamic programming over the matrix-chain costs).
 * @throws {NdshareError} ERR_NDSHARE_INVALID_ARG_VALUE for fewer than two arrays; ERR_NDSHARE_LINALG for a middle array that is not 2-D.
 * @example nd.linalg.multiDot([A, B, C])
 */
export function multiDot(arrays: readonly Operand[]): NDArray {
  if (!Array.isArray(arrays) || arrays.length < 2) invalidValue('arrays', 'at least two arrays', arrays);
  const xs = arrays.map((v, i) => arr(v, `arrays[${i}]`));
  if (xs.length === 2) return matmul(xs[0]!, xs[1]!);
  const firstVec = xs[0]!.ndim === 1;
  const lastVec = xs[xs.length - 1]!.ndim === 1;
  if (firstVec) xs[0] = xs[0]!.expandDims(0);
  if (lastVec) xs[xs.length - 1] = xs[xs.length - 1]!.expandDims(1);
  xs.forEach((x, i) => {
    if (x.ndim !== 2) linalgError(`multi_dot: arrays[${i}] is ${x.ndim}-dimensional. Array must be two-dimensional`);
  });
  const n = xs.length;
  const p = [xs[0]!.shape[0]!, ...xs.map((x) => x.shape[1]!)];
  const cost: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  const split: number[][] = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let len = 1; len < n; len++) {
    for (let i = 0; i + len < n; i++) {
      const j = i + len;
      cost[i]![j] = Infinity;
      for (let k = i; k < j; k++) {
        const c = cost[i]![k]! + cost[k + 1]![j]! + p[i]! * p[k + 1]! * p[j + 1]!;
        if (c < cost[i]![j]!) {
          cost[i]![j] = c;
          split[i]![j] = k;
        }
      }
    }
  }
  const run = (i: number, j: number): NDArray => (i === j ? xs[i]! : matmul(run(i, split[i]![j]!), run(split[i]![j]! + 1, j)));
  let r = run(0, n - 1);
  if (firstVec && lastVec) return r.reshape([]);
  if (firstVec) r = r.reshape([r.shape[1]!]);
  else if (lastVec) r = r.reshape([r.shape[0]!]);
  return r;
}

/**
 * Solves tensordot(a, x, b.ndim) = b for x (NumPy's `tensorsolve`).
 * @throws {NdshareError} ERR_NDSHARE_LINALG when the reshaped problem is not square or singular.
 * @example nd.linalg.tensorsolve(nd.eye(6).reshape([6, 2, 3]), nd.ones([6]))
 */
export function tensorsolve(a: Operand, b: Operand, axes?: readonly number[]): NDArray {
  let A = arr(a, 'a');
  const B = arr(b, 'b');
  if (axes !== undefined) {
    const ax = axes.map((v, i) => normalizeAxis(v, A.ndim, `axes[${i}]`));
    const others = [...A.shape.keys()].filter((i) => !ax.includes(i));
    A = A.transpose([...others, ...ax]);
  }
  const xShape = A.shape.slice(B.ndim);
  const prodX = prodOf(xShape);
  const prodB = prodOf(A.shape.slice(0, B.ndim));
  if (prodX !== prodB) linalgError('Input arrays must satisfy the requirement prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])');
  const x = solve(A.copy().reshape([prodB, prodX]), B.copy().reshape([prodB]));
  return x.reshape(xShape);
}

/**
 * Inverse of a tensor with respect to tensordot over `ind` axes (NumPy's `tensorinv`).
 * @throws {NdshareError} ERR_NDSHARE_LINALG for a singular or non-square reshaped matrix;
 *   ERR_NDSHARE_INVALID_ARG_VALUE for ind <= 0.
 * @example nd.linalg.tensorinv(nd.eye(4).reshape([4, 2, 2]), 1).shape // [2, 2, 4]
 */
export function tensorinv(a: Operand, ind = 2): NDArray {
  const A = arr(a, 'a');
  if (!Number.isInteger(ind) || ind <= 0) invalidValue('ind', 'a positive integer', ind);
  const outer = A.shape.slice(0, ind);
  const invShape = [...A.shape.slice(ind), ...outer];
  const p = prodOf(outer);
  const q = prodOf(A.shape.slice(ind));
  if (p !== q) linalgError('Last 2 dimensions of the array must be square');
  return inv(A.copy().reshape([p, q])).reshape(invShape);
}
