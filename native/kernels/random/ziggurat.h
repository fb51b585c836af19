// Ziggurat tables for the normal and exponential distributions, 256 layers,
// built at load time by the documented construction NumPy's tables come from
// (Marsaglia and Tsang's ziggurat with the layer edges x_i found by the
// recursion x_{i+1} = f^-1(f(x_i) + V / x_i) from the tail edge r, then
// k_i = round(2^b x_{i-1} / x_i), w_i = x_i / 2^b, f_i = f(x_i), and the base
// layer's k_0 = round(2^b r f(r) / V), w_0 = V / f(r) / 2^b; b = 52 (normal,
// double), 53 (exponential, double), 23 (float)). The tests check the result
// against NumPy's draws.
#ifndef NDSHARE_KERNELS_RANDOM_ZIGGURAT_H_
#define NDSHARE_KERNELS_RANDOM_ZIGGURAT_H_

#include <cstdint>

namespace ndshare {
namespace random {

struct Ziggurat {
  uint64_t ki[256];
  double wi[256];
  double fi[256];
  uint64_t ke[256];
  double we[256];
  double fe[256];
  uint32_t kif[256];
  float wif[256];
  float fif[256];
  uint32_t kef[256];
  float wef[256];
  float fef[256];
};

constexpr double kNorR = 3.6541528853610087963519472518;
constexpr double kNorInvR = 0.27366123732975827203338247596;
constexpr double kExpR = 7.6971174701310497140446280481;
constexpr float kNorRf = 3.6541528853610087963519472518f;
constexpr float kNorInvRf = 0.27366123732975827203338247596f;
constexpr float kExpRf = 7.6971174701310497140446280481f;

// Built once (thread-safe static initialisation).
const Ziggurat& Tables();

}  // namespace random
}  // namespace ndshare

#endif  // NDSHARE_KERNELS_RANDOM_ZIGGURAT_H_
