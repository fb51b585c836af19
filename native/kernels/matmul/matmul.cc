// math.matmul / math.getThreads / math.setThreads (see NativeMath in src/binding.ts).
//
// matmul(dtype, [a, b, out], desc), desc in elements:
//   [nbatch, batchShape[0..nbatch), M, N, K,
//    then for a, b, out: offset, batchStrides[0..nbatch), rowStride, colStride]
//
// Everything in desc is checked here (integral values, limits, every element
// each operand addresses inside its typed array, typed-array storage type),
// as iter.cc's ParseLoop does for the elementwise loops.
//
// float32/float64 (and float16/bfloat16, packed to float32 and rounded back)
// run a BLIS-style GEMM: the loops over NC/KC/MC blocks live here, the
// packing routines and the register-tiled micro-kernel come from the table of
// the current ISA (gemm.h, kernels.inc). Integers (wraparound) and bool run
// a direct i-k-j loop. Big products are split over a small persistent pool of
// threads: panel chunks of one product claimed dynamically (or, when N is
// narrow, a barrier-synchronised split), or whole batches side by side.
#include <napi.h>
#include <pthread.h>
#include <unistd.h>
#if defined(__linux__)
#include <linux/futex.h>
#include <sys/syscall.h>
#endif

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "kernels/dtype.h"
#include "kernels/iter.h"
#include "kernels/math.h"
#include "kernels/matmul/gemm.h"
#include "util/errors.h"

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
namespace {

using matmul::DirectFn;
using matmul::FloatOps;
using matmul::KernelFn;
using matmul::PackFn;
using matmul::Problem;
using matmul::Table;

constexpr int kMaxThreads = 64;
constexpr double kMaxExact = 9007199254740991.0;  // 2^53 - 1

// ---- tuning thresholds -------------------------------------------------------

// Float products with M*N*K at or below this use the direct loop (no packing).
constexpr int64_t kSmallFloat = 6 * 6 * 6;
// Serial float products with M*N*K at or below this read A in place (no A packing).
constexpr int64_t kDirectA = 64 * 64 * 64;
// Work (M*N*K summed over batches) from which threads are used at all.
constexpr int64_t kThreadMin = 64 * 64 * 64;
// Per-matrix work from which one product is split over threads; below it,
// several batches run side by side instead.
constexpr int64_t kSplitOne = 160 * 160 * 160;

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

#if defined(__linux__)
void FutexWait(std::atomic<int>* word, int value) {
  syscall(SYS_futex, reinterpret_cast<int*>(word), FUTEX_WAIT_PRIVATE, value, nullptr, nullptr, 0);
}
void FutexWakeAll(std::atomic<int>* word) {
  syscall(SYS_futex, reinterpret_cast<int*>(word), FUTEX_WAKE_PRIVATE, INT32_MAX, nullptr, nullptr, 0);
}
#endif

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
#if defined(__linux__)
    sleepers->fetch_add(1, std::memory_order_seq_cst);
    if (word->load(std::memory_order_seq_cst) == value) FutexWait(word, value);
    sleepers->fetch_sub(1, std::memory_order_seq_cst);
#else
    (void)sleepers;
    std::this_thread::yield();
#endif
  }
}

// Call after changing *word (with seq_cst) to wake the threads asleep on it.
void WakeWaiters(std::atomic<int>* word, std::atomic<int>* sleepers) {
#if defined(__linux__)
  if (sleepers->load(std::memory_order_seq_cst) > 0) FutexWakeAll(word);
#else
  (void)word;
  (void)sleepers;
#endif
}

// A barrier for the threads of one parallel region (built for the region's nt).
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

using Body = void (*)(void* ctx, int tid, int nt);

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
  int workers_ = 0;         // guarded by runMu_
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

int RunParallel(int nt, Body body, void* ctx) {
  if (nt <= 1) {
    body(ctx, 0, 1);
    return 1;
  }
  return GetPool().Run(nt, body, ctx);
}

// ---- buffers --------------------------------------------------------------------

// A 64-byte aligned buffer kept per calling thread and reused across calls.
struct ScratchCache {
  char* p = nullptr;
  size_t n = 0;
  ~ScratchCache() { std::free(p); }
  char* Get(size_t need) {
    if (need > n) {
      std::free(p);
      p = nullptr;
      n = 0;
      size_t size = (need + 4095) & ~size_t{4095};
      void* q = std::aligned_alloc(64, size);
      if (q == nullptr) throw std::bad_alloc();
      p = static_cast<char*>(q);
      n = size;
    }
    return p;
  }
};
thread_local ScratchCache tScratch;

constexpr size_t Align64(size_t n) { return (n + 63) & ~size_t{63}; }
int64_t RoundUp(int64_t v, int64_t m) { return (v + m - 1) / m * m; }
int64_t Min(int64_t a, int64_t b) { return a < b ? a : b; }

// ---- the blocked GEMM ----------------------------------------------------------

