#include "kernels/random/random.h"

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "kernels/random/bitgen.h"
#include "kernels/random/distributions.h"
#include "kernels/random/scalar.h"
#include "util/errors.h"
#include "util/exports.h"

namespace ndshare {

namespace random {

double LogFactorialSlow(int64_t k) {
  long double s = 0.0L;
  for (int64_t i = 2; i <= k; ++i) s += std::log(static_cast<long double>(i));
  return static_cast<double>(s);
}

inline double LogFactorial(int64_t k) {
  static const std::vector<double> table = [] {
    std::vector<double> t(126);
    for (int64_t i = 0; i < 126; ++i) t[i] = LogFactorialSlow(i);
    return t;
  }();
  if (k < 126) return table[static_cast<size_t>(k)];
  const double halfln2pi = 0.9189385332046728;
  const double kd = static_cast<double>(k);
  return (kd + 0.5) * std::log(kd) - kd + (halfln2pi + (1 / kd) * (1 / 12.0 - 1 / (360.0 * kd * kd)));
}

}  // namespace random

namespace {

using namespace random;

// ---- argument helpers ---------------------------------------------------------

int KindArg(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  if (!info[i].IsNumber()) throw MakeTypeError(info.Env(), std::string("random.") + fn + ": kind must be a number");
  const int k = info[i].As<Napi::Number>().Int32Value();
  if (k < 0 || k > 4) throw MakeRangeError(info.Env(), std::string("random.") + fn + ": unknown bit generator kind");
  return k;
}

uint64_t* StateArg(const Napi::CallbackInfo& info, size_t i, int kind, const char* fn) {
  Napi::Env env = info.Env();
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != napi_biguint64_array)
    throw MakeTypeError(env, std::string("random.") + fn + ": state must be a BigUint64Array");
  auto a = info[i].As<Napi::BigUint64Array>();
  if (a.ElementLength() != StateWords(kind))
    throw MakeRangeError(env, std::string("random.") + fn + ": state has " + std::to_string(a.ElementLength()) +
                                  " words, expected " + std::to_string(StateWords(kind)));
  return a.Data();
}

template <class T>
T* TypedArg(const Napi::CallbackInfo& info, size_t i, napi_typedarray_type type, size_t* len, const char* what) {
  Napi::Env env = info.Env();
  if (!info[i].IsTypedArray() || info[i].As<Napi::TypedArray>().TypedArrayType() != type)
    throw MakeTypeError(env, std::string("random: ") + what + " has the wrong typed-array type");
  auto a = info[i].As<Napi::TypedArray>();
  *len = a.ElementLength();
  return reinterpret_cast<T*>(static_cast<uint8_t*>(a.ArrayBuffer().Data()) + a.ByteOffset());
}

// A parameter array: length 1 (broadcast) or n.
struct Param {
  const double* p = nullptr;
  size_t step = 0;
  double operator[](size_t i) const { return p[i * step]; }
};

Param ParamArg(const Napi::CallbackInfo& info, size_t i, size_t n, const char* what) {
  static const double kZero = 0.0;
  if (i >= info.Length() || info[i].IsUndefined()) return Param{&kZero, 0};
  size_t len = 0;
  const double* p = TypedArg<double>(info, i, napi_float64_array, &len, what);
  if (len != 1 && len != n)
    throw MakeRangeError(info.Env(), std::string("random: ") + what + " must have 1 or " + std::to_string(n) +
                                         " elements, got " + std::to_string(len));
  return Param{p, len == 1 ? size_t{0} : size_t{1}};
}

double NumberArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (!info[i].IsNumber()) throw MakeTypeError(info.Env(), std::string("random: ") + what + " must be a number");
  return info[i].As<Napi::Number>().DoubleValue();
}

size_t CountArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  const double v = NumberArg(info, i, what);
  if (!(v >= 0) || v > 9007199254740991.0 || v != std::floor(v))
    throw MakeRangeError(info.Env(), std::string("random: ") + what + " must be a non-negative integer");
  return static_cast<size_t>(v);
}

