#define NDSHARE_ISA baseline
#include "kernels/linalg/vec.inc.cc"
