#include "sync/futex.h"

#include <v8.h>

#include <cerrno>
#include <climits>
#include <cstdint>
#include <string>

#include "platform/futex.h"
#include "util/args.h"
#include "sync/async_waits.h"
#include "util/errors.h"
#include "util/v8.h"
#include "util/exports.h"

namespace ndshare {
namespace sync {
namespace {

// The word at (sab, byteOffset) and the expected value, checked.
struct WordArgs {
  uint32_t* addr;
  uint32_t expected;
};

WordArgs WaitArgs(const Napi::CallbackInfo& info, const char* fn) {
  SharedBytes bytes = SharedBufferArg(info, 0, fn);
  size_t offset = OffsetArg(info, 1, fn, "byteOffset", bytes.length, 4, 4);
  // Int32Array and Uint32Array values alike: only the 32 bits matter.
  double expected = IntegerArg(info, 2, fn, "expected", -2147483648.0, 4294967295.0);
  return {reinterpret_cast<uint32_t*>(bytes.data + offset), static_cast<uint32_t>(static_cast<int64_t>(expected))};
}

Napi::Error FutexFailure(Napi::Env env, int err, const char* fn) {
  if (err == ENOSYS) {
    return MakeError(env, code::kUnsupported, std::string(fn) + ": futexes are not supported on this platform");
  }
  return MakeSystemError(env, err, "futex", fn);
}

// futexWait(sab, byteOffset, expected, timeoutMs): blocks this thread.
Napi::Value JsFutexWait(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WordArgs word = WaitArgs(info, "sync.futexWait");
  int64_t timeout = TimeoutArg(info, 3, "sync.futexWait");
  int64_t deadline = timeout < 0 ? -1 : platform::MonotonicNs() + timeout;
  for (;;) {
    int64_t left = -1;
    if (deadline >= 0) {
      left = deadline - platform::MonotonicNs();
      if (left < 0) left = 0;  // still one call: 'not-equal' wins over 'timed-out'
    }
    if (platform::FutexWait(word.addr, word.expected, left) == 0) {
      return WaitResultValue(env, WaitResult::kOk);
    }
    int err = errno;
    switch (err) {
      case EINTR:
        if (deadline >= 0 && platform::MonotonicNs() >= deadline) {
          return WaitResultValue(env, WaitResult::kTimedOut);
        }
        continue;  // a signal: sleep again for the time left
      case EAGAIN: return WaitResultValue(env, WaitResult::kNotEqual);
      case ETIMEDOUT: return WaitResultValue(env, WaitResult::kTimedOut);
      default: throw FutexFailure(env, err, "sync.futexWait");
    }
  }
}

// futexWaitAsync(sab, byteOffset, expected, timeoutMs): Promise; see async_waits.h.
Napi::Value JsFutexWaitAsync(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  WordArgs word = WaitArgs(info, "sync.futexWaitAsync");
  int64_t timeout = TimeoutArg(info, 3, "sync.futexWaitAsync");
  if (!platform::HasFutex()) throw FutexFailure(env, ENOSYS, "sync.futexWaitAsync");
  napi_deferred deferred;
  napi_value promise;
  if (napi_create_promise(env, &deferred, &promise) != napi_ok) throw Napi::Error::New(env);
  // Decided now, on this thread, as Atomics.waitAsync does: a value that is
  // already different, or a zero timeout, never reaches a waiter thread.
  uint32_t current = __atomic_load_n(word.addr, __ATOMIC_SEQ_CST);
  if (current != word.expected || timeout == 0) {
    WaitResult result = current != word.expected ? WaitResult::kNotEqual : WaitResult::kTimedOut;
    napi_resolve_deferred(env, deferred, WaitResultValue(env, result));
    return Napi::Value(env, promise);
  }
  std::shared_ptr<AsyncWaits> waits;
  try {
    waits = AsyncWaits::Of(env);
  } catch (const Napi::Error& e) {
    napi_reject_deferred(env, deferred, e.Value());
    return Napi::Value(env, promise);
  }
  auto* request = new WaitRequest();
  request->store = SharedBufferStore(info, 0);
  request->addr = word.addr;
  request->expected = word.expected;
  request->deadline_ns = timeout < 0 ? -1 : platform::MonotonicNs() + timeout;
  request->deferred = deferred;
  waits->Start(request);
  return Napi::Value(env, promise);
}

// futexWake(sab, byteOffset, count): number woken. count: integer >= 0 or Infinity.
Napi::Value JsFutexWake(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "sync.futexWake";
  SharedBytes bytes = SharedBufferArg(info, 0, fn);
  size_t offset = OffsetArg(info, 1, fn, "byteOffset", bytes.length, 4, 4);
  int count = INT_MAX;
  v8::Local<v8::Value> v = info.Length() > 2 ? ToV8(info[2]) : v8::Local<v8::Value>();
  if (v.IsEmpty() || !v->IsNumber() || v.As<v8::Number>()->Value() != INFINITY) {
    double d = IntegerArg(info, 2, fn, "count", 0, 9007199254740991.0);
    if (d < INT_MAX) count = static_cast<int>(d);
  }
  // FUTEX_WAKE with 0 wakes one waiter anyway: 0 means none here.
  if (count == 0) return Napi::Number::New(env, 0);
  int woken = platform::FutexWake(reinterpret_cast<uint32_t*>(bytes.data + offset), count);
  if (woken < 0) {
    int err = errno;
    throw FutexFailure(env, err, fn);
  }
  return Napi::Number::New(env, woken);
}

}  // namespace

Napi::Value WaitResultValue(Napi::Env env, WaitResult result) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::Local<v8::String> s;
  switch (result) {
    case WaitResult::kOk: s = v8::String::NewFromUtf8Literal(isolate, "ok", v8::NewStringType::kInternalized); break;
    case WaitResult::kNotEqual:
      s = v8::String::NewFromUtf8Literal(isolate, "not-equal", v8::NewStringType::kInternalized);
      break;
    case WaitResult::kTimedOut:
      s = v8::String::NewFromUtf8Literal(isolate, "timed-out", v8::NewStringType::kInternalized);
      break;
  }
  return ToNapi(env, s);
}

void RegisterFutex(Napi::Env env, Napi::Object sync) {
  SetMethods(env, sync,
             {
                 {"futexWait", JsFutexWait},
                 {"futexWaitAsync", JsFutexWaitAsync},
                 {"futexWake", JsFutexWake},
             });
}

}  // namespace sync
}  // namespace ndshare
