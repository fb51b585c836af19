// Order-preserving unsigned keys for every dtype, and the radix sorts over them.
//
// A key maps an element to an unsigned integer of its width whose unsigned
// order is NumPy's sort order: signed integers flip the sign bit; floats flip
// the sign bit when positive and every bit when negative (IEEE order), every
// NaN becomes the largest key (NumPy sorts NaN last). `Canon` also maps -0 to
// +0, so that argsort keeps equal values (-0 == 0) in their original order.
// Value sorts use the non-canonical keys: NaNs keep their payload (not their sign).
//
// LSD radix sort is stable: one counting pass gathers the histograms of every
// digit, then each digit whose values are not all the same moves the keys
// (and, for argsort, a 32-bit index beside each key) to the other buffer.
#ifndef NDSHARE_KERNELS_SORT_KEYS_H_
#define NDSHARE_KERNELS_SORT_KEYS_H_

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "kernels/dtype.h"

namespace ndshare {
namespace kernels {
namespace sort {

template <typename U>
struct FloatBits;
template <>
struct FloatBits<uint16_t> {  // float16 (bfloat16 passes its own exp mask)
  static constexpr uint16_t kSign = 0x8000u;
};
template <>
struct FloatBits<uint32_t> {
  static constexpr uint32_t kSign = 0x80000000u;
  static constexpr uint32_t kExp = 0x7f800000u;
  static constexpr uint32_t kMan = 0x007fffffu;
};
template <>
struct FloatBits<uint64_t> {
  static constexpr uint64_t kSign = 0x8000000000000000ull;
  static constexpr uint64_t kExp = 0x7ff0000000000000ull;
  static constexpr uint64_t kMan = 0x000fffffffffffffull;
};

// Float key: kExp/kMan given per format (float16 0x7c00/0x3ff, bfloat16 0x7f80/0x7f).
template <typename U>
inline U FloatKey(U b, U expMask, U manMask, bool canonZero) {
  constexpr U sign = static_cast<U>(U(1) << (sizeof(U) * 8 - 1));
  if ((b & expMask) == expMask && (b & manMask) != 0) {
    // NaN: last. Keys for indices (canonical) make every NaN equal, so argsort
    // keeps their order; value sorts keep the payload (a negative NaN loses its sign).
    return canonZero ? static_cast<U>(~U(0)) : static_cast<U>(b | sign);
  }
  if (canonZero && (b & static_cast<U>(~sign)) == 0) b = 0;  // -0 -> +0
  return (b & sign) ? static_cast<U>(~b) : static_cast<U>(b | sign);
}
template <typename U>
inline U FloatUnkey(U k) {
  constexpr U sign = static_cast<U>(U(1) << (sizeof(U) * 8 - 1));
  return (k & sign) ? static_cast<U>(k & static_cast<U>(~sign)) : static_cast<U>(~k);
}

// The storage width's unsigned type of each dtype and its key transforms.
struct KeyFormat {
  int width;  // bytes
  bool isSigned;
  bool isFloat;
  uint64_t expMask, manMask;
};

inline KeyFormat FormatOf(int d) {
  switch (d) {
    case kBool:
    case kUint8: return {1, false, false, 0, 0};
    case kInt8: return {1, true, false, 0, 0};
    case kInt16: return {2, true, false, 0, 0};
    case kUint16: return {2, false, false, 0, 0};
    case kInt32: return {4, true, false, 0, 0};
    case kUint32: return {4, false, false, 0, 0};
    case kInt64: return {8, true, false, 0, 0};
    case kUint64: return {8, false, false, 0, 0};
    case kFloat16: return {2, false, true, 0x7c00u, 0x3ffu};
    case kBfloat16: return {2, false, true, 0x7f80u, 0x7fu};
    case kFloat32: return {4, false, true, 0x7f800000u, 0x7fffffu};
    default: return {8, false, true, 0x7ff0000000000000ull, 0x000fffffffffffffull};
  }
}

template <typename U>
inline U ToKey(U b, const KeyFormat& f, bool canonZero) {
  constexpr U sign = static_cast<U>(U(1) << (sizeof(U) * 8 - 1));
  if (f.isFloat) return FloatKey<U>(b, static_cast<U>(f.expMask), static_cast<U>(f.manMask), canonZero);
  return f.isSigned ? static_cast<U>(b ^ sign) : b;
}
template <typename U>
inline U FromKey(U k, const KeyFormat& f) {
  constexpr U sign = static_cast<U>(U(1) << (sizeof(U) * 8 - 1));
  if (f.isFloat) return FloatUnkey<U>(k);
  return f.isSigned ? static_cast<U>(k ^ sign) : k;
}

// Digit width per key width: 8 bits for 1-2 byte keys, 11 for 4 and 8 bytes.
template <typename U>
constexpr int DigitBits() {
  return sizeof(U) <= 2 ? 8 : 11;
}
template <typename U>
constexpr int DigitCount() {
  return (sizeof(U) * 8 + DigitBits<U>() - 1) / DigitBits<U>();
}

// Sorts keys[0..n) (tmp: n scratch keys). With idx/tmpIdx non-null, moves the
// 32-bit indices along (stable). The result ends in keys/idx.
template <typename U>
void RadixSort(U* keys, U* tmp, size_t n, uint32_t* idx, uint32_t* tmpIdx) {
  constexpr int B = DigitBits<U>();
  constexpr int D = DigitCount<U>();
  constexpr size_t R = size_t(1) << B;
  constexpr U mask = static_cast<U>(R - 1);
  std::vector<uint32_t> hist(D * R, 0);
  // One pass for every digit's histogram; also notes whether keys are already sorted.
  bool sorted = true;
  U prev = 0;
  for (size_t i = 0; i < n; ++i) {
    U k = keys[i];
    sorted &= k >= prev;
    prev = k;
    for (int d = 0; d < D; ++d) ++hist[d * R + ((k >> (d * B)) & mask)];
  }
  if (sorted) return;
  U* src = keys;
  U* dst = tmp;
  uint32_t* isrc = idx;
  uint32_t* idst = tmpIdx;
  for (int d = 0; d < D; ++d) {
    uint32_t* h = &hist[d * R];
    // A digit every key shares moves nothing.
    bool trivial = false;
    for (size_t r = 0; r < R; ++r) {
      if (h[r] == n) {
        trivial = true;
        break;
      }
      if (h[r] != 0) break;
    }
    if (trivial) continue;
    uint32_t sum = 0;
    for (size_t r = 0; r < R; ++r) {
      uint32_t c = h[r];
      h[r] = sum;
      sum += c;
    }
    const int shift = d * B;
    if (isrc) {
      for (size_t i = 0; i < n; ++i) {
        U k = src[i];
        uint32_t p = h[(k >> shift) & mask]++;
        dst[p] = k;
        idst[p] = isrc[i];
      }
      std::swap(isrc, idst);
    } else {
      for (size_t i = 0; i < n; ++i) {
        U k = src[i];
        dst[h[(k >> shift) & mask]++] = k;
      }
    }
    std::swap(src, dst);
  }
  if (src != keys) {
    std::memcpy(keys, src, n * sizeof(U));
    if (isrc) std::memcpy(idx, isrc, n * sizeof(uint32_t));
  }
}

}  // namespace sort
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_SORT_KEYS_H_
