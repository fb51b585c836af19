// The strided N-d loop shared by the compute kernels (elementwise, reduce).
//
// JS describes a loop over up to kMaxOperands arrays that share one shape
// (broadcast operands carry stride 0) with a Float64Array `desc`:
//
//   desc = [ndim, shape[0..ndim), then for each operand k in order:
//           offset_k, strides_k[0..ndim)]              (all in ELEMENTS)
//
// and an array of typed arrays `operands` (the whole `data` of each NDArray).
// ParseLoop checks everything (typed-array storage type per dtype, integral
// values, every addressed element inside its typed array) and converts to
// byte pointers and byte strides; nothing past it trusts JS.
//
// Simplify then reorders the axes for memory order (by the absolute strides of
// one operand, ties by the others), drops length-1 axes and merges axes that
// are contiguous for every operand, so a C-contiguous loop of any ndim
// becomes one run. ForEachRun calls the inner loop once per innermost run:
// NumPy's inner-loop model, `inner(char** ptrs, const int64_t* strides, n)`
// with byte strides.
#ifndef NDSHARE_KERNELS_ITER_H_
#define NDSHARE_KERNELS_ITER_H_

#include <napi.h>

#include <cstdint>

#include "kernels/dtype.h"

namespace ndshare {
namespace kernels {

constexpr int kMaxDims = 64;
constexpr int kMaxOperands = 4;

struct StridedLoop {
  int ndim = 0;
  int nop = 0;
  int64_t size = 0;  // product of shape (0: nothing to do)
  int64_t shape[kMaxDims];
  char* data[kMaxOperands];                 // address of each operand's element [0, ..., 0]
  int64_t strides[kMaxOperands][kMaxDims];  // bytes
};

// The typed-array storage type of a dtype code (float16/bfloat16: Uint16Array,
// bool: Uint8Array). `dtype` must be valid.
napi_typedarray_type StorageType(int dtype);

// A desc value that must be an integer within +-(2^53 - 1); otherwise throws a
// coded RangeError "math.<fn>: desc: <what> is not an integer in range".
int64_t DescInteger(Napi::Env env, const char* fn, double v, const char* what);

// Reads `operands` (a JS array of nop typed arrays) and `desc` (Float64Array,
// layout above) for a loop whose operand k has dtype dtypes[k]. `fn` names the
// JS function in error messages. Throws a coded TypeError/RangeError on any
// inconsistency. With allowComplex, dtypes may also be kComplex64/kComplex128:
// the operand is the Float32Array/Float64Array of the parts, offsets and
// strides count elements (pairs), as for every other dtype.
StridedLoop ParseLoop(Napi::Env env, const char* fn, Napi::Value operands, Napi::Value desc, const int* dtypes, int nop,
                      bool allowComplex = false);

// Reorders axes so the one with the smallest |stride| of operand `order` is
// innermost (stable, ties broken by the other operands in turn), drops
// length-1 axes and merges contiguous axes. If keepLast, the last axis stays
// last and is never merged (scans and arg-reductions walk it in order).
void Simplify(StridedLoop* loop, int order, bool keepLast = false);

// Calls inner(ptrs, strides, n) for each run along the last axis; ndim 0
// gives one run of 1 element. Nothing runs when size is 0.
template <class Inner>
void ForEachRun(const StridedLoop& loop, Inner&& inner) {
  if (loop.size == 0) return;
  const int nop = loop.nop;
  char* ptrs[kMaxOperands];
  int64_t innerStrides[kMaxOperands];
  for (int k = 0; k < nop; ++k) ptrs[k] = loop.data[k];
  if (loop.ndim == 0) {
    for (int k = 0; k < nop; ++k) innerStrides[k] = 0;
    inner(ptrs, innerStrides, int64_t{1});
    return;
  }
  const int last = loop.ndim - 1;
  const int64_t n = loop.shape[last];
  for (int k = 0; k < nop; ++k) innerStrides[k] = loop.strides[k][last];
  if (last == 0) {
    inner(ptrs, innerStrides, n);
    return;
  }
  int64_t counter[kMaxDims] = {0};
  for (;;) {
    inner(ptrs, innerStrides, n);
    int d = last - 1;
    for (; d >= 0; --d) {
      if (++counter[d] < loop.shape[d]) {
        for (int k = 0; k < nop; ++k) ptrs[k] += loop.strides[k][d];
        break;
      }
      counter[d] = 0;
      for (int k = 0; k < nop; ++k) ptrs[k] -= loop.strides[k][d] * (loop.shape[d] - 1);
    }
    if (d < 0) return;
  }
}

}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_ITER_H_
