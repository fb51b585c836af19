"""The store's rules, in process: ctypes bindings of ``libndshare_store.so``.

The library is the C ABI of the same C++ code the Node addon runs for the store's protocol
(``native/store/arena.cc``: the lock and its repair, client slots and liveness, pins, lookup by id or
name, stats; ``native/store/capi.h`` documents every function). ``npm install`` builds it next to
the addon, so a repository checkout needs no compiler at ``pip install``. Where it is looked for:
``$NDSHARE_STORE_LIB`` if set, else ``build/Release/libndshare_store.so`` of the ndshare repository
(``$NDSHARE_ROOT``, else the one a wheel was built from, else the checkout this file is in).
"""

from __future__ import annotations

import ctypes
import os
import threading
from pathlib import Path
from typing import Optional

from .errors import UNSUPPORTED, NdshareError

#: the C ABI this module speaks (NDS_ABI_VERSION in native/store/capi.h)
ABI_VERSION = 1
MAX_NDIM = 64

OK, CORRUPT, TIMEOUT, FULL_CLIENTS, FULL_PINS, NOT_FOUND, GONE, SYSTEM, NOT_HELD, NO_CLIENT, NOT_SEALED = range(11)

#: schema/ndarray.fbs DType enum value -> store dtype name
DTYPE_NAMES = ("bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64",
               "float16", "bfloat16", "float32", "float64", "complex64", "complex128")


class Object(ctypes.Structure):
    """nds_object: a pinned object's id and its checked header."""

    _fields_ = [
        ("slot", ctypes.c_uint32),
        ("generation", ctypes.c_uint32),
        ("dtype", ctypes.c_int32),
        ("itemsize", ctypes.c_int32),
        ("ndim", ctypes.c_int32),
        ("order", ctypes.c_int32),
        ("shape", ctypes.c_int64 * MAX_NDIM),
        ("strides", ctypes.c_int64 * MAX_NDIM),
        ("byte_offset", ctypes.c_uint64),
        ("data_start", ctypes.c_uint64),
        ("byte_length", ctypes.c_uint64),
        ("data_bytes", ctypes.c_uint64),
    ]


STAT_FIELDS = ("capacity", "used", "largestFree", "objects", "sealed", "pinned", "evictions", "clients", "repairs",
               "residentBytes", "unevictable", "unevictableBytes", "largestAfterEviction", "pinsHeld")


class Stats(ctypes.Structure):
    """nds_stats_t (the same fields as Node's ``store.stats()``)."""

    _fields_ = [(f, ctypes.c_uint64) for f in STAT_FIELDS] + [
        ("maxObjects", ctypes.c_uint32),
        ("maxClients", ctypes.c_uint32),
        ("pinsPerClient", ctypes.c_uint32),
    ]


def repo_root() -> Path:
    """The ndshare repository: $NDSHARE_ROOT, else the one a wheel was built from, else ours."""
    env = os.environ.get("NDSHARE_ROOT")
    if env:
        return Path(env)
    built_from = Path(__file__).with_name("_root.txt")
    if built_from.is_file():
        return Path(built_from.read_text().strip())
    return Path(__file__).resolve().parents[2]


def library_path() -> Path:
    """Where ``libndshare_store.so`` is looked for (see the module docstring)."""
    env = os.environ.get("NDSHARE_STORE_LIB")
    if env:
        return Path(env)
    return repo_root() / "build" / "Release" / "libndshare_store.so"


_lib: Optional[ctypes.CDLL] = None
_lib_lock = threading.Lock()


def lib() -> ctypes.CDLL:
    """The loaded library (once per process), its ABI version checked."""
    global _lib
    if _lib is not None:
        return _lib
    with _lib_lock:
        if _lib is not None:
            return _lib
        path = library_path()
        try:
            l = ctypes.CDLL(str(path))
        except OSError as e:
            raise NdshareError(f"Cannot load {path} ({e}): run `npm install` in the ndshare repository "
                               "(or set NDSHARE_ROOT / NDSHARE_STORE_LIB)", UNSUPPORTED) from None
        l.nds_abi_version.restype = ctypes.c_int
        if l.nds_abi_version() != ABI_VERSION:
            raise NdshareError(f"{path} speaks C ABI {l.nds_abi_version()}, this client {ABI_VERSION}: rebuild ndshare", UNSUPPORTED)
        vp, u8p, cp = ctypes.c_void_p, ctypes.POINTER(ctypes.c_uint8), ctypes.c_char_p
        l.nds_layout_version.restype = ctypes.c_int
        l.nds_attach.argtypes = [vp, ctypes.c_uint64, ctypes.c_int, u8p, ctypes.POINTER(ctypes.c_int), cp, ctypes.c_size_t]
        l.nds_attach.restype = vp
        l.nds_register.argtypes = [vp, ctypes.c_int32, ctypes.c_int32]
        l.nds_register.restype = ctypes.c_int
        l.nds_get.argtypes = [vp, ctypes.c_int64, ctypes.c_uint32, cp, ctypes.c_size_t, ctypes.c_int64,
                              ctypes.POINTER(Object), cp, ctypes.c_size_t]
        l.nds_get.restype = ctypes.c_int
        l.nds_release.argtypes = [vp, ctypes.c_uint32, ctypes.c_uint32]
        l.nds_release.restype = ctypes.c_int
        l.nds_has.argtypes = [vp, ctypes.c_int64, ctypes.c_uint32, cp, ctypes.c_size_t]
        l.nds_has.restype = ctypes.c_int
        l.nds_delete.argtypes = [vp, ctypes.c_int64, ctypes.c_uint32, cp, ctypes.c_size_t]
        l.nds_delete.restype = ctypes.c_int
        l.nds_stats.argtypes = [vp, ctypes.POINTER(Stats)]
        l.nds_stats.restype = ctypes.c_int
        l.nds_pins_held.argtypes = [vp]
        l.nds_pins_held.restype = ctypes.c_int
        l.nds_close.argtypes = [vp]
        l.nds_close.restype = ctypes.c_int
        _lib = l
        return l
