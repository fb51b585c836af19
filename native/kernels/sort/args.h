// Argument checks shared by the sort/ entry points (sort.cc, count.cc): dtype
// codes, sizes, typed arrays and their byte lengths. Each throws a coded
// TypeError/RangeError naming the function and the argument.
#ifndef NDSHARE_KERNELS_SORT_ARGS_H_
#define NDSHARE_KERNELS_SORT_ARGS_H_

#include <napi.h>

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>

#include "kernels/dtype.h"
#include "util/errors.h"

namespace ndshare {
namespace kernels {
namespace sortargs {

struct Span {
  uint8_t* data;
  size_t bytes;
};

[[noreturn]] inline void Bad(Napi::Env env, const char* fn, const std::string& what) {
  throw MakeRangeError(env, std::string("sort.") + fn + ": " + what);
}

inline int DTypeArg(const Napi::CallbackInfo& info, size_t i, const char* fn) {
  if (info.Length() <= i || !info[i].IsNumber())
    throw MakeTypeError(info.Env(), std::string("sort.") + fn + ": dtype must be a number");
  int d = info[i].As<Napi::Number>().Int32Value();
  if (!IsValidDType(d)) Bad(info.Env(), fn, "bad dtype code");
  return d;
}

inline size_t SizeArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what) {
  if (info.Length() <= i || !info[i].IsNumber())
    throw MakeTypeError(info.Env(), std::string("sort.") + fn + ": " + what + " must be a number");
  double v = info[i].As<Napi::Number>().DoubleValue();
  if (!(v >= 0 && v <= 9007199254740991.0) || v != std::floor(v)) Bad(info.Env(), fn, std::string("bad ") + what);
  return static_cast<size_t>(v);
}

inline Span BufArg(const Napi::CallbackInfo& info, size_t i, const char* fn, const char* what) {
  if (info.Length() <= i || !info[i].IsTypedArray())
    throw MakeTypeError(info.Env(), std::string("sort.") + fn + ": " + what + " must be a typed array");
  Napi::TypedArray t = info[i].As<Napi::TypedArray>();
  Napi::ArrayBuffer ab = t.ArrayBuffer();
  return {static_cast<uint8_t*>(ab.Data()) + t.ByteOffset(), t.ByteLength()};
}

// Checks that `span` holds at least count elements of `itemsize` bytes.
inline void Need(Napi::Env env, const char* fn, const char* what, const Span& s, size_t count, size_t itemsize) {
  if (count != 0 && (count > s.bytes / itemsize)) Bad(env, fn, std::string(what) + " is too short");
}

inline size_t Mul(Napi::Env env, const char* fn, size_t a, size_t b) {
  if (a != 0 && b > std::numeric_limits<size_t>::max() / a) Bad(env, fn, "size overflow");
  return a * b;
}

}  // namespace sortargs
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_SORT_ARGS_H_
