"""Loading catalog files into SQLite: idempotent upserts, all-or-nothing, indexes rebuilt.

A load is one transaction: a crash, a kill or an exception half-way leaves the previous
catalog exactly as it was (SQLite rolls the journal back). Papers are keyed by a stable id and
authors by a normalised key, so loading the same or an overlapping file again changes nothing
that did not change in the file.
"""

from __future__ import annotations

import gc
import gzip
import io
import logging
import multiprocessing
import os
import sqlite3
import time
import uuid
import zlib
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import IO, TypeVar

import numpy as np
import orjson
import sqlite_utils

from store.arxiv_jsonl import parse_jsonl
from store.listing import parse_listing
from store.method_names import paper_aliases
from store.models import LoadProblem, Paper
from store.names import author_key, initials_form
from store.opening import Notify, patiently, restore_journal, rollback_journal, write_lock
from store.prefix import PrefixIndex
from store.schema import GENERATION_KEY, get_meta, set_meta
from store.text import fold
from store.trigram import TrigramIndex
from store.worker import end_if_orphaned, follow_parent

log = logging.getLogger(__name__)
T = TypeVar("T")

FORMATS = ("listing", "jsonl")
TITLE_INDEX = "titles"
AUTHOR_INDEX = "authors"
TITLE_PREFIX = "title-starts"
AUTHOR_PREFIX = "author-starts"
_BLOB_CHUNK = 256 * 1024 * 1024  # SQLite refuses blobs over 1 GB; stay well under it
_SQL_VARS = 500
# JSON Lines files at least this big are parsed in a worker process, this many chunks ahead.
_PARALLEL_BYTES = 8 * 1024 * 1024
_IN_FLIGHT = 3
# A rough size of one paper in an input file, to tell a bulk load from a small addition.
_BYTES_PER_PAPER = 1500


class LoadError(Exception):
    """A load that cannot start or must stop (missing file, unknown format); nothing changed."""


class LoadInterrupted(LoadError):
    """Ctrl-C (or SIGTERM) arrived after the load was committed: everything was loaded."""


@dataclass
class LoadReport:
    """What a load did, for the CLI's summary line."""

    files: list[str] = field(default_factory=list)
    papers: int = 0
    added: int = 0
    problems: list[LoadProblem] = field(default_factory=list)


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
        with _open_binary(path) as handle:
            head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    except (OSError, EOFError, zlib.error) as exc:
        raise LoadError(f"{path}: cannot be read ({exc}); nothing was loaded") from exc
    return "jsonl" if head.startswith(b"{") else "listing"


def _open_binary(path: Path) -> IO[bytes]:
    if path.suffix.lower() == ".gz":
        return gzip.open(path, "rb")  # type: ignore[return-value]
    return path.open("rb")


def _text_lines(handle: IO[bytes]) -> Iterator[str]:
    # Undecodable bytes are replaced rather than fatal: one bad byte must not cost a catalog.
    yield from io.TextIOWrapper(handle, encoding="utf-8", errors="replace", newline="")


def read_records(
    path: Path, fmt: str | None = None, today: date | None = None
) -> Iterator[Paper | LoadProblem]:
    """Parse one file in the given (or detected) format."""
    fmt = fmt or detect_format(path)
    if fmt not in FORMATS:
        raise LoadError(f"unknown format {fmt!r} (use one of: {', '.join(FORMATS)})")
    with _open_binary(path) as handle:
        if fmt == "jsonl":
            yield from parse_jsonl(handle, str(path))
        else:
            yield from parse_listing(_text_lines(handle), str(path), today or date.today())


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
    if fmt is not None and fmt not in FORMATS:
        raise LoadError(f"unknown format {fmt!r} (use one of: {', '.join(FORMATS)})")
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
    report = LoadReport(files=[str(p) for p in paths])
    loaded_at = datetime.now(UTC).isoformat(timespec="seconds")
    generation = uuid.uuid4().hex
    notify = notify or log.warning
    notice = "waiting for another load to finish…"
    incoming_bytes = sum(p.stat().st_size for p in paths)
    before = patiently(db.conn, lambda: db["papers"].count, notice, notify)
    bulk = before == 0 or incoming_bytes // _BYTES_PER_PAPER >= before // 4
    big = bulk and incoming_bytes >= _PARALLEL_BYTES
    journal = patiently(db.conn, lambda: rollback_journal(db), notice, notify) if big else None
    # Millions of fresh tuples and strings, none of them in a cycle: the collector's passes
    # over them found nothing and took 3% of a big load.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            before = _load(db, paths, fmt, today, batch_size, loaded_at, generation, report, notify)
        finally:
            if collecting:
                gc.enable()
            if journal is not None:
                restore_journal(db, journal)
        report.added = db["papers"].count - before
    except KeyboardInterrupt as exc:
        if db.conn.in_transaction or get_meta(db, GENERATION_KEY) != generation:
            raise
        if journal is not None:
            restore_journal(db, journal)
        raise LoadInterrupted(
            f"interrupted after the load was committed: {report.papers:,} papers loaded"
        ) from exc
    return report


