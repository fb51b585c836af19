// The `sort` export: sort, argsort, partition, argpartition, searchsorted,
// bincount and histogram kernels over contiguous rows (src/sorting, src/stats
// make the contiguous copies and pass the rows).
//
// Every entry point checks its dtype code, the typed array's byte length
// against rows * rowLen * itemsize, and every index it writes; a bad argument
// is a coded RangeError, never a stray read or write.
//
// Sorting works on order-preserving unsigned keys (keys.h): NaN last, stable
// LSD radix sort above a size threshold, std::sort / std::stable_sort on keys
// below it; partition is std::nth_element (introselect) on keys.
#include "kernels/sort/sort.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "kernels/dtype.h"
#include "kernels/sort/keys.h"
#include "util/errors.h"

namespace ndshare {
namespace kernels {
namespace {

using sort::FormatOf;
using sort::FromKey;
using sort::KeyFormat;
using sort::RadixSort;
using sort::ToKey;

constexpr size_t kRadixMin = 512;  // below this, comparison sorts win

struct Span {
  uint8_t* data;
  size_t bytes;
};

[[noreturn]] void Bad(Napi::Env env, const char* fn, const std::string& what) {
  throw MakeRangeError(env, std::string("sort.") + fn + ": " + what);
}

int DTypeArg(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  if (info.Length() <= i || !info[i].IsNumber()) throw MakeTypeError(info.Env(), std::string("sort.") + fn + ": dtype must be a number");
  int d = info[i].As<Napi::Number>().Int32Value();
  if (!IsValidDType(d)) Bad(info.Env(), fn, "bad dtype code");
  return d;
}

size_t SizeArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what) {
  if (info.Length() <= i || !info[i].IsNumber()) throw MakeTypeError(info.Env(), std::string("sort.") + fn + ": " + what + " must be a number");
  double v = info[i].As<Napi::Number>().DoubleValue();
  if (!(v >= 0 && v <= 9007199254740991.0) || v != std::floor(v)) Bad(info.Env(), fn, std::string("bad ") + what);
  return static_cast<size_t>(v);
}

Span BufArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what) {
  if (info.Length() <= i || !info[i].IsTypedArray()) throw MakeTypeError(info.Env(), std::string("sort.") + fn + ": " + what + " must be a typed array");
  Napi::TypedArray t = info[i].As<Napi::TypedArray>();
  Napi::ArrayBuffer ab = t.ArrayBuffer();
  return {static_cast<uint8_t*>(ab.Data()) + t.ByteOffset(), t.ByteLength()};
}

// Checks that `span` holds at least count elements of `itemsize` bytes.
void Need(Napi::Env env, const char* fn, const char* what, const Span& s, size_t count, size_t itemsize) {
  if (count != 0 && (count > s.bytes / itemsize)) Bad(env, fn, std::string(what) + " is too short");
}

size_t Mul(Napi::Env env, const char* fn, size_t a, size_t b) {
  if (a != 0 && b > std::numeric_limits<size_t>::max() / a) Bad(env, fn, "size overflow");
  return a * b;
}

// ---- sort / argsort ---------------------------------------------------------

template <typename U>
void SortRows(U* data, size_t rows, size_t n, const KeyFormat& f) {
  std::vector<U> tmp(n >= kRadixMin ? n : 0);
  for (size_t r = 0; r < rows; ++r) {
    U* row = data + r * n;
    for (size_t i = 0; i < n; ++i) row[i] = ToKey<U>(row[i], f, false);
    if (n >= kRadixMin && n <= 0xffffffffu) RadixSort<U>(row, tmp.data(), n, nullptr, nullptr);
    else std::sort(row, row + n);
    for (size_t i = 0; i < n; ++i) row[i] = FromKey<U>(row[i], f);
  }
}

template <typename U>
void ArgsortRows(const U* data, size_t rows, size_t n, const KeyFormat& f, int64_t* out) {
  std::vector<U> keys(n), tmp(n >= kRadixMin ? n : 0);
  std::vector<uint32_t> idx(n), tmpIdx(n >= kRadixMin ? n : 0);
  for (size_t r = 0; r < rows; ++r) {
    const U* row = data + r * n;
    for (size_t i = 0; i < n; ++i) {
      keys[i] = ToKey<U>(row[i], f, true);
      idx[i] = static_cast<uint32_t>(i);
    }
    if (n >= kRadixMin) {
      RadixSort<U>(keys.data(), tmp.data(), n, idx.data(), tmpIdx.data());
    } else {
      const U* k = keys.data();
      std::stable_sort(idx.begin(), idx.end(), [k](uint32_t a, uint32_t b) { return k[a] < k[b]; });
    }
    int64_t* o = out + r * n;
    for (size_t i = 0; i < n; ++i) o[i] = idx[i];
  }
}

// Large rows (>= 2^32 elements) fall back to a stable comparison sort on 64-bit indices.
template <typename U>
void ArgsortRowsWide(const U* data, size_t rows, size_t n, const KeyFormat& f, int64_t* out) {
  std::vector<U> keys(n);
  for (size_t r = 0; r < rows; ++r) {
    const U* row = data + r * n;
    for (size_t i = 0; i < n; ++i) keys[i] = ToKey<U>(row[i], f, true);
    int64_t* o = out + r * n;
    for (size_t i = 0; i < n; ++i) o[i] = static_cast<int64_t>(i);
    const U* k = keys.data();
    std::stable_sort(o, o + n, [k](int64_t a, int64_t b) { return k[a] < k[b]; });
  }
}

template <typename Fn>
void ByWidth(int width, Fn&& fn) {
  switch (width) {
    case 1: fn(uint8_t{}); break;
    case 2: fn(uint16_t{}); break;
    case 4: fn(uint32_t{}); break;
    default: fn(uint64_t{}); break;
  }
}

// sort.sort(dtype, buf, rows, rowLen): sorts each row of buf in place.
void JsSort(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int d = DTypeArg(info, 0, "sort");
  Span buf = BufArg(info, 1, "sort", "buf");
  size_t rows = SizeArg(info, 2, "sort", "rows"), n = SizeArg(info, 3, "sort", "rowLen");
  const KeyFormat f = FormatOf(d);
  Need(env, "sort", "buf", buf, Mul(env, "sort", rows, n), f.width);
  if (n < 2) return;
  if (reinterpret_cast<uintptr_t>(buf.data) % f.width) Bad(env, "sort", "buf is misaligned");
  ByWidth(f.width, [&](auto z) {
    using U = decltype(z);
    SortRows<U>(reinterpret_cast<U*>(buf.data), rows, n, f);
  });
}

// sort.argsort(dtype, buf, rows, rowLen, out: BigInt64Array): stable.
void JsArgsort(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int d = DTypeArg(info, 0, "argsort");
  Span buf = BufArg(info, 1, "argsort", "buf");
  size_t rows = SizeArg(info, 2, "argsort", "rows"), n = SizeArg(info, 3, "argsort", "rowLen");
  Span out = BufArg(info, 4, "argsort", "out");
  const KeyFormat f = FormatOf(d);
  size_t total = Mul(env, "argsort", rows, n);
  Need(env, "argsort", "buf", buf, total, f.width);
  Need(env, "argsort", "out", out, total, 8);
  if (total == 0) return;
  if (reinterpret_cast<uintptr_t>(buf.data) % f.width || reinterpret_cast<uintptr_t>(out.data) % 8) Bad(env, "argsort", "misaligned");
  int64_t* o = reinterpret_cast<int64_t*>(out.data);
  ByWidth(f.width, [&](auto z) {
    using U = decltype(z);
    if (n > 0xffffffffu) ArgsortRowsWide<U>(reinterpret_cast<const U*>(buf.data), rows, n, f, o);
    else ArgsortRows<U>(reinterpret_cast<const U*>(buf.data), rows, n, f, o);
  });
}

// kth: sorted, unique, each < rowLen (checked).
std::vector<size_t> KthArg(const Napi::CallbackInfo& info, size_t i, const char* fn, size_t n) {
  Span s = BufArg(info, i, fn, "kth");
  size_t m = s.bytes / 8;
  const double* k = reinterpret_cast<const double*>(s.data);
  std::vector<size_t> out;
  for (size_t j = 0; j < m; ++j) {
    double v;
    std::memcpy(&v, k + j, 8);
    if (!(v >= 0 && v < static_cast<double>(n)) || v != std::floor(v)) Bad(info.Env(), fn, "kth out of range");
    out.push_back(static_cast<size_t>(v));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

// sort.partition(dtype, buf, rows, rowLen, kth: Float64Array): in place.
void JsPartition(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int d = DTypeArg(info, 0, "partition");
  Span buf = BufArg(info, 1, "partition", "buf");
  size_t rows = SizeArg(info, 2, "partition", "rows"), n = SizeArg(info, 3, "partition", "rowLen");
  const KeyFormat f = FormatOf(d);
  Need(env, "partition", "buf", buf, Mul(env, "partition", rows, n), f.width);
  std::vector<size_t> kth = KthArg(info, 4, "partition", n);
  if (n < 2 || rows == 0) return;
  ByWidth(f.width, [&](auto z) {
    using U = decltype(z);
    U* data = reinterpret_cast<U*>(buf.data);
    for (size_t r = 0; r < rows; ++r) {
      U* row = data + r * n;
      for (size_t i = 0; i < n; ++i) row[i] = ToKey<U>(row[i], f, false);
      size_t lo = 0;
      for (size_t k : kth) {
        std::nth_element(row + lo, row + k, row + n);
        lo = k + 1;
      }
      for (size_t i = 0; i < n; ++i) row[i] = FromKey<U>(row[i], f);
    }
  });
}

// sort.argpartition(dtype, buf, rows, rowLen, kth, out: BigInt64Array).
void JsArgpartition(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int d = DTypeArg(info, 0, "argpartition");
  Span buf = BufArg(info, 1, "argpartition", "buf");
  size_t rows = SizeArg(info, 2, "argpartition", "rows"), n = SizeArg(info, 3, "argpartition", "rowLen");
  const KeyFormat f = FormatOf(d);
  size_t total = Mul(env, "argpartition", rows, n);
  Need(env, "argpartition", "buf", buf, total, f.width);
  std::vector<size_t> kth = KthArg(info, 4, "argpartition", n);
  Span out = BufArg(info, 5, "argpartition", "out");
  Need(env, "argpartition", "out", out, total, 8);
  if (total == 0) return;
  int64_t* o = reinterpret_cast<int64_t*>(out.data);
  ByWidth(f.width, [&](auto z) {
    using U = decltype(z);
    const U* data = reinterpret_cast<const U*>(buf.data);
    std::vector<U> keys(n);
    for (size_t r = 0; r < rows; ++r) {
      for (size_t i = 0; i < n; ++i) keys[i] = ToKey<U>(data[r * n + i], f, true);
      int64_t* row = o + r * n;
      for (size_t i = 0; i < n; ++i) row[i] = static_cast<int64_t>(i);
      const U* k = keys.data();
      auto less = [k](int64_t a, int64_t b) { return k[a] < k[b] || (k[a] == k[b] && a < b); };
      size_t lo = 0;
      for (size_t kk : kth) {
        std::nth_element(row + lo, row + kk, row + n, less);
        lo = kk + 1;
      }
    }
  });
}

// ---- searchsorted -----------------------------------------------------------

// NumPy's order: NaN after everything (equal to NaN), -0 == +0.
template <typename T>
inline bool OrderLess(T a, T b) {
  return a < b;
}
template <>
inline bool OrderLess<float>(float a, float b) {
  return a < b || (b != b && a == a);
}
template <>
inline bool OrderLess<double>(double a, double b) {
  return a < b || (b != b && a == a);
}

// Insertion points of v[0..m) in sorted a[0..n): left = first i with !(a[i] < x),
// right = first i with x < a[i]. Branchless: the half is picked by a conditional move.
template <typename T>
void Search(const T* a, size_t n, const T* v, size_t m, bool right, int64_t* out) {
  for (size_t j = 0; j < m; ++j) {
    const T x = v[j];
    if (n == 0) {
      out[j] = 0;
      continue;
    }
    size_t base = 0, len = n;
    if (right) {
      while (len > 1) {
        size_t half = len >> 1;
        base = OrderLess<T>(x, a[base + half - 1]) ? base : base + half;
        len -= half;
      }
      out[j] = static_cast<int64_t>(base + !OrderLess<T>(x, a[base]));
    } else {
      while (len > 1) {
        size_t half = len >> 1;
        base = OrderLess<T>(a[base + half - 1], x) ? base + half : base;
        len -= half;
      }
      out[j] = static_cast<int64_t>(base + OrderLess<T>(a[base], x));
    }
  }
}

// sort.searchsorted(dtype, a, n, v, m, right, out): a sorted in NumPy's order
// (NaN last). Native types compare directly; float16/bfloat16 through keys.
void JsSearchsorted(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int d = DTypeArg(info, 0, "searchsorted");
  Span a = BufArg(info, 1, "searchsorted", "a");
  size_t n = SizeArg(info, 2, "searchsorted", "n");
  Span v = BufArg(info, 3, "searchsorted", "v");
  size_t m = SizeArg(info, 4, "searchsorted", "m");
  bool right = info.Length() > 5 && info[5].ToBoolean().Value();
  Span out = BufArg(info, 6, "searchsorted", "out");
  const KeyFormat f = FormatOf(d);
  Need(env, "searchsorted", "a", a, n, f.width);
  Need(env, "searchsorted", "v", v, m, f.width);
  Need(env, "searchsorted", "out", out, m, 8);
  if (reinterpret_cast<uintptr_t>(a.data) % f.width || reinterpret_cast<uintptr_t>(v.data) % f.width ||
      reinterpret_cast<uintptr_t>(out.data) % 8) {
    Bad(env, "searchsorted", "misaligned");
  }
  int64_t* o = reinterpret_cast<int64_t*>(out.data);
  auto run = [&](auto z) {
    using T = decltype(z);
    Search<T>(reinterpret_cast<const T*>(a.data), n, reinterpret_cast<const T*>(v.data), m, right, o);
  };
  switch (d) {
    case kBool: case kUint8: run(uint8_t{}); return;
    case kInt8: run(int8_t{}); return;
    case kInt16: run(int16_t{}); return;
    case kUint16: run(uint16_t{}); return;
    case kInt32: run(int32_t{}); return;
    case kUint32: run(uint32_t{}); return;
    case kInt64: run(int64_t{}); return;
    case kUint64: run(uint64_t{}); return;
    case kFloat32: run(float{}); return;
    case kFloat64: run(double{}); return;
    default: break;
  }
  // float16 / bfloat16: order-preserving keys (NaN largest, -0 == +0).
  std::vector<uint16_t> ka(n), kv(m);
  const uint16_t* pa = reinterpret_cast<const uint16_t*>(a.data);
  const uint16_t* pv = reinterpret_cast<const uint16_t*>(v.data);
  for (size_t i = 0; i < n; ++i) ka[i] = ToKey<uint16_t>(pa[i], f, true);
  for (size_t i = 0; i < m; ++i) kv[i] = ToKey<uint16_t>(pv[i], f, true);
  Search<uint16_t>(ka.data(), n, kv.data(), m, right, o);
}

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
    case kBool: case kUint8: k = Runs(reinterpret_cast<const uint8_t*>(buf.data), n, exact, starts); break;
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
      k = Runs(x, n, [&](uint16_t a, uint16_t b) { return val(a) == val(b); }, starts);
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
    case kBool: case kUint8: fn(uint8_t{}); break;
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
        if (v >= nbins) { bad = true; break; }
        o[v] += pw[i];
      }
    } else {
      int64_t* o = reinterpret_cast<int64_t*>(out.data);
      for (size_t i = 0; i < n; ++i) {
        const uint64_t v = static_cast<uint64_t>(static_cast<int64_t>(px[i]));
        if (v >= nbins) { bad = true; break; }
        ++o[v];
      }
    }
  });
  if (bad) Bad(env, "bincount", "value out of range");
}

template <typename T>
inline double AsDouble(T v) { return static_cast<double>(v); }

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
    case kBool: case kUint8: fn(Reader<uint8_t>{data}); break;
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

void InitSort(Napi::Env env, Napi::Object exports) {
  Napi::Object s = Napi::Object::New(env);
  s.Set("sort", Napi::Function::New(env, JsSort, "sort"));
  s.Set("argsort", Napi::Function::New(env, JsArgsort, "argsort"));
  s.Set("partition", Napi::Function::New(env, JsPartition, "partition"));
  s.Set("argpartition", Napi::Function::New(env, JsArgpartition, "argpartition"));
  s.Set("searchsorted", Napi::Function::New(env, JsSearchsorted, "searchsorted"));
  s.Set("runs", Napi::Function::New(env, JsRuns, "runs"));
  s.Set("intRange", Napi::Function::New(env, JsIntRange, "intRange"));
  s.Set("bincount", Napi::Function::New(env, JsBincount, "bincount"));
  s.Set("histogram", Napi::Function::New(env, JsHistogram, "histogram"));
  exports.Set("sort", s);
}

}  // namespace kernels
}  // namespace ndshare
