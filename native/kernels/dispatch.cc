#include "kernels/dispatch.h"

#include <atomic>
#include <string>

#include "util/errors.h"
#include "util/exports.h"

namespace ndshare {
namespace kernels {

Isa BestIsa() {
#if defined(__x86_64__) || defined(_M_X64)
  static const Isa best = [] {
    __builtin_cpu_init();  // libgcc also checks that the OS saves the YMM/ZMM state (XGETBV)
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
      return Isa::kAvx512;
    }
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("f16c")) {
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

Napi::Value JsGetIsa(const Napi::CallbackInfo& info) { return Napi::String::New(info.Env(), IsaName(CurrentIsa())); }

void JsSetIsa(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    throw MakeTypeError(env, "kernels.setIsa: expected a string for name");
  }
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
  throw MakeRangeError(env, "kernels.setIsa: '" + name + "' is not available on this CPU", code::kUnsupported);
}

}  // namespace

Isa CurrentIsa() {
  int c = current.load(std::memory_order_relaxed);
  return c < 0 ? BestIsa() : static_cast<Isa>(c);
}

// The `kernels` export:
//   kernels.isa: string          the best ISA of this CPU ('avx512' | 'avx2' | 'baseline')
//   kernels.isas: string[]       the ISAs this CPU runs, baseline first, best last
//   kernels.getIsa(): string     the ISA every kernel family uses now
//   kernels.setIsa(name): void   'auto' (the best) or one of `isas`; process-wide, every
//                                family (cast, elementwise, reduce, matmul, ...). For tests
//                                and benchmarks; throws ERR_NDSHARE_UNSUPPORTED otherwise.
void InitKernels(Napi::Env env, Napi::Object exports) {
  Napi::Object kernels = Napi::Object::New(env);
  kernels.Set("isa", Napi::String::New(env, IsaName(BestIsa())));
  Napi::Array isas = Napi::Array::New(env);
  for (int i = 0; i <= static_cast<int>(BestIsa()); ++i) {
    isas.Set(static_cast<uint32_t>(i), Napi::String::New(env, IsaName(static_cast<Isa>(i))));
  }
  isas.Freeze();
  kernels.Set("isas", isas);
  SetMethods(env, kernels,
             {
                 {"getIsa", JsGetIsa},
                 {"setIsa", JsSetIsa},
             });
  kernels.Freeze();
  exports.Set("kernels", kernels);
}

}  // namespace kernels
}  // namespace ndshare