def _load(
    db: sqlite_utils.Database,
    paths: Sequence[Path],
    fmt: str | None,
    today: date | None,
    batch_size: int,
    loaded_at: str,
    generation: str,
    report: LoadReport,
    notify: Notify,
) -> int:
    """Write the load in one transaction; return how many papers there were before it."""
    clock = time.perf_counter()
    incoming_bytes = sum(p.stat().st_size for p in paths)
    with write_lock(db.conn, notify):
        before = db["papers"].count
        bulk = before == 0 or incoming_bytes // _BYTES_PER_PAPER >= before // 4
        suspended = _suspend(db, bulk)
        writer = _BatchWriter(db)
        for path in paths:
            file_fmt = fmt or detect_format(path)
            file_problems = len(report.problems)
            file_papers = 0
            chunks = _parsed_chunks(path, file_fmt, today, loaded_at, batch_size, writer.author_base)
            for chunk in _unreadable_as_load_error(path, chunks):
                writer.write(chunk)
                report.problems.extend(chunk.problems)
                file_papers += len(chunk.rows)
            writer.end_file()
            report.papers += file_papers
            db["loads"].insert(
                {
                    "source": str(path),
                    "format": file_fmt,
                    "loaded_at": loaded_at,
                    "papers": file_papers,
                    "problems": len(report.problems) - file_problems,
                }
            )
        log.info("wrote %d papers in %.1f s", report.papers, time.perf_counter() - clock)
        writer.group_papers()
        collected = writer.search_texts()
        if collected is None:
            writer.finish()
            rebuild_search_indexes(db, alongside=lambda: _restore(db, suspended))
        else:
            # Nothing to read back: the trigram build starts at once, beside the SQLite work.
            rebuild_search_indexes(
                db, alongside=lambda: (writer.finish(), _restore(db, suspended)), texts=collected
            )
        log.info("rebuilt the search indexes at %.1f s", time.perf_counter() - clock)
        set_meta(db, GENERATION_KEY, generation)
    log.info("committed at %.1f s", time.perf_counter() - clock)
    return before


def _unreadable_as_load_error(path: Path, chunks: Iterator[T]) -> Iterator[T]:
    """The chunks, with a file that cannot be read to its end turned into a ``LoadError``.

    A truncated or corrupt ``.gz`` fails only once reading reaches the damage (EOFError,
    zlib.error, BadGzipFile), possibly in the worker process. Click takes an EOFError for
    the user pressing Ctrl-D, so the CLI said "aborted" for a truncated download.
    """
    try:
        yield from chunks
    except (OSError, EOFError, zlib.error) as exc:
        raise LoadError(f"{path}: cannot be read ({exc}); nothing was loaded") from exc


# Secondary indexes a bulk load drops and creates again at the end: CREATE INDEX sorts once,
# where keeping them current put millions of keys in random places (at a million papers an
# index of author links, before schema 3 removed them, cost 8 s kept current against 4 s
# built at the end).
_BULK_INDEXES = ("idx_papers_category", "idx_papers_year")


# FTS5 settings for the length of a load. Its index grows in segments, one per flush of the
# pending terms (1 MB by default), merged 4 at a time: at a million papers that rewrote the
# index many times over. Flushing every 64 MB and merging 16 at a time fed the same million
# abstracts in 18.8 s instead of 35.2 s (measured 2026-12-01); search times afterwards were
# within the benchmark's run-to-run noise. FTS5's defaults are put back after the load.
_FTS_LOAD_CONFIG = {"hashsize": 64 * 1024 * 1024, "automerge": 16}
_FTS_DEFAULT_CONFIG = {"hashsize": 1024 * 1024, "automerge": 4}


@dataclass
class _Suspended:
    indexes: list[str]
    triggers: list[str]
    fts_config: dict[str, int]


