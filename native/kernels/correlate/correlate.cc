// math.correlate(dtype, a, v, out, lagStart): NumPy's correlate core,
// out[k] = sum_j a[lagStart + k + j] * v[j] over the j where a is defined
// (a is zero outside [0, n)), for k in [0, out.length). The TS layer
// (src/math/convolve.ts) picks the mode's lags, swaps and reverses for
// convolve, and casts: float32 and float64 compute in their own type (float16
// and bfloat16 through float32, as NumPy's half dot does), every integer and
// bool dtype through int64 with wrapping arithmetic (NumPy's integer dot
// accumulates in a 64-bit integer and casts the sum back); complex64/complex128
// (codes 13, 14: their Float32Array/Float64Array of parts, lengths in elements)
// with the plain complex product (conjugation is the TS layer's).
//
// The loops are the correlate kernel family (correlate.h, correlate.inc.cc):
// one table per ISA, chosen per call (kernels.setIsa lowers it).
#include <cstdint>
#include <cstring>
#include <string>

#include "kernels/correlate/correlate.h"
#include "kernels/dtype.h"
#include "kernels/math.h"
#include "util/args.h"
#include "util/errors.h"

namespace ndshare {
namespace kernels {
namespace {

struct Span {
  void* data;
  int64_t length;
};

Span TypedArg(const Napi::CallbackInfo& info, size_t index, const char* arg, napi_typedarray_type want) {
  Napi::Env env = info.Env();
  if (!info[index].IsTypedArray())
    throw MakeTypeError(env, std::string("math.correlate: ") + arg + " is not a typed array");
  napi_typedarray_type type;
  size_t length;
  void* data;
  if (napi_get_typedarray_info(env, info[index], &type, &length, &data, nullptr, nullptr) != napi_ok)
    throw Napi::Error::New(env);
  if (type != want)
    throw MakeTypeError(env, std::string("math.correlate: ") + arg + " is not the typed array of the dtype");
  return {data, data == nullptr ? 0 : static_cast<int64_t>(length)};
}

// math.correlate(dtype, a, v, out, lagStart)
void JsCorrelate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int dtype = CodeArg(info, 0, "math.correlate", "dtype", kComplex128 + 1);
  napi_typedarray_type ta;
  if (dtype == kFloat64 || dtype == kComplex128) ta = napi_float64_array;
  else if (dtype == kFloat32 || dtype == kComplex64) ta = napi_float32_array;
  else if (dtype == kInt64) ta = napi_bigint64_array;
  else
    throw MakeTypeError(env, "math.correlate: dtype must be float32, float64, int64, complex64 or complex128",
                        code::kUnsupported);
  Span a = TypedArg(info, 1, "a", ta);
  Span v = TypedArg(info, 2, "v", ta);
  Span out = TypedArg(info, 3, "out", ta);
  if (IsComplexDType(dtype)) {
    // Whole complex elements only.
    for (Span* s : {&a, &v, &out}) s->length /= 2;
  }
  const double lim = 9007199254740991.0;
  const int64_t lag0 = static_cast<int64_t>(IntegerArg(info, 4, "math.correlate", "lagStart", -lim, lim));
  // Every lag must lie within the full range [-(m-1), n-1] (so every index read is in a).
  if (out.length > 0 && (v.length == 0 || lag0 < -(v.length - 1) || lag0 + out.length - 1 > a.length - 1)) {
    throw MakeRangeError(env, "math.correlate: lags outside [-(v.length - 1), a.length - 1]");
  }
  if (out.length == 0) return;
  const correlate::Table* t = correlate::CurrentTable();
  if (dtype == kFloat64) {
    t->f64(static_cast<const double*>(a.data), a.length, static_cast<const double*>(v.data), v.length,
           static_cast<double*>(out.data), out.length, lag0);
  } else if (dtype == kFloat32) {
    t->f32(static_cast<const float*>(a.data), a.length, static_cast<const float*>(v.data), v.length,
           static_cast<float*>(out.data), out.length, lag0);
  } else if (dtype == kComplex128) {
    using C = correlate::CxPair<double>;
    t->c128(static_cast<const C*>(a.data), a.length, static_cast<const C*>(v.data), v.length, static_cast<C*>(out.data),
            out.length, lag0);
  } else if (dtype == kComplex64) {
    using C = correlate::CxPair<float>;
    t->c64(static_cast<const C*>(a.data), a.length, static_cast<const C*>(v.data), v.length, static_cast<C*>(out.data),
           out.length, lag0);
  } else {
    t->i64(static_cast<const uint64_t*>(a.data), a.length, static_cast<const uint64_t*>(v.data), v.length,
           static_cast<uint64_t*>(out.data), out.length, lag0);
  }
}

}  // namespace

void InitCorrelate(Napi::Env env, Napi::Object math) {
  math.Set("correlate", Napi::Function::New(env, JsCorrelate, "correlate"));
}

}  // namespace kernels
}  // namespace ndshare
