// elementwise kernels compiled for the baseline instruction set (see kernels.inc).
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>
#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include "kernels/dtype.h"
#include "kernels/elementwise/ops.h"

namespace ndshare {
namespace kernels {
namespace ew {
namespace baseline {
namespace {

#include "kernels/elementwise/vecmath.inc"
#include "kernels/elementwise/kernels.inc"

}  // namespace

const Table* GetTable() {
  static const Table table = BuildTable();
  return &table;
}

}  // namespace baseline
}  // namespace ew
}  // namespace kernels
}  // namespace ndshare
