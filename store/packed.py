"""numpy arrays packed into one buffer behind a small text header, and read back as views.

The search indexes are stored as blobs in the catalog and read at start-up: views onto the
blob's bytes cost no copy, which keeps a million-paper catalog's start-up short.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sqlite_utils


def pack(fmt: bytes, arrays: Sequence[np.ndarray]) -> bytearray:
    """``fmt`` and each array's dtype and size on one line, then the arrays' bytes in order."""
    header = fmt + b";" + ";".join(f"{a.dtype.str}:{a.size}" for a in arrays).encode("ascii") + b"\n"
    out = bytearray(len(header) + sum(a.nbytes for a in arrays))
    out[: len(header)] = header
    position = len(header)
    for array in arrays:
        np.frombuffer(out, dtype=array.dtype, count=array.size, offset=position)[:] = array
        position += array.nbytes
    return out


def unpack(fmt: bytes, data: bytes) -> list[np.ndarray]:
    """The arrays ``pack`` wrote, as views onto ``data``; ValueError for another format."""
    header, _, _ = data[:200].partition(b"\n")
    found, _, specs = header.partition(b";")
    if found != fmt:
        raise ValueError(f"stored as {found!r}, not {fmt!r}")
    position = len(header) + 1
    arrays = []
    for spec in specs.decode("ascii").split(";"):
        dtype, size = spec.split(":")
        array = np.frombuffer(data, dtype=np.dtype(dtype), count=int(size), offset=position)
        arrays.append(array)
        position += array.nbytes
    return arrays


def read_stored(db: sqlite_utils.Database, name: str) -> bytes | None:
    """A stored index's bytes (its chunks joined), or None if there is none."""
    chunks = db.execute("select data from search_index where name = ? order by chunk", [name]).fetchall()
    return b"".join(c[0] for c in chunks) if chunks else None