def _suspend(db: sqlite_utils.Database, bulk: bool) -> _Suspended:
    """Drop the full-text triggers (and for a bulk load the secondary indexes), returning their SQL.

    The load keeps the full-text index current itself, a batch at a time (``_BatchWriter``):
    the triggers' row-by-row upkeep cost 7x that (measured at 100k papers: 11 s against
    1.5 s). The authors' key index stays when there are authors already, because the load
    looks names up in it. DDL is transactional in SQLite: if the load fails, the rollback
    brings everything back.
    """
    indexes = list(_BULK_INDEXES) if bulk else []
    if bulk and db.execute("select not exists (select 1 from authors)").fetchone()[0]:
        indexes.append("idx_authors_key")
    marks = ",".join("?" * len(indexes))
    rows = db.execute(
        "select type, name, sql from sqlite_master where (type = 'trigger' and tbl_name = 'papers') "
        f"or (type = 'index' and name in ({marks}))",
        indexes,
    ).fetchall()
    for kind, name, _ in rows:
        db.execute(f"drop {kind} [{name}]")
    return _Suspended(
        indexes=[sql for kind, _, sql in rows if kind == "index"],
        triggers=[sql for kind, _, sql in rows if kind == "trigger"],
        fts_config=_configure_fts(db, _FTS_LOAD_CONFIG),
    )


def _configure_fts(db: sqlite_utils.Database, settings: dict[str, int]) -> dict[str, int]:
    """Apply FTS5 settings; return the ones replaced (an older SQLite may lack some)."""
    stored = dict(db.execute("select k, v from papers_fts_config").fetchall())
    replaced = {}
    for name, value in settings.items():
        try:
            db.execute("insert into papers_fts (papers_fts, rank) values (?, ?)", [name, value])
        except sqlite3.DatabaseError:
            continue
        replaced[name] = int(stored.get(name, _FTS_DEFAULT_CONFIG[name]))
    return replaced


def _restore(db: sqlite_utils.Database, suspended: _Suspended) -> None:
    """Build the dropped indexes and put the triggers back."""
    for sql in suspended.indexes:
        db.execute(sql)
    for sql in suspended.triggers:
        db.execute(sql)
    _configure_fts(db, suspended.fts_config)


_PAPER_COLUMNS = (
    "id", "title", "title_norm", "aliases", "abstract", "published", "year", "category", "score",
    "has_code", "code_url", "authors_truncated", "source", "loaded_at", "authors",
)  # fmt: skip
# Rows go in through executemany: at a million papers, building per-row dicts for
# sqlite-utils' insert_all cost ten times the time SQLite itself needs. New rows take the
# next rowids in order (SQLite gives max(rowid) + 1, and the load holds the write lock), so
# the writer knows every new paper's rowid without binding it.
_INSERT_PAPER = (
    f"insert into papers ({', '.join(_PAPER_COLUMNS)}) values ({', '.join('?' * len(_PAPER_COLUMNS))})"
)
_UPDATE_PAPER = (
    "update papers set " + ", ".join(f"{c} = ?" for c in _PAPER_COLUMNS if c != "id") + " where rowid = ?"
)
_TITLE_NORM, _ALIASES = _PAPER_COLUMNS.index("title_norm"), _PAPER_COLUMNS.index("aliases")
_PUBLISHED = _PAPER_COLUMNS.index("published")
_INSERT_PAPER_AT = (
    f"insert into papers (rowid, {', '.join(_PAPER_COLUMNS)}) "
    f"values (?, {', '.join('?' * len(_PAPER_COLUMNS))})"
)
# The full-text index (external content: it holds no copy of the text) is kept current by the
# writer: an entry is removed with the very values it was made from, so before a row changes.
_FTS_INSERT = (
    "insert into papers_fts (rowid, title, abstract) select rowid, title, abstract from papers where {}"
)
_FTS_DELETE = (
    "insert into papers_fts (papers_fts, rowid, title, abstract) "
    "select 'delete', rowid, title, abstract from papers where rowid in ({marks})"
)


def paper_row(paper: Paper, source: str, loaded_at: str) -> tuple[object, ...]:
    """The paper as a ``papers`` row in ``_PAPER_COLUMNS`` order, but for its authors.

    Those need the author numbers of the whole file (``AuthorNumbering`` adds them).
    """
    folded = fold(paper.title)
    return (
        paper.id,
        paper.title,
        folded,
        " ".join(paper_aliases(paper.title, folded, paper.abstract, paper.code_url)),
        paper.abstract,
        paper.published.isoformat(),
        paper.published.year,
        paper.category,
        paper.score,
        int(paper.has_code),
        paper.code_url,
        int(paper.authors_truncated),
        source,
        loaded_at,
    )


