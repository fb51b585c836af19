// linalg on complex matrices: contiguous row-major complex128 (interleaved re, im
// doubles; std::complex<double> has that layout), one matrix per call, the
// TypeScript layer (src/linalg/complex*.ts) looping over batches. Lengths are
// checked by ComplexOp (complex_ops.cc) before any of these runs. Algorithms
// as LAPACK's z* drivers (zgetrf, zpotrf, zgeqrf/zungqr with zlarfg's
// reflectors, zhetrd + a real tridiagonal solver, zgehrd + single-shift QR +
// ztrevc), zgebd2 + the real SVD driver on the real bidiagonal; O(n^3)
// updates of LU run on the real GEMM through ZGemmSub.
#ifndef NDSHARE_KERNELS_LINALG_COMPLEX_H_
#define NDSHARE_KERNELS_LINALG_COMPLEX_H_

#include <complex>
#include <cstdint>
#include <string>
#include <vector>

namespace ndshare {
namespace kernels {
namespace linalg {

using Cplx = std::complex<double>;

// Products without the C99 Annex G slow path (inputs are finite or the result is NaN anyway).
inline Cplx Mul(Cplx a, Cplx b) {
  return {a.real() * b.real() - a.imag() * b.imag(), a.real() * b.imag() + a.imag() * b.real()};
}
inline Cplx MulConj(Cplx a, Cplx b) {  // conj(a) * b
  return {a.real() * b.real() + a.imag() * b.imag(), a.real() * b.imag() - a.imag() * b.real()};
}
// Smith's division.
Cplx Div(Cplx a, Cplx b);

// C (M x N) -= A (M x K) B (K x N), complex row-major with row strides (in complex elements).
void ZGemmSub(int64_t M, int64_t N, int64_t K, const Cplx* a, int64_t rsa, const Cplx* b, int64_t rsb, Cplx* c,
              int64_t rsc);

// W (M x N, contiguous) = V^H C, V (K x M) and C (K x N) with row strides: four real products of the parts.
void ZGemmAdjA(int64_t M, int64_t N, int64_t K, const Cplx* v, int64_t rsv, const Cplx* c, int64_t rsc, Cplx* w);

// LU with partial pivoting (|re| + |im| as zgetrf's izamax): 0, or 1 + the first zero pivot.
int64_t ZLu(Cplx* a, int64_t n, double* piv);
void ZLuSolve(const Cplx* lu, const double* piv, int64_t n, Cplx* b, int64_t nrhs);
// Lower Cholesky of a Hermitian matrix (the lower triangle read; upper zeroed): 0 or 1 + failing column.
int64_t ZCholesky(Cplx* a, int64_t n);
// Householder QR (zgeqrf's reflectors: H = I - tau v v^H, beta real); tau has min(m, n).
void ZQr(Cplx* a, int64_t m, int64_t n, Cplx* tau);
// q (m x mc) = the first mc columns of H_0 ... H_{k-1}.
void ZQrFormQ(const Cplx* a, int64_t m, int64_t n, const Cplx* tau, Cplx* q, int64_t mc);
// Hermitian eigen (the lower triangle read): w ascending; eigenvectors in the columns of a when wantV.
int64_t ZEigh(Cplx* a, int64_t n, double* w, bool wantV);
// General eigen: w (n), and when v, the right eigenvectors in its columns (unit norm, largest component real).
int64_t ZEig(Cplx* a, int64_t n, Cplx* w, Cplx* v);
// SVD of the m x n a (m >= n): s descending; u (m x ucols, ucols n or m), vh (n x n) when wantUv. a is destroyed.
int64_t ZSvd(Cplx* a, int64_t m, int64_t n, double* s, Cplx* u, int64_t ucols, Cplx* vh, bool wantUv);

// The complex ops of math.linalg ('z...'): false when `op` is not one. On a bad argument, *error is set.
bool ComplexOp(const std::string& op, const std::vector<int64_t>& dims, const std::vector<double*>& ptr,
               const std::vector<size_t>& len, int64_t* result, std::string* error);

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_LINALG_COMPLEX_H_
