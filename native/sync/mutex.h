// Robust, process-shared mutexes inside a SharedArrayBuffer.
//
//   sync.mutexSize                                     bytes per mutex (multiple of 8)
//   sync.mutexInit(sab, byteOffset)                    once, by the segment's creator
//   sync.mutexLock(sab, byteOffset, timeoutMs)   -> 0 locked | 1 locked, owner died | 2 timed out
//   sync.mutexTryLock(sab, byteOffset)           -> 0 locked | 1 locked, owner died | 3 busy
//   sync.mutexConsistent(sab, byteOffset)              after repairing what the dead owner left
//   sync.mutexUnlock(sab, byteOffset)
//
// A mutex belongs to the OS thread that locked it (a JS thread: the main
// thread or one worker thread), so lock and unlock must happen on the same
// thread; a second lock from the owner throws (EDEADLK) rather than hang.
// Semantics of the owner-died state: platform/robust_mutex.h and docs/shm.md.
#ifndef NDSHARE_SYNC_MUTEX_H_
#define NDSHARE_SYNC_MUTEX_H_

#include <napi.h>

namespace ndshare {
namespace sync {

// Adds mutexSize and the mutex functions to `sync`.
void RegisterMutex(Napi::Env env, Napi::Object sync);

}  // namespace sync
}  // namespace ndshare

#endif  // NDSHARE_SYNC_MUTEX_H_
