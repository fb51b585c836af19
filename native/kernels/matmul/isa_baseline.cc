// matmul kernels for the baseline instruction set (x86-64: SSE2; elsewhere
// whatever 16-byte GCC vectors map to, e.g. NEON). Portable: no intrinsics.
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernels/dtype.h"
#include "kernels/matmul/gemm.h"

namespace ndshare {
namespace kernels {
namespace matmul {
namespace {

typedef float V32 __attribute__((vector_size(16)));
typedef double V64 __attribute__((vector_size(16)));
inline V32 Fma(V32 a, V32 b, V32 c) { return a * b + c; }
inline V64 Fma(V64 a, V64 b, V64 c) { return a * b + c; }
inline V32 Bcast(float x) { return V32{x, x, x, x}; }
inline V64 Bcast(double x) { return V64{x, x}; }

// 16 xmm registers: 4 x 8 floats = 8 accumulators, 4 x 4 doubles = 8.
constexpr int kMR32 = 4, kNV32 = 2, kMC32 = 128, kKC32 = 256, kNC32 = 2048;
constexpr int kMR64 = 4, kNV64 = 2, kMC64 = 128, kKC64 = 256, kNC64 = 1024;
constexpr const char* kTableName = "baseline";

#include "kernels/matmul/kernels.inc"

}  // namespace

const Table* GetBaselineTable() { return &kTable; }

}  // namespace matmul
}  // namespace kernels
}  // namespace ndshare
