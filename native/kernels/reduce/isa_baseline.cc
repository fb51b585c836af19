// reduce kernels compiled for the baseline instruction set (see kernels.inc).
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "kernels/dtype.h"
#include "kernels/reduce/table.h"

namespace ndshare {
namespace kernels {
namespace baseline {
namespace {

#define RED_VB 16
#include "kernels/reduce/kernels.inc"
#undef RED_VB

}  // namespace
}  // namespace baseline

namespace reduce {

const Table* BaselineTable() {
  static const Table table = baseline::MakeTable();
  return &table;
}

}  // namespace reduce
}  // namespace kernels
}  // namespace ndshare
