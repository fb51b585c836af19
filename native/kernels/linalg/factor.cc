// linalg: blocked LU, Cholesky and Householder QR (see factor.h).
#include "kernels/linalg/factor.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/linalg/gemm_call.h"
#include "kernels/linalg/vec.h"

namespace ndshare {
namespace kernels {
namespace linalg {

namespace {
constexpr int64_t kBlock = 64;
}  // namespace

// ---- LU ------------------------------------------------------------------------

int64_t Lu(double* a, int64_t n, double* piv) {
  int64_t info = 0;
  std::vector<double> tmp;
  for (int64_t k0 = 0; k0 < n; k0 += kBlock) {
    const int64_t kb = std::min(kBlock, n - k0);
    const int64_t kend = k0 + kb;
    // Panel: columns [k0, kend), rows [k0, n), right-looking inside the panel.
    for (int64_t j = k0; j < kend; ++j) {
      int64_t p = j;
      double best = std::fabs(a[j * n + j]);
      for (int64_t i = j + 1; i < n; ++i) {
        const double v = std::fabs(a[i * n + j]);
        if (v > best || (std::isnan(v) && !std::isnan(best))) {
          best = v;
          p = i;
        }
      }
      piv[j] = static_cast<double>(p);
      if (p != j) {
        double* rj = a + j * n;
        double* rp = a + p * n;
        for (int64_t c = 0; c < n; ++c) std::swap(rj[c], rp[c]);
      }
      const double d = a[j * n + j];
      if (d == 0.0) {
        if (info == 0) info = j + 1;
        continue;
      }
      const double inv = 1.0 / d;
      const double* rj = a + j * n;
      for (int64_t i = j + 1; i < n; ++i) {
        double* ri = a + i * n;
        const double l = (ri[j] *= inv);
        if (l != 0.0) {
          for (int64_t c = j + 1; c < kend; ++c) ri[c] -= l * rj[c];
        }
      }
    }
    if (kend >= n) break;
    // U12 = L11^{-1} A12 (unit lower), rows [k0, kend), columns [kend, n).
    for (int64_t j = k0 + 1; j < kend; ++j) {
      double* rj = a + j * n;
      for (int64_t r = k0; r < j; ++r) {
        const double l = rj[r];
        if (l == 0.0) continue;
        const double* rr = a + r * n;
        for (int64_t c = kend; c < n; ++c) rj[c] -= l * rr[c];
      }
    }
    // A22 -= L21 U12 on the GEMM.
    const int64_t rows = n - kend, cols = n - kend;
    tmp.resize(static_cast<size_t>(rows * cols));
    Gemm(rows, cols, kb, a + kend * n + k0, n, 1, a + k0 * n + kend, n, 1, tmp.data(), cols, 1);
    for (int64_t i = 0; i < rows; ++i) {
      double* ri = a + (kend + i) * n + kend;
      const double* ti = tmp.data() + i * cols;
      for (int64_t c = 0; c < cols; ++c) ri[c] -= ti[c];
    }
  }
  return info;
}

void LuSolve(const double* lu, const double* piv, int64_t n, double* b, int64_t nrhs) {
  for (int64_t i = 0; i < n; ++i) {
    const int64_t p = static_cast<int64_t>(piv[i]);
    if (p != i && p > i && p < n) {
      for (int64_t c = 0; c < nrhs; ++c) std::swap(b[i * nrhs + c], b[p * nrhs + c]);
    }
  }
  // Blocked triangular solves: diagonal blocks by substitution, off-diagonal updates on the GEMM.
  std::vector<double> tmp;
  for (int64_t k0 = 0; k0 < n; k0 += kBlock) {
    const int64_t kend = std::min(n, k0 + kBlock);
    for (int64_t i = k0 + 1; i < kend; ++i) {
      double* bi = b + i * nrhs;
      for (int64_t r = k0; r < i; ++r) {
        const double l = lu[i * n + r];
        if (l == 0.0) continue;
        const double* br = b + r * nrhs;
        for (int64_t c = 0; c < nrhs; ++c) bi[c] -= l * br[c];
      }
    }
    if (kend < n) {
      const int64_t rows = n - kend;
      tmp.resize(static_cast<size_t>(rows * nrhs));
      Gemm(rows, nrhs, kend - k0, lu + kend * n + k0, n, 1, b + k0 * nrhs, nrhs, 1, tmp.data(), nrhs, 1);
      for (int64_t i = 0; i < rows * nrhs; ++i) b[kend * nrhs + i] -= tmp[static_cast<size_t>(i)];
    }
  }
  const int64_t nblocks = (n + kBlock - 1) / kBlock;
  for (int64_t bk = nblocks - 1; bk >= 0; --bk) {
    const int64_t k0 = bk * kBlock;
    const int64_t kend = std::min(n, k0 + kBlock);
    for (int64_t i = kend - 1; i >= k0; --i) {
      double* bi = b + i * nrhs;
      for (int64_t r = i + 1; r < kend; ++r) {
        const double u = lu[i * n + r];
        if (u == 0.0) continue;
        const double* br = b + r * nrhs;
        for (int64_t c = 0; c < nrhs; ++c) bi[c] -= u * br[c];
      }
      const double inv = 1.0 / lu[i * n + i];
      for (int64_t c = 0; c < nrhs; ++c) bi[c] *= inv;
    }
    if (k0 > 0) {
      tmp.resize(static_cast<size_t>(k0 * nrhs));
      Gemm(k0, nrhs, kend - k0, lu + k0, n, 1, b + k0 * nrhs, nrhs, 1, tmp.data(), nrhs, 1);
      for (int64_t i = 0; i < k0 * nrhs; ++i) b[i] -= tmp[static_cast<size_t>(i)];
    }
  }
}

// ---- Cholesky --------------------------------------------------------------------

int64_t Cholesky(double* a, int64_t n) {
  std::vector<double> tmp;
  for (int64_t k0 = 0; k0 < n; k0 += kBlock) {
    const int64_t kend = std::min(n, k0 + kBlock);
    for (int64_t j = k0; j < kend; ++j) {
      const double* rj = a + j * n;
      double d = rj[j];
      for (int64_t r = k0; r < j; ++r) d -= rj[r] * rj[r];
      if (!(d > 0.0)) return j + 1;
      d = std::sqrt(d);
      a[j * n + j] = d;
      for (int64_t i = j + 1; i < n; ++i) {
        double* ri = a + i * n;
        double s = ri[j];
        for (int64_t r = k0; r < j; ++r) s -= ri[r] * rj[r];
        ri[j] = s / d;
      }
    }
    if (kend >= n) break;
    const int64_t rows = n - kend, kb = kend - k0;
    tmp.resize(static_cast<size_t>(rows * rows));
    Gemm(rows, rows, kb, a + kend * n + k0, n, 1, a + kend * n + k0, 1, n, tmp.data(), rows, 1);
    for (int64_t i = 0; i < rows; ++i) {
      double* ri = a + (kend + i) * n + kend;
      const double* ti = tmp.data() + i * rows;
      for (int64_t c = 0; c <= i; ++c) ri[c] -= ti[c];
    }
  }
  for (int64_t i = 0; i < n; ++i) {
    for (int64_t c = i + 1; c < n; ++c) a[i * n + c] = 0.0;
  }
  return 0;
}

// ---- Householder QR ----------------------------------------------------------------

// Reflector of x (length len, stride ld): x[0] becomes beta, the rest v[1:]; returns tau.
double MakeReflector(double* x, int64_t len, int64_t ld) {
  if (len <= 1) return 0.0;
  double scale = 0.0;
  for (int64_t i = 1; i < len; ++i) scale = std::max(scale, std::fabs(x[i * ld]));
  if (scale == 0.0) return 0.0;
  double ss = 0.0;
  for (int64_t i = 1; i < len; ++i) {
    const double t = x[i * ld] / scale;
    ss += t * t;
  }
  const double xnorm = scale * std::sqrt(ss);
  const double alpha = x[0];
  const double beta = -std::copysign(std::hypot(alpha, xnorm), alpha);
  const double tau = (beta - alpha) / beta;
  const double inv = 1.0 / (alpha - beta);
  for (int64_t i = 1; i < len; ++i) x[i * ld] *= inv;
  x[0] = beta;
  return tau;
}

// The dense (rows x jb) V of a panel whose reflectors start at a[j0*n + j0] (unit diagonal).
void PanelV(const double* a, int64_t m, int64_t n, int64_t j0, int64_t jb, std::vector<double>* v) {
  const int64_t rows = m - j0;
  v->assign(static_cast<size_t>(rows * jb), 0.0);
  for (int64_t i = 0; i < rows; ++i) {
    for (int64_t j = 0; j < jb && j <= i; ++j) {
      (*v)[static_cast<size_t>(i * jb + j)] = (i == j) ? 1.0 : a[(j0 + i) * n + j0 + j];
    }
  }
}

// Upper-triangular T (jb x jb) with H_0..H_{jb-1} = I - V T V^T.
void PanelT(const std::vector<double>& v, int64_t rows, int64_t jb, const double* tau, std::vector<double>* t) {
  t->assign(static_cast<size_t>(jb * jb), 0.0);
  // The Gram matrix V^T V on the GEMM (V is zero above its unit diagonal, so column i only meets rows >= i).
  std::vector<double> g(static_cast<size_t>(jb * jb));
  Gemm(jb, jb, rows, v.data(), 1, jb, v.data(), jb, 1, g.data(), jb, 1);
  for (int64_t i = 0; i < jb; ++i) {
    for (int64_t j = 0; j < i; ++j) {
      double s = 0.0;
      for (int64_t l = j; l < i; ++l) s += (*t)[static_cast<size_t>(j * jb + l)] * g[static_cast<size_t>(l * jb + i)];
      (*t)[static_cast<size_t>(j * jb + i)] = -tau[i] * s;
    }
    (*t)[static_cast<size_t>(i * jb + i)] = tau[i];
  }
}

// C (rows x nc, row stride ldc) = (I - V op(T) V^T) C, op(T) = T^T when trans.
void ApplyBlock(const std::vector<double>& v, const std::vector<double>& t, int64_t rows, int64_t jb, double* c,
                int64_t nc, int64_t ldc, bool trans) {
  if (nc == 0 || rows == 0) return;
  std::vector<double> w(static_cast<size_t>(jb * nc)), w2(static_cast<size_t>(jb * nc));
  Gemm(jb, nc, rows, v.data(), 1, jb, c, ldc, 1, w.data(), nc, 1);  // W = V^T C
  for (int64_t i = 0; i < jb; ++i) {
    double* out = w2.data() + i * nc;
    std::fill(out, out + nc, 0.0);
    for (int64_t l = 0; l < jb; ++l) {
      const double tv = trans ? t[static_cast<size_t>(l * jb + i)] : t[static_cast<size_t>(i * jb + l)];
      if (tv == 0.0) continue;
      const double* wl = w.data() + l * nc;
      for (int64_t cc = 0; cc < nc; ++cc) out[cc] += tv * wl[cc];
    }
  }
  std::vector<double> upd(static_cast<size_t>(rows * nc));
  Gemm(rows, nc, jb, v.data(), jb, 1, w2.data(), nc, 1, upd.data(), nc, 1);
  for (int64_t i = 0; i < rows; ++i) {
    double* ci = c + i * ldc;
    const double* ui = upd.data() + i * nc;
    for (int64_t cc = 0; cc < nc; ++cc) ci[cc] -= ui[cc];
  }
}

void Qr(double* a, int64_t m, int64_t n, double* tau) {
  const int64_t k = std::min(m, n);
  std::vector<double> v, t, w(static_cast<size_t>(n)), u(static_cast<size_t>(m));
  const vec::Table* vt = vec::CurrentTable();
  for (int64_t j0 = 0; j0 < k; j0 += kBlock) {
    const int64_t jb = std::min(kBlock, k - j0);
    const int64_t jend = j0 + jb;
    for (int64_t j = j0; j < jend; ++j) {
      const double tj = tau[j] = MakeReflector(a + j * n + j, m - j, n);
      if (tj == 0.0 || j + 1 >= jend) continue;
      // Apply H_j to the rest of the panel: w = v^T A, A -= tau v w (on the vec kernels, v gathered).
      const int64_t c0 = j + 1, nc = jend - c0, rows = m - j;
      u[0] = 1.0;
      for (int64_t i = 1; i < rows; ++i) u[static_cast<size_t>(i)] = a[(j + i) * n + j];
      std::fill(w.begin(), w.begin() + nc, 0.0);
      vt->gemvt(a + j * n + c0, n, rows, nc, u.data(), w.data());
      for (int64_t i = 0; i < rows; ++i) u[static_cast<size_t>(i)] *= tj;
      vt->ger(a + j * n + c0, n, rows, nc, u.data(), w.data());
    }
    if (jend >= n) continue;
    PanelV(a, m, n, j0, jb, &v);
    PanelT(v, m - j0, jb, tau + j0, &t);
    ApplyBlock(v, t, m - j0, jb, a + j0 * n + jend, n - jend, n, true);
  }
}

void QrFormQ(const double* a, int64_t m, int64_t n, const double* tau, double* q, int64_t mc) {
  const int64_t k = std::min(m, n);
  for (int64_t i = 0; i < m; ++i) {
    for (int64_t c = 0; c < mc; ++c) q[i * mc + c] = (i == c) ? 1.0 : 0.0;
  }
  std::vector<double> v, t;
  const int64_t nblocks = (k + kBlock - 1) / kBlock;
  for (int64_t b = nblocks - 1; b >= 0; --b) {
    const int64_t j0 = b * kBlock;
    const int64_t jb = std::min(kBlock, k - j0);
    PanelV(a, m, n, j0, jb, &v);
    PanelT(v, m - j0, jb, tau + j0, &t);
    ApplyBlock(v, t, m - j0, jb, q + j0 * mc + j0, mc - std::min(j0, mc), mc, false);
  }
}

// C (rows x cols, row stride ldc) = H_0 ... H_{k-1} C for the Householder reflectors stored in the
// columns of the row-major r (rows x k, row stride ldr; vector j has 1 at row j, r[j+1.., j] below).
void ApplyQ(const double* r, int64_t rows, int64_t k, int64_t ldr, const double* tau, double* c, int64_t cols,
            int64_t ldc) {
  if (k <= 0 || cols <= 0) return;
  // PanelV reads a square-stride matrix: make one when ldr != k.
  std::vector<double> packed;
  const double* src = r;
  if (ldr != k) {
    packed.resize(static_cast<size_t>(rows * k));
    for (int64_t i = 0; i < rows; ++i) std::copy(r + i * ldr, r + i * ldr + k, packed.data() + i * k);
    src = packed.data();
  }
  std::vector<double> v, t;
  constexpr int64_t kb = 64;
  const int64_t nblocks = (k + kb - 1) / kb;
  for (int64_t b = nblocks - 1; b >= 0; --b) {
    const int64_t j0 = b * kb, jb = std::min(kb, k - j0);
    PanelV(src, rows, k, j0, jb, &v);
    PanelT(v, rows - j0, jb, tau + j0, &t);
    ApplyBlock(v, t, rows - j0, jb, c + j0 * ldc, cols, ldc, false);
  }
}

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare
