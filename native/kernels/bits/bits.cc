// math.packbits(dtype, [x], desc, axis, little, out) and
// math.unpackbits([x], desc, axis, count, little, out): NumPy's packbits and
// unpackbits over any view (desc as kernels/iter.h, one operand), along one
// axis, into a C-contiguous uint8 `out` whose axis has ceil(n / 8) (pack) or
// `count` (unpack) elements. The TS layer (src/bits/packing.ts) handles
// axis=None (the flattened array), 0-d input and the argument rules.
//
// The other axes are walked here: when the packed axis is the last one of
// length > 1, each row along it is one kernel call (rows); otherwise the
// elements of one output byte lie whole runs of the following axes apart, and
// the kernel combines those runs (planes). The loops are the bits kernel
// family (bits.h, bits.inc.cc).
#include <cstring>
#include <string>

#include "kernels/bits/bits.h"
#include "kernels/dtype.h"
#include "kernels/iter.h"
#include "kernels/math.h"
#include "util/args.h"
#include "util/errors.h"
#include "util/exports.h"

namespace ndshare {
namespace kernels {
namespace {

// The axes [lo, hi) of `in` (one operand) with an output operand whose byte
// strides are `ostrides`, as a two-operand loop (not yet simplified).
StridedLoop Sub(const StridedLoop& in, const int64_t* ostrides, int lo, int hi, char* out) {
  StridedLoop l;
  l.nop = 2;
  l.ndim = hi - lo;
  l.size = 1;
  for (int d = lo; d < hi; ++d) {
    l.shape[d - lo] = in.shape[d];
    l.strides[0][d - lo] = in.strides[0][d];
    l.strides[1][d - lo] = ostrides[d];
    l.size *= in.shape[d];
  }
  l.data[0] = in.data[0];
  l.data[1] = out;
  Simplify(&l, 1);
  return l;
}

// ForEachRun of `loop` started at base[0..2) instead of loop.data.
template <class Inner>
void RunsFrom(const StridedLoop& loop, char* in, char* out, Inner&& inner) {
  if (loop.size == 0) return;
  const int64_t s[2] = {loop.ndim ? loop.strides[0][loop.ndim - 1] : 0, loop.ndim ? loop.strides[1][loop.ndim - 1] : 0};
  if (loop.ndim <= 1) {
    inner(in, out, s, loop.ndim ? loop.shape[0] : 1);
    return;
  }
  const int last = loop.ndim - 1;
  int64_t counter[kMaxDims] = {0};
  for (;;) {
    inner(in, out, s, loop.shape[last]);
    int d = last - 1;
    for (; d >= 0; --d) {
      if (++counter[d] < loop.shape[d]) {
        in += loop.strides[0][d];
        out += loop.strides[1][d];
        break;
      }
      counter[d] = 0;
      in -= loop.strides[0][d] * (loop.shape[d] - 1);
      out -= loop.strides[1][d] * (loop.shape[d] - 1);
    }
    if (d < 0) return;
  }
}

struct Job {
  StridedLoop in;
  int axis;
  int64_t n;                   // length of the axis in x
  int64_t axisStride;          // its byte stride in x
  int64_t outLen;              // elements of out along the axis
  int64_t ostrides[kMaxDims];  // C-contiguous byte strides of out
  int64_t inner;               // elements after the axis
  uint8_t* out;
};

// Checks axis and out and fills the job; false when there is nothing to walk
// (x is empty: out was zeroed).
bool Prepare(const Napi::CallbackInfo& info, const char* fn, int dtype, int axisArg, int outArg, int64_t outAxisLen,
             bool packing, Job* job) {
  Napi::Env env = info.Env();
  const int dtypes[1] = {dtype};
  job->in = ParseLoop(env, fn, info[packing ? 1 : 0], info[packing ? 2 : 1], dtypes, 1);
  const int ndim = job->in.ndim;
  if (ndim < 1) throw MakeRangeError(env, std::string("math.") + fn + ": the array must have at least one axis");
  job->axis = static_cast<int>(IntegerArg(info, axisArg, fn, "axis", 0, ndim - 1));
  job->n = job->in.shape[job->axis];
  job->axisStride = job->in.strides[0][job->axis];
  job->outLen = packing ? (job->n + 7) / 8 : outAxisLen;
  if (!info[outArg].IsTypedArray() || info[outArg].As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw MakeTypeError(env, std::string("math.") + fn + ": out must be a Uint8Array");
  }
  Napi::Uint8Array out = info[outArg].As<Napi::Uint8Array>();
  __int128 total = 1;
  for (int d = ndim - 1; d >= 0; --d) {
    job->ostrides[d] = static_cast<int64_t>(total);
    total *= d == job->axis ? job->outLen : job->in.shape[d];
  }
  if (total != static_cast<__int128>(out.ElementLength())) {
    throw MakeRangeError(env, std::string("math.") + fn + ": out has the wrong length");
  }
  job->out = out.Data();
  job->inner = 1;
  for (int d = job->axis + 1; d < ndim; ++d) job->inner *= job->in.shape[d];
  if (job->in.size == 0) {
    if (total > 0) std::memset(job->out, 0, static_cast<size_t>(total));
    return false;
  }
  return true;
}

// Calls f(in, out) at the start of each position of the axes before the
// packed one: the start of each row (rows) or of each stack of planes.
template <class F>
void ForEachLead(const Job& job, F&& f) {
  char* out = reinterpret_cast<char*>(job.out);
  StridedLoop lead = Sub(job.in, job.ostrides, 0, job.axis, out);
  RunsFrom(lead, job.in.data[0], out, [&](char* in, char* o, const int64_t* s, int64_t cnt) {
    for (int64_t r = 0; r < cnt; ++r) f(in + r * s[0], o + r * s[1]);
  });
}

// Calls plane(in, inStride, out, outStride, count) over every run of the axes
// after the packed one, from in and out.
template <class F>
void ForEachTrail(const StridedLoop& trail, char* in, char* out, F&& plane) {
  RunsFrom(trail, in, out, [&](char* i, char* o, const int64_t* s, int64_t c) {
    plane(i, s[0], reinterpret_cast<uint8_t*>(o), s[1], c);
  });
}

int Log2Item(int dtype) {
  const size_t item = kItemSize[dtype];
  return item == 1 ? 0 : item == 2 ? 1 : item == 4 ? 2 : 3;
}

inline int Shift(int64_t e, bool little) { return little ? static_cast<int>(e & 7) : 7 - static_cast<int>(e & 7); }

// math.packbits(dtype, [x], desc, axis, little, out)
void JsPackbits(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  const int dtype = CodeArg(info, 0, "math.packbits", "dtype", kDTypeCount);
  if (dtype > kUint64) throw MakeTypeError(env, "math.packbits: dtype must be bool or an integer", code::kUnsupported);
  const bool little = info[4].ToBoolean();
  Job job;
  if (!Prepare(info, "packbits", dtype, 3, 5, 0, true, &job)) return;
  const bits::Table* t = bits::CurrentTable();
  if (job.inner == 1) {
    // Rows: the axes after the packed one have length 1.
    bits::PackRow row = t->packRow[Log2Item(dtype)];
    ForEachLead(job, [&](char* in, char* o) { row(in, job.axisStride, job.n, reinterpret_cast<uint8_t*>(o), little); });
    return;
  }
  // Planes: out starts at zero and each element along the axis ORs its bit into a whole block.
  std::memset(job.out, 0, static_cast<size_t>(job.ostrides[0] * (job.axis == 0 ? job.outLen : job.in.shape[0])));
  StridedLoop trail = Sub(job.in, job.ostrides, job.axis + 1, job.in.ndim, reinterpret_cast<char*>(job.out));
  bits::PackPlane plane = t->packPlane[Log2Item(dtype)];
  ForEachLead(job, [&](char* in, char* o) {
    for (int64_t e = 0; e < job.n; ++e) {
      const int shift = Shift(e, little);
      ForEachTrail(trail, in + e * job.axisStride, o + (e >> 3) * job.ostrides[job.axis],
                   [&](char* i, int64_t si, uint8_t* d, int64_t sd, int64_t c) { plane(i, si, d, sd, c, shift); });
    }
  });
}

// math.unpackbits([x], desc, axis, count, little, out)
void JsUnpackbits(const Napi::CallbackInfo& info) {
  const int64_t count = static_cast<int64_t>(IntegerArg(info, 3, "math.unpackbits", "count", 0, 9007199254740991.0));
  const bool little = info[4].ToBoolean();
  Job job;
  if (!Prepare(info, "unpackbits", kUint8, 2, 5, count, false, &job)) return;
  const bits::Table* t = bits::CurrentTable();
  if (job.inner == 1) {
    ForEachLead(job, [&](char* in, char* o) {
      t->unpackRow(reinterpret_cast<const uint8_t*>(in), job.axisStride, job.n, reinterpret_cast<uint8_t*>(o), count,
                   little);
    });
    return;
  }
  StridedLoop trail = Sub(job.in, job.ostrides, job.axis + 1, job.in.ndim, reinterpret_cast<char*>(job.out));
  ForEachLead(job, [&](char* in, char* o) {
    for (int64_t e = 0; e < count; ++e) {
      char* ob = o + e * job.ostrides[job.axis];  // each output block is contiguous (inner bytes)
      if (e >= 8 * job.n) {
        std::memset(ob, 0, static_cast<size_t>(job.inner));
        continue;
      }
      const int shift = Shift(e, little);
      ForEachTrail(trail, in + (e >> 3) * job.axisStride, ob,
                   [&](char* i, int64_t si, uint8_t* d, int64_t sd, int64_t c) {
                     t->unpackPlane(reinterpret_cast<const uint8_t*>(i), si, d, sd, c, shift);
                   });
    }
  });
}

}  // namespace

void InitBits(Napi::Env env, Napi::Object math) {
  SetMethods(env, math,
             {
                 {"packbits", JsPackbits},
                 {"unpackbits", JsUnpackbits},
             });
}

}  // namespace kernels
}  // namespace ndshare
