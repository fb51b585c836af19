#include "kernels/cast.h"

#include <cstring>
#include <string>

#include "util/errors.h"
#include "util/instance.h"

#if defined(__x86_64__) || defined(_M_X64)
#define NDSHARE_X86_64 1
#include <immintrin.h>
#endif

namespace ndshare {
namespace {

using namespace castbits;

// ---- Scalar path ---------------------------------------------------------
// Plain loops over the inline conversions of cast.h. The vector path calls
// these for its tails, so both paths give identical bits by construction.

void ScalarHalfToFloat32(const uint16_t* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = BitsFloat(HalfToFloatBits(src[i]));
}
void ScalarFloat32ToHalf(const float* src, uint16_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = FloatBitsToHalf(FloatBits(src[i]));
}
void ScalarHalfToFloat64(const uint16_t* src, double* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = BitsDouble(HalfToDoubleBits(src[i]));
}
void ScalarFloat64ToHalf(const double* src, uint16_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = DoubleBitsToHalf(DoubleBits(src[i]));
}
void ScalarBfloat16ToFloat32(const uint16_t* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = BitsFloat(Bfloat16ToFloatBits(src[i]));
}
void ScalarFloat32ToBfloat16(const float* src, uint16_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = FloatBitsToBfloat16(FloatBits(src[i]));
}
void ScalarBfloat16ToFloat64(const uint16_t* src, double* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = FloatToDouble(BitsFloat(Bfloat16ToFloatBits(src[i])));
}
// Through float32 (RNE), then RNE to bfloat16: two roundings, see cast.h.
void ScalarFloat64ToBfloat16(const double* src, uint16_t* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = FloatBitsToBfloat16(FloatBits(DoubleToFloat(src[i])));
}

// The compiler vectorizes these two with the baseline ISA (SSE2 cvtpd2ps/cvtps2pd).
void ScalarFloat64ToFloat32(const double* src, float* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = static_cast<float>(src[i]);
}
void ScalarFloat32ToFloat64(const float* src, double* dst, size_t n) {
  for (size_t i = 0; i < n; ++i) dst[i] = static_cast<double>(src[i]);
}

const CastKernels kScalar = {
    "scalar",
    ScalarHalfToFloat32,
    ScalarFloat32ToHalf,
    ScalarHalfToFloat64,
    ScalarFloat64ToHalf,
    ScalarBfloat16ToFloat32,
    ScalarFloat32ToBfloat16,
    ScalarBfloat16ToFloat64,
    ScalarFloat64ToBfloat16,
    ScalarFloat64ToFloat32,
    ScalarFloat32ToFloat64,
};

// ---- AVX2 + F16C path ------------------------------------------------------
// Compiled for AVX2/F16C function by function (target attribute), so the rest
// of the addon keeps the baseline ISA and the file builds on any x86-64
// compiler without -m flags. Only called after __builtin_cpu_supports said yes.
// Loads and stores are unaligned: typed arrays are only element-aligned.
//
// kScalarTailNote: each function ends with _mm256_zeroupper() before its scalar
// tail. GCC 12 does not insert vzeroupper before a tail call (the `jmp` to the
// scalar loop), so the dirty upper YMM state leaked into the SSE tail and into
// V8: measured +140 ns on every call of an 8-element float64 <-> float16 cast.
#if defined(NDSHARE_X86_64) && (defined(__GNUC__) || defined(__clang__))
#define NDSHARE_HAVE_AVX2_F16C 1
#define NDSHARE_AVX2 __attribute__((target("avx2,f16c")))

NDSHARE_AVX2 void Avx2HalfToFloat32(const uint16_t* src, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m128i h0 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    __m128i h1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i + 8));
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(h0));
    _mm256_storeu_ps(dst + i + 8, _mm256_cvtph_ps(h1));
  }
  for (; i + 8 <= n; i += 8) {
    __m128i h = _mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i));
    _mm256_storeu_ps(dst + i, _mm256_cvtph_ps(h));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarHalfToFloat32(src + i, dst + i, n - i);
}

