#include "platform/robust_mutex.h"

#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <ctime>
#include <mutex>
#include <vector>

namespace ndshare {
namespace platform {

#if defined(__linux__)

namespace {

pthread_mutex_t* AsMutex(void* at) { return static_cast<pthread_mutex_t*>(at); }

// `clock` now plus `ns`, normalized.
struct timespec Deadline(clockid_t clock, int64_t ns) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  constexpr int64_t kMaxNs = int64_t{1000000000} * 1000000000;  // ~31 years
  if (ns > kMaxNs) ns = kMaxNs;
  ts.tv_sec += static_cast<time_t>(ns / 1000000000);
  ts.tv_nsec += static_cast<long>(ns % 1000000000);
  if (ts.tv_nsec >= 1000000000) {
    ts.tv_sec += 1;
    ts.tv_nsec -= 1000000000;
  }
  return ts;
}

// ---- who holds what, and mappings waiting for their holders --------------

struct Held {
  uintptr_t at;
  pid_t tid;
};

struct Deferred {
  void* ptr;
  size_t bytes;
  void (*unmap)(void*, size_t);
};

struct Registry {
  std::mutex lock;
  std::vector<Held> held;
  std::vector<Deferred> deferred;
  std::atomic<size_t> pending{0};
  std::atomic<int64_t> last_sweep_ns{0};
};

// Never destroyed: deleters and locks may run during process teardown.
Registry& Reg() {
  static Registry* reg = new Registry();
  return *reg;
}

pid_t CurrentTid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

// A thread of this process is gone once tgkill(..., 0) says ESRCH. The kernel
// has walked its robust list by then (that happens before the thread is reaped).
bool ThreadAlive(pid_t tid) { return syscall(SYS_tgkill, static_cast<pid_t>(getpid()), tid, 0) == 0 || errno != ESRCH; }

int64_t MonotonicNs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}

bool HeldInside(const Registry& reg, uintptr_t begin, size_t bytes) {
  for (const Held& h : reg.held) {
    if (h.at >= begin && h.at - begin < bytes) return true;
  }
  return false;
}

// Forgets the holds of exited threads, and takes out the deferred mappings no
// live thread holds a mutex in. Called with reg.lock held; the caller unmaps.
std::vector<Deferred> SweepLocked(Registry& reg) {
  std::vector<Held> live;
  for (const Held& h : reg.held) {
    if (ThreadAlive(h.tid)) live.push_back(h);
  }
  reg.held.swap(live);
  std::vector<Deferred> ready;
  std::vector<Deferred> still;
  for (const Deferred& d : reg.deferred) {
    (HeldInside(reg, reinterpret_cast<uintptr_t>(d.ptr), d.bytes) ? still : ready).push_back(d);
  }
  reg.deferred.swap(still);
  reg.pending.store(reg.deferred.size());
  reg.last_sweep_ns.store(MonotonicNs());
  return ready;
}

void UnmapAll(const std::vector<Deferred>& ready) {
  for (const Deferred& d : ready) d.unmap(d.ptr, d.bytes);
}

// A cheap check on the lock paths: sweeps only when something waits, at most every 50 ms.
void MaybeSweep(Registry& reg) {
  if (reg.pending.load(std::memory_order_relaxed) == 0) return;
  if (MonotonicNs() - reg.last_sweep_ns.load(std::memory_order_relaxed) < 50000000) return;
  std::vector<Deferred> ready;
  {
    std::lock_guard<std::mutex> guard(reg.lock);
    ready = SweepLocked(reg);
  }
  UnmapAll(ready);
}

// Records the outcome of a lock call: 0 and EOWNERDEAD mean this thread holds `at` now.
int NoteLocked(void* at, int rc) {
  if (rc == 0 || rc == EOWNERDEAD) {
    Registry& reg = Reg();
    {
      std::lock_guard<std::mutex> guard(reg.lock);
      reg.held.push_back({reinterpret_cast<uintptr_t>(at), CurrentTid()});
    }
    MaybeSweep(reg);
  }
  return rc;
}

}  // namespace

void UnmapAfterRobustHolders(void* ptr, size_t bytes, void (*unmap)(void*, size_t)) {
  if (ptr == nullptr || bytes == 0) return;
  Registry& reg = Reg();
  std::vector<Deferred> ready;
  {
    std::lock_guard<std::mutex> guard(reg.lock);
    reg.deferred.push_back({ptr, bytes, unmap});
    ready = SweepLocked(reg);
  }
  UnmapAll(ready);
}

size_t DeferredUnmaps() {
  Registry& reg = Reg();
  std::vector<Deferred> ready;
  size_t left;
  {
    std::lock_guard<std::mutex> guard(reg.lock);
    ready = SweepLocked(reg);
    left = reg.deferred.size();
  }
  UnmapAll(ready);
  return left;
}

int RobustMutexInit(void* at) {
  pthread_mutexattr_t attr;
  int rc = pthread_mutexattr_init(&attr);
  if (rc != 0) return rc;
  rc = pthread_mutexattr_setpshared(&attr, PTHREAD_PROCESS_SHARED);
  if (rc == 0) rc = pthread_mutexattr_setrobust(&attr, PTHREAD_MUTEX_ROBUST);
  if (rc == 0) rc = pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_ERRORCHECK);
  if (rc == 0) rc = pthread_mutex_init(AsMutex(at), &attr);
  pthread_mutexattr_destroy(&attr);
  return rc;
}

int RobustMutexLock(void* at, int64_t timeout_ns) {
  if (timeout_ns < 0) return NoteLocked(at, pthread_mutex_lock(AsMutex(at)));
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 30))
  struct timespec deadline = Deadline(CLOCK_MONOTONIC, timeout_ns);
  return NoteLocked(at, pthread_mutex_clocklock(AsMutex(at), CLOCK_MONOTONIC, &deadline));
#else
  struct timespec deadline = Deadline(CLOCK_REALTIME, timeout_ns);
  return NoteLocked(at, pthread_mutex_timedlock(AsMutex(at), &deadline));
#endif
}

int RobustMutexTryLock(void* at) { return NoteLocked(at, pthread_mutex_trylock(AsMutex(at))); }

int RobustMutexConsistent(void* at) { return pthread_mutex_consistent(AsMutex(at)); }

int RobustMutexUnlock(void* at) {
  int rc = pthread_mutex_unlock(AsMutex(at));
  if (rc == 0) {
    Registry& reg = Reg();
    {
      std::lock_guard<std::mutex> guard(reg.lock);
      const uintptr_t key = reinterpret_cast<uintptr_t>(at);
      const pid_t tid = CurrentTid();
      for (size_t k = reg.held.size(); k-- > 0;) {
        if (reg.held[k].at == key && reg.held[k].tid == tid) {
          reg.held.erase(reg.held.begin() + static_cast<std::ptrdiff_t>(k));
          break;
        }
      }
    }
    MaybeSweep(reg);
  }
  return rc;
}

#else  // !__linux__: no robust mutexes (macOS)

int RobustMutexInit(void*) { return ENOSYS; }
int RobustMutexLock(void*, int64_t) { return ENOSYS; }
int RobustMutexTryLock(void*) { return ENOSYS; }
int RobustMutexConsistent(void*) { return ENOSYS; }
int RobustMutexUnlock(void*) { return ENOSYS; }
void UnmapAfterRobustHolders(void* ptr, size_t bytes, void (*unmap)(void*, size_t)) {
  if (ptr != nullptr && bytes != 0) unmap(ptr, bytes);
}
size_t DeferredUnmaps() { return 0; }

#endif

}  // namespace platform
}  // namespace ndshare
