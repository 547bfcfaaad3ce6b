"""Loading catalog files into SQLite: idempotent upserts, all-or-nothing, indexes rebuilt.

A load is one transaction: a crash, a kill or an exception half-way leaves the previous
catalog exactly as it was (SQLite rolls the journal back). Papers are keyed by a stable id and
authors by a normalised key, so loading the same or an overlapping file again changes nothing
that did not change in the file.

The pieces, all in this wing: ``input`` reads files, ``parse`` and ``worker`` turn them into
rows, ``fresh`` and ``merge`` write them (into an empty catalog, or into one with papers),
``settings`` suspends what would slow the writing; ``store.index.search_index`` builds the indexes.
The catalog is handed in (``load_into``): the catalog wing knows nothing of loading.
"""

from __future__ import annotations

import gc
import logging
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import BinaryIO

import sqlite_utils

from store.catalog.file import CatalogFile
from store.catalog.models import LoadProblem
from store.catalog.opening import Notify, patiently, restore_journal, rollback_journal, write_lock
from store.catalog.schema import GENERATION_KEY, get_meta, set_meta
from store.index.search_index import rebuild_search_indexes
from store.loading.fresh import FreshLoad
from store.loading.input import (
    LoadError,
    bytes_read,
    check_format,
    check_readable,
    detect_format,
    input_size,
    is_stdin,
    open_binary,
    records_from,
    source_name,
    unreadable_as_load_error,
)
from store.loading.merge import MergeLoad
from store.loading.parse import AuthorNumbering, ParsedChunk, parse_papers
from store.loading.settings import restore, suspend
from store.loading.state import ChunkWriter, Written
from store.loading.worker import parallel_jsonl

log = logging.getLogger(__name__)

# JSON Lines files at least this big are parsed in a worker process.
_PARALLEL_BYTES = 8 * 1024 * 1024
# A rough size of one paper in an input file, to tell a bulk load from a small addition.
_BYTES_PER_PAPER = 1500
# Set in ``meta`` while the catalog holds only the bundled listing: the first load of the
# user's own files replaces it rather than adding to it.
BUNDLED_KEY = "bundled_only"


class LoadInterrupted(LoadError):
    """Ctrl-C (or SIGTERM) arrived after the load was committed: everything was loaded."""


class _NothingLoaded(Exception):
    """A load replacing the bundled listing brought no paper: it is undone, the listing kept."""


@dataclass
class LoadReport:
    """What a load did, for the CLI's summary line."""

    files: list[str] = field(default_factory=list)
    papers: int = 0
    added: int = 0
    problems: list[LoadProblem] = field(default_factory=list)
    replaced_bundled: int = 0  # papers of the bundled listing this load replaced


@dataclass(frozen=True)
class LoadProgress:
    """Where a load is, for a progress line: papers parsed, input bytes read of how many.

    ``phase`` is ``reading`` while papers go in, then ``indexing`` (one long step at the end).
    Byte counts are None when unknown (standard input from a pipe).
    """

    phase: str
    papers: int
    done_bytes: int | None
    total_bytes: int | None


Progress = Callable[[LoadProgress], None]


@dataclass(frozen=True)
class _Job:
    """One load's input and settings."""

    paths: Sequence[Path]
    fmt: str | None
    today: date | None
    batch_size: int
    loaded_at: str
    generation: str
    notify: Notify
    progress: Progress | None = None
    bundled: bool = False  # this load is the bundled listing, into an empty catalog

    @cached_property
    def sizes(self) -> list[int | None]:
        return [input_size(p) for p in self.paths]

    @property
    def incoming_bytes(self) -> int:
        return sum(size or 0 for size in self.sizes)

    def report(self, phase: str, papers: int, done: int | None) -> None:
        if self.progress is None:
            return
        total = None if None in self.sizes else self.incoming_bytes
        self.progress(LoadProgress(phase, papers, done if total is not None else None, total))

    def is_bulk(self, papers_before: int) -> bool:
        """Whether the load is big against the catalog: then indexes are rebuilt, not kept."""
        return papers_before == 0 or self.incoming_bytes // _BYTES_PER_PAPER >= papers_before // 4


