// Argument readers shared by the index kernels (index.cc: take, compress; nonzero.cc:
// count, nonzero): typed arrays, the desc vectors, index types and range checks.
#pragma once

#include "kernels/index/index.h"
#include "kernels/index/dims.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "kernels/dtype.h"
#include "kernels/parallel.h"
#include "util/errors.h"

namespace ndshare {
namespace kernels {
namespace index {

constexpr const char* kOutOfBounds = "ERR_NDSHARE_OUT_OF_BOUNDS";

[[noreturn]] inline void Bad(Napi::Env env, const char* fn, const std::string& what) {
  throw MakeRangeError(env, std::string("index.") + fn + ": " + what);
}

struct Bytes {
  char* data = nullptr;
  int64_t length = 0;  // bytes
  napi_typedarray_type type = napi_uint8_array;
};

// A typed array's element type, bytes and length (through napi_get_typedarray_info, which also
// serves typed arrays over a SharedArrayBuffer); nullopt-like {nullptr} when v is not one.
inline bool TypedInfo(Napi::Env env, napi_value v, Bytes* out) {
  bool is = false;
  if (napi_is_typedarray(env, v, &is) != napi_ok || !is) return false;
  napi_typedarray_type type;
  size_t length = 0;
  void* data = nullptr;
  if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok) return false;
  size_t es = 1;
  switch (type) {
    case napi_int16_array:
    case napi_uint16_array: es = 2; break;
    case napi_int32_array:
    case napi_uint32_array:
    case napi_float32_array: es = 4; break;
    case napi_float64_array:
    case napi_bigint64_array:
    case napi_biguint64_array: es = 8; break;
    default: es = 1;
  }
  out->data = static_cast<char*>(data);
  out->length = static_cast<int64_t>(length * es);
  out->type = type;
  return true;
}

inline Bytes TypedArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what) {
  Bytes b;
  if (info.Length() <= i || !TypedInfo(info.Env(), info[i], &b)) {
    throw MakeTypeError(info.Env(), std::string("index.") + fn + ": " + what + " must be a typed array");
  }
  return b;
}

// Sequential reader of a Float64Array descriptor: every value an integer within +-(2^53 - 1).
class Desc {
 public:
  Desc(const Napi::CallbackInfo& info, size_t i, const char* fn) : env_(info.Env()), fn_(fn) {
    if (info.Length() <= i || !info[i].IsTypedArray() ||
        info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      throw MakeTypeError(env_, std::string("index.") + fn + ": desc must be a Float64Array");
    }
    Napi::Float64Array a = info[i].As<Napi::Float64Array>();
    v_ = a.Data();
    n_ = a.ElementLength();
  }
  int64_t Next(const char* what, int64_t lo, int64_t hi) {
    if (pos_ >= n_) Bad(env_, fn_, std::string("desc is too short (") + what + ")");
    const double d = v_[pos_++];
    if (!(d >= static_cast<double>(lo) && d <= static_cast<double>(hi)) || d != std::floor(d)) {
      Bad(env_, fn_, std::string("desc: bad ") + what);
    }
    return static_cast<int64_t>(d);
  }
  void End() {
    if (pos_ != n_) Bad(env_, fn_, "desc is too long");
  }

 private:
  Napi::Env env_;
  const char* fn_;
  const double* v_ = nullptr;
  size_t n_ = 0;
  size_t pos_ = 0;
};

constexpr int64_t kMaxInt = 9007199254740991;

inline Dims ReadDims(Desc* d, const char* what) {
  Dims r;
  r.n = static_cast<int>(d->Next(what, 0, kMaxNd));
  for (int k = 0; k < r.n; ++k) {
    r.shape[k] = d->Next(what, 0, kMaxInt);
    r.stride[k] = d->Next(what, -kMaxInt, kMaxInt);
  }
  return r;
}

inline int ItemKind(Napi::Env env, const char* fn, int64_t itemsize) {
  switch (itemsize) {
    case 1: return 0;
    case 2: return 1;
    case 4: return 2;
    case 8: return 3;
    case 16: return 4;
    default: Bad(env, fn, "itemsize must be 1, 2, 4, 8 or 16");
  }
}

// Index dtype code (kernels/dtype.h) -> the table's index type and its typed-array type.
inline int IndexType(Napi::Env env, const char* fn, int64_t dtype, napi_typedarray_type* ta, int* size) {
  switch (dtype) {
    case kInt8:
      *ta = napi_int8_array;
      *size = 1;
      return 0;
    case kUint8:
      *ta = napi_uint8_array;
      *size = 1;
      return 1;
    case kInt16:
      *ta = napi_int16_array;
      *size = 2;
      return 2;
    case kUint16:
      *ta = napi_uint16_array;
      *size = 2;
      return 3;
    case kInt32:
      *ta = napi_int32_array;
      *size = 4;
      return 4;
    case kUint32:
      *ta = napi_uint32_array;
      *size = 4;
      return 5;
    case kInt64:
      *ta = napi_bigint64_array;
      *size = 8;
      return 6;
    case kUint64:
      *ta = napi_biguint64_array;
      *size = 8;
      return 7;
    default: Bad(env, fn, "index arrays must have an integer dtype");
  }
}

// The value of the index at p as a decimal string (for messages).
inline std::string IndexText(int ti, const char* p) {
  switch (ti) {
    case 0: return std::to_string(*reinterpret_cast<const int8_t*>(p));
    case 1: return std::to_string(*reinterpret_cast<const uint8_t*>(p));
    case 2: {
      int16_t v;
      std::memcpy(&v, p, 2);
      return std::to_string(v);
    }
    case 3: {
      uint16_t v;
      std::memcpy(&v, p, 2);
      return std::to_string(v);
    }
    case 4: {
      int32_t v;
      std::memcpy(&v, p, 4);
      return std::to_string(v);
    }
    case 5: {
      uint32_t v;
      std::memcpy(&v, p, 4);
      return std::to_string(v);
    }
    case 6: {
      int64_t v;
      std::memcpy(&v, p, 8);
      return std::to_string(v);
    }
    default: {
      uint64_t v;
      std::memcpy(&v, p, 8);
      return std::to_string(v);
    }
  }
}

inline void CheckRange(Napi::Env env, const char* fn, const char* what, i128 lo, i128 hi, int64_t itemsize,
                       int64_t length) {
  if (lo < 0 || hi + itemsize > length)
    Bad(env, fn, std::string(what) + ": the strided extent is outside the typed array");
}

struct IndexArg {
  int ti = 0;     // table index type
  int isize = 0;  // bytes per index
  int mode = kRaise;
  int64_t len = 0;             // axis length
  int64_t astride = 0;         // axis byte stride
  int64_t axis = 0;            // axis number for messages
  const char* data = nullptr;  // index element [0, ..., 0]
  int64_t strides[kMaxNd];     // bytes, over the block shape
};

[[noreturn]] inline void OutOfBounds(Napi::Env env, const IndexArg& a, const char* p) {
  throw MakeRangeError(env,
                       "Index " + IndexText(a.ti, p) + " is out of bounds for axis " + std::to_string(a.axis) +
                           " with size " + std::to_string(a.len),
                       kOutOfBounds);
}

// index.count and index.nonzero (nonzero.cc).
Napi::Value JsCount(const Napi::CallbackInfo& info);
Napi::Value JsNonzero(const Napi::CallbackInfo& info);

}  // namespace index
}  // namespace kernels
}  // namespace ndshare
