#define NDSHARE_ISA baseline
#include "kernels/bits/bits.inc.cc"
