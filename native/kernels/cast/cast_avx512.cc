#define NDSHARE_ISA avx512
#include "kernels/cast/cast.inc.cc"
