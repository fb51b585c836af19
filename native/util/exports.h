// Registering an addon module's functions: one table per module instead of a
// line of Napi::Function::New per function (each name written once).
#ifndef NDSHARE_UTIL_EXPORTS_H_
#define NDSHARE_UTIL_EXPORTS_H_

#include <napi.h>

#include <initializer_list>

namespace ndshare {

// One exported function: its JS name and its callback (returning a value or void).
struct Method {
  Method(const char* name, Napi::Function::Callback callback) : name(name), callback(callback) {}
  Method(const char* name, Napi::Function::VoidCallback callback) : name(name), voidCallback(callback) {}
  const char* name;
  Napi::Function::Callback callback = nullptr;
  Napi::Function::VoidCallback voidCallback = nullptr;
};

// Sets each method on `target` as a function of that name.
void SetMethods(Napi::Env env, Napi::Object target, std::initializer_list<Method> methods);

}  // namespace ndshare

#endif  // NDSHARE_UTIL_EXPORTS_H_
