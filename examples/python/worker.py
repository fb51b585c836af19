"""The Python half of examples/python: opens the named store the Node server made, reads the
weights as a zero-copy numpy view, and answers each request with softmax(x @ W + b), put back
into the store. Started by serve.ts: python3 worker.py <store name>."""

import sys

import numpy as np

import ndshare


def main(name: str) -> None:
    with ndshare.Store.open(name, timeout=10) as store:
        W = store.get("weights")  # read-only view of the Node side's memory: no copy
        b = store.get("bias")
        print(f"worker: weights {W.shape} {W.dtype}, writeable={W.flags.writeable}", flush=True)
        n = 0
        while True:
            with store.get(f"req-{n}", timeout=30) as x:
                if x.size == 0:  # the server's stop signal
                    break
                logits = x @ W + b
            p = np.exp(logits - logits.max(axis=-1, keepdims=True))
            store.put((p / p.sum(axis=-1, keepdims=True)).astype(np.float32), name=f"res-{n}")
            n += 1
        store.release(W)
        store.release(b)
    print(f"worker: answered {n} requests", flush=True)


if __name__ == "__main__":
    main(sys.argv[1])
