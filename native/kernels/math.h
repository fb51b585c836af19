// The `math` export: compute kernels (elementwise, reduce, matmul).
//
// math.cc creates the object, sets `math.dtypes` ({name: code}, the codes of
// kernels/dtype.h), then lets each concern add its functions. Each concern is
// a kernel family of kernels/dispatch.h (per-ISA tables, chosen per call).
#ifndef NDSHARE_KERNELS_MATH_H_
#define NDSHARE_KERNELS_MATH_H_

#include <napi.h>

#include "kernels/dispatch.h"

namespace ndshare {
namespace kernels {

void InitMath(Napi::Env env, Napi::Object exports);

// Each concern adds its functions to `math` (see its header).
void InitElementwise(Napi::Env env, Napi::Object math);
void InitReduce(Napi::Env env, Napi::Object math);
void InitMatmul(Napi::Env env, Napi::Object math);
void InitLinalg(Napi::Env env, Napi::Object math);
void InitFft(Napi::Env env, Napi::Object math);
void InitCorrelate(Napi::Env env, Napi::Object math);  // correlate/correlate.cc
void InitBits(Napi::Env env, Napi::Object math);       // bits/bits.cc
void InitInterp(Napi::Env env, Napi::Object math);     // interp/interp.cc

}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_MATH_H_
