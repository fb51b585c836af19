#include "sync/async_waits.h"

#include <pthread.h>
#include <signal.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <deque>

#include "platform/futex.h"
#include "sync/futex.h"
#include "util/errors.h"
#include "util/instance.h"

namespace ndshare {
namespace sync {

// ---- WaiterPool -------------------------------------------------------------
//
// Process-wide: it holds no JS handle, so every env (main thread and worker
// threads) shares it. Allocated once and never destroyed: a static destructor
// at exit must not wait for threads that may sleep in the kernel forever.
class WaiterPool {
 public:
  static WaiterPool& Get() {
    static WaiterPool* const pool = new WaiterPool();  // intentionally leaked
    return *pool;
  }

  // Queues `request` for a thread, starting one if none is idle. Returns false
  // (errno set) if the request could not be queued: no thread could start.
  bool Submit(WaitRequest* request) {
    std::unique_lock<std::mutex> lock(mu_);
    queue_.push_back(request);
    if (idle_ >= queue_.size()) {
      cv_.notify_one();
      return true;
    }
    lock.unlock();
    int err = Spawn();
    if (err == 0) return true;
    lock.lock();
    auto it = std::find(queue_.begin(), queue_.end(), request);
    if (it == queue_.end()) return true;  // a thread that just finished took it
    queue_.erase(it);
    errno = err;
    return false;
  }

 private:
  // An idle thread ends after this long without work: a few are kept warm
  // for a while, the rest of a burst goes away soon.
  static constexpr size_t kWarmThreads = 4;
  static constexpr std::chrono::seconds kWarmIdleTimeout{30};
  static constexpr std::chrono::seconds kIdleTimeout{1};
  // A waiter only makes a few system calls and takes two locks.
  static constexpr size_t kStackBytes = 256 * 1024;

  // Starts a detached thread with every signal blocked, so that signals
  // (SIGINT, SIGCHLD, ...) keep going to Node's own threads. Returns an errno value.
  int Spawn() {
    pthread_attr_t attr;
    int err = pthread_attr_init(&attr);
    if (err != 0) return err;
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    pthread_attr_setstacksize(&attr, kStackBytes);
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);  // inherited by the new thread
    pthread_t thread;
    err = pthread_create(&thread, &attr, Main, this);
    pthread_sigmask(SIG_SETMASK, &old, nullptr);
    pthread_attr_destroy(&attr);
    return err;
  }

  static void* Main(void* self) {
    static_cast<WaiterPool*>(self)->Loop();
    return nullptr;
  }

  void Loop() {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      if (queue_.empty()) {
        auto timeout = idle_ < kWarmThreads ? kWarmIdleTimeout : kIdleTimeout;
        ++idle_;
        bool got = cv_.wait_for(lock, timeout, [this] { return !queue_.empty(); });
        --idle_;
        if (!got) return;
      }
      WaitRequest* request = queue_.front();
      queue_.pop_front();
      lock.unlock();
      Wait(request);
      // The owner may be the last reference to itself: keep it until Finish returns.
      std::shared_ptr<AsyncWaits> owner = request->owner;
      owner->Finish(request);
      owner.reset();
      lock.lock();
    }
  }

