// The store's repair after a client died holding the mutex (everything derived rebuilt from
// the object table and the pin lists), and its stats. See arena.h.
#include <algorithm>
#include <utility>
#include <vector>

#include "store/arena.h"
#include "store/fields.h"

namespace ndshare {
namespace store {

// ---- repair ---------------------------------------------------------------------------------

namespace {

struct Run {
  uint64_t offset;
  uint64_t bytes;
  int64_t slot;  // -1: a live client's pending punch
};

void RebuildDerived(Arena* a) {
  const Geometry& g = a->g;
  // 1. Refcounts from the pin lists (entries past a client's pinCount are not pins).
  for (uint32_t s = 0; s < g.max_objects; s++) SetU32(a, ObjectBase(*a, s) + object::kRefcount, 0);
  for (uint32_t c = 0; c < g.max_clients; c++) {
    int32_t ci = static_cast<int32_t>(c);
    uint64_t b = ClientBase(*a, ci);
    if (AtomicLoad(*a, b + client::kState) != kClientActive) continue;
    uint64_t pins = PinsBase(*a, ci);
    uint32_t n = std::min(U32(*a, b + client::kPinCount), g.pins_per_client);
    uint32_t kept = 0;
    for (uint32_t k = 0; k < n; k++) {
      uint32_t slot = U32(*a, pins + k * kPinBytes);
      uint32_t count = U32(*a, pins + k * kPinBytes + 4);
      if (slot >= g.max_objects || count == 0 || StateOf(*a, slot) == kFree) continue;
      SetU32(a, pins + kept * kPinBytes, slot);
      SetU32(a, pins + kept * kPinBytes + 4, count);
      kept++;
      uint64_t r = ObjectBase(*a, slot) + object::kRefcount;
      SetU32(a, r, U32(*a, r) + count);
    }
    SetU32(a, b + client::kPinCount, kept);
  }
  // 2. Blocks, used bytes, object count, free extents and the name index from the object table.
  const uint64_t data_end = a->r.data_start + g.capacity;
  std::vector<Run> live;
  for (uint32_t c = 0; c < g.max_clients; c++) {
    uint64_t b = ClientBase(*a, static_cast<int32_t>(c));
    uint64_t off, bytes;
    // Blocks live clients are punching outside the lock are not free yet.
    if (AtomicLoad(*a, b + client::kState) == kClientActive && F64(*a, b + client::kPendingBytes) > 0 &&
        AsCount(F64(*a, b + client::kPendingOffset), &off) && AsCount(F64(*a, b + client::kPendingBytes), &bytes) &&
        off >= a->r.data_start && bytes <= data_end - off) {
      live.push_back({off, bytes, -1});
    }
  }
  for (uint32_t s = 0; s < g.max_objects; s++) {
    int32_t st = StateOf(*a, s);
    if (st == kFree) continue;
    uint64_t off, bytes;
    if (!(st == kCreated || st == kSealed || st == kDeleting) || !BlockOf(*a, s, &off, &bytes)) {
      DropSlot(a, s);
      continue;
    }
    live.push_back({off, bytes, static_cast<int64_t>(s)});
  }
  std::sort(live.begin(), live.end(), [](const Run& p, const Run& q) { return p.offset < q.offset; });
  double used = 0, objects = 0;
  uint64_t cursor = a->r.data_start;
  uint32_t n_free = 0;
  double* f = Extents(*a);
  for (const Run& blk : live) {
    if (blk.offset < cursor) {
      // Overlaps its predecessor: cannot both be real; drop the later one.
      if (blk.slot >= 0) DropSlot(a, static_cast<uint32_t>(blk.slot));
      continue;
    }
    if (blk.offset > cursor && n_free < g.max_objects + 1) {
      f[2 * n_free] = static_cast<double>(cursor);
      f[2 * n_free + 1] = static_cast<double>(blk.offset - cursor);
      n_free++;
    }
    cursor = blk.offset + blk.bytes;
    if (blk.slot >= 0) {
      used += static_cast<double>(blk.bytes);
      objects++;
    }
  }
  if (cursor < data_end && n_free < g.max_objects + 1) {
    f[2 * n_free] = static_cast<double>(cursor);
    f[2 * n_free + 1] = static_cast<double>(data_end - cursor);
    n_free++;
  }
  SetU32(a, sb::kFreeCount, n_free);
  SetF64(a, sb::kUsed, used);
  SetF64(a, sb::kObjects, objects);
  std::memset(a->base + a->r.index, 0, uint64_t{g.index_size} * 4);
  for (uint32_t s = 0; s < g.max_objects; s++) {
    int32_t st = StateOf(*a, s);
    uint32_t hash = U32(*a, ObjectBase(*a, s) + object::kNameHash);
    if ((st == kCreated || st == kSealed) && hash != 0) IndexInsert(a, s, hash);
  }
}

}  // namespace

int Repair(Arena* a, int32_t self) {
  RebuildDerived(a);
  for (uint32_t s = 0; s < a->g.max_objects; s++) {
    // A deleted object (or a result) whose pins are all gone goes now.
    if (StateOf(*a, s) != kCreated && StateOf(*a, s) != kFree && U32(*a, ObjectBase(*a, s) + object::kRefcount) == 0 &&
        GoesWithLastPin(*a, s)) {
      FreeObject(a, s, kPunchDefer);
    }
  }
  SetU32(a, sb::kRepairs, U32(*a, sb::kRepairs) + 1);
  return ReapDeadClients(a, self);
}

// ---- stats ------------------------------------------------------------------------------------

uint64_t LargestAfterEviction(const Arena& a) {
  std::vector<std::pair<uint64_t, uint64_t>> runs;
  for (uint32_t s = 0; s < a.g.max_objects; s++) {
    if (StateOf(a, s) != kSealed) continue;
    uint64_t b = ObjectBase(a, s);
    uint64_t off, bytes;
    if (U32(a, b + object::kRefcount) == 0 && (U32(a, b + object::kFlags) & kUnevictable) == 0 &&
        BlockOf(a, s, &off, &bytes)) {
      runs.emplace_back(off, bytes);
    }
  }
  const double* f = Extents(a);
  for (uint32_t k = 0; k < FreeCount(a); k++) {
    uint64_t off, bytes;
    if (AsCount(f[2 * k], &off) && AsCount(f[2 * k + 1], &bytes)) runs.emplace_back(off, bytes);
  }
  std::sort(runs.begin(), runs.end());
  uint64_t best = 0, start = 0, end = UINT64_MAX;
  for (const auto& run : runs) {
    if (run.first != end) start = run.first;
    end = run.first + run.second;
    best = std::max(best, end - start);
  }
  return best;
}

void GetStats(const Arena& a, Stats* s) {
  std::memset(s, 0, sizeof *s);
  for (uint32_t k = 0; k < a.g.max_objects; k++) {
    int32_t st = StateOf(a, k);
    if (st == kFree) continue;
    if (st == kSealed) s->sealed++;
    uint64_t b = ObjectBase(a, k);
    if (U32(a, b + object::kRefcount) > 0) s->pinned++;
    if (U32(a, b + object::kFlags) & kUnevictable) {
      uint64_t off, bytes;
      s->unevictable++;
      if (BlockOf(a, k, &off, &bytes)) s->unevictable_bytes += bytes;
    }
  }
  const double* f = Extents(a);
  for (uint32_t k = 0; k < FreeCount(a); k++) {
    uint64_t bytes;
    if (AsCount(f[2 * k + 1], &bytes)) s->largest_free = std::max(s->largest_free, bytes);
  }
  s->capacity = a.g.capacity;
  AsCount(F64(a, sb::kUsed), &s->used);
  AsCount(F64(a, sb::kObjects), &s->objects);
  AsCount(F64(a, sb::kEvictions), &s->evictions);
  s->clients = LiveClients(a);
  s->repairs = U32(a, sb::kRepairs);
  s->resident_bytes = AllocatedBytes(a);
  s->largest_after_eviction = LargestAfterEviction(a);
  s->pins_held = PinCount(a, a.client);
  s->max_objects = a.g.max_objects;
  s->max_clients = a.g.max_clients;
  s->pins_per_client = a.g.pins_per_client;
}

}  // namespace store
}  // namespace ndshare
