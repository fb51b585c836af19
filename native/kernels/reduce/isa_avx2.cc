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
#include "kernels/reduce/kernels.inc"
#undef RED_VB

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
