/**
 * Helpers of the linalg tests (80-84): random matrices, NumPy results of a
 * batch of expressions (one python3 process, test/helpers/numpy-diff.ts), and
 * comparisons by norm-wise relative error, for factors that are unique and for
 * invariants where they are not.
 */
import type test from 'tape';
import * as nd from '../../src/index.js';
import type { DType, NDArray } from '../../src/index.js';
import { mulberry32 } from './assert.js';
import { runNumpy, type PyResult } from './numpy-diff.js';

export function randn(shape: number[], seed: number, dtype: DType = 'float64'): NDArray {
  const r = mulberry32(seed);
  const n = shape.reduce((p, q) => p * q, 1);
  const v = new Float64Array(n);
  for (let i = 0; i < n; i++) v[i] = (r() / 2 ** 32 - 0.5) * 4;
  const a = nd.array(v).reshape(shape);
  return dtype === 'float64' ? a : a.astype(dtype);
}

/** A symmetric positive-definite stack (A A^T + n I). */
export function spd(shape: number[], seed: number, dtype: DType = 'float64'): NDArray {
  const a = randn(shape, seed);
  const n = shape[shape.length - 1]!;
  const p = nd.add(nd.matmul(a, nd.linalg.matrixTranspose(a)), nd.multiply(nd.eye(n), n));
  return dtype === 'float64' ? p : p.astype(dtype);
}

export function vals(x: NDArray): number[] {
  const f = x.astype('float64');
  return Array.from(f.data as Float64Array).slice(0, x.size);
}

/** Norm-wise relative difference max|got - want| / max(1, max|want|). */
export function relErr(got: NDArray, want: NDArray): number {
  const g = vals(got);
  const w = vals(want);
  if (g.length !== w.length) return Infinity;
  let m = 0;
  let s = 1;
  for (let i = 0; i < g.length; i++) {
    const a = g[i]!;
    const b = w[i]!;
    if (Number.isNaN(a) && Number.isNaN(b)) continue;
    if (a === b) continue;
    m = Math.max(m, Math.abs(a - b));
    s = Math.max(s, Math.abs(b));
  }
  return m / s;
}

/** NumPy results of several expressions over args a0, a1, ... */
export function np(cases: { expr: string; args: NDArray[] }[]): PyResult[] {
  return runNumpy(cases);
}

export function value(r: PyResult): NDArray {
  if ('err' in r) throw new Error(`NumPy raised ${r.err}: ${r.msg}`);
  return r.value;
}

/** Asserts same shape, dtype (when given) and relative error <= tol. */
export function close(t: test.Test, got: NDArray, want: NDArray | PyResult, tol: number, label: string, dtype?: string): void {
  const w = 'shape' in want && !('value' in want) ? (want as NDArray) : value(want as PyResult);
  const wantDtype = 'value' in (want as object) ? (want as { dtype: string }).dtype : w.dtype;
  const shapeOk = got.shape.length === w.shape.length && got.shape.every((d, i) => d === w.shape[i]);
  if (!shapeOk) {
    t.fail(`${label}: shape (${got.shape.join(', ')}) != NumPy's (${w.shape.join(', ')})`);
    return;
  }
  if ((dtype ?? wantDtype) !== got.dtype) {
    t.fail(`${label}: dtype ${got.dtype} != NumPy's ${dtype ?? wantDtype}`);
    return;
  }
  const e = relErr(got, w);
  if (!(e <= tol)) t.fail(`${label}: relative error ${e.toExponential(2)} > ${tol}`);
  else t.pass(label);
}

/** max |x^T x - I| over a stack of matrices with orthonormal columns. */
export function orthErr(q: NDArray): number {
  const k = q.shape[q.ndim - 1]!;
  const g = nd.matmul(nd.linalg.matrixTranspose(q), q);
  // nd.max, not a spread: a spread of a large stack overflows the call stack.
  return g.size === 0 ? 0 : (nd.max(nd.abs(nd.subtract(g, nd.eye(k)))).item() as number);
}

export function maxAbs(x: NDArray): number {
  return Math.max(0, ...vals(x).map(Math.abs));
}

/** Asserts that fn throws an ndshare error with `code`. */
export function throwsCode(t: test.Test, fn: () => unknown, code: string, label: string): void {
  try {
    fn();
    t.fail(`${label}: did not throw`);
  } catch (e) {
    const err = e as Error & { code?: string };
    t.equal(err.code, code, `${label}: ${err.code}: ${err.message}`);
  }
}
