"""ndshare from Python: numpy views of an ndshare store's objects, zero-copy, both ways.

    import ndshare
    with ndshare.Store.open("ml") as store:
        with store.get("weights") as w:      # read-only view of the Node side's memory
            y = w @ x
        store.put(y, name="result")           # one copy in, readable from Node at once

See docs/python.md.
"""

from ._dtypes import NUMPY_OF as DTYPES
from .errors import NdshareError, NdshareTypeError, NdshareValueError
from .store import SharedArray, Store

__all__ = ["Store", "SharedArray", "NdshareError", "NdshareTypeError", "NdshareValueError", "DTYPES"]
__version__ = "0.1.0"