// One float product: sources of `kind` (0: the compute type, 1: float16,
// 2: bfloat16) into C of the compute type (elements of tsize bytes).
//
// Threads (nt > 1) split it one of two ways:
// - by jr panels (default): each thread packs and uses its own NR-column
//   panels of B; the A rows of a super block (several MC blocks) are packed
//   by all threads together into a shared buffer, then one barrier.
// - by MC blocks (splitM, when N is too narrow for nt): each thread packs its
//   own A blocks; the B block is packed by all together, then one barrier.
// The shared buffers are double-buffered, so the barrier after packing
// step i+1 also guarantees every thread is done reading step i-1's buffer:
// one barrier per step and no trailing one.
struct GemmJob {
  const FloatOps* ops;
  int kind;
  size_t ss;  // source element size
  size_t ts;  // compute element size
  Problem p;  // c: compute-type pointer, strides in compute elements
  bool splitM;
  bool directA;       // serial small product: A read in place (kernelA)
  int64_t mce;        // MC block (splitM: per thread)
  int64_t superRows;  // rows of A packed per step (jr split; a multiple of mce)
  char* sharedA[2];
  char* sharedB[2];
  char* privA[kMaxThreads];
  Barrier* barrier;
};

// C block [.., mc) x panels [p0, p1) of the packed B; bbuf: panel p0.
inline void Macro(const FloatOps& o, size_t ts, int64_t mc, int64_t nc, int64_t kc, const char* abuf,
                  const char* bbuf, char* c, int64_t rsc, int64_t csc, int acc, int64_t p0, int64_t p1) {
  const int MR = o.mr, NR = o.nr;
  const KernelFn kern = o.kernel;
  for (int64_t jp = p0; jp < p1; ++jp) {
    const int nr = static_cast<int>(Min(NR, nc - jp * NR));
    const char* bp = bbuf + (jp - p0) * NR * kc * ts;
    char* cj = c + jp * NR * csc * ts;
    for (int64_t ir = 0; ir < mc; ir += MR) {
      kern(kc, abuf + ir * kc * ts, bp, cj + ir * rsc * ts, rsc, csc, static_cast<int>(Min(MR, mc - ir)), nr,
           acc);
    }
  }
}

void GemmBody(void* ctx, int tid, int nt) {
  const GemmJob& g = *static_cast<const GemmJob*>(ctx);
  const FloatOps& o = *g.ops;
  const Problem& p = g.p;
  const int MR = o.mr, NR = o.nr;
  const PackFn packA = o.packA[g.kind], packB = o.packB[g.kind];
  const char* a = static_cast<const char*>(p.a);
  const char* b = static_cast<const char*>(p.b);
  char* c = static_cast<char*>(p.c);
  const size_t ss = g.ss, ts = g.ts;
  Barrier* bar = g.barrier;
  // A thread's B panels start at a fixed place (sized for the largest kc):
  // with a smaller last kc they must not move into another thread's panels.
  const int64_t kcMax = Min(o.kc, p.K);
  int step = 0;
  for (int64_t jc = 0; jc < p.N; jc += o.nc) {
    const int64_t nc = Min(o.nc, p.N - jc);
    const int64_t np = (nc + NR - 1) / NR;
    const int64_t p0 = np * tid / nt, p1 = np * (tid + 1) / nt;
    for (int64_t pc = 0; pc < p.K; pc += o.kc) {
      const int64_t kc = Min(o.kc, p.K - pc);
      const int acc = pc > 0;
      if (!g.splitM) {
        // This thread's jr panels of B (private: only this thread reads them).
        char* bmine = g.sharedB[0] + p0 * NR * kcMax * ts;
        if (p1 > p0) {
          packB(kc, Min(nc, p1 * NR) - p0 * NR, b + (pc * p.rsb + (jc + p0 * NR) * p.csb) * ss, p.rsb, p.csb,
                bmine);
        }
        if (g.directA) {
          // Small serial product: full MR-row panels of A are read in place,
          // only the last partial panel of each MC block is packed.
          char* abuf = g.sharedA[0];
          for (int64_t ic = 0; ic < p.M; ic += g.mce) {
            const int64_t mc = Min(g.mce, p.M - ic);
            const int64_t full = mc / MR * MR;
            if (full < mc) {
              packA(mc - full, kc, a + ((ic + full) * p.rsa + pc * p.csa) * ss, p.rsa, p.csa, abuf);
            }
            for (int64_t jp = p0; jp < p1; ++jp) {
              const int nr = static_cast<int>(Min(NR, nc - jp * NR));
              const char* bp = bmine + (jp - p0) * NR * kc * ts;
              char* cj = c + (ic * p.rsc + (jc + jp * NR) * p.csc) * ts;
              for (int64_t ir = 0; ir < full; ir += MR) {
                o.kernelA(kc, a + ((ic + ir) * p.rsa + pc * p.csa) * ss, p.rsa, p.csa, bp, cj + ir * p.rsc * ts,
                          p.rsc, p.csc, nr, acc);
              }
              if (full < mc) {
                o.kernel(kc, abuf, bp, cj + full * p.rsc * ts, p.rsc, p.csc, static_cast<int>(mc - full), nr, acc);
              }
            }
          }
          continue;
        }
        for (int64_t is = 0; is < p.M; is += g.superRows, ++step) {
          const int64_t ms = Min(g.superRows, p.M - is);
          const int64_t mp = (ms + MR - 1) / MR;
          const int64_t q0 = mp * tid / nt, q1 = mp * (tid + 1) / nt;
          char* abuf = g.sharedA[step & 1];
          if (q1 > q0) {
            packA(Min(ms, q1 * MR) - q0 * MR, kc, a + ((is + q0 * MR) * p.rsa + pc * p.csa) * ss, p.rsa, p.csa,
                  abuf + q0 * MR * kc * ts);
          }
          bar->Wait(nt);
          if (p1 > p0) {
            for (int64_t ic = 0; ic < ms; ic += g.mce) {
              Macro(o, ts, Min(g.mce, ms - ic), nc, kc, abuf + ic * kc * ts, bmine,
                    c + ((is + ic) * p.rsc + jc * p.csc) * ts, p.rsc, p.csc, acc, p0, p1);
            }
          }
        }
      } else {
        char* bbuf = g.sharedB[step & 1];
        ++step;
        if (p1 > p0) {
          packB(kc, Min(nc, p1 * NR) - p0 * NR, b + (pc * p.rsb + (jc + p0 * NR) * p.csb) * ss, p.rsb, p.csb,
                bbuf + p0 * NR * kc * ts);
        }
        bar->Wait(nt);
        char* abuf = g.privA[tid];
        for (int64_t ic = tid * g.mce; ic < p.M; ic += nt * g.mce) {
          const int64_t mc = Min(g.mce, p.M - ic);
          packA(mc, kc, a + (ic * p.rsa + pc * p.csa) * ss, p.rsa, p.csa, abuf);
          Macro(o, ts, mc, nc, kc, abuf, bbuf, c + (ic * p.rsc + jc * p.csc) * ts, p.rsc, p.csc, acc, 0, np);
        }
      }
    }
  }
}