@dataclass(slots=True)
class ParsedPapers:
    """A chunk of one file as rows, before its authors are numbered.

    This half of parsing needs nothing from earlier chunks, so a worker process can do it;
    numbering authors does (a name met in chunk 1 keeps its number in chunk 500). A paper
    twice in one chunk is kept once, as its last version.
    """

    rows: list[tuple[object, ...]]
    authors: list[tuple[str, ...]]  # each row's author names, as written
    problems: list[LoadProblem]


def parse_papers(records: Iterable[Paper | LoadProblem], source: str, loaded_at: str) -> ParsedPapers:
    problems: list[LoadProblem] = []
    papers: dict[str, Paper] = {}
    for record in records:
        if isinstance(record, LoadProblem):
            problems.append(record)
        else:
            papers[record.id] = record
    return ParsedPapers(
        [paper_row(paper, source, loaded_at) for paper in papers.values()],
        [paper.authors for paper in papers.values()],
        problems,
    )


@dataclass(slots=True)
class ParsedChunk:
    """A chunk of one file, ready for writing: all the per-paper Python work is done.

    Each row ends with its authors as JSON, ``[[author, name as written], …]``: authors are
    numbered per file in order of first appearance, and ``authors`` gives the ``(key, name)``
    of the numbers this chunk uses first, in order. With ``base`` set (a catalog with no
    authors yet), an author's id is its number plus ``base`` and the JSON already holds ids;
    otherwise it holds numbers and the writer maps them. ``link_rows``/``link_authors`` are
    the same links as arrays (row index, author number or id), for the authors' paper lists.
    """

    rows: list[tuple[object, ...]]
    link_rows: np.ndarray
    link_authors: np.ndarray
    authors: list[tuple[str, str]]
    base: int | None
    repeats: bool  # a paper of this chunk was in an earlier chunk of the file
    problems: list[LoadProblem]


class AuthorNumbering:
    """The part of parsing a file that spans its chunks: author numbers, paper ids seen.

    It runs in the writer's process, as chunks arrive from the worker. Where it runs decides
    which process is busier: at a million papers, in alternated runs, a load took 69.4–79.8 s
    with it in the worker and 66.0–69.3 s in the writer's process, since the writer no longer
    writes link rows.
    """

    def __init__(self, base: int | None = None) -> None:
        self.base = base
        self.numbers: dict[str, int] = {}  # author key → number
        self.by_name: dict[str, int] = {}  # name as written → number (-1: not a name)
        self.seen: set[str] = set()

    def _number(self, name: str, first_used: list[tuple[str, str]]) -> int:
        """The number of the author with this name's key, new if the key is; -1 for no key."""
        key = author_key(name)
        if not key:
            return -1
        number = self.numbers.get(key)
        if number is None:
            number = self.numbers[key] = len(self.numbers)
            first_used.append((key, name))
        return number

    def chunk(self, parsed: ParsedPapers) -> ParsedChunk:
        by_name, offset = self.by_name, self.base or 0
        rows: list[tuple[object, ...]] = []
        link_rows: list[int] = []
        link_authors: list[int] = []
        first_used: list[tuple[str, str]] = []
        for index, (row, names) in enumerate(zip(parsed.rows, parsed.authors, strict=True)):
            pairs: list[tuple[int, str]] = []
            for name in names:
                number = by_name.get(name)
                if number is None:
                    number = by_name[name] = self._number(name, first_used)
                if number >= 0:
                    pairs.append((number + offset, name))
                    link_rows.append(index)
                    link_authors.append(number + offset)
            rows.append((*row, orjson.dumps(pairs).decode()))
        ids = [row[0] for row in rows]
        repeats = not self.seen.isdisjoint(ids)
        self.seen.update(ids)
        return ParsedChunk(
            rows,
            np.asarray(link_rows, dtype=np.int64),
            np.asarray(link_authors, dtype=np.int64),
            first_used,
            self.base,
            repeats,
            parsed.problems,
        )


