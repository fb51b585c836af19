// math.matmul (math.getThreads / math.setThreads: kernels/parallel.cc) (see NativeMath in src/binding.ts).
//
// matmul(dtype, [a, b, out], desc), desc in elements:
//   [nbatch, batchShape[0..nbatch), M, N, K,
//    then for a, b, out: offset, batchStrides[0..nbatch), rowStride, colStride]
//
// Everything in desc is checked here (integral values, limits, every element
// each operand addresses inside its typed array, typed-array storage type),
// as iter.cc's ParseLoop does for the elementwise loops.
//
// Then matmul::Execute (execute.cc) runs the checked call.
#include <napi.h>

#include <cstring>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

#include "kernels/dtype.h"
#include "kernels/iter.h"
#include "kernels/math.h"
#include "kernels/matmul/call.h"
#include "kernels/matmul/gemm.h"
#include "kernels/parallel.h"
#include "util/errors.h"

namespace ndshare {
namespace kernels {
namespace {

using matmul::Call;
using matmul::Operand;

constexpr double kMaxExact = 9007199254740991.0;  // 2^53 - 1

// ---- argument checks -------------------------------------------------------------

[[noreturn]] void Fail(Napi::Env env, const std::string& what) { throw MakeRangeError(env, "math.matmul: " + what); }

void CopyOperand(Call& call, int k, int64_t rows, int64_t cols, std::vector<char>* store) {
  Operand& o = call.op[k];
  const size_t it = call.item;
  store->resize(static_cast<size_t>(call.nbatch * rows * cols) * it + 1);
  char* dst = store->data();
  for (int64_t bi = 0; bi < call.nbatch; ++bi) {
    int64_t off = 0, index = bi;
    for (int d = call.nb - 1; d >= 0 && index > 0; --d) {
      off += (index % call.batchShape[d]) * o.batchStrides[d];
      index /= call.batchShape[d];
    }
    for (int64_t r = 0; r < rows; ++r) {
      for (int64_t c = 0; c < cols; ++c) {
        std::memcpy(dst, o.data + (off + r * o.rs + c * o.cs) * static_cast<int64_t>(it), it);
        dst += it;
      }
    }
  }
  o.data = store->data();
  for (int d = 0; d < call.nb; ++d) o.batchStrides[d] = 0;
  int64_t stride = rows * cols;
  for (int d = call.nb - 1; d >= 0; --d) {
    o.batchStrides[d] = stride;
    stride *= call.batchShape[d];
  }
  o.rs = cols;
  o.cs = 1;
}

Napi::Value JsMatmul(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsNumber())
    throw MakeTypeError(env, "math.matmul: expected (dtype, operands, desc)");
  const double dd = info[0].As<Napi::Number>().DoubleValue();
  if (!(dd >= 0 && dd < kDTypeCount && dd == static_cast<double>(static_cast<int>(dd)))) Fail(env, "bad dtype code");
  Call call;
  call.dtype = static_cast<int>(dd);
  call.item = kItemSize[call.dtype];
  if (!info[1].IsArray()) throw MakeTypeError(env, "math.matmul: operands must be an array");
  Napi::Array ops = info[1].As<Napi::Array>();
  if (ops.Length() != 3) Fail(env, "operands must be [a, b, out]");
  if (!info[2].IsTypedArray() || info[2].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
    throw MakeTypeError(env, "math.matmul: desc must be a Float64Array");
  }
  Napi::Float64Array desc = info[2].As<Napi::Float64Array>();
  const double* dv = desc.Data();
  const size_t dlen = desc.ElementLength();
  if (dlen < 1) Fail(env, "desc is empty");
  const int64_t nb = DescInteger(env, "matmul", dv[0], "nbatch");
  if (nb < 0 || nb > kMaxDims - 2) Fail(env, "nbatch out of range");
  call.nb = static_cast<int>(nb);
  if (dlen != static_cast<size_t>(1 + nb + 3 + 3 * (nb + 3))) Fail(env, "desc has the wrong length");
  __int128 nbatch = 1;
  for (int d = 0; d < call.nb; ++d) {
    const int64_t s = DescInteger(env, "matmul", dv[1 + d], "batch shape");
    if (s < 0) Fail(env, "negative batch shape");
    call.batchShape[d] = s;
    nbatch *= s;
    if (nbatch > static_cast<__int128>(kMaxExact)) Fail(env, "size too large");
  }
  call.nbatch = static_cast<int64_t>(nbatch);
  call.M = DescInteger(env, "matmul", dv[1 + nb], "M");
  call.N = DescInteger(env, "matmul", dv[2 + nb], "N");
  call.K = DescInteger(env, "matmul", dv[3 + nb], "K");
  if (call.M < 0 || call.N < 0 || call.K < 0) Fail(env, "negative M, N or K");
  const int64_t rows[3] = {call.M, call.K, call.M};
  const int64_t cols[3] = {call.K, call.N, call.N};
  __int128 lo[3], hi[3];
  int64_t size[3];
  for (int k = 0; k < 3; ++k) {
    const __int128 sz = nbatch * rows[k] * cols[k];
    if (sz > static_cast<__int128>(kMaxExact)) Fail(env, "size too large");
    size[k] = static_cast<int64_t>(sz);
  }
  for (int k = 0; k < 3; ++k) {
    Napi::Value v = ops.Get(static_cast<uint32_t>(k));
    if (!v.IsTypedArray()) throw MakeTypeError(env, "math.matmul: operand is not a typed array");
    napi_typedarray_type type;
    size_t length;
    void* data;
    if (napi_get_typedarray_info(env, v, &type, &length, &data, nullptr, nullptr) != napi_ok) {
      throw Napi::Error::New(env);
    }
    if (type != StorageType(call.dtype)) {
      throw MakeTypeError(
          env, "math.matmul: operand " + std::to_string(k) + " is not the typed array of " + kDTypeNames[call.dtype]);
    }
    if (data == nullptr) length = 0;
    const double* od = dv + 4 + nb + k * (nb + 3);
    const int64_t offset = DescInteger(env, "matmul", od[0], "offset");
    Operand& o = call.op[k];
    lo[k] = hi[k] = offset;
    auto extend = [&](int64_t stride, int64_t n) {
      if (n > 0) {
        const __int128 span = static_cast<__int128>(stride) * (n - 1);
        if (span < 0) lo[k] += span;
        else hi[k] += span;
      }
    };
    for (int d = 0; d < call.nb; ++d) {
      o.batchStrides[d] = DescInteger(env, "matmul", od[1 + d], "stride");
      extend(o.batchStrides[d], call.batchShape[d]);
    }
    o.rs = DescInteger(env, "matmul", od[1 + nb], "stride");
    o.cs = DescInteger(env, "matmul", od[2 + nb], "stride");
    extend(o.rs, rows[k]);
    extend(o.cs, cols[k]);
    if (size[k] > 0 && (lo[k] < 0 || hi[k] >= static_cast<__int128>(length))) {
      Fail(env, "operand " + std::to_string(k) + " addresses elements outside its typed array");
    }
    o.data = static_cast<char*>(data) + (size[k] > 0 ? offset * static_cast<int64_t>(call.item) : 0);
    // Byte extents, for the overlap check below.
    const __int128 base = reinterpret_cast<uintptr_t>(data);
    lo[k] = base + lo[k] * static_cast<__int128>(call.item);
    hi[k] = base + (hi[k] + 1) * static_cast<__int128>(call.item);
  }
  if (size[2] == 0) return env.Undefined();
  call.table = matmul::CurrentTable();

  // out must not share memory with a or b (the TS callers guarantee it); if the
  // extents meet anyway, the input is copied first, so the result stays right.
  std::vector<char> copies[2];
  try {
    for (int k = 0; k < 2; ++k) {
      if (size[k] > 0 && lo[k] < hi[2] && lo[2] < hi[k]) CopyOperand(call, k, rows[k], cols[k], &copies[k]);
    }
    matmul::Execute(call);
  } catch (const std::bad_alloc&) {
    throw MakeError(env, code::kNative, "math.matmul: out of memory for its buffers");
  } catch (const std::length_error&) {
    throw MakeError(env, code::kNative, "math.matmul: out of memory for its buffers");
  }
  return env.Undefined();
}

}  // namespace

void InitMatmul(Napi::Env env, Napi::Object math) {
  math.Set("matmul", Napi::Function::New(env, JsMatmul, "matmul"));
  parallel::InitParallel(env, math);
}

}  // namespace kernels
}  // namespace ndshare
