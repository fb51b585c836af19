// JS entry points of the elementwise engine: math.ops, math.opInfo,
// math.elementwise, math.where (contract: NativeMath in src/binding.ts).
//
// Each call parses and checks the loop (kernels/iter.h), orders it for the
// output's memory order, picks the inner loop of (op, dtype) from the table of
// the current ISA and runs it over every innermost run. The kernels live in
// kernels.inc, compiled once per ISA (elementwise.inc.cc and its shells).
#include <string>

#include "kernels/elementwise/ops.h"
#include "kernels/iter.h"
#include "kernels/math.h"
#include "util/args.h"
#include "util/errors.h"
#include "util/exports.h"

namespace ndshare {
namespace kernels {
namespace {

using ew::CurrentTable;
using ew::Table;

// The complex loop of (op, complex dtype) and its operands' dtype codes.
ew::Loop ComplexLoop(Napi::Env env, int op, int dtype, int* dtypes) {
  const ew::CxOut result = ew::ComplexOut(op);
  ew::Loop loop = CurrentTable()->complex[op][dtype == kComplex64 ? 0 : 1];
  if (result == ew::kCxNone || loop == nullptr) {
    throw MakeTypeError(env,
                        std::string("math.elementwise: ") + ew::kOps[op].name + " does not support " +
                            (dtype == kComplex64 ? "complex64" : "complex128"),
                        code::kUnsupported);
  }
  const int arity = ew::Arity(op);
  for (int k = 0; k < arity; ++k) dtypes[k] = dtype;
  dtypes[arity] = result == ew::kCxBool ? kBool : result == ew::kCxPart ? ComplexPart(dtype) : dtype;
  return loop;
}

// math.elementwise(op, dtype, operands, desc) -> flags. dtype may be complex
// (13, 14): the complex table (complex.inc), output by ew::ComplexOut.
Napi::Value JsElementwise(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int op = CodeArg(info, 0, "math.elementwise", "op", ew::kOpCount);
  const int dtype = CodeArg(info, 1, "math.elementwise", "dtype", kComplex128 + 1);
  if (op < 0 || op >= ew::kOpCount) throw MakeRangeError(env, "math.elementwise: unknown op code");
  const bool cx = IsComplexDType(dtype);
  if (!cx && !IsValidDType(dtype)) throw MakeRangeError(env, "math.elementwise: unknown dtype code");
  const int arity = ew::Arity(op);
  int dtypes[kMaxOperands];
  ew::Loop loop;
  if (cx) {
    loop = ComplexLoop(env, op, dtype, dtypes);
  } else {
    loop = CurrentTable()->op[op][dtype];
    if (loop == nullptr) {
      throw MakeTypeError(
          env, std::string("math.elementwise: ") + ew::kOps[op].name + " does not support " + kDTypeNames[dtype],
          code::kUnsupported);
    }
    for (int k = 0; k < arity; ++k) dtypes[k] = dtype;
    dtypes[arity] = ew::BoolOut(op) ? kBool : dtype;
  }
  StridedLoop sl = ParseLoop(env, "elementwise", info[2], info[3], dtypes, arity + 1, cx);
  Simplify(&sl, arity);
  int flags = 0;
  ForEachRun(sl, [&](char** ptrs, const int64_t* strides, int64_t n) { flags |= loop(ptrs, strides, n); });
  return Napi::Number::New(env, flags);
}

// math.where(dtype, [cond, x, y, out], desc)
void JsWhere(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int dtype = CodeArg(info, 0, "math.where", "dtype", kDTypeCount);
  if (!IsValidDType(dtype)) throw MakeRangeError(env, "math.where: unknown dtype code");
  const int dtypes[4] = {kBool, dtype, dtype, dtype};
  StridedLoop sl = ParseLoop(env, "where", info[1], info[2], dtypes, 4);
  Simplify(&sl, 3);
  const size_t item = kItemSize[dtype];
  const int idx = item == 1 ? 0 : item == 2 ? 1 : item == 4 ? 2 : 3;
  ew::WhereLoop loop = CurrentTable()->where[idx];
  ForEachRun(sl, [&](char** ptrs, const int64_t* strides, int64_t n) { loop(ptrs, strides, n); });
}

}  // namespace

void InitElementwise(Napi::Env env, Napi::Object math) {
  Napi::Object ops = Napi::Object::New(env);
  Napi::Object opInfo = Napi::Object::New(env);
  const Table* base = ew::BaselineTable();
  for (int op = 0; op < ew::kOpCount; ++op) {
    ops.Set(ew::kOps[op].name, Napi::Number::New(env, op));
    Napi::Object oi = Napi::Object::New(env);
    oi.Set("arity", Napi::Number::New(env, ew::Arity(op)));
    oi.Set("bool", Napi::Boolean::New(env, ew::BoolOut(op)));
    Napi::Array dts = Napi::Array::New(env);
    uint32_t k = 0;
    for (int d = 0; d < kDTypeCount; ++d) {
      if (base->op[op][d] != nullptr) dts.Set(k++, Napi::Number::New(env, d));
    }
    oi.Set("dtypes", dts);
    // The complex loop (complex64 and complex128) returns 'complex', 'real' (the part dtype) or 'bool';
    // absent: no complex loop.
    const ew::CxOut cxOut = ew::ComplexOut(op);
    if (cxOut != ew::kCxNone) {
      oi.Set("complex", Napi::String::New(env, cxOut == ew::kCxSame   ? "complex"
                                               : cxOut == ew::kCxPart ? "real"
                                                                      : "bool"));
    }
    opInfo.Set(ew::kOps[op].name, oi);
  }
  ops.Freeze();
  math.Set("ops", ops);
  math.Set("opInfo", opInfo);
  SetMethods(env, math,
             {
                 {"elementwise", JsElementwise},
                 {"where", JsWhere},
             });
}

}  // namespace kernels
}  // namespace ndshare
