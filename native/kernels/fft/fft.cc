// math.fft: batched, strided 1-D transforms over Float64Array/Float32Array
// buffers (the JS layer, src/fft/, builds the calls; n-D transforms are one
// call per axis).
//
//   math.fft(kind, n, forward, fct,
//            inBuf, inOffset, inLen, inStride,
//            outBuf, outOffset, outStride,
//            batchShape, inBatchStrides, outBatchStrides)
//
// kind: 0 complex -> complex (n points out), 1 real -> complex through the
// full complex transform (c2c of a real input, n points out), 2 real ->
// complex half spectrum (rfft: n / 2 + 1 points out, always forward),
// 3 complex half spectrum -> real (irfft: n points out, always backward; the
// imaginary parts of bin 0 and, for even n, bin n / 2 are ignored).
// Offsets and strides count scalars of the buffers' type (a complex point k
// is at offset + k * stride, its imaginary part next to it). The input has
// inLen points along the axis: the first min(inLen, n) (kind 3: n / 2 + 1)
// are used, the rest is zero (NumPy's `n` cropping and padding). The output
// is multiplied by fct (the `norm` factor). Both buffers must have the same
// type (float64 or float32: the precision of the transform). Every index the
// call touches is checked against the buffers first.
#include <napi.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <memory>
#include <new>
#include <string>
#include <vector>

#include "kernels/fft/fft.h"
#include "kernels/fft/plan.h"
#include "kernels/math.h"
#include "kernels/parallel.h"
#include "util/errors.h"

namespace ndshare {
namespace kernels {
namespace fft {
namespace {

enum Kind : int { kC2C = 0, kR2CFull = 1, kR2C = 2, kC2R = 3 };
constexpr int kMaxBatchDims = 64;

[[noreturn]] void Fail(Napi::Env env, const std::string& what) { throw MakeRangeError(env, "math.fft: " + what); }

int64_t IntArg(const Napi::CallbackInfo& info, size_t i, const char* what, bool allowNegative) {
  if (info.Length() <= i || !info[i].IsNumber())
    throw MakeTypeError(info.Env(), std::string("math.fft: ") + what + " must be a number");
  const double v = info[i].As<Napi::Number>().DoubleValue();
  const double lo = allowNegative ? -9007199254740991.0 : 0.0;
  if (!(v >= lo && v <= 9007199254740991.0) || v != std::floor(v)) Fail(info.Env(), std::string("bad ") + what);
  return static_cast<int64_t>(v);
}

std::vector<int64_t> IntList(const Napi::CallbackInfo& info, size_t i, const char* what, bool allowNegative) {
  if (info.Length() <= i || !info[i].IsArray())
    throw MakeTypeError(info.Env(), std::string("math.fft: ") + what + " must be an array");
  Napi::Array a = info[i].As<Napi::Array>();
  if (a.Length() > kMaxBatchDims) Fail(info.Env(), std::string("too many ") + what);
  std::vector<int64_t> out;
  for (uint32_t k = 0; k < a.Length(); ++k) {
    Napi::Value v = a.Get(k);
    if (!v.IsNumber()) throw MakeTypeError(info.Env(), std::string("math.fft: ") + what + " must hold numbers");
    const double d = v.As<Napi::Number>().DoubleValue();
    const double lo = allowNegative ? -9007199254740991.0 : 0.0;
    if (!(d >= lo && d <= 9007199254740991.0) || d != std::floor(d)) Fail(info.Env(), std::string("bad ") + what);
    out.push_back(static_cast<int64_t>(d));
  }
  return out;
}

struct Buf {
  void* data;
  int64_t len;  // scalars
  bool f32;
};

Buf BufArg(const Napi::CallbackInfo& info, size_t i, const char* what) {
  if (info.Length() <= i || !info[i].IsTypedArray())
    throw MakeTypeError(info.Env(), std::string("math.fft: ") + what + " must be a Float64Array or Float32Array");
  Napi::TypedArray t = info[i].As<Napi::TypedArray>();
  const napi_typedarray_type ty = t.TypedArrayType();
  if (ty != napi_float64_array && ty != napi_float32_array) {
    throw MakeTypeError(info.Env(), std::string("math.fft: ") + what + " must be a Float64Array or Float32Array");
  }
  Napi::ArrayBuffer ab = t.ArrayBuffer();
  return {static_cast<uint8_t*>(ab.Data()) + t.ByteOffset(), static_cast<int64_t>(t.ElementLength()),
          ty == napi_float32_array};
}

// Checks that every scalar index offset + sum_d i_d bs_d + k stride (+ 1 for
// complex) with i_d < shape_d, k < count lies in [0, len).
void CheckRange(Napi::Env env, const char* what, int64_t len, int64_t offset, int64_t count, int64_t stride,
                bool complex, const std::vector<int64_t>& shape, const std::vector<int64_t>& bstrides) {
  if (count == 0) return;
  for (int64_t d : shape)
    if (d == 0) return;
  __int128 lo = offset, hi = offset;
  const __int128 span = static_cast<__int128>(count - 1) * stride;
  (span < 0 ? lo : hi) += span;
  for (size_t d = 0; d < shape.size(); ++d) {
    const __int128 e = static_cast<__int128>(shape[d] - 1) * bstrides[d];
    (e < 0 ? lo : hi) += e;
  }
  if (complex) hi += 1;
  if (lo < 0 || hi >= len) Fail(env, std::string(what) + " indices out of bounds of its buffer");
}

template <typename T>
struct Job {
  int kind;
  int64_t n;
  bool forward;
  T fct;
  const T* in;
  int64_t inLen, inStride;
  T* out;
  int64_t outStride;
  std::vector<int64_t> shape, inBs, outBs;
  int64_t inOff, outOff;
  std::shared_ptr<const Plan<T>> plan;  // length n, or n / 2 for even real transforms
  const Table* table;
};

template <typename T>
inline void Run(const Table* t, const PlanView<T>* p, T* data, T* work);
template <>
inline void Run<double>(const Table* t, const PlanView<double>* p, double* data, double* work) {
  t->f64(p, data, work);
}
template <>
inline void Run<float>(const Table* t, const PlanView<float>* p, float* data, float* work) {
  t->f32(p, data, work);
}

// One transform: in/out point to point 0 of the line.
template <typename T>
void One(const Job<T>& job, const T* in, T* out, T* buf, T* work) {
  const int64_t n = job.n, is = job.inStride, os = job.outStride;
  const T f = job.fct;
  const PlanView<T>* pv = job.plan->view();
  if (job.kind == kC2C || job.kind == kR2CFull) {
    const int64_t cnt = std::min(job.inLen, n);
    const T sg = job.forward ? T(1) : T(-1);  // backward: conjugate in and out
    if (job.kind == kC2C) {
      for (int64_t k = 0; k < cnt; ++k) {
        buf[2 * k] = in[k * is];
        buf[2 * k + 1] = sg * in[k * is + 1];
      }
    } else {
      for (int64_t k = 0; k < cnt; ++k) {
        buf[2 * k] = in[k * is];
        buf[2 * k + 1] = T(0);
      }
    }
    for (int64_t k = cnt; k < n; ++k) buf[2 * k] = buf[2 * k + 1] = T(0);
    Run<T>(job.table, pv, buf, work);
    const T fi = sg * f;
    for (int64_t k = 0; k < n; ++k) {
      out[k * os] = buf[2 * k] * f;
      out[k * os + 1] = buf[2 * k + 1] * fi;
    }
    return;
  }
  if (job.kind == kR2C) {
    const int64_t cnt = std::min(job.inLen, n);
    if (n % 2 == 1) {
      for (int64_t k = 0; k < cnt; ++k) {
        buf[2 * k] = in[k * is];
        buf[2 * k + 1] = T(0);
      }
      for (int64_t k = cnt; k < n; ++k) buf[2 * k] = buf[2 * k + 1] = T(0);
      Run<T>(job.table, pv, buf, work);
      for (int64_t k = 0; k <= n / 2; ++k) {
        out[k * os] = buf[2 * k] * f;
        out[k * os + 1] = buf[2 * k + 1] * f;
      }
      return;
    }
    const int64_t h = n / 2;
    for (int64_t k = 0; k < cnt; ++k) buf[k] = in[k * is];
    for (int64_t k = cnt; k < n; ++k) buf[k] = T(0);
    Run<T>(job.table, pv, buf, work);
    const T* w = job.plan->HalfTwiddles();  // exp(-2 pi i k / n)
    const T hf = T(0.5) * f;
    for (int64_t k = 0; k <= h; ++k) {
      const int64_t a = k == h ? 0 : k, b = k == 0 ? 0 : h - k;
      const T zr = buf[2 * a], zi = buf[2 * a + 1], cr = buf[2 * b], ci = -buf[2 * b + 1];  // Z[k], conj Z[h-k]
      const T er = zr + cr, ei = zi + ci;                                                   // 2 E
      const T dr = zr - cr, di = zi - ci;                                                   // 2 i O
      const T orr = di, oi = -dr;                                                           // 2 O = (2 i O) / i
      const T wr = w[2 * k], wi = w[2 * k + 1];
      out[k * os] = (er + orr * wr - oi * wi) * hf;
      out[k * os + 1] = (ei + orr * wi + oi * wr) * hf;
    }
    return;
  }
  // kC2R
  const int64_t nh = n / 2 + 1;
  const int64_t cnt = std::min(job.inLen, nh);
  auto X = [&](int64_t k, T* re, T* im) {
    if (k < cnt) {
      *re = in[k * is];
      *im = in[k * is + 1];
    } else {
      *re = *im = T(0);
    }
  };
  if (n % 2 == 1) {
    T r0, i0;
    X(0, &r0, &i0);
    buf[0] = r0;
    buf[1] = T(0);
    for (int64_t k = 1; k < nh; ++k) {
      T re, im;
      X(k, &re, &im);
      // conj(Y) for the forward-as-inverse: Y[k] = X[k], Y[n-k] = conj X[k]
      buf[2 * k] = re;
      buf[2 * k + 1] = -im;
      buf[2 * (n - k)] = re;
      buf[2 * (n - k) + 1] = im;
    }
    Run<T>(job.table, pv, buf, work);
    for (int64_t k = 0; k < n; ++k) out[k * os] = buf[2 * k] * f;
    return;
  }
  const int64_t h = n / 2;
  const T* w = job.plan->HalfTwiddles();
  for (int64_t k = 0; k < h; ++k) {
    T ar, ai, br, bi;
    X(k, &ar, &ai);
    X(h - k, &br, &bi);
    if (k == 0) ai = bi = T(0);  // bins 0 and n/2 are real
    bi = -bi;                    // conj X[h-k]
    const T er = ar + br, ei = ai + bi;
    const T dr = ar - br, di = ai - bi;
    // O' = D * conj(w^k)
    const T wr = w[2 * k], wi = -w[2 * k + 1];
    const T orr = dr * wr - di * wi, oi = dr * wi + di * wr;
    // Z = E' + i O', conjugated for the forward-as-inverse
    buf[2 * k] = er - oi;
    buf[2 * k + 1] = -(ei + orr);
  }
  Run<T>(job.table, pv, buf, work);
  for (int64_t k = 0; k < h; ++k) {
    out[(2 * k) * os] = buf[2 * k] * f;
    out[(2 * k + 1) * os] = -buf[2 * k + 1] * f;
  }
}

// A per-thread scratch buffer kept between calls: fresh pages for every
// large transform cost as much as the transform on a loaded VM. Buffers over
// kKeepScratch bytes are released at the end of the call (ReleaseScratch).
// Null when out of memory.
constexpr size_t kKeepScratch = size_t{64} << 20;

template <typename T>
struct ScratchSlot {
  std::unique_ptr<T[]> buf;
  size_t cap = 0;
};

template <typename T>
ScratchSlot<T>& SlotOf() {
  thread_local ScratchSlot<T> slot;
  return slot;
}

template <typename T>
T* Scratch(size_t count) {
  ScratchSlot<T>& s = SlotOf<T>();
  if (s.cap < count) {
    s.buf.reset();
    s.cap = 0;
    s.buf.reset(new (std::nothrow) T[count]);
    if (!s.buf) return nullptr;
    s.cap = count;
  }
  return s.buf.get();
}

template <typename T>
void ReleaseScratch() {
  ScratchSlot<T>& s = SlotOf<T>();
  if (s.cap * sizeof(T) > kKeepScratch) {
    s.buf.reset();
    s.cap = 0;
  }
}

// Lines batched across the innermost batch axis when neighbours in memory
// belong to different lines (columns of a C-order array): kGroup lines are
// gathered and scattered together, so each cache line is read once.
constexpr int64_t kGroup = 8;

// kC2C / kR2CFull over g lines (batch strides ibs, obs); bufs holds g lines
// of stride 2n + 2 scalars.
template <typename T>
void Group(const Job<T>& job, const T* in, T* out, int64_t g, int64_t ibs, int64_t obs, T* bufs, T* work) {
  const int64_t n = job.n, is = job.inStride, os = job.outStride, L = 2 * n + 2;
  const int64_t cnt = std::min(job.inLen, n);
  const T sg = job.forward ? T(1) : T(-1);
  const bool real = job.kind == kR2CFull;
  for (int64_t k = 0; k < cnt; ++k) {
    const T* src = in + k * is;
    for (int64_t j = 0; j < g; ++j) {
      bufs[j * L + 2 * k] = src[j * ibs];
      bufs[j * L + 2 * k + 1] = real ? T(0) : sg * src[j * ibs + 1];
    }
  }
  for (int64_t j = 0; j < g; ++j) {
    for (int64_t k = cnt; k < n; ++k) bufs[j * L + 2 * k] = bufs[j * L + 2 * k + 1] = T(0);
    Run<T>(job.table, job.plan->view(), bufs + j * L, work);
  }
  const T f = job.fct, fi = sg * job.fct;
  for (int64_t k = 0; k < n; ++k) {
    T* dst = out + k * os;
    for (int64_t j = 0; j < g; ++j) {
      dst[j * obs] = bufs[j * L + 2 * k] * f;
      dst[j * obs + 1] = bufs[j * L + 2 * k + 1] * fi;
    }
  }
}

template <typename T>
void Execute(const Job<T>& job) {
  int64_t batches = 1;
  for (int64_t d : job.shape) batches *= d;
  if (batches == 0) return;
  const int64_t planN = job.plan->n();
  // buf: the line as complex (n complex; for even real transforms n scalars)
  const size_t nd = job.shape.size();
  const bool grouped = (job.kind == kC2C || job.kind == kR2CFull) && nd > 0 && job.shape[nd - 1] > 1 &&
                       std::abs(job.inBs[nd - 1]) < std::abs(job.inStride);
  const int64_t bufScalars = (grouped ? kGroup : 1) * (2 * std::max<int64_t>(planN, job.n) + 2);
  const int64_t workScalars = 2 * job.plan->work() + 2;
  const int64_t cost = std::max<int64_t>(job.n, 1) * 8;
  const int64_t grain = std::max<int64_t>(1, (int64_t{1} << 16) / cost);
  std::atomic<bool> failed{false};
  parallel::For(batches, grain, [&](int64_t begin, int64_t end) {
    T* scratch = Scratch<T>(static_cast<size_t>(bufScalars + workScalars));
    if (scratch == nullptr) {
      failed.store(true);
      return;
    }
    T* buf = scratch;
    T* work = scratch + bufScalars;
    int64_t idx[kMaxBatchDims] = {0};
    int64_t rem = begin;
    for (size_t d = nd; d-- > 0;) {
      idx[d] = rem % job.shape[d];
      rem /= job.shape[d];
    }
    for (int64_t b = begin; b < end;) {
      int64_t io = job.inOff, oo = job.outOff;
      for (size_t d = 0; d < nd; ++d) {
        io += idx[d] * job.inBs[d];
        oo += idx[d] * job.outBs[d];
      }
      int64_t g = 1;
      if (grouped) g = std::min(std::min(kGroup, job.shape[nd - 1] - idx[nd - 1]), end - b);
      if (g > 1) {
        Group<T>(job, job.in + io, job.out + oo, g, job.inBs[nd - 1], job.outBs[nd - 1], buf, work);
        idx[nd - 1] += g - 1;
      } else {
        One<T>(job, job.in + io, job.out + oo, buf, work);
      }
      b += g;
      for (size_t d = nd; d-- > 0;) {
        if (++idx[d] < job.shape[d]) break;
        idx[d] = 0;
      }
    }
    ReleaseScratch<T>();
  });
  if (failed.load()) throw std::bad_alloc();
}

template <typename T>
void Launch(Napi::Env env, int kind, int64_t n, bool forward, double fct, const Buf& in, int64_t inOff, int64_t inLen,
            int64_t inStride, const Buf& out, int64_t outOff, int64_t outStride, std::vector<int64_t> shape,
            std::vector<int64_t> inBs, std::vector<int64_t> outBs) {
  Job<T> job;
  job.kind = kind;
  job.n = n;
  job.forward = forward;
  job.fct = static_cast<T>(fct);
  job.in = static_cast<const T*>(in.data);
  job.inLen = inLen;
  job.inStride = inStride;
  job.out = static_cast<T*>(out.data);
  job.outStride = outStride;
  job.shape = std::move(shape);
  job.inBs = std::move(inBs);
  job.outBs = std::move(outBs);
  job.inOff = inOff;
  job.outOff = outOff;
  job.table = CurrentTable();
  const bool half = (kind == kR2C || kind == kC2R) && n % 2 == 0;
  job.plan = Plan<T>::Get(half ? n / 2 : n);
  (void)env;
  Execute<T>(job);
}

Napi::Value JsFft(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  if (info.Length() != 14) throw MakeTypeError(env, "math.fft: expected 14 arguments");
  const int64_t kind = IntArg(info, 0, "kind", false);
  if (kind > kC2R) Fail(env, "bad kind");
  const int64_t n = IntArg(info, 1, "n", false);
  if (n < 1 || n > kMaxLength) Fail(env, "n must be in [1, 2^40]");
  if (!info[2].IsBoolean()) throw MakeTypeError(env, "math.fft: forward must be a boolean");
  const bool forward = info[2].As<Napi::Boolean>().Value();
  if (!info[3].IsNumber()) throw MakeTypeError(env, "math.fft: fct must be a number");
  const double fct = info[3].As<Napi::Number>().DoubleValue();
  const Buf in = BufArg(info, 4, "inBuf");
  const int64_t inOff = IntArg(info, 5, "inOffset", false);
  const int64_t inLen = IntArg(info, 6, "inLen", false);
  const int64_t inStride = IntArg(info, 7, "inStride", true);
  const Buf out = BufArg(info, 8, "outBuf");
  const int64_t outOff = IntArg(info, 9, "outOffset", false);
  const int64_t outStride = IntArg(info, 10, "outStride", true);
  std::vector<int64_t> shape = IntList(info, 11, "batchShape", false);
  std::vector<int64_t> inBs = IntList(info, 12, "inBatchStrides", true);
  std::vector<int64_t> outBs = IntList(info, 13, "outBatchStrides", true);
  if (inBs.size() != shape.size() || outBs.size() != shape.size()) Fail(env, "batch strides must match batchShape");
  if (in.f32 != out.f32) throw MakeTypeError(env, "math.fft: inBuf and outBuf must have the same type");
  const bool inComplex = kind == kC2C || kind == kC2R;
  const bool outComplex = kind != kC2R;
  const int64_t inCount = std::min(inLen, kind == kC2R ? n / 2 + 1 : n);
  const int64_t outCount = kind == kR2C ? n / 2 + 1 : n;
  CheckRange(env, "input", in.len, inOff, inCount, inStride, inComplex, shape, inBs);
  CheckRange(env, "output", out.len, outOff, outCount, outStride, outComplex, shape, outBs);
  try {
    if (in.f32) {
      Launch<float>(env, static_cast<int>(kind), n, forward, fct, in, inOff, inLen, inStride, out, outOff, outStride,
                    std::move(shape), std::move(inBs), std::move(outBs));
    } else {
      Launch<double>(env, static_cast<int>(kind), n, forward, fct, in, inOff, inLen, inStride, out, outOff, outStride,
                     std::move(shape), std::move(inBs), std::move(outBs));
    }
  } catch (const std::bad_alloc&) {
    throw MakeError(env, code::kNative, "math.fft: out of memory for the plan or its scratch");
  } catch (const std::length_error&) {
    throw MakeError(env, code::kNative, "math.fft: out of memory for the plan or its scratch");
  }
  return env.Undefined();
}

// math.fftPlanInfo(n) -> {bluestein, factors, m}: for tests of the planner.
Napi::Value JsPlanInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int64_t n = IntArg(info, 0, "n", false);
  if (n < 1 || n > kMaxLength) Fail(env, "n must be in [1, 2^40]");
  Napi::Object o = Napi::Object::New(env);
  const bool blue = UseBluestein(n);
  o.Set("bluestein", Napi::Boolean::New(env, blue));
  Napi::Array f = Napi::Array::New(env);
  uint32_t i = 0;
  for (int p : Factorize(n)) f.Set(i++, Napi::Number::New(env, p));
  o.Set("factors", f);
  o.Set("m", Napi::Number::New(env, blue ? static_cast<double>(GoodSize(2 * n - 1)) : 0.0));
  return o;
}

}  // namespace
}  // namespace fft

void InitFft(Napi::Env env, Napi::Object math) {
  math.Set("fft", Napi::Function::New(env, fft::JsFft, "fft"));
  math.Set("fftPlanInfo", Napi::Function::New(env, fft::JsPlanInfo, "fftPlanInfo"));
}

}  // namespace kernels
}  // namespace ndshare
