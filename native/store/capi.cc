#include "store/capi.h"

#include <sys/syscall.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <new>
#include <string>

#include "platform/futex.h"
#include "platform/shm.h"
#include "store/arena.h"
#include "store/header.h"

#define NDS_EXPORT extern "C" __attribute__((visibility("default")))

struct nds_store {
  ndshare::store::Arena arena;
  pid_t owner_tid;  // the thread that registered the client (holds its liveness mutex)
};

namespace {

using namespace ndshare::store;

constexpr int64_t kLockTimeoutNs = int64_t{30} * 1000000000;

void SetWhy(char* why, size_t len, const std::string& what) {
  if (why == nullptr || len == 0) return;
  std::snprintf(why, len, "%s", what.c_str());
}

pid_t Tid() { return static_cast<pid_t>(syscall(SYS_gettid)); }

bool HasClient(const nds_store* s) { return s != nullptr && s->arena.client >= 0; }

// Runs fn under the store mutex; NDS_TIMEOUT / NDS_SYSTEM if it cannot be taken.
template <typename Fn>
int Locked(nds_store* s, Fn fn) {
  Status st = Lock(&s->arena, kLockTimeoutNs);
  if (st != kOk) return st;
  int r = fn();
  Unlock(&s->arena);
  return r;
}

Target TargetOf(int64_t slot, uint32_t generation, const uint8_t* name, size_t name_len) {
  Target t{};
  t.by_id = name == nullptr;
  t.slot = slot;
  t.generation = generation;
  t.name = name;
  t.name_len = name_len;
  return t;
}

}  // namespace

NDS_EXPORT int nds_abi_version(void) { return NDS_ABI_VERSION; }
NDS_EXPORT int nds_layout_version(void) { return static_cast<int>(kLayoutVersion); }

NDS_EXPORT nds_store* nds_attach(void* base, uint64_t size, int fd, const uint8_t* token, int* status, char* why,
                                 size_t why_len) {
  nds_store* s = new (std::nothrow) nds_store();
  if (s == nullptr) {
    if (status) *status = NDS_SYSTEM;
    return nullptr;
  }
  std::string message;
  Status st = Attach(static_cast<uint8_t*>(base), size, fd, token, ndshare::platform::PageSize(), &s->arena, &message);
  if (st != kOk) {
    SetWhy(why, why_len, message);
    if (status) *status = st;
    delete s;
    return nullptr;
  }
  s->owner_tid = 0;
  if (status) *status = NDS_OK;
  return s;
}

NDS_EXPORT int nds_register(nds_store* s, int32_t pid, int32_t thread_id) {
  if (s == nullptr) return -NDS_NO_CLIENT;
  if (s->arena.client >= 0) return s->arena.client;
  int32_t client = -1;
  int st = Locked(s, [&] {
    client = RegisterClient(&s->arena, pid, thread_id);
    return client >= 0 ? NDS_OK : NDS_FULL_CLIENTS;
  });
  if (st != NDS_OK) return -st;
  s->arena.client = client;
  s->owner_tid = Tid();
  return client;
}

NDS_EXPORT int nds_get(nds_store* s, int64_t slot, uint32_t generation, const uint8_t* name, size_t name_len,
                       int64_t timeout_ns, nds_object* out, char* why, size_t why_len) {
  if (!HasClient(s) || out == nullptr) return NDS_NO_CLIENT;
  Arena* a = &s->arena;
  const Target t = TargetOf(slot, generation, name, name_len);
  const int64_t deadline = timeout_ns < 0 ? -1 : ndshare::platform::MonotonicNs() + timeout_ns;
  for (;;) {
    LookupResult r{};
    Status st = Lock(a, kLockTimeoutNs);
    if (st != kOk) return st;
    st = Lookup(a, a->client, t, &r);
    Unlock(a);
    if (st == kOk) {
      // Pinned: a sealed object's header and block do not change while we hold it.
      Header h;
      const char* problem = nullptr;
      if (!DecodeHeader(a->base, a->size, r.block_offset, r.header_bytes, r.block_offset + r.header_bytes,
                        r.block_offset + r.block_bytes, &h, &problem)) {
        Locked(s, [&] { return static_cast<int>(Unpin(a, a->client, r.slot)); });
        SetWhy(why, why_len, "Object #" + std::to_string(r.slot) + "." + std::to_string(r.generation) + ": " + problem);
        return NDS_CORRUPT;
      }
      out->slot = r.slot;
      out->generation = r.generation;
      out->dtype = h.dtype;
      out->itemsize = h.itemsize;
      out->ndim = h.ndim;
      out->order = h.order;
      for (int k = 0; k < h.ndim; k++) {
        out->shape[k] = h.shape[k];
        out->strides[k] = h.strides[k];
      }
      out->byte_offset = h.byte_offset;
      out->data_start = h.data_start;
      out->byte_length = h.byte_length;
      out->data_bytes = r.data_bytes;
      return NDS_OK;
    }
    if (st != kNotFound) {
      if (st == kCorrupt) SetWhy(why, why_len, "an object's control block is corrupt");
      return st;
    }
    int64_t left = deadline < 0 ? int64_t{1000000000} : deadline - ndshare::platform::MonotonicNs();
    if (timeout_ns == 0 || left <= 0)
      return timeout_ns != 0 && r.exists ? NDS_NOT_SEALED : timeout_ns != 0 ? NDS_TIMEOUT : NDS_NOT_FOUND;
    if (left > 1000000000) left = 1000000000;
    // The word lies in the checked tables (an object's state or the superblock's epoch).
    ndshare::platform::FutexWait(reinterpret_cast<const uint32_t*>(a->base + r.wait_offset),
                                 static_cast<uint32_t>(r.wait_value), left);
  }
}

NDS_EXPORT int nds_release(nds_store* s, uint32_t slot, uint32_t generation) {
  if (!HasClient(s)) return NDS_NO_CLIENT;
  Arena* a = &s->arena;
  if (slot >= a->g.max_objects) return NDS_NOT_HELD;
  return Locked(s, [&] {
    if (GenerationOf(*a, slot) != generation) return static_cast<int>(NDS_NOT_HELD);
    return Unpin(a, a->client, slot) == kOk ? static_cast<int>(NDS_OK) : static_cast<int>(NDS_NOT_HELD);
  });
}

NDS_EXPORT int nds_has(nds_store* s, int64_t slot, uint32_t generation, const uint8_t* name, size_t name_len) {
  if (s == nullptr) return -NDS_NO_CLIENT;
  Arena* a = &s->arena;
  const Target t = TargetOf(slot, generation, name, name_len);
  int found = 0;
  int st = Locked(s, [&] {
    int64_t at = Resolve(*a, a->client, t);
    found = at >= 0 && StateOf(*a, static_cast<uint32_t>(at)) == kSealed;
    return NDS_OK;
  });
  return st == NDS_OK ? found : -st;
}

NDS_EXPORT int nds_delete(nds_store* s, int64_t slot, uint32_t generation, const uint8_t* name, size_t name_len) {
  if (!HasClient(s)) return NDS_NO_CLIENT;
  Arena* a = &s->arena;
  const Target t = TargetOf(slot, generation, name, name_len);
  return Locked(s, [&] {
    int64_t at = Resolve(*a, a->client, t);
    if (at < 0) return static_cast<int>(NDS_NOT_FOUND);
    DeleteObject(a, static_cast<uint32_t>(at));
    return static_cast<int>(NDS_OK);
  });
}

NDS_EXPORT int nds_stats(nds_store* s, nds_stats_t* out) {
  if (s == nullptr || out == nullptr) return NDS_NO_CLIENT;
  Arena* a = &s->arena;
  return Locked(s, [&] {
    ReapDeadClients(a, a->client);
    Stats st;
    GetStats(*a, &st);
    static_assert(sizeof(Stats) == sizeof(nds_stats_t), "nds_stats mirrors store::Stats");
    std::memcpy(out, &st, sizeof st);
    return NDS_OK;
  });
}

NDS_EXPORT int nds_pins_held(nds_store* s) {
  if (!HasClient(s)) return -NDS_NO_CLIENT;
  int n = 0;
  int st = Locked(s, [&] {
    n = static_cast<int>(PinCount(s->arena, s->arena.client));
    return NDS_OK;
  });
  return st == NDS_OK ? n : -st;
}

NDS_EXPORT int nds_close(nds_store* s) {
  if (s == nullptr) return NDS_OK;
  int st = NDS_OK;
  if (s->arena.client >= 0) {
    Arena* a = &s->arena;
    const bool own = s->owner_tid == Tid();
    st = Locked(s, [&] {
      if (own) RetireClient(a, a->client, true);
      else ReleaseHoldings(a, a->client);
      return NDS_OK;
    });
    // After retiring there is no client whose pending punch Unlock would finish.
    a->client = -1;
  }
  delete s;
  return st;
}
