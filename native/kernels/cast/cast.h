// Conversion kernels between the 16-bit floats (IEEE float16, bfloat16) and
// float32/float64, over contiguous arrays: one call per array.
//
// Results (all paths, bit for bit):
// - float -> float16 rounds to nearest, ties to even, exactly as IEEE 754 and
//   NumPy's npy_floatbits_to_halfbits / npy_doublebits_to_halfbits: subnormal
//   halves are exact, |x| >= 65520 gives ±Inf, float64 rounds once, directly
//   (no double rounding through float32).
// - float32 -> bfloat16 rounds to nearest even on the float32 bits; float64 ->
//   bfloat16 first rounds to float32 (like PyTorch; a value a hair above a
//   bfloat16 tie can round the wrong way), then the same.
// - Widening (float16/bfloat16 -> float32/float64) is exact.
// - NaN stays NaN with its sign. A NaN comes out quiet and keeps the top bits
//   of its payload, which is what x86 F16C/SSE do in hardware; the scalar path
//   does the same so that both paths agree. NumPy differs only for signaling
//   NaNs (it does not quiet them). Exception: float -> bfloat16 gives the
//   canonical quiet NaN 0x7fc0 | sign (as ml_dtypes); bfloat16 -> float32 is a
//   plain shift, so a signaling NaN stays signaling.
//
// Paths: a kernel family of kernels/dispatch.h (cast/cast.inc.cc): the avx2
// and avx512 tables convert with AVX2 + F16C, the baseline table is scalar
// (portable; also does the tails of the vector loops). kernels.setIsa lowers it.
#ifndef NDSHARE_KERNELS_CAST_H_
#define NDSHARE_KERNELS_CAST_H_

#include <napi.h>

#include <cstddef>
#include <cstdint>
#include <cstring>

#include "kernels/dispatch.h"

namespace ndshare {

// One code path (the table of one ISA): its ISA name and a function per conversion. `n` elements; `src` and
// `dst` must not overlap (the JS entry points check).
struct CastKernels {
  const char* name;
  void (*halfToFloat32)(const uint16_t* src, float* dst, size_t n);
  void (*float32ToHalf)(const float* src, uint16_t* dst, size_t n);
  void (*halfToFloat64)(const uint16_t* src, double* dst, size_t n);
  void (*float64ToHalf)(const double* src, uint16_t* dst, size_t n);
  void (*bfloat16ToFloat32)(const uint16_t* src, float* dst, size_t n);
  void (*float32ToBfloat16)(const float* src, uint16_t* dst, size_t n);
  void (*bfloat16ToFloat64)(const uint16_t* src, double* dst, size_t n);
  void (*float64ToBfloat16)(const double* src, uint16_t* dst, size_t n);
  // IEEE narrowing (round to nearest even, as the FPU's default mode) and exact widening.
  void (*float64ToFloat32)(const double* src, float* dst, size_t n);
  void (*float32ToFloat64)(const float* src, double* dst, size_t n);
};

namespace kernels {
namespace cast {
using Table = ::ndshare::CastKernels;
NDSHARE_KERNEL_FAMILY(Table)
}  // namespace cast
}  // namespace kernels

// Adds the `cast` object to the exports (see cast.cc for the JS API).
void InitCast(Napi::Env env, Napi::Object exports);

// ---- Scalar conversions (bit patterns in, bit patterns out) -------------

namespace castbits {

inline uint32_t FloatBits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, sizeof b);
  return b;
}
inline float BitsFloat(uint32_t b) {
  float f;
  std::memcpy(&f, &b, sizeof f);
  return f;
}
inline uint64_t DoubleBits(double d) {
  uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  return b;
}
inline double BitsDouble(uint64_t b) {
  double d;
  std::memcpy(&d, &b, sizeof d);
  return d;
}

// float16 -> float32 bits. Exact; NaN quieted (bit 22 set), payload << 13.
inline uint32_t HalfToFloatBits(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t em = h & 0x7fffu;
  if (em >= 0x7c00u) {  // Inf or NaN
    uint32_t sig = (em & 0x3ffu) << 13;
    return sign | 0x7f800000u | sig | (sig != 0 ? 0x00400000u : 0u);
  }
  if (em >= 0x0400u) return sign | ((em + 0x1c000u) << 13);  // normal: rebias 15 -> 127
  // Zero or subnormal: em * 2^-24 is exact in float32.
  return sign | FloatBits(static_cast<float>(em) * 0x1p-24f);
}

