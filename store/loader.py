"""Loading catalog files into SQLite: idempotent upserts, all-or-nothing, indexes rebuilt.

A load is one transaction: a crash, a kill or an exception half-way leaves the previous
catalog exactly as it was (SQLite rolls the journal back). Papers are keyed by a stable id and
authors by a normalised key, so loading the same or an overlapping file again changes nothing
that did not change in the file.
"""

from __future__ import annotations

import gzip
import io
import logging
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from itertools import islice
from pathlib import Path
from typing import IO

import sqlite_utils

from store.arxiv_jsonl import parse_jsonl
from store.listing import parse_listing
from store.models import LoadProblem, Paper
from store.names import author_key, initials_form
from store.schema import GENERATION_KEY, set_meta
from store.text import fold, title_aliases
from store.trigram import TrigramIndex

log = logging.getLogger(__name__)

FORMATS = ("listing", "jsonl")
TITLE_INDEX = "titles"
AUTHOR_INDEX = "authors"
_BLOB_CHUNK = 256 * 1024 * 1024  # SQLite refuses blobs over 1 GB; stay well under it
_SQL_VARS = 500


class LoadError(Exception):
    """A load that cannot start or must stop (missing file, unknown format); nothing changed."""


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
    with _open_binary(path) as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
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
) -> LoadReport:
    """Load every file in one transaction; return what was loaded and what was skipped."""
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
    before = db["papers"].count
    with db.atomic():
        writer = _BatchWriter(db, loaded_at)
        for path in paths:
            file_fmt = fmt or detect_format(path)
            file_problems = len(report.problems)
            file_papers = 0
            papers = _collect_problems(read_records(path, file_fmt, today), report.problems)
            while batch := list(islice(papers, batch_size)):
                writer.write(batch, str(path))
                file_papers += len(batch)
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
        writer.finish()
        rebuild_search_indexes(db)
        set_meta(db, GENERATION_KEY, uuid.uuid4().hex)
    report.added = db["papers"].count - before
    return report


def _collect_problems(records: Iterable[Paper | LoadProblem], problems: list[LoadProblem]) -> Iterator[Paper]:
    for record in records:
        if isinstance(record, LoadProblem):
            problems.append(record)
        else:
            yield record


def paper_row(paper: Paper, source: str, loaded_at: str) -> dict[str, object]:
    return {
        "id": paper.id,
        "title": paper.title,
        "title_norm": fold(paper.title),
        "aliases": " ".join(title_aliases(paper.title)),
        "abstract": paper.abstract,
        "published": paper.published.isoformat(),
        "year": paper.published.year,
        "category": paper.category,
        "score": paper.score,
        "has_code": int(paper.has_code),
        "code_url": paper.code_url,
        "authors_truncated": int(paper.authors_truncated),
        "source": source,
        "loaded_at": loaded_at,
    }


class _BatchWriter:
    """Writes batches of papers with their author links; remembers which authors it touched."""

    def __init__(self, db: sqlite_utils.Database, loaded_at: str) -> None:
        self.db = db
        self.loaded_at = loaded_at
        self.author_ids: dict[str, int] = {}
        self.touched: set[int] = set()

    def write(self, papers: list[Paper], source: str) -> None:
        db = self.db
        db["papers"].upsert_all((paper_row(p, source, self.loaded_at) for p in papers), pk="id")
        ids = list(dict.fromkeys(p.id for p in papers))
        for chunk in _chunks(ids, _SQL_VARS):
            marks = ",".join("?" * len(chunk))
            self.touched.update(
                row[0]
                for row in db.execute(
                    f"select author_id from paper_authors where paper_id in ({marks})", chunk
                ).fetchall()
            )
            db.execute(f"delete from paper_authors where paper_id in ({marks})", chunk)
        final = {p.id: p for p in papers}  # a paper twice in one batch: the last one wins
        keys = {author_key(n): n for p in final.values() for n in p.authors if author_key(n)}
        self._resolve_authors(keys)
        links = [
            {"paper_id": p.id, "position": i, "author_id": self.author_ids[author_key(n)], "name": n}
            for p in final.values()
            for i, n in enumerate(n for n in p.authors if author_key(n))
        ]
        db["paper_authors"].insert_all(links)
        self.touched.update(link["author_id"] for link in links)  # type: ignore[misc]

    def _resolve_authors(self, keys: dict[str, str]) -> None:
        missing = [k for k in keys if k not in self.author_ids]
        for chunk in _chunks(missing, _SQL_VARS):
            marks = ",".join("?" * len(chunk))
            for author_id, key in self.db.execute(
                f"select id, key from authors where key in ({marks})", chunk
            ).fetchall():
                self.author_ids[key] = author_id
        new = [k for k in missing if k not in self.author_ids]
        if not new:
            return
        self.db["authors"].insert_all({"key": k, "name": keys[k], "paper_count": 0} for k in new)
        for chunk in _chunks(new, _SQL_VARS):
            marks = ",".join("?" * len(chunk))
            for author_id, key in self.db.execute(
                f"select id, key from authors where key in ({marks})", chunk
            ).fetchall():
                self.author_ids[key] = author_id

    def finish(self) -> None:
        """Recount the touched authors' papers and drop authors left with none."""
        db = self.db
        db.execute("create temp table if not exists touched_authors (id integer primary key)")
        db.execute("delete from touched_authors")
        db.conn.executemany(
            "insert or ignore into touched_authors (id) values (?)", ((i,) for i in self.touched)
        )
        db.execute(
            """
            update authors set paper_count = coalesce(
                (select count(distinct paper_id) from paper_authors
                 where paper_authors.author_id = authors.id), 0)
            where id in (select id from touched_authors)
            """
        )
        db.execute("delete from authors where paper_count = 0 and id in (select id from touched_authors)")
        db.execute("drop table touched_authors")


def _chunks(items: Sequence[str], size: int) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def rebuild_search_indexes(db: sqlite_utils.Database) -> None:
    """Rebuild the trigram indexes from the rows, inside the caller's transaction.

    Titles are numbered newest first and authors most prolific first, so when candidates tie
    the likelier answer is kept.
    """
    rows = db.execute(
        "select rowid, title_norm, aliases from papers order by published desc, rowid"
    ).fetchall()
    titles = TrigramIndex.build([r[0] for r in rows], [f"{r[1]} {r[2]}".strip() for r in rows])
    rows = db.execute("select id, key from authors order by paper_count desc, id").fetchall()
    authors = TrigramIndex.build([r[0] for r in rows], [f"{r[1]} {initials_form(r[1])}" for r in rows])
    db.execute("delete from search_index")
    for name, index in ((TITLE_INDEX, titles), (AUTHOR_INDEX, authors)):
        data = index.to_bytes()
        db["search_index"].insert_all(
            {"name": name, "chunk": n, "data": data[start : start + _BLOB_CHUNK]}
            for n, start in enumerate(range(0, max(len(data), 1), _BLOB_CHUNK))
        )


def read_search_index(db: sqlite_utils.Database, name: str) -> TrigramIndex | None:
    chunks = db.execute("select data from search_index where name = ? order by chunk", [name]).fetchall()
    if not chunks:
        return None
    return TrigramIndex.from_bytes(b"".join(c[0] for c in chunks))
