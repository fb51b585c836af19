#define NDSHARE_ISA avx2
#include "kernels/linalg/vec.inc.cc"
