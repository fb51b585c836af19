// One draw of each broadcasting distribution, by code: the per-element
// switch behind random.fill (float64) and random.fillInt (int64). The codes are
// mirrored in src/random/kernels.ts (CONT, DISC).
#ifndef NDSHARE_KERNELS_RANDOM_SCALAR_H_
#define NDSHARE_KERNELS_RANDOM_SCALAR_H_

#include <cmath>
#include <cstdint>

#include "kernels/random/distributions.h"

namespace ndshare {
namespace random {

// ---- continuous distributions (float64 out) --------------------------------------

enum Cont : int {
  kRandom = 0,
  kStdNormal,
  kNormal,
  kStdExp,
  kStdExpInv,
  kExponential,
  kUniform,
  kStdGamma,
  kGamma,
  kBeta,
  kChisquare,
  kF,
  kNoncentralChisquare,
  kNoncentralF,
  kStdCauchy,
  kStdT,
  kVonmises,
  kPareto,
  kWeibull,
  kPower,
  kLaplace,
  kGumbel,
  kLogistic,
  kLognormal,
  kRayleigh,
  kWald,
  kTriangular,
  kContCount
};

template <class B>
inline double NoncentralChisquare(B& b, double df, double nonc) {
  if (std::isnan(nonc)) return NAN;
  if (nonc == 0) return Chisquare(b, df);
  if (1 < df) {
    const double chi2 = Chisquare(b, df - 1);
    const double n = StdNormal(b) + std::sqrt(nonc);
    return chi2 + n * n;
  }
  const int64_t i = Poisson(b, nonc / 2.0);
  return Chisquare(b, df + 2 * i);
}

template <class B>
inline double Vonmises(B& b, double mu, double kappa) {
  if (std::isnan(kappa)) return NAN;
  if (kappa < 1e-8) return M_PI * (2 * b.Double() - 1);
  double s;
  if (kappa < 1e-5) {
    s = 1. / kappa + kappa;
  } else if (kappa <= 1e6) {
    const double r = 1 + std::sqrt(1 + 4 * kappa * kappa);
    const double rho = (r - std::sqrt(2 * r)) / (2 * kappa);
    s = (1 + rho * rho) / (2 * rho);
  } else {
    double result = mu + std::sqrt(1. / kappa) * StdNormal(b);
    if (result < -M_PI) result += 2 * M_PI;
    if (result > M_PI) result -= 2 * M_PI;
    return result;
  }
  double W;
  for (;;) {
    const double U = b.Double();
    const double Z = std::cos(M_PI * U);
    W = (1 + s * Z) / (s + Z);
    const double Y = kappa * (s - W);
    const double V = b.Double();
    if ((Y * (2 - Y) - V >= 0) || (std::log(Y / V) + 1 - Y >= 0)) break;
  }
  const double U = b.Double();
  double result = std::acos(W);
  if (U < 0.5) result = -result;
  result += mu;
  const bool neg = result < 0;
  double mod = std::fabs(result);
  mod = std::fmod(mod + M_PI, 2 * M_PI) - M_PI;
  if (neg) mod *= -1;
  return mod;
}

template <class B>
inline double ContOne(B& b, int kind, double a, double p2, double p3) {
  switch (kind) {
    case kRandom: return b.Double();
    case kStdNormal: return StdNormal(b);
    case kNormal: return a + p2 * StdNormal(b);
    case kStdExp: return StdExp(b);
    case kStdExpInv: return -std::log1p(-b.Double());
    case kExponential: return a * StdExp(b);
    case kUniform: return a + p2 * b.Double();
    case kStdGamma: return StdGamma(b, a);
    case kGamma: return p2 * StdGamma(b, a);
    case kBeta: return Beta(b, a, p2);
    case kChisquare: return Chisquare(b, a);
    case kF: return (Chisquare(b, a) * p2) / (Chisquare(b, p2) * a);
    case kNoncentralChisquare: return NoncentralChisquare(b, a, p2);
    case kNoncentralF: {
      const double t = NoncentralChisquare(b, a, p3) * p2;
      return t / (Chisquare(b, p2) * a);
    }
    case kStdCauchy: {
      const double n = StdNormal(b);
      return n / StdNormal(b);
    }
    case kStdT: {
      const double num = StdNormal(b);
      const double denom = StdGamma(b, a / 2);
      return std::sqrt(a / 2) * num / std::sqrt(denom);
    }
    case kVonmises: return Vonmises(b, a, p2);
    case kPareto: return std::expm1(StdExp(b) / a);
    case kWeibull: return a == 0.0 ? 0.0 : std::pow(StdExp(b), 1. / a);
    case kPower: return std::pow(-std::expm1(-StdExp(b)), 1. / a);
    case kLaplace:
      for (;;) {
        const double U = b.Double();
        if (U >= 0.5) return a - p2 * std::log(2.0 - U - U);
        if (U > 0.0) return a + p2 * std::log(U + U);
      }
    case kGumbel:
      for (;;) {
        const double U = 1.0 - b.Double();
        if (U < 1.0) return a - p2 * std::log(-std::log(U));
      }
    case kLogistic:
      for (;;) {
        const double U = b.Double();
        if (U > 0.0) return a + p2 * std::log(U / (1.0 - U));
      }
    case kLognormal: return std::exp(a + p2 * StdNormal(b));
    case kRayleigh: return a * std::sqrt(2.0 * StdExp(b));
    case kWald: {
      const double mu_2l = a / (2 * p2);
      double Y = StdNormal(b);
      Y = a * Y * Y;
      const double X = a + mu_2l * (Y - std::sqrt(4 * p2 * Y + Y * Y));
      const double U = b.Double();
      if (U <= a / (a + X)) return X;
      return a * a / X;
    }
    case kTriangular: {
      const double base = p3 - a, leftbase = p2 - a, ratio = leftbase / base;
      const double leftprod = leftbase * base, rightprod = (p3 - p2) * base;
      const double U = b.Double();
      if (U <= ratio) return a + std::sqrt(U * leftprod);
      return p3 - std::sqrt((1.0 - U) * rightprod);
    }
  }
  return NAN;
}

// ---- discrete distributions (int64 out) -------------------------------------------

enum Disc : int {
  kBinomial = 0,
  kNegativeBinomial,
  kPoisson,
  kGeometric,
  kZipf,
  kLogseries,
  kHypergeometric,
  kDiscCount
};

template <class B>
inline int64_t DiscOne(B& b, int kind, double a, double p2, double p3) {
  switch (kind) {
    case kBinomial: return Binomial(b, p2, static_cast<int64_t>(a));
    case kNegativeBinomial: {
      const double Y = ((1 - p2) / p2) * StdGamma(b, a);
      return Poisson(b, Y);
    }
    case kPoisson: return Poisson(b, a);
    case kGeometric:
      if (a >= 0.333333333333333333333333) {
        int64_t X = 1;
        double sum = a, prod = a;
        const double q = 1.0 - a;
        const double U = b.Double();
        while (U > sum) {
          prod *= q;
          sum += prod;
          ++X;
        }
        return X;
      } else {
        const double z = std::ceil(-StdExp(b) / std::log1p(-a));
        if (z >= 9.223372036854776e+18) return INT64_MAX;
        return static_cast<int64_t>(z);
      }
    case kZipf: {
      if (a >= 1025) return 1;
      const double am1 = a - 1.0;
      const double bb = std::pow(2.0, am1);
      for (;;) {
        const double U = 1.0 - b.Double();
        const double V = b.Double();
        const double X = std::floor(std::pow(U, -1.0 / am1));
        if (X > static_cast<double>(INT64_MAX) || X < 1.0) continue;
        const double T = std::pow(1.0 + 1.0 / X, am1);
        if (V * X * (T - 1.0) / (bb - 1.0) <= T / bb) return static_cast<int64_t>(X);
      }
    }
    case kLogseries: {
      const double r = std::log1p(-a);
      for (;;) {
        const double V = b.Double();
        if (V >= a) return 1;
        const double U = b.Double();
        const double q = -std::expm1(r * U);
        if (V <= q * q) {
          const int64_t result = static_cast<int64_t>(std::floor(1 + std::log(V) / std::log(q)));
          if (result < 1 || V == 0.0) continue;
          return result;
        }
        if (V >= q) return 1;
        return 2;
      }
    }
    case kHypergeometric:
      return Hypergeometric(b, static_cast<int64_t>(a), static_cast<int64_t>(p2), static_cast<int64_t>(p3));
  }
  return 0;
}

}  // namespace random
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_RANDOM_SCALAR_H_
