// Reading an object's FlatBuffers array header (schema/ndarray.fbs) from the
// segment, for native clients (the C ABI) and for name lookups. Nothing is
// trusted: the FlatBuffer structure is verified the way flatc's Verifier
// would (every offset and length inside the header's bytes), then the layout
// rules of docs/header.md (every addressed byte inside the data extent, the
// extent inside the object's block). src/header/decode.ts is the TypeScript
// reader of the same bytes.
#ifndef NDSHARE_STORE_HEADER_H_
#define NDSHARE_STORE_HEADER_H_

#include <cstddef>
#include <cstdint>

namespace ndshare {
namespace store {

constexpr int kMaxNdim = 64;
constexpr int kMaxDType = 14;  // complex128; values are append-only

struct Header {
  int32_t dtype;  // schema enum value
  int32_t itemsize;
  int32_t ndim;
  int64_t shape[kMaxNdim];
  int64_t strides[kMaxNdim];  // bytes
  uint64_t byte_offset;
  uint64_t data_start;
  uint64_t byte_length;
  int32_t order;        // 0 C, 1 F, 2 A
  const uint8_t* name;  // inside the segment; nullptr: unnamed
  uint32_t name_len;
};

// Bytes per element of a schema dtype value, or 0 for an unknown one.
int ItemSize(int32_t dtype);

// Decodes the header at bytes [at, at + len) of `buf` (`buf_size` bytes) and
// checks its layout against the extent [extent_lo, extent_hi) it must stay in.
// Returns true, or false with `why` (a static string) set.
bool DecodeHeader(const uint8_t* buf, uint64_t buf_size, uint64_t at, uint64_t len, uint64_t extent_lo,
                  uint64_t extent_hi, Header* out, const char** why);

// Only the name (verifying just what leads to it). False if malformed.
bool HeaderName(const uint8_t* buf, uint64_t buf_size, uint64_t at, uint64_t len, const uint8_t** name,
                uint32_t* name_len);

}  // namespace store
}  // namespace ndshare

#endif  // NDSHARE_STORE_HEADER_H_
