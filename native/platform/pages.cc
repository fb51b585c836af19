#include "platform/pages.h"

#include <sys/mman.h>

#include <cerrno>
#include <cstdint>

namespace ndshare {
namespace platform {

void* MapAnonymous(size_t bytes, size_t alignment) {
  if (bytes == 0 || alignment == 0 || (alignment & (alignment - 1)) != 0 ||
      bytes > SIZE_MAX - alignment) {
    errno = EINVAL;
    return nullptr;
  }
  // Over-reserve, then trim the unaligned head and tail, so that the kernel
  // can back the whole range with huge pages.
  size_t reserve = bytes + alignment;
  void* raw = mmap(nullptr, reserve, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (raw == MAP_FAILED) return nullptr;
  uintptr_t start = reinterpret_cast<uintptr_t>(raw);
  uintptr_t aligned = (start + alignment - 1) & ~(static_cast<uintptr_t>(alignment) - 1);
  size_t head = aligned - start;
  size_t tail = reserve - head - bytes;
  if (head != 0) munmap(raw, head);
  // munmap needs a page-aligned start; bytes is rounded up to pages by the caller.
  if (tail != 0) munmap(reinterpret_cast<void*>(aligned + bytes), tail);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  madvise(reinterpret_cast<void*>(aligned), bytes, MADV_HUGEPAGE);  // advice only: ignore failure
#endif
  return reinterpret_cast<void*>(aligned);
}

void UnmapAnonymous(void* ptr, size_t bytes) {
  if (ptr != nullptr && bytes != 0) munmap(ptr, bytes);
}

}  // namespace platform
}  // namespace ndshare
