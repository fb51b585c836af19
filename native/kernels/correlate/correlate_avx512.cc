#define NDSHARE_ISA avx512
#include "kernels/correlate/correlate.inc.cc"
