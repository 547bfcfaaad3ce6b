"""A chat message read without the catalog: its cues, its filters and the words left that name something.

Nothing here decides what the message is about. It only separates the words that ask (cues,
``store.chat.vocabulary``), the words that filter (years, relative dates, categories), the
words that carry nothing (filler, pointers like "it") and the *content* words, which the
catalog then reads as titles, names or topics (``store.chat.answers``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from store.chat.message_text import ARXIV, URL, ArxivRef, arxiv_refs, category_in, strip_noise, years
from store.chat.vocabulary import ACKNOWLEDGEMENTS, CUES, FILLER, POINTERS, Facet
from store.text import fold

# Longer messages are cut: nobody asks a question in more, and every lookup stays bounded.
MAX_CHARS = 500
_WORD = re.compile(r"[^\W_][\w.'’+-]*[^\W_]|[^\W_]", re.UNICODE)
_ORDINALS = {
    "first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
    "fifth": 4, "5th": 4, "last": -1, "1": 0, "2": 1, "3": 2, "4": 3, "5": 4,
}  # fmt: skip
_ORDINAL = re.compile(
    r"^(?:and |ok |so )?(?:the |that |this |number |no\.? ?|# ?)?(" + "|".join(_ORDINALS) + r")"
    r"(?: one| paper| result| ppr)?(?: (?:pls|please|then))?\W*$",
    re.IGNORECASE,
)
# "who wrote the 2nd one?": an ordinal with its noun, anywhere ("first paper" is someone's oldest).
_ORDINAL_INSIDE = re.compile(
    r"\b(?:the|that|this) (second|2nd|third|3rd|fourth|4th|fifth|5th|first|1st|last) (?:one|result)\b"
    r"|\b(?:the|that|this) (second|2nd|third|3rd|fourth|4th|fifth|5th) (?:paper|ppr)\b",
    re.IGNORECASE,
)
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "ten": 10, "a": 1, "couple of": 2}
_RELATIVE = re.compile(
    r"\b(?:in |from |over |during |within )?(?:the )?(?:last|past|previous) "
    r"(?P<n>\d+|one|two|three|four|five|six|ten|couple of) years?\b"
    r"|\b(?P<both>this year or (?:the )?last|last year or this)(?: one| year)?\b"
    r"|\b(?P<last>last|past|previous) year\b|\bthis year\b|\byear\b(?= so far)",
    re.IGNORECASE,
)


_POLITE = frozenset(
    "thanks thank thx ty tysm cheers perfect great nice cool awesome hello hi hey morning nvm lol ok".split()
)


@dataclass(frozen=True, slots=True)
class Reading:
    """What a message says, before the catalog is asked.

    ``content`` are the words that name something, in order and as written; ``words`` every
    word of the message (for title spans that hold cue words, "Summary statistics…").
    """

    text: str
    facets: frozenset[Facet] = frozenset()
    content: tuple[str, ...] = ()
    words: tuple[str, ...] = ()
    arxiv: tuple[ArxivRef, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    category: str | None = None
    ordinal: int | None = None
    points_back: bool = False  # "it", "this", "his": about what the message replies to
    acknowledges: bool = False  # thanks, ok, a greeting: no question at all
    polite: bool = False  # thanks or a greeting among other words: maybe no question either

    @property
    def content_text(self) -> str:
        return " ".join(self.content)

    def has(self, *facets: Facet) -> bool:
        return any(f in self.facets for f in facets)


def _relative_years(text: str, today: date) -> tuple[int | None, int | None, str]:
    m = _RELATIVE.search(text)
    if m is None:
        return None, None, text
    rest = text[: m.start()] + " " + text[m.end() :]
    if m["n"]:
        n = int(m["n"]) if m["n"].isdigit() else _NUMBERS[m["n"].lower()]
        return today.year - n + 1, None, rest
    if m["both"]:
        return today.year - 1, today.year, rest
    if m["last"]:
        return today.year - 1, today.year - 1, rest
    return today.year, today.year, rest


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def read(message: str, today: date) -> Reading:
    """Read one chat message (never raises)."""
    text = strip_noise(message or "")
    refs = tuple(arxiv_refs(text))
    text = URL.sub(" ", text)
    text = " ".join(ARXIV.sub(" ", text).split())
    if len(text) > MAX_CHARS:
        text = text[:MAX_CHARS].rsplit(" ", 1)[0]
    plain = text.replace("’", "'").replace("‘", "'")
    lowered = plain.lower() if len(plain.lower()) == len(plain) else plain
    all_words = tuple(_WORD.findall(plain))
    folded_words = [fold(w.replace("'", "")).replace(" ", "") for w in all_words]
    if not refs and not any(ch.isalnum() for ch in text):
        return Reading(text, acknowledges=True)

    ordinal_match = _ORDINAL.match(lowered.strip()) or _ORDINAL_INSIDE.search(lowered)
    ordinal = _ORDINALS[next(g for g in ordinal_match.groups() if g).lower()] if ordinal_match else None

    year_from, year_to, rest = years(plain)
    if year_from is None and year_to is None:
        year_from, year_to, rest = _relative_years(rest, today)
    category, rest = category_in(rest, plain_words=False)
    rest_lower = rest.lower() if len(rest.lower()) == len(rest) else rest

    facets: set[Facet] = set()
    spans: list[tuple[int, int]] = []
    for cue in CUES:
        for m in cue.pattern.finditer(rest_lower):
            facets.add(cue.facet)
            if cue.facet in (Facet.ONE, Facet.LIST, Facet.PERSON):
                continue
            framed = [m.span(g) for g, v in m.groupdict().items() if v]
            edges = [m.start(), *(x for span in framed for x in span), m.end()]
            spans += [(edges[i], edges[i + 1]) for i in range(0, len(edges), 2)]
    if ordinal is not None:
        facets.discard(Facet.FIRST)
        facets.discard(Facet.LATEST)
        facets.discard(Facet.NEXT)
    if Facet.RANDOM in facets:
        category = category or category_in(rest, plain_words=True)[0]
    left = _blank(rest, spans)
    content = tuple(
        w
        for w in (re.sub(r"'s$|'$", "", w) for w in _WORD.findall(left))
        if _bare(w) not in FILLER and _bare(w) not in POINTERS and fold(w).strip() and not _noise(w)
    )
    if category is not None and Facet.RANDOM in facets:
        content = tuple(w for w in content if category_in(w, plain_words=True)[0] is None)
    if ordinal is not None:
        content = ()
    points_back = any(w in POINTERS for w in folded_words) or not content
    acknowledges = (
        not refs
        and ordinal is None
        and not (facets - {Facet.ONE, Facet.LIST, Facet.PERSON, Facet.WITH})
        and year_from is None
        and year_to is None
        and bool(folded_words)
        and all(w in ACKNOWLEDGEMENTS or w in FILLER or w in POINTERS for w in folded_words)
    )
    return Reading(
        text=text,
        facets=frozenset(facets),
        content=content,
        words=all_words,
        arxiv=refs,
        year_from=year_from,
        year_to=year_to,
        category=category,
        ordinal=ordinal,
        points_back=points_back,
        acknowledges=acknowledges,
        polite=bool(set(folded_words) & _POLITE),
    )


def _bare(word: str) -> str:
    """A word folded with its apostrophes dropped: "I'm" is "im", "that's" is "thats"."""
    return fold(word.replace("'", "")).replace(" ", "")


def _noise(word: str) -> bool:
    """Lone punctuation-like tokens, and "'s" left by a possessive."""
    return fold(word) in {"s", "re", "ll", "ve", "d", "t"}
