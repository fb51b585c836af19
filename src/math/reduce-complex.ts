/**
 * sum, prod, mean, cumsum and cumprod of complex arrays. Sums and running
 * sums reduce the real and imaginary parts (float views) with the float
 * kernels, as NumPy's complex sum is a sum per part; products multiply in
 * order with NumPy's complex multiply (complex-mul.ts).
 *
 * @module
 */
import { allocUninit, partDType, type DType } from '../ndarray/dtypes.js';
import { normalizeAxes, normalizeAxis } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { complexMul } from './complex-mul.js';
import { real, imag } from './complex-parts.js';

/** A complex array of `dtype` from its real and imaginary parts (same shape). */
function fromParts(re: NDArray, im: NDArray, dtype: DType): NDArray {
  const out = new NDArray(allocUninit(dtype, re.size), dtype, re.shape);
  real(out).assign(re);
  imag(out).assign(im);
  return out;
}

/** Sum over `axis` of a complex array (per part with the float kernels). */
export function complexSum(
  x: NDArray,
  dtype: DType,
  axis: number | readonly number[] | null | undefined,
  keepdims: boolean | undefined,
  sum: (x: NDArray, o: { axis?: number | readonly number[] | null; keepdims?: boolean; dtype?: DType }) => NDArray,
): NDArray {
  const part = partDType(dtype);
  const o = { axis: axis ?? null, keepdims: keepdims ?? false, dtype: part };
  const c = x.dtype === dtype ? x : x.astype(dtype);
  return fromParts(sum(real(c), o), sum(imag(c), o), dtype);
}

/** Running sum along `axis` (flattened when null) of a complex array (per part). */
export function complexCumsum(
  x: NDArray,
  dtype: DType,
  axis: number | null | undefined,
  cumsum: (x: NDArray, o: { axis?: number | null; dtype?: DType }) => NDArray,
): NDArray {
  const part = partDType(dtype);
  const c = x.dtype === dtype ? x : x.astype(dtype);
  return fromParts(cumsum(real(c), { axis: axis ?? null, dtype: part }), cumsum(imag(c), { axis: axis ?? null, dtype: part }), dtype);
}

/** The reduced axes moved last, as [outer..., reduced...] C-contiguous copy, and the kept shape. */
function reducedLast(x: NDArray, flags: readonly boolean[]): { data: Float64Array; outer: number; count: number; kept: number[] } {
  const keep = [...x.shape.keys()].filter((i) => !flags[i]);
  const red = [...x.shape.keys()].filter((i) => flags[i]);
  const t = x.transpose([...keep, ...red]).copy();
  const count = red.reduce((n, i) => n * x.shape[i]!, 1);
  return {
    data: t.data as Float64Array,
    outer: count === 0 ? keep.reduce((n, i) => n * x.shape[i]!, 1) : t.size / count,
    count,
    kept: keep.map((i) => x.shape[i]!),
  };
}

/** Product over `axis` of a complex array, in order, with NumPy's complex multiply. */
export function complexProd(x: NDArray, dtype: DType, axis: number | readonly number[] | null | undefined, keepdims: boolean | undefined): NDArray {
  const c = x.dtype === dtype ? x : x.astype(dtype);
  const flags = new Array<boolean>(c.ndim).fill(axis === undefined || axis === null);
  if (axis !== undefined && axis !== null) for (const a of normalizeAxes(axis, c.ndim, 'options.axis')) flags[a] = true;
  const { data, outer, count, kept } = reducedLast(c, flags);
  const out = new NDArray(allocUninit(dtype, outer), dtype, kept);
  const o = out.data as Float64Array;
  const f = dtype === 'complex64' ? Math.fround : (v: number) => v;
  const acc = new Float64Array(2);
  for (let i = 0; i < outer; i++) {
    let re = 1;
    let im = 0;
    for (let k = 0, p = 2 * i * count; k < count; k++, p += 2) {
      complexMul(re, im, data[p]!, data[p + 1]!, acc, f);
      re = acc[0]!;
      im = acc[1]!;
    }
    o[2 * i] = re;
    o[2 * i + 1] = im;
  }
  return keepdims ? out.reshape(c.shape.map((d, i) => (flags[i] ? 1 : d))) : out;
}

/** Running product along `axis` (flattened when null) of a complex array. */
export function complexCumprod(x: NDArray, dtype: DType, axis: number | null | undefined): NDArray {
  const c0 = x.dtype === dtype ? x : x.astype(dtype);
  const c = axis === null || axis === undefined ? c0.flatten() : c0;
  const ax = axis === null || axis === undefined ? 0 : normalizeAxis(axis, c.ndim, 'options.axis');
  const perm = [...c.shape.keys()].filter((i) => i !== ax).concat([ax]);
  const t = c.transpose(perm).copy();
  const n = c.shape[ax] ?? 1;
  const d = t.data as Float64Array;
  const f = dtype === 'complex64' ? Math.fround : (v: number) => v;
  const acc = new Float64Array(2);
  for (let base = 0; base < t.size; base += n) {
    for (let k = 1; k < n; k++) {
      const p = 2 * (base + k);
      complexMul(d[p - 2]!, d[p - 1]!, d[p]!, d[p + 1]!, acc, f);
      d[p] = acc[0]!;
      d[p + 1] = acc[1]!;
    }
  }
  // Back to the input's axis order.
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return t.transpose(inv).copy();
}
