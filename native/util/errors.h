// Coded errors thrown from C++.
//
// JS hands the addon its error classes once at load (src/binding.ts calls
// `setErrorClasses({NdshareError, NdshareTypeError, NdshareRangeError})`), as
// better-sqlite3 does with SqliteError. The constructors are kept per env in
// the addon's instance data (util/instance.h), never in a static, so the addon
// works in every worker thread. Until they are set (or if JS never sets them)
// the helpers fall back to plain Error/TypeError/RangeError with the same
// `code` property, so an error always carries a code.
//
// The helpers build an error; callers `throw` it (C++ exceptions are on, and
// node-addon-api turns a thrown Napi::Error into a JS exception at the
// boundary). Use the Make* helpers in an AsyncWorker's OnError/OnOK only: they
// touch JS and must never run in Execute().
#ifndef NDSHARE_UTIL_ERRORS_H_
#define NDSHARE_UTIL_ERRORS_H_

#include <napi.h>

#include <string>

namespace ndshare {

// The codes of src/errors.ts that native code raises. Permanent: never change
// a value, add new ones.
namespace code {
constexpr const char* kInvalidArgType = "ERR_NDSHARE_INVALID_ARG_TYPE";
constexpr const char* kInvalidArgValue = "ERR_NDSHARE_INVALID_ARG_VALUE";
constexpr const char* kUnsupported = "ERR_NDSHARE_UNSUPPORTED";
constexpr const char* kNative = "ERR_NDSHARE_NATIVE";
}  // namespace code

// The JS constructors, one set per env (a field of InstanceData).
struct ErrorClasses {
  Napi::FunctionReference error;       // new NdshareError(message, {code, ...details})
  Napi::FunctionReference typeError;   // new NdshareTypeError(message, {code})
  Napi::FunctionReference rangeError;  // new NdshareRangeError(message, {code})
};

// Adds `setErrorClasses(classes)` to the exports.
void InitErrors(Napi::Env env, Napi::Object exports);

// An operational failure: `new NdshareError(message, {code})`.
Napi::Error MakeError(Napi::Env env, const char* code, const std::string& message);

// A bad argument type: `new NdshareTypeError(message, {code})`.
Napi::Error MakeTypeError(Napi::Env env, const std::string& message, const char* code = code::kInvalidArgType);

// A bad argument value: `new NdshareRangeError(message, {code})`.
Napi::Error MakeRangeError(Napi::Env env, const std::string& message, const char* code = code::kInvalidArgValue);

// A failed system call, like Node's SystemError: an NdshareError with code
// ERR_NDSHARE_NATIVE, `errno` (the positive C errno value), `syscall` (both
// passed in the constructor's options, so they are set before JS sees it), and a
// message "<what>: <syscall> failed: <strerror> (errno <n>)". Pass the errno
// value saved right after the call (not `errno` read later).
Napi::Error MakeSystemError(Napi::Env env, int errnum, const char* syscall, const std::string& what);

}  // namespace ndshare

#endif  // NDSHARE_UTIL_ERRORS_H_
