"""The child process that runs the store's rules for this Python process (src/bridge/python.ts).

The Python client keeps no copy of the allocator, pins or repair: it asks its bridge, a Node
process running the same ``Store`` class a Node application uses, over a pipe of JSON lines.
See docs/python.md for why.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import threading
from typing import Any, List

from ._core import repo_root as _repo_root
from .errors import CLOSED, UNSUPPORTED, NdshareError

#: the line protocol this client speaks (src/bridge/python.ts, BRIDGE_PROTOCOL)
PROTOCOL = 2  # 2: complex64/complex128 objects (a bridge of protocol 1 reported their nbytes halved)


def bridge_command() -> List[str]:
    """The command that starts a bridge: ``$NDSHARE_BRIDGE`` if set, else node on the built
    ``dist/bridge/python.js`` of the repository (or its TypeScript source through tsx)."""
    env = os.environ.get("NDSHARE_BRIDGE")
    if env:
        return shlex.split(env)
    node = os.environ.get("NDSHARE_NODE") or shutil.which("node")
    if node is None:
        raise NdshareError("node was not found on PATH (set NDSHARE_NODE): the Python client runs the store through Node", UNSUPPORTED)
    root = _repo_root()
    built = root / "dist" / "bridge" / "python.js"
    if built.is_file():
        return [node, str(built)]
    tsx = root / "node_modules" / "tsx" / "dist" / "loader.mjs"
    source = root / "src" / "bridge" / "python.ts"
    if tsx.is_file() and source.is_file():
        return [node, "--import", tsx.as_uri(), str(source)]
    raise NdshareError(f"No ndshare build in {root}: run `npm install` there (or set NDSHARE_ROOT / NDSHARE_BRIDGE)", UNSUPPORTED)


class Bridge:
    """One bridge process: one store client. Requests are answered in order, one at a time."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._proc = subprocess.Popen(
            bridge_command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            close_fds=True,
        )
        assert self._proc.stdin is not None and self._proc.stdout is not None
        self._in = self._proc.stdin.fileno()
        self._out = os.fdopen(os.dup(self._proc.stdout.fileno()), "rb", buffering=1 << 16)
        self.closed = False
        hello = self.call({"op": "hello"})
        if hello.get("protocol") != PROTOCOL:
            self.stop()
            raise NdshareError(f"The bridge speaks protocol {hello.get('protocol')}, this client {PROTOCOL}: rebuild ndshare", UNSUPPORTED)
        self.pid: int = hello["pid"]

    def call(self, req: dict) -> Any:
        """Sends one request and returns its answer; a failed one raises its coded error."""
        line = (json.dumps(req, separators=(",", ":")) + "\n").encode()
        with self._lock:
            if self.closed:
                raise NdshareError("The store is closed", CLOSED)
            try:
                view = memoryview(line)
                while view:
                    view = view[os.write(self._in, view):]
                answer = self._out.readline()
            except (BrokenPipeError, OSError):
                answer = b""
            if not answer:
                self.closed = True
                rc = self._proc.poll()
                raise NdshareError(f"The store's bridge process {self._proc.pid} exited (status {rc})", CLOSED)
        a = json.loads(answer)
        if not a.pop("ok"):
            code = a.pop("code")
            raise NdshareError(a.pop("message"), code, **a)
        return a

    def stop(self) -> None:
        """Closes the pipe (the bridge closes its store and exits) and waits for it."""
        with self._lock:
            self.closed = True
            try:
                self._proc.stdin.close()  # type: ignore[union-attr]
            except OSError:
                pass
        try:
            self._proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover - a stuck bridge
            self._proc.kill()
            self._proc.wait()
        self._out.close()
        if self._proc.stdout is not None:
            self._proc.stdout.close()
