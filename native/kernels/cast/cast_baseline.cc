#define NDSHARE_ISA baseline
#include "kernels/cast/cast.inc.cc"
