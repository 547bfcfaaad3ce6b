"""The trigram indexes of titles and author names, stored inside the catalog file.

They are written in the load's own transaction, so they can never disagree with the rows.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import sqlite_utils

from store.draw import PaperDraw
from store.names import initials_form
from store.packed import read_stored
from store.prefix import PrefixIndex, read_prefix_index
from store.schema import GENERATION_KEY, set_meta
from store.trigram import TrigramIndex

TITLE_INDEX = "titles"
AUTHOR_INDEX = "authors"
TITLE_PREFIX = "title-starts"
AUTHOR_PREFIX = "author-starts"
_BLOB_CHUNK = 256 * 1024 * 1024  # SQLite refuses blobs over 1 GB; stay well under it

# Title rowids and texts, author ids and keys, each in index order.
SearchTexts = tuple[list[int], list[str], list[int], list[str]]


def read_search_texts(db: sqlite_utils.Database) -> SearchTexts:
    """What the indexes are built from: titles newest first, authors most prolific first.

    When candidates tie, the lower number is kept, so the likelier answer wins.
    """
    papers = db.execute(
        "select rowid, title_norm, aliases from papers order by published desc, rowid"
    ).fetchall()
    people = db.execute("select id, key from authors order by paper_count desc, id").fetchall()
    return (
        [r[0] for r in papers],
        [f"{r[1]} {r[2]}".strip() for r in papers],
        [r[0] for r in people],
        [r[1] for r in people],
    )


def rebuild_search_indexes(
    db: sqlite_utils.Database,
    alongside: Callable[[], object] | None = None,
    texts: SearchTexts | None = None,
) -> None:
    """Rebuild the trigram indexes, inside the caller's transaction.

    ``texts`` saves reading them from the tables. ``alongside`` (more SQLite work, such as
    building secondary indexes) runs on this thread while numpy builds the indexes on
    another: both release the GIL for most of their work, and a big load has two cores.
    """
    title_ids, title_texts, author_ids, author_keys = texts or read_search_texts(db)
    del texts

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
        db.table("search_index").insert_all(
            {"name": name, "chunk": n, "data": data[start : start + _BLOB_CHUNK]}
            for n, start in enumerate(range(0, max(len(data), 1), _BLOB_CHUNK))
        )


def read_search_index(db: sqlite_utils.Database, name: str) -> TrigramIndex | None:
    """The stored index, or None if there is none or it is in a format this version can't read."""
    data = read_stored(db, name)
    try:
        return None if data is None else TrigramIndex.from_bytes(data)
    except ValueError:
        return None


def refresh_search_indexes(db: sqlite_utils.Database) -> None:
    """Rebuild the stored indexes from the rows (after an upgrade changed their format)."""
    with db.atomic():
        rebuild_search_indexes(db)
        set_meta(db, GENERATION_KEY, uuid.uuid4().hex)


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
