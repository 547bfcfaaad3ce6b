"""Answer a chat message from the catalog: a parsed question, resolved into cards to show.

Everything an answer says comes from the catalog's own records, so it is cited by
construction; when the catalog has nothing, the answer says so (with near matches) rather than
show the closest unrelated card. The Discord side only renders an ``Answer``.
"""

from __future__ import annotations

from store.catalog.catalog import Catalog
from store.catalog.models import Paper, PaperMatch
from store.chat import author_queries as people
from store.chat.answer_model import (
    MAX_PAPERS,
    Answer,
    AnswerKind,
    Filters,
    Subject,
    paper_answer,
    papers_answer,
    quote,
    title_of,
    years_phrase,
)
from store.chat.answer_people import author_answer, by_people, filters_of, people_answer
from store.chat.questions import PAPER_INTENTS, Intent, Question, parse
from store.chat.recognise import (
    STRONG_TITLE,
    SURNAME,
    Person,
    coined_titles,
    people_in,
    person,
    ties,
    titles,
)
from store.text import fold

# A title matched this well is taken only when nothing else in the catalog fits the words.
WEAK_TITLE = 78.0
# A title matched this well is named (its start, its acronym, most of its words).
NAMED_TITLE = 92.0
HELP_TEXT = (
    'Ask me about papers in plain words: "who wrote YOPO?", "papers by Zhanxing Zhu since 2020", '
    '"bibtex for MonoFlow", "a random cs.CV paper", "anything on traffic forecasting?", '
    "or paste an arXiv link."
)


def answer(catalog: Catalog, text: str, about: Subject | None = None) -> Answer:
    """Answer one chat message; ``about`` is what the message replies to, if anything."""
    return _answer(catalog, parse(text), about)


def _answer(catalog: Catalog, q: Question, about: Subject | None) -> Answer:
    if q.intent is Intent.NOTHING and not q.arxiv:
        return Answer(AnswerKind.NOTHING, "")
    if q.intent is Intent.HELP:
        return Answer(AnswerKind.HELP, HELP_TEXT)
    if q.intent is Intent.STATS:
        stats = catalog.stats()
        span = f" from {min(stats.years)} to {max(stats.years)}" if stats.years else ""
        return Answer(
            AnswerKind.STATS,
            f"I know {stats.papers:,} papers by {stats.authors:,} authors{span}.",
            stats=stats,
        )
    if q.arxiv:
        return _by_arxiv(catalog, q)
    if q.intent is Intent.RANDOM:
        return _random(catalog, q)
    if q.intent in PAPER_INTENTS or q.intent in (Intent.MORE_BY_AUTHOR, Intent.SIMILAR):
        return _about_paper(catalog, q, about)
    if q.intent in (Intent.AUTHOR, Intent.LATEST):
        if not q.names and q.topic and not (about and (about.author_id or about.paper_ids)):
            return _topic(catalog, q, q.topic)  # "the latest papers on diffusion"
        return by_people(catalog, q, about)
    if q.intent is Intent.TOPIC:
        return _topic(catalog, q, q.subject)
    return _lookup(catalog, q, about)


# --- papers --------------------------------------------------------------------------------------


def _by_arxiv(catalog: Catalog, q: Question) -> Answer:
    found = [p for p in (catalog.paper(ref.id) for ref in q.arxiv) if p is not None]
    missing = [ref for ref in q.arxiv if catalog.paper(ref.id) is None]
    if not found:
        ref = missing[0]
        more = f" (nor {len(missing) - 1} more)" if len(missing) > 1 else ""
        return Answer(
            AnswerKind.NOT_IN_CATALOG,
            f"arXiv {ref.id} is not in this catalog{more}: {ref.link}",
            link=ref.link,
        )
    note = (
        f" ({len(missing)} other link{'s are' if len(missing) > 1 else ' is'} not in this catalog)"
        if missing
        else ""
    )
    link = missing[0].link if missing else None
    if len(found) == 1:
        single = paper_answer(q if q.intent in PAPER_INTENTS else Question(Intent.LOOKUP), found[0])
        if q.intent is Intent.SIMILAR or q.intent is Intent.MORE_BY_AUTHOR:
            return _about_paper(catalog, q, Subject((found[0].id,)))
        return Answer(
            single.kind, single.lead + note, single.papers, link=single.link or link, subject=single.subject
        )
    return papers_answer(f"{len(found)} papers from those links{note}:", found)


