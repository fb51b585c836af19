// Argument checks shared by every JS entry point (shm, sync, kernels).
//
// Nothing that comes from JS is trusted: every helper checks the type and the
// range of one argument and throws a coded NdshareTypeError (wrong type) or
// NdshareRangeError (right type, bad value) naming the function, the argument,
// what was expected and what came. The TS layer checks first with friendlier
// messages; these are the last line, so a bad value can never become a wild
// pointer, a huge length or an fd we do not own.
//
// SharedArrayBuffers are read through the V8 API: Node-API in Node 20 has no
// SharedArrayBuffer type check and no way to get at its memory.
#ifndef NDSHARE_UTIL_ARGS_H_
#define NDSHARE_UTIL_ARGS_H_

#include <napi.h>
#include <v8.h>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>

namespace ndshare {

// The memory of a SharedArrayBuffer argument.
struct SharedBytes {
  uint8_t* data;
  size_t length;
};

// info[index] must be a SharedArrayBuffer (any: ours or `new SharedArrayBuffer`).
// `fn` is the qualified name for messages ("sync.mutexLock"). The pointer is
// valid while the argument is referenced, i.e. for the duration of the call.
SharedBytes SharedBufferArg(const Napi::CallbackInfo& info, size_t index, const char* fn);

// The backing store of the SharedArrayBuffer at info[index] (already checked
// with SharedBufferArg): holding it keeps the memory mapped from any thread.
std::shared_ptr<v8::BackingStore> SharedBufferStore(const Napi::CallbackInfo& info, size_t index);

// A byte offset of a `size`-byte object inside a buffer of `length` bytes: an
// integer in [0, length - size] and a multiple of `align`.
size_t OffsetArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* arg, size_t length,
                 size_t size, size_t align);

// An integer number in [min, max] (both exactly representable as doubles).
double IntegerArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* arg, double min,
                  double max);

// A code (an enum value JS got from the addon: op, dtype, ...): an integer in
// [0, count - 1].
int CodeArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* arg, int count);

// A file descriptor: an integer in [0, 2^31 - 1].
int FdArg(const Napi::CallbackInfo& info, size_t index, const char* fn);

// A timeout in milliseconds, returned in nanoseconds: a finite number >= 0,
// or Infinity or -1 for "no timeout" (returned as -1). Fractions are kept
// (0.5 ms is 500 us).
int64_t TimeoutArg(const Napi::CallbackInfo& info, size_t index, const char* fn);

// A string of 1 to `max_bytes` UTF-8 bytes without NUL characters.
std::string StringArg(const Napi::CallbackInfo& info, size_t index, const char* fn, const char* arg, size_t max_bytes);

// A short rendering of a received value for messages: "1.5 (number)", "a string", ...
std::string DescribeArg(const Napi::CallbackInfo& info, size_t index);

}  // namespace ndshare

#endif  // NDSHARE_UTIL_ARGS_H_
