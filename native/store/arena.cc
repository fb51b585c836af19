#include "store/arena.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <vector>

#include "platform/futex.h"
#include "platform/robust_mutex.h"
#include "platform/shm.h"
#include "store/fields.h"
#include "store/header.h"

namespace ndshare {
namespace store {
namespace {

// Marks an access for LRU.
void Touch(Arena* a, uint32_t slot) {
  double clock = F64(*a, sb::kLruClock) + 1;
  SetF64(a, sb::kLruClock, clock);
  SetF64(a, ObjectBase(*a, slot) + object::kLastAccess, clock);
}

// Gives a freed block's pages back to the OS (whole pages inside it only).
void PunchBlock(Arena* a, uint64_t offset, uint64_t bytes) {
  if (a->fd < 0) return;
  uint64_t page = platform::PageSize();
  uint64_t start = (offset + page - 1) / page * page;
  uint64_t end = (offset + bytes) / page * page;
  if (end > start) platform::PunchHole(a->fd, start, end - start);
}

void DropPins(Arena* a, uint32_t slot, uint32_t count) {
  uint64_t r = ObjectBase(*a, slot) + object::kRefcount;
  uint32_t have = U32(*a, r);
  uint32_t left = have > count ? have - count : 0;
  SetU32(a, r, left);
  if (left == 0 && GoesWithLastPin(*a, slot)) FreeObject(a, slot, kPunchDefer);
}

// A freed block: kept resident while freed memory stays within the retain
// budget (the next allocation reuses its pages), else punched: after the
// unlock (the client's pending punch) when deferred, else now.
void GiveBack(Arena* a, uint64_t offset, uint64_t bytes, Punch punch) {
  if (bytes >= kPunchMinBytes && punch != kPunchKeep && a->fd >= 0) {
    double used = F64(*a, sb::kUsed);
    double resident = static_cast<double>(AllocatedBytes(*a)) - static_cast<double>(a->r.data_start) - used;
    if (std::max(0.0, resident) + static_cast<double>(bytes) > F64(*a, sb::kRetainBudget)) {
      if (punch == kPunchDefer && a->client >= 0 && a->client < static_cast<int32_t>(a->g.max_clients)) {
        uint64_t cb = ClientBase(*a, a->client);
        if (F64(*a, cb + client::kPendingBytes) == 0) {
          SetF64(a, cb + client::kPendingOffset, static_cast<double>(offset));
          SetF64(a, cb + client::kPendingBytes, static_cast<double>(bytes));
          return;
        }
      }
      PunchBlock(a, offset, bytes);
    }
  }
  ReleaseBlock(a, offset, bytes);
}

bool NameEquals(const Arena& a, uint32_t slot, const uint8_t* name, size_t len) {
  uint64_t off, bytes;
  if (!BlockOf(a, slot, &off, &bytes)) return false;
  uint32_t hb = U32(a, ObjectBase(a, slot) + object::kHeaderBytes);
  if (hb > bytes) return false;
  const uint8_t* have = nullptr;
  uint32_t have_len = 0;
  if (!HeaderName(a.base, a.size, off, hb, &have, &have_len) || have == nullptr) return false;
  return have_len == len && std::memcmp(have, name, len) == 0;
}

bool Visible(const Arena& a, int32_t client, uint32_t slot) {
  return StateOf(a, slot) != kCreated || I32(a, ObjectBase(a, slot) + object::kCreator) == client;
}

}  // namespace

int32_t StateOf(const Arena& a, uint32_t slot) { return AtomicLoad(a, ObjectBase(a, slot) + object::kState); }
uint32_t GenerationOf(const Arena& a, uint32_t slot) { return U32(a, ObjectBase(a, slot) + object::kGeneration); }

// ---- attach -----------------------------------------------------------------

Status Attach(uint8_t* base, uint64_t size, int fd, const uint8_t* token16, uint64_t page_size, Arena* a,
              std::string* why) {
  auto bad = [&](const std::string& what) {
    if (why) *why = "Not an ndshare store segment (or another version): " + what;
    return kCorrupt;
  };
  if (base == nullptr || size < kSuperblockBytes) return bad("segment of " + std::to_string(size) + " bytes");
  a->base = base;
  a->size = size;
  a->fd = fd;
  if (static_cast<uint32_t>(AtomicLoad(*a, sb::kMagic)) != kMagic) return bad("magic number mismatch");
  uint32_t version = U32(*a, sb::kVersion);
  if (version != kLayoutVersion) {
    return bad("layout version " + std::to_string(version) + ", expected " + std::to_string(kLayoutVersion));
  }
  if (token16 != nullptr && std::memcmp(base + sb::kToken, token16, 16) != 0) {
    return bad("token mismatch (a stale or foreign handle)");
  }
  Geometry g;
  g.max_clients = U32(*a, sb::kMaxClients);
  g.max_objects = U32(*a, sb::kMaxObjects);
  g.pins_per_client = U32(*a, sb::kPinsPerClient);
  g.index_size = U32(*a, sb::kIndexSize);
  double cap = F64(*a, sb::kCapacity);
  if (!(g.max_clients >= 1 && g.max_clients <= 4096) || !(g.max_objects >= 1 && g.max_objects <= (1u << 22)) ||
      !(g.pins_per_client >= 1 && g.pins_per_client <= (1u << 20)) ||
      !(uint64_t{g.index_size} >= 2 * uint64_t{g.max_objects} && (g.index_size & (g.index_size - 1)) == 0) ||
      !AsCount(cap, &g.capacity)) {
    return bad("geometry out of range");
  }
  Regions r = RegionsOf(g, page_size);
  if (static_cast<double>(r.segment_bytes) != F64(*a, sb::kSegmentBytes) || r.segment_bytes > size ||
      static_cast<double>(r.data_start) != F64(*a, sb::kDataStart)) {
    return bad("layout needs " + std::to_string(r.segment_bytes) + " bytes, segment has " + std::to_string(size));
  }
  a->g = g;
  a->r = r;
  return kOk;
}

Status Initialize(uint8_t* base, uint64_t size, int fd, const Geometry& g, const uint8_t* token16,
                  uint64_t retain_budget, uint32_t owner_pid, uint64_t page_size, Arena* a) {
  Regions r = RegionsOf(g, page_size);
  if (r.segment_bytes > size) return kCorrupt;
  a->base = base;
  a->size = size;
  a->fd = fd;
  a->g = g;
  a->r = r;
  SetU32(a, sb::kVersion, kLayoutVersion);
  SetU32(a, sb::kMaxClients, g.max_clients);
  SetU32(a, sb::kMaxObjects, g.max_objects);
  SetU32(a, sb::kPinsPerClient, g.pins_per_client);
  SetU32(a, sb::kIndexSize, g.index_size);
  std::memcpy(base + sb::kToken, token16, 16);
  SetF64(a, sb::kSegmentBytes, static_cast<double>(r.segment_bytes));
  SetF64(a, sb::kDataStart, static_cast<double>(r.data_start));
  SetF64(a, sb::kCapacity, static_cast<double>(g.capacity));
  SetF64(a, sb::kRetainBudget, static_cast<double>(retain_budget));
  SetU32(a, sb::kOwnerPid, owner_pid);
  int rc = platform::RobustMutexInit(StoreMutex(*a));
  if (rc != 0) return a->err = rc, kSystem;
  SetU32(a, sb::kFreeCount, 1);
  Extents(*a)[0] = static_cast<double>(r.data_start);
  Extents(*a)[1] = static_cast<double>(g.capacity);
  // Publish last: attachers check the magic first.
  AtomicStore(a, sb::kMagic, static_cast<int32_t>(kMagic));
  return kOk;
}

// ---- the mutex ----------------------------------------------------------------

Status Lock(Arena* a, int64_t timeout_ns, int* reaped) {
  int rc = platform::RobustMutexLock(StoreMutex(*a), timeout_ns);
  if (rc == ETIMEDOUT) return kTimeout;
  if (rc == EOWNERDEAD) {
    int n = Repair(a, a->client);
    if (reaped) *reaped = n;
    platform::RobustMutexConsistent(StoreMutex(*a));
    return kOk;
  }
  if (rc != 0) return a->err = rc, kSystem;
  return kOk;
}

void Unlock(Arena* a) {
  platform::RobustMutexUnlock(StoreMutex(*a));
  if (a->client < 0 || a->client >= static_cast<int32_t>(a->g.max_clients)) return;
  uint64_t cb = ClientBase(*a, a->client);
  double pending = F64(*a, cb + client::kPendingBytes);
  if (pending == 0) return;
  uint64_t offset, bytes;
  bool ok = AsCount(F64(*a, cb + client::kPendingOffset), &offset) && AsCount(pending, &bytes);
  if (ok) PunchBlock(a, offset, bytes);
  if (Lock(a, int64_t{30} * 1000000000) != kOk) return;
  if (F64(*a, cb + client::kPendingBytes) == pending) {
    SetF64(a, cb + client::kPendingBytes, 0);
    if (ok) ReleaseBlock(a, offset, bytes);
  }
  platform::RobustMutexUnlock(StoreMutex(*a));
}

// ---- clients --------------------------------------------------------------------

int32_t RegisterClient(Arena* a, int32_t pid, int32_t thread_id) {
  ReapDeadClients(a, -1);
  for (uint32_t c = 0; c < a->g.max_clients; c++) {
    uint64_t b = ClientBase(*a, static_cast<int32_t>(c));
    if (AtomicLoad(*a, b + client::kState) != kClientFree) continue;
    if (platform::RobustMutexInit(LivenessOf(*a, static_cast<int32_t>(c))) != 0) return -1;
    if (platform::RobustMutexLock(LivenessOf(*a, static_cast<int32_t>(c)), 0) != 0) continue;
    SetI32(a, b + client::kPid, pid);
    SetI32(a, b + client::kThreadId, thread_id);
    SetU32(a, b + client::kPinCount, 0);
    SetF64(a, b + client::kPendingBytes, 0);
    AtomicStore(a, b + client::kState, kClientActive);
    return static_cast<int32_t>(c);
  }
  return -1;
}

void ReleaseHoldings(Arena* a, int32_t c) {
  if (c < 0 || c >= static_cast<int32_t>(a->g.max_clients)) return;
  uint64_t b = ClientBase(*a, c);
  uint64_t pins = PinsBase(*a, c);
  uint32_t n = std::min(U32(*a, b + client::kPinCount), a->g.pins_per_client);
  // Drop pins from the last entry down, shrinking the count as we go (every prefix stays true).
  for (uint32_t k = n; k-- > 0;) {
    uint32_t slot = U32(*a, pins + k * kPinBytes);
    uint32_t count = U32(*a, pins + k * kPinBytes + 4);
    SetU32(a, b + client::kPinCount, k);
    if (slot < a->g.max_objects) DropPins(a, slot, count);
  }
  SetU32(a, b + client::kPinCount, 0);
  // What it created but never sealed can never be sealed now.
  for (uint32_t slot = 0; slot < a->g.max_objects; slot++) {
    if (StateOf(*a, slot) == kCreated && I32(*a, ObjectBase(*a, slot) + object::kCreator) == c) {
      FreeObject(a, slot, kPunchDefer);
    }
  }
  // A block it was giving back to the OS is free now (its punch may be half done: harmless).
  double pending = F64(*a, b + client::kPendingBytes);
  if (pending > 0) {
    uint64_t offset, bytes;
    SetF64(a, b + client::kPendingBytes, 0);
    if (AsCount(F64(*a, b + client::kPendingOffset), &offset) && AsCount(pending, &bytes))
      ReleaseBlock(a, offset, bytes);
  }
}

void RetireClient(Arena* a, int32_t c, bool release_liveness) {
  if (c < 0 || c >= static_cast<int32_t>(a->g.max_clients)) return;
  ReleaseHoldings(a, c);
  if (release_liveness) platform::RobustMutexUnlock(LivenessOf(*a, c));
  AtomicStore(a, ClientBase(*a, c) + client::kState, kClientFree);
}

int ReapDeadClients(Arena* a, int32_t self) {
  int reaped = 0;
  for (uint32_t c = 0; c < a->g.max_clients; c++) {
    int32_t ci = static_cast<int32_t>(c);
    if (ci == self) continue;
    if (AtomicLoad(*a, ClientBase(*a, ci) + client::kState) != kClientActive) continue;
    int rc = platform::RobustMutexTryLock(LivenessOf(*a, ci));
    if (rc == EBUSY || rc == EDEADLK) continue;  // held: alive (EDEADLK: by this very thread)
    if (rc == EOWNERDEAD) platform::RobustMutexConsistent(LivenessOf(*a, ci));
    else if (rc != 0) continue;  // not a mutex we can judge (ENOTRECOVERABLE...): leave it
    RetireClient(a, ci, true);
    reaped++;
  }
  return reaped;
}

uint32_t LiveClients(const Arena& a) {
  uint32_t n = 0;
  for (uint32_t c = 0; c < a.g.max_clients; c++) {
    if (AtomicLoad(a, ClientBase(a, static_cast<int32_t>(c)) + client::kState) == kClientActive) n++;
  }
  return n;
}

// ---- pins -------------------------------------------------------------------------

namespace {

// The pin entry of `slot` in client `c`'s list: its byte offset, or 0 if none; *n gets the
// entries in use (clamped to the list). `c` must be a valid client.
uint64_t FindPin(const Arena& a, int32_t c, uint32_t slot, uint32_t* n) {
  *n = std::min(U32(a, ClientBase(a, c) + client::kPinCount), a.g.pins_per_client);
  uint64_t pins = PinsBase(a, c);
  for (uint32_t k = 0; k < *n; k++) {
    if (U32(a, pins + k * kPinBytes) == slot) return pins + k * kPinBytes;
  }
  return 0;
}

bool ValidClient(const Arena& a, int32_t c) { return c >= 0 && c < static_cast<int32_t>(a.g.max_clients); }

}  // namespace

Status Pin(Arena* a, int32_t c, uint32_t slot) {
  if (!ValidClient(*a, c) || slot >= a->g.max_objects) return kCorrupt;
  uint32_t n;
  uint64_t e = FindPin(*a, c, slot, &n);
  if (e != 0) {
    SetU32(a, e + 4, U32(*a, e + 4) + 1);
  } else {
    if (n >= a->g.pins_per_client) return kFullPins;
    // Entry first, then the count that makes it visible.
    e = PinsBase(*a, c) + n * kPinBytes;
    SetU32(a, e, slot);
    SetU32(a, e + 4, 1);
    SetU32(a, ClientBase(*a, c) + client::kPinCount, n + 1);
  }
  uint64_t r = ObjectBase(*a, slot) + object::kRefcount;
  SetU32(a, r, U32(*a, r) + 1);
  return kOk;
}

Status Unpin(Arena* a, int32_t c, uint32_t slot) {
  if (!ValidClient(*a, c) || slot >= a->g.max_objects) return kNotHeld;
  uint32_t n;
  uint64_t e = FindPin(*a, c, slot, &n);
  if (e == 0) return kNotHeld;
  uint32_t count = U32(*a, e + 4);
  if (count <= 1) {
    // Move the last entry here, then shrink.
    uint64_t last = PinsBase(*a, c) + (n - 1) * kPinBytes;
    SetU32(a, e, U32(*a, last));
    SetU32(a, e + 4, U32(*a, last + 4));
    SetU32(a, ClientBase(*a, c) + client::kPinCount, n - 1);
  } else {
    SetU32(a, e + 4, count - 1);
  }
  DropPins(a, slot, 1);
  return kOk;
}

uint32_t PinCount(const Arena& a, int32_t c) {
  if (!ValidClient(a, c)) return 0;
  return std::min(U32(a, ClientBase(a, c) + client::kPinCount), a.g.pins_per_client);
}

uint32_t PinsHeld(const Arena& a, int32_t c, uint32_t slot) {
  if (!ValidClient(a, c)) return 0;
  uint32_t n;
  uint64_t e = FindPin(a, c, slot, &n);
  return e != 0 ? U32(a, e + 4) : 0;
}

// ---- objects --------------------------------------------------------------------------

void FreeObject(Arena* a, uint32_t slot, Punch punch) {
  if (slot >= a->g.max_objects) return;
  int32_t st = StateOf(*a, slot);
  if (st == kFree) return;
  uint64_t b = ObjectBase(*a, slot);
  uint32_t hash = U32(*a, b + object::kNameHash);
  if (hash != 0 && st != kDeleting) IndexRemove(a, slot, hash);
  uint64_t offset = 0, bytes = 0;
  bool ok = BlockOf(*a, slot, &offset, &bytes);
  // Generation before state: a stale id must never match the slot's next object.
  SetU32(a, b + object::kGeneration, U32(*a, b + object::kGeneration) + 1);
  SetU32(a, b + object::kRefcount, 0);
  AtomicStore(a, b + object::kState, kFree);
  if (ok) {
    GiveBack(a, offset, bytes, punch);
    SetF64(a, sb::kUsed, std::max(0.0, F64(*a, sb::kUsed) - static_cast<double>(bytes)));
  }
  SetF64(a, sb::kObjects, std::max(0.0, F64(*a, sb::kObjects) - 1));
  Wake(a, b + object::kState);
  BumpEpoch(a);
}

void DeleteObject(Arena* a, uint32_t slot) {
  if (slot >= a->g.max_objects) return;
  uint64_t b = ObjectBase(*a, slot);
  uint32_t hash = U32(*a, b + object::kNameHash);
  if (hash != 0) IndexRemove(a, slot, hash);
  if (U32(*a, b + object::kRefcount) > 0) {
    AtomicStore(a, b + object::kState, kDeleting);
    BumpEpoch(a);
  } else {
    FreeObject(a, slot, kPunchDefer);
  }
}

void EvictObject(Arena* a, uint32_t slot) {
  FreeObject(a, slot, kPunchKeep);  // reused at once: keep its pages
  SetF64(a, sb::kEvictions, F64(*a, sb::kEvictions) + 1);
}

void BumpEpoch(Arena* a) {
  __atomic_add_fetch(Word(*a, sb::kEpoch), 1, __ATOMIC_SEQ_CST);
  Wake(a, sb::kEpoch);
}

Status ReleaseBlock(Arena* a, uint64_t offset, uint64_t bytes) {
  double* f = Extents(*a);
  uint32_t n = FreeCount(*a);
  double off = static_cast<double>(offset), len = static_cast<double>(bytes);
  uint32_t lo = 0, hi = n;
  while (lo < hi) {
    uint32_t mid = (lo + hi) / 2;
    if (f[2 * mid] < off) lo = mid + 1;
    else hi = mid;
  }
  double prev_end = lo > 0 ? f[2 * (lo - 1)] + f[2 * (lo - 1) + 1] : -1;
  double next_start = lo < n ? f[2 * lo] : -1;
  if ((lo > 0 && prev_end > off) || (lo < n && next_start < off + len)) return kCorrupt;  // overlaps a free extent
  bool join_prev = prev_end == off, join_next = next_start == off + len;
  if (join_prev && join_next) {
    f[2 * (lo - 1) + 1] += len + f[2 * lo + 1];
    std::memmove(f + 2 * lo, f + 2 * lo + 2, (n - lo - 1) * 16);
    SetU32(a, sb::kFreeCount, n - 1);
  } else if (join_prev) {
    f[2 * (lo - 1) + 1] += len;
  } else if (join_next) {
    f[2 * lo] = off;
    f[2 * lo + 1] += len;
  } else {
    if (n >= a->g.max_objects + 1) return kCorrupt;  // more gaps than n blocks can leave
    std::memmove(f + 2 * lo + 2, f + 2 * lo, (n - lo) * 16);
    f[2 * lo] = off;
    f[2 * lo + 1] = len;
    SetU32(a, sb::kFreeCount, n + 1);
  }
  return kOk;
}

// ---- names ------------------------------------------------------------------------------

uint32_t NameHash(const uint8_t* name, size_t len) {
  uint32_t h = 0x811c9dc5u;
  for (size_t i = 0; i < len; i++) {
    h ^= name[i];
    h *= 0x01000193u;
  }
  return h == 0 ? 1 : h;
}

namespace {

// Visits the name index's entries from `hash`'s home, linear probing, until `visit(at, value)`
// returns true or the whole table was seen. `at` is the entry's byte offset.
template <typename Visit>
void Probe(const Arena& a, uint32_t hash, Visit visit) {
  uint32_t mask = a.g.index_size - 1;
  uint32_t i = hash & mask;
  for (uint64_t probes = 0; probes <= mask; i = (i + 1) & mask, probes++) {
    uint64_t at = a.r.index + uint64_t{i} * 4;
    if (visit(at, U32(a, at))) return;
  }
}

}  // namespace

int64_t FindName(const Arena& a, const uint8_t* name, size_t len) {
  uint32_t hash = NameHash(name, len);
  int64_t found = -1;
  Probe(a, hash, [&](uint64_t, uint32_t v) {
    if (v == 0) return true;
    if (v == kIndexTombstone) return false;
    uint32_t slot = v - 1;
    if (slot < a.g.max_objects && U32(a, ObjectBase(a, slot) + object::kNameHash) == hash) {
      int32_t st = StateOf(a, slot);
      if ((st == kCreated || st == kSealed) && NameEquals(a, slot, name, len)) return found = slot, true;
    }
    return false;
  });
  return found;
}

void IndexInsert(Arena* a, uint32_t slot, uint32_t hash) {
  Probe(*a, hash, [&](uint64_t at, uint32_t v) {
    if (v != 0 && v != kIndexTombstone) return false;
    SetU32(a, at, slot + 1);
    return true;
  });
}

void IndexRemove(Arena* a, uint32_t slot, uint32_t hash) {
  Probe(*a, hash, [&](uint64_t at, uint32_t v) {
    if (v == slot + 1) SetU32(a, at, kIndexTombstone);
    return v == 0 || v == slot + 1;
  });
}

// ---- lookup -------------------------------------------------------------------------------

Status Lookup(Arena* a, int32_t c, const Target& t, LookupResult* out) {
  int32_t epoch = AtomicLoad(*a, sb::kEpoch);
  out->exists = false;
  out->wait_offset = sb::kEpoch;
  out->wait_value = epoch;
  int64_t slot;
  if (t.by_id) {
    if (t.slot < 0 || t.slot >= static_cast<int64_t>(a->g.max_objects)) return kGone;
    uint32_t s = static_cast<uint32_t>(t.slot);
    int32_t st = StateOf(*a, s);
    uint32_t gen = GenerationOf(*a, s);
    // A freed slot's generation is the next object's: only a higher one (or a deleted object) is surely gone.
    if (gen != t.generation || st == kDeleting) {
      if (gen > t.generation || st == kDeleting) return kGone;
      return kNotFound;
    }
    slot = s;
  } else {
    slot = FindName(*a, t.name, t.name_len);
  }
  int32_t state = slot >= 0 ? StateOf(*a, static_cast<uint32_t>(slot)) : kFree;
  if (state == kSealed) {
    uint32_t s = static_cast<uint32_t>(slot);
    uint64_t b = ObjectBase(*a, s);
    uint64_t data_bytes;
    if (!BlockOf(*a, s, &out->block_offset, &out->block_bytes) ||
        !AsCount(F64(*a, b + object::kDataBytes), &data_bytes)) {
      return kCorrupt;
    }
    out->header_bytes = U32(*a, b + object::kHeaderBytes);
    if (out->header_bytes > out->block_bytes) return kCorrupt;
    Status st = Pin(a, c, s);
    if (st != kOk) return st;
    Touch(a, s);
    out->slot = s;
    out->generation = GenerationOf(*a, s);
    out->data_bytes = data_bytes;
    out->exists = true;
    return kOk;
  }
  if (state == kCreated && I32(*a, ObjectBase(*a, static_cast<uint32_t>(slot)) + object::kCreator) == c) {
    out->exists = true;
    out->wait_offset = ObjectBase(*a, static_cast<uint32_t>(slot)) + object::kState;
    out->wait_value = kCreated;
  }
  // Not there yet (or another client's, unsealed): names may appear later, seals bump the epoch.
  return kNotFound;
}

int64_t Resolve(const Arena& a, int32_t c, const Target& t) {
  if (t.by_id) {
    if (t.slot < 0 || t.slot >= static_cast<int64_t>(a.g.max_objects)) return -1;
    uint32_t s = static_cast<uint32_t>(t.slot);
    int32_t st = StateOf(a, s);
    return GenerationOf(a, s) == t.generation && st != kFree && st != kDeleting && Visible(a, c, s) ? t.slot : -1;
  }
  int64_t s = FindName(a, t.name, t.name_len);
  return s >= 0 && Visible(a, c, static_cast<uint32_t>(s)) ? s : -1;
}

}  // namespace store
}  // namespace ndshare
