// The reduce concern's kernel table: one per instruction set.
//
// reduce.inc.cc (kernels.inc inside) is compiled once per ISA by the shells
// reduce_<isa>.cc (kernels/dispatch.h); each gives a Table of plain function
// pointers (nullptr: pair not supported). reduce.cc calls CurrentTable().
// Every kernel is an inner loop in NumPy's model: it is called once per
// innermost run with byte pointers, byte strides and the run length.
#ifndef NDSHARE_KERNELS_REDUCE_TABLE_H_
#define NDSHARE_KERNELS_REDUCE_TABLE_H_

#include <cstdint>

#include "kernels/dispatch.h"
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

NDSHARE_KERNEL_FAMILY(Table)

}  // namespace reduce
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_REDUCE_TABLE_H_
