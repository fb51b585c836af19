#include "util/errors.h"

#include <cstring>

#include "util/instance.h"

namespace ndshare {
namespace {

// setErrorClasses({NdshareError, NdshareTypeError, NdshareRangeError}):
// called once per env by src/binding.ts; a second call replaces the classes.
void SetErrorClasses(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsObject()) {
    throw MakeTypeError(env, "setErrorClasses: expected an object of error constructors");
  }
  Napi::Object classes = info[0].As<Napi::Object>();
  Napi::Value error = classes.Get("NdshareError");
  Napi::Value typeError = classes.Get("NdshareTypeError");
  Napi::Value rangeError = classes.Get("NdshareRangeError");
  if (!error.IsFunction() || !typeError.IsFunction() || !rangeError.IsFunction()) {
    throw MakeTypeError(env,
                        "setErrorClasses: expected functions NdshareError, NdshareTypeError "
                        "and NdshareRangeError");
  }
  ErrorClasses& slot = InstanceData::Of(env)->errors;
  slot.error = Napi::Persistent(error.As<Napi::Function>());
  slot.typeError = Napi::Persistent(typeError.As<Napi::Function>());
  slot.rangeError = Napi::Persistent(rangeError.As<Napi::Function>());
}

const ErrorClasses* Classes(Napi::Env env) {
  InstanceData* data = InstanceData::Of(env);
  return data == nullptr ? nullptr : &data->errors;
}

}  // namespace

void InitErrors(Napi::Env env, Napi::Object exports) {
  exports.Set("setErrorClasses", Napi::Function::New(env, SetErrorClasses, "setErrorClasses"));
}

Napi::Error MakeError(Napi::Env env, const char* code, const std::string& message) {
  const ErrorClasses* classes = Classes(env);
  if (classes != nullptr && !classes->error.IsEmpty()) {
    return Napi::Error(env, classes->error.New({Napi::String::New(env, code),
                                                Napi::String::New(env, message)}));
  }
  Napi::Error e = Napi::Error::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  return e;
}

Napi::Error MakeTypeError(Napi::Env env, const std::string& message, const char* code) {
  const ErrorClasses* classes = Classes(env);
  if (classes != nullptr && !classes->typeError.IsEmpty()) {
    return Napi::Error(env, classes->typeError.New({Napi::String::New(env, message),
                                                    Napi::String::New(env, code)}));
  }
  Napi::Error e = Napi::TypeError::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  return e;
}

Napi::Error MakeRangeError(Napi::Env env, const std::string& message, const char* code) {
  const ErrorClasses* classes = Classes(env);
  if (classes != nullptr && !classes->rangeError.IsEmpty()) {
    return Napi::Error(env, classes->rangeError.New({Napi::String::New(env, message),
                                                     Napi::String::New(env, code)}));
  }
  Napi::Error e = Napi::RangeError::New(env, message);
  e.Set("code", Napi::String::New(env, code));
  return e;
}

Napi::Error MakeSystemError(Napi::Env env, int errnum, const char* syscall,
                            const std::string& what) {
  std::string message = what + ": " + syscall + " failed: " + std::strerror(errnum) +
                        " (errno " + std::to_string(errnum) + ")";
  Napi::Error e = MakeError(env, code::kNative, message);
  e.Set("errno", Napi::Number::New(env, errnum));
  e.Set("syscall", Napi::String::New(env, syscall));
  return e;
}

}  // namespace ndshare
