"""Answers about people: an author's papers (by years, on a topic, with someone), how many, the
first and the latest, whom they write with, and papers two people wrote together.

A name in a message may be typo'd, shared by several people, or buried in other words; each
case gets its own answer (the person, a which-one menu, near names), never a guess.
"""

from __future__ import annotations

from store.catalog.catalog import Catalog
from store.catalog.models import AuthorMatch, Paper
from store.chat import author_queries as people
from store.chat.answer_model import (
    MAX_PAPERS,
    REACHABLE,
    Answer,
    AnswerKind,
    Subject,
    paper_answer,
    quote,
    years_phrase,
)
from store.chat.author_queries import PaperFilter
from store.chat.reading import Reading
from store.chat.recognise import Person
from store.chat.vocabulary import Facet

# Facets that, asked of a person, are about one of their papers rather than their list.
_ONE_PAPER = frozenset({Facet.WHO, Facet.WHEN, Facet.CODE, Facet.PDF, Facet.CITE, Facet.ABSTRACT})


def author_name(catalog: Catalog, author_id: int) -> str:
    row = catalog.db.execute("select name from authors where id = ?", [author_id]).fetchone()
    return row[0] if row else "this author"


def choose(name: str, found: Person) -> Answer:
    return Answer(
        AnswerKind.AUTHORS,
        f"Several authors match {quote(name)}; which one?",
        authors=found.choices,
        suggestions=tuple(a.name for a in found.choices),
    )


def author_answer(
    catalog: Catalog,
    r: Reading,
    author_id: int,
    topic: str = "",
    match: AuthorMatch | None = None,
    coauthor: AuthorMatch | None = None,
) -> Answer:
    """What the message asks of one author: their papers (filtered), count, first, latest, co-authors."""
    name = match.name if match else author_name(catalog, author_id)
    match = match or AuthorMatch(author_id, name, 0, 100.0)
    filters = PaperFilter(r.year_from, r.year_to, topic, coauthor.id if coauthor else None)
    unfiltered = not topic and r.year_from is None and r.year_to is None and coauthor is None
    if r.has(Facet.COAUTHORS) and coauthor is None and not topic:
        profile = catalog.author_profile(author_id, MAX_PAPERS, None, 0)
        if profile is not None and profile.coauthors:
            usual = ", ".join(f"{c.name} ({c.count})" for c in profile.coauthors[:5])
            return Answer(
                AnswerKind.AUTHOR,
                f"{name} writes most often with {usual}.",
                profile.papers,
                (match,),
                author_id,
                subject=Subject(tuple(p.id for p in profile.papers), author_id),
                total=profile.paper_count,
            )
    page = people.papers_of(catalog, author_id, filters, limit=REACHABLE)
    parts = [f"by {name}"]
    if coauthor is not None:
        parts.append(f"with {coauthor.name}")
    if topic:
        parts.append(f"on {quote(topic)}")
    if years_phrase(r.year_from, r.year_to):
        parts.append(years_phrase(r.year_from, r.year_to))
    what = " ".join(parts)
    if not page.papers:
        return Answer(
            AnswerKind.NOT_FOUND, f"I know no papers {what}.", authors=(match,), author_id=author_id,
            suggestions=(name,), year_from=r.year_from, year_to=r.year_to, topic=topic,
        )  # fmt: skip
    papers = list(page.papers)
    wants_list = r.has(Facet.LIST)
    if r.has(Facet.FIRST):
        papers.sort(key=lambda p: (p.published, p.title))
        if not wants_list:
            return _one_of_theirs(r, papers[0], f"The first paper {what} ({papers[0].year}):", match)
    elif r.has(Facet.LATEST) and not topic:
        papers.sort(key=lambda p: (p.published, p.title), reverse=True)
        if not wants_list and unfiltered:
            return _one_of_theirs(r, papers[0], f"The latest paper {what} ({papers[0].year}):", match)
    elif r.facets & _ONE_PAPER and len(papers) == 1:
        return _one_of_theirs(r, papers[0], None, match)
    noun = "paper" if page.total == 1 else "papers"
    order = " (oldest first)" if r.has(Facet.FIRST) else ""
    if r.has(Facet.COUNT):
        lead = (
            f"{name} has {page.total} {noun}{' ' + ' '.join(parts[1:]) if parts[1:] else ''} in this catalog:"
        )
    else:
        lead = f"{page.total} {noun} {what}{order}:"
    return Answer(
        AnswerKind.AUTHOR,
        lead,
        tuple(papers[:MAX_PAPERS]),
        (match,),
        author_id,
        subject=Subject(tuple(p.id for p in papers), author_id),
        year_from=r.year_from,
        year_to=r.year_to,
        topic=topic,
        total=page.total,
    )


def _one_of_theirs(r: Reading, paper: Paper, lead: str | None, match: AuthorMatch) -> Answer:
    single = paper_answer(r.facets, paper, lead=lead)
    return Answer(
        single.kind, single.lead, single.papers, (match,), match.id, link=single.link, subject=single.subject
    )


def together(catalog: Catalog, r: Reading, first: AuthorMatch, second: AuthorMatch, topic: str) -> Answer:
    """Papers two people wrote together."""
    filters = PaperFilter(r.year_from, r.year_to, topic, coauthor_id=second.id)
    page = people.papers_of(catalog, first.id, filters, limit=REACHABLE)
    pair = f"{first.name} and {second.name}"
    if not page.papers:
        return Answer(
            AnswerKind.NOT_FOUND, f"I know no papers {pair} wrote together.", authors=(first, second)
        )
    noun = "paper" if page.total == 1 else "papers"
    shown = list(page.papers)
    return Answer(
        AnswerKind.PAPERS,
        f"{page.total} {noun} by {pair} together:",
        tuple(shown[:MAX_PAPERS]),
        (first, second),
        subject=Subject(tuple(p.id for p in shown)),
        year_from=r.year_from,
        year_to=r.year_to,
        topic=topic,
        total=page.total,
    )


def people_answer(catalog: Catalog, r: Reading, resolved: list[tuple[str, Person]], topic: str) -> Answer:
    """The answer for the people a message names: one, two together, a choice, or near names."""
    for name, found in resolved:
        if found.choices:
            return choose(name, found)
        if found.author is None:
            return Answer(
                AnswerKind.NOT_FOUND, f"I know no author called {quote(name)}.", suggestions=found.suggestions
            )
    authors = [found.author for _, found in resolved if found.author is not None]
    if len(authors) == 1:
        return author_answer(catalog, r, authors[0].id, topic, authors[0])
    return together(catalog, r, authors[0], authors[1], topic)
