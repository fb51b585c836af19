/**
 * Complex elements: the `{ re, im }` value JS code sees, reading one from
 * interleaved storage, and copies/casts where either side is complex.
 *
 * A complex array of shape S, element strides s and offset o over a
 * Float32Array/Float64Array `data` is, part by part, a float array over the
 * same `data` with strides 2s and offset 2o (+1 for the imaginary part); and
 * as a whole, a float array of shape [...S, 2] with strides [...2s, 1]. Every
 * complex copy and cast below is one of those views through the real copy
 * engine, so NumPy's cast rules are those of the float parts (complex -> real
 * keeps the real part and drops the imaginary one, as NumPy does, without its
 * ComplexWarning).
 *
 * @module
 */
import { invalidType } from '../errors.js';
import { converterOf, storerOf, stridedCopy, stridedFill, type Strided } from './cast.js';
import { isComplex, partDType, type Complex, type DType } from './dtypes.js';

/** A plain `{ re, im }` object with number parts (what `nd.complex` makes). */
export function isComplexValue(v: unknown): v is Complex {
  if (typeof v !== 'object' || v === null || Array.isArray(v) || ArrayBuffer.isView(v)) return false;
  const o = v as { re?: unknown; im?: unknown };
  return typeof o.re === 'number' && typeof o.im === 'number';
}

/**
 * A complex scalar `{ re, im }`, for `nd.array`, `nd.full`, `x.set`, `x.fill`
 * and the ufuncs (NumPy's Python `complex(re, im)`).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE when a part is not a number.
 * @example nd.array([nd.complex(1, 2), nd.complex(0, -1)]).dtype // 'complex128'
 */
export function complex(re: number, im = 0): Complex {
  if (typeof re !== 'number') invalidType('re', 'a number', re);
  if (typeof im !== 'number') invalidType('im', 'a number', im);
  return { re, im };
}

/** One part (0 real, 1 imaginary) of a complex strided operand, as a float strided operand. */
export function partOf(x: Strided, part: 0 | 1): Strided {
  return { data: x.data, strides: x.strides.map((s) => 2 * s), offset: 2 * x.offset + part };
}

/**
 * Copies `src` (dtype `from`) into `dst` (dtype `to`) over `shape`, where at
 * least one of the two is complex, with NumPy's cast results.
 */
export function complexCopy(dst: Strided, to: DType, src: Strided, from: DType, shape: readonly number[]): void {
  const pf = partDType(from);
  const pt = partDType(to);
  if (isComplex(from) && isComplex(to)) {
    const pairs = [...shape, 2];
    stridedCopy(
      { data: dst.data, strides: [...dst.strides.map((s) => 2 * s), 1], offset: 2 * dst.offset },
      { data: src.data, strides: [...src.strides.map((s) => 2 * s), 1], offset: 2 * src.offset },
      pairs,
      converterOf(pf, pt),
    );
  } else if (to === 'bool') {
    complexToBool(dst, src, shape);
  } else if (isComplex(from)) {
    stridedCopy(dst, partOf(src, 0), shape, converterOf(pf, to));
  } else {
    stridedCopy(partOf(dst, 0), src, shape, converterOf(from, pt));
    stridedFill(partOf(dst, 1), shape, 0);
  }
}

/** Fills a complex strided operand of dtype `to` with one value (a complex or a real scalar). */
export function complexFill(dst: Strided, to: DType, shape: readonly number[], value: Complex | number | bigint | boolean): void {
  const store = storerOf(partDType(to));
  const re = isComplexValue(value) ? value.re : value;
  const im = isComplexValue(value) ? value.im : 0;
  stridedFill(partOf(dst, 0), shape, store(re));
  stridedFill(partOf(dst, 1), shape, store(im));
}

/** complex -> bool is `re != 0 || im != 0` (NaN is true), as NumPy. */
function complexToBool(dst: Strided, src: Strided, shape: readonly number[]): void {
  const nd = shape.length;
  for (const d of shape) if (d === 0) return;
  const out = dst.data as Uint8Array;
  const s = src.data;
  const idx = new Array<number>(nd).fill(0);
  let dOff = dst.offset;
  let sOff = src.offset;
  for (;;) {
    const re = s[2 * sOff] as number;
    const im = s[2 * sOff + 1] as number;
    out[dOff] = re !== 0 || im !== 0 ? 1 : 0;
    let ax = nd - 1;
    for (; ax >= 0; ax--) {
      idx[ax]!++;
      dOff += dst.strides[ax]!;
      sOff += src.strides[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      dOff -= dst.strides[ax]! * shape[ax]!;
      sOff -= src.strides[ax]! * shape[ax]!;
      idx[ax] = 0;
    }
    if (ax < 0) return;
  }
}
