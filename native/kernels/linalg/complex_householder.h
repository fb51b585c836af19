// Complex Householder reflectors shared by the complex QR, Hermitian tridiagonal
// and Hessenberg reductions (internal to kernels/linalg).
#ifndef NDSHARE_KERNELS_LINALG_COMPLEX_HOUSEHOLDER_H_
#define NDSHARE_KERNELS_LINALG_COMPLEX_HOUSEHOLDER_H_

#include <cmath>
#include <cstdint>

#include "kernels/linalg/complex.h"

namespace ndshare {
namespace kernels {
namespace linalg {

// zlarfg: H = I - tau v v^H with v = (1, x'), H^H (alpha, x) = (beta, 0), beta real. x has n - 1
// elements at stride incx and becomes v's tail; *alpha becomes beta. Returns tau (0: H = I).
inline Cplx ZLarfg(int64_t n, Cplx* alpha, Cplx* x, int64_t incx) {
  if (n <= 0) return {0.0, 0.0};
  double scale = 0.0;
  for (int64_t i = 0; i < n - 1; ++i)
    scale = std::fmax(scale, std::fmax(std::fabs(x[i * incx].real()), std::fabs(x[i * incx].imag())));
  double xnorm = 0.0;
  if (scale > 0.0) {
    double ss = 0.0;
    for (int64_t i = 0; i < n - 1; ++i) {
      const double r = x[i * incx].real() / scale, m = x[i * incx].imag() / scale;
      ss += r * r + m * m;
    }
    xnorm = scale * std::sqrt(ss);
  }
  const double ar = alpha->real(), ai = alpha->imag();
  if (xnorm == 0.0 && ai == 0.0) return {0.0, 0.0};
  const double beta = -std::copysign(std::hypot(std::hypot(ar, ai), xnorm), ar);
  const Cplx tau((beta - ar) / beta, -ai / beta);
  const Cplx s = Div(Cplx(1.0, 0.0), Cplx(ar - beta, ai));
  for (int64_t i = 0; i < n - 1; ++i) x[i * incx] = Mul(x[i * incx], s);
  *alpha = Cplx(beta, 0.0);
  return tau;
}

// C (rows x cols, row stride rsc) = (I - t v v^H) C; v has `rows` elements at stride incv (v[0] read
// as stored); w: cols scratch.
inline void ApplyLeft(const Cplx* v, int64_t incv, int64_t rows, Cplx* c, int64_t rsc, int64_t cols, Cplx t, Cplx* w) {
  for (int64_t j = 0; j < cols; ++j) w[j] = Cplx(0.0, 0.0);
  for (int64_t i = 0; i < rows; ++i) {
    const Cplx vi = std::conj(v[i * incv]);
    if (vi == Cplx(0.0, 0.0)) continue;
    const Cplx* ci = c + i * rsc;
    for (int64_t j = 0; j < cols; ++j) w[j] += Mul(vi, ci[j]);
  }
  for (int64_t i = 0; i < rows; ++i) {
    const Cplx f = Mul(t, v[i * incv]);
    if (f == Cplx(0.0, 0.0)) continue;
    Cplx* ci = c + i * rsc;
    for (int64_t j = 0; j < cols; ++j) ci[j] -= Mul(f, w[j]);
  }
}

// C (rows x cols) = C (I - t v v^H); v has `cols` elements at stride incv.
inline void ApplyRight(const Cplx* v, int64_t incv, int64_t cols, Cplx* c, int64_t rsc, int64_t rows, Cplx t) {
  for (int64_t i = 0; i < rows; ++i) {
    Cplx* ci = c + i * rsc;
    Cplx s(0.0, 0.0);
    for (int64_t j = 0; j < cols; ++j) s += Mul(ci[j], v[j * incv]);
    if (s == Cplx(0.0, 0.0)) continue;
    const Cplx f = Mul(s, t);
    for (int64_t j = 0; j < cols; ++j) ci[j] -= Mul(f, std::conj(v[j * incv]));
  }
}

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_LINALG_COMPLEX_HOUSEHOLDER_H_
