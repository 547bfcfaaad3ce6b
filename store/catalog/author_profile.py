"""An author's card from the catalog: one page of papers, years active, categories, co-authors.

Everything starts from the rowids in the author's row (schema 3), so a card costs what the
author's paper count costs, never the catalog's size.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence

import sqlite_utils

from store.catalog.models import AuthorProfile, Coauthor, Paper

# How many of an author's most recent papers their co-authors are counted over.
COAUTHOR_WINDOW = 500


def build_author_profile(
    db: sqlite_utils.Database,
    author_id: int,
    papers_where: Callable[[str, Sequence[object]], list[Paper]],
    paper_limit: int | None = None,
    match: float | None = None,
    paper_offset: int = 0,
) -> AuthorProfile | None:
    """An author's card: papers newest first, years active, categories, top co-authors.

    ``paper_limit``/``paper_offset`` pick one page of papers. Co-authors are counted over
    the author's ``COAUTHOR_WINDOW`` most recent papers: a physicist on thousands of
    3,000-author papers would otherwise cost millions of rows per card.
    """
    row = db.execute("select id, name, paper_count from authors where id = ?", [author_id]).fetchone()
    if row is None:
        return None
    # An author's papers are the rowids in its row (see store/catalog/schema.py, version 3).
    recent = """
        select p.rowid as paper_rowid, p.id, p.published, p.title
        from authors a, json_each(a.papers) own join papers p on p.rowid = own.value
        where a.id = :author
        order by p.published desc, p.title
    """
    shown = [
        r[1]
        for r in db.execute(
            f"{recent} limit :limit offset :offset",
            {
                "author": author_id,
                "limit": -1 if paper_limit is None else paper_limit,
                "offset": paper_offset,
            },
        )
    ]
    categories: Counter[str] = Counter()
    first = last = None
    for category, low, high, count in db.execute(
        "select p.category, min(p.year), max(p.year), count(*) from authors a, json_each(a.papers) own "
        "join papers p on p.rowid = own.value where a.id = ? group by p.category",
        [author_id],
    ):
        categories[category] = count
        first = low if first is None else min(first, low)
        last = high if last is None else max(last, high)
    coauthors = [
        Coauthor(name, count)
        for name, count in db.execute(
            f"""
            select a.name, count(distinct mine.paper_rowid) as n
            from ({recent} limit :window) mine
            join papers p on p.rowid = mine.paper_rowid, json_each(p.authors) other
            join authors a on a.id = json_extract(other.value, '$[0]')
            where a.id != :author
            group by a.id order by n desc, a.name limit 10
            """,
            {"author": author_id, "window": COAUTHOR_WINDOW},
        )
    ]
    by_id = {p.id: p for p in papers_where("id in (select value from json_each(?))", [json.dumps(shown)])}
    return AuthorProfile(
        id=row[0],
        name=row[1],
        paper_count=row[2],
        papers=tuple(by_id[i] for i in shown if i in by_id),
        coauthors=tuple(coauthors),
        years=(first, last) if first is not None and last is not None else None,
        categories=dict(categories.most_common()),
        match=match,
    )
