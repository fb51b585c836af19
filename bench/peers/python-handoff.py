"""Python side of bench/cases/python-handoff.ts: reading an array that Node put in a store, against
the ways a Python process gets an array today. Prints one JSON line per row.

argv: <store handle JSON> <name>:<bytes> ...  (one row set per object; the ndshare rows of all sizes are
sampled interleaved, so their ratio survives the machine's load)

- ndshare-python: ``with store.get(name) as a: a[0] + a[-1]`` (get: a pin and a numpy view over the
  store's memory; release at the end of the block). In process, through libndshare_store.so; no copy.
- ndshare-python-bridge: the same through the Node bridge's get/release (two pipe round trips): how
  every Python get worked before the store's rules were native, kept as the baseline of that change.
- pickle-pipe: ``pickle.dumps(a, protocol=5)`` written to a child python3's stdin, which unpickles
  it and answers a[0] + a[-1] (what multiprocessing / subprocess users do).
- npsave-bytesio: ``np.save`` into a BytesIO and ``np.load`` back, in process (no transport at all:
  the encode/decode floor of the .npy route).
- shared_memory-copy: ``multiprocessing.shared_memory``: create a block, copy the array in, attach it
  by name as a reader would, read both ends, close and unlink.

Every op checks its answer against a[0] + a[-1] of the source.
"""

import io
import json
import pickle
import subprocess
import sys
import time
from multiprocessing import resource_tracker, shared_memory

import numpy as np

import ndshare

CHILD = r"""
import pickle, struct, sys
import numpy as np
inp, out = sys.stdin.buffer, sys.stdout.buffer
while True:
    head = inp.read(8)
    if len(head) < 8: break
    (n,) = struct.unpack('<Q', head)
    buf = bytearray(n); view = memoryview(buf); got = 0
    while got < n: got += inp.readinto(view[got:])
    a = pickle.loads(buf)
    out.write(struct.pack('<d', float(a[0]) + float(a[-1]))); out.flush()
"""


def stats(times):
    times = sorted(times)
    q = lambda p: times[min(len(times) - 1, int(p * (len(times) - 1) + 0.5))]  # noqa: E731
    return {"median_ns": q(0.5), "p10_ns": q(0.1), "p90_ns": q(0.9), "samples": len(times)}


def sample(ops, min_samples, min_time):
    """Times every op of ``ops`` (name -> (op, want)) in turn, round after round."""
    times = {k: [] for k in ops}
    for op, _ in ops.values():
        op()  # warm up
    start = time.perf_counter()
    rounds = 0
    while rounds < min_samples or (time.perf_counter() - start < min_time and rounds < 2000):
        rounds += 1
        for k, (op, want) in ops.items():
            t0 = time.perf_counter_ns()
            got = op()
            times[k].append(time.perf_counter_ns() - t0)
            if got != want:
                raise SystemExit(f"{k}: wrong answer {got}, expected {want}")
    return {k: stats(v) for k, v in times.items()}


def main():
    handle = json.loads(sys.argv[1])
    objects = [(a.split(":")[0], int(a.split(":")[1])) for a in sys.argv[2:]]
    rows = []
    sources = {}
    with ndshare.Store.attach(handle) as store:

        def nd_get(name):
            def op():
                with store.get(name) as v:
                    return float(v[0]) + float(v[-1])

            return op

        def nd_bridge_get(name):
            def op():
                v = store._view(store._call({"op": "get", "key": name, "timeout": 0}), writeable=False)
                try:
                    return float(v[0]) + float(v[-1])
                finally:
                    store.release(v)

            return op

        for name, _ in objects:
            with store.get(name) as a:
                sources[name] = np.array(a)  # the alternatives start from a private copy, as a producer holds it
        wants = {name: float(a[0]) + float(a[-1]) for name, a in sources.items()}
        # Two phases, so that the in-process gets never run right after a bridge round trip (the
        # bridge's process would have just taken the CPU): each phase interleaves its two sizes.
        got = sample({name: (nd_get(name), wants[name]) for name, _ in objects}, min_samples=200, min_time=2.0)
        rows += [(name, "ndshare-python", got[name]) for name, _ in objects]
        got = sample({name: (nd_bridge_get(name), wants[name]) for name, _ in objects}, min_samples=200, min_time=2.0)
        rows += [(name, "ndshare-python-bridge", got[name]) for name, _ in objects]

    child = subprocess.Popen([sys.executable, "-c", CHILD], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    for name, nbytes in objects:
        src, want = sources[name], wants[name]

        def pickle_pipe():
            data = pickle.dumps(src, protocol=5)
            child.stdin.write(len(data).to_bytes(8, "little"))
            child.stdin.write(data)
            child.stdin.flush()
            return float(np.frombuffer(child.stdout.read(8), np.float64)[0])

        def npsave():
            buf = io.BytesIO()
            np.save(buf, src)
            buf.seek(0)
            b = np.load(buf)
            return float(b[0]) + float(b[-1])

        def shm_copy():
            shm = shared_memory.SharedMemory(create=True, size=src.nbytes)
            try:
                np.ndarray(src.shape, src.dtype, buffer=shm.buf)[...] = src
                reader = shared_memory.SharedMemory(name=shm.name)
                resource_tracker.unregister(reader._name, "shared_memory")  # the creator unlinks it
                r = np.ndarray(src.shape, src.dtype, buffer=reader.buf)
                got = float(r[0]) + float(r[-1])
                del r
                reader.close()
                return got
            finally:
                shm.close()
                shm.unlink()

        big = nbytes >= 1e7
        got = sample(
            {"pickle-pipe": (pickle_pipe, want), "npsave-bytesio": (npsave, want), "shared_memory-copy": (shm_copy, want)},
            min_samples=5 if big else 100,
            min_time=3.0 if big else 1.0,
        )
        rows += [(name, impl, m) for impl, m in got.items()]
    child.stdin.close()
    child.wait()
    for name, impl, m in rows:
        print(json.dumps({"object": name, "impl": impl, **m}))

main()
