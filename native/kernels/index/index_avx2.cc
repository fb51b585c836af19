#define NDSHARE_ISA avx2
#include "kernels/index/index.inc.cc"
