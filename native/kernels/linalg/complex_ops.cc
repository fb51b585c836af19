// The complex ops of math.linalg (linalg.cc hands over any op it does not know).
// Buffers are Float64Arrays of interleaved complex128 (2 doubles per element)
// except pivots and real outputs; every length is checked here.
//
//   'zlu'      [a 2n², piv n]                       dims [n]         -> 0 | 1 + zero pivot
//   'zlusolve' [lu 2n², piv n, b 2nk]                dims [n, k]      -> 0
//   'zchol'    [a 2n²]                               dims [n]         -> 0 | 1 + failing column
//   'zqr'      [a 2mn, tau 2min(m,n)]                dims [m, n]      -> 0
//   'zqrq'     [a 2mn, tau 2min(m,n), q 2m·mc]       dims [m, n, mc]  -> 0 (mc <= m)
//   'zeigh'    [a 2n², w n]                          dims [n, wantV]  -> 0 | 1 no convergence
//   'zeig'     [a 2n², w 2n]                         dims [n]         -> 0 | 1
//   'zeigv'    [a 2n², w 2n, v 2n²]                  dims [n]         -> 0 | 1
//   'zsvd'     [a 2mn, s n, u 2m·uc, vh 2n²]          dims [m, n, uc, wantUv] (m >= n, uc in {n, m}) -> 0 | 1
#include <cmath>
#include <string>
#include <vector>

#include "kernels/linalg/complex.h"

namespace ndshare {
namespace kernels {
namespace linalg {

bool ComplexOp(const std::string& op, const std::vector<int64_t>& dims, const std::vector<double*>& ptr,
               const std::vector<size_t>& len, int64_t* result, std::string* error) {
  if (op.empty() || op[0] != 'z') return false;
  bool ok = true;
  auto need = [&](size_t nd, size_t nb) {
    if (ok && (dims.size() != nd || ptr.size() != nb)) {
      *error = op + ": expected " + std::to_string(nd) + " dims and " + std::to_string(nb) + " buffers";
      ok = false;
    }
    return ok;
  };
  auto atLeast = [&](size_t i, int64_t n) {
    if (ok && static_cast<int64_t>(len[i]) < n) {
      *error = op + ": buffer " + std::to_string(i) + " is too short";
      ok = false;
    }
    return ok;
  };
  auto C = [&](size_t i) { return reinterpret_cast<Cplx*>(ptr[i]); };
  int64_t r = 0;
  if (op == "zlu") {
    if (!need(1, 2)) return true;
    const int64_t n = dims[0];
    if (!atLeast(0, 2 * n * n) || !atLeast(1, n)) return true;
    r = ZLu(C(0), n, ptr[1]);
  } else if (op == "zlusolve") {
    if (!need(2, 3)) return true;
    const int64_t n = dims[0], k = dims[1];
    if (!atLeast(0, 2 * n * n) || !atLeast(1, n) || !atLeast(2, 2 * n * k)) return true;
    for (int64_t i = 0; i < n; ++i) {
      const double p = ptr[1][i];
      if (!(p >= static_cast<double>(i) && p < static_cast<double>(n) && p == std::floor(p))) {
        *error = "zlusolve: bad pivot";
        return true;
      }
    }
    ZLuSolve(C(0), ptr[1], n, C(2), k);
  } else if (op == "zchol") {
    if (!need(1, 1)) return true;
    const int64_t n = dims[0];
    if (!atLeast(0, 2 * n * n)) return true;
    r = ZCholesky(C(0), n);
  } else if (op == "zqr") {
    if (!need(2, 2)) return true;
    const int64_t m = dims[0], n = dims[1];
    if (!atLeast(0, 2 * m * n) || !atLeast(1, 2 * std::min(m, n))) return true;
    ZQr(C(0), m, n, C(1));
  } else if (op == "zqrq") {
    if (!need(3, 3)) return true;
    const int64_t m = dims[0], n = dims[1], mc = dims[2];
    if (mc > m) {
      *error = "zqrq: mc > m";
      return true;
    }
    if (!atLeast(0, 2 * m * n) || !atLeast(1, 2 * std::min(m, n)) || !atLeast(2, 2 * m * mc)) return true;
    ZQrFormQ(C(0), m, n, C(1), C(2), mc);
  } else if (op == "zeigh") {
    if (!need(2, 2)) return true;
    const int64_t n = dims[0];
    if (!atLeast(0, 2 * n * n) || !atLeast(1, n)) return true;
    r = ZEigh(C(0), n, ptr[1], dims[1] != 0);
  } else if (op == "zeig" || op == "zeigv") {
    const bool vec = op == "zeigv";
    if (!need(1, vec ? 3 : 2)) return true;
    const int64_t n = dims[0];
    if (!atLeast(0, 2 * n * n) || !atLeast(1, 2 * n) || (vec && !atLeast(2, 2 * n * n))) return true;
    r = ZEig(C(0), n, C(1), vec ? C(2) : nullptr);
  } else if (op == "zsvd") {
    if (!need(4, 4)) return true;
    const int64_t m = dims[0], n = dims[1], uc = dims[2];
    const bool want = dims[3] != 0;
    if (m < n) {
      *error = "zsvd: m < n";
      return true;
    }
    if (want && uc != n && uc != m) {
      *error = "zsvd: ucols must be n or m";
      return true;
    }
    if (!atLeast(0, 2 * m * n) || !atLeast(1, n)) return true;
    if (want && (!atLeast(2, 2 * m * uc) || !atLeast(3, 2 * n * n))) return true;
    r = ZSvd(C(0), m, n, ptr[1], want ? C(2) : nullptr, uc, want ? C(3) : nullptr, want);
  } else {
    *error = "unknown op '" + op + "'";
  }
  *result = r;
  return true;
}

}  // namespace linalg
}  // namespace kernels
}  // namespace ndshare
