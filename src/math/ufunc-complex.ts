/**
 * The complex loop family of the ufunc machinery (ufunc.ts): an op that
 * supports complex64/complex128 names a loop body in its `OpSpec.complex`
 * (complex-bodies.ts holds them, one per op, as NumPy/C99 define the
 * function); this module promotes, broadcasts, allocates or checks `out` and
 * runs the body over the strided N-d loop.
 *
 * A body reads one element per input as (re, im) doubles and writes its result
 * to `o[0]`, `o[1]`; `f` rounds to the loop's part precision (Math.fround for
 * complex64, identity for complex128), so that a complex64 body rounds where
 * NumPy's float32 arithmetic rounds.
 *
 * @module
 */
import { NdshareError, NdshareTypeError, codes } from '../errors.js';
import { isComplexValue } from '../ndarray/complex.js';
import { allocUninit, dtypeInfo, isComplex, partDType, type Complex, type DType } from '../ndarray/dtypes.js';
import { broadcastShapes, broadcastStrides, contiguousStrides, sizeOf } from '../ndarray/layout.js';
import { NDArray } from '../ndarray/ndarray.js';
import { canCastSameKind, resultType, type ScalarOperand } from './promote.js';

/** Rounds a double to the loop's part precision. */
export type Round = (v: number) => number;

/** A complex loop body of one input. */
export type ComplexBody1 = (re: number, im: number, o: Float64Array, f: Round) => void;
/** A complex loop body of two inputs. */
export type ComplexBody2 = (ar: number, ai: number, br: number, bi: number, o: Float64Array, f: Round) => void;

/** The complex loop of an op: its body and what it returns (complex, the part dtype as `abs`, or bool as `equal`). */
export interface ComplexLoop {
  readonly body: ComplexBody1 | ComplexBody2;
  readonly result: 'complex' | 'real' | 'bool';
}

/** True when the complex loop of an op must run: a complex input, a complex scalar or a complex `dtype`. */
export function wantsComplex(inputs: readonly unknown[], dtype: unknown): boolean {
  if (typeof dtype === 'string' && (dtype === 'complex64' || dtype === 'complex128')) return true;
  return inputs.some((v) => isComplexValue(v) || (v instanceof NDArray && isComplex(v.dtype)));
}

const fround: Round = Math.fround;
const exact: Round = (v) => v;

/**
 * Runs `loop` of op `name` over `arrays` (undefined where the input is the
 * scalar of `scalars` at that position); `toArray` turns other operands into
 * arrays as the real path does.
 */
export function applyComplexUfunc(
  name: string,
  loop: ComplexLoop,
  inputs: readonly unknown[],
  names: readonly string[],
  toArray: (v: unknown, arg: string) => NDArray,
  options: { out?: NDArray; dtype?: DType } | undefined,
  checkOut: (out: unknown) => NDArray,
): NDArray {
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
  const requested = options?.dtype === undefined ? undefined : dtypeInfo(options.dtype, 'options.dtype').name;
  if (requested !== undefined) {
    if (!isComplex(requested)) throw new NdshareTypeError(`${name} has no ${requested} loop for complex inputs (options.dtype)`, { code: codes.DTYPE });
    if (!canCastSameKind(t, requested)) {
      throw new NdshareTypeError(`Cannot cast the inputs of ${name} from ${t} to ${requested} with casting rule 'same_kind' (options.dtype)`, {
        code: codes.DTYPE,
      });
    }
    t = requested;
  }
  const ct: DType = isComplex(t) ? t : t === 'float64' || dtypeInfo(t).kind !== 'f' ? 'complex128' : 'complex64';
  const ops = arrays.map((a, i) => {
    if (a !== undefined) return a.dtype === ct ? a : a.astype(ct);
    return new NDArray(allocUninit(ct, 1), ct, []).fill(inputs[i] as ScalarOperand | Complex);
  });
  const resultDType: DType = loop.result === 'bool' ? 'bool' : loop.result === 'real' ? partDType(ct) : ct;
  let out = options?.out;
  let shape: number[];
  if (out !== undefined) {
    out = checkOut(out);
    shape = broadcastShapes(...ops.map((o) => o.shape), out.shape);
    if (shape.length !== out.ndim || shape.some((d, i) => d !== out!.shape[i])) {
      throw new NdshareError(`${name}: output of shape (${out.shape.join(', ')}) does not match the broadcast shape (${shape.join(', ')})`, {
        code: codes.BROADCAST,
      });
    }
    if (out.dtype !== resultDType && !canCastSameKind(resultDType, out.dtype)) {
      throw new NdshareTypeError(`Cannot cast the result of ${name} from ${resultDType} to ${out.dtype} (options.out) with casting rule 'same_kind'`, {
        code: codes.DTYPE,
      });
    }
  } else shape = broadcastShapes(...ops.map((o) => o.shape));
  const target = new NDArray(allocUninit(resultDType, sizeOf(shape)), resultDType, shape, contiguousStrides(shape));
  run(loop, ct === 'complex64' ? fround : exact, ops, target, shape);
  if (out !== undefined) {
    out.assign(target);
    return out;
  }
  return target;
}

/** The odometer over `shape`: inputs read as (re, im) pairs, the C-contiguous target written by kind. */
function run(loop: ComplexLoop, f: Round, ops: readonly NDArray[], target: NDArray, shape: readonly number[]): void {
  const n = sizeOf(shape);
  if (n === 0) return;
  const nd = shape.length;
  const strides = ops.map((o) => broadcastStrides(o.shape, o.strides, shape).map((s) => 2 * s));
  const datas = ops.map((o) => o.data as Float64Array);
  const pos = ops.map((o) => 2 * o.offset);
  const idx = new Array<number>(nd).fill(0);
  const o = new Float64Array(2);
  const out = target.data as Float64Array;
  const binary = ops.length === 2;
  const b1 = loop.body as ComplexBody1;
  const b2 = loop.body as ComplexBody2;
  const kind = loop.result === 'complex' ? 2 : 1;
  const a = datas[0]!;
  const b = datas[1] ?? a;
  for (let k = 0; k < n; k++) {
    const p = pos[0]!;
    if (binary) {
      const q = pos[1]!;
      b2(a[p]!, a[p + 1]!, b[q]!, b[q + 1]!, o, f);
    } else b1(a[p]!, a[p + 1]!, o, f);
    if (kind === 2) {
      out[2 * k] = o[0]!;
      out[2 * k + 1] = o[1]!;
    } else out[k] = o[0]!;
    // Advance the odometer over the inputs.
    for (let ax = nd - 1; ax >= 0; ax--) {
      idx[ax]!++;
      for (let i = 0; i < pos.length; i++) pos[i] = pos[i]! + strides[i]![ax]!;
      if (idx[ax]! < shape[ax]!) break;
      for (let i = 0; i < pos.length; i++) pos[i] = pos[i]! - strides[i]![ax]! * shape[ax]!;
      idx[ax] = 0;
    }
  }
}
