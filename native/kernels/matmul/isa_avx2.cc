// matmul kernels compiled for AVX2 + FMA (built with -mavx2 -mfma -mf16c).
// Everything but the table getter has internal linkage (see contract).
#if defined(__x86_64__)
#include <immintrin.h>

#include <cstdint>
#include <cstring>
#include <type_traits>

#include "kernels/dtype.h"
#include "kernels/matmul/gemm.h"

namespace ndshare {
namespace kernels {
namespace matmul {
namespace {

typedef float V32 __attribute__((vector_size(32)));
typedef double V64 __attribute__((vector_size(32)));
inline V32 Fma(V32 a, V32 b, V32 c) { return (V32)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c); }
inline V64 Fma(V64 a, V64 b, V64 c) { return (V64)_mm256_fmadd_pd((__m256d)a, (__m256d)b, (__m256d)c); }
inline V32 Bcast(float x) { return (V32)_mm256_set1_ps(x); }
inline V64 Bcast(double x) { return (V64)_mm256_set1_pd(x); }

// 16 ymm registers: 6 x 16 floats (12 accumulators + 2 B + 1 broadcast), 6 x 8 doubles.
constexpr int kMR32 = 6, kNV32 = 2, kMC32 = 144, kKC32 = 256, kNC32 = 2048;
constexpr int kMR64 = 6, kNV64 = 2, kMC64 = 96, kKC64 = 256, kNC64 = 1024;
#define NDSHARE_MM_F16C 1
constexpr const char* kTableName = "avx2";

#include "kernels/matmul/kernels.inc"

}  // namespace

const Table* GetAvx2Table() { return &kTable; }

}  // namespace matmul
}  // namespace kernels
}  // namespace ndshare
#endif  // __x86_64__
