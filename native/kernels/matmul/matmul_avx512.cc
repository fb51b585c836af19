#define NDSHARE_ISA avx512
#include "kernels/matmul/matmul.inc.cc"
