"""Answer a chat message from the catalog: read it, ask the catalog, and answer the reading it supports.

A message is read without the catalog first (``store.chat.reading``: cues, filters, content
words). The content words are then looked up as everything they could be (a paper's name, a
title, a description, a person, a topic), and the reading with the best evidence wins: a
person named as one, a paper named or described well enough and clearly ahead of the next,
a topic with every paper about it. Two close candidates get a "Do you mean …?" menu, and
"I don't have that" is said only when nothing reaches the floor. Everything shown is a
catalog record, so every answer is cited by construction.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from store.catalog.catalog import Catalog
from store.catalog.models import AuthorMatch, Paper
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
from store.chat.answer_people import author_answer, author_name, choose, people_answer
from store.chat.comparing import compare
from store.chat.evidence import Evidence, Reader
from store.chat.message_text import category_in
from store.chat.plausibility import names_form, passes, plausible, singular, title_case_span
from store.chat.reading import Reading, read
from store.chat.recognise import Person, people_in, person
from store.chat.vocabulary import Facet
from store.text import fold

HELP_TEXT = (
    'Ask me about papers in plain words: "who wrote YOPO?", "papers by Zhanxing Zhu since 2020", '
    '"bibtex for MonoFlow", "a random cs.CV paper", "anything on traffic forecasting?", '
    "or paste an arXiv link. Reply to my answers to ask more about them."
)
# A paper counts as named or described when its evidence reaches this, and as the answer when
# the next candidate is this far behind; closer, the answer is "Do you mean …?".
FLOOR = 0.72
MARGIN = 0.12
# A description must hold this share of the content words to be offered at all.
DESCRIBED = 0.75
# A long description names the paper whose bm25 is this many times the next one's.
SEPARATED = 1.3
# Facets asked of one paper.
PAPER_FACETS = frozenset(
    {Facet.WHO, Facet.WHEN, Facet.CODE, Facet.PDF, Facet.CITE, Facet.ABSTRACT, Facet.CATEGORY}
)
# Facets that ask about a person.
PERSON_FACETS = frozenset({Facet.PERSON, Facet.COAUTHORS, Facet.WITH})


def answer(catalog: Catalog, text: str, about: Subject | None = None, today: date | None = None) -> Answer:
    """Answer one chat message; ``about`` is what the message replies to, if anything."""
    return decide(catalog, read(text, today or date.today()), about)


def decide(catalog: Catalog, r: Reading, about: Subject | None) -> Answer:
    if r.acknowledges:
        if about is not None or not r.text:
            return Answer(AnswerKind.NOTHING, "")
        return Answer(AnswerKind.ACK, _acknowledge(r))
    if r.has(Facet.HELP) and len(r.content) <= 1:
        return Answer(AnswerKind.HELP, HELP_TEXT)
    if r.arxiv:
        return _by_arxiv(catalog, r)
    if about is not None and _follows_up(r):
        return _follow_up(catalog, r, about)
    if r.has(Facet.STATS) or (r.has(Facet.COUNT) and not r.content and about is None):
        return _stats(catalog)
    if r.has(Facet.RANDOM) and not _names_something(r):
        return _random(catalog, r)
    if not r.content:
        if about is None and (r.year_from or r.year_to or r.category):
            return _listing(catalog, r)
        if about is None and r.facets & PAPER_FACETS:
            return Answer(
                AnswerKind.NOT_FOUND,
                "Which paper? Name it, paste its arXiv link, or reply to one of my answers about it.",
            )
        return Answer(AnswerKind.HELP, HELP_TEXT)
    found = _understand(catalog, r, about)
    if (
        found.kind is AnswerKind.NOT_FOUND
        and r.polite
        and len(r.content) <= 3  # a real question has more to say ("… about pedestrians and graphs")
        and not (r.facets - {Facet.ONE, Facet.LIST})
    ):
        # Thanks or a greeting with words the catalog knows nothing of: chit-chat, not a search.
        return (
            Answer(AnswerKind.NOTHING, "") if about is not None else Answer(AnswerKind.ACK, _acknowledge(r))
        )
    return found


def _acknowledge(r: Reading) -> str:
    words = set(fold(r.text).split())
    if words & {"thanks", "thank", "thx", "ty", "tysm", "cheers", "appreciated"}:
        return "You're welcome!"
    if words & {"hi", "hello", "hey", "morning", "evening", "afternoon", "yo", "hiya", "gm"}:
        return "Hi! Ask me about a paper, an author or a topic."
    return "👍"


def _names_something(r: Reading) -> bool:
    """Whether the words beside "random" name a topic or a person ("a random paper on graphs")."""
    return bool(r.content) and r.has(Facet.LIST, Facet.PERSON)


# --- replies ---------------------------------------------------------------------------------------


def _follows_up(r: Reading) -> bool:
    """Whether a reply is about the answer it replies to rather than a new question."""
    if r.ordinal is not None or r.has(Facet.NEXT):
        return True
    if r.has(Facet.WITH) and r.content:
        return True  # "with Ke Sun?"
    return not r.content or (r.points_back and len(r.content) <= 2 and not r.has(Facet.LIST))


def _follow_up(catalog: Catalog, r: Reading, about: Subject) -> Answer:
    ids = about.paper_ids
    if r.has(Facet.NEXT):
        rest = [p for p in (catalog.paper(i) for i in ids[MAX_PAPERS:]) if p is not None]
        if not rest:
            return Answer(AnswerKind.NOT_FOUND, "That was all of them.")
        more = papers_answer(f"{len(rest)} more:", rest)
        if about.author_id is None:
            return more
        name = author_name(catalog, about.author_id)
        return Answer(
            AnswerKind.AUTHOR,
            f"{len(rest)} more by {name}:",
            more.papers,
            (AuthorMatch(about.author_id, name, 0, 100.0),),
            about.author_id,
            subject=Subject(more.subject.paper_ids if more.subject else (), about.author_id),
            total=len(rest),
        )
    if r.ordinal is not None:
        shown = ids[:MAX_PAPERS]
        index = r.ordinal if r.ordinal >= 0 else len(shown) - 1
        paper = catalog.paper(shown[index]) if 0 <= index < len(shown) else None
        if paper is None:
            return Answer(AnswerKind.NOT_FOUND, f"That answer showed {len(shown)} papers.")
        return paper_answer(r.facets, paper)
    if about.author_id is not None and not (r.facets & PAPER_FACETS and len(ids) == 1):
        return _about_author(catalog, r, about.author_id)
    papers = [p for p in (catalog.paper(i) for i in ids[:MAX_PAPERS]) if p is not None]
    if not papers:
        return Answer(AnswerKind.NOT_FOUND, "I no longer know what that answer showed: ask me again?")
    if r.has(Facet.COMPARE) and len(papers) > 1:
        return compare(r, papers)
    if r.has(Facet.RANDOM):
        return _random(catalog, r)
    return _about_paper(catalog, r, papers[0])


def _about_author(catalog: Catalog, r: Reading, author_id: int) -> Answer:
    if r.has(Facet.WITH) and r.content:
        found = person(catalog, " ".join(r.content), floor=80.0)
        if found.choices:
            return choose(" ".join(r.content), found)
        if found.author is not None:
            return author_answer(catalog, r, author_id, coauthor=found.author)
    topic = " ".join(r.content)
    return author_answer(catalog, r, author_id, topic)


def _about_paper(catalog: Catalog, r: Reading, paper: Paper) -> Answer:
    """What a reply asks of one paper: a facet, similar papers, more by its authors."""
    if r.has(Facet.SIMILAR):
        similar = people.similar_to(catalog, paper, limit=MAX_PAPERS * 3)
        if not similar:
            return Answer(AnswerKind.NOT_FOUND, f"I know no papers like {title_of(paper)}.")
        return papers_answer(f"Papers like {title_of(paper)}:", similar)
    if r.has(Facet.MORE_BY):
        singular = {"his", "her", "him", "he", "she"} & set(fold(r.text).split())
        authors = people.authors_of(catalog, paper.id)
        if singular and len(authors) > 1:
            matches = tuple(AuthorMatch(a, author_name(catalog, a), 0, 100.0) for a in authors[:8])
            return Answer(AnswerKind.AUTHORS, "Whose other work: which one?", authors=matches)
        return _more_by(catalog, r, paper)
    if r.has(Facet.COAUTHORS) and not r.content:
        return paper_answer(frozenset({Facet.WHO}), paper)
    return paper_answer(r.facets, paper)


def _more_by(catalog: Catalog, r: Reading, paper: Paper) -> Answer:
    """Other papers by a paper's authors: the one named ("the last author"), else all of them."""
    last = "last" in fold(r.text).split() or "senior" in fold(r.text).split()
    if "first" in fold(r.text).split() or last:
        author_id = people.author_of(catalog, paper.id, last=last)
        if author_id is not None:
            return author_answer(catalog, Reading(r.text), author_id)
    ids = people.authors_of(catalog, paper.id)
    theirs: dict[str, Paper] = {}
    for author_id in ids:
        for other in people.papers_of(catalog, author_id, limit=MAX_PAPERS * 2).papers:
            if other.id != paper.id:
                theirs.setdefault(other.id, other)
    if not theirs:
        return Answer(AnswerKind.NOT_FOUND, f"I know no other papers by the authors of {title_of(paper)}.")
    ranked = sorted(theirs.values(), key=lambda p: p.published, reverse=True)
    return papers_answer(f"More by the authors of {title_of(paper)}:", ranked)


