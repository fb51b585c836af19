// The correlate kernel body, compiled once per ISA by the two-line shells
// correlate_{baseline,avx2,avx512}.cc (see kernels/dispatch.h). A direct
// O(n*m) loop, as NumPy's: the interior lags, where the whole of v overlaps a,
// run as axpy over blocks of outputs (acc[i] += v[j] * a[i + j]), which the
// compiler vectorizes at the unit's width without reassociating a sum; the
// edge lags are plain dot products in j order.
#include "kernels/isa_unit.h"

#include <algorithm>

#include "kernels/correlate/correlate.h"

namespace ndshare {
namespace kernels {
namespace correlate {
namespace NDSHARE_ISA {
namespace {

constexpr int64_t kBlock = 512;

template <class T>
void Correlate(const T* a, int64_t n, const T* v, int64_t m, T* out, int64_t len, int64_t lag0) {
  auto edge = [&](int64_t k) {
    const int64_t L = lag0 + k;
    const int64_t j0 = L < 0 ? -L : 0;
    const int64_t j1 = std::min(m, n - L);
    T acc = T(0);
    for (int64_t j = j0; j < j1; ++j) acc = T(acc + T(a[L + j] * v[j]));
    out[k] = acc;
  };
  // Interior: 0 <= L and L + m <= n, i.e. k in [kLo, kHi).
  const int64_t kLo = std::min(len, std::max<int64_t>(0, -lag0));
  const int64_t kHi = std::max(kLo, std::min(len, n - m - lag0 + 1));
  for (int64_t k = 0; k < kLo; ++k) edge(k);
  alignas(64) T acc[kBlock];
  for (int64_t k = kLo; k < kHi; k += kBlock) {
    const int64_t b = std::min(kBlock, kHi - k);
    for (int64_t i = 0; i < b; ++i) acc[i] = T(0);
    const T* base = a + lag0 + k;
    for (int64_t j = 0; j < m; ++j) {
      const T vj = v[j];
      const T* __restrict p = base + j;
      for (int64_t i = 0; i < b; ++i) acc[i] = T(acc[i] + T(p[i] * vj));
    }
    for (int64_t i = 0; i < b; ++i) out[k + i] = acc[i];
  }
  for (int64_t k = kHi; k < len; ++k) edge(k);
}

Table MakeTable() {
  return {NDSHARE_ISA_NAME,     &Correlate<double>,         &Correlate<float>,
          &Correlate<uint64_t>, &Correlate<CxPair<double>>, &Correlate<CxPair<float>>};
}

}  // namespace

NDSHARE_KERNEL_TABLE_GETTER(Table, MakeTable())

}  // namespace NDSHARE_ISA
}  // namespace correlate
}  // namespace kernels
}  // namespace ndshare
