"""Errors of the ndshare Python client: the same permanent codes as the Node library."""

from __future__ import annotations

from typing import Any

INVALID_ARG_TYPE = "ERR_NDSHARE_INVALID_ARG_TYPE"
INVALID_ARG_VALUE = "ERR_NDSHARE_INVALID_ARG_VALUE"
DTYPE = "ERR_NDSHARE_DTYPE"
READ_ONLY = "ERR_NDSHARE_READ_ONLY"
STORE_FULL = "ERR_NDSHARE_STORE_FULL"
EXISTS = "ERR_NDSHARE_EXISTS"
NOT_FOUND = "ERR_NDSHARE_NOT_FOUND"
TIMEOUT = "ERR_NDSHARE_TIMEOUT"
CLOSED = "ERR_NDSHARE_CLOSED"
CORRUPT_HEADER = "ERR_NDSHARE_CORRUPT_HEADER"
NATIVE = "ERR_NDSHARE_NATIVE"
UNSUPPORTED = "ERR_NDSHARE_UNSUPPORTED"
STORE_GONE = "ERR_NDSHARE_STORE_GONE"
RUNTIME_DIR = "ERR_NDSHARE_RUNTIME_DIR"


class NdshareError(Exception):
    """An ndshare error. ``code`` is the Node library's permanent code (``'ERR_NDSHARE_NOT_FOUND'``...);
    extra details (``limit`` for ``ERR_NDSHARE_STORE_FULL``) are attributes too."""

    def __init__(self, message: str, code: str, **details: Any) -> None:
        super().__init__(message)
        self.code = code
        for k, v in details.items():
            setattr(self, k, v)


class NdshareTypeError(NdshareError, TypeError):
    """A coded error for an argument of the wrong type."""


class NdshareValueError(NdshareError, ValueError):
    """A coded error for an argument with a bad value."""
