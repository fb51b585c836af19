// elementwise kernels compiled for the avx512 instruction set (see kernels.inc).
#if defined(__x86_64__)
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
namespace avx512 {
namespace {

#include "kernels/elementwise/vecmath.inc"
#include "kernels/elementwise/kernels.inc"

}  // namespace

const Table* GetTable() {
  static const Table table = BuildTable();
  return &table;
}

}  // namespace avx512
}  // namespace ew
}  // namespace kernels
}  // namespace ndshare
#endif  // __x86_64__
