#include "util/exports.h"

namespace ndshare {

void SetMethods(Napi::Env env, Napi::Object target, std::initializer_list<Method> methods) {
  for (const Method& m : methods) {
    target.Set(m.name, m.callback != nullptr ? Napi::Function::New(env, m.callback, m.name)
                                             : Napi::Function::New(env, m.voidCallback, m.name));
  }
}

}  // namespace ndshare
