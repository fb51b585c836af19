// Per-environment state of the addon.
//
// Node-API gives an addon one instance-data slot per env (the main thread and
// each worker thread are separate envs). Anything that holds a JS handle, or
// that a thread may set for itself, lives here and never in a static: statics
// are shared by every thread of the process and JS handles are not. One field
// group per concern; addon.cc creates the object before any concern's Init
// runs, and Node deletes it when the env is torn down.
#ifndef NDSHARE_UTIL_INSTANCE_H_
#define NDSHARE_UTIL_INSTANCE_H_

#include <napi.h>

#include <memory>

#include "util/errors.h"

namespace ndshare {

namespace sync {
class AsyncWaits;  // sync/async_waits.h
}  // namespace sync

struct InstanceData {
  ErrorClasses errors;  // set by JS once through setErrorClasses
  // futexWaitAsync state of this env, created on first use; shared with the
  // waits in flight, which may outlive the env (sync/async_waits.h).
  std::shared_ptr<sync::AsyncWaits> futexWaits;

  // The env's instance data; addon.cc installs it first, so never null after load.
  static InstanceData* Of(Napi::Env env) { return env.GetInstanceData<InstanceData>(); }
};

}  // namespace ndshare

#endif  // NDSHARE_UTIL_INSTANCE_H_
