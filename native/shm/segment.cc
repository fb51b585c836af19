#include "shm/segment.h"

#include <cerrno>
#include <cstdint>
#include <memory>
#include <string>

#include "platform/robust_mutex.h"
#include "platform/shm.h"
#include "util/args.h"
#include "util/errors.h"
#include "util/v8.h"
#include "util/exports.h"

namespace ndshare {
namespace {

// The largest segment: 64 TiB, half of x86-64's 47-bit user address space.
// Anything bigger cannot be mapped whole anyway.
constexpr double kMaxBytes = static_cast<double>(uint64_t{1} << 46);
// memfd_create names are at most 249 bytes ("memfd:" + name fits NAME_MAX).
constexpr size_t kMaxNameBytes = 249;
constexpr size_t kMaxPathBytes = 4095;

// A failed system call: ENOSYS means "not on this platform" and gets its own code.
Napi::Error SysFail(Napi::Env env, int errnum, const char* syscall, const std::string& what) {
  if (errnum == ENOSYS) {
    return MakeError(env, code::kUnsupported, what + ": " + syscall + " is not supported on this platform");
  }
  return MakeSystemError(env, errnum, syscall, what);
}

// Runs on whichever thread drops the last reference (maybe a GC thread, or a
// worker thread tearing down its isolate): munmap is thread-safe, and is put
// off while a live thread holds a robust mutex inside (see robust_mutex.h).
void UnmapSegment(void* data, size_t length, void* /*deleter_data*/) {
  platform::UnmapAfterRobustHolders(data, length, platform::UnmapShared);
}

// {fd, buffer}: a SharedArrayBuffer that owns the mapping [data, data + length).
Napi::Object SegmentResult(Napi::Env env, int fd, void* data, size_t length) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  std::unique_ptr<v8::BackingStore> store = v8::SharedArrayBuffer::NewBackingStore(data, length, UnmapSegment, nullptr);
  v8::Local<v8::SharedArrayBuffer> sab = v8::SharedArrayBuffer::New(isolate, std::move(store));
  Napi::Object result = Napi::Object::New(env);
  result.Set("fd", Napi::Number::New(env, fd));
  result.Set("buffer", ToNapi(env, sab));
  return result;
}

// Maps the whole file behind `fd`. On failure closes the fd if `owned` (we
// opened it) and throws; otherwise leaves it to the caller.
Napi::Object MapWhole(Napi::Env env, int fd, bool owned, const std::string& what) {
  auto fail = [&](Napi::Error error) -> Napi::Error {
    if (owned) platform::CloseFile(fd);
    return error;
  };
  uint64_t size = 0;
  if (platform::FileSize(fd, &size) != 0) {
    int err = errno;
    throw fail(SysFail(env, err, "fstat", what));
  }
  if (size == 0) {
    throw fail(MakeRangeError(env, what + ": the file is empty (0 bytes); nothing to map"));
  }
  if (static_cast<double>(size) > kMaxBytes) {
    throw fail(MakeError(
        env, code::kUnsupported,
        what + ": the file has " + std::to_string(size) + " bytes; segments larger than 2^46 bytes are not supported"));
  }
  void* data = platform::MapShared(fd, static_cast<size_t>(size));
  if (data == nullptr) {
    int err = errno;
    throw fail(SysFail(env, err, "mmap", what));
  }
  return SegmentResult(env, fd, data, static_cast<size_t>(size));
}

// create(name: string, capacity: number): {fd, buffer}
Napi::Value JsCreate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string name = StringArg(info, 0, "shm.create", "name", kMaxNameBytes);
  size_t capacity = static_cast<size_t>(IntegerArg(info, 1, "shm.create", "capacity", 1, kMaxBytes));
  const char* failed = nullptr;
  int fd = platform::CreateSharedFile(name.c_str(), capacity, &failed);
  if (fd < 0) {
    int err = errno;
    throw SysFail(env, err, failed, "shm.create('" + name + "')");
  }
  void* data = platform::MapShared(fd, capacity);
  if (data == nullptr) {
    int saved = errno;
    platform::CloseFile(fd);
    throw SysFail(env, saved, "mmap", "shm.create('" + name + "')");
  }
  return SegmentResult(env, fd, data, capacity);
}

