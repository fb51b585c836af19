#define NDSHARE_ISA avx2
#include "kernels/matmul/matmul.inc.cc"