// float32 bits -> float16, round to nearest even.
inline uint16_t FloatBitsToHalf(uint32_t b) {
  uint16_t sign = static_cast<uint16_t>((b >> 16) & 0x8000u);
  uint32_t a = b & 0x7fffffffu;
  if (a >= 0x7f800000u) {  // Inf or NaN: quiet NaN, top 9 payload bits kept
    return sign | (a == 0x7f800000u ? 0x7c00u : (0x7e00u | ((a & 0x7fffffu) >> 13)));
  }
  if (a >= 0x477ff000u) return sign | 0x7c00u;  // >= 65520 rounds to Inf
  if (a >= 0x38800000u) {                       // >= 2^-14: normal half
    uint32_t r = a - 0x38000000u;               // rebias 127 -> 15
    r += 0x0fffu + ((r >> 13) & 1u);            // a carry may bump the exponent: still right
    return sign | static_cast<uint16_t>(r >> 13);
  }
  if (a <= 0x33000000u) return sign;  // <= 2^-25 (a tie with 0 goes to 0)
  // Subnormal half: the 24-bit significand shifted right by 14..24, RNE.
  uint32_t e = a >> 23;
  uint32_t m = (a & 0x7fffffu) | 0x800000u;
  uint32_t shift = 126u - e;
  uint32_t h = m >> shift;
  uint32_t rest = m & ((1u << shift) - 1u);
  uint32_t halfway = 1u << (shift - 1u);
  if (rest > halfway || (rest == halfway && (h & 1u))) ++h;  // may carry into 0x400: right
  return sign | static_cast<uint16_t>(h);
}

// float64 bits -> float16, rounded once, directly from the double (the same
// cases as npy_doublebits_to_halfbits).
inline uint16_t DoubleBitsToHalf(uint64_t b) {
  uint16_t sign = static_cast<uint16_t>((b >> 48) & 0x8000u);
  uint64_t a = b & 0x7fffffffffffffffull;
  if (a >= 0x7ff0000000000000ull) {  // Inf or NaN
    if (a == 0x7ff0000000000000ull) return sign | 0x7c00u;
    return sign | 0x7e00u | static_cast<uint16_t>((a & 0x000fffffffffffffull) >> 42);
  }
  if (a >= 0x40effe0000000000ull) return sign | 0x7c00u;  // >= 65520
  if (a >= 0x3f10000000000000ull) {                       // >= 2^-14: normal half
    uint64_t r = a - 0x3f00000000000000ull;               // rebias 1023 -> 15
    r += 0x1ffffffffffull + ((r >> 42) & 1u);
    return sign | static_cast<uint16_t>(r >> 42);
  }
  if (a <= 0x3e60000000000000ull) return sign;  // <= 2^-25
  uint64_t e = a >> 52;
  uint64_t m = (a & 0x000fffffffffffffull) | 0x0010000000000000ull;
  uint64_t shift = 1051u - e;  // 43..53
  uint64_t h = m >> shift;
  uint64_t rest = m & ((1ull << shift) - 1u);
  uint64_t halfway = 1ull << (shift - 1u);
  if (rest > halfway || (rest == halfway && (h & 1u))) ++h;
  return sign | static_cast<uint16_t>(h);
}

// float16 -> float64 bits. Exact; NaN quieted, payload << 42 (the result of
// going through float32, as the vector path does).
inline uint64_t HalfToDoubleBits(uint16_t h) {
  uint32_t f = HalfToFloatBits(h);
  uint64_t sign = static_cast<uint64_t>(f & 0x80000000u) << 32;
  uint32_t a = f & 0x7fffffffu;
  if (a >= 0x7f800000u) {
    return sign | 0x7ff0000000000000ull | (static_cast<uint64_t>(a & 0x7fffffu) << 29);
  }
  return sign | DoubleBits(static_cast<double>(BitsFloat(a)));
}

// float32 bits -> bfloat16, round to nearest even; NaN -> 0x7fc0 | sign.
inline uint16_t FloatBitsToBfloat16(uint32_t b) {
  if ((b & 0x7fffffffu) > 0x7f800000u) {
    return static_cast<uint16_t>(((b >> 16) & 0x8000u) | 0x7fc0u);
  }
  return static_cast<uint16_t>((b + 0x7fffu + ((b >> 16) & 1u)) >> 16);
}

// bfloat16 -> float32 bits: exact, a shift (NaNs pass unchanged).
inline uint32_t Bfloat16ToFloatBits(uint16_t h) { return static_cast<uint32_t>(h) << 16; }

// float64 -> float32 with the quieting NaN rule of cvtsd2ss, in integers, so
// the result never depends on the compiler or the FPU mode for NaNs.
inline float DoubleToFloat(double d) {
  uint64_t b = DoubleBits(d);
  if ((b & 0x7fffffffffffffffull) > 0x7ff0000000000000ull) {
    uint32_t sign = static_cast<uint32_t>(b >> 32) & 0x80000000u;
    return BitsFloat(sign | 0x7fc00000u | static_cast<uint32_t>((b & 0x000fffffffffffffull) >> 29));
  }
  return static_cast<float>(d);
}

// float32 -> float64 with the quieting NaN rule of cvtss2sd.
inline double FloatToDouble(float f) {
  uint32_t b = FloatBits(f);
  if ((b & 0x7fffffffu) > 0x7f800000u) {
    uint64_t sign = static_cast<uint64_t>(b & 0x80000000u) << 32;
    return BitsDouble(sign | 0x7ff8000000000000ull | (static_cast<uint64_t>(b & 0x7fffffu) << 29));
  }
  return static_cast<double>(f);
}

}  // namespace castbits
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_CAST_H_