def bundled_listing() -> Path:
    """The listing shipped inside the package: the catalog a fresh install starts with."""
    return Path(str(resources.files("store") / "data" / "papers.txt"))


def load_into(
    catalog: CatalogFile,
    paths: Sequence[Path],
    fmt: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    bundled: bool = False,
) -> LoadReport:
    """Load files into the catalog atomically, after any load already running.

    A catalog holding only the bundled listing has it replaced by the files (unless
    ``bundled``: this is that listing's load).
    """
    if catalog.readonly:
        raise LoadError(f"{catalog.path} is read-only: nothing can be loaded into it")
    # A big page cache keeps the id and key indexes in memory while millions of rows go in.
    catalog.db.execute("pragma cache_size = -262144")
    try:
        return load_files(
            catalog.db, paths, fmt=fmt, today=today, notify=catalog.notify, progress=progress, bundled=bundled
        )
    finally:
        catalog.db.execute("pragma cache_size = -16384")


def load_bundled_if_empty(catalog: CatalogFile, today: date | None = None) -> LoadReport | None:
    """Load the bundled listing into an empty catalog; return the report if it did."""
    if not catalog.is_empty():
        return None
    return load_into(catalog, [bundled_listing()], fmt="listing", today=today, bundled=True)


def load_files(
    db: sqlite_utils.Database,
    paths: Sequence[Path],
    fmt: str | None = None,
    today: date | None = None,
    batch_size: int = 2000,
    notify: Notify | None = None,
    progress: Progress | None = None,
    bundled: bool = False,
) -> LoadReport:
    """Load every file in one transaction; return what was loaded and what was skipped.

    A load already running is waited for (``notify`` hears of the wait once). Ctrl-C after
    the commit raises ``LoadInterrupted``: the papers are in, and the user must hear that.
    ``progress`` hears where the load is after every chunk. ``bundled`` marks the load of
    the bundled listing, which the next load replaces.
    """
    check_format(fmt)
    check_readable(list(paths))
    report = LoadReport(files=[str(p) for p in paths])
    job = _Job(
        paths,
        fmt,
        today,
        batch_size,
        loaded_at=datetime.now(UTC).isoformat(timespec="seconds"),
        generation=uuid.uuid4().hex,
        notify=notify or log.warning,
        progress=progress,
        bundled=bundled,
    )
    notice = "waiting for another load to finish…"
    before = patiently(db.conn, lambda: db["papers"].count, notice, job.notify)
    big = job.is_bulk(before) and job.incoming_bytes >= _PARALLEL_BYTES
    journal = patiently(db.conn, lambda: rollback_journal(db), notice, job.notify) if big else None
    # Millions of fresh tuples and strings, none of them in a cycle: the collector's passes
    # over them would find nothing.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            before = _load(db, job, report)
        except _NothingLoaded:
            before, report.replaced_bundled = db["papers"].count, 0
        finally:
            if collecting:
                gc.enable()
            if journal is not None:
                restore_journal(db, journal)
        report.added = db["papers"].count - before
    except KeyboardInterrupt as exc:
        if db.conn.in_transaction or get_meta(db, GENERATION_KEY) != job.generation:
            raise
        if journal is not None:
            restore_journal(db, journal)
        raise LoadInterrupted(
            f"interrupted after the load was committed: {report.papers:,} papers loaded"
        ) from exc
    return report


