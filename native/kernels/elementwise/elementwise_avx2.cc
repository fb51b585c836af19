#define NDSHARE_ISA avx2
#include "kernels/elementwise/elementwise.inc.cc"
