"""Questions about people that the chat asks and the slash commands do not.

"Zhu's papers since 2020 on adversarial training", "papers Ke Sun and Zhouchen Lin wrote
together", "Zhu's latest": each starts from the rowids in the author's row (schema 3), so the
cost follows the author's paper count, never the catalog's size. Topic words go through FTS5
restricted to those rowids, quoted like every other user text (``Catalog.search``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from store.catalog.catalog import Catalog
from store.catalog.models import Paper
from store.index import fulltext
from store.text import STOPWORDS, fold

# The most papers an answer lists; a count says how many there are in all.
MAX_LISTED = 25


@dataclass(frozen=True, slots=True)
class PaperFilter:
    """What narrows a person's papers: years (inclusive), topic words, a co-author."""

    year_from: int | None = None
    year_to: int | None = None
    topic: str = ""
    coauthor_id: int | None = None


@dataclass(frozen=True, slots=True)
class PaperPage:
    papers: tuple[Paper, ...]
    total: int


def _rowids(catalog: Catalog, author_id: int) -> list[int]:
    row = catalog.db.execute("select papers from authors where id = ?", [author_id]).fetchone()
    return json.loads(row[0]) if row and row[0] else []


def _papers(catalog: Catalog, paper_ids: list[str]) -> tuple[Paper, ...]:
    found = (catalog.paper(pid) for pid in paper_ids)
    return tuple(p for p in found if p is not None)


def papers_of(
    catalog: Catalog, author_id: int, filters: PaperFilter = PaperFilter(), limit: int = MAX_LISTED
) -> PaperPage:
    """An author's papers passing ``filters``, newest first (topic: best matches first)."""
    rowids = _rowids(catalog, author_id)
    if filters.coauthor_id is not None:
        theirs = set(_rowids(catalog, filters.coauthor_id))
        rowids = [r for r in rowids if r in theirs]
    if not rowids:
        return PaperPage((), 0)
    where = ["p.rowid in (select value from json_each(:rowids))"]
    params: dict[str, str | int] = {"rowids": json.dumps(rowids), "limit": limit}
    if filters.year_from is not None:
        where.append("p.year >= :year_from")
        params["year_from"] = filters.year_from
    if filters.year_to is not None:
        where.append("p.year <= :year_to")
        params["year_to"] = filters.year_to
    order = "p.published desc, p.title"
    source = "papers p"
    terms = fulltext.phrases(catalog.db.quote_fts(filters.topic)) if filters.topic else []
    if filters.topic and not terms:
        return PaperPage((), 0)
    if terms:
        source = "papers_fts f join papers p on p.rowid = f.rowid"
        where.append("papers_fts match :match")
        order = "bm25(papers_fts, 10.0, 1.0), p.published desc"
        params["match"] = " ".join(terms)
        rows = _run(catalog, source, where, order, params)
        if not rows[0] and len(terms) > 1:
            # No paper of theirs has every word: any of the content words will do.
            content = [t for t in terms if fold(t) not in STOPWORDS] or terms
            params["match"] = " OR ".join(content)
            rows = _run(catalog, source, where, order, params)
    else:
        rows = _run(catalog, source, where, order, params)
    ids, total = rows
    return PaperPage(_papers(catalog, ids), total)


def _run(
    catalog: Catalog, source: str, where: list[str], order: str, params: dict[str, str | int]
) -> tuple[list[str], int]:
    condition = " and ".join(where)
    ids = [
        r[0]
        for r in catalog.db.execute(
            f"select p.id from {source} where {condition} order by {order} limit :limit", params
        )
    ]
    if len(ids) < int(params["limit"]):
        return ids, len(ids)
    total = catalog.db.execute(f"select count(*) from {source} where {condition}", params).fetchone()[0]
    return ids, total


def latest_of(catalog: Catalog, author_id: int) -> Paper | None:
    """The author's newest paper."""
    page = papers_of(catalog, author_id, limit=1)
    return page.papers[0] if page.papers else None


def author_of(catalog: Catalog, paper_id: str, last: bool = False) -> int | None:
    """The id of a paper's first (or last) author, as the loader linked it."""
    row = catalog.db.execute(
        f"select json_extract(authors, '$[{'#-1' if last else '0'}][0]') from papers where id = ?", [paper_id]
    ).fetchone()
    return row[0] if row and row[0] is not None else None


def authors_of(catalog: Catalog, paper_id: str) -> list[int]:
    """The ids of a paper's authors, in order, as the loader linked them."""
    row = catalog.db.execute("select authors from papers where id = ?", [paper_id]).fetchone()
    return [author for author, _ in json.loads(row[0] or "[]")] if row else []


def similar_to(catalog: Catalog, paper: Paper, limit: int = 10) -> list[Paper]:
    """Papers sharing the most of this one's title words (best first, itself excluded)."""
    words = [w for w in dict.fromkeys(fold(paper.title).split()) if w not in STOPWORDS and len(w) > 2]
    if not words:
        return []
    pool = fulltext.any_of(catalog.db, [catalog.db.quote_fts(w) for w in words], limit + 1)
    ids = dict(
        catalog.db.execute(
            "select rowid, id from papers where rowid in (select value from json_each(?))",
            [json.dumps([rowid for rowid, _ in pool])],
        ).fetchall()
    )
    ranked = [ids[rowid] for rowid, _ in pool if rowid in ids and ids[rowid] != paper.id]
    return list(_papers(catalog, ranked[:limit]))
