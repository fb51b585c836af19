#include "kernels/parallel.h"

#include <pthread.h>

#include <climits>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>

#include "platform/futex.h"
#include "util/errors.h"
#include "util/exports.h"

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__)
#include <immintrin.h>
#define NDSHARE_PAUSE() _mm_pause()
#elif defined(__aarch64__)
#define NDSHARE_PAUSE() __asm__ __volatile__("yield")
#else
#define NDSHARE_PAUSE() ((void)0)
#endif

namespace ndshare {
namespace kernels {
namespace parallel {
namespace {

// ---- threads setting ---------------------------------------------------------

std::atomic<int> gThreads{0};  // 0: not decided yet

int DefaultThreads() {
  const char* env = std::getenv("NDSHARE_NUM_THREADS");
  if (env != nullptr && *env != '\0') {
    char* end = nullptr;
    long v = std::strtol(env, &end, 10);
    if (end != nullptr && *end == '\0' && v >= 1) return v > kMaxThreads ? kMaxThreads : static_cast<int>(v);
  }
  unsigned hw = std::thread::hardware_concurrency();
  if (hw == 0) hw = 1;
  return hw > 8 ? 8 : static_cast<int>(hw);
}

}  // namespace

int Threads() {
  int t = gThreads.load(std::memory_order_relaxed);
  if (t == 0) {
    int expected = 0;
    gThreads.compare_exchange_strong(expected, DefaultThreads());
    t = gThreads.load(std::memory_order_relaxed);
  }
  return t;
}

// ---- thread pool ---------------------------------------------------------------

// Spin briefly, then sleep (futex on Linux, yield elsewhere): on a busy
// 2-vCPU machine a thread waiting for a descheduled peer must not burn its
// time slice.
constexpr int kPauses = 200;
constexpr int kSpins = 600;  // kPauses pauses, then yields

// Sleep on a futex where there is one (Linux), else yield.
#if defined(__linux__)
constexpr bool kHasFutex = true;
#else
constexpr bool kHasFutex = false;
#endif

// The pool's words are std::atomic<int>: the futex word is its 32 bits.
static_assert(sizeof(std::atomic<int>) == sizeof(uint32_t), "a futex word is 32 bits");
inline const uint32_t* Word(const std::atomic<int>* a) { return reinterpret_cast<const uint32_t*>(a); }

// Spin-wait step `i`: pause for the first few, then yield, so a peer that
// shares this CPU (a busy machine puts both threads on one core) gets to run.
inline void SpinStep(int i) {
  if (i < kPauses) {
    NDSHARE_PAUSE();
  } else {
    std::this_thread::yield();
  }
}

// Waits until *word != value. `sleepers` counts the threads asleep on word.
void WaitWhileEqual(std::atomic<int>* word, int value, std::atomic<int>* sleepers) {
  for (int spins = 0; spins < kSpins; ++spins) {
    if (word->load(std::memory_order_acquire) != value) return;
    SpinStep(spins);
  }
  while (word->load(std::memory_order_acquire) == value) {
    if (!kHasFutex) {
      std::this_thread::yield();
      continue;
    }
    sleepers->fetch_add(1, std::memory_order_seq_cst);
    if (word->load(std::memory_order_seq_cst) == value) {
      platform::FutexWaitPrivate(Word(word), static_cast<uint32_t>(value));
    }
    sleepers->fetch_sub(1, std::memory_order_seq_cst);
  }
}

// Call after changing *word (with seq_cst) to wake the threads asleep on it.
void WakeWaiters(std::atomic<int>* word, std::atomic<int>* sleepers) {
  if (kHasFutex && sleepers->load(std::memory_order_seq_cst) > 0) platform::FutexWakePrivate(Word(word), INT32_MAX);
}

namespace {

// Persistent workers, created lazily and never destroyed (they sleep on a
// condition variable; the process exit ends them). One parallel region at a
// time: a caller that finds the pool busy (another worker_thread of Node is
// using it) runs its region on its own thread.
class Pool {
 public:
  // Runs body(ctx, tid, nt) for tid in [0, nt) (the caller is tid 0) and
  // returns when all are done. Returns the nt actually used (1 if busy).
  int Run(int nt, Body body, void* ctx) {
    if (nt > 1 && runMu_.try_lock()) {
      if (EnsureWorkers(nt - 1)) {
        body_ = body;
        ctx_ = ctx;
        nt_ = nt;
        pending_.store(nt - 1, std::memory_order_relaxed);
        const uint64_t gen = ++generation_;
        for (int i = 1; i < nt; ++i) slots_[i].go.store(gen, std::memory_order_release);
        { std::lock_guard<std::mutex> lock(mu_); }
        cv_.notify_all();
        body(ctx, 0, nt);
        for (int left = pending_.load(std::memory_order_acquire); left != 0;
             left = pending_.load(std::memory_order_acquire)) {
          WaitWhileEqual(&pending_, left, &pendingSleepers_);
        }
        runMu_.unlock();
        return nt;
      }
      runMu_.unlock();
    }
    body(ctx, 0, 1);
    return 1;
  }

