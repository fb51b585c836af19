// The store's rules over one mapped segment (docs/store-format.md; arena.cc, and repair.cc for
// Repair and the stats): the
// superblock check, the store mutex and its repair, client slots and their
// liveness, pins, freeing objects, the free extents, the name index, lookup
// by id or name, and stats. One implementation for every client: the Node
// addon (store/binding.cc, used by src/store/arena.ts) and the C ABI
// (store/capi.cc, libndshare_store.so, used by the Python package) both call
// these functions.
//
// Nothing here trusts the segment: every offset, slot and size read from it is
// checked before it is used, and a value that cannot be right is either
// skipped (repair drops it) or reported as kCorrupt. Functions marked
// "locked" require the caller to hold the store mutex (Lock/Unlock).
#ifndef NDSHARE_STORE_ARENA_H_
#define NDSHARE_STORE_ARENA_H_

#include <cstddef>
#include <cstdint>
#include <string>

#include "store/format.h"

namespace ndshare {
namespace store {

// Results of the operations below (also the C ABI's return values).
enum Status : int {
  kOk = 0,
  kCorrupt = 1,      // not a store of this layout, or an impossible value in it
  kTimeout = 2,      // the store mutex stayed held (or an object did not come) in time
  kFullClients = 3,  // every client slot is in use
  kFullPins = 4,     // this client holds pinsPerClient distinct objects
  kNotFound = 5,     // no such object (yet): for a lookup, see LookupResult.wait_*
  kGone = 6,         // an id whose object was deleted or evicted: never comes back
  kSystem = 7,       // a system call failed (errno in Arena::err)
  kNotHeld = 8,      // release of a pin this client does not hold
};

// One process's view of a segment: where it is mapped, its geometry (read
// and checked once by Attach) and the calling client's slot (-1 before one is
// registered).
struct Arena {
  uint8_t* base = nullptr;
  uint64_t size = 0;
  int fd = -1;  // for punching freed pages; -1: freed pages stay resident
  int32_t client = -1;
  Geometry g{};
  Regions r{};
  int err = 0;  // errno of the last kSystem
};

// Checks that [base, base + size) holds a store segment of this layout
// version (and, with a token, that one), and fills `a`. On kCorrupt, `why`
// says what was wrong.
Status Attach(uint8_t* base, uint64_t size, int fd, const uint8_t* token16, uint64_t page_size, Arena* a,
              std::string* why);

// Lays out a fresh zero-filled segment (its creator only).
Status Initialize(uint8_t* base, uint64_t size, int fd, const Geometry& g, const uint8_t* token16,
                  uint64_t retain_budget, uint32_t owner_pid, uint64_t page_size, Arena* a);

// ---- the store mutex ------------------------------------------------------
// Takes the store mutex (timeout_ns < 0: forever). If its last owner died
// holding it, repairs the derived state first (Repair) and marks it consistent.
// `reaped` (optional) receives how many dead clients a repair retired.
Status Lock(Arena* a, int64_t timeout_ns, int* reaped = nullptr);
// Releases it; then gives a block this client freed back to the OS outside the
// lock (the client's pending punch) and returns it to the free extents.
void Unlock(Arena* a);

// ---- clients (locked) -----------------------------------------------------
// Claims a free slot for the calling thread and locks its liveness mutex for
// life; reaps dead clients first. Returns the slot, or -1 (every slot in use).
int32_t RegisterClient(Arena* a, int32_t pid, int32_t thread_id);
// Releases everything `client` holds (pins, unsealed objects, a pending
// punch) but keeps its slot: what a thread other than the client's own can do.
void ReleaseHoldings(Arena* a, int32_t client);
// ReleaseHoldings, then frees its slot. Releases everything `client` holds: pins, unsealed objects, a pending punch;
// frees its slot. `release_liveness`: unlock its liveness mutex (only its
// own thread may, or a reaper that got it with EOWNERDEAD).
void RetireClient(Arena* a, int32_t client, bool release_liveness);
// Retires every client whose thread died (liveness trylock: EOWNERDEAD, or
// free on an active slot). Returns how many.
int ReapDeadClients(Arena* a, int32_t self);
uint32_t LiveClients(const Arena& a);

// ---- pins (locked) --------------------------------------------------------
Status Pin(Arena* a, int32_t client, uint32_t slot);
// Removes one pin; frees the object if it must go with its last pin. kNotHeld if none.
Status Unpin(Arena* a, int32_t client, uint32_t slot);
uint32_t PinCount(const Arena& a, int32_t client);
uint32_t PinsHeld(const Arena& a, int32_t client, uint32_t slot);

// ---- objects (locked) -----------------------------------------------------
enum Punch { kPunchDefer = 0, kPunchNow = 1, kPunchKeep = 2 };
// Frees the slot and its block (generation bumped before the state: a stale
// id never names the slot's next object).
void FreeObject(Arena* a, uint32_t slot, Punch punch);
// Removes the name; frees the object now, or marks it to go with its last pin.
void DeleteObject(Arena* a, uint32_t slot);
// Evicts one unpinned object (its pages stay for the block's next user).
void EvictObject(Arena* a, uint32_t slot);
void BumpEpoch(Arena* a);
// Returns a block to the free extents, coalescing. kCorrupt if it overlaps one.
Status ReleaseBlock(Arena* a, uint64_t offset, uint64_t bytes);

// ---- names (locked) -------------------------------------------------------
uint32_t NameHash(const uint8_t* name, size_t len);
// The slot of a created-or-sealed object named `name`, or -1.
int64_t FindName(const Arena& a, const uint8_t* name, size_t len);
void IndexInsert(Arena* a, uint32_t slot, uint32_t hash);
void IndexRemove(Arena* a, uint32_t slot, uint32_t hash);

// ---- lookup (locked) ------------------------------------------------------
struct Target {
  bool by_id;
  int64_t slot;  // by id: -1 for an id outside this store's table
  uint32_t generation;
  const uint8_t* name;  // by name
  size_t name_len;
};

struct LookupResult {
  uint32_t slot;
  uint32_t generation;
  uint64_t block_offset;
  uint64_t block_bytes;
  uint32_t header_bytes;
  uint64_t data_bytes;
  bool exists;           // kNotFound: it exists but is not sealed yet (ours, unsealed)
  uint64_t wait_offset;  // kNotFound: futex word to wait on, and its value
  int32_t wait_value;
};

// One attempt of `get`: kOk (pinned and touched), kGone, kNotFound (with what
// to wait on), kFullPins, kCorrupt.
Status Lookup(Arena* a, int32_t client, const Target& t, LookupResult* out);
// The live slot an id or name resolves to for `client` (unsealed objects only
// for their creator; deleting ones never), or -1.
int64_t Resolve(const Arena& a, int32_t client, const Target& t);

// ---- repair and inspection (locked) ---------------------------------------
// Rebuilds refcounts, free extents, used bytes, object count and the name
// index from the object table and the pin lists; frees what lost its last
// pin; reaps dead clients. Returns how many it reaped.
int Repair(Arena* a, int32_t self);

struct Stats {
  uint64_t capacity, used, largest_free, objects, sealed, pinned, evictions, clients, repairs, resident_bytes,
      unevictable, unevictable_bytes, largest_after_eviction, pins_held;
  uint32_t max_objects, max_clients, pins_per_client;
};
void GetStats(const Arena& a, Stats* s);
// The largest free run if every unpinned sealed evictable object were evicted.
uint64_t LargestAfterEviction(const Arena& a);

// Field access for the bindings (slot/client must be in range: checked by callers).
inline uint64_t ObjectBase(const Arena& a, uint32_t slot) { return a.r.objects + uint64_t{slot} * kObjectBytes; }
inline uint64_t ClientBase(const Arena& a, int32_t c) { return a.r.clients + uint64_t(c) * kClientBytes; }
int32_t StateOf(const Arena& a, uint32_t slot);
uint32_t GenerationOf(const Arena& a, uint32_t slot);

}  // namespace store
}  // namespace ndshare

#endif  // NDSHARE_STORE_ARENA_H_