// Bytes of packing buffers one product needs: A block, B block.
struct GemmSizes {
  size_t a, b;
};
GemmSizes SizesFor(const FloatOps& o, size_t ts, const Problem& p, int64_t mce) {
  const int64_t kc = Min(o.kc, p.K);
  const int64_t nc = Min(o.nc, RoundUp(p.N, o.nr));
  return {Align64(static_cast<size_t>(mce * kc) * ts), Align64(static_cast<size_t>(nc * kc) * ts)};
}

// ---- the parsed call -------------------------------------------------------------

struct Operand {
  char* data;  // element [0, ..., 0] (only valid when the operand addresses anything)
  int64_t batchStrides[kMaxDims];
  int64_t rs, cs;
};

struct Call {
  int dtype;
  const Table* table;
  int nb;
  int64_t batchShape[kMaxDims];
  int64_t nbatch;
  int64_t M, N, K;
  Operand op[3];  // a, b, out
  size_t item;
};

Problem ProblemAt(const Call& call, int64_t index) {
  int64_t off[3] = {0, 0, 0};
  for (int d = call.nb - 1; d >= 0 && index > 0; --d) {
    const int64_t i = index % call.batchShape[d];
    index /= call.batchShape[d];
    for (int k = 0; k < 3; ++k) off[k] += i * call.op[k].batchStrides[d];
  }
  const size_t it = call.item;
  Problem p;
  p.M = call.M;
  p.N = call.N;
  p.K = call.K;
  p.a = call.op[0].data + off[0] * static_cast<int64_t>(it);
  p.rsa = call.op[0].rs;
  p.csa = call.op[0].cs;
  p.b = call.op[1].data + off[1] * static_cast<int64_t>(it);
  p.rsb = call.op[1].rs;
  p.csb = call.op[1].cs;
  p.c = call.op[2].data + off[2] * static_cast<int64_t>(it);
  p.rsc = call.op[2].rs;
  p.csc = call.op[2].cs;
  return p;
}

bool IsPackedFloat(int dtype) { return dtype == kFloat32 || dtype == kFloat64 || IsHalfLike(dtype); }

const FloatOps& OpsFor(const Table& t, int dtype) { return dtype == kFloat64 ? t.f64 : t.f32; }

int KindFor(int dtype) { return dtype == kFloat16 ? 1 : dtype == kBfloat16 ? 2 : 0; }

// float16/bfloat16: the float32 result of one product goes to its 16-bit out.
void StoreHalfLike(int dtype, const float* tmp, const Problem& p) {
  uint16_t* c = static_cast<uint16_t*>(p.c);
  for (int64_t i = 0; i < p.M; ++i) {
    const float* t = tmp + i * p.N;
    uint16_t* ci = c + i * p.rsc;
    if (dtype == kFloat16) {
      for (int64_t j = 0; j < p.N; ++j) ci[j * p.csc] = FloatToHalf(t[j]);
    } else {
      for (int64_t j = 0; j < p.N; ++j) ci[j * p.csc] = FloatToBf16(t[j]);
    }
  }
}

bool UseDirect(const Call& call) {
  if (!IsPackedFloat(call.dtype)) return true;
  if (call.K == 0) return true;
  return static_cast<__int128>(call.M) * call.N * call.K <= kSmallFloat;
}

size_t DirectScratch(const Call& call) {
  if (IsFloat(call.dtype)) return 0;
  const size_t row = static_cast<size_t>(call.K + 1) * call.item;
  int64_t jb = static_cast<int64_t>((size_t{1} << 20) / row);
  if (jb < 16) jb = 16;
  if (jb > call.N) jb = call.N;
  if (jb < 1) jb = 1;
  return Align64(row * static_cast<size_t>(jb));
}

// Per-thread slab for serial products: A block, B block, float32 temp C, direct scratch.
struct SlabLayout {
  size_t a, b, tmp, scratch, total;
};

SlabLayout SerialLayout(const Call& call) {
  SlabLayout l{0, 0, 0, 0, 0};
  if (UseDirect(call)) {
    l.scratch = DirectScratch(call);
  } else {
    const FloatOps& o = OpsFor(*call.table, call.dtype);
    const size_t ts = call.dtype == kFloat64 ? 8 : 4;
    Problem p;
    p.M = call.M;
    p.N = call.N;
    p.K = call.K;
    GemmSizes s = SizesFor(o, ts, p, Min(o.mc, RoundUp(call.M, o.mr)));
    l.a = s.a;
    l.b = s.b;
    if (IsHalfLike(call.dtype)) l.tmp = Align64(static_cast<size_t>(call.M * call.N) * 4);
  }
  l.total = l.a + l.b + l.tmp + l.scratch;
  return l;
}

// One product on the calling thread with the slab at `slab`.
void SerialProduct(const Call& call, const SlabLayout& l, char* slab, const Problem& p0) {
  if (p0.M == 0 || p0.N == 0) return;
  if (UseDirect(call)) {
    call.table->direct[call.dtype](p0, slab + l.a + l.b + l.tmp, l.scratch);
    return;
  }
  const FloatOps& o = OpsFor(*call.table, call.dtype);
  Barrier bar(1);
  GemmJob g;
  g.ops = &o;
  g.kind = KindFor(call.dtype);
  g.ss = call.item;
  g.ts = call.dtype == kFloat64 ? 8 : 4;
  g.p = p0;
  if (IsHalfLike(call.dtype)) {
    g.p.c = slab + l.a + l.b;
    g.p.rsc = p0.N;
    g.p.csc = 1;
  }
  g.splitM = false;
  g.directA = g.kind == 0 && static_cast<__int128>(p0.M) * p0.N * p0.K <= kDirectA;
  g.mce = Min(o.mc, RoundUp(p0.M, o.mr));
  g.superRows = g.mce;
  g.sharedA[0] = g.sharedA[1] = slab;
  g.sharedB[0] = g.sharedB[1] = slab + l.a;
  g.barrier = &bar;
  GemmBody(&g, 0, 1);
  if (IsHalfLike(call.dtype)) StoreHalfLike(call.dtype, reinterpret_cast<const float*>(g.p.c), p0);
}

struct BatchJob {
  const Call* call;
  SlabLayout layout;
  char* slabs;
};

void BatchBody(void* ctx, int tid, int nt) {
  const BatchJob& j = *static_cast<const BatchJob*>(ctx);
  const Call& call = *j.call;
  const int64_t n = call.nbatch;
  const int64_t b0 = n * tid / nt, b1 = n * (tid + 1) / nt;
  if (b1 <= b0) return;
  char* slab = j.slabs + static_cast<size_t>(tid) * j.layout.total;
  // Walk the batch index with counters (no divisions per product).
  Problem p = ProblemAt(call, b0);
  int64_t counter[kMaxDims];
  int64_t rest = b0;
  for (int d = call.nb - 1; d >= 0; --d) {
    counter[d] = rest % call.batchShape[d];
    rest /= call.batchShape[d];
  }
  const int64_t it = static_cast<int64_t>(call.item);
  for (int64_t i = b0;;) {
    SerialProduct(call, j.layout, slab, p);
    if (++i >= b1) break;
    for (int d = call.nb - 1; d >= 0; --d) {
      const Operand* o = call.op;
      if (++counter[d] < call.batchShape[d]) {
        p.a = static_cast<const char*>(p.a) + o[0].batchStrides[d] * it;
        p.b = static_cast<const char*>(p.b) + o[1].batchStrides[d] * it;
        p.c = static_cast<char*>(p.c) + o[2].batchStrides[d] * it;
        break;
      }
      counter[d] = 0;
      const int64_t back = call.batchShape[d] - 1;
      p.a = static_cast<const char*>(p.a) - o[0].batchStrides[d] * back * it;
      p.b = static_cast<const char*>(p.b) - o[1].batchStrides[d] * back * it;
      p.c = static_cast<char*>(p.c) - o[2].batchStrides[d] * back * it;
    }
  }
}

// Integers, bool, small floats of one big product: rows split over threads.
struct RowJob {
  const Call* call;
  Problem p;
  size_t scratch;
  char* slabs;
};

void RowBody(void* ctx, int tid, int nt) {
  const RowJob& j = *static_cast<const RowJob*>(ctx);
  const int64_t M = j.p.M;
  const int64_t r0 = M * tid / nt, r1 = M * (tid + 1) / nt;
  if (r1 <= r0) return;
  Problem q = j.p;
  q.M = r1 - r0;
  q.a = static_cast<const char*>(j.p.a) + r0 * j.p.rsa * static_cast<int64_t>(j.call->item);
  q.c = static_cast<char*>(j.p.c) + r0 * j.p.rsc * static_cast<int64_t>(j.call->item);
  j.call->table->direct[j.call->dtype](q, j.slabs + static_cast<size_t>(tid) * j.scratch, j.scratch);
}

// One big float product with dynamic scheduling (no barriers): all of A is
// packed first (tasks claimed from a counter; the threads then wait for the
// last one), then each thread claims chunks of NR-column panels and runs the
// whole K for them with B packed privately. On a busy machine a thread that
// gets less CPU simply claims fewer chunks instead of holding up the others.
struct DynJob {
  const FloatOps* ops;
  int kind;
  size_t ss, ts;
  Problem p;
  int64_t rowsPadded;  // M rounded up to MR
  int64_t aChunk;      // A panels per packing task
  int aTasksPerStep, aTasks;
  int64_t np, chunk;   // NR panels of N, panels per compute task
  int cTasks;
  int64_t mce;
  char* apack;
  char* bpriv[kMaxThreads];
  std::atomic<int> aNext{0}, aDone{0}, aSleepers{0}, cNext{0};
};

void DynBody(void* ctx, int tid, int nt) {
  (void)nt;
  DynJob& g = *static_cast<DynJob*>(ctx);
  const FloatOps& o = *g.ops;
  const Problem& p = g.p;
  const int MR = o.mr, NR = o.nr;
  const PackFn packA = o.packA[g.kind], packB = o.packB[g.kind];
  const char* a = static_cast<const char*>(p.a);
  const char* b = static_cast<const char*>(p.b);
  char* c = static_cast<char*>(p.c);
  const size_t ss = g.ss, ts = g.ts;
  const int64_t mp = (p.M + MR - 1) / MR;
  // 1. Pack A: task t = (K step t / aTasksPerStep, panel chunk t % aTasksPerStep).
  for (int t = g.aNext.fetch_add(1, std::memory_order_relaxed); t < g.aTasks;
       t = g.aNext.fetch_add(1, std::memory_order_relaxed)) {
    const int64_t step = t / g.aTasksPerStep;
    const int64_t q0 = (t % g.aTasksPerStep) * g.aChunk;
    const int64_t q1 = Min(mp, q0 + g.aChunk);
    const int64_t pc = step * o.kc;
    const int64_t kc = Min(o.kc, p.K - pc);
    char* base = g.apack + g.rowsPadded * pc * static_cast<int64_t>(ts);
    packA(Min(p.M, q1 * MR) - q0 * MR, kc, a + (q0 * MR * p.rsa + pc * p.csa) * ss, p.rsa, p.csa,
          base + q0 * MR * kc * ts);
    g.aDone.fetch_add(1, std::memory_order_seq_cst);
    WakeWaiters(&g.aDone, &g.aSleepers);
  }
  for (int done = g.aDone.load(std::memory_order_acquire); done < g.aTasks;
       done = g.aDone.load(std::memory_order_acquire)) {
    WaitWhileEqual(&g.aDone, done, &g.aSleepers);
  }
  // 2. Column chunks: B packed privately, every K step, every MC block of A.
  char* bbuf = g.bpriv[tid];
  for (int t = g.cNext.fetch_add(1, std::memory_order_relaxed); t < g.cTasks;
       t = g.cNext.fetch_add(1, std::memory_order_relaxed)) {
    // Claims alternate between the two ends of C, so chunks that run at the
    // same time are far apart (neighbouring chunks share C cache lines when C
    // is not 64-byte aligned).
    const int64_t pos = (t & 1) == 0 ? t / 2 : g.cTasks - 1 - t / 2;
    const int64_t p0 = pos * g.chunk, p1 = Min(g.np, p0 + g.chunk);
    const int64_t j0 = p0 * NR;
    const int64_t ncols = Min(p.N, p1 * NR) - j0;
    for (int64_t pc = 0; pc < p.K; pc += o.kc) {
      const int64_t kc = Min(o.kc, p.K - pc);
      packB(kc, ncols, b + (pc * p.rsb + j0 * p.csb) * ss, p.rsb, p.csb, bbuf);
      const char* abase = g.apack + g.rowsPadded * pc * static_cast<int64_t>(ts);
      for (int64_t ic = 0; ic < p.M; ic += g.mce) {
        Macro(o, ts, Min(g.mce, p.M - ic), ncols, kc, abase + ic * kc * ts, bbuf,
              c + (ic * p.rsc + j0 * p.csc) * ts, p.rsc, p.csc, pc > 0, 0, p1 - p0);
      }
    }
  }
}

// Returns false (nothing done) when the dynamic scheme does not fit.
bool DynamicProduct(const Call& call, const Problem& p, int nt, char* ctmp) {
  const FloatOps& o = OpsFor(*call.table, call.dtype);
  const size_t ts = call.dtype == kFloat64 ? 8 : 4;
  const int64_t np = (p.N + o.nr - 1) / o.nr;
  if (np < 2 * nt) return false;
  const int64_t rowsPadded = RoundUp(p.M, o.mr);
  const size_t aBytes = Align64(static_cast<size_t>(rowsPadded * p.K) * ts);
  if (aBytes > (size_t{64} << 20)) return false;
  DynJob g;
  g.ops = &o;
  g.kind = KindFor(call.dtype);
  g.ss = call.item;
  g.ts = ts;
  g.p = p;
  if (ctmp != nullptr) {
    g.p.c = ctmp;
    g.p.rsc = p.N;
    g.p.csc = 1;
  }
  g.rowsPadded = rowsPadded;
  const int64_t mp = rowsPadded / o.mr;
  g.aChunk = Min(mp, 8);
  g.aTasksPerStep = static_cast<int>((mp + g.aChunk - 1) / g.aChunk);
  const int64_t steps = (p.K + o.kc - 1) / o.kc;
  if (steps * g.aTasksPerStep > (int64_t{1} << 30)) return false;
  g.aTasks = static_cast<int>(steps * g.aTasksPerStep);
  g.np = np;
  // About 4 chunks per thread; 2 when A is big (each chunk streams all of A).
  const int64_t perThread = aBytes > (size_t{1} << 20) ? 2 : 4;
  g.chunk = (np + perThread * nt - 1) / (perThread * nt);
  g.cTasks = static_cast<int>((np + g.chunk - 1) / g.chunk);
  g.mce = Min(o.mc, rowsPadded);
  const size_t bBytes = Align64(static_cast<size_t>(g.chunk * o.nr * Min(o.kc, p.K)) * ts);
  char* buf = tScratch.Get(aBytes + bBytes * static_cast<size_t>(nt));
  g.apack = buf;
  for (int t = 0; t < nt; ++t) g.bpriv[t] = buf + aBytes + bBytes * static_cast<size_t>(t);
  RunParallel(nt, DynBody, &g);
  return true;
}

// One big float product split over nt threads.
void ThreadedProduct(const Call& call, const Problem& p, int nt) {
  const FloatOps& o = OpsFor(*call.table, call.dtype);
  const size_t ts = call.dtype == kFloat64 ? 8 : 4;
  // Dynamic scheduling when N has enough panels and all of A can be packed;
  // otherwise the barrier-synchronised split below.
  if (IsHalfLike(call.dtype)) {
    std::vector<float> tmp(static_cast<size_t>(p.M * p.N));
    if (DynamicProduct(call, p, nt, reinterpret_cast<char*>(tmp.data()))) {
      StoreHalfLike(call.dtype, tmp.data(), p);
      return;
    }
  } else if (DynamicProduct(call, p, nt, nullptr)) {
    return;
  }
  GemmJob g;
  g.ops = &o;
  g.kind = KindFor(call.dtype);
  g.ss = call.item;
  g.ts = ts;
  g.p = p;
  const int64_t panelsN = (Min(o.nc, p.N) + o.nr - 1) / o.nr;
  g.splitM = panelsN < 2 * nt && p.M >= 2 * nt * o.mr;
  g.directA = false;
  if (g.splitM) {
    int64_t blocks = (p.M + o.mc - 1) / o.mc;
    blocks = RoundUp(blocks, nt);
    g.mce = RoundUp((p.M + blocks - 1) / blocks, o.mr);
  } else {
    g.mce = Min(o.mc, RoundUp(p.M, o.mr));
  }
  g.superRows = g.splitM ? g.mce : Min(RoundUp(p.M, o.mr), 8 * g.mce);
  const GemmSizes s = SizesFor(o, ts, p, g.splitM ? g.mce : g.superRows);
  const size_t tmp = IsHalfLike(call.dtype) ? Align64(static_cast<size_t>(p.M * p.N) * 4) : 0;
  // jr split: two shared A buffers, one B; MC split: two shared B buffers, one A per thread.
  const size_t aBytes = g.splitM ? s.a * static_cast<size_t>(nt) : 2 * s.a;
  const size_t bBytes = g.splitM ? 2 * s.b : s.b;
  char* buf = tScratch.Get(aBytes + bBytes + tmp);
  if (g.splitM) {
    for (int t = 0; t < nt; ++t) g.privA[t] = buf + s.a * static_cast<size_t>(t);
    g.sharedA[0] = g.sharedA[1] = nullptr;
    g.sharedB[0] = buf + aBytes;
    g.sharedB[1] = buf + aBytes + s.b;
  } else {
    g.sharedA[0] = buf;
    g.sharedA[1] = buf + s.a;
    g.sharedB[0] = g.sharedB[1] = buf + aBytes;
  }
  if (tmp != 0) {
    g.p.c = buf + aBytes + bBytes;
    g.p.rsc = p.N;
    g.p.csc = 1;
  }
  Barrier bar(nt);
  g.barrier = &bar;
  // When the pool is busy (another thread), Run calls GemmBody(tid 0, nt 1),
  // which does the whole product and never waits on the barrier.
  RunParallel(nt, GemmBody, &g);
  if (tmp != 0) StoreHalfLike(call.dtype, reinterpret_cast<const float*>(g.p.c), p);
}

