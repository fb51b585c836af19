/**
 * Tensor products: tensordot, inner, outer, kron, vdot, trace, diagonal,
 * cross, vecdot, matrixTranspose. Contractions reshape to one (batched)
 * matrix product on the GEMM (src/math/linalg.ts).
 *
 * @module
 */
import { NdshareError, codes, invalidValue } from '../errors.js';
import { normalizeAxis } from '../ndarray/layout.js';
import { isComplex, type DType } from '../ndarray/dtypes.js';
import { conjugate } from '../math/elementwise-more.js';
import { NDArray } from '../ndarray/ndarray.js';
import { multiply, subtract } from '../math/elementwise.js';
import { matmul } from '../math/linalg.js';
import { promoteTypes } from '../math/promote.js';
import { sum } from '../math/reduce.js';
import type { Operand } from '../math/ufunc.js';
import { arr, prodOf, shapeError } from './core.js';
import { checkOptions } from '../validate.js';

/** A view of `a` with `axis` fixed at index k. */
export function take(a: NDArray, axis: number, k: number): NDArray {
  const shape = a.shape.filter((_, i) => i !== axis);
  const strides = a.strides.filter((_, i) => i !== axis);
  return new NDArray(a.data, a.dtype, shape, strides, a.offset + k * a.strides[axis]!);
}

/** A view of the diagonal of axes (axis1, axis2) at `offset`, appended as the last axis (NumPy's diagonal). */
export function diagonalView(a: NDArray, offset: number, axis1: number, axis2: number): NDArray {
  const a1 = normalizeAxis(axis1, a.ndim, 'axis1');
  const a2 = normalizeAxis(axis2, a.ndim, 'axis2');
  if (a1 === a2) invalidValue('axis2', 'an axis other than axis1', axis2);
  if (!Number.isInteger(offset)) invalidValue('offset', 'an integer', offset);
  const n1 = a.shape[a1]!;
  const n2 = a.shape[a2]!;
  const len = Math.max(0, offset >= 0 ? Math.min(n1, n2 - offset) : Math.min(n1 + offset, n2));
  const shape = [...a.shape.filter((_, i) => i !== a1 && i !== a2), len];
  const strides = [...a.strides.filter((_, i) => i !== a1 && i !== a2), a.strides[a1]! + a.strides[a2]!];
  const start = len === 0 ? 0 : offset >= 0 ? offset * a.strides[a2]! : -offset * a.strides[a1]!;
  return new NDArray(a.data, a.dtype, shape, strides, a.offset + start);
}

/** `axes` of {@link tensordot}: a count N (last N of a with first N of b) or the two axis lists. */
export type TensordotAxes = number | readonly [number | readonly number[], number | readonly number[]];

/**
 * Sum of products over the given axes (NumPy's `tensordot`), as one matrix product.
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH when summed axes differ in length.
 * @example nd.tensordot(nd.ones([3, 4, 5]), nd.ones([4, 5, 2])).shape // [3, 2]
 */
export function tensordot(a: Operand, b: Operand, axes: TensordotAxes = 2): NDArray {
  const A = arr(a, 'a');
  const B = arr(b, 'b');
  let axA: number[];
  let axB: number[];
  if (typeof axes === 'number') {
    if (!Number.isInteger(axes) || axes < 0 || axes > A.ndim || axes > B.ndim) invalidValue('axes', `an integer in [0, ${Math.min(A.ndim, B.ndim)}]`, axes);
    axA = [...Array(axes).keys()].map((i) => A.ndim - axes + i);
    axB = [...Array(axes).keys()];
  } else {
    if (!Array.isArray(axes) || axes.length !== 2) invalidValue('axes', 'a number or a pair of axis lists', axes);
    const [x, y] = axes;
    axA = (typeof x === 'number' ? [x] : [...x]).map((v, i) => normalizeAxis(v, A.ndim, `axes[0][${i}]`));
    axB = (typeof y === 'number' ? [y] : [...y]).map((v, i) => normalizeAxis(v, B.ndim, `axes[1][${i}]`));
    if (axA.length !== axB.length) shapeError('tensordot: shape-mismatch for sum (the axis lists differ in length)');
  }
  axA.forEach((ax, i) => {
    if (A.shape[ax] !== B.shape[axB[i]!])
      shapeError(`tensordot: shape-mismatch for sum: a axis ${ax} has ${A.shape[ax]}, b axis ${axB[i]} has ${B.shape[axB[i]!]}`);
  });
  const freeA = [...A.shape.keys()].filter((i) => !axA.includes(i));
  const freeB = [...B.shape.keys()].filter((i) => !axB.includes(i));
  const K = prodOf(axA.map((i) => A.shape[i]!));
  const M = prodOf(freeA.map((i) => A.shape[i]!));
  const N = prodOf(freeB.map((i) => B.shape[i]!));
  const a2 = contiguous(A.transpose([...freeA, ...axA])).reshape([M, K]);
  const b2 = contiguous(B.transpose([...axB, ...freeB])).reshape([K, N]);
  return matmul(a2, b2).reshape([...freeA.map((i) => A.shape[i]!), ...freeB.map((i) => B.shape[i]!)]);
}

