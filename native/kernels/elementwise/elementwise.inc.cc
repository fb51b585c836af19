// The elementwise kernel body, compiled once per ISA by the two-line shells
// elementwise_{baseline,avx2,avx512}.cc (see kernels/dispatch.h). Everything
// but GetTable() has internal linkage.
#include "kernels/isa_unit.h"

#include <cmath>

#include "kernels/elementwise/ops.h"

namespace ndshare {
namespace kernels {
namespace ew {
namespace NDSHARE_ISA {
namespace {

#include "kernels/elementwise/vecmath.inc"
#include "kernels/elementwise/vecmath_exp_log.inc"
#include "kernels/elementwise/vecmath_trig.inc"
#include "kernels/elementwise/vecmath_pow.inc"
#include "kernels/elementwise/kernels.inc"
#include "kernels/elementwise/complex.inc"
#include "kernels/elementwise/kernels_table.inc"

}  // namespace

NDSHARE_KERNEL_TABLE_GETTER(Table, BuildTable())

}  // namespace NDSHARE_ISA
}  // namespace ew
}  // namespace kernels
}  // namespace ndshare
