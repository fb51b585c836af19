#include "kernels/iter.h"

#include <string>

#include "util/errors.h"

namespace ndshare {
namespace kernels {
namespace {

// The typed-array storage type of each dtype code (float16/bfloat16: Uint16Array).
constexpr napi_typedarray_type kStorage[kDTypeCount] = {
    napi_uint8_array,  napi_int8_array,    napi_uint8_array,    napi_int16_array,     napi_uint16_array,
    napi_int32_array,  napi_uint32_array,  napi_bigint64_array, napi_biguint64_array, napi_uint16_array,
    napi_uint16_array, napi_float32_array, napi_float64_array};

constexpr double kMaxExact = 9007199254740991.0;  // 2^53 - 1

[[noreturn]] void Fail(Napi::Env env, const char* fn, const std::string& what) {
  throw MakeRangeError(env, std::string("math.") + fn + ": " + what);
}

}  // namespace

napi_typedarray_type StorageType(int dtype) { return kStorage[dtype]; }

int64_t DescInteger(Napi::Env env, const char* fn, double v, const char* what) {
  if (!(v == v) || v != static_cast<double>(static_cast<int64_t>(v)) || v > kMaxExact || v < -kMaxExact) {
    Fail(env, fn, std::string("desc: ") + what + " is not an integer in range");
  }
  return static_cast<int64_t>(v);
}

StridedLoop ParseLoop(Napi::Env env, const char* fn, Napi::Value operands, Napi::Value desc, const int* dtypes, int nop,
                      bool allowComplex) {
  StridedLoop loop;
  if (nop < 1 || nop > kMaxOperands) Fail(env, fn, "bad operand count");
  if (!operands.IsArray()) throw MakeTypeError(env, std::string("math.") + fn + ": operands must be an array");
  Napi::Array ops = operands.As<Napi::Array>();
  if (ops.Length() != static_cast<uint32_t>(nop)) Fail(env, fn, "operands has the wrong length");
  if (!desc.IsTypedArray() || desc.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw MakeTypeError(env, std::string("math.") + fn + ": desc must be a Float64Array");
  }
  Napi::Float64Array d = desc.As<Napi::Float64Array>();
  const double* dv = d.Data();
  const size_t dlen = d.ElementLength();
  if (dlen < 1) Fail(env, fn, "desc is empty");
  const int64_t ndim = DescInteger(env, fn, dv[0], "ndim");
  if (ndim < 0 || ndim > kMaxDims) Fail(env, fn, "ndim out of range");
  if (dlen != static_cast<size_t>(1 + ndim + nop * (1 + ndim))) Fail(env, fn, "desc has the wrong length");
  loop.ndim = static_cast<int>(ndim);
  loop.nop = nop;
  __int128 size = 1;
  for (int i = 0; i < loop.ndim; ++i) {
    int64_t s = DescInteger(env, fn, dv[1 + i], "shape");
    if (s < 0) Fail(env, fn, "negative shape");
    loop.shape[i] = s;
    size *= s;
    if (size > static_cast<__int128>(kMaxExact)) Fail(env, fn, "size too large");
  }
  loop.size = static_cast<int64_t>(size);

  for (int k = 0; k < nop; ++k) {
    const bool cx = allowComplex && IsComplexDType(dtypes[k]);
    if (!cx && !IsValidDType(dtypes[k])) Fail(env, fn, "bad dtype code");
    // A complex operand is stored as its parts: two per element.
    const int part = cx ? ComplexPart(dtypes[k]) : dtypes[k];
    Napi::Value v = ops.Get(static_cast<uint32_t>(k));
    if (!v.IsTypedArray()) throw MakeTypeError(env, std::string("math.") + fn + ": operand is not a typed array");
    napi_typedarray_type type;
    size_t length;
    void* data;
    if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok) {
      throw Napi::Error::New(env);
    }
    if (type != kStorage[part]) {
      throw MakeTypeError(env, std::string("math.") + fn + ": operand " + std::to_string(k) +
                                   " is not the typed array of " +
                                   (cx ? (dtypes[k] == kComplex64 ? "complex64" : "complex128") : kDTypeNames[part]));
    }
    if (data == nullptr) length = 0;
    if (cx) length /= 2;  // whole elements only
    const double* od = dv + 1 + ndim + k * (1 + ndim);
    const int64_t offset = DescInteger(env, fn, od[0], "offset");
    const int64_t item = static_cast<int64_t>(kItemSize[part]) * (cx ? 2 : 1);
    __int128 lo = offset, hi = offset;
    for (int i = 0; i < loop.ndim; ++i) {
      const int64_t st = DescInteger(env, fn, od[1 + i], "stride");
      loop.strides[k][i] = st * item;  // |st| <= 2^53, item <= 16: fits
      if (loop.shape[i] > 0) {
        __int128 span = static_cast<__int128>(st) * (loop.shape[i] - 1);
        if (span < 0) lo += span;
        else hi += span;
      }
    }
    if (loop.size > 0 && (lo < 0 || hi >= static_cast<__int128>(length))) {
      Fail(env, fn, "operand " + std::to_string(k) + " addresses elements outside its typed array");
    }
    // Only formed when in bounds (size 0: never dereferenced).
    loop.data[k] = static_cast<char*>(data) + (loop.size > 0 ? offset * item : 0);
  }
  return loop;
}

void Simplify(StridedLoop* loop, int order, bool keepLast) {
  const int nop = loop->nop;
  if (loop->size == 0) {
    loop->ndim = 0;
    return;
  }
  const int fixed = (keepLast && loop->ndim > 0) ? 1 : 0;
  const int free = loop->ndim - fixed;

  // Drop length-1 axes (not the kept last one).
  int axes[kMaxDims];
  int n = 0;
  for (int i = 0; i < free; ++i) {
    if (loop->shape[i] != 1) axes[n++] = i;
  }
  // Stable insertion sort: larger |stride| of `order` outer; ties by the other operands.
  auto absStride = [&](int k, int ax) {
    int64_t s = loop->strides[k][ax];
    return s < 0 ? -s : s;
  };
  auto outer = [&](int a, int b) {  // true if axis a must come before (outside) axis b
    int64_t sa = absStride(order, a), sb = absStride(order, b);
    if (sa != sb) return sa > sb;
    for (int k = 0; k < nop; ++k) {
      if (k == order) continue;
      sa = absStride(k, a);
      sb = absStride(k, b);
      if (sa != sb) return sa > sb;
    }
    return false;
  };
  for (int i = 1; i < n; ++i) {
    int ax = axes[i];
    int j = i - 1;
    while (j >= 0 && outer(ax, axes[j])) {
      axes[j + 1] = axes[j];
      --j;
    }
    axes[j + 1] = ax;
  }

  int64_t shape[kMaxDims];
  int64_t strides[kMaxOperands][kMaxDims];
  int m = 0;
  for (int i = 0; i < n; ++i) {
    int ax = axes[i];
    if (m > 0) {
      // Merge into the previous (outer) axis when each operand steps evenly across both.
      bool merge = true;
      for (int k = 0; k < nop && merge; ++k) {
        merge = strides[k][m - 1] == loop->strides[k][ax] * loop->shape[ax];
      }
      if (merge) {
        shape[m - 1] *= loop->shape[ax];
        for (int k = 0; k < nop; ++k) strides[k][m - 1] = loop->strides[k][ax];
        continue;
      }
    }
    shape[m] = loop->shape[ax];
    for (int k = 0; k < nop; ++k) strides[k][m] = loop->strides[k][ax];
    ++m;
  }
  if (fixed) {
    int ax = loop->ndim - 1;
    shape[m] = loop->shape[ax];
    for (int k = 0; k < nop; ++k) strides[k][m] = loop->strides[k][ax];
    ++m;
  }
  loop->ndim = m;
  for (int i = 0; i < m; ++i) {
    loop->shape[i] = shape[i];
    for (int k = 0; k < nop; ++k) loop->strides[k][i] = strides[k][i];
  }
}

}  // namespace kernels
}  // namespace ndshare
