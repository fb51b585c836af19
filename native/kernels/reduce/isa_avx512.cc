// reduce kernels compiled for the avx512 instruction set (see kernels.inc).
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
namespace avx512 {
namespace {

#define RED_VB 64
#define RED_PREFETCH 4096  // bytes ahead for the min/max folds (L3-resident data streams ~4% faster)
// GCC 12 flags _mm512_cvtph_ps (its _mm512_undefined_ps source) as maybe-uninitialized.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "kernels/reduce/kernels.inc"
#pragma GCC diagnostic pop
#undef RED_VB
#undef RED_PREFETCH

}  // namespace
}  // namespace avx512

namespace reduce {

const Table* Avx512Table() {
  static const Table table = avx512::MakeTable();
  return &table;
}

}  // namespace reduce
}  // namespace kernels
}  // namespace ndshare
#endif  // __x86_64__
