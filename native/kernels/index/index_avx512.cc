#define NDSHARE_ISA avx512
#include "kernels/index/index.inc.cc"
