// Platform layer: shared-memory files and their mappings.
//
// The only file pair that creates, opens, sizes, maps and punches shared
// files. Everything here is a thin wrapper over one or two system calls that
// returns -1 (or nullptr) with errno set; the JS-facing code in shm/segment.cc
// turns that into coded errors. Linux-only calls (memfd_create, fallocate)
// sit behind #ifdef: elsewhere they fail with ENOSYS, which segment.cc reports
// as ERR_NDSHARE_UNSUPPORTED, so the file compiles on macOS today and a port
// (shm_open + unlink, F_PUNCHHOLE) only touches shm.cc.
#ifndef NDSHARE_PLATFORM_SHM_H_
#define NDSHARE_PLATFORM_SHM_H_

#include <cstddef>
#include <cstdint>

namespace ndshare {
namespace platform {

// The OS page size (cached).
size_t PageSize();

// Creates an anonymous shared file of `bytes` (sparse: no memory is used
// until a page is touched) and returns its fd, close-on-exec. On Linux this is
// memfd_create: the file has no name in any file system, so nothing can be
// left behind, whatever happens to the process; it lives while an fd or a
// mapping refers to it. The file is sealed against shrinking (F_SEAL_SHRINK |
// F_SEAL_SEAL), so no process can truncate it under another's mapping (an
// access past the end of a shared file mapping is a SIGBUS).
// Returns -1 with errno set, and `*failed_call` naming the call that failed.
int CreateSharedFile(const char* name, uint64_t bytes, const char** failed_call);

// open(path, O_RDWR | O_CLOEXEC): e.g. "/proc/<pid>/fd/<n>" for another
// process's memfd. Returns the fd, or -1 with errno set.
int OpenSharedFile(const char* path);

// The file's size (fstat st_size). Returns 0, or -1 with errno set.
int FileSize(int fd, uint64_t* bytes);

// Bytes of the file backed by memory or swap (fstat st_blocks * 512).
// Returns 0, or -1 with errno set.
int AllocatedBytes(int fd, uint64_t* bytes);

// mmap(PROT_READ | PROT_WRITE, MAP_SHARED) of the first `bytes` of `fd`.
// Returns nullptr with errno set on failure.
void* MapShared(int fd, size_t bytes);

// Releases a mapping from MapShared (same `bytes`). Thread-safe.
void UnmapShared(void* ptr, size_t bytes);

// Frees the memory of [offset, offset + length) of the file, keeping its size:
// later reads of the range give zeros in every mapping. Both must be multiples
// of the page size (the caller rounds). Returns 0, or -1 with errno set
// (ENOSYS where unsupported).
int PunchHole(int fd, uint64_t offset, uint64_t length);

// fcntl(fd, F_DUPFD_CLOEXEC, 3): a new fd (>= 3, close-on-exec) of the same
// open file, owned by whoever asked. Returns it, or -1 with errno set.
int DuplicateFd(int fd);

// close(fd). EINTR counts as success (on Linux the fd is released anyway, and
// retrying could close an fd another thread just opened). Returns 0 or -1.
int CloseFile(int fd);

}  // namespace platform
}  // namespace ndshare

#endif  // NDSHARE_PLATFORM_SHM_H_
