"""Inputs and scoring for bench/accuracy.ts (the accuracy table of docs/math.md).

    python3 bench/numpy/accuracy.py gen DIR [N [F,G]]   (only functions F, G) writes DIR/<fn>-<dtype>.x.npy (inputs; binary
                                                  functions get shape (2, N)) and DIR/<fn>-<dtype>.numpy.npy
    python3 bench/numpy/accuracy.py score DIR     reads DIR/<fn>-<dtype>.ours.npy too and prints one JSON
                                                  line per case: max and mean ULP error of NumPy and of ours

The reference is mpmath at 60 significant digits; the error of a result y is |y - exact| in units
of the ulp of the exact value rounded to the dtype (so a correctly rounded result scores <= 0.5).
Points where the exact value overflows the dtype, or where the result is not finite on either
side, are left out of the ULP figures (NaN/Inf agreement is the differential tests' business).
The sweep per function mixes log-uniform magnitudes over its domain with its hard regions:
tiny arguments, arguments near the zeros and poles of the function, near 1 for the logarithms,
near the overflow thresholds, and large arguments for the trigonometric functions.
"""
import json
import sys
from pathlib import Path

import mpmath
import numpy as np

mpmath.mp.dps = 60
RNG = np.random.default_rng(20261206)


# The normal range of the dtype being generated (set by gen): magnitudes are kept inside it.
RANGE = [1e-300, 1e300]


def logu(lo, hi, n, signed=False):
    """n values with log-uniform magnitude in [lo, hi] (within RANGE), random sign if signed."""
    lo, hi = max(lo, RANGE[0]), min(hi, RANGE[1])
    v = np.exp(RNG.uniform(np.log(lo), np.log(hi), n))
    if signed:
        v *= RNG.choice([-1.0, 1.0], n)
    return v


def near(points, n, rel=1e-6):
    """n values just around the given points (relative spread rel, and within a few ulps)."""
    p = RNG.choice(np.asarray(points, dtype=np.float64), n)
    spread = np.where(RNG.random(n) < 0.5, rel, 1e-15)
    return p * (1 + RNG.uniform(-1, 1, n) * spread) + RNG.uniform(-1, 1, n) * 1e-300


def uni(lo, hi, n):
    return RNG.uniform(lo, hi, n)


