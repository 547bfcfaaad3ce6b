"""Fuzzy title and author lookups: trigram candidates re-ranked with rapidfuzz.

Candidates come from ``store.index.trigram`` (flat cost in catalog size); only those few hundred
strings are scored, with the scorers that fit each kind of messy input: typos and partial
words (WRatio), word order (token sort), acronyms and compact names (aliases), reversed names
and initials for people.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from store.index.names import PARTICLES, author_key
from store.text import STOPWORDS, fold

# Below these a result is a guess, not a match: better to say "nothing found".
MIN_TITLE_MATCH = 72.0
MIN_AUTHOR_MATCH = 75.0
CANDIDATES = 200
# A title holding every meaningful word of a short query as a word of its own, or as one of
# its aliases ("gan", "maven mesh"): a match, but below a typed-out title (and below what
# the chat takes as a title named in passing).
WHOLE_WORDS = 80.0


def meaningful_words(folded: str) -> list[str]:
    """The words of a folded query that say something: no stop words, no single letters."""
    return [w for w in dict.fromkeys(folded.split()) if len(w) > 1 and w not in STOPWORDS]


@dataclass(frozen=True, slots=True)
class TitleCandidate:
    rowid: int
    title_norm: str
    aliases: str
    published: str


def _word_found(word: str, title_words: Sequence[str]) -> bool:
    """A query word is in the title if some title word equals it, starts with it, or is a
    near-spelling of it (short words must match exactly: "ai" is not "al")."""
    for candidate in title_words:
        if candidate == word or (len(word) >= 3 and candidate.startswith(word)):
            return True
    if len(word) <= 3:
        return False
    return process.extractOne(word, title_words, scorer=fuzz.ratio, score_cutoff=75) is not None


def _whole_word(word: str, title_words: Sequence[str], aliases: Sequence[str]) -> bool:
    """``gan`` in "…Conditional GAN" or "…Divergence GANs", ``maven`` as an alias; no near-spellings."""
    if word in aliases or word in title_words or f"{word}s" in title_words:
        return True
    return len(word) >= 4 and any(t.startswith(word) for t in title_words)


def coverage(query_words: Sequence[str], title_words: Sequence[str]) -> float:
    """Share of the query (by letters, stop words aside) that the title accounts for."""
    words = [w for w in query_words if w not in STOPWORDS] or list(query_words)
    total = sum(len(w) for w in words)
    found = sum(len(w) for w in words if _word_found(w, title_words))
    return found / total if total else 0.0


def score_title(query: str, candidate: TitleCandidate) -> float:
    """How well a folded query names a title, 0–100.

    WRatio alone is generous: one shared word ("networks") scores in the 80s. So the score is
    scaled by how much of the query the title accounts for; a query whose words are mostly
    absent from a title cannot reach the cut-off on that title.
    """
    words = query.split()
    if all(w in STOPWORDS for w in words):
        return 0.0  # "the", "on the": every title has them
    squeezed = query.replace(" ", "")
    aliases = candidate.aliases.split()
    if squeezed in aliases:
        return 100.0
    title_words = candidate.title_norm.split()
    score = fuzz.WRatio(query, candidate.title_norm)
    score *= 0.5 + 0.5 * coverage(words, [*title_words, *aliases])
    content = [w for w in words if w not in STOPWORDS]
    if all(_whole_word(w, title_words, aliases) for w in content):
        score = max(score, WHOLE_WORDS)
    for alias in aliases:
        if len(alias) >= 5 and len(squeezed) >= 5:
            score = max(score, 0.95 * fuzz.ratio(squeezed, alias))
    if candidate.title_norm.startswith(query):
        score = max(score, 95.0)  # what autocomplete is typing towards
    elif len(squeezed) >= 4 and squeezed in candidate.title_norm.replace(" ", ""):
        score = max(score, 90.0)
    return float(score)


def rank_titles(query: str, candidates: Sequence[TitleCandidate], limit: int) -> list[tuple[int, float]]:
    """(rowid, match) best first; ties go to the newer paper."""
    folded = fold(query)
    if not folded:
        return []
    scored = [(score_title(folded, c), c) for c in candidates]
    scored = [(s, c) for s, c in scored if s >= MIN_TITLE_MATCH]
    scored.sort(key=lambda sc: (-round(sc[0], 1), _negate_date(sc[1].published)))
    return [(c.rowid, round(s, 1)) for s, c in scored[:limit]]


def _negate_date(iso: str) -> str:
    # Sorting ascending on this puts the newest date first.
    return "".join(chr(0x7F - ord(ch)) for ch in iso)


def author_query_tokens(name: str) -> list[str]:
    return author_key(name).split()


def _initials_score(query: list[str], key: list[str]) -> float:
    """``z zhu`` / ``zhu z`` against ``zhanxing zhu``: initials must fit, surname is fuzzy."""
    initials = [t for t in query if len(t) == 1]
    words = [t for t in query if len(t) > 1 and t not in PARTICLES]
    if not initials or len(words) != 1 or len(key) < 2:
        return 0.0
    given, surname = key[:-1], key[-1]
    letters = [g[0] for g in given]
    # Initials in order, starting with the first given name (``Z. Zhu`` is not Xiao Zhu).
    if letters[0] != initials[0]:
        return 0.0
    pos = 0
    for initial in initials:
        while pos < len(letters) and letters[pos] != initial:
            pos += 1
        if pos == len(letters):
            return 0.0
        pos += 1
    return float(fuzz.ratio(words[0], surname))


def score_author(query: list[str], key: str) -> float:
    """How well query tokens name an author key, 0–100.

    Typed order and reversed order (``Zhu Zhanxing``) score alike; hyphen/space variants meet
    through the squeezed form; a lone word (``Zhang``) matches any author with that name at
    90, so an ambiguous name returns all its candidates rather than one guess.
    """
    if not query:
        return 0.0
    key_tokens = key.split()
    joined = " ".join(query)
    score = max(fuzz.ratio(joined, key), fuzz.token_sort_ratio(joined, key))
    score = max(score, fuzz.ratio(joined.replace(" ", ""), key.replace(" ", "")))
    score = max(score, _initials_score(query, key_tokens))
    if len(query) == 1 and len(query[0]) > 1:
        score = max(score, 0.9 * max(fuzz.ratio(query[0], t) for t in key_tokens))
    return float(score)
