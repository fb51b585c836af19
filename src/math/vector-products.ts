/**
 * Vector products: `cross` (NumPy's `np.cross`, 2- and 3-vectors along any
 * axes) and NumPy 2's generalized ufuncs `vecdot` `(n),(n)->()`, `matvec`
 * `(m,n),(n)->(m)` and `vecmat` `(n),(n,m)->(m)`: core axes last (or where
 * `axes`/`axis` put them), leading axes broadcast, the products run on the
 * batched `matmul` path.
 *
 * @module
 */
import { NdshareError, NdshareTypeError, codes, invalidType } from '../errors.js';
import { dtypeInfo, isComplex, type DType } from '../ndarray/dtypes.js';
import { broadcastShapes, normalizeAxis } from '../ndarray/layout.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { arrayArg, intoOut, optionsArg, valueError, type Operand } from '../sorting/common.js';
import { logicalAnd, multiply, negative, subtract } from './elementwise.js';
import { conjugate } from './elementwise-more.js';
import { matmul } from './linalg.js';
import { canCastSameKind, promoteTypes } from './promote.js';
import { any } from './reduce.js';
import { emptyArray } from './ufunc.js';

/** Options of {@link cross}. */
export interface CrossOptions {
  /** Axis of a holding the vectors (default -1). */
  axisa?: number;
  /** Axis of b holding the vectors (default -1). */
  axisb?: number;
  /** Axis of the result holding the vectors (default -1; 3-vector results only). */
  axisc?: number;
  /** Overrides axisa, axisb and axisc. */
  axis?: number | null;
}

/** `x` with axis `from` moved last. */
function toLast(x: NDArray, from: number): NDArray {
  if (from === x.ndim - 1) return x;
  const perm: number[] = [];
  for (let i = 0; i < x.ndim; i++) if (i !== from) perm.push(i);
  perm.push(from);
  return x.transpose(perm);
}

/** `x` with its last axis moved to `to`. */
function fromLast(x: NDArray, to: number): NDArray {
  const last = x.ndim - 1;
  if (to === last) return x;
  const perm: number[] = [];
  for (let i = 0; i < last; i++) perm.push(i);
  perm.splice(to, 0, last);
  return x.transpose(perm);
}

function comp(x: NDArray, i: number): NDArray {
  const idx: (string | number)[] = new Array<string | number>(x.ndim).fill(':');
  idx[x.ndim - 1] = i;
  return x.slice(...idx);
}

/**
 * The cross product of vectors in `a` and `b` (NumPy's `np.cross`): 3-vectors
 * give 3-vectors (placed on `axisc`); a 2-vector counts as one with z = 0; two
 * 2-vectors give the z component only (NumPy 2 deprecates 2-vectors but still
 * computes them). The leading axes broadcast.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a 0-d input or a vector length other than 2 or 3;
 *   ERR_NDSHARE_OUT_OF_BOUNDS for an axis outside its array.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for bool vectors (NumPy cannot subtract booleans).
 * @example nd.cross([1, 0, 0], [0, 1, 0]).toArray() // [0, 0, 1]
 */
export function cross(a: Operand, b: Operand, options?: CrossOptions): NDArray {
  const o = optionsArg(options, ['axisa', 'axisb', 'axisc', 'axis'], 'cross');
  let A = arrayArg(a, 'a');
  let B = arrayArg(b, 'b');
  const axisOpt = o.axis === undefined || o.axis === null ? undefined : o.axis;
  const axisa = axisOpt ?? o.axisa ?? -1;
  const axisb = axisOpt ?? o.axisb ?? -1;
  const axisc = axisOpt ?? o.axisc ?? -1;
  if (A.ndim < 1 || B.ndim < 1) valueError('At least one array has zero dimension (a or b is 0-d)');
  A = toLast(A, normalizeAxis(axisa, A.ndim, axisOpt !== undefined ? 'options.axis' : 'options.axisa'));
  B = toLast(B, normalizeAxis(axisb, B.ndim, axisOpt !== undefined ? 'options.axis' : 'options.axisb'));
  const na = A.shape[A.ndim - 1]!;
  const nb = B.shape[B.ndim - 1]!;
  if ((na !== 2 && na !== 3) || (nb !== 2 && nb !== 3)) {
    valueError(`incompatible dimensions for cross product (dimension must be 2 or 3): a has ${na}, b has ${nb}`);
  }
  let shape = broadcastShapes(A.shape.slice(0, -1), B.shape.slice(0, -1));
  let c = axisc;
  if (na === 3 || nb === 3) {
    shape = [...shape, 3];
    c = normalizeAxis(axisc, shape.length, axisOpt !== undefined ? 'options.axis' : 'options.axisc');
  }
  const t = promoteTypes(A.dtype, B.dtype);
  A = A.dtype === t ? A : A.astype(t);
  B = B.dtype === t ? B : B.astype(t);
  const [a0, a1] = [comp(A, 0), comp(A, 1)];
  const [b0, b1] = [comp(B, 0), comp(B, 1)];
  // z = a0 b1 - a1 b0 in every case.
  const z = subtract(multiply(a0, b1), multiply(a1, b0));
  if (na === 2 && nb === 2) return z.ndim === shape.length ? z : z.broadcastTo(shape).copy();
  const cp = emptyArray(t, shape);
  let x: NDArray;
  let y: NDArray;
  if (na === 3 && nb === 3) {
    const a2 = comp(A, 2);
    const b2 = comp(B, 2);
    x = subtract(multiply(a1, b2), multiply(a2, b1));
    y = subtract(multiply(a2, b0), multiply(a0, b2));
  } else if (na === 2) {
    const b2 = comp(B, 2);
    x = multiply(a1, b2);
    y = negative(multiply(a0, b2));
  } else {
    const a2 = comp(A, 2);
    x = negative(multiply(a2, b1));
    y = multiply(a2, b0);
  }
  comp(cp, 0).assign(x);
  comp(cp, 1).assign(y);
  comp(cp, 2).assign(z);
  return fromLast(cp, c);
}

