#define NDSHARE_ISA baseline
#include "kernels/reduce/reduce.inc.cc"
