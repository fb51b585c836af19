#define NDSHARE_ISA avx512
#include "kernels/linalg/vec.inc.cc"
