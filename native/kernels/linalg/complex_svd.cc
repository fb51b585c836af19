// linalg on complex matrices: SVD. Householder bidiagonalisation (zgebd2, m >= n)
// gives A = Q B P^H with B REAL upper bidiagonal (zlarfg's betas are real); the
// real SVD driver (factor.h's Svd) factors B = Ub S Vbt; then U = Q Ub and
// Vh = Vbt P^H, the real-times-complex products on the GEMM. So the complex SVD
// runs on whatever the real driver is (see complex.h).
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/linalg/complex.h"
#include "kernels/linalg/complex_householder.h"
#include "kernels/linalg/factor.h"
#include "kernels/linalg/gemm_call.h"

namespace ndshare {
namespace kernels {
namespace linalg {

int64_t ZSvd(Cplx* a, int64_t m, int64_t n, double* s, Cplx* u, int64_t ucols, Cplx* vh, bool wantUv) {
  std::vector<Cplx> tauq(static_cast<size_t>(n), Cplx(0.0, 0.0)), taup(static_cast<size_t>(n), Cplx(0.0, 0.0));
  std::vector<Cplx> w(static_cast<size_t>(std::max(m, n)));
  std::vector<double> d(static_cast<size_t>(n)), e(static_cast<size_t>(n), 0.0);
  for (int64_t i = 0; i < n; ++i) {
    // Left: zero a[i+1:, i]; H^H applied to a[i:, i+1:].
    Cplx alpha = a[i * n + i];
    const Cplx tq = ZLarfg(m - i, &alpha, a + (i + 1) * n + i, n);
    tauq[static_cast<size_t>(i)] = tq;
    d[static_cast<size_t>(i)] = alpha.real();
    a[i * n + i] = Cplx(1.0, 0.0);
    if (tq != Cplx(0.0, 0.0) && i + 1 < n)
      ApplyLeft(a + i * n + i, n, m - i, a + i * n + i + 1, n, n - i - 1, std::conj(tq), w.data());
    a[i * n + i] = alpha;
    if (i + 1 >= n) continue;
    // Right: row i times H = (beta, 0, ...), from zlarfg on the conjugated row; H applied to a[i+1:, i+1:].
    Cplx* row = a + i * n + i + 1;
    for (int64_t j = 0; j < n - i - 1; ++j) row[j] = std::conj(row[j]);
    Cplx beta = row[0];
    const Cplx tp = ZLarfg(n - i - 1, &beta, row + 1, 1);
    taup[static_cast<size_t>(i)] = tp;
    e[static_cast<size_t>(i)] = beta.real();
    row[0] = Cplx(1.0, 0.0);
    if (tp != Cplx(0.0, 0.0) && i + 1 < m) ApplyRight(row, 1, n - i - 1, a + (i + 1) * n + i + 1, n, m - i - 1, tp);
    row[0] = beta;
  }
  // The real bidiagonal B, factored by the real driver.
  std::vector<double> b(static_cast<size_t>(n * n), 0.0), ub, vbt;
  for (int64_t i = 0; i < n; ++i) {
    b[static_cast<size_t>(i * n + i)] = d[static_cast<size_t>(i)];
    if (i + 1 < n) b[static_cast<size_t>(i * n + i + 1)] = e[static_cast<size_t>(i)];
  }
  if (wantUv) {
    ub.resize(static_cast<size_t>(n * n));
    vbt.resize(static_cast<size_t>(n * n));
  }
  if (Svd(b.data(), n, n, s, wantUv ? ub.data() : nullptr, n, wantUv ? vbt.data() : nullptr, wantUv) != 0) return 1;
  if (!wantUv) return 0;
  // U = Q [Ub 0; 0 I]: Q's first ucols columns, then its first n columns times Ub.
  std::vector<Cplx> q(static_cast<size_t>(m * ucols));
  ZQrFormQ(a, m, n, tauq.data(), q.data(), ucols);
  const double* qd = reinterpret_cast<const double*>(q.data());
  double* ud = reinterpret_cast<double*>(u);
  Gemm(m, n, n, qd, 2 * ucols, 2, ub.data(), n, 1, ud, 2 * ucols, 2);
  Gemm(m, n, n, qd + 1, 2 * ucols, 2, ub.data(), n, 1, ud + 1, 2 * ucols, 2);
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = n; j < ucols; ++j) u[i * ucols + j] = q[static_cast<size_t>(i * ucols + j)];
  // Vh = Vbt P^H = Vbt H_{n-2}^H ... H_0^H, applied from the right (H_i acts on columns i+1..).
  for (int64_t i = 0; i < n * n; ++i) vh[i] = Cplx(vbt[static_cast<size_t>(i)], 0.0);
  std::vector<Cplx> v(static_cast<size_t>(n));
  for (int64_t i = n - 2; i >= 0; --i) {
    const Cplx tp = taup[static_cast<size_t>(i)];
    if (tp == Cplx(0.0, 0.0)) continue;
    const int64_t len = n - i - 1;
    v[0] = Cplx(1.0, 0.0);
    for (int64_t j = 1; j < len; ++j) v[static_cast<size_t>(j)] = a[i * n + i + 1 + j];
    ApplyRight(v.data(), 1, len, vh + i + 1, n, n, std::conj(tp));
  }
  return 0;
}

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare
