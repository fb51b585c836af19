#include "platform/futex.h"

#include <cerrno>
#include <climits>

#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#endif

namespace ndshare {
namespace platform {

int64_t MonotonicNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

#if defined(__linux__)

namespace {

#ifndef __NR_futex_waitv
#define __NR_futex_waitv 449  // the same number on every architecture
#endif
#ifndef FUTEX_32
#define FUTEX_32 2
struct futex_waitv {
  uint64_t val;
  uint64_t uaddr;
  uint32_t flags;
  uint32_t __reserved;
};
#endif

// Cleared the first time futex_waitv says ENOSYS (kernel < 5.16, or a
// seccomp filter that does not know it); read by every thread.
std::atomic<bool> g_has_waitv{true};

struct timespec NsToTimespec(int64_t ns) {
  // Capped at ~31 years: far beyond any caller, and the kernel saturates anyway.
  constexpr int64_t kMaxNs = int64_t{1000000000} * 1000000000;
  if (ns > kMaxNs) ns = kMaxNs;
  struct timespec ts;
  ts.tv_sec = static_cast<time_t>(ns / 1000000000);
  ts.tv_nsec = static_cast<long>(ns % 1000000000);
  return ts;
}

long SysFutex(const uint32_t* addr, int op, uint32_t val, const struct timespec* timeout) {
  return syscall(SYS_futex, addr, op, val, timeout, nullptr, 0);
}

}  // namespace

bool HasFutex() { return true; }

int FutexWait(const uint32_t* addr, uint32_t expected, int64_t timeout_ns) {
  struct timespec ts;
  const struct timespec* timeout = nullptr;
  if (timeout_ns >= 0) {
    ts = NsToTimespec(timeout_ns);
    timeout = &ts;
  }
  // FUTEX_WAIT, not FUTEX_WAIT_PRIVATE: the word may be shared with other processes.
  return SysFutex(addr, FUTEX_WAIT, expected, timeout) == 0 ? 0 : -1;
}

int FutexWake(const uint32_t* addr, int count) {
  long n = SysFutex(addr, FUTEX_WAKE, static_cast<uint32_t>(count), nullptr);
  return n < 0 ? -1 : static_cast<int>(n);
}

int FutexWaitPrivate(const uint32_t* addr, uint32_t expected) {
  return SysFutex(addr, FUTEX_WAIT_PRIVATE, expected, nullptr) == 0 ? 0 : -1;
}

int FutexWakePrivate(const uint32_t* addr, int count) {
  return static_cast<int>(SysFutex(addr, FUTEX_WAKE_PRIVATE, static_cast<uint32_t>(count), nullptr));
}

int FutexWaitCancellable(const uint32_t* addr, uint32_t expected, const uint32_t* cancel, int64_t deadline_ns) {
  if (g_has_waitv.load(std::memory_order_relaxed)) {
    struct futex_waitv waiters[2] = {};
    waiters[0].val = expected;
    waiters[0].uaddr = reinterpret_cast<uintptr_t>(addr);
    waiters[0].flags = FUTEX_32;  // shared: the key is the page, not this mm
    waiters[1].val = 0;
    waiters[1].uaddr = reinterpret_cast<uintptr_t>(cancel);
    waiters[1].flags = FUTEX_32 | FUTEX_PRIVATE_FLAG;
    struct timespec ts;
    const struct timespec* timeout = nullptr;
    if (deadline_ns >= 0) {
      ts = NsToTimespec(deadline_ns);  // absolute, on the clock passed below
      timeout = &ts;
    }
    long rc = syscall(__NR_futex_waitv, waiters, 2, 0, timeout, CLOCK_MONOTONIC);
    if (rc >= 0) return 0;
    if (errno != ENOSYS) return -1;
    g_has_waitv.store(false, std::memory_order_relaxed);
  }
  if (__atomic_load_n(cancel, __ATOMIC_ACQUIRE) != 0) {
    errno = EAGAIN;
    return -1;
  }
  int64_t left = -1;
  if (deadline_ns >= 0) {
    left = deadline_ns - MonotonicNs();
    if (left <= 0) {
      errno = ETIMEDOUT;
      return -1;
    }
  }
  return FutexWait(addr, expected, left);
}

int FutexCancel(const uint32_t* addr, uint32_t* cancel) {
  __atomic_store_n(cancel, 1u, __ATOMIC_RELEASE);
  if (SysFutex(cancel, FUTEX_WAKE_PRIVATE, INT_MAX, nullptr) < 0) return -1;
  // Without futex_waitv the waiter sleeps on addr alone (see futex.h).
  if (!g_has_waitv.load(std::memory_order_relaxed)) {
    if (SysFutex(addr, FUTEX_WAKE, INT_MAX, nullptr) < 0) return -1;
  }
  return 0;
}

#else  // !__linux__

bool HasFutex() { return false; }

int FutexWait(const uint32_t*, uint32_t, int64_t) {
  errno = ENOSYS;
  return -1;
}

int FutexWake(const uint32_t*, int) {
  errno = ENOSYS;
  return -1;
}

int FutexWaitPrivate(const uint32_t*, uint32_t) {
  errno = ENOSYS;
  return -1;
}

int FutexWakePrivate(const uint32_t*, int) {
  errno = ENOSYS;
  return -1;
}

int FutexWaitCancellable(const uint32_t*, uint32_t, const uint32_t*, int64_t) {
  errno = ENOSYS;
  return -1;
}

int FutexCancel(const uint32_t*, uint32_t* cancel) {
  *cancel = 1;
  errno = ENOSYS;
  return -1;
}

#endif

}  // namespace platform
}  // namespace ndshare
