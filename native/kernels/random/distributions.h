// NumPy's Generator algorithms (numpy/random/src/distributions), reimplemented
// from their descriptions: the same draws in the same order, the same
// arithmetic, so that outputs match NumPy bit for bit wherever the C math
// library (exp, log, pow, ...) gives the same last bit as NumPy's build.
// B is a Bits<G> of bitgen.h.
#ifndef NDSHARE_KERNELS_RANDOM_DISTRIBUTIONS_H_
#define NDSHARE_KERNELS_RANDOM_DISTRIBUTIONS_H_

#include <cmath>
#include <cstdint>
#include <cstdlib>

#include "kernels/random/ziggurat.h"

namespace ndshare {
namespace random {

// ---- bounded integers (Lemire's method, NumPy's buffering) ---------------

template <class B>
inline uint64_t Lemire64(B& b, uint64_t rng) {
  const uint64_t excl = rng + 1;
  u128 m = static_cast<u128>(b.U64()) * excl;
  uint64_t left = static_cast<uint64_t>(m);
  if (left < excl) {
    const uint64_t threshold = (UINT64_MAX - rng) % excl;
    while (left < threshold) {
      m = static_cast<u128>(b.U64()) * excl;
      left = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

template <class B>
inline uint32_t Lemire32(B& b, uint32_t rng) {
  const uint32_t excl = rng + 1;
  uint64_t m = static_cast<uint64_t>(b.U32()) * excl;
  uint32_t left = static_cast<uint32_t>(m);
  if (left < excl) {
    const uint32_t threshold = (UINT32_MAX - rng) % excl;
    while (left < threshold) {
      m = static_cast<uint64_t>(b.U32()) * excl;
      left = static_cast<uint32_t>(m);
    }
  }
  return static_cast<uint32_t>(m >> 32);
}

// 8- and 16-bit draws come from one 32-bit draw, low bits first.
struct SmallBuf {
  int cnt = 0;
  uint32_t buf = 0;
  template <class B, int Bits>
  inline uint32_t Take(B& b) {
    if (cnt == 0) {
      buf = b.U32();
      cnt = 32 / Bits - 1;
    } else {
      buf >>= Bits;
      --cnt;
    }
    return buf & ((1U << Bits) - 1);
  }
};

template <class B, int Bits>
inline uint32_t LemireSmall(B& b, uint32_t rng, SmallBuf& sb) {
  constexpr uint32_t kMask = (1U << Bits) - 1;
  const uint32_t excl = (rng + 1) & kMask;
  uint32_t m = sb.Take<B, Bits>(b) * excl;
  uint32_t left = m & kMask;
  if (left < excl) {
    const uint32_t threshold = ((kMask - rng) & kMask) % excl;
    while (left < threshold) {
      m = sb.Take<B, Bits>(b) * excl;
      left = m & kMask;
    }
  }
  return m >> Bits;
}

// One bounded draw in [off, off + rng] of the given width (bits 1 = bool).
template <class B>
inline uint64_t Bounded(B& b, int bits, uint64_t off, uint64_t rng, SmallBuf& sb) {
  if (rng == 0) return off;
  switch (bits) {
    case 64:
      if (rng <= 0xFFFFFFFFULL) {
        if (rng == 0xFFFFFFFFULL) return off + b.U32();
        return off + Lemire32(b, static_cast<uint32_t>(rng));
      }
      if (rng == UINT64_MAX) return off + b.U64();
      return off + Lemire64(b, rng);
    case 32:
      if (rng == 0xFFFFFFFFULL) return off + b.U32();
      return off + Lemire32(b, static_cast<uint32_t>(rng));
    case 16:
      if (rng == 0xFFFF) return off + sb.Take<B, 16>(b);
      return off + LemireSmall<B, 16>(b, static_cast<uint32_t>(rng), sb);
    case 8:
      if (rng == 0xFF) return off + sb.Take<B, 8>(b);
      return off + LemireSmall<B, 8>(b, static_cast<uint32_t>(rng), sb);
    default:  // bool
      return sb.Take<B, 1>(b);
  }
}

// A value in [0, max] by masked rejection (shuffles, hypergeometric).
template <class B>
inline uint64_t Interval(B& b, uint64_t max) {
  if (max == 0) return 0;
  uint64_t mask = max;
  mask |= mask >> 1;
  mask |= mask >> 2;
  mask |= mask >> 4;
  mask |= mask >> 8;
  mask |= mask >> 16;
  mask |= mask >> 32;
  uint64_t v;
  if (max <= 0xFFFFFFFFULL) {
    while ((v = (b.U32() & mask)) > max) {}
  } else {
    while ((v = (b.U64() & mask)) > max) {}
  }
  return v;
}

// NumPy's npy_log1pf: log1p computed in double, rounded to float.
inline float Log1pF(float x) { return static_cast<float>(std::log1p(static_cast<double>(x))); }

// ---- ziggurat normal and exponential ---------------------------------------

template <class B>
inline double StdNormal(B& b) {
  const Ziggurat& z = Tables();
  for (;;) {
    uint64_t r = b.U64();
    const int idx = static_cast<int>(r & 0xff);
    r >>= 8;
    const int sign = static_cast<int>(r & 1);
    const uint64_t rabs = (r >> 1) & 0x000fffffffffffffULL;
    double x = rabs * z.wi[idx];
    if (sign) x = -x;
    if (rabs < z.ki[idx]) return x;
    if (idx == 0) {
      for (;;) {
        const double xx = -kNorInvR * std::log1p(-b.Double());
        const double yy = -std::log1p(-b.Double());
        if (yy + yy > xx * xx) return ((rabs >> 8) & 1) ? -(kNorR + xx) : kNorR + xx;
      }
    } else if (((z.fi[idx - 1] - z.fi[idx]) * b.Double() + z.fi[idx]) < std::exp(-0.5 * x * x)) {
      return x;
    }
  }
}

template <class B>
inline float StdNormalF(B& b) {
  const Ziggurat& z = Tables();
  for (;;) {
    const uint32_t r = b.U32();
    const int idx = static_cast<int>(r & 0xff);
    const int sign = static_cast<int>((r >> 8) & 1);
    const uint32_t rabs = (r >> 9) & 0x0007fffff;
    float x = rabs * z.wif[idx];
    if (sign) x = -x;
    if (rabs < z.kif[idx]) return x;
    if (idx == 0) {
      for (;;) {
        const float xx = -kNorInvRf * Log1pF(-b.Float());
        const float yy = -Log1pF(-b.Float());
        if (yy + yy > xx * xx) return ((rabs >> 8) & 1) ? -(kNorRf + xx) : kNorRf + xx;
      }
    } else if (((z.fif[idx - 1] - z.fif[idx]) * b.Float() + z.fif[idx]) < std::exp(-0.5f * x * x)) {
      return x;
    }
  }
}

template <class B>
inline double StdExp(B& b) {
  const Ziggurat& z = Tables();
  for (;;) {
    uint64_t ri = b.U64() >> 3;
    const int idx = static_cast<int>(ri & 0xff);
    ri >>= 8;
    const double x = ri * z.we[idx];
    if (ri < z.ke[idx]) return x;
    if (idx == 0) return kExpR - std::log1p(-b.Double());
    if ((z.fe[idx - 1] - z.fe[idx]) * b.Double() + z.fe[idx] < std::exp(-x)) return x;
  }
}

template <class B>
inline float StdExpF(B& b) {
  const Ziggurat& z = Tables();
  for (;;) {
    uint32_t ri = b.U32() >> 1;
    const int idx = static_cast<int>(ri & 0xff);
    ri >>= 8;
    const float x = ri * z.wef[idx];
    if (ri < z.kef[idx]) return x;
    if (idx == 0) return kExpRf - Log1pF(-b.Float());
    if ((z.fef[idx - 1] - z.fef[idx]) * b.Float() + z.fef[idx] < std::exp(-x)) return x;
  }
}

// ---- gamma family ------------------------------------------------------------

template <class B>
inline double StdGamma(B& b, double shape) {
  if (shape == 1.0) return StdExp(b);
  if (shape == 0.0) return 0.0;
  if (shape < 1.0) {
    for (;;) {
      const double U = b.Double();
      const double V = StdExp(b);
      if (U <= 1.0 - shape) {
        const double X = std::pow(U, 1. / shape);
        if (X <= V) return X;
      } else {
        const double Y = -std::log((1 - U) / shape);
        const double X = std::pow(1.0 - shape + shape * Y, 1. / shape);
        if (X <= (V + Y)) return X;
      }
    }
  }
  const double bb = shape - 1. / 3.;
  const double c = 1. / std::sqrt(9 * bb);
  for (;;) {
    double X, V;
    do {
      X = StdNormal(b);
      V = 1.0 + c * X;
    } while (V <= 0.0);
    V = V * V * V;
    const double U = b.Double();
    if (U < 1.0 - 0.0331 * (X * X) * (X * X)) return bb * V;
    if (std::log(U) < 0.5 * X * X + bb * (1. - V + std::log(V))) return bb * V;
  }
}

template <class B>
inline float StdGammaF(B& b, float shape) {
  if (shape == 1.0f) return StdExpF(b);
  if (shape == 0.0f) return 0.0f;
  if (shape < 1.0f) {
    for (;;) {
      const float U = b.Float();
      const float V = StdExpF(b);
      if (U <= 1.0f - shape) {
        const float X = std::pow(U, 1.0f / shape);
        if (X <= V) return X;
      } else {
        const float Y = -std::log((1.0f - U) / shape);
        const float X = std::pow(1.0f - shape + shape * Y, 1.0f / shape);
        if (X <= (V + Y)) return X;
      }
    }
  }
  const float bb = shape - 1.0f / 3.0f;
  const float c = 1.0f / std::sqrt(9.0f * bb);
  for (;;) {
    float X, V;
    do {
      X = StdNormalF(b);
      V = 1.0f + c * X;
    } while (V <= 0.0f);
    V = V * V * V;
    const float U = b.Float();
    if (U < 1.0f - 0.0331f * (X * X) * (X * X)) return bb * V;
    if (std::log(U) < 0.5f * X * X + bb * (1.0f - V + std::log(V))) return bb * V;
  }
}

template <class B>
inline double Beta(B& b, double a, double bp) {
  if (a <= 1.0 && bp <= 1.0) {
    for (;;) {
      const double U = b.Double();
      const double V = b.Double();
      const double X = std::pow(U, 1.0 / a);
      const double Y = std::pow(V, 1.0 / bp);
      const double XpY = X + Y;
      if (XpY <= 1.0 && U + V > 0.0) {
        if (XpY > 0) return X / XpY;
        double logX = std::log(U) / a;
        double logY = std::log(V) / bp;
        const double logM = logX > logY ? logX : logY;
        logX -= logM;
        logY -= logM;
        return std::exp(logX - std::log(std::exp(logX) + std::exp(logY)));
      }
    }
  }
  const double Ga = StdGamma(b, a);
  const double Gb = StdGamma(b, bp);
  return Ga / (Ga + Gb);
}

template <class B>
inline double Chisquare(B& b, double df) {
  return 2.0 * StdGamma(b, df / 2.0);
}

// ---- discrete ------------------------------------------------------------------

// log(Gamma(x)) by Stirling's series with 10 terms (after shifting x to >= 7).
inline double LogGam(double x) {
  static const double a[10] = {8.333333333333333e-02,  -2.777777777777778e-03, 7.936507936507937e-04,
                               -5.952380952380952e-04, 8.417508417508418e-04,  -1.917526917526918e-03,
                               6.410256410256410e-03,  -2.955065359477124e-02, 1.796443723688307e-01,
                               -1.39243221690590e+00};
  if (x == 1.0 || x == 2.0) return 0.0;
  const int64_t n = x < 7.0 ? static_cast<int64_t>(7 - x) : 0;
  double x0 = x + n;
  const double x2 = (1.0 / x0) * (1.0 / x0);
  const double lg2pi = 1.8378770664093453e+00;
  double gl0 = a[9];
  for (int k = 8; k >= 0; --k) {
    gl0 *= x2;
    gl0 += a[k];
  }
  double gl = gl0 / x0 + 0.5 * lg2pi + (x0 - 0.5) * std::log(x0) - x0;
  if (x < 7.0) {
    for (int64_t k = 1; k <= n; ++k) {
      gl -= std::log(x0 - 1.0);
      x0 -= 1.0;
    }
  }
  return gl;
}

template <class B>
inline int64_t Poisson(B& b, double lam) {
  if (lam >= 10) {
    const double slam = std::sqrt(lam), loglam = std::log(lam);
    const double bb = 0.931 + 2.53 * slam;
    const double a = -0.059 + 0.02483 * bb;
    const double invalpha = 1.1239 + 1.1328 / (bb - 3.4);
    const double vr = 0.9277 - 3.6224 / (bb - 2);
    for (;;) {
      const double U = b.Double() - 0.5;
      const double V = b.Double();
      const double us = 0.5 - std::fabs(U);
      const int64_t k = static_cast<int64_t>(std::floor((2 * a / us + bb) * U + lam + 0.43));
      if (us >= 0.07 && V <= vr) return k;
      if (k < 0 || (us < 0.013 && V > us)) continue;
      if ((std::log(V) + std::log(invalpha) - std::log(a / (us * us) + bb)) <= (-lam + k * loglam - LogGam(k + 1)))
        return k;
    }
  }
  if (lam == 0) return 0;
  const double enlam = std::exp(-lam);
  int64_t X = 0;
  double prod = 1.0;
  for (;;) {
    prod *= b.Double();
    if (prod > enlam) ++X;
    else return X;
  }
}

template <class B>
inline int64_t BinomialInversion(B& b, int64_t n, double p) {
  const double q = 1.0 - p;
  const double qn = std::exp(n * std::log(q));
  const double np = n * p;
  const double bm = np + 10.0 * std::sqrt(np * q + 1);
  const int64_t bound = static_cast<int64_t>(static_cast<double>(n) < bm ? static_cast<double>(n) : bm);
  int64_t X = 0;
  double px = qn;
  double U = b.Double();
  while (U > px) {
    ++X;
    if (X > bound) {
      X = 0;
      px = qn;
      U = b.Double();
    } else {
      U -= px;
      px = ((n - X + 1) * p * px) / (X * q);
    }
  }
  return X;
}

inline double Stirl(double t) {
  const double t2 = t * t;
  return (13680. - (462. - (132. - (99. - 140. / t2) / t2) / t2) / t2) / t / 166320.;
}

template <class B>
inline int64_t BinomialBtpe(B& b, int64_t n, double p) {
  const double r = p < 1.0 - p ? p : 1.0 - p;
  const double q = 1.0 - r;
  const double fm = n * r + r;
  const int64_t m = static_cast<int64_t>(std::floor(fm));
  const double p1 = std::floor(2.195 * std::sqrt(n * r * q) - 4.6 * q) + 0.5;
  const double xm = m + 0.5, xl = xm - p1, xr = xm + p1;
  const double c = 0.134 + 20.5 / (15.3 + m);
  double a = (fm - xl) / (fm - xl * r);
  const double laml = a * (1.0 + a / 2.0);
  a = (xr - fm) / (xr * q);
  const double lamr = a * (1.0 + a / 2.0);
  const double p2 = p1 * (1.0 + 2.0 * c), p3 = p2 + c / laml, p4 = p3 + c / lamr;
  const double nrq = n * r * q;
  int64_t y;
  for (;;) {
    const double u = b.Double() * p4;
    double v = b.Double();
    if (u <= p1) {
      y = static_cast<int64_t>(std::floor(xm - p1 * v + u));
      break;
    }
    if (u <= p2) {
      const double x = xl + (u - p1) / c;
      v = v * c + 1.0 - std::fabs(m - x + 0.5) / p1;
      if (v > 1.0) continue;
      y = static_cast<int64_t>(std::floor(x));
    } else if (u <= p3) {
      y = static_cast<int64_t>(std::floor(xl + std::log(v) / laml));
      if (y < 0 || v == 0.0) continue;
      v = v * (u - p2) * laml;
    } else {
      y = static_cast<int64_t>(std::floor(xr - std::log(v) / lamr));
      if (y > n || v == 0.0) continue;
      v = v * (u - p3) * lamr;
    }
    const int64_t k = std::llabs(y - m);
    if (!(k > 20 && k < (nrq / 2.0 - 1))) {
      const double s = r / q;
      const double aa = s * (n + 1);
      double F = 1.0;
      if (m < y) {
        for (int64_t i = m + 1; i <= y; ++i) F *= (aa / i - s);
      } else if (m > y) {
        for (int64_t i = y + 1; i <= m; ++i) F /= (aa / i - s);
      }
      if (v > F) continue;
      break;
    }
    const double rho = (k / nrq) * ((k * (k / 3.0 + 0.625) + 0.16666666666666666) / nrq + 0.5);
    const double t = -k * k / (2 * nrq);
    const double A = std::log(v);
    if (A < (t - rho)) break;
    if (A > (t + rho)) continue;
    const double x1 = y + 1, f1 = m + 1, z = n + 1 - m, w = n - y + 1;
    if (A > (xm * std::log(f1 / x1) + (n - m + 0.5) * std::log(z / w) + (y - m) * std::log(w * r / (x1 * q)) +
             Stirl(f1) + Stirl(z) + Stirl(x1) + Stirl(w)))
      continue;
    break;
  }
  if (p > 0.5) y = n - y;
  return y;
}

template <class B>
inline int64_t Binomial(B& b, double p, int64_t n) {
  if (n == 0 || p == 0.0) return 0;
  if (p <= 0.5) {
    if (p * n <= 30.0) return BinomialInversion(b, n, p);
    return BinomialBtpe(b, n, p);
  }
  const double q = 1.0 - p;
  if (q * n <= 30.0) return n - BinomialInversion(b, n, q);
  return n - BinomialBtpe(b, n, q);
}

inline double LogFactorial(int64_t k);

template <class B>
inline int64_t HypergeometricSample(B& b, int64_t good, int64_t bad, int64_t sample) {
  const int64_t total = good + bad;
  int64_t computed = sample > total / 2 ? total - sample : sample;
  int64_t remaining_total = total, remaining_good = good;
  while (computed > 0 && remaining_good > 0 && remaining_total > remaining_good) {
    --remaining_total;
    if (static_cast<int64_t>(Interval(b, static_cast<uint64_t>(remaining_total))) < remaining_good) --remaining_good;
    --computed;
  }
  if (remaining_total == remaining_good) remaining_good -= computed;
  return sample > total / 2 ? remaining_good : good - remaining_good;
}

template <class B>
inline int64_t HypergeometricHrua(B& b, int64_t good, int64_t bad, int64_t sample) {
  constexpr double D1 = 1.7155277699214135, D2 = 0.8989161620588988;
  const int64_t popsize = good + bad;
  const int64_t computed = sample < popsize - sample ? sample : popsize - sample;
  const int64_t mingb = good < bad ? good : bad, maxgb = good < bad ? bad : good;
  const double p = static_cast<double>(mingb) / popsize, q = static_cast<double>(maxgb) / popsize;
  const double mu = computed * p;
  const double a = mu + 0.5;
  const double var = static_cast<double>(popsize - computed) * computed * p * q / (popsize - 1);
  const double c = std::sqrt(var + 0.5);
  const double h = D1 * c + D2;
  const int64_t m = static_cast<int64_t>(std::floor(static_cast<double>(computed + 1) * (mingb + 1) / (popsize + 2)));
  const double g =
      LogFactorial(m) + LogFactorial(mingb - m) + LogFactorial(computed - m) + LogFactorial(maxgb - computed + m);
  const double lim1 = static_cast<double>((computed < mingb ? computed : mingb) + 1);
  const double lim2 = std::floor(a + 16 * c);
  const double bb = lim1 < lim2 ? lim1 : lim2;
  int64_t K;
  for (;;) {
    const double U = b.Double();
    const double V = b.Double();
    const double X = a + h * (V - 0.5) / U;
    if (X < 0.0 || X >= bb) continue;
    K = static_cast<int64_t>(std::floor(X));
    const double gp =
        LogFactorial(K) + LogFactorial(mingb - K) + LogFactorial(computed - K) + LogFactorial(maxgb - computed + K);
    const double T = g - gp;
    if ((U * (4.0 - U) - 3.0) <= T) break;
    if (U * (U - T) >= 1) continue;
    if (2.0 * std::log(U) <= T) break;
  }
  if (good > bad) K = computed - K;
  if (computed < sample) K = good - K;
  return K;
}

template <class B>
inline int64_t Hypergeometric(B& b, int64_t good, int64_t bad, int64_t sample) {
  if (sample >= 10 && sample <= good + bad - 10) return HypergeometricHrua(b, good, bad, sample);
  return HypergeometricSample(b, good, bad, sample);
}

}  // namespace random
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_RANDOM_DISTRIBUTIONS_H_