def _parsed_chunks(
    path: Path, fmt: str, today: date | None, loaded_at: str, batch_size: int, base: int | None
) -> Iterator[ParsedChunk]:
    """The file's chunks, authors numbered from ``base`` if given.

    Big JSON Lines files are parsed in a second process: parsing and normalising is as much
    work as SQLite's writing, and on two cores the two overlap. The listing format is parsed
    inline: its records span lines and its files are small.
    """
    source = str(path)
    numbering = AuthorNumbering(base)
    if fmt == "jsonl" and path.stat().st_size >= _PARALLEL_BYTES:
        for parsed in _parallel_jsonl(path, loaded_at, batch_size):
            yield numbering.chunk(parsed)
        return
    records = read_records(path, fmt, today)
    while batch := list(islice(records, batch_size)):
        yield numbering.chunk(parse_papers(batch, source, loaded_at))


class _FileReader:
    """The worker process's side of a big load: it reads the file itself, a chunk per task.

    Sending it the lines instead meant pickling 800 MB through a pipe at a million papers;
    reading them here took the main phase of such a load from 70–73 s to 57–61 s (two runs
    each, alternated). One worker runs the tasks in the order they were submitted, so
    chunks come in file order.
    """

    def __init__(self, path: str, loaded_at: str, batch_size: int) -> None:
        self.source, self.loaded_at, self.batch_size = path, loaded_at, batch_size
        self.parent = os.getppid()
        self.handle = _open_binary(Path(path))
        self.next_line = 1

    def next_chunk(self) -> ParsedPapers | None:
        """The next chunk, or None at the end of the file."""
        lines = [] if self.handle.closed else list(islice(self.handle, self.batch_size))
        if not lines:
            self.handle.close()
            return None
        first_line, self.next_line = self.next_line, self.next_line + len(lines)
        records = parse_jsonl(lines, self.source, first_line=first_line)
        return parse_papers(records, self.source, self.loaded_at)


_WORKER_READER: _FileReader | None = None  # one worker process per file, so one reader


def _start_worker(path: str, loaded_at: str, batch_size: int, parent: int) -> None:
    global _WORKER_READER
    follow_parent(parent)
    _WORKER_READER = _FileReader(path, loaded_at, batch_size)


def _worker_next_chunk() -> ParsedPapers | None:
    assert _WORKER_READER is not None
    end_if_orphaned(_WORKER_READER.parent)
    return _WORKER_READER.next_chunk()


def _parallel_jsonl(path: Path, loaded_at: str, batch_size: int) -> Iterator[ParsedPapers]:
    # fork, not spawn: spawn re-runs the caller's __main__ in the worker, which breaks any
    # script that loads at top level. The worker never touches the parent's SQLite handles.
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    with ProcessPoolExecutor(
        max_workers=1,
        mp_context=context,
        initializer=_start_worker,
        initargs=(str(path), loaded_at, batch_size, os.getpid()),
    ) as pool:
        pending = deque(pool.submit(_worker_next_chunk) for _ in range(_IN_FLIGHT))
        while pending:
            parsed = pending.popleft().result()
            if parsed is None:
                break  # the tasks still pending find the end of the file too
            pending.append(pool.submit(_worker_next_chunk))
            yield parsed


