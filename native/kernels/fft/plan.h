// FFT plans: the stage list, twiddles and Bluestein chirps of one length and
// precision, built once in baseline code and cached (plan.cc). The kernels
// read them through the plain PlanView (fft.h).
#ifndef NDSHARE_KERNELS_FFT_PLAN_H_
#define NDSHARE_KERNELS_FFT_PLAN_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "kernels/fft/fft.h"

namespace ndshare {
namespace kernels {
namespace fft {

// The largest transform length a plan accepts (complex elements).
constexpr int64_t kMaxLength = int64_t{1} << 40;

template <typename T>
class Plan {
 public:
  // The cached plan of a complex transform of length n (1 <= n <= kMaxLength).
  // Throws std::bad_alloc when its tables do not fit.
  static std::shared_ptr<const Plan<T>> Get(int64_t n);

  explicit Plan(int64_t n);
  Plan(const Plan&) = delete;
  Plan& operator=(const Plan&) = delete;

  const PlanView<T>* view() const { return &view_; }
  int64_t n() const { return view_.n; }
  int64_t work() const { return view_.work; }  // complex elements

  // exp(-2 pi i k / n) for k <= n / 2 (the real transforms' post-twiddles), on first use.
  const T* HalfTwiddles() const;

 private:
  PlanView<T> view_{};
  std::vector<Stage<T>> stages_;
  std::vector<std::vector<T>> tables_;
  std::shared_ptr<const Plan<T>> sub_, cols_, rows_;
  std::vector<T> twHi_, twLo_;
  std::vector<T> chirp_, bk_;
  mutable std::once_flag halfOnce_;
  mutable std::vector<T> half_;
};

// The factors of n in stage order (4s, a 2, 3s, 5s, then odd primes), and
// whether Bluestein through GoodSize(2n - 1) is cheaper (or needed: a prime
// factor > kMaxRadix).
std::vector<int> Factorize(int64_t n);
bool UseBluestein(int64_t n);
// The four-step split n = n1 * n2 of a direct length past the caches, or 0.
int64_t FourStepSplit(int64_t n);
// The smallest 2/3/5-smooth integer >= n.
int64_t GoodSize(int64_t n);

extern template class Plan<double>;
extern template class Plan<float>;

}  // namespace fft
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_FFT_PLAN_H_
