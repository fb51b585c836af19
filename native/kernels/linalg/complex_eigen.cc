// linalg on complex matrices: Hermitian eigen (zhetd2's reduction to a REAL
// tridiagonal, the real solver of eigen.cc, back-transform on the GEMM) and the
// general eigenproblem (zgebal's scaling, zgehd2's Hessenberg reduction, single-shift QR with
// Wilkinson shifts to the complex Schur form T = Z^H A Z, ztrevc's back
// substitution, zgeev's normalisation). See complex.h.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "kernels/linalg/complex.h"
#include "kernels/linalg/complex_householder.h"
#include "kernels/linalg/factor.h"
#include "kernels/linalg/gemm_call.h"

namespace ndshare {
namespace kernels {
namespace linalg {

namespace {
constexpr double kEps = std::numeric_limits<double>::epsilon();
constexpr double kSafeMin = std::numeric_limits<double>::min();
inline double Abs1(Cplx z) { return std::fabs(z.real()) + std::fabs(z.imag()); }

// q (n x n) = H_0 H_1 ... where H_k = I - tau[k] v v^H acts on rows k+1.., v = (1, a[k+2:, k]): the
// reflectors of a QR of a[1:, :] (same storage), so Q = diag(1, Q') with Q' from the blocked ZQrFormQ.
void FormQ(const Cplx* a, int64_t n, const Cplx* tau, Cplx* q) {
  std::fill(q, q + n * n, Cplx(0.0, 0.0));
  q[0] = Cplx(1.0, 0.0);
  if (n < 2) return;
  std::vector<Cplx> sub(static_cast<size_t>((n - 1) * (n - 1)));
  ZQrFormQ(a + n, n - 1, n, tau, sub.data(), n - 1);
  for (int64_t i = 1; i < n; ++i) std::copy(sub.begin() + (i - 1) * (n - 1), sub.begin() + i * (n - 1), q + i * n + 1);
}

// (c, s, r): [c s; -conj(s) c] (f, g) = (r, 0), c real.
void Givens(Cplx f, Cplx g, double* c, Cplx* s, Cplx* r) {
  if (g == Cplx(0.0, 0.0)) {
    *c = 1.0;
    *s = Cplx(0.0, 0.0);
    *r = f;
    return;
  }
  const double ga = std::abs(g);
  if (f == Cplx(0.0, 0.0)) {
    *c = 0.0;
    *s = std::conj(g) / ga;
    *r = Cplx(ga, 0.0);
    return;
  }
  const double fa = std::abs(f), nrm = std::hypot(fa, ga);
  const Cplx ph = f / fa;
  *c = fa / nrm;
  *s = Mul(ph, std::conj(g)) / nrm;
  *r = ph * nrm;
}
// zgebal's scaling (no permutation): D with powers of 2 so that row and column i of D^-1 A D have
// comparable norms; a becomes D^-1 A D (exactly: powers of 2), scale holds D.
void Balance(Cplx* a, int64_t n, std::vector<double>* scale) {
  scale->assign(static_cast<size_t>(n), 1.0);
  constexpr double kRadix = 2.0;
  const double sfmin = kSafeMin / kEps, sfmax = 1.0 / sfmin;
  for (bool noconv = true; noconv;) {
    noconv = false;
    for (int64_t i = 0; i < n; ++i) {
      double c = 0.0, r = 0.0;
      for (int64_t k = 0; k < n; ++k) {
        if (k == i) continue;
        c = std::hypot(c, std::abs(a[k * n + i]));
        r = std::hypot(r, std::abs(a[i * n + k]));
      }
      if (c == 0.0 || r == 0.0) continue;
      double g = r / kRadix, f = 1.0;
      const double s = c + r;
      while (c < g && f < sfmax && r > sfmin) {
        f *= kRadix;
        c *= kRadix;
        r /= kRadix;
        g /= kRadix;
      }
      g = c / kRadix;
      while (g >= r && f > sfmin && r < sfmax) {
        f /= kRadix;
        c /= kRadix;
        g /= kRadix;
        r *= kRadix;
      }
      if (c + r >= 0.95 * s) continue;
      (*scale)[static_cast<size_t>(i)] *= f;
      noconv = true;
      for (int64_t k = 0; k < n; ++k) a[i * n + k] /= f;
      for (int64_t k = 0; k < n; ++k) a[k * n + i] *= f;
    }
  }
}
}  // namespace

// ---- Hermitian ---------------------------------------------------------------------

int64_t ZEigh(Cplx* a, int64_t n, double* w, bool wantV) {
  if (n == 0) return 0;
  // Hermitian from the lower triangle.
  for (int64_t i = 0; i < n; ++i) {
    a[i * n + i] = Cplx(a[i * n + i].real(), 0.0);
    for (int64_t j = i + 1; j < n; ++j) a[i * n + j] = std::conj(a[j * n + i]);
  }
  std::vector<Cplx> tau(static_cast<size_t>(n), Cplx(0.0, 0.0)), p(static_cast<size_t>(n)), v(static_cast<size_t>(n));
  std::vector<double> e(static_cast<size_t>(n), 0.0);
  for (int64_t k = 0; k + 1 < n; ++k) {
    const int64_t o = k + 1, len = n - o;
    Cplx alpha = a[o * n + k];
    const Cplx t = ZLarfg(len, &alpha, a + (o + 1) * n + k, n);
    tau[static_cast<size_t>(k)] = t;
    e[static_cast<size_t>(k)] = alpha.real();
    a[o * n + k] = Cplx(1.0, 0.0);
    if (t != Cplx(0.0, 0.0)) {
      for (int64_t i = 0; i < len; ++i) v[static_cast<size_t>(i)] = a[(o + i) * n + k];
      // B = a[o:, o:]: p = t B v; p += -(1/2) t (p^H v) v; B -= v p^H + p v^H. Raw doubles with
      // independent accumulators: these two passes over B are the O(n^3) part.
      const double* vd = reinterpret_cast<const double*>(v.data());
      for (int64_t i = 0; i < len; ++i) {
        const double* bi = reinterpret_cast<const double*>(a + (o + i) * n + o);
        double r0 = 0, i0 = 0, r1 = 0, i1 = 0;
        int64_t j = 0;
        for (; j + 2 <= len; j += 2) {
          r0 += bi[2 * j] * vd[2 * j] - bi[2 * j + 1] * vd[2 * j + 1];
          i0 += bi[2 * j] * vd[2 * j + 1] + bi[2 * j + 1] * vd[2 * j];
          r1 += bi[2 * j + 2] * vd[2 * j + 2] - bi[2 * j + 3] * vd[2 * j + 3];
          i1 += bi[2 * j + 2] * vd[2 * j + 3] + bi[2 * j + 3] * vd[2 * j + 2];
        }
        for (; j < len; ++j) {
          r0 += bi[2 * j] * vd[2 * j] - bi[2 * j + 1] * vd[2 * j + 1];
          i0 += bi[2 * j] * vd[2 * j + 1] + bi[2 * j + 1] * vd[2 * j];
        }
        p[static_cast<size_t>(i)] = Mul(t, Cplx(r0 + r1, i0 + i1));
      }
      Cplx pv(0.0, 0.0);
      for (int64_t i = 0; i < len; ++i) pv += MulConj(p[static_cast<size_t>(i)], v[static_cast<size_t>(i)]);
      const Cplx al = -0.5 * Mul(t, pv);
      for (int64_t i = 0; i < len; ++i) p[static_cast<size_t>(i)] += Mul(al, v[static_cast<size_t>(i)]);
      const double* pd = reinterpret_cast<const double*>(p.data());
      for (int64_t i = 0; i < len; ++i) {
        double* bi = reinterpret_cast<double*>(a + (o + i) * n + o);
        const double vr = vd[2 * i], vi = vd[2 * i + 1], pr = pd[2 * i], pim = pd[2 * i + 1];
        for (int64_t j = 0; j < len; ++j) {
          // v_i conj(p_j) + p_i conj(v_j)
          const double qr = pd[2 * j], qi = pd[2 * j + 1], ur = vd[2 * j], ui = vd[2 * j + 1];
          bi[2 * j] -= (vr * qr + vi * qi) + (pr * ur + pim * ui);
          bi[2 * j + 1] -= (vi * qr - vr * qi) + (pim * ur - pr * ui);
        }
        bi[2 * i + 1] = 0.0;
      }
    }
    a[o * n + k] = alpha;
  }
  // The real tridiagonal T, solved by the real symmetric driver (its reduction is trivial on T).
  std::vector<double> tri(static_cast<size_t>(n * n), 0.0);
  for (int64_t i = 0; i < n; ++i) tri[static_cast<size_t>(i * n + i)] = a[i * n + i].real();
  for (int64_t i = 0; i + 1 < n; ++i) {
    tri[static_cast<size_t>((i + 1) * n + i)] = e[static_cast<size_t>(i)];
    tri[static_cast<size_t>(i * n + i + 1)] = e[static_cast<size_t>(i)];
  }
  if (Eigh(tri.data(), n, w, wantV) != 0) return 1;
  if (!wantV) return 0;
  // V = Q Z: real and imaginary parts of Q times the real Z, each on the GEMM.
  std::vector<Cplx> q(static_cast<size_t>(n * n));
  FormQ(a, n, tau.data(), q.data());
  const double* qd = reinterpret_cast<const double*>(q.data());
  double* ad = reinterpret_cast<double*>(a);
  Gemm(n, n, n, qd, 2 * n, 2, tri.data(), n, 1, ad, 2 * n, 2);
  Gemm(n, n, n, qd + 1, 2 * n, 2, tri.data(), n, 1, ad + 1, 2 * n, 2);
  return 0;
}

// ---- general -----------------------------------------------------------------------

int64_t ZEig(Cplx* a, int64_t n, Cplx* w, Cplx* v) {
  if (n == 0) return 0;
  std::vector<double> scale;
  Balance(a, n, &scale);
  std::vector<Cplx> tau(static_cast<size_t>(n), Cplx(0.0, 0.0)), work(static_cast<size_t>(n));
  for (int64_t k = 0; k + 2 < n; ++k) {
    const int64_t o = k + 1, len = n - o;
    Cplx alpha = a[o * n + k];
    const Cplx t = ZLarfg(len, &alpha, a + (o + 1) * n + k, n);
    tau[static_cast<size_t>(k)] = t;
    a[o * n + k] = Cplx(1.0, 0.0);
    if (t != Cplx(0.0, 0.0)) {
      ApplyRight(a + o * n + k, n, len, a + o, n, n, t);                                   // A H, all rows
      ApplyLeft(a + o * n + k, n, len, a + o * n + o, n, len, std::conj(t), work.data());  // H^H A
    }
    a[o * n + k] = alpha;
  }
  std::vector<Cplx> z;
  if (v != nullptr) {
    z.resize(static_cast<size_t>(n * n));
    FormQ(a, n, tau.data(), z.data());
  }
  for (int64_t i = 2; i < n; ++i)
    for (int64_t j = 0; j + 1 < i; ++j) a[i * n + j] = Cplx(0.0, 0.0);
  // Shifted QR on the Hessenberg H (= a) toward upper triangular, Z accumulated.
  int64_t hi = n - 1;
  int iter = 0;
  int64_t total = 0;
  while (hi > 0) {
    int64_t l = hi;
    for (; l > 0; --l) {
      double s = Abs1(a[(l - 1) * n + l - 1]) + Abs1(a[l * n + l]);
      if (s == 0.0)
        s = Abs1(a[(l - 1) * n + l - 1]) + (l + 1 < n ? Abs1(a[(l + 1) * n + l]) : 0.0) + Abs1(a[(l - 1) * n + l]);
      if (Abs1(a[l * n + l - 1]) <= kEps * s || Abs1(a[l * n + l - 1]) < kSafeMin) {
        a[l * n + l - 1] = Cplx(0.0, 0.0);
        break;
      }
    }
    if (l == hi) {
      --hi;
      iter = 0;
      continue;
    }
    if (++total > 30 * std::max<int64_t>(n, 10)) return 1;
    ++iter;
    Cplx mu;
    const Cplx d = a[hi * n + hi];
    if (iter % 10 == 0) {
      mu = d + 0.75 * Abs1(a[hi * n + hi - 1]);
    } else {
      const Cplx aa = a[(hi - 1) * n + hi - 1], bc = Mul(a[(hi - 1) * n + hi], a[hi * n + hi - 1]);
      const Cplx t = 0.5 * (aa - d);
      Cplx r = std::sqrt(Mul(t, t) + bc);
      if (t.real() * r.real() + t.imag() * r.imag() < 0.0) r = -r;
      const Cplx den = t + r;
      mu = den == Cplx(0.0, 0.0) ? d : d - Div(bc, den);
    }
    for (int64_t k = l; k < hi; ++k) {
      Cplx f, g;
      if (k == l) {
        f = a[l * n + l] - mu;
        g = a[(l + 1) * n + l];
      } else {
        f = a[k * n + k - 1];
        g = a[(k + 1) * n + k - 1];
      }
      double c;
      Cplx s, r;
      Givens(f, g, &c, &s, &r);
      if (k > l) {
        a[k * n + k - 1] = r;
        a[(k + 1) * n + k - 1] = Cplx(0.0, 0.0);
      }
      for (int64_t j = k; j < n; ++j) {
        const Cplx x = a[k * n + j], y = a[(k + 1) * n + j];
        a[k * n + j] = c * x + Mul(s, y);
        a[(k + 1) * n + j] = c * y - MulConj(s, x);
      }
      const int64_t iend = std::min(k + 2, hi);
      for (int64_t i = 0; i <= iend; ++i) {
        const Cplx x = a[i * n + k], y = a[i * n + k + 1];
        a[i * n + k] = c * x + Mul(std::conj(s), y);
        a[i * n + k + 1] = c * y - Mul(s, x);
      }
      if (v != nullptr) {
        for (int64_t i = 0; i < n; ++i) {
          Cplx* zi = z.data() + i * n;
          const Cplx x = zi[k], y = zi[k + 1];
          zi[k] = c * x + Mul(std::conj(s), y);
          zi[k + 1] = c * y - Mul(s, x);
        }
      }
    }
  }
  for (int64_t i = 0; i < n; ++i) w[i] = a[i * n + i];
  if (v == nullptr) return 0;
  // Eigenvectors of T by back substitution (ztrevc), then v = Z x, normalised as zgeev.
  std::vector<Cplx> x(static_cast<size_t>(n));
  for (int64_t k = 0; k < n; ++k) {
    const Cplx lam = a[k * n + k];
    const double smin = std::max(kEps * Abs1(lam), kSafeMin * static_cast<double>(n) / kEps);
    x[static_cast<size_t>(k)] = Cplx(1.0, 0.0);
    for (int64_t i = k - 1; i >= 0; --i) {
      Cplx s(0.0, 0.0);
      for (int64_t j = i + 1; j <= k; ++j) s -= Mul(a[i * n + j], x[static_cast<size_t>(j)]);
      Cplx dd = a[i * n + i] - lam;
      if (Abs1(dd) < smin) dd = Cplx(smin, 0.0);
      x[static_cast<size_t>(i)] = Div(s, dd);
    }
    double nrm = 0.0;
    for (int64_t i = 0; i < n; ++i) {
      Cplx s(0.0, 0.0);
      const Cplx* zi = z.data() + i * n;
      for (int64_t j = 0; j <= k; ++j) s += Mul(zi[j], x[static_cast<size_t>(j)]);
      v[i * n + k] = s * scale[static_cast<size_t>(i)];  // undo the balancing (zgebak)
      nrm = std::hypot(nrm, std::abs(v[i * n + k]));
    }
    int64_t big = 0;
    double bigv = -1.0;
    for (int64_t i = 0; i < n; ++i) {
      const double m = std::norm(v[i * n + k]);
      if (m > bigv) {
        bigv = m;
        big = i;
      }
    }
    const Cplx ph = nrm > 0.0 && bigv > 0.0 ? std::conj(v[big * n + k]) / (std::sqrt(bigv) * nrm) : Cplx(1.0, 0.0);
    for (int64_t i = 0; i < n; ++i) v[i * n + k] = Mul(v[i * n + k], ph);
    v[big * n + k] = Cplx(v[big * n + k].real(), 0.0);
  }
  return 0;
}

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare
