"""What a message says a paper must be, checked against candidates the catalog offers.

A title named in Capitalised Words must be that paper's title; a proper name or acronym the
message insists on ("Jacot's", "BERT") must be in the paper; "the X paper" means X names it;
years and categories filter named papers too.
"""

from __future__ import annotations

import re

from store.catalog.models import Paper
from store.chat.evidence import Evidence, share, words_of
from store.chat.reading import Reading
from store.text import fold

_NAMES_FORM = re.compile(
    r"\bthe ((?:[\w.'-]+ ){1,4}?)(?:paper|ppr|ones?|article|preprint)\b(?! (?:that|where|which|with))"
)


def singular(r: Reading) -> bool:
    """ "the newest paper on X" asks for one; "the newest papers on X" for a list."""
    words = set(fold(r.text).split())
    return bool(words & {"paper", "ppr", "one", "article", "preprint"}) and not words & {
        "papers",
        "pprs",
        "ones",
    }


def names_form(r: Reading) -> bool:
    """ "the X paper": X is what the paper is called, so a mention in an abstract does not do."""
    return _NAMES_FORM.search(r.text.lower()) is not None


_TITLE_CASE = re.compile(r"(?:\b[A-Z][\w'-]*\b[\s:,-]+){2,}[A-Z][\w'-]*")


def title_case_span(r: Reading) -> str | None:
    """A run of three or more Capitalised Words inside a message: a title being named."""
    m = _TITLE_CASE.search(r.text[1:])  # the message's first word is capitalised anyway
    return m.group(0) if m and len(m.group(0).split()) >= 3 else None


def plausible(e: Evidence, r: Reading, named_title: str | None) -> bool:
    """Whether a candidate survives what the message says it must have.

    A title named in Capitalised Words must be that paper's title (most of its words); a
    proper name or acronym the message insists on ("Jacot's", "BERT") must be in the paper.
    """
    if e.by_name:
        return True
    title = fold(e.paper.display_title).split()
    if named_title is not None and share(words_of(named_title), title) < 0.75:
        return False
    text = fold(f"{e.paper.display_title} {e.paper.abstract}").split()
    return all(share([fold(w)], text) > 0 for w in salient(r))


def salient(r: Reading) -> list[str]:
    """Content words written as proper names: an acronym (BERT) or a Capitalised word mid-sentence."""
    first = r.words[0] if r.words else ""
    out = []
    for w in r.content:
        if w == first:
            continue
        if (len(w) >= 3 and w.isupper() and w.isalpha()) or (
            w[:1].isupper() and w[1:].islower() and len(w) > 3
        ):
            out.append(w)
    return out


def passes(p: Paper, r: Reading) -> bool:
    """The message's year and category filters: they apply to papers named or described, too."""
    return (
        (r.year_from is None or p.year >= r.year_from)
        and (r.year_to is None or p.year <= r.year_to)
        and (r.category is None or p.category == r.category)
    )
