"""numpy arrays packed into one buffer behind a small text header, and read back as views.

The search indexes are stored as blobs in the catalog and read at start-up: views onto the
blob's bytes cost no copy, which keeps a million-paper catalog's start-up short.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import sqlite_utils

# A piece of a packed buffer, as ``store.index.search_index.store_index`` takes them.
Piece = bytes | bytearray | np.ndarray


def header(fmt: bytes, specs: Sequence[tuple[np.dtype, int]]) -> bytes:
    """The line ``pack`` starts with: ``fmt``, then each array's dtype and size."""
    return fmt + b";" + ";".join(f"{np.dtype(d).str}:{n}" for d, n in specs).encode("ascii") + b"\n"


def as_bytes(piece: Piece) -> memoryview:
    """A piece's bytes, without a copy."""
    if isinstance(piece, np.ndarray):
        return np.ascontiguousarray(piece).view(np.uint8).data
    return memoryview(piece)


def allocate(fmt: bytes, specs: Sequence[tuple[np.dtype, int]]) -> tuple[bytearray, list[np.ndarray]]:
    """A buffer laid out as ``pack`` writes it, and writable views of its arrays (dtype, size).

    An index built straight into these views is stored without a copy.
    """
    header_line = header(fmt, specs)
    out = bytearray(len(header_line) + sum(np.dtype(d).itemsize * n for d, n in specs))
    out[: len(header_line)] = header_line
    views, position = [], len(header_line)
    for dtype, size in specs:
        view = np.frombuffer(out, dtype=dtype, count=size, offset=position)
        views.append(view)
        position += view.nbytes
    return out, views


def pack(fmt: bytes, arrays: Sequence[np.ndarray]) -> bytearray:
    """``fmt`` and each array's dtype and size on one line, then the arrays' bytes in order."""
    out, views = allocate(fmt, [(a.dtype, a.size) for a in arrays])
    for view, array in zip(views, arrays, strict=True):
        view[:] = array.ravel()
    return out


def unpack(fmt: bytes, data: bytes) -> list[np.ndarray]:
    """The arrays ``pack`` wrote, as views onto ``data``; ValueError for another format."""
    line, _, _ = data[:200].partition(b"\n")
    found, _, specs = line.partition(b";")
    if found != fmt:
        raise ValueError(f"stored as {found!r}, not {fmt!r}")
    position = len(line) + 1
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
