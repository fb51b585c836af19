#include "memory/buffers.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <memory>
#include <string>

#include "platform/pages.h"
#include "util/errors.h"
#include "util/v8.h"

namespace ndshare {
namespace {

constexpr size_t kAlignment = size_t{2} << 20;  // 2 MiB: one x86-64 huge page
// The largest buffer V8 accepts on 64-bit targets (kMaxByteLength is 2^53-1,
// but typed arrays index up to 2^32 elements in Node 20; keep a sane cap).
constexpr double kMaxBytes = 1ull << 46;

size_t PageSize() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

// Called by V8 when the buffer is collected, possibly on a background thread:
// only thread-safe work here (munmap is).
void FreeMapping(void* data, size_t /*length*/, void* mapped) {
  platform::UnmapAnonymous(data, reinterpret_cast<size_t>(mapped));
}

// allocate(bytes: number): ArrayBuffer — zero-filled, 2 MiB aligned.
//
// Built with the V8 API, not napi_create_external_arraybuffer: Node-API runs
// external-buffer finalizers from the event loop, so code that allocates in a
// synchronous loop never got memory back (16 GiB RSS in test/16). A V8
// backing store with a deleter is freed by the GC itself, and V8 counts its
// bytes as array-buffer memory when it decides to collect.
Napi::Value JsAllocate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw MakeTypeError(env, "memory.allocate: expected a number of bytes for bytes");
  }
  double requested = info[0].As<Napi::Number>().DoubleValue();
  if (!(requested >= 1) || requested > kMaxBytes || std::floor(requested) != requested) {
    throw MakeRangeError(env, "memory.allocate: expected an integer in [1, 2^46] for bytes but received " +
                                  std::to_string(requested));
  }
  size_t bytes = static_cast<size_t>(requested);
  size_t page = PageSize();
  size_t mapped = (bytes + page - 1) / page * page;
  void* data = platform::MapAnonymous(mapped, kAlignment);
  if (data == nullptr) throw MakeSystemError(env, errno, "mmap", "memory.allocate");
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(data, bytes, FreeMapping, reinterpret_cast<void*>(mapped));
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(store));
  return ToNapi(env, buffer);
}

}  // namespace

void InitMemory(Napi::Env env, Napi::Object exports) {
  Napi::Object memory = Napi::Object::New(env);
  memory.Set("allocate", Napi::Function::New(env, JsAllocate, "allocate"));
  memory.Set("pageSize", Napi::Number::New(env, static_cast<double>(PageSize())));
  memory.Set("alignment", Napi::Number::New(env, static_cast<double>(kAlignment)));
  exports.Set("memory", memory);
}

}  // namespace ndshare