# --- ids, random, stats ----------------------------------------------------------------------------


def _by_arxiv(catalog: Catalog, r: Reading) -> Answer:
    found = [p for p in (catalog.paper(ref.id) for ref in r.arxiv) if p is not None]
    missing = [ref for ref in r.arxiv if catalog.paper(ref.id) is None]
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
    if len(found) == 1:
        single = _about_paper(catalog, r, found[0])
        return Answer(
            single.kind,
            single.lead + note,
            single.papers,
            link=single.link or (missing[0].link if missing else None),
            subject=single.subject,
        )
    if r.has(Facet.COMPARE):
        return compare(r, found)
    return papers_answer(f"{len(found)} papers from those links{note}:", found)


def _stats(catalog: Catalog) -> Answer:
    stats = catalog.stats()
    span = f" from {min(stats.years)} to {max(stats.years)}" if stats.years else ""
    return Answer(
        AnswerKind.STATS, f"I know {stats.papers:,} papers by {stats.authors:,} authors{span}.", stats=stats
    )


def _random(catalog: Catalog, r: Reading) -> Answer:
    paper = catalog.random_paper(r.category, r.year_from, r.year_to)
    filters: Filters = {"category": r.category, "year_from": r.year_from, "year_to": r.year_to}
    what = f"{r.category} paper" if r.category else "paper"
    years = years_phrase(r.year_from, r.year_to)
    what = " ".join(x for x in (what, years) if x)
    if paper is None:
        return Answer(
            AnswerKind.NOT_FOUND,
            f"This catalog has no {what}.",
            suggestions=tuple(catalog.categories_in_use()[:5]),
            **filters,
        )
    lead = f"A random {r.category} paper" if r.category else "A random paper"
    return Answer(
        AnswerKind.RANDOM,
        f"{lead}{' ' + years if years else ''}:",
        (paper,),
        subject=Subject((paper.id,)),
        **filters,
    )