function contiguous(x: NDArray): NDArray {
  return x.flags.cContiguous ? x : x.copy();
}

/**
 * Inner product over the last axes (NumPy's `inner`); scalars multiply.
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH when the last axes differ.
 * @example nd.inner([1, 2, 3], [0, 1, 0]).item() // 2
 */
export function inner(a: Operand, b: Operand): NDArray {
  const A = arr(a, 'a');
  const B = arr(b, 'b');
  if (A.ndim === 0 || B.ndim === 0) return multiply(A, B);
  return tensordot(A, B, [[A.ndim - 1], [B.ndim - 1]]);
}

/**
 * Outer product of the flattened inputs: out[i, j] = a[i] * b[j].
 * @example nd.outer([1, 2], [1, 10]).toArray() // [[1, 10], [2, 20]]
 */
export function outer(a: Operand, b: Operand): NDArray {
  const A = arr(a, 'a').reshape([-1]);
  const B = arr(b, 'b').reshape([-1]);
  return multiply(A.reshape([A.size, 1]), B.reshape([1, B.size]));
}

/**
 * Kronecker product (NumPy's `kron`): blocks of b scaled by the elements of a.
 * @example nd.kron([1, 10], [1, 2]).toArray() // [1, 2, 10, 20]
 */
export function kron(a: Operand, b: Operand): NDArray {
  let A = arr(a, 'a');
  let B = arr(b, 'b');
  const nd = Math.max(A.ndim, B.ndim);
  A = A.reshape([...new Array<number>(nd - A.ndim).fill(1), ...A.shape]);
  B = B.reshape([...new Array<number>(nd - B.ndim).fill(1), ...B.shape]);
  const sa: number[] = [];
  const sb: number[] = [];
  for (let i = 0; i < nd; i++) {
    sa.push(A.shape[i]!, 1);
    sb.push(1, B.shape[i]!);
  }
  const r = multiply(A.reshape(sa), B.reshape(sb));
  return contiguous(r).reshape(A.shape.map((d, i) => d * B.shape[i]!));
}

/**
 * Dot product of the flattened inputs (a 0-d array); a complex `a` is conjugated first, as NumPy's.
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH when the sizes differ.
 * @example nd.vdot([[1, 2], [3, 4]], [[1, 1], [1, 1]]).item() // 10
 */
export function vdot(a: Operand, b: Operand): NDArray {
  const A = contiguous(arr(a, 'a')).reshape([-1]);
  const B = contiguous(arr(b, 'b')).reshape([-1]);
  if (A.size !== B.size) shapeError(`vdot: vectors have different lengths (${A.size} and ${B.size})`);
  return matmul(isComplex(A.dtype) ? conjugate(A) : A, B);
}

/** Options of {@link trace}. */
export interface TraceOptions {
  offset?: number;
  axis1?: number;
  axis2?: number;
  dtype?: DType;
}

/**
 * Sum along a diagonal (NumPy's `trace`, default axes 0 and 1).
 * @throws {NdshareRangeError} ERR_NDSHARE_OUT_OF_BOUNDS for bad axes; ndim < 2 is ERR_NDSHARE_INVALID_ARG_VALUE.
 * @example nd.trace(nd.eye(3)).item() // 3
 */
export function trace(a: Operand, options: TraceOptions = {}): NDArray {
  checkOptions(options, { fn: 'nd.trace', known: ['offset', 'axis1', 'axis2', 'dtype'] });
  const A = arr(a, 'a');
  if (A.ndim < 2) invalidValue('a', 'an array of at least 2 dimensions (diag requires an array of at least two dimensions)', A.ndim);
  const d = diagonalView(A, options.offset ?? 0, options.axis1 ?? 0, options.axis2 ?? 1);
  return sum(d, { axis: -1, ...(options.dtype ? { dtype: options.dtype } : {}) });
}

/**
 * The Array API `linalg.diagonal`: the diagonal of the last two axes (a copy).
 * @example nd.linalg.diagonal(nd.eye(2)).toArray() // [1, 1]
 */
export function diagonal(x: Operand, options: { offset?: number } = {}): NDArray {
  checkOptions(options, { fn: 'nd.linalg.diagonal', known: ['offset'] });
  const X = arr(x, 'x');
  if (X.ndim < 2) invalidValue('x', 'an array of at least 2 dimensions', X.ndim);
  return diagonalView(X, options.offset ?? 0, -2, -1).copy();
}

