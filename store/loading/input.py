"""Reading the files a load is given: their format, their bytes, their records.

A path of ``-`` is standard input. Gzip is recognised by its first two bytes as well as by
its name, so a gzipped pipe or a misnamed file loads like a ``.gz``.
"""

from __future__ import annotations

import gzip
import io
import os
import stat
import sys
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO, TypeVar, cast

from store.catalog.models import LoadProblem, Paper
from store.loading.arxiv_jsonl import parse_jsonl
from store.loading.listing import parse_listing

T = TypeVar("T")

FORMATS = ("listing", "jsonl")
STDIN = Path("-")
STDIN_NAME = "<stdin>"  # how problems and the load history name standard input
_GZIP_MAGIC = b"\x1f\x8b"


class LoadError(Exception):
    """A load that cannot start or must stop (missing file, unknown format); nothing changed."""


def check_format(fmt: str | None) -> None:
    if fmt is not None and fmt not in FORMATS:
        raise LoadError(f"unknown format {fmt!r} (use one of: {', '.join(FORMATS)})")


def is_stdin(path: Path) -> bool:
    return str(path) == "-"


def source_name(path: Path) -> str:
    """The name problems are reported under: the path as given, or ``<stdin>``."""
    return STDIN_NAME if is_stdin(path) else str(path)


def input_size(path: Path) -> int | None:
    """The input's size in bytes, or None when it cannot be known (a pipe)."""
    if not is_stdin(path):
        return path.stat().st_size
    try:
        info = os.fstat(sys.stdin.fileno())
    except (OSError, ValueError, io.UnsupportedOperation):
        return None
    return info.st_size if stat.S_ISREG(info.st_mode) else None


def detect_format(path: Path, handle: BinaryIO | None = None) -> str:
    """``listing`` or ``jsonl``, from the name's suffix or else the first non-blank byte.

    ``handle`` (from ``open_binary``) is peeked at, not read, so standard input can be
    detected and then parsed from its start.
    """
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if suffixes and suffixes[-1] == ".txt":
        return "listing"
    try:
        if handle is not None:
            head = _peek(handle)
        else:
            with open_binary(path) as opened:
                head = _peek(opened)
    except (OSError, EOFError, zlib.error) as exc:
        raise LoadError(f"{source_name(path)}: cannot be read ({exc}); nothing was loaded") from exc
    return "jsonl" if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else "listing"


def _peek(handle: BinaryIO) -> bytes:
    peek = getattr(handle, "peek", None)
    if peek is None:
        raise OSError("the input cannot be peeked at")
    return bytes(peek(4096))[:4096]


def open_binary(path: Path) -> BinaryIO:
    """The input's bytes, decompressed if they start with gzip's magic bytes or end in ``.gz``."""
    if is_stdin(path):
        return _stdin()
    with path.open("rb") as probe:
        magic = probe.read(2)
    if magic == _GZIP_MAGIC or path.suffix.lower() == ".gz":
        # A GzipFile is a binary file object; typeshed does not declare it one.
        return cast(BinaryIO, gzip.open(path, "rb"))
    return path.open("rb")


def _stdin() -> BinaryIO:
    stream = cast(BinaryIO, sys.stdin.buffer)
    if not hasattr(stream, "peek"):
        stream = cast(BinaryIO, io.BufferedReader(cast(io.RawIOBase, stream)))
    if bytes(cast(io.BufferedReader, stream).peek(2))[:2] == _GZIP_MAGIC:
        return cast(BinaryIO, gzip.GzipFile(fileobj=stream, mode="rb"))
    return stream


def bytes_read(handle: BinaryIO) -> int | None:
    """How far into the input (compressed, as its size counts) reading has got, if knowable."""
    raw = getattr(handle, "fileobj", None) if isinstance(handle, gzip.GzipFile) else handle
    try:
        return int(raw.tell()) if raw is not None else None
    except (OSError, ValueError):
        return None


def _text_lines(handle: BinaryIO) -> Iterator[str]:
    # Undecodable bytes are replaced rather than fatal: one bad byte must not cost a catalog.
    # The wrapper is detached, not closed, when parsing ends: the handle belongs to the caller.
    wrapper = io.TextIOWrapper(handle, encoding="utf-8", errors="replace", newline="")
    try:
        yield from wrapper
    finally:
        if not handle.closed:
            wrapper.detach()


def records_from(
    handle: BinaryIO, fmt: str, source: str, today: date | None = None
) -> Iterator[Paper | LoadProblem]:
    """Parse an open input in the given format."""
    check_format(fmt)
    if fmt == "jsonl":
        yield from parse_jsonl(handle, source)
    else:
        yield from parse_listing(_text_lines(handle), source, today or date.today())


def read_records(
    path: Path, fmt: str | None = None, today: date | None = None
) -> Iterator[Paper | LoadProblem]:
    """Parse one file in the given (or detected) format."""
    with open_binary(path) as handle:
        yield from records_from(handle, fmt or detect_format(path, handle), source_name(path), today)


def check_readable(paths: list[Path]) -> None:
    """Refuse the load before it starts when a file is missing or cannot be opened."""
    if sum(is_stdin(p) for p in paths) > 1:
        raise LoadError("- (standard input) can be given only once")
    for path in paths:
        if is_stdin(path):
            continue
        if not path.exists():
            raise LoadError(f"{path}: no such file")
        if not path.is_file():
            raise LoadError(f"{path}: not a file")
        try:
            with path.open("rb"):
                pass
        except OSError as exc:
            raise LoadError(f"{path}: cannot be read ({exc.strerror})") from exc


def unreadable_as_load_error(path: Path, chunks: Iterator[T]) -> Iterator[T]:
    """The chunks, with a file that cannot be read to its end turned into a ``LoadError``.

    A truncated or corrupt ``.gz`` fails only once reading reaches the damage (EOFError,
    zlib.error, BadGzipFile), possibly in the worker process; Click would take an EOFError
    for the user pressing Ctrl-D.
    """
    try:
        yield from chunks
    except (OSError, EOFError, zlib.error) as exc:
        raise LoadError(f"{source_name(path)}: cannot be read ({exc}); nothing was loaded") from exc
