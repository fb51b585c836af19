"""The sampling and the inputs every NumPy twin shares (bench/numpy/cases.py).

Same sample logic as bench/harness.ts (see cases.py).
"""

import io
import json
import sys
import time

import numpy as np

MIN_SAMPLE_NS = 50_000
BUDGET = {
    "default": dict(min_samples=20, min_time_ms=2000, max_time_ms=6000, warmup_ms=300),
    "quick": dict(min_samples=5, min_time_ms=300, max_time_ms=1500, warmup_ms=100),
}
QUICK = "--quick" in sys.argv


def quantile(sorted_values, q):
    n = len(sorted_values)
    pos = (n - 1) * q
    lo = int(pos)
    hi = min(lo + 1, n - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (pos - lo)


def measure(op, check, items_per_op=1, batch=None):
    """Times op(i); check(result, i) runs on every result inside the timed loop."""
    b = BUDGET["quick" if QUICK else "default"]
    min_samples = b["min_samples"]
    min_time = b["min_time_ms"] * 1_000_000
    max_time = b["max_time_ms"] * 1_000_000
    warmup = b["warmup_ms"] * 1_000_000
    now = time.perf_counter_ns
    state = {"i": 0}

    def run(n):
        i = state["i"]
        t0 = now()
        for k in range(i, i + n):
            check(op(k), k)
        t = now() - t0
        state["i"] = i + n
        return t

    start = now()
    ops = 0
    while ops < 3 or now() - start < warmup:
        run(1)
        ops += 1

    if not batch:
        batch = 1
        while batch < 1 << 30:
            t = run(batch)
            if MIN_SAMPLE_NS <= t < 20 * MIN_SAMPLE_NS:
                # Maybe one outlier made it long enough: time it again, keep the shorter (as harness.ts).
                t = min(t, run(batch))
            if t >= MIN_SAMPLE_NS:
                break
            scale = -(-int(MIN_SAMPLE_NS * 1.2) // t) if t > 0 else 16
            batch *= min(max(scale, 2), 16)

    times = []
    start = now()
    while True:
        t = run(batch)
        times.append(t / (batch * items_per_op))
        elapsed = now() - start
        if (len(times) >= min_samples and elapsed >= min_time) or elapsed >= max_time:
            break
    times.sort()
    return {
        "median": quantile(times, 0.5),
        "p10": quantile(times, 0.1),
        "p90": quantile(times, 0.9),
        "samples": len(times),
        "opsPerSample": batch,
        "itemsPerOp": items_per_op,
    }


def result(case, m, **meta):
    return {
        "case": case,
        "impl": "numpy",
        "median_ns": round(m["median"], 3),
        "p10_ns": round(m["p10"], 3),
        "p90_ns": round(m["p90"], 3),
        "samples": m["samples"],
        "meta": {"opsPerSample": m["opsPerSample"], "itemsPerOp": m["itemsPerOp"], "quick": QUICK,
                 "numpy": np.__version__, **meta},
    }



N = 10_000_000

SIDE = 3162
MATH_DTYPES = {"f64": np.float64, "f32": np.float32}


def _uniform(dt, low, high, seed, shape=(N,)):
    return np.random.default_rng(seed).uniform(low, high, shape).astype(dt)
