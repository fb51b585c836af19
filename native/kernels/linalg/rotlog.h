// linalg: the plane rotations of implicit-QR sweeps (bidiagonal SVD, tridiagonal QL), logged as they
// are generated and applied later to the row-major vector matrices in one pass, instead of one pass
// per sweep. The pass goes strip by strip of columns (each strip through every logged sweep stays in
// cache) and splits the strips over the pool in one parallel region: a region per sweep costs more than
// the sweep's work on a busy machine. Logs of up to two matrices (U_B^T and V_B^T of the SVD) share the
// sweep headers.
#ifndef NDSHARE_KERNELS_LINALG_ROTLOG_H_
#define NDSHARE_KERNELS_LINALG_ROTLOG_H_

#include <algorithm>
#include <cstdint>
#include <vector>

#include "kernels/linalg/vec.h"
#include "kernels/parallel.h"

namespace ndshare {
namespace kernels {
namespace linalg {

class RotationLog {
 public:
  // mats: the matrices (n x n row-major, up to 2) the rotations go to; nullptr entries are skipped.
  RotationLog(int64_t n, double* m0, double* m1) : n_(n), mats_{m0, m1} {}

  // One sweep: rotations k in [0, count) on rows (r0 + k, r0 + k + 1), c/s per matrix.
  void Add(int64_t r0, int64_t count, bool forward, const double* c0, const double* s0, const double* c1,
           const double* s1) {
    if (count <= 0) return;
    sweeps_.push_back({r0, count, forward, static_cast<int64_t>(c_[0].size())});
    const double* c[2] = {c0, c1};
    const double* s[2] = {s0, s1};
    for (int i = 0; i < 2; ++i) {
      if (mats_[i] == nullptr) continue;
      c_[i].insert(c_[i].end(), c[i], c[i] + count);
      s_[i].insert(s_[i].end(), s[i], s[i] + count);
    }
    if (mats_[0] != nullptr) logged_ = static_cast<int64_t>(c_[0].size());
    else logged_ = static_cast<int64_t>(c_[1].size());
    if (logged_ * n_ >= kFlushAt) Flush();
  }

  // Applies every logged sweep, in order, and empties the log.
  void Flush() {
    if (sweeps_.empty()) return;
    const vec::Table* t = vec::CurrentTable();
    const int64_t n = n_;
    const int nm = mats_[1] != nullptr ? 2 : 1;
    auto body = [&](int64_t j0, int64_t j1) {
      // [j0, j1) indexes the columns of the matrices laid side by side.
      for (int64_t s0 = j0; s0 < j1; s0 += kStrip) {
        const int64_t s1 = std::min(j1, s0 + kStrip);
        for (int i = 0; i < nm; ++i) {
          double* mat = mats_[i];
          if (mat == nullptr) continue;
          const int64_t a = std::max(s0, i * n) - i * n, b = std::min(s1, (i + 1) * n) - i * n;
          if (a >= b) continue;
          for (const Sweep& w : sweeps_) {
            t->rotseq(mat, n, w.r0, w.count, c_[i].data() + w.at, s_[i].data() + w.at, w.forward, a, b);
          }
        }
      }
    };
    const int64_t cols = nm * n;
    if (logged_ * cols >= 65536) {
      parallel::For(cols, kStrip, body);
    } else {
      body(0, cols);
    }
    sweeps_.clear();
    for (int i = 0; i < 2; ++i) {
      c_[i].clear();
      s_[i].clear();
    }
    logged_ = 0;
  }

 private:
  struct Sweep {
    int64_t r0, count;
    bool forward;
    int64_t at;
  };
  static constexpr int64_t kStrip = 32;
  // Flushed once the log holds this many row-element updates per matrix (test/81's 260 x 260 SVD flushes
  // mid-way). A QR run logs about 2.3 n^2 rotations, so the log never holds more than a few MiB.
  static constexpr int64_t kFlushAt = int64_t{1} << 25;
  int64_t n_;
  double* mats_[2];
  std::vector<Sweep> sweeps_;
  std::vector<double> c_[2], s_[2];
  int64_t logged_ = 0;
};

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_LINALG_ROTLOG_H_
