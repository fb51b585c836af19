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

// Unmapping memory that holds a locked robust mutex.
//
// glibc links the robust mutexes a thread holds through the mutexes
// themselves, and the kernel walks that list at the thread's exit, reading it
// through the dying thread's own mappings. If a mapping that holds one of them
// is gone by then (a worker thread's isolate frees its SharedArrayBuffers
// before the thread ends, so terminate() unmaps the store under a held lock),
// the walk faults and stops: the owner's death is never reported, and the
// mutex stays locked forever.
//
// The Robust* calls above therefore record which thread holds which mutex
// (in this process), and segments are unmapped through this function: at
// once if no live thread holds a robust mutex inside [ptr, ptr + bytes),
// otherwise once every such thread has exited (checked by later calls of
// this function and of RobustMutexLock/TryLock/Unlock, at most every 50 ms).
// `unmap` must be thread-safe (it may run on any thread).
void UnmapAfterRobustHolders(void* ptr, size_t bytes, void (*unmap)(void* ptr, size_t bytes));

// Mappings waiting for their holders to exit (for tests and stats).
size_t DeferredUnmaps();

}  // namespace platform
}  // namespace ndshare

#endif  // NDSHARE_PLATFORM_ROBUST_MUTEX_H_
