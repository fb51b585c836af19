// linalg: the SVD of an upper bidiagonal matrix by implicit QR sweeps (Demmel and
// Kahan's dbdsqr algorithm), step 3 of svd.cc's SVD: see svd.cc for the method
// and factor.h (BidiagQr) for the contract.
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

constexpr double kEps = std::numeric_limits<double>::epsilon() * 0.5;  // LAPACK's dlamch('E')
constexpr double kUnfl = std::numeric_limits<double>::min();

inline size_t Z(int64_t i) { return static_cast<size_t>(i); }
using Vec = std::vector<double>;

// ---- plane rotations ---------------------------------------------------------------------

// c, s, r with [c s; -s c] [f; g] = [r; 0].
inline void Lartg(double f, double g, double* c, double* s, double* r) {
  if (g == 0.0) {
    *c = 1.0;
    *s = 0.0;
    *r = f;
    return;
  }
  if (f == 0.0) {
    *c = 0.0;
    *s = 1.0;
    *r = g;
    return;
  }
  const double af = std::fabs(f), ag = std::fabs(g);
  const double big = std::max(af, ag), small = std::min(af, ag);
  double h;
  if (big < 1e150 && small > 1e-150) {
    h = std::sqrt(f * f + g * g);
  } else {
    const double q = small / big;
    h = big * std::sqrt(1.0 + q * q);
  }
  const double rr = std::copysign(h, f);
  *c = f / rr;
  *s = g / rr;
  *r = rr;
}

// Singular values of [f g; 0 h]: *ssmin, *ssmax (Demmel and Kahan's formulas, no spurious overflow).
void Sv2(double f, double g, double h, double* ssmin, double* ssmax) {
  const double fa = std::fabs(f), ga = std::fabs(g), ha = std::fabs(h);
  const double fhmn = std::min(fa, ha), fhmx = std::max(fa, ha);
  if (fhmn == 0.0) {
    *ssmin = 0.0;
    if (fhmx == 0.0) {
      *ssmax = ga;
    } else {
      const double mx = std::max(fhmx, ga), mn = std::min(fhmx, ga);
      *ssmax = mx * std::sqrt(1.0 + (mn / mx) * (mn / mx));
    }
    return;
  }
  if (ga < fhmx) {
    const double as = 1.0 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx, au = (ga / fhmx) * (ga / fhmx);
    const double c = 2.0 / (std::sqrt(as * as + au) + std::sqrt(at * at + au));
    *ssmin = fhmn * c;
    *ssmax = fhmx / c;
    return;
  }
  const double au = fhmx / ga;
  if (au == 0.0) {
    *ssmin = (fhmn * fhmx) / ga;
    *ssmax = ga;
    return;
  }
  const double as = 1.0 + fhmn / fhmx, at = (fhmx - fhmn) / fhmx;
  const double c = 1.0 / (std::sqrt(1.0 + (as * au) * (as * au)) + std::sqrt(1.0 + (at * au) * (at * au)));
  *ssmin = 2.0 * ((fhmn * c) * au);
  *ssmax = ga / (c + c);
}

inline double Sign(double a, double b) { return std::copysign(std::fabs(a), b); }

