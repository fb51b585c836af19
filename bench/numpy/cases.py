"""NumPy twins of the ndshare benchmark cases (bench/cases/*.ts).

    python3 bench/numpy/cases.py <case> [--quick]   # one JSON line on stdout
    python3 bench/numpy/cases.py --list             # JSON array of case names
    python3 bench/numpy/cases.py --version          # {"numpy": ..., "python": ...}

Same sample logic as bench/harness.ts: warm-up (>= 3 ops), a batch calibrated
so one sample lasts >= 50 us, samples until (min_samples and min_time) or
max_time, times per unit of work, median / p10 / p90 with linear
interpolation. Every op's result goes through `check` inside the timed loop.
Times come from time.perf_counter_ns.
"""
import io
import json
import sys

import numpy as np

from sampling import MATH_DTYPES, N, SIDE, _uniform, measure, result
from cases_surface import COMPLEX_CASES, FFT_CASES, LINALG_CASES, NUMERIC_CASES, RANDOM_CASES, SORT_CASES, ZLINALG_CASES, _idx_add_at, _idx_mask, _idx_nonzero, _idx_pad, _idx_roll, _idx_take, loadtxt_csv_10mb, packbits_bool, unpackbits_u8

def astype_f64_f32():
    a = np.random.default_rng(1).random(N)  # float64 in [0, 1)

    def check(y, i):
        k = (i * 7_919_993) % N
        if y[k] != np.float32(a[k]):
            raise AssertionError(f"astype float32: element {k} is wrong")

    m = measure(lambda i: a.astype(np.float32), check)
    y = a.astype(np.float32)
    assert y.dtype == np.float32 and y.size == N
    return result("astype-f64-f32", m, n=N, per="op", twin="a.astype(np.float32)")


def astype_f16_f32():
    h = np.random.default_rng(1).random(N).astype(np.float16)
    ref = h.astype(np.float64)

    def check(y, i):
        k = (i * 7_919_993) % N
        if y[k] != ref[k]:
            raise AssertionError(f"astype float32: element {k} is wrong")

    m = measure(lambda i: h.astype(np.float32), check)
    return result("astype-f16-f32", m, n=N, per="op", twin="h.astype(np.float32)")


def get_loop():
    R, C = 1000, 1000
    a = np.random.default_rng(1).random((R, C))
    # Sequential sums in the same order as the loop below (so equal exactly).
    row_sums = []
    for i in range(R):
        s = 0.0
        for v in a[i].tolist():
            s += v
        row_sums.append(s)
    cols = range(C)

    def op(k):
        i = k % R
        s = 0.0
        for j in cols:
            s += a[i, j]
        return s

    def check(s, k):
        if s != row_sums[k % R]:
            raise AssertionError(f"row {k % R}: sum {s} != {row_sums[k % R]}")

    m = measure(op, check, items_per_op=C)
    return result("get-loop", m, shape=[R, C], per="element", twin="a[i, j] in a Python loop")


HEADER_SHAPE = (64, 128, 256)
HEADER_NOTE = "np.lib.format .npy v1.0 header (closest equivalent; text, not FlatBuffers)"


def _header_setup():
    fmt = np.lib.format
    a = np.random.default_rng(1).random(HEADER_SHAPE)
    f = io.BytesIO()
    fmt.write_array_header_1_0(f, fmt.header_data_from_array_1_0(a))
    return fmt, a, f.getvalue()


def header_encode():
    fmt, a, ref = _header_setup()

    def op(i):
        f = io.BytesIO()
        fmt.write_array_header_1_0(f, fmt.header_data_from_array_1_0(a))
        return f.getvalue()

    def check(b, i):
        if len(b) != len(ref) or b[40] != ref[40]:
            raise AssertionError("header bytes differ")

    m = measure(op, check)
    return result("header-encode", m, shape=list(HEADER_SHAPE), bytes=len(ref), per="op", note=HEADER_NOTE,
                  twin="write_array_header_1_0(BytesIO, header_data_from_array_1_0(a))")


def header_decode():
    fmt, a, ref = _header_setup()

    def op(i):
        f = io.BytesIO(ref)
        fmt.read_magic(f)
        return fmt.read_array_header_1_0(f)

    def check(h, i):
        if h[0][2] != 256 or h[1] or h[2] != np.float64:
            raise AssertionError("wrong header")

    m = measure(op, check)
    return result("header-decode", m, shape=list(HEADER_SHAPE), bytes=len(ref), per="op", note=HEADER_NOTE,
                  twin="read_magic + read_array_header_1_0(BytesIO)")


# ---- compute kernels (twins of bench/cases/math.ts) ----------------------
# Same input ranges as the ndshare cases (values differ: another generator).
# Every op allocates its result, as the ndshare call does.

def _elementwise_case(name, dt, low, high, fn, twin, binary=False):
    def case():
        x = _uniform(dt, low, high, 1)
        y = _uniform(dt, 0, 1, 2) if binary else None

        def check(r, i):
            k = (i * 7_919_993) % N
            if r.dtype != dt or not np.isfinite(r[k]):
                raise AssertionError(f"{name}: element {k}")

        m = measure((lambda i: fn(x, y)) if binary else (lambda i: fn(x)), check)
        return result(name, m, n=N, dtype=np.dtype(dt).name, per="op", twin=twin)
    return case