def _listing(catalog: Catalog, r: Reading) -> Answer:
    """Papers by year or category alone ("papers from 2021"), newest first."""
    papers, total = catalog.papers_in(r.category, r.year_from, r.year_to, limit=60)
    what = " ".join(x for x in (r.category or "", "papers", years_phrase(r.year_from, r.year_to)) if x)
    if not papers:
        return Answer(AnswerKind.NOT_FOUND, f"This catalog has no {what}.")
    if total == 1:
        return paper_answer(r.facets, papers[0])
    return papers_answer(
        f"{total} {what}:",
        papers,
        year_from=r.year_from,
        year_to=r.year_to,
        category=r.category,
        total=total,
    )


# --- understanding -----------------------------------------------------------------------------------


def _understand(catalog: Catalog, r: Reading, about: Subject | None) -> Answer:
    if len(r.content) > 4 and r.has(Facet.SIMILAR):
        # "related work" in a long message is context, not a request for similar papers.
        r = replace(r, facets=r.facets - {Facet.SIMILAR})
    reader = Reader(catalog, r.content, r.words)
    found_people = _people(catalog, r)
    if found_people is not None:
        return found_people
    if not (r.has(Facet.LIST) and not r.has(Facet.ONE)):
        reader.names()  # a topic question ("anything on X") rarely names a paper by nickname
    reader.titles()
    described = reader.descriptions(
        every_word=len(reader.content) < 5 or r.has(Facet.LIST), broad=r.has(Facet.LIST, Facet.LATEST)
    )
    named_title = title_case_span(r)
    ranked = [e for e in reader.ranked() if passes(e.paper, r) and plausible(e, r, named_title)]
    named = [e for e in ranked if e.by_name]
    if r.has(Facet.COMPARE) and len(named) >= 2:
        return compare(r, [e.paper for e in named[:4]])
    wants_list = r.has(Facet.LIST) and not r.has(Facet.ONE)
    about_it = [e.paper for e in described if e.described >= 1.0 and passes(e.paper, r)]
    if about_it and r.has(Facet.LATEST, Facet.FIRST) and singular(r):
        # "the newest paper on X": one paper, the newest (or oldest) of those about X.
        newest = r.has(Facet.LATEST)
        paper = (max if newest else min)(about_it, key=lambda p: (p.published, p.title))
        which = "newest" if newest else "oldest"
        return paper_answer(
            r.facets, paper, lead=f"The {which} paper about {quote(r.content_text)} ({paper.year}):"
        )
    if r.has(Facet.SIMILAR) and ranked and ranked[0].score >= FLOOR:
        return _about_paper(catalog, r, ranked[0].paper)  # "papers like MonoFlow"
    if not wants_list and ranked:
        best = ranked[0]
        runner_up = ranked[1].score if len(ranked) > 1 else 0.0
        if best.score >= FLOOR and best.score - runner_up >= MARGIN:
            return _about_paper(catalog, r, best.paper)
        if best.score >= FLOOR and not _is_topic(r, described):
            close = [e.paper for e in ranked if e.score >= max(FLOOR, best.score - MARGIN)]
            return _do_you_mean(close[:4])
    asks_of_one = bool(r.facets & PAPER_FACETS) and not wants_list
    if named_title or ((names_form(r) or asks_of_one) and len(reader.content) <= 2):
        # The words name a paper, so its title must hold them ("the trajectory prediction
        # ones"): several titles do, a menu; one holds the distinctive word, a question.
        if names_form(r) and not named_title:
            in_title = [e.paper for e in ranked if e.title >= 0.99]
            if 1 < len(in_title) <= 4:
                return _do_you_mean(in_title)
            titled = [e for e in ranked if e.title > 0]
            if len(titled) == 1 and titled[0].title >= 0.5:
                return _do_you_mean([titled[0].paper])
        return _not_found(r, ranked)  # a name the catalog has no paper for
    described = [e for e in described if passes(e.paper, r) and plausible(e, r, None)]
    topic = [e.paper for e in described if e.described >= 1.0]
    if len(reader.content) >= 3:
        # A topic in several words: papers holding most of them, one in their title, are about it too.
        topic += [e.paper for e in described if DESCRIBED <= e.described < 1.0 and e.title > 0]
    if r.has(Facet.ONE) and not wants_list and 1 < len(topic) <= 4:
        return _do_you_mean(topic)  # "the … paper": one is meant, and several fit
    if topic and (wants_list or len(topic) > 1 or r.has(Facet.LATEST, Facet.FIRST, Facet.COUNT)):
        return _topic(r, topic)
    if len(topic) == 1:
        return _about_paper(catalog, r, topic[0])
    near = [e for e in described if e.described >= DESCRIBED and len(reader.content) >= 3]
    if near and not wants_list:
        if len(near) == 1 or near[0].score - near[1].score >= MARGIN:
            return _about_paper(catalog, r, near[0].paper)
        return _do_you_mean([e.paper for e in near[:3]])
    titled = [e for e in ranked if e.title > 0]
    if r.has(Facet.ONE) and len(titled) == 1 and titled[0].title >= 0.5:
        # One paper's title holds the distinctive word, none holds them all: ask, do not assert.
        return _do_you_mean([titled[0].paper])
    if not wants_list:
        pool = [c for c in reader.best_described() if passes(c[0], r) and plausible(Evidence(c[0]), r, None)]
        if pool and pool[0][1] >= 3 and (len(pool) == 1 or pool[0][2] <= SEPARATED * pool[1][2]):
            return _about_paper(catalog, r, pool[0][0])
    category = category_in(r.content_text, plain_words=True)[0] if len(r.content) == 1 else None
    if category is not None and about is None:
        return _listing(catalog, replace(r, category=category))  # "cv papers"
    return _not_found(r, ranked)


