#define NDSHARE_ISA avx2
#include "kernels/fft/fft.inc.cc"
