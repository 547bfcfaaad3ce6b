"""A fair random paper in microseconds: every paper matching the filters is equally likely.

Seeking to a random rowid and taking the next match favours the papers after long runs of
non-matching rows (one category loaded in a block made one paper come up nine times in ten).
Instead the papers' rowids are kept sorted by category, then year: a category is one slice,
a year range within it another, found by binary search, and a draw is one uniform index into
that slice. Without a category, a second order sorted by year alone serves year ranges.

Built from the two single-column indexes (``category``, ``year``), which hold the rowids, so
the papers' rows (their abstracts) are never read.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import sqlite_utils

# Excluded papers are rejected and drawn again this many times before the slice is filtered.
_REJECTIONS = 32


@dataclass(frozen=True)
class PaperDraw:
    """Rowids ordered by (category, year, rowid) and by (year, rowid), with their years."""

    by_category: np.ndarray
    category_years: np.ndarray
    bounds: dict[str, tuple[int, int]]  # category → its slice of ``by_category``
    by_year: np.ndarray
    years: np.ndarray

    @classmethod
    def read(cls, db: sqlite_utils.Database) -> PaperDraw:
        conn = db.conn
        year_rows = conn.execute("select year, rowid from papers order by year, rowid").fetchall()
        years = np.array([y for y, _ in year_rows], dtype=np.int32)
        by_year = np.array([r for _, r in year_rows], dtype=np.int64)
        del year_rows
        year_of = np.zeros(int(by_year.max()) + 1 if by_year.size else 1, dtype=np.int32)
        year_of[by_year] = years
        parts, bounds, start = [], {}, 0
        for (category,) in conn.execute("select distinct category from papers order by category").fetchall():
            rowids = np.array(
                [r for (r,) in conn.execute("select rowid from papers where category = ?", [category])],
                dtype=np.int64,
            )
            rowids = rowids[np.lexsort((rowids, year_of[rowids]))]
            parts.append(rowids)
            bounds[category] = (start, start + rowids.size)
            start += rowids.size
        by_category = np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)
        return cls(by_category, year_of[by_category], bounds, by_year, years)

    def _slice(
        self, category: str | None, year_from: int | None, year_to: int | None
    ) -> tuple[np.ndarray, int, int]:
        if category is None:
            rowids, years, lo, hi = self.by_year, self.years, 0, self.by_year.size
        else:
            lo, hi = self.bounds.get(category, (0, 0))
            rowids, years = self.by_category, self.category_years
        if year_from is not None:
            lo = lo + int(np.searchsorted(years[lo:hi], year_from, side="left"))
        if year_to is not None:
            hi = lo + int(np.searchsorted(years[lo:hi], year_to, side="right"))
        return rowids, lo, max(lo, hi)

    def count(
        self, category: str | None = None, year_from: int | None = None, year_to: int | None = None
    ) -> int:
        _, lo, hi = self._slice(category, year_from, year_to)
        return hi - lo

    def pick(
        self,
        rng: random.Random,
        category: str | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        exclude: Collection[int] = (),
    ) -> int | None:
        """A rowid drawn uniformly among the matching papers not in ``exclude``; None if none.

        A few rejections keep a short exclusion list (a channel's recent posts) at one draw;
        when most of the slice is excluded, the rest is listed and drawn from, still uniformly.
        """
        rowids, lo, hi = self._slice(category, year_from, year_to)
        if hi <= lo:
            return None
        excluded = exclude if isinstance(exclude, set | frozenset) else set(exclude)
        for _ in range(_REJECTIONS if excluded else 1):
            rowid = int(rowids[lo + rng.randrange(hi - lo)])
            if rowid not in excluded:
                return rowid
        left = rowids[lo:hi]
        left = left[~np.isin(left, np.fromiter(excluded, dtype=np.int64, count=len(excluded)))]
        return int(left[rng.randrange(left.size)]) if left.size else None
