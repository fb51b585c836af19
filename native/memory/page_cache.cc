#include "memory/page_cache.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "platform/pages.h"

namespace ndshare {
namespace memory {
namespace {

using Clock = std::chrono::steady_clock;

struct Piece {
  uintptr_t start;          // page aligned (kGranule aligned unless cut from a larger piece)
  size_t bytes;             // whole pages
  Clock::time_point freed;  // when it entered the cache (a split keeps its parent's)
};

size_t DefaultLimit() {
  size_t limit = size_t{512} << 20;
  size_t physical = platform::PhysicalMemory();
  if (physical != 0) limit = std::min(limit, physical / 8);
  return limit / kGranule * kGranule;
}

struct Cache {
  std::mutex mutex;
  std::condition_variable wake;  // the trimmer waits on it
  std::vector<Piece> pieces;     // unordered
  size_t bytes = 0;              // sum of pieces[i].bytes
  size_t limit = DefaultLimit();
  double idle_ms = 2000;
  bool trimmer = false;  // the trimmer thread runs
  Stats stats{};
};

Cache& TheCache() {
  // Never destroyed: deleters and the trimmer may run during process teardown.
  static Cache* cache = new Cache();
  return *cache;
}

size_t PageSize() {
  static const size_t size = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  return size;
}

size_t RoundUp(size_t bytes, size_t unit) { return (bytes + unit - 1) / unit * unit; }

// A block's size: whole granules, so that its tail is a huge page too and
// pieces moved into a block keep their huge pages, unless that wastes more
// than an eighth of the request (a 2.1 MB buffer would hold 4 MiB of pages
// once its tail is touched); then whole pages.
size_t BlockSize(size_t bytes) {
  size_t granules = RoundUp(bytes, kGranule);
  return granules - bytes <= bytes / 8 ? granules : RoundUp(bytes, PageSize());
}

void Unmap(const Piece& p) { platform::UnmapAnonymous(reinterpret_cast<void*>(p.start), p.bytes); }

void UnmapAll(const std::vector<Piece>& drop) {
  for (const Piece& p : drop) Unmap(p);
}

// Removes pieces[i] (order does not matter).
void Erase(Cache& c, size_t i) {
  c.bytes -= c.pieces[i].bytes;
  c.pieces[i] = c.pieces.back();
  c.pieces.pop_back();
}

// Moves the oldest pieces to `drop` until the cache is within its limits.
void Evict(Cache& c, std::vector<Piece>* drop) {
  while (!c.pieces.empty() && (c.bytes > c.limit || c.pieces.size() > kMaxPieces)) {
    size_t oldest = 0;
    for (size_t i = 1; i < c.pieces.size(); i++) {
      if (c.pieces[i].freed < c.pieces[oldest].freed) oldest = i;
    }
    drop->push_back(c.pieces[oldest]);
    c.stats.evicted_bytes += c.pieces[oldest].bytes;
    Erase(c, oldest);
  }
}

// The trimmer: unmaps pieces cached for longer than idle_ms. Sleeps without a
// deadline while the cache is empty or idle release is off.
void TrimLoop() {
  Cache& c = TheCache();
  std::unique_lock<std::mutex> lock(c.mutex);
  for (;;) {
    if (c.pieces.empty() || !(c.idle_ms > 0)) {
      c.wake.wait(lock);
      continue;
    }
    auto idle = std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double, std::milli>(c.idle_ms));
    Clock::time_point now = Clock::now();
    Clock::time_point next = Clock::time_point::max();
    std::vector<Piece> drop;
    for (size_t i = c.pieces.size(); i-- > 0;) {
      Clock::time_point due = c.pieces[i].freed + idle;
      if (due <= now) {
        drop.push_back(c.pieces[i]);
        c.stats.idle_bytes += c.pieces[i].bytes;
        Erase(c, i);
      } else {
        next = std::min(next, due);
      }
    }
    if (!drop.empty()) {
      lock.unlock();
      UnmapAll(drop);
      lock.lock();
      continue;
    }
    c.wake.wait_until(lock, next);
  }
}

// Moves `p` to `to`; where the kernel refuses a range over several mappings
// (kernels before 6.17 do), in parts that end at granule boundaries, where
// most mapping boundaries inside a piece are. A part that cannot move is
// unmapped: its place in `to` stays fresh zero pages.
void MoveOrDrop(const Piece& p, uintptr_t to) {
  if (platform::MovePages(reinterpret_cast<void*>(p.start), p.bytes, reinterpret_cast<void*>(to)) == 0) return;
  uintptr_t end = p.start + p.bytes;
  for (uintptr_t at = p.start; at < end;) {
    uintptr_t next = std::min(end, (at / kGranule + 1) * kGranule);
    void* from = reinterpret_cast<void*>(at);
    if (platform::MovePages(from, next - at, reinterpret_cast<void*>(to + (at - p.start))) != 0) {
      platform::UnmapAnonymous(from, next - at);
    }
    at = next;
  }
}

}  // namespace

Block Acquire(size_t bytes) {
  Cache& c = TheCache();
  size_t need = BlockSize(bytes);
  std::vector<Piece> take;
  size_t got = 0;
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    // The smallest piece that holds the whole block (the most recent of equals).
    size_t best = c.pieces.size();
    for (size_t i = 0; i < c.pieces.size(); i++) {
      const Piece& p = c.pieces[i];
      if (p.bytes < need) continue;
      if (best == c.pieces.size() || p.bytes < c.pieces[best].bytes ||
          (p.bytes == c.pieces[best].bytes && p.freed > c.pieces[best].freed)) {
        best = i;
      }
    }
    if (best != c.pieces.size()) {
      Piece& p = c.pieces[best];
      uintptr_t start = p.start;
      if (p.bytes > need) {
        p.start += need;  // the tail stays cached
        p.bytes -= need;
        c.bytes -= need;
      } else {
        Erase(c, best);
      }
      c.stats.hits++;
      c.stats.reused_bytes += need;
      return {reinterpret_cast<void*>(start), need, need};
    }
    // No piece is large enough: gather pieces, each time the smallest that
    // covers what is still missing (its head), else the largest.
    if (platform::CanMovePages()) {
      while (got < need && !c.pieces.empty()) {
        size_t want = need - got;
        size_t pick = 0;
        for (size_t i = 1; i < c.pieces.size(); i++) {
          size_t b = c.pieces[i].bytes, chosen = c.pieces[pick].bytes;
          bool covers = b >= want, chosen_covers = chosen >= want;
          if (covers ? (!chosen_covers || b < chosen) : (!chosen_covers && b > chosen)) pick = i;
        }
        Piece& p = c.pieces[pick];
        if (p.bytes > want) {
          take.push_back({p.start, want, p.freed});
          p.start += want;
          p.bytes -= want;
          c.bytes -= want;
          got += want;
        } else {
          take.push_back(p);
          got += p.bytes;
          Erase(c, pick);
        }
      }
    }
    if (got != 0) {
      c.stats.gathers++;
      c.stats.reused_bytes += got;
    } else {
      c.stats.fresh++;
    }
    c.stats.fresh_bytes += need - got;
  }
  void* data = platform::MapAnonymous(need, kGranule);
  if (data == nullptr) {
    int err = errno;
    for (const Piece& p : take) Release(reinterpret_cast<void*>(p.start), p.bytes);
    errno = err;
    return {nullptr, 0, 0};
  }
  uintptr_t to = reinterpret_cast<uintptr_t>(data);
  for (const Piece& p : take) {
    MoveOrDrop(p, to);
    to += p.bytes;
  }
  return {data, need, got};
}

void Release(void* data, size_t mapped) {
  Cache& c = TheCache();
  Piece piece{reinterpret_cast<uintptr_t>(data), mapped, Clock::now()};
  std::vector<Piece> drop;
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    if (mapped == 0 || mapped % PageSize() != 0 || piece.start % PageSize() != 0 || mapped > c.limit) {
      drop.push_back(piece);
      c.stats.evicted_bytes += mapped;
    } else {
      bool was_empty = c.pieces.empty();
      // Coalesce with cached neighbours (the head and tail of one block, or
      // blocks the kernel placed side by side), as malloc merges free chunks:
      // fewer, larger pieces serve more requests without moving pages.
      for (size_t i = c.pieces.size(); i-- > 0;) {
        const Piece& q = c.pieces[i];
        if (q.start + q.bytes == piece.start) {
          piece.start = q.start;
        } else if (piece.start + piece.bytes != q.start) {
          continue;
        }
        piece.bytes += q.bytes;
        Erase(c, i);
        i = c.pieces.size();  // rescan: the other neighbour may sit anywhere
      }
      c.pieces.push_back(piece);
      c.bytes += piece.bytes;
      Evict(c, &drop);
      if (!c.trimmer) {
        c.trimmer = true;  // once: if no thread can start, pieces still go at the limits
        try {
          std::thread(TrimLoop).detach();
        } catch (...) {}
      } else if (was_empty) {
        c.wake.notify_one();
      }
    }
  }
  UnmapAll(drop);
}

size_t Trim() {
  Cache& c = TheCache();
  std::vector<Piece> drop;
  size_t released = 0;
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    drop.swap(c.pieces);
    released = c.bytes;
    c.bytes = 0;
  }
  UnmapAll(drop);
  return released;
}

Settings GetSettings() {
  Cache& c = TheCache();
  std::lock_guard<std::mutex> lock(c.mutex);
  return {c.limit, c.idle_ms};
}

void Configure(Settings s) {
  Cache& c = TheCache();
  std::vector<Piece> drop;
  {
    std::lock_guard<std::mutex> lock(c.mutex);
    c.limit = s.limit / kGranule * kGranule;
    c.idle_ms = s.idle_ms;
    Evict(c, &drop);
    c.wake.notify_one();
  }
  UnmapAll(drop);
}

Stats GetStats() {
  Cache& c = TheCache();
  std::lock_guard<std::mutex> lock(c.mutex);
  Stats s = c.stats;
  s.cached_bytes = c.bytes;
  s.pieces = c.pieces.size();
  return s;
}

}  // namespace memory
}  // namespace ndshare