// fill(kind, state, dist, out: Float64Array, a?, b?, c?)
void JsFill(const Napi::CallbackInfo& info) {
  const int kind = KindArg(info, 0, "fill");
  uint64_t* state = StateArg(info, 1, kind, "fill");
  const int dist = static_cast<int>(NumberArg(info, 2, "distribution"));
  if (dist < 0 || dist >= kContCount) throw MakeRangeError(info.Env(), "random.fill: unknown distribution");
  size_t n = 0;
  double* out = TypedArg<double>(info, 3, napi_float64_array, &n, "out");
  const Param a = ParamArg(info, 4, n, "a"), p2 = ParamArg(info, 5, n, "b"), p3 = ParamArg(info, 6, n, "c");
  WithBits(kind, state, [&](auto& b) {
    switch (dist) {  // the hot ones without the per-element switch
      case kRandom:
        for (size_t i = 0; i < n; ++i) out[i] = b.Double();
        return;
      case kStdNormal:
        for (size_t i = 0; i < n; ++i) out[i] = StdNormal(b);
        return;
      case kStdExp:
        for (size_t i = 0; i < n; ++i) out[i] = StdExp(b);
        return;
      case kNormal:
        if (a.step == 0 && p2.step == 0) {
          const double loc = a[0], scale = p2[0];
          for (size_t i = 0; i < n; ++i) out[i] = loc + scale * StdNormal(b);
          return;
        }
        break;
      case kUniform:
        if (a.step == 0 && p2.step == 0) {
          const double low = a[0], range = p2[0];
          for (size_t i = 0; i < n; ++i) out[i] = low + range * b.Double();
          return;
        }
        break;
      default: break;
    }
    for (size_t i = 0; i < n; ++i) out[i] = ContOne(b, dist, a[i], p2[i], p3[i]);
  });
}

// fillFloat32(kind, state, dist, out: Float32Array, a?): random, standard normal, exponential (zig / inv), gamma.
void JsFillFloat32(const Napi::CallbackInfo& info) {
  const int kind = KindArg(info, 0, "fillFloat32");
  uint64_t* state = StateArg(info, 1, kind, "fillFloat32");
  const int dist = static_cast<int>(NumberArg(info, 2, "distribution"));
  size_t n = 0;
  float* out = TypedArg<float>(info, 3, napi_float32_array, &n, "out");
  const Param a = ParamArg(info, 4, n, "a");
  if (dist != kRandom && dist != kStdNormal && dist != kStdExp && dist != kStdExpInv && dist != kStdGamma)
    throw MakeRangeError(info.Env(), "random.fillFloat32: unsupported distribution", code::kUnsupported);
  WithBits(kind, state, [&](auto& b) {
    switch (dist) {
      case kRandom:
        for (size_t i = 0; i < n; ++i) out[i] = b.Float();
        return;
      case kStdNormal:
        for (size_t i = 0; i < n; ++i) out[i] = StdNormalF(b);
        return;
      case kStdExp:
        for (size_t i = 0; i < n; ++i) out[i] = StdExpF(b);
        return;
      case kStdExpInv:
        for (size_t i = 0; i < n; ++i) out[i] = -Log1pF(-b.Float());
        return;
      default:
        for (size_t i = 0; i < n; ++i) out[i] = StdGammaF(b, static_cast<float>(a[i]));
        return;
    }
  });
}

// fillInt(kind, state, dist, out: BigInt64Array, a?, b?, c?)
void JsFillInt(const Napi::CallbackInfo& info) {
  const int kind = KindArg(info, 0, "fillInt");
  uint64_t* state = StateArg(info, 1, kind, "fillInt");
  const int dist = static_cast<int>(NumberArg(info, 2, "distribution"));
  if (dist < 0 || dist >= kDiscCount) throw MakeRangeError(info.Env(), "random.fillInt: unknown distribution");
  size_t n = 0;
  int64_t* out = TypedArg<int64_t>(info, 3, napi_bigint64_array, &n, "out");
  const Param a = ParamArg(info, 4, n, "a"), p2 = ParamArg(info, 5, n, "b"), p3 = ParamArg(info, 6, n, "c");
  WithBits(kind, state, [&](auto& b) {
    for (size_t i = 0; i < n; ++i) out[i] = DiscOne(b, dist, a[i], p2[i], p3[i]);
  });
}