def _pick(about: Subject | None, ordinal: int | None) -> str | None:
    if about is None or not about.paper_ids:
        return None
    index = ordinal or 0
    return about.paper_ids[index] if index < len(about.paper_ids) else None


def _which_paper(catalog: Catalog, q: Question) -> Answer | Paper:
    """The one paper a subject names, or the answer to give instead (a choice, nothing found)."""
    found = titles(catalog, q.subject, floor=75.0)
    if len(found) == 1 or (found and found[0].match >= 100.0 > found[1].match):
        return found[0].paper
    if found:
        return papers_answer(
            f"Several papers match {quote(q.subject)}; which one?", [m.paper for m in found], total=len(found)
        )
    # Only papers holding every word (``search`` then scores its best 100; with none holding
    # them all, it falls back to papers with half the words): a paper sharing half the words of
    # a title the catalog does not have is not that paper.
    hits = catalog.search(q.subject, limit=5)
    if hits and hits[0].match < 100.0:
        hits = []
    if len(hits) == 1:
        return hits[0].paper
    if hits:
        return papers_answer(
            f"No title matches {quote(q.subject)}; these mention it:", [m.paper for m in hits]
        )
    return _not_found(catalog, q.subject)


def _about_paper(catalog: Catalog, q: Question, about: Subject | None) -> Answer:
    if q.refers_back or not q.subject:
        paper_id = _pick(about, q.ordinal)
        if paper_id is None and about is not None and about.author_id and q.intent is Intent.MORE_BY_AUTHOR:
            return author_answer(catalog, q, people.PaperFilter(), author_id=about.author_id)
        paper = catalog.paper(paper_id) if paper_id else None
        if paper is None:
            return Answer(
                AnswerKind.NOT_FOUND,
                "Which paper? Name it, paste its arXiv link, or reply to one of my answers about it.",
            )
    else:
        found = _which_paper(catalog, q)
        if isinstance(found, Answer):
            return found
        paper = found
    if q.intent is Intent.MORE_BY_AUTHOR:
        author_id = people.author_of(catalog, paper.id, last=q.last_author)
        if author_id is None:
            return Answer(AnswerKind.NOT_FOUND, f"I know no authors of {title_of(paper)}.")
        return author_answer(catalog, q, people.PaperFilter(), author_id=author_id)
    if q.intent is Intent.SIMILAR:
        similar = people.similar_to(catalog, paper, limit=MAX_PAPERS)
        if not similar:
            return Answer(AnswerKind.NOT_FOUND, f"I know no papers like {title_of(paper)}.")
        return papers_answer(f"Papers like {title_of(paper)}:", similar)
    return paper_answer(q, paper)


def _random(catalog: Catalog, q: Question) -> Answer:
    paper = catalog.random_paper(q.category, q.year_from, q.year_to)
    filters: Filters = {"category": q.category, "year_from": q.year_from, "year_to": q.year_to}
    what = f"{q.category} paper" if q.category else "paper"
    what = " ".join(x for x in (what, years_phrase(q.year_from, q.year_to)) if x)
    if paper is None:
        return Answer(
            AnswerKind.NOT_FOUND,
            f"This catalog has no {what}.",
            suggestions=tuple(catalog.categories_in_use()[:5]),
            **filters,
        )
    lead = f"A random {q.category} paper" if q.category else "A random paper"
    years = years_phrase(q.year_from, q.year_to)
    return Answer(
        AnswerKind.RANDOM,
        f"{lead}{' ' + years if years else ''}:",
        (paper,),
        subject=Subject((paper.id,)),
        **filters,
    )


