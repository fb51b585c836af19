"""NumPy twins of the linear algebra, FFT, indexing, sorting, numeric, random, complex and bit-packing
cases (the rest are in cases.py, which lists them all).
"""


import numpy as np

from sampling import N, SIDE, _uniform, measure, result


def _linalg_case(name, n, make, run, twin, dtype="float64"):
    def case():
        a = make()
        m = measure(lambda i: run(a), lambda r, i: None)
        return result(name, m, n=n, dtype=dtype, per="op", twin=twin)
    return case


def _u(shape, seed):
    return _uniform(np.float64, -1, 1, seed, shape)


LINALG_CASES = {
    "linalg-solve-1000": _linalg_case("linalg-solve-1000", 1000, lambda: _u((1000, 1000), 1), lambda a: np.linalg.solve(a, np.ones(1000)), "np.linalg.solve(a, b)"),
    "linalg-inv-1000": _linalg_case("linalg-inv-1000", 1000, lambda: _u((1000, 1000), 1), np.linalg.inv, "np.linalg.inv(a)"),
    "linalg-det-1000": _linalg_case("linalg-det-1000", 1000, lambda: _u((1000, 1000), 1), np.linalg.det, "np.linalg.det(a)"),
    "linalg-cholesky-1000": _linalg_case("linalg-cholesky-1000", 1000, lambda: (lambda a: a @ a.T / 1000 + np.eye(1000))(_u((1000, 1000), 2)), np.linalg.cholesky, "np.linalg.cholesky(a)"),
    "linalg-qr-1000": _linalg_case("linalg-qr-1000", 1000, lambda: _u((1000, 1000), 3), np.linalg.qr, "np.linalg.qr(a)"),
    "linalg-svd-500": _linalg_case("linalg-svd-500", 500, lambda: _u((500, 500), 4), np.linalg.svd, "np.linalg.svd(a)"),
    "linalg-svd-100": _linalg_case("linalg-svd-100", 100, lambda: _u((100, 100), 11), np.linalg.svd, "np.linalg.svd(a)"),
    "linalg-svd-1000": _linalg_case("linalg-svd-1000", 1000, lambda: _u((1000, 1000), 11), np.linalg.svd, "np.linalg.svd(a)"),
    "linalg-svd-2000x200": _linalg_case("linalg-svd-2000x200", 2000, lambda: _u((2000, 200), 11), lambda a: np.linalg.svd(a, full_matrices=False), "np.linalg.svd(a, full_matrices=False)"),
    "linalg-svdvals-500": _linalg_case("linalg-svdvals-500", 500, lambda: _u((500, 500), 4), np.linalg.svdvals, "np.linalg.svdvals(a)"),
    "linalg-eigh-500": _linalg_case("linalg-eigh-500", 500, lambda: (lambda a: a + a.T)(_u((500, 500), 5)), np.linalg.eigh, "np.linalg.eigh(a)"),
    "linalg-norm-1000": _linalg_case("linalg-norm-1000", 1000, lambda: _u((1000, 1000), 6), np.linalg.norm, "np.linalg.norm(a)"),
    "linalg-einsum-bmm": _linalg_case("linalg-einsum-bmm", 64, lambda: (_u((64, 128, 128), 7), _u((64, 128, 128), 8)), lambda ab: np.einsum("bij,bjk->bik", *ab), "np.einsum('bij,bjk->bik', a, b)"),
    "linalg-einsum-rowdot": _linalg_case("linalg-einsum-rowdot", 1000, lambda: (_u((1000, 1000), 9), _u((1000, 1000), 10)), lambda ab: np.einsum("ij,ij->i", *ab), "np.einsum('ij,ij->i', a, b)"),
}


def _c(shape, seed):
    p = _uniform(np.float64, -1, 1, seed, tuple(shape) + (2,))
    return p[..., 0] + 1j * p[..., 1]


def _zcase(name, n, make, run, twin):
    return _linalg_case(name, n, make, run, twin, "complex128")