void Execute(const Call& call) {
  if (call.nbatch == 0 || call.M == 0 || call.N == 0) return;
  const int threads = Threads();
  const __int128 one = static_cast<__int128>(call.M) * call.N * (call.K > 0 ? call.K : 1);
  const __int128 total = one * call.nbatch;
  int nt = threads;
  if (total < kThreadMin) nt = 1;

  if (nt > 1 && !UseDirect(call) && one >= kSplitOne) {
    for (int64_t i = 0; i < call.nbatch; ++i) ThreadedProduct(call, ProblemAt(call, i), nt);
    return;
  }
  if (nt > 1 && call.nbatch == 1 && UseDirect(call)) {
    // One big integer/bool product: rows over threads.
    if (call.M < nt) nt = static_cast<int>(call.M);
    RowJob j;
    j.call = &call;
    j.p = ProblemAt(call, 0);
    j.scratch = DirectScratch(call);
    j.slabs = tScratch.Get(j.scratch * static_cast<size_t>(nt) + 64);
    RunParallel(nt, RowBody, &j);
    return;
  }
  if (nt > call.nbatch) nt = static_cast<int>(call.nbatch);
  BatchJob j;
  j.call = &call;
  j.layout = SerialLayout(call);
  j.layout.total = Align64(j.layout.total);
  j.slabs = tScratch.Get(j.layout.total * static_cast<size_t>(nt) + 64);
  RunParallel(nt, BatchBody, &j);
}

// ---- argument checks -------------------------------------------------------------

[[noreturn]] void Fail(Napi::Env env, const std::string& what) {
  throw MakeRangeError(env, "math.matmul: " + what);
}

void CopyOperand(Call& call, int k, int64_t rows, int64_t cols, std::vector<char>* store) {
  Operand& o = call.op[k];
  const size_t it = call.item;
  store->resize(static_cast<size_t>(call.nbatch * rows * cols) * it + 1);
  char* dst = store->data();
  for (int64_t bi = 0; bi < call.nbatch; ++bi) {
    int64_t off = 0, index = bi;
    for (int d = call.nb - 1; d >= 0 && index > 0; --d) {
      off += (index % call.batchShape[d]) * o.batchStrides[d];
      index /= call.batchShape[d];
    }
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t c = 0; c < cols; ++c) {
        std::memcpy(dst, o.data + (off + r * o.rs + c * o.cs) * static_cast<int64_t>(it), it);
        dst += it;
      }
    }
  }
  o.data = store->data();
  for (int d = 0; d < call.nb; ++d) o.batchStrides[d] = 0;
  int64_t stride = rows * cols;
  for (int d = call.nb - 1; d >= 0; --d) {
    o.batchStrides[d] = stride;
    stride *= call.batchShape[d];
  }
  o.rs = cols;
  o.cs = 1;
}

