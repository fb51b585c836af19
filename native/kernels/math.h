// The `math` export: compute kernels (elementwise, reduce, matmul).
//
// math.cc creates the object, sets `math.dtypes` ({name: code}, the codes of
// kernels/dtype.h) and `math.isa` (the best instruction set this CPU runs:
// 'avx512', 'avx2' or 'baseline'), then lets each concern add its functions.
// The per-ISA code of each concern lives in isa_baseline.cc / isa_avx2.cc /
// isa_avx512.cc of its folder; the last two are built as static libraries
// with their -m flags (binding.gyp) and only ever called after the CPU check.
#ifndef NDSHARE_KERNELS_MATH_H_
#define NDSHARE_KERNELS_MATH_H_

#include <napi.h>

namespace ndshare {
namespace kernels {

enum class Isa : int { kBaseline = 0, kAvx2 = 1, kAvx512 = 2 };

// The best ISA of this CPU (x86-64: AVX-512F/DQ/BW/VL, else AVX2+FMA+F16C,
// else baseline SSE2), decided once per process. Elsewhere: kBaseline.
Isa BestIsa();
const char* IsaName(Isa isa);

// The ISA the kernels use now: BestIsa() unless JS lowered it with
// math.setIsa(name) (tests and benchmarks compare the paths). Process-wide;
// every kernel entry point reads it once per call and picks its table.
Isa CurrentIsa();

void InitMath(Napi::Env env, Napi::Object exports);

// Each concern adds its functions to `math` (see its header).
void InitElementwise(Napi::Env env, Napi::Object math);
void InitReduce(Napi::Env env, Napi::Object math);
void InitMatmul(Napi::Env env, Napi::Object math);

}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_MATH_H_