PI = np.pi
# Each entry: (mpmath function, input generator(n, dtype) -> float64 array(s)).
UNARY = {
    'exp': (mpmath.exp, lambda n, big: np.concatenate([uni(-big, big, n // 2), logu(1e-30, 1, n // 2, True)])),
    'exp2': (lambda x: mpmath.power(2, x), lambda n, big: np.concatenate([uni(-big * 1.44, big * 1.44, n // 2), logu(1e-30, 1, n // 2, True)])),
    'expm1': (mpmath.expm1, lambda n, big: np.concatenate([logu(1e-30, 1, n // 2, True), uni(-big, big, n // 2)])),
    'log': (mpmath.log, lambda n, big: np.concatenate([logu(1e-300, 1e300, n // 2), near([1.0], n // 2)])),
    'log2': (lambda x: mpmath.log(x, 2), lambda n, big: np.concatenate([logu(1e-300, 1e300, n // 2), near([1.0, 2.0, 0.5], n // 2)])),
    'log10': (mpmath.log10, lambda n, big: np.concatenate([logu(1e-300, 1e300, n // 2), near([1.0, 10.0], n // 2)])),
    'log1p': (mpmath.log1p, lambda n, big: np.concatenate([logu(1e-30, 1e30, n // 2), -logu(1e-30, 0.999999, n // 2)])),
    'sqrt': (mpmath.sqrt, lambda n, big: logu(1e-300, 1e300, n)),
    'cbrt': (mpmath.cbrt, lambda n, big: logu(1e-300, 1e300, n, True)),
    'sin': (mpmath.sin, lambda n, big: np.concatenate([uni(-10, 10, n // 4), logu(1e-30, 1e5, n // 4, True), near([PI * k for k in range(1, 50)], n // 4), logu(1e5, 1e22, n // 4, True)])),
    'cos': (mpmath.cos, lambda n, big: np.concatenate([uni(-10, 10, n // 4), logu(1e-30, 1e5, n // 4, True), near([PI * (k + 0.5) for k in range(0, 50)], n // 4), logu(1e5, 1e22, n // 4, True)])),
    'tan': (mpmath.tan, lambda n, big: np.concatenate([uni(-10, 10, n // 4), logu(1e-30, 1e5, n // 4, True), near([PI * (k + 0.5) for k in range(0, 50)] + [PI * k for k in range(1, 50)], n // 4), logu(1e5, 1e22, n // 4, True)])),
    'arcsin': (mpmath.asin, lambda n, big: np.concatenate([uni(-1, 1, n // 2), logu(1e-30, 1, n // 4, True), near([1.0, -1.0, 0.5], n // 4, 1e-3)]).clip(-1, 1)),
    'arccos': (mpmath.acos, lambda n, big: np.concatenate([uni(-1, 1, n // 2), logu(1e-30, 1, n // 4, True), near([1.0, -1.0, 0.5], n // 4, 1e-3)]).clip(-1, 1)),
    'arctan': (mpmath.atan, lambda n, big: logu(1e-300, 1e300, n, True)),
    'sinh': (mpmath.sinh, lambda n, big: np.concatenate([uni(-big, big, n // 2), logu(1e-30, 1, n // 2, True)])),
    'cosh': (mpmath.cosh, lambda n, big: np.concatenate([uni(-big, big, n // 2), logu(1e-30, 1, n // 2, True)])),
    'tanh': (mpmath.tanh, lambda n, big: np.concatenate([uni(-25, 25, n // 2), logu(1e-30, 1, n // 2, True)])),
    'arcsinh': (mpmath.asinh, lambda n, big: np.concatenate([logu(1e-300, 1e300, n // 2, True), logu(1e-8, 10, n // 2, True)])),
    'arccosh': (mpmath.acosh, lambda n, big: np.concatenate([logu(1, 1e300, n // 2), 1 + logu(1e-15, 1, n // 2)])),
    'arctanh': (mpmath.atanh, lambda n, big: np.concatenate([uni(-1, 1, n // 2), logu(1e-30, 1, n // 4, True), near([1.0, -1.0], n // 4, 1e-6)]).clip(-1 + 1e-16, 1 - 1e-16)),
}

BINARY = {
    'arctan2': (mpmath.atan2, lambda n, big: (logu(1e-300, 1e300, n, True), logu(1e-300, 1e300, n, True))),
    'hypot': (mpmath.hypot, lambda n, big: (logu(1e-300, 1e300, n, True), logu(1e-300, 1e300, n, True))),
    'power': (mpmath.power, lambda n, big: (logu(1e-3, 1e3, n), uni(-big / 7, big / 7, n))),
    'logaddexp': (lambda a, b: mpmath.log(mpmath.exp(a) + mpmath.exp(b)), lambda n, big: (uni(-big, big, n), uni(-big, big, n))),
    'logaddexp2': (lambda a, b: mpmath.log(mpmath.power(2, a) + mpmath.power(2, b), 2), lambda n, big: (uni(-big, big, n), uni(-big, big, n))),
}

DTYPES = {'float64': (np.float64, 700.0), 'float32': (np.float32, 88.0)}


def cases(only=()):
    for name in list(UNARY) + list(BINARY):
        if only and name not in only:
            continue
        for dt in DTYPES:
            yield name, dt


def gen(out, n, only=()):
    out.mkdir(parents=True, exist_ok=True)
    for name, dt in cases(only):
        npdt, big = DTYPES[dt]
        RANGE[:] = [1e-300, 1e300] if dt == 'float64' else [1e-37, 1e37]
        if name in UNARY:
            x = UNARY[name][1](n, big).astype(npdt)
            y = getattr(np, name)(x)
        else:
            a, b = BINARY[name][1](n, big)
            x = np.stack([a, b]).astype(npdt)
            y = getattr(np, name)(x[0], x[1])
        np.save(out / f'{name}-{dt}.x.npy', x)
        np.save(out / f'{name}-{dt}.numpy.npy', y)


def ulp_errors(fn, x, ys, npdt, binary):
    finfo = np.finfo(npdt)
    errs = [[] for _ in ys]
    for i in range(x.shape[-1]):
        xs = [float(x[0, i]), float(x[1, i])] if binary else [float(x[i])]
        if 0.0 in xs:
            continue  # mpmath has no signed zero; zeros are the differential tests' business
        args = [mpmath.mpf(v) for v in xs]
        try:
            exact = fn(*args)
        except (ValueError, ZeroDivisionError):
            continue
        if isinstance(exact, mpmath.mpc) or not mpmath.isfinite(exact):
            continue
        rounded = npdt(float(exact)) if abs(exact) < float(finfo.max) else None
        if rounded is None or not np.isfinite(rounded):
            continue
        # ulp of the rounded exact value (the spacing above it; subnormal spacing at the bottom).
        ulp = float(np.spacing(np.abs(rounded)))
        if ulp == 0.0:
            continue
        for k, y in enumerate(ys):
            v = y[i]
            if not np.isfinite(v):
                continue
            errs[k].append(float(abs(mpmath.mpf(float(v)) - exact) / ulp))
    return [(max(e) if e else float('nan'), float(np.mean(e)) if e else float('nan'), len(e)) for e in errs]


def score(out):
    for name, dt in cases():
        npdt, _ = DTYPES[dt]
        if not (out / f'{name}-{dt}.x.npy').exists():
            continue
        x = np.load(out / f'{name}-{dt}.x.npy')
        theirs = np.load(out / f'{name}-{dt}.numpy.npy')
        ours_path = out / f'{name}-{dt}.ours.npy'
        if not ours_path.exists():
            continue
        ours = np.load(ours_path)
        fn = UNARY[name][0] if name in UNARY else BINARY[name][0]
        (nmax, nmean, count), (omax, omean, _) = ulp_errors(fn, x, [theirs, ours], npdt, name in BINARY)
        print(json.dumps({'fn': name, 'dtype': dt, 'points': count, 'numpy_max': nmax, 'numpy_mean': nmean,
                          'ours_max': omax, 'ours_mean': omean}), flush=True)


if __name__ == '__main__':
    cmd, folder = sys.argv[1], Path(sys.argv[2])
    if cmd == 'gen':
        only = tuple(f for f in sys.argv[4].split(',') if f) if len(sys.argv) > 4 else ()
        gen(folder, int(sys.argv[3]) if len(sys.argv) > 3 else 4000, only)
    elif cmd == 'score':
        score(folder)
    else:
        sys.exit(f'unknown command {cmd}')