def _load(db: sqlite_utils.Database, job: _Job, report: LoadReport) -> int:
    """Write the load in one transaction; return how many papers there were before it."""
    clock = time.perf_counter()
    with write_lock(db.conn, job.notify):
        replacing = not job.bundled and get_meta(db, BUNDLED_KEY) is not None
        if replacing:
            report.replaced_bundled = _clear(db)
        before = db["papers"].count
        suspended = suspend(db, job.is_bulk(before))
        written = Written.start(db.conn)
        writer: ChunkWriter = (
            FreshLoad(db.conn, written) if written.titles is not None else MergeLoad(db.conn, written)
        )
        done = 0
        for path, size in zip(job.paths, job.sizes, strict=True):
            writer = _load_file(db, job, path, writer, report, done)
            done += size or 0
        if replacing and report.papers == 0:
            raise _NothingLoaded
        log.info("wrote %d papers in %.1f s", report.papers, time.perf_counter() - clock)
        job.report("indexing", report.papers, done)
        texts = writer.search_texts()
        if texts is None:
            writer.write_authors()
        # With the texts in hand nothing is read back: the index builds start at once, beside
        # the rest of the SQLite work.
        finish_tables: list[Callable[[], object]] = [writer.write_authors] if texts is not None else []
        finish_tables.append(lambda: restore(db, suspended))
        rebuild_search_indexes(db, alongside=finish_tables, texts=texts)
        log.info("rebuilt the search indexes at %.1f s", time.perf_counter() - clock)
        if job.bundled and before == 0:
            set_meta(db, BUNDLED_KEY, "1")
        elif replacing:
            db.execute("delete from meta where key = ?", [BUNDLED_KEY])
        set_meta(db, GENERATION_KEY, job.generation)
    log.info("committed at %.1f s", time.perf_counter() - clock)
    return before


def _clear(db: sqlite_utils.Database) -> int:
    """Empty a catalog that holds only the bundled listing; return how many papers it held.

    The full-text triggers are in place at this point, so deleting the rows removes their
    full-text entries too.
    """
    count = db["papers"].count
    for table in ("papers", "authors", "search_index", "loads"):
        db.execute(f"delete from {table}")
    return count


def _load_file(
    db: sqlite_utils.Database,
    job: _Job,
    path: Path,
    writer: ChunkWriter,
    report: LoadReport,
    done: int,
) -> ChunkWriter:
    """Write one file's chunks and record the file; return the writer for the next one.

    ``done`` is how many input bytes the earlier files held, for progress.
    """
    problems_before, papers = len(report.problems), 0
    with open_binary(path) as handle:
        fmt = job.fmt or detect_format(path, handle)
        chunks = _parsed_chunks(job, path, handle, fmt, writer.author_base)
        for chunk in unreadable_as_load_error(path, chunks):
            writer = writer.for_chunk(chunk)
            writer.write(chunk)
            report.problems.extend(chunk.problems)
            papers += len(chunk.rows)
            position = chunk.position
            job.report("reading", report.papers + papers, None if position is None else done + position)
    report.papers += papers
    db.table("loads").insert(
        {
            "source": source_name(path),
            "format": fmt,
            "loaded_at": job.loaded_at,
            "papers": papers,
            "problems": len(report.problems) - problems_before,
        }
    )
    return writer.next_file()


def _parsed_chunks(
    job: _Job, path: Path, handle: BinaryIO, fmt: str, base: int | None
) -> Iterator[ParsedChunk]:
    """The file's chunks, authors numbered from ``base`` if given.

    Big JSON Lines files are parsed in a worker process, beside the writing; the listing
    format is parsed inline: its records span lines and its files are small. Standard input
    is parsed inline too, since only this process can read it.
    """
    numbering = AuthorNumbering(base)
    if fmt == "jsonl" and not is_stdin(path) and path.stat().st_size >= _PARALLEL_BYTES:
        for parsed in parallel_jsonl(path, job.loaded_at, job.batch_size):
            yield numbering.chunk(parsed)
        return
    source = source_name(path)
    records = records_from(handle, fmt, source, job.today)
    while batch := list(islice(records, job.batch_size)):
        parsed = parse_papers(batch, source, job.loaded_at)
        parsed.position = bytes_read(handle)
        yield numbering.chunk(parsed)