NDSHARE_AVX2 void Avx2Float32ToHalf(const float* src, uint16_t* dst, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m128i h0 = _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT);
    __m128i h1 = _mm256_cvtps_ph(_mm256_loadu_ps(src + i + 8), _MM_FROUND_TO_NEAREST_INT);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), h0);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i + 8), h1);
  }
  for (; i + 8 <= n; i += 8) {
    __m128i h = _mm256_cvtps_ph(_mm256_loadu_ps(src + i), _MM_FROUND_TO_NEAREST_INT);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i), h);
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarFloat32ToHalf(src + i, dst + i, n - i);
}

NDSHARE_AVX2 void Avx2HalfToFloat64(const uint16_t* src, double* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256 f = _mm256_cvtph_ps(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i)));
    _mm256_storeu_pd(dst + i, _mm256_cvtps_pd(_mm256_castps256_ps128(f)));
    _mm256_storeu_pd(dst + i + 4, _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarHalfToFloat64(src + i, dst + i, n - i);
}

// The low 32 bits of each 64-bit lane of a compare mask, packed into 4 lanes.
NDSHARE_AVX2 inline __m128i NarrowMask(__m256d mask) {
  const __m256i pick = _mm256_setr_epi32(0, 2, 4, 6, 1, 3, 5, 7);
  return _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(_mm256_castpd_si256(mask), pick));
}

// float64 -> float32 rounded to odd: when inexact, the float32 neighbour of x
// toward zero with its lowest bit forced to 1. Rounding that to float16 with
// RNE is the same as rounding x to float16 directly, because float32 keeps
// 13 more bits than float16 (>= 2 needed) over the whole float16 range:
// a value that was not a tie stays off the tie, an exact tie stays exact.
NDSHARE_AVX2 inline __m128 RoundToOddPs(__m256d x) {
  const __m256d abs_mask = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffll));
  __m128 r = _mm256_cvtpd_ps(x);  // RNE (MXCSR default; Node never changes it)
  __m256d back = _mm256_cvtps_pd(r);
  __m256d inexact = _mm256_cmp_pd(back, x, _CMP_NEQ_OQ);  // false for NaN
  __m256d above = _mm256_cmp_pd(_mm256_and_pd(back, abs_mask), _mm256_and_pd(x, abs_mask),
                                _CMP_GT_OQ);
  __m128i bits = _mm_castps_si128(r);
  bits = _mm_add_epi32(bits, NarrowMask(above));                     // -1 ulp in magnitude
  bits = _mm_or_si128(bits, _mm_srli_epi32(NarrowMask(inexact), 31));  // sticky lowest bit
  return _mm_castsi128_ps(bits);
}

NDSHARE_AVX2 void Avx2Float64ToHalf(const double* src, uint16_t* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m128 lo = RoundToOddPs(_mm256_loadu_pd(src + i));
    __m128 hi = RoundToOddPs(_mm256_loadu_pd(src + i + 4));
    __m256 f = _mm256_insertf128_ps(_mm256_castps128_ps256(lo), hi, 1);
    _mm_storeu_si128(reinterpret_cast<__m128i*>(dst + i),
                     _mm256_cvtps_ph(f, _MM_FROUND_TO_NEAREST_INT));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarFloat64ToHalf(src + i, dst + i, n - i);
}

NDSHARE_AVX2 void Avx2Bfloat16ToFloat32(const uint16_t* src, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i)));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), _mm256_slli_epi32(w, 16));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarBfloat16ToFloat32(src + i, dst + i, n - i);
}

// 8 float32 -> 8 bfloat16 words in the low half of 32-bit lanes.
NDSHARE_AVX2 inline __m256i Bfloat16Round(__m256 x) {
  __m256i b = _mm256_castps_si256(x);
  __m256i lsb = _mm256_and_si256(_mm256_srli_epi32(b, 16), _mm256_set1_epi32(1));
  __m256i r = _mm256_srli_epi32(_mm256_add_epi32(_mm256_add_epi32(b, _mm256_set1_epi32(0x7fff)), lsb), 16);
  __m256i nan = _mm256_or_si256(_mm256_and_si256(_mm256_srli_epi32(b, 16), _mm256_set1_epi32(0x8000)),
                                _mm256_set1_epi32(0x7fc0));
  __m256i is_nan = _mm256_castps_si256(_mm256_cmp_ps(x, x, _CMP_UNORD_Q));
  return _mm256_blendv_epi8(r, nan, is_nan);
}

// Two vectors of bfloat16 words in 32-bit lanes -> 16 words in order.
NDSHARE_AVX2 inline __m256i Pack16(__m256i a, __m256i b) {
  // packus works per 128-bit lane: [a0..3 b0..3 | a4..7 b4..7]; put the quads back in order.
  return _mm256_permute4x64_epi64(_mm256_packus_epi32(a, b), 0xd8);
}

NDSHARE_AVX2 void Avx2Float32ToBfloat16(const float* src, uint16_t* dst, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256i a = Bfloat16Round(_mm256_loadu_ps(src + i));
    __m256i b = Bfloat16Round(_mm256_loadu_ps(src + i + 8));
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i), Pack16(a, b));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarFloat32ToBfloat16(src + i, dst + i, n - i);
}

NDSHARE_AVX2 void Avx2Bfloat16ToFloat64(const uint16_t* src, double* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m256i w = _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(src + i)));
    __m256 f = _mm256_castsi256_ps(_mm256_slli_epi32(w, 16));
    _mm256_storeu_pd(dst + i, _mm256_cvtps_pd(_mm256_castps256_ps128(f)));
    _mm256_storeu_pd(dst + i + 4, _mm256_cvtps_pd(_mm256_extractf128_ps(f, 1)));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarBfloat16ToFloat64(src + i, dst + i, n - i);
}

NDSHARE_AVX2 void Avx2Float64ToBfloat16(const double* src, uint16_t* dst, size_t n) {
  size_t i = 0;
  for (; i + 16 <= n; i += 16) {
    __m256 f0 = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(_mm256_loadu_pd(src + i))),
                                     _mm256_cvtpd_ps(_mm256_loadu_pd(src + i + 4)), 1);
    __m256 f1 = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm256_cvtpd_ps(_mm256_loadu_pd(src + i + 8))),
                                     _mm256_cvtpd_ps(_mm256_loadu_pd(src + i + 12)), 1);
    _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + i),
                        Pack16(Bfloat16Round(f0), Bfloat16Round(f1)));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarFloat64ToBfloat16(src + i, dst + i, n - i);
}

NDSHARE_AVX2 void Avx2Float64ToFloat32(const double* src, float* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    __m128 a = _mm256_cvtpd_ps(_mm256_loadu_pd(src + i));
    __m128 b = _mm256_cvtpd_ps(_mm256_loadu_pd(src + i + 4));
    _mm256_storeu_ps(dst + i, _mm256_set_m128(b, a));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarFloat64ToFloat32(src + i, dst + i, n - i);
}

NDSHARE_AVX2 void Avx2Float32ToFloat64(const float* src, double* dst, size_t n) {
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    _mm256_storeu_pd(dst + i, _mm256_cvtps_pd(_mm_loadu_ps(src + i)));
    _mm256_storeu_pd(dst + i + 4, _mm256_cvtps_pd(_mm_loadu_ps(src + i + 4)));
  }
  _mm256_zeroupper();  // see kScalarTailNote
  ScalarFloat32ToFloat64(src + i, dst + i, n - i);
}

const CastKernels kAvx2F16c = {
    "avx2-f16c",
    Avx2HalfToFloat32,
    Avx2Float32ToHalf,
    Avx2HalfToFloat64,
    Avx2Float64ToHalf,
    Avx2Bfloat16ToFloat32,
    Avx2Float32ToBfloat16,
    Avx2Bfloat16ToFloat64,
    Avx2Float64ToBfloat16,
    Avx2Float64ToFloat32,
    Avx2Float32ToFloat64,
};

bool CpuHasAvx2F16c() {
  __builtin_cpu_init();
  // libgcc/compiler-rt also check that the OS saves the YMM state (XGETBV).
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("f16c");
}
#endif  // x86-64

// ---- JS entry points -----------------------------------------------------
//
//   cast.halfToFloat32(src: Uint16Array, dst: Float32Array): void
//   cast.float32ToHalf(src: Float32Array, dst: Uint16Array): void
//   cast.halfToFloat64(src: Uint16Array, dst: Float64Array): void
//   cast.float64ToHalf(src: Float64Array, dst: Uint16Array): void
//   cast.bfloat16ToFloat32 / float32ToBfloat16 / bfloat16ToFloat64 / float64ToBfloat16
//   cast.paths: string[]        paths this CPU can run, best first
//   cast.getPath(): string      this env's path
//   cast.setPath(name): void    'auto' or one of `paths` (for tests and benchmarks)
//
// Every argument is checked again here (the TS layer checks first, with
// friendlier messages): exact typed-array types, equal element counts, no
// overlap. Typed arrays over SharedArrayBuffers are fine.

