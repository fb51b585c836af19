// JS entry points of the reductions: math.reduce, sumSquaredDeviations,
// argReduce, accumulate (+ their op codes and supported dtype pairs).
//
// The kernels live in kernels.inc, compiled once per instruction set
// (reduce.inc.cc and its shells); this file validates through ParseLoop, sets the output to the
// op's identity, simplifies the loop for the input's memory order and runs
// the table of CurrentIsa() over every innermost run.
#include <cstring>
#include <limits>
#include <string>

#include "kernels/dtype.h"
#include "kernels/iter.h"
#include "kernels/math.h"
#include "kernels/reduce/table.h"
#include "util/args.h"
#include "util/errors.h"
#include "util/exports.h"

namespace ndshare {
namespace kernels {
namespace {

using reduce::CurrentTable;
using reduce::RunFn;
using reduce::Table;

constexpr const char* kReduceNames[reduce::kReduceOpCount] = {"sum", "prod", "min", "max", "any", "all"};
constexpr const char* kArgNames[reduce::kArgOpCount] = {"argmin", "argmax"};
constexpr const char* kScanNames[reduce::kScanOpCount] = {"cumsum", "cumprod"};

[[noreturn]] void Unsupported(Napi::Env env, const char* fn, const std::string& what, int in, int out) {
  throw MakeRangeError(env, std::string("math.") + fn + ": " + what + " from " + kDTypeNames[in] + " to " +
                                kDTypeNames[out] + " is not supported");
}

// The identity element of `op` as out dtype `d`, as raw bytes.
void IdentityBytes(int op, int d, unsigned char* b) {
  std::memset(b, 0, 8);
  auto put = [&](auto v) { std::memcpy(b, &v, sizeof v); };
  const bool hi = op == reduce::kMin;  // min starts at the top, max at the bottom
  switch (op) {
    case reduce::kSum:
    case reduce::kAny: return;  // all zero bits (0, +0.0, false)
    case reduce::kAll: b[0] = 1; return;
    case reduce::kProd:
      switch (d) {
        case kFloat16: put(uint16_t{0x3c00}); return;
        case kBfloat16: put(uint16_t{0x3f80}); return;
        case kFloat32: put(1.0f); return;
        case kFloat64: put(1.0); return;
        default: b[0] = 1; return;  // little-endian integer 1
      }
    default: break;
  }
  switch (d) {
    case kBool: b[0] = hi ? 1 : 0; return;
    case kInt8: put(hi ? std::numeric_limits<int8_t>::max() : std::numeric_limits<int8_t>::min()); return;
    case kUint8: put(hi ? std::numeric_limits<uint8_t>::max() : uint8_t{0}); return;
    case kInt16: put(hi ? std::numeric_limits<int16_t>::max() : std::numeric_limits<int16_t>::min()); return;
    case kUint16: put(hi ? std::numeric_limits<uint16_t>::max() : uint16_t{0}); return;
    case kInt32: put(hi ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int32_t>::min()); return;
    case kUint32: put(hi ? std::numeric_limits<uint32_t>::max() : uint32_t{0}); return;
    case kInt64: put(hi ? std::numeric_limits<int64_t>::max() : std::numeric_limits<int64_t>::min()); return;
    case kUint64: put(hi ? std::numeric_limits<uint64_t>::max() : uint64_t{0}); return;
    case kFloat16: put(uint16_t(hi ? 0x7c00 : 0xfc00)); return;
    case kBfloat16: put(uint16_t(hi ? 0x7f80 : 0xff80)); return;
    case kFloat32: put(hi ? std::numeric_limits<float>::infinity() : -std::numeric_limits<float>::infinity()); return;
    default: put(hi ? std::numeric_limits<double>::infinity() : -std::numeric_limits<double>::infinity()); return;
  }
}

template <class T>
void FillRun(char* p, int64_t stride, int64_t n, const unsigned char* bytes) {
  T v;
  std::memcpy(&v, bytes, sizeof v);
  if (stride == static_cast<int64_t>(sizeof(T))) {
    T* q = reinterpret_cast<T*>(p);
    for (int64_t i = 0; i < n; ++i) q[i] = v;
  } else {
    for (int64_t i = 0; i < n; ++i) std::memcpy(p + i * stride, &v, sizeof v);
  }
}

// Sets every element of operand `k` (dtype `d`) of the loop to `bytes`.
// Operand k's element set is the loop without the axes where its stride is 0.
// When the whole loop is empty (a zero-size reduced axis) ParseLoop did not
// check operand k's bounds, so it is parsed again on its own axes.
void FillOperand(Napi::Env env, const char* fn, const StridedLoop& loop, Napi::Value operands, Napi::Value desc, int k,
                 int d, const unsigned char* bytes) {
  StridedLoop ol;
  ol.nop = 1;
  if (loop.size > 0) {
    ol.ndim = 0;
    ol.size = 1;
    for (int i = 0; i < loop.ndim; ++i) {
      if (loop.strides[k][i] == 0) continue;
      ol.shape[ol.ndim] = loop.shape[i];
      ol.strides[0][ol.ndim] = loop.strides[k][i];
      ol.size *= loop.shape[i];
      ++ol.ndim;
    }
    ol.data[0] = loop.data[k];
  } else {
    // desc was fully read by ParseLoop (integral, right length): rebuild it for operand k alone.
    const double* dv = desc.As<Napi::Float64Array>().Data();
    const int ndim = static_cast<int>(dv[0]);
    const double* od = dv + 1 + ndim + k * (1 + ndim);
    double nd[1 + kMaxDims + 1 + kMaxDims];
    int m = 0;
    for (int i = 0; i < ndim; ++i) {
      if (od[1 + i] == 0) continue;
      if (dv[1 + i] == 0) return;  // operand k itself is empty
      ++m;
    }
    Napi::Float64Array d2 = Napi::Float64Array::New(env, static_cast<size_t>(2 + 2 * m));
    int j = 0;
    nd[0] = m;
    for (int i = 0; i < ndim; ++i) {
      if (od[1 + i] == 0) continue;
      nd[1 + j] = dv[1 + i];
      nd[2 + m + j] = od[1 + i];
      ++j;
    }
    nd[1 + m] = od[0];
    std::memcpy(d2.Data(), nd, sizeof(double) * (2 + 2 * m));
    Napi::Array ops1 = Napi::Array::New(env, 1);
    ops1.Set(uint32_t{0}, operands.As<Napi::Array>().Get(static_cast<uint32_t>(k)));
    ol = ParseLoop(env, fn, ops1, d2, &d, 1);
  }
  Simplify(&ol, 0, false);
  ForEachRun(ol, [&](char** p, const int64_t* s, int64_t n) {
    switch (kItemSize[d]) {
      case 1: FillRun<uint8_t>(p[0], s[0], n, bytes); break;
      case 2: FillRun<uint16_t>(p[0], s[0], n, bytes); break;
      case 4: FillRun<uint32_t>(p[0], s[0], n, bytes); break;
      default: FillRun<uint64_t>(p[0], s[0], n, bytes); break;
    }
  });
}

// math.reduce(op, inDtype, outDtype, [x, out], desc)
void JsReduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int op = CodeArg(info, 0, "math.reduce", "op", reduce::kReduceOpCount);
  const int in = CodeArg(info, 1, "math.reduce", "inDtype", kDTypeCount);
  const int out = CodeArg(info, 2, "math.reduce", "outDtype", kDTypeCount);
  const Table* t = CurrentTable();
  RunFn fn = t->reduce[op][in][out];
  if (fn == nullptr) Unsupported(env, "reduce", kReduceNames[op], in, out);
  const int dts[2] = {in, out};
  StridedLoop loop = ParseLoop(env, "reduce", info[3], info[4], dts, 2);
  unsigned char id[8];
  IdentityBytes(op, out, id);
  FillOperand(env, "reduce", loop, info[3], info[4], 1, out, id);
  Simplify(&loop, 0, false);
  ForEachRun(loop, fn);
}

// math.sumSquaredDeviations(inDtype, outDtype, [x, mean, out], desc)
void JsSumSquaredDeviations(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int in = CodeArg(info, 0, "math.sumSquaredDeviations", "inDtype", kDTypeCount);
  const int out = CodeArg(info, 1, "math.sumSquaredDeviations", "outDtype", kDTypeCount);
  RunFn fn = CurrentTable()->ssd[in][out];
  if (fn == nullptr) Unsupported(env, "sumSquaredDeviations", "sumSquaredDeviations", in, out);
  const int dts[3] = {in, out, out};
  StridedLoop loop = ParseLoop(env, "sumSquaredDeviations", info[2], info[3], dts, 3);
  unsigned char zero[8] = {0};
  FillOperand(env, "sumSquaredDeviations", loop, info[2], info[3], 2, out, zero);
  Simplify(&loop, 0, false);
  ForEachRun(loop, fn);
}

// math.argReduce(op, dtype, [x, out(int64)], desc)
void JsArgReduce(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int op = CodeArg(info, 0, "math.argReduce", "op", reduce::kArgOpCount);
  const int d = CodeArg(info, 1, "math.argReduce", "dtype", kDTypeCount);
  RunFn fn = CurrentTable()->arg[op][d];
  if (fn == nullptr) Unsupported(env, "argReduce", kArgNames[op], d, kInt64);
  const int dts[2] = {d, kInt64};
  StridedLoop loop = ParseLoop(env, "argReduce", info[2], info[3], dts, 2);
  if (loop.ndim > 0 && loop.shape[loop.ndim - 1] > 1 && loop.strides[1][loop.ndim - 1] != 0) {
    throw MakeRangeError(env, "math.argReduce: out must have stride 0 along the last axis");
  }
  Simplify(&loop, 0, true);
  ForEachRun(loop, fn);
}

// math.accumulate(op, inDtype, outDtype, [x, out], desc)
void JsAccumulate(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int op = CodeArg(info, 0, "math.accumulate", "op", reduce::kScanOpCount);
  const int in = CodeArg(info, 1, "math.accumulate", "inDtype", kDTypeCount);
  const int out = CodeArg(info, 2, "math.accumulate", "outDtype", kDTypeCount);
  RunFn fn = CurrentTable()->scan[op][in][out];
  if (fn == nullptr) Unsupported(env, "accumulate", kScanNames[op], in, out);
  const int dts[2] = {in, out};
  StridedLoop loop = ParseLoop(env, "accumulate", info[3], info[4], dts, 2);
  Simplify(&loop, 0, true);
  ForEachRun(loop, fn);
}

Napi::Object Codes(Napi::Env env, const char* const* names, int n) {
  Napi::Object o = Napi::Object::New(env);
  for (int i = 0; i < n; ++i) o.Set(names[i], Napi::Number::New(env, i));
  return o;
}

Napi::Array Pair(Napi::Env env, int in, int out) {
  Napi::Array p = Napi::Array::New(env, 2);
  p.Set(uint32_t{0}, Napi::Number::New(env, in));
  p.Set(uint32_t{1}, Napi::Number::New(env, out));
  return p;
}

template <class Has>
Napi::Array Pairs(Napi::Env env, Has has) {
  Napi::Array a = Napi::Array::New(env);
  uint32_t k = 0;
  for (int in = 0; in < kDTypeCount; ++in) {
    for (int out = 0; out < kDTypeCount; ++out) {
      if (has(in, out)) a.Set(k++, Pair(env, in, out));
    }
  }
  return a;
}

}  // namespace

void InitReduce(Napi::Env env, Napi::Object math) {
  const Table* t = reduce::BaselineTable();  // every ISA supports the same pairs
  math.Set("reduceOps", Codes(env, kReduceNames, reduce::kReduceOpCount));
  math.Set("argOps", Codes(env, kArgNames, reduce::kArgOpCount));
  math.Set("scanOps", Codes(env, kScanNames, reduce::kScanOpCount));
  Napi::Object reducePairs = Napi::Object::New(env);
  for (int op = 0; op < reduce::kReduceOpCount; ++op) {
    reducePairs.Set(kReduceNames[op], Pairs(env, [&](int in, int out) { return t->reduce[op][in][out] != nullptr; }));
  }
  math.Set("reducePairs", reducePairs);
  Napi::Object scanPairs = Napi::Object::New(env);
  for (int op = 0; op < reduce::kScanOpCount; ++op) {
    scanPairs.Set(kScanNames[op], Pairs(env, [&](int in, int out) { return t->scan[op][in][out] != nullptr; }));
  }
  math.Set("scanPairs", scanPairs);
  math.Set("sumSquaredDeviationsPairs", Pairs(env, [&](int in, int out) { return t->ssd[in][out] != nullptr; }));
  SetMethods(env, math,
             {
                 {"reduce", JsReduce},
                 {"sumSquaredDeviations", JsSumSquaredDeviations},
                 {"argReduce", JsArgReduce},
                 {"accumulate", JsAccumulate},
             });
}

}  // namespace kernels
}  // namespace ndshare
