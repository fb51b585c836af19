// linalg: symmetric eigen (Householder tridiagonalisation + implicit QL with
// Wilkinson-type shifts) and eigenvalues of a general matrix (Hessenberg
// reduction + Francis double-shift QR). See factor.h; the SVD is in svd.cc.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <vector>

#include "kernels/linalg/factor.h"
#include "kernels/linalg/rotlog.h"
#include "kernels/linalg/vec.h"
#include "kernels/parallel.h"

namespace ndshare {
namespace kernels {
namespace linalg {

namespace {
constexpr double kEps = std::numeric_limits<double>::epsilon();

// sqrt(x^2 + y^2) without spurious overflow or underflow; the plain formula when both are in a safe
// range (libm's hypot was an eighth of eigvalsh's time).
inline double Hypot(double x, double y) {
  const double ax = std::fabs(x), ay = std::fabs(y);
  const double big = std::max(ax, ay), small = std::min(ax, ay);
  if (big < 1e150 && (small > 1e-150 || small == 0.0) && big > 1e-150) return std::sqrt(x * x + y * y);
  return std::hypot(x, y);
}

// Implicit QL on the tridiagonal (d, e: e[i] couples d[i] and d[i+1]); when zt,
// the rotations are applied to its rows (zt = Z^T, n x n). 0, or 1 on no convergence.
int64_t TridiagQl(double* d, double* e, int64_t n, double* zt) {
  if (n == 0) return 0;
  e[n - 1] = 0.0;
  // The rotations of each sweep, logged and applied to the rows of zt in one pass at the end.
  std::vector<double> rc(static_cast<size_t>(n)), rs(static_cast<size_t>(n));
  RotationLog log(n, zt, nullptr);
  auto apply = [&](int64_t r0, int64_t count) {
    if (zt != nullptr) log.Add(r0, count, false, rc.data() + r0, rs.data() + r0, nullptr, nullptr);
  };
  for (int64_t l = 0; l < n; ++l) {
    int iter = 0;
    for (;;) {
      int64_t m = l;
      for (; m < n - 1; ++m) {
        const double dd = std::fabs(d[m]) + std::fabs(d[m + 1]);
        if (std::fabs(e[m]) <= kEps * dd) break;
      }
      if (m == l) break;
      if (++iter > 60) return 1;
      double g = (d[l + 1] - d[l]) / (2.0 * e[l]);
      double r = Hypot(g, 1.0);
      g = d[m] - d[l] + e[l] / (g + std::copysign(r, g));
      double s = 1.0, c = 1.0, p = 0.0;
      int64_t i = m - 1;
      bool early = false;
      for (; i >= l; --i) {
        double f = s * e[i];
        const double b = c * e[i];
        r = Hypot(f, g);
        e[i + 1] = r;
        if (r == 0.0) {
          d[i + 1] -= p;
          e[m] = 0.0;
          early = true;
          apply(i + 1, m - i - 1);
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1] - p;
        r = (d[i] - g) * s + 2.0 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
        // Rows (i, i+1) of zt: (c zi - s zj, s zi + c zj), rotseq's form with (c, -s).
        rc[static_cast<size_t>(i)] = c;
        rs[static_cast<size_t>(i)] = -s;
      }
      if (early) continue;
      apply(l, m - l);
      d[l] -= p;
      e[l] = g;
      e[m] = 0.0;
    }
  }
  log.Flush();
  return 0;
}

int64_t EighScaled(double* a, int64_t n, double* w, bool wantV);

}  // namespace

int64_t Eigh(double* a, int64_t n, double* w, bool wantV) {
  if (n == 0) return 0;
  // Scaled by a power of two when far from 1, as LAPACK's dsyevd, so the QL thresholds keep their meaning.
  double amax = 0.0;
  for (int64_t i = 0; i < n * n; ++i) amax = std::max(amax, std::fabs(a[i]));
  const int shift = (amax != 0.0 && amax == amax && (amax < 0x1p-500 || amax > 0x1p500)) ? -std::ilogb(amax) : 0;
  if (shift == 0) return EighScaled(a, n, w, wantV);
  for (int64_t i = 0; i < n * n; ++i) a[i] = std::ldexp(a[i], shift);
  const int64_t r = EighScaled(a, n, w, wantV);
  for (int64_t i = 0; i < n; ++i) w[i] = std::ldexp(w[i], -shift);
  return r;
}

namespace {

int64_t EighScaled(double* a, int64_t n, double* w, bool wantV) {
  const vec::Table* vt = vec::CurrentTable();
  std::vector<double> e(static_cast<size_t>(n), 0.0), tau(static_cast<size_t>(n), 0.0);
  std::vector<double> p(static_cast<size_t>(n)), v(static_cast<size_t>(n));
  // Tridiagonalise: for column k, the reflector of a[k+1:, k] (stored in that column, v[0] = 1).
  for (int64_t k = 0; k + 2 < n; ++k) {
    const int64_t len = n - k - 1;
    double* x = a + (k + 1) * n + k;
    double scale = 0.0;
    for (int64_t i = 1; i < len; ++i) scale = std::max(scale, std::fabs(x[i * n]));
    if (scale == 0.0) {
      tau[static_cast<size_t>(k)] = 0.0;
      continue;
    }
    double ss = 0.0;
    double xnorm;
    if (scale > 1e-150 && scale < 1e150) {
      for (int64_t i = 1; i < len; ++i) ss += x[i * n] * x[i * n];
      xnorm = std::sqrt(ss);
    } else {
      for (int64_t i = 1; i < len; ++i) {
        const double t = x[i * n] / scale;
        ss += t * t;
      }
      xnorm = scale * std::sqrt(ss);
    }
    const double alpha = x[0];
    const double beta = -std::copysign(std::hypot(alpha, xnorm), alpha);
    const double t = (beta - alpha) / beta;
    const double inv = 1.0 / (alpha - beta);
    v[0] = 1.0;
    for (int64_t i = 1; i < len; ++i) v[static_cast<size_t>(i)] = x[i * n] * inv;
    tau[static_cast<size_t>(k)] = t;
    // Trailing block B = a[k+1:, k+1:]: p = t B v; w = p - (t/2)(p.v) v; B -= v w^T + w v^T.
    const int64_t o = k + 1;
    double* b0 = a + o * n + o;
    // Only the lower triangle of B is read and updated (symmetric matrix-vector product and rank-2
    // update in one pass each, half the traffic of the full square): the reflectors live below the
    // subdiagonal and nothing reads above the diagonal afterwards.
    std::fill(p.begin(), p.begin() + len, 0.0);
    vt->symvl(b0, n, len, v.data(), p.data());
    for (int64_t i = 0; i < len; ++i) p[static_cast<size_t>(i)] *= t;
    double pv = 0.0;
    for (int64_t i = 0; i < len; ++i) pv += p[static_cast<size_t>(i)] * v[static_cast<size_t>(i)];
    const double half = 0.5 * t * pv;
    for (int64_t i = 0; i < len; ++i) p[static_cast<size_t>(i)] -= half * v[static_cast<size_t>(i)];
    for (int64_t i = 0; i < len; ++i) {
      vt->ger2(b0 + i * n, n, 1, i + 1, v.data() + i, p.data(), p.data() + i, v.data());
    }
    x[0] = beta;
    for (int64_t i = 1; i < len; ++i) x[i * n] = v[static_cast<size_t>(i)];
  }
  for (int64_t i = 0; i < n; ++i) w[i] = a[i * n + i];
  for (int64_t i = 0; i + 1 < n; ++i) e[static_cast<size_t>(i)] = a[(i + 1) * n + i];
  std::vector<double> zt;
  if (wantV) {
    // Q = H_0 ... H_{n-3}; zt = Q^T, built as Q^T = H_{n-3} ... H_0 applied on the right of I... i.e.
    // accumulate Q by applying reflectors from the last to the first to I, then transpose.
    std::vector<double> q(static_cast<size_t>(n * n), 0.0);
    for (int64_t i = 0; i < n; ++i) q[static_cast<size_t>(i * n + i)] = 1.0;
    // Q = diag(1, H_0 ... H_{n-3}): reflector k sits in column k from row k+1 (unit there), so the
    // reflectors are those of a QR of the (n-1) x (n-2) block a[1:, :n-2]; blocked on the GEMM.
    if (n > 2) ApplyQ(a + n, n - 1, n - 2, n, tau.data(), q.data() + n + 1, n - 1, n);
    zt.resize(static_cast<size_t>(n * n));
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) zt[static_cast<size_t>(j * n + i)] = q[static_cast<size_t>(i * n + j)];
  }
  if (TridiagQl(w, e.data(), n, wantV ? zt.data() : nullptr) != 0) return 1;
  std::vector<int64_t> order(static_cast<size_t>(n));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int64_t x, int64_t y) { return w[x] < w[y]; });
  std::vector<double> ws(w, w + n);
  for (int64_t i = 0; i < n; ++i) w[i] = ws[static_cast<size_t>(order[static_cast<size_t>(i)])];
  if (wantV) {
    for (int64_t j = 0; j < n; ++j) {
      const double* zj = zt.data() + order[static_cast<size_t>(j)] * n;
      for (int64_t i = 0; i < n; ++i) a[i * n + j] = zj[i];
    }
  }
  return 0;
}

}  // namespace