def _is_topic(r: Reading, described: list[Evidence]) -> bool:
    """Several papers hold every word and none is named by them: the words are a topic."""
    full = [e for e in described if e.described >= 1.0]
    return len(full) > 1 and not any(e.by_name for e in full) and not r.has(Facet.ONE)


def _topic(r: Reading, papers: list[Paper]) -> Answer:
    topic = " ".join(r.content)
    if r.has(Facet.LATEST):
        papers = sorted(papers, key=lambda p: p.published, reverse=True)
    elif r.has(Facet.FIRST):
        papers = sorted(papers, key=lambda p: p.published)
    papers = [p for p in papers if passes(p, r)]
    years = years_phrase(r.year_from, r.year_to)
    if not papers:
        return Answer(
            AnswerKind.NOT_FOUND, f"I have nothing on {quote(topic)}{' ' + years if years else ''}."
        )
    count = f"{len(papers)} paper{'s' if len(papers) != 1 else ''}"
    return papers_answer(
        f"{count} about {quote(topic)}{' ' + years if years else ''}:",
        papers,
        year_from=r.year_from,
        year_to=r.year_to,
        topic=topic,
        category=r.category,
        total=len(papers),
    )


def _do_you_mean(papers: list[Paper]) -> Answer:
    return papers_answer("Do you mean one of these?", papers)


