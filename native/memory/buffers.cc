#include "memory/buffers.h"

#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "platform/pages.h"
#include "util/errors.h"
#include "util/v8.h"
#include "util/exports.h"

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

// Recently freed mappings, kept for allocateUninit: an output array reused
// from here has its pages already faulted in (no kernel zeroing, no page
// faults), which is most of the cost of allocating a large result. Bounded:
// at most kCacheEntries mappings and kCacheBytes in all; beyond that, freed
// mappings are unmapped. Process-wide and locked: V8 frees backing stores
// from any thread, the main thread, workers and its background sweeper.
constexpr size_t kCacheEntries = 8;
constexpr size_t kCacheBytes = size_t{512} << 20;

struct Cached {
  void* data;
  size_t mapped;
};

struct MappingCache {
  std::mutex mutex;
  std::vector<Cached> entries;  // most recently freed last
  size_t bytes = 0;
};

MappingCache& Cache() {
  // Never destroyed: deleters may run during process teardown.
  static MappingCache* cache = new MappingCache();
  return *cache;
}

// Takes a cached mapping of at least `mapped` bytes and at most 25% more
// (so a small request does not pin a huge mapping), or returns nullptr.
void* TakeCached(size_t mapped, size_t* got) {
  MappingCache& c = Cache();
  std::lock_guard<std::mutex> lock(c.mutex);
  for (size_t i = c.entries.size(); i-- > 0;) {
    Cached e = c.entries[i];
    if (e.mapped >= mapped && e.mapped - mapped <= mapped / 4) {
      c.entries.erase(c.entries.begin() + static_cast<std::ptrdiff_t>(i));
      c.bytes -= e.mapped;
      *got = e.mapped;
      return e.data;
    }
  }
  return nullptr;
}

// Called by V8 when the buffer is collected, possibly on a background thread:
// only thread-safe work here (the cache is locked; munmap is thread-safe).
void FreeMapping(void* data, size_t /*length*/, void* mapped_ptr) {
  size_t mapped = reinterpret_cast<size_t>(mapped_ptr);
  {
    MappingCache& c = Cache();
    std::lock_guard<std::mutex> lock(c.mutex);
    if (mapped <= kCacheBytes) {
      // Make room: drop the oldest entries first.
      while (!c.entries.empty() &&
             (c.entries.size() >= kCacheEntries || c.bytes + mapped > kCacheBytes)) {
        Cached old = c.entries.front();
        c.entries.erase(c.entries.begin());
        c.bytes -= old.mapped;
        platform::UnmapAnonymous(old.data, old.mapped);
      }
      c.entries.push_back({data, mapped});
      c.bytes += mapped;
      return;
    }
  }
  platform::UnmapAnonymous(data, mapped);
}

double ByteCount(Napi::Env env, const Napi::CallbackInfo& info, const char* fn) {
  if (info.Length() < 1 || !info[0].IsNumber()) {
    throw MakeTypeError(env, std::string("memory.") + fn + ": expected a number of bytes for bytes");
  }
  double requested = info[0].As<Napi::Number>().DoubleValue();
  if (!(requested >= 1) || requested > kMaxBytes || std::floor(requested) != requested) {
    throw MakeRangeError(env, std::string("memory.") + fn + ": expected an integer in [1, 2^46] for bytes but received " +
                                  std::to_string(requested));
  }
  return requested;
}

Napi::Value Wrap(Napi::Env env, void* data, size_t bytes, size_t mapped) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(data, bytes, FreeMapping, reinterpret_cast<void*>(mapped));
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
Napi::Value JsAllocate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t bytes = static_cast<size_t>(ByteCount(env, info, "allocate"));
  size_t page = PageSize();
  size_t mapped = (bytes + page - 1) / page * page;
  void* data = platform::MapAnonymous(mapped, kAlignment);
  if (data == nullptr) throw MakeSystemError(env, errno, "mmap", "memory.allocate");
  return Wrap(env, data, bytes, mapped);
}

// allocateUninit(bytes: number): ArrayBuffer — contents unspecified (a
// recently freed mapping when one fits, else fresh zeroed memory), 2 MiB aligned.
Napi::Value JsAllocateUninit(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  size_t bytes = static_cast<size_t>(ByteCount(env, info, "allocateUninit"));
  size_t page = PageSize();
  size_t mapped = (bytes + page - 1) / page * page;
  size_t got = 0;
  void* data = TakeCached(mapped, &got);
  if (data == nullptr) {
    data = platform::MapAnonymous(mapped, kAlignment);
    if (data == nullptr) throw MakeSystemError(env, errno, "mmap", "memory.allocateUninit");
    got = mapped;
  }
  return Wrap(env, data, bytes, got);
}

// trim(): unmaps every cached mapping; returns the bytes released.
Napi::Value JsTrim(const Napi::CallbackInfo& info) {
  MappingCache& c = Cache();
  std::vector<Cached> drop;
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    drop.swap(c.entries);
    c.bytes = 0;
  }
  double released = 0;
  for (const Cached& e : drop) {
    platform::UnmapAnonymous(e.data, e.mapped);
    released += static_cast<double>(e.mapped);
  }
  return Napi::Number::New(info.Env(), released);
}

// Deleter of file mappings (mapFile): never cached, always unmapped.
void FreeFileMapping(void* data, size_t length, void* /*unused*/) {
  platform::UnmapFile(data, length);
}

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
  int err = platform::MapFileReadOnlyPrivate(path.c_str(), static_cast<size_t>(kMaxBytes), &data, &bytes,
                                             &syscall);
  if (err == EFBIG && std::string(syscall) == "size") {
    throw MakeRangeError(env, "memory.mapFile: '" + path + "' is larger than 2^46 bytes", code::kUnsupported);
  }
  if (err != 0) throw MakeSystemError(env, err, syscall, "memory.mapFile '" + path + "'");
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  if (bytes == 0) return ToNapi(env, v8::ArrayBuffer::New(isolate, 0));
  std::unique_ptr<v8::BackingStore> store =
      v8::ArrayBuffer::NewBackingStore(data, bytes, FreeFileMapping, nullptr);
  v8::Local<v8::ArrayBuffer> buffer = v8::ArrayBuffer::New(isolate, std::move(store));
  return ToNapi(env, buffer);
}

}  // namespace

void InitMemory(Napi::Env env, Napi::Object exports) {
  Napi::Object memory = Napi::Object::New(env);
  SetMethods(env, memory,
             {
                 {"allocate", JsAllocate},
                 {"allocateUninit", JsAllocateUninit},
                 {"mapFile", JsMapFile},
                 {"trim", JsTrim},
             });
  memory.Set("pageSize", Napi::Number::New(env, static_cast<double>(PageSize())));
  memory.Set("alignment", Napi::Number::New(env, static_cast<double>(kAlignment)));
  exports.Set("memory", memory);
}

}  // namespace ndshare
