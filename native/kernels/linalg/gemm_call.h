// linalg: C = A * B (float64, strides in elements) on the matmul GEMM (kernels/matmul/execute.cc).
#ifndef NDSHARE_KERNELS_LINALG_GEMM_CALL_H_
#define NDSHARE_KERNELS_LINALG_GEMM_CALL_H_

#include <cstdint>

namespace ndshare {
namespace kernels {
namespace linalg {

void Gemm(int64_t M, int64_t N, int64_t K, const double* a, int64_t rsa, int64_t csa, const double* b, int64_t rsb,
          int64_t csb, double* c, int64_t rsc, int64_t csc);

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_LINALG_GEMM_CALL_H_
