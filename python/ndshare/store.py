"""``ndshare.Store``: the store of a Node application, from Python, zero-copy.

``get`` returns a read-only numpy view over the store's shared memory (the same physical pages the
Node processes read); ``put`` copies an array in once and seals it, readable from Node at once.

This process is a store client of its own: ``get``, ``release``, ``has``, ``delete`` and ``stats``
run in process, through ``libndshare_store.so`` (the same C++ code as the Node addon's store, see
``_core.py``), under the same lock, pin and liveness rules as a Node client. What is not native yet
(``put``/``empty``/``seal``, ``list``, and holding a store by name) goes through a Node
bridge process, started on first use (docs/python.md).
"""

from __future__ import annotations

import atexit
import ctypes
import json
import mmap
import os
import re
import threading
import weakref
from typing import Any, Dict, List, Optional, Sequence, Set, Union

import numpy as np

from . import _core
from ._bridge import Bridge
from ._dtypes import numpy_dtype, store_dtype
from .errors import (
    CLOSED,
    CORRUPT_HEADER,
    INVALID_ARG_TYPE,
    INVALID_ARG_VALUE,
    NATIVE,
    NOT_FOUND,
    STORE_FULL,
    STORE_GONE,
    TIMEOUT,
    NdshareError,
    NdshareTypeError,
    NdshareValueError,
)

_MEMFD_PREFIX = "/memfd:ndshare-store"
#: ids parse strictly, as in Node (src/store/ids.ts): no sign, no leading zeros
_ID_RE = re.compile(r"#(0|[1-9][0-9]{0,9})\.(0|[1-9][0-9]{0,9})\Z")
_HEX32 = re.compile(r"[0-9a-f]{32}\Z")
_MAX_NAME_BYTES = 1024


class _Pin:
    """One pin on a store object, shared by an array and its views: this process's own (``ref`` None:
    slot and generation), or its bridge's (``ref``: the bridge's reference, for arrays from empty)."""

    __slots__ = ("ref", "id", "slot", "generation", "state", "__weakref__")

    def __init__(self, ref: Optional[int], object_id: str, slot: int = -1, generation: int = -1) -> None:
        self.ref = ref
        self.id = object_id
        self.slot = slot
        self.generation = generation
        #: [released]: shared with the pin's finalizer, which must not hold the pin itself
        self.state = [False]

    @property
    def released(self) -> bool:
        return self.state[0]

    @released.setter
    def released(self, v: bool) -> None:
        self.state[0] = v


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
    # Backstop for bridge arrays dropped without release(). A finalizer may run in the middle of
    # another request: queue it, the next request sends it.
    store = store_ref()
    if store is not None and ref in store._live:
        store._live.discard(ref)
        store._dropped.append(ref)


def _release_native(store_ref: "weakref.ReferenceType[Store]", state: List[bool], slot: int, generation: int) -> None:
    # Backstop for arrays from get dropped without release(): the pin goes back at once (a native
    # call under the store mutex, which never runs Python code, so it cannot re-enter).
    store = store_ref()
    if store is not None and not state[0]:
        state[0] = True
        store._native_release(slot, generation)


def _check_handle(handle: Any) -> Dict[str, Any]:
    if isinstance(handle, (str, bytes)):
        try:
            handle = json.loads(handle)
        except ValueError:
            raise NdshareValueError("handle is not JSON", INVALID_ARG_VALUE) from None
    if not isinstance(handle, dict):
        raise NdshareTypeError(f"handle must be a dict or JSON text, got {type(handle).__name__}", INVALID_ARG_TYPE)
    if handle.get("kind") != "ndshare-store":
        raise NdshareTypeError("handle must be a store handle ({'kind': 'ndshare-store', ...})", INVALID_ARG_TYPE)
    if handle.get("version") != 1:
        raise NdshareValueError(f"handle.version must be 1, got {handle.get('version')!r}", INVALID_ARG_VALUE)
    for k in ("pid", "fd"):
        v = handle.get(k)
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise NdshareValueError(f"handle.{k} must be a non-negative integer, got {v!r}", INVALID_ARG_VALUE)
    if not isinstance(handle.get("token"), str) or not _HEX32.match(handle["token"]):
        raise NdshareValueError(f"handle.token must be a 32-digit hex string, got {handle.get('token')!r}", INVALID_ARG_VALUE)
    return handle