/** Options of the vector gufuncs. */
export interface GufuncOptions {
  /** Core axes per operand (and the output), NumPy's `axes`: one list per operand of its core axes (an int for one). */
  axes?: readonly (number | readonly number[])[];
  /** Where to write the result. */
  out?: NDArray | null;
  /** The dtype to compute in (the inputs cast to it 'same_kind'). */
  dtype?: DType | null;
}

/** Options of {@link vecdot}: also `axis`, the core axis of both inputs. */
export interface VecdotOptions extends GufuncOptions {
  axis?: number;
}

type Core = { name: string; sig: string; cores: number[] };

/** Moves each operand's core axes (from `axes`, default the last ones) last; returns the operands and the output's core axis order. */
function coreOperands(
  spec: Core,
  xs: NDArray[],
  axes: readonly (number | readonly number[])[] | undefined,
  outCore: number,
): [NDArray[], number[] | undefined] {
  const moved = xs.map((x, k) => {
    const nc = spec.cores[k]!;
    if (x.ndim < nc) {
      valueError(`${spec.name}: Input operand ${k} does not have enough dimensions (has ${x.ndim}, gufunc core with signature ${spec.sig} requires ${nc})`);
    }
    if (axes === undefined) return x;
    const entry = axes[k];
    const list = typeof entry === 'number' ? [entry] : entry === undefined ? [] : [...entry];
    if (list.length !== nc) valueError(`${spec.name}: options.axes[${k}] should have ${nc} core axes, got ${list.length}`);
    const core = list.map((a, i) => normalizeAxis(a, x.ndim, `options.axes[${k}][${i}]`));
    if (new Set(core).size !== core.length) valueError(`${spec.name}: repeated axis in options.axes[${k}]`);
    const perm = [...Array(x.ndim).keys()].filter((i) => !core.includes(i)).concat(core);
    return x.transpose(perm);
  });
  let outAxes: number[] | undefined;
  if (axes !== undefined) {
    const entry = axes[xs.length];
    if (axes.length > xs.length + 1 || (outCore === 0 && entry !== undefined && (typeof entry === 'number' || entry.length !== 0))) {
      valueError(`${spec.name}: options.axes should be a list with an entry per operand (${xs.length}${outCore ? ' + the output' : ''})`);
    }
    if (outCore > 0) {
      if (entry === undefined) valueError(`${spec.name}: options.axes needs an entry for the output`);
      outAxes = typeof entry === 'number' ? [entry] : [...entry];
    }
  }
  return [moved, outAxes];
}

/** The common dtype (or options.dtype) and the inputs cast to it. */
function castAll(name: string, xs: NDArray[], dtype: DType | null | undefined): NDArray[] {
  let t = promoteTypes(xs[0]!.dtype, xs[1]!.dtype);
  if (dtype !== undefined && dtype !== null) {
    const d = dtypeInfo(dtype, 'options.dtype').name;
    if (!canCastSameKind(t, d)) {
      throw new NdshareTypeError(`${name}: cannot cast the inputs from ${t} to ${d} with casting rule 'same_kind' (options.dtype)`, { code: codes.DTYPE });
    }
    t = d;
  }
  return xs.map((x) => (x.dtype === t ? x : x.astype(t)));
}

function finish(r: NDArray, outAxes: number[] | undefined, out: unknown): NDArray {
  let res = r;
  if (outAxes !== undefined) {
    const to = normalizeAxis(outAxes[0]!, r.ndim, 'options.axes[-1][0]');
    res = fromLast(r, to);
  }
  return intoOut(res, out === null ? undefined : out);
}

function checkCore(name: string, k: number, got: number, want: number, sig: string): void {
  if (got !== want) {
    throw new NdshareError(`${name}: Input operand ${k} has a mismatch in its core dimension (size ${got} is different from ${want}; signature ${sig})`, {
      code: codes.SHAPE_MISMATCH,
    });
  }
}

