// The index kernel body, compiled once per ISA by the two-line shells
// index_{baseline,avx2,avx512}.cc (see kernels/dispatch.h). Everything but
// GetTable() has internal linkage. The loops are plain C++ over byte items;
// the per-ISA compile lets the compiler vectorise the counting loops, and the
// AVX-512 unit compresses 4- and 8-byte items of contiguous runs with
// vcompress (8 or 16 items per step).
#include "kernels/isa_unit.h"

#include "kernels/index/index.h"

namespace ndshare {
namespace kernels {
namespace index {
namespace NDSHARE_ISA {
namespace {

template <int kItem>
__attribute__((always_inline)) inline void Move(char* dst, const char* src) {
  std::memcpy(dst, src, kItem);
}

template <typename I>
__attribute__((always_inline)) inline I Load(const char* p) {
  I v;
  std::memcpy(&v, p, sizeof(I));
  return v;
}

// Normalises index v for an axis of len (> 0 for wrap and clip): false when out of range (raise).
template <typename I, int kMode>
__attribute__((always_inline)) inline bool Norm(I v, int64_t len, int64_t* j) {
  if constexpr (kMode == kOffset) {
    *j = static_cast<int64_t>(v);
    return true;
  } else if constexpr (std::is_signed_v<I>) {
    int64_t x = static_cast<int64_t>(v);
    if constexpr (kMode == kRaise) {
      x += x < 0 ? len : 0;
      *j = x;
      return static_cast<uint64_t>(x) < static_cast<uint64_t>(len);
    } else if constexpr (kMode == kWrap) {
      x %= len;
      *j = x < 0 ? x + len : x;
      return true;
    } else {
      *j = x < 0 ? 0 : (x >= len ? len - 1 : x);
      return true;
    }
  } else {
    uint64_t x = static_cast<uint64_t>(v);
    if constexpr (kMode == kRaise) {
      *j = static_cast<int64_t>(x);
      return x < static_cast<uint64_t>(len);
    } else if constexpr (kMode == kWrap) {
      *j = static_cast<int64_t>(x % static_cast<uint64_t>(len));
      return true;
    } else {
      *j = x >= static_cast<uint64_t>(len) ? len - 1 : static_cast<int64_t>(x);
      return true;
    }
  }
}

template <typename I, int kMode>
int64_t Offsets(const char* idx, int64_t istride, int64_t n, int64_t len, int64_t axisStride, int64_t* table) {
  for (int64_t i = 0; i < n; ++i) {
    int64_t j;
    if (!Norm<I, kMode>(Load<I>(idx + i * istride), len, &j)) return i;
    if (table != nullptr) table[i] += j * axisStride;
  }
  return -1;
}

template <typename I, int kMode, int kItem, bool kScatter>
int64_t Take(char* base, const char* idx, int64_t istride, int64_t n, int64_t len, int64_t axisStride, char* vals,
             int64_t vstride) {
  if (istride == static_cast<int64_t>(sizeof(I)) && vstride == kItem) {
    const I* ix = reinterpret_cast<const I*>(idx);
    // Random access into a large source is memory-latency bound: prefetching
    // kAhead indices ahead keeps more misses in flight (a prefetch of a bad
    // address is harmless; the access itself is checked below).
    constexpr int64_t kAhead = 16;
    int64_t i = 0;
    if (n > 4 * kAhead) {
      for (; i < n - kAhead; ++i) {
        __builtin_prefetch(base + static_cast<int64_t>(ix[i + kAhead]) * axisStride, kScatter ? 1 : 0, 0);
        int64_t j;
        if (!Norm<I, kMode>(ix[i], len, &j)) return i;
        if constexpr (kScatter) {
          Move<kItem>(base + j * axisStride, vals + i * kItem);
        } else {
          Move<kItem>(vals + i * kItem, base + j * axisStride);
        }
      }
    }
    for (; i < n; ++i) {
      int64_t j;
      if (!Norm<I, kMode>(ix[i], len, &j)) return i;
      if constexpr (kScatter) {
        Move<kItem>(base + j * axisStride, vals + i * kItem);
      } else {
        Move<kItem>(vals + i * kItem, base + j * axisStride);
      }
    }
    return -1;
  }
  for (int64_t i = 0; i < n; ++i) {
    int64_t j;
    if (!Norm<I, kMode>(Load<I>(idx + i * istride), len, &j)) return i;
    if constexpr (kScatter) {
      Move<kItem>(base + j * axisStride, vals + i * vstride);
    } else {
      Move<kItem>(vals + i * vstride, base + j * axisStride);
    }
  }
  return -1;
}

#if defined(__AVX512F__)
// Contiguous 4/8-byte items, mask of 0/1 bytes: vcompress into a register, an
// unaligned store of the whole vector (the store may run past the kept items,
// so it is used only while a whole vector fits in the remaining capacity).
template <int kItem>
int64_t CompressVec(const char* data, const uint8_t* mask, int64_t n, char* vals, int64_t cap, int64_t* done) {
  constexpr int64_t kLanes = 64 / kItem;
  int64_t i = 0, k = 0;
  for (; i + kLanes <= n && k + kLanes <= cap; i += kLanes) {
    __mmask64 m;
    if constexpr (kLanes == 16) {
      m = _mm_test_epi8_mask(_mm_loadu_si128(reinterpret_cast<const __m128i*>(mask + i)),
                             _mm_set1_epi8(static_cast<char>(0xff)));
      __m512i v = _mm512_loadu_si512(data + i * kItem);
      _mm512_storeu_si512(vals + k * kItem, _mm512_maskz_compress_epi32(static_cast<__mmask16>(m), v));
    } else {
      m = _mm_test_epi8_mask(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(mask + i)),
                             _mm_set1_epi8(static_cast<char>(0xff)));
      __m512i v = _mm512_loadu_si512(data + i * kItem);
      _mm512_storeu_si512(vals + k * kItem, _mm512_maskz_compress_epi64(static_cast<__mmask8>(m), v));
    }
    k += __builtin_popcountll(static_cast<uint64_t>(m));
  }
  *done = i;
  return k;
}
#endif

template <int kItem, bool kScatter>
int64_t Compress(char* data, int64_t dstride, const uint8_t* mask, int64_t mstride, int64_t n, char* vals,
                 int64_t vstride, int64_t cap) {
  int64_t k = 0;
  if constexpr (kScatter) {
    for (int64_t i = 0; i < n; ++i) {
      if (mask[i * mstride] != 0) {
        if (k < cap) Move<kItem>(data + i * dstride, vals + k * vstride);
        ++k;
      }
    }
    return k;
  } else {
    int64_t i = 0;
#if defined(__AVX512F__)
    if constexpr (kItem == 4 || kItem == 8) {
      if (dstride == kItem && mstride == 1 && vstride == kItem) k = CompressVec<kItem>(data, mask, n, vals, cap, &i);
    }
#endif
    // Branchless: every item is copied, the output advances only on a true
    // mask byte; past the capacity the copy lands in a scratch item.
    alignas(16) char scratch[16];
    for (; i < n; ++i) {
      char* dst = k < cap ? vals + k * vstride : scratch;
      Move<kItem>(dst, data + i * dstride);
      k += mask[i * mstride] != 0;
    }
    return k;
  }
}

template <int kItem, bool kFloat>
__attribute__((always_inline)) inline bool Nonzero(const char* p) {
  if constexpr (kItem == 1) {
    return *reinterpret_cast<const uint8_t*>(p) != 0;
  } else if constexpr (kItem == 2) {
    return (Load<uint16_t>(p) & (kFloat ? 0x7fffu : 0xffffu)) != 0;
  } else if constexpr (kItem == 4) {
    return (Load<uint32_t>(p) & (kFloat ? 0x7fffffffu : 0xffffffffu)) != 0;
  } else if constexpr (kItem == 8) {
    return (Load<uint64_t>(p) & (kFloat ? 0x7fffffffffffffffull : ~0ull)) != 0;
  } else {
    const uint64_t m = kFloat ? 0x7fffffffffffffffull : ~0ull;
    return ((Load<uint64_t>(p) & m) | (Load<uint64_t>(p + 8) & m)) != 0;
  }
}

template <int kItem, bool kFloat>
int64_t Count(const char* x, int64_t stride, int64_t n) {
  int64_t c = 0;
  if (stride == kItem) {
    for (int64_t i = 0; i < n; ++i) c += Nonzero<kItem, kFloat>(x + i * kItem) ? 1 : 0;
  } else {
    for (int64_t i = 0; i < n; ++i) c += Nonzero<kItem, kFloat>(x + i * stride) ? 1 : 0;
  }
  return c;
}

template <int kItem, bool kFloat>
int64_t NonzeroRun(const char* x, int64_t stride, int64_t n, int64_t start, int64_t* out, int64_t cap) {
  int64_t k = 0;
  int64_t scratch;
  for (int64_t i = 0; i < n; ++i) {
    int64_t* dst = k < cap ? out + k : &scratch;
    *dst = start + i;
    k += Nonzero<kItem, kFloat>(x + i * stride) ? 1 : 0;
  }
  return k;
}

template <int kItem>
void Copy(char* dst, int64_t ds, const char* src, int64_t ss, int64_t n) {
  if (ds == kItem && ss == kItem) {
    std::memmove(dst, src, static_cast<size_t>(n) * kItem);
    return;
  }
  for (int64_t i = 0; i < n; ++i) Move<kItem>(dst + i * ds, src + i * ss);
}

template <int kMode, int kItem, typename I>
void FillTake(Table* t, int ti) {
  t->take[0][ti][kMode][kItem == 1   ? 0
                        : kItem == 2 ? 1
                        : kItem == 4 ? 2
                        : kItem == 8 ? 3
                                     : 4] = &Take<I, kMode, kItem, false>;
  t->take[1][ti][kMode][kItem == 1   ? 0
                        : kItem == 2 ? 1
                        : kItem == 4 ? 2
                        : kItem == 8 ? 3
                                     : 4] = &Take<I, kMode, kItem, true>;
}

template <int kMode, typename I>
void FillMode(Table* t, int ti) {
  t->offsets[ti][kMode] = &Offsets<I, kMode>;
  FillTake<kMode, 1, I>(t, ti);
  FillTake<kMode, 2, I>(t, ti);
  FillTake<kMode, 4, I>(t, ti);
  FillTake<kMode, 8, I>(t, ti);
  FillTake<kMode, 16, I>(t, ti);
}

template <typename I>
void FillIndexType(Table* t, int ti) {
  FillMode<kRaise, I>(t, ti);
  FillMode<kWrap, I>(t, ti);
  FillMode<kClip, I>(t, ti);
  FillMode<kOffset, I>(t, ti);
}

template <int kItem, int ki>
void FillItem(Table* t) {
  t->compress[0][ki] = &Compress<kItem, false>;
  t->compress[1][ki] = &Compress<kItem, true>;
  t->count[0][ki] = &Count<kItem, false>;
  t->count[1][ki] = &Count<kItem, true>;
  t->nonzero[0][ki] = &NonzeroRun<kItem, false>;
  t->nonzero[1][ki] = &NonzeroRun<kItem, true>;
  t->copy[ki] = &Copy<kItem>;
}

Table MakeTable() {
  Table t{};
  FillIndexType<int8_t>(&t, 0);
  FillIndexType<uint8_t>(&t, 1);
  FillIndexType<int16_t>(&t, 2);
  FillIndexType<uint16_t>(&t, 3);
  FillIndexType<int32_t>(&t, 4);
  FillIndexType<uint32_t>(&t, 5);
  FillIndexType<int64_t>(&t, 6);
  FillIndexType<uint64_t>(&t, 7);
  FillItem<1, 0>(&t);
  FillItem<2, 1>(&t);
  FillItem<4, 2>(&t);
  FillItem<8, 3>(&t);
  FillItem<16, 4>(&t);
  return t;
}

}  // namespace

NDSHARE_KERNEL_TABLE_GETTER(Table, MakeTable())

}  // namespace NDSHARE_ISA
}  // namespace index
}  // namespace kernels
}  // namespace ndshare
