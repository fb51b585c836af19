// native.store: the store's rules (store/arena.h) for src/store/arena.ts.
//
// Every function takes the segment's SharedArrayBuffer first; the superblock
// is checked on every call (a dozen loads), so a corrupt or foreign buffer is
// ERR_NDSHARE_CORRUPT_HEADER, never a stray access. Slots and clients coming
// from JS are range-checked against the segment's geometry. Functions other
// than lock/unlock/attach/initialize require the caller to hold the store
// mutex (through lock), as src/store/arena.ts does.
#include "store/binding.h"

#include <initializer_list>
#include <string>
#include <utility>

#include "platform/shm.h"
#include "store/arena.h"
#include "util/args.h"
#include "util/errors.h"
#include "util/exports.h"

namespace ndshare {
namespace store {
namespace {

constexpr const char* kCorruptHeader = "ERR_NDSHARE_CORRUPT_HEADER";

// The arena over info[0] (the segment), with fd info[1] and client info[2] when `with_client`.
Arena ArenaArg(const Napi::CallbackInfo& info, const char* fn, bool with_client) {
  SharedBytes bytes = SharedBufferArg(info, 0, fn);
  Arena a;
  std::string why;
  if (Attach(bytes.data, bytes.length, -1, nullptr, platform::PageSize(), &a, &why) != kOk) {
    throw MakeError(info.Env(), kCorruptHeader, why);
  }
  if (with_client) {
    a.fd = static_cast<int>(IntegerArg(info, 1, fn, "fd", -1, 2147483647.0));
    a.client = static_cast<int32_t>(IntegerArg(info, 2, fn, "client", -1, a.g.max_clients - 1));
  }
  return a;
}

uint32_t SlotArg(const Napi::CallbackInfo& info, size_t index, const Arena& a, const char* fn) {
  return static_cast<uint32_t>(IntegerArg(info, index, fn, "slot", 0, a.g.max_objects - 1));
}

// An id target (slot, generation; slot -1: an id that names nothing here) or a name (a Uint8Array).
Target TargetArg(const Napi::CallbackInfo& info, size_t index, const char* fn) {
  Target t{};
  if (info[index].IsTypedArray()) {
    if (info[index].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
      throw MakeTypeError(info.Env(), std::string(fn) + ": name must be a Uint8Array");
    }
    Napi::Uint8Array name = info[index].As<Napi::Uint8Array>();
    t.by_id = false;
    t.name = name.Data();
    t.name_len = name.ByteLength();
    return t;
  }
  t.by_id = true;
  t.slot = static_cast<int64_t>(IntegerArg(info, index, fn, "slot", -1, 4294967295.0));
  t.generation = static_cast<uint32_t>(IntegerArg(info, index + 1, fn, "generation", 0, 4294967295.0));
  return t;
}

Napi::Value Num(Napi::Env env, double v) { return Napi::Number::New(env, v); }

// attach(sab, token?: Uint8Array) -> geometry; throws CORRUPT_HEADER naming what is wrong.
Napi::Value JsAttach(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  SharedBytes bytes = SharedBufferArg(info, 0, "store.attach");
  const uint8_t* token = nullptr;
  if (info.Length() > 1 && info[1].IsTypedArray()) {
    Napi::Uint8Array t = info[1].As<Napi::Uint8Array>();
    if (t.ByteLength() != 16) throw MakeRangeError(env, "store.attach: token must be 16 bytes");
    token = t.Data();
  }
  Arena a;
  std::string why;
  if (Attach(bytes.data, bytes.length, -1, token, platform::PageSize(), &a, &why) != kOk) {
    throw MakeError(env, kCorruptHeader, why);
  }
  Napi::Object g = Napi::Object::New(env);
  g.Set("maxClients", Num(env, a.g.max_clients));
  g.Set("maxObjects", Num(env, a.g.max_objects));
  g.Set("pinsPerClient", Num(env, a.g.pins_per_client));
  g.Set("indexSize", Num(env, a.g.index_size));
  g.Set("capacity", Num(env, static_cast<double>(a.g.capacity)));
  return g;
}

// initialize(sab, maxClients, maxObjects, pinsPerClient, indexSize, capacity, token, retainBudget, ownerPid)
void JsInitialize(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "store.initialize";
  SharedBytes bytes = SharedBufferArg(info, 0, fn);
  Geometry g;
  g.max_clients = static_cast<uint32_t>(IntegerArg(info, 1, fn, "maxClients", 1, 4096));
  g.max_objects = static_cast<uint32_t>(IntegerArg(info, 2, fn, "maxObjects", 1, 1 << 22));
  g.pins_per_client = static_cast<uint32_t>(IntegerArg(info, 3, fn, "pinsPerClient", 1, 1 << 20));
  g.index_size = static_cast<uint32_t>(IntegerArg(info, 4, fn, "indexSize", 2, 1u << 31));
  g.capacity = static_cast<uint64_t>(IntegerArg(info, 5, fn, "capacity", 0, 9007199254740991.0));
  if (g.index_size < 2 * g.max_objects || (g.index_size & (g.index_size - 1)) != 0) {
    throw MakeRangeError(env, "store.initialize: indexSize must be a power of two >= 2 * maxObjects");
  }
  if (!info[6].IsTypedArray() || info[6].As<Napi::Uint8Array>().ByteLength() != 16) {
    throw MakeTypeError(env, "store.initialize: token must be a 16-byte Uint8Array");
  }
  uint64_t retain = static_cast<uint64_t>(IntegerArg(info, 7, fn, "retainBudget", 0, 9007199254740991.0));
  uint32_t pid = static_cast<uint32_t>(IntegerArg(info, 8, fn, "ownerPid", 0, 4294967295.0));
  Arena a;
  Status st = Initialize(bytes.data, bytes.length, -1, g, info[6].As<Napi::Uint8Array>().Data(), retain, pid,
                         platform::PageSize(), &a);
  if (st == kCorrupt) throw MakeRangeError(env, "store.initialize: the segment is smaller than the layout");
  if (st != kOk) throw MakeSystemError(env, a.err, "pthread_mutex_init", fn);
}

// lock(sab, fd, client, timeoutMs) -> 0 locked | 2 timed out (a repair, if needed, is done)
Napi::Value JsLock(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.lock", true);
  int64_t timeout = TimeoutArg(info, 3, "store.lock");
  Status st = Lock(&a, timeout);
  if (st == kSystem) throw MakeSystemError(info.Env(), a.err, "pthread_mutex_lock", "store.lock");
  return Num(info.Env(), st == kTimeout ? 2 : 0);
}

// unlock(sab, fd, client): unlocks, then finishes this client's pending punch.
void JsUnlock(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.unlock", true);
  Unlock(&a);
}

// registerClient(sab, fd, pid, threadId) -> client slot | -1 (all in use)
Napi::Value JsRegister(const Napi::CallbackInfo& info) {
  const char* fn = "store.registerClient";
  Arena a = ArenaArg(info, fn, false);
  a.fd = static_cast<int>(IntegerArg(info, 1, fn, "fd", -1, 2147483647.0));
  int32_t pid = static_cast<int32_t>(IntegerArg(info, 2, fn, "pid", 0, 2147483647.0));
  int32_t tid = static_cast<int32_t>(IntegerArg(info, 3, fn, "threadId", 0, 2147483647.0));
  return Num(info.Env(), RegisterClient(&a, pid, tid));
}

// retireClient(sab, fd, self, client, releaseLiveness)
void JsRetire(const Napi::CallbackInfo& info) {
  const char* fn = "store.retireClient";
  Arena a = ArenaArg(info, fn, true);
  int32_t c = static_cast<int32_t>(IntegerArg(info, 3, fn, "client", 0, a.g.max_clients - 1));
  RetireClient(&a, c, info[4].ToBoolean());
}

// reapDeadClients(sab, fd, self) -> how many
Napi::Value JsReap(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.reapDeadClients", true);
  return Num(info.Env(), ReapDeadClients(&a, a.client));
}

Napi::Value JsLiveClients(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.liveClients", false);
  return Num(info.Env(), LiveClients(a));
}

// pin(sab, fd, client, slot) -> true | false (this client's pin list is full)
Napi::Value JsPin(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.pin", true);
  uint32_t slot = SlotArg(info, 3, a, "store.pin");
  return Napi::Boolean::New(info.Env(), Pin(&a, a.client, slot) == kOk);
}

// unpin(sab, fd, client, slot) -> false if the client held no pin on it
Napi::Value JsUnpin(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.unpin", true);
  uint32_t slot = SlotArg(info, 3, a, "store.unpin");
  return Napi::Boolean::New(info.Env(), Unpin(&a, a.client, slot) == kOk);
}

// pinCount(sab, fd, client) / pinsHeld(sab, fd, client, slot)
Napi::Value JsPinCount(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.pinCount", true);
  return Num(info.Env(), PinCount(a, a.client));
}

Napi::Value JsPinsHeld(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.pinsHeld", true);
  return Num(info.Env(), PinsHeld(a, a.client, SlotArg(info, 3, a, "store.pinsHeld")));
}

// freeObject(sab, fd, client, slot, punch: 0 defer | 1 now | 2 keep)
void JsFreeObject(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.freeObject", true);
  uint32_t slot = SlotArg(info, 3, a, "store.freeObject");
  FreeObject(&a, slot, static_cast<Punch>(CodeArg(info, 4, "store.freeObject", "punch", 3)));
}

void JsDeleteObject(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.deleteObject", true);
  DeleteObject(&a, SlotArg(info, 3, a, "store.deleteObject"));
}

void JsEvictObject(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.evictObject", true);
  EvictObject(&a, SlotArg(info, 3, a, "store.evictObject"));
}

void JsBumpEpoch(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.bumpEpoch", false);
  BumpEpoch(&a);
}

// releaseBlock(sab, fd, client, offset, bytes): the block must lie in the data region.
void JsReleaseBlock(const Napi::CallbackInfo& info) {
  const char* fn = "store.releaseBlock";
  Arena a = ArenaArg(info, fn, true);
  double end = static_cast<double>(a.r.data_start + a.g.capacity);
  uint64_t offset = static_cast<uint64_t>(IntegerArg(info, 3, fn, "offset", static_cast<double>(a.r.data_start), end));
  uint64_t bytes = static_cast<uint64_t>(IntegerArg(info, 4, fn, "bytes", 1, end - static_cast<double>(offset)));
  if (ReleaseBlock(&a, offset, bytes) != kOk) {
    throw MakeError(info.Env(), kCorruptHeader, "store.releaseBlock: the block overlaps a free extent");
  }
}

// findName(sab, nameUtf8) -> slot of the created-or-sealed object of that name | -1
Napi::Value JsFindName(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.findName", false);
  Target t = TargetArg(info, 1, "store.findName");
  if (t.by_id) throw MakeTypeError(info.Env(), "store.findName: name must be a Uint8Array");
  return Num(info.Env(), static_cast<double>(FindName(a, t.name, t.name_len)));
}

// indexInsert(sab, slot, hash)
void JsIndexInsert(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.indexInsert", false);
  uint32_t slot = SlotArg(info, 1, a, "store.indexInsert");
  IndexInsert(&a, slot, static_cast<uint32_t>(IntegerArg(info, 2, "store.indexInsert", "hash", 1, 4294967295.0)));
}

// lookup(sab, fd, client, slot, generation | nameUtf8) -> [status, slot, generation, blockOffset,
// blockBytes, headerBytes, dataBytes, exists, waitOffset, waitValue] (status: arena.h Status)
Napi::Value JsLookup(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Arena a = ArenaArg(info, "store.lookup", true);
  Target t = TargetArg(info, 3, "store.lookup");
  LookupResult r{};
  Status st = Lookup(&a, a.client, t, &r);
  Napi::Float64Array out = Napi::Float64Array::New(env, 10);
  double* d = out.Data();
  d[0] = st;
  d[1] = r.slot;
  d[2] = r.generation;
  d[3] = static_cast<double>(r.block_offset);
  d[4] = static_cast<double>(r.block_bytes);
  d[5] = r.header_bytes;
  d[6] = static_cast<double>(r.data_bytes);
  d[7] = r.exists ? 1 : 0;
  d[8] = static_cast<double>(r.wait_offset);
  d[9] = r.wait_value;
  return out;
}

// resolve(sab, fd, client, slot, generation | nameUtf8) -> live slot visible to client | -1
Napi::Value JsResolve(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.resolve", true);
  Target t = TargetArg(info, 3, "store.resolve");
  return Num(info.Env(), static_cast<double>(Resolve(a, a.client, t)));
}

// repair(sab, fd, self) -> clients reaped
Napi::Value JsRepair(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.repair", true);
  return Num(info.Env(), Repair(&a, a.client));
}

// stats(sab, fd, client) -> StoreStats fields (src/store/types.ts)
Napi::Value JsStats(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Arena a = ArenaArg(info, "store.stats", true);
  Stats s;
  GetStats(a, &s);
  Napi::Object o = Napi::Object::New(env);
  const std::pair<const char*, double> fields[] = {
      {"capacity", static_cast<double>(s.capacity)},
      {"used", static_cast<double>(s.used)},
      {"free", static_cast<double>(s.capacity) - static_cast<double>(s.used)},
      {"largestFree", static_cast<double>(s.largest_free)},
      {"objects", static_cast<double>(s.objects)},
      {"sealed", static_cast<double>(s.sealed)},
      {"pinned", static_cast<double>(s.pinned)},
      {"evictions", static_cast<double>(s.evictions)},
      {"clients", static_cast<double>(s.clients)},
      {"repairs", static_cast<double>(s.repairs)},
      {"residentBytes", static_cast<double>(s.resident_bytes)},
      {"unevictable", static_cast<double>(s.unevictable)},
      {"unevictableBytes", static_cast<double>(s.unevictable_bytes)},
      {"largestAfterEviction", static_cast<double>(s.largest_after_eviction)},
      {"pinsHeld", static_cast<double>(s.pins_held)},
  };
  for (const auto& f : fields) o.Set(f.first, Num(env, f.second));
  Napi::Object limits = Napi::Object::New(env);
  limits.Set("maxObjects", Num(env, s.max_objects));
  limits.Set("maxClients", Num(env, s.max_clients));
  limits.Set("pinsPerClient", Num(env, s.pins_per_client));
  o.Set("limits", limits);
  return o;
}

Napi::Value JsLargestAfterEviction(const Napi::CallbackInfo& info) {
  Arena a = ArenaArg(info, "store.largestAfterEviction", false);
  return Num(info.Env(), static_cast<double>(LargestAfterEviction(a)));
}

// The byte offsets native code uses (store/format.h), for the test that checks src/store/layout.ts against them.
Napi::Object Layout(Napi::Env env) {
  Napi::Object o = Napi::Object::New(env);
  auto group = [&](const char* name, std::initializer_list<std::pair<const char*, uint64_t>> fields) {
    Napi::Object g = Napi::Object::New(env);
    for (const auto& f : fields) g.Set(f.first, Num(env, static_cast<double>(f.second)));
    o.Set(name, g);
  };
  group("Superblock", {{"magic", sb::kMagic},
                       {"version", sb::kVersion},
                       {"maxClients", sb::kMaxClients},
                       {"maxObjects", sb::kMaxObjects},
                       {"pinsPerClient", sb::kPinsPerClient},
                       {"indexSize", sb::kIndexSize},
                       {"token", sb::kToken},
                       {"segmentBytes", sb::kSegmentBytes},
                       {"dataStart", sb::kDataStart},
                       {"capacity", sb::kCapacity},
                       {"mutex", sb::kMutex},
                       {"lruClock", sb::kLruClock},
                       {"used", sb::kUsed},
                       {"objects", sb::kObjects},
                       {"evictions", sb::kEvictions},
                       {"freeCount", sb::kFreeCount},
                       {"epoch", sb::kEpoch},
                       {"ownerPid", sb::kOwnerPid},
                       {"repairs", sb::kRepairs},
                       {"retainBudget", sb::kRetainBudget}});
  group("ClientField", {{"liveness", client::kLiveness},
                        {"state", client::kState},
                        {"pid", client::kPid},
                        {"threadId", client::kThreadId},
                        {"pinCount", client::kPinCount},
                        {"pendingOffset", client::kPendingOffset},
                        {"pendingBytes", client::kPendingBytes}});
  group("ObjectField", {{"state", object::kState},
                        {"generation", object::kGeneration},
                        {"refcount", object::kRefcount},
                        {"creator", object::kCreator},
                        {"blockOffset", object::kBlockOffset},
                        {"blockBytes", object::kBlockBytes},
                        {"headerBytes", object::kHeaderBytes},
                        {"nameHash", object::kNameHash},
                        {"lastAccess", object::kLastAccess},
                        {"dataOffset", object::kDataOffset},
                        {"dataBytes", object::kDataBytes},
                        {"flags", object::kFlags}});
  group("sizes", {{"MAGIC", kMagic},
                  {"LAYOUT_VERSION", kLayoutVersion},
                  {"SUPERBLOCK_BYTES", kSuperblockBytes},
                  {"CLIENT_BYTES", kClientBytes},
                  {"PIN_BYTES", kPinBytes},
                  {"OBJECT_BYTES", kObjectBytes},
                  {"EXTENT_BYTES", kExtentBytes},
                  {"BLOCK_ALIGN", kBlockAlign},
                  {"INDEX_TOMBSTONE", kIndexTombstone}});
  return o;
}

}  // namespace

void InitStore(Napi::Env env, Napi::Object exports) {
  Napi::Object store = Napi::Object::New(env);
  store.Set("layout", Layout(env));
  SetMethods(env, store,
             {
                 {"attach", JsAttach},
                 {"initialize", JsInitialize},
                 {"lock", JsLock},
                 {"unlock", JsUnlock},
                 {"registerClient", JsRegister},
                 {"retireClient", JsRetire},
                 {"reapDeadClients", JsReap},
                 {"liveClients", JsLiveClients},
                 {"pin", JsPin},
                 {"unpin", JsUnpin},
                 {"pinCount", JsPinCount},
                 {"pinsHeld", JsPinsHeld},
                 {"freeObject", JsFreeObject},
                 {"deleteObject", JsDeleteObject},
                 {"evictObject", JsEvictObject},
                 {"bumpEpoch", JsBumpEpoch},
                 {"releaseBlock", JsReleaseBlock},
                 {"findName", JsFindName},
                 {"indexInsert", JsIndexInsert},
                 {"lookup", JsLookup},
                 {"resolve", JsResolve},
                 {"repair", JsRepair},
                 {"stats", JsStats},
                 {"largestAfterEviction", JsLargestAfterEviction},
             });
  exports.Set("store", store);
}

}  // namespace store
}  // namespace ndshare
