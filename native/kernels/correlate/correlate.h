// The correlate kernel family (kernels/dispatch.h): NumPy's correlate core,
// out[k] = sum_j a[lag0 + k + j] * v[j] over the j where a is defined, for
// float64, float32, int64 (wrapping) and complex128/complex64 (CxPair:
// interleaved parts, the plain complex product). One table per ISA
// (correlate_{baseline,avx2,avx512}.cc over correlate.inc.cc); the JS entry
// point is correlate.cc.
#ifndef NDSHARE_KERNELS_CORRELATE_CORRELATE_H_
#define NDSHARE_KERNELS_CORRELATE_CORRELATE_H_

#include <cstdint>

#include "kernels/dispatch.h"

namespace ndshare {
namespace kernels {
namespace correlate {

// (a, n, v, m, out, len, lag0): every lag in [lag0, lag0 + len) lies within
// [-(m - 1), n - 1] (the caller checks).
// A complex element as the kernels see it: (re, im), the layout of complex64/128.
template <class P>
struct CxPair {
  P re, im;
  CxPair() = default;
  constexpr explicit CxPair(int zero) : re(P(zero)), im(P(zero)) {}
  constexpr CxPair(P r, P i) : re(r), im(i) {}
  friend constexpr CxPair operator+(CxPair x, CxPair y) { return {x.re + y.re, x.im + y.im}; }
  friend constexpr CxPair operator*(CxPair x, CxPair y) {
    return {x.re * y.re - x.im * y.im, x.re * y.im + x.im * y.re};
  }
};

template <class T>
using Fn = void (*)(const T* a, int64_t n, const T* v, int64_t m, T* out, int64_t len, int64_t lag0);

struct Table {
  const char* isa;
  Fn<double> f64;
  Fn<float> f32;
  Fn<uint64_t> i64;
  Fn<CxPair<double>> c128;
  Fn<CxPair<float>> c64;
};

NDSHARE_KERNEL_FAMILY(Table)

}  // namespace correlate
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_CORRELATE_CORRELATE_H_
