// Counting entry points of the `sort` export: runs (unique), intRange,
// bincount, histogram. Every length and every index written is checked.
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>

#include "kernels/dtype.h"
#include "kernels/sort/args.h"
#include "kernels/sort/sort.h"
#include "util/errors.h"
#include "util/exports.h"

namespace ndshare {
namespace kernels {
namespace {

using namespace sortargs;  // NOLINT: the argument helpers of this folder

// ---- runs of equal values (unique) ------------------------------------------

// Starts of the runs of equal values of a sorted row (equality by value: -0 ==
// +0, NaN equals nothing, unless equalNan folds every NaN at the end into one run).
template <typename T, typename Eq>
size_t Runs(const T* x, size_t n, Eq eq, int64_t* starts) {
  size_t k = 0;
  if (n == 0) return 0;
  starts[k++] = 0;
  for (size_t i = 1; i < n; ++i) {
    if (!eq(x[i - 1], x[i])) starts[k++] = static_cast<int64_t>(i);
  }
  return k;
}

// sort.runs(dtype, buf, n, equalNan, starts: BigInt64Array (n), counts: BigInt64Array | null) -> k.
Napi::Value JsRuns(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int d = DTypeArg(info, 0, "runs");
  Span buf = BufArg(info, 1, "runs", "buf");
  size_t n = SizeArg(info, 2, "runs", "n");
  const bool equalNan = info.Length() > 3 && info[3].ToBoolean().Value();
  Span st = BufArg(info, 4, "runs", "starts");
  const bool withCounts = info.Length() > 5 && info[5].IsTypedArray();
  Span ct{nullptr, 0};
  Need(env, "runs", "buf", buf, n, kItemSize[d]);
  Need(env, "runs", "starts", st, n, 8);
  if (withCounts) {
    ct = BufArg(info, 5, "runs", "counts");
    Need(env, "runs", "counts", ct, n, 8);
  }
  if (reinterpret_cast<uintptr_t>(buf.data) % kItemSize[d] || reinterpret_cast<uintptr_t>(st.data) % 8 ||
      (withCounts && reinterpret_cast<uintptr_t>(ct.data) % 8)) {
    Bad(env, "runs", "misaligned");
  }
  int64_t* starts = reinterpret_cast<int64_t*>(st.data);
  size_t k = 0;
  bool isNan = false;  // the last element is NaN
  auto exact = [](auto a, auto b) { return a == b; };
  switch (d) {
    case kBool:
    case kUint8: k = Runs(reinterpret_cast<const uint8_t*>(buf.data), n, exact, starts); break;
    case kInt8: k = Runs(reinterpret_cast<const int8_t*>(buf.data), n, exact, starts); break;
    case kInt16: k = Runs(reinterpret_cast<const int16_t*>(buf.data), n, exact, starts); break;
    case kUint16: k = Runs(reinterpret_cast<const uint16_t*>(buf.data), n, exact, starts); break;
    case kInt32: k = Runs(reinterpret_cast<const int32_t*>(buf.data), n, exact, starts); break;
    case kUint32: k = Runs(reinterpret_cast<const uint32_t*>(buf.data), n, exact, starts); break;
    case kInt64: k = Runs(reinterpret_cast<const int64_t*>(buf.data), n, exact, starts); break;
    case kUint64: k = Runs(reinterpret_cast<const uint64_t*>(buf.data), n, exact, starts); break;
    case kFloat32: {
      const float* x = reinterpret_cast<const float*>(buf.data);
      k = Runs(x, n, exact, starts);
      isNan = n > 0 && x[n - 1] != x[n - 1];
      break;
    }
    case kFloat64: {
      const double* x = reinterpret_cast<const double*>(buf.data);
      k = Runs(x, n, exact, starts);
      isNan = n > 0 && x[n - 1] != x[n - 1];
      break;
    }
    default: {
      const uint16_t* x = reinterpret_cast<const uint16_t*>(buf.data);
      auto val = [d](uint16_t h) { return d == kFloat16 ? HalfToFloat(h) : BitsF32(static_cast<uint32_t>(h) << 16); };
      k = Runs(
          x, n, [&](uint16_t a, uint16_t b) { return val(a) == val(b); }, starts);
      isNan = n > 0 && val(x[n - 1]) != val(x[n - 1]);
      break;
    }
  }
  if (equalNan && isNan) {
    // Every NaN is its own run at the end: keep the first.
    size_t first = n - 1;
    if (d == kFloat64) {
      const double* x = reinterpret_cast<const double*>(buf.data);
      while (first > 0 && x[first - 1] != x[first - 1]) --first;
    } else if (d == kFloat32) {
      const float* x = reinterpret_cast<const float*>(buf.data);
      while (first > 0 && x[first - 1] != x[first - 1]) --first;
    } else {
      const uint16_t* x = reinterpret_cast<const uint16_t*>(buf.data);
      auto val = [d](uint16_t h) { return d == kFloat16 ? HalfToFloat(h) : BitsF32(static_cast<uint32_t>(h) << 16); };
      while (first > 0 && val(x[first - 1]) != val(x[first - 1])) --first;
    }
    while (k > 0 && static_cast<size_t>(starts[k - 1]) > first) --k;
  }
  if (withCounts) {
    int64_t* c = reinterpret_cast<int64_t*>(ct.data);
    for (size_t j = 0; j < k; ++j) c[j] = (j + 1 < k ? starts[j + 1] : static_cast<int64_t>(n)) - starts[j];
  }
  return Napi::Number::New(env, static_cast<double>(k));
}

// ---- bincount / histogram ---------------------------------------------------

template <typename T>
void IntRange(const T* x, size_t n, double* lo, double* hi) {
  T mn = x[0], mx = x[0];
  for (size_t i = 1; i < n; ++i) {
    mn = x[i] < mn ? x[i] : mn;
    mx = x[i] > mx ? x[i] : mx;
  }
  *lo = static_cast<double>(mn);
  *hi = static_cast<double>(mx);
}

template <typename Fn>
void ByInt(int d, Fn&& fn) {
  switch (d) {
    case kBool:
    case kUint8: fn(uint8_t{}); break;
    case kInt8: fn(int8_t{}); break;
    case kInt16: fn(int16_t{}); break;
    case kUint16: fn(uint16_t{}); break;
    case kInt32: fn(int32_t{}); break;
    case kUint32: fn(uint32_t{}); break;
    case kInt64: fn(int64_t{}); break;
    default: fn(uint64_t{}); break;
  }
}

// sort.intRange(dtype, x, n) -> [min, max] (integer dtypes; n > 0).
Napi::Value JsIntRange(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int d = DTypeArg(info, 0, "intRange");
  if (IsFloat(d)) Bad(env, "intRange", "integer dtype expected");
  Span x = BufArg(info, 1, "intRange", "x");
  size_t n = SizeArg(info, 2, "intRange", "n");
  Need(env, "intRange", "x", x, n, kItemSize[d]);
  if (n == 0) Bad(env, "intRange", "empty input");
  double lo = 0, hi = 0;
  ByInt(d, [&](auto z) {
    using T = decltype(z);
    IntRange<T>(reinterpret_cast<const T*>(x.data), n, &lo, &hi);
  });
  Napi::Array r = Napi::Array::New(env, 2);
  r.Set(uint32_t{0}, Napi::Number::New(env, lo));
  r.Set(uint32_t{1}, Napi::Number::New(env, hi));
  return r;
}

// sort.bincount(dtype, x, n, weights: Float64Array | null, out: BigInt64Array | Float64Array, nbins).
// Every x must be in [0, nbins) (checked: a RangeError otherwise).
void JsBincount(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int d = DTypeArg(info, 0, "bincount");
  if (IsFloat(d)) Bad(env, "bincount", "integer dtype expected");
  Span x = BufArg(info, 1, "bincount", "x");
  size_t n = SizeArg(info, 2, "bincount", "n");
  Need(env, "bincount", "x", x, n, kItemSize[d]);
  const bool weighted = info.Length() > 3 && info[3].IsTypedArray();
  Span w{nullptr, 0};
  if (weighted) {
    w = BufArg(info, 3, "bincount", "weights");
    Need(env, "bincount", "weights", w, n, 8);
  }
  Span out = BufArg(info, 4, "bincount", "out");
  size_t nbins = SizeArg(info, 5, "bincount", "nbins");
  Need(env, "bincount", "out", out, nbins, 8);
  bool bad = false;
  ByInt(d, [&](auto z) {
    using T = decltype(z);
    const T* px = reinterpret_cast<const T*>(x.data);
    if (weighted) {
      const double* pw = reinterpret_cast<const double*>(w.data);
      double* o = reinterpret_cast<double*>(out.data);
      for (size_t i = 0; i < n; ++i) {
        // One unsigned compare: a negative v wraps to a huge index.
        const uint64_t v = static_cast<uint64_t>(static_cast<int64_t>(px[i]));
        if (v >= nbins) {
          bad = true;
          break;
        }
        o[v] += pw[i];
      }
    } else {
      int64_t* o = reinterpret_cast<int64_t*>(out.data);
      for (size_t i = 0; i < n; ++i) {
        const uint64_t v = static_cast<uint64_t>(static_cast<int64_t>(px[i]));
        if (v >= nbins) {
          bad = true;
          break;
        }
        ++o[v];
      }
    }
  });
  if (bad) Bad(env, "bincount", "value out of range");
}

template <typename T>
inline double AsDouble(T v) {
  return static_cast<double>(v);
}

// Reads element i of x (any dtype) as a double.
template <typename S>
struct Reader {
  const S* p;
  double operator()(size_t i) const { return static_cast<double>(p[i]); }
};
struct HalfReader {
  const uint16_t* p;
  double operator()(size_t i) const { return HalfToFloat(p[i]); }
};
struct Bf16Reader {
  const uint16_t* p;
  double operator()(size_t i) const { return BitsF32(static_cast<uint32_t>(p[i]) << 16); }
};

template <typename Fn>
void ByReader(int d, const uint8_t* data, Fn&& fn) {
  switch (d) {
    case kBool:
    case kUint8: fn(Reader<uint8_t>{data}); break;
    case kInt8: fn(Reader<int8_t>{reinterpret_cast<const int8_t*>(data)}); break;
    case kInt16: fn(Reader<int16_t>{reinterpret_cast<const int16_t*>(data)}); break;
    case kUint16: fn(Reader<uint16_t>{reinterpret_cast<const uint16_t*>(data)}); break;
    case kInt32: fn(Reader<int32_t>{reinterpret_cast<const int32_t*>(data)}); break;
    case kUint32: fn(Reader<uint32_t>{reinterpret_cast<const uint32_t*>(data)}); break;
    case kInt64: fn(Reader<int64_t>{reinterpret_cast<const int64_t*>(data)}); break;
    case kUint64: fn(Reader<uint64_t>{reinterpret_cast<const uint64_t*>(data)}); break;
    case kFloat16: fn(HalfReader{reinterpret_cast<const uint16_t*>(data)}); break;
    case kBfloat16: fn(Bf16Reader{reinterpret_cast<const uint16_t*>(data)}); break;
    case kFloat32: fn(Reader<float>{reinterpret_cast<const float*>(data)}); break;
    default: fn(Reader<double>{reinterpret_cast<const double*>(data)}); break;
  }
}

// sort.histogram(dtype, x, n, edges: Float64Array (nbins+1), uniform, weights | null, out).
// NumPy's algorithm: uniform bins compute the index from (x - first) * nbins /
// (last - first) and correct it by one against the edges; otherwise a binary
// search of the edges. Values outside [first, last] (and NaN) are dropped; the
// last bin is closed.
void JsHistogram(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int d = DTypeArg(info, 0, "histogram");
  Span x = BufArg(info, 1, "histogram", "x");
  size_t n = SizeArg(info, 2, "histogram", "n");
  Need(env, "histogram", "x", x, n, kItemSize[d]);
  Span e = BufArg(info, 3, "histogram", "edges");
  size_t ne = e.bytes / 8;
  if (ne < 2) Bad(env, "histogram", "need at least 2 edges");
  const size_t nbins = ne - 1;
  const double* edges = reinterpret_cast<const double*>(e.data);
  const bool uniform = info.Length() > 4 && info[4].ToBoolean().Value();
  const bool weighted = info.Length() > 5 && info[5].IsTypedArray();
  Span w{nullptr, 0};
  if (weighted) {
    w = BufArg(info, 5, "histogram", "weights");
    Need(env, "histogram", "weights", w, n, 8);
  }
  Span out = BufArg(info, 6, "histogram", "out");
  Need(env, "histogram", "out", out, nbins, 8);
  const double first = edges[0], last = edges[nbins];
  const double denom = last - first;
  const double* pw = weighted ? reinterpret_cast<const double*>(w.data) : nullptr;
  double* ow = reinterpret_cast<double*>(out.data);
  int64_t* oc = reinterpret_cast<int64_t*>(out.data);
  ByReader(d, x.data, [&](auto rd) {
    for (size_t i = 0; i < n; ++i) {
      const double v = rd(i);
      if (!(v >= first && v <= last)) continue;
      size_t k;
      if (uniform) {
        double fi = (v - first) / denom * static_cast<double>(nbins);
        k = fi >= static_cast<double>(nbins) ? nbins - 1 : static_cast<size_t>(fi);
        if (k >= nbins) k = nbins - 1;
        if (v < edges[k]) {
          if (k > 0) --k;
        } else if (v >= edges[k + 1] && k != nbins - 1) {
          ++k;
        }
      } else {
        // The last edge <= v (right side), then the closed last bin.
        size_t base = 0, len = ne;
        while (len > 1) {
          size_t half = len >> 1;
          base = (edges[base + half - 1] <= v) ? base + half : base;
          len -= half;
        }
        size_t pos = base + (edges[base] <= v);  // count of edges <= v, >= 1
        k = pos - 1;
        if (k >= nbins) k = nbins - 1;
      }
      if (pw) ow[k] += pw[i];
      else ++oc[k];
    }
  });
}

}  // namespace

void AddCountFunctions(Napi::Env env, Napi::Object s) {
  SetMethods(env, s,
             {
                 {"runs", JsRuns},
                 {"intRange", JsIntRange},
                 {"bincount", JsBincount},
                 {"histogram", JsHistogram},
             });
}

}  // namespace kernels
}  // namespace ndshare
