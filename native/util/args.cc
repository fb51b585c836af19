#include "util/args.h"

#include <cmath>
#include <cstdio>
#include <string>

#include "util/errors.h"
#include "util/v8.h"

namespace ndshare {
namespace {

// An integer-valued double as decimal digits ("70368744177664").
std::string IntegerText(double v) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.0f", v);
  return buf;
}

[[noreturn]] void ThrowType(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* arg,
                            const std::string& expected) {
  throw MakeTypeError(info.Env(), std::string(fn) + ": expected " + expected + " for " + arg + " but received " +
                                      DescribeArg(info, index));
}

[[noreturn]] void ThrowRange(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* arg,
                             const std::string& expected) {
  throw MakeRangeError(info.Env(), std::string(fn) + ": expected " + expected + " for " + arg + " but received " +
                                       DescribeArg(info, index));
}

}  // namespace

std::string DescribeArg(const Napi::CallbackInfo& info, size_t index) {
  if (index >= info.Length()) return "undefined";
  v8::Local<v8::Value> v = ToV8(info[index]);
  if (v->IsUndefined()) return "undefined";
  if (v->IsNull()) return "null";
  if (v->IsNumber()) {
    double d = v.As<v8::Number>()->Value();
    if (std::isnan(d)) return "NaN (number)";
    if (std::isinf(d)) return d > 0 ? "Infinity (number)" : "-Infinity (number)";
    char buf[40];
    std::snprintf(buf, sizeof(buf), "%.17g (number)", d);
    return buf;
  }
  if (v->IsString()) {
    std::string s = info[index].As<Napi::String>().Utf8Value();
    if (s.size() > 40) s = s.substr(0, 37) + "...";
    return "'" + s + "' (string)";
  }
  if (v->IsBoolean()) return v->IsTrue() ? "true (boolean)" : "false (boolean)";
  if (v->IsBigInt()) return "a bigint";
  if (v->IsSymbol()) return "a symbol";
  if (v->IsFunction()) return "a function";
  if (v->IsSharedArrayBuffer()) return "a SharedArrayBuffer";
  if (v->IsArrayBuffer()) return "an ArrayBuffer";
  if (v->IsTypedArray()) return "a typed array";
  if (v->IsDataView()) return "a DataView";
  if (v->IsArray()) return "an array";
  return "an object";
}

SharedBytes SharedBufferArg(const Napi::CallbackInfo& info, size_t index, const char* fn) {
  v8::Local<v8::Value> v = index < info.Length() ? ToV8(info[index]) : v8::Local<v8::Value>();
  if (v.IsEmpty() || !v->IsSharedArrayBuffer()) ThrowType(info, index, fn, "sab", "a SharedArrayBuffer");
  v8::Local<v8::SharedArrayBuffer> sab = v.As<v8::SharedArrayBuffer>();
  size_t length = sab->ByteLength();
  // An empty buffer may have no memory at all: never hand out its pointer.
  return {length == 0 ? nullptr : static_cast<uint8_t*>(sab->Data()), length};
}

std::shared_ptr<v8::BackingStore> SharedBufferStore(const Napi::CallbackInfo& info, size_t index) {
  return ToV8(info[index]).As<v8::SharedArrayBuffer>()->GetBackingStore();
}

double IntegerArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* arg, double min,
                  double max) {
  v8::Local<v8::Value> v = index < info.Length() ? ToV8(info[index]) : v8::Local<v8::Value>();
  if (v.IsEmpty() || !v->IsNumber()) ThrowType(info, index, fn, arg, "an integer (number)");
  double d = v.As<v8::Number>()->Value();
  // NaN fails every comparison, so it lands here too.
  if (!(d >= min && d <= max) || std::floor(d) != d) {
    ThrowRange(info, index, fn, arg, "an integer in [" + IntegerText(min) + ", " + IntegerText(max) + "]");
  }
  return d;
}

size_t OffsetArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* arg, size_t length,
                 size_t size, size_t align) {
  if (length < size) {
    throw MakeRangeError(info.Env(), std::string(fn) + ": the buffer (" + std::to_string(length) +
                                         " bytes) has no room for " + std::to_string(size) + " bytes at any " + arg);
  }
  size_t last = length - size;
  double d = IntegerArg(info, index, fn, arg, 0, static_cast<double>(last));
  size_t offset = static_cast<size_t>(d);
  if (offset % align != 0) {
    ThrowRange(info, index, fn, arg,
               "a multiple of " + std::to_string(align) + " in [0, " + std::to_string(last) + "]");
  }
  return offset;
}

int CodeArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* arg, int count) {
  return static_cast<int>(IntegerArg(info, index, fn, arg, 0, static_cast<double>(count) - 1));
}

int FdArg(const Napi::CallbackInfo& info, size_t index, const char* fn) {
  return static_cast<int>(IntegerArg(info, index, fn, "fd", 0, 2147483647.0));
}

int64_t TimeoutArg(const Napi::CallbackInfo& info, size_t index, const char* fn) {
  v8::Local<v8::Value> v = index < info.Length() ? ToV8(info[index]) : v8::Local<v8::Value>();
  if (v.IsEmpty() || !v->IsNumber()) {
    ThrowType(info, index, fn, "timeoutMs", "a number of milliseconds (Infinity or -1: no timeout)");
  }
  double ms = v.As<v8::Number>()->Value();
  if (ms == -1 || ms == INFINITY) return -1;
  if (!(ms >= 0)) {
    ThrowRange(info, index, fn, "timeoutMs", "a number >= 0, Infinity or -1");
  }
  constexpr double kMaxMs = 1e12;  // ~31 years; longer means the same
  if (ms > kMaxMs) ms = kMaxMs;
  return static_cast<int64_t>(ms * 1e6);
}

std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* arg, size_t max_bytes) {
  if (index >= info.Length() || !info[index].IsString()) ThrowType(info, index, fn, arg, "a string");
  std::string s = info[index].As<Napi::String>().Utf8Value();
  if (s.empty() || s.size() > max_bytes || s.find('\0') != std::string::npos) {
    ThrowRange(info, index, fn, arg, "a string of 1 to " + std::to_string(max_bytes) + " UTF-8 bytes without NUL");
  }
  return s;
}

}  // namespace ndshare