def _reduce_case(name, dt, fn, twin):
    def case():
        x = _uniform(dt, 0, 1, 3)

        def check(r, i):
            if not np.isfinite(r):
                raise AssertionError(f"{name}: {r}")

        m = measure(lambda i: fn(x), check)
        return result(name, m, n=N, dtype=np.dtype(dt).name, per="op", twin=twin)
    return case


def _axis_case(name, dt, axis):
    def case():
        x = _uniform(dt, 0, 1, 4, (SIDE, SIDE))

        def check(r, i):
            if r.shape != (SIDE,):
                raise AssertionError(name)

        m = measure(lambda i: x.sum(axis=axis), check)
        return result(name, m, shape=[SIDE, SIDE], axis=axis, dtype=np.dtype(dt).name, per="op",
                      twin=f"x.sum(axis={axis})")
    return case


def _matmul_case(name, dt, n):
    def case():
        a = _uniform(dt, -1, 1, 5, (n, n))
        b = _uniform(dt, -1, 1, 6, (n, n))

        def check(r, i):
            if r.shape != (n, n):
                raise AssertionError(name)

        m = measure(lambda i: a @ b, check)
        return result(name, m, n=n, dtype=np.dtype(dt).name, per="op", twin="a @ b (OpenBLAS, default threads)",
                      gflops=2 * n ** 3 / m["median"])
    return case


MATH_CASES = {}
for _s, _dt in MATH_DTYPES.items():
    MATH_CASES[f"math-add-{_s}"] = _elementwise_case(f"math-add-{_s}", _dt, 0, 1, np.add, "np.add(x, y)", binary=True)
    for _name, _lo, _hi, _fn, _twin in [
        ("mul-scalar", 0, 1, lambda x: x * 2.5, "x * 2.5"),
        ("exp", -3, 3, np.exp, "np.exp(x)"),
        ("log", 0.01, 3, np.log, "np.log(x)"),
        ("sqrt", 0.01, 3, np.sqrt, "np.sqrt(x)"),
        ("sin", -3, 3, np.sin, "np.sin(x)"),
        ("tanh", -3, 3, np.tanh, "np.tanh(x)"),
    ]:
        MATH_CASES[f"math-{_name}-{_s}"] = _elementwise_case(f"math-{_name}-{_s}", _dt, _lo, _hi, _fn, _twin)
    for _name, _fn in [("sum", np.sum), ("max", np.max), ("mean", np.mean), ("std", np.std), ("argmax", np.argmax)]:
        MATH_CASES[f"math-{_name}-{_s}"] = _reduce_case(f"math-{_name}-{_s}", _dt, _fn, f"np.{_name}(x)")
    for _axis in (0, 1):
        MATH_CASES[f"math-sum-axis{_axis}-{_s}"] = _axis_case(f"math-sum-axis{_axis}-{_s}", _dt, _axis)
    for _n in (256, 512, 1024):
        MATH_CASES[f"math-matmul-{_n}-{_s}"] = _matmul_case(f"math-matmul-{_n}-{_s}", _dt, _n)


KMEANS = dict(n=100_000, dims=8, k=16, iters=10)
HEAT = dict(n=500, steps=20)


def _example_kmeans():
    import example_cases

    X = example_cases.blobs(KMEANS["n"], KMEANS["dims"], KMEANS["k"], 1)

    def check(r, i):
        if r[0].shape != (KMEANS["k"], KMEANS["dims"]):
            raise AssertionError("kmeans")

    m = measure(lambda i: example_cases.kmeans(X, KMEANS["k"], KMEANS["iters"], 0), check)
    return result("example-kmeans", m, per="op", twin="kmeans(X, k, iters) (examples/kmeans.ts)", **KMEANS)


def _example_heat():
    import example_cases

    def check(r, i):
        if r.shape != (HEAT["n"], HEAT["n"]):
            raise AssertionError("heat")

    m = measure(lambda i: example_cases.heat(HEAT["n"], HEAT["steps"]), check)
    return result("example-heat", m, per="op", twin="heat(n, steps) (examples/heat.ts)", **HEAT)


