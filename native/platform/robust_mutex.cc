#include "platform/robust_mutex.h"

#include <cerrno>
#include <ctime>

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

}  // namespace

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
  if (timeout_ns < 0) return pthread_mutex_lock(AsMutex(at));
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 30))
  struct timespec deadline = Deadline(CLOCK_MONOTONIC, timeout_ns);
  return pthread_mutex_clocklock(AsMutex(at), CLOCK_MONOTONIC, &deadline);
#else
  struct timespec deadline = Deadline(CLOCK_REALTIME, timeout_ns);
  return pthread_mutex_timedlock(AsMutex(at), &deadline);
#endif
}

int RobustMutexTryLock(void* at) { return pthread_mutex_trylock(AsMutex(at)); }

int RobustMutexConsistent(void* at) { return pthread_mutex_consistent(AsMutex(at)); }

int RobustMutexUnlock(void* at) { return pthread_mutex_unlock(AsMutex(at)); }

#else  // !__linux__: no robust mutexes (macOS)

int RobustMutexInit(void*) { return ENOSYS; }
int RobustMutexLock(void*, int64_t) { return ENOSYS; }
int RobustMutexTryLock(void*) { return ENOSYS; }
int RobustMutexConsistent(void*) { return ENOSYS; }
int RobustMutexUnlock(void*) { return ENOSYS; }

#endif

}  // namespace platform
}  // namespace ndshare
