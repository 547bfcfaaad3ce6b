"""Ranked full-text matches that stay fast when the query's words are in most papers.

FTS5's bm25 weighs each query term by how many papers hold it, and it counts them anew on
every query by reading the term's whole posting list, whatever the LIMIT: slow for a word
like "model" or "the" in a big catalog. So each term's share of the catalog is estimated
first (counted in a few small rowid ranges, far cheaper), and terms held by more than
``COMMON_PAPERS`` papers are *common*:

- no common term: plain bm25 over the most recent ``RANK_WINDOW`` matches;
- some common: bm25 over the other terms only, keeping papers that have every term. A common
  term's bm25 weight is small (log of N/n; FTS5 sets it to ~0 once n > N/2), so the order
  barely changes and the posting lists read are the rare terms';
- all common: bm25 cannot be had cheaply and would barely separate the papers anyway, so the
  newest ``BROAD_WINDOW`` matches are ranked by how many of the words their title holds
  (FTS5's ``highlight`` on the title only, which reads no posting list), newest first.

Catalogs smaller than ``COMMON_PAPERS`` never get there and are ranked by bm25 exactly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import sqlite_utils

# How many full-text matches are ranked at most: a broad query ranks the most recent ones.
RANK_WINDOW = 10_000
# How many of the newest matches a query made only of common terms looks at.
BROAD_WINDOW = 1_000
# Above this many papers, counting a term for bm25 on every query costs more than it adds: common.
COMMON_PAPERS = 50_000
# Where a term's share is counted: PROBES ranges of PROBE_SPAN rowids, spread over the catalog.
PROBES = 8
PROBE_SPAN = 500
# bm25 weights of the title and abstract columns.
_WEIGHTS = "10.0, 1.0"
_PHRASE = re.compile(r'"[^"]*"')
_WORD = re.compile(r"[^\W_]+")  # what FTS5's unicode61 tokenizer keeps as a word


def phrases(quoted: str) -> list[str]:
    """The quoted phrases of a ``Database.quote_fts`` result, each once, in order."""
    return list(dict.fromkeys(_PHRASE.findall(quoted)))


def ranked(
    db: sqlite_utils.Database, terms: list[str], limit: int, window: int | None = None, broad: bool = True
) -> list[tuple[int, float]]:
    """``(rowid, rank)`` of the papers holding every term, best first; lower rank is better.

    ``terms`` are FTS5 phrases as ``phrases`` returns them. Ranks are negative (bm25's sign),
    comparable within one query only. ``window``: how many of the newest matches a query of
    common words ranks (``BROAD_WINDOW`` unless a caller with a tighter budget says less);
    ``broad`` false: such a query finds nothing (the caller wants papers its words tell apart).
    """
    if not terms:
        return []
    common = set(common_terms(db, terms))
    # AND, not FTS5's implicit AND by juxtaposition, which a parenthesised group does not allow.
    everything = " AND ".join(terms)
    if not common:
        return _bm25(db, everything, limit)
    if len(common) == len(terms):
        return _broad(db, everything, limit, window) if broad else []
    rare = " AND ".join(t for t in terms if t not in common)
    rows = _bm25(db, rare, limit, keep=everything)
    if rows:
        return rows
    # Only if none of the rare terms' most recent matches has the common ones too (unlikely,
    # as those are in a good share of all papers): look further back, newest first.
    return [
        (rowid, -1.0)
        for (rowid,) in db.execute(
            "select rowid from papers_fts where papers_fts match ? order by rowid desc limit ?",
            [everything, limit],
        )
    ]


def any_of(
    db: sqlite_utils.Database,
    terms: list[str],
    limit: int,
    window: int | None = None,
    rank_window: int | None = None,
    broad: bool = True,
) -> list[tuple[int, float]]:
    """``(rowid, rank)`` of papers holding any of the terms, best first (see ``ranked``).

    Papers with a rare term come first (bm25 over the rare terms); if there are fewer than
    ``limit``, the newest papers with any term follow, ranked below them (not with ``broad``
    false: a caller that wants papers told apart by their words has no use for them).
    """
    if not terms:
        return []
    common = set(common_terms(db, terms))
    rare = [t for t in terms if t not in common]
    pool = _bm25(db, " OR ".join(rare), limit, rank_window=rank_window) if rare else []
    if len(pool) < limit and common and broad:
        seen = {rowid for rowid, _ in pool}
        more = [row for row in _broad(db, " OR ".join(terms), limit, window) if row[0] not in seen]
        if pool:
            more = [(rowid, pool[-1][1] / 2) for rowid, _ in more]
        pool += more[: limit - len(pool)]
    return pool


@dataclass
class _Counts:
    """A catalog's probe ranges, and which words were found common in them (kept between queries:
    a word's share of a big catalog changes only with a load)."""

    ranges: list[tuple[int, int]]
    probed: int
    words: dict[str, bool] = field(default_factory=dict)


_COMMON: dict[tuple[int, int, int], _Counts] = {}
_COMMON_WORDS = 100_000


def common_terms(db: sqlite_utils.Database, terms: list[str]) -> list[str]:
    """The terms with a word estimated to be in more than ``COMMON_PAPERS`` papers."""
    # Two subqueries: SQLite answers a lone min() or max() from the index, both at once by a scan.
    lo, hi = db.execute("select (select min(rowid) from papers), (select max(rowid) from papers)").fetchone()
    if lo is None or hi - lo + 1 <= COMMON_PAPERS:
        return []
    papers = hi - lo + 1
    catalog = (id(db.conn), lo, hi)  # a load changes ``hi``: counts are then made anew
    cached = _COMMON.get(catalog)
    if cached is None:
        step = papers // PROBES
        ranges = [(lo + i * step, lo + i * step + PROBE_SPAN - 1) for i in range(PROBES)]
        probed = sum(
            db.execute("select count(*) from papers where rowid between ? and ?", r).fetchone()[0]
            for r in ranges
        )
        cached = _COMMON[catalog] = _Counts(ranges, probed)
        while len(_COMMON) > 16:
            _COMMON.pop(next(iter(_COMMON)))
    if not cached.probed:
        return []
    counted = cached.words

    def common(word: str) -> bool:
        # Rowids are dense after a fresh load; where papers were replaced the span counts more
        # papers than there are, so a term is called common a little early: cheaper, never slower.
        if word not in counted:
            hits = sum(
                db.execute(
                    "select count(*) from papers_fts where papers_fts match ? and rowid between ? and ?",
                    [f'"{word}"', *r],
                ).fetchone()[0]
                for r in cached.ranges
            )
            if len(counted) >= _COMMON_WORDS:
                counted.clear()
            counted[word] = hits * papers > COMMON_PAPERS * cached.probed
        return counted[word]

    # A phrase ("memory-efficient") is counted word by word: FTS5 reads every word's postings
    # to match it (and cannot seek into a rowid range with a phrase, so probing one is slow).
    return [term for term in terms if any(common(w) for w in _WORD.findall(term))]


def _bm25(
    db: sqlite_utils.Database, match: str, limit: int, keep: str | None = None, rank_window: int | None = None
) -> list[tuple[int, float]]:
    """bm25 over the most recent ``RANK_WINDOW`` matches of ``match``.

    With ``keep``, only papers that also match ``keep`` are returned; those are looked for
    among its own most recent ``RANK_WINDOW`` matches, which hold every one of the window's.
    """
    window = (
        f"select rowid, bm25(papers_fts, {_WEIGHTS}) as rank from papers_fts"
        " where papers_fts match ? order by rowid desc limit ?"
    )
    params: list[object] = [match, rank_window or RANK_WINDOW]
    where = ""
    if keep is not None:
        where = (
            " where rowid in (select rowid from papers_fts where papers_fts match ?"
            " order by rowid desc limit ?)"
        )
        params += [keep, RANK_WINDOW]
    sql = f"select rowid, rank from ({window}){where} order by rank limit ?"
    return [(r[0], r[1]) for r in db.execute(sql, [*params, limit])]


def _broad(
    db: sqlite_utils.Database, match: str, limit: int, window: int | None = None
) -> list[tuple[int, float]]:
    """The newest ``window`` (default ``BROAD_WINDOW``) matches, most query words in the title
    first, then newest."""
    rows = db.execute(
        "select rowid, highlight(papers_fts, 0, char(1), '') from papers_fts"
        " where papers_fts match ? order by rowid desc limit ?",
        [match, window or BROAD_WINDOW],
    ).fetchall()
    # Rank -(1 + title hits): negative and lower for better, like bm25's, so scores compare.
    scored = [(rowid, -(1.0 + (title or "").count("\x01"))) for rowid, title in rows]
    scored.sort(key=lambda r: r[1])  # stable: newest first among equals
    return scored[:limit]
