"""What the chat answers: the kinds of answer, what each carries, and answers about one paper.

Plain values, so the Discord side renders them and tests compare them; ``lead`` is the one
sentence shown above the cards, built only from catalog records and clipped user words.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TypedDict, Unpack

from store import categories
from store.catalog.models import AuthorMatch, Paper, Stats
from store.chat.vocabulary import Facet
from store.links import ARXIV_ID, paper_url

# The most papers a list answer shows at once, and the most a reply "more" can page through.
MAX_PAPERS = 10
REACHABLE = 60


class AnswerKind(Enum):
    PAPER = "paper"  # one paper card
    PAPERS = "papers"  # a short list to choose from
    AUTHOR = "author"  # one author: author_id, papers (filtered when filters are set)
    AUTHORS = "authors"  # a name several authors share: choose one
    WHO_WROTE = "who_wrote"
    CODE = "code"
    BIBTEX = "bibtex"
    ABSTRACT = "abstract"
    RANDOM = "random"  # one random paper (category / years say what to draw again from)
    STATS = "stats"
    HELP = "help"
    NOT_IN_CATALOG = "not_in_catalog"  # an arXiv id we do not have: ``link``
    NOT_FOUND = "not_found"  # nothing matched: ``suggestions`` holds near titles / names
    ACK = "ack"  # thanks, a greeting: one short line, never a search
    NOTHING = "nothing"  # no question (or thanks in a reply): stay quiet


@dataclass(frozen=True, slots=True)
class Subject:
    """What an answer was about, kept by the bot so a reply to it can say "it".

    ``paper_ids`` are every paper the answer can lead to, in its order: the ones shown first
    (``MAX_PAPERS`` at most), then the rest, which a reply "more" shows.
    """

    paper_ids: tuple[str, ...] = ()
    author_id: int | None = None


@dataclass(frozen=True, slots=True)
class Answer:
    """What to show; ``lead`` is one plain sentence (the caller escapes it)."""

    kind: AnswerKind
    lead: str
    papers: tuple[Paper, ...] = ()
    authors: tuple[AuthorMatch, ...] = ()
    author_id: int | None = None
    suggestions: tuple[str, ...] = ()
    link: str | None = None
    subject: Subject | None = None
    # Filters of an AUTHOR / RANDOM / PAPERS answer, so paging or "Another" can ask again.
    year_from: int | None = None
    year_to: int | None = None
    topic: str = ""
    category: str | None = None
    total: int | None = None  # how many papers match in all (``papers`` holds the first ones)
    stats: Stats | None = None


class Filters(TypedDict, total=False):
    """The filter fields of an ``Answer``, passed on by the helpers that build one."""

    year_from: int | None
    year_to: int | None
    topic: str
    category: str | None
    total: int | None


def quote(text: str, limit: int = 60) -> str:
    """User words for a lead: one line, clipped, in quotes."""
    text = " ".join(text.split())
    return f"“{text if len(text) <= limit else text[: limit - 1].rstrip() + '…'}”"


def title_of(paper: Paper) -> str:
    return quote(paper.title, 80)


def _names(paper: Paper) -> str:
    names = ", ".join(paper.authors[:8])
    more = " et al." if paper.authors_truncated or len(paper.authors) > 8 else ""
    return (names + more) or "unknown authors"


def paper_answer(facets: frozenset[Facet], paper: Paper, lead: str | None = None) -> Answer:
    """An answer about one paper, saying what the message asked of it (several facets at once)."""
    title = title_of(paper)
    subject = Subject((paper.id,))
    said: list[str] = []
    kind = AnswerKind.PAPER
    if Facet.WHO in facets:
        said.append(f"{title} is by {_names(paper)}".rstrip(".") + ".")
        kind = AnswerKind.WHO_WROTE
    if Facet.WHEN in facets:
        said.append(f"{title} was published on {paper.published.day} {paper.published:%B %Y}.")
    if Facet.CATEGORY in facets:
        said.append(f"{title} is in {categories.label(paper.category)}.")
    if Facet.PDF in facets:
        pdf = f"https://arxiv.org/pdf/{paper.id}" if ARXIV_ID.match(paper.id) else paper_url(paper)
        said.append(f"PDF of {title}: {pdf}")
    link = None
    if Facet.CODE in facets:
        link = paper.code_url
        if paper.code_url:
            said.append(f"Code for {title}: {paper.code_url}")
        elif paper.has_code:
            said.append(f"The listing marks {title} as having code, but gives no link.")
        else:
            said.append(f"I know of no code for {title}.")
        kind = AnswerKind.CODE if kind is AnswerKind.PAPER else kind
    if Facet.CITE in facets and kind is AnswerKind.PAPER:
        return Answer(AnswerKind.BIBTEX, f"BibTeX for {title}:", (paper,), subject=subject)
    if Facet.ABSTRACT in facets and not said:
        return Answer(AnswerKind.ABSTRACT, f"The abstract of {title}:", (paper,), subject=subject)
    text = " ".join(said) if said else (lead or f"{title} ({paper.year}):")
    return Answer(kind, text, (paper,), link=link, subject=subject)


def papers_answer(lead: str, papers: list[Paper], **filters: Unpack[Filters]) -> Answer:
    """A list: the first ``MAX_PAPERS`` shown, all of them (up to ``REACHABLE``) one "more" away."""
    shown = tuple(papers[:MAX_PAPERS])
    reachable = tuple(p.id for p in papers[:REACHABLE])
    return Answer(AnswerKind.PAPERS, lead, shown, subject=Subject(reachable), **filters)


def years_phrase(year_from: int | None, year_to: int | None) -> str:
    if year_from is not None and year_from == year_to:
        return f"in {year_from}"
    if year_from is not None and year_to is not None:
        return f"from {year_from} to {year_to}"
    if year_from is not None:
        return f"since {year_from}"
    if year_to is not None:
        return f"up to {year_to}"
    return ""