template <typename T>
struct Span {
  T* data;
  size_t length;
  size_t bytes() const { return length * sizeof(T); }
};

template <typename T>
Span<T> TypedArrayArg(const Napi::CallbackInfo& info, size_t index, napi_typedarray_type type,
                      const char* fn, const char* arg, const char* expected) {
  Napi::Env env = info.Env();
  if (index >= info.Length() || !info[index].IsTypedArray()) {
    throw MakeTypeError(env, std::string("cast.") + fn + ": expected " + expected + " for " + arg);
  }
  napi_typedarray_type actual;
  size_t length;
  void* data;
  napi_status status =
      napi_get_typedarray_info(env, info[index], &actual, &length, &data, nullptr, nullptr);
  if (status != napi_ok) throw Napi::Error::New(env);
  if (actual != type) {
    throw MakeTypeError(env, std::string("cast.") + fn + ": expected " + expected + " for " + arg);
  }
  // A detached or empty array may report a null pointer: only ever used with length 0.
  return {static_cast<T*>(data), data == nullptr ? 0 : length};
}

template <typename S, typename D>
bool Overlap(const Span<S>& s, const Span<D>& d) {
  auto s0 = reinterpret_cast<uintptr_t>(s.data), d0 = reinterpret_cast<uintptr_t>(d.data);
  return s.length != 0 && d.length != 0 && s0 < d0 + d.bytes() && d0 < s0 + s.bytes();
}

template <typename S, typename D, napi_typedarray_type kSrc, napi_typedarray_type kDst>
void RunCast(const Napi::CallbackInfo& info, const char* fn, const char* src_type,
             const char* dst_type, void (*CastKernels::*kernel)(const S*, D*, size_t)) {
  Napi::Env env = info.Env();
  Span<S> src = TypedArrayArg<S>(info, 0, kSrc, fn, "src", src_type);
  Span<D> dst = TypedArrayArg<D>(info, 1, kDst, fn, "dst", dst_type);
  if (src.length != dst.length) {
    throw MakeRangeError(env, std::string("cast.") + fn + ": src has " + std::to_string(src.length) +
                                  " elements but dst has " + std::to_string(dst.length));
  }
  if (Overlap(src, dst)) {
    throw MakeRangeError(env, std::string("cast.") + fn + ": src and dst overlap in memory");
  }
  if (src.length == 0) return;
  const CastKernels* kernels = InstanceData::Of(env)->cast;
  (kernels->*kernel)(src.data, dst.data, src.length);
}

#define NDSHARE_CAST_ENTRY(Name, S, D, kSrc, kDst, SrcType, DstType)        \
  void Js_##Name(const Napi::CallbackInfo& info) {                         \
    RunCast<S, D, kSrc, kDst>(info, #Name, SrcType, DstType, &CastKernels::Name); \
  }

NDSHARE_CAST_ENTRY(halfToFloat32, uint16_t, float, napi_uint16_array, napi_float32_array,
                   "a Uint16Array", "a Float32Array")
NDSHARE_CAST_ENTRY(float32ToHalf, float, uint16_t, napi_float32_array, napi_uint16_array,
                   "a Float32Array", "a Uint16Array")
NDSHARE_CAST_ENTRY(halfToFloat64, uint16_t, double, napi_uint16_array, napi_float64_array,
                   "a Uint16Array", "a Float64Array")
NDSHARE_CAST_ENTRY(float64ToHalf, double, uint16_t, napi_float64_array, napi_uint16_array,
                   "a Float64Array", "a Uint16Array")
NDSHARE_CAST_ENTRY(bfloat16ToFloat32, uint16_t, float, napi_uint16_array, napi_float32_array,
                   "a Uint16Array", "a Float32Array")
NDSHARE_CAST_ENTRY(float32ToBfloat16, float, uint16_t, napi_float32_array, napi_uint16_array,
                   "a Float32Array", "a Uint16Array")
NDSHARE_CAST_ENTRY(bfloat16ToFloat64, uint16_t, double, napi_uint16_array, napi_float64_array,
                   "a Uint16Array", "a Float64Array")
NDSHARE_CAST_ENTRY(float64ToBfloat16, double, uint16_t, napi_float64_array, napi_uint16_array,
                   "a Float64Array", "a Uint16Array")
NDSHARE_CAST_ENTRY(float64ToFloat32, double, float, napi_float64_array, napi_float32_array,
                   "a Float64Array", "a Float32Array")
NDSHARE_CAST_ENTRY(float32ToFloat64, float, double, napi_float32_array, napi_float64_array,
                   "a Float32Array", "a Float64Array")
#undef NDSHARE_CAST_ENTRY

Napi::Value JsGetPath(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), InstanceData::Of(info.Env())->cast->name);
}

void JsSetPath(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() < 1 || !info[0].IsString()) {
    throw MakeTypeError(env, "cast.setPath: expected a string for name");
  }
  std::string name = info[0].As<Napi::String>();
  const CastKernels* kernels =
      name == "auto" ? &BestCastKernels() : FindCastKernels(name.c_str());
  if (kernels == nullptr) {
    throw MakeRangeError(env, "cast.setPath: path '" + name + "' is not available on this CPU",
                         code::kUnsupported);
  }
  InstanceData::Of(env)->cast = kernels;
}

}  // namespace

const CastKernels& ScalarCastKernels() { return kScalar; }

const CastKernels& BestCastKernels() {
#if defined(NDSHARE_HAVE_AVX2_F16C)
  // Decided once per process (thread-safe static init); plain C data, no JS.
  static const CastKernels* const best = CpuHasAvx2F16c() ? &kAvx2F16c : &kScalar;
  return *best;
#else
  return kScalar;
#endif
}

const CastKernels* FindCastKernels(const char* name) {
  if (std::strcmp(name, kScalar.name) == 0) return &kScalar;
  const CastKernels& best = BestCastKernels();
  if (std::strcmp(name, best.name) == 0) return &best;
  return nullptr;
}

void InitCast(Napi::Env env, Napi::Object exports) {
  InstanceData::Of(env)->cast = &BestCastKernels();

  Napi::Object cast = Napi::Object::New(env);
  cast.Set("halfToFloat32", Napi::Function::New(env, Js_halfToFloat32, "halfToFloat32"));
  cast.Set("float32ToHalf", Napi::Function::New(env, Js_float32ToHalf, "float32ToHalf"));
  cast.Set("halfToFloat64", Napi::Function::New(env, Js_halfToFloat64, "halfToFloat64"));
  cast.Set("float64ToHalf", Napi::Function::New(env, Js_float64ToHalf, "float64ToHalf"));
  cast.Set("bfloat16ToFloat32", Napi::Function::New(env, Js_bfloat16ToFloat32, "bfloat16ToFloat32"));
  cast.Set("float32ToBfloat16", Napi::Function::New(env, Js_float32ToBfloat16, "float32ToBfloat16"));
  cast.Set("bfloat16ToFloat64", Napi::Function::New(env, Js_bfloat16ToFloat64, "bfloat16ToFloat64"));
  cast.Set("float64ToBfloat16", Napi::Function::New(env, Js_float64ToBfloat16, "float64ToBfloat16"));
  cast.Set("float64ToFloat32", Napi::Function::New(env, Js_float64ToFloat32, "float64ToFloat32"));
  cast.Set("float32ToFloat64", Napi::Function::New(env, Js_float32ToFloat64, "float32ToFloat64"));

  Napi::Array paths = Napi::Array::New(env);
  const CastKernels& best = BestCastKernels();
  paths.Set(0u, Napi::String::New(env, best.name));
  if (&best != &kScalar) paths.Set(1u, Napi::String::New(env, kScalar.name));
  paths.Freeze();
  cast.Set("paths", paths);
  cast.Set("getPath", Napi::Function::New(env, JsGetPath, "getPath"));
  cast.Set("setPath", Napi::Function::New(env, JsSetPath, "setPath"));
  cast.Freeze();
  exports.Set("cast", cast);
}

}  // namespace ndshare
