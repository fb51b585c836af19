// linalg on complex matrices: LU (blocked, trailing update on the real GEMM),
// Cholesky, Householder QR and its Q (see complex.h).
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels/linalg/complex.h"
#include "kernels/linalg/complex_householder.h"
#include "kernels/linalg/gemm_call.h"

namespace ndshare {
namespace kernels {
namespace linalg {

namespace {
constexpr int64_t kBlock = 96;
inline double Abs1(Cplx z) { return std::fabs(z.real()) + std::fabs(z.imag()); }
}  // namespace

Cplx Div(Cplx a, Cplx b) {
  const double br = b.real(), bi = b.imag();
  if (std::fabs(br) >= std::fabs(bi)) {
    if (br == 0.0 && bi == 0.0) return {a.real() / std::fabs(br), a.imag() / std::fabs(br)};
    const double r = bi / br, d = br + bi * r;
    return {(a.real() + a.imag() * r) / d, (a.imag() - a.real() * r) / d};
  }
  const double r = br / bi, d = bi + br * r;
  return {(a.real() * r + a.imag()) / d, (a.imag() * r - a.real()) / d};
}

// The real view of A (M x 2K: re, im interleaved along a row) times B expanded to the real 2K x 2N
// [[br, bi], [-bi, br]] per element is C read as M x 2N reals: each output part sums the same real
// products a complex dot does (see src/math/complex-matmul.ts).
void ZGemmSub(int64_t M, int64_t N, int64_t K, const Cplx* a, int64_t rsa, const Cplx* b, int64_t rsb, Cplx* c,
              int64_t rsc) {
  if (M <= 0 || N <= 0 || K <= 0) return;
  constexpr int64_t kRows = 256;
  std::vector<double> e(static_cast<size_t>(4 * K * N)), t(static_cast<size_t>(2 * std::min(M, kRows) * N));
  const int64_t w = 2 * N;
  for (int64_t k = 0; k < K; ++k) {
    double* r0 = e.data() + 2 * k * w;
    double* r1 = r0 + w;
    const Cplx* bk = b + k * rsb;
    for (int64_t j = 0; j < N; ++j) {
      const double br = bk[j].real(), bi = bk[j].imag();
      r0[2 * j] = br;
      r0[2 * j + 1] = bi;
      r1[2 * j] = -bi;
      r1[2 * j + 1] = br;
    }
  }
  // Row blocks of A, so the product's scratch stays at kRows x 2N.
  for (int64_t i0 = 0; i0 < M; i0 += kRows) {
    const int64_t mb = std::min(kRows, M - i0);
    Gemm(mb, 2 * N, 2 * K, reinterpret_cast<const double*>(a + i0 * rsa), 2 * rsa, 1, e.data(), w, 1, t.data(), w, 1);
    for (int64_t i = 0; i < mb; ++i) {
      double* ci = reinterpret_cast<double*>(c + (i0 + i) * rsc);
      const double* ti = t.data() + i * w;
      for (int64_t j = 0; j < w; ++j) ci[j] -= ti[j];
    }
  }
}

// W (M x N, contiguous) = V^H C with V (K x M) and C (K x N) row-major (row strides rsv, rsc): four real
// products on strided views of the parts (no expansion of the large C), then W = (Vr'Cr + Vi'Ci) +
// i (Vr'Ci - Vi'Cr).
void ZGemmAdjA(int64_t M, int64_t N, int64_t K, const Cplx* v, int64_t rsv, const Cplx* c, int64_t rsc, Cplx* w) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    std::fill(w, w + M * N, Cplx(0.0, 0.0));
    return;
  }
  const double* vd = reinterpret_cast<const double*>(v);
  const double* cd = reinterpret_cast<const double*>(c);
  std::vector<double> t(static_cast<size_t>(4 * M * N));
  double* t1 = t.data();
  double* t2 = t1 + M * N;
  double* t3 = t2 + M * N;
  double* t4 = t3 + M * N;
  Gemm(M, N, K, vd, 2, 2 * rsv, cd, 2 * rsc, 2, t1, N, 1);
  Gemm(M, N, K, vd + 1, 2, 2 * rsv, cd + 1, 2 * rsc, 2, t2, N, 1);
  Gemm(M, N, K, vd, 2, 2 * rsv, cd + 1, 2 * rsc, 2, t3, N, 1);
  Gemm(M, N, K, vd + 1, 2, 2 * rsv, cd, 2 * rsc, 2, t4, N, 1);
  for (int64_t i = 0; i < M * N; ++i) w[i] = Cplx(t1[i] + t2[i], t3[i] - t4[i]);
}

// ---- LU ------------------------------------------------------------------------

namespace {

// U12 = L11^{-1} U12 for the unit lower L11 at rows/columns [j0, j1) and the columns [c0, c1) of those
// rows: 16 rows at a time by rows, the rows below each group updated on the GEMM.
void UnitLowerSolve(Cplx* a, int64_t n, int64_t j0, int64_t j1, int64_t c0, int64_t c1) {
  constexpr int64_t kRowsPerStep = 16;
  for (int64_t b0 = j0; b0 < j1; b0 += kRowsPerStep) {
    const int64_t b1 = std::min(b0 + kRowsPerStep, j1);
    for (int64_t j = b0 + 1; j < b1; ++j) {
      Cplx* rj = a + j * n;
      for (int64_t r = b0; r < j; ++r) {
        const Cplx l = rj[r];
        if (l == Cplx(0.0, 0.0)) continue;
        const Cplx* rr = a + r * n;
        for (int64_t c = c0; c < c1; ++c) rj[c] -= Mul(l, rr[c]);
      }
    }
    if (b1 < j1) ZGemmSub(j1 - b1, c1 - c0, b1 - b0, a + b1 * n + b0, n, a + b0 * n + c0, n, a + b1 * n + c0, n);
  }
}

// LU of the panel of columns [j0, j0 + w) over rows [j0, n), recursively (zgetrf2): the left half, its
// solve and GEMM update of the right half, then the right half; row swaps move whole rows. Returns
// 0 or 1 + the first zero pivot.
int64_t LuPanel(Cplx* a, int64_t n, int64_t j0, int64_t w, double* piv) {
  int64_t info = 0;
  const int64_t kend = j0 + w;
  if (w <= 16) {
    for (int64_t j = j0; j < kend; ++j) {
      int64_t p = j;
      double best = Abs1(a[j * n + j]);
      for (int64_t i = j + 1; i < n; ++i) {
        const double v = Abs1(a[i * n + j]);
        if (v > best || (std::isnan(v) && !std::isnan(best))) {
          best = v;
          p = i;
        }
      }
      piv[j] = static_cast<double>(p);
      if (p != j) std::swap_ranges(a + j * n, a + (j + 1) * n, a + p * n);
      const Cplx d = a[j * n + j];
      if (d == Cplx(0.0, 0.0)) {
        if (info == 0) info = j + 1;
        continue;
      }
      const Cplx inv = Div(Cplx(1.0, 0.0), d);
      const Cplx* rj = a + j * n;
      for (int64_t i = j + 1; i < n; ++i) {
        Cplx* ri = a + i * n;
        const Cplx l = ri[j] = Mul(ri[j], inv);
        if (l != Cplx(0.0, 0.0)) {
          for (int64_t c = j + 1; c < kend; ++c) ri[c] -= Mul(l, rj[c]);
        }
      }
    }
    return info;
  }
  const int64_t w1 = w / 2, j1 = j0 + w1;
  info = LuPanel(a, n, j0, w1, piv);
  UnitLowerSolve(a, n, j0, j1, j1, kend);
  ZGemmSub(n - j1, kend - j1, w1, a + j1 * n + j0, n, a + j0 * n + j1, n, a + j1 * n + j1, n);
  const int64_t r = LuPanel(a, n, j1, kend - j1, piv);
  return info != 0 ? info : r;
}

}  // namespace

int64_t ZLu(Cplx* a, int64_t n, double* piv) {
  int64_t info = 0;
  for (int64_t k0 = 0; k0 < n; k0 += kBlock) {
    const int64_t kend = std::min(k0 + kBlock, n);
    const int64_t r = LuPanel(a, n, k0, kend - k0, piv);
    if (info == 0) info = r;
    if (kend >= n) break;
    // U12 = L11^{-1} A12, then A22 -= L21 U12 on the GEMM.
    UnitLowerSolve(a, n, k0, kend, kend, n);
    ZGemmSub(n - kend, n - kend, kend - k0, a + kend * n + k0, n, a + k0 * n + kend, n, a + kend * n + kend, n);
  }
  return info;
}

void ZLuSolve(const Cplx* lu, const double* piv, int64_t n, Cplx* b, int64_t nrhs) {
  for (int64_t i = 0; i < n; ++i) {
    const int64_t p = static_cast<int64_t>(piv[i]);
    if (p != i) std::swap_ranges(b + i * nrhs, b + (i + 1) * nrhs, b + p * nrhs);
  }
  // Blocks of kBlock rows: the solve inside a block by rows, the update of the rows below on the GEMM.
  for (int64_t i0 = 0; i0 < n; i0 += kBlock) {
    const int64_t iend = std::min(i0 + kBlock, n);
    for (int64_t i = i0; i < iend; ++i) {
      Cplx* bi = b + i * nrhs;
      for (int64_t j = i0; j < i; ++j) {
        const Cplx l = lu[i * n + j];
        if (l == Cplx(0.0, 0.0)) continue;
        const Cplx* bj = b + j * nrhs;
        for (int64_t c = 0; c < nrhs; ++c) bi[c] -= Mul(l, bj[c]);
      }
    }
    if (iend < n)
      ZGemmSub(n - iend, nrhs, iend - i0, lu + iend * n + i0, n, b + i0 * nrhs, nrhs, b + iend * nrhs, nrhs);
  }
  for (int64_t iend = n; iend > 0; iend -= kBlock) {
    const int64_t i0 = std::max<int64_t>(0, iend - kBlock);
    for (int64_t i = iend - 1; i >= i0; --i) {
      Cplx* bi = b + i * nrhs;
      for (int64_t j = i + 1; j < iend; ++j) {
        const Cplx u = lu[i * n + j];
        if (u == Cplx(0.0, 0.0)) continue;
        const Cplx* bj = b + j * nrhs;
        for (int64_t c = 0; c < nrhs; ++c) bi[c] -= Mul(u, bj[c]);
      }
      const Cplx inv = Div(Cplx(1.0, 0.0), lu[i * n + i]);
      for (int64_t c = 0; c < nrhs; ++c) bi[c] = Mul(bi[c], inv);
    }
    if (i0 > 0) ZGemmSub(i0, nrhs, iend - i0, lu + i0, n, b + i0 * nrhs, nrhs, b, nrhs);
  }
}

// ---- Cholesky ------------------------------------------------------------------

// Right-looking blocked: the diagonal block and the panel below it by rows (only the lower triangle
// is read), then A22 -= L21 L21^H on the GEMM (the whole block: its upper half is never read).
int64_t ZCholesky(Cplx* a, int64_t n) {
  std::vector<Cplx> lh;
  for (int64_t k0 = 0; k0 < n; k0 += kBlock) {
    const int64_t kend = std::min(k0 + kBlock, n);
    for (int64_t j = k0; j < kend; ++j) {
      Cplx* rj = a + j * n;
      double d = rj[j].real();
      for (int64_t p = k0; p < j; ++p) d -= std::norm(rj[p]);
      if (!(d > 0.0)) return j + 1;
      const double ljj = std::sqrt(d);
      rj[j] = Cplx(ljj, 0.0);
      const double inv = 1.0 / ljj;
      for (int64_t i = j + 1; i < n; ++i) {
        Cplx* ri = a + i * n;
        Cplx s = ri[j];
        for (int64_t p = k0; p < j; ++p) s -= Mul(ri[p], std::conj(rj[p]));
        ri[j] = s * inv;
      }
    }
    if (kend >= n) break;
    const int64_t kb = kend - k0, rest = n - kend;
    lh.resize(static_cast<size_t>(kb * rest));
    for (int64_t i = 0; i < rest; ++i)
      for (int64_t p = 0; p < kb; ++p) lh[static_cast<size_t>(p * rest + i)] = std::conj(a[(kend + i) * n + k0 + p]);
    ZGemmSub(rest, rest, kb, a + kend * n + k0, n, lh.data(), rest, a + kend * n + kend, n);
  }
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = i + 1; j < n; ++j) a[i * n + j] = Cplx(0.0, 0.0);
  return 0;
}

// ---- QR ------------------------------------------------------------------------

namespace {

// The compact WY form H_j0 ... H_{j0+kb-1} = I - V T V^H of kb reflectors stored below the diagonal of
// a (n columns; reflector c has v = (1, a[j0+c+1:, j0+c])): V explicit (rows x kb, rows = m - j0),
// T upper triangular (zlarft, forward, columnwise).
struct BlockReflector {
  int64_t rows, kb;
  std::vector<Cplx> v, t;
  BlockReflector(const Cplx* a, int64_t m, int64_t n, const Cplx* tau, int64_t j0, int64_t kb_)
      : rows(m - j0),
        kb(kb_),
        v(static_cast<size_t>((m - j0) * kb_), Cplx(0.0, 0.0)),
        t(static_cast<size_t>(kb_ * kb_), Cplx(0.0, 0.0)) {
    for (int64_t c = 0; c < kb; ++c) {
      v[static_cast<size_t>(c * kb + c)] = Cplx(1.0, 0.0);
      for (int64_t i = c + 1; i < rows; ++i) v[static_cast<size_t>(i * kb + c)] = a[(j0 + i) * n + j0 + c];
    }
    std::vector<Cplx> z(static_cast<size_t>(kb));
    for (int64_t c = 0; c < kb; ++c) {
      const Cplx tc = tau[j0 + c];
      t[static_cast<size_t>(c * kb + c)] = tc;
      // z = V[:, :c]^H v_c, then T[:c, c] = -tc T[:c, :c] z.
      for (int64_t r = 0; r < c; ++r) z[static_cast<size_t>(r)] = Cplx(0.0, 0.0);
      for (int64_t i = c; i < rows; ++i) {
        const Cplx vi = v[static_cast<size_t>(i * kb + c)];
        for (int64_t r = 0; r < c; ++r) z[static_cast<size_t>(r)] += MulConj(v[static_cast<size_t>(i * kb + r)], vi);
      }
      for (int64_t r = 0; r < c; ++r) {
        Cplx acc(0.0, 0.0);
        for (int64_t q = r; q < c; ++q) acc += Mul(t[static_cast<size_t>(r * kb + q)], z[static_cast<size_t>(q)]);
        t[static_cast<size_t>(r * kb + c)] = -Mul(tc, acc);
      }
    }
  }
  // C (rows x ncols) = (I - V op(T) V^H) C, op(T) = T^H when adjoint (applying the block's Q^H).
  void Apply(Cplx* c, int64_t rsc, int64_t ncols, bool adjoint) const {
    if (ncols <= 0 || rows <= 0) return;
    std::vector<Cplx> w(static_cast<size_t>(kb * ncols)), w2(static_cast<size_t>(kb * ncols), Cplx(0.0, 0.0));
    ZGemmAdjA(kb, ncols, rows, v.data(), kb, c, rsc, w.data());  // w = V^H C
    for (int64_t r = 0; r < kb; ++r) {
      Cplx* out = w2.data() + r * ncols;
      const int64_t q0 = adjoint ? 0 : r, q1 = adjoint ? r + 1 : kb;
      for (int64_t q = q0; q < q1; ++q) {
        const Cplx f = adjoint ? std::conj(t[static_cast<size_t>(q * kb + r)]) : t[static_cast<size_t>(r * kb + q)];
        if (f == Cplx(0.0, 0.0)) continue;
        const Cplx* wq = w.data() + q * ncols;
        for (int64_t j = 0; j < ncols; ++j) out[j] += Mul(f, wq[j]);
      }
    }
    ZGemmSub(rows, ncols, kb, v.data(), kb, w2.data(), ncols, c, rsc);  // C -= V op(T) V^H C
  }
};

}  // namespace

