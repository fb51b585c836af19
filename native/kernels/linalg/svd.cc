// linalg: real SVD through the standard reductions (see factor.h, Svd).
//
//   1. m much larger than n (m >= 11n/6, LAPACK's crossover): Householder QR
//      first (Qr), then the SVD of the n x n R, and U = Q [U_R 0; 0 I].
//   2. Householder bidiagonalisation A = Q B P^T, blocked as LAPACK's dgebrd:
//      a panel of kNb columns and rows is reduced with the trailing matrix
//      updated lazily (the X and Y matrices of dlabrd), then the trailing
//      matrix gets one rank-2kNb update on the GEMM. The panel's two
//      matrix-vector products (half of the flops) run on the linalg/vec
//      kernels, split over the pool when large (vec::kParallelMin).
//      A matrix far from 1 in scale is first scaled by a power of two.
//   3. The SVD of the upper bidiagonal B by implicit QR sweeps (bidiag_qr.cc; Demmel and
//      Kahan's dbdsqr algorithm): the zero-shift sweep whenever the shift
//      would spoil the relative accuracy of the smallest singular values,
//      Wilkinson-type shifts from the trailing 2x2 otherwise, chasing the
//      bulge towards the smaller end so graded matrices keep their tiny
//      values, and the relative convergence criterion of that paper. The
//      rotations are logged and applied to U_B^T and V_B^T (rows, so every
//      rotation is two contiguous rows) in one pass, strip by strip of
//      columns, split over the pool (rotlog.h).
//   4. Back-transformation: U = Q U_B and V = P V_B with compact-WY block
//      reflectors on the GEMM (factor.cc's ApplyQ).
// Divide and conquer for step 3 (LAPACK's dbdsdc, NumPy's gesdd) would put
// the vector work on the GEMM; the QR sweeps cost about 12n^3 flops of
// rotations, the main gap to NumPy left (docs/linalg.md).
// Without vectors only steps 1-3 run on d and e (O(n^2) after the reduction).
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/linalg/factor.h"
#include "kernels/linalg/gemm_call.h"
#include "kernels/linalg/rotlog.h"
#include "kernels/linalg/vec.h"
#include "kernels/parallel.h"

