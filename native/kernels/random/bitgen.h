// The bit generators of NumPy's numpy.random, reimplemented from their
// published definitions (PCG64 XSL-RR and DXSM by O'Neill, SFC64 by Doty-Humphrey,
// Philox4x64-10 by Salmon et al., MT19937 by Matsumoto and Nishimura), with
// NumPy's conventions for the 32-bit and double draws so that streams match
// NumPy bit for bit.
//
// Each generator works on a local copy of its state (load / store) so that hot
// loops keep it in registers. The state lives in JS as a BigUint64Array whose
// layout is fixed here (kWords) and mirrored in src/random/bitgen.ts:
//   PCG64, PCG64DXSM: [state_hi, state_lo, inc_hi, inc_lo, has_uint32, uinteger]
//   SFC64:            [a, b, c, w, has_uint32, uinteger]
//   Philox:           [ctr0..ctr3, key0, key1, buf0..buf3, buffer_pos, has_uint32, uinteger]
//   MT19937:          624 uint32 key words packed in 312 words, then pos
// Seeding, advance and jumps are done in TS (BigInt, once per call).
#ifndef NDSHARE_KERNELS_RANDOM_BITGEN_H_
#define NDSHARE_KERNELS_RANDOM_BITGEN_H_

#include <cstddef>
#include <cstdint>
#include <cstring>