// integers(kind, state, bits, out, off: BigUint64Array, rng: BigUint64Array): out[i] = off + U[0, rng],
// wrapped to the width (bits 1 = bool, 8, 16, 32, 64); out is any typed array of that width.
void JsIntegers(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int kind = KindArg(info, 0, "integers");
  uint64_t* state = StateArg(info, 1, kind, "integers");
  const int bits = static_cast<int>(NumberArg(info, 2, "bits"));
  if (bits != 1 && bits != 8 && bits != 16 && bits != 32 && bits != 64)
    throw MakeRangeError(env, "random.integers: bits must be 1, 8, 16, 32 or 64");
  if (!info[3].IsTypedArray()) throw MakeTypeError(env, "random.integers: out must be a typed array");
  auto outArr = info[3].As<Napi::TypedArray>();
  const size_t width = bits == 1 ? 1 : static_cast<size_t>(bits / 8);
  if (outArr.ElementSize() != width) throw MakeTypeError(env, "random.integers: out has the wrong element size");
  const size_t n = outArr.ElementLength();
  uint8_t* out = static_cast<uint8_t*>(outArr.ArrayBuffer().Data()) + outArr.ByteOffset();
  size_t noff = 0, nrng = 0;
  const uint64_t* off = TypedArg<uint64_t>(info, 4, napi_biguint64_array, &noff, "off");
  const uint64_t* rng = TypedArg<uint64_t>(info, 5, napi_biguint64_array, &nrng, "rng");
  if ((noff != 1 && noff != n) || (nrng != 1 && nrng != n))
    throw MakeRangeError(env, "random.integers: off and rng must have 1 or out.length elements");
  const size_t so = noff == 1 ? 0 : 1, sr = nrng == 1 ? 0 : 1;
  WithBits(kind, state, [&](auto& b) {
    SmallBuf sb;
    switch (bits) {
      case 64: {
        uint64_t* o = reinterpret_cast<uint64_t*>(out);
        if (so == 0 && sr == 0) {
          const uint64_t of = off[0], r = rng[0];
          if (r != 0 && r < 0xFFFFFFFFULL) {
            for (size_t i = 0; i < n; ++i) o[i] = of + Lemire32(b, static_cast<uint32_t>(r));
          } else if (r > 0xFFFFFFFFULL && r != UINT64_MAX) {
            for (size_t i = 0; i < n; ++i) o[i] = of + Lemire64(b, r);
          } else {
            for (size_t i = 0; i < n; ++i) o[i] = Bounded(b, 64, of, r, sb);
          }
          return;
        }
        for (size_t i = 0; i < n; ++i) o[i] = Bounded(b, 64, off[i * so], rng[i * sr], sb);
        return;
      }
      case 32: {
        uint32_t* o = reinterpret_cast<uint32_t*>(out);
        if (so == 0 && sr == 0 && rng[0] != 0 && rng[0] < 0xFFFFFFFFULL) {
          const uint32_t of = static_cast<uint32_t>(off[0]), r = static_cast<uint32_t>(rng[0]);
          for (size_t i = 0; i < n; ++i) o[i] = of + Lemire32(b, r);
          return;
        }
        for (size_t i = 0; i < n; ++i) o[i] = static_cast<uint32_t>(Bounded(b, 32, off[i * so], rng[i * sr], sb));
        return;
      }
      case 16: {
        uint16_t* o = reinterpret_cast<uint16_t*>(out);
        for (size_t i = 0; i < n; ++i) o[i] = static_cast<uint16_t>(Bounded(b, 16, off[i * so], rng[i * sr], sb));
        return;
      }
      case 8:
        for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(Bounded(b, 8, off[i * so], rng[i * sr], sb));
        return;
      default:
        for (size_t i = 0; i < n; ++i) {
          const uint64_t r = rng[i * sr];
          out[i] = static_cast<uint8_t>(r == 0 ? off[i * so] : Bounded(b, 1, 0, r, sb));
        }
        return;
    }
  });
}

