"""The trigram indexes of titles and author names, stored inside the catalog file.

They are written in the load's own transaction, so they can never disagree with the rows.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import overload

import numpy as np
import sqlite_utils

from store.draw import PaperDraw
from store.index.names import initials_form
from store.index.packed import Piece, as_bytes, read_stored
from store.index.prefix import PrefixIndex, read_prefix_index
from store.index.trigram import TrigramBuild, TrigramIndex

TITLE_INDEX = "titles"
AUTHOR_INDEX = "authors"
TITLE_PREFIX = "title-starts"
AUTHOR_PREFIX = "author-starts"
_BLOB_CHUNK = 64 * 1024 * 1024  # SQLite refuses blobs over 1 GB
_INSERT_PIECE = "insert into search_index (name, chunk, data) values (?, ?, zeroblob(?))"

# Title rowids and texts, author ids and keys, each in index order.
SearchTexts = tuple[np.ndarray, list[str], np.ndarray, list[str]]


def read_search_texts(db: sqlite_utils.Database) -> SearchTexts:
    """What the indexes are built from: titles newest first, authors most prolific first.

    When candidates tie, the lower number is kept, so the likelier answer wins.
    """
    title_ids, titles = [], []
    for rowid, title, aliases in db.execute(
        "select rowid, title_norm, aliases from papers order by published desc, rowid"
    ):
        title_ids.append(rowid)
        titles.append(f"{title} {aliases}".strip())
    author_ids, keys = [], []
    for author_id, key in db.execute("select id, key from authors order by paper_count desc, id"):
        author_ids.append(author_id)
        keys.append(key)
    return np.array(title_ids, dtype=np.int64), titles, np.array(author_ids, dtype=np.int64), keys


def rebuild_search_indexes(
    db: sqlite_utils.Database,
    alongside: Sequence[Callable[[], object]] = (),
    texts: SearchTexts | None = None,
) -> None:
    """Rebuild the trigram and prefix indexes, inside the caller's transaction.

    ``texts`` saves reading them from the tables. ``alongside`` (more SQLite work, such as
    building secondary indexes, step by step) runs on this thread while the indexes are
    built on another: SQLite and numpy release the GIL for most of their work, and a big
    load has two cores. An index built is stored between two steps, then let go: the four
    together are the biggest thing a load holds.
    """
    title_ids, title_texts, author_ids, keys = texts or read_search_texts(db)
    del texts
    # The longest build first, beside ``alongside``: the others are then stored as soon as
    # they are built, so at most two are held at once.
    builders: list[tuple[str, Callable[[], TrigramBuild | PrefixIndex]]] = [
        (AUTHOR_PREFIX, lambda: PrefixIndex.for_authors(author_ids, keys)),
        (TITLE_INDEX, lambda: TrigramBuild.of(title_ids, title_texts)),
        (TITLE_PREFIX, lambda: PrefixIndex.for_titles(title_ids, title_texts)),
        (AUTHOR_INDEX, lambda: TrigramBuild.of(author_ids, _Searchable(keys))),
    ]
    with ThreadPoolExecutor(max_workers=1) as pool:
        built = deque((name, pool.submit(build)) for name, build in builders)
        del builders
        try:
            db.execute("delete from search_index")
            for step in alongside:
                step()
                while built and built[0][1].done():
                    store_index(db, *_take(built))
            while built:
                store_index(db, *_take(built))
        finally:  # on a failure or Ctrl-C, builds not started yet are not waited for
            for _, future in built:
                future.cancel()


def _take(built: deque[tuple[str, Future[TrigramBuild | PrefixIndex]]]) -> tuple[str, Iterator[Piece]]:
    """The next index's name and pieces, once built; the queue lets go of it."""
    name, future = built.popleft()
    return name, future.result().pieces()


class _Searchable(Sequence[str]):
    """Author keys as the author trigram index reads them (with their initials form), made a
    slice at a time: all at once they would be as many more strings at the load's peak."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = keys

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [f"{key} {initials_form(key)}" for key in self.keys[index]]
        key = self.keys[index]
        return f"{key} {initials_form(key)}"


def store_index(db: sqlite_utils.Database, name: str, pieces: Iterable[Piece]) -> None:
    """Store an index's bytes, each piece written into a zeroblob through blob I/O.

    A blob bound as a parameter is copied by SQLite and the copy lives as long as the
    statement's bindings, and Python keeps its statements cached: the copies of every index
    would stay in memory until the process ended.
    """
    n = 0
    for piece in pieces:
        data = as_bytes(piece)
        for start in range(0, len(data), _BLOB_CHUNK):
            part = data[start : start + _BLOB_CHUNK]
            rowid = db.execute(
                "insert into search_index (name, chunk, data) values (?, ?, zeroblob(?))",
                [name, n, len(part)],
            ).lastrowid
            assert rowid is not None
            with db.conn.blobopen("search_index", "data", rowid) as blob:
                blob.write(part)
            n += 1


def read_search_index(db: sqlite_utils.Database, name: str) -> TrigramIndex | None:
    """The stored index, or None if there is none or it is in a format this version can't read."""
    data = read_stored(db, name)
    try:
        return None if data is None else TrigramIndex.from_bytes(data)
    except ValueError:
        return None


@dataclass
class SearchIndexes:
    generation: str | None
    titles: TrigramIndex | None
    authors: TrigramIndex | None
    title_starts: PrefixIndex | None
    author_starts: PrefixIndex | None
    _draw: PaperDraw | None = None
    _draw_lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def complete(self) -> bool:
        """Whether every stored index was there, in a format this version reads."""
        return None not in (self.titles, self.authors, self.title_starts, self.author_starts)

    def draw(self, db: sqlite_utils.Database) -> PaperDraw:
        """The random-draw structure of this generation, read on first use (``db``: the caller's)."""
        if self._draw is None:
            with self._draw_lock:
                if self._draw is None:
                    self._draw = PaperDraw.read(db)
        return self._draw


def read_indexes(db: sqlite_utils.Database, generation: str | None) -> SearchIndexes:
    return SearchIndexes(
        generation,
        read_search_index(db, TITLE_INDEX),
        read_search_index(db, AUTHOR_INDEX),
        read_prefix_index(db, TITLE_PREFIX),
        read_prefix_index(db, AUTHOR_PREFIX),
    )
