/**
 * `nd.linalg`: NumPy's numpy.linalg for real and complex dtypes (float32 stays float32,
 * complex64 complex64, other inputs compute in float64/complex128; complex
 * routines in ./complex*.ts), batched over leading axes, plus the Array
 * API members. The factorisations run in native/kernels/linalg (blocked LU,
 * Cholesky and Householder QR on the GEMM; tridiagonal QL eigen; SVD by
 * bidiagonalisation + implicit-QR sweeps; Hessenberg + Francis QR eigenvalues).
 *
 * @module
 */
export { solve, inv, det, slogdet, cholesky, qr, eigh, eigvalsh } from './decomp.js';
export { eig, eigvals, type EigResult } from './eig.js';
export type { SlogdetResult, CholeskyOptions, QrMode, QrResult, QrRaw, EighResult } from './decomp.js';
export { svd, svdvals, lstsq, pinv, matrixRank } from './spectral.js';
export type { SvdOptions, SvdResult, LstsqOptions, PinvOptions, MatrixRankOptions } from './spectral.js';
export { norm, vectorNorm, matrixNorm, cond, matrixPower, multiDot, tensorsolve, tensorinv } from './norms.js';
export type { NormOrd, NormOptions, VectorNormOptions, MatrixNormOptions } from './norms.js';
export { matmul } from '../math/linalg.js';
export { tensordot, outer, cross, vecdot, matrixTranspose, diagonal, linalgTrace as trace } from './products.js';
export { linalgTest as test } from '../testing.js';
