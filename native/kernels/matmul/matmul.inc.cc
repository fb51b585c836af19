// The matmul kernel body, compiled once per ISA by the two-line shells
// matmul_{baseline,avx2,avx512}.cc (see kernels/dispatch.h). The register
// width, FMA and the tile sizes follow the compiler's feature macros; the
// loops are kernels.inc. Everything but GetTable() has internal linkage.
#include "kernels/isa_unit.h"

#include "kernels/matmul/gemm.h"

namespace ndshare {
namespace kernels {
namespace matmul {
namespace NDSHARE_ISA {
namespace {

typedef float V32 __attribute__((vector_size(NDSHARE_ISA_VECTOR_BYTES)));
typedef double V64 __attribute__((vector_size(NDSHARE_ISA_VECTOR_BYTES)));

#if defined(__AVX512F__)
inline V32 Fma(V32 a, V32 b, V32 c) { return (V32)_mm512_fmadd_ps((__m512)a, (__m512)b, (__m512)c); }
inline V64 Fma(V64 a, V64 b, V64 c) { return (V64)_mm512_fmadd_pd((__m512d)a, (__m512d)b, (__m512d)c); }
inline V32 Bcast(float x) { return (V32)_mm512_set1_ps(x); }
inline V64 Bcast(double x) { return (V64)_mm512_set1_pd(x); }
// 32 zmm registers: 14 x 32 floats (28 accumulators + 2 B + broadcast), 14 x 16 doubles.
constexpr int kMR32 = 14, kNV32 = 2, kMC32 = 168, kKC32 = 384, kNC32 = 2048;
constexpr int kMR64 = 14, kNV64 = 2, kMC64 = 112, kKC64 = 256, kNC64 = 1024;
#elif defined(__AVX2__) && defined(__FMA__)
inline V32 Fma(V32 a, V32 b, V32 c) { return (V32)_mm256_fmadd_ps((__m256)a, (__m256)b, (__m256)c); }
inline V64 Fma(V64 a, V64 b, V64 c) { return (V64)_mm256_fmadd_pd((__m256d)a, (__m256d)b, (__m256d)c); }
inline V32 Bcast(float x) { return (V32)_mm256_set1_ps(x); }
inline V64 Bcast(double x) { return (V64)_mm256_set1_pd(x); }
// 16 ymm registers: 6 x 16 floats (12 accumulators + 2 B + 1 broadcast), 6 x 8 doubles.
constexpr int kMR32 = 6, kNV32 = 2, kMC32 = 144, kKC32 = 256, kNC32 = 2048;
constexpr int kMR64 = 6, kNV64 = 2, kMC64 = 96, kKC64 = 256, kNC64 = 1024;
#else
// Portable (x86-64: SSE2; elsewhere whatever 16-byte GCC vectors map to, e.g. NEON).
inline V32 Fma(V32 a, V32 b, V32 c) { return a * b + c; }
inline V64 Fma(V64 a, V64 b, V64 c) { return a * b + c; }
inline V32 Bcast(float x) { return V32{x, x, x, x}; }
inline V64 Bcast(double x) { return V64{x, x}; }
// 16 xmm registers: 4 x 8 floats = 8 accumulators, 4 x 4 doubles = 8.
constexpr int kMR32 = 4, kNV32 = 2, kMC32 = 128, kKC32 = 256, kNC32 = 2048;
constexpr int kMR64 = 4, kNV64 = 2, kMC64 = 128, kKC64 = 256, kNC64 = 1024;
#endif
#if defined(__F16C__)
#define NDSHARE_MM_F16C 1
#endif
constexpr const char* kTableName = NDSHARE_ISA_NAME;

#include "kernels/matmul/kernels.inc"

}  // namespace

const Table* GetTable() { return &kTable; }

}  // namespace NDSHARE_ISA
}  // namespace matmul
}  // namespace kernels
}  // namespace ndshare

#undef NDSHARE_MM_F16C
