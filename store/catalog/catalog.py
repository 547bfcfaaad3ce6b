"""The catalog: one SQLite file and the questions the bot and the CLI ask of it.

Opening, connections, loading and the search indexes are in ``store.catalog.file``.
"""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Collection, Sequence
from datetime import date

from store import categories
from store.catalog.author_profile import build_author_profile
from store.catalog.file import CatalogFile
from store.catalog.models import (
    AuthorMatch,
    AuthorProfile,
    Paper,
    PaperMatch,
    Stats,
)
from store.index import fulltext
from store.index.prefix import WIDTH, author_entries
from store.index.scoring import (
    CANDIDATES,
    MIN_AUTHOR_MATCH,
    TitleCandidate,
    author_query_tokens,
    meaningful_words,
    rank_titles,
    score_author,
    score_title,
)
from store.index.search_index import SearchIndexes
from store.text import fold

log = logging.getLogger(__name__)

_PAPER_COLUMNS = (
    "rowid, id, title, abstract, published, category, score, has_code, code_url, authors_truncated, authors"
)


# Postings read per author lookup: names are short and their trigrams common, and authors are
# numbered most prolific first, so a smaller budget keeps the likely people at a lower cost.
AUTHOR_BUDGET = 250_000
# When the best partial full-text match scores below this (its relevance scaled by the share
# of the query's meaningful words it holds), the rest is noise: "nothing found" says more.
SEARCH_FLOOR = 50.0
# How many of the most recently loaded papers a listing by year or category looks through.
_LISTING_WINDOW = 5_000


