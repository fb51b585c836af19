/**
 * `np.interp` with complex `fp`: the real and imaginary parts interpolated
 * separately over the same (x, xp), as NumPy's complex loop does part by part
 * (its slope is `(fp[j+1] - fp[j]) * (1 / dx)` where the real loop divides,
 * so the two may differ in the last bit). The result is complex128; a NaN x
 * gives NaN + 0j, as NumPy's.
 *
 * @module
 */
import { NdshareTypeError, codes } from '../errors.js';
import { isComplexValue } from '../ndarray/complex.js';
import { allocUninit, type Complex } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { imag, real } from './complex-parts.js';
import { isnan } from './elementwise.js';
import { where } from './selection.js';

/** The real interpolation (interp.ts), passed in to keep the import one way. */
type RealInterp = (x: NDArray, xp: NDArray, fp: NDArray, options: { left?: number | null; right?: number | null; period?: number | null }) => NDArray;

/** A left/right value's part: a number is real, `{re, im}` gives its parts. */
function part(v: unknown, which: 're' | 'im'): number | null | undefined {
  if (isComplexValue(v)) return (v as Complex)[which];
  if (v === undefined || v === null) return v;
  return which === 're' ? (v as number) : 0;
}

/**
 * interp(x, xp, fp) for complex fp through `interpReal` per part.
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for complex x or xp (NumPy cannot cast them to float64 either).
 */
export function interpComplex(
  x: NDArray,
  xp: NDArray,
  fp: NDArray,
  o: { left?: unknown; right?: unknown; period?: number | null },
  interpReal: RealInterp,
): NDArray {
  for (const [a, name] of [
    [x, 'x'],
    [xp, 'xp'],
  ] as const) {
    if (a.dtype.startsWith('complex')) {
      throw new NdshareTypeError(`interp: cannot cast ${name} from ${a.dtype} to float64 with casting rule 'safe'`, { code: codes.DTYPE });
    }
  }
  const parts = (['re', 'im'] as const).map((w) =>
    interpReal(x, xp, (w === 're' ? real(fp) : imag(fp)).astype('float64'), {
      left: o.period == null ? part(o.left, w) : undefined,
      right: o.period == null ? part(o.right, w) : undefined,
      period: o.period,
    }),
  );
  const re = parts[0]!;
  const out = new NDArray(allocUninit('complex128', re.size), 'complex128', re.shape);
  real(out).assign(re);
  imag(out).assign(where(isnan(x), 0, parts[1]!));
  return out;
}
