"""The NumPy originals of examples/kmeans.ts and examples/heat.ts (the same code as in their comments)."""

import numpy as np


def kmeans(X, k, iters, seed):
    rng = np.random.default_rng(seed)
    C = X[rng.choice(len(X), k, replace=False)]
    x2 = (X ** 2).sum(1)[:, None]
    for _ in range(iters):
        d = x2 - 2 * (X @ C.T) + (C ** 2).sum(1)
        labels = d.argmin(1)
        counts = np.bincount(labels, minlength=k)
        sums = np.zeros_like(C)
        np.add.at(sums, labels, X)
        nz = counts > 0
        C[nz] = sums[nz] / counts[nz][:, None]
    return C, labels


def blobs(n, dims, k, seed):
    """examples/kmeans.ts blobs(): the same points for the same seed (NumPy's generator, bit for bit)."""
    rng = np.random.default_rng(seed)
    centres = 10 * rng.standard_normal((k, dims))
    which = rng.integers(0, k, n)
    return centres[which] + rng.standard_normal((n, dims))


def heat(n, steps, alpha=0.1):
    u = np.zeros((n, n))
    u[n // 2 - n // 8 : n // 2 + n // 8, n // 2 - n // 8 : n // 2 + n // 8] = 1.0
    for _ in range(steps):
        c = u[1:-1, 1:-1]
        u[1:-1, 1:-1] = c + alpha * (u[:-2, 1:-1] + u[2:, 1:-1] + u[1:-1, :-2] + u[1:-1, 2:] - 4 * c)
    return u
