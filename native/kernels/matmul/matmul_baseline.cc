#define NDSHARE_ISA baseline
#include "kernels/matmul/matmul.inc.cc"
