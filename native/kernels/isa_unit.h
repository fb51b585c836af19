// Included first by every per-ISA kernel body (`<family>/<family>.inc.cc`),
// which the two-line shells `<family>_<isa>.cc` compile once per ISA with the
// ISA's flags (see kernels/dispatch.h).
//
// Gives the body:
//   NDSHARE_ISA          the ISA's namespace token (baseline, avx2, avx512),
//                        defined by the shell;
//   NDSHARE_ISA_NAME     the same as a string;
//   NDSHARE_ISA_VECTOR_BYTES the widest vector of the ISA (16, 32 or 64 bytes);
//   NDSHARE_KERNEL_TABLE_GETTER(Table, init): the one exported symbol of the
//                        unit, `const Table* NDSHARE_ISA::GetTable()`.
// ISA-specific code tests the compiler's feature macros (__AVX512F__,
// __AVX2__, __FMA__, __F16C__, __SSE2__), never NDSHARE_ISA.
#ifndef NDSHARE_ISA
#error "define NDSHARE_ISA (baseline, avx2 or avx512) before including a kernel body"
#endif

#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>
#include <utility>

#if defined(__x86_64__) || defined(_M_X64)
#include <immintrin.h>
#endif

#include "kernels/dispatch.h"
#include "kernels/dtype.h"

#define NDSHARE_ISA_STR2(x) #x
#define NDSHARE_ISA_STR(x)  NDSHARE_ISA_STR2(x)
#define NDSHARE_ISA_NAME    NDSHARE_ISA_STR(NDSHARE_ISA)

#if defined(__AVX512F__)
#define NDSHARE_ISA_VECTOR_BYTES 64
#elif defined(__AVX2__)
#define NDSHARE_ISA_VECTOR_BYTES 32
#else
#define NDSHARE_ISA_VECTOR_BYTES 16
#endif

#define NDSHARE_KERNEL_TABLE_GETTER(Table, init) \
  const Table* GetTable() {                      \
    static const Table table = init;             \
    return &table;                               \
  }
