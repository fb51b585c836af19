/* The store's C ABI: libndshare_store.so, built by `npm install` next to the
 * addon (build/Release/libndshare_store.so). It is the same code the Node
 * addon runs (store/arena.cc, store/header.cc), for clients in other
 * languages: the Python package loads it with ctypes (python/ndshare/_core.py).
 *
 * The caller maps the segment (MAP_SHARED, read-write) and passes its address;
 * the library never maps or unmaps. Every offset read from the segment is
 * checked; a corrupt segment is NDS_CORRUPT, never a crash. A store handle may
 * be used from any thread, but its client (registered by nds_register) is the
 * registering thread's: its liveness mutex is held by that thread, so the
 * client is reaped when that thread (or its process) dies.
 *
 * Return values: NDS_OK (0) or a positive status below; functions returning a
 * count or a slot return the negated status on failure. */
#ifndef NDSHARE_STORE_CAPI_H_
#define NDSHARE_STORE_CAPI_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NDS_ABI_VERSION 1

enum {
  NDS_OK = 0,
  NDS_CORRUPT = 1,      /* not a store of this layout, or an impossible value in it */
  NDS_TIMEOUT = 2,      /* the store mutex stayed held 30 s, or get's timeout passed */
  NDS_FULL_CLIENTS = 3, /* every client slot is in use */
  NDS_FULL_PINS = 4,    /* this client holds pinsPerClient distinct objects */
  NDS_NOT_FOUND = 5,    /* no such sealed object */
  NDS_GONE = 6,         /* an id whose object was deleted or evicted */
  NDS_SYSTEM = 7,       /* a system call failed */
  NDS_NOT_HELD = 8,     /* release of a pin this client does not hold */
  NDS_NO_CLIENT = 9,    /* the handle has no registered client (or it was closed) */
  NDS_NOT_SEALED = 10,  /* get timed out on an object that exists but is not sealed */
};

#define NDS_MAX_NDIM 64

typedef struct nds_store nds_store;

/* What get returns: the object's id, and its header, checked against its block. */
typedef struct {
  uint32_t slot;
  uint32_t generation;
  int32_t dtype; /* schema/ndarray.fbs enum value */
  int32_t itemsize;
  int32_t ndim;
  int32_t order;
  int64_t shape[NDS_MAX_NDIM];
  int64_t strides[NDS_MAX_NDIM]; /* bytes */
  uint64_t byte_offset;          /* of element [0,...,0], in the segment */
  uint64_t data_start;
  uint64_t byte_length;
  uint64_t data_bytes;
} nds_object;

typedef struct {
  uint64_t capacity, used, largest_free, objects, sealed, pinned, evictions, clients, repairs, resident_bytes,
      unevictable, unevictable_bytes, largest_after_eviction, pins_held;
  uint32_t max_objects, max_clients, pins_per_client;
} nds_stats_t;

int nds_abi_version(void);
int nds_layout_version(void);

/* Checks the segment mapped at [base, base + size) (layout version, token if
 * not NULL: 16 bytes, geometry) and returns a handle, or NULL with *status set
 * and a message in why[why_len]. `fd`: the segment's fd, used to give freed
 * pages back to the OS (-1: never); it stays the caller's. */
nds_store* nds_attach(void* base, uint64_t size, int fd, const uint8_t* token, int* status, char* why, size_t why_len);

/* Registers the calling thread as a client (a slot whose liveness mutex this
 * thread holds until nds_close). Returns the client slot, or -status. */
int nds_register(nds_store* s, int32_t pid, int32_t thread_id);

/* Pins a sealed object and describes it. By id: name == NULL, slot/generation
 * from '#slot.generation' (slot -1: an id that can name nothing here). By
 * name: name/name_len (UTF-8). timeout_ns > 0 waits for it to appear and be
 * sealed (< 0: forever). NDS_OK, NDS_NOT_FOUND, NDS_NOT_SEALED, NDS_GONE,
 * NDS_TIMEOUT, NDS_FULL_PINS, NDS_CORRUPT (why says what). */
int nds_get(nds_store* s, int64_t slot, uint32_t generation, const uint8_t* name, size_t name_len, int64_t timeout_ns,
            nds_object* out, char* why, size_t why_len);

/* Gives back one pin this client holds on the object (slot, generation).
 * NDS_OK, NDS_NOT_HELD (none, or the slot holds another object now). */
int nds_release(nds_store* s, uint32_t slot, uint32_t generation);

/* 1 if a sealed object of that id or name exists, 0 if not, or -status. */
int nds_has(nds_store* s, int64_t slot, uint32_t generation, const uint8_t* name, size_t name_len);

/* Deletes the object of that id or name (unsealed ones only for their creator): at once if
 * unpinned, else when its last pin goes. NDS_OK or NDS_NOT_FOUND. */
int nds_delete(nds_store* s, int64_t slot, uint32_t generation, const uint8_t* name, size_t name_len);

/* The store's counters (dead clients are reaped first). */
int nds_stats(nds_store* s, nds_stats_t* out);

/* Distinct objects this client holds pinned, or -status. */
int nds_pins_held(nds_store* s);

/* Retires the client (pins released, unsealed objects freed, slot freed) and
 * frees the handle. From a thread other than the registering one, the pins
 * and unsealed objects are released and the slot is left to the reaper (it
 * goes when the registering thread ends). */
int nds_close(nds_store* s);

#ifdef __cplusplus
}
#endif

#endif /* NDSHARE_STORE_CAPI_H_ */