// Blocked: each panel of kBlock columns unblocked (zgeqr2), the trailing columns updated with its
// compact WY form on the GEMM (zgeqrf + zlarfb).
void ZQr(Cplx* a, int64_t m, int64_t n, Cplx* tau) {
  const int64_t k = std::min(m, n);
  std::vector<Cplx> w(static_cast<size_t>(n));
  for (int64_t j0 = 0; j0 < k; j0 += kBlock) {
    const int64_t jend = std::min(j0 + kBlock, k);
    for (int64_t j = j0; j < jend; ++j) {
      Cplx alpha = a[j * n + j];
      const Cplx t = ZLarfg(m - j, &alpha, a + (j + 1) * n + j, n);
      tau[j] = t;
      a[j * n + j] = Cplx(1.0, 0.0);
      // a[j:, j+1:jend] = H^H a[j:, j+1:jend], H^H = I - conj(t) v v^H.
      if (t != Cplx(0.0, 0.0) && j + 1 < jend)
        ApplyLeft(a + j * n + j, n, m - j, a + j * n + j + 1, n, jend - j - 1, std::conj(t), w.data());
      a[j * n + j] = alpha;
    }
    if (jend < n) BlockReflector(a, m, n, tau, j0, jend - j0).Apply(a + j0 * n + jend, n, n - jend, true);
  }
}

// q (m x mc) = H_0 ... H_{k-1} I[:, :mc], block by block from the last (zungqr).
void ZQrFormQ(const Cplx* a, int64_t m, int64_t n, const Cplx* tau, Cplx* q, int64_t mc) {
  const int64_t k = std::min(m, n);
  std::fill(q, q + m * mc, Cplx(0.0, 0.0));
  for (int64_t i = 0; i < std::min(m, mc); ++i) q[i * mc + i] = Cplx(1.0, 0.0);
  if (k == 0) return;
  for (int64_t j0 = (k - 1) / kBlock * kBlock; j0 >= 0; j0 -= kBlock) {
    const int64_t jend = std::min(j0 + kBlock, k);
    BlockReflector(a, m, n, tau, j0, jend - j0).Apply(q + j0 * mc + j0, mc, mc - j0, false);
  }
}

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare
