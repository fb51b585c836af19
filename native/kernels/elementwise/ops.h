// Elementwise ops: THE table of ops (NDSHARE_EW_OPS: one row per op) and what
// follows from it (codes, names, arity, output kind, dtype support), shared by
// the JS entry points (elementwise.cc) and the per-ISA kernel body
// (elementwise.inc.cc: kernels.inc, bodies.inc).
//
// Adding a ufunc is one row here plus its loop body in bodies.inc; see
// docs/math.md, "How to add a ufunc".
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

// Which input dtypes an op's loops take (the output has the input's dtype, or
// bool for kBoolOut rows). float16/bfloat16 compute in float32.
// kIntBool: bool and the integers (bitwise ops); kIntOnly: the integers
// (shifts, gcd/lcm); kFloat3264: float32/float64 only (ops whose result
// depends on the float format, nextafter/spacing: no float32 compute for
// float16/bfloat16).
enum OpDtypes : int { kAllDtypes, kNotBool, kFloatDtypes, kIntBool, kIntOnly, kFloat3264 };
// kBoolOut rows write one byte per element: 0/1 for predicates, a small count
// for bitwiseCount (JS reads that byte as uint8).
enum OpOut : int { kSameOut, kBoolOut };

// X(code, "jsName", arity, dtypes, out). The order is free (JS reads the codes
// from math.ops); the name is the public camelCase name.
#define NDSHARE_EW_OPS(X)                                       \
  X(kAdd, "add", 2, kAllDtypes, kSameOut)                       \
  X(kSubtract, "subtract", 2, kNotBool, kSameOut)               \
  X(kMultiply, "multiply", 2, kAllDtypes, kSameOut)             \
  X(kDivide, "divide", 2, kFloatDtypes, kSameOut)               \
  X(kFloorDivide, "floorDivide", 2, kNotBool, kSameOut)         \
  X(kMod, "mod", 2, kNotBool, kSameOut)                         \
  X(kPower, "power", 2, kNotBool, kSameOut)                     \
  X(kMaximum, "maximum", 2, kAllDtypes, kSameOut)               \
  X(kMinimum, "minimum", 2, kAllDtypes, kSameOut)               \
  X(kArctan2, "arctan2", 2, kFloatDtypes, kSameOut)             \
  X(kHypot, "hypot", 2, kFloatDtypes, kSameOut)                 \
  X(kCopysign, "copysign", 2, kFloatDtypes, kSameOut)           \
  X(kLogaddexp, "logaddexp", 2, kFloatDtypes, kSameOut)         \
  X(kLogaddexp2, "logaddexp2", 2, kFloatDtypes, kSameOut)       \
  X(kEqual, "equal", 2, kAllDtypes, kBoolOut)                   \
  X(kNotEqual, "notEqual", 2, kAllDtypes, kBoolOut)             \
  X(kLess, "less", 2, kAllDtypes, kBoolOut)                     \
  X(kLessEqual, "lessEqual", 2, kAllDtypes, kBoolOut)           \
  X(kGreater, "greater", 2, kAllDtypes, kBoolOut)               \
  X(kGreaterEqual, "greaterEqual", 2, kAllDtypes, kBoolOut)     \
  X(kLogicalAnd, "logicalAnd", 2, kAllDtypes, kBoolOut)         \
  X(kLogicalOr, "logicalOr", 2, kAllDtypes, kBoolOut)           \
  X(kLogicalXor, "logicalXor", 2, kAllDtypes, kBoolOut)         \
  X(kNegative, "negative", 1, kNotBool, kSameOut)               \
  X(kAbs, "abs", 1, kAllDtypes, kSameOut)                       \
  X(kFabs, "fabs", 1, kFloatDtypes, kSameOut)                   \
  X(kSign, "sign", 1, kNotBool, kSameOut)                       \
  X(kSqrt, "sqrt", 1, kFloatDtypes, kSameOut)                   \
  X(kCbrt, "cbrt", 1, kFloatDtypes, kSameOut)                   \
  X(kSquare, "square", 1, kAllDtypes, kSameOut)                 \
  X(kExp, "exp", 1, kFloatDtypes, kSameOut)                     \
  X(kExp2, "exp2", 1, kFloatDtypes, kSameOut)                   \
  X(kExpm1, "expm1", 1, kFloatDtypes, kSameOut)                 \
  X(kLog, "log", 1, kFloatDtypes, kSameOut)                     \
  X(kLog1p, "log1p", 1, kFloatDtypes, kSameOut)                 \
  X(kLog2, "log2", 1, kFloatDtypes, kSameOut)                   \
  X(kLog10, "log10", 1, kFloatDtypes, kSameOut)                 \
  X(kSin, "sin", 1, kFloatDtypes, kSameOut)                     \
  X(kCos, "cos", 1, kFloatDtypes, kSameOut)                     \
  X(kTan, "tan", 1, kFloatDtypes, kSameOut)                     \
  X(kArcsin, "arcsin", 1, kFloatDtypes, kSameOut)               \
  X(kArccos, "arccos", 1, kFloatDtypes, kSameOut)               \
  X(kArctan, "arctan", 1, kFloatDtypes, kSameOut)               \
  X(kSinh, "sinh", 1, kFloatDtypes, kSameOut)                   \
  X(kCosh, "cosh", 1, kFloatDtypes, kSameOut)                   \
  X(kTanh, "tanh", 1, kFloatDtypes, kSameOut)                   \
  X(kDeg2rad, "deg2rad", 1, kFloatDtypes, kSameOut)             \
  X(kRad2deg, "rad2deg", 1, kFloatDtypes, kSameOut)             \
  X(kFloor, "floor", 1, kAllDtypes, kSameOut)                   \
  X(kCeil, "ceil", 1, kAllDtypes, kSameOut)                     \
  X(kRint, "rint", 1, kAllDtypes, kSameOut)                     \
  X(kTrunc, "trunc", 1, kAllDtypes, kSameOut)                   \
  X(kLogicalNot, "logicalNot", 1, kAllDtypes, kBoolOut)         \
  X(kIsnan, "isnan", 1, kAllDtypes, kBoolOut)                   \
  X(kIsinf, "isinf", 1, kAllDtypes, kBoolOut)                   \
  X(kIsfinite, "isfinite", 1, kAllDtypes, kBoolOut)             \
  X(kClip, "clip", 3, kAllDtypes, kSameOut)                     \
  X(kBitwiseAnd, "bitwiseAnd", 2, kIntBool, kSameOut)           \
  X(kBitwiseOr, "bitwiseOr", 2, kIntBool, kSameOut)             \
  X(kBitwiseXor, "bitwiseXor", 2, kIntBool, kSameOut)           \
  X(kInvert, "invert", 1, kIntBool, kSameOut)                   \
  X(kLeftShift, "leftShift", 2, kIntOnly, kSameOut)             \
  X(kRightShift, "rightShift", 2, kIntOnly, kSameOut)           \
  X(kGcd, "gcd", 2, kIntOnly, kSameOut)                         \
  X(kLcm, "lcm", 2, kIntOnly, kSameOut)                         \
  X(kFmod, "fmod", 2, kNotBool, kSameOut)                       \
  X(kFmax, "fmax", 2, kAllDtypes, kSameOut)                     \
  X(kFmin, "fmin", 2, kAllDtypes, kSameOut)                     \
  X(kHeaviside, "heaviside", 2, kFloatDtypes, kSameOut)         \
  X(kNextafter, "nextafter", 2, kFloat3264, kSameOut)           \
  X(kArcsinh, "arcsinh", 1, kFloatDtypes, kSameOut)             \
  X(kArccosh, "arccosh", 1, kFloatDtypes, kSameOut)             \
  X(kArctanh, "arctanh", 1, kFloatDtypes, kSameOut)             \
  X(kSpacing, "spacing", 1, kFloat3264, kSameOut)               \
  X(kPositive, "positive", 1, kNotBool, kSameOut)               \
  X(kConjugate, "conjugate", 1, kNotBool, kSameOut)             \
  X(kReciprocal, "reciprocal", 1, kNotBool, kSameOut)           \
  X(kSignbit, "signbit", 1, kFloatDtypes, kBoolOut)             \
  X(kBitwiseCount, "bitwiseCount", 1, kIntOnly, kBoolOut)       \
  X(kLdexp, "ldexp", 2, kFloatDtypes, kSameOut)                 \
  X(kFrexpMantissa, "frexpMantissa", 1, kFloatDtypes, kSameOut) \
  X(kFrexpExponent, "frexpExponent", 1, kFloatDtypes, kSameOut)

// The complex loops (complex64/complex128): X(code, result), one row per op of
// the table above that NumPy defines for complex ('F'/'D' in np.<ufunc>.types);
// the body is in complex.inc. result: kCxSame (complex of the input's
// precision), kCxPart (the part dtype: abs), kCxBool (predicates, comparisons).
enum CxOut : int { kCxNone, kCxSame, kCxPart, kCxBool };
#define NDSHARE_EW_COMPLEX_OPS(X) \
  X(kAdd, kCxSame)                \
  X(kSubtract, kCxSame)           \
  X(kMultiply, kCxSame)           \
  X(kDivide, kCxSame)             \
  X(kPower, kCxSame)              \
  X(kMaximum, kCxSame)            \
  X(kMinimum, kCxSame)            \
  X(kFmax, kCxSame)               \
  X(kFmin, kCxSame)               \
  X(kEqual, kCxBool)              \
  X(kNotEqual, kCxBool)           \
  X(kLess, kCxBool)               \
  X(kLessEqual, kCxBool)          \
  X(kGreater, kCxBool)            \
  X(kGreaterEqual, kCxBool)       \
  X(kLogicalAnd, kCxBool)         \
  X(kLogicalOr, kCxBool)          \
  X(kLogicalXor, kCxBool)         \
  X(kNegative, kCxSame)           \
  X(kPositive, kCxSame)           \
  X(kConjugate, kCxSame)          \
  X(kSquare, kCxSame)             \
  X(kReciprocal, kCxSame)         \
  X(kSign, kCxSame)               \
  X(kRint, kCxSame)               \
  X(kAbs, kCxPart)                \
  X(kLogicalNot, kCxBool)         \
  X(kIsnan, kCxBool)              \
  X(kIsinf, kCxBool)              \
  X(kIsfinite, kCxBool)           \
  X(kSqrt, kCxSame)               \
  X(kExp, kCxSame)                \
  X(kExp2, kCxSame)               \
  X(kExpm1, kCxSame)              \
  X(kLog, kCxSame)                \
  X(kLog2, kCxSame)               \
  X(kLog10, kCxSame)              \
  X(kLog1p, kCxSame)              \
  X(kSin, kCxSame)                \
  X(kCos, kCxSame)                \
  X(kTan, kCxSame)                \
  X(kArcsin, kCxSame)             \
  X(kArccos, kCxSame)             \
  X(kArctan, kCxSame)             \
  X(kSinh, kCxSame)               \
  X(kCosh, kCxSame)               \
  X(kTanh, kCxSame)               \
  X(kArcsinh, kCxSame)            \
  X(kArccosh, kCxSame)            \
  X(kArctanh, kCxSame)

enum Op : int {
#define NDSHARE_EW_X(code, name, arity, dtypes, out) code,
  NDSHARE_EW_OPS(NDSHARE_EW_X)
#undef NDSHARE_EW_X
      kOpCount
};

struct OpRow {
  const char* name;
  int arity;
  OpDtypes dtypes;
  OpOut out;
};

static constexpr OpRow kOps[kOpCount] = {
#define NDSHARE_EW_X(code, name, arity, dtypes, out) {name, arity, dtypes, out},
    NDSHARE_EW_OPS(NDSHARE_EW_X)
#undef NDSHARE_EW_X
};

static constexpr int Arity(int op) { return kOps[op].arity; }

// What the complex loop of op returns (kCxNone: op has no complex loop).
static constexpr CxOut ComplexOut(int op) {
#define NDSHARE_EW_CX(code, result) \
  if (op == code) return result;
  NDSHARE_EW_COMPLEX_OPS(NDSHARE_EW_CX)
#undef NDSHARE_EW_CX
  return kCxNone;
}

// True when the output is bool (uint8 0/1) whatever the input dtype.
static constexpr bool BoolOut(int op) { return kOps[op].out == kBoolOut; }

// Float dtypes only (transcendentals, divide, ...).
static constexpr bool FloatOnly(int op) { return kOps[op].dtypes == kFloatDtypes; }

// The support matrix: which input dtypes op accepts.
static constexpr bool Supported(int op, int d) {
  if (op < 0 || op >= kOpCount || d < 0 || d >= kDTypeCount) return false;
  switch (kOps[op].dtypes) {
    case kFloatDtypes: return d >= kFloat16;
    case kNotBool: return d != kBool;
    case kIntBool: return d < kFloat16;
    case kIntOnly: return d != kBool && d < kFloat16;
    case kFloat3264: return d == kFloat32 || d == kFloat64;
    default: return true;
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
  Loop complex[kOpCount][2];       // complex64, complex128 (complex.inc); nullptr: none
};

NDSHARE_KERNEL_FAMILY(Table)

}  // namespace ew
}  // namespace kernels
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_ELEMENTWISE_OPS_H_
