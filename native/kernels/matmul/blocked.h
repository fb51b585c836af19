// The blocked GEMM of matmul's float path (BLIS-style): one product's NC/KC/MC
// block loops over the packing routines and micro-kernel of the current ISA's
// table (gemm.h). execute.cc decides when and how it runs (serial, split over
// threads); this is the loop nest it runs. Internal to kernels/matmul.
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernels/matmul/gemm.h"
#include "kernels/parallel.h"

namespace ndshare {
namespace kernels {
namespace matmul {

constexpr size_t Align64(size_t n) { return (n + 63) & ~size_t{63}; }
inline int64_t RoundUp(int64_t v, int64_t m) { return (v + m - 1) / m * m; }
inline int64_t Min(int64_t a, int64_t b) { return a < b ? a : b; }

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
  char* privA[parallel::kMaxThreads];
  parallel::Barrier* barrier;
};

// C block [.., mc) x panels [p0, p1) of the packed B; bbuf: panel p0.
inline void Macro(const FloatOps& o, size_t ts, int64_t mc, int64_t nc, int64_t kc, const char* abuf, const char* bbuf,
                  char* c, int64_t rsc, int64_t csc, int acc, int64_t p0, int64_t p1) {
  const int MR = o.mr, NR = o.nr;
  const KernelFn kern = o.kernel;
  for (int64_t jp = p0; jp < p1; ++jp) {
    const int nr = static_cast<int>(Min(NR, nc - jp * NR));
    const char* bp = bbuf + (jp - p0) * NR * kc * ts;
    char* cj = c + jp * NR * csc * ts;
    for (int64_t ir = 0; ir < mc; ir += MR) {
      kern(kc, abuf + ir * kc * ts, bp, cj + ir * rsc * ts, rsc, csc, static_cast<int>(Min(MR, mc - ir)), nr, acc);
    }
  }
}

// The loop nest of one product for thread `tid` of `nt` (a parallel::Run body; ctx: a GemmJob).
void GemmBody(void* ctx, int tid, int nt);

// Bytes of packing buffers one product needs: A block, B block.
struct GemmSizes {
  size_t a, b;
};
inline GemmSizes SizesFor(const FloatOps& o, size_t ts, const Problem& p, int64_t mce) {
  const int64_t kc = Min(o.kc, p.K);
  const int64_t nc = Min(o.nc, RoundUp(p.N, o.nr));
  return {Align64(static_cast<size_t>(mce * kc) * ts), Align64(static_cast<size_t>(nc * kc) * ts)};
}

}  // namespace matmul
}  // namespace kernels
}  // namespace ndshare
