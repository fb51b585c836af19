// fft: the per-ISA kernel table of the FFT family (kernels/dispatch.h).
//
// A plan (plan.h, built and cached by plan.cc in baseline code) is exposed to
// the per-ISA units as a PlanView: plain pointers and integers only, so that
// no inline library code (std::vector, ...) is instantiated in an AVX unit
// and picked by the linker for a baseline path.
//
// Complex data is interleaved (re, im) pairs of T, as NumPy's complex64 /
// complex128. Every transform here is the forward one (sign -1, unscaled):
// callers get the backward one by conjugating on the way in and out.
#ifndef NDSHARE_KERNELS_FFT_FFT_H_
#define NDSHARE_KERNELS_FFT_FFT_H_

#include <cstdint>

#include "kernels/dispatch.h"

namespace ndshare {
namespace kernels {
namespace fft {

// The largest odd radix a stage takes directly; lengths with a larger prime
// factor go through Bluestein.
constexpr int kMaxRadix = 127;

// Columns a four-step pass gathers together (two cache lines of complex128).
constexpr int64_t kFourStepCols = 8;

// One Stockham stage of radix p over sub-transforms of length L = p * m,
// `s` = n / L of them side by side (the autosort stride).
template <typename T>
struct Stage {
  int p;
  int64_t m;
  int64_t s;
  const T* tw;     // m * (p - 1) complex twiddles: tw[j * (p - 1) + r - 1] = w_L^(r j); null when m == 1
  const T* roots;  // generic odd radix: p complex roots w_p^t (t < p); null for 2, 3, 4, 5
};

template <typename T>
struct PlanView {
  int64_t n;
  int nstages;  // 0 for n == 1 or a Bluestein plan
  const Stage<T>* stages;
  // Bluestein (nstages == 0 && sub != null): n-point transform through
  // m-point ones, m >= 2n - 1 and 2/3/5-smooth.
  const PlanView<T>* sub;
  int64_t m;
  const T* chirp;  // n complex: exp(-i pi k^2 / n)
  const T* bk;     // m complex: the transform of the conjugated chirp, scaled by 1/m
  // Four-step (nstages == 0 && cols != null), for lengths past the caches:
  // n = n1 * n2; n2 column transforms of length n1 (stride n2), twiddles
  // w_n^(i2 k1) = twHi[e / twB] * twLo[e % twB] (e = i2 k1), n1 row
  // transforms of length n2, then a transpose.
  const PlanView<T>* cols;  // length n1
  const PlanView<T>* rows;  // length n2
  int64_t n1, n2, twB;
  const T* twHi;
  const T* twLo;
  int64_t work;  // complex elements of scratch a transform needs (besides its data)
};

// forward(plan, data, work): data (n complex) <- its DFT; work holds
// plan->work complex elements.
template <typename T>
using ForwardFn = void (*)(const PlanView<T>* plan, T* data, T* work);

struct Table {
  const char* name;
  ForwardFn<double> f64;
  ForwardFn<float> f32;
};

NDSHARE_KERNEL_FAMILY(Table)

}  // namespace fft
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_FFT_FFT_H_
