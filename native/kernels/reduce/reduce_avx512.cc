#define NDSHARE_ISA avx512
#include "kernels/reduce/reduce.inc.cc"
