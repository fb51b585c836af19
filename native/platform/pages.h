// Platform layer: page-granular anonymous memory and private file mappings.
//
// The only file pair that calls mmap/madvise for private memory; Linux-only
// calls (MADV_HUGEPAGE) sit behind #ifdef so macOS builds with plain mmap.
#ifndef NDSHARE_PLATFORM_PAGES_H_
#define NDSHARE_PLATFORM_PAGES_H_

#include <cstddef>

namespace ndshare {
namespace platform {

// Reserves `bytes` of zero-filled, read-write private memory aligned to
// `alignment` (a power of two, at least the page size). On Linux the range is
// marked MADV_HUGEPAGE, so first touch faults in 2 MiB pages where the kernel
// runs transparent huge pages in "madvise" mode (NumPy does the same for its
// large arrays). Returns nullptr and sets errno on failure.
void* MapAnonymous(size_t bytes, size_t alignment);

// Releases a range returned by MapAnonymous (same `bytes`).
void UnmapAnonymous(void* ptr, size_t bytes);

// Maps the whole regular file at `path` read-only at the source but
// MAP_PRIVATE with PROT_READ|PROT_WRITE: clean pages come from the page cache
// (shared by every process mapping the file); a write only dirties a private
// copy of its page and never reaches the file. The descriptor is closed once
// mapped. On success returns 0 and sets *data/*bytes (*data == nullptr and
// *bytes == 0 for an empty file). On failure returns the errno value and sets
// *syscall to the failed call ("open", "fstat", "mmap"); EFBIG when the file
// is larger than `max_bytes` (*syscall = "size").
int MapFileReadOnlyPrivate(const char* path, size_t max_bytes, void** data, size_t* bytes,
                           const char** syscall);

// Releases a range returned by MapFileReadOnlyPrivate.
void UnmapFile(void* ptr, size_t bytes);

}  // namespace platform
}  // namespace ndshare

#endif  // NDSHARE_PLATFORM_PAGES_H_