def _not_found(r: Reading, ranked: list[Evidence]) -> Answer:
    """Nothing reached the floor: say so, with near titles as plain suggestions (never cards)."""
    text = " ".join(r.content) or r.text
    suggestions = tuple(e.paper.display_title for e in ranked[:3] if e.score >= 0.4)
    return Answer(AnswerKind.NOT_FOUND, f"I don't have anything for {quote(text)}.", suggestions=suggestions)


# --- people ----------------------------------------------------------------------------------------------


def _people(catalog: Catalog, r: Reading) -> Answer | None:
    """An answer about the people the message names, when it names people; else None.

    A name of two words or more, or one said to be a person ("by", "'s", "guy"), counts
    wherever it is; a lone word counts when it is all the message says ("zhu papers").
    """
    cued = bool(r.facets & PERSON_FACETS)
    short = len(r.content) <= 2 and not r.has(Facet.ONE)
    text = " ".join(r.content)
    if not cued and len(r.content) > 4:
        return None  # many words and nothing saying a person is meant: a title or a description
    inside = people_in(
        catalog, text, names_people=cued or short or r.has(Facet.COUNT, Facet.FIRST, Facet.LATEST)
    )
    if not inside.people:
        return None
    rest = [w for w in inside.rest.split() if fold(w)]
    named_words = len(r.content) - len(rest)
    several_words = named_words >= 2 * len(inside.people)
    if not (cued or several_words) and named_words * 2 < len(r.content):
        return None
    resolved: list[tuple[str, Person]] = [(text, p) for p in inside.people]
    second = re.search(r"\b(?:and|&|with)\s+((?:[A-Z][\w'-]+\s*){1,3})\W*$", r.text)
    if cued and len(resolved) == 1 and second and fold(second[1]) == fold(" ".join(rest)):
        # "papers by Zhu and Dong": the second person is not in the catalog, and is no topic.
        return Answer(AnswerKind.NOT_FOUND, f"I know no author called {quote(second[1].strip())}.")
    if len(resolved) == 1 and resolved[0][1].choices and not cued:
        return choose(text, resolved[0][1])  # "Zhang": a bare surname several people share
    return people_answer(catalog, r, resolved, " ".join(rest))
