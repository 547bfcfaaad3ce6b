"""Finding the papers and people a message names, with the catalog's own fuzzy lookups.

``Catalog.find_papers`` and ``Catalog.find_authors`` are built to be forgiving: a half word
finds a title, a lone surname finds everyone with it. Free text is full of words that are
neither, so everything here asks for more than the slash commands do: high scores, the
longest span that matches, no spans made of question words, and a bounded number of lookups
per message (each is a real lookup, and a message may hold many candidate spans).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from store.catalog.catalog import Catalog
from store.catalog.models import AuthorMatch, Paper, PaperMatch
from store.text import STOPWORDS, fold

# A title named inside free text must match at least this well (the lookup's own floor is 72).
STRONG_TITLE = 85.0
# Two candidates this close to the best are a tie: ask, do not guess.
TIE = 2.0
# A span of two or more words must name a person this well to count as one.
STRONG_PERSON = 88.0
# A one-word span ("Zhang") matches everyone with that surname at 90.
SURNAME = 90.0
MAX_SPAN = 4
MAX_PERSON_PROBES = 8
MAX_TITLE_PROBES = 12

# Words that are never (part of) a name or a title someone is asking for by itself.
QUESTION_WORDS = STOPWORDS | frozenset(
    """about all also any anything are article articles author authors be can code could did do does
    done find for get give got had has have he her hers him his how i if is it its just know latest
    like look me more most my new newest no not now of one ones or our paper papers please preprint
    preprint recent research random search see she show so some something than that their them then
    there these they this those us want was we were what when where which who whom whose why will
    wrote written year years you your since before after until between together work works
    """.split()
)
_TOKEN = re.compile(r"[\w][\w.'’-]*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Person:
    """A name resolved: one author, several to choose from, or none (with near names)."""

    author: AuthorMatch | None = None
    choices: tuple[AuthorMatch, ...] = ()
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PeopleInText:
    people: tuple[Person, ...]
    rest: str  # the message's words outside the names


def person(catalog: Catalog, name: str, floor: float = 0.0, suggest: bool = True) -> Person:
    """Resolve a name: one clear best author, a tie to choose from, or (``suggest``) near names."""
    found = [a for a in catalog.find_authors(name, limit=10) if a.match >= floor]
    if not found:
        near = catalog.find_authors(name, limit=5, min_match=60.0) if suggest and fold(name) else []
        return Person(suggestions=tuple(a.name for a in near))
    best = found[0]
    close = tuple(a for a in found if a.match >= best.match - TIE)
    if len(close) > 1:
        return Person(choices=close)
    return Person(author=best)


def _name_like(token: str) -> bool:
    return fold(token) not in QUESTION_WORDS and not any(ch.isdigit() for ch in token)


def people_in(
    catalog: Catalog,
    text: str,
    names_people: bool = False,
    most: int = 2,
    probes_left: int = MAX_PERSON_PROBES,
) -> PeopleInText:
    """People named anywhere in ``text``, longest spans first, with the words left over.

    A one-word span counts only if it is capitalised or the wording says a person is meant
    ("papers by zhu"), since a lowercase word is far more often a topic than a surname.
    """
    tokens = _TOKEN.findall(text)
    taken = [False] * len(tokens)
    people: list[tuple[int, Person]] = []
    probes = 0
    for size in range(min(MAX_SPAN, len(tokens)), 0, -1):
        for start in range(len(tokens) - size + 1):
            if len(people) >= most or probes >= probes_left:
                break
            span = tokens[start : start + size]
            if any(taken[start : start + size]) or not all(_name_like(t) for t in span):
                continue
            if size == 1 and (
                len(span[0]) < 2
                or (len(span[0]) < 3 and not (names_people and span[0][:1].isupper()))
                or not (names_people or span[0][:1].isupper())
                or _after_a_name(tokens, taken, start)
            ):
                continue
            probes += 1
            found = person(
                catalog, " ".join(span), floor=SURNAME if size == 1 else STRONG_PERSON, suggest=False
            )
            if size > 1:
                found = _whole_name(" ".join(span), found)
            if found.author or found.choices:
                people.append((start, found))
                taken[start : start + size] = [True] * size
    rest = " ".join(t for t, used in zip(tokens, taken, strict=True) if not used and _name_like(t))
    return PeopleInText(tuple(found for _, found in sorted(people, key=lambda p: p[0])), rest)


def _after_a_name(tokens: list[str], taken: list[bool], start: int) -> bool:
    """A surname right after a word that could be a given name ("hongyi zhang"): the full name
    was looked up and not found, so the surname alone must not stand in for it."""
    if start == 0 or taken[start - 1]:
        return False
    before = tokens[start - 1]
    return before.isalpha() and _name_like(before) and fold(before) not in QUESTION_WORDS


def _whole_name(span: str, found: Person) -> Person:
    """For a name of several words, only people whose whole name is close (not just the surname)."""

    def close(author: AuthorMatch) -> bool:
        if len(span.split()) > len(author.name.split()):
            return False  # "Wan Zhanxing Zhu" is two people's words, not Zhanxing Zhu
        return fuzz.token_sort_ratio(fold(span), fold(author.name)) >= 70 or author.match >= 99.0

    if found.author is not None:
        return found if close(found.author) else Person()
    choices = tuple(a for a in found.choices if close(a))
    if len(choices) == 1:
        return Person(author=choices[0])
    return Person(choices=choices)


def titles(catalog: Catalog, subject: str, floor: float = STRONG_TITLE) -> list[PaperMatch]:
    """Title matches for a subject at ``floor`` or better; several only when they tie."""
    if len(fold(subject).replace(" ", "")) < 2:
        return []
    return ties(catalog.find_papers(subject, limit=5), floor)


def ties(found: list[PaperMatch], floor: float) -> list[PaperMatch]:
    """The best matches at ``floor`` or better: the best one, and those tied with it."""
    found = [m for m in found if m.match >= floor]
    return [m for m in found if m.match >= found[0].match - TIE] if found else []


def _coined(token: str) -> bool:
    """``MonoFlow``, ``AdaGCN``, ``YOPO``, ``ST-UNet``: a name someone gave a method."""
    core = token.replace("-", "")
    if len(core) < 3 or not core.isalnum() or core.isdigit() or fold(token) in QUESTION_WORDS:
        return False
    inner_capital = any(ch.isupper() for ch in core[1:])
    return inner_capital or (any(ch.isdigit() for ch in core) and any(ch.isalpha() for ch in core))


def coined_titles(catalog: Catalog, text: str, limit: int = 4) -> list[Paper]:
    """Papers named by a coined word in the text ("compare MonoFlow and YOPO")."""
    out: dict[str, Paper] = {}
    for token in dict.fromkeys(t.strip(".'’") for t in _TOKEN.findall(text)):
        if len(out) >= limit:
            break
        if _coined(token):
            for m in titles(catalog, token, floor=95.0)[:1]:
                out.setdefault(m.paper.id, m.paper)
    return list(out.values())


# Plain words probed per message as a paper's short name, and the score that counts: only a
# word that *is* a title's acronym or compact name ("monoflow", "stunet") scores a full 100.
NAME_PROBES = 6
NAMED_EXACTLY = 99.5


def named_by_a_word(catalog: Catalog, text: str, limit: int = 4) -> list[Paper]:
    """Papers whose short name is written as a plain word ("what do you think of monoflow?").

    People rarely keep a method's capitals in chat. The longest words are tried first, a few
    per message, and only an exact name counts, so everyday words never name a paper.
    """
    words = list(dict.fromkeys(fold(t.strip(".'’")) for t in _TOKEN.findall(text)))
    plain = [w for w in words if len(w) >= 4 and w.isalnum() and not w.isdigit() and w not in QUESTION_WORDS]
    longest = set(sorted(plain, key=lambda w: (-len(w), w))[:NAME_PROBES])
    candidates = [w for w in plain if w in longest]  # in the order the text names them
    out: dict[str, Paper] = {}
    for word in candidates:
        for m in catalog.find_papers(word, limit=1):
            if m.match >= NAMED_EXACTLY:
                out.setdefault(m.paper.id, m.paper)
        if len(out) >= limit:
            break
    return list(out.values())
