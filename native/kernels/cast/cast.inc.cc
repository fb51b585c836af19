// The cast kernel body, compiled once per ISA by the two-line shells
// cast_{baseline,avx2,avx512}.cc (see kernels/dispatch.h): the scalar loops
// everywhere, the AVX2 + F16C loops where the unit has those flags (the avx2
// and avx512 units). Everything but GetTable() has internal linkage.
#include "kernels/isa_unit.h"

#include "kernels/cast/cast.h"

namespace ndshare {
namespace kernels {
namespace cast {
namespace NDSHARE_ISA {
namespace {

using namespace castbits;

// ---- Scalar path ---------------------------------------------------------
// Plain loops over the inline conversions of cast.h. The vector path calls
// these for its tails, so both paths give identical bits by construction.

void ScalarHalfToFloat32(const uint16_t* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = BitsFloat(HalfToFloatBits(src[i]));
}
void ScalarFloat32ToHalf(const float* src, uint16_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = FloatBitsToHalf(FloatBits(src[i]));
}
void ScalarHalfToFloat64(const uint16_t* src, double* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = BitsDouble(HalfToDoubleBits(src[i]));
}
void ScalarFloat64ToHalf(const double* src, uint16_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = DoubleBitsToHalf(DoubleBits(src[i]));
}
void ScalarBfloat16ToFloat32(const uint16_t* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = BitsFloat(Bfloat16ToFloatBits(src[i]));
}
void ScalarFloat32ToBfloat16(const float* src, uint16_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = FloatBitsToBfloat16(FloatBits(src[i]));
}
void ScalarBfloat16ToFloat64(const uint16_t* src, double* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = FloatToDouble(BitsFloat(Bfloat16ToFloatBits(src[i])));
}
// Through float32 (RNE), then RNE to bfloat16: two roundings, see cast.h.
void ScalarFloat64ToBfloat16(const double* src, uint16_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = FloatBitsToBfloat16(FloatBits(DoubleToFloat(src[i])));
}

// The compiler vectorizes these two with the baseline ISA (SSE2 cvtpd2ps/cvtps2pd).
void ScalarFloat64ToFloat32(const double* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]);
}
void ScalarFloat32ToFloat64(const float* src, double* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = static_cast<double>(src[i]);
}

// ---- AVX2 + F16C path ------------------------------------------------------
// Compiled in the avx2 and avx512 units (-mavx2 -mf16c ...), whose tables are
// only used after the CPU check of kernels/dispatch.cc.
// Loads and stores are unaligned: typed arrays are only element-aligned.
//
// kScalarTailNote: each function ends with _mm256_zeroupper() before its scalar
// tail. GCC 12 does not insert vzeroupper before a tail call (the `jmp` to the
// scalar loop), so the dirty upper YMM state leaked into the SSE tail and into
// V8: measured +140 ns on every call of an 8-element float64 <-> float16 cast.
#if defined(__AVX2__) && defined(__F16C__)

void Avx2HalfToFloat32(const uint16_t* src, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m128i h0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    __m128i h1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i + 8));
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(h0));
    _mm256_storeu_ps(dst + i + 8, _mm256_cvtph_ps(h1));
  }
  for (; i + 8 <= n; i += 8) {
    __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(h));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarHalfToFloat32(src + i, dst + i, n - i);
}

void Avx2Float32ToHalf(const float* src, uint16_t* dst, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m128i h0 = _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT);
    __m128i h1 = _mm256_cvtps_ph(_mm256_loadu_ps(src + i + 8), _MM_FROUND_TO_NEAREST_INT);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), h0);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i + 8), h1);
  }
  for (; i + 8 <= n; i += 8) {
    __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), h);
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarFloat32ToHalf(src + i, dst + i, n - i);
}

void Avx2HalfToFloat64(const uint16_t* src, double* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 f = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i)));
    _mm256_storeu_pd(dst + i, _mm256_cvtps_pd(_mm256_castps256_ps128(f)));
    _mm256_storeu_pd(dst + i + 4, _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarHalfToFloat64(src + i, dst + i, n - i);
}

// The low 32 bits of each 64-bit lane of a compare mask, packed into 4 lanes.
inline __m128i NarrowMask(__m256d mask) {
  const __m256i pick = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  return _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(_mm256_castpd_si256(mask), pick));
}

// float64 -> float32 rounded to odd: when inexact, the float32 neighbour of x
// toward zero with its lowest bit forced to 1. Rounding that to float16 with
// RNE is the same as rounding x to float16 directly, because float32 keeps
// 13 more bits than float16 (>= 2 needed) over the whole float16 range:
// a value that was not a tie stays off the tie, an exact tie stays exact.
inline __m128 RoundToOddPs(__m256d x) {
  const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffll));
  __m128 r = _mm256_cvtpd_ps(x);  // RNE (MXCSR default; Node never changes it)
  __m256d back = _mm256_cvtps_pd(r);
  __m256d inexact = _mm256_cmp_pd(back, x, _CMP_NEQ_OQ);  // false for NaN
  __m256d above = _mm256_cmp_pd(_mm256_and_pd(back, abs_mask), _mm256_and_pd(x, abs_mask), _CMP_GT_OQ);
  __m128i bits = _mm_castps_si128(r);
  bits = _mm_add_epi32(bits, NarrowMask(above));                       // -1 ulp in magnitude
  bits = _mm_or_si128(bits, _mm_srli_epi32(NarrowMask(inexact), 31));  // sticky lowest bit
  return _mm_castsi128_ps(bits);
}

