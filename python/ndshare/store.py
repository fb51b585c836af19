"""``ndshare.Store``: the store of a Node application, from Python, zero-copy.

``get`` returns a read-only numpy view over the store's shared memory (the same physical pages the
Node processes read); ``put`` copies an array in once and seals it, readable from Node at once.
"""

from __future__ import annotations

import atexit
import json
import mmap
import os
import weakref
from typing import Any, Dict, List, Optional, Sequence, Set, Union

import numpy as np

from ._bridge import Bridge
from ._dtypes import numpy_dtype, store_dtype
from .errors import CLOSED, CORRUPT_HEADER, INVALID_ARG_TYPE, INVALID_ARG_VALUE, STORE_GONE, NdshareError, NdshareTypeError, NdshareValueError

_MEMFD_PREFIX = "/memfd:ndshare-store"


class _Pin:
    """One pin this client holds (through its bridge) on a store object; shared by an array and its views."""

    __slots__ = ("ref", "id", "released", "__weakref__")

    def __init__(self, ref: int, object_id: str) -> None:
        self.ref = ref
        self.id = object_id
        self.released = False


class SharedArray(np.ndarray):
    """A numpy array over a store object's memory. ``with store.get(k) as a:`` releases its pin at the end."""

    _nd_pin: Optional[_Pin] = None
    _nd_store: Optional["weakref.ReferenceType[Store]"] = None

    def __array_finalize__(self, obj: Any) -> None:
        # Views share the pin of the array they view; new arrays computed from one (a ufunc's
        # output, a copy) own their memory and hold no pin.
        if self.base is not None:
            self._nd_pin = getattr(obj, "_nd_pin", None)
            self._nd_store = getattr(obj, "_nd_store", None)

    def __array_wrap__(self, arr: Any, context: Any = None, return_scalar: bool = False) -> Any:
        # Results of numpy functions on a store view are ordinary arrays (they are not in the store).
        if arr.base is None or not isinstance(arr, SharedArray):
            out = arr.view(np.ndarray) if isinstance(arr, np.ndarray) else arr
            return out[()] if return_scalar and isinstance(out, np.ndarray) else out
        return super().__array_wrap__(arr, context, return_scalar)

    def __enter__(self) -> "SharedArray":
        return self

    def __exit__(self, *exc: Any) -> None:
        store = self._nd_store() if self._nd_store is not None else None
        if store is not None and not store.closed:
            store.release(self)

    @property
    def object_id(self) -> Optional[str]:
        """The store id (``'#slot.generation'``) of the object this array views."""
        return self._nd_pin.id if self._nd_pin is not None else None


def _release_later(store_ref: "weakref.ReferenceType[Store]", ref: int) -> None:
    # Backstop for arrays dropped without release(). A finalizer may run in the middle of another
    # request: queue it, the next request sends it.
    store = store_ref()
    if store is not None and ref in store._live:
        store._live.discard(ref)
        store._dropped.append(ref)


class Store:
    """A client of an ndshare store (one Node store client, run by this process's bridge).

    Open one with :meth:`open` (a named store), :meth:`attach` (a handle) or :meth:`create`.
    Timeouts are in seconds.
    """

    def __init__(self, _bridge: Bridge, _info: Dict[str, Any]) -> None:
        self._bridge = _bridge
        self._handle: Dict[str, Any] = _info["handle"]
        self._name: Optional[str] = _info.get("name")
        self._dropped: List[int] = []
        #: references of the pins that arrays still hold (what a dropped array gives back)
        self._live: Set[int] = set()
        self._self_ref = weakref.ref(self)
        self.closed = False
        try:
            path = f"/proc/{_info['pid']}/fd/{_info['fd']}"
            target = os.readlink(path)
            if not target.startswith(_MEMFD_PREFIX):
                raise NdshareError(f"The bridge's fd {_info['fd']} is {target}, not a store segment", STORE_GONE)
            fd = os.open(path, os.O_RDWR | os.O_CLOEXEC)
            try:
                size = os.fstat(fd).st_size
                # Two mappings of the same pages: gets view the read-only one, so numpy refuses to
                # make them writeable; put/empty write through the other.
                self._ro = mmap.mmap(fd, size, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ)
                self._rw = mmap.mmap(fd, size, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ | mmap.PROT_WRITE)
            finally:
                os.close(fd)
        except BaseException:
            self._bridge.stop()
            raise
        self._size = size
        self._ro_base = np.frombuffer(self._ro, np.uint8)
        self._rw_base = np.frombuffer(self._rw, np.uint8)
        _open_stores.add(self)

    # ---- opening ------------------------------------------------------------------------------

    @classmethod
    def _start(cls, req: Dict[str, Any]) -> "Store":
        bridge = Bridge()
        try:
            info = bridge.call(req)
        except BaseException:
            bridge.stop()
            raise
        return cls(bridge, info)

    @classmethod
    def open(cls, name: str, timeout: Optional[float] = None) -> "Store":
        """Opens the named store ``name`` (``Store.create({name})`` in Node, or ``ndshare serve``).

        Raises NdshareError ERR_NDSHARE_NOT_FOUND (no such store), ERR_NDSHARE_STORE_GONE (every
        process that held it has exited), ERR_NDSHARE_TIMEOUT.
        """
        if not isinstance(name, str):
            raise NdshareTypeError(f"name must be a str, got {type(name).__name__}", INVALID_ARG_TYPE)
        return cls._start({"op": "open", "name": name, "timeout": _ms(timeout)})

    @classmethod
    def attach(cls, handle: Union[str, Dict[str, Any]]) -> "Store":
        """Attaches with a handle (``store.handle`` in Node: a dict, or its JSON text)."""
        if isinstance(handle, (str, bytes)):
            try:
                handle = json.loads(handle)
            except ValueError:
                raise NdshareValueError("handle is not JSON", INVALID_ARG_VALUE) from None
        if not isinstance(handle, dict):
            raise NdshareTypeError(f"handle must be a dict or JSON text, got {type(handle).__name__}", INVALID_ARG_TYPE)
        return cls._start({"op": "attach", "handle": handle})

    @classmethod
    def create(cls, capacity: Union[int, str], name: Optional[str] = None) -> "Store":
        """Creates a store (``capacity``: bytes or ``'256MiB'``); with ``name``, other processes open it by name."""
        return cls._start({"op": "create", "capacity": capacity, "name": name})

    @property
    def handle(self) -> Dict[str, Any]:
        """A handle Node (``Store.attach``) or Python (:meth:`attach`) can attach with while this store is open."""
        return dict(self._handle)

    @property
    def name(self) -> Optional[str]:
        return self._name

    # ---- objects ------------------------------------------------------------------------------

    def _call(self, req: Dict[str, Any]) -> Any:
        if self.closed:
            raise NdshareError("The store is closed", CLOSED)
        while self._dropped:
            ref = self._dropped.pop()
            try:
                self._bridge.call({"op": "release", "ref": ref})
            except NdshareError:
                pass
        return self._bridge.call(req)

    def _view(self, d: Dict[str, Any], writeable: bool) -> SharedArray:
        try:
            dt = numpy_dtype(d["dtype"])
            off, n = d["offset"], d["nbytes"]
            if not (0 <= off and off + n <= self._size):
                raise NdshareError(f"Object {d['id']}: data [{off}, {off + n}) outside the segment", CORRUPT_HEADER)
        except BaseException:
            self._call({"op": "release", "ref": d["ref"]})  # no array will hold this pin
            raise
        shape = tuple(d["shape"])
        base = self._rw_base if writeable else self._ro_base
        a = base[off : off + n].view(dt).reshape(shape).view(SharedArray)
        pin = _Pin(d["ref"], d["id"])
        a._nd_pin = pin
        a._nd_store = self._self_ref
        self._live.add(pin.ref)
        weakref.finalize(pin, _release_later, self._self_ref, pin.ref)
        return a

    def get(self, key: str, timeout: Optional[float] = None) -> SharedArray:
        """A read-only numpy view (``flags.writeable`` False) of the sealed object ``key`` (an id or a
        name), over the store's memory: no copy. Pinned (never evicted or freed) until
        ``release(a)`` or the end of ``with store.get(key) as a:``. With ``timeout`` (seconds), waits
        for the object to appear and be sealed.

        Raises NdshareError ERR_NDSHARE_NOT_FOUND, ERR_NDSHARE_TIMEOUT.
        """
        if not isinstance(key, str):
            raise NdshareTypeError(f"key must be an id or a name (str), got {type(key).__name__}", INVALID_ARG_TYPE)
        return self._view(self._call({"op": "get", "key": key, "timeout": _ms(timeout)}), writeable=False)

    def release(self, a: np.ndarray) -> None:
        """Gives back the pin ``a`` (an array from get/empty, or any view of one) holds. Idempotent."""
        pin = getattr(a, "_nd_pin", None)
        if pin is None or getattr(a, "_nd_store", None) is not self._self_ref:
            raise NdshareValueError("a is not an array of this store", INVALID_ARG_VALUE)
        if pin.released:
            return
        pin.released = True
        self._live.discard(pin.ref)
        self._call({"op": "release", "ref": pin.ref})

    def empty(self, shape: Union[int, Sequence[int]], dtype: Any = np.float32, name: Optional[str] = None, evictable: bool = True) -> SharedArray:
        """A writable array allocated in the store (contents arbitrary), invisible to others until
        ``seal(a)``. Write results straight into shared memory with it."""
        shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(int(s) for s in shape)
        sd = dtype if isinstance(dtype, str) and dtype == "bfloat16" else store_dtype(np.dtype(dtype))
        return self._view(self._call({"op": "empty", "shape": list(shape), "dtype": sd, "name": name, "evictable": bool(evictable)}), writeable=True)

    def seal(self, a: np.ndarray) -> str:
        """Seals an array from :meth:`empty` (now readable by every client) and gives back its pin."""
        pin = getattr(a, "_nd_pin", None)
        if pin is None or pin.released or getattr(a, "_nd_store", None) is not self._self_ref:
            raise NdshareValueError("a is not an unsealed array of this store", INVALID_ARG_VALUE)
        object_id = self._call({"op": "seal", "ref": pin.ref})["id"]
        pin.released = True
        self._live.discard(pin.ref)
        a.flags.writeable = False
        return object_id

    def put(self, a: Any, name: Optional[str] = None, evictable: bool = True, dtype: Optional[str] = None) -> str:
        """Copies ``a`` into the store once (any layout: gathered in C order), seals it and returns its
        id. Readable from Node at once; not pinned. ``dtype='bfloat16'`` stores uint16 bits as bfloat16.

        Raises NdshareError ERR_NDSHARE_DTYPE (a dtype the store lacks: complex, object, str...),
        ERR_NDSHARE_EXISTS (the name is taken), ERR_NDSHARE_STORE_FULL.
        """
        a = np.asarray(a)
        sd = store_dtype(a.dtype, dtype)
        d = self._call({"op": "empty", "shape": list(a.shape), "dtype": sd, "name": name, "evictable": bool(evictable)})
        try:
            dst = self._view(d, writeable=True)
            np.copyto(dst, a.view(dst.dtype) if sd == "bfloat16" and a.dtype != dst.dtype else a, casting="equiv")
        except BaseException:
            self._call({"op": "release", "ref": d["ref"]})  # frees the unsealed object
            raise
        dst._nd_pin.released = True  # type: ignore[union-attr]
        self._live.discard(d["ref"])
        return self._call({"op": "seal", "ref": d["ref"]})["id"]

    def delete(self, key: str) -> None:
        """Deletes an object: at once if unpinned, else when its last pin goes."""
        self._call({"op": "delete", "key": key})

    def has(self, key: str) -> bool:
        return bool(self._call({"op": "has", "key": key})["has"])

    def list(self) -> List[Dict[str, Any]]:
        """Every visible object: ``{id, name, state, dtype, shape, nbytes, refcount, ...}`` (as Node's list())."""
        return self._call({"op": "list"})["objects"]

    def stats(self) -> Dict[str, Any]:
        """The store's counters (as Node's stats()); ``pinsHeld`` counts this client's pins."""
        return self._call({"op": "stats"})["stats"]

    def close(self) -> None:
        """Releases this client's pins, deletes its unsealed objects and stops its bridge. Views stay
        readable (the mapping lives while any view does). Idempotent."""
        if self.closed:
            return
        try:
            self._bridge.call({"op": "close"})
        except NdshareError:
            pass
        self.closed = True
        self._bridge.stop()
        _open_stores.discard(self)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        what = f"name={self._name!r}" if self._name else f"handle={self._handle}"
        return f"<ndshare.Store {what}{' closed' if self.closed else ''}>"


def _ms(timeout: Optional[float]) -> int:
    if timeout is None:
        return 0
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout >= 0:
        raise NdshareValueError(f"timeout must be None or seconds >= 0, got {timeout!r}", INVALID_ARG_VALUE)
    return int(round(timeout * 1000))


_open_stores: "weakref.WeakSet[Store]" = weakref.WeakSet()


@atexit.register
def _close_all() -> None:
    for store in list(_open_stores):
        try:
            store.close()
        except Exception:  # exiting anyway: the bridge sees EOF and closes its store itself
            pass
