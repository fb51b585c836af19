#define NDSHARE_ISA baseline
#include "kernels/elementwise/elementwise.inc.cc"
