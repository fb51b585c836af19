"""Unit tests of the Python client, against real stores (each Store runs its own Node bridge).

Run from python/: ``python3 -m unittest -v`` (test/93.python-store.test.ts runs them in CI).
"""

from __future__ import annotations

import os
import tempfile
import unittest

import numpy as np

import ndshare
from ndshare import NdshareError, Store

STORE_DTYPES = ["bool", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "float16", "float32", "float64", "complex64", "complex128"]


def sample(dtype: str, shape=(3, 4)) -> np.ndarray:
    rng = np.random.default_rng(abs(hash(dtype)) % 2**32)
    if dtype == "bool":
        return rng.integers(0, 2, shape).astype(bool)
    dt = np.dtype(dtype)
    if dt.kind == "f":
        a = rng.standard_normal(shape).astype(dt)
        a.flat[0] = np.nan
        a.flat[1] = -0.0
        a.flat[2] = np.inf
        return a
    if dt.kind == "c":  # NaN, Inf and -0 in either part, independently
        a = (rng.standard_normal(shape) + 1j * rng.standard_normal(shape)).astype(dt)
        a.real.flat[:3] = [np.nan, -0.0, np.inf]
        a.imag.flat[1:5] = [-np.inf, np.nan, -0.0, 0.0]
        return a
    info = np.iinfo(dt)
    return rng.integers(info.min, info.max, shape, dtype=dt, endpoint=True)


class StoreTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls._runtime = tempfile.TemporaryDirectory(prefix="ndshare-py-rt-")
        os.environ.setdefault("NDSHARE_RUNTIME_DIR", cls._runtime.name)
        cls.name = f"pyunit-{os.getpid()}"
        cls.server = Store.create("64MiB", name=cls.name)
        cls.client = Store.open(cls.name)

    @classmethod
    def tearDownClass(cls) -> None:
        cls.client.close()
        cls.server.close()
        cls._runtime.cleanup()

    def test_put_then_get_every_dtype_from_another_client(self) -> None:
        for dt in STORE_DTYPES:
            a = sample(dt)
            oid = self.server.put(a, name=f"every-{dt}")
            self.assertRegex(oid, r"^#\d+\.\d+$")
            with self.client.get(f"every-{dt}") as b:
                self.assertEqual(b.dtype, a.dtype, dt)
                self.assertEqual(b.shape, a.shape)
                np.testing.assert_array_equal(b, a)
                self.assertEqual(b.tobytes(), a.tobytes(), dt)  # -0 and NaN payloads too
                self.assertFalse(b.flags.writeable)
                self.assertEqual(b.object_id, oid)

    def test_views_are_read_only_for_good(self) -> None:
        self.server.put(np.arange(10, dtype=np.float32), name="ro")
        with self.client.get("ro") as a:
            with self.assertRaises(ValueError):
                a[0] = 1
            with self.assertRaises(ValueError):
                a.setflags(write=True)
            with self.assertRaises(ValueError):
                a[2:5].flags.writeable = True

    def test_layouts_are_gathered_in_c_order(self) -> None:
        base = np.arange(60, dtype=np.float64).reshape(3, 4, 5)
        cases = {
            "fortran": np.asfortranarray(base),
            "strided": base[::2, ::-1, 1::2],
            "transposed": base.T,
            "big-endian": base.astype(">f8"),
            "zero-d": np.array(7.5),
            "empty": np.zeros((0, 3), np.int32),
        }
        for name, a in cases.items():
            self.server.put(a, name=f"layout-{name}")
            with self.client.get(f"layout-{name}") as b:
                self.assertTrue(b.flags.c_contiguous, name)
                self.assertEqual(b.shape, a.shape, name)
                np.testing.assert_array_equal(b, a, err_msg=name)

    def test_pins_are_counted_and_released(self) -> None:
        oid = self.server.put(np.ones(8), name="pinned")
        refcount = lambda: next(o["refcount"] for o in self.server.list() if o["id"] == oid)  # noqa: E731
        a = self.client.get("pinned")
        b = self.client.get(oid)
        self.assertEqual(refcount(), 2)
        self.assertEqual(self.client.stats()["pinsHeld"], 1)  # pin entries: one per object, with a count
        self.client.release(a[1:])  # a view gives back its array's pin
        self.assertEqual(refcount(), 1)
        self.client.release(a)  # idempotent
        with b:
            pass
        self.assertEqual(refcount(), 0)
        np.testing.assert_array_equal(a, 1)  # still readable after release

    def test_dropped_arrays_give_their_pins_back(self) -> None:
        oid = self.server.put(np.ones(8), name="dropped")
        a = self.client.get(oid)
        del a
        self.client.stats()  # the next request sends the queued release
        self.assertEqual(next(o["refcount"] for o in self.server.list() if o["id"] == oid), 0)

    def test_results_of_numpy_functions_are_plain_arrays(self) -> None:
        self.server.put(np.arange(6.0), name="plain")
        with self.client.get("plain") as a:
            y = a * 2
            self.assertIs(type(y), np.ndarray)
            self.assertIsInstance(a.sum(), np.floating)
            with self.assertRaises(NdshareError):
                self.client.release(y)

    def test_empty_then_seal(self) -> None:
        w = self.client.empty((2, 3), np.int16, name="written")
        self.assertTrue(w.flags.writeable)
        self.assertFalse(self.server.has("written"))  # invisible until sealed
        w[...] = np.arange(6).reshape(2, 3)
        oid = self.client.seal(w)
        self.assertFalse(w.flags.writeable)
        with self.server.get("written") as r:
            np.testing.assert_array_equal(r, np.arange(6).reshape(2, 3))
            self.assertEqual(r.object_id, oid)

    def test_delete_and_gone_ids(self) -> None:
        oid = self.server.put(np.zeros(4), name="deleted")
        self.client.delete("deleted")
        with self.assertRaises(NdshareError) as e:
            self.server.get(oid)
        self.assertEqual(e.exception.code, "ERR_NDSHARE_NOT_FOUND")

    def test_coded_errors(self) -> None:
        with self.assertRaises(NdshareError) as e:
            self.client.get("no-such-object")
        self.assertEqual(e.exception.code, "ERR_NDSHARE_NOT_FOUND")
        with self.assertRaises(NdshareError) as e:
            self.client.get("never-sealed", timeout=0.05)
        self.assertEqual(e.exception.code, "ERR_NDSHARE_TIMEOUT")
        self.server.put(np.zeros(1), name="taken")
        with self.assertRaises(NdshareError) as e:
            self.client.put(np.zeros(1), name="taken")
        self.assertEqual(e.exception.code, "ERR_NDSHARE_EXISTS")
        for bad in (np.zeros(2, np.clongdouble), np.array(["a"]), np.zeros(2, object), np.zeros(2, "datetime64[s]")):
            with self.assertRaises(NdshareError) as e:
                self.client.put(bad)
            self.assertEqual(e.exception.code, "ERR_NDSHARE_DTYPE", bad.dtype)
        with self.assertRaises(NdshareError) as e:
            self.client.put(np.zeros(64 << 20, np.uint8))
        self.assertEqual(e.exception.code, "ERR_NDSHARE_STORE_FULL")
        with self.assertRaises(NdshareError) as e:
            Store.open(f"no-store-{os.getpid()}")
        self.assertEqual(e.exception.code, "ERR_NDSHARE_NOT_FOUND")
        with self.assertRaises(NdshareError) as e:
            self.client.get(42)  # type: ignore[arg-type]
        self.assertEqual(e.exception.code, "ERR_NDSHARE_INVALID_ARG_TYPE")
        self.assertIsInstance(e.exception, TypeError)

    def test_complex_layouts_views_and_empty(self) -> None:
        base = sample("complex128", (4, 6))
        cases = {
            "c": base,
            "fortran": np.asfortranarray(base),
            "strided": base[::2, ::-3],
            "transposed": base.T,
            "big-endian": base.astype(">c16"),
            "complex64-strided": base.astype(np.complex64)[1::2, ::-1],
        }
        for name, a in cases.items():
            self.server.put(a, name=f"complex-{name}")
            with self.client.get(f"complex-{name}") as b:
                want = np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("="))
                self.assertEqual(b.dtype, want.dtype, name)
                self.assertTrue(b.flags.c_contiguous, name)
                self.assertEqual(b.tobytes(), want.tobytes(), name)
                # .real/.imag are strided float views of the same shared memory
                self.assertEqual(b.real.ctypes.data, b.ctypes.data, name)
                self.assertEqual(b.imag.ctypes.data, b.ctypes.data + b.itemsize // 2, name)
                self.assertEqual(b.real.strides[-1], b.itemsize, name)
                self.assertFalse(b.imag.flags.writeable, name)
        w = self.client.empty((2, 2), np.complex64, name="complex-written")
        w.real[...] = [[1, -0.0], [np.inf, np.nan]]
        w.imag[...] = [[-1, 2], [-0.0, np.nan]]
        self.client.seal(w)
        with self.server.get("complex-written") as r:
            self.assertEqual(r.dtype, np.complex64)
            self.assertEqual(r.tobytes(), w.tobytes())
        with self.assertRaises(NdshareError) as e:
            self.client.put(np.zeros(2, np.complex64), dtype="complex128")
        self.assertEqual(e.exception.code, "ERR_NDSHARE_DTYPE")

    def test_bfloat16_as_raw_bits(self) -> None:
        bits = np.array([0x3F80, 0xC000, 0x7FC0], np.uint16)  # 1, -2, nan
        self.client.put(bits, name="bf16", dtype="bfloat16")
        info = next(o for o in self.server.list() if o["name"] == "bf16")
        self.assertEqual(info["dtype"], "bfloat16")
        with self.server.get("bf16") as b:
            self.assertEqual(b.dtype, ndshare.DTYPES["bfloat16"])
            np.testing.assert_array_equal(b.view(np.uint16), bits)

    def test_attach_by_handle_and_close(self) -> None:
        with Store.attach(self.server.handle) as s:
            s.put(np.arange(3), name="via-handle")
            self.assertTrue(self.server.has("via-handle"))
        self.assertTrue(s.closed)
        with self.assertRaises(NdshareError) as e:
            s.list()
        self.assertEqual(e.exception.code, "ERR_NDSHARE_CLOSED")

    def test_close_releases_pins_and_unsealed_objects(self) -> None:
        before = self.server.stats()["objects"]
        s = Store.open(self.name)
        oid = self.server.put(np.ones(3), name="closing")
        a = s.get("closing")
        s.empty(5, np.float32)
        self.assertEqual(self.server.stats()["objects"], before + 2)
        s.close()
        self.assertEqual(next(o["refcount"] for o in self.server.list() if o["id"] == oid), 0)
        self.assertEqual(self.server.stats()["objects"], before + 1)
        np.testing.assert_array_equal(a, 1)  # the view stays readable

    def test_attach_reads_in_process_without_a_bridge(self) -> None:
        oid = self.server.put(np.arange(6.0).reshape(2, 3), name="in-process")
        with Store.attach(self.server.handle) as s:
            with s.get("in-process") as a, s.get(oid) as b:
                np.testing.assert_array_equal(a, b)
                self.assertEqual(s.stats()["pinsHeld"], 1)  # one entry, two pins
                self.assertEqual(next(o["refcount"] for o in self.server.list() if o["id"] == oid), 2)
            self.assertEqual(s.stats()["pinsHeld"], 0)
            self.assertTrue(s.has(oid))
            s.delete(oid)
            self.assertFalse(self.server.has("in-process"))
            self.assertIsNone(s._bridge, "get/release/has/stats/delete started no bridge")

    def test_threads_share_a_client_and_close_from_another_thread(self) -> None:
        import threading

        self.server.put(np.arange(100, dtype=np.int64), name="threads")
        s = Store.attach(self.server.handle)
        sums, errors = [], []

        def reader() -> None:
            try:
                for _ in range(200):
                    with s.get("threads") as a:
                        sums.append(int(a.sum()))
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

        threads = [threading.Thread(target=reader) for _ in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        self.assertEqual(errors, [])
        self.assertEqual(set(sums), {4950})
        self.assertEqual(s.stats()["pinsHeld"], 0)
        held = s.get("threads")
        clients = self.server.stats()["clients"]
        # close() from a thread that did not open the store: pins go at once, the slot when that thread ends.
        closer = threading.Thread(target=s.close)
        closer.start()
        closer.join()
        self.assertTrue(s.closed)
        self.assertEqual(next(o["refcount"] for o in self.server.list() if o["name"] == "threads"), 0)
        self.assertEqual(self.server.stats()["clients"], clients, "the slot stays until its thread ends")
        np.testing.assert_array_equal(held[:3], [0, 1, 2])

    def test_a_store_opened_in_a_thread_is_reaped_when_the_thread_ends(self) -> None:
        import threading

        self.server.put(np.ones(4), name="thread-pin")
        box = {}

        def opener() -> None:
            s = Store.attach(self.server.handle)
            box["a"] = s.get("thread-pin")  # the pin outlives the thread; the client does not
            box["s"] = s

        clients = self.server.stats()["clients"]
        t = threading.Thread(target=opener)
        t.start()
        t.join()
        # join() returns when the Python thread is done; the OS thread (whose exit makes the kernel
        # mark its robust mutexes owner-dead) may still be finishing: poll for a moment.
        import time

        deadline = time.monotonic() + 10
        while self.server.stats()["clients"] != clients and time.monotonic() < deadline:
            time.sleep(0.01)
        self.assertEqual(self.server.stats()["clients"], clients, "stats() reaped the client of the ended thread")
        self.assertEqual(next(o["refcount"] for o in self.server.list() if o["name"] == "thread-pin"), 0)
        box["s"].close()


if __name__ == "__main__":
    unittest.main()