class Catalog(CatalogFile):
    """A paper catalog in one SQLite file, and the questions the bot and the CLI ask of it."""

    # --- papers ------------------------------------------------------------------------------

    def paper(self, paper_id: str) -> Paper | None:
        rows = self._papers_where("id = ?", [paper_id])
        return rows[0] if rows else None

    def papers_by_rowid(self, rowids: Sequence[int]) -> dict[int, Paper]:
        if not rowids:
            return {}
        return dict(
            self._paper_rows(
                f"select {_PAPER_COLUMNS} from papers where rowid in (select value from json_each(?))",
                [json.dumps(list(rowids))],
            )
        )

    def _papers_where(self, where: str, params: Sequence[object]) -> list[Paper]:
        return [p for _, p in self._paper_rows(f"select {_PAPER_COLUMNS} from papers where {where}", params)]

    def _paper_rows(self, sql: str, params: Sequence[object]) -> list[tuple[int, Paper]]:
        rows = self.db.execute(sql, list(params)).fetchall()
        return [
            (
                r[0],
                Paper(
                    id=r[1],
                    title=r[2],
                    abstract=r[3] or "",
                    published=date.fromisoformat(r[4]),
                    category=r[5],
                    score=r[6],
                    has_code=bool(r[7]),
                    code_url=r[8],
                    authors_truncated=bool(r[9]),
                    authors=tuple(name for _, name in json.loads(r[10] or "[]")),
                ),
            )
            for r in rows
        ]

    def find_papers(self, query: str, limit: int = 10, complete: bool = False) -> list[PaperMatch]:
        """Papers whose title matches a half-remembered query, best first (may be empty).

        A query that is exactly a paper's id (``2101.00001``, ``t-…``) returns that paper. A
        query of stop words alone ("the") matches nothing. ``complete`` (autocomplete, as the
        user types) puts the titles that start with the query first, newest first, from the
        first letter on.
        """
        exact = self.paper(query.strip())
        if exact is not None:
            return [PaperMatch(exact, 100.0)]
        folded = fold(query)
        if not folded:
            return []
        indexes = self._current_indexes()
        starts: list[tuple[int, float]] = []
        if complete and indexes.title_starts is not None:
            starts = self._title_starts(folded, indexes.title_starts.lookup(folded, limit).tolist())
        ranked: list[tuple[int, float]] = []
        # Completions come first: when they fill the list, the fuzzy matches would be cut off.
        if indexes.titles is not None and meaningful_words(folded) and len(starts) < limit:
            rowids, _hits = indexes.titles.candidates(folded, limit=CANDIDATES)
            ranked = rank_titles(folded, self._title_candidates(rowids.tolist()), limit)
        if complete:
            seen = {rowid for rowid, _ in starts}
            ranked = [*starts, *(hit for hit in ranked if hit[0] not in seen)][:limit]
        found = self.papers_by_rowid([rowid for rowid, _ in ranked])
        return [PaperMatch(found[rowid], match) for rowid, match in ranked if rowid in found]

    def _title_candidates(self, rowids: list[int]) -> list[TitleCandidate]:
        if not rowids:
            return []
        return [
            TitleCandidate(*row)
            for row in self.db.execute(
                "select rowid, title_norm, aliases, published from papers "
                "where rowid in (select value from json_each(?))",
                [json.dumps(rowids)],
            )
        ]

    def _title_starts(self, folded: str, rowids: list[int]) -> list[tuple[int, float]]:
        """(rowid, match) of the titles starting with ``folded``, in the prefix index's order."""
        by_rowid = {c.rowid: c for c in self._title_candidates(rowids)}
        hits = []
        for rowid in rowids:
            candidate = by_rowid.get(rowid)
            if candidate is None or not candidate.title_norm.startswith(folded):
                continue  # the index holds each title's first bytes only
            hits.append(
                (
                    rowid,
                    100.0 if candidate.title_norm == folded else max(95.0, score_title(folded, candidate)),
                )
            )
        return hits

    # --- authors -----------------------------------------------------------------------------

    def find_authors(
        self, name: str, limit: int = 10, min_match: float = MIN_AUTHOR_MATCH, complete: bool = False
    ) -> list[AuthorMatch]:
        """Authors matching a name typed any which way, best first; ties go to the prolific.

        ``min_match`` below the default gives looser "did you mean" suggestions. ``complete``
        (autocomplete) first lists the people whose name, surname first or initials form
        starts with what was typed ("z", "zhu zh", "z zh"): names as written first, then
        the others, each the most prolific first; typo-tolerant matches follow.
        """
        tokens = author_query_tokens(name)
        if not tokens:
            return []
        indexes = self._current_indexes()
        starts: list[tuple[AuthorMatch, str]] = []
        if complete and indexes.author_starts is not None:
            typed = " ".join(tokens)
            ids = indexes.author_starts.lookup(typed, limit).tolist()
            long = len(typed.encode("utf-8")) > WIDTH
            starts = [
                match
                for match in self._authors_in_order(tokens, ids)
                if not long or any(e.startswith(typed) for e in author_entries(match[1]))
            ]
            if len(starts) >= limit or len(typed) < 3:
                return [m for m, _ in starts][:limit]
        fuzzy = self._find_authors_fuzzy(tokens, indexes, limit, min_match)
        shown = {m.id for m, _ in starts}
        return [*(m for m, _ in starts), *(m for m in fuzzy if m.id not in shown)][:limit]

    def _authors_in_order(self, tokens: list[str], ids: list[int]) -> list[tuple[AuthorMatch, str]]:
        """The authors ``ids`` (with their keys) in that order, scored against ``tokens``."""
        rows = {
            r[0]: r
            for r in self.db.execute(
                "select id, key, name, paper_count from authors where id in (select value from json_each(?))",
                [json.dumps(ids)],
            )
        }
        return [
            (AuthorMatch(i, rows[i][2], rows[i][3], round(score_author(tokens, rows[i][1]), 1)), rows[i][1])
            for i in ids
            if i in rows
        ]

    def _find_authors_fuzzy(
        self, tokens: list[str], indexes: SearchIndexes, limit: int, min_match: float
    ) -> list[AuthorMatch]:
        authors = indexes.authors
        if authors is None:
            return []
        ids = authors.candidates(" ".join(tokens), limit=CANDIDATES, budget=AUTHOR_BUDGET)[0].tolist()
        scored = self._score_authors(tokens, ids, min_match)
        if len(tokens) > 1 and (not scored or scored[0].match < 90):
            # Reversed order ("Zhu Zhanxing") shares most trigrams but not its word edges:
            # when the name as typed finds nothing good, ask again with the first word last.
            reversed_name = " ".join(tokens[1:] + tokens[:1])
            more = authors.candidates(reversed_name, limit=CANDIDATES, budget=AUTHOR_BUDGET)[0].tolist()
            seen = set(ids)
            scored = sorted(
                [*scored, *self._score_authors(tokens, [i for i in more if i not in seen], min_match)],
                key=lambda a: (-a.match, -a.paper_count, a.name),
            )
        return scored[:limit]

    def _score_authors(self, tokens: list[str], ids: list[int], min_match: float) -> list[AuthorMatch]:
        """Score candidate authors; those below the cut-off are dropped. Best first."""
        if not ids:
            return []
        rows = self.db.execute(
            "select id, key, name, paper_count from authors where id in (select value from json_each(?))",
            [json.dumps(ids)],
        ).fetchall()
        scored = []
        for author_id, key, display, count in rows:
            score = score_author(tokens, key)
            if score >= min_match:
                scored.append(AuthorMatch(author_id, display, count, round(score, 1)))
        scored.sort(key=lambda a: (-a.match, -a.paper_count, a.name))
        return scored

    def author_profile(
        self,
        author_id: int,
        paper_limit: int | None = None,
        match: float | None = None,
        paper_offset: int = 0,
    ) -> AuthorProfile | None:
        """An author's card: papers newest first (one page of them), years, categories, co-authors."""
        return build_author_profile(self.db, author_id, self._papers_where, paper_limit, match, paper_offset)

    # --- random ------------------------------------------------------------------------------

    def random_paper(
        self,
        category: str | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        exclude: Collection[str] = (),
        rng: random.Random | None = None,
    ) -> Paper | None:
        """A random paper matching the filters and not in ``exclude``; None if there is none.

        Uniform: every matching paper is equally likely, in microseconds whatever the
        catalog's size (``store/draw.py``), where ``ORDER BY random()`` reads every row.
        """
        rng = rng or random.Random()
        resolved = categories.resolve(category) if category else None
        excluded: set[int] = set()
        if exclude:
            excluded = {
                rowid
                for (rowid,) in self.db.execute(
                    "select rowid from papers where id in (select value from json_each(?))",
                    [json.dumps(sorted(exclude))],
                )
            }
        draw = self._current_indexes().draw(self.db)
        rowid = draw.pick(rng, resolved, year_from, year_to, excluded)
        if rowid is None:
            return None
        return self.papers_by_rowid([rowid]).get(rowid)

    def papers_in(
        self, category: str | None, year_from: int | None, year_to: int | None, limit: int = 60
    ) -> tuple[list[Paper], int]:
        """Papers matching the filters alone, newest first, and how many there are in all.

        The newest are looked for among the last ``_LISTING_WINDOW`` matches loaded, so the
        cost stays bounded when a filter matches a good share of a big catalog.
        """
        where, params = self._filters(category, year_from, year_to)
        condition = " and ".join(where) or "1"
        total = self.db.execute(f"select count(*) from papers where {condition}", params).fetchone()[0]
        papers = self._papers_where(
            f"rowid in (select rowid from papers where {condition} order by rowid desc limit ?)"
            " order by published desc, title limit ?",
            [*params, _LISTING_WINDOW, limit],
        )
        return papers, int(total)

    @staticmethod
    def _filters(
        category: str | None, year_from: int | None, year_to: int | None
    ) -> tuple[list[str], list[object]]:
        where: list[str] = []
        params: list[object] = []
        if category:
            where.append("category = ?")
            params.append(categories.resolve(category))
        if year_from is not None:
            where.append("year >= ?")
            params.append(year_from)
        if year_to is not None:
            where.append("year <= ?")
            params.append(year_to)
        return where, params

    # --- full text ---------------------------------------------------------------------------

    def search(self, text: str, limit: int = 10, offset: int = 0) -> list[PaperMatch]:
        """Full-text search over titles and abstracts, best first.

        User text is quoted term by term, so FTS5 syntax in it (``AND``, ``title:``, ``*``,
        ``NEAR(``, stray quotes) is searched for literally, never interpreted. All words must
        match; when no paper has them all, papers with at least half of the query's content
        words are returned, scored down by the share they miss.
        """
        terms = fulltext.phrases(self.db.quote_fts(text))
        if not terms:
            return []
        # One query for the page and the best hit it is scored against (a second costs as much).
        rows = fulltext.ranked(self.db, terms, offset + limit)
        if rows:
            best = rows[0][1]
            page = rows[offset:]
            found = self.papers_by_rowid([rowid for rowid, _ in page])
            # bm25 ranks are negative, lower is better: the best hit is 100, others relative.
            return [PaperMatch(found[rowid], _relative(rank, best)) for rowid, rank in page if rowid in found]
        return self._search_any(text, limit, offset)

    def _search_any(self, text: str, limit: int, offset: int) -> list[PaperMatch]:
        """Papers holding at least half of the query's meaningful words (no stop words, no
        one-letter words); a query needs two such words, and its best hit ``SEARCH_FLOOR``."""
        terms = meaningful_words(fold(text))
        if len(terms) < 2:
            return []
        pool = fulltext.any_of(self.db, [self.db.quote_fts(t) for t in terms], (offset + limit) * 5 + 50)
        if not pool:
            return []
        found = self.papers_by_rowid([rowid for rowid, _ in pool])
        best = pool[0][1]
        scored = []
        for rowid, rank in pool:
            paper = found.get(rowid)
            if paper is None:
                continue
            words = set(fold(f"{paper.title} {paper.abstract}").split())
            held = sum(any(w.startswith(t) for w in words) for t in terms)
            match = round(_relative(rank, best) * held / len(terms), 1)
            if held and 2 * held >= len(terms):
                scored.append(PaperMatch(paper, match))
        scored.sort(key=lambda m: -m.match)
        if not scored or scored[0].match < SEARCH_FLOOR:
            return []
        return scored[offset : offset + limit]

    # --- stats -------------------------------------------------------------------------------

    def stats(self) -> Stats:
        db = self.db
        return Stats(
            papers=db.execute("select count(*) from papers").fetchone()[0],
            authors=db.execute("select count(*) from authors").fetchone()[0],
            categories=dict(
                db.execute(
                    "select category, count(*) from papers group by category order by count(*) desc, category"
                ).fetchall()
            ),
            years=dict(
                db.execute("select year, count(*) from papers group by year order by year").fetchall()
            ),
        )

    def categories_in_use(self) -> list[str]:
        return [r[0] for r in self.db.execute("select distinct category from papers order by category")]


def _relative(rank: float, best: float) -> float:
    return round(100.0 * rank / best, 1) if best else 100.0
