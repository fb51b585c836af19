#define NDSHARE_ISA avx512
#include "kernels/elementwise/elementwise.inc.cc"