class _BatchWriter:
    """Writes parsed chunks, and at the end the authors with the lists of their papers.

    Runs inside the load's transaction, which holds SQLite's write lock, so new paper rowids
    and author ids can be handed out from counters. Each paper's row holds its authors; each
    author's row the rowids of its papers, written once at the end: every (author, paper)
    link of the load is kept in numpy arrays meanwhile. It also keeps the full-text index
    current (the triggers are suspended during a load).

    A file loaded into an empty catalog takes a fast path: its rows and full-text entries go
    in with no per-row work here (rowids and author ids are the file's numbers plus an
    offset). Anything else (papers already stored, a paper again in a later chunk, authors
    from an earlier file) is looked up and mapped row by row.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.conn = db.conn
        self.next_author_id = (self.conn.execute("select max(id) from authors").fetchone()[0] or 0) + 1
        self.next_rowid = (self.conn.execute("select max(rowid) from papers").fetchone()[0] or 0) + 1
        self.first_new_author = self.next_author_id
        self.first_new_rowid = self.next_rowid
        self.new_authors: list[tuple[str, str]] = []  # (key, name) of ids first_new_author + i
        self.known: dict[str, int] = {}  # key → id of authors met by this load, when needed
        # Every link the load wrote, as (author ids, paper rowids) per chunk. A paper written
        # twice (again in a later chunk, or already stored) voids these: ``replaced`` is set,
        # and the links are read back from the rows at the end instead.
        self.links: list[tuple[np.ndarray, np.ndarray]] = []
        self.replaced = False
        self.updated: list[int] = []  # rowids stored before this load that it rewrote
        self.losing: set[int] = set()  # authors of the versions it replaced
        self.grouped: tuple[np.ndarray, np.ndarray, list[int]] | None = None
        # Into an empty catalog, every paper's title text and date is kept (at rowid - 1) for
        # the trigram index, instead of reading a million rows back at the end.
        self.collecting = self.next_rowid == 1 and self.next_author_id == 1
        self.title_texts: list[str] = []
        self.published: list[str] = []
        self.start_file()

    def start_file(self) -> None:
        self.fresh = self.next_rowid == 1  # no paper in the catalog yet
        # Into a catalog with no authors yet, the file's author numbers are the new ids.
        self.author_base: int | None = self.next_author_id if self.next_author_id == 1 else None
        self.ids: list[int] = []  # author number → id, when there is no base

    def end_file(self) -> None:
        self.start_file()

    def write(self, chunk: ParsedChunk) -> None:
        rows, authors = chunk.rows, chunk.link_authors
        if chunk.base is not None:
            self.new_authors.extend(chunk.authors)
            self.next_author_id += len(chunk.authors)
        else:
            self.ids.extend(self._author_ids(chunk.authors))
            ids = self.ids
            authors = np.asarray([ids[n] for n in authors.tolist()], dtype=np.int64)
            rows = [(*row[:-1], self._mapped(row[-1])) for row in rows]  # type: ignore[arg-type]
        rowids = self._append(rows) if self.fresh and not chunk.repeats else self._merge(rows)
        self.links.append((authors, rowids[chunk.link_rows]))

    def _mapped(self, authors: str) -> str:
        """A row's authors JSON with file numbers turned into ids."""
        ids = self.ids
        return orjson.dumps([(ids[number], name) for number, name in orjson.loads(authors)]).decode()

    def _collect(self, rowids: Iterable[int], rows: list[tuple[object, ...]]) -> None:
        if not self.collecting:
            return
        texts, published = self.title_texts, self.published
        for rowid, row in zip(rowids, rows, strict=True):
            text = f"{row[_TITLE_NORM]} {row[_ALIASES]}".strip()
            if rowid > len(texts):
                texts.append(text)
                published.append(row[_PUBLISHED])  # type: ignore[arg-type]
            else:
                texts[rowid - 1] = text
                published[rowid - 1] = row[_PUBLISHED]  # type: ignore[call-overload]

    def _append(self, rows: list[tuple[object, ...]]) -> np.ndarray:
        conn, start = self.conn, self.next_rowid
        if not rows:  # a chunk of problems only
            return np.empty(0, dtype=np.int64)
        self._collect(range(start, start + len(rows)), rows)
        conn.executemany(_INSERT_PAPER, rows)
        self.next_rowid += len(rows)
        if conn.execute("select max(rowid) from papers").fetchone()[0] != self.next_rowid - 1:
            raise RuntimeError("papers did not take the expected rowids; the load was rolled back")
        conn.execute(_FTS_INSERT.format("rowid >= ?"), [start])
        return np.arange(start, self.next_rowid, dtype=np.int64)

    def _merge(self, rows: list[tuple[object, ...]]) -> np.ndarray:
        conn = self.conn
        existing = self._existing_rowids([row[0] for row in rows])  # type: ignore[misc]
        old = list(existing.values())
        if old:
            self.replaced = True
            self.updated.extend(r for r in old if r < self.first_new_rowid)
        for part in _chunks(old, _SQL_VARS):
            marks = ",".join("?" * len(part))
            for (authors,) in conn.execute(f"select authors from papers where rowid in ({marks})", part):
                self.losing.update(author for author, _ in orjson.loads(authors or "[]"))
            conn.execute(_FTS_DELETE.format(marks=marks), part)
        rowids: list[int] = []
        for row in rows:
            rowid = existing.get(row[0])  # type: ignore[call-overload]
            if rowid is None:
                rowid = self.next_rowid
                self.next_rowid += 1
            rowids.append(rowid)
        self._collect(rowids, rows)
        conn.executemany(_UPDATE_PAPER, ((*row[1:], existing[row[0]]) for row in rows if row[0] in existing))
        conn.executemany(
            _INSERT_PAPER_AT,
            ((rowid, *row) for rowid, row in zip(rowids, rows, strict=True) if row[0] not in existing),
        )
        for part in _chunks(rowids, _SQL_VARS):
            conn.execute(_FTS_INSERT.format(f"rowid in ({','.join('?' * len(part))})"), part)
        return np.asarray(rowids, dtype=np.int64)

    def _existing_rowids(self, paper_ids: list[str]) -> dict[str, int]:
        """Rowids of the papers already stored: written earlier in this load, or before it."""
        found: dict[str, int] = {}
        for part in _chunks(paper_ids, _SQL_VARS):
            marks = ",".join("?" * len(part))
            sql = f"select rowid, id from papers where id in ({marks})"
            found.update((paper_id, rowid) for rowid, paper_id in self.conn.execute(sql, part))
        return found

    def _author_ids(self, authors: list[tuple[str, str]]) -> list[int]:
        """Ids for ``(key, name)`` pairs: authors met earlier in this load, stored, or new."""
        known = self.known
        if not known and self.new_authors:
            # A later file: the authors an earlier one created are known by key from now on.
            known.update((key, self.first_new_author + i) for i, (key, _) in enumerate(self.new_authors))
        unknown = [key for key, _ in authors if key not in known]
        for part in _chunks(unknown if self.first_new_author > 1 else [], _SQL_VARS):
            marks = ",".join("?" * len(part))
            known.update(
                (key, author_id)
                for author_id, key in self.conn.execute(
                    f"select id, key from authors where key in ({marks})", part
                )
            )
        ids = []
        for key, name in authors:
            author_id = known.get(key)
            if author_id is None:
                author_id = known[key] = self.next_author_id
                self.next_author_id += 1
                self.new_authors.append((key, name))
            ids.append(author_id)
        return ids

    def _touched(self) -> np.ndarray:
        """Rowids of every paper this load wrote."""
        new = np.arange(self.first_new_rowid, self.next_rowid, dtype=np.int64)
        return np.union1d(new, np.asarray(self.updated, dtype=np.int64)) if self.updated else new

    def group_papers(self) -> None:
        """Each author's papers among those this load wrote: distinct, sorted by id then rowid."""
        if self.replaced:
            # Links of versions since replaced are in ``self.links``: read the rows instead.
            authors, rowids = [], []
            touched = self._touched().tolist()
            for part in _chunks(touched, _SQL_VARS):
                marks = ",".join("?" * len(part))
                for rowid, links in self.conn.execute(
                    f"select rowid, authors from papers where rowid in ({marks})", part
                ):
                    for author, _ in orjson.loads(links or "[]"):
                        authors.append(author)
                        rowids.append(rowid)
            author_ids, paper_rowids = np.asarray(authors, np.int64), np.asarray(rowids, np.int64)
        elif self.links:
            author_ids = np.concatenate([a for a, _ in self.links])
            paper_rowids = np.concatenate([r for _, r in self.links])
        else:
            author_ids = paper_rowids = np.empty(0, dtype=np.int64)
        # Sorted, then distinct: np.unique took 6.3 s on the 4.6M links of a 1M-paper load,
        # sorting 0.5 s (numpy 2.4).
        pairs = np.sort((author_ids << 32) | paper_rowids)  # rowids stay below 2**32
        if pairs.size:
            pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
        people = pairs >> 32
        ids, starts = np.unique(people, return_index=True)
        self.grouped = (ids, np.append(starts, people.size), (pairs & 0xFFFFFFFF).tolist())

    def search_texts(self) -> tuple[list[int], list[str], list[int], list[str]] | None:
        """What the trigram indexes are built from, in their order, if this load kept it.

        Titles newest first (ties by rowid), authors most prolific first (ties by id): the
        same as ``rebuild_search_indexes`` reads from the tables.
        """
        if not self.collecting or self.grouped is None:
            return None
        published = self.published
        order = sorted(range(len(published)), key=published.__getitem__, reverse=True)  # stable
        texts = self.title_texts
        ids, bounds, _ = self.grouped
        people = np.argsort(-np.diff(bounds), kind="stable")  # ids ascend: ties stay by id
        keys = [self.new_authors[i][0] for i in (ids[people] - 1).tolist()]
        return [i + 1 for i in order], [texts[i] for i in order], ids[people].tolist(), keys

    def finish(self) -> None:
        """Write new authors with their papers, update the others, drop those left with none."""
        conn = self.conn
        if self.grouped is None:
            self.group_papers()
        assert self.grouped is not None
        ids, bounds, rowids = self.grouped
        spans = list(zip(ids.tolist(), bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))
        first = self.first_new_author
        split = int(np.searchsorted(ids, first))
        new_authors = self.new_authors
        conn.executemany(
            "insert into authors (id, key, name, paper_count, papers) values (?, ?, ?, ?, ?)",
            (
                (author, *new_authors[author - first], end - start, orjson.dumps(rowids[start:end]).decode())
                for author, start, end in spans[split:]
            ),
        )
        # Authors stored before this load: their papers it did not touch stay, the ones it
        # wrote are what the rows now say. Their stored papers all predate this load's new
        # rows, so of the papers it wrote only the rewritten ones can be among them (a
        # membership test against every touched rowid, per author, was far slower).
        gained = {author: (start, end) for author, start, end in spans[:split]}
        changed = sorted(set(gained) | {a for a in self.losing if a < first})
        rewritten = set(self.updated)
        for part in _chunks(changed, _SQL_VARS):
            marks = ",".join("?" * len(part))
            updates, emptied = [], []
            for author, papers in conn.execute(f"select id, papers from authors where id in ({marks})", part):
                kept = [rowid for rowid in orjson.loads(papers or "[]") if rowid not in rewritten]
                start, end = gained.get(author, (0, 0))
                merged = sorted({*kept, *rowids[start:end]})
                if merged:
                    updates.append((len(merged), orjson.dumps(merged).decode(), author))
                else:
                    emptied.append(author)
            conn.executemany("update authors set paper_count = ?, papers = ? where id = ?", updates)
            if emptied:
                conn.execute(f"delete from authors where id in ({','.join('?' * len(emptied))})", emptied)


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rebuild_search_indexes(
    db: sqlite_utils.Database,
    alongside: Callable[[], object] | None = None,
    texts: tuple[list[int], list[str], list[int], list[str]] | None = None,
) -> None:
    """Rebuild the trigram indexes, inside the caller's transaction.

    Titles are numbered newest first and authors most prolific first, so when candidates tie
    the likelier answer is kept. ``texts`` (title rowids and texts, author ids and keys, in
    that order) saves reading them from the tables. ``alongside`` (more SQLite work, such as
    building secondary indexes) runs on this thread while numpy builds the indexes on
    another: both release the GIL for most of their work, and a big load has two cores.
    """
    if texts is None:
        papers = db.execute(
            "select rowid, title_norm, aliases from papers order by published desc, rowid"
        ).fetchall()
        people = db.execute("select id, key from authors order by paper_count desc, id").fetchall()
        texts = (
            [r[0] for r in papers],
            [f"{r[1]} {r[2]}".strip() for r in papers],
            [r[0] for r in people],
            [r[1] for r in people],
        )
        del papers, people
    title_ids, title_texts, author_ids, author_keys = texts

    def build() -> tuple[TrigramIndex, TrigramIndex, PrefixIndex, PrefixIndex]:
        titles = TrigramIndex.build(title_ids, title_texts)
        authors = TrigramIndex.build(author_ids, [f"{key} {initials_form(key)}" for key in author_keys])
        title_starts = PrefixIndex.for_titles(title_ids, title_texts)
        name_starts = PrefixIndex.for_authors(author_ids, author_keys)
        return titles, authors, title_starts, name_starts

    with ThreadPoolExecutor(max_workers=1) as pool:
        built = pool.submit(build)
        if alongside is not None:
            alongside()
        titles, authors, title_starts, name_starts = built.result()
    db.execute("delete from search_index")
    indexes = ((TITLE_INDEX, titles), (AUTHOR_INDEX, authors))
    for name, index in (*indexes, (TITLE_PREFIX, title_starts), (AUTHOR_PREFIX, name_starts)):
        data = memoryview(index.to_bytes())  # chunks as views, not copies
        db["search_index"].insert_all(
            {"name": name, "chunk": n, "data": data[start : start + _BLOB_CHUNK]}
            for n, start in enumerate(range(0, max(len(data), 1), _BLOB_CHUNK))
        )


def read_search_index(db: sqlite_utils.Database, name: str) -> TrigramIndex | None:
    """The stored index, or None if there is none or it is in a format this version can't read."""
    chunks = db.execute("select data from search_index where name = ? order by chunk", [name]).fetchall()
    if not chunks:
        return None
    try:
        return TrigramIndex.from_bytes(b"".join(c[0] for c in chunks))
    except ValueError:
        return None


def refresh_search_indexes(db: sqlite_utils.Database) -> None:
    """Rebuild the stored indexes from the rows (after an upgrade changed their format)."""
    with db.atomic():
        rebuild_search_indexes(db)
        set_meta(db, GENERATION_KEY, uuid.uuid4().hex)
