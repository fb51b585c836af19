"""The store's dtypes and their numpy counterparts (one table, both directions)."""

from __future__ import annotations

from typing import Optional

import numpy as np

from .errors import DTYPE, NdshareError

try:  # bfloat16 as a real dtype when ml_dtypes is installed; raw uint16 bits otherwise.
    import ml_dtypes as _ml_dtypes  # type: ignore

    BFLOAT16: Optional[np.dtype] = np.dtype(_ml_dtypes.bfloat16)
except ImportError:  # pragma: no cover - depends on the environment
    BFLOAT16 = None

#: store dtype -> numpy dtype (native byte order; the store is little-endian, like x86-64 and aarch64 Linux)
NUMPY_OF = {
    "bool": np.dtype(np.bool_),
    "int8": np.dtype(np.int8),
    "uint8": np.dtype(np.uint8),
    "int16": np.dtype(np.int16),
    "uint16": np.dtype(np.uint16),
    "int32": np.dtype(np.int32),
    "uint32": np.dtype(np.uint32),
    "int64": np.dtype(np.int64),
    "uint64": np.dtype(np.uint64),
    "float16": np.dtype(np.float16),
    "bfloat16": BFLOAT16 if BFLOAT16 is not None else np.dtype(np.uint16),
    "float32": np.dtype(np.float32),
    "float64": np.dtype(np.float64),
}

#: numpy dtype (native order) -> store dtype; uint16 maps to uint16 (pass dtype='bfloat16' to put raw bits)
STORE_OF = {v: k for k, v in NUMPY_OF.items() if k != "bfloat16"}
if BFLOAT16 is not None:
    STORE_OF[BFLOAT16] = "bfloat16"


def numpy_dtype(store_dtype: str) -> np.dtype:
    """The numpy dtype of a store dtype (bfloat16: ml_dtypes.bfloat16 or raw uint16)."""
    try:
        return NUMPY_OF[store_dtype]
    except KeyError:
        raise NdshareError(f"The store holds an object of dtype '{store_dtype}', which this client does not know", DTYPE) from None


def store_dtype(dt: np.dtype, override: Optional[str] = None) -> str:
    """The store dtype for a numpy dtype, or a coded error naming what is supported."""
    native = dt.newbyteorder("=") if dt.byteorder not in ("=", "|") else dt
    if override is not None:
        if override == "bfloat16" and native in (np.dtype(np.uint16), BFLOAT16):
            return "bfloat16"
        if override in NUMPY_OF and NUMPY_OF[override] == native:
            return override
        raise NdshareError(f"dtype={override!r} does not describe an array of dtype {dt} (bfloat16 takes uint16 bits)", DTYPE)
    if native in STORE_OF:
        return STORE_OF[native]
    if native.kind == "c":
        raise NdshareError(
            f"dtype {dt}: the store has no complex dtypes yet (Node's ndshare does not support complex64/complex128); "
            "store the real and imaginary parts as two float arrays",
            DTYPE,
        )
    raise NdshareError(f"dtype {dt} is not a store dtype: expected one of {', '.join(NUMPY_OF)}", DTYPE)
