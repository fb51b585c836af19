// Platform layer: futexes, the kernel's wait queues keyed by a memory word.
//
// The only file pair that issues the futex system calls. Every wait here but
// the *Private pair is process-shared (FUTEX_WAIT, not FUTEX_WAIT_PRIVATE): the kernel keys the
// queue by the physical page (inode + offset for a shared file mapping), so a
// waiter and a waker in different processes, each with its own mapping of the
// same memfd, meet on the same queue. That is what Atomics.wait/notify cannot
// do: V8 keeps its waiter lists in the process.
//
// Elsewhere than Linux every call fails with ENOSYS (a macOS port would use
// os_sync_wait_on_address with OS_SYNC_WAIT_ON_ADDRESS_SHARED).
#ifndef NDSHARE_PLATFORM_FUTEX_H_
#define NDSHARE_PLATFORM_FUTEX_H_

#include <cstdint>
#include <ctime>

namespace ndshare {
namespace platform {

// True where the futex calls exist (Linux).
bool HasFutex();

// Now on CLOCK_MONOTONIC, in nanoseconds.
int64_t MonotonicNs();

// FUTEX_WAIT on `*addr` while it equals `expected`, for at most `timeout_ns`
// (negative = forever). One system call, no retry: returns 0 when woken (or
// spuriously), or -1 with errno EAGAIN (the word differed), ETIMEDOUT or
// EINTR (a signal; the caller retries with the time left).
int FutexWait(const uint32_t* addr, uint32_t expected, int64_t timeout_ns);

// FUTEX_WAKE: wakes up to `count` (>= 1) waiters on `*addr` in any process.
// Returns the number woken, or -1 with errno set.
int FutexWake(const uint32_t* addr, int count);

// The same, process-private (FUTEX_WAIT_PRIVATE / FUTEX_WAKE_PRIVATE): for
// words that only threads of this process use (the compute pool,
// kernels/parallel.cc), which the kernel then keys by address alone.
int FutexWaitPrivate(const uint32_t* addr, uint32_t expected);
int FutexWakePrivate(const uint32_t* addr, int count);

// A wait that another thread of this process can cancel without disturbing
// anybody else: waits until `*addr` is woken or differs from `expected`,
// `*cancel` becomes nonzero (see FutexCancel), or CLOCK_MONOTONIC reaches
// `deadline_ns` (negative = no deadline). `cancel` is a private word of the
// caller. Returns 0 (woken, maybe spuriously), or -1 with errno EAGAIN (a
// word differed: `*addr`, or `*cancel` was already set), ETIMEDOUT or EINTR.
//
// On Linux >= 5.16 this is one futex_waitv on {addr (shared), cancel
// (private)}; on older kernels it falls back to FUTEX_WAIT on addr alone, and
// FutexCancel then has to wake addr itself (see there).
int FutexWaitCancellable(const uint32_t* addr, uint32_t expected, const uint32_t* cancel, int64_t deadline_ns);

// Ends a FutexWaitCancellable on (addr, cancel): sets `*cancel` to 1 and wakes
// it. Without futex_waitv the only way to reach the waiter is to wake `addr`,
// which every other waiter on that word sees as a spurious wakeup (legal for
// futexes, which may always wake spuriously, but noisy). Returns 0 or -1.
int FutexCancel(const uint32_t* addr, uint32_t* cancel);

}  // namespace platform
}  // namespace ndshare

#endif  // NDSHARE_PLATFORM_FUTEX_H_
