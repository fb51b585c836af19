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

enum class Kind { kError, kType, kRange };

// `new Class(message, options)`: the public constructors' form, options
// {code, ...details}. Before the classes are set, a plain Error/TypeError/
// RangeError with the options' fields copied onto it.
Napi::Error Build(Napi::Env env, Kind kind, const std::string& message, Napi::Object options) {
  const ErrorClasses* classes = Classes(env);
  const Napi::FunctionReference* ctor = nullptr;
  if (classes != nullptr) {
    ctor = kind == Kind::kError ? &classes->error : kind == Kind::kType ? &classes->typeError : &classes->rangeError;
  }
  if (ctor != nullptr && !ctor->IsEmpty())
    return Napi::Error(env, ctor->New({Napi::String::New(env, message), options}));
  Napi::Error e;
  if (kind == Kind::kError) e = Napi::Error::New(env, message);
  else if (kind == Kind::kType) e = Napi::TypeError::New(env, message);
  else e = Napi::RangeError::New(env, message);
  Napi::Object target = e.Value();
  Napi::Array keys = options.GetPropertyNames();
  for (uint32_t k = 0; k < keys.Length(); ++k) {
    Napi::Value key = keys.Get(k);
    target.Set(key, options.Get(key));
  }
  return e;
}

Napi::Object CodeOptions(Napi::Env env, const char* code) {
  Napi::Object options = Napi::Object::New(env);
  options.Set("code", Napi::String::New(env, code));
  return options;
}

}  // namespace

void InitErrors(Napi::Env env, Napi::Object exports) {
  exports.Set("setErrorClasses", Napi::Function::New(env, SetErrorClasses, "setErrorClasses"));
}

Napi::Error MakeError(Napi::Env env, const char* code, const std::string& message) {
  return Build(env, Kind::kError, message, CodeOptions(env, code));
}

Napi::Error MakeTypeError(Napi::Env env, const std::string& message, const char* code) {
  return Build(env, Kind::kType, message, CodeOptions(env, code));
}

Napi::Error MakeRangeError(Napi::Env env, const std::string& message, const char* code) {
  return Build(env, Kind::kRange, message, CodeOptions(env, code));
}

Napi::Error MakeSystemError(Napi::Env env, int errnum, const char* syscall, const std::string& what) {
  std::string message =
      what + ": " + syscall + " failed: " + std::strerror(errnum) + " (errno " + std::to_string(errnum) + ")";
  Napi::Object options = CodeOptions(env, code::kNative);
  options.Set("errno", Napi::Number::New(env, errnum));
  options.Set("syscall", Napi::String::New(env, syscall));
  return Build(env, Kind::kError, message, options);
}

}  // namespace ndshare
