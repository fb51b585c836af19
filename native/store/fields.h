// Field access and small checks over a store segment, shared by the files of native/store/
// (arena.cc: the operations; repair.cc: the rebuild after a crash, and stats). Offsets are
// computed from the geometry Attach checked; values read from the segment are checked here
// (AsCount, BlockOf) before they are used as offsets.
#ifndef NDSHARE_STORE_FIELDS_H_
#define NDSHARE_STORE_FIELDS_H_

#include <algorithm>
#include <cmath>
#include <cstring>

#include "platform/futex.h"
#include "platform/shm.h"
#include "store/arena.h"

namespace ndshare {
namespace store {

// 2^53 - 1: the largest integer an f64 field holds exactly.
constexpr double kMaxSafe = 9007199254740991.0;

// ---- raw field access: offsets are computed from the checked geometry ------

inline uint32_t U32(const Arena& a, uint64_t off) {
  uint32_t v;
  std::memcpy(&v, a.base + off, 4);
  return v;
}
inline void SetU32(Arena* a, uint64_t off, uint32_t v) { std::memcpy(a->base + off, &v, 4); }
inline int32_t I32(const Arena& a, uint64_t off) { return static_cast<int32_t>(U32(a, off)); }
inline void SetI32(Arena* a, uint64_t off, int32_t v) { SetU32(a, off, static_cast<uint32_t>(v)); }
inline double F64(const Arena& a, uint64_t off) {
  double v;
  std::memcpy(&v, a.base + off, 8);
  return v;
}
inline void SetF64(Arena* a, uint64_t off, double v) { std::memcpy(a->base + off, &v, 8); }
inline int32_t* Word(const Arena& a, uint64_t off) { return reinterpret_cast<int32_t*>(a.base + off); }
inline int32_t AtomicLoad(const Arena& a, uint64_t off) { return __atomic_load_n(Word(a, off), __ATOMIC_SEQ_CST); }
inline void AtomicStore(Arena* a, uint64_t off, int32_t v) { __atomic_store_n(Word(*a, off), v, __ATOMIC_SEQ_CST); }
inline void Wake(Arena* a, uint64_t off) {
  platform::FutexWake(reinterpret_cast<const uint32_t*>(a->base + off), 0x7fffffff);
}

// A non-negative integral double below 2^53 (an offset or a size), or false.
inline bool AsCount(double d, uint64_t* out) {
  if (!(d >= 0 && d <= kMaxSafe) || d != std::floor(d)) return false;
  *out = static_cast<uint64_t>(d);
  return true;
}

inline uint64_t PinsBase(const Arena& a, int32_t c) { return a.r.pins + uint64_t(c) * a.g.pins_per_client * kPinBytes; }
inline void* LivenessOf(const Arena& a, int32_t c) { return a.base + ClientBase(a, c) + client::kLiveness; }
inline void* StoreMutex(const Arena& a) { return a.base + sb::kMutex; }

// An object's block, checked to lie in the data region (false: impossible values).
inline bool BlockOf(const Arena& a, uint32_t slot, uint64_t* offset, uint64_t* bytes) {
  uint64_t b = ObjectBase(a, slot);
  if (!AsCount(F64(a, b + object::kBlockOffset), offset) || !AsCount(F64(a, b + object::kBlockBytes), bytes))
    return false;
  uint64_t end = a.r.data_start + a.g.capacity;
  return *offset >= a.r.data_start && *offset % kBlockAlign == 0 && *bytes > 0 && *bytes % kBlockAlign == 0 &&
         *bytes <= end - *offset;
}

inline uint32_t FreeCount(const Arena& a) { return std::min<uint32_t>(U32(a, sb::kFreeCount), a.g.max_objects + 1); }
inline double* Extents(const Arena& a) { return reinterpret_cast<double*>(a.base + a.r.extents); }

inline uint64_t AllocatedBytes(const Arena& a) {
  uint64_t bytes = 0;
  if (a.fd >= 0) platform::AllocatedBytes(a.fd, &bytes);
  return bytes;
}

inline bool GoesWithLastPin(const Arena& a, uint32_t slot) {
  int32_t st = StateOf(a, slot);
  if (st == kDeleting || st == kCreated) return true;
  return st == kSealed && (U32(a, ObjectBase(a, slot) + object::kFlags) & kFreeWithLastPin) != 0;
}

// Marks an impossible object free (repair): generation first, then the state.
inline void DropSlot(Arena* a, uint32_t slot) {
  uint64_t b = ObjectBase(*a, slot);
  SetU32(a, b + object::kGeneration, U32(*a, b + object::kGeneration) + 1);
  AtomicStore(a, b + object::kState, kFree);
}

}  // namespace store
}  // namespace ndshare

#endif  // NDSHARE_STORE_FIELDS_H_
