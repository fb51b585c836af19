// Cross-process synchronization over shared memory: robust mutexes
// (sync/mutex.h) and futex wait/wake, blocking and asynchronous
// (sync/futex.h, sync/async_waits.h).
#ifndef NDSHARE_SYNC_SYNC_H_
#define NDSHARE_SYNC_SYNC_H_

#include <napi.h>

namespace ndshare {

// Adds the `sync` object to the exports.
void InitSync(Napi::Env env, Napi::Object exports);

}  // namespace ndshare

#endif  // NDSHARE_SYNC_SYNC_H_
