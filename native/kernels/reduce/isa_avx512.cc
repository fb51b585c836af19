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
#include "kernels/reduce/kernels.inc"
#undef RED_VB

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
