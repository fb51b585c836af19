// The reduce kernel body, compiled once per ISA by the two-line shells
// reduce_{baseline,avx2,avx512}.cc (see kernels/dispatch.h). Everything but
// GetTable() has internal linkage.
#include "kernels/isa_unit.h"

#include "kernels/reduce/table.h"

#define RED_VB NDSHARE_ISA_VECTOR_BYTES
#if defined(__AVX2__)
#define RED_PREFETCH 4096  // bytes ahead for the min/max folds (L3-resident data streams ~4% faster)
#endif

namespace ndshare {
namespace kernels {
namespace reduce {
namespace NDSHARE_ISA {
namespace {

#if defined(__AVX512F__)
// GCC 12 flags _mm512_cvtph_ps (its _mm512_undefined_ps source) as maybe-uninitialized.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#endif
#include "kernels/reduce/kernels.inc"
#include "kernels/reduce/runs.inc"
#if defined(__AVX512F__)
#pragma GCC diagnostic pop
#endif

}  // namespace

NDSHARE_KERNEL_TABLE_GETTER(Table, MakeTable())

}  // namespace NDSHARE_ISA
}  // namespace reduce
}  // namespace kernels
}  // namespace ndshare

#undef RED_VB
#undef RED_PREFETCH
