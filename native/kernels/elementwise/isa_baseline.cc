// elementwise kernels compiled for the baseline instruction set (see kernels.inc).
#define NDSHARE_EW_ISA baseline
#include "kernels/elementwise/isa_unit.inc"
#undef NDSHARE_EW_ISA
