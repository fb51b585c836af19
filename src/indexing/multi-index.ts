/**
 * NumPy's multi-index routines: `ix_`, `ravel_multi_index` and `unravel_index`.
 *
 * @module
 */
import { NdshareRangeError, codes, invalidType, invalidValue } from '../errors.js';
import { checkShape, sizeOf } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import type { Operand } from '../math/ufunc.js';
import { maskCoordinates } from './advanced.js';
import { arr, checkMode, intIndex, type IndexMode } from './args.js';
import { int64Of, numbersOf } from './int64.js';
import { checkOptions } from '../validate.js';

/**
 * Open-mesh index arrays (NumPy's `ix_`): the i-th of n 1-D sequences gets
 * shape (1, …, len, …, 1); boolean sequences become their nonzero indices.
 * @example x.index(...nd.ix([0, 1], [2, 4])) // x[np.ix_([0, 1], [2, 4])]
 */
export function ix(...args: Operand[]): NDArray[] {
  const n = args.length;
  return args.map((s, i) => {
    let a = arr(s, `args[${i}]`);
    if (a.ndim !== 1) invalidValue(`args[${i}]`, 'a 1-D sequence', a.shape);
    if (a.dtype === 'bool') a = int64Of(maskCoordinates(a)[0]!);
    else if (a.size === 0 || (a.dtype === 'float64' && !(s instanceof NDArray))) a = intIndex(a.size === 0 ? [] : s, `args[${i}]`);
    if (a.size === 0) a = new NDArray(new BigInt64Array(0), 'int64', [0]);
    if (!/^u?int/.test(a.dtype)) invalidType(`args[${i}]`, 'integer or boolean sequences', s);
    return a.reshape(Array.from({ length: n }, (_, k) => (k === i ? a.size : 1)));
  });
}

function orderOf(order: unknown): 'C' | 'F' {
  if (order === undefined) return 'C';
  if (order !== 'C' && order !== 'F') invalidValue('options.order', "'C' or 'F'", order);
  return order;
}

/**
 * Flat indices of multi-indices into an array of shape `dims` (NumPy's `ravel_multi_index`).
 * @example nd.ravelMultiIndex([[3, 6, 6], [4, 5, 1]], [7, 6]) // [22, 41, 37]
 */
export function ravelMultiIndex(
  multiIndex: readonly Operand[],
  dims: readonly number[],
  options?: { mode?: IndexMode | readonly IndexMode[]; order?: 'C' | 'F' },
): NDArray<'int64'> {
  checkOptions(options, { fn: 'nd.ravelMultiIndex', known: ['mode', 'order'] });
  const shape = checkShape(dims, 'dims');
  if (!Array.isArray(multiIndex) || multiIndex.length !== shape.length) {
    invalidValue('multiIndex', `a list of ${shape.length} index arrays`, multiIndex);
  }
  const order = orderOf(options?.order);
  const modes = shape.map((_, k) => checkMode(Array.isArray(options?.mode) ? options!.mode[k] : options?.mode, 'options.mode'));
  const idx = multiIndex.map((m, k) => intIndex(m, `multiIndex[${k}]`));
  const bshape = idx.reduce<number[]>((s, a) => (s.length >= a.ndim ? s : [...a.shape]), []);
  const vals = idx.map((a) => numbersOf(a.broadcastTo(bshape)));
  const n = sizeOf(bshape);
  const out = new Float64Array(n);
  const stridesC = shape.map((_, k) => shape.slice(order === 'C' ? k + 1 : 0, order === 'C' ? undefined : k).reduce((p, d) => p * d, 1));
  for (let i = 0; i < n; i++) {
    let f = 0;
    for (let k = 0; k < shape.length; k++) {
      let v = vals[k]![i]!;
      const d = shape[k]!;
      if (modes[k] === 'wrap') v = ((v % d) + d) % d;
      else if (modes[k] === 'clip') v = v < 0 ? 0 : v >= d ? d - 1 : v;
      else if (v < 0 || v >= d) throw new NdshareRangeError('invalid entry in coordinates array', { code: codes.OUT_OF_BOUNDS });
      f += v * stridesC[k]!;
    }
    out[i] = f;
  }
  return int64Of(out, bshape);
}

/**
 * The multi-indices of flat indices into an array of shape `shape` (NumPy's `unravel_index`).
 * @example nd.unravelIndex([22, 41, 37], [7, 6]) // [[3, 6, 6], [4, 5, 1]]
 */
export function unravelIndex(indices: Operand, shape: readonly number[], options?: { order?: 'C' | 'F' }): NDArray<'int64'>[] {
  checkOptions(options, { fn: 'nd.unravelIndex', known: ['order'] });
  const dims = checkShape(shape, 'shape');
  const order = orderOf(options?.order);
  const ind = intIndex(indices, 'indices');
  const v = numbersOf(ind);
  const size = sizeOf(dims);
  const outs = dims.map(() => new Float64Array(v.length));
  const axes = order === 'C' ? [...dims.keys()].reverse() : [...dims.keys()];
  for (let i = 0; i < v.length; i++) {
    let f = v[i]!;
    if (f < 0 || f >= size) throw new NdshareRangeError(`index ${f} is out of bounds for array with size ${size}`, { code: codes.OUT_OF_BOUNDS });
    for (const k of axes) {
      const d = dims[k]!;
      outs[k]![i] = f % d;
      f = Math.floor(f / d);
    }
  }
  return outs.map((o) => int64Of(o, ind.shape));
}
