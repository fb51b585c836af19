/**
 * Covariance and correlation matrices (NumPy's `np.cov`, `np.corrcoef`):
 * centre the variables (rows, or columns with `rowvar: false`), then one
 * matrix product `X · (X·w)ᵀ` on the GEMM path of `matmul`, scaled by
 * 1 / (N - ddof) or its weighted form.
 *
 * @module
 */
import { NdshareError, NdshareRangeError, NdshareTypeError, codes, invalidType } from '../errors.js';
import { dtypeInfo, isComplex, type DType } from '../ndarray/dtypes.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { arrayArg, boolArg, newArray, optionsArg, valueError, type Operand } from '../sorting/common.js';
import { clip } from '../math/selection.js';
import { divide, less, multiply, notEqual, rint, sqrt, subtract } from '../math/elementwise.js';
import { matmul } from '../math/linalg.js';
import { conjugate } from '../math/elementwise-more.js';
import { imag, real } from '../math/complex-parts.js';
import { any, mean, sum } from '../math/reduce.js';
import { concatenate } from '../math/shaping.js';
import { promoteAll } from '../math/promote.js';
import { scalarArray } from '../math/ufunc.js';

/** Options of {@link cov}. */
export interface CovOptions {
  /** A second set of variables, stacked after those of m. */
  y?: Operand | null;
  /** Each row is a variable (default true); false: each column is. */
  rowvar?: boolean;
  /** Normalize by N (true) instead of N - 1. Ignored when ddof is given. */
  bias?: boolean;
  /** Delta degrees of freedom (an integer); overrides bias. */
  ddof?: number | null;
  /** Integer frequency weights, one per observation. */
  fweights?: Operand | null;
  /** Observation (reliability) weights, one per observation. */
  aweights?: Operand | null;
  /** The dtype to compute in (default: the promotion of the inputs with float64). */
  dtype?: DType | null;
}

/** Options of {@link corrcoef}. */
export interface CorrcoefOptions {
  y?: Operand | null;
  rowvar?: boolean;
  dtype?: DType | null;
}

/** A 1-D weight vector of float64 for X's n observations (NumPy's checks, in its order). */
function weights(v: Operand, n: number, name: 'fweights' | 'aweights'): NDArray {
  const w = arrayArg(v, `options.${name}`).astype('float64');
  if (name === 'fweights' && any(notEqual(w, rint(w))).item() === true) {
    throw new NdshareTypeError('fweights must be integer (options.fweights)', { code: codes.INVALID_ARG_TYPE });
  }
  if (w.ndim > 1) throw new NdshareError(`cannot handle multidimensional ${name} (options.${name})`, { code: codes.SHAPE_MISMATCH });
  const len = w.ndim === 0 ? 1 : w.shape[0]!;
  if (w.ndim === 0 || len !== n) {
    throw new NdshareError(`incompatible numbers of samples and ${name}: ${n} samples, ${w.ndim === 0 ? 'a scalar' : len} (options.${name})`, {
      code: codes.SHAPE_MISMATCH,
    });
  }
  if (any(less(w, 0)).item() === true) valueError(`${name} cannot be negative (options.${name})`);
  return w;
}

/** A 2-D matrix of variables from m or y (ndmin=2, transposed for rowvar false as NumPy does). */
function variables(v: NDArray, dtype: DType, rowvar: boolean, arg: string, isY: boolean): NDArray {
  if (v.ndim > 2) valueError(`${arg} has more than 2 dimensions`);
  let x = v.astype(dtype);
  if (x.ndim < 2) x = x.reshape(x.ndim === 0 ? [1, 1] : [1, x.shape[0]!]);
  if (!rowvar && (isY ? x.shape[0] !== 1 : v.ndim !== 1)) x = x.T;
  return x;
}

/**
 * The covariance matrix of the variables in `m` (and `y`), NumPy's `np.cov`:
 * rows are variables and columns observations (`rowvar: false` swaps them);
 * weights by frequency (`fweights`) and reliability (`aweights`). The result
 * is squeezed: one variable gives a 0-d array. Degrees of freedom <= 0 give
 * Inf/NaN (NumPy warns; ndshare has no warnings).
 * @throws {NdshareRangeError} ERR_NDSHARE_INVALID_ARG_VALUE for inputs of more than 2 dimensions, a
 *   non-integer ddof, negative weights or weights that sum to zero.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for non-integer fweights.
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH for weights that are not one per observation.
 * @example nd.cov([[0, 1, 2], [2, 1, 0]]).toArray() // [[1, -1], [-1, 1]]
 */
