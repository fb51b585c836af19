/**
 * The complex helpers: real and imaginary parts (views, as NumPy's `.real`
 * and `.imag`), angle, the complex/real predicates and realIfClose. Real
 * inputs get NumPy's real-input results.
 *
 * @module
 */
import { invalidType } from '../errors.js';
import { finfo, isComplex, partDType } from '../ndarray/dtypes.js';
import { NDArray } from '../ndarray/ndarray.js';
import { arctan2, multiply, notEqual, equal, abs, less } from './elementwise.js';
import { emptyArray, toArray, type Operand } from './ufunc.js';
import { all } from './reduce.js';

/** The part (0 real, 1 imaginary) of a complex array as a float view over the same memory. */
function partView(a: NDArray, part: 0 | 1): NDArray {
  return new NDArray(
    a.data,
    partDType(a.dtype),
    a.shape,
    a.strides.map((s) => 2 * s),
    2 * a.offset + part,
    { base: a, writeable: a.flags.writeable },
  );
}

/**
 * The real part: a float32/float64 view of a complex array's real parts (writes go
 * through, as NumPy's `x.real`); the array itself for a real array.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for an operand that is not array-like.
 * @example nd.real(nd.array([nd.complex(1, 2)])).toArray() // [1]
 */
export function real(x: Operand): NDArray {
  const a = toArray(x, 'x');
  return isComplex(a.dtype) ? partView(a, 0) : a;
}

/**
 * The imaginary part: a float view of a complex array's imaginary parts; zeros of
 * x's dtype and shape for a real array (a new array, as NumPy's read-only zeros).
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for an operand that is not array-like.
 * @example nd.imag(nd.array([nd.complex(1, 2)])).toArray() // [2]
 */
export function imag(x: Operand): NDArray {
  const a = toArray(x, 'x');
  return isComplex(a.dtype) ? partView(a, 1) : emptyArray(a.dtype, a.shape).fill(0);
}

/**
 * The angle (argument) of each element, arctan2(imag, real), in radians or in
 * degrees with `deg`; for real input 0 for x >= 0 and pi for x < 0 or -0.
 * @example nd.angle(nd.array([nd.complex(0, 1)])).toArray() // [1.5707963267948966]
 */
export function angle(x: Operand, deg = false): NDArray {
  const a = toArray(x, 'x');
  const r = isComplex(a.dtype) ? arctan2(partView(a, 1), partView(a, 0)) : arctan2(0, a);
  return deg ? multiply(r, 180 / Math.PI) : r;
}

/**
 * True where the imaginary part is not zero (false everywhere for a real array).
 * @example nd.iscomplex(nd.array([nd.complex(1, 0), nd.complex(1, 2)])).toArray() // [false, true]
 */
export function iscomplex(x: Operand): NDArray {
  const a = toArray(x, 'x');
  return isComplex(a.dtype) ? notEqual(partView(a, 1), 0) : emptyArray('bool', a.shape).fill(false);
}

/**
 * True where the imaginary part is zero (true everywhere for a real array).
 * @example nd.isreal(nd.array([nd.complex(1, 0), nd.complex(1, 2)])).toArray() // [true, false]
 */
export function isreal(x: Operand): NDArray {
  const a = toArray(x, 'x');
  return isComplex(a.dtype) ? equal(partView(a, 1), 0) : emptyArray('bool', a.shape).fill(true);
}

/**
 * Whether x has a complex dtype (complex64, complex128).
 * @example nd.iscomplexobj(nd.zeros([1], { dtype: 'complex64' })) // true
 */
export function iscomplexobj(x: Operand): boolean {
  return isComplex(toArray(x, 'x').dtype);
}

/**
 * Whether x has a real (non-complex) dtype.
 * @example nd.isrealobj(nd.array([1])) // true
 */
export function isrealobj(x: Operand): boolean {
  return !iscomplexobj(x);
}

/**
 * The real part (a copy) when every imaginary part is below `tol` (in machine
 * epsilons of the part dtype when `tol` > 1, as NumPy's `real_if_close`), else x.
 * @throws {NdshareTypeError} ERR_NDSHARE_INVALID_ARG_TYPE for a `tol` that is not a number.
 * @example nd.realIfClose(nd.array([nd.complex(2, 1e-16)])).dtype // 'float64'
 */
export function realIfClose(x: Operand, tol = 100): NDArray {
  if (typeof tol !== 'number') invalidType('tol', 'a number', tol);
  const a = toArray(x, 'x');
  if (!isComplex(a.dtype)) return a;
  const bound = tol > 1 ? finfo(a.dtype).eps * tol : tol;
  return all(less(abs(partView(a, 1)), bound)).item() === true ? partView(a, 0).copy() : a;
}
