// Platform layer: page-granular anonymous memory.
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

}  // namespace platform
}  // namespace ndshare

#endif  // NDSHARE_PLATFORM_PAGES_H_