Napi::Value JsMatmul(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsNumber()) throw MakeTypeError(env, "math.matmul: expected (dtype, operands, desc)");
  const double dd = info[0].As<Napi::Number>().DoubleValue();
  if (!(dd >= 0 && dd < kDTypeCount && dd == static_cast<double>(static_cast<int>(dd)))) Fail(env, "bad dtype code");
  Call call;
  call.dtype = static_cast<int>(dd);
  call.item = kItemSize[call.dtype];
  if (!info[1].IsArray()) throw MakeTypeError(env, "math.matmul: operands must be an array");
  Napi::Array ops = info[1].As<Napi::Array>();
  if (ops.Length() != 3) Fail(env, "operands must be [a, b, out]");
  if (!info[2].IsTypedArray() || info[2].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw MakeTypeError(env, "math.matmul: desc must be a Float64Array");
  }
  Napi::Float64Array desc = info[2].As<Napi::Float64Array>();
  const double* dv = desc.Data();
  const size_t dlen = desc.ElementLength();
  if (dlen < 1) Fail(env, "desc is empty");
  const int64_t nb = DescInteger(env, "matmul", dv[0], "nbatch");
  if (nb < 0 || nb > kMaxDims - 2) Fail(env, "nbatch out of range");
  call.nb = static_cast<int>(nb);
  if (dlen != static_cast<size_t>(1 + nb + 3 + 3 * (nb + 3))) Fail(env, "desc has the wrong length");
  __int128 nbatch = 1;
  for (int d = 0; d < call.nb; ++d) {
    const int64_t s = DescInteger(env, "matmul", dv[1 + d], "batch shape");
    if (s < 0) Fail(env, "negative batch shape");
    call.batchShape[d] = s;
    nbatch *= s;
    if (nbatch > static_cast<__int128>(kMaxExact)) Fail(env, "size too large");
  }
  call.nbatch = static_cast<int64_t>(nbatch);
  call.M = DescInteger(env, "matmul", dv[1 + nb], "M");
  call.N = DescInteger(env, "matmul", dv[2 + nb], "N");
  call.K = DescInteger(env, "matmul", dv[3 + nb], "K");
  if (call.M < 0 || call.N < 0 || call.K < 0) Fail(env, "negative M, N or K");
  const int64_t rows[3] = {call.M, call.K, call.M};
  const int64_t cols[3] = {call.K, call.N, call.N};
  __int128 lo[3], hi[3];
  int64_t size[3];
  for (int k = 0; k < 3; ++k) {
    const __int128 sz = nbatch * rows[k] * cols[k];
    if (sz > static_cast<__int128>(kMaxExact)) Fail(env, "size too large");
    size[k] = static_cast<int64_t>(sz);
  }
  for (int k = 0; k < 3; ++k) {
    Napi::Value v = ops.Get(static_cast<uint32_t>(k));
    if (!v.IsTypedArray()) throw MakeTypeError(env, "math.matmul: operand is not a typed array");
    napi_typedarray_type type;
    size_t length;
    void* data;
    if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok) {
      throw Napi::Error::New(env);
    }
    if (type != StorageType(call.dtype)) {
      throw MakeTypeError(env, "math.matmul: operand " + std::to_string(k) + " is not the typed array of " +
                                   kDTypeNames[call.dtype]);
    }
    if (data == nullptr) length = 0;
    const double* od = dv + 4 + nb + k * (nb + 3);
    const int64_t offset = DescInteger(env, "matmul", od[0], "offset");
    Operand& o = call.op[k];
    lo[k] = hi[k] = offset;
    auto extend = [&](int64_t stride, int64_t n) {
      if (n > 0) {
        const __int128 span = static_cast<__int128>(stride) * (n - 1);
        if (span < 0) lo[k] += span; else hi[k] += span;
      }
    };
    for (int d = 0; d < call.nb; ++d) {
      o.batchStrides[d] = DescInteger(env, "matmul", od[1 + d], "stride");
      extend(o.batchStrides[d], call.batchShape[d]);
    }
    o.rs = DescInteger(env, "matmul", od[1 + nb], "stride");
    o.cs = DescInteger(env, "matmul", od[2 + nb], "stride");
    extend(o.rs, rows[k]);
    extend(o.cs, cols[k]);
    if (size[k] > 0 && (lo[k] < 0 || hi[k] >= static_cast<__int128>(length))) {
      Fail(env, "operand " + std::to_string(k) + " addresses elements outside its typed array");
    }
    o.data = static_cast<char*>(data) + (size[k] > 0 ? offset * static_cast<int64_t>(call.item) : 0);
    // Byte extents, for the overlap check below.
    const __int128 base = reinterpret_cast<uintptr_t>(data);
    lo[k] = base + lo[k] * static_cast<__int128>(call.item);
    hi[k] = base + (hi[k] + 1) * static_cast<__int128>(call.item);
  }
  if (size[2] == 0) return env.Undefined();
  call.table = matmul::CurrentTable();

  // out must not share memory with a or b (the TS callers guarantee it); if the
  // extents meet anyway, the input is copied first, so the result stays right.
  std::vector<char> copies[2];
  try {
    for (int k = 0; k < 2; ++k) {
      if (size[k] > 0 && lo[k] < hi[2] && lo[2] < hi[k]) CopyOperand(call, k, rows[k], cols[k], &copies[k]);
    }
    Execute(call);
  } catch (const std::bad_alloc&) {
    throw MakeError(env, code::kNative, "math.matmul: out of memory for its buffers");
  } catch (const std::length_error&) {
    throw MakeError(env, code::kNative, "math.matmul: out of memory for its buffers");
  }
  return env.Undefined();
}

Napi::Value JsGetThreads(const Napi::CallbackInfo& info) { return Napi::Number::New(info.Env(), Threads()); }

void JsSetThreads(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsNumber()) throw MakeTypeError(env, "math.setThreads: expected a number");
  const double v = info[0].As<Napi::Number>().DoubleValue();
  if (!(v >= 1 && v <= kMaxThreads && v == static_cast<double>(static_cast<int>(v)))) {
    throw MakeRangeError(env, "math.setThreads: threads must be an integer in [1, " + std::to_string(kMaxThreads) + "]");
  }
  gThreads.store(static_cast<int>(v), std::memory_order_relaxed);
}

}  // namespace

void InitMatmul(Napi::Env env, Napi::Object math) {
  math.Set("matmul", Napi::Function::New(env, JsMatmul, "matmul"));
  math.Set("getThreads", Napi::Function::New(env, JsGetThreads, "getThreads"));
  math.Set("setThreads", Napi::Function::New(env, JsSetThreads, "setThreads"));
}

}  // namespace kernels
}  // namespace ndshare
