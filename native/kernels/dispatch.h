// ISA dispatch: the one place that detects the CPU and chooses, per call,
// among the per-ISA tables of every kernel family.
//
// A kernel family (elementwise, reduce, matmul, cast, ...) is:
//   1. a table type of plain function pointers, in the family's header, with
//      NDSHARE_KERNEL_FAMILY(Table) in the family's namespace (the one
//      registration point: it declares the per-ISA getters and CurrentTable());
//   2. one body, `<family>/<family>.inc.cc`, that defines the loops in an
//      anonymous namespace inside `namespace NDSHARE_ISA` and ends with
//      NDSHARE_KERNEL_TABLE_GETTER(Table, expr);
//   3. three two-line shells compiled with their ISA's flags (binding.gyp
//      picks them up by name, see scripts/native-sources.cjs):
//        <family>_baseline.cc, <family>_avx2.cc, <family>_avx512.cc
//      each `#define NDSHARE_ISA <isa>` + `#include "kernels/<family>/<family>.inc.cc"`.
//   The body tests the compiler's feature macros (__AVX512F__, __AVX2__, see
//   kernels/isa_unit.h) where it needs ISA-specific code; nothing else differs.
//
// The avx2/avx512 units are static libraries built with -mavx2... / -mavx512...
// (binding.gyp); everything in them but GetTable() has internal linkage, so no
// AVX instruction can be linked into a baseline path, and their getters are
// only called after the CPU check below. No -march=native anywhere.
//
// Tests and benchmarks lower the ISA with the `kernels` export
// (kernels.setIsa(name), see dispatch.cc): process-wide, every family.
#ifndef NDSHARE_KERNELS_DISPATCH_H_
#define NDSHARE_KERNELS_DISPATCH_H_

#include <napi.h>

namespace ndshare {
namespace kernels {

enum class Isa : int { kBaseline = 0, kAvx2 = 1, kAvx512 = 2 };
constexpr int kIsaCount = 3;

// The best ISA of this CPU (x86-64: AVX-512F/DQ/BW/VL + FMA + F16C, else
// AVX2 + FMA + F16C, else baseline SSE2), decided once per process.
// Elsewhere: kBaseline.
Isa BestIsa();
const char* IsaName(Isa isa);

// The ISA the kernels use now: BestIsa() unless lowered by kernels.setIsa.
// Every kernel entry point reads it once per call (through CurrentTable()).
Isa CurrentIsa();

// The `kernels` export: {isa, isas, getIsa(), setIsa(name)} (see dispatch.cc).
void InitKernels(Napi::Env env, Napi::Object exports);

// The one table-choosing switch: the table of CurrentIsa().
template <typename Table>
const Table* ChooseTable(const Table* (*baseline)(), const Table* (*avx2)(), const Table* (*avx512)()) {
  switch (CurrentIsa()) {
    case Isa::kAvx512:
      if (avx512 != nullptr) return avx512();
      [[fallthrough]];
    case Isa::kAvx2:
      if (avx2 != nullptr) return avx2();
      [[fallthrough]];
    default: return baseline();
  }
}

}  // namespace kernels
}  // namespace ndshare

#if defined(__x86_64__) || defined(_M_X64)
#define NDSHARE_DISPATCH_X86(...)        __VA_ARGS__
#define NDSHARE_DISPATCH_X86_GETTER(isa) &isa::GetTable
#else
#define NDSHARE_DISPATCH_X86(...)
#define NDSHARE_DISPATCH_X86_GETTER(isa) nullptr
#endif

// Registers a kernel family: use once, in the family's namespace, after its
// Table type. Declares baseline/avx2/avx512::GetTable() (defined by the
// per-ISA units) and CurrentTable(), the table of the current ISA.
#define NDSHARE_KERNEL_FAMILY(Table)                                                                      \
  namespace baseline {                                                                                    \
  const Table* GetTable();                                                                                \
  }                                                                                                       \
  NDSHARE_DISPATCH_X86(                                                                                   \
      namespace avx2 { const Table* GetTable(); } namespace avx512 { const Table* GetTable(); })          \
  inline const Table* CurrentTable() {                                                                    \
    return ::ndshare::kernels::ChooseTable<Table>(&baseline::GetTable, NDSHARE_DISPATCH_X86_GETTER(avx2), \
                                                  NDSHARE_DISPATCH_X86_GETTER(avx512));                   \
  }                                                                                                       \
  inline const Table* BaselineTable() { return baseline::GetTable(); }

#endif  // NDSHARE_KERNELS_DISPATCH_H_
