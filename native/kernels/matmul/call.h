// matmul's parsed call, shared by the entry point (matmul.cc: checks the
// arguments and fills a Call) and the driver (execute.cc: runs it).
#ifndef NDSHARE_KERNELS_MATMUL_CALL_H_
#define NDSHARE_KERNELS_MATMUL_CALL_H_

#include <cstddef>
#include <cstdint>

#include "kernels/iter.h"
#include "kernels/matmul/gemm.h"

namespace ndshare {
namespace kernels {
namespace matmul {

struct Operand {
  char* data;  // element [0, ..., 0] (only valid when the operand addresses anything)
  int64_t batchStrides[kMaxDims];
  int64_t rs, cs;
};

struct Call {
  int dtype;
  const Table* table;
  int nb;
  int64_t batchShape[kMaxDims];
  int64_t nbatch;
  int64_t M, N, K;
  Operand op[3];  // a, b, out
  size_t item;
};

// Runs the product of every batch (threads, blocking, buffers: execute.cc).
// Throws std::bad_alloc / std::length_error when its buffers cannot be had.
void Execute(const Call& call);

}  // namespace matmul
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_MATMUL_CALL_H_
