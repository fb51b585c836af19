// math.linalg(op, buffers, dims) -> info: one dense factorisation of one
// contiguous row-major float64 matrix (see factor.h; src/linalg/native.ts
// loops over batches and converts dtypes). Every buffer is checked to be a
// Float64Array holding at least the elements the op reads or writes.
//
//   'lu'      [a n*n, piv n]                       dims [n]            -> 0 | 1 + zero pivot
//   'lusolve' [lu n*n, piv n, b n*k]               dims [n, k]         -> 0
//   'chol'    [a n*n]                              dims [n]            -> 0 | 1 + failing column
//   'qr'      [a m*n, tau min(m,n)]                dims [m, n]         -> 0
//   'qrq'     [a m*n, tau min(m,n), q m*mc]        dims [m, n, mc]     -> 0 (mc <= m)
//   'eigh'    [a n*n, w n]                         dims [n, wantV]     -> 0 | 1 no convergence
//   'svd'     [a m*n, s n, u m*uc, vt n*n]         dims [m, n, uc, wantUv] (m >= n, uc in {n, m}) -> 0 | 1
//   'eig'     [a n*n, wr n, wi n]                  dims [n]            -> 0 | 1
//   'rowdot'  [a r*k, b r*k, out r]                dims [r, k]         -> 0 (out[i] = row i of a . row i of b)
//   'z...'    complex matrices: see complex_ops.cc
#include <napi.h>

#include <cmath>
#include <new>
#include <string>
#include <vector>

#include "kernels/dtype.h"
#include "kernels/linalg/complex.h"
#include "kernels/linalg/factor.h"
#include "kernels/linalg/gemm_call.h"
#include "kernels/math.h"
#include "kernels/matmul/call.h"
#include "kernels/matmul/gemm.h"
#include "util/errors.h"

