#include "kernels/math.h"

namespace ndshare {
namespace kernels {

void InitMatmul(Napi::Env env, Napi::Object math) {}

}  // namespace kernels
}  // namespace ndshare
