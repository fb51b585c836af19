// The blocked GEMM loop nest (see blocked.h): per NC block of B and KC block
// of K, A is packed in MC blocks and the micro-kernel runs over MR x NR tiles,
// split over threads by jr panels or by MC blocks (GemmJob).
#include "kernels/matmul/blocked.h"

namespace ndshare {
namespace kernels {
namespace matmul {

using parallel::Barrier;

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
          packB(kc, Min(nc, p1 * NR) - p0 * NR, b + (pc * p.rsb + (jc + p0 * NR) * p.csb) * ss, p.rsb, p.csb, bmine);
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
                o.kernelA(kc, a + ((ic + ir) * p.rsa + pc * p.csa) * ss, p.rsa, p.csa, bp, cj + ir * p.rsc * ts, p.rsc,
                          p.csc, nr, acc);
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

}  // namespace matmul
}  // namespace kernels
}  // namespace ndshare
