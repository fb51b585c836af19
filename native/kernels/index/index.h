// The index kernel family: the loops of advanced indexing (gather and scatter
// through integer index arrays, boolean-mask compress and its scatter, count
// and nonzero). Items are moved as bytes, by itemsize (1, 2, 4, 8 or 16), so
// every dtype (complex128 included) shares one loop per size.
//
// index.inc.cc is compiled once per ISA by the shells index_<isa>.cc
// (kernels/dispatch.h); index.cc (baseline) checks the JS arguments, walks the
// outer dimensions and calls these run kernels, which trust their arguments:
// every address they touch was bounded by index.cc, and every index they read
// is normalised and checked here (a bad one stops the run and is reported).
#ifndef NDSHARE_KERNELS_INDEX_INDEX_H_
#define NDSHARE_KERNELS_INDEX_INDEX_H_

#include <napi.h>

#include <cstdint>

#include "kernels/dispatch.h"

namespace ndshare {
namespace kernels {
namespace index {

// Item sizes 1, 2, 4, 8, 16 bytes.
constexpr int kItemKinds = 5;
// Index element types: int8, uint8, int16, uint16, int32, uint32, int64, uint64.
constexpr int kIndexTypes = 8;
// raise (negative indices wrap once, others must be in [0, len)), wrap (modulo
// len), clip (clamped to [0, len - 1]; negative gives 0), offset (the index is
// already a checked byte offset: int64 tables built by `offsets`).
enum Mode : int { kRaise = 0, kWrap = 1, kClip = 2, kOffset = 3, kModeCount = 4 };

// The index of the first bad index in the run, or -1 when every index was valid.
// offsets: table[i] += norm(idx[i * istride]) * axisStride (bytes); table may be null (check only).
using OffsetsFn = int64_t (*)(const char* idx, int64_t istride, int64_t n, int64_t len, int64_t axisStride,
                              int64_t* table);
// take: for i < n, item at base + norm(idx[i]) * axisStride <-> vals + i * vstride
// (gather: into vals; scatter: from vals; vstride 0 repeats one value).
using TakeFn = int64_t (*)(char* base, const char* idx, int64_t istride, int64_t n, int64_t len, int64_t axisStride,
                           char* vals, int64_t vstride);
// compress run: for i < n where mask[i * mstride] != 0, item at data + i * dstride <-> vals (advanced by vstride
// per true; at most cap items of vals are touched). Returns the number of true elements met.
using CompressFn = int64_t (*)(char* data, int64_t dstride, const uint8_t* mask, int64_t mstride, int64_t n, char* vals,
                               int64_t vstride, int64_t cap);
// count of nonzero items of a strided run (float: the sign bit is ignored, so -0 counts as zero; 16 bytes: a complex
// pair).
using CountFn = int64_t (*)(const char* x, int64_t stride, int64_t n);
// nonzero positions of a run: writes start + i for each nonzero item i (at most cap of them), returns how many.
using NonzeroFn = int64_t (*)(const char* x, int64_t stride, int64_t n, int64_t start, int64_t* out, int64_t cap);
// strided item copy: dst[i * ds] = src[i * ss].
using CopyFn = void (*)(char* dst, int64_t ds, const char* src, int64_t ss, int64_t n);

struct Table {
  OffsetsFn offsets[kIndexTypes][kModeCount];
  TakeFn take[2][kIndexTypes][kModeCount][kItemKinds];  // [0]: gather, [1]: scatter
  CompressFn compress[2][kItemKinds];
  CountFn count[2][kItemKinds];  // [float?]
  NonzeroFn nonzero[2][kItemKinds];
  CopyFn copy[kItemKinds];
};

NDSHARE_KERNEL_FAMILY(Table)

// The `index` export of the addon (index.cc).
void InitIndex(Napi::Env env, Napi::Object exports);

}  // namespace index
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_INDEX_INDEX_H_
