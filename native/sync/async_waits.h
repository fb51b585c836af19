// futexWaitAsync: a futex wait that resolves a Promise instead of blocking.
//
// A futex wait blocks the calling thread in the kernel, so an asynchronous
// wait needs a thread that can block: each pending wait is handed to a
// process-wide pool of waiter threads (WaiterPool), one thread per pending
// wait, reused when they finish and ended after a while idle. Not the libuv
// pool: its 4 threads would be starved by a few long waits and every
// fs/crypto/zlib call of the process would queue behind them.
//
// When a wait ends, its thread hands the result to the env's JS thread
// through a thread-safe function; the JS thread resolves the Promise and
// drops the request, and with it the reference to the SharedArrayBuffer's
// backing store that kept the memory mapped while the thread slept on it.
//
// Event loop: while at least one wait of an env is pending, the thread-safe
// function is ref'd, so the loop (and the process) stays alive like it does
// for a pending timer; with no wait pending it is unref'd. A wait with an
// infinite timeout that nobody wakes therefore keeps the process alive.
//
// Env teardown (a worker thread ends, or the process exits with waits still
// pending): each pending wait is cancelled through its private cancel word
// (platform::FutexCancel), its Promise is dropped unresolved, and no thread
// touches the env again. Backing stores are only ever released on the env's
// JS thread (when a Promise settles, or at teardown for waits still pending). This per-env state is AsyncWaits, owned
// jointly by the env's InstanceData and by every pending request, so a waiter thread that finishes after the env is
// gone finds it still allocated, sees it closed, and just frees its request.
#ifndef NDSHARE_SYNC_ASYNC_WAITS_H_
#define NDSHARE_SYNC_ASYNC_WAITS_H_

#include <napi.h>
#include <v8.h>

#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_set>

#include "sync/futex.h"

namespace ndshare {
namespace sync {

class AsyncWaits;

// One pending futexWaitAsync. Created and destroyed on its env's JS thread,
// except after env teardown, when the waiter thread frees it.
struct WaitRequest {
  std::shared_ptr<v8::BackingStore> store;  // keeps *addr mapped while waiting; JS thread only
  const uint32_t* addr = nullptr;           // the word, inside store
  uint32_t expected = 0;
  int64_t deadline_ns = -1;           // CLOCK_MONOTONIC; -1: none
  napi_deferred deferred = nullptr;   // JS thread only
  std::shared_ptr<AsyncWaits> owner;  // the env this wait belongs to
  uint32_t cancel = 0;                // private futex word, set to 1 to cancel
  // Written by the waiter thread before it hands the request back:
  WaitResult result = WaitResult::kOk;
  int error = 0;                      // an errno value if the wait failed
  const char* failed_call = nullptr;  // and the call that failed
};

class AsyncWaits : public std::enable_shared_from_this<AsyncWaits> {
 public:
  // The env's instance, created on first use (JS thread).
  static std::shared_ptr<AsyncWaits> Of(Napi::Env env);

  // Starts a wait (JS thread): takes ownership of `request`, whose fields up
  // to `deferred` are set. The Promise is resolved later on this thread.
  void Start(WaitRequest* request);

  ~AsyncWaits();

 private:
  explicit AsyncWaits(napi_env env) : env_(env) {}
  AsyncWaits(const AsyncWaits&) = delete;
  AsyncWaits& operator=(const AsyncWaits&) = delete;

  // The thread-safe function and teardown hook; false if Node refused them.
  bool Open();
  // A waiter thread is done with `request`: hand it to the JS thread, or free
  // it if the env is gone.
  void Finish(WaitRequest* request);
  // Closes this env's side: cancels pending waits; no tsfn call afterwards.
  void Close();

  static void CallJs(napi_env env, napi_value js_cb, void* context, void* data);
  static void OnTeardown(void* arg);
  static void OnTsfnFinalize(napi_env env, void* data, void* hint);
  friend class WaiterPool;

  napi_env env_;
  napi_threadsafe_function tsfn_ = nullptr;
  size_t live_ = 0;  // pending waits; JS thread only (drives ref/unref)

  std::mutex mu_;  // guards closed_, pending_, and every use of tsfn_ off the JS thread
  bool closed_ = false;
  std::unordered_set<WaitRequest*> pending_;
};

}  // namespace sync
}  // namespace ndshare

#endif  // NDSHARE_SYNC_ASYNC_WAITS_H_
