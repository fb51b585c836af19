#include "store/header.h"

#include <cstring>

namespace ndshare {
namespace store {
namespace {

// Field indices of table ArrayHeader (schema/ndarray.fbs); vtable slot = 4 + 2 * index.
enum Field { kVersion = 0, kDType, kShape, kStrides, kByteOffset, kDataStart, kByteLength, kOrder, kName };

constexpr uint64_t kMaxSafe = (uint64_t{1} << 53) - 1;

template <typename T>
T Read(const uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// A verified view of the root table: every access is checked against the header's bytes.
struct Table {
  const uint8_t* b;  // the header's first byte
  uint64_t len;
  uint64_t table;   // position of the table
  uint64_t vtable;  // position of its vtable
  uint16_t vt_size;
  uint16_t tbl_size;

  bool Open(const uint8_t* buf, uint64_t l) {
    b = buf;
    len = l;
    if (len < 8 || len > (uint64_t{1} << 31)) return false;
    if (std::memcmp(b + 4, "NDSH", 4) != 0) return false;
    table = Read<uint32_t>(b);
    if (table % 4 != 0 || table + 4 > len) return false;
    int64_t vt = static_cast<int64_t>(table) - Read<int32_t>(b + table);
    if (vt < 0 || vt % 2 != 0 || static_cast<uint64_t>(vt) + 4 > len) return false;
    vtable = static_cast<uint64_t>(vt);
    vt_size = Read<uint16_t>(b + vtable);
    tbl_size = Read<uint16_t>(b + vtable + 2);
    return vt_size >= 4 && vt_size % 2 == 0 && vtable + vt_size <= len && tbl_size >= 4 && table + tbl_size <= len;
  }

  // Position of a field of `bytes` bytes, or 0 if absent; -1 if it lies outside the table.
  int64_t Field(int index, uint64_t bytes) const {
    uint64_t slot = 4 + 2 * static_cast<uint64_t>(index);
    if (slot + 2 > vt_size) return 0;
    uint16_t off = Read<uint16_t>(b + vtable + slot);
    if (off == 0) return 0;
    if (off < 4 || off + bytes > tbl_size) return -1;
    return static_cast<int64_t>(table + off);
  }

  // A vector or string field: its element count and first element, or false.
  // `present` is false (and true is returned) when the field is absent.
  bool Vector(int index, uint64_t elem, uint64_t* count, uint64_t* first, bool* present) const {
    int64_t at = Field(index, 4);
    *present = at > 0;
    if (at == 0) return true;
    if (at < 0) return false;
    uint64_t v = static_cast<uint64_t>(at) + Read<uint32_t>(b + at);
    if (v % 4 != 0 || v + 4 > len) return false;
    uint64_t n = Read<uint32_t>(b + v);
    if (n > (len - v - 4) / elem) return false;
    *count = n;
    *first = v + 4;
    return true;
  }

  template <typename T>
  bool Scalar(int index, T dflt, T* out) const {
    int64_t at = Field(index, sizeof(T));
    if (at < 0) return false;
    *out = at == 0 ? dflt : Read<T>(b + at);
    return true;
  }
};

}  // namespace

int ItemSize(int32_t dtype) {
  static const int kSizes[kMaxDType + 1] = {1, 1, 1, 2, 2, 4, 4, 8, 8, 2, 2, 4, 8, 8, 16};
  return dtype >= 0 && dtype <= kMaxDType ? kSizes[dtype] : 0;
}

bool HeaderName(const uint8_t* buf, uint64_t buf_size, uint64_t at, uint64_t len, const uint8_t** name,
                uint32_t* name_len) {
  if (at > buf_size || len > buf_size - at) return false;
  Table t;
  if (!t.Open(buf + at, len)) return false;
  uint64_t n = 0, first = 0;
  bool present = false;
  if (!t.Vector(kName, 1, &n, &first, &present)) return false;
  *name = present ? t.b + first : nullptr;
  *name_len = present ? static_cast<uint32_t>(n) : 0;
  return true;
}

bool DecodeHeader(const uint8_t* buf, uint64_t buf_size, uint64_t at, uint64_t len, uint64_t extent_lo,
                  uint64_t extent_hi, Header* h, const char** why) {
  *why = "malformed FlatBuffers header";
  if (at > buf_size || len > buf_size - at) return false;
  Table t;
  if (!t.Open(buf + at, len)) return false;
  uint16_t version = 0;
  uint8_t dtype = 0, order = 0;
  if (!t.Scalar<uint16_t>(kVersion, 1, &version) || !t.Scalar<uint8_t>(kDType, 0, &dtype) ||
      !t.Scalar<uint8_t>(kOrder, 0, &order) || !t.Scalar<uint64_t>(kByteOffset, 0, &h->byte_offset) ||
      !t.Scalar<uint64_t>(kDataStart, 0, &h->data_start) || !t.Scalar<uint64_t>(kByteLength, 0, &h->byte_length)) {
    return false;
  }
  if (version != 1) return *why = "header version is not 1", false;
  h->dtype = dtype;
  h->itemsize = ItemSize(dtype);
  if (h->itemsize == 0) return *why = "unknown dtype", false;
  if (order > 2) return *why = "unknown order", false;
  h->order = order;
  uint64_t n = 0, shape_at = 0, ns = 0, strides_at = 0, name_n = 0, name_at = 0;
  bool present = false;
  if (!t.Vector(kShape, 8, &n, &shape_at, &present) || !present) return false;
  if (!t.Vector(kStrides, 8, &ns, &strides_at, &present) || !present) return false;
  if (n != ns) return *why = "strides and shape differ in length", false;
  if (n > static_cast<uint64_t>(kMaxNdim)) return *why = "more than 64 dimensions", false;
  if (!t.Vector(kName, 1, &name_n, &name_at, &present)) return false;
  h->name = present ? t.b + name_at : nullptr;
  h->name_len = present ? static_cast<uint32_t>(name_n) : 0;
  h->ndim = static_cast<int32_t>(n);
  const uint64_t item = static_cast<uint64_t>(h->itemsize);
  bool empty = false;
  uint64_t size = 1;
  bool size_overflow = false;
  for (uint64_t k = 0; k < n; k++) {
    h->shape[k] = Read<int64_t>(t.b + shape_at + 8 * k);
    h->strides[k] = Read<int64_t>(t.b + strides_at + 8 * k);
    if (h->shape[k] < 0 || static_cast<uint64_t>(h->shape[k]) > kMaxSafe) return *why = "bad shape", false;
    if (h->strides[k] < -static_cast<int64_t>(kMaxSafe) || h->strides[k] > static_cast<int64_t>(kMaxSafe)) {
      return *why = "bad strides", false;
    }
    if (h->strides[k] % static_cast<int64_t>(item) != 0)
      return *why = "a stride is not a multiple of the itemsize", false;
    uint64_t dim = static_cast<uint64_t>(h->shape[k]);
    if (dim == 0) empty = true;
    if (dim != 0 && size > kMaxSafe / dim) size_overflow = true;
    else size *= dim;
  }
  if (!empty && size_overflow) return *why = "more than 2^53 - 1 elements", false;
  if (h->byte_offset % item || h->data_start % item || h->byte_length % item) {
    return *why = "an offset is not a multiple of the itemsize", false;
  }
  if (h->data_start > kMaxSafe || h->byte_length > kMaxSafe - h->data_start) return *why = "bad data extent", false;
  // The data extent must lie in the object's block, and so in the segment.
  if (h->byte_length > 0 && (h->data_start < extent_lo || h->data_start + h->byte_length > extent_hi)) {
    return *why = "data outside its block", false;
  }
  if (empty) return true;
  // Lowest and highest addressed byte, in 128-bit arithmetic (no overflow).
  __int128 neg = 0, pos = 0;
  for (uint64_t k = 0; k < n; k++) {
    __int128 span = static_cast<__int128>(h->strides[k]) * (h->shape[k] - 1);
    if (span > 0) pos += span;
    else neg -= span;
  }
  __int128 lo = static_cast<__int128>(h->byte_offset) - neg;
  __int128 hi = static_cast<__int128>(h->byte_offset) + pos + item;
  if (lo < static_cast<__int128>(h->data_start) || hi > static_cast<__int128>(h->data_start + h->byte_length)) {
    return *why = "the array addresses bytes outside its data extent", false;
  }
  return true;
}

}  // namespace store
}  // namespace ndshare
