#include "proc/lifetime.h"

#include <cerrno>
#include <cmath>

#include "platform/lifetime.h"
#include "util/errors.h"

namespace ndshare {
namespace {

// dieWithParent(signal: number, parentPid: number): void
// ESRCH (the parent is already gone) and ENOSYS (no such call here) throw coded errors.
void JsDieWithParent(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  for (size_t i = 0; i < 2; ++i) {
    if (info.Length() <= i || !info[i].IsNumber()) {
      throw MakeTypeError(env, i == 0 ? "proc.dieWithParent: expected a signal number for signal"
                                      : "proc.dieWithParent: expected a pid for parentPid");
    }
  }
  double sig = info[0].As<Napi::Number>().DoubleValue();
  double pid = info[1].As<Napi::Number>().DoubleValue();
  if (!(sig >= 1 && sig <= 64) || std::floor(sig) != sig) {
    throw MakeRangeError(env, "proc.dieWithParent: expected a signal number in [1, 64] for signal");
  }
  if (!(pid >= 1 && pid <= 4194304) || std::floor(pid) != pid) {
    throw MakeRangeError(env, "proc.dieWithParent: expected a pid for parentPid");
  }
  if (platform::DieWithParent(static_cast<int>(sig), static_cast<int>(pid)) != 0) {
    int err = errno;
    if (err == ENOSYS) throw MakeError(env, code::kUnsupported, "proc.dieWithParent: not supported on this platform");
    throw MakeSystemError(env, err, "prctl", "proc.dieWithParent");
  }
}

}  // namespace

void InitProc(Napi::Env env, Napi::Object exports) {
  Napi::Object proc = Napi::Object::New(env);
  proc.Set("dieWithParent", Napi::Function::New(env, JsDieWithParent, "dieWithParent"));
  exports.Set("proc", proc);
}

}  // namespace ndshare
