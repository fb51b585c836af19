#define NDSHARE_ISA baseline
#include "kernels/fft/fft.inc.cc"