export function cov(m: Operand, options?: CovOptions): NDArray {
  const o = optionsArg(options, ['y', 'rowvar', 'bias', 'ddof', 'fweights', 'aweights', 'dtype'], 'cov');
  let ddof: number | undefined;
  if (o.ddof !== undefined && o.ddof !== null) {
    if (typeof o.ddof !== 'number' || !Number.isInteger(o.ddof)) {
      if (typeof o.ddof === 'number') valueError(`ddof must be integer (options.ddof): ${o.ddof}`);
      invalidType('options.ddof', 'an integer', o.ddof);
    }
    ddof = o.ddof;
  }
  const rowvar = boolArg(o.rowvar, 'options.rowvar', true);
  const bias = boolArg(o.bias, 'options.bias', false);
  const mArr = arrayArg(m, 'm');
  if (mArr.ndim > 2) valueError('m has more than 2 dimensions');
  const yArr = o.y === undefined || o.y === null ? undefined : arrayArg(o.y, 'options.y');
  if (yArr && yArr.ndim > 2) valueError('y has more than 2 dimensions (options.y)');
  const dtype: DType =
    o.dtype !== undefined && o.dtype !== null ? dtypeInfo(o.dtype, 'options.dtype').name : promoteAll([mArr.dtype, ...(yArr ? [yArr.dtype] : []), 'float64']);
  let X = variables(mArr, dtype, rowvar, 'm', false);
  if (X.shape[0] === 0) return newArray('float64', [0, 0]);
  if (yArr) X = concatenate([X, variables(yArr, dtype, rowvar, 'y', true)], { axis: 0 });
  if (ddof === undefined) ddof = bias ? 0 : 1;
  const n = X.shape[1]!;
  let w: NDArray | undefined;
  let aw: NDArray | undefined;
  if (o.fweights !== undefined && o.fweights !== null) w = weights(o.fweights, n, 'fweights');
  if (o.aweights !== undefined && o.aweights !== null) {
    aw = weights(o.aweights, n, 'aweights');
    w = w === undefined ? aw : multiply(w, aw);
  }
  let avg: NDArray;
  let wSum: number;
  if (w === undefined) {
    avg = mean(X, { axis: 1 });
    wSum = n;
  } else {
    const rt = promoteAll([dtype, 'float64']);
    const s = sum(w, { dtype: rt });
    wSum = Number(real(s).item()); // the weights are real (a complex rt only widens their sum's dtype)
    if (wSum === 0) throw new NdshareRangeError("Weights sum to zero, can't be normalized (options.fweights/aweights)", { code: codes.INVALID_ARG_VALUE });
    avg = divide(sum(multiply(X, w, { dtype: rt }), { axis: 1, dtype: rt }), s);
  }
  let fact: number;
  if (w === undefined) fact = n - ddof;
  else if (ddof === 0) fact = wSum;
  else if (aw === undefined) fact = wSum - ddof;
  else fact = wSum - (ddof * Number(sum(multiply(w, aw)).item())) / wSum;
  if (fact <= 0) fact = 0;
  // X -= avg[:, None], in X's dtype (NumPy's in-place subtract).
  const Xc = subtract(X, avg.reshape([avg.size, 1]), { dtype: X.dtype });
  const XT = w === undefined ? Xc.T : multiply(Xc, w).T;
  // NumPy's dot(X, X_T.conj()): the conjugate transpose for complex variables.
  let c = matmul(Xc, isComplex(XT.dtype) ? conjugate(XT) : XT);
  // c *= np.true_divide(1, fact): a float64 scalar, the product cast back to c's dtype.
  const scale = multiply(c, scalarArray(1 / fact, 'float64'));
  c = scale.dtype === c.dtype ? scale : scale.astype(c.dtype);
  return c.squeeze();
}

/**
 * Pearson correlation coefficients (NumPy's `np.corrcoef`): the covariance
 * matrix normalized by the standard deviations, clipped to [-1, 1].
 * @throws as {@link cov}.
 * @example nd.corrcoef([[0, 1, 2], [2, 1, 0]]).toArray() // [[1, -1], [-1, 1]]
 */
export function corrcoef(x: Operand, options?: CorrcoefOptions): NDArray {
  const o = optionsArg(options, ['y', 'rowvar', 'dtype'], 'corrcoef');
  const c = cov(x, {
    ...(o.y !== undefined ? { y: o.y } : {}),
    ...(o.rowvar !== undefined ? { rowvar: o.rowvar } : {}),
    ...(o.dtype ? { dtype: o.dtype } : {}),
  });
  if (c.ndim !== 2) return divide(c, c);
  const k = c.shape[0]!;
  const d = c.reshape([k * k]).slice(`::${k + 1}`);
  const sd = sqrt(real(d));
  let r = divide(c, sd.reshape([k, 1]));
  r = divide(r, sd.reshape([1, k]));
  if (!isComplex(r.dtype)) return clip(r, -1, 1);
  // NumPy clips the real and the imaginary parts each to [-1, 1].
  for (const part of [real(r), imag(r)]) clip(part, -1, 1, { out: part });
  return r;
}