// SVD of [f g; 0 h] with rotations: [csl snl; -snl csl] [f g; 0 h] [csr -snr; snr csr] = diag(ssmax, ssmin),
// |ssmax| >= |ssmin| (signed), accurate to a few ulps (the 2x2 step of Demmel and Kahan).
void Svd2(double f, double g, double h, double* ssmin, double* ssmax, double* snr, double* csr, double* snl,
          double* csl) {
  double ft = f, fa = std::fabs(f), ht = h, ha = std::fabs(h);
  int pmax = 1;
  const bool swap = ha > fa;
  if (swap) {
    pmax = 3;
    std::swap(ft, ht);
    std::swap(fa, ha);
  }
  const double gt = g, ga = std::fabs(g);
  double clt, crt, slt, srt, smin, smax;
  if (ga == 0.0) {
    smin = ha;
    smax = fa;
    clt = 1.0;
    crt = 1.0;
    slt = 0.0;
    srt = 0.0;
  } else {
    bool gasmal = true;
    if (ga > fa) {
      pmax = 2;
      if (fa / ga < kEps) {
        gasmal = false;
        smax = ga;
        smin = ha > 1.0 ? fa / (ga / ha) : (fa / ga) * ha;
        clt = 1.0;
        slt = ht / gt;
        srt = 1.0;
        crt = ft / gt;
      }
    }
    if (gasmal) {
      const double dd = fa - ha;
      double l = dd == fa ? 1.0 : dd / fa;
      const double m = gt / ft;
      double t = 2.0 - l;
      const double mm = m * m, tt = t * t;
      const double s = std::sqrt(tt + mm);
      const double r = l == 0.0 ? std::fabs(m) : std::sqrt(l * l + mm);
      const double a = 0.5 * (s + r);
      smin = ha / a;
      smax = fa * a;
      if (mm == 0.0) {
        t = l == 0.0 ? Sign(2.0, ft) * Sign(1.0, gt) : gt / Sign(dd, ft) + m / t;
      } else {
        t = (m / (s + t) + m / (r + l)) * (1.0 + a);
      }
      l = std::sqrt(t * t + 4.0);
      crt = 2.0 / l;
      srt = t / l;
      clt = (crt + srt * m) / a;
      slt = (ht / ft) * srt / a;
    }
  }
  if (swap) {
    *csl = srt;
    *snl = crt;
    *csr = slt;
    *snr = clt;
  } else {
    *csl = clt;
    *snl = slt;
    *csr = crt;
    *snr = srt;
  }
  double tsign;
  if (pmax == 1) tsign = Sign(1.0, *csr) * Sign(1.0, *csl) * Sign(1.0, f);
  else if (pmax == 2) tsign = Sign(1.0, *snr) * Sign(1.0, *csl) * Sign(1.0, g);
  else tsign = Sign(1.0, *snr) * Sign(1.0, *snl) * Sign(1.0, h);
  *ssmax = Sign(smax, tsign);
  *ssmin = Sign(smin, tsign * Sign(1.0, f) * Sign(1.0, h));
}

}  // namespace

// ---- bidiagonal SVD by implicit QR ----------------------------------------------------------