ZLINALG_CASES = {
    "linalg-zmatmul-256": _zcase("linalg-zmatmul-256", 256, lambda: (_c((256, 256), 11), _c((256, 256), 12)), lambda ab: ab[0] @ ab[1], "a @ b complex128"),
    "linalg-zmatmul-512": _zcase("linalg-zmatmul-512", 512, lambda: (_c((512, 512), 11), _c((512, 512), 12)), lambda ab: ab[0] @ ab[1], "a @ b complex128"),
    "linalg-zsolve-500": _zcase("linalg-zsolve-500", 500, lambda: _c((500, 500), 13), lambda a: np.linalg.solve(a, np.ones(500)), "np.linalg.solve(a, b) complex128"),
    "linalg-zeigh-300": _zcase("linalg-zeigh-300", 300, lambda: (lambda a: a + a.conj().T)(_c((300, 300), 14)), np.linalg.eigh, "np.linalg.eigh(a) complex128"),
}


FFT_CASES = {
    "fft-2^16": _linalg_case("fft-2^16", 1 << 16, lambda: _c((1 << 16,), 1), np.fft.fft, "np.fft.fft(x)"),
    "fft-2^20": _linalg_case("fft-2^20", 1 << 20, lambda: _c((1 << 20,), 1), np.fft.fft, "np.fft.fft(x)"),
    "fft-1e6": _linalg_case("fft-1e6", 1000000, lambda: _c((1000000,), 1), np.fft.fft, "np.fft.fft(x)"),
    "fft-prime-10007": _linalg_case("fft-prime-10007", 10007, lambda: _c((10007,), 1), np.fft.fft, "np.fft.fft(x)"),
    "fft-fft2-1000": _linalg_case("fft-fft2-1000", 1000, lambda: _c((1000, 1000), 2), np.fft.fft2, "np.fft.fft2(x)"),
    "fft-rfft-2^20": _linalg_case("fft-rfft-2^20", 1 << 20, lambda: _u((1 << 20,), 3), np.fft.rfft, "np.fft.rfft(x)"),
}


def _idx_take():
    x = _uniform(np.float64, 0, 1, 1)
    idx = np.random.default_rng(2).integers(0, N, N)

    def check(r, i):
        k = (i * 7_919_993) % N
        if r[k] != x[idx[k]]:
            raise AssertionError("take")

    return result("idx-take", measure(lambda i: np.take(x, idx), check), n=N, dtype="float64", per="op", twin="np.take(x, idx)")


def _idx_mask():
    x = _uniform(np.float64, -1, 1, 3)

    def check(r, i):
        if not r[0] > 0:
            raise AssertionError("mask")

    return result("idx-mask", measure(lambda i: x[x > 0], check), n=N, dtype="float64", per="op", twin="x[x > 0]")


def _idx_add_at():
    z = np.zeros(1000)
    idx = np.random.default_rng(4).integers(0, 1000, N)
    state = {"calls": 0}

    def op(i):
        np.add.at(z, idx, 1)
        state["calls"] += 1
        return z

    def check(r, i):
        if r.sum() != state["calls"] * N:
            raise AssertionError("add.at")

    return result("idx-add-at", measure(op, check), n=N, bins=1000, dtype="float64", per="op", twin="np.add.at(z, idx, 1)")


def _idx_nonzero():
    mask = _uniform(np.float64, -1, 1, 5) > 0

    def check(r, i):
        if not mask[r[0]]:
            raise AssertionError("nonzero")

    return result("idx-nonzero", measure(lambda i: np.nonzero(mask)[0], check), n=N, per="op", twin="np.nonzero(mask)")


def _idx_pad():
    x = _uniform(np.float64, 0, 1, 6, (SIDE, SIDE))

    def check(r, i):
        if r.shape[0] != SIDE + 2 or r[1, 1] != x[0, 0]:
            raise AssertionError("pad")

    return result("idx-pad", measure(lambda i: np.pad(x, 1), check), shape=[SIDE, SIDE], dtype="float64", per="op", twin="np.pad(x, 1)")


def _idx_roll():
    x = _uniform(np.float64, 0, 1, 7)

    def check(r, i):
        k = (i * 7_919_993) % N
        if r[(k + 12345) % N] != x[k]:
            raise AssertionError("roll")

    return result("idx-roll", measure(lambda i: np.roll(x, 12345), check), n=N, dtype="float64", per="op", twin="np.roll(x, 12345)")



# ---- sorting, searching, counting (twins of bench/cases/sorting.ts) ------

