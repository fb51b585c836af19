#define NDSHARE_ISA avx2
#include "kernels/reduce/reduce.inc.cc"