// raw(kind, state, out: BigUint64Array): the generator's 64-bit outputs.
void JsRaw(const Napi::CallbackInfo& info) {
  const int kind = KindArg(info, 0, "raw");
  uint64_t* state = StateArg(info, 1, kind, "raw");
  size_t n = 0;
  uint64_t* out = TypedArg<uint64_t>(info, 2, napi_biguint64_array, &n, "out");
  WithBits(kind, state, [&](auto& b) {
    for (size_t i = 0; i < n; ++i) out[i] = b.Raw();
  });
}

template <size_t W>
inline void SwapRows(uint8_t* d, size_t i, size_t j) {
  uint8_t t[W];
  std::memcpy(t, d + i * W, W);
  std::memcpy(d + i * W, d + j * W, W);
  std::memcpy(d + j * W, t, W);
}

// shuffle(kind, state, data: Uint8Array, n, rowBytes, first): Fisher-Yates from the end down to `first`
// over n rows of rowBytes contiguous bytes; j = interval(i) for i = n-1 ... first.
void JsShuffle(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int kind = KindArg(info, 0, "shuffle");
  uint64_t* state = StateArg(info, 1, kind, "shuffle");
  size_t len = 0;
  uint8_t* d = TypedArg<uint8_t>(info, 2, napi_uint8_array, &len, "data");
  const size_t n = CountArg(info, 3, "n"), row = CountArg(info, 4, "rowBytes"), first = CountArg(info, 5, "first");
  const bool lemire = info.Length() > 6 && info[6].ToBoolean();
  if (row == 0 || n > len / row) throw MakeRangeError(env, "random.shuffle: n rows of rowBytes exceed data");
  if (n < 2 || first >= n) return;
  WithBits(kind, state, [&](auto& b) {
    SmallBuf sb;
    auto loop = [&](auto swap) {
      for (size_t i = n - 1; i >= first; --i) {
        const size_t j = static_cast<size_t>(lemire ? Bounded(b, 64, 0, i, sb) : Interval(b, i));
        swap(i, j);
        if (i == 0) break;
      }
    };
    switch (row) {
      case 8: loop([&](size_t i, size_t j) { SwapRows<8>(d, i, j); }); break;
      case 4: loop([&](size_t i, size_t j) { SwapRows<4>(d, i, j); }); break;
      case 2: loop([&](size_t i, size_t j) { SwapRows<2>(d, i, j); }); break;
      case 1: loop([&](size_t i, size_t j) { SwapRows<1>(d, i, j); }); break;
      default: {
        std::vector<uint8_t> t(row);
        loop([&](size_t i, size_t j) {
          if (i == j) return;
          std::memcpy(t.data(), d + i * row, row);
          std::memcpy(d + i * row, d + j * row, row);
          std::memcpy(d + j * row, t.data(), row);
        });
      }
    }
  });
}

// intervals(kind, state, out: Float64Array, n, first): the j of each Fisher-Yates step (i = n-1 ... first),
// for shuffles of strided data done by the caller.
void JsIntervals(const Napi::CallbackInfo& info) {
  const int kind = KindArg(info, 0, "intervals");
  uint64_t* state = StateArg(info, 1, kind, "intervals");
  size_t len = 0;
  double* out = TypedArg<double>(info, 2, napi_float64_array, &len, "out");
  const size_t n = CountArg(info, 3, "n"), first = CountArg(info, 4, "first");
  const bool lemire = info.Length() > 5 && info[5].ToBoolean();
  if (n < 2 || first >= n) return;
  if (len < n - first) throw MakeRangeError(info.Env(), "random.intervals: out is too short");
  WithBits(kind, state, [&](auto& b) {
    SmallBuf sb;
    size_t k = 0;
    for (size_t i = n - 1; i >= first; --i) {
      out[k++] = static_cast<double>(lemire ? Bounded(b, 64, 0, i, sb) : Interval(b, i));
      if (i == 0) break;
    }
  });
}

