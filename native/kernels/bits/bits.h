// The bits kernel family (kernels/dispatch.h): NumPy's packbits and
// unpackbits. One table per ISA (bits_{baseline,avx2,avx512}.cc over
// bits.inc.cc); the JS entry points and the walk over the other axes are in
// bits.cc.
//
// Two shapes of work, by where the packed axis lies:
// - rows (the axis is the last one that is not of length 1): one row of n
//   elements (any byte stride) becomes ceil(n / 8) bytes, or back;
// - planes (axes follow it): the 8 elements of one output byte lie `inner`
//   elements apart, so whole runs of the following axes are combined at once
//   (out[i] |= (in[i] != 0) << shift, or out[i] = (in[i] >> shift) & 1),
//   which vectorizes along the run.
// Every pointer and length is checked by the caller (bits.cc).
#ifndef NDSHARE_KERNELS_BITS_BITS_H_
#define NDSHARE_KERNELS_BITS_BITS_H_

#include <cstdint>

#include "kernels/dispatch.h"

namespace ndshare {
namespace kernels {
namespace bits {

// Packs the n elements at src (byte stride `stride`, nonzero = 1) into
// dst[0, ceil(n / 8)); a partial last byte is padded with zero bits.
using PackRow = void (*)(const char* src, int64_t stride, int64_t n, uint8_t* dst, bool little);
// dst[i * dstride] |= (src[i * stride] != 0) << shift, for i in [0, n).
using PackPlane = void (*)(const char* src, int64_t stride, uint8_t* dst, int64_t dstride, int64_t n, int shift);
// Unpacks the bits of the n bytes at src (byte stride `stride`) into
// dst[0, min(count, 8 n)) as 0/1 bytes, then zeros up to count.
using UnpackRow = void (*)(const uint8_t* src, int64_t stride, int64_t n, uint8_t* dst, int64_t count, bool little);
// dst[i * dstride] = (src[i * stride] >> shift) & 1, for i in [0, n).
using UnpackPlane = void (*)(const uint8_t* src, int64_t stride, uint8_t* dst, int64_t dstride, int64_t n, int shift);

struct Table {
  const char* isa;
  PackRow packRow[4];      // by log2 of the item size (1, 2, 4, 8 bytes)
  PackPlane packPlane[4];  // the same
  UnpackRow unpackRow;
  UnpackPlane unpackPlane;
};

NDSHARE_KERNEL_FAMILY(Table)

}  // namespace bits
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_BITS_BITS_H_
