"""A PEP 517/660 build backend for the ndshare Python package, in the standard library only.

``pip install --no-build-isolation [-e] python/`` works without setuptools or wheel (neither is
guaranteed on the machines ndshare targets, and the package has nothing to compile): a wheel is
the ``ndshare`` folder plus its metadata; an editable wheel is a ``.pth`` file pointing here.
"""

from __future__ import annotations

import base64
import hashlib
import os
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
NAME = "ndshare"
VERSION = "0.1.0"
DIST_INFO = f"{NAME}-{VERSION}.dist-info"
METADATA = f"""Metadata-Version: 2.1
Name: {NAME}
Version: {VERSION}
Summary: Zero-copy numpy views of an ndshare store (Node.js shared-memory arrays), both ways
License: MIT
Requires-Python: >=3.9
Requires-Dist: numpy
"""
WHEEL = """Wheel-Version: 1.0
Generator: ndshare-build-backend
Root-Is-Purelib: true
Tag: py3-none-any
"""


def _digest(data: bytes) -> str:
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def _write_wheel(directory: str, files: dict) -> str:
    name = f"{NAME}-{VERSION}-py3-none-any.whl"
    files = {**files, f"{DIST_INFO}/METADATA": METADATA.encode(), f"{DIST_INFO}/WHEEL": WHEEL.encode()}
    record = "".join(f"{path},{_digest(data)},{len(data)}\n" for path, data in files.items()) + f"{DIST_INFO}/RECORD,,\n"
    with zipfile.ZipFile(os.path.join(directory, name), "w", zipfile.ZIP_DEFLATED) as z:
        for path, data in files.items():
            z.writestr(path, data)
        z.writestr(f"{DIST_INFO}/RECORD", record)
    return name


def _package_files() -> dict:
    out = {}
    for p in sorted((HERE / NAME).rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts:
            out[p.relative_to(HERE).as_posix()] = p.read_bytes()
    return out


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    d = Path(metadata_directory) / DIST_INFO
    d.mkdir(parents=True, exist_ok=True)
    (d / "METADATA").write_text(METADATA)
    (d / "WHEEL").write_text(WHEEL)
    return DIST_INFO


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    # An installed copy finds the repository (its dist/ runs the bridge) through this file.
    return _write_wheel(wheel_directory, {**_package_files(), f"{NAME}/_root.txt": (str(HERE.parent) + "\n").encode()})


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    # The package stays where it is (next to the repository's dist/ that runs its bridge).
    return _write_wheel(wheel_directory, {f"__editable__.{NAME}.pth": (str(HERE) + "\n").encode()})
