// linalg on complex matrices: SVD by one-sided (Hestenes) Jacobi on the columns.
// Each pair (p, q) with g = a_p^H a_q is first made real by the phase of g on
// column q (absorbed into V the same way), then rotated as in the real method.
// Columns are kept as the rows of `at` so every inner loop is contiguous. The
// real SVD (svd.cc / eigen.cc) is a separate, faster algorithm; see complex.h.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "kernels/linalg/complex.h"

namespace ndshare {
namespace kernels {
namespace linalg {

namespace {
constexpr double kEps = std::numeric_limits<double>::epsilon();

double Norm2(const Cplx* x, int64_t n) {
  double scale = 0.0, ss = 1.0;
  for (int64_t i = 0; i < n; ++i) {
    for (double t : {x[i].real(), x[i].imag()}) {
      const double a = std::fabs(t);
      if (a == 0.0) continue;
      if (scale < a) { ss = 1.0 + ss * (scale / a) * (scale / a); scale = a; }
      else ss += (a / scale) * (a / scale);
    }
  }
  return scale * std::sqrt(ss);
}

// Fills the columns j of `cols` (each m long) with !filled[j] by unit vectors orthogonal to every filled one.
void Complete(std::vector<Cplx>* cols, int64_t m, std::vector<bool>* filled) {
  const int64_t want = static_cast<int64_t>(filled->size());
  std::vector<Cplx> cand(static_cast<size_t>(m)), pick(static_cast<size_t>(m));
  int64_t next = 0;
  for (int64_t j = 0; j < want; ++j) {
    if ((*filled)[static_cast<size_t>(j)]) continue;
    double best = -1.0;
    for (int64_t tries = 0; tries < m && best < 0.5; ++tries, next = (next + 1) % m) {
      std::fill(cand.begin(), cand.end(), Cplx(0.0, 0.0));
      cand[static_cast<size_t>(next)] = Cplx(1.0, 0.0);
      for (int pass = 0; pass < 2; ++pass) {
        for (int64_t c = 0; c < want; ++c) {
          if (!(*filled)[static_cast<size_t>(c)]) continue;
          const Cplx* u = cols->data() + c * m;
          Cplx d(0.0, 0.0);
          for (int64_t i = 0; i < m; ++i) d += MulConj(u[i], cand[static_cast<size_t>(i)]);
          for (int64_t i = 0; i < m; ++i) cand[static_cast<size_t>(i)] -= Mul(d, u[i]);
        }
      }
      const double nr = Norm2(cand.data(), m);
      if (nr > best) {
        best = nr;
        for (int64_t i = 0; i < m; ++i) pick[static_cast<size_t>(i)] = cand[static_cast<size_t>(i)] / nr;
      }
    }
    std::copy(pick.begin(), pick.end(), cols->begin() + j * m);
    (*filled)[static_cast<size_t>(j)] = true;
  }
}
}  // namespace

int64_t ZSvd(Cplx* a, int64_t m, int64_t n, double* s, Cplx* u, int64_t ucols, Cplx* vh, bool wantUv) {
  std::vector<Cplx> at(static_cast<size_t>(n * m)), vt;
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j) at[static_cast<size_t>(j * m + i)] = a[i * n + j];
  if (wantUv) {
    vt.assign(static_cast<size_t>(n * n), Cplx(0.0, 0.0));
    for (int64_t j = 0; j < n; ++j) vt[static_cast<size_t>(j * n + j)] = Cplx(1.0, 0.0);
  }
  std::vector<double> nrm(static_cast<size_t>(n));
  const double tol = kEps * std::sqrt(static_cast<double>(std::max<int64_t>(m, 1)));
  bool converged = n < 2;
  for (int sweep = 0; sweep < 80 && !converged; ++sweep) {
    for (int64_t j = 0; j < n; ++j) {
      const double t = Norm2(at.data() + j * m, m);
      nrm[static_cast<size_t>(j)] = t * t;
    }
    int64_t rotations = 0;
    for (int64_t p = 0; p + 1 < n; ++p) {
      for (int64_t q = p + 1; q < n; ++q) {
        Cplx* ap = at.data() + p * m;
        Cplx* aq = at.data() + q * m;
        const double alpha = nrm[static_cast<size_t>(p)], beta = nrm[static_cast<size_t>(q)];
        if (alpha == 0.0 || beta == 0.0) continue;
        Cplx g(0.0, 0.0);
        for (int64_t i = 0; i < m; ++i) g += MulConj(ap[i], aq[i]);
        const double ga = std::abs(g);
        if (!(ga > tol * std::sqrt(alpha) * std::sqrt(beta))) continue;
        ++rotations;
        const Cplx ph = std::conj(g) / ga;  // a_q' = ph a_q makes a_p^H a_q' = |g|
        const double zeta = (beta - alpha) / (2.0 * ga);
        const double t = std::copysign(1.0, zeta) / (std::fabs(zeta) + std::sqrt(1.0 + zeta * zeta));
        const double c = 1.0 / std::sqrt(1.0 + t * t), sn = c * t;
        for (int64_t i = 0; i < m; ++i) {
          const Cplx x = ap[i], y = Mul(ph, aq[i]);
          ap[i] = c * x - sn * y;
          aq[i] = sn * x + c * y;
        }
        if (wantUv) {
          Cplx* vp = vt.data() + p * n;
          Cplx* vq = vt.data() + q * n;
          for (int64_t i = 0; i < n; ++i) {
            const Cplx x = vp[i], y = Mul(ph, vq[i]);
            vp[i] = c * x - sn * y;
            vq[i] = sn * x + c * y;
          }
        }
        nrm[static_cast<size_t>(p)] = std::max(0.0, alpha - t * ga);
        nrm[static_cast<size_t>(q)] = beta + t * ga;
      }
    }
    converged = rotations == 0;
  }
  if (!converged) return 1;
  std::vector<double> sv(static_cast<size_t>(n));
  for (int64_t j = 0; j < n; ++j) sv[static_cast<size_t>(j)] = Norm2(at.data() + j * m, m);
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return sv[x] > sv[y]; });
  for (int64_t j = 0; j < n; ++j) s[j] = sv[static_cast<size_t>(order[static_cast<size_t>(j)])];
  if (!wantUv) return 0;
  // U's columns: a_j / s_j (exact zeros and the full-matrix columns completed orthonormally).
  std::vector<Cplx> uc(static_cast<size_t>(ucols * m), Cplx(0.0, 0.0));
  std::vector<bool> filled(static_cast<size_t>(ucols), false);
  for (int64_t j = 0; j < n; ++j) {
    const double sj = s[j];
    if (!(sj > 0.0)) continue;
    const Cplx* src = at.data() + order[static_cast<size_t>(j)] * m;
    for (int64_t i = 0; i < m; ++i) uc[static_cast<size_t>(j * m + i)] = src[i] / sj;
    filled[static_cast<size_t>(j)] = true;
  }
  Complete(&uc, m, &filled);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < ucols; ++j) u[i * ucols + j] = uc[static_cast<size_t>(j * m + i)];
  for (int64_t j = 0; j < n; ++j) {
    const Cplx* vj = vt.data() + order[static_cast<size_t>(j)] * n;
    for (int64_t i = 0; i < n; ++i) vh[j * n + i] = std::conj(vj[i]);
  }
  return 0;
}

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare
