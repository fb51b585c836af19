#define NDSHARE_ISA baseline
#include "kernels/index/index.inc.cc"
