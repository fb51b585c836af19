// The bridge to the V8 API, for the few things Node-API cannot do in Node 20:
// array buffers whose memory V8 frees itself at GC (memory/buffers.cc) and
// SharedArrayBuffers over external memory (shared segments).
//
// Node-API's napi_value is, in Node's implementation, a v8::Local<v8::Value>
// reinterpreted (v8impl::JsValueFromV8LocalValue in js_native_api_v8.h); this
// is the one place that relies on it.
#ifndef NDSHARE_UTIL_V8_H_
#define NDSHARE_UTIL_V8_H_

#include <napi.h>
#include <v8.h>

#include <cstring>

namespace ndshare {

template <typename T>
inline Napi::Value ToNapi(Napi::Env env, v8::Local<T> local) {
  static_assert(sizeof(v8::Local<v8::Value>) == sizeof(napi_value), "napi_value is a v8::Local");
  v8::Local<v8::Value> value = local;
  napi_value raw;
  std::memcpy(&raw, &value, sizeof(raw));
  return Napi::Value(env, raw);
}

// The inverse of ToNapi: a napi_value is a v8::Local<v8::Value>.
inline v8::Local<v8::Value> ToV8(napi_value value) {
  static_assert(sizeof(v8::Local<v8::Value>) == sizeof(napi_value), "napi_value is a v8::Local");
  v8::Local<v8::Value> local;
  std::memcpy(static_cast<void*>(&local), &value, sizeof(value));
  return local;
}

}  // namespace ndshare

#endif  // NDSHARE_UTIL_V8_H_