// B = upper bidiagonal (d n, e n-1) = U_B diag(d) V_B^T on exit (d >= 0, descending). When vt and ut
// are given (n x n row-major, identity on entry), they receive V_B^T and U_B^T. 0, or 1 on no convergence.
int64_t BidiagQr(int64_t n, double* d, double* e, double* vt, double* ut) {
  if (n == 0) return 0;
  const bool vec = vt != nullptr;
  RotationLog log(n, vt, ut);
  if (n > 1) {
    const double tolmul = std::max(10.0, std::min(100.0, std::pow(kEps, -0.125)));
    const double tol = tolmul * kEps;
    double smax = 0.0;
    for (int64_t i = 0; i < n; ++i) smax = std::max(smax, std::fabs(d[i]));
    for (int64_t i = 0; i + 1 < n; ++i) smax = std::max(smax, std::fabs(e[i]));
    const int64_t maxit = 6 * n * n;
    // Threshold of negligible off-diagonals for relative accuracy: tol x an estimate of the smallest value.
    double sminoa = std::fabs(d[0]);
    if (sminoa != 0.0) {
      double mu = sminoa;
      for (int64_t i = 1; i < n; ++i) {
        mu = std::fabs(d[i]) * (mu / (mu + std::fabs(e[i - 1])));
        sminoa = std::min(sminoa, mu);
        if (sminoa == 0.0) break;
      }
    }
    sminoa = sminoa / std::sqrt(static_cast<double>(n));
    const double thresh = std::max(tol * sminoa, static_cast<double>(maxit) * kUnfl);
    Vec cr(Z(n)), sr(Z(n)), cl(Z(n)), sl(Z(n));
    int64_t iter = 0, oldll = -1, oldm = -1, m = n - 1;
    int idir = 0;
    while (m > 0) {
      if (iter > maxit) return 1;
      if (smax != smax) return 1;  // NaN
      // The unreduced block [ll, m] at the bottom.
      int64_t ll = -1;
      double bmax = std::fabs(d[m]);
      bool deflated = false;
      for (int64_t i = m - 1; i >= 0; --i) {
        const double abss = std::fabs(d[i]), abse = std::fabs(e[i]);
        if (abse <= thresh) {
          e[i] = 0.0;
          if (i == m - 1) {
            --m;
            deflated = true;
          }
          ll = i;
          break;
        }
        bmax = std::max(bmax, std::max(abss, abse));
      }
      if (deflated) continue;
      ++ll;
      if (ll == m - 1) {
        // 2x2 block: directly.
        double sigmn, sigmx, sinr, cosr, sinl, cosl;
        Svd2(d[m - 1], e[m - 1], d[m], &sigmn, &sigmx, &sinr, &cosr, &sinl, &cosl);
        d[m - 1] = sigmx;
        e[m - 1] = 0.0;
        d[m] = sigmn;
        if (vec) log.Add(m - 1, 1, true, &cosr, &sinr, &cosl, &sinl);
        m -= 2;
        continue;
      }
      // A new block: chase towards the smaller end.
      if (ll > oldm || m < oldll) idir = std::fabs(d[ll]) >= std::fabs(d[m]) ? 1 : 2;
      // Convergence tests (relative) and the estimate sminl of the smallest singular value.
      double sminl = 0.0;
      bool split = false;
      if (idir == 1) {
        if (std::fabs(e[m - 1]) <= tol * std::fabs(d[m])) {
          e[m - 1] = 0.0;
          continue;
        }
        double mu = std::fabs(d[ll]);
        sminl = mu;
        for (int64_t i = ll; i < m; ++i) {
          if (std::fabs(e[i]) <= tol * mu) {
            e[i] = 0.0;
            split = true;
            break;
          }
          mu = std::fabs(d[i + 1]) * (mu / (mu + std::fabs(e[i])));
          sminl = std::min(sminl, mu);
        }
      } else {
        if (std::fabs(e[ll]) <= tol * std::fabs(d[ll])) {
          e[ll] = 0.0;
          continue;
        }
        double mu = std::fabs(d[m]);
        sminl = mu;
        for (int64_t i = m - 1; i >= ll; --i) {
          if (std::fabs(e[i]) <= tol * mu) {
            e[i] = 0.0;
            split = true;
            break;
          }
          mu = std::fabs(d[i]) * (mu / (mu + std::fabs(e[i])));
          sminl = std::min(sminl, mu);
        }
      }
      if (split) continue;
      oldll = ll;
      oldm = m;
      // Shift: zero when it would cost relative accuracy.
      double shift = 0.0;
      if (!(static_cast<double>(n) * tol * (sminl / bmax) <= std::max(kEps, 0.01 * tol))) {
        double sll, tmp;
        if (idir == 1) {
          sll = std::fabs(d[ll]);
          Sv2(d[m - 1], e[m - 1], d[m], &shift, &tmp);
        } else {
          sll = std::fabs(d[m]);
          Sv2(d[ll], e[ll], d[ll + 1], &shift, &tmp);
        }
        if (sll > 0.0 && (shift / sll) * (shift / sll) < kEps) shift = 0.0;
      }
      iter += m - ll;
      const int64_t cnt = m - ll;
      if (shift == 0.0) {
        if (idir == 1) {
          double cs = 1.0, sn = 0.0, oldcs = 1.0, oldsn = 0.0, r;
          for (int64_t i = ll; i < m; ++i) {
            Lartg(d[i] * cs, e[i], &cs, &sn, &r);
            if (i > ll) e[i - 1] = oldsn * r;
            Lartg(oldcs * r, d[i + 1] * sn, &oldcs, &oldsn, &d[i]);
            cr[Z(i - ll)] = cs;
            sr[Z(i - ll)] = sn;
            cl[Z(i - ll)] = oldcs;
            sl[Z(i - ll)] = oldsn;
          }
          const double h = d[m] * cs;
          d[m] = h * oldcs;
          e[m - 1] = h * oldsn;
          if (vec) log.Add(ll, cnt, true, cr.data(), sr.data(), cl.data(), sl.data());
          if (std::fabs(e[m - 1]) <= thresh) e[m - 1] = 0.0;
        } else {
          double cs = 1.0, sn = 0.0, oldcs = 1.0, oldsn = 0.0, r;
          for (int64_t i = m; i > ll; --i) {
            Lartg(d[i] * cs, e[i - 1], &cs, &sn, &r);
            if (i < m) e[i] = oldsn * r;
            Lartg(oldcs * r, d[i - 1] * sn, &oldcs, &oldsn, &d[i]);
            const int64_t k = i - ll - 1;
            cl[Z(k)] = cs;
            sl[Z(k)] = -sn;
            cr[Z(k)] = oldcs;
            sr[Z(k)] = -oldsn;
          }
          const double h = d[ll] * cs;
          d[ll] = h * oldcs;
          e[ll] = h * oldsn;
          if (vec) log.Add(ll, cnt, false, cr.data(), sr.data(), cl.data(), sl.data());
          if (std::fabs(e[ll]) <= thresh) e[ll] = 0.0;
        }
      } else if (idir == 1) {
        double f = (std::fabs(d[ll]) - shift) * (Sign(1.0, d[ll]) + shift / d[ll]);
        double g = e[ll];
        double cosr, sinr, cosl, sinl, r;
        for (int64_t i = ll; i < m; ++i) {
          Lartg(f, g, &cosr, &sinr, &r);
          if (i > ll) e[i - 1] = r;
          f = cosr * d[i] + sinr * e[i];
          e[i] = cosr * e[i] - sinr * d[i];
          g = sinr * d[i + 1];
          d[i + 1] = cosr * d[i + 1];
          Lartg(f, g, &cosl, &sinl, &r);
          d[i] = r;
          f = cosl * e[i] + sinl * d[i + 1];
          d[i + 1] = cosl * d[i + 1] - sinl * e[i];
          if (i < m - 1) {
            g = sinl * e[i + 1];
            e[i + 1] = cosl * e[i + 1];
          }
          cr[Z(i - ll)] = cosr;
          sr[Z(i - ll)] = sinr;
          cl[Z(i - ll)] = cosl;
          sl[Z(i - ll)] = sinl;
        }
        e[m - 1] = f;
        if (vec) log.Add(ll, cnt, true, cr.data(), sr.data(), cl.data(), sl.data());
        if (std::fabs(e[m - 1]) <= thresh) e[m - 1] = 0.0;
      } else {
        double f = (std::fabs(d[m]) - shift) * (Sign(1.0, d[m]) + shift / d[m]);
        double g = e[m - 1];
        double cosr, sinr, cosl, sinl, r;
        for (int64_t i = m; i > ll; --i) {
          Lartg(f, g, &cosr, &sinr, &r);
          if (i < m) e[i] = r;
          f = cosr * d[i] + sinr * e[i - 1];
          e[i - 1] = cosr * e[i - 1] - sinr * d[i];
          g = sinr * d[i - 1];
          d[i - 1] = cosr * d[i - 1];
          Lartg(f, g, &cosl, &sinl, &r);
          d[i] = r;
          f = cosl * e[i - 1] + sinl * d[i - 1];
          d[i - 1] = cosl * d[i - 1] - sinl * e[i - 1];
          if (i > ll + 1) {
            g = sinl * e[i - 2];
            e[i - 2] = cosl * e[i - 2];
          }
          const int64_t k = i - ll - 1;
          cl[Z(k)] = cosr;
          sl[Z(k)] = -sinr;
          cr[Z(k)] = cosl;
          sr[Z(k)] = -sinl;
        }
        e[ll] = f;
        if (std::fabs(e[ll]) <= thresh) e[ll] = 0.0;
        if (vec) log.Add(ll, cnt, false, cr.data(), sr.data(), cl.data(), sl.data());
      }
    }
  }
  if (vec) log.Flush();
  // Positive values (the sign goes to V's row), then descending order (selection sort: few swaps).
  for (int64_t i = 0; i < n; ++i) {
    if (d[i] != d[i]) return 1;
    if (d[i] < 0.0) {
      d[i] = -d[i];
      if (vec) {
        double* row = vt + i * n;
        for (int64_t j = 0; j < n; ++j) row[j] = -row[j];
      }
    }
  }
  for (int64_t i = 0; i + 1 < n; ++i) {
    int64_t best = i;
    for (int64_t j = i + 1; j < n; ++j)
      if (d[j] > d[best]) best = j;
    if (best == i) continue;
    std::swap(d[i], d[best]);
    if (vec) {
      std::swap_ranges(vt + i * n, vt + (i + 1) * n, vt + best * n);
      std::swap_ranges(ut + i * n, ut + (i + 1) * n, ut + best * n);
    }
  }
  return 0;
}

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare
