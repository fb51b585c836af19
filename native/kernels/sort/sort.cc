// The `sort` export: sort, argsort, partition, argpartition and searchsorted
// (count.cc adds runs, intRange, bincount and histogram) over contiguous rows (src/sorting, src/stats
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
#include "kernels/sort/args.h"
#include "kernels/sort/keys.h"
#include "util/errors.h"
#include "util/exports.h"

namespace ndshare {
namespace kernels {
namespace {

using sort::FormatOf;
using sort::FromKey;
using sort::KeyFormat;
using sort::RadixSort;
using sort::ToKey;

constexpr size_t kRadixMin = 512;  // below this, comparison sorts win

using namespace sortargs;  // NOLINT: the argument helpers of this folder

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

// The (dtype, buf, rows, rowLen) arguments every row-wise entry point starts
// with, checked: buf holds rows * rowLen elements of the dtype's width.
struct RowArgs {
  Span buf;
  size_t rows, n, total;
  KeyFormat f;
};
RowArgs RowsArg(const Napi::CallbackInfo& info, const char* fn) {
  const int d = DTypeArg(info, 0, fn);
  const Span buf = BufArg(info, 1, fn, "buf");
  const size_t rows = SizeArg(info, 2, fn, "rows"), n = SizeArg(info, 3, fn, "rowLen");
  const KeyFormat f = FormatOf(d);
  const size_t total = Mul(info.Env(), fn, rows, n);
  Need(info.Env(), fn, "buf", buf, total, f.width);
  return {buf, rows, n, total, f};
}

// sort.sort(dtype, buf, rows, rowLen): sorts each row of buf in place.
void JsSort(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const RowArgs a = RowsArg(info, "sort");
  if (a.n < 2) return;
  if (reinterpret_cast<uintptr_t>(a.buf.data) % a.f.width) Bad(env, "sort", "buf is misaligned");
  ByWidth(a.f.width, [&](auto z) {
    using U = decltype(z);
    SortRows<U>(reinterpret_cast<U*>(a.buf.data), a.rows, a.n, a.f);
  });
}

// sort.argsort(dtype, buf, rows, rowLen, out: BigInt64Array): stable.
void JsArgsort(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const RowArgs a = RowsArg(info, "argsort");
  Span out = BufArg(info, 4, "argsort", "out");
  Need(env, "argsort", "out", out, a.total, 8);
  if (a.total == 0) return;
  if (reinterpret_cast<uintptr_t>(a.buf.data) % a.f.width || reinterpret_cast<uintptr_t>(out.data) % 8)
    Bad(env, "argsort", "misaligned");
  int64_t* o = reinterpret_cast<int64_t*>(out.data);
  ByWidth(a.f.width, [&](auto z) {
    using U = decltype(z);
    if (a.n > 0xffffffffu) ArgsortRowsWide<U>(reinterpret_cast<const U*>(a.buf.data), a.rows, a.n, a.f, o);
    else ArgsortRows<U>(reinterpret_cast<const U*>(a.buf.data), a.rows, a.n, a.f, o);
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
  const RowArgs a = RowsArg(info, "partition");
  std::vector<size_t> kth = KthArg(info, 4, "partition", a.n);
  if (a.n < 2 || a.rows == 0) return;
  ByWidth(a.f.width, [&](auto z) {
    using U = decltype(z);
    U* data = reinterpret_cast<U*>(a.buf.data);
    for (size_t r = 0; r < a.rows; ++r) {
      U* row = data + r * a.n;
      for (size_t i = 0; i < a.n; ++i) row[i] = ToKey<U>(row[i], a.f, false);
      size_t lo = 0;
      for (size_t k : kth) {
        std::nth_element(row + lo, row + k, row + a.n);
        lo = k + 1;
      }
      for (size_t i = 0; i < a.n; ++i) row[i] = FromKey<U>(row[i], a.f);
    }
  });
}

// sort.argpartition(dtype, buf, rows, rowLen, kth, out: BigInt64Array).
void JsArgpartition(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const RowArgs a = RowsArg(info, "argpartition");
  std::vector<size_t> kth = KthArg(info, 4, "argpartition", a.n);
  Span out = BufArg(info, 5, "argpartition", "out");
  Need(env, "argpartition", "out", out, a.total, 8);
  if (a.total == 0) return;
  int64_t* o = reinterpret_cast<int64_t*>(out.data);
  ByWidth(a.f.width, [&](auto z) {
    using U = decltype(z);
    const U* data = reinterpret_cast<const U*>(a.buf.data);
    std::vector<U> keys(a.n);
    for (size_t r = 0; r < a.rows; ++r) {
      for (size_t i = 0; i < a.n; ++i) keys[i] = ToKey<U>(data[r * a.n + i], a.f, true);
      int64_t* row = o + r * a.n;
      for (size_t i = 0; i < a.n; ++i) row[i] = static_cast<int64_t>(i);
      const U* k = keys.data();
      auto less = [k](int64_t a, int64_t b) { return k[a] < k[b] || (k[a] == k[b] && a < b); };
      size_t lo = 0;
      for (size_t kk : kth) {
        std::nth_element(row + lo, row + kk, row + a.n, less);
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
    case kBool:
    case kUint8: run(uint8_t{}); return;
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

}  // namespace

void InitSort(Napi::Env env, Napi::Object exports) {
  Napi::Object s = Napi::Object::New(env);
  SetMethods(env, s,
             {
                 {"sort", JsSort},
                 {"argsort", JsArgsort},
                 {"partition", JsPartition},
                 {"argpartition", JsArgpartition},
                 {"searchsorted", JsSearchsorted},
             });
  AddCountFunctions(env, s);
  exports.Set("sort", s);
}

}  // namespace kernels
}  // namespace ndshare
