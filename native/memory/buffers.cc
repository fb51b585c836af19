#include "memory/buffers.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

#include "memory/page_cache.h"
#include "platform/pages.h"
#include "util/errors.h"
#include "util/v8.h"
#include "util/exports.h"

namespace ndshare {
namespace {

// The largest buffer V8 accepts on 64-bit targets (kMaxByteLength is 2^53-1,
// but typed arrays index up to 2^32 elements in Node 20; keep a sane cap).
constexpr double kMaxBytes = 1ull << 46;

size_t PageSize() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

// Called by V8 when the buffer is collected, possibly on a background thread:
// the page cache is thread-safe. `mapped` is the block's size (whole granules).
void FreeBlock(void* data, size_t /*length*/, void* mapped) { memory::Release(data, reinterpret_cast<size_t>(mapped)); }

double ByteCount(Napi::Env env, const Napi::CallbackInfo& info, const char* fn) {
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw MakeTypeError(env, std::string("memory.") + fn + ": expected a number of bytes for bytes");
  }
  double requested = info[0].As<Napi::Number>().DoubleValue();
  if (!(requested >= 1) || requested > kMaxBytes || std::floor(requested) != requested) {
    throw MakeRangeError(env, std::string("memory.") + fn +
                                  ": expected an integer in [1, 2^46] for bytes but received " +
                                  std::to_string(requested));
  }
  return requested;
}

Napi::Value Wrap(Napi::Env env, void* data, size_t bytes, size_t mapped) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(data, bytes, FreeBlock, reinterpret_cast<void*>(mapped));
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(store));
  return ToNapi(env, buffer);
}

// allocate(bytes: number): ArrayBuffer — zero-filled, 2 MiB aligned.
//
// Built with the V8 API, not napi_create_external_arraybuffer: Node-API runs
// external-buffer finalizers from the event loop, so code that allocates in a
// synchronous loop never got memory back (16 GiB RSS in test/16). A V8
// backing store with a deleter is freed by the GC itself, and V8 counts its
// bytes as array-buffer memory when it decides to collect.
//
// Cached pages are reused here too: clearing them (memset, ~26 GB/s here)
// costs far less than the faults of fresh pages (see memory/page_cache.h);
// the fresh part of a block is zero already.
Napi::Value JsAllocate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t bytes = static_cast<size_t>(ByteCount(env, info, "allocate"));
  memory::Block block = memory::Acquire(bytes);
  if (block.data == nullptr) throw MakeSystemError(env, errno, "mmap", "memory.allocate");
  std::memset(block.data, 0, std::min(block.reused, bytes));
  return Wrap(env, block.data, bytes, block.mapped);
}

// allocateUninit(bytes: number): ArrayBuffer — contents unspecified (pages of
// collected buffers where the cache has any, else fresh zeroed memory), 2 MiB aligned.
Napi::Value JsAllocateUninit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t bytes = static_cast<size_t>(ByteCount(env, info, "allocateUninit"));
  memory::Block block = memory::Acquire(bytes);
  if (block.data == nullptr) throw MakeSystemError(env, errno, "mmap", "memory.allocateUninit");
  return Wrap(env, block.data, bytes, block.mapped);
}

// trim(): unmaps every cached page; returns the bytes released.
Napi::Value JsTrim(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), static_cast<double>(memory::Trim()));
}

// stats(): the page cache's counters (memory::Stats, camelCase).
Napi::Value JsStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  memory::Stats s = memory::GetStats();
  memory::Settings c = memory::GetSettings();
  Napi::Object o = Napi::Object::New(env);
  auto set = [&](const char* key, double v) { o.Set(key, Napi::Number::New(env, v)); };
  set("cachedBytes", static_cast<double>(s.cached_bytes));
  set("pieces", static_cast<double>(s.pieces));
  set("hits", static_cast<double>(s.hits));
  set("gathers", static_cast<double>(s.gathers));
  set("fresh", static_cast<double>(s.fresh));
  set("reusedBytes", static_cast<double>(s.reused_bytes));
  set("freshBytes", static_cast<double>(s.fresh_bytes));
  set("evictedBytes", static_cast<double>(s.evicted_bytes));
  set("idleBytes", static_cast<double>(s.idle_bytes));
  set("limit", static_cast<double>(c.limit));
  set("idleMs", c.idle_ms);
  return o;
}

// configure(limit: number, idleMs: number): sets the cache's byte limit
// (rounded down to 2 MiB; 0 caches nothing) and idle time (ms; 0 keeps pieces
// until the limit pushes them out), trimming at once.
Napi::Value JsConfigure(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 2 || !info[0].IsNumber() || !info[1].IsNumber()) {
    throw MakeTypeError(env, "memory.configure: expected numbers for limit and idleMs");
  }
  double limit = info[0].As<Napi::Number>().DoubleValue();
  double idle = info[1].As<Napi::Number>().DoubleValue();
  if (!(limit >= 0) || limit > kMaxBytes || !(idle >= 0) || idle > 1e9) {
    throw MakeRangeError(env, "memory.configure: expected limit in [0, 2^46] and idleMs in [0, 1e9]");
  }
  memory::Configure({static_cast<size_t>(limit), idle});
  return env.Undefined();
}

// Deleter of file mappings (mapFile): never cached, always unmapped.
void FreeFileMapping(void* data, size_t length, void* /*unused*/) { platform::UnmapFile(data, length); }

// mapFile(path: string): ArrayBuffer — the whole file, mapped MAP_PRIVATE
// (pages shared through the page cache; writes land in private copies and
// never reach the file). An empty file gives a zero-length ArrayBuffer.
Napi::Value JsMapFile(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    throw MakeTypeError(env, "memory.mapFile: expected a string for path");
  }
  std::string path = info[0].As<Napi::String>().Utf8Value();
  if (path.empty() || path.find('\0') != std::string::npos) {
    throw MakeRangeError(env, "memory.mapFile: expected a non-empty path without NUL characters for path");
  }
  void* data = nullptr;
  size_t bytes = 0;
  const char* syscall = "open";
  int err = platform::MapFileReadOnlyPrivate(path.c_str(), static_cast<size_t>(kMaxBytes), &data, &bytes, &syscall);
  if (err == EFBIG && std::string(syscall) == "size") {
    throw MakeRangeError(env, "memory.mapFile: '" + path + "' is larger than 2^46 bytes", code::kUnsupported);
  }
  if (err != 0) throw MakeSystemError(env, err, syscall, "memory.mapFile '" + path + "'");
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (bytes == 0) return ToNapi(env, v8::ArrayBuffer::New(isolate, 0));
  std::unique_ptr<v8::BackingStore> store = v8::ArrayBuffer::NewBackingStore(data, bytes, FreeFileMapping, nullptr);
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(store));
  return ToNapi(env, buffer);
}

}  // namespace

void InitMemory(Napi::Env env, Napi::Object exports) {
  Napi::Object object = Napi::Object::New(env);
  SetMethods(env, object,
             {
                 {"allocate", JsAllocate},
                 {"allocateUninit", JsAllocateUninit},
                 {"mapFile", JsMapFile},
                 {"trim", JsTrim},
                 {"stats", JsStats},
                 {"configure", JsConfigure},
             });
  object.Set("pageSize", Napi::Number::New(env, static_cast<double>(PageSize())));
  object.Set("alignment", Napi::Number::New(env, static_cast<double>(memory::kGranule)));
  exports.Set("memory", object);
}

}  // namespace ndshare
