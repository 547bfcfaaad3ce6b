"""What both write paths of a load share: its counters, its links, and how it ends.

A load runs inside one transaction that holds SQLite's write lock, so new paper rowids and
author ids can be handed out from counters. Each paper's row holds its authors; each author's
row the rowids of its papers, written once at the end (``ChunkWriter.write_authors``): every
(author, paper) link of the load is kept in numpy arrays meanwhile.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import cast

import numpy as np
import orjson

from store.catalog.sql import IN_LIST, json_list
from store.index.search_index import SearchTexts
from store.loading.parse import ALIASES, PUBLISHED, TITLE_NORM, ParsedChunk, Row

# Authors are written this many at a time, so their paper lists are not all in memory.
_AUTHORS_PER_UPDATE = 10_000


class TitleTexts:
    """Each new paper's title text and date, kept at ``rowid - 1`` for the trigram index.

    Kept only for a load into an empty catalog, where it saves reading every row back.
    """

    def __init__(self) -> None:
        self.texts: list[str] = []
        self.published: list[object] = []  # ISO dates, as in the rows

    def add(self, rowids: Iterable[int], rows: list[Row]) -> None:
        texts, published = self.texts, self.published
        for rowid, row in zip(rowids, rows, strict=True):
            text = f"{row[TITLE_NORM]} {row[ALIASES]}".strip()
            if rowid > len(texts):
                texts.append(text)
                published.append(row[PUBLISHED])
            else:
                texts[rowid - 1] = text
                published[rowid - 1] = row[PUBLISHED]

    def take_newest_first(self) -> tuple[np.ndarray, list[str]]:
        """Rowids and texts, newest first and by rowid among equals, as the index wants them.

        Taken, not copied: this object lets them go, since a big load's peak memory comes
        while the indexes are built from them.
        """
        published = cast("list[str]", self.published)
        order = sorted(range(len(published)), key=published.__getitem__, reverse=True)  # stable
        self.published = []
        texts, self.texts = self.texts, []
        return np.asarray(order, dtype=np.int64) + 1, [texts[i] for i in order]


@dataclass
class Written:
    """What the load has written so far, and the next rowid and author id to hand out."""

    first_rowid: int
    next_rowid: int
    first_author: int
    next_author: int
    # The key and name of author ``first_author + i``: two lists, not a list of pairs, which
    # would hold a tuple more per author through the load's peak.
    new_keys: list[str] = field(default_factory=list)
    new_names: list[str] = field(default_factory=list)
    links: list[tuple[np.ndarray, np.ndarray]] = field(default_factory=list)  # (author ids, rowids)
    titles: TitleTexts | None = None

    @classmethod
    def start(cls, conn: sqlite3.Connection) -> Written:
        author = (conn.execute("select max(id) from authors").fetchone()[0] or 0) + 1
        rowid = (conn.execute("select max(rowid) from papers").fetchone()[0] or 0) + 1
        empty = rowid == 1 and author == 1
        return cls(rowid, rowid, author, author, titles=TitleTexts() if empty else None)

    def add_authors(self, authors: list[tuple[str, str]]) -> None:
        self.new_keys.extend(key for key, _ in authors)
        self.new_names.extend(name for _, name in authors)
        self.next_author += len(authors)


@dataclass(frozen=True)
class Grouped:
    """Each author's papers among those a load wrote.

    ``ids`` ascend; author ``ids[i]``'s papers are ``rowids[bounds[i]:bounds[i + 1]]``,
    distinct and sorted.
    """

    ids: np.ndarray
    bounds: np.ndarray
    rowids: np.ndarray

    def papers(self, start: int, end: int) -> tuple[list[int], list[int]]:
        """Authors ``ids[start:end]``'s papers in one list, and where each one's begin and end."""
        bounds = self.bounds[start : end + 1]
        return self.rowids[bounds[0] : bounds[-1]].tolist(), (bounds - bounds[0]).tolist()

    @classmethod
    def of(cls, author_ids: np.ndarray, paper_rowids: np.ndarray) -> Grouped:
        # Sorted, then made distinct by comparing neighbours: far faster than np.unique on pairs.
        pairs = np.sort((author_ids << 32) | paper_rowids)  # rowids stay below 2**32
        if pairs.size:
            pairs = pairs[np.concatenate(([True], pairs[1:] != pairs[:-1]))]
        people = pairs >> 32
        ids, starts = np.unique(people, return_index=True)
        return cls(ids, np.append(starts, people.size), pairs & 0xFFFFFFFF)


class ChunkWriter:
    """Writes a load's parsed chunks; ``FreshLoad`` and ``MergeLoad`` are its two paths."""

    def __init__(self, conn: sqlite3.Connection, written: Written) -> None:
        self.conn = conn
        self.written = written

    @property
    def author_base(self) -> int | None:
        """The id of a file's author number 0, when a catalog has no authors yet."""
        return 1 if self.written.next_author == 1 else None

    def for_chunk(self, chunk: ParsedChunk) -> ChunkWriter:
        """The writer for this chunk: this one, unless it cannot take it."""
        return self

    def next_file(self) -> ChunkWriter:
        """The writer for the load's next file."""
        return self

    def write(self, chunk: ParsedChunk) -> None:
        raise NotImplementedError

    def _changed_authors(self) -> tuple[set[int], set[int]]:
        """Authors who lost a paper this load replaced, and the stored papers it rewrote."""
        return set(), set()

    def _links(self) -> tuple[np.ndarray, np.ndarray]:
        """Every (author id, paper rowid) link this load wrote."""
        links = self.written.links
        if not links:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
        return np.concatenate([a for a, _ in links]), np.concatenate([r for _, r in links])

    @cached_property
    def grouped(self) -> Grouped:
        grouped = Grouped.of(*self._links())
        self.written.links.clear()  # all in ``grouped`` now
        return grouped

    def search_texts(self) -> SearchTexts | None:
        """What the trigram indexes are built from, in their order, if this load kept it
        (once: the titles are handed over).

        The same order as ``store.index.search_index.read_search_texts`` reads from the tables.
        """
        titles = self.written.titles
        if titles is None:
            return None
        title_ids, texts = titles.take_newest_first()
        ids, bounds = self.grouped.ids, self.grouped.bounds
        people = np.argsort(-np.diff(bounds), kind="stable")  # ids ascend: ties stay by id
        new_keys = self.written.new_keys
        keys = [new_keys[i] for i in (ids[people] - 1).tolist()]
        return title_ids, texts, ids[people], keys

    def write_authors(self) -> None:
        """Write new authors with their papers, update the others, drop those left with none.

        A batch of authors at a time: every author's papers as Python lists at once would be
        one of the biggest things a big load holds, at its peak.
        """
        conn, grouped, written = self.conn, self.grouped, self.written
        ids = grouped.ids
        first = written.first_author
        split = int(np.searchsorted(ids, first))
        new_keys, new_names = written.new_keys, written.new_names
        for begin in range(split, ids.size, _AUTHORS_PER_UPDATE):
            end = min(begin + _AUTHORS_PER_UPDATE, ids.size)
            papers, bounds = grouped.papers(begin, end)
            authors = ids[begin:end].tolist()
            conn.executemany(
                "insert into authors (id, key, name, paper_count, papers) values (?, ?, ?, ?, ?)",
                (
                    (
                        author,
                        new_keys[author - first],
                        new_names[author - first],
                        stop - at,
                        orjson.dumps(papers[at:stop]).decode(),
                    )
                    for author, at, stop in zip(authors, bounds[:-1], bounds[1:], strict=True)
                ),
            )
        # Authors stored before this load: their papers it did not touch stay, the ones it
        # wrote are what the rows now say. Their stored papers all predate this load's new
        # rows, so of the papers it wrote only the rewritten ones can be among them.
        losing, rewritten = self._changed_authors()
        changed = sorted({*ids[:split].tolist(), *(a for a in losing if a < first)})
        for start in range(0, len(changed), _AUTHORS_PER_UPDATE):
            part = changed[start : start + _AUTHORS_PER_UPDATE]
            updates, emptied = [], []
            for author, papers in conn.execute(
                f"select id, papers from authors where id {IN_LIST}", [json_list(part)]
            ):
                kept = [rowid for rowid in orjson.loads(papers or "[]") if rowid not in rewritten]
                at = int(np.searchsorted(ids, author))
                gained = grouped.papers(at, at + 1)[0] if at < split and ids[at] == author else []
                merged = sorted({*kept, *gained})
                if merged:
                    updates.append((len(merged), orjson.dumps(merged).decode(), author))
                else:
                    emptied.append(author)
            conn.executemany("update authors set paper_count = ?, papers = ? where id = ?", updates)
            if emptied:
                conn.execute(f"delete from authors where id {IN_LIST}", [json_list(emptied)])
