#define NDSHARE_ISA avx2
#include "kernels/cast/cast.inc.cc"
