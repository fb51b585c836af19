// math.interp(x, xp, fp, out, left, right): NumPy's np.interp core over
// float64 arrays (x and out of one length, xp and fp of another, xp
// increasing; the TS layer, src/math/interp.ts, casts, handles `period` and
// the one-point case and checks the arguments first).
//
// Where NumPy searches each x with a guess from the previous one (fast for
// sorted x, a chain of mispredicted branches for scattered x), this searches
// four x at a time without branches: the number of halving steps depends only
// on len(xp), each step is a compare and a conditional add, and the four
// independent searches overlap their loads. Results are NumPy's, including
// its rules for x equal to a sample point, NaN x, and non-finite slopes.
#include <cstdint>
#include <string>
#include <vector>

#include "kernels/math.h"
#include "util/args.h"
#include "util/errors.h"
#include "util/exports.h"

namespace ndshare {
namespace kernels {
namespace {

Napi::Float64Array F64Arg(const Napi::CallbackInfo& info, size_t index, const char* arg) {
  if (!info[index].IsTypedArray() || info[index].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw MakeTypeError(info.Env(), std::string("math.interp: ") + arg + " must be a Float64Array");
  }
  return info[index].As<Napi::Float64Array>();
}

// The last k with xp[k] <= v, for xp[0] <= v (any other v gives 0; the caller
// tests those first). Four values at once.
inline void Search4(const double* xp, int64_t n, const double* v, int64_t* j) {
  int64_t lo0 = 0, lo1 = 0, lo2 = 0, lo3 = 0;
  for (int64_t len = n; len > 1;) {
    const int64_t half = len >> 1;
    lo0 += xp[lo0 + half] <= v[0] ? half : 0;
    lo1 += xp[lo1 + half] <= v[1] ? half : 0;
    lo2 += xp[lo2 + half] <= v[2] ? half : 0;
    lo3 += xp[lo3 + half] <= v[3] ? half : 0;
    len -= half;
  }
  j[0] = lo0;
  j[1] = lo1;
  j[2] = lo2;
  j[3] = lo3;
}

inline int64_t Search1(const double* xp, int64_t n, double v) {
  int64_t lo = 0;
  for (int64_t len = n; len > 1;) {
    const int64_t half = len >> 1;
    lo += xp[lo + half] <= v ? half : 0;
    len -= half;
  }
  return lo;
}

// math.interp(x, xp, fp, out, left, right)
void JsInterp(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Float64Array xa = F64Arg(info, 0, "x");
  Napi::Float64Array xpa = F64Arg(info, 1, "xp");
  Napi::Float64Array fpa = F64Arg(info, 2, "fp");
  Napi::Float64Array outa = F64Arg(info, 3, "out");
  if (!info[4].IsNumber() || !info[5].IsNumber())
    throw MakeTypeError(env, "math.interp: left and right must be numbers");
  const double lval = info[4].As<Napi::Number>().DoubleValue();
  const double rval = info[5].As<Napi::Number>().DoubleValue();
  const int64_t m = static_cast<int64_t>(xa.ElementLength());
  const int64_t n = static_cast<int64_t>(xpa.ElementLength());
  if (n < 2) throw MakeRangeError(env, "math.interp: xp must have at least two points");
  if (static_cast<int64_t>(fpa.ElementLength()) != n)
    throw MakeRangeError(env, "math.interp: xp and fp differ in length");
  if (static_cast<int64_t>(outa.ElementLength()) != m)
    throw MakeRangeError(env, "math.interp: x and out differ in length");
  const double* x = xa.Data();
  const double* xp = xpa.Data();
  const double* fp = fpa.Data();
  double* out = outa.Data();
  const double first = xp[0];
  const double last = xp[n - 1];
  // Slopes once per interval when there are fewer intervals than points (NumPy does the same; same values).
  std::vector<double> slopes;
  if (n <= m) {
    slopes.resize(static_cast<size_t>(n - 1));
    for (int64_t k = 0; k < n - 1; ++k) slopes[k] = (fp[k + 1] - fp[k]) / (xp[k + 1] - xp[k]);
  }
  const double* sl = slopes.empty() ? nullptr : slopes.data();
  auto finish = [&](double v, int64_t j) -> double {
    if (v != v) return v;
    if (v < first) return lval;
    if (v > last) return rval;
    if (j >= n - 1) return fp[n - 1];  // v == xp[n - 1]
    const double xj = xp[j];
    const double fj = fp[j];
    if (xj == v) return fj;
    const double fj1 = fp[j + 1];
    const double slope = sl != nullptr ? sl[j] : (fj1 - fj) / (xp[j + 1] - xj);
    double res = slope * (v - xj) + fj;
    if (res != res) {
      res = slope * (v - xp[j + 1]) + fj1;
      if (res != res && fj == fj1) res = fj;
    }
    return res;
  };
  int64_t i = 0;
  int64_t j[4];
  for (; i + 4 <= m; i += 4) {
    Search4(xp, n, x + i, j);
    // Computed into registers first: out may be x itself.
    const double r0 = finish(x[i], j[0]), r1 = finish(x[i + 1], j[1]), r2 = finish(x[i + 2], j[2]),
                 r3 = finish(x[i + 3], j[3]);
    out[i] = r0;
    out[i + 1] = r1;
    out[i + 2] = r2;
    out[i + 3] = r3;
  }
  for (; i < m; ++i) out[i] = finish(x[i], Search1(xp, n, x[i]));
}

}  // namespace

void InitInterp(Napi::Env env, Napi::Object math) { SetMethods(env, math, {{"interp", JsInterp}}); }

}  // namespace kernels
}  // namespace ndshare