namespace ndshare {
namespace kernels {
namespace linalg {

void Gemm(int64_t M, int64_t N, int64_t K, const double* a, int64_t rsa, int64_t csa, const double* b, int64_t rsb,
          int64_t csb, double* c, int64_t rsc, int64_t csc) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0) {
    for (int64_t i = 0; i < M; ++i)
      for (int64_t j = 0; j < N; ++j) c[i * rsc + j * csc] = 0.0;
    return;
  }
  matmul::Call call{};
  call.dtype = kFloat64;
  call.table = matmul::CurrentTable();
  call.nb = 0;
  call.nbatch = 1;
  call.M = M;
  call.N = N;
  call.K = K;
  call.item = sizeof(double);
  call.op[0].data = reinterpret_cast<char*>(const_cast<double*>(a));
  call.op[0].rs = rsa;
  call.op[0].cs = csa;
  call.op[1].data = reinterpret_cast<char*>(const_cast<double*>(b));
  call.op[1].rs = rsb;
  call.op[1].cs = csb;
  call.op[2].data = reinterpret_cast<char*>(c);
  call.op[2].rs = rsc;
  call.op[2].cs = csc;
  matmul::Execute(call);
}

namespace {

constexpr double kMaxDim = 1 << 24;

[[noreturn]] void Fail(Napi::Env env, const std::string& what) { throw MakeRangeError(env, "math.linalg: " + what); }

Napi::Value JsLinalg(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 3 || !info[0].IsString() || !info[1].IsArray() || !info[2].IsArray()) {
    throw MakeTypeError(env, "math.linalg: expected (op, buffers, dims)");
  }
  const std::string op = info[0].As<Napi::String>().Utf8Value();
  Napi::Array bufs = info[1].As<Napi::Array>();
  Napi::Array dimsArr = info[2].As<Napi::Array>();
  std::vector<int64_t> dims;
  for (uint32_t i = 0; i < dimsArr.Length(); ++i) {
    Napi::Value v = dimsArr.Get(i);
    if (!v.IsNumber()) Fail(env, "dims must be numbers");
    const double d = v.As<Napi::Number>().DoubleValue();
    if (!(d >= 0 && d <= kMaxDim && d == std::floor(d))) Fail(env, "dims must be integers in [0, 2^24]");
    dims.push_back(static_cast<int64_t>(d));
  }
  std::vector<double*> ptr;
  std::vector<size_t> len;
  for (uint32_t i = 0; i < bufs.Length(); ++i) {
    Napi::Value v = bufs.Get(i);
    if (!v.IsTypedArray() || v.As<Napi::TypedArray>().TypedArrayType() != napi_float64_array) {
      throw MakeTypeError(env, "math.linalg: buffer " + std::to_string(i) + " is not a Float64Array");
    }
    Napi::Float64Array f = v.As<Napi::Float64Array>();
    ptr.push_back(f.ElementLength() > 0 ? f.Data() : nullptr);
    len.push_back(f.ElementLength());
  }
  auto need = [&](size_t nd, size_t nb) {
    if (dims.size() != nd) Fail(env, op + ": expected " + std::to_string(nd) + " dims");
    if (ptr.size() != nb) Fail(env, op + ": expected " + std::to_string(nb) + " buffers");
  };
  auto atLeast = [&](size_t i, int64_t n) {
    if (static_cast<int64_t>(len[i]) < n) Fail(env, op + ": buffer " + std::to_string(i) + " is too short");
  };
  int64_t r = 0;
  try {
    if (op == "lu") {
      need(1, 2);
      const int64_t n = dims[0];
      atLeast(0, n * n);
      atLeast(1, n);
      r = Lu(ptr[0], n, ptr[1]);
    } else if (op == "lusolve") {
      need(2, 3);
      const int64_t n = dims[0], k = dims[1];
      atLeast(0, n * n);
      atLeast(1, n);
      atLeast(2, n * k);
      for (int64_t i = 0; i < n; ++i) {
        const double p = ptr[1][i];
        if (!(p >= static_cast<double>(i) && p < static_cast<double>(n) && p == std::floor(p)))
          Fail(env, "lusolve: bad pivot");
      }
      LuSolve(ptr[0], ptr[1], n, ptr[2], k);
    } else if (op == "chol") {
      need(1, 1);
      const int64_t n = dims[0];
      atLeast(0, n * n);
      r = Cholesky(ptr[0], n);
    } else if (op == "qr") {
      need(2, 2);
      const int64_t m = dims[0], n = dims[1];
      atLeast(0, m * n);
      atLeast(1, std::min(m, n));
      Qr(ptr[0], m, n, ptr[1]);
    } else if (op == "qrq") {
      need(3, 3);
      const int64_t m = dims[0], n = dims[1], mc = dims[2];
      if (mc > m) Fail(env, "qrq: mc > m");
      atLeast(0, m * n);
      atLeast(1, std::min(m, n));
      atLeast(2, m * mc);
      QrFormQ(ptr[0], m, n, ptr[1], ptr[2], mc);
    } else if (op == "eigh") {
      need(2, 2);
      const int64_t n = dims[0];
      atLeast(0, n * n);
      atLeast(1, n);
      r = Eigh(ptr[0], n, ptr[1], dims[1] != 0);
    } else if (op == "svd") {
      need(4, 4);
      const int64_t m = dims[0], n = dims[1], uc = dims[2];
      const bool want = dims[3] != 0;
      if (m < n) Fail(env, "svd: m < n");
      if (want && uc != n && uc != m) Fail(env, "svd: ucols must be n or m");
      atLeast(0, m * n);
      atLeast(1, n);
      if (want) {
        atLeast(2, m * uc);
        atLeast(3, n * n);
      }
      r = Svd(ptr[0], m, n, ptr[1], want ? ptr[2] : nullptr, uc, want ? ptr[3] : nullptr, want);
    } else if (op == "eig") {
      need(1, 3);
      const int64_t n = dims[0];
      atLeast(0, n * n);
      atLeast(1, n);
      atLeast(2, n);
      r = EigGeneral(ptr[0], n, ptr[1], ptr[2]);
    } else if (op == "eigv") {
      // a (becomes T), wr, wi, z (Schur vectors, work), vr (packed eigenvectors, dgeev's form).
      need(1, 5);
      const int64_t n = dims[0];
      atLeast(0, n * n);
      atLeast(1, n);
      atLeast(2, n);
      atLeast(3, n * n);
      atLeast(4, n * n);
      r = EigGeneral(ptr[0], n, ptr[1], ptr[2], ptr[3]);
      if (r == 0) EigVectors(ptr[0], ptr[3], n, ptr[1], ptr[2], ptr[4]);
    } else if (op == "rowdot") {
      // out[i] = sum_k a[i*k + j] * b[i*k + j]: the row-wise dot products of einsum('ij,ij->i') and norms.
      need(2, 3);
      const int64_t rows = dims[0], k = dims[1];
      atLeast(0, rows * k);
      atLeast(1, rows * k);
      atLeast(2, rows);
      const double* a = ptr[0];
      const double* b = ptr[1];
      double* out = ptr[2];
      for (int64_t i = 0; i < rows; ++i) {
        const double* x = a + i * k;
        const double* y = b + i * k;
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int64_t j = 0;
        for (; j + 8 <= k; j += 8) {
          s0 += x[j] * y[j];
          s1 += x[j + 1] * y[j + 1];
          s2 += x[j + 2] * y[j + 2];
          s3 += x[j + 3] * y[j + 3];
          s4 += x[j + 4] * y[j + 4];
          s5 += x[j + 5] * y[j + 5];
          s6 += x[j + 6] * y[j + 6];
          s7 += x[j + 7] * y[j + 7];
        }
        for (; j < k; ++j) s0 += x[j] * y[j];
        out[i] = ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
      }
    } else {
      std::string error;
      if (!ComplexOp(op, dims, ptr, len, &r, &error)) Fail(env, "unknown op '" + op + "'");
      if (!error.empty()) Fail(env, error);
    }
  } catch (const std::bad_alloc&) {
    throw MakeError(env, code::kNative, "math.linalg: out of memory for its buffers");
  } catch (const std::length_error&) {
    throw MakeError(env, code::kNative, "math.linalg: out of memory for its buffers");
  }
  return Napi::Number::New(env, static_cast<double>(r));
}

}  // namespace
}  // namespace linalg

void InitLinalg(Napi::Env env, Napi::Object math) {
  math.Set("linalg", Napi::Function::New(env, linalg::JsLinalg, "linalg"));
}

}  // namespace kernels
}  // namespace ndshare
