"""The papers a message names: for the "Find papers in this message" menu.

Unlike a question to the bot, a message someone else wrote names papers in passing, among
other talk: every arXiv id counts, and titles, nicknames and "the … paper" are looked for
clause by clause, each read the way the chat reads a question.
"""

from __future__ import annotations

import re
from datetime import date

from store.catalog.catalog import Catalog
from store.catalog.models import Paper
from store.chat.answers import MARGIN
from store.chat.evidence import Reader
from store.chat.message_text import arxiv_refs, strip_noise
from store.chat.plausibility import names_form
from store.chat.reading import Reading, read
from store.chat.recognise import MAX_TITLE_PROBES, QUESTION_WORDS, coined_titles, named_by_a_word, titles
from store.text import fold

_QUOTE_MARK = re.compile(r"^\s*>(?:>>)?\s?", re.MULTILINE)
_SEGMENT = re.compile(
    r"[\"“”‘’()\[\]\n]|[,;!?]\s|\.\s|:\s|\s-\s|\s(?:and|or|also|vs\.?|versus)\s", re.IGNORECASE
)


def _named_in_clause(catalog: Catalog, reading: Reading) -> Paper | None:
    """The one paper a clause names: by a short name, or by its title's words ("the anisotropic
    noise paper" holds two of them, and says it is a paper); a description does not count here."""
    reader = Reader(catalog, reading.content, reading.words)
    reader.names()
    reader.titles()
    ranked = reader.ranked()
    if not ranked:
        return None
    best, runner_up = ranked[0], ranked[1].score if len(ranked) > 1 else 0.0
    if best.by_name:
        return best.paper
    said_a_paper = names_form(reading)
    if best.title >= 0.99 and (best.covered >= 0.5 or said_a_paper) and best.score - runner_up >= MARGIN:
        return best.paper
    return None


def papers_named_in(catalog: Catalog, text: str, limit: int = 10, today: date | None = None) -> list[Paper]:
    """Every arXiv id/link and every paper title the text names, in order, each once.

    For the "find papers in this message" menu: ids count wherever they are (code blocks and
    quoted lines included: a pasted BibTeX entry names its paper); titles are looked for in
    the message's sentences and clauses, and in its coined words (``MonoFlow``).
    """
    text = (text or "")[:4000]
    today = today or date.today()
    found: dict[str, Paper] = {}
    for ref in arxiv_refs(text):
        paper = catalog.paper(ref.id)
        if paper is not None:
            found.setdefault(paper.id, paper)
    # Quoted lines and code are part of the message here: keep their words, drop their marks.
    plain = strip_noise(_QUOTE_MARK.sub("", text.replace("```", "\n")))
    probes = 0
    segments = [s.strip() for s in _SEGMENT.split(plain)]
    for segment in dict.fromkeys(s for s in segments if len(s.split()) >= 2):
        if len(found) >= limit or probes >= MAX_TITLE_PROBES:
            break
        words = [w for w in fold(segment).split() if w not in QUESTION_WORDS]
        if len(words) < 2:
            continue
        probes += 1
        for m in titles(catalog, segment, floor=90.0)[:1]:
            found.setdefault(m.paper.id, m.paper)
    for paper in [*coined_titles(catalog, plain), *named_by_a_word(catalog, plain)]:
        found.setdefault(paper.id, paper)
    # Titles named inside running text ("I finally read the anisotropic noise paper"): each
    # clause is read as the chat reads a message, and counts when it names one paper.
    for segment in dict.fromkeys(s for s in segments if len(s.split()) >= 2):
        if len(found) >= limit or probes >= MAX_TITLE_PROBES:
            break
        reading = read(segment, today)
        if not reading.content or reading.arxiv:
            continue
        probes += 1
        paper = _named_in_clause(catalog, reading)
        if paper is not None:
            found.setdefault(paper.id, paper)
    return list(found.values())[:limit]
