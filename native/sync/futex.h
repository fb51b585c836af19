// Futex wait/wake on an int32 of a SharedArrayBuffer, across processes.
//
//   sync.futexWait(sab, byteOffset, expected, timeoutMs)       -> 'ok' | 'not-equal' | 'timed-out'
//   sync.futexWaitAsync(sab, byteOffset, expected, timeoutMs)  -> Promise of the same
//   sync.futexWake(sab, byteOffset, count)                     -> number woken
//
// Like Atomics.wait/notify, but the kernel's queue is keyed by the physical
// page, so waiters and wakers may be in different processes that each map the
// same memfd (platform/futex.h). 'ok' means woken, which futexes allow to
// happen spuriously: callers re-check their condition in a loop.
#ifndef NDSHARE_SYNC_FUTEX_H_
#define NDSHARE_SYNC_FUTEX_H_

#include <napi.h>

namespace ndshare {
namespace sync {

// How a wait ended.
enum class WaitResult { kOk, kNotEqual, kTimedOut };

// 'ok', 'not-equal' or 'timed-out' (internalized strings: no allocation after the first).
Napi::Value WaitResultValue(Napi::Env env, WaitResult result);

// Adds futexWait, futexWaitAsync and futexWake to `sync`.
void RegisterFutex(Napi::Env env, Napi::Object sync);

}  // namespace sync
}  // namespace ndshare

#endif  // NDSHARE_SYNC_FUTEX_H_
