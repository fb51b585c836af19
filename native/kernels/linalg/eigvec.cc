// Right eigenvectors of a general real matrix from its real Schur form A = Z T Z^T
// (EigGeneral): for each eigenvalue, back substitution on the quasi upper triangular
// T - lambda I in complex arithmetic (Golub & Van Loan 7.6.4; the job of LAPACK's dtrevc),
// then v = Z x, normalized as dgeev normalizes (unit 2-norm, largest component real).
#include <algorithm>
#include <cmath>
#include <complex>
#include <cstdint>
#include <limits>
#include <vector>

#include "kernels/linalg/factor.h"

namespace ndshare {
namespace kernels {
namespace linalg {
namespace {

using cd = std::complex<double>;
constexpr double kEps = std::numeric_limits<double>::epsilon();

// Block structure of T: start[i] = first row of the diagonal block holding row i; size 1 or 2.
struct Blocks {
  std::vector<int64_t> start;
  std::vector<int64_t> size;
};

Blocks BlocksOf(const double* t, int64_t n) {
  Blocks b{std::vector<int64_t>(static_cast<size_t>(n)), std::vector<int64_t>(static_cast<size_t>(n))};
  for (int64_t i = 0; i < n;) {
    const bool pair = i + 1 < n && t[(i + 1) * n + i] != 0.0;
    const int64_t len = pair ? 2 : 1;
    for (int64_t k = 0; k < len; ++k) {
      b.start[static_cast<size_t>(i + k)] = i;
      b.size[static_cast<size_t>(i + k)] = len;
    }
    i += len;
  }
  return b;
}

// A divisor no smaller than `smin` in modulus (a perturbed, not a failed, solve: LAPACK's way
// with close or repeated eigenvalues).
cd Guard(cd d, double smin) { return std::abs(d) < smin ? cd(smin, 0.0) : d; }

// x (length n, zero beyond `last`) = an eigenvector of T for lambda, whose own block ends at `last`.
void SchurVector(const double* t, int64_t n, const Blocks& b, int64_t p, cd lambda, double smin, std::vector<cd>& x) {
  std::fill(x.begin(), x.end(), cd(0.0, 0.0));
  auto T = [&](int64_t i, int64_t j) { return t[i * n + j]; };
  const int64_t s = b.start[static_cast<size_t>(p)];
  int64_t top;
  if (b.size[static_cast<size_t>(p)] == 1) {
    x[static_cast<size_t>(p)] = 1.0;
    top = p;
  } else {
    // The 2x2 block [[a, c], [d, e]]: (B - lambda) y = 0 by either row; take the larger.
    const double a = T(s, s), c = T(s, s + 1), d = T(s + 1, s), e = T(s + 1, s + 1);
    cd y0(c, 0.0), y1 = lambda - a;  // from row 0
    cd z0 = lambda - e, z1(d, 0.0);  // from row 1
    if (std::abs(y0) + std::abs(y1) >= std::abs(z0) + std::abs(z1)) {
      x[static_cast<size_t>(s)] = y0;
      x[static_cast<size_t>(s + 1)] = y1;
    } else {
      x[static_cast<size_t>(s)] = z0;
      x[static_cast<size_t>(s + 1)] = z1;
    }
    if (x[static_cast<size_t>(s)] == 0.0 && x[static_cast<size_t>(s + 1)] == 0.0) x[static_cast<size_t>(p)] = 1.0;
    top = s;
  }
  const int64_t last = s + b.size[static_cast<size_t>(p)] - 1;
  // Rows above, block by block, bottom up: (T_jj - lambda) x_j = -sum_{l > j} T(j, l) x_l.
  for (int64_t i = top - 1; i >= 0;) {
    const int64_t j = b.start[static_cast<size_t>(i)];
    const int64_t len = b.size[static_cast<size_t>(i)];
    cd r0(0.0, 0.0), r1(0.0, 0.0);
    for (int64_t l = j + len; l <= last; ++l) {
      r0 -= T(j, l) * x[static_cast<size_t>(l)];
      if (len == 2) r1 -= T(j + 1, l) * x[static_cast<size_t>(l)];
    }
    if (len == 1) {
      x[static_cast<size_t>(j)] = r0 / Guard(cd(T(j, j), 0.0) - lambda, smin);
    } else {
      // [[a - lambda, c], [d, e - lambda]] [u; w] = [r0; r1], Cramer with a guarded determinant.
      const cd a = T(j, j) - lambda, c = T(j, j + 1), d = T(j + 1, j), e = T(j + 1, j + 1) - lambda;
      const cd det = Guard(a * e - c * d, std::max(smin * smin, std::numeric_limits<double>::min()));
      x[static_cast<size_t>(j)] = (r0 * e - c * r1) / det;
      x[static_cast<size_t>(j + 1)] = (a * r1 - d * r0) / det;
    }
    // Rescale when growing toward overflow (the direction is all that matters).
    double big = 0.0;
    for (int64_t l = j; l <= last; ++l) big = std::max(big, std::abs(x[static_cast<size_t>(l)]));
    if (big > 1e150) {
      for (int64_t l = j; l <= last; ++l) x[static_cast<size_t>(l)] /= big;
    }
    i = j - 1;
  }
}

}  // namespace

void EigVectors(const double* t, const double* z, int64_t n, const double* wr, const double* wi, double* vr) {
  const Blocks b = BlocksOf(t, n);
  double tnorm = 0.0;
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = std::max<int64_t>(0, i - 1); j < n; ++j) tnorm = std::max(tnorm, std::fabs(t[i * n + j]));
  const double smin = std::max(kEps * tnorm, std::numeric_limits<double>::min());
  std::vector<cd> x(static_cast<size_t>(n)), v(static_cast<size_t>(n));
  for (int64_t p = 0; p < n; ++p) {
    const bool second = wi[p] < 0.0 && p > 0 && wi[p - 1] > 0.0;
    if (second) continue;  // the conjugate of column p - 1's vector, already written
    const cd lambda(wr[p], wi[p]);
    SchurVector(t, n, b, p, lambda, smin, x);
    const int64_t last = b.start[static_cast<size_t>(p)] + b.size[static_cast<size_t>(p)] - 1;
    // v = Z x over the nonzero part of x.
    for (int64_t r = 0; r < n; ++r) {
      cd acc(0.0, 0.0);
      for (int64_t l = 0; l <= last; ++l) acc += z[r * n + l] * x[static_cast<size_t>(l)];
      v[static_cast<size_t>(r)] = acc;
    }
    double norm = 0.0;
    int64_t at = 0;
    double best = -1.0;
    for (int64_t r = 0; r < n; ++r) {
      const double m2 = std::norm(v[static_cast<size_t>(r)]);
      norm += m2;
      if (m2 > best) {
        best = m2;
        at = r;
      }
    }
    norm = std::sqrt(norm);
    const bool complexPair = wi[p] > 0.0 && p + 1 < n;
    // Unit norm; a complex vector is turned so that its largest component is real (and positive).
    cd scale = norm > 0.0 ? cd(1.0 / norm, 0.0) : cd(1.0, 0.0);
    if (complexPair && best > 0.0)
      scale *= std::conj(v[static_cast<size_t>(at)]) / std::abs(v[static_cast<size_t>(at)]);
    for (int64_t r = 0; r < n; ++r) {
      const cd w = v[static_cast<size_t>(r)] * scale;
      vr[r * n + p] = w.real();
      if (complexPair) vr[r * n + p + 1] = w.imag();
    }
  }
}

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare
