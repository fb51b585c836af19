// Strided walks of the index kernels (index.cc): dims as (shape, byte stride)
// in C order, their merge and byte extent, and the loops over positions.
#ifndef NDSHARE_KERNELS_INDEX_DIMS_H_
#define NDSHARE_KERNELS_INDEX_DIMS_H_

#include <cstdint>

namespace ndshare {
namespace kernels {
namespace index {

constexpr int kMaxNd = 64;
using i128 = __int128;

// Strided dims (shape, byte stride), C order.
struct Dims {
  int n = 0;
  int64_t shape[kMaxNd];
  int64_t stride[kMaxNd];
  int64_t Size() const {
    int64_t s = 1;
    for (int k = 0; k < n; ++k) s *= shape[k];
    return s;
  }
  // Drops length-1 axes and merges axes that are contiguous in C order (the order of a walk stays the same).
  void Merge() {
    int m = 0;
    for (int k = 0; k < n; ++k) {
      if (shape[k] == 1) continue;
      if (m > 0 && stride[m - 1] == stride[k] * shape[k]) {
        shape[m - 1] *= shape[k];
        stride[m - 1] = stride[k];
      } else {
        shape[m] = shape[k];
        stride[m] = stride[k];
        ++m;
      }
    }
    n = m;
  }
  // Lowest and highest byte offset reached (relative), for a non-empty shape.
  void Extent(i128* lo, i128* hi) const {
    for (int k = 0; k < n; ++k) {
      const i128 e = static_cast<i128>(shape[k] - 1) * stride[k];
      if (e < 0) *lo += e;
      else *hi += e;
    }
  }
};

// Calls f(offset in a, offset in b) for every position of the first `n` dims of two
// walks of one shape (a.shape) with their own strides, C order (nothing if a length is 0).
template <class F>
void ForEachPaired(const Dims& a, const Dims& b, int n, F&& f) {
  for (int k = 0; k < n; ++k) {
    if (a.shape[k] == 0) return;
  }
  int64_t c[kMaxNd] = {0};
  int64_t oa = 0, ob = 0;
  for (;;) {
    f(oa, ob);
    int k = n - 1;
    for (; k >= 0; --k) {
      oa += a.stride[k];
      ob += b.stride[k];
      if (++c[k] < a.shape[k]) break;
      oa -= a.stride[k] * a.shape[k];
      ob -= b.stride[k] * a.shape[k];
      c[k] = 0;
    }
    if (k < 0) return;
  }
}

// Calls f(offset) for every position of dims (C order); one call with 0 for no dims.
template <class F>
void ForEach(const Dims& d, F&& f) {
  ForEachPaired(d, d, d.n, [&](int64_t off, int64_t) { f(off); });
}

// Calls run(offset, n, stride) for every run along the last axis of dims.
template <class F>
void ForEachRun(const Dims& d, F&& run) {
  if (d.n == 0) {
    run(int64_t{0}, int64_t{1}, int64_t{0});
    return;
  }
  Dims outer = d;
  outer.n = d.n - 1;
  const int64_t n = d.shape[d.n - 1], s = d.stride[d.n - 1];
  if (n == 0) return;
  ForEach(outer, [&](int64_t off) { run(off, n, s); });
}

}  // namespace index
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_INDEX_DIMS_H_
