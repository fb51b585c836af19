// Platform layer: process-shared robust mutexes.
//
// A pthread_mutex_t that lives inside a shared mapping, initialized
// PTHREAD_PROCESS_SHARED + PTHREAD_MUTEX_ROBUST + PTHREAD_MUTEX_ERRORCHECK.
// Robust: when the owning thread dies (kill -9 of its process, or a worker
// thread that ends) the kernel walks that thread's robust list, marks the lock
// word "owner died" and wakes one waiter, whose lock call then returns
// EOWNERDEAD. Error-checking: relocking from the owning thread returns
// EDEADLK and unlocking from another thread EPERM, instead of a silent
// deadlock or a corrupt lock.
//
// Robust mutexes are POSIX but missing on macOS: there every call fails with
// ENOSYS and kMutexSize is still the local sizeof(pthread_mutex_t).
#ifndef NDSHARE_PLATFORM_ROBUST_MUTEX_H_
#define NDSHARE_PLATFORM_ROBUST_MUTEX_H_

#include <pthread.h>

#include <cstddef>
#include <cstdint>

namespace ndshare {
namespace platform {

// Bytes a mutex takes in shared memory: sizeof(pthread_mutex_t) rounded up to
// 8 (40 on glibc x86-64, 48 on aarch64). Every process that shares a
// mapping must agree on it, so the same build (libc, architecture) must run
// on both sides.
constexpr size_t kMutexSize = (sizeof(pthread_mutex_t) + 7) & ~size_t{7};
// Required alignment of a mutex's offset.
constexpr size_t kMutexAlign = 8;

// pthread_mutex_init with the attributes above. Returns 0 or an errno value.
int RobustMutexInit(void* at);

// Locks, waiting up to `timeout_ns` (negative = forever; 0 = only if free).
// The deadline is taken on CLOCK_MONOTONIC where glibc has
// pthread_mutex_clocklock (2.30+), so wall-clock steps cannot stretch or cut
// it; elsewhere CLOCK_REALTIME with pthread_mutex_timedlock.
// Returns 0, EOWNERDEAD (locked; the previous owner died), ETIMEDOUT, or an
// errno value (ENOTRECOVERABLE, EDEADLK, EINVAL...).
int RobustMutexLock(void* at, int64_t timeout_ns);

// Returns 0, EOWNERDEAD, EBUSY, or an errno value (EDEADLK: this thread holds it).
int RobustMutexTryLock(void* at);

// pthread_mutex_consistent. Returns 0 or an errno value.
int RobustMutexConsistent(void* at);

// pthread_mutex_unlock. Returns 0 or an errno value (EPERM: not the owner).
int RobustMutexUnlock(void* at);

}  // namespace platform
}  // namespace ndshare

#endif  // NDSHARE_PLATFORM_ROBUST_MUTEX_H_
