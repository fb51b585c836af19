#include "kernels/math.h"

namespace ndshare {
namespace kernels {

void InitReduce(Napi::Env env, Napi::Object math) {}

}  // namespace kernels
}  // namespace ndshare
