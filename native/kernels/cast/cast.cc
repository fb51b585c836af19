#include "kernels/cast/cast.h"

#include <cstring>
#include <string>

#include "util/errors.h"
#include "util/exports.h"

namespace ndshare {
namespace {

using kernels::cast::CurrentTable;

// ---- JS entry points -----------------------------------------------------
//
//   cast.halfToFloat32(src: Uint16Array, dst: Float32Array): void
//   cast.float32ToHalf(src: Float32Array, dst: Uint16Array): void
//   cast.halfToFloat64(src: Uint16Array, dst: Float64Array): void
//   cast.float64ToHalf(src: Float64Array, dst: Uint16Array): void
//   cast.bfloat16ToFloat32 / float32ToBfloat16 / bfloat16ToFloat64 / float64ToBfloat16
//
// The code path is the current ISA's (kernels.setIsa lowers it, kernels/dispatch.h).
//
// Every argument is checked again here (the TS layer checks first, with
// friendlier messages): exact typed-array types, equal element counts, no
// overlap. Typed arrays over SharedArrayBuffers are fine.

template <typename T>
struct Span {
  T* data;
  size_t length;
  size_t bytes() const { return length * sizeof(T); }
};

template <typename T>
Span<T> TypedArrayArg(const Napi::CallbackInfo& info, size_t index, napi_typedarray_type type, const char* fn,
                      const char* arg, const char* expected) {
  Napi::Env env = info.Env();
  if (index >= info.Length() || !info[index].IsTypedArray()) {
    throw MakeTypeError(env, std::string("cast.") + fn + ": expected " + expected + " for " + arg);
  }
  napi_typedarray_type actual;
  size_t length;
  void* data;
  napi_status status = napi_get_typedarray_info(env, info[index], &actual, &length, &data, nullptr, nullptr);
  if (status != napi_ok) throw Napi::Error::New(env);
  if (actual != type) {
    throw MakeTypeError(env, std::string("cast.") + fn + ": expected " + expected + " for " + arg);
  }
  // A detached or empty array may report a null pointer: only ever used with length 0.
  return {static_cast<T*>(data), data == nullptr ? 0 : length};
}

template <typename S, typename D>
bool Overlap(const Span<S>& s, const Span<D>& d) {
  auto s0 = reinterpret_cast<uintptr_t>(s.data), d0 = reinterpret_cast<uintptr_t>(d.data);
  return s.length != 0 && d.length != 0 && s0 < d0 + d.bytes() && d0 < s0 + s.bytes();
}

template <typename S, typename D, napi_typedarray_type kSrc, napi_typedarray_type kDst>
void RunCast(const Napi::CallbackInfo& info, const char* fn, const char* src_type, const char* dst_type,
             void (*CastKernels::*kernel)(const S*, D*, size_t)) {
  Napi::Env env = info.Env();
  Span<S> src = TypedArrayArg<S>(info, 0, kSrc, fn, "src", src_type);
  Span<D> dst = TypedArrayArg<D>(info, 1, kDst, fn, "dst", dst_type);
  if (src.length != dst.length) {
    throw MakeRangeError(env, std::string("cast.") + fn + ": src has " + std::to_string(src.length) +
                                  " elements but dst has " + std::to_string(dst.length));
  }
  if (Overlap(src, dst)) {
    throw MakeRangeError(env, std::string("cast.") + fn + ": src and dst overlap in memory");
  }
  if (src.length == 0) return;
  const CastKernels* kernels = CurrentTable();
  (kernels->*kernel)(src.data, dst.data, src.length);
}

#define NDSHARE_CAST_ENTRY(Name, S, D, kSrc, kDst, SrcType, DstType)              \
  void Js_##Name(const Napi::CallbackInfo& info) {                                \
    RunCast<S, D, kSrc, kDst>(info, #Name, SrcType, DstType, &CastKernels::Name); \
  }

NDSHARE_CAST_ENTRY(halfToFloat32, uint16_t, float, napi_uint16_array, napi_float32_array, "a Uint16Array",
                   "a Float32Array")
NDSHARE_CAST_ENTRY(float32ToHalf, float, uint16_t, napi_float32_array, napi_uint16_array, "a Float32Array",
                   "a Uint16Array")
NDSHARE_CAST_ENTRY(halfToFloat64, uint16_t, double, napi_uint16_array, napi_float64_array, "a Uint16Array",
                   "a Float64Array")
NDSHARE_CAST_ENTRY(float64ToHalf, double, uint16_t, napi_float64_array, napi_uint16_array, "a Float64Array",
                   "a Uint16Array")
NDSHARE_CAST_ENTRY(bfloat16ToFloat32, uint16_t, float, napi_uint16_array, napi_float32_array, "a Uint16Array",
                   "a Float32Array")
NDSHARE_CAST_ENTRY(float32ToBfloat16, float, uint16_t, napi_float32_array, napi_uint16_array, "a Float32Array",
                   "a Uint16Array")
NDSHARE_CAST_ENTRY(bfloat16ToFloat64, uint16_t, double, napi_uint16_array, napi_float64_array, "a Uint16Array",
                   "a Float64Array")
NDSHARE_CAST_ENTRY(float64ToBfloat16, double, uint16_t, napi_float64_array, napi_uint16_array, "a Float64Array",
                   "a Uint16Array")
NDSHARE_CAST_ENTRY(float64ToFloat32, double, float, napi_float64_array, napi_float32_array, "a Float64Array",
                   "a Float32Array")
NDSHARE_CAST_ENTRY(float32ToFloat64, float, double, napi_float32_array, napi_float64_array, "a Float32Array",
                   "a Float64Array")
#undef NDSHARE_CAST_ENTRY

}  // namespace

void InitCast(Napi::Env env, Napi::Object exports) {
  Napi::Object cast = Napi::Object::New(env);
  SetMethods(env, cast,
             {
                 {"halfToFloat32", Js_halfToFloat32},
                 {"float32ToHalf", Js_float32ToHalf},
                 {"halfToFloat64", Js_halfToFloat64},
                 {"float64ToHalf", Js_float64ToHalf},
                 {"bfloat16ToFloat32", Js_bfloat16ToFloat32},
                 {"float32ToBfloat16", Js_float32ToBfloat16},
                 {"bfloat16ToFloat64", Js_bfloat16ToFloat64},
                 {"float64ToBfloat16", Js_float64ToBfloat16},
                 {"float64ToFloat32", Js_float64ToFloat32},
                 {"float32ToFloat64", Js_float32ToFloat64},
             });

  cast.Freeze();
  exports.Set("cast", cast);
}

}  // namespace ndshare
