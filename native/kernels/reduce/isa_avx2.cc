// reduce kernels compiled for the avx2 instruction set (see kernels.inc).
#if defined(__x86_64__)
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#include <immintrin.h>

#include "kernels/dtype.h"
#include "kernels/reduce/table.h"

namespace ndshare {
namespace kernels {
namespace avx2 {
namespace {

#define RED_VB 32
#define RED_PREFETCH 4096  // bytes ahead for the min/max folds (L3-resident data streams ~4% faster)
#include "kernels/reduce/kernels.inc"
#undef RED_VB
#undef RED_PREFETCH

}  // namespace
}  // namespace avx2

namespace reduce {

const Table* Avx2Table() {
  static const Table table = avx2::MakeTable();
  return &table;
}

}  // namespace reduce
}  // namespace kernels
}  // namespace ndshare
#endif  // __x86_64__
