#include "kernels/random/ziggurat.h"

#include <cmath>

namespace ndshare {
namespace random {
namespace {

// Layer edges in increasing order (x[0] = 0, x[255] = r) for density f with inverse finv.
template <class F, class Finv>
void Edges(double r, double v, F f, Finv finv, double* x) {
  double d[256];
  d[0] = r;
  for (int i = 1; i < 255; ++i) d[i] = finv(f(d[i - 1]) + v / d[i - 1]);
  d[255] = 0.0;
  for (int i = 0; i < 256; ++i) x[i] = d[255 - i];
}

template <class F>
void Fill(double r, double v, F f, const double* x, int bits, uint64_t* k, double* w, double* fx) {
  const double scale = std::ldexp(1.0, bits);
  k[0] = static_cast<uint64_t>(std::nearbyint(((r * f(r)) / v) * scale));
  for (int i = 1; i < 256; ++i) k[i] = static_cast<uint64_t>(std::nearbyint((x[i - 1] / x[i]) * scale));
  w[0] = (v / f(r)) / scale;
  for (int i = 1; i < 256; ++i) w[i] = x[i] / scale;
  for (int i = 0; i < 256; ++i) fx[i] = f(x[i]);
}

Ziggurat Build() {
  Ziggurat z;
  double x[256];
  uint64_t k[256];
  double w[256], fx[256];
  // Normal: f(x) = exp(-x^2/2), section area V.
  const double vn = 0.0049286732339746519;
  auto fn = [](double t) { return std::exp(-0.5 * t * t); };
  auto fninv = [](double p) { return std::sqrt(-2.0 * std::log(p)); };
  Edges(kNorR, vn, fn, fninv, x);
  Fill(kNorR, vn, fn, x, 52, z.ki, z.wi, z.fi);
  Fill(kNorR, vn, fn, x, 23, k, w, fx);
  for (int i = 0; i < 256; ++i) {
    z.kif[i] = static_cast<uint32_t>(k[i]);
    z.wif[i] = static_cast<float>(w[i]);
    z.fif[i] = static_cast<float>(fx[i]);
  }
  // Exponential: f(x) = exp(-x), section area V.
  const double ve = 0.0039496598225815571993;
  auto fe = [](double t) { return std::exp(-t); };
  auto feinv = [](double p) { return -std::log(p); };
  Edges(kExpR, ve, fe, feinv, x);
  Fill(kExpR, ve, fe, x, 53, z.ke, z.we, z.fe);
  Fill(kExpR, ve, fe, x, 23, k, w, fx);
  for (int i = 0; i < 256; ++i) {
    z.kef[i] = static_cast<uint32_t>(k[i]);
    z.wef[i] = static_cast<float>(w[i]);
    z.fef[i] = static_cast<float>(fx[i]);
  }
  return z;
}

}  // namespace

const Ziggurat& Tables() {
  static const Ziggurat z = Build();
  return z;
}

}  // namespace random
}  // namespace ndshare
