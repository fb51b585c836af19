// linalg: dense factorizations on contiguous row-major float64 matrices
// (one matrix per call; the TypeScript layer loops over batches and converts
// dtypes). The caller (linalg.cc) has checked every length. No LAPACK: the
// algorithms follow Golub & Van Loan (blocked LU/Cholesky/Householder QR with
// compact-WY block reflectors, Householder tridiagonalisation + implicit QL,
// Golub-Kahan bidiagonalisation + implicit-QR bidiagonal SVD (svd.cc), Hessenberg + Francis double-shift QR); trailing
// updates run on the matmul GEMM (kernels/matmul).
#ifndef NDSHARE_KERNELS_LINALG_FACTOR_H_
#define NDSHARE_KERNELS_LINALG_FACTOR_H_

#include <cstdint>
#include <vector>

namespace ndshare {
namespace kernels {
namespace linalg {

// LU with partial pivoting, in place: a = P L U (L unit lower). piv[i] = row
// swapped with row i (as doubles). Returns 0, or 1 + the first zero pivot.
int64_t Lu(double* a, int64_t n, double* piv);
// Solves (P L U) x = b for the n x nrhs row-major b, in place.
void LuSolve(const double* lu, const double* piv, int64_t n, double* b, int64_t nrhs);
// Lower Cholesky in place (upper triangle zeroed). 0, or 1 + the failing column.
int64_t Cholesky(double* a, int64_t n);
// Householder QR in place (R on and above the diagonal, reflectors below, v[0] = 1); tau has min(m, n).
void Qr(double* a, int64_t m, int64_t n, double* tau);
// q (m x mc, mc <= m) = the first mc columns of H_0 ... H_{k-1} from Qr's output.
void QrFormQ(const double* a, int64_t m, int64_t n, const double* tau, double* q, int64_t mc);
// Householder building blocks (factor.cc), shared by QR and the SVD (svd.cc):
// MakeReflector: reflector of x (length len, stride ld): x[0] becomes beta, x[1:] the vector (v[0] = 1); returns tau.
double MakeReflector(double* x, int64_t len, int64_t ld);
// PanelV: the dense (m - j0) x jb V of the reflectors stored in columns j0.. of the row-major a (m x n, stride n),
// vector j starting at row j (unit diagonal, zeros above).
void PanelV(const double* a, int64_t m, int64_t n, int64_t j0, int64_t jb, std::vector<double>* v);
// PanelT: upper-triangular T (jb x jb) with H_0 ... H_{jb-1} = I - V T V^T.
void PanelT(const std::vector<double>& v, int64_t rows, int64_t jb, const double* tau, std::vector<double>* t);
// ApplyBlock: C (rows x nc, row stride ldc) = (I - V op(T) V^T) C, op(T) = T^T when trans.
void ApplyBlock(const std::vector<double>& v, const std::vector<double>& t, int64_t rows, int64_t jb, double* c,
                int64_t nc, int64_t ldc, bool trans);
// ApplyQ: C (rows x cols, row stride ldc) = H_0 ... H_{k-1} C for the reflectors stored in the columns of
// the row-major r (rows x k, row stride ldr; vector j has 1 at row j and r[j+1.., j] below), in blocks.
void ApplyQ(const double* r, int64_t rows, int64_t k, int64_t ldr, const double* tau, double* c, int64_t cols,
            int64_t ldc);
// Symmetric eigen: a (full symmetric) -> eigenvectors in columns when wantV; w ascending.
// Returns 0, or 1 when the QL iteration did not converge.
int64_t Eigh(double* a, int64_t n, double* w, bool wantV);
// SVD of the m x n a (m >= n): s descending (n); u (m x ucols, ucols = n or m) and vt (n x n) when wantUv.
// a is destroyed. Returns 0, or 1 when the bidiagonal QR did not converge (or a holds NaN/Inf).
int64_t Svd(double* a, int64_t m, int64_t n, double* s, double* u, int64_t ucols, double* vt, bool wantUv);
// The SVD of the upper bidiagonal B (d n, e n-1) by implicit QR (bidiag_qr.cc): d >= 0 descending on exit;
// when vt and ut are given (n x n row-major, identity on entry) they receive V_B^T and U_B^T. 0, or 1 on
// no convergence.
int64_t BidiagQr(int64_t n, double* d, double* e, double* vt, double* ut);
// Eigenvalues of a general matrix: wr + i wi, in the order of the diagonal of the real Schur
// form T, which a holds afterwards (quasi upper triangular: 1x1 and 2x2 blocks). With z
// (n x n), also the Schur vectors: A = Z T Z^T. Returns 0, or 1 on no convergence.
int64_t EigGeneral(double* a, int64_t n, double* wr, double* wi, double* schur = nullptr);
// Right eigenvectors from EigGeneral's T and Z, in LAPACK's packed real form (dgeev's VR): the
// column of a real eigenvalue is its vector; for a complex pair (wi[j] > 0, wi[j + 1] < 0)
// columns j and j + 1 hold the real and imaginary parts of the vector of wr[j] + i wi[j] (the
// partner's is its conjugate). Each vector has unit 2-norm and its largest component real.
// vr is n x n row-major.
void EigVectors(const double* t, const double* z, int64_t n, const double* wr, const double* wi, double* vr);

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_LINALG_FACTOR_H_
