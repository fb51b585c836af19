// The `random` export: NumPy's bit generators and Generator algorithms
// (bitgen.h, distributions.h) over caller-owned state and output arrays.
// Every function takes (kind, state, ...): kind is a bitgen.h Kind, state a
// BigUint64Array of exactly StateWords(kind) words that the call advances.
#ifndef NDSHARE_KERNELS_RANDOM_RANDOM_H_
#define NDSHARE_KERNELS_RANDOM_RANDOM_H_

#include <napi.h>

namespace ndshare {

void InitRandom(Napi::Env env, Napi::Object exports);

}  // namespace ndshare

#endif  // NDSHARE_KERNELS_RANDOM_RANDOM_H_
