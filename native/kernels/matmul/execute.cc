// matmul's driver: runs a checked Call (call.h). float32/float64 (and
// float16/bfloat16, packed to float32 and rounded back) run a BLIS-style GEMM:
// the loops over NC/KC/MC blocks live here, the packing routines and the
// register-tiled micro-kernel come from the table of the current ISA (gemm.h,
// kernels.inc). Integers (wraparound) and bool run a direct i-k-j loop. Big
// products are split over the compute pool (kernels/parallel.h): panel chunks
// of one product claimed dynamically (or, when N is narrow, a
// barrier-synchronised split), or whole batches side by side.
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>
#include <vector>

#include "kernels/dtype.h"
#include "kernels/matmul/blocked.h"
#include "kernels/matmul/call.h"
#include "kernels/matmul/gemm.h"
#include "kernels/parallel.h"

namespace ndshare {
namespace kernels {
namespace {

using matmul::Align64;
using matmul::Call;
using matmul::DirectFn;
using matmul::FloatOps;
using matmul::GemmBody;
using matmul::GemmJob;
using matmul::GemmSizes;
using matmul::KernelFn;
using matmul::Macro;
using matmul::Min;
using matmul::Operand;
using matmul::PackFn;
using matmul::Problem;
using matmul::RoundUp;
using matmul::SizesFor;
using matmul::Table;
using parallel::Barrier;
using parallel::kMaxThreads;
using parallel::Threads;
using parallel::WaitWhileEqual;
using parallel::WakeWaiters;

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
  int64_t np, chunk;  // NR panels of N, panels per compute task
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
        Macro(o, ts, Min(g.mce, p.M - ic), ncols, kc, abase + ic * kc * ts, bbuf, c + (ic * p.rsc + j0 * p.csc) * ts,
              p.rsc, p.csc, pc > 0, 0, p1 - p0);
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
  parallel::Run(nt, DynBody, &g);
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
  parallel::Run(nt, GemmBody, &g);
  if (tmp != 0) StoreHalfLike(call.dtype, reinterpret_cast<const float*>(g.p.c), p);
}

void ExecuteCall(const Call& call) {
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
    parallel::Run(nt, RowBody, &j);
    return;
  }
  if (nt > call.nbatch) nt = static_cast<int>(call.nbatch);
  BatchJob j;
  j.call = &call;
  j.layout = SerialLayout(call);
  j.layout.total = Align64(j.layout.total);
  j.slabs = tScratch.Get(j.layout.total * static_cast<size_t>(nt) + 64);
  parallel::Run(nt, BatchBody, &j);
}

}  // namespace

void matmul::Execute(const Call& call) { ExecuteCall(call); }

}  // namespace kernels
}  // namespace ndshare
