"""Answers about people: an author's papers (by years, on a topic), their latest, two together.

A name in a question may be typo'd, shared by several people, or buried in other words; each
case gets its own answer (the person, a choice, near names), never a guess.
"""

from __future__ import annotations

from store.catalog.catalog import Catalog
from store.catalog.models import AuthorMatch
from store.chat import author_queries as people
from store.chat.answer_model import MAX_PAPERS, Answer, AnswerKind, Subject, paper_answer, quote, years_phrase
from store.chat.author_queries import PaperFilter
from store.chat.questions import Intent, Question
from store.chat.recognise import Person, people_in, person

# A name the question says is a person must match at least this well.
NAMED_PERSON = 80.0


def filters_of(q: Question, topic: str | None = None) -> PaperFilter:
    return PaperFilter(q.year_from, q.year_to, q.topic if topic is None else topic)


def author_answer(
    catalog: Catalog, q: Question, filters: PaperFilter, author_id: int, match: AuthorMatch | None = None
) -> Answer:
    """One author's papers (filtered), or their latest."""
    name = match.name if match else _author_name(catalog, author_id)
    match = match or AuthorMatch(author_id, name, 0, 100.0)
    if (
        q.intent is Intent.LATEST
        and not filters.topic
        and filters.year_from is None
        and filters.year_to is None
    ):
        latest = people.latest_of(catalog, author_id)
        if latest is None:
            return Answer(AnswerKind.NOT_FOUND, f"I know no papers by {name}.")
        single = paper_answer(q, latest, lead=f"The latest paper by {name} ({latest.year}):")
        return Answer(single.kind, single.lead, single.papers, (match,), author_id, subject=single.subject)
    page = people.papers_of(catalog, author_id, filters)
    parts = [f"by {name}"]
    if filters.topic:
        parts.append(f"on {quote(filters.topic)}")
    if years_phrase(filters.year_from, filters.year_to):
        parts.append(years_phrase(filters.year_from, filters.year_to))
    what = " ".join(parts)
    if not page.papers:
        return Answer(
            AnswerKind.NOT_FOUND, f"I know no papers {what}.", authors=(match,), author_id=author_id,
            suggestions=(name,), year_from=filters.year_from, year_to=filters.year_to, topic=filters.topic,
        )  # fmt: skip
    papers = page.papers
    if q.intent is Intent.LATEST:
        papers = tuple(sorted(papers, key=lambda p: p.published, reverse=True))
    noun = "paper" if page.total == 1 else "papers"
    return Answer(
        AnswerKind.AUTHOR,
        f"{page.total} {noun} {what}:",
        papers,
        (match,),
        author_id,
        subject=Subject(tuple(p.id for p in papers[:MAX_PAPERS]), author_id),
        year_from=filters.year_from,
        year_to=filters.year_to,
        topic=filters.topic,
        total=page.total,
    )


def _author_name(catalog: Catalog, author_id: int) -> str:
    row = catalog.db.execute("select name from authors where id = ?", [author_id]).fetchone()
    return row[0] if row else "this author"


def _choose(name: str, found: Person) -> Answer:
    return Answer(
        AnswerKind.AUTHORS,
        f"Several authors match {quote(name)}; which one?",
        authors=found.choices,
        suggestions=tuple(a.name for a in found.choices),
    )


def by_people(catalog: Catalog, q: Question, about: Subject | None) -> Answer:
    if not q.names:
        if about is not None and (about.author_id is not None or about.paper_ids) and q.refers_back:
            author_id = about.author_id or people.author_of(catalog, about.paper_ids[0])
            if author_id is not None:
                return author_answer(catalog, q, filters_of(q), author_id)
        return Answer(AnswerKind.NOT_FOUND, "Whose papers? Try “papers by Zhanxing Zhu since 2020”.")
    resolved: list[tuple[str, Person]] = []
    topic = [q.topic] if q.topic else []
    for name in q.names[:3]:
        found = person(catalog, name, floor=NAMED_PERSON)
        if not found.author and not found.choices:
            # "did Ke Sun", "Zhu on graphs": look for the people inside the words.
            inside = people_in(catalog, name, names_people=True)
            if inside.people:
                resolved += [(name, p) for p in inside.people]
                topic += [inside.rest] if inside.rest else []
                continue
        resolved.append((name, found))
    return people_answer(catalog, q, resolved, " ".join(topic))


def people_answer(catalog: Catalog, q: Question, resolved: list[tuple[str, Person]], topic: str) -> Answer:
    for name, found in resolved:
        if found.choices:
            return _choose(name, found)
        if found.author is None:
            return Answer(
                AnswerKind.NOT_FOUND, f"I know no author called {quote(name)}.", suggestions=found.suggestions
            )
    authors = [found.author for _, found in resolved if found.author is not None]
    if len(authors) == 1:
        return author_answer(catalog, q, filters_of(q, topic), authors[0].id, authors[0])
    first, second = authors[0], authors[1]
    filters = PaperFilter(q.year_from, q.year_to, topic, coauthor_id=second.id)
    page = people.papers_of(catalog, first.id, filters)
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
        subject=Subject(tuple(p.id for p in shown[:MAX_PAPERS])),
        year_from=q.year_from,
        year_to=q.year_to,
        topic=topic,
        total=page.total,
    )