void Avx2Float64ToHalf(const double* src, uint16_t* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m128 lo = RoundToOddPs(_mm256_loadu_pd(src + i));
    __m128 hi = RoundToOddPs(_mm256_loadu_pd(src + i + 4));
    __m256 f = _mm256_insertf128_ps(_mm256_castps128_ps256(lo), hi, 1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), _mm256_cvtps_ph(f, _MM_FROUND_TO_NEAREST_INT));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarFloat64ToHalf(src + i, dst + i, n - i);
}

void Avx2Bfloat16ToFloat32(const uint16_t* src, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), _mm256_slli_epi32(w, 16));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarBfloat16ToFloat32(src + i, dst + i, n - i);
}

// 8 float32 -> 8 bfloat16 words in the low half of 32-bit lanes.
inline __m256i Bfloat16Round(__m256 x) {
  __m256i b = _mm256_castps_si256(x);
  __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(b, 16), _mm256_set1_epi32(1));
  __m256i r = _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(b, _mm256_set1_epi32(0x7fff)), lsb), 16);
  __m256i nan =
      _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi32(b, 16), _mm256_set1_epi32(0x8000)), _mm256_set1_epi32(0x7fc0));
  __m256i is_nan = _mm256_castps_si256(_mm256_cmp_ps(x, x, _CMP_UNORD_Q));
  return _mm256_blendv_epi8(r, nan, is_nan);
}

// Two vectors of bfloat16 words in 32-bit lanes -> 16 words in order.
inline __m256i Pack16(__m256i a, __m256i b) {
  // packus works per 128-bit lane: [a0..3 b0..3 | a4..7 b4..7]; put the quads back in order.
  return _mm256_permute4x64_epi64(_mm256_packus_epi32(a, b), 0xd8);
}

void Avx2Float32ToBfloat16(const float* src, uint16_t* dst, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256i a = Bfloat16Round(_mm256_loadu_ps(src + i));
    __m256i b = Bfloat16Round(_mm256_loadu_ps(src + i + 8));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), Pack16(a, b));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarFloat32ToBfloat16(src + i, dst + i, n - i);
}

void Avx2Bfloat16ToFloat64(const uint16_t* src, double* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i)));
    __m256 f = _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
    _mm256_storeu_pd(dst + i, _mm256_cvtps_pd(_mm256_castps256_ps128(f)));
    _mm256_storeu_pd(dst + i + 4, _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarBfloat16ToFloat64(src + i, dst + i, n - i);
}

void Avx2Float64ToBfloat16(const double* src, uint16_t* dst, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 f0 = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(_mm256_loadu_pd(src + i))),
                                     _mm256_cvtpd_ps(_mm256_loadu_pd(src + i + 4)), 1);
    __m256 f1 = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(_mm256_loadu_pd(src + i + 8))),
                                     _mm256_cvtpd_ps(_mm256_loadu_pd(src + i + 12)), 1);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), Pack16(Bfloat16Round(f0), Bfloat16Round(f1)));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarFloat64ToBfloat16(src + i, dst + i, n - i);
}

void Avx2Float64ToFloat32(const double* src, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m128 a = _mm256_cvtpd_ps(_mm256_loadu_pd(src + i));
    __m128 b = _mm256_cvtpd_ps(_mm256_loadu_pd(src + i + 4));
    _mm256_storeu_ps(dst + i, _mm256_set_m128(b, a));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarFloat64ToFloat32(src + i, dst + i, n - i);
}

void Avx2Float32ToFloat64(const float* src, double* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_pd(dst + i, _mm256_cvtps_pd(_mm_loadu_ps(src + i)));
    _mm256_storeu_pd(dst + i + 4, _mm256_cvtps_pd(_mm_loadu_ps(src + i + 4)));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarFloat32ToFloat64(src + i, dst + i, n - i);
}

CastKernels MakeTable() {
  return {
      NDSHARE_ISA_NAME,      Avx2HalfToFloat32,     Avx2Float32ToHalf,     Avx2HalfToFloat64,
      Avx2Float64ToHalf,     Avx2Bfloat16ToFloat32, Avx2Float32ToBfloat16, Avx2Bfloat16ToFloat64,
      Avx2Float64ToBfloat16, Avx2Float64ToFloat32,  Avx2Float32ToFloat64,
  };
}

#else
CastKernels MakeTable() {
  return {
      NDSHARE_ISA_NAME,        ScalarHalfToFloat32,     ScalarFloat32ToHalf,     ScalarHalfToFloat64,
      ScalarFloat64ToHalf,     ScalarBfloat16ToFloat32, ScalarFloat32ToBfloat16, ScalarBfloat16ToFloat64,
      ScalarFloat64ToBfloat16, ScalarFloat64ToFloat32,  ScalarFloat32ToFloat64,
  };
}

#endif  // __AVX2__ && __F16C__

}  // namespace

NDSHARE_KERNEL_TABLE_GETTER(Table, MakeTable())

}  // namespace NDSHARE_ISA
}  // namespace cast
}  // namespace kernels
}  // namespace ndshare
