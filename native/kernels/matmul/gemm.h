// matmul: the per-ISA kernel table shared by matmul.cc and matmul.inc.cc.
//
// Plain types and function pointers only (the per-ISA units (matmul.inc.cc) include
// this; nothing here may leave an out-of-line copy for the linker to pick).
//
// Floats (float32, float64; float16/bfloat16 through float32) use a
// BLIS-style GEMM: matmul.cc runs the blocking loops (NC, KC, MC), the
// threads and the buffers; the table gives the packing routines and the
// register-tiled micro-kernel of the ISA:
//
//   packA(mc, kc, src, rs, cs, dst): MR-row panels, dst[p*MR*kc + k*MR + i] =
//       src[(p*MR + i)*rs + k*cs], rows past mc zero.
//   packB(kc, nc, src, rs, cs, dst): NR-column panels, dst[p*NR*kc + k*NR + j] =
//       src[k*rs + (p*NR + j)*cs], columns past nc zero.
//   kernel(kc, ap, bp, c, rsc, csc, mr, nr, accumulate): the mr x nr corner of
//       C (strides in elements) = (accumulate ? C : 0) + Apanel * Bpanel.
//
// Strides are in elements of the source type; packers convert the source
// (float16/bfloat16 words for the float32 packers of kind 1 and 2) to the
// compute type. Pack buffers must be 64-byte aligned.
//
// Every other case (integers with wraparound, bool, and small float
// matrices) is a `direct` function over one M x N x K problem with strided
// operands, given a scratch buffer of DirectScratchBytes(...) bytes.
#ifndef NDSHARE_KERNELS_MATMUL_GEMM_H_
#define NDSHARE_KERNELS_MATMUL_GEMM_H_

#include <cstddef>
#include <cstdint>

#include "kernels/dispatch.h"
#include "kernels/dtype.h"

namespace ndshare {
namespace kernels {
namespace matmul {

using PackFn = void (*)(int64_t rows, int64_t cols, const void* src, int64_t rs, int64_t cs, void* dst);
using KernelFn = void (*)(int64_t kc, const void* ap, const void* bp, void* c, int64_t rsc, int64_t csc, int mr, int nr,
                          int accumulate);
// The same with A unpacked: MR full rows at a (element strides rsa, csa).
using KernelAFn = void (*)(int64_t kc, const void* a, int64_t rsa, int64_t csa, const void* bp, void* c, int64_t rsc,
                           int64_t csc, int nr, int accumulate);

struct FloatOps {
  int mr, nr;       // micro-tile
  int mc, kc, nc;   // cache blocks (mc multiple of mr, nc multiple of nr)
  PackFn packA[3];  // by source: 0 the compute type, 1 float16, 2 bfloat16 (float32 only)
  PackFn packB[3];
  KernelFn kernel;
  KernelAFn kernelA;  // compute-type sources only
};

// One M x N x K product; strides in elements of the dtype.
struct Problem {
  int64_t M, N, K;
  const void* a;
  int64_t rsa, csa;
  const void* b;
  int64_t rsb, csb;
  void* c;
  int64_t rsc, csc;
};

// Scratch: the integer/bool paths copy a K x jb block of B (jb <= N columns)
// plus a jb accumulator row; jb is chosen by the kernel from `scratchBytes`.
using DirectFn = void (*)(const Problem& p, void* scratch, size_t scratchBytes);

struct Table {
  const char* name;
  FloatOps f32;
  FloatOps f64;
  DirectFn direct[kDTypeCount];  // every dtype (floats: the small-matrix path)
};

NDSHARE_KERNEL_FAMILY(Table)

}  // namespace matmul
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_MATMUL_GEMM_H_
