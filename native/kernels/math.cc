#include "kernels/math.h"

#include "kernels/dtype.h"
#include "util/errors.h"

namespace ndshare {
namespace kernels {

void InitMath(Napi::Env env, Napi::Object exports) {
  Napi::Object math = Napi::Object::New(env);
  Napi::Object dtypes = Napi::Object::New(env);
  for (int d = 0; d < kDTypeCount; ++d) dtypes.Set(kDTypeNames[d], Napi::Number::New(env, d));
  // Only the elementwise engine takes these (its complex table).
  dtypes.Set("complex64", Napi::Number::New(env, kComplex64));
  dtypes.Set("complex128", Napi::Number::New(env, kComplex128));
  math.Set("dtypes", dtypes);
  InitElementwise(env, math);
  InitReduce(env, math);
  InitMatmul(env, math);
  InitLinalg(env, math);
  InitFft(env, math);
  InitCorrelate(env, math);
  InitBits(env, math);
  InitInterp(env, math);
  exports.Set("math", math);
}

}  // namespace kernels
}  // namespace ndshare
