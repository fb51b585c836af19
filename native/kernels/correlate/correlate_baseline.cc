#define NDSHARE_ISA baseline
#include "kernels/correlate/correlate.inc.cc"
