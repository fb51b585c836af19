#include "sync/sync.h"

#include "sync/futex.h"
#include "sync/mutex.h"

namespace ndshare {

void InitSync(Napi::Env env, Napi::Object exports) {
  Napi::Object sync = Napi::Object::New(env);
  sync::RegisterMutex(env, sync);
  sync::RegisterFutex(env, sync);
  exports.Set("sync", sync);
}

}  // namespace ndshare
