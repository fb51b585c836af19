// Large private array buffers for NDArray storage.
//
// V8's ArrayBuffer allocator zero-fills with calloc and faults memory in 4 KiB
// pages; for arrays of megabytes the page faults cost more than the work on
// them (16 ms for 40 MB here, against 2-4 ms with huge pages). `allocate`
// returns an ArrayBuffer over memory from platform::MapAnonymous (zeroed by
// the kernel, huge-page advised, 2 MiB aligned), freed by its finalizer when
// the buffer is collected and reported to V8 as external memory so that
// collection keeps pace with allocation.
//
// Freed mappings go to a small bounded cache (8 mappings, 512 MiB) that
// `allocateUninit` draws from: a result array that reuses one skips the
// kernel's zeroing and the page faults, as a malloc that keeps freed pages
// would. `allocate` (zeroed) always maps fresh memory; `trim()` empties the cache.
#ifndef NDSHARE_MEMORY_BUFFERS_H_
#define NDSHARE_MEMORY_BUFFERS_H_

#include <napi.h>

namespace ndshare {

// Adds the `memory` object ({allocate, allocateUninit, mapFile, trim, pageSize,
// alignment}); mapFile maps a file MAP_PRIVATE (read from the page cache,
// writes stay private) with its own munmap deleter, outside the cache to the exports.
void InitMemory(Napi::Env env, Napi::Object exports);

}  // namespace ndshare

#endif  // NDSHARE_MEMORY_BUFFERS_H_
