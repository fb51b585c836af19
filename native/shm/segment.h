// Shared-memory segments: anonymous shared files mapped into every process
// that uses them, seen from JS as SharedArrayBuffers.
//
//   shm.create(name, capacity) -> {fd, buffer}   memfd of `capacity` bytes, sparse, mapped
//   shm.open(path)             -> {fd, buffer}   e.g. '/proc/<pid>/fd/<n>', mapped whole
//   shm.map(fd)                -> {fd, buffer}   an fd we hold (inherited at spawn), mapped whole
//   shm.close(fd)                                closes the fd only (see below)
//   shm.punchHole(fd, offset, length)            gives whole pages inside the range back to the OS
//   shm.residentBytes(fd)      -> number         bytes backed by memory (st_blocks * 512)
//   shm.pageSize
//
// Lifetime: the SharedArrayBuffer owns the mapping. V8 unmaps it (the backing
// store's deleter) when the last SharedArrayBuffer over it is collected, in
// every thread it was posted to; nothing here unmaps explicitly, because JS
// may still hold a view and an access to unmapped memory is a crash, not an
// exception. close(fd) only drops the fd: the mapping keeps the memfd alive.
#ifndef NDSHARE_SHM_SEGMENT_H_
#define NDSHARE_SHM_SEGMENT_H_

#include <napi.h>

namespace ndshare {

// Adds the `shm` object to the exports.
void InitShm(Napi::Env env, Napi::Object exports);

}  // namespace ndshare

#endif  // NDSHARE_SHM_SEGMENT_H_