def _lcg_swaps(x, seed=7):
    s = seed
    n = x.size
    idx = np.empty(2 * (n // 100), dtype=np.int64)
    for k in range(idx.size):
        s = (s * 1664525 + 1013904223) & 0xFFFFFFFF
        idx[k] = s % n
    for k in range(0, idx.size, 2):
        i, j = idx[k], idx[k + 1]
        x[i], x[j] = x[j], x[i]
    return x


def _sort_input(dt, kind):
    if kind == "nearly":
        return _lcg_swaps(np.arange(N).astype(dt))
    rng = np.random.default_rng(1)
    if dt == "float64":
        return rng.random(N)
    return np.floor(rng.random(N) * 2**30).astype(dt)


def _sort_case(name, dt, kind, arg):
    def case():
        x = _sort_input(dt, kind)

        def op(i):
            return np.argsort(x) if arg else np.sort(x)

        def check(r, i):
            k = (i * 7_919_993) % (N - 1)
            if arg:
                if not x[r[k]] <= x[r[k + 1]]:
                    raise AssertionError("argsort")
            elif not r[k] <= r[k + 1]:
                raise AssertionError("sort")

        return result(name, measure(op, check), n=N, dtype=dt, per="op",
                      op=f"np.{'argsort' if arg else 'sort'}(x)")
    return case


SORT_CASES = {}
for _dt, _s in (("float64", "f64"), ("int32", "i32"), ("int64", "i64")):
    for _kind in ("random", "nearly"):
        SORT_CASES[f"sort-{_s}-{_kind}"] = _sort_case(f"sort-{_s}-{_kind}", _dt, _kind, False)
        SORT_CASES[f"argsort-{_s}-{_kind}"] = _sort_case(f"argsort-{_s}-{_kind}", _dt, _kind, True)


def unique_counts_i64():
    x = np.floor(np.random.default_rng(3).random(N) * 1_000_000).astype(np.int64)

    def check(r, i):
        if len(r) != 2 or r[0].size != r[1].size or r[0].size < 900_000:
            raise AssertionError("unique")
    return result("unique-counts-i64", measure(lambda i: np.unique(x, return_counts=True), check),
                  n=N, dtype="int64", per="op", op="np.unique(x, return_counts=True)")


def bincount_i64():
    x = np.floor(np.random.default_rng(4).random(N) * 1000).astype(np.int64)

    def check(r, i):
        if r.size != 1000:
            raise AssertionError("bincount")
    return result("bincount-i64", measure(lambda i: np.bincount(x), check), n=N, dtype="int64", per="op",
                  op="np.bincount(x)")


def searchsorted_f64():
    a = np.sort(np.random.default_rng(5).random(N))
    v = np.random.default_rng(6).random(1_000_000)

    def check(r, i):
        k = (i * 7919) % 1_000_000
        p = r[k]
        if (p > 0 and not a[p - 1] < v[k]) or (p < N and not a[p] >= v[k]):
            raise AssertionError("searchsorted")
    return result("searchsorted-f64", measure(lambda i: np.searchsorted(a, v), check), n=N, needles=1_000_000,
                  dtype="float64", per="op", op="np.searchsorted(a, v)")


def histogram_f64():
    x = np.random.default_rng(8).random(N)

    def check(r, i):
        if r[0].size != 100:
            raise AssertionError("histogram")
    return result("histogram-f64", measure(lambda i: np.histogram(x, bins=100), check), n=N, bins=100,
                  dtype="float64", per="op", op="np.histogram(x, bins=100)")


def _order_stat_case(name, shape, seed, op, text, check):
    def case():
        x = np.random.default_rng(seed).random(shape)
        return result(name, measure(lambda i: op(x), lambda r, i: check(r)), n=N, dtype="float64", per="op", op=text)
    return case


def _near(value, want):
    if abs(float(value) - want) >= 0.01:
        raise AssertionError(f"{value} not near {want}")


SORT_CASES.update({
    "median-f64": _order_stat_case("median-f64", N, 9, np.median, "np.median(x)", lambda r: _near(r, 0.5)),
    "percentile-f64": _order_stat_case("percentile-f64", N, 10, lambda x: np.percentile(x, [5, 50, 95]),
                                       "np.percentile(x, [5, 50, 95])", lambda r: _near(r[2], 0.95)),
    "median-rows-f64": _order_stat_case("median-rows-f64", (1000, N // 1000), 11, lambda x: np.median(x, axis=1),
                                        "np.median(x, axis=1)", lambda r: _near(r.size / 2000, 0.5)),
    "unique-counts-i64": unique_counts_i64,
    "bincount-i64": bincount_i64,
    "searchsorted-f64": searchsorted_f64,
    "histogram-f64": histogram_f64,
})


# Convolution, covariance, interpolation (issue 16): twins of bench/cases/numeric.ts.
def convolve_f64():
    a = np.random.default_rng(1).uniform(-1, 1, 100_000)
    v = np.random.default_rng(2).uniform(-1, 1, 100)

    def check(r, i):
        if r.size != 100_099:
            raise AssertionError("convolve")
    return result("convolve-f64-1e5x100", measure(lambda i: np.convolve(a, v), check), n=100_000, taps=100,
                  dtype="float64", per="op", op="np.convolve(a, v)")


def correlate_f32():
    a = np.random.default_rng(1).uniform(-1, 1, 100_000).astype(np.float32)
    v = np.random.default_rng(2).uniform(-1, 1, 100).astype(np.float32)

    def check(r, i):
        if r.size != 100_000:
            raise AssertionError("correlate")
    return result("correlate-f32-1e5x100", measure(lambda i: np.correlate(a, v, 'same'), check), n=100_000, taps=100,
                  dtype="float32", per="op", op="np.correlate(a, v, 'same')")


def cov_f64():
    x = np.random.default_rng(3).uniform(0, 1, (100, 100_000))

    def check(r, i):
        d = r[i % 100, i % 100]
        if not 0.07 < d < 0.1:
            raise AssertionError("cov")
    return result("cov-f64-100x100000", measure(lambda i: np.cov(x), check), vars=100, obs=100_000,
                  dtype="float64", per="op", op="np.cov(x)")


def interp_f64():
    x = np.random.default_rng(4).uniform(-0.1, 1.1, 1_000_000)
    xp = np.linspace(0, 1, 1000)
    fp = np.sin(xp * 6)

    def check(r, i):
        v = r[(i * 7919) % 1_000_000]
        if not -1 <= v <= 1:
            raise AssertionError("interp")
    return result("interp-f64-1e6", measure(lambda i: np.interp(x, xp, fp), check), n=1_000_000, xp=1000,
                  dtype="float64", per="op", op="np.interp(x, xp, fp)")


NUMERIC_CASES = {
    "convolve-f64-1e5x100": convolve_f64,
    "correlate-f32-1e5x100": correlate_f32,
    "cov-f64-100x100000": cov_f64,
    "interp-f64-1e6": interp_f64,
}


def _random_case(name, op, lo, hi, twin):
    def case():
        g = np.random.default_rng(12345)
        assert np.asarray(op(np.random.default_rng(1))).size > 0

        def check(y, i):
            k = (i * 7_919_993) % y.size
            if not (lo <= y[k] < hi):
                raise AssertionError(f"{name}: element {k} = {y[k]} outside [{lo}, {hi})")

        m = measure(lambda i: op(g), check)
        return result(name, m, n=N, per="op", twin=twin)
    return case


RANDOM_CASES = {
    "random-random": _random_case("random-random", lambda g: g.random(N), 0, 1, "rng.random(N)"),
    "random-integers-int64": _random_case("random-integers-int64", lambda g: g.integers(0, 1000, N), 0, 1000, "rng.integers(0, 1000, N)"),
    "random-integers-int32": _random_case("random-integers-int32", lambda g: g.integers(0, 1000, N, dtype=np.int32), 0, 1000, "rng.integers(0, 1000, N, dtype=np.int32)"),
    "random-standard-normal": _random_case("random-standard-normal", lambda g: g.standard_normal(N), -np.inf, np.inf, "rng.standard_normal(N)"),
    "random-normal": _random_case("random-normal", lambda g: g.normal(2, 3, N), -np.inf, np.inf, "rng.normal(2, 3, N)"),
    "random-standard-normal-f32": _random_case("random-standard-normal-f32", lambda g: g.standard_normal(N, dtype=np.float32), -np.inf, np.inf, "rng.standard_normal(N, dtype=np.float32)"),
    "random-exponential": _random_case("random-exponential", lambda g: g.exponential(2, N), 0, np.inf, "rng.exponential(2, N)"),
    "random-choice-1M-of-10M": _random_case("random-choice-1M-of-10M", lambda g: g.choice(N, 1_000_000, replace=False), 0, N, "rng.choice(N, 1_000_000, replace=False)"),
    "random-permutation": _random_case("random-permutation", lambda g: g.permutation(N), 0, N, "rng.permutation(N)"),
}


def _complex_input(seed, n=1_000_000, dtype=np.complex128):
    g = np.random.default_rng(seed)
    return (g.uniform(-3, 3, n) + 1j * np.random.default_rng(seed + 100).uniform(-3, 3, n)).astype(dtype)


def _complex_case(name, fn, twin, binary, dtype=np.complex128):
    def case():
        x = _complex_input(1 if binary else 3, dtype=dtype)
        y = _complex_input(2, dtype=dtype)

        def check(r, i):
            k = (i * 7919) % x.size
            if not np.isfinite(r[k]):
                raise AssertionError(f"{name}: element {k}")

        m = measure((lambda i: fn(x, y)) if binary else (lambda i: fn(x)), check)
        return result(name, m, n=x.size, dtype=np.dtype(dtype).name, per="op", twin=twin)
    return case


# (name, fn, twin, binary, dtype): the rows of bench/cases/complex.ts, 1M elements.
_COMPLEX_ROWS = [
    ("complex-multiply-c128", np.multiply, "np.multiply(x, y)", True, np.complex128),
    ("complex-multiply-c64", np.multiply, "np.multiply(x, y)", True, np.complex64),
    ("complex-add-c128", np.add, "np.add(x, y)", True, np.complex128),
    ("complex-divide-c128", np.divide, "np.divide(x, y)", True, np.complex128),
    ("complex-square-c128", lambda x, *_: np.square(x), "np.square(x)", False, np.complex128),
    ("complex-abs-c128", lambda x, *_: np.abs(x), "np.abs(x)", False, np.complex128),
    ("complex-exp-c128", lambda x, *_: np.exp(x), "np.exp(x)", False, np.complex128),
    ("complex-log-c128", lambda x, *_: np.log(x), "np.log(x)", False, np.complex128),
    ("complex-sqrt-c128", lambda x, *_: np.sqrt(x), "np.sqrt(x)", False, np.complex128),
    ("complex-arcsin-c128", lambda x, *_: np.arcsin(x), "np.arcsin(x)", False, np.complex128),
    ("complex-power-c128", np.power, "np.power(x, y)", True, np.complex128),
]

COMPLEX_CASES = {row[0]: _complex_case(*row) for row in _COMPLEX_ROWS}


def _bits():
    return np.random.default_rng(16).random(N) < 0.5


def packbits_bool():
    b = _bits()

    def check(p, i):
        k = (i * 7919) % (N >> 3)
        if p[k] != np.packbits(b[8 * k:8 * k + 8])[0]:
            raise AssertionError(f"packbits: byte {k} is wrong")

    m = measure(lambda i: np.packbits(b), check)
    return result("packbits-bool", m, n=N, per="op", twin="np.packbits(b)")


def unpackbits_u8():
    p = np.packbits(_bits())

    def check(u, i):
        k = (i * 7919) % N
        if u[k] != (p[k >> 3] >> (7 - (k & 7))) & 1:
            raise AssertionError(f"unpackbits: element {k} is wrong")

    m = measure(lambda i: np.unpackbits(p), check)
    return result("unpackbits-u8", m, n=N, per="op", twin="np.unpackbits(p)")


def loadtxt_csv_10mb():
    import os
    import tempfile
    rows, cols = 262_144, 5
    lines = []
    for r in range(rows):
        lines.append(",".join("%.3f" % (((r * 7919 + c * 104729) % 100000) / 8) for c in range(cols)))
    text = "\n".join(lines) + "\n"
    path = os.path.join(tempfile.gettempdir(), f"ndshare-bench-np-{os.getpid()}.csv")
    with open(path, "w") as f:
        f.write(text)
    try:
        def check(x, i):
            r = (i * 7919) % rows
            c = i % cols
            if x[r, c] != ((r * 7919 + c * 104729) % 100000) / 8:
                raise AssertionError(f"loadtxt: element {r}, {c} is wrong")

        m = measure(lambda i: np.loadtxt(path, delimiter=","), check)
    finally:
        os.remove(path)
    return result("loadtxt-csv-10mb", m, rows=rows, cols=cols, bytes=len(text), per="op", twin="np.loadtxt(path, delimiter=',')")
