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

// Releases a range returned by MapAnonymous (same `bytes`), or any
// page-aligned part of one.
void UnmapAnonymous(void* ptr, size_t bytes);

// Moves the pages of [from, from + bytes) to [to, to + bytes), replacing
// whatever `to` held, without copying: the page tables move (Linux
// mremap(MREMAP_MAYMOVE | MREMAP_FIXED)), so the pages stay faulted in, and
// huge pages stay whole when both addresses are 2 MiB aligned. [from, ...)
// is unmapped afterwards. Both ranges must be page aligned, `from` inside
// private anonymous mappings of ours, `to` inside a mapping of ours that the
// caller owns. Returns 0, or -1 with errno: ENOSYS where the platform cannot
// move pages (the caller then leaves `to` as it was), EFAULT when an older
// kernel refuses a range that spans several mappings (move it in parts).
int MovePages(void* from, size_t bytes, void* to);

// Whether MovePages can work here (false where it always fails with ENOSYS).
bool CanMovePages();

// The bytes of physical memory, or 0 when unknown.
size_t PhysicalMemory();

// Maps the whole regular file at `path` read-only at the source but
// MAP_PRIVATE with PROT_READ|PROT_WRITE: clean pages come from the page cache
// (shared by every process mapping the file); a write only dirties a private
// copy of its page and never reaches the file. The descriptor is closed once
// mapped. On success returns 0 and sets *data/*bytes (*data == nullptr and
// *bytes == 0 for an empty file). On failure returns the errno value and sets
// *syscall to the failed call ("open", "fstat", "mmap"); EFBIG when the file
// is larger than `max_bytes` (*syscall = "size").
int MapFileReadOnlyPrivate(const char* path, size_t max_bytes, void** data, size_t* bytes, const char** syscall);

// Releases a range returned by MapFileReadOnlyPrivate.
void UnmapFile(void* ptr, size_t bytes);

}  // namespace platform
}  // namespace ndshare

#endif  // NDSHARE_PLATFORM_PAGES_H_
