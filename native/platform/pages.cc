#include "platform/pages.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace ndshare {
namespace platform {

void* MapAnonymous(size_t bytes, size_t alignment) {
  if (bytes == 0 || alignment == 0 || (alignment & (alignment - 1)) != 0 || bytes > SIZE_MAX - alignment) {
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

int MovePages(void* from, size_t bytes, void* to) {
#if defined(__linux__) && defined(MREMAP_FIXED)
  void* moved = mremap(from, bytes, bytes, MREMAP_MAYMOVE | MREMAP_FIXED, to);
  return moved == MAP_FAILED ? -1 : 0;
#else
  (void)from;
  (void)bytes;
  (void)to;
  errno = ENOSYS;
  return -1;
#endif
}

bool CanMovePages() {
#if defined(__linux__) && defined(MREMAP_FIXED)
  return true;
#else
  return false;
#endif
}

size_t PhysicalMemory() {
  long pages = sysconf(_SC_PHYS_PAGES);
  long page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return 0;
  return static_cast<size_t>(pages) * static_cast<size_t>(page);
}

int MapFileReadOnlyPrivate(const char* path, size_t max_bytes, void** data, size_t* bytes, const char** syscall) {
  *data = nullptr;
  *bytes = 0;
  int fd;
  do {
    fd = open(path, O_RDONLY | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    *syscall = "open";
    return errno;
  }
  struct stat st;
  if (fstat(fd, &st) != 0) {
    int err = errno;
    close(fd);
    *syscall = "fstat";
    return err;
  }
  if (!S_ISREG(st.st_mode)) {
    close(fd);
    *syscall = "fstat";
    return S_ISDIR(st.st_mode) ? EISDIR : EINVAL;
  }
  if (st.st_size < 0 || static_cast<unsigned long long>(st.st_size) > max_bytes) {
    close(fd);
    *syscall = "size";
    return EFBIG;
  }
  size_t size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    close(fd);
    return 0;
  }
  void* p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
  int err = errno;
  close(fd);  // the mapping keeps the file referenced
  if (p == MAP_FAILED) {
    *syscall = "mmap";
    return err;
  }
  *data = p;
  *bytes = size;
  return 0;
}

void UnmapFile(void* ptr, size_t bytes) {
  if (ptr != nullptr && bytes != 0) munmap(ptr, bytes);
}

}  // namespace platform
}  // namespace ndshare