// floyd(kind, state, popSize, out: BigInt64Array): a sample without replacement of out.length
// indices from [0, popSize) by Floyd's algorithm with an open-addressing set (NumPy's order).
void JsFloyd(const Napi::CallbackInfo& info) {
  const int kind = KindArg(info, 0, "floyd");
  uint64_t* state = StateArg(info, 1, kind, "floyd");
  const size_t pop = CountArg(info, 2, "popSize");
  size_t size = 0;
  int64_t* out = TypedArg<int64_t>(info, 3, napi_bigint64_array, &size, "out");
  if (size > pop) throw MakeRangeError(info.Env(), "random.floyd: more samples than the population");
  if (size == 0) return;
  uint64_t setSize = static_cast<uint64_t>(1.2 * static_cast<double>(size));
  uint64_t mask = setSize;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  std::vector<uint64_t> set(mask + 1, UINT64_MAX);
  WithBits(kind, state, [&](auto& b) {
    SmallBuf sb;
    for (size_t j = pop - size; j < pop; ++j) {
      const uint64_t val = Bounded(b, 64, 0, j, sb);
      uint64_t loc = val & mask;
      while (set[loc] != UINT64_MAX && set[loc] != val) loc = (loc + 1) & mask;
      if (set[loc] == UINT64_MAX) {
        set[loc] = val;
        out[j - pop + size] = static_cast<int64_t>(val);
      } else {
        loc = j & mask;
        while (set[loc] != UINT64_MAX) loc = (loc + 1) & mask;
        set[loc] = j;
        out[j - pop + size] = static_cast<int64_t>(j);
      }
    }
  });
}

// multinomial(kind, state, n: Float64Array (1 or rows), pvals: Float64Array (d), out: BigInt64Array (rows*d))
void JsMultinomial(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int kind = KindArg(info, 0, "multinomial");
  uint64_t* state = StateArg(info, 1, kind, "multinomial");
  size_t nn = 0, d = 0, len = 0;
  const double* ns = TypedArg<double>(info, 2, napi_float64_array, &nn, "n");
  const double* pix = TypedArg<double>(info, 3, napi_float64_array, &d, "pvals");
  int64_t* out = TypedArg<int64_t>(info, 4, napi_bigint64_array, &len, "out");
  if (d == 0 || len % d != 0) throw MakeRangeError(env, "random.multinomial: out is not a whole number of rows");
  const size_t rows = len / d;
  if (nn != 1 && nn != rows) throw MakeRangeError(env, "random.multinomial: n must have 1 or rows elements");
  std::memset(out, 0, len * sizeof(int64_t));
  WithBits(kind, state, [&](auto& b) {
    for (size_t r = 0; r < rows; ++r) {
      int64_t* mnix = out + r * d;
      int64_t dn = static_cast<int64_t>(ns[nn == 1 ? 0 : r]);
      double remaining = 1.0;
      for (size_t j = 0; j + 1 < d; ++j) {
        mnix[j] = Binomial(b, pix[j] / remaining, dn);
        dn -= mnix[j];
        if (dn <= 0) break;
        remaining -= pix[j];
      }
      if (dn > 0) mnix[d - 1] = dn;
    }
  });
}

// mvhypergeometric(kind, state, count: boolean, colors: BigInt64Array, nsample, out: BigInt64Array)
void JsMvHypergeometric(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int kind = KindArg(info, 0, "mvhypergeometric");
  uint64_t* state = StateArg(info, 1, kind, "mvhypergeometric");
  const bool count = info[2].ToBoolean();
  size_t nc = 0, len = 0;
  const int64_t* colors = TypedArg<int64_t>(info, 3, napi_bigint64_array, &nc, "colors");
  int64_t nsample = static_cast<int64_t>(CountArg(info, 4, "nsample"));
  int64_t* out = TypedArg<int64_t>(info, 5, napi_bigint64_array, &len, "out");
  if (nc == 0 || len % nc != 0) throw MakeRangeError(env, "random.mvhypergeometric: bad out length");
  int64_t total = 0;
  for (size_t i = 0; i < nc; ++i) {
    if (colors[i] < 0) throw MakeRangeError(env, "random.mvhypergeometric: negative color count");
    total += colors[i];
  }
  if (nsample > total) throw MakeRangeError(env, "random.mvhypergeometric: nsample exceeds the total");
  std::memset(out, 0, len * sizeof(int64_t));
  const size_t nv = len / nc;
  if (total == 0 || nsample == 0 || nv == 0) return;
  const bool more = nsample > total / 2;
  if (more) nsample = total - nsample;
  WithBits(kind, state, [&](auto& b) {
    if (count) {
      std::vector<size_t> choices(static_cast<size_t>(total));
      size_t k = 0;
      for (size_t i = 0; i < nc; ++i)
        for (int64_t j = 0; j < colors[i]; ++j) choices[k++] = i;
      for (size_t i = 0; i < nv * nc; i += nc) {
        for (size_t j = 0; j < static_cast<size_t>(nsample); ++j) {
          const size_t kk = j + static_cast<size_t>(Interval(b, static_cast<uint64_t>(total) - j - 1));
          std::swap(choices[kk], choices[j]);
        }
        for (size_t j = 0; j < static_cast<size_t>(nsample); ++j) out[i + choices[j]] += 1;
        if (more)
          for (size_t c = 0; c < nc; ++c) out[i + c] = colors[c] - out[i + c];
      }
      return;
    }
    for (size_t i = 0; i < nv * nc; i += nc) {
      int64_t left = nsample, remaining = total;
      for (size_t j = 0; left > 0 && j + 1 < nc; ++j) {
        remaining -= colors[j];
        const int64_t r = Hypergeometric(b, colors[j], remaining, left);
        out[i + j] = r;
        left -= r;
      }
      if (left > 0) out[i + nc - 1] = left;
      if (more)
        for (size_t c = 0; c < nc; ++c) out[i + c] = colors[c] - out[i + c];
    }
  });
}

