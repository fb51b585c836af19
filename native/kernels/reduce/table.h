// The reduce concern's kernel table: one per instruction set.
//
// Each isa_*.cc compiles kernels.inc with its own -m flags and exports one
// getter returning a Table of plain function pointers (nullptr: pair not
// supported). reduce.cc picks the table of CurrentIsa() once per call.
// Every kernel is an inner loop in NumPy's model: it is called once per
// innermost run with byte pointers, byte strides and the run length.
#ifndef NDSHARE_KERNELS_REDUCE_TABLE_H_
#define NDSHARE_KERNELS_REDUCE_TABLE_H_

#include <cstdint>

#include "kernels/dtype.h"

namespace ndshare {
namespace kernels {
namespace reduce {

using RunFn = void (*)(char** ptrs, const int64_t* strides, int64_t n);

enum ReduceOp : int { kSum = 0, kProd = 1, kMin = 2, kMax = 3, kAny = 4, kAll = 5, kReduceOpCount = 6 };
enum ArgOp : int { kArgmin = 0, kArgmax = 1, kArgOpCount = 2 };
enum ScanOp : int { kCumsum = 0, kCumprod = 1, kScanOpCount = 2 };

struct Table {
  // [x, out]: out[o] = op(out[o], x[i]); out has stride 0 along reduced axes.
  RunFn reduce[kReduceOpCount][kDTypeCount][kDTypeCount];
  // [x, mean, out]: out += (x - mean)^2.
  RunFn ssd[kDTypeCount][kDTypeCount];
  // [x, out(int64)]: one run is the whole last axis; writes the index to out[0].
  RunFn arg[kArgOpCount][kDTypeCount];
  // [x, out]: inclusive scan along the run.
  RunFn scan[kScanOpCount][kDTypeCount][kDTypeCount];
};

const Table* BaselineTable();
#if defined(__x86_64__)
const Table* Avx2Table();
const Table* Avx512Table();
#endif

}  // namespace reduce
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_REDUCE_TABLE_H_
