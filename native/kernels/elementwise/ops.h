// Elementwise ops: codes, names, arity, output kind and the dtype support
// matrix, shared by the JS entry points (elementwise.cc) and the per-ISA
// kernel tables (isa_*.cc through kernels.inc).
//
// Header-only data and constexpr functions with internal linkage (`static`),
// so the per-ISA translation units never export a copy the linker could pick
// for another ISA's code.
#ifndef NDSHARE_KERNELS_ELEMENTWISE_OPS_H_
#define NDSHARE_KERNELS_ELEMENTWISE_OPS_H_

#include <cstdint>

#include "kernels/dispatch.h"
#include "kernels/dtype.h"

namespace ndshare {
namespace kernels {
namespace ew {

enum Op : int {
  // binary
  kAdd, kSubtract, kMultiply, kDivide, kFloorDivide, kMod, kPower, kMaximum, kMinimum, kArctan2,
  kEqual, kNotEqual, kLess, kLessEqual, kGreater, kGreaterEqual, kLogicalAnd, kLogicalOr, kLogicalXor,
  // unary
  kNegative, kAbs, kSign, kSqrt, kSquare, kExp, kExpm1, kLog, kLog1p, kLog2, kLog10, kSin, kCos, kTan,
  kArcsin, kArccos, kArctan, kSinh, kCosh, kTanh, kFloor, kCeil, kRint, kTrunc, kLogicalNot, kIsnan,
  kIsinf, kIsfinite,
  // ternary
  kClip,
  kOpCount
};

static constexpr const char* kOpNames[kOpCount] = {
    "add", "subtract", "multiply", "divide", "floorDivide", "mod", "power", "maximum", "minimum",
    "arctan2", "equal", "notEqual", "less", "lessEqual", "greater", "greaterEqual", "logicalAnd",
    "logicalOr", "logicalXor", "negative", "abs", "sign", "sqrt", "square", "exp", "expm1", "log",
    "log1p", "log2", "log10", "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh",
    "tanh", "floor", "ceil", "rint", "trunc", "logicalNot", "isnan", "isinf", "isfinite", "clip"};

static constexpr int Arity(int op) { return op <= kLogicalXor ? 2 : op == kClip ? 3 : 1; }

// True when the output is bool (uint8 0/1) whatever the input dtype.
static constexpr bool BoolOut(int op) {
  return (op >= kEqual && op <= kLogicalXor) || op == kLogicalNot || op == kIsnan || op == kIsinf ||
         op == kIsfinite;
}

// Transcendentals (and divide / arctan2): float dtypes only.
static constexpr bool FloatOnly(int op) {
  return op == kDivide || op == kArctan2 || (op >= kSqrt && op <= kTanh && op != kSquare);
}

// The support matrix: which input dtypes op accepts.
static constexpr bool Supported(int op, int d) {
  if (op < 0 || op >= kOpCount || d < 0 || d >= kDTypeCount) return false;
  if (FloatOnly(op)) return d >= kFloat16;
  switch (op) {
    case kSubtract:
    case kNegative:
    case kSign:
    case kFloorDivide:
    case kMod:
    case kPower:
      return d != kBool;
    default:
      return true;
  }
}

// One inner loop: NumPy's model. ptrs/strides (bytes) of the operands, inputs
// first then the output; n elements. Returns flags (bit 0: an integer power met
// a negative exponent).
using Loop = int (*)(char** ptrs, const int64_t* strides, int64_t n);
// where: ptrs [cond, x, y, out].
using WhereLoop = void (*)(char** ptrs, const int64_t* strides, int64_t n);

struct Table {
  Loop op[kOpCount][kDTypeCount];  // nullptr: unsupported
  WhereLoop where[4];              // by element size 1, 2, 4, 8
};

NDSHARE_KERNEL_FAMILY(Table)

}  // namespace ew
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_ELEMENTWISE_OPS_H_
