/**
 * Eigenvalues and right eigenvectors of general (non-symmetric) real matrices:
 * NumPy's `linalg.eig` and `linalg.eigvals`, batched over leading axes.
 * Hessenberg reduction + Francis double-shift QR give the real Schur form
 * A = Z T Zᵀ; eigenvectors come from back substitution on T (as LAPACK's
 * dtrevc) and Z, normalized as dgeev does (unit 2-norm, largest component real).
 * As in NumPy the results are real when every eigenvalue is real and complex
 * otherwise (float32 input: float32/complex64).
 *
 * @module
 */
import { NDArray } from '../ndarray/ndarray.js';
import { isComplex } from '../ndarray/dtypes.js';
import type { Operand } from '../math/ufunc.js';
import { arr, assertFinite, batchOf, checkStack, f64, fromF64, kernel, linalgError, prodOf, resultDType } from './core.js';
import { zeig } from './complex-spectral.js';

/** NumPy's `EigResult`. */
export interface EigResult {
  eigenvalues: NDArray;
  eigenvectors: NDArray;
}

interface Spectra {
  batch: number[];
  n: number;
  wr: Float64Array;
  wi: Float64Array;
  /** Packed eigenvectors (dgeev's VR), one n x n per matrix; absent for eigvals. */
  vr?: Float64Array;
  real: 'float32' | 'float64';
}

function spectra(fn: string, a: Operand, vectors: boolean): Spectra {
  const A = arr(a, 'a');
  checkStack(fn, A, true);
  const n = A.shape[A.ndim - 1]!;
  const batch = batchOf(A);
  const count = prodOf(batch);
  const buf = f64(A);
  assertFinite(fn, buf);
  const wr = new Float64Array(count * n);
  const wi = new Float64Array(count * n);
  const vr = vectors ? new Float64Array(count * n * n) : undefined;
  const z = vectors ? new Float64Array(n * n) : undefined;
  for (let b = 0; b < count && n > 0; b++) {
    const m = buf.subarray(b * n * n, (b + 1) * n * n);
    const w = [wr.subarray(b * n, (b + 1) * n), wi.subarray(b * n, (b + 1) * n)];
    const r = vr ? kernel('eigv', [m, w[0]!, w[1]!, z!, vr.subarray(b * n * n, (b + 1) * n * n)], [n]) : kernel('eig', [m, w[0]!, w[1]!], [n]);
    if (r !== 0) linalgError('Eigenvalues did not converge');
  }
  return { batch, n, wr, wi, vr, real: resultDType(A.dtype) };
}

function complexOf(real: 'float32' | 'float64'): 'complex64' | 'complex128' {
  return real === 'float32' ? 'complex64' : 'complex128';
}

/** (wr, wi) as NumPy's eigenvalue array: real when every wi is 0, complex otherwise. */
function values(s: Spectra): NDArray {
  const shape = [...s.batch, s.n];
  if (!s.wi.some((v) => v !== 0)) return fromF64(s.wr, shape, s.real);
  const out = new Float64Array(2 * s.wr.length);
  for (let i = 0; i < s.wr.length; i++) {
    out[2 * i] = s.wr[i]!;
    out[2 * i + 1] = s.wi[i]!;
  }
  const w = new NDArray(out, 'complex128', shape);
  return s.real === 'float32' ? w.astype('complex64') : w;
}

/** The packed VR as NumPy's eigenvector array (columns are the vectors). */
function vectorsOf(s: Spectra): NDArray {
  const { n } = s;
  const vr = s.vr!;
  const shape = [...s.batch, n, n];
  if (!s.wi.some((v) => v !== 0)) return fromF64(vr, shape, s.real);
  const out = new Float64Array(2 * vr.length);
  const count = prodOf(s.batch);
  for (let b = 0; b < count; b++) {
    const base = b * n * n;
    const wi = s.wi.subarray(b * n, (b + 1) * n);
    for (let p = 0; p < n; p++) {
      for (let r = 0; r < n; r++) {
        const at = 2 * (base + r * n + p);
        if (wi[p]! > 0) {
          out[at] = vr[base + r * n + p]!;
          out[at + 1] = vr[base + r * n + p + 1]!;
        } else if (wi[p]! < 0) {
          out[at] = vr[base + r * n + p - 1]!;
          out[at + 1] = -vr[base + r * n + p]!;
        } else {
          out[at] = vr[base + r * n + p]!;
        }
      }
    }
  }
  const v = new NDArray(out, 'complex128', shape);
  return s.real === 'float32' ? v.astype(complexOf(s.real)) : v;
}

/**
 * Eigenvalues and right eigenvectors of every square matrix of a stack (NumPy's `linalg.eig`):
 * `eigenvectors[..., :, i]` belongs to `eigenvalues[..., i]`. Real when every eigenvalue is
 * real, complex otherwise. Each vector has unit norm; a vector is defined up to a unit factor,
 * which may differ from NumPy's.
 * @throws {NdshareError} ERR_NDSHARE_LINALG for a non-square stack, Inf/NaN, or no convergence.
 * Complex input gives complex eigenvalues and vectors (Hessenberg + shifted QR, as zgeev).
 * @example nd.linalg.eig([[0, -1], [1, 0]]).eigenvalues.toString() // 'array([0.+1.j, 0.-1.j])'
 */
export function eig(a: Operand): EigResult {
  const A = arr(a, 'a');
  if (isComplex(A.dtype)) {
    checkStack('eig', A, true);
    const r = zeig('eig', A, true);
    return { eigenvalues: r.eigenvalues, eigenvectors: r.eigenvectors! };
  }
  const s = spectra('eig', A, true);
  return { eigenvalues: values(s), eigenvectors: vectorsOf(s) };
}

/**
 * Eigenvalues of every square matrix of a stack, in the order of the diagonal of the real
 * Schur form (as LAPACK's), real when all are real, complex otherwise (NumPy's `linalg.eigvals`).
 * @throws as {@link eig}.
 * @example nd.linalg.eigvals([[2, 0], [0, 3]]).toArray() // [2, 3]
 */
export function eigvals(a: Operand): NDArray {
  const A = arr(a, 'a');
  if (isComplex(A.dtype)) {
    checkStack('eigvals', A, true);
    return zeig('eigvals', A, false).eigenvalues;
  }
  return values(spectra('eigvals', A, false));
}