namespace ndshare {
namespace random {

using u128 = unsigned __int128;

constexpr double kTwoM53 = 1.0 / 9007199254740992.0;
constexpr float kTwoM24f = 1.0f / 16777216.0f;

// 32-bit draws from the halves of a 64-bit one (low half first), as NumPy does
// for every 64-bit generator.
struct Buffered32 {
  bool has32 = false;
  uint32_t u32 = 0;
};

struct Pcg64 {
  static constexpr size_t kWords = 6;
  u128 s = 0, inc = 0;
  Buffered32 b;
  void Load(const uint64_t* w) {
    s = (static_cast<u128>(w[0]) << 64) | w[1];
    inc = (static_cast<u128>(w[2]) << 64) | w[3];
    b.has32 = w[4] != 0;
    b.u32 = static_cast<uint32_t>(w[5]);
  }
  void Store(uint64_t* w) const {
    w[0] = static_cast<uint64_t>(s >> 64);
    w[1] = static_cast<uint64_t>(s);
    w[2] = static_cast<uint64_t>(inc >> 64);
    w[3] = static_cast<uint64_t>(inc);
    w[4] = b.has32 ? 1 : 0;
    w[5] = b.u32;
  }
  // XSL-RR output of the state after one LCG step.
  inline uint64_t Next64() {
    const u128 mult = (static_cast<u128>(0x2360ED051FC65DA4ULL) << 64) | 0x4385DF649FCCF645ULL;
    s = s * mult + inc;
    const uint64_t hi = static_cast<uint64_t>(s >> 64);
    const uint64_t x = hi ^ static_cast<uint64_t>(s);
    const unsigned rot = static_cast<unsigned>(hi >> 58);
    return (x >> rot) | (x << ((64 - rot) & 63));
  }
};

struct Pcg64Dxsm : Pcg64 {
  // DXSM output of the state before one step with the cheap 64-bit multiplier.
  inline uint64_t Next64() {
    constexpr uint64_t kCheap = 0xda942042e4dd58b5ULL;
    uint64_t hi = static_cast<uint64_t>(s >> 64);
    const uint64_t lo = static_cast<uint64_t>(s) | 1;
    hi ^= hi >> 32;
    hi *= kCheap;
    hi ^= hi >> 48;
    hi *= lo;
    s = s * kCheap + inc;
    return hi;
  }
};

struct Sfc64 {
  static constexpr size_t kWords = 6;
  uint64_t a = 0, b_ = 0, c = 0, w = 0;
  Buffered32 b;
  void Load(const uint64_t* x) {
    a = x[0];
    b_ = x[1];
    c = x[2];
    w = x[3];
    b.has32 = x[4] != 0;
    b.u32 = static_cast<uint32_t>(x[5]);
  }
  void Store(uint64_t* x) const {
    x[0] = a;
    x[1] = b_;
    x[2] = c;
    x[3] = w;
    x[4] = b.has32 ? 1 : 0;
    x[5] = b.u32;
  }
  inline uint64_t Next64() {
    const uint64_t tmp = a + b_ + w++;
    a = b_ ^ (b_ >> 11);
    b_ = c + (c << 3);
    c = ((c << 24) | (c >> 40)) + tmp;
    return tmp;
  }
};

struct Philox {
  static constexpr size_t kWords = 13;
  uint64_t ctr[4] = {0, 0, 0, 0}, key[2] = {0, 0}, buf[4] = {0, 0, 0, 0};
  uint64_t pos = 4;
  Buffered32 b;
  void Load(const uint64_t* x) {
    std::memcpy(ctr, x, 32);
    std::memcpy(key, x + 4, 16);
    std::memcpy(buf, x + 6, 32);
    pos = x[10];
    b.has32 = x[11] != 0;
    b.u32 = static_cast<uint32_t>(x[12]);
  }
  void Store(uint64_t* x) const {
    std::memcpy(x, ctr, 32);
    std::memcpy(x + 4, key, 16);
    std::memcpy(x + 6, buf, 32);
    x[10] = pos;
    x[11] = b.has32 ? 1 : 0;
    x[12] = b.u32;
  }
  inline uint64_t Next64() {
    if (pos < 4) return buf[pos++];
    if (++ctr[0] == 0 && ++ctr[1] == 0 && ++ctr[2] == 0) ++ctr[3];
    uint64_t c0 = ctr[0], c1 = ctr[1], c2 = ctr[2], c3 = ctr[3];
    uint64_t k0 = key[0], k1 = key[1];
    for (int r = 0; r < 10; ++r) {
      if (r > 0) {
        k0 += 0x9E3779B97F4A7C15ULL;
        k1 += 0xBB67AE8584CAA73BULL;
      }
      const u128 p0 = static_cast<u128>(0xD2E7470EE14C6C93ULL) * c0;
      const u128 p1 = static_cast<u128>(0xCA5A826395121157ULL) * c2;
      const uint64_t hi0 = static_cast<uint64_t>(p0 >> 64), lo0 = static_cast<uint64_t>(p0);
      const uint64_t hi1 = static_cast<uint64_t>(p1 >> 64), lo1 = static_cast<uint64_t>(p1);
      const uint64_t n0 = hi1 ^ c1 ^ k0, n2 = hi0 ^ c3 ^ k1;
      c0 = n0;
      c1 = lo1;
      c2 = n2;
      c3 = lo0;
    }
    buf[0] = c0;
    buf[1] = c1;
    buf[2] = c2;
    buf[3] = c3;
    pos = 1;
    return c0;
  }
};

struct Mt19937 {
  static constexpr size_t kWords = 313;
  static constexpr int kN = 624, kM = 397;
  uint32_t key[kN];
  int pos = kN;
  void Load(const uint64_t* x) {
    std::memcpy(key, x, sizeof key);
    pos = static_cast<int>(x[312] > kN ? kN : x[312]);
  }
  void Store(uint64_t* x) const {
    std::memcpy(x, key, sizeof key);
    x[312] = static_cast<uint64_t>(pos);
  }
  void Gen() {
    constexpr uint32_t kA = 0x9908b0dfU, kUp = 0x80000000U, kLow = 0x7fffffffU;
    int i = 0;
    uint32_t y;
    for (; i < kN - kM; ++i) {
      y = (key[i] & kUp) | (key[i + 1] & kLow);
      key[i] = key[i + kM] ^ (y >> 1) ^ (-(y & 1U) & kA);
    }
    for (; i < kN - 1; ++i) {
      y = (key[i] & kUp) | (key[i + 1] & kLow);
      key[i] = key[i + kM - kN] ^ (y >> 1) ^ (-(y & 1U) & kA);
    }
    y = (key[kN - 1] & kUp) | (key[0] & kLow);
    key[kN - 1] = key[kM - 1] ^ (y >> 1) ^ (-(y & 1U) & kA);
    pos = 0;
  }
  inline uint32_t Next32() {
    if (pos >= kN) Gen();
    uint32_t y = key[pos++];
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680U;
    y ^= (y << 15) & 0xefc60000U;
    y ^= y >> 18;
    return y;
  }
  inline uint64_t Next64() {
    const uint64_t hi = Next32();
    return (hi << 32) | Next32();
  }
  inline double NextDouble() {
    const int32_t a = static_cast<int32_t>(Next32() >> 5), b = static_cast<int32_t>(Next32() >> 6);
    return (a * 67108864.0 + b) / 9007199254740992.0;
  }
  inline float NextFloat() { return (Next32() >> 8) * kTwoM24f; }
};

// The uniform interface every distribution uses: G is one of the structs above.
template <class G>
struct Bits {
  G g;
  inline uint64_t U64() { return g.Next64(); }
  inline uint32_t U32() {
    if (g.b.has32) {
      g.b.has32 = false;
      return g.b.u32;
    }
    const uint64_t n = g.Next64();
    g.b.has32 = true;
    g.b.u32 = static_cast<uint32_t>(n >> 32);
    return static_cast<uint32_t>(n);
  }
  inline double Double() { return (g.Next64() >> 11) * kTwoM53; }
  inline float Float() { return (U32() >> 8) * kTwoM24f; }
  inline uint64_t Raw() { return g.Next64(); }
};

template <>
struct Bits<Mt19937> {
  Mt19937 g;
  inline uint64_t U64() { return g.Next64(); }
  inline uint32_t U32() { return g.Next32(); }
  inline double Double() { return g.NextDouble(); }
  inline float Float() { return g.NextFloat(); }
  inline uint64_t Raw() { return g.Next32(); }  // NumPy's random_raw for MT19937: one 32-bit output
};

enum class Kind : int { kPcg64 = 0, kPcg64Dxsm = 1, kSfc64 = 2, kPhilox = 3, kMt19937 = 4 };

inline size_t StateWords(int kind) {
  switch (static_cast<Kind>(kind)) {
    case Kind::kPcg64:
    case Kind::kPcg64Dxsm: return Pcg64::kWords;
    case Kind::kSfc64: return Sfc64::kWords;
    case Kind::kPhilox: return Philox::kWords;
    case Kind::kMt19937: return Mt19937::kWords;
  }
  return 0;
}

// Runs f(bits) with a loaded generator of the given kind and stores the state back.
template <class F>
void WithBits(int kind, uint64_t* state, F&& f) {
  switch (static_cast<Kind>(kind)) {
    case Kind::kPcg64: {
      Bits<Pcg64> b;
      b.g.Load(state);
      f(b);
      b.g.Store(state);
      return;
    }
    case Kind::kPcg64Dxsm: {
      Bits<Pcg64Dxsm> b;
      b.g.Load(state);
      f(b);
      b.g.Store(state);
      return;
    }
    case Kind::kSfc64: {
      Bits<Sfc64> b;
      b.g.Load(state);
      f(b);
      b.g.Store(state);
      return;
    }
    case Kind::kPhilox: {
      Bits<Philox> b;
      b.g.Load(state);
      f(b);
      b.g.Store(state);
      return;
    }
    case Kind::kMt19937: {
      Bits<Mt19937> b;
      b.g.Load(state);
      f(b);
      b.g.Store(state);
      return;
    }
  }
}

}  // namespace random
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_RANDOM_BITGEN_H_
