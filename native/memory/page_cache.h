// The pages of collected result buffers, kept for the next results of any size.
//
// NumPy allocates through glibc's malloc, which hands freed memory to the next
// request whatever its size. Our large buffers are mappings of their own
// (platform::MapAnonymous, 2 MiB aligned and huge-page advised), and a fresh
// mapping pays the kernel's zeroing and page faults at first touch (2-10 ms
// per 40 MB with huge pages on the development VM, ~100 ms without). So the
// pages of collected buffers are kept here, and a new buffer is made of them.
// Blocks are 2 MiB aligned and, unless that wastes more than an eighth of the
// request, whole 2 MiB granules (huge pages stay whole when they move):
//
//   - a collected block joins the cache merged with its cached neighbours;
//   - a cached piece at least as large as the request gives its head (the
//     smallest such piece; the rest stays cached as a piece of its own):
//     no system call at all;
//   - otherwise cached pieces are moved into one fresh reservation of the
//     requested size, each time the smallest that covers what is missing,
//     else the largest (platform::MovePages: page tables move, not bytes:
//     ~0.1 ms for 40 MB), and only the part they do not cover is fresh memory.
//
// Bounded: at most `limit` bytes (default min(512 MiB, physical memory / 8))
// and kMaxPieces pieces, the oldest unmapped first; a piece unused for
// `idleMs` (default 2 s) is unmapped by a background thread, so an idle
// process gives its memory back to the OS. Thread-safe: V8 frees buffers from
// the JS thread of any isolate and from its background sweeper threads.
//
// Memory safety: a piece enters the cache only from a buffer's deleter, which
// V8 calls once no ArrayBuffer (hence no view) can reach the buffer.
#ifndef NDSHARE_MEMORY_PAGE_CACHE_H_
#define NDSHARE_MEMORY_PAGE_CACHE_H_

#include <cstddef>
#include <cstdint>

namespace ndshare {
namespace memory {

// One x86-64 huge page: fresh blocks are aligned to it, and sized in it when
// the request is within an eighth of a whole number of granules.
constexpr size_t kGranule = size_t{2} << 20;

// At most this many cached pieces (each search over them is linear).
constexpr size_t kMaxPieces = 64;

struct Block {
  void* data;     // page aligned (kGranule aligned when fresh); nullptr on failure (errno set)
  size_t mapped;  // the bytes mapped: the request rounded up to granules or pages
  size_t reused;  // the first `reused` bytes may hold old data; the rest are fresh zero pages
};

// A block of at least `bytes` (1 <= bytes), from cached pages where there are
// any. Release it with Release(block.data, block.mapped).
Block Acquire(size_t bytes);

// Gives back a block (or any page-aligned whole-page part of one) that
// nothing refers to any more: it is cached, or unmapped beyond the limits.
void Release(void* data, size_t mapped);

// Unmaps every cached piece; returns the bytes released.
size_t Trim();

struct Settings {
  size_t limit;    // the most bytes kept cached; 0 caches nothing
  double idle_ms;  // a piece cached this long is unmapped; 0 never
};
Settings GetSettings();
// Applies `s` (limit rounded down to granules) and trims to it at once.
void Configure(Settings s);

struct Stats {
  size_t cached_bytes;     // bytes in the cache now
  size_t pieces;           // pieces in the cache now
  uint64_t hits;           // blocks cut from one cached piece (no system call)
  uint64_t gathers;        // blocks assembled by moving cached pieces
  uint64_t fresh;          // blocks with no cached page at all
  uint64_t reused_bytes;   // bytes handed out from the cache
  uint64_t fresh_bytes;    // bytes handed out as fresh pages
  uint64_t evicted_bytes;  // bytes unmapped for the limits
  uint64_t idle_bytes;     // bytes unmapped after idleMs
};
Stats GetStats();

}  // namespace memory
}  // namespace ndshare

#endif  // NDSHARE_MEMORY_PAGE_CACHE_H_
