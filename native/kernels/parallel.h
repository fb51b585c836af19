// The compute thread pool: one parallel-for for every parallel kernel
// (matmul today; sort, FFT, linear algebra next).
//
// Persistent workers, created lazily and never destroyed; one parallel region
// at a time (a caller that finds the pool busy, e.g. another worker_thread of
// Node, runs its region alone on its own thread). Waits spin briefly, then
// sleep on a private futex (platform/futex.h) or yield elsewhere: on a busy
// 2-vCPU machine a thread waiting for a descheduled peer must not burn its
// time slice. A forked child starts a new pool.
//
// The thread count is process-wide: NDSHARE_NUM_THREADS, else min(hardware
// threads, 8); math.setThreads / nd.setThreads change it (kernels/parallel.cc).
#ifndef NDSHARE_KERNELS_PARALLEL_H_
#define NDSHARE_KERNELS_PARALLEL_H_

#include <napi.h>

#include <atomic>
#include <cstdint>

namespace ndshare {
namespace kernels {
namespace parallel {

constexpr int kMaxThreads = 64;

// The threads a parallel kernel may use now (>= 1).
int Threads();

// A region: body(ctx, tid, nt) runs for tid in [0, nt), the caller is tid 0.
using Body = void (*)(void* ctx, int tid, int nt);

// Runs the region on up to nt threads and returns when all are done; returns
// the nt actually used (1 when nt <= 1 or the pool is busy): bodies must
// split their work by the nt they are given.
int Run(int nt, Body body, void* ctx);

// The general parallel-for: f(begin, end) over [0, n) in chunks of at least
// `grain` items, on at most Threads() threads (one chunk per thread, the same
// split for the same n and thread count). f must be safe to call concurrently.
template <class F>
void For(int64_t n, int64_t grain, const F& f) {
  if (n <= 0) return;
  int64_t nt = grain > 0 ? (n + grain - 1) / grain : n;
  const int threads = Threads();
  if (nt > threads) nt = threads;
  if (nt <= 1) {
    f(int64_t{0}, n);
    return;
  }
  struct Ctx {
    const F* f;
    int64_t n;
  } ctx{&f, n};
  Run(
      static_cast<int>(nt),
      [](void* p, int tid, int used) {
        const Ctx& c = *static_cast<const Ctx*>(p);
        const int64_t begin = c.n * tid / used, end = c.n * (tid + 1) / used;
        if (begin < end) (*c.f)(begin, end);
      },
      &ctx);
}

// Waits until *word != value (spin, then sleep). `sleepers` counts the threads
// asleep on word; WakeWaiters wakes them after *word changed (seq_cst).
void WaitWhileEqual(std::atomic<int>* word, int value, std::atomic<int>* sleepers);
void WakeWaiters(std::atomic<int>* word, std::atomic<int>* sleepers);

// A barrier for the threads of one region (built for the region's nt).
class Barrier {
 public:
  explicit Barrier(int n) : n_(n) {}
  // nt: the threads of the region actually running (1 when the pool was busy).
  void Wait(int nt) {
    if (nt <= 1) return;
    const int phase = phase_.load(std::memory_order_acquire);
    if (count_.fetch_add(1, std::memory_order_acq_rel) == n_ - 1) {
      count_.store(0, std::memory_order_relaxed);
      phase_.fetch_add(1, std::memory_order_seq_cst);
      WakeWaiters(&phase_, &sleepers_);
      return;
    }
    WaitWhileEqual(&phase_, phase, &sleepers_);
  }

 private:
  const int n_;
  std::atomic<int> count_{0};
  std::atomic<int> phase_{0};
  std::atomic<int> sleepers_{0};
};

// Adds math.getThreads / math.setThreads (see NativeMath in src/binding.ts).
void InitParallel(Napi::Env env, Napi::Object math);

}  // namespace parallel
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_PARALLEL_H_