def _topic(catalog: Catalog, q: Question, text: str) -> Answer:
    """Papers about ``text`` (full text), newest first when the question asks for the latest."""
    if not text:
        return Answer(AnswerKind.NOT_FOUND, "Papers about what? Try “anything on graph neural networks?”.")
    if q.intent is Intent.TOPIC:
        named = titles(catalog, text, floor=95.0)
        if len(named) == 1:
            return paper_answer(q, named[0].paper)  # "on the noisy gradient descent…" is a title
    filtered = q.year_from is not None or q.year_to is not None or q.category is not None
    matches = catalog.search(text, limit=50 if filtered else MAX_PAPERS)
    if matches and matches[0].match < 100.0:
        # No paper has every word (``search`` then offers those with half): near, not found.
        return Answer(
            AnswerKind.NOT_FOUND,
            f"Nothing found for {quote(text)}.",
            suggestions=tuple(m.paper.title for m in matches[:5]),
        )
    hits = [m.paper for m in matches]
    hits = [
        p
        for p in hits
        if (q.year_from is None or p.year >= q.year_from)
        and (q.year_to is None or p.year <= q.year_to)
        and (q.category is None or p.category == q.category)
    ]
    if q.intent is Intent.LATEST:
        hits.sort(key=lambda p: p.published, reverse=True)
    if not hits:
        return _not_found(catalog, text)
    years = years_phrase(q.year_from, q.year_to)
    return papers_answer(
        f"Papers about {quote(text)}{' ' + years if years else ''}:",
        hits,
        year_from=q.year_from,
        year_to=q.year_to,
        topic=text,
        category=q.category,
    )


def _not_found(catalog: Catalog, text: str) -> Answer:
    """Nothing matched: near titles and names, never a card."""
    suggestions: list[str] = [m.paper.title for m in catalog.search(text, limit=3)]
    if len(text.split()) <= 4:
        suggestions += [a.name for a in catalog.find_authors(text, limit=3, min_match=60.0)]
    return Answer(
        AnswerKind.NOT_FOUND, f"Nothing found for {quote(text)}.", suggestions=tuple(suggestions[:5])
    )


# --- a title, a name or a topic --------------------------------------------------------------------


def _names_a_title(subject: str, found: PaperMatch) -> bool:
    """Whether words matching inside a title name that paper, or are a topic it shares.

    "graph networks" appears in a title word for word, and so scores high, but a phrase that
    short, found word for word inside a title (not at its start), is what people type for a
    topic. A typo'd title is not found word for word, and stays a title.
    """
    words, title = fold(subject), fold(found.paper.title)
    if found.match >= NAMED_TITLE or words not in title:
        return True
    return len(words.split()) * 2 >= len(title.split())


def _lookup(catalog: Catalog, q: Question, about: Subject | None) -> Answer:
    """Words that name something: a title, a person, or a topic, tried in that order."""
    if q.refers_back:
        paper_id = _pick(about, q.ordinal) if q.ordinal is not None else None
        if paper_id and (paper := catalog.paper(paper_id)):
            return paper_answer(q, paper)
        if about is not None and about.author_id is not None and (q.year_from or q.year_to):
            return author_answer(catalog, q, filters_of(q), about.author_id)
        return (
            Answer(AnswerKind.HELP, HELP_TEXT)
            if not q.year_from and not q.year_to
            else Answer(AnswerKind.NOT_FOUND, "Papers by whom, or about what?")
        )
    subject = q.subject
    ranked = catalog.find_papers(subject, limit=5) if len(fold(subject).replace(" ", "")) >= 2 else []
    found_titles = ties(ranked, STRONG_TITLE)
    whole = person(catalog, subject, floor=SURNAME, suggest=False) if len(subject.split()) <= 4 else Person()
    best_title = found_titles[0].match if found_titles else 0.0
    best_person = whole.author.match if whole.author else (whole.choices[0].match if whole.choices else 0.0)
    if best_person >= max(best_title, SURNAME):
        return people_answer(catalog, q, [(subject, whole)], q.topic)
    if found_titles and _names_a_title(subject, found_titles[0]):
        if len(found_titles) == 1:
            return paper_answer(q, found_titles[0].paper)
        return papers_answer(f"Several papers match {quote(subject)}:", [m.paper for m in found_titles])
    inside = people_in(catalog, subject, names_people=q.names_people)
    if inside.people:
        return people_answer(catalog, q, [(subject, p) for p in inside.people], inside.rest)
    coined = coined_titles(catalog, subject)
    if coined:
        if len(coined) == 1:
            return paper_answer(q, coined[0])
        return papers_answer(f"{len(coined)} papers named in your message:", coined)
    found = _topic(catalog, q, subject)
    if found.kind is AnswerKind.NOT_FOUND:
        # Nothing mentions these words: a typo'd title ("monoflwo") is all that is left.
        weak = ties(ranked, WEAK_TITLE)
        if len(weak) == 1:
            return paper_answer(q, weak[0].paper)
    return found