/**
 * The vector dot product along the last axis (NumPy 2's `np.vecdot`,
 * `(n),(n)->()`): `sum(x1 * x2)` over the core axis, the other axes broadcast.
 * A complex x1 is conjugated (`sum(conj(x1) * x2)`, as NumPy); bool gives "any product true".
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH for core dimensions of different lengths;
 *   ERR_NDSHARE_BROADCAST for batch shapes that do not broadcast.
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for a 0-d input or bad axes.
 * @example nd.vecdot([[1, 2], [3, 4]], [1, 1]).toArray() // [3, 7]
 */
export function vecdot(x1: Operand, x2: Operand, options?: VecdotOptions): NDArray {
  const o = optionsArg(options, ['axes', 'axis', 'out', 'dtype'], 'vecdot');
  const spec: Core = { name: 'vecdot', sig: '(n),(n)->()', cores: [1, 1] };
  if (o.axes !== undefined && o.axis !== undefined) {
    throw new NdshareTypeError('vecdot: cannot specify both options.axis and options.axes', { code: codes.INVALID_ARG_VALUE });
  }
  if (o.axis !== undefined && typeof o.axis !== 'number') invalidType('options.axis', 'an integer', o.axis);
  const axes = o.axis !== undefined ? [[o.axis], [o.axis]] : o.axes;
  const xs = [arrayArg(x1, 'x1'), arrayArg(x2, 'x2')];
  const [moved] = coreOperands(spec, xs, axes, 0);
  let [a, b] = castAll('vecdot', moved, o.dtype);
  checkCore('vecdot', 1, b!.shape[b!.ndim - 1]!, a!.shape[a!.ndim - 1]!, spec.sig);
  if (isComplex(a!.dtype)) a = conjugate(a!);
  let r: NDArray;
  if (a!.dtype === 'bool') r = any(logicalAnd(a!, b!), { axis: -1 });
  else {
    a = a!.reshape([...a!.shape.slice(0, -1), 1, a!.shape[a!.ndim - 1]!]);
    b = b!.reshape([...b!.shape, 1]);
    r = matmul(a, b);
    r = r.reshape(r.shape.slice(0, -2));
  }
  return finish(r, undefined, o.out);
}

/**
 * The matrix-vector product (NumPy 2's `np.matvec`, `(m,n),(n)->(m)`):
 * `x1 @ x2` over the last two axes of x1 and the last of x2, the other axes
 * broadcast.
 * @throws as {@link vecdot}.
 * @example nd.matvec([[1, 2], [3, 4]], [1, 1]).toArray() // [3, 7]
 */
export function matvec(x1: Operand, x2: Operand, options?: GufuncOptions): NDArray {
  const o = optionsArg(options, ['axes', 'out', 'dtype'], 'matvec');
  const spec: Core = { name: 'matvec', sig: '(m,n),(n)->(m)', cores: [2, 1] };
  const [moved, outAxes] = coreOperands(spec, [arrayArg(x1, 'x1'), arrayArg(x2, 'x2')], o.axes, 1);
  const [a, b] = castAll('matvec', moved, o.dtype);
  checkCore('matvec', 1, b!.shape[b!.ndim - 1]!, a!.shape[a!.ndim - 1]!, spec.sig);
  const r = matmul(a!, b!.reshape([...b!.shape, 1]));
  return finish(r.reshape(r.shape.slice(0, -1)), outAxes, o.out);
}

/**
 * The vector-matrix product (NumPy 2's `np.vecmat`, `(n),(n,m)->(m)`; a complex x1 is conjugated):
 * `x1 @ x2` over the last axis of x1 and the last two of x2, the other axes
 * broadcast.
 * @throws as {@link vecdot}.
 * @example nd.vecmat([1, 1], [[1, 2], [3, 4]]).toArray() // [4, 6]
 */
export function vecmat(x1: Operand, x2: Operand, options?: GufuncOptions): NDArray {
  const o = optionsArg(options, ['axes', 'out', 'dtype'], 'vecmat');
  const spec: Core = { name: 'vecmat', sig: '(n),(n,m)->(m)', cores: [1, 2] };
  const [moved, outAxes] = coreOperands(spec, [arrayArg(x1, 'x1'), arrayArg(x2, 'x2')], o.axes, 1);
  const [a0, b] = castAll('vecmat', moved, o.dtype);
  checkCore('vecmat', 1, b!.shape[b!.ndim - 2]!, a0!.shape[a0!.ndim - 1]!, spec.sig);
  const a = isComplex(a0!.dtype) ? conjugate(a0!) : a0!;
  const r = matmul(a.reshape([...a!.shape.slice(0, -1), 1, a!.shape[a!.ndim - 1]!]), b!);
  const s = r.shape;
  return finish(r.reshape([...s.slice(0, -2), s[s.length - 1]!]), outAxes, o.out);
}
