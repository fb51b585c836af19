/**
 * The complex side of the ufunc machinery (ufunc.ts): NumPy's loop selection
 * for complex inputs. An op has complex loops when the addon's table has a
 * row for it (`NDSHARE_EW_COMPLEX_OPS` in native/kernels/elementwise/ops.h,
 * bodies in complex.inc); `math.opInfo[op].complex` says what that loop
 * returns. This module promotes the operands (NEP 50, `{re, im}` scalars weak),
 * applies `dtype`, and casts the operands to the complex loop dtype; ufunc.ts
 * broadcasts, checks `out` and runs the native loop as for real dtypes.
 *
 * @module
 */
import { native } from '../binding.js';
import { NdshareTypeError, codes } from '../errors.js';
import { isComplexValue } from '../ndarray/complex.js';
import { allocUninit, dtypeInfo, isComplex, partDType, type Complex, type DType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { canCastSameKind, resultType, type ScalarOperand } from './promote.js';

/** What an op's complex loop returns: complex, the part dtype (`abs`) or bool (`equal`). */
export type ComplexResult = 'complex' | 'real' | 'bool';

/** True when the complex loop of an op must run: a complex input, a complex scalar or a complex `dtype`. */
export function wantsComplex(inputs: readonly unknown[], dtype: unknown): boolean {
  if (typeof dtype === 'string' && (dtype === 'complex64' || dtype === 'complex128')) return true;
  return inputs.some((v) => isComplexValue(v) || (v instanceof NDArray && isComplex(v.dtype)));
}

/** The result kind of op `name`'s complex loop, or undefined when the addon has none. */
export function complexResult(name: string): ComplexResult | undefined {
  return native.math.opInfo[name]?.complex;
}

/** The loop dtype, the result dtype and the operands (cast to the loop dtype, scalars as 0-d arrays) of a complex call. */
export interface ComplexCall {
  readonly loop: DType;
  readonly resultDType: DType;
  readonly ops: NDArray[];
}

/**
 * Resolves a call of op `name` whose complex loop returns `result`: NEP 50
 * promotion of `inputs` (JS numbers and `{re, im}` weak), then `dtype`
 * ('same_kind'), then the complex dtype of the promoted one (complex128
 * always when `wide`: the op's real loops are float64 only, as floatPower's).
 * @throws {NdshareTypeError} ERR_NDSHARE_DTYPE for a real `dtype` or one the inputs cannot be cast to.
 */
export function resolveComplex(
  name: string,
  result: ComplexResult,
  inputs: readonly unknown[],
  names: readonly string[],
  toArray: (v: unknown, arg: string) => NDArray,
  dtype: DType | undefined,
  wide = false,
): ComplexCall {
  const strong: DType[] = [];
  const weak: (ScalarOperand | Complex)[] = [];
  const weakNames: string[] = [];
  const arrays = inputs.map((v, i) => {
    if (isComplexValue(v) || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
      weak.push(v);
      weakNames.push(names[i]!);
      return undefined;
    }
    const a = toArray(v, names[i]!);
    strong.push(a.dtype);
    return a;
  });
  let t = resultType(strong, weak, weakNames);
  const requested = dtype === undefined ? undefined : dtypeInfo(dtype, 'options.dtype').name;
  if (requested !== undefined) {
    if (!isComplex(requested)) throw new NdshareTypeError(`${name} has no ${requested} loop for complex inputs (options.dtype)`, { code: codes.DTYPE });
    if (!canCastSameKind(t, requested)) {
      throw new NdshareTypeError(`Cannot cast the inputs of ${name} from ${t} to ${requested} with casting rule 'same_kind' (options.dtype)`, {
        code: codes.DTYPE,
      });
    }
    t = requested;
  }
  const loop: DType = wide ? 'complex128' : isComplex(t) ? t : t === 'float64' || dtypeInfo(t).kind !== 'f' ? 'complex128' : 'complex64';
  const ops = arrays.map((a, i) => {
    if (a !== undefined) return a.dtype === loop ? a : a.astype(loop);
    return new NDArray(allocUninit(loop, 1), loop, []).fill(inputs[i] as ScalarOperand | Complex);
  });
  const resultDType: DType = result === 'bool' ? 'bool' : result === 'real' ? partDType(loop) : loop;
  return { loop, resultDType, ops };
}
