"""The read-only structures a catalog's lookups run on, read once per catalog generation.

Trigram indexes (fuzzy titles and names), prefix indexes (completion from the first letter)
and the fair-random draw. The first three are stored in the catalog by every load; the draw
is read from the ``category`` and ``year`` indexes on first use.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import sqlite_utils

from store.draw import PaperDraw
from store.loader import AUTHOR_INDEX, AUTHOR_PREFIX, TITLE_INDEX, TITLE_PREFIX, read_search_index
from store.prefix import PrefixIndex, read_prefix_index
from store.trigram import TrigramIndex


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
