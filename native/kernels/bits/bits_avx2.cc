#define NDSHARE_ISA avx2
#include "kernels/bits/bits.inc.cc"
