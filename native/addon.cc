// The addon's entry point: creates the per-env state and registers each
// concern's exports. Nothing else lives here; each concern has its own file
// pair (util/errors, kernels/cast, memory/buffers, shm/segment, sync/*,
// platform/*, ...).
//
// Node-API addons are context-aware: Init runs once per env (main thread and
// every worker thread), and all per-env state lives in InstanceData.
#include <napi.h>
#include <v8.h>

#include "handoff/handoff.h"
#include "kernels/cast/cast.h"
#include "kernels/index/index.h"
#include "kernels/math.h"
#include "kernels/sort/sort.h"
#include "kernels/random/random.h"
#include "memory/buffers.h"
#include "proc/lifetime.h"
#include "shm/segment.h"
#include "store/binding.h"
#include "sync/sync.h"
#include "util/errors.h"
#include "util/instance.h"

namespace {

// Bumped with the JS <-> native API, so a stale build can be told apart.
constexpr const char* kVersion = "0.1.0";

// Unqualified: NODE_API_MODULE pastes the name into an identifier.
Napi::Object InitAddon(Napi::Env env, Napi::Object exports) {
  env.SetInstanceData(new ndshare::InstanceData());  // deleted by Node at env teardown
  exports.Set("version", Napi::String::New(env, kVersion));
  // The V8 API parts (util/v8.h) tie the binary to one V8: JS compares this with process.versions.v8.
  exports.Set("v8Version", Napi::String::New(env, v8::V8::GetVersion()));
  ndshare::InitErrors(env, exports);
  ndshare::InitCast(env, exports);
  ndshare::kernels::InitKernels(env, exports);
  ndshare::kernels::InitMath(env, exports);
  ndshare::kernels::InitSort(env, exports);
  ndshare::kernels::index::InitIndex(env, exports);
  ndshare::InitRandom(env, exports);
  ndshare::InitMemory(env, exports);
  ndshare::InitShm(env, exports);
  ndshare::InitSync(env, exports);
  ndshare::InitProc(env, exports);
  ndshare::InitHandoff(env, exports);
  ndshare::store::InitStore(env, exports);
  return exports;
}

}  // namespace

NODE_API_MODULE(ndshare, InitAddon)