def _alloc_cases():
    """Twins of bench/cases/alloc.ts: loops whose results change size from one op to the next."""
    sizes = [10_000_000, 7_000_000, 4_000_000, 9_000_000, 2_500_000]

    def mixed_loop():
        x = np.random.default_rng(1).random(N)

        def op(i):
            a = x.astype(np.float32)
            b = x[:7_000_000] + 1
            c = (x[:3_000_000] * 1000).astype(np.int32)
            d = np.sqrt(x[:4_500_000])
            return a, b, c, d, float(np.sum(d))

        def check(r, i):
            a, b, c, d, s = r
            k = (i * 7_919) % 2_500_000
            if a[k] != np.float32(x[k]) or b[k] != x[k] + 1 or c[k] != int(x[k] * 1000) or d[k] != np.sqrt(x[k]) or not s > 0:
                raise AssertionError(f"mixed loop: element {k} is wrong")

        m = measure(op, check)
        return result("alloc-mixed-loop", m, n=N, per="round of 5 calls (164 MB of results)",
                      twin="x.astype(f32); x[:7M] + 1; (x[:3M] * 1000).astype(i32); np.sqrt(x[:4.5M]); np.sum")

    def astype_sizes():
        x = np.random.default_rng(2).random(N)

        def length(i):
            return 2_500_000 + (i * 1_234_567) % 7_500_000

        def check(y, i):
            n = length(i)
            k = (i * 7_919) % n
            if y.size != n or y[k] != np.float32(x[k]):
                raise AssertionError(f"astype: element {k} of {n}")

        m = measure(lambda i: x[: length(i)].astype(np.float32), check)
        return result("alloc-astype-sizes", m, sizes="2.5M + (i * 1234567) % 7.5M", per="op (one cast; a new size each op)",
                      twin="x[:n].astype(np.float32)")

    def zeros_fill():
        def op(i):
            z = np.zeros(sizes[i % len(sizes)])
            z.fill(1)
            return z

        def check(z, i):
            n = sizes[i % len(sizes)]
            k = (i * 7_919) % n
            if z.size != n or z[k] != 1:
                raise AssertionError(f"zeros+fill: element {k} of {n}")

        m = measure(op, check)
        return result("alloc-zeros-fill", m, sizes=sizes, per="op (zeros then fill; sizes cycle)", twin="np.zeros(n); z.fill(1)")

    return {"alloc-mixed-loop": mixed_loop, "alloc-astype-sizes": astype_sizes, "alloc-zeros-fill": zeros_fill}


ALLOC_CASES = _alloc_cases()


# Elementwise ops on 2-D strided views (issue 16): twins of bench/cases/strided.ts.
STRIDED_SIDE = 3162


def _strided_case(name, op, ref, twin):
    def case():
        u = np.random.default_rng(7).uniform(0, 1, (STRIDED_SIDE, STRIDED_SIDE))
        inner = STRIDED_SIDE - 2

        def check(r, i):
            p = (i * 7919) % (inner * inner)
            a, b = divmod(p, inner)
            want = ref(u, a + 1, b + 1)
            if abs(r[a, b] - want) > 1e-13 * max(1.0, abs(want)):
                raise AssertionError(f"{name}: element ({a}, {b})")
        m = measure(lambda i: op(u), check)
        return result(name, m, n=inner * inner, side=STRIDED_SIDE, dtype="float64", per="op", twin=twin)
    return case


STRIDED_CASES = {
    "strided-add-2d": _strided_case("strided-add-2d", lambda u: u[1:-1, 1:-1] + u[2:, 1:-1],
                                    lambda u, i, j: u[i, j] + u[i + 1, j], "u[1:-1, 1:-1] + u[2:, 1:-1]"),
    "strided-sqrt-2d": _strided_case("strided-sqrt-2d", lambda u: np.sqrt(u[1:-1, 1:-1]),
                                     lambda u, i, j: np.sqrt(u[i, j]), "np.sqrt(u[1:-1, 1:-1])"),
    "strided-axpy-2d": _strided_case("strided-axpy-2d", lambda u: u[1:-1, 1:-1] + 0.1 * u[1:-1, :-2],
                                     lambda u, i, j: u[i, j] + 0.1 * u[i, j - 1], "u[1:-1, 1:-1] + 0.1 * u[1:-1, :-2]"),
}


CASES = {
    "packbits-bool": packbits_bool,
    "unpackbits-u8": unpackbits_u8,
    "loadtxt-csv-10mb": loadtxt_csv_10mb,
    "example-kmeans": _example_kmeans,
    "example-heat": _example_heat,
    "idx-take": _idx_take,
    "idx-mask": _idx_mask,
    "idx-add-at": _idx_add_at,
    "idx-nonzero": _idx_nonzero,
    "idx-pad": _idx_pad,
    "idx-roll": _idx_roll,
    "astype-f64-f32": astype_f64_f32,
    "astype-f16-f32": astype_f16_f32,
    "get-loop": get_loop,
    "header-encode": header_encode,
    "header-decode": header_decode,
    **MATH_CASES,
    **SORT_CASES,
    **LINALG_CASES,
    **ZLINALG_CASES,
    **FFT_CASES,
    **RANDOM_CASES,
    **NUMERIC_CASES,
    **COMPLEX_CASES,
    **ALLOC_CASES,
    **STRIDED_CASES,
}


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if "--list" in sys.argv:
        print(json.dumps(list(CASES)))
        return 0
    if "--version" in sys.argv:
        print(json.dumps({"numpy": np.__version__, "python": sys.version.split()[0]}))
        return 0
    if not args or args[0] not in CASES:
        print(f"unknown case {args[0] if args else None!r}; known: {', '.join(CASES)}", file=sys.stderr)
        return 2
    print(json.dumps(CASES[args[0]]()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
