"""Reading the files a load is given: their format, their bytes, their records."""

from __future__ import annotations

import gzip
import io
import zlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import BinaryIO, TypeVar, cast

from store.arxiv_jsonl import parse_jsonl
from store.listing import parse_listing
from store.models import LoadProblem, Paper

T = TypeVar("T")

FORMATS = ("listing", "jsonl")


class LoadError(Exception):
    """A load that cannot start or must stop (missing file, unknown format); nothing changed."""


def check_format(fmt: str | None) -> None:
    if fmt is not None and fmt not in FORMATS:
        raise LoadError(f"unknown format {fmt!r} (use one of: {', '.join(FORMATS)})")


def detect_format(path: Path) -> str:
    """``listing`` or ``jsonl``, from the name's suffix or else the first non-blank byte."""
    suffixes = [s.lower() for s in path.suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes = suffixes[:-1]
    if suffixes and suffixes[-1] in {".jsonl", ".ndjson", ".json"}:
        return "jsonl"
    if suffixes and suffixes[-1] == ".txt":
        return "listing"
    try:
        with open_binary(path) as handle:
            head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except (OSError, EOFError, zlib.error) as exc:
        raise LoadError(f"{path}: cannot be read ({exc}); nothing was loaded") from exc
    return "jsonl" if head.startswith(b"{") else "listing"


def open_binary(path: Path) -> BinaryIO:
    """The file's bytes, decompressed if its name ends in ``.gz``."""
    if path.suffix.lower() == ".gz":
        # A GzipFile is a binary file object; typeshed does not declare it one.
        return cast(BinaryIO, gzip.open(path, "rb"))
    return path.open("rb")


def _text_lines(handle: BinaryIO) -> Iterator[str]:
    # Undecodable bytes are replaced rather than fatal: one bad byte must not cost a catalog.
    yield from io.TextIOWrapper(handle, encoding="utf-8", errors="replace", newline="")


def read_records(
    path: Path, fmt: str | None = None, today: date | None = None
) -> Iterator[Paper | LoadProblem]:
    """Parse one file in the given (or detected) format."""
    fmt = fmt or detect_format(path)
    check_format(fmt)
    with open_binary(path) as handle:
        if fmt == "jsonl":
            yield from parse_jsonl(handle, str(path))
        else:
            yield from parse_listing(_text_lines(handle), str(path), today or date.today())


def check_readable(paths: list[Path]) -> None:
    """Refuse the load before it starts when a file is missing or cannot be opened."""
    for path in paths:
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
        raise LoadError(f"{path}: cannot be read ({exc}); nothing was loaded") from exc
