// native.store: the store's rules for the Node side (see binding.cc).
#ifndef NDSHARE_STORE_BINDING_H_
#define NDSHARE_STORE_BINDING_H_

#include <napi.h>

namespace ndshare {
namespace store {

// Adds the `store` object to the exports.
void InitStore(Napi::Env env, Napi::Object exports);

}  // namespace store
}  // namespace ndshare

#endif  // NDSHARE_STORE_BINDING_H_