 private:
  struct alignas(64) Slot {
    std::atomic<uint64_t> go{0};
  };

  bool EnsureWorkers(int n) {
    while (workers_ < n) {
      const int id = workers_ + 1;
      try {
        std::thread(&Pool::Worker, this, id).detach();
      } catch (...) {
        return false;
      }
      ++workers_;
    }
    return true;
  }

  void Worker(int id) {
    Slot& slot = slots_[id];
    uint64_t seen = 0;
    for (;;) {
      uint64_t go;
      int spins = 0;
      while ((go = slot.go.load(std::memory_order_acquire)) == seen && spins < kSpins) {
        SpinStep(spins);
        ++spins;
      }
      if (go == seen) {
        std::unique_lock<std::mutex> lock(mu_);
        cv_.wait(lock, [&] { return slot.go.load(std::memory_order_acquire) != seen; });
        go = slot.go.load(std::memory_order_acquire);
      }
      seen = go;
      body_(ctx_, id, nt_);
      pending_.fetch_sub(1, std::memory_order_seq_cst);
      WakeWaiters(&pending_, &pendingSleepers_);
    }
  }

  std::mutex runMu_;
  std::mutex mu_;
  std::condition_variable cv_;
  int workers_ = 0;          // guarded by runMu_
  uint64_t generation_ = 0;  // guarded by runMu_
  // Written by the caller before the slots' release stores, read by workers after.
  Body body_ = nullptr;
  void* ctx_ = nullptr;
  int nt_ = 0;
  std::atomic<int> pending_{0};
  std::atomic<int> pendingSleepers_{0};
  Slot slots_[kMaxThreads];
};

std::atomic<Pool*> gPool{nullptr};
std::once_flag gAtforkOnce;

// A forked child has none of the parent's workers: it starts a new pool (the
// old one is abandoned, never freed).
void AfterForkInChild() { gPool.store(nullptr, std::memory_order_relaxed); }

Pool& GetPool() {
  Pool* p = gPool.load(std::memory_order_acquire);
  if (p == nullptr) {
    std::call_once(gAtforkOnce, [] { pthread_atfork(nullptr, nullptr, AfterForkInChild); });
    Pool* fresh = new Pool();
    if (gPool.compare_exchange_strong(p, fresh, std::memory_order_acq_rel)) {
      p = fresh;
    } else {
      delete fresh;
    }
  }
  return *p;
}

Napi::Value JsGetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), Threads()); }

void JsSetThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw MakeTypeError(env, "math.setThreads: expected a number");
  const double v = info[0].As<Napi::Number>().DoubleValue();
  if (!(v >= 1 && v <= kMaxThreads && v == static_cast<double>(static_cast<int>(v)))) {
    throw MakeRangeError(env,
                         "math.setThreads: threads must be an integer in [1, " + std::to_string(kMaxThreads) + "]");
  }
  gThreads.store(static_cast<int>(v), std::memory_order_relaxed);
}

}  // namespace

int Run(int nt, Body body, void* ctx) {
  if (nt <= 1) {
    body(ctx, 0, 1);
    return 1;
  }
  return GetPool().Run(nt, body, ctx);
}

void InitParallel(Napi::Env env, Napi::Object math) {
  SetMethods(env, math,
             {
                 {"getThreads", JsGetThreads},
                 {"setThreads", JsSetThreads},
             });
}

}  // namespace parallel
}  // namespace kernels
}  // namespace ndshare
