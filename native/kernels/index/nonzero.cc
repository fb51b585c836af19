// index.count and index.nonzero: nonzero items of a strided array (see index.cc for the family).
#include "kernels/index/args.h"

namespace ndshare {
namespace kernels {
namespace index {
namespace {
// Reads [itemsize, base, n, (shape, stride)*n] and checks the extent.
Dims ReadSource(const Napi::CallbackInfo& info, Desc* d, const char* fn, const Bytes& x, int64_t* itemsize,
                int64_t* base) {
  *itemsize = d->Next("itemsize", 1, 16);
  ItemKind(info.Env(), fn, *itemsize);
  *base = d->Next("base", 0, kMaxInt);
  Dims dims = ReadDims(d, "dims");
  d->End();
  if (dims.Size() > 0) {
    i128 lo = *base, hi = *base;
    dims.Extent(&lo, &hi);
    CheckRange(info.Env(), fn, "x", lo, hi, *itemsize, x.length);
  }
  return dims;
}

}  // namespace

// index.count(x, desc, isFloat) -> the number of nonzero items. desc = [itemsize, base, n, (shape, stride)*n].
Napi::Value JsCount(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Bytes x = TypedArg(info, 0, "count", "x");
  Desc d(info, 1, "count");
  int64_t itemsize, base;
  Dims dims = ReadSource(info, &d, "count", x, &itemsize, &base);
  const bool isFloat = info.Length() > 2 && info[2].ToBoolean().Value();
  dims.Merge();
  CountFn f = CurrentTable()->count[isFloat ? 1 : 0][ItemKind(env, "count", itemsize)];
  const char* p = x.data + base;
  int64_t c = 0;
  if (dims.n == 1 && dims.shape[0] >= (int64_t{1} << 20)) {
    std::atomic<int64_t> sum{0};
    const int64_t s = dims.stride[0];
    parallel::For(dims.shape[0], int64_t{1} << 19,
                  [&](int64_t b, int64_t e) { sum.fetch_add(f(p + b * s, s, e - b)); });
    return Napi::Number::New(env, static_cast<double>(sum.load()));
  }
  ForEachRun(dims, [&](int64_t off, int64_t n, int64_t s) { c += f(p + off, s, n); });
  return Napi::Number::New(env, static_cast<double>(c));
}

// index.nonzero(x, desc, isFloat, outs, interleaved) -> count written.
// outs: one BigInt64Array per axis (count each), or (interleaved) one of count * ndim (argwhere's layout).
// The dims are not merged: each axis gets its own coordinates (C order).
Napi::Value JsNonzero(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "nonzero";
  Bytes x = TypedArg(info, 0, fn, "x");
  Desc d(info, 1, fn);
  int64_t itemsize, base;
  Dims dims = ReadSource(info, &d, fn, x, &itemsize, &base);
  const bool isFloat = info.Length() > 2 && info[2].ToBoolean().Value();
  const bool interleaved = info.Length() > 4 && info[4].ToBoolean().Value();
  if (dims.n == 0) Bad(env, fn, "x must have at least one dimension");
  if (info.Length() <= 3 || !info[3].IsArray()) throw MakeTypeError(env, "index.nonzero: outs must be an array");
  Napi::Array outsArr = info[3].As<Napi::Array>();
  const int nd = dims.n;
  if (outsArr.Length() != static_cast<uint32_t>(interleaved ? 1 : nd)) Bad(env, fn, "outs has the wrong length");
  std::vector<int64_t*> outs;
  int64_t cap = -1;
  for (uint32_t k = 0; k < outsArr.Length(); ++k) {
    Napi::Value v = outsArr.Get(k);
    Bytes ob;
    if (!TypedInfo(env, v, &ob) || ob.type != napi_bigint64_array) {
      throw MakeTypeError(env, "index.nonzero: outs must hold BigInt64Arrays");
    }
    const int64_t len = ob.length / 8;
    const int64_t c = interleaved ? len / nd : len;
    if (interleaved && len % nd != 0) Bad(env, fn, "outs[0] length is not a multiple of ndim");
    if (cap >= 0 && c != cap) Bad(env, fn, "outs differ in length");
    cap = c;
    outs.push_back(reinterpret_cast<int64_t*>(ob.data));
  }
  NonzeroFn f = CurrentTable()->nonzero[isFloat ? 1 : 0][ItemKind(env, fn, itemsize)];
  const char* p = x.data + base;
  const int last = nd - 1;
  std::vector<int64_t> tmp;
  int64_t* lastOut = interleaved ? nullptr : outs[static_cast<size_t>(last)];
  if (interleaved) {
    tmp.resize(static_cast<size_t>(cap) + 1);
    lastOut = tmp.data();
  }
  int64_t k = 0;
  if (dims.Size() > 0) {
    Dims outer = dims;
    outer.n = last;
    int64_t c[kMaxNd] = {0};
    int64_t off = 0;
    for (;;) {
      const int64_t k0 = k;
      const int64_t left = cap - k;
      k += f(p + off, dims.stride[last], dims.shape[last], 0, interleaved ? lastOut : lastOut + std::min(k, cap),
             left > 0 ? left : 0);
      const int64_t k1 = std::min(k, cap);
      if (interleaved) {
        int64_t* o = outs[0];
        for (int64_t i = k0; i < k1; ++i) {
          for (int a = 0; a < last; ++a) o[i * nd + a] = c[a];
          o[i * nd + last] = lastOut[i - k0];
        }
      } else {
        for (int a = 0; a < last; ++a)
          std::fill(outs[static_cast<size_t>(a)] + k0, outs[static_cast<size_t>(a)] + k1, c[a]);
      }
      int j = outer.n - 1;
      for (; j >= 0; --j) {
        off += dims.stride[j];
        if (++c[j] < dims.shape[j]) break;
        off -= dims.stride[j] * dims.shape[j];
        c[j] = 0;
      }
      if (j < 0) break;
    }
  }
  return Napi::Number::New(env, static_cast<double>(k));
}

}  // namespace index
}  // namespace kernels
}  // namespace ndshare
