// Element types of the compute kernels: codes, sizes and C types.
//
// The codes are the FlatBuffers schema's (schema/ndarray.fbs, enum DType), so
// one number names a dtype everywhere. JS reads them from `math.dtypes`.
// float16 and bfloat16 are stored as 16-bit words (Half, Bf16 below) and
// computed in float32, as NumPy does for float16.
//
// Everything here is inline and header-only on purpose: the per-ISA
// translation units (compiled with -mavx2 / -mavx512f) include it, and what
// they include must not leave out-of-line copies that the linker could pick
// for baseline code. Keep it to trivially inlined functions.
#ifndef NDSHARE_KERNELS_DTYPE_H_
#define NDSHARE_KERNELS_DTYPE_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ndshare {
namespace kernels {

enum DType : int {
  kBool = 0,
  kInt8 = 1,
  kUint8 = 2,
  kInt16 = 3,
  kUint16 = 4,
  kInt32 = 5,
  kUint32 = 6,
  kInt64 = 7,
  kUint64 = 8,
  kFloat16 = 9,
  kBfloat16 = 10,
  kFloat32 = 11,
  kFloat64 = 12,
  kDTypeCount = 13,
};

constexpr const char* kDTypeNames[kDTypeCount] = {"bool",     "int8",    "uint8",  "int16",  "uint16",
                                                  "int32",    "uint32",  "int64",  "uint64", "float16",
                                                  "bfloat16", "float32", "float64"};

constexpr size_t kItemSize[kDTypeCount] = {1, 1, 1, 2, 2, 4, 4, 8, 8, 2, 2, 4, 8};

inline bool IsValidDType(int code) { return code >= 0 && code < kDTypeCount; }

// The complex dtypes (schema codes 13, 14): interleaved (re, im) pairs of
// float32 / float64. They lie outside kDTypeCount on purpose: the real kernel
// tables are indexed by the real codes; only loops that opt in (ParseLoop's
// allowComplex, the elementwise engine's complex table) take them.
constexpr int kComplex64 = 13;
constexpr int kComplex128 = 14;
inline bool IsComplexDType(int code) { return code == kComplex64 || code == kComplex128; }
// The real dtype of a complex dtype's parts.
inline int ComplexPart(int code) { return code == kComplex64 ? kFloat32 : kFloat64; }
inline bool IsFloat(int code) { return code >= kFloat16; }
inline bool IsHalfLike(int code) { return code == kFloat16 || code == kBfloat16; }

// float16 / bfloat16 storage words. Arithmetic converts to float (scalar,
// round to nearest even; the bulk paths use kernels/cast/cast.h).
struct Half {
  uint16_t bits;
};
struct Bf16 {
  uint16_t bits;
};

__attribute__((always_inline)) inline uint32_t F32Bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}
__attribute__((always_inline)) inline float BitsF32(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

// IEEE binary16 -> binary32, exact.
__attribute__((always_inline)) inline float HalfToFloat(uint16_t h) {
  uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t man = h & 0x3ffu;
  if (exp == 0x1f) return BitsF32(sign | 0x7f800000u | (man << 13) | (man ? 0x400000u : 0));
  if (exp == 0) {
    // Subnormal or zero: man * 2^-24, exact in float.
    float v = static_cast<float>(man) * 5.9604644775390625e-08f;
    return sign ? -v : v;
  }
  return BitsF32(sign | ((exp + 112u) << 23) | (man << 13));
}

// binary32 -> binary16, round to nearest even; NaN stays NaN (quiet).
__attribute__((always_inline)) inline uint16_t FloatToHalf(float f) {
  uint32_t b = F32Bits(f);
  uint32_t sign = (b >> 16) & 0x8000u;
  uint32_t abs = b & 0x7fffffffu;
  if (abs >= 0x7f800000u) {  // Inf or NaN
    return static_cast<uint16_t>(sign | 0x7c00u | (abs > 0x7f800000u ? 0x200u | ((abs >> 13) & 0x3ffu) : 0));
  }
  if (abs >= 0x477ff000u) return static_cast<uint16_t>(sign | 0x7c00u);  // rounds to >= 65520: Inf
  if (abs < 0x38800000u) {                                               // subnormal half or zero
    if (abs < 0x33000000u) return static_cast<uint16_t>(sign);           // < 2^-25: rounds to 0
    uint32_t e = abs >> 23;
    uint32_t m = (abs & 0x7fffffu) | 0x800000u;
    uint32_t shift = 126 - e;  // 14..24
    uint32_t r = m >> shift;
    uint32_t rem = m & ((1u << shift) - 1);
    uint32_t halfway = 1u << (shift - 1);
    if (rem > halfway || (rem == halfway && (r & 1u))) ++r;
    return static_cast<uint16_t>(sign | r);
  }
  // Rebias the exponent (127 -> 15) and round the 13 dropped bits to nearest even.
  uint32_t r = abs - (112u << 23) + 0xfffu + ((abs >> 13) & 1u);
  return static_cast<uint16_t>(sign | (r >> 13));
}

__attribute__((always_inline)) inline float Bf16ToFloat(uint16_t h) { return BitsF32(static_cast<uint32_t>(h) << 16); }
__attribute__((always_inline)) inline uint16_t FloatToBf16(float f) {
  uint32_t b = F32Bits(f);
  if ((b & 0x7fffffffu) > 0x7f800000u) return static_cast<uint16_t>(((b >> 16) & 0x8000u) | 0x7fc0u);
  b += 0x7fffu + ((b >> 16) & 1u);
  return static_cast<uint16_t>(b >> 16);
}

// C storage type of each code.
template <int D>
struct CType;
template <>
struct CType<kBool> {
  using T = uint8_t;
};
template <>
struct CType<kInt8> {
  using T = int8_t;
};
template <>
struct CType<kUint8> {
  using T = uint8_t;
};
template <>
struct CType<kInt16> {
  using T = int16_t;
};
template <>
struct CType<kUint16> {
  using T = uint16_t;
};
template <>
struct CType<kInt32> {
  using T = int32_t;
};
template <>
struct CType<kUint32> {
  using T = uint32_t;
};
template <>
struct CType<kInt64> {
  using T = int64_t;
};
template <>
struct CType<kUint64> {
  using T = uint64_t;
};
template <>
struct CType<kFloat16> {
  using T = Half;
};
template <>
struct CType<kBfloat16> {
  using T = Bf16;
};
template <>
struct CType<kFloat32> {
  using T = float;
};
template <>
struct CType<kFloat64> {
  using T = double;
};

}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_DTYPE_H_
