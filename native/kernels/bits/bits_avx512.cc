#define NDSHARE_ISA avx512
#include "kernels/bits/bits.inc.cc"
