// elementwise kernels compiled for the avx2 instruction set (see kernels.inc).
#if defined(__x86_64__)
#define NDSHARE_EW_ISA avx2
#include "kernels/elementwise/isa_unit.inc"
#undef NDSHARE_EW_ISA
#endif  // __x86_64__