  // Sleeps until the word is woken or changes, the deadline, or cancellation.
  static void Wait(WaitRequest* r) {
    for (;;) {
      if (platform::FutexWaitCancellable(r->addr, r->expected, &r->cancel, r->deadline_ns) == 0) {
        r->result = WaitResult::kOk;  // woken (spurious wakeups are allowed: callers re-check)
        return;
      }
      switch (errno) {
        case EINTR: continue;  // the deadline is absolute: just go back to sleep
        case EAGAIN:
          // The word no longer held `expected` when this thread got to sleep:
          // it was checked on the JS thread when the wait started, so a
          // writer has been and (by protocol) woken it. Or we were cancelled:
          // then nobody sees the result.
          r->result = WaitResult::kOk;
          return;
        case ETIMEDOUT: r->result = WaitResult::kTimedOut; return;
        default:
          r->error = errno;
          r->failed_call = "futex";
          return;
      }
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WaitRequest*> queue_;
  size_t idle_ = 0;  // threads waiting on cv_
};

// ---- AsyncWaits ---------------------------------------------------------------

std::shared_ptr<AsyncWaits> AsyncWaits::Of(Napi::Env env) {
  InstanceData* data = InstanceData::Of(env);
  if (!data->futexWaits) {
    std::shared_ptr<AsyncWaits> waits(new AsyncWaits(env));
    if (!waits->Open()) {
      throw MakeError(env, code::kNative, "sync.futexWaitAsync: cannot create the thread-safe function");
    }
    data->futexWaits = std::move(waits);
  }
  return data->futexWaits;
}

AsyncWaits::~AsyncWaits() = default;

bool AsyncWaits::Open() {
  napi_value name;
  if (napi_create_string_utf8(env_, "ndshare.futexWaitAsync", NAPI_AUTO_LENGTH, &name) != napi_ok) {
    return false;
  }
  // Both Node callbacks get their own reference, released when they run.
  auto* finalize_ref = new std::shared_ptr<AsyncWaits>(shared_from_this());
  if (napi_create_threadsafe_function(env_, nullptr, nullptr, name, 0, 1, finalize_ref, OnTsfnFinalize, nullptr, CallJs,
                                      &tsfn_) != napi_ok) {
    delete finalize_ref;
    return false;
  }
  napi_unref_threadsafe_function(env_, tsfn_);  // ref'd only while waits are pending
  // Added after the tsfn, so it runs before the tsfn's own teardown.
  auto* teardown_ref = new std::shared_ptr<AsyncWaits>(shared_from_this());
  if (napi_add_env_cleanup_hook(env_, OnTeardown, teardown_ref) != napi_ok) {
    delete teardown_ref;
    return false;
  }
  return true;
}

void AsyncWaits::Start(WaitRequest* request) {
  request->owner = shared_from_this();
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.insert(request);
  }
  if (live_++ == 0) napi_ref_threadsafe_function(env_, tsfn_);
  if (!WaiterPool::Get().Submit(request)) {
    request->error = errno;
    request->failed_call = "pthread_create";
    Finish(request);  // rejected through the usual path, on a later turn
  }
}

void AsyncWaits::Finish(WaitRequest* request) {
  bool handed = false;
  {
    std::lock_guard<std::mutex> lock(mu_);
    pending_.erase(request);
    if (!closed_) {
      handed = napi_call_threadsafe_function(tsfn_, request, napi_tsfn_nonblocking) == napi_ok;
    }
  }
  if (!handed) delete request;  // the env is gone: nobody to tell (Close dropped the store)
}

void AsyncWaits::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  if (closed_) return;
  closed_ = true;
  for (WaitRequest* request : pending_) {
    platform::FutexCancel(request->addr, &request->cancel);
    // Released here, on the JS thread, while V8 is certainly alive; the
    // waiter never reads *addr itself (only the kernel does, and a wait on
    // memory unmapped meanwhile fails with EFAULT instead of faulting).
    request->store.reset();
  }
}

void AsyncWaits::CallJs(napi_env env, napi_value /*js_cb*/, void* /*context*/, void* data) {
  WaitRequest* request = static_cast<WaitRequest*>(data);
  if (env == nullptr) {  // the tsfn is being torn down with this still queued
    delete request;
    return;
  }
  std::shared_ptr<AsyncWaits> self = std::move(request->owner);
  try {
    Napi::Env e(env);
    Napi::HandleScope scope(e);
    if (request->error != 0) {
      Napi::Error error = MakeSystemError(e, request->error, request->failed_call, "sync.futexWaitAsync");
      napi_reject_deferred(env, request->deferred, error.Value());
    } else {
      napi_resolve_deferred(env, request->deferred, WaitResultValue(e, request->result));
    }
  } catch (const Napi::Error&) {
    // Building the value threw (out of memory, or a broken error class); the
    // exception is pending in JS and will surface there.
  }
  delete request;  // drops the backing store reference on the JS thread
  if (--self->live_ == 0) napi_unref_threadsafe_function(env, self->tsfn_);
}

void AsyncWaits::OnTeardown(void* arg) {
  auto* ref = static_cast<std::shared_ptr<AsyncWaits>*>(arg);
  (*ref)->Close();
  delete ref;
}

void AsyncWaits::OnTsfnFinalize(napi_env /*env*/, void* data, void* /*hint*/) {
  auto* ref = static_cast<std::shared_ptr<AsyncWaits>*>(data);
  (*ref)->Close();
  delete ref;
}

}  // namespace sync
}  // namespace ndshare