// dirichlet(kind, state, alpha: Float64Array (k), out: Float64Array (rows*k))
void JsDirichlet(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int kind = KindArg(info, 0, "dirichlet");
  uint64_t* state = StateArg(info, 1, kind, "dirichlet");
  size_t k = 0, len = 0;
  const double* alpha = TypedArg<double>(info, 2, napi_float64_array, &k, "alpha");
  double* out = TypedArg<double>(info, 3, napi_float64_array, &len, "out");
  if (k == 0 || len % k != 0) throw MakeRangeError(env, "random.dirichlet: bad out length");
  double amax = 0;
  for (size_t j = 0; j < k; ++j) amax = alpha[j] > amax ? alpha[j] : amax;
  WithBits(kind, state, [&](auto& b) {
    if (amax < 0.1) {
      // Stick breaking with betas when every alpha is small.
      std::vector<double> csum(k);
      double acc = 0;
      for (size_t j = k; j-- > 0;) {
        acc += alpha[j];
        csum[j] = acc;
      }
      for (size_t i = 0; i < len; i += k) {
        double rest = 1.;
        size_t j = 0;
        for (; j + 1 < k; ++j) {
          const double v = Beta(b, alpha[j], csum[j + 1]);
          out[i + j] = rest * v;
          rest *= (1. - v);
        }
        out[i + k - 1] = rest;
      }
      return;
    }
    for (size_t i = 0; i < len; i += k) {
      double acc = 0.;
      for (size_t j = 0; j < k; ++j) {
        out[i + j] = StdGamma(b, alpha[j]);
        acc = acc + out[i + j];
      }
      const double inv = 1. / acc;
      for (size_t j = 0; j < k; ++j) out[i + j] = out[i + j] * inv;
    }
  });
}

// iota(out: BigInt64Array): out[i] = i (the arange that permutations and the tail shuffle start from).
void JsIota(const Napi::CallbackInfo& info) {
  size_t n = 0;
  int64_t* out = TypedArg<int64_t>(info, 0, napi_bigint64_array, &n, "out");
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<int64_t>(i);
}

}  // namespace

void InitRandom(Napi::Env env, Napi::Object exports) {
  Napi::Object r = Napi::Object::New(env);
  SetMethods(env, r,
             {
                 {"fill", JsFill},
                 {"fillFloat32", JsFillFloat32},
                 {"fillInt", JsFillInt},
                 {"integers", JsIntegers},
                 {"raw", JsRaw},
                 {"iota", JsIota},
                 {"shuffle", JsShuffle},
                 {"intervals", JsIntervals},
                 {"floyd", JsFloyd},
                 {"multinomial", JsMultinomial},
                 {"mvhypergeometric", JsMvHypergeometric},
                 {"dirichlet", JsDirichlet},
             });
  exports.Set("random", r);
}

}  // namespace ndshare
