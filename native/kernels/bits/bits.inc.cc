// The bits kernel body, compiled once per ISA by the two-line shells
// bits_{baseline,avx2,avx512}.cc (see kernels/dispatch.h and bits.h).
//
// Packing a contiguous byte row compares whole vectors with zero and takes
// the movemask (16, 32 or 64 elements to as many bits, first element in the
// lowest bit: 'little' order); 'big' order reverses the bits of each byte
// with three mask-and-shift swaps. Wider integers are first turned into 0/1
// bytes in a block buffer (a loop the compiler vectorizes). Unpacking a row
// copies one 8-byte pattern per input byte from a 256-entry table. Strided
// rows take the plain loops; planes are simple loops vectorized along the run.
#include "kernels/isa_unit.h"

#include "kernels/bits/bits.h"

namespace ndshare {
namespace kernels {
namespace bits {
namespace NDSHARE_ISA {
namespace {

constexpr int64_t kBlock = 512;  // elements per 0/1 block buffer (a multiple of 64)

// Reverses the bit order within each byte of x.
inline uint64_t ReverseInBytes(uint64_t x) {
  x = ((x >> 1) & 0x5555555555555555ULL) | ((x & 0x5555555555555555ULL) << 1);
  x = ((x >> 2) & 0x3333333333333333ULL) | ((x & 0x3333333333333333ULL) << 2);
  return ((x >> 4) & 0x0F0F0F0F0F0F0F0FULL) | ((x & 0x0F0F0F0F0F0F0F0FULL) << 4);
}

// Little-endian store of the low `bytes` bytes of m.
inline void StoreBits(uint8_t* dst, uint64_t m, int bytes) {
  for (int b = 0; b < bytes; ++b) dst[b] = static_cast<uint8_t>(m >> (8 * b));
}

// One output byte from the k < 8 elements at src (stride in bytes).
template <class T>
inline uint8_t PackByte(const char* src, int64_t stride, int k, bool little) {
  unsigned b = 0;
  for (int i = 0; i < k; ++i) {
    T v;
    std::memcpy(&v, src + i * stride, sizeof(T));
    b |= static_cast<unsigned>(v != 0) << (little ? i : 7 - i);
  }
  return static_cast<uint8_t>(b);
}

// Packs n contiguous bytes (nonzero = 1); n need not be a multiple of 8.
void PackBytes(const uint8_t* src, int64_t n, uint8_t* dst, bool little) {
  int64_t i = 0;
#if defined(__AVX2__)
  // 'big' order: reverse each group of 8 bytes first, so the movemask is already in big order.
  const __m256i rev8 = _mm256_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0,
                                        15, 14, 13, 12, 11, 10, 9, 8);
#endif
#if defined(__AVX512BW__)
  const long long lo = 0x0001020304050607LL, hi = 0x08090A0B0C0D0E0FLL;  // bytes 7..0 and 15..8 of each 16
  const __m512i rev8w = _mm512_set_epi64(hi, lo, hi, lo, hi, lo, hi, lo);
  for (; i + 64 <= n; i += 64) {
    __m512i v = _mm512_loadu_si512(reinterpret_cast<const void*>(src + i));
    if (!little) v = _mm512_shuffle_epi8(v, rev8w);
    uint64_t m = _mm512_test_epi8_mask(v, v);
    std::memcpy(dst + (i >> 3), &m, 8);
  }
#endif
#if defined(__AVX2__)
  for (; i + 32 <= n; i += 32) {
    __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + i));
    if (!little) v = _mm256_shuffle_epi8(v, rev8);
    uint32_t m = ~static_cast<uint32_t>(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, _mm256_setzero_si256())));
    std::memcpy(dst + (i >> 3), &m, 4);
  }
#endif
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    uint32_t m = 0xFFFFu & ~static_cast<uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_setzero_si128())));
    uint64_t w = little ? m : ReverseInBytes(m);
    StoreBits(dst + (i >> 3), w, 2);
  }
#endif
  // Eight at a time without vectors: the high bit of each byte of
  // ((x & 0x7f..) + 0x7f..) | x is set when the byte is nonzero; one multiply
  // gathers the eight flags into the top byte (the partial sums never carry).
  for (; i + 8 <= n; i += 8) {
    uint64_t x;
    std::memcpy(&x, src + i, 8);
    uint64_t f = ((((x & 0x7F7F7F7F7F7F7F7FULL) + 0x7F7F7F7F7F7F7F7FULL) | x) >> 7) & 0x0101010101010101ULL;
    dst[i >> 3] = static_cast<uint8_t>((f * (little ? 0x0102040810204080ULL : 0x8040201008040201ULL)) >> 56);
  }
  if (i < n)
    dst[i >> 3] = PackByte<uint8_t>(reinterpret_cast<const char*>(src + i), 1, static_cast<int>(n - i), little);
}

