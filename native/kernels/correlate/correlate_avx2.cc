#define NDSHARE_ISA avx2
#include "kernels/correlate/correlate.inc.cc"