// open(path: string): {fd, buffer}
Napi::Value JsOpen(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  std::string path = StringArg(info, 0, "shm.open", "path", kMaxPathBytes);
  std::string what = "shm.open('" + path + "')";
  int fd = platform::OpenSharedFile(path.c_str());
  if (fd < 0) {
    int err = errno;
    throw SysFail(env, err, "open", what);
  }
  return MapWhole(env, fd, /*owned=*/true, what);
}

// map(fd: number): {fd, buffer}
Napi::Value JsMap(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info, 0, "shm.map");
  return MapWhole(env, fd, /*owned=*/false, "shm.map(" + std::to_string(fd) + ")");
}

// duplicate(fd: number): number
Napi::Value JsDuplicate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info, 0, "shm.duplicate");
  int own = platform::DuplicateFd(fd);
  if (own < 0) {
    int err = errno;
    throw SysFail(env, err, "fcntl(F_DUPFD_CLOEXEC)", "shm.duplicate(" + std::to_string(fd) + ")");
  }
  return Napi::Number::New(env, own);
}

// adjustExternalMemory(change: number): number
// Tells V8 that JS objects of this thread keep `change` more (or fewer) bytes
// alive outside its heap, so its GC runs when dropped store arrays pile up.
Napi::Value JsAdjustExternalMemory(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  double change = IntegerArg(info, 0, "shm.adjustExternalMemory", "change", -kMaxBytes, kMaxBytes);
  int64_t total = Napi::MemoryManagement::AdjustExternalMemory(env, static_cast<int64_t>(change));
  return Napi::Number::New(env, static_cast<double>(total));
}

// close(fd: number): void
void JsClose(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info, 0, "shm.close");
  // Never ours, and closing them by mistake silences the process.
  if (fd <= 2) {
    throw MakeRangeError(env, "shm.close: expected a segment fd (>= 3) for fd but received " + std::to_string(fd) +
                                  " (stdio is never closed here)");
  }
  if (platform::CloseFile(fd) != 0) {
    int err = errno;
    throw SysFail(env, err, "close", "shm.close(" + std::to_string(fd) + ")");
  }
}

// punchHole(fd: number, offset: number, length: number): void
void JsPunchHole(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info, 0, "shm.punchHole");
  std::string what = "shm.punchHole(" + std::to_string(fd) + ")";
  uint64_t size = 0;
  if (platform::FileSize(fd, &size) != 0) {
    int err = errno;
    throw SysFail(env, err, "fstat", what);
  }
  double limit = static_cast<double>(size);
  uint64_t offset = static_cast<uint64_t>(IntegerArg(info, 1, "shm.punchHole", "offset", 0, limit));
  uint64_t length =
      static_cast<uint64_t>(IntegerArg(info, 2, "shm.punchHole", "length", 0, static_cast<double>(size - offset)));
  // Inward to whole pages: a partial page may hold live bytes of a neighbour.
  uint64_t page = platform::PageSize();
  uint64_t start = (offset + page - 1) / page * page;
  uint64_t end = (offset + length) / page * page;
  if (end <= start) return;
  if (platform::PunchHole(fd, start, end - start) != 0) {
    int err = errno;
    throw SysFail(env, err, "fallocate", what);
  }
}

// residentBytes(fd: number): number
Napi::Value JsResidentBytes(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info, 0, "shm.residentBytes");
  uint64_t bytes = 0;
  if (platform::AllocatedBytes(fd, &bytes) != 0) {
    int err = errno;
    throw SysFail(env, err, "fstat", "shm.residentBytes(" + std::to_string(fd) + ")");
  }
  return Napi::Number::New(env, static_cast<double>(bytes));
}

}  // namespace

void InitShm(Napi::Env env, Napi::Object exports) {
  Napi::Object shm = Napi::Object::New(env);
  SetMethods(env, shm,
             {
                 {"create", JsCreate},
                 {"open", JsOpen},
                 {"map", JsMap},
                 {"adjustExternalMemory", JsAdjustExternalMemory},
                 {"duplicate", JsDuplicate},
                 {"close", JsClose},
                 {"punchHole", JsPunchHole},
                 {"residentBytes", JsResidentBytes},
             });
  shm.Set("pageSize", Napi::Number::New(env, static_cast<double>(platform::PageSize())));
  exports.Set("shm", shm);
}

}  // namespace ndshare
