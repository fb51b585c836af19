// FFT plans (plan.h): factorization, Stockham twiddles, Bluestein chirps,
// and the process-wide cache keyed by (length, precision).
#include "kernels/fft/plan.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <map>
#include <mutex>
#include <utility>

namespace ndshare {
namespace kernels {
namespace fft {

namespace {

constexpr double kPi = 3.14159265358979323846264338327950288;

// exp(-2 pi i k / L), k reduced mod L and folded to the nearer half for accuracy.
inline void Root(int64_t k, int64_t L, double* re, double* im) {
  k %= L;
  if (k < 0) k += L;
  bool conj = false;
  if (2 * k > L) {
    k = L - k;
    conj = true;
  }
  const double a = 2.0 * kPi * static_cast<double>(k) / static_cast<double>(L);
  *re = std::cos(a);
  *im = conj ? std::sin(a) : -std::sin(a);
}

// pocketfft-style cost model: n times the sum of the factors (odd radices
// above 5 a little dearer), to choose between direct and Bluestein.
double CostGuess(int64_t n) {
  double cost = 0;
  int64_t x = n;
  for (int64_t f = 2; f * f <= x; ++f) {
    while (x % f == 0) {
      cost += f <= 5 ? static_cast<double>(f) : 1.1 * static_cast<double>(f);
      x /= f;
    }
  }
  if (x > 1) cost += x <= 5 ? static_cast<double>(x) : 1.1 * static_cast<double>(x);
  return cost * static_cast<double>(n);
}

int64_t LargestFactor(int64_t n) {
  int64_t big = 1, x = n;
  for (int64_t f = 2; f * f <= x; ++f) {
    while (x % f == 0) {
      big = f;
      x /= f;
    }
  }
  return x > 1 ? x : big;
}

}  // namespace

int64_t GoodSize(int64_t n) {
  if (n <= 1) return 1;
  for (int64_t m = n;; ++m) {
    int64_t x = m;
    while (x % 2 == 0) x /= 2;
    while (x % 3 == 0) x /= 3;
    while (x % 5 == 0) x /= 5;
    if (x == 1) return m;
  }
}

// Past this many points a Stockham pass streams through memory: split.
constexpr int64_t kFourStepMin = int64_t{1} << 17;

int64_t FourStepSplit(int64_t n) {
  if (n < kFourStepMin) return 0;
  int64_t d = static_cast<int64_t>(std::sqrt(static_cast<double>(n)));
  while (d > 1 && n % d != 0) --d;
  return d >= 16 ? d : 0;
}

bool UseBluestein(int64_t n) {
  if (n <= 5) return false;
  if (LargestFactor(n) > kMaxRadix) return true;
  const double direct = CostGuess(n);
  const double blue = 2.0 * CostGuess(GoodSize(2 * n - 1)) * 1.5;
  return blue < direct;
}

std::vector<int> Factorize(int64_t n) {
  std::vector<int> f;
  while (n % 4 == 0) {
    f.push_back(4);
    n /= 4;
  }
  if (n % 2 == 0) {
    f.push_back(2);
    n /= 2;
  }
  for (int64_t p = 3; p * p <= n; p += 2) {
    while (n % p == 0) {
      f.push_back(static_cast<int>(p));
      n /= p;
    }
  }
  if (n > 1) f.push_back(static_cast<int>(n));
  return f;
}

template <typename T>
Plan<T>::Plan(int64_t n) {
  view_.n = n;
  view_.work = n;
  if (n <= 1) {
    view_.work = 0;
    return;
  }
  if (UseBluestein(n)) {
    const int64_t m = GoodSize(2 * n - 1);
    sub_ = Get(m);
    view_.sub = sub_->view();
    view_.m = m;
    view_.work = m + sub_->work();
    chirp_.resize(static_cast<size_t>(2 * n));
    const int64_t n2 = 2 * n;
    for (int64_t k = 0; k < n; ++k) {
      // exp(-i pi k^2 / n) = exp(-2 pi i (k^2 mod 2n) / 2n), k^2 exact in 128 bits
      const int64_t e = static_cast<int64_t>((static_cast<unsigned __int128>(k) * static_cast<unsigned __int128>(k)) %
                                             static_cast<unsigned __int128>(n2));
      double re, im;
      Root(e, n2, &re, &im);
      chirp_[2 * k] = static_cast<T>(re);
      chirp_[2 * k + 1] = static_cast<T>(im);
    }
    // b_t = conj(c_|t|) on the m-periodic line, transformed and scaled by 1/m
    // (built in the plan's precision: the kernel's own transform).
    bk_.assign(static_cast<size_t>(2 * m), T(0));
    std::vector<double> bd(static_cast<size_t>(2 * m), 0.0);
    for (int64_t k = 0; k < n; ++k) {
      const int64_t e = static_cast<int64_t>((static_cast<unsigned __int128>(k) * static_cast<unsigned __int128>(k)) %
                                             static_cast<unsigned __int128>(n2));
      double re, im;
      Root(e, n2, &re, &im);
      bd[2 * k] = re;
      bd[2 * k + 1] = -im;
      if (k > 0) {
        bd[2 * (m - k)] = re;
        bd[2 * (m - k) + 1] = -im;
      }
    }
    // Transform b in double precision whatever T is, then round once.
    std::shared_ptr<const Plan<double>> dsub = Plan<double>::Get(m);
    std::vector<double> dwork(static_cast<size_t>(2 * dsub->work() + 2));
    CurrentTable()->f64(dsub->view(), bd.data(), dwork.data());
    const double inv = 1.0 / static_cast<double>(m);
    for (int64_t k = 0; k < 2 * m; ++k) bk_[k] = static_cast<T>(bd[k] * inv);
    view_.chirp = chirp_.data();
    view_.bk = bk_.data();
    return;
  }
  if (const int64_t n1 = FourStepSplit(n)) {
    const int64_t n2 = n / n1;
    cols_ = Get(n1);
    rows_ = Get(n2);
    view_.cols = cols_->view();
    view_.rows = rows_->view();
    view_.n1 = n1;
    view_.n2 = n2;
    int64_t b = static_cast<int64_t>(std::sqrt(static_cast<double>(n)));
    if (b < 1) b = 1;
    view_.twB = b;
    twLo_.resize(static_cast<size_t>(2 * b));
    for (int64_t l = 0; l < b; ++l) {
      double re, im;
      Root(l, n, &re, &im);
      twLo_[2 * l] = static_cast<T>(re);
      twLo_[2 * l + 1] = static_cast<T>(im);
    }
    const int64_t hiCount = (n1 - 1) * (n2 - 1) / b + 1;
    twHi_.resize(static_cast<size_t>(2 * hiCount));
    for (int64_t h = 0; h < hiCount; ++h) {
      double re, im;
      Root(h * b, n, &re, &im);
      twHi_[2 * h] = static_cast<T>(re);
      twHi_[2 * h + 1] = static_cast<T>(im);
    }
    view_.twHi = twHi_.data();
    view_.twLo = twLo_.data();
    // transpose target n, plus the gathered columns and the larger sub-work
    view_.work = n + std::max(kFourStepCols * n1 + cols_->work(), rows_->work());
    return;
  }
  const std::vector<int> factors = Factorize(n);
  int64_t L = n, s = 1;
  stages_.reserve(factors.size());
  tables_.reserve(factors.size() * 2);
  for (int p : factors) {
    Stage<T> st{};
    st.p = p;
    st.m = L / p;
    st.s = s;
    if (st.m > 1) {
      tables_.emplace_back(static_cast<size_t>(2 * st.m * (p - 1)));
      std::vector<T>& tw = tables_.back();
      for (int64_t j = 0; j < st.m; ++j) {
        for (int r = 1; r < p; ++r) {
          double re, im;
          Root(static_cast<int64_t>(r) * j, L, &re, &im);
          const size_t at = static_cast<size_t>(2 * (j * (p - 1) + r - 1));
          tw[at] = static_cast<T>(re);
          tw[at + 1] = static_cast<T>(im);
        }
      }
      st.tw = tw.data();
    }
    if (p != 2 && p != 3 && p != 4 && p != 5) {
      tables_.emplace_back(static_cast<size_t>(2 * p));
      std::vector<T>& roots = tables_.back();
      for (int t = 0; t < p; ++t) {
        double re, im;
        Root(t, p, &re, &im);
        roots[2 * t] = static_cast<T>(re);
        roots[2 * t + 1] = static_cast<T>(im);
      }
      st.roots = roots.data();
    }
    stages_.push_back(st);
    L /= p;
    s *= p;
  }
  view_.nstages = static_cast<int>(stages_.size());
  view_.stages = stages_.data();
}

template <typename T>
const T* Plan<T>::HalfTwiddles() const {
  std::call_once(halfOnce_, [this] {
    const int64_t n = view_.n;
    half_.resize(static_cast<size_t>(2 * (n + 1)));
    for (int64_t k = 0; k <= n; ++k) {
      double re, im;
      Root(k, 2 * n, &re, &im);
      half_[2 * k] = static_cast<T>(re);
      half_[2 * k + 1] = static_cast<T>(im);
    }
  });
  return half_.data();
}

namespace {

// The cache: the last kCacheSize plans of each precision; a plan in use
// stays alive through its shared_ptr when evicted.
constexpr size_t kCacheSize = 32;

template <typename T>
struct Cache {
  std::mutex mu;
  std::map<int64_t, std::shared_ptr<const Plan<T>>> plans;
  std::deque<int64_t> order;
};

template <typename T>
Cache<T>& CacheOf() {
  static Cache<T>* cache = new Cache<T>();  // never destroyed: no exit-order issues
  return *cache;
}

}  // namespace

template <typename T>
std::shared_ptr<const Plan<T>> Plan<T>::Get(int64_t n) {
  Cache<T>& c = CacheOf<T>();
  {
    std::lock_guard<std::mutex> lock(c.mu);
    auto it = c.plans.find(n);
    if (it != c.plans.end()) return it->second;
  }
  // Built outside the lock: a Bluestein plan gets its sub-plan from the cache.
  auto plan = std::make_shared<const Plan<T>>(n);
  std::lock_guard<std::mutex> lock(c.mu);
  auto it = c.plans.find(n);
  if (it != c.plans.end()) return it->second;
  c.plans.emplace(n, plan);
  c.order.push_back(n);
  while (c.order.size() > kCacheSize) {
    c.plans.erase(c.order.front());
    c.order.pop_front();
  }
  return plan;
}

template class Plan<double>;
template class Plan<float>;

}  // namespace fft
}  // namespace kernels
}  // namespace ndshare