def _open_by_handle(pid: int, fd: int) -> int:
    """Our own fd of the segment a handle names (through /proc, as Node's Store.attach)."""
    if not os.path.exists(f"/proc/{pid}"):
        raise NdshareError(f"The handle's process {pid} has exited: attach with a handle from a live process, or by name (Store.open)", STORE_GONE)
    path = f"/proc/{pid}/fd/{fd}"
    try:
        target = os.readlink(path)
    except FileNotFoundError:
        raise NdshareError(f"The handle's process {pid} no longer holds the store (its fd {fd} is closed)", STORE_GONE) from None
    except OSError:
        target = None  # EACCES and the like: open() reports it
    if target is not None and not target.startswith(_MEMFD_PREFIX):
        raise NdshareError(f"The handle's process {pid} no longer holds the store: its fd {fd} is now {target}", STORE_GONE)
    try:
        return os.open(path, os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        raise NdshareError(f"The handle's process {pid} has exited or closed the store", STORE_GONE) from None
    except OSError as e:
        raise NdshareError(f"Cannot open {path}: {e}", NATIVE) from None


class Store:
    """A client of an ndshare store: this thread's own client slot in the segment.

    Open one with :meth:`open` (a named store), :meth:`attach` (a handle) or :meth:`create`.
    Timeouts are in seconds. The client belongs to the thread that opened the store (its liveness
    lock is that thread's): if that thread ends, the store reclaims the client's pins.
    """

    def __init__(self, fd: int, token_hex: str, name: Optional[str] = None, bridge: Optional[Bridge] = None) -> None:
        """Maps the segment of ``fd`` (ours: closed by close()) and registers this thread as a client."""
        self._fd = fd
        self._name = name
        self._bridge = bridge
        self._bridge_lock = threading.Lock()
        self._token = token_hex
        self._dropped: List[int] = []
        #: references of the bridge pins that arrays still hold (what a dropped array gives back)
        self._live: Set[int] = set()
        self._self_ref = weakref.ref(self)
        self._h: Optional[int] = None
        #: the thread whose client this is (it holds the client's liveness mutex)
        self._owner_thread = threading.get_ident()
        self.closed = False
        try:
            size = os.fstat(fd).st_size
            # Two mappings of the same pages: gets view the read-only one, so numpy refuses to make
            # them writeable; put/empty write through the other, and the native code works on it.
            self._ro = mmap.mmap(fd, size, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ)
            self._rw = mmap.mmap(fd, size, flags=mmap.MAP_SHARED, prot=mmap.PROT_READ | mmap.PROT_WRITE)
            self._size = size
            self._ro_base = np.frombuffer(self._ro, np.uint8)
            self._rw_base = np.frombuffer(self._rw, np.uint8)
            lib = _core.lib()
            self._lib = lib
            # Holds an export of the mapping: it cannot be unmapped while this store is open (glibc
            # links held robust mutexes through the mapping; see native/platform/robust_mutex.h).
            self._anchor = ctypes.c_char.from_buffer(self._rw)
            token = (ctypes.c_uint8 * 16).from_buffer_copy(bytes.fromhex(token_hex))
            status = ctypes.c_int(0)
            why = ctypes.create_string_buffer(256)
            h = lib.nds_attach(ctypes.addressof(self._anchor), size, fd, token, ctypes.byref(status), why, 256)
            if not h:
                code = CORRUPT_HEADER if status.value == _core.CORRUPT else NATIVE
                raise NdshareError(why.value.decode(errors="replace") or f"attach failed (status {status.value})", code)
            self._h = h
            tid = 0 if threading.current_thread() is threading.main_thread() else threading.get_native_id()
            c = lib.nds_register(h, os.getpid(), tid)
            if c < 0:
                raise _status_error(-c, "register")
            self._client = c
        except BaseException:
            self._teardown()
            raise
        _open_stores.add(self)

    def _teardown(self) -> None:
        if self._h is not None:
            self._lib.nds_close(self._h)
            self._h = None
            if threading.get_ident() != self._owner_thread:
                # Closed from another thread: the client's liveness mutex is still held by the thread
                # that opened the store (only it may unlock it), and glibc links a thread's held robust
                # mutexes through their memory. That mapping must never be unmapped while the thread
                # lives, so it is kept for the life of the process (the slot is reaped when the thread ends).
                _kept_mappings.append((self._rw, self._anchor))
        self._anchor = None
        if self._bridge is not None:
            self._bridge.stop()
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    # ---- opening ------------------------------------------------------------------------------

    @classmethod
    def _start(cls, req: Dict[str, Any]) -> "Store":
        """A store the bridge opened (by name, or created): we map its fd and register our own client."""
        bridge = Bridge()
        try:
            info = bridge.call(req)
            fd = _open_by_handle(info["pid"], info["fd"])
        except BaseException:
            bridge.stop()
            raise
        return cls(fd, info["handle"]["token"], info.get("name"), bridge)

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
        """Attaches with a handle (``store.handle`` in Node: a dict, or its JSON text). In process:
        no bridge is started until an operation needs one (put, empty, list)."""
        h = _check_handle(handle)
        return cls(_open_by_handle(h["pid"], h["fd"]), h["token"])

    @classmethod
    def create(cls, capacity: Union[int, str], name: Optional[str] = None) -> "Store":
        """Creates a store (``capacity``: bytes or ``'256MiB'``); with ``name``, other processes open it by name."""
        return cls._start({"op": "create", "capacity": capacity, "name": name})

    @property
    def handle(self) -> Dict[str, Any]:
        """A handle Node (``Store.attach``) or Python (:meth:`attach`) can attach with while this store is open."""
        return {"kind": "ndshare-store", "version": 1, "pid": os.getpid(), "fd": self._fd, "token": self._token}

    @property
    def name(self) -> Optional[str]:
        return self._name

    # ---- the bridge (what is not native yet) ------------------------------------------------------

    def _call(self, req: Dict[str, Any]) -> Any:
        self._check_open()
        with self._bridge_lock:
            if self._bridge is None:
                bridge = Bridge()
                try:
                    bridge.call({"op": "attach", "handle": self.handle})
                except BaseException:
                    bridge.stop()
                    raise
                self._bridge = bridge
        while self._dropped:
            ref = self._dropped.pop()
            try:
                self._bridge.call({"op": "release", "ref": ref})
            except NdshareError:
                pass
        return self._bridge.call(req)

    def _check_open(self) -> None:
        if self.closed:
            raise NdshareError("The store is closed", CLOSED)

    def _view(self, d: Dict[str, Any], writeable: bool) -> SharedArray:
        """A view of an array the bridge holds pinned for us (from empty)."""
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

    # ---- objects ------------------------------------------------------------------------------

    def _target(self, key: Any) -> "tuple[int, int, Optional[bytes]]":
        if not isinstance(key, str):
            raise NdshareTypeError(f"key must be an id or a name (str), got {type(key).__name__}", INVALID_ARG_TYPE)
        if key.startswith("#"):
            m = _ID_RE.match(key)
            if not m:
                raise NdshareValueError(f"id must be an object id like '#12.0', got {key!r}", INVALID_ARG_VALUE)
            slot, gen = int(m.group(1)), int(m.group(2))
            if gen > 0xFFFFFFFF or slot > 0xFFFFFFFF:
                return -1, 0, None
            return slot, gen, None
        if not key:
            raise NdshareValueError("name must be a non-empty string not starting with '#'", INVALID_ARG_VALUE)
        try:
            b = key.encode("utf-8")
        except UnicodeEncodeError:
            raise NdshareValueError(f"name must be valid Unicode, got {key!r}", INVALID_ARG_VALUE) from None
        if len(b) > _MAX_NAME_BYTES:
            raise NdshareValueError(f"name must be at most {_MAX_NAME_BYTES} UTF-8 bytes", INVALID_ARG_VALUE)
        return -1, 0, b

    def get(self, key: str, timeout: Optional[float] = None) -> SharedArray:
        """A read-only numpy view (``flags.writeable`` False) of the sealed object ``key`` (an id or a
        name), over the store's memory: no copy. Pinned (never evicted or freed) until
        ``release(a)`` or the end of ``with store.get(key) as a:``. With ``timeout`` (seconds), waits
        for the object to appear and be sealed. In process: no bridge, no system call but the lock's.

        Raises NdshareError ERR_NDSHARE_NOT_FOUND, ERR_NDSHARE_TIMEOUT.
        """
        self._check_open()
        slot, gen, name = self._target(key)
        timeout_ms = _ms(timeout)
        o = _core.Object()
        why = ctypes.create_string_buffer(200)
        rc = self._lib.nds_get(self._h, slot, gen, name, len(name) if name else 0, timeout_ms * 1000000, ctypes.byref(o), why, 200)
        if rc != _core.OK:
            raise _get_error(rc, key, timeout_ms, why.value.decode(errors="replace"))
        object_id = f"#{o.slot}.{o.generation}"
        pin = _Pin(None, object_id, o.slot, o.generation)
        try:
            dt = numpy_dtype(_core.DTYPE_NAMES[o.dtype])
            nd = o.ndim
            a = np.ndarray(tuple(o.shape[:nd]), dt, buffer=self._ro, offset=o.byte_offset, strides=tuple(o.strides[:nd]))
        except BaseException:
            pin.released = True
            self._native_release(pin.slot, pin.generation)
            raise
        a = a.view(SharedArray)
        a._nd_pin = pin
        a._nd_store = self._self_ref
        weakref.finalize(pin, _release_native, self._self_ref, pin.state, pin.slot, pin.generation)
        return a

    def _native_release(self, slot: int, generation: int) -> None:
        if self._h is not None:
            self._lib.nds_release(self._h, slot, generation)

    def release(self, a: np.ndarray) -> None:
        """Gives back the pin ``a`` (an array from get/empty, or any view of one) holds. Idempotent."""
        pin = getattr(a, "_nd_pin", None)
        if pin is None or getattr(a, "_nd_store", None) is not self._self_ref:
            raise NdshareValueError("a is not an array of this store", INVALID_ARG_VALUE)
        if pin.released:
            return
        pin.released = True
        if pin.ref is None:
            self._check_open()
            self._native_release(pin.slot, pin.generation)
            return
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
        if pin is None or pin.released or pin.ref is None or getattr(a, "_nd_store", None) is not self._self_ref:
            raise NdshareValueError("a is not an unsealed array of this store", INVALID_ARG_VALUE)
        object_id = self._call({"op": "seal", "ref": pin.ref})["id"]
        pin.released = True
        self._live.discard(pin.ref)
        a.flags.writeable = False
        return object_id

    def put(self, a: Any, name: Optional[str] = None, evictable: bool = True, dtype: Optional[str] = None) -> str:
        """Copies ``a`` into the store once (any layout: gathered in C order), seals it and returns its
        id. Readable from Node at once; not pinned. ``dtype='bfloat16'`` stores uint16 bits as bfloat16.

        Raises NdshareError ERR_NDSHARE_DTYPE (a dtype the store lacks: complex256, object, str...),
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
        """Deletes an object: at once if unpinned, else when its last pin goes (in process).

        Raises NdshareError ERR_NDSHARE_NOT_FOUND.
        """
        self._check_open()
        slot, gen, name = self._target(key)
        rc = self._lib.nds_delete(self._h, slot, gen, name, len(name) if name else 0)
        if rc == _core.NOT_FOUND:
            raise NdshareError(f"No object {json.dumps(key)} in the store", NOT_FOUND)
        if rc != _core.OK:
            raise _status_error(rc, "delete")

    def has(self, key: str) -> bool:
        """True if a sealed object with this id or name exists (in process)."""
        self._check_open()
        slot, gen, name = self._target(key)
        r = self._lib.nds_has(self._h, slot, gen, name, len(name) if name else 0)
        if r < 0:
            raise _status_error(-r, "has")
        return bool(r)

    def list(self) -> List[Dict[str, Any]]:
        """Every visible object: ``{id, name, state, dtype, shape, nbytes, refcount, ...}`` (as Node's list())."""
        return self._call({"op": "list"})["objects"]

    def stats(self) -> Dict[str, Any]:
        """The store's counters (as Node's stats(); in process); ``pinsHeld`` counts this client's pins."""
        self._check_open()
        st = _core.Stats()
        rc = self._lib.nds_stats(self._h, ctypes.byref(st))
        if rc != _core.OK:
            raise _status_error(rc, "stats")
        out: Dict[str, Any] = {f: int(getattr(st, f)) for f in _core.STAT_FIELDS}
        out["free"] = out["capacity"] - out["used"]
        out["limits"] = {"maxObjects": st.maxObjects, "maxClients": st.maxClients, "pinsPerClient": st.pinsPerClient}
        return out

    def close(self) -> None:
        """Releases this client's pins, deletes its unsealed objects and stops its bridge (if any).
        Views stay readable (the mapping lives while any view does). Idempotent."""
        if self.closed:
            return
        self.closed = True
        if self._bridge is not None:
            try:
                self._bridge.call({"op": "close"})
            except NdshareError:
                pass
        self._teardown()
        _open_stores.discard(self)

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def __repr__(self) -> str:
        what = f"name={self._name!r}" if self._name else f"fd={self._fd}"
        return f"<ndshare.Store {what}{' closed' if self.closed else ''}>"


def _status_error(status: int, what: str) -> NdshareError:
    if status == _core.FULL_CLIENTS:
        return NdshareError("Store full (clients): every client slot of the store is in use (raise maxClients at Store.create)", STORE_FULL, limit="clients")
    if status == _core.TIMEOUT:
        return NdshareError("The store mutex stayed held for 30000 ms", TIMEOUT)
    if status == _core.CORRUPT:
        return NdshareError(f"{what}: the store segment is corrupt", CORRUPT_HEADER)
    return NdshareError(f"{what} failed (status {status})", NATIVE)


def _get_error(status: int, key: str, timeout_ms: int, why: str) -> NdshareError:
    if status == _core.GONE:
        return NdshareError(f"Object {key} is gone (deleted or evicted): its id will never name an object again", NOT_FOUND)
    if status == _core.NOT_FOUND:
        return NdshareError(f"No sealed object {json.dumps(key)} in the store", NOT_FOUND)
    if status == _core.NOT_SEALED:
        return NdshareError(f"Object {json.dumps(key)} was not sealed within {timeout_ms} ms", TIMEOUT)
    if status == _core.TIMEOUT:
        return NdshareError(f"Object {json.dumps(key)} was not found within {timeout_ms} ms", TIMEOUT)
    if status == _core.FULL_PINS:
        return NdshareError("Store full (pins): this client holds the most distinct pinned objects the store allows (pinsPerClient): release some", STORE_FULL, limit="pins")
    if status == _core.CORRUPT:
        return NdshareError(why or f"Object {key}: corrupt", CORRUPT_HEADER)
    return _status_error(status, "get")


def _ms(timeout: Optional[float]) -> int:
    if timeout is None:
        return 0
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not timeout >= 0:
        raise NdshareValueError(f"timeout must be None or seconds >= 0, got {timeout!r}", INVALID_ARG_VALUE)
    return int(round(timeout * 1000))


#: open stores, strongly held: a store's mapping must outlive its client (closed at exit)
_open_stores: "Set[Store]" = set()
#: mappings of stores closed from another thread than their own, which still holds a mutex in them
_kept_mappings: List[Any] = []


@atexit.register
def _close_all() -> None:
    for store in list(_open_stores):
        try:
            store.close()
        except Exception:  # exiting anyway: the reaper (or the bridge, at EOF) reclaims what is left
            pass