namespace ndshare {
namespace kernels {
namespace linalg {

namespace {

constexpr int64_t kNb = 32;          // panel width of the bidiagonalisation
constexpr int64_t kMinBlocked = 96;  // below this, no trailing GEMM update (panel only)

using Vec = std::vector<double>;
inline size_t Z(int64_t i) { return static_cast<size_t>(i); }

// ---- Householder bidiagonalisation ---------------------------------------------------------------

// Reduces the m x n a (m >= n, row stride lda) to upper bidiagonal d (n), e (n-1): a = Q B P^T. The
// reflectors of Q stay below the diagonal (tauq n), those of P right of the superdiagonal (taup n-1).
void Bidiagonalize(double* a, int64_t m, int64_t n, int64_t lda, double* d, double* e, double* tauq, double* taup) {
  Vec X, Y, tmp, t1, t2, big, lhs, rhs, col, u;
  const vec::Table* vt = vec::CurrentTable();
  for (int64_t p = 0; p < n; p += kNb) {
    const int64_t M = m - p, N = n - p;
    // The last panel (or a small matrix) is reduced whole, with no trailing update.
    const int64_t nb = (N <= kMinBlocked || N - kNb < 2) ? N : kNb;
    X.assign(Z(M * nb), 0.0);
    Y.assign(Z(N * nb), 0.0);
    t1.assign(Z(nb + 1), 0.0);
    t2.assign(Z(nb + 1), 0.0);
    auto A = [&](int64_t r, int64_t c) -> double& { return a[(p + r) * lda + p + c]; };
    auto Xr = [&](int64_t r) { return X.data() + r * nb; };
    auto Yr = [&](int64_t r) { return Y.data() + r * nb; };
    for (int64_t i = 0; i < nb; ++i) {
      // Column i of (A - U Y^T - X V^T), rows i..M-1: minus U(i:, :i) Y(i, :i)^T and X(i:, :i) V^T(:i, i).
      const int64_t mr = M - i;
      if (i > 0) {
        for (int64_t k = 0; k < i; ++k) t1[Z(k)] = A(k, i);  // V^T(k, i)
        col.resize(Z(2 * mr));
        vt->gemvn(&A(i, 0), lda, mr, i, Yr(i), col.data());
        vt->gemvn(Xr(i), nb, mr, i, t1.data(), col.data() + mr);
        for (int64_t r = 0; r < mr; ++r) A(i + r, i) -= col[Z(r)] + col[Z(mr + r)];
      }
      const double tq = MakeReflector(&A(i, i), mr, lda);
      tauq[p + i] = tq;
      d[p + i] = A(i, i);
      if (p + i + 1 >= n) continue;
      A(i, i) = 1.0;
      // y = tq (A - U Y^T - X V^T)^T u over columns i+1..N-1; u = A(i:M, i).
      const int64_t nc = N - i - 1;
      tmp.assign(Z(nc), 0.0);
      u.resize(Z(mr));
      for (int64_t r = 0; r < mr; ++r) u[Z(r)] = A(i + r, i);
      {
        const double* a0 = &A(i, i + 1);
        auto body = [&](int64_t j0, int64_t j1) { vt->gemvt(a0 + j0, lda, mr, j1 - j0, u.data(), tmp.data() + j0); };
        if (mr * nc >= vec::kParallelMin) parallel::For(nc, 128, body);
        else body(0, nc);
      }
      if (i > 0) {
        // t1 = U(i:, :i)^T u, t2 = X(i:, :i)^T u; y -= Y(i+1:, :i) t1 + V(i+1:, :i) t2.
        std::fill(t1.begin(), t1.end(), 0.0);
        std::fill(t2.begin(), t2.end(), 0.0);
        vt->gemvt(&A(i, 0), lda, mr, i, u.data(), t1.data());
        vt->gemvt(Xr(i), nb, mr, i, u.data(), t2.data());
        col.resize(Z(nc));
        vt->gemvn(Yr(i + 1), nb, nc, i, t1.data(), col.data());
        for (int64_t k = 0; k < i; ++k) t2[Z(k)] = -t2[Z(k)];
        for (int64_t j = 0; j < nc; ++j) tmp[Z(j)] -= col[Z(j)];
        vt->gemvt(&A(0, i + 1), lda, i, nc, t2.data(), tmp.data());
      }
      for (int64_t j = 0; j < nc; ++j) Yr(i + 1 + j)[i] = tq * tmp[Z(j)];
      // Row i of (A - U Y^T - X V^T), columns i+1..N-1 (U now includes column i):
      // minus Y(i+1:, :i+1) U(i, :i+1)^T and V(i+1:, :i) X(i, :i)^T.
      {
        double* ai = &A(i, i + 1);
        col.resize(Z(nc));
        vt->gemvn(Yr(i + 1), nb, nc, i + 1, &A(i, 0), col.data());
        for (int64_t j = 0; j < nc; ++j) ai[j] -= col[Z(j)];
        if (i > 0) {
          for (int64_t k = 0; k < i; ++k) t2[Z(k)] = -Xr(i)[k];
          vt->gemvt(&A(0, i + 1), lda, i, nc, t2.data(), ai);
        }
      }
      const double tp = MakeReflector(&A(i, i + 1), nc, 1);
      taup[p + i] = tp;
      e[p + i] = A(i, i + 1);
      A(i, i + 1) = 1.0;
      // x = tp (A - U Y^T - X V^T) v over rows i+1..M-1; v = A(i, i+1:N).
      const int64_t nr = M - i - 1;
      if (nr <= 0) continue;
      const double* v = &A(i, i + 1);
      col.resize(Z(3 * nr));
      {
        const double* a0 = &A(i + 1, i + 1);
        auto body = [&](int64_t r0, int64_t r1) { vt->gemvn(a0 + r0 * lda, lda, r1 - r0, nc, v, col.data() + r0); };
        if (nr * nc >= vec::kParallelMin) parallel::For(nr, 32, body);
        else body(0, nr);
      }
      // t1 = Y(i+1:, :i+1)^T v, t2 = V^T(:i, i+1:) v; x -= U(i+1:, :i+1) t1 + X(i+1:, :i) t2.
      std::fill(t1.begin(), t1.end(), 0.0);
      vt->gemvt(Yr(i + 1), nb, nc, i + 1, v, t1.data());
      vt->gemvn(&A(i + 1, 0), lda, nr, i + 1, t1.data(), col.data() + nr);
      if (i > 0) {
        vt->gemvn(&A(0, i + 1), lda, i, nc, v, t2.data());
        vt->gemvn(Xr(i + 1), nb, nr, i, t2.data(), col.data() + 2 * nr);
      } else {
        std::fill(col.begin() + 2 * nr, col.end(), 0.0);
      }
      for (int64_t r = 0; r < nr; ++r) Xr(i + 1 + r)[i] = tp * (col[Z(r)] - col[Z(nr + r)] - col[Z(2 * nr + r)]);
    }
    if (nb == N) {
      // Whole rest reduced: nothing trails; d and e already hold B.
      break;
    }
    // Trailing update: A22 -= U2 Y2^T + X2 V2^T as one GEMM of depth 2nb.
    const int64_t M2 = M - nb, N2 = N - nb;
    lhs.resize(Z(M2 * 2 * nb));
    rhs.resize(Z(2 * nb * N2));
    for (int64_t r = 0; r < M2; ++r) {
      const double* ar = &A(nb + r, 0);
      const double* xr = Xr(nb + r);
      double* out = lhs.data() + r * 2 * nb;
      std::copy(ar, ar + nb, out);
      std::copy(xr, xr + nb, out + nb);
    }
    for (int64_t k = 0; k < nb; ++k) {
      double* o1 = rhs.data() + k * N2;
      double* o2 = rhs.data() + (nb + k) * N2;
      for (int64_t j = 0; j < N2; ++j) o1[j] = Yr(nb + j)[k];
      const double* vk = &A(k, nb);
      std::copy(vk, vk + N2, o2);
    }
    big.resize(Z(M2 * N2));
    Gemm(M2, N2, 2 * nb, lhs.data(), 2 * nb, 1, rhs.data(), N2, 1, big.data(), N2, 1);
    for (int64_t r = 0; r < M2; ++r) {
      double* ar = &A(nb + r, nb);
      const double* br = big.data() + r * N2;
      for (int64_t j = 0; j < N2; ++j) ar[j] -= br[j];
    }
    // Restore the bidiagonal entries the panel had set to 1.
    for (int64_t k = 0; k < nb; ++k) {
      A(k, k) = d[p + k];
      if (p + k + 1 < n) A(k, k + 1) = e[p + k];
    }
  }
}

// SVD of the square-or-tall m x n a (m >= n) through bidiagonalisation; u (m x ucols), vt (n x n).
int64_t SvdBidiag(double* a, int64_t m, int64_t n, double* s, double* u, int64_t ucols, double* vt, bool wantUv) {
  Vec e(Z(std::max<int64_t>(n, 1))), tauq(Z(n)), taup(Z(std::max<int64_t>(n, 1)));
  Bidiagonalize(a, m, n, n, s, e.data(), tauq.data(), taup.data());
  if (!wantUv) return BidiagQr(n, s, e.data(), nullptr, nullptr);
  Vec vtb(Z(n * n), 0.0), utb(Z(n * n), 0.0);
  for (int64_t i = 0; i < n; ++i) vtb[Z(i * n + i)] = utb[Z(i * n + i)] = 1.0;
  if (BidiagQr(n, s, e.data(), vtb.data(), utb.data()) != 0) return 1;
  // U = Q [U_B 0; 0 I]: U_B = utb^T.
  for (int64_t i = 0; i < m; ++i) {
    double* ui = u + i * ucols;
    for (int64_t c = 0; c < ucols; ++c) ui[c] = (i >= n && i == c) ? 1.0 : 0.0;
    if (i < n)
      for (int64_t c = 0; c < n; ++c) ui[c] = utb[Z(c * n + i)];
  }
  ApplyQ(a, m, n, n, tauq.data(), u, ucols, ucols);
  // V = P V_B (P acts on rows 1..n-1): V_B = vtb^T; the reflectors of P sit in rows of a, so
  // pack them as the columns of an (n-1) x (n-1) matrix first.
  if (n > 1) {
    const int64_t q = n - 1;
    Vec pr(Z(q * q), 0.0);
    for (int64_t j = 0; j < q; ++j)
      for (int64_t r = j + 1; r < q; ++r) pr[Z(r * q + j)] = a[j * n + r + 1];
    Vec vb(Z(n * n));
    for (int64_t i = 0; i < n; ++i)
      for (int64_t c = 0; c < n; ++c) vb[Z(i * n + c)] = vtb[Z(c * n + i)];
    ApplyQ(pr.data(), q, q, q, taup.data(), vb.data() + n, n, n);
    for (int64_t i = 0; i < n; ++i)
      for (int64_t c = 0; c < n; ++c) vt[i * n + c] = vb[Z(c * n + i)];
  } else {
    vt[0] = vtb[0];
  }
  return 0;
}

int64_t SvdScaled(double* a, int64_t m, int64_t n, double* s, double* u, int64_t ucols, double* vt, bool wantUv);

}  // namespace

int64_t Svd(double* a, int64_t m, int64_t n, double* s, double* u, int64_t ucols, double* vt, bool wantUv) {
  if (n == 0) {
    if (wantUv) {
      for (int64_t i = 0; i < m; ++i)
        for (int64_t c = 0; c < ucols; ++c) u[i * ucols + c] = (i == c) ? 1.0 : 0.0;
    }
    return 0;
  }
  double amax = 0.0;
  for (int64_t i = 0; i < m * n; ++i) {
    if (!std::isfinite(a[i])) return 1;
    amax = std::max(amax, std::fabs(a[i]));
  }
  // As LAPACK's drivers: a matrix far from 1 in scale is scaled (by a power of two, exactly) so that
  // the convergence thresholds, which have an absolute floor near the underflow, keep their meaning.
  const int shift = (amax != 0.0 && (amax < 0x1p-500 || amax > 0x1p500)) ? -std::ilogb(amax) : 0;
  if (shift != 0)
    for (int64_t i = 0; i < m * n; ++i) a[i] = std::ldexp(a[i], shift);
  const int64_t r = SvdScaled(a, m, n, s, u, ucols, vt, wantUv);
  if (shift != 0)
    for (int64_t i = 0; i < n; ++i) s[i] = std::ldexp(s[i], -shift);
  return r;
}

namespace {

int64_t SvdScaled(double* a, int64_t m, int64_t n, double* s, double* u, int64_t ucols, double* vt, bool wantUv) {
  if (6 * m < 11 * n) return SvdBidiag(a, m, n, s, u, ucols, vt, wantUv);
  // Tall: A = Q R, then R = U_R S V^T.
  Vec tau(Z(n));
  Qr(a, m, n, tau.data());
  Vec r(Z(n * n), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t c = i; c < n; ++c) r[Z(i * n + c)] = a[i * n + c];
  if (!wantUv) return SvdBidiag(r.data(), n, n, s, nullptr, 0, nullptr, false);
  Vec ur(Z(n * n));
  if (SvdBidiag(r.data(), n, n, s, ur.data(), n, vt, true) != 0) return 1;
  for (int64_t i = 0; i < m; ++i) {
    double* ui = u + i * ucols;
    for (int64_t c = 0; c < ucols; ++c) ui[c] = (i >= n && i == c) ? 1.0 : 0.0;
    if (i < n) std::copy(ur.data() + i * n, ur.data() + (i + 1) * n, ui);
  }
  ApplyQ(a, m, n, n, tau.data(), u, ucols, ucols);
  return 0;
}

}  // namespace
}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare
