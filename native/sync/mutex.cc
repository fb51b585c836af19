#include "sync/mutex.h"

#include <cerrno>
#include <string>

#include "platform/robust_mutex.h"
#include "util/args.h"
#include "util/errors.h"
#include "util/exports.h"

namespace ndshare {
namespace sync {
namespace {

// The mutex at (sab, byteOffset): 8-aligned, wholly inside the buffer.
void* MutexArg(const Napi::CallbackInfo& info, const char* fn) {
  SharedBytes bytes = SharedBufferArg(info, 0, fn);
  size_t offset = OffsetArg(info, 1, fn, "byteOffset", bytes.length, platform::kMutexSize, platform::kMutexAlign);
  return bytes.data + offset;
}

// An unexpected result of a pthread call, with a hint for the usual causes.
Napi::Error MutexFailure(Napi::Env env, int err, const char* call, const char* fn) {
  std::string what = fn;
  switch (err) {
    case ENOSYS:
      return MakeError(env, code::kUnsupported,
                       what + ": robust process-shared mutexes are not supported on this platform");
    case ENOTRECOVERABLE:
      what +=
          " (the mutex is unrecoverable: a previous owner died and the next one unlocked it "
          "without calling mutexConsistent; re-initialize it)";
      break;
    case EDEADLK: what += " (this thread already holds it)"; break;
    case EPERM: what += " (this thread does not hold it)"; break;
    case EINVAL: what += " (not an initialized robust mutex, or not in the owner-died state)"; break;
    default: break;
  }
  return MakeSystemError(env, err, call, what);
}

void JsMutexInit(const Napi::CallbackInfo& info) {
  void* at = MutexArg(info, "sync.mutexInit");
  int rc = platform::RobustMutexInit(at);
  if (rc != 0) throw MutexFailure(info.Env(), rc, "pthread_mutex_init", "sync.mutexInit");
}

Napi::Value JsMutexLock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  void* at = MutexArg(info, "sync.mutexLock");
  int64_t timeout = TimeoutArg(info, 2, "sync.mutexLock");
  int rc = platform::RobustMutexLock(at, timeout);
  switch (rc) {
    case 0: return Napi::Number::New(env, 0);
    case EOWNERDEAD: return Napi::Number::New(env, 1);
    case ETIMEDOUT: return Napi::Number::New(env, 2);
    default:
      throw MutexFailure(env, rc, timeout < 0 ? "pthread_mutex_lock" : "pthread_mutex_clocklock", "sync.mutexLock");
  }
}

Napi::Value JsMutexTryLock(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  void* at = MutexArg(info, "sync.mutexTryLock");
  int rc = platform::RobustMutexTryLock(at);
  switch (rc) {
    case 0: return Napi::Number::New(env, 0);
    case EOWNERDEAD: return Napi::Number::New(env, 1);
    case EBUSY:
    case EDEADLK:  // held, by this very thread: still "busy" to a try-lock
      return Napi::Number::New(env, 3);
    default: throw MutexFailure(env, rc, "pthread_mutex_trylock", "sync.mutexTryLock");
  }
}

void JsMutexConsistent(const Napi::CallbackInfo& info) {
  void* at = MutexArg(info, "sync.mutexConsistent");
  int rc = platform::RobustMutexConsistent(at);
  if (rc != 0) throw MutexFailure(info.Env(), rc, "pthread_mutex_consistent", "sync.mutexConsistent");
}

void JsMutexUnlock(const Napi::CallbackInfo& info) {
  void* at = MutexArg(info, "sync.mutexUnlock");
  int rc = platform::RobustMutexUnlock(at);
  if (rc != 0) throw MutexFailure(info.Env(), rc, "pthread_mutex_unlock", "sync.mutexUnlock");
}

Napi::Value JsDeferredUnmaps(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(platform::DeferredUnmaps()));
}

}  // namespace

void RegisterMutex(Napi::Env env, Napi::Object sync) {
  sync.Set("mutexSize", Napi::Number::New(env, static_cast<double>(platform::kMutexSize)));
  SetMethods(env, sync,
             {
                 {"mutexInit", JsMutexInit},
                 {"mutexLock", JsMutexLock},
                 {"mutexTryLock", JsMutexTryLock},
                 {"mutexConsistent", JsMutexConsistent},
                 {"mutexUnlock", JsMutexUnlock},
                 {"deferredUnmaps", JsDeferredUnmaps},
             });
}

}  // namespace sync
}  // namespace ndshare
