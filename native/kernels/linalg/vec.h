// The linalg vector kernel family (kernels/dispatch.h): the level-1/2 loops of
// the reductions to bidiagonal and tridiagonal form and of the QR sweeps that
// follow, where the scalar code would run at SSE2 width. One table per ISA
// (vec_{baseline,avx2,avx512}.cc over vec.inc.cc); callers are svd.cc and
// eigen.cc. float64 only, row-major, strides in elements.
#ifndef NDSHARE_KERNELS_LINALG_VEC_H_
#define NDSHARE_KERNELS_LINALG_VEC_H_

#include <cstdint>

#include "kernels/dispatch.h"

namespace ndshare {
namespace kernels {
namespace linalg {
namespace vec {

// The fewest elements a matrix-vector product or rank-2 update must touch before it is split over
// the pool: a parallel region must carry a few hundred microseconds of work, or waking the pool's
// threads (descheduled on a busy machine) costs more than it saves.
constexpr int64_t kParallelMin = int64_t{1} << 20;

struct Table {
  const char* isa;
  // Applies the rotations (c[k], s[k]), k in [0, count), to the row pairs (r0 + k, r0 + k + 1) of
  // mat (row stride ld), columns [j0, j1): x := c x + s y, y := c y - s x. Forward: k ascending;
  // else descending. Each element is loaded and stored once per sequence.
  void (*rotseq)(double* mat, int64_t ld, int64_t r0, int64_t count, const double* c, const double* s, bool forward,
                 int64_t j0, int64_t j1);
  // y[j] += sum_r u[r] a[r * lda + j], r in [0, rows), j in [0, cols).
  void (*gemvt)(const double* a, int64_t lda, int64_t rows, int64_t cols, const double* u, double* y);
  // x[r] = sum_j a[r * lda + j] v[j], r in [0, rows), j in [0, cols).
  void (*gemvn)(const double* a, int64_t lda, int64_t rows, int64_t cols, const double* v, double* x);
  // a[r * lda + j] -= x[r] y[j] + w[r] v[j], r in [0, rows), j in [0, cols) (a symmetric rank-2 update).
  void (*ger2)(double* a, int64_t lda, int64_t rows, int64_t cols, const double* x, const double* y, const double* w,
               const double* v);
  // a[r * lda + j] -= x[r] y[j] (a rank-1 update).
  void (*ger)(double* a, int64_t lda, int64_t rows, int64_t cols, const double* x, const double* y);
  // p[i] += sum_j B[i][j] v[j] for the symmetric n x n B of which only the lower triangle (j <= i) of a
  // (row stride lda) is read: one pass over the triangle.
  void (*symvl)(const double* a, int64_t lda, int64_t n, const double* v, double* p);
};

NDSHARE_KERNEL_FAMILY(Table)

}  // namespace vec
}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_LINALG_VEC_H_
