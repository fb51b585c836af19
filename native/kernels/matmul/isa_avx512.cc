// matmul kernels compiled for AVX-512 (built with -mavx512f/dq/bw/vl -mfma -mf16c).
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

typedef float V32 __attribute__((vector_size(64)));
typedef double V64 __attribute__((vector_size(64)));
inline V32 Fma(V32 a, V32 b, V32 c) { return (V32)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c); }
inline V64 Fma(V64 a, V64 b, V64 c) { return (V64)_mm512_fmadd_pd((__m512d)a, (__m512d)b, (__m512d)c); }
inline V32 Bcast(float x) { return (V32)_mm512_set1_ps(x); }
inline V64 Bcast(double x) { return (V64)_mm512_set1_pd(x); }

// 32 zmm registers: 14 x 32 floats (28 accumulators + 2 B + broadcast), 14 x 16 doubles.
constexpr int kMR32 = 14, kNV32 = 2, kMC32 = 168, kKC32 = 384, kNC32 = 2048;
constexpr int kMR64 = 14, kNV64 = 2, kMC64 = 112, kKC64 = 256, kNC64 = 1024;
#define NDSHARE_MM_F16C 1
constexpr const char* kTableName = "avx512";

#include "kernels/matmul/kernels.inc"

}  // namespace

const Table* GetAvx512Table() { return &kTable; }

}  // namespace matmul
}  // namespace kernels
}  // namespace ndshare
#endif  // __x86_64__
