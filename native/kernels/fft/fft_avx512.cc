#define NDSHARE_ISA avx512
#include "kernels/fft/fft.inc.cc"
