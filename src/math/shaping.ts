/**
 * Joining arrays: `concatenate` and `stack`, with NumPy's dtype promotion
 * across the inputs.
 *
 * @module
 */
import { NdshareError, NdshareTypeError, codes, invalidType } from '../errors.js';
import { dtypeInfo, type DType } from '../ndarray/dtypes.js';
import { normalizeAxis } from '../ndarray/layout.js';
import type { NDArray } from '../ndarray/ndarray.js';
import { canCastSameKind, promoteAll } from './promote.js';
import { emptyArray, toArray, type Operand } from './ufunc.js';
import { checkOptions } from '../validate.js';

/** Options of {@link concatenate}. */
export interface ConcatenateOptions {
  /** The axis to join along (negative counts from the end); null joins the flattened arrays. Default 0. */
  axis?: number | null;
  /** The result's dtype (default: the promoted dtype of the inputs). */
  dtype?: DType;
}

/** Options of {@link stack}. */
export interface StackOptions {
  /** Position of the new axis in the result (negative counts from the end). Default 0. */
  axis?: number;
  dtype?: DType;
}

function arraysOf(arrays: unknown, fn: string): NDArray[] {
  if (!Array.isArray(arrays)) invalidType('arrays', 'an array of arrays', arrays);
  if (arrays.length === 0) {
    throw new NdshareError(`${fn}: arrays must not be empty (need at least one array)`, { code: codes.INVALID_ARG_VALUE });
  }
  return arrays.map((a, i) => toArray(a, `arrays[${i}]`));
}

/**
 * Joins arrays along an existing axis. Shapes must agree except along `axis`.
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH when they do not, or an array is 0-d.
 * @example nd.concatenate([nd.zeros([2, 3]), nd.ones([1, 3])]).shape // [3, 3]
 */
export function concatenate(arrays: readonly Operand[], options?: ConcatenateOptions): NDArray {
  checkOptions(options, { fn: 'nd.concatenate', known: ['axis', 'dtype'] });
  let xs = arraysOf(arrays, 'concatenate');
  const axisOpt = options?.axis === undefined ? 0 : options.axis;
  if (axisOpt === null) xs = xs.map((x) => x.ravel());
  const first = xs[0]!;
  xs.forEach((x, i) => {
    if (x.ndim === 0) {
      throw new NdshareError(`concatenate: arrays[${i}] is 0-d; 0-d arrays cannot be concatenated`, { code: codes.SHAPE_MISMATCH });
    }
    if (x.ndim !== first.ndim) {
      throw new NdshareError(`concatenate: arrays[0] has ${first.ndim} dimension(s) but arrays[${i}] has ${x.ndim}`, { code: codes.SHAPE_MISMATCH });
    }
  });
  const axis = axisOpt === null ? 0 : normalizeAxis(axisOpt, first.ndim, 'options.axis');
  xs.forEach((x, i) => {
    x.shape.forEach((d, k) => {
      if (k !== axis && d !== first.shape[k]) {
        throw new NdshareError(`concatenate: along axis ${k}, arrays[0] has size ${first.shape[k]} but arrays[${i}] has size ${d}`, {
          code: codes.SHAPE_MISMATCH,
        });
      }
    });
  });
  let dtype: DType;
  if (options?.dtype !== undefined) {
    dtype = dtypeInfo(options.dtype, 'options.dtype').name;
    for (const [i, x] of xs.entries()) {
      if (!canCastSameKind(x.dtype, dtype)) {
        throw new NdshareTypeError(`concatenate: cannot cast arrays[${i}] from ${x.dtype} to ${dtype} (options.dtype) with casting rule 'same_kind'`, {
          code: codes.DTYPE,
        });
      }
    }
  } else {
    dtype = promoteAll(xs.map((x) => x.dtype));
  }
  const shape = [...first.shape];
  shape[axis] = xs.reduce((n, x) => n + x.shape[axis]!, 0);
  const out = emptyArray(dtype, shape);
  let at = 0;
  for (const x of xs) {
    const len = x.shape[axis]!;
    if (len > 0 && x.size > 0) {
      const idx: string[] = shape.map((_, k) => (k === axis ? `${at}:${at + len}` : ':'));
      out.slice(...idx).assign(x);
    }
    at += len;
  }
  return out;
}

/**
 * Joins arrays of one shape along a new axis.
 * @throws {NdshareError} ERR_NDSHARE_SHAPE_MISMATCH when the shapes differ.
 * @example nd.stack([nd.zeros([3]), nd.ones([3])], { axis: 1 }).shape // [3, 2]
 */
export function stack(arrays: readonly Operand[], options?: StackOptions): NDArray {
  checkOptions(options, { fn: 'nd.stack', known: ['axis', 'dtype'] });
  const xs = arraysOf(arrays, 'stack');
  const first = xs[0]!;
  xs.forEach((x, i) => {
    if (x.ndim !== first.ndim || x.shape.some((d, k) => d !== first.shape[k])) {
      throw new NdshareError(
        `stack: all arrays must have the same shape; arrays[0] has (${first.shape.join(', ')}) and arrays[${i}] has (${x.shape.join(', ')})`,
        { code: codes.SHAPE_MISMATCH },
      );
    }
  });
  const axis = normalizeAxis(options?.axis ?? 0, first.ndim + 1, 'options.axis');
  return concatenate(
    xs.map((x) => x.expandDims(axis)),
    { axis, ...(options?.dtype !== undefined ? { dtype: options.dtype } : {}) },
  );
}
