"""Parsed records as ``papers`` rows, and authors numbered across a file's chunks.

Parsing is split in two: ``parse_papers`` needs nothing from earlier chunks, so a worker
process can run it; ``AuthorNumbering`` does (a name met in chunk 1 keeps its number in chunk
500), so it runs in the writer's process as chunks arrive.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import orjson

from store.catalog.models import LoadProblem, Paper
from store.index.method_names import paper_aliases
from store.index.names import author_key
from store.text import fold

Row = tuple[object, ...]

PAPER_COLUMNS = (
    "id", "title", "title_norm", "aliases", "abstract", "published", "year", "category", "score",
    "has_code", "code_url", "authors_truncated", "source", "loaded_at", "authors",
)  # fmt: skip
TITLE_NORM, ALIASES = PAPER_COLUMNS.index("title_norm"), PAPER_COLUMNS.index("aliases")
PUBLISHED = PAPER_COLUMNS.index("published")
COLUMN_LIST = ", ".join(PAPER_COLUMNS)
ROW_MARKS = ", ".join("?" * len(PAPER_COLUMNS))  # one placeholder a column


def paper_row(paper: Paper, source: str, loaded_at: str) -> Row:
    """The paper as a ``papers`` row in ``PAPER_COLUMNS`` order, but for its authors.

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

    A paper twice in one chunk is kept once, as its last version.
    """

    rows: list[Row]
    authors: list[tuple[str, ...]]  # each row's author names, as written
    problems: list[LoadProblem]
    position: int | None = None  # how far into the input its reading got, for progress


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

    rows: list[Row]
    link_rows: np.ndarray
    link_authors: np.ndarray
    authors: list[tuple[str, str]]
    base: int | None
    repeats: bool  # a paper of this chunk was in an earlier chunk of the file
    problems: list[LoadProblem]
    position: int | None = None  # how far into the input its reading got, for progress


class AuthorNumbering:
    """The part of parsing a file that spans its chunks: author numbers, paper ids seen.

    It runs in the writer's process rather than the worker, which is the busier of the two.
    """

    def __init__(self, base: int | None = None) -> None:
        self.base = base
        self.numbers: dict[str, int] = {}  # author key → number
        self.by_name: dict[str, int] = {}  # name as written → number (-1: not a name)
        self.seen: set[object] = set()

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
        rows: list[Row] = []
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
            parsed.position,
        )
