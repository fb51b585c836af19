#include "platform/shm.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>

#if defined(__linux__)
#include <linux/falloc.h>  // FALLOC_FL_PUNCH_HOLE, FALLOC_FL_KEEP_SIZE
#endif

namespace ndshare {
namespace platform {

size_t PageSize() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

int CreateSharedFile(const char* name, uint64_t bytes, const char** failed_call) {
#if defined(__linux__)
  // MFD_NOEXEC_SEAL (Linux 6.3): the file can never be made executable, and
  // the kernel stops warning about memfds created without an exec policy.
  // Older kernels reject the unknown flag with EINVAL: retry without it.
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
  *failed_call = "memfd_create";
  int fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING | MFD_NOEXEC_SEAL);
  if (fd < 0 && errno == EINVAL) fd = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) return -1;
  *failed_call = "ftruncate";
  if (ftruncate(fd, static_cast<off_t>(bytes)) != 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  // Sealed after sizing: from now on nobody can shrink it (see shm.h), and
  // the seal set itself is frozen.
  *failed_call = "fcntl(F_ADD_SEALS)";
  if (fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_SEAL) != 0) {
    int saved = errno;
    close(fd);
    errno = saved;
    return -1;
  }
  *failed_call = nullptr;
  return fd;
#else
  (void)name;
  (void)bytes;
  *failed_call = "memfd_create";
  errno = ENOSYS;
  return -1;
#endif
}

int OpenSharedFile(const char* path) {
  int fd;
  do {
    fd = open(path, O_RDWR | O_CLOEXEC);
  } while (fd < 0 && errno == EINTR);
  return fd;
}

int FileSize(int fd, uint64_t* bytes) {
  struct stat st;
  if (fstat(fd, &st) != 0) return -1;
  *bytes = st.st_size < 0 ? 0 : static_cast<uint64_t>(st.st_size);
  return 0;
}

int AllocatedBytes(int fd, uint64_t* bytes) {
  struct stat st;
  if (fstat(fd, &st) != 0) return -1;
  // st_blocks counts 512-byte units whatever st_blksize says (POSIX leaves
  // the unit open; Linux and macOS both use 512).
  *bytes = st.st_blocks < 0 ? 0 : static_cast<uint64_t>(st.st_blocks) * 512u;
  return 0;
}

void* MapShared(int fd, size_t bytes) {
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  return p == MAP_FAILED ? nullptr : p;
}

void UnmapShared(void* ptr, size_t bytes) {
  if (ptr != nullptr && bytes != 0) munmap(ptr, bytes);
}

int PunchHole(int fd, uint64_t offset, uint64_t length) {
#if defined(__linux__)
  int rc;
  do {
    rc = fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, static_cast<off_t>(offset),
                   static_cast<off_t>(length));
  } while (rc != 0 && errno == EINTR);
  return rc;
#else
  (void)fd;
  (void)offset;
  (void)length;
  errno = ENOSYS;
  return -1;
#endif
}

int DuplicateFd(int fd) { return fcntl(fd, F_DUPFD_CLOEXEC, 3); }

int CloseFile(int fd) {
  if (close(fd) == 0) return 0;
  return errno == EINTR ? 0 : -1;
}

}  // namespace platform
}  // namespace ndshare
