/**
 * NumPy-like text for arrays (`array([[1, 2], [3, 4]], dtype=float64)`),
 * summarized beyond 1000 elements.
 *
 * @module
 */
import { elementAt, type Scalar } from './cast.js';
import type { Complex } from './dtypes.js';
import type { DType, TypedArray } from './dtypes.js';

/** What formatting reads of an array. */
interface Formattable {
  readonly dtype: DType;
  readonly data: TypedArray;
  readonly shape: readonly number[];
  readonly strides: readonly number[];
  readonly offset: number;
  readonly size: number;
  readonly ndim: number;
}

export function formatScalar(v: Scalar): string {
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'bigint') return v.toString();
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(8)));
}

/** A complex element as NumPy writes it in an array: `1+2j`, `0-1j`, `nan+infj`. */
export function formatComplex(v: Complex): string {
  const im = Object.is(v.im, -0) ? '-0' : formatScalar(v.im);
  const sign = im.startsWith('-') ? '' : '+';
  return `${formatScalar(v.re)}${sign}${im}j`;
}

function formatElement(v: Scalar | Complex): string {
  return typeof v === 'object' ? formatComplex(v) : formatScalar(v);
}

export function formatElements(x: Formattable): string {
  const edge = x.size > 1000 ? 3 : Infinity;
  const build = (axis: number, p: number): string => {
    if (axis === x.ndim) return formatElement(elementAt(x.dtype, x.data, p));
    const d = x.shape[axis]!;
    const s = x.strides[axis]!;
    const parts: string[] = [];
    for (let i = 0; i < d; i++) {
      if (d > 2 * edge && i === edge) {
        parts.push('...');
        i = d - edge - 1;
        continue;
      }
      parts.push(build(axis + 1, p + i * s));
    }
    return `[${parts.join(', ')}]`;
  };
  return build(0, x.offset);
}
