"""The Python peers of the `pool-map` benchmark (bench/cases/pool-map.ts).

    python3 bench/numpy/pool_map.py serve <n>     # started by the case, talks JSON lines on stdin/stdout
    python3 bench/numpy/pool_map.py --version     # {"numpy": ..., "python": ...}

The case process starts this server once and sends it one command per timed
op, interleaved with its own implementations, so every row of the case is
measured in the same run under the same machine conditions. The case times
the round trip of a command (a JSON line each way: well under 0.1 ms of an op
of hundreds of ms).

Setup (untimed): two `multiprocessing.shared_memory.SharedMemory` segments of
n float64 each, x and out, with numpy arrays over them; then a
`multiprocessing` pool of 2 worker processes, forked after the segments are
mapped, so the workers address the same pages (no copy, no pickling of data:
a task is just its (start, stop) range). The server prints
`{"ready": true, "x": name, "out": name}`; the case writes x into
/dev/shm/<x name> (the same values as its own x), then sends commands.

Commands (`{"cmd": "run", "impl": ..., "k": [indices]}`, reply
`{"v": [out[k] for k in indices], "ns": server-side time}`):

- `py-multiprocessing`: the same per-element work as the JS implementations,
  in Python: each worker computes
  `[sin(v) * cos(v * 0.5) + sqrt(abs(v)) * exp(-v * 1e-7) for v in x[a:b].tolist()]`
  (math module, one Python float at a time) and stores it into out[a:b]; the
  pool gets the two halves with `pool.map(..., chunksize=1)`.
- `py-mp-numpy`: the same pool and halves, each worker evaluating the
  expression with vectorized numpy ufuncs over its half
  (`np.sin(v) * np.cos(v * 0.5) + np.sqrt(np.abs(v)) * np.exp(-v * 1e-7)`):
  the same mathematical result, a different computational style (whole-array
  passes with temporaries and numpy's SIMD transcendental functions, no
  per-element function call).
- `numpy-1proc`: the vectorized expression over the whole array in this
  process (one core), for reference.

`{"cmd": "exit"}` (or EOF on stdin) closes the pool and unlinks the segments.
No orphans: the server and its workers ask the kernel for SIGKILL when their
parent dies (prctl PR_SET_PDEATHSIG); multiprocessing's resource tracker
unlinks the segments if the server is killed.
"""

import ctypes
import json
import math
import multiprocessing as mp
import signal
import sys
import time
from multiprocessing import shared_memory

import numpy as np

PR_SET_PDEATHSIG = 1

# Set in the server before the pool forks; the workers inherit the mappings.
_X = None
_O = None


def die_with_parent():
    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except Exception:  # not Linux, or no prctl: the EOF on stdin still ends the server
        pass


def _worker_init():
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def per_element(ab):
    """out[a:b] = f(x[a:b]) one Python float at a time (the JS cases' work, in Python)."""
    a, b = ab
    sin, cos, sqrt, exp = math.sin, math.cos, math.sqrt, math.exp
    _O[a:b] = [sin(v) * cos(v * 0.5) + sqrt(abs(v)) * exp(-v * 1e-7) for v in _X[a:b].tolist()]
    return b - a


def vectorized(ab):
    """out[a:b] = f(x[a:b]) with numpy ufuncs over the whole range."""
    a, b = ab
    v = _X[a:b]
    _O[a:b] = np.sin(v) * np.cos(v * 0.5) + np.sqrt(np.abs(v)) * np.exp(-v * 1e-7)
    return b - a


def send(obj):
    sys.stdout.write(json.dumps(obj) + "\n")
    sys.stdout.flush()


def serve(n):
    global _X, _O
    die_with_parent()
    nbytes = n * 8
    shm_x = shared_memory.SharedMemory(create=True, size=nbytes)
    shm_o = shared_memory.SharedMemory(create=True, size=nbytes)
    pool = None
    try:
        _X = np.ndarray((n,), dtype=np.float64, buffer=shm_x.buf)
        _O = np.ndarray((n,), dtype=np.float64, buffer=shm_o.buf)
        _X[:] = 0.0
        _O[:] = 0.0  # touch the pages once, as the JS outputs are touched by their warm-up
        pool = mp.get_context("fork").Pool(2, initializer=_worker_init)
        halves = [(0, n // 2), (n // 2, n)]
        # Both workers up and forked before the first timed op.
        pool.map(int, [0, 1], chunksize=1)
        send({"ready": True, "x": shm_x.name, "out": shm_o.name, "n": n,
              "numpy": np.__version__, "python": sys.version.split()[0]})
        for line in sys.stdin:
            cmd = json.loads(line)
            if cmd["cmd"] == "exit":
                break
            if cmd["cmd"] != "run":
                raise ValueError(f"unknown command {cmd['cmd']!r}")
            impl = cmd["impl"]
            t0 = time.perf_counter_ns()
            if impl == "py-multiprocessing":
                done = sum(pool.map(per_element, halves, chunksize=1))
            elif impl == "py-mp-numpy":
                done = sum(pool.map(vectorized, halves, chunksize=1))
            elif impl == "numpy-1proc":
                done = vectorized((0, n))
            else:
                raise ValueError(f"unknown impl {impl!r}")
            ns = time.perf_counter_ns() - t0
            if done != n:
                raise AssertionError(f"{impl}: {done} elements computed, expected {n}")
            send({"v": [float(_O[k]) for k in cmd["k"]], "ns": ns})
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        _X = _O = None
        for s in (shm_x, shm_o):
            s.close()
            s.unlink()
    send({"bye": True})


def main():
    if "--version" in sys.argv:
        print(json.dumps({"numpy": np.__version__, "python": sys.version.split()[0]}))
        return 0
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    if len(args) == 2 and args[0] == "serve":
        serve(int(args[1]))
        return 0
    print("usage: pool_map.py serve <n> | --version", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
