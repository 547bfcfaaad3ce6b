"""Loading catalog files into SQLite: idempotent upserts, all-or-nothing, indexes rebuilt.

A load is one transaction: a crash, a kill or an exception half-way leaves the previous
catalog exactly as it was (SQLite rolls the journal back). Papers are keyed by a stable id and
authors by a normalised key, so loading the same or an overlapping file again changes nothing
that did not change in the file.

The pieces: ``load_input`` reads files, ``load_parse`` and ``worker`` turn them into rows,
``load_fresh`` and ``load_merge`` write them (into an empty catalog, or into one with papers),
``load_settings`` suspends what would slow the writing, ``search_index`` builds the indexes.
"""

from __future__ import annotations

import gc
import logging
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path

import sqlite_utils

from store.load_fresh import FreshLoad
from store.load_input import FORMATS as FORMATS
from store.load_input import LoadError as LoadError
from store.load_input import check_format, check_readable, read_records, unreadable_as_load_error
from store.load_input import detect_format as detect_format
from store.load_merge import MergeLoad
from store.load_parse import AuthorNumbering, ParsedChunk, parse_papers
from store.load_settings import restore, suspend
from store.load_state import ChunkWriter, Written
from store.models import LoadProblem
from store.opening import Notify, patiently, restore_journal, rollback_journal, write_lock
from store.schema import GENERATION_KEY, get_meta, set_meta
from store.search_index import rebuild_search_indexes
from store.worker import parallel_jsonl

log = logging.getLogger(__name__)

# JSON Lines files at least this big are parsed in a worker process.
_PARALLEL_BYTES = 8 * 1024 * 1024
# A rough size of one paper in an input file, to tell a bulk load from a small addition.
_BYTES_PER_PAPER = 1500


class LoadInterrupted(LoadError):
    """Ctrl-C (or SIGTERM) arrived after the load was committed: everything was loaded."""


@dataclass
class LoadReport:
    """What a load did, for the CLI's summary line."""

    files: list[str] = field(default_factory=list)
    papers: int = 0
    added: int = 0
    problems: list[LoadProblem] = field(default_factory=list)


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

    @property
    def incoming_bytes(self) -> int:
        return sum(p.stat().st_size for p in self.paths)

    def is_bulk(self, papers_before: int) -> bool:
        """Whether the load is big against the catalog: then indexes are rebuilt, not kept."""
        return papers_before == 0 or self.incoming_bytes // _BYTES_PER_PAPER >= papers_before // 4


def load_files(
    db: sqlite_utils.Database,
    paths: Sequence[Path],
    fmt: str | None = None,
    today: date | None = None,
    batch_size: int = 2000,
    notify: Notify | None = None,
) -> LoadReport:
    """Load every file in one transaction; return what was loaded and what was skipped.

    A load already running is waited for (``notify`` hears of the wait once). Ctrl-C after
    the commit raises ``LoadInterrupted``: the papers are in, and the user must hear that.
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
        before = db["papers"].count
        suspended = suspend(db, job.is_bulk(before))
        written = Written.start(db.conn)
        writer: ChunkWriter = (
            FreshLoad(db.conn, written) if written.titles is not None else MergeLoad(db.conn, written)
        )
        for path in job.paths:
            writer = _load_file(db, job, path, writer, report)
        log.info("wrote %d papers in %.1f s", report.papers, time.perf_counter() - clock)
        texts = writer.search_texts()
        if texts is None:
            writer.write_authors()

        def finish_tables() -> None:
            if texts is not None:
                writer.write_authors()
            restore(db, suspended)

        # With the texts in hand nothing is read back: the trigram build starts at once, beside
        # the rest of the SQLite work.
        rebuild_search_indexes(db, alongside=finish_tables, texts=texts)
        log.info("rebuilt the search indexes at %.1f s", time.perf_counter() - clock)
        set_meta(db, GENERATION_KEY, job.generation)
    log.info("committed at %.1f s", time.perf_counter() - clock)
    return before


def _load_file(
    db: sqlite_utils.Database, job: _Job, path: Path, writer: ChunkWriter, report: LoadReport
) -> ChunkWriter:
    """Write one file's chunks and record the file; return the writer for the next one."""
    fmt = job.fmt or detect_format(path)
    problems_before, papers = len(report.problems), 0
    for chunk in unreadable_as_load_error(path, _parsed_chunks(job, path, fmt, writer.author_base)):
        writer = writer.for_chunk(chunk)
        writer.write(chunk)
        report.problems.extend(chunk.problems)
        papers += len(chunk.rows)
    report.papers += papers
    db.table("loads").insert(
        {
            "source": str(path),
            "format": fmt,
            "loaded_at": job.loaded_at,
            "papers": papers,
            "problems": len(report.problems) - problems_before,
        }
    )
    return writer.next_file()


def _parsed_chunks(job: _Job, path: Path, fmt: str, base: int | None) -> Iterator[ParsedChunk]:
    """The file's chunks, authors numbered from ``base`` if given.

    Big JSON Lines files are parsed in a worker process, beside the writing; the listing
    format is parsed inline: its records span lines and its files are small.
    """
    numbering = AuthorNumbering(base)
    if fmt == "jsonl" and path.stat().st_size >= _PARALLEL_BYTES:
        for parsed in parallel_jsonl(path, job.loaded_at, job.batch_size):
            yield numbering.chunk(parsed)
        return
    records = read_records(path, fmt, job.today)
    while batch := list(islice(records, job.batch_size)):
        yield numbering.chunk(parse_papers(batch, str(path), job.loaded_at))
