#include "kernels/math.h"

#include <atomic>
#include <string>

#include "kernels/dtype.h"
#include "util/errors.h"

namespace ndshare {
namespace kernels {

Isa BestIsa() {
#if defined(__x86_64__) || defined(_M_X64)
  static const Isa best = [] {
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") &&
        __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
      return Isa::kAvx512;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
        __builtin_cpu_supports("f16c")) {
      return Isa::kAvx2;
    }
    return Isa::kBaseline;
  }();
  return best;
#else
  return Isa::kBaseline;
#endif
}

const char* IsaName(Isa isa) {
  switch (isa) {
    case Isa::kAvx512: return "avx512";
    case Isa::kAvx2: return "avx2";
    default: return "baseline";
  }
}

namespace {

std::atomic<int> current{-1};  // -1: BestIsa()

Napi::Value JsGetIsa(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), IsaName(CurrentIsa()));
}

// math.setIsa('auto' | 'baseline' | 'avx2' | 'avx512'): refuses an ISA the CPU lacks.
void JsSetIsa(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) throw MakeTypeError(env, "math.setIsa: expected a string");
  std::string name = info[0].As<Napi::String>();
  if (name == "auto") {
    current = -1;
    return;
  }
  for (int i = 0; i <= static_cast<int>(BestIsa()); ++i) {
    if (name == IsaName(static_cast<Isa>(i))) {
      current = i;
      return;
    }
  }
  throw MakeRangeError(env, "math.setIsa: '" + name + "' is not available on this CPU", code::kUnsupported);
}

}  // namespace

Isa CurrentIsa() {
  int c = current.load(std::memory_order_relaxed);
  return c < 0 ? BestIsa() : static_cast<Isa>(c);
}

void InitMath(Napi::Env env, Napi::Object exports) {
  Napi::Object math = Napi::Object::New(env);
  Napi::Object dtypes = Napi::Object::New(env);
  for (int d = 0; d < kDTypeCount; ++d) dtypes.Set(kDTypeNames[d], Napi::Number::New(env, d));
  math.Set("dtypes", dtypes);
  math.Set("isa", Napi::String::New(env, IsaName(BestIsa())));
  math.Set("getIsa", Napi::Function::New(env, JsGetIsa, "getIsa"));
  math.Set("setIsa", Napi::Function::New(env, JsSetIsa, "setIsa"));
  InitElementwise(env, math);
  InitReduce(env, math);
  InitMatmul(env, math);
  exports.Set("math", math);
}

}  // namespace kernels
}  // namespace ndshare