// ---- general eigenvalues: Hessenberg + Francis double-shift QR ------------------------------

int64_t EigGeneral(double* a, int64_t n, double* wr, double* wi, double* schur) {
  auto A = [&](int64_t i, int64_t j) -> double& { return a[i * n + j]; };
  auto Z = [&](int64_t i, int64_t j) -> double& { return schur[i * n + j]; };
  if (schur != nullptr) {
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < n; ++j) Z(i, j) = i == j ? 1.0 : 0.0;
  }
  // Hessenberg reduction by Householder reflectors (similarity).
  std::vector<double> v(static_cast<size_t>(n));
  for (int64_t k = 0; k + 2 < n; ++k) {
    const int64_t len = n - k - 1;
    double alpha = A(k + 1, k), xn = 0.0;
    for (int64_t i = 1; i < len; ++i) xn = std::hypot(xn, A(k + 1 + i, k));
    if (xn == 0.0) continue;
    const double beta = -std::copysign(std::hypot(alpha, xn), alpha);
    const double tau = (beta - alpha) / beta, inv = 1.0 / (alpha - beta);
    v[0] = 1.0;
    for (int64_t i = 1; i < len; ++i) v[static_cast<size_t>(i)] = A(k + 1 + i, k) * inv;
    // Left: rows k+1.., all columns k..n-1
    for (int64_t c = k; c < n; ++c) {
      double s = 0.0;
      for (int64_t i = 0; i < len; ++i) s += v[static_cast<size_t>(i)] * A(k + 1 + i, c);
      s *= tau;
      for (int64_t i = 0; i < len; ++i) A(k + 1 + i, c) -= s * v[static_cast<size_t>(i)];
    }
    // Right: columns k+1.., all rows
    for (int64_t r = 0; r < n; ++r) {
      double s = 0.0;
      for (int64_t i = 0; i < len; ++i) s += A(r, k + 1 + i) * v[static_cast<size_t>(i)];
      s *= tau;
      for (int64_t i = 0; i < len; ++i) A(r, k + 1 + i) -= s * v[static_cast<size_t>(i)];
    }
    if (schur != nullptr) {
      // Z = Z H_k: the same right update on the accumulated similarity.
      for (int64_t r = 0; r < n; ++r) {
        double s = 0.0;
        for (int64_t i = 0; i < len; ++i) s += Z(r, k + 1 + i) * v[static_cast<size_t>(i)];
        s *= tau;
        for (int64_t i = 0; i < len; ++i) Z(r, k + 1 + i) -= s * v[static_cast<size_t>(i)];
      }
    }
    for (int64_t i = 1; i < len; ++i) A(k + 1 + i, k) = 0.0;
  }
  // Francis double-shift QR on the active window [lo, hi] (eigenvalues only).
  int64_t hi = n - 1;
  int iter = 0;
  double anorm = 0.0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = std::max<int64_t>(0, i - 1); j < n; ++j) anorm += std::fabs(A(i, j));
  while (hi >= 0) {
    int64_t l = hi;
    for (; l > 0; --l) {
      double sc = std::fabs(A(l - 1, l - 1)) + std::fabs(A(l, l));
      if (sc == 0.0) sc = anorm;
      if (std::fabs(A(l, l - 1)) <= kEps * sc) {
        A(l, l - 1) = 0.0;
        break;
      }
    }
    if (l == hi) {
      wr[hi] = A(hi, hi);
      wi[hi] = 0.0;
      --hi;
      iter = 0;
      continue;
    }
    if (l == hi - 1) {
      const double p = A(hi - 1, hi - 1), q = A(hi - 1, hi), r = A(hi, hi - 1), s = A(hi, hi);
      const double tr = p + s;
      const double half = 0.5 * (p - s);
      const double disc = half * half + q * r;
      if (disc >= 0.0) {
        // In LAPACK's order (dlanv2): s + zz first, then s - qr / zz, zz = half + sign(half) sqrt(disc),
        // so the eigenvalues come out where NumPy's do.
        const double zz = half + std::copysign(std::sqrt(disc), half);
        wr[hi - 1] = s + zz;
        wr[hi] = zz != 0.0 ? s - (q * r) / zz : s;
        wi[hi - 1] = wi[hi] = 0.0;
      } else {
        const double sq = std::sqrt(-disc);
        wr[hi - 1] = wr[hi] = 0.5 * tr;
        wi[hi - 1] = sq;
        wi[hi] = -sq;
      }
      hi -= 2;
      iter = 0;
      continue;
    }
    if (++iter > 30 * std::max<int64_t>(n, 10)) return 1;
    // Shifts: the eigenvalues of the trailing 2x2 (exceptional shifts every 10 iterations).
    double sSum = A(hi - 1, hi - 1) + A(hi, hi);
    double sProd = A(hi - 1, hi - 1) * A(hi, hi) - A(hi - 1, hi) * A(hi, hi - 1);
    if (iter % 10 == 0) {
      const double w = std::fabs(A(hi, hi - 1)) + std::fabs(A(hi - 1, hi - 2));
      sSum = 1.5 * w;
      sProd = w * w;
    }
    // First column of (H - s1)(H - s2), then bulge chase with 3x3 reflectors.
    double x = A(l, l) * A(l, l) + A(l, l + 1) * A(l + 1, l) - sSum * A(l, l) + sProd;
    double y = A(l + 1, l) * (A(l, l) + A(l + 1, l + 1) - sSum);
    double z = (l + 2 <= hi) ? A(l + 2, l + 1) * A(l + 1, l) : 0.0;
    for (int64_t k = l; k <= hi - 1; ++k) {
      const int64_t nr = (k + 2 <= hi) ? 3 : 2;
      double vv[3] = {x, y, nr == 3 ? z : 0.0};
      double xn = std::hypot(vv[1], vv[2]);
      if (xn != 0.0) {
        const double beta = -std::copysign(std::hypot(vv[0], xn), vv[0]);
        const double tau = (beta - vv[0]) / beta, inv = 1.0 / (vv[0] - beta);
        const double u1 = vv[1] * inv, u2 = vv[2] * inv;
        const int64_t c0 = std::max(l, k - 1);
        for (int64_t c = c0; c < n; ++c) {
          double s = A(k, c) + u1 * A(k + 1, c) + (nr == 3 ? u2 * A(k + 2, c) : 0.0);
          s *= tau;
          A(k, c) -= s;
          A(k + 1, c) -= s * u1;
          if (nr == 3) A(k + 2, c) -= s * u2;
        }
        const int64_t r1 = std::min(hi, k + 3);
        for (int64_t r = 0; r <= r1; ++r) {
          double s = A(r, k) + u1 * A(r, k + 1) + (nr == 3 ? u2 * A(r, k + 2) : 0.0);
          s *= tau;
          A(r, k) -= s;
          A(r, k + 1) -= s * u1;
          if (nr == 3) A(r, k + 2) -= s * u2;
        }
        if (schur != nullptr) {
          for (int64_t r = 0; r < n; ++r) {
            double s = Z(r, k) + u1 * Z(r, k + 1) + (nr == 3 ? u2 * Z(r, k + 2) : 0.0);
            s *= tau;
            Z(r, k) -= s;
            Z(r, k + 1) -= s * u1;
            if (nr == 3) Z(r, k + 2) -= s * u2;
          }
        }
      }
      if (k + 1 <= hi - 1) {
        x = A(k + 1, k);
        y = A(k + 2, k);
        z = (k + 3 <= hi) ? A(k + 3, k) : 0.0;
      }
    }
    for (int64_t i = l + 2; i <= hi; ++i) {
      for (int64_t j = l; j < i - 1; ++j) A(i, j) = 0.0;
    }
  }
  return 0;
}

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare
