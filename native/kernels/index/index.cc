// The `index` export: advanced indexing loops (see index.h and
// src/indexing/native.ts, which builds the descriptors).
//
// Nothing from JS is trusted: every descriptor number must be an integer in
// range, every typed array of the right type, and every byte that a call can
// address (the data's strided extent, each index array's, the values') is
// checked to lie inside its typed array before any loop runs. Index values are
// checked by the run kernels as they are read; the first bad one becomes a
// coded RangeError (ERR_NDSHARE_OUT_OF_BOUNDS) naming the index, the axis and
// its size. A scatter checks every index before it writes anything.
#include "kernels/index/args.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "kernels/dtype.h"
#include "kernels/parallel.h"
#include "util/errors.h"

namespace ndshare {
namespace kernels {
namespace index {
namespace {

// index.take(dir, data, vals, desc, idx[]): dir 0 gathers data -> vals, 1 scatters vals -> data, 2 writes the
// positions (items from the start of data, as doubles) of the selected elements into vals (a Float64Array).
// desc = [itemsize, base, valsOffset, valsStride, nb, (shape, stride)*nb, na, (shape, stride)*na,
//         K, bnd, bshape*bnd, K x (dtype, len, axisStride, axis, mode, idxOffset, idxStrides*bnd)]
// Data offsets and strides in bytes; index offsets and strides in index elements.
Napi::Value JsTake(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "take";
  if (info.Length() < 5 || !info[0].IsNumber()) throw MakeTypeError(env, "index.take: dir must be a number");
  const int dir = info[0].As<Napi::Number>().Int32Value();
  if (dir != 0 && dir != 1 && dir != 2) Bad(env, fn, "dir must be 0, 1 or 2");
  Bytes data = TypedArg(info, 1, fn, "data");
  Bytes vals = TypedArg(info, 2, fn, "vals");
  Desc d(info, 3, fn);
  const int64_t itemsize = d.Next("itemsize", 1, 16);
  const int kind = ItemKind(env, fn, itemsize);
  const int64_t base = d.Next("base", 0, kMaxInt);
  const int64_t vOff = d.Next("valsOffset", 0, kMaxInt);
  const int64_t vStride = d.Next("valsStride", 0, 16);
  if (dir == 2 ? (vStride != 8 || vals.type != napi_float64_array) : (vStride != 0 && vStride != itemsize)) {
    Bad(env, fn, dir == 2 ? "positions go to a Float64Array with valsStride 8" : "valsStride must be 0 or itemsize");
  }
  Dims before = ReadDims(&d, "before dims");
  Dims after = ReadDims(&d, "after dims");
  const int K = static_cast<int>(d.Next("index count", 1, kMaxNd));
  Dims block;
  block.n = static_cast<int>(d.Next("block ndim", 0, kMaxNd));
  for (int k = 0; k < block.n; ++k) block.shape[k] = d.Next("block shape", 0, kMaxInt);
  if (!info[4].IsArray() || info[4].As<Napi::Array>().Length() != static_cast<uint32_t>(K)) {
    throw MakeTypeError(env, "index.take: idx must be an array of " + std::to_string(K) + " typed arrays");
  }
  Napi::Array idxArr = info[4].As<Napi::Array>();
  std::vector<IndexArg> args(K);
  // Sizes: each below 2^53, their product checked.
  i128 bsize = 1, total = 1;
  for (int k = 0; k < block.n; ++k) bsize *= block.shape[k];
  if (bsize > kMaxInt) Bad(env, fn, "block size overflow");
  total = bsize * before.Size();
  if (total > kMaxInt) Bad(env, fn, "size overflow");
  total *= after.Size();
  if (total > kMaxInt) Bad(env, fn, "size overflow");
  for (int k = 0; k < K; ++k) {
    IndexArg& a = args[k];
    napi_typedarray_type ta;
    a.ti = IndexType(env, fn, d.Next("index dtype", 0, kDTypeCount - 1), &ta, &a.isize);
    a.len = d.Next("axis length", 0, kMaxInt);
    a.astride = d.Next("axis stride", -kMaxInt, kMaxInt);
    a.axis = d.Next("axis", 0, kMaxNd);
    a.mode = static_cast<int>(d.Next("mode", 0, kClip));
    const int64_t off = d.Next("index offset", 0, kMaxInt);
    Napi::Value v = idxArr.Get(static_cast<uint32_t>(k));
    Bytes ib;
    if (!TypedInfo(env, v, &ib) || ib.type != ta) {
      throw MakeTypeError(env, "index.take: idx[" + std::to_string(k) + "] does not match its dtype");
    }
    const char* p = ib.data;
    i128 lo = static_cast<i128>(off) * a.isize, hi = lo;
    for (int j = 0; j < block.n; ++j) {
      a.strides[j] = d.Next("index stride", -kMaxInt, kMaxInt) * a.isize;
      if (bsize > 0) {
        const i128 e = static_cast<i128>(block.shape[j] - 1) * a.strides[j];
        if (e < 0) lo += e;
        else hi += e;
      }
    }
    if (bsize > 0) CheckRange(env, fn, "idx", lo, hi, a.isize, ib.length);
    a.data = p + off * a.isize;
    if (bsize > 0 && a.len == 0 && a.mode != kRaise) {
      throw MakeRangeError(env, "Cannot do a non-empty take from an empty axis", kOutOfBounds);
    }
  }
  d.End();
  // The data's extent (when something is moved) and the values'.
  if (total > 0) {
    i128 lo = base, hi = base;
    before.Extent(&lo, &hi);
    after.Extent(&lo, &hi);
    for (const IndexArg& a : args) {
      const i128 e = static_cast<i128>(a.len - 1) * a.astride;
      if (e < 0) lo += e;
      else hi += e;
    }
    CheckRange(env, fn, "data", lo, hi, itemsize, data.length);
    const i128 vEnd = static_cast<i128>(vOff) + (vStride == 0 ? 0 : (total - 1) * vStride) + (dir == 2 ? 8 : itemsize);
    if (vEnd > vals.length) Bad(env, fn, "vals is too short");
  }
  before.Merge();
  after.Merge();
  const Table* tab = CurrentTable();
  char* const dbase = data.data + base;
  char* const vbase = vals.data + vOff;

  // One index array walked as a single strided run, single items: the fused loop.
  Dims bl = block;
  int64_t runStride = 0;
  bool single = false;
  if (K == 1) {
    for (int k = 0; k < bl.n; ++k) bl.stride[k] = args[0].strides[k];
    bl.Merge();
    single = bl.n <= 1;
    runStride = bl.n == 1 ? bl.stride[0] : 0;
  }
  // Runs every index array through `offsets` (table may be null: check only).
  auto offsets = [&](int64_t* table) {
    for (const IndexArg& a : args) {
      OffsetsFn f = tab->offsets[a.ti][a.mode];
      Dims ib = block;
      for (int k = 0; k < ib.n; ++k) ib.stride[k] = a.strides[k];
      int64_t pos = 0;
      bool failed = false;
      const char* badAt = nullptr;
      ForEachRun(ib, [&](int64_t off, int64_t n, int64_t s) {
        if (failed) return;
        const int64_t r = f(a.data + off, s, n, a.len, a.astride, table == nullptr ? nullptr : table + pos);
        if (r >= 0) {
          failed = true;
          badAt = a.data + off + r * s;
        }
        pos += n;
      });
      if (failed) OutOfBounds(env, a, badAt);
    }
  };
  if (total == 0) {
    if (bsize > 0) offsets(nullptr);
    return env.Undefined();
  }
  if (dir == 2) {
    // Positions (in items from the start of data) of every selected element, C order.
    std::vector<int64_t> table(static_cast<size_t>(bsize), 0);
    offsets(table.data());
    // Every byte offset here is a multiple of itemsize (typed-array elements): count in items.
    double* out = reinterpret_cast<double*>(vbase);
    Dims afterItems = after;
    for (int k = 0; k < afterItems.n; ++k) afterItems.stride[k] /= itemsize;
    int64_t o = 0;
    ForEach(before, [&](int64_t off) {
      for (int64_t j = 0; j < static_cast<int64_t>(bsize); ++j) {
        const int64_t p = (base + off + table[static_cast<size_t>(j)]) / itemsize;
        ForEachRun(afterItems, [&](int64_t aoff, int64_t n, int64_t s) {
          for (int64_t i = 0; i < n; ++i) out[o++] = static_cast<double>(p + aoff + i * s);
        });
      }
    });
    return env.Undefined();
  }
  if (single && after.n == 0) {
    const IndexArg& a = args[0];
    const int64_t L = static_cast<int64_t>(bsize);
    if (dir == 1 && a.mode == kRaise) offsets(nullptr);  // no partial write
    TakeFn f = tab->take[dir][a.ti][a.mode][kind];
    const int64_t blockBytes = L * vStride;
    if (dir == 0 && before.n == 0 && L >= (int64_t{1} << 18)) {
      // Chunks in parallel; the first bad index (lowest position) is the one reported.
      std::vector<int64_t> bad(parallel::kMaxThreads + 1, -1);
      std::atomic<int> slot{0};
      parallel::For(L, int64_t{1} << 17, [&](int64_t b, int64_t e) {
        const int64_t r =
            f(dbase, a.data + b * runStride, runStride, e - b, a.len, a.astride, vbase + b * vStride, vStride);
        if (r >= 0) bad[static_cast<size_t>(slot.fetch_add(1))] = b + r;
      });
      int64_t first = -1;
      for (int64_t r : bad) {
        if (r >= 0 && (first < 0 || r < first)) first = r;
      }
      if (first >= 0) OutOfBounds(env, a, a.data + first * runStride);
      return env.Undefined();
    }
    int64_t o = 0;
    bool failed = false;
    int64_t badPos = 0;
    ForEach(before, [&](int64_t off) {
      if (failed) return;
      const int64_t r = f(dbase + off, a.data, runStride, L, a.len, a.astride, vbase + o, vStride);
      if (r >= 0) {
        failed = true;
        badPos = r;
      }
      o += blockBytes;
    });
    if (failed) OutOfBounds(env, a, a.data + badPos * runStride);
    return env.Undefined();
  }
  // The general plan: a table of byte offsets over the block, then the copies.
  std::vector<int64_t> table(static_cast<size_t>(bsize), 0);
  offsets(table.data());
  const int64_t L = static_cast<int64_t>(bsize);
  int64_t o = 0;
  if (after.n == 0) {
    TakeFn f = tab->take[dir][6][kOffset][kind];
    const char* t = reinterpret_cast<const char*>(table.data());
    ForEach(before, [&](int64_t off) {
      f(dbase + off, t, 8, L, 0, 1, vbase + o, vStride);
      o += L * vStride;
    });
    return env.Undefined();
  }
  CopyFn copy = tab->copy[kind];
  ForEach(before, [&](int64_t off) {
    for (int64_t j = 0; j < L; ++j) {
      char* src = dbase + off + table[static_cast<size_t>(j)];
      ForEachRun(after, [&](int64_t aoff, int64_t n, int64_t s) {
        if (dir == 0) copy(vbase + o, vStride, src + aoff, s, n);
        else copy(src + aoff, s, vbase + o, vStride, n);
        o += n * vStride;
      });
    }
  });
  return env.Undefined();
}

// index.compress(dir, data, vals, desc, mask) -> number of true elements met.
// desc = [itemsize, base, valsOffset, valsStride, cap, nm, (shape, dataStride, maskStride)*nm, maskOffset,
//         na, (shape, stride)*na]   (bytes; the mask is a Uint8Array of 0/1 bytes)
Napi::Value JsCompress(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const char* fn = "compress";
  if (info.Length() < 5 || !info[0].IsNumber()) throw MakeTypeError(env, "index.compress: dir must be a number");
  const int dir = info[0].As<Napi::Number>().Int32Value();
  if (dir != 0 && dir != 1) Bad(env, fn, "dir must be 0 or 1");
  Bytes data = TypedArg(info, 1, fn, "data");
  Bytes vals = TypedArg(info, 2, fn, "vals");
  Desc d(info, 3, fn);
  Bytes mask = TypedArg(info, 4, fn, "mask");
  if (mask.type != napi_uint8_array) throw MakeTypeError(env, "index.compress: mask must be a Uint8Array");
  const int64_t itemsize = d.Next("itemsize", 1, 16);
  const int kind = ItemKind(env, fn, itemsize);
  const int64_t base = d.Next("base", 0, kMaxInt);
  const int64_t vOff = d.Next("valsOffset", 0, kMaxInt);
  const int64_t vStride = d.Next("valsStride", 0, 16);
  if (vStride != 0 && vStride != itemsize) Bad(env, fn, "valsStride must be 0 or itemsize");
  const int64_t cap = d.Next("cap", 0, kMaxInt);
  Dims md, mm;  // the mask dims over data and over the mask
  md.n = mm.n = static_cast<int>(d.Next("mask ndim", 0, kMaxNd));
  for (int k = 0; k < md.n; ++k) {
    md.shape[k] = mm.shape[k] = d.Next("mask shape", 0, kMaxInt);
    md.stride[k] = d.Next("data stride", -kMaxInt, kMaxInt);
    mm.stride[k] = d.Next("mask stride", -kMaxInt, kMaxInt);
  }
  const int64_t mOff = d.Next("mask offset", 0, kMaxInt);
  Dims after = ReadDims(&d, "after dims");
  d.End();
  const int64_t msize = md.Size();
  const int64_t asize = after.Size();
  if (msize > 0) {
    i128 lo = mOff, hi = mOff;
    mm.Extent(&lo, &hi);
    CheckRange(env, fn, "mask", lo, hi, 1, mask.length);
  }
  if (msize > 0 && asize > 0) {
    i128 lo = base, hi = base;
    md.Extent(&lo, &hi);
    after.Extent(&lo, &hi);
    CheckRange(env, fn, "data", lo, hi, itemsize, data.length);
  }
  const i128 blockItems = asize;
  if (static_cast<i128>(cap) * blockItems > kMaxInt) Bad(env, fn, "size overflow");
  if (cap > 0 && blockItems > 0) {
    const i128 vEnd =
        static_cast<i128>(vOff) + (vStride == 0 ? 0 : (static_cast<i128>(cap) * blockItems - 1) * vStride) + itemsize;
    if (vEnd > vals.length) Bad(env, fn, "vals is too short");
  }
  const Table* tab = CurrentTable();
  char* const dbase = data.data + base;
  char* const vbase = vals.data + vOff;
  const uint8_t* const mbase = reinterpret_cast<const uint8_t*>(mask.data) + mOff;
  int64_t k = 0;
  if (msize == 0) return Napi::Number::New(env, 0);
  after.Merge();
  if (after.n == 0) {
    // Merge the mask dims where both data and mask are contiguous together.
    if (md.n == 0) Bad(env, fn, "the mask must have at least one dimension");
    int m = 0;
    for (int j = 0; j < md.n; ++j) {
      if (m > 0 && md.stride[m - 1] == md.stride[j] * md.shape[j] && mm.stride[m - 1] == mm.stride[j] * md.shape[j]) {
        md.shape[m - 1] *= md.shape[j];
        mm.shape[m - 1] = md.shape[m - 1];
        md.stride[m - 1] = md.stride[j];
        mm.stride[m - 1] = mm.stride[j];
      } else {
        md.shape[m] = mm.shape[m] = md.shape[j];
        md.stride[m] = md.stride[j];
        mm.stride[m] = mm.stride[j];
        ++m;
      }
    }
    md.n = mm.n = m;
    CompressFn f = tab->compress[dir][kind];
    // Walk the outer mask dims in step over data and mask.
    const int last = md.n - 1;
    const int64_t n = md.shape[last], ds = md.stride[last], ms = mm.stride[last];
    ForEachPaired(md, mm, last, [&](int64_t doff, int64_t moff) {
      const int64_t left = cap - k;
      k += f(dbase + doff, ds, mbase + moff, ms, n, vbase + (vStride == 0 ? 0 : k * vStride), vStride,
             left > 0 ? left : 0);
    });
    return Napi::Number::New(env, static_cast<double>(k));
  }
  // Sub-blocks: each true mask element moves the after block.
  CopyFn copy = tab->copy[kind];
  ForEachPaired(md, mm, md.n, [&](int64_t doff, int64_t moff) {
    if (mbase[moff] == 0) return;
    if (k < cap) {
      int64_t o = k * asize * vStride;
      ForEachRun(after, [&](int64_t aoff, int64_t n, int64_t s) {
        if (dir == 0) copy(vbase + o, vStride, dbase + doff + aoff, s, n);
        else copy(dbase + doff + aoff, s, vbase + o, vStride, n);
        o += n * vStride;
      });
    }
    ++k;
  });
  return Napi::Number::New(env, static_cast<double>(k));
}

}  // namespace

void InitIndex(Napi::Env env, Napi::Object exports) {
  Napi::Object o = Napi::Object::New(env);
  o.Set("take", Napi::Function::New(env, JsTake, "take"));
  o.Set("compress", Napi::Function::New(env, JsCompress, "compress"));
  o.Set("count", Napi::Function::New(env, JsCount, "count"));
  o.Set("nonzero", Napi::Function::New(env, JsNonzero, "nonzero"));
  exports.Set("index", o);
}

}  // namespace index
}  // namespace kernels
}  // namespace ndshare