/**
 * The Array API `linalg.trace`: sums of the diagonals of the last two axes.
 * @example nd.linalg.trace(nd.ones([2, 3, 3])).toArray() // [3, 3]
 */
export function linalgTrace(x: Operand, options: { offset?: number; dtype?: DType } = {}): NDArray {
  checkOptions(options, { fn: 'nd.linalg.trace', known: ['offset', 'dtype'] });
  const X = arr(x, 'x');
  return trace(X, { offset: options.offset ?? 0, axis1: -2, axis2: -1, ...(options.dtype ? { dtype: options.dtype } : {}) });
}

/**
 * Swaps the last two axes (a view).
 * @throws {NdshareError} ERR_NDSHARE_INVALID_ARG_VALUE for ndim < 2.
 * @example nd.linalg.matrixTranspose(nd.ones([2, 3])).shape // [3, 2]
 */
export function matrixTranspose(x: Operand): NDArray {
  const X = arr(x, 'x');
  if (X.ndim < 2) invalidValue('x', 'an array of at least 2 dimensions', X.ndim);
  const p = [...X.shape.keys()];
  p[X.ndim - 2] = X.ndim - 1;
  p[X.ndim - 1] = X.ndim - 2;
  return X.transpose(p);
}

/**
 * Cross product of 3-element vectors along `axis` (the Array API `linalg.cross`; batch axes broadcast).
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH unless both have length 3 along axis.
 * @example nd.linalg.cross([1, 0, 0], [0, 1, 0]).toArray() // [0, 0, 1]
 */
export function cross(x1: Operand, x2: Operand, options: { axis?: number } = {}): NDArray {
  checkOptions(options, { fn: 'nd.linalg.cross', known: ['axis'] });
  const A = arr(x1, 'x1');
  const B = arr(x2, 'x2');
  const axA = normalizeAxis(options.axis ?? -1, A.ndim, 'options.axis');
  const axB = normalizeAxis(options.axis ?? -1, B.ndim, 'options.axis');
  if (A.shape[axA] !== 3 || B.shape[axB] !== 3) {
    shapeError(`cross: both inputs must have 3 elements along the axis (got ${A.shape[axA]} and ${B.shape[axB]})`);
  }
  const a = [0, 1, 2].map((k) => take(A, axA, k));
  const b = [0, 1, 2].map((k) => take(B, axB, k));
  const c0 = subtract(multiply(a[1]!, b[2]!), multiply(a[2]!, b[1]!));
  const c1 = subtract(multiply(a[2]!, b[0]!), multiply(a[0]!, b[2]!));
  const c2 = subtract(multiply(a[0]!, b[1]!), multiply(a[1]!, b[0]!));
  const out = new NDArray(new (c0.data.constructor as new (n: number) => typeof c0.data)(c0.size * 3), c0.dtype, [...c0.shape, 3]);
  take(out, out.ndim - 1, 0).assign(c0);
  take(out, out.ndim - 1, 1).assign(c1);
  take(out, out.ndim - 1, 2).assign(c2);
  // NumPy keeps the vector axis where it was (axis=-1 by default).
  const ax = options.axis === undefined ? out.ndim - 1 : normalizeAxis(options.axis, out.ndim, 'options.axis');
  if (ax === out.ndim - 1) return out;
  const perm = [...Array(out.ndim - 1).keys()];
  perm.splice(ax, 0, out.ndim - 1);
  return out.transpose(perm).copy();
}

/**
 * Dot product along `axis` (the Array API `vecdot`, batch axes broadcast); a complex `x1` is conjugated.
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH when the axis lengths differ.
 * @example nd.linalg.vecdot([[1, 2], [3, 4]], [1, 1]).toArray() // [3, 7]
 */
export function vecdot(x1: Operand, x2: Operand, options: { axis?: number } = {}): NDArray {
  checkOptions(options, { fn: 'nd.linalg.vecdot', known: ['axis'] });
  const A = arr(x1, 'x1');
  const B = arr(x2, 'x2');
  if (A.ndim === 0 || B.ndim === 0) throw new NdshareError('vecdot: inputs must have at least one dimension', { code: codes.SHAPE_MISMATCH });
  const axis = options.axis ?? -1;
  const la = A.shape[normalizeAxis(axis, A.ndim, 'options.axis')];
  const lb = B.shape[normalizeAxis(axis, B.ndim, 'options.axis')];
  if (la !== lb) shapeError(`vecdot: the axis lengths differ (${la} and ${lb})`);
  const t = promoteTypes(A.dtype, B.dtype);
  return sum(multiply(isComplex(A.dtype) ? conjugate(A) : A, B), { axis, dtype: t });
}
