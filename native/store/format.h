// The store segment's layout (docs/store-format.md, layout version 2): byte
// offsets of the superblock, client slots, pin entries, object control blocks,
// the name index and the free extents. One copy of these numbers for native
// code; src/store/layout.ts holds the same for the TypeScript side (the
// allocator), and test/47 checks the two against each other (native.store.layout).
#ifndef NDSHARE_STORE_FORMAT_H_
#define NDSHARE_STORE_FORMAT_H_

#include <cstdint>

namespace ndshare {
namespace store {

constexpr uint32_t kMagic = 0x4853444e;  // 'NDSH' little-endian
constexpr uint32_t kLayoutVersion = 2;
constexpr uint64_t kSuperblockBytes = 4096;

// Superblock fields (byte offsets). "f64" fields hold integers up to 2^53.
namespace sb {
constexpr uint64_t kMagic = 0;           // u32, written last by the creator
constexpr uint64_t kVersion = 4;         // u32
constexpr uint64_t kMaxClients = 8;      // u32
constexpr uint64_t kMaxObjects = 12;     // u32
constexpr uint64_t kPinsPerClient = 16;  // u32
constexpr uint64_t kIndexSize = 20;      // u32, a power of two >= 2 * maxObjects
constexpr uint64_t kToken = 24;          // 16 bytes
constexpr uint64_t kSegmentBytes = 40;   // f64
constexpr uint64_t kDataStart = 48;      // f64
constexpr uint64_t kCapacity = 56;       // f64
constexpr uint64_t kMutex = 64;          // robust pthread mutex (64 bytes reserved)
constexpr uint64_t kLruClock = 128;      // f64, under the mutex
constexpr uint64_t kUsed = 136;          // f64, derived
constexpr uint64_t kObjects = 144;       // f64, derived
constexpr uint64_t kEvictions = 152;     // f64
constexpr uint64_t kFreeCount = 160;     // u32, derived
constexpr uint64_t kEpoch = 164;         // i32 futex word, bumped after each seal/delete/free
constexpr uint64_t kOwnerPid = 168;      // u32, informational
constexpr uint64_t kRepairs = 172;       // u32
constexpr uint64_t kRetainBudget = 176;  // f64
}  // namespace sb

constexpr uint64_t kClientBytes = 128;
namespace client {
constexpr uint64_t kLiveness = 0;        // robust mutex held by the client for life
constexpr uint64_t kState = 64;          // i32: 0 free, 1 active
constexpr uint64_t kPid = 68;            // i32
constexpr uint64_t kThreadId = 72;       // i32 (0: a main thread)
constexpr uint64_t kPinCount = 76;       // u32 pin entries in use
constexpr uint64_t kPendingOffset = 80;  // f64 block being punched outside the lock
constexpr uint64_t kPendingBytes = 88;   // f64 (0: none)
}  // namespace client
constexpr int32_t kClientFree = 0;
constexpr int32_t kClientActive = 1;

constexpr uint64_t kPinBytes = 8;  // u32 object slot, u32 count

constexpr uint64_t kObjectBytes = 128;
namespace object {
constexpr uint64_t kState = 0;         // i32 futex word (ObjectState)
constexpr uint64_t kGeneration = 4;    // u32
constexpr uint64_t kRefcount = 8;      // u32 (derived from the pin lists)
constexpr uint64_t kCreator = 12;      // i32 client slot
constexpr uint64_t kBlockOffset = 16;  // f64
constexpr uint64_t kBlockBytes = 24;   // f64
constexpr uint64_t kHeaderBytes = 32;  // u32
constexpr uint64_t kNameHash = 36;     // u32 (0: unnamed)
constexpr uint64_t kLastAccess = 40;   // f64
constexpr uint64_t kDataOffset = 48;   // f64
constexpr uint64_t kDataBytes = 56;    // f64
constexpr uint64_t kFlags = 64;        // u32 ObjectFlags
}  // namespace object

enum ObjectState : int32_t { kFree = 0, kCreated = 1, kSealed = 2, kDeleting = 3 };
enum ObjectFlags : uint32_t { kUnevictable = 1, kFreeWithLastPin = 2 };

constexpr uint64_t kExtentBytes = 16;  // f64 offset, f64 bytes
constexpr uint32_t kIndexTombstone = 0xffffffffu;
constexpr uint64_t kBlockAlign = 64;
// Freed blocks of at least this size may give their pages back to the OS.
constexpr uint64_t kPunchMinBytes = uint64_t{1} << 20;

struct Geometry {
  uint32_t max_clients;
  uint32_t max_objects;
  uint32_t pins_per_client;
  uint32_t index_size;
  uint64_t capacity;
};

struct Regions {
  uint64_t clients;
  uint64_t pins;
  uint64_t objects;
  uint64_t index;
  uint64_t extents;
  uint64_t data_start;
  uint64_t segment_bytes;
};

inline uint64_t AlignUp(uint64_t n, uint64_t a) { return (n + a - 1) / a * a; }

// The regions of a geometry (layout.ts regionsOf).
inline Regions RegionsOf(const Geometry& g, uint64_t page_size) {
  Regions r;
  r.clients = kSuperblockBytes;
  r.pins = r.clients + uint64_t{g.max_clients} * kClientBytes;
  r.objects = AlignUp(r.pins + uint64_t{g.max_clients} * g.pins_per_client * kPinBytes, 64);
  r.index = r.objects + uint64_t{g.max_objects} * kObjectBytes;
  r.extents = AlignUp(r.index + uint64_t{g.index_size} * 4, 64);
  r.data_start = AlignUp(r.extents + (uint64_t{g.max_objects} + 1) * kExtentBytes, page_size);
  r.segment_bytes = r.data_start + g.capacity;
  return r;
}

}  // namespace store
}  // namespace ndshare

#endif  // NDSHARE_STORE_FORMAT_H_