template <class T>
void PackRowT(const char* src, int64_t stride, int64_t n, uint8_t* dst, bool little) {
  if (stride == static_cast<int64_t>(sizeof(T))) {
    if constexpr (sizeof(T) == 1) {
      PackBytes(reinterpret_cast<const uint8_t*>(src), n, dst, little);
    } else {
      alignas(64) uint8_t buf[kBlock];
      for (int64_t i = 0; i < n; i += kBlock) {
        const int64_t b = n - i < kBlock ? n - i : kBlock;
        const T* s = reinterpret_cast<const T*>(src) + i;
        for (int64_t k = 0; k < b; ++k) buf[k] = s[k] != 0;
        PackBytes(buf, b, dst + (i >> 3), little);
      }
    }
    return;
  }
  const int64_t full = n >> 3;
  for (int64_t j = 0; j < full; ++j) dst[j] = PackByte<T>(src + 8 * j * stride, stride, 8, little);
  if (n & 7) dst[full] = PackByte<T>(src + 8 * full * stride, stride, static_cast<int>(n & 7), little);
}

template <class T>
void PackPlaneT(const char* src, int64_t stride, uint8_t* dst, int64_t dstride, int64_t n, int shift) {
  if (stride == static_cast<int64_t>(sizeof(T)) && dstride == 1) {
    const T* s = reinterpret_cast<const T*>(src);
    for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<uint8_t>(dst[i] | (static_cast<uint8_t>(s[i] != 0) << shift));
    return;
  }
  for (int64_t i = 0; i < n; ++i) {
    T v;
    std::memcpy(&v, src + i * stride, sizeof(T));
    dst[i * dstride] = static_cast<uint8_t>(dst[i * dstride] | (static_cast<uint8_t>(v != 0) << shift));
  }
}

// Per byte value, its eight bits as 0/1 bytes in memory order (one table per bit order).
struct Patterns {
  uint64_t big[256];
  uint64_t little[256];
  Patterns() {
    for (int v = 0; v < 256; ++v) {
      uint64_t b = 0, l = 0;
      for (int k = 0; k < 8; ++k) {
        b |= static_cast<uint64_t>((v >> (7 - k)) & 1) << (8 * k);
        l |= static_cast<uint64_t>((v >> k) & 1) << (8 * k);
      }
      big[v] = b;
      little[v] = l;
    }
  }
};
const Patterns kPatterns;

void UnpackRow(const uint8_t* src, int64_t stride, int64_t n, uint8_t* dst, int64_t count, bool little) {
  const uint64_t* t = little ? kPatterns.little : kPatterns.big;
  const int64_t used = count < 8 * n ? count : 8 * n;
  const int64_t full = used >> 3;
  if (stride == 1) {
    int64_t j = 0;
#if defined(__AVX2__)
    // Four input bytes to 32 output bytes: spread each byte over 8 lanes, keep
    // each lane's bit, then min(bit, 1) makes it 0/1.
    const __m256i spread = _mm256_setr_epi8(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3,
                                            3, 3, 3, 3, 3, 3, 3);
    const __m256i bitsBig = _mm256_set1_epi64x(static_cast<long long>(0x0102040810204080ULL));
    const __m256i bitsLittle = _mm256_set1_epi64x(static_cast<long long>(0x8040201008040201ULL));
    const __m256i bit = little ? bitsLittle : bitsBig;
    const __m256i one = _mm256_set1_epi8(1);
    for (; j + 4 <= full; j += 4) {
      uint32_t w;
      std::memcpy(&w, src + j, 4);
      __m256i v = _mm256_shuffle_epi8(_mm256_set1_epi32(static_cast<int>(w)), spread);
      v = _mm256_min_epu8(_mm256_and_si256(v, bit), one);
      _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 8 * j), v);
    }
#endif
    for (; j < full; ++j) std::memcpy(dst + 8 * j, &t[src[j]], 8);
  } else {
    for (int64_t j = 0; j < full; ++j) std::memcpy(dst + 8 * j, &t[src[j * stride]], 8);
  }
  if (used & 7) std::memcpy(dst + 8 * full, &t[src[full * stride]], static_cast<size_t>(used & 7));
  if (count > used) std::memset(dst + used, 0, static_cast<size_t>(count - used));
}

void UnpackPlane(const uint8_t* src, int64_t stride, uint8_t* dst, int64_t dstride, int64_t n, int shift) {
  if (stride == 1 && dstride == 1) {
    for (int64_t i = 0; i < n; ++i) dst[i] = static_cast<uint8_t>((src[i] >> shift) & 1);
    return;
  }
  for (int64_t i = 0; i < n; ++i) dst[i * dstride] = static_cast<uint8_t>((src[i * stride] >> shift) & 1);
}

Table MakeTable() {
  return {NDSHARE_ISA_NAME,
          {&PackRowT<uint8_t>, &PackRowT<uint16_t>, &PackRowT<uint32_t>, &PackRowT<uint64_t>},
          {&PackPlaneT<uint8_t>, &PackPlaneT<uint16_t>, &PackPlaneT<uint32_t>, &PackPlaneT<uint64_t>},
          &UnpackRow,
          &UnpackPlane};
}

}  // namespace

NDSHARE_KERNEL_TABLE_GETTER(Table, MakeTable())

}  // namespace NDSHARE_ISA
}  // namespace bits
}  // namespace kernels
}  // namespace ndshare
