// The linalg vector kernel body (vec.h), compiled once per ISA by the
// two-line shells vec_{baseline,avx2,avx512}.cc (see kernels/dispatch.h).
// GCC/Clang vector extensions at the unit's width: the same source gives
// SSE2, AVX2 and AVX-512 code, with FMA where the unit has it.
#include "kernels/isa_unit.h"

#include "kernels/linalg/vec.h"

namespace ndshare {
namespace kernels {
namespace linalg {
namespace vec {
namespace NDSHARE_ISA {
namespace {

constexpr int kLanes = NDSHARE_ISA_VECTOR_BYTES / 8;
// Unaligned, aliasing-safe vector of kLanes doubles.
typedef double VD __attribute__((vector_size(NDSHARE_ISA_VECTOR_BYTES), aligned(8), may_alias));

inline VD Load(const double* p) { return *reinterpret_cast<const VD*>(p); }
inline void Store(double* p, VD v) { *reinterpret_cast<VD*>(p) = v; }

// One strip of U vectors of columns through the whole rotation sequence; the row being
// carried from one rotation to the next stays in registers.
template <int U>
inline void RotStrip(double* mat, int64_t ld, int64_t r0, int64_t count, const double* c, const double* s, bool forward,
                     int64_t j) {
  VD carry[U];
  if (forward) {
    for (int u = 0; u < U; ++u) carry[u] = Load(mat + r0 * ld + j + u * kLanes);
    for (int64_t k = 0; k < count; ++k) {
      const double ck = c[k], sk = s[k];
      double* cur = mat + (r0 + k) * ld + j;
      const double* nx = mat + (r0 + k + 1) * ld + j;
      for (int u = 0; u < U; ++u) {
        const VD x = carry[u], y = Load(nx + u * kLanes);
        Store(cur + u * kLanes, ck * x + sk * y);
        carry[u] = ck * y - sk * x;
      }
    }
    for (int u = 0; u < U; ++u) Store(mat + (r0 + count) * ld + j + u * kLanes, carry[u]);
  } else {
    for (int u = 0; u < U; ++u) carry[u] = Load(mat + (r0 + count) * ld + j + u * kLanes);
    for (int64_t k = count - 1; k >= 0; --k) {
      const double ck = c[k], sk = s[k];
      const double* pv = mat + (r0 + k) * ld + j;
      double* cur = mat + (r0 + k + 1) * ld + j;
      for (int u = 0; u < U; ++u) {
        const VD x = Load(pv + u * kLanes), y = carry[u];
        Store(cur + u * kLanes, ck * y - sk * x);
        carry[u] = ck * x + sk * y;
      }
    }
    for (int u = 0; u < U; ++u) Store(mat + r0 * ld + j + u * kLanes, carry[u]);
  }
}

void RotSeq(double* mat, int64_t ld, int64_t r0, int64_t count, const double* c, const double* s, bool forward,
            int64_t j0, int64_t j1) {
  if (count <= 0 || j1 <= j0) return;
  constexpr int kU = 4;
  int64_t j = j0;
  for (; j + kU * kLanes <= j1; j += kU * kLanes) RotStrip<kU>(mat, ld, r0, count, c, s, forward, j);
  for (; j + kLanes <= j1; j += kLanes) RotStrip<1>(mat, ld, r0, count, c, s, forward, j);
  for (; j < j1; ++j) {
    if (forward) {
      double carry = mat[r0 * ld + j];
      for (int64_t k = 0; k < count; ++k) {
        const double y = mat[(r0 + k + 1) * ld + j];
        mat[(r0 + k) * ld + j] = c[k] * carry + s[k] * y;
        carry = c[k] * y - s[k] * carry;
      }
      mat[(r0 + count) * ld + j] = carry;
    } else {
      double carry = mat[(r0 + count) * ld + j];
      for (int64_t k = count - 1; k >= 0; --k) {
        const double x = mat[(r0 + k) * ld + j];
        mat[(r0 + k + 1) * ld + j] = c[k] * carry - s[k] * x;
        carry = c[k] * x + s[k] * carry;
      }
      mat[r0 * ld + j] = carry;
    }
  }
}

void GemvT(const double* a, int64_t lda, int64_t rows, int64_t cols, const double* u, double* __restrict y) {
  int64_t r = 0;
  for (; r + 4 <= rows; r += 4) {
    const double* __restrict a0 = a + r * lda;
    const double* __restrict a1 = a0 + lda;
    const double* __restrict a2 = a1 + lda;
    const double* __restrict a3 = a2 + lda;
    const double u0 = u[r], u1 = u[r + 1], u2 = u[r + 2], u3 = u[r + 3];
    for (int64_t j = 0; j < cols; ++j) y[j] += (u0 * a0[j] + u1 * a1[j]) + (u2 * a2[j] + u3 * a3[j]);
  }
  for (; r < rows; ++r) {
    const double* __restrict a0 = a + r * lda;
    const double u0 = u[r];
    for (int64_t j = 0; j < cols; ++j) y[j] += u0 * a0[j];
  }
}

inline double Sum(VD v) {
  double s = 0.0;
  for (int i = 0; i < kLanes; ++i) s += v[i];
  return s;
}

void GemvN(const double* a, int64_t lda, int64_t rows, int64_t cols, const double* v, double* x) {
  int64_t r = 0;
  const int64_t cv = cols - cols % (2 * kLanes);
  for (; r + 2 <= rows; r += 2) {
    const double* a0 = a + r * lda;
    const double* a1 = a0 + lda;
    VD p0 = {}, p1 = {}, q0 = {}, q1 = {};
    for (int64_t j = 0; j < cv; j += 2 * kLanes) {
      const VD v0 = Load(v + j), v1 = Load(v + j + kLanes);
      p0 += Load(a0 + j) * v0;
      p1 += Load(a0 + j + kLanes) * v1;
      q0 += Load(a1 + j) * v0;
      q1 += Load(a1 + j + kLanes) * v1;
    }
    double s0 = Sum(p0 + p1), s1 = Sum(q0 + q1);
    for (int64_t j = cv; j < cols; ++j) {
      s0 += a0[j] * v[j];
      s1 += a1[j] * v[j];
    }
    x[r] = s0;
    x[r + 1] = s1;
  }
  for (; r < rows; ++r) {
    const double* a0 = a + r * lda;
    VD p0 = {}, p1 = {};
    for (int64_t j = 0; j < cv; j += 2 * kLanes) {
      p0 += Load(a0 + j) * Load(v + j);
      p1 += Load(a0 + j + kLanes) * Load(v + j + kLanes);
    }
    double s0 = Sum(p0 + p1);
    for (int64_t j = cv; j < cols; ++j) s0 += a0[j] * v[j];
    x[r] = s0;
  }
}

void Ger2(double* a, int64_t lda, int64_t rows, int64_t cols, const double* x, const double* y, const double* w,
          const double* v) {
  for (int64_t r = 0; r < rows; ++r) {
    double* __restrict ar = a + r * lda;
    const double* __restrict yy = y;
    const double* __restrict vv = v;
    const double xr = x[r], wr = w[r];
    for (int64_t j = 0; j < cols; ++j) ar[j] -= xr * yy[j] + wr * vv[j];
  }
}

void Ger(double* a, int64_t lda, int64_t rows, int64_t cols, const double* x, const double* y) {
  for (int64_t r = 0; r < rows; ++r) {
    double* __restrict ar = a + r * lda;
    const double* __restrict yy = y;
    const double xr = x[r];
    if (xr == 0.0) continue;
    for (int64_t j = 0; j < cols; ++j) ar[j] -= xr * yy[j];
  }
}

void SymvL(const double* a, int64_t lda, int64_t n, const double* v, double* p) {
  for (int64_t i = 0; i < n; ++i) {
    const double* ai = a + i * lda;
    const double vi = v[i];
    VD acc = {};
    int64_t j = 0;
    for (; j + kLanes <= i; j += kLanes) {
      const VD aj = Load(ai + j);
      acc += aj * Load(v + j);
      Store(p + j, Load(p + j) + vi * aj);
    }
    double s = Sum(acc);
    for (; j < i; ++j) {
      s += ai[j] * v[j];
      p[j] += vi * ai[j];
    }
    p[i] += s + ai[i] * vi;
  }
}

Table MakeTable() { return {NDSHARE_ISA_NAME, &RotSeq, &GemvT, &GemvN, &Ger2, &Ger, &SymvL}; }

}  // namespace

NDSHARE_KERNEL_TABLE_GETTER(Table, MakeTable())

}  // namespace NDSHARE_ISA
}  // namespace vec
}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare
