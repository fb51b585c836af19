// The FFT kernel body, compiled once per ISA by the two-line shells
// fft_{baseline,avx2,avx512}.cc (see kernels/dispatch.h). Everything but
// GetTable() has internal linkage.
//
// A complex forward transform (sign -1, unscaled) of a contiguous buffer:
// Stockham autosort stages of radix 4, 2, 3, 5 and any odd radix up to
// kMaxRadix (ping-pong between the data and a work buffer, no bit
// reversal), or Bluestein's chirp-z through a 2/3/5-smooth length for the
// lengths with large prime factors. The plan (plan.cc) gives the stage list
// and the twiddles.
#include "kernels/isa_unit.h"

#include "kernels/fft/fft.h"

namespace ndshare {
namespace kernels {
namespace fft {
namespace NDSHARE_ISA {
namespace {

template <typename T>
struct Cx {
  T r, i;
};
template <typename T>
inline Cx<T> operator+(Cx<T> a, Cx<T> b) {
  return {a.r + b.r, a.i + b.i};
}
template <typename T>
inline Cx<T> operator-(Cx<T> a, Cx<T> b) {
  return {a.r - b.r, a.i - b.i};
}
template <typename T>
inline Cx<T> Mul(Cx<T> a, Cx<T> w) {
  return {a.r * w.r - a.i * w.i, a.r * w.i + a.i * w.r};
}
template <typename T>
inline Cx<T> MulNegI(Cx<T> a) {
  return {a.i, -a.r};
}  // -i * a
template <typename T>
inline Cx<T> Scale(Cx<T> a, T f) {
  return {a.r * f, a.i * f};
}

// The p-point forward DFTs of the fixed radices: c = DFT_p(a).
template <typename T, int P>
struct Butterfly;

template <typename T>
struct Butterfly<T, 2> {
  static inline void Run(const Cx<T>* a, Cx<T>* c) {
    c[0] = a[0] + a[1];
    c[1] = a[0] - a[1];
  }
};

template <typename T>
struct Butterfly<T, 4> {
  static inline void Run(const Cx<T>* a, Cx<T>* c) {
    const Cx<T> t0 = a[0] + a[2], t1 = a[0] - a[2], t2 = a[1] + a[3], t3 = MulNegI(a[1] - a[3]);
    c[0] = t0 + t2;
    c[2] = t0 - t2;
    c[1] = t1 + t3;
    c[3] = t1 - t3;
  }
};

template <typename T>
struct Butterfly<T, 3> {
  static inline void Run(const Cx<T>* a, Cx<T>* c) {
    const T h = T(0.86602540378443864676372317075293618);  // sin(2 pi / 3)
    const Cx<T> t1 = a[1] + a[2];
    const Cx<T> t2 = {a[0].r - T(0.5) * t1.r, a[0].i - T(0.5) * t1.i};
    const Cx<T> d = a[1] - a[2];
    const Cx<T> t3 = {h * d.i, -h * d.r};  // -i sin(2pi/3) (a1 - a2)
    c[0] = a[0] + t1;
    c[1] = t2 + t3;
    c[2] = t2 - t3;
  }
};

template <typename T>
struct Butterfly<T, 5> {
  static inline void Run(const Cx<T>* a, Cx<T>* c) {
    const T c1 = T(0.30901699437494742410229341718281906), c2 = T(-0.80901699437494742410229341718281906);
    const T s1 = T(0.95105651629515357211643933337938214), s2 = T(0.58778525229247312916870595463907277);
    const Cx<T> sa = a[1] + a[4], da = a[1] - a[4], sb = a[2] + a[3], db = a[2] - a[3];
    c[0] = a[0] + sa + sb;
    const Cx<T> tr1 = {a[0].r + c1 * sa.r + c2 * sb.r, a[0].i + c1 * sa.i + c2 * sb.i};
    const Cx<T> ti1 = {s1 * da.r + s2 * db.r, s1 * da.i + s2 * db.i};
    const Cx<T> tr2 = {a[0].r + c2 * sa.r + c1 * sb.r, a[0].i + c2 * sa.i + c1 * sb.i};
    const Cx<T> ti2 = {s2 * da.r - s1 * db.r, s2 * da.i - s1 * db.i};
    // c_r = tr - i ti, c_{5-r} = tr + i ti
    c[1] = {tr1.r + ti1.i, tr1.i - ti1.r};
    c[4] = {tr1.r - ti1.i, tr1.i + ti1.r};
    c[2] = {tr2.r + ti2.i, tr2.i - ti2.r};
    c[3] = {tr2.r - ti2.i, tr2.i + ti2.r};
  }
};

// One stage of a fixed radix: y[q + s (P j + r)] = w_L^(r j) DFT_P(x[q + s (j + k m)])_r.
template <typename T, int P, bool kTwiddle>
void StageFixed(const Stage<T>& st, const Cx<T>* __restrict x, Cx<T>* __restrict y) {
  const int64_t m = st.m, s = st.s;
  const Cx<T>* tw = reinterpret_cast<const Cx<T>*>(st.tw);
  for (int64_t j = 0; j < m; ++j) {
    Cx<T> w[P - 1];
    if (kTwiddle) {
      for (int r = 0; r < P - 1; ++r) w[r] = tw[j * (P - 1) + r];
    }
    const Cx<T>* xj = x + s * j;
    Cx<T>* yj = y + s * P * j;
    if (s == 1) {
      Cx<T> a[P], c[P];
      for (int k = 0; k < P; ++k) a[k] = xj[k * m];
      Butterfly<T, P>::Run(a, c);
      yj[0] = c[0];
      for (int r = 1; r < P; ++r) yj[r] = kTwiddle ? Mul(c[r], w[r - 1]) : c[r];
      continue;
    }
    for (int64_t q = 0; q < s; ++q) {
      Cx<T> a[P], c[P];
      for (int k = 0; k < P; ++k) a[k] = xj[q + s * k * m];
      Butterfly<T, P>::Run(a, c);
      yj[q] = c[0];
      for (int r = 1; r < P; ++r) yj[q + s * r] = kTwiddle ? Mul(c[r], w[r - 1]) : c[r];
    }
  }
}

// Any odd radix p <= kMaxRadix, through the pairs (k, p - k):
// c_r = a_0 + sum_k (a_k + a_{p-k}) cos(2 pi r k / p) - i sum_k (a_k - a_{p-k}) sin(2 pi r k / p).
template <typename T>
void StageGeneric(const Stage<T>& st, const Cx<T>* __restrict x, Cx<T>* __restrict y) {
  const int p = st.p, h = (p - 1) / 2;
  const int64_t m = st.m, s = st.s;
  const Cx<T>* tw = reinterpret_cast<const Cx<T>*>(st.tw);
  const Cx<T>* roots = reinterpret_cast<const Cx<T>*>(st.roots);  // roots[t] = (cos, -sin)(2 pi t / p)
  Cx<T> sum[kMaxRadix / 2 + 1], dif[kMaxRadix / 2 + 1];
  for (int64_t j = 0; j < m; ++j) {
    for (int64_t q = 0; q < s; ++q) {
      const Cx<T>* a = x + q + s * j;
      const Cx<T> a0 = a[0];
      Cx<T> c0 = a0;
      for (int k = 1; k <= h; ++k) {
        const Cx<T> u = a[s * k * m], v = a[s * (p - k) * m];
        sum[k] = u + v;
        dif[k] = u - v;
        c0 = c0 + sum[k];
      }
      Cx<T>* yq = y + q + s * p * j;
      yq[0] = c0;
      for (int r = 1; r <= h; ++r) {
        T trr = a0.r, tri = a0.i, tir = 0, tii = 0;
        int t = 0;
        for (int k = 1; k <= h; ++k) {
          t += r;
          if (t >= p) t -= p;
          const T cs = roots[t].r, sn = -roots[t].i;
          trr += cs * sum[k].r;
          tri += cs * sum[k].i;
          tir += sn * dif[k].r;
          tii += sn * dif[k].i;
        }
        Cx<T> cr = {trr + tii, tri - tir}, cm = {trr - tii, tri + tir};
        if (tw != nullptr) {
          cr = Mul(cr, tw[j * (p - 1) + r - 1]);
          cm = Mul(cm, tw[j * (p - 1) + (p - r) - 1]);
        }
        yq[s * r] = cr;
        yq[s * (p - r)] = cm;
      }
    }
  }
}

template <typename T, int P>
inline void RunFixed(const Stage<T>& st, const Cx<T>* x, Cx<T>* y) {
  if (st.tw != nullptr) {
    StageFixed<T, P, true>(st, x, y);
  } else {
    StageFixed<T, P, false>(st, x, y);
  }
}

template <typename T>
void Forward(const PlanView<T>* plan, T* data, T* work);

template <typename T>
void Stockham(const PlanView<T>* plan, Cx<T>* data, Cx<T>* work) {
  Cx<T>* x = data;
  Cx<T>* y = work;
  for (int i = 0; i < plan->nstages; ++i) {
    const Stage<T>& st = plan->stages[i];
    switch (st.p) {
      case 4: RunFixed<T, 4>(st, x, y); break;
      case 2: RunFixed<T, 2>(st, x, y); break;
      case 3: RunFixed<T, 3>(st, x, y); break;
      case 5: RunFixed<T, 5>(st, x, y); break;
      default: StageGeneric<T>(st, x, y); break;
    }
    Cx<T>* t = x;
    x = y;
    y = t;
  }
  if (x != data) {
    for (int64_t k = 0; k < plan->n; ++k) data[k] = x[k];
  }
}

// Bluestein: X_k = c_k sum_j (x_j c_j) conj(c_{k-j}), c_t = exp(-i pi t^2 / n),
// the convolution done by m-point transforms (the inverse one by conjugation).
template <typename T>
void Bluestein(const PlanView<T>* plan, Cx<T>* data, Cx<T>* work) {
  const int64_t n = plan->n, m = plan->m;
  const Cx<T>* chirp = reinterpret_cast<const Cx<T>*>(plan->chirp);
  const Cx<T>* bk = reinterpret_cast<const Cx<T>*>(plan->bk);
  Cx<T>* a = work;
  T* subWork = reinterpret_cast<T*>(work + m);
  for (int64_t k = 0; k < n; ++k) a[k] = Mul(data[k], chirp[k]);
  for (int64_t k = n; k < m; ++k) a[k] = {T(0), T(0)};
  Forward<T>(plan->sub, reinterpret_cast<T*>(a), subWork);
  for (int64_t k = 0; k < m; ++k) {
    const Cx<T> v = Mul(a[k], bk[k]);
    a[k] = {v.r, -v.i};
  }
  Forward<T>(plan->sub, reinterpret_cast<T*>(a), subWork);
  for (int64_t k = 0; k < n; ++k) data[k] = Mul(Cx<T>{a[k].r, -a[k].i}, chirp[k]);
}

// Four-step: X[k1 + n1 k2] = sum_i2 w_n2^(i2 k2) w_n^(i2 k1) sum_i1 x[i1 n2 + i2] w_n1^(i1 k1).
// Every sub-transform runs in cache; memory sees about four passes instead
// of one per radix stage.
template <typename T>
void FourStep(const PlanView<T>* plan, Cx<T>* data, Cx<T>* work) {
  const int64_t n = plan->n, n1 = plan->n1, n2 = plan->n2, tb = plan->twB;
  const Cx<T>* hi = reinterpret_cast<const Cx<T>*>(plan->twHi);
  const Cx<T>* lo = reinterpret_cast<const Cx<T>*>(plan->twLo);
  Cx<T>* tr = work;        // n: the transpose
  Cx<T>* cols = work + n;  // kFourStepCols * n1 gathered columns
  T* colWork = reinterpret_cast<T*>(cols + kFourStepCols * n1);
  for (int64_t c0 = 0; c0 < n2; c0 += kFourStepCols) {
    const int64_t nb = n2 - c0 < kFourStepCols ? n2 - c0 : kFourStepCols;
    for (int64_t i1 = 0; i1 < n1; ++i1) {
      const Cx<T>* src = data + i1 * n2 + c0;
      for (int64_t b = 0; b < nb; ++b) cols[b * n1 + i1] = src[b];
    }
    for (int64_t b = 0; b < nb; ++b) {
      Cx<T>* line = cols + b * n1;
      Forward<T>(plan->cols, reinterpret_cast<T*>(line), colWork);
      const int64_t i2 = c0 + b;
      // e = i2 k1 = h tb + l, stepped without divisions
      const int64_t dh = i2 / tb, dl = i2 % tb;
      int64_t h = 0, l = 0;
      for (int64_t k1 = 0; k1 < n1; ++k1) {
        line[k1] = Mul(line[k1], Mul(hi[h], lo[l]));
        h += dh;
        l += dl;
        if (l >= tb) {
          l -= tb;
          ++h;
        }
      }
    }
    for (int64_t k1 = 0; k1 < n1; ++k1) {
      Cx<T>* dst = data + k1 * n2 + c0;
      for (int64_t b = 0; b < nb; ++b) dst[b] = cols[b * n1 + k1];
    }
  }
  T* rowWork = reinterpret_cast<T*>(work + n);
  for (int64_t k1 = 0; k1 < n1; ++k1) Forward<T>(plan->rows, reinterpret_cast<T*>(data + k1 * n2), rowWork);
  // X[k1 + n1 k2] = B[k1][k2], in tiles
  constexpr int64_t kTile = 32;
  for (int64_t a = 0; a < n1; a += kTile) {
    const int64_t ae = a + kTile < n1 ? a + kTile : n1;
    for (int64_t b = 0; b < n2; b += kTile) {
      const int64_t be = b + kTile < n2 ? b + kTile : n2;
      for (int64_t k1 = a; k1 < ae; ++k1)
        for (int64_t k2 = b; k2 < be; ++k2) tr[k1 + n1 * k2] = data[k1 * n2 + k2];
    }
  }
  for (int64_t k = 0; k < n; ++k) data[k] = tr[k];
}

template <typename T>
void Forward(const PlanView<T>* plan, T* data, T* work) {
  if (plan->n <= 1) return;
  Cx<T>* d = reinterpret_cast<Cx<T>*>(data);
  Cx<T>* w = reinterpret_cast<Cx<T>*>(work);
  if (plan->cols != nullptr) {
    FourStep<T>(plan, d, w);
  } else if (plan->sub != nullptr) {
    Bluestein<T>(plan, d, w);
  } else {
    Stockham<T>(plan, d, w);
  }
}

Table MakeTable() {
  Table t{};
  t.name = NDSHARE_ISA_NAME;
  t.f64 = &Forward<double>;
  t.f32 = &Forward<float>;
  return t;
}

}  // namespace

NDSHARE_KERNEL_TABLE_GETTER(Table, MakeTable())

}  // namespace NDSHARE_ISA
}  // namespace fft
}  // namespace kernels
}  // namespace ndshare
