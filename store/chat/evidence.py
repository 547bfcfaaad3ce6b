"""What the catalog knows about a message's words: papers they name or describe, and how well.

Three kinds of evidence, each scored on how much of the *paper* the words cover, not how
much of the message: a short name (an acronym, a compact or coined name: "yopo", "uniedge"),
a title (its words, typos allowed), and a description (the words in the title and abstract,
through FTS5, with the field's abbreviations). Every lookup is bounded, so a message costs a
few index lookups whatever the catalog's size.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property, lru_cache

from rapidfuzz import fuzz

from store.catalog.catalog import Catalog
from store.catalog.models import Paper
from store.chat import abbreviations
from store.chat.vocabulary import ABBREVIATIONS, GENERIC
from store.index import fulltext
from store.text import STOPWORDS, fold

# Papers a description may name at most (a topic list is paged through these).
MAX_DESCRIBED = 60
# Of the papers holding only common words, how many of the newest are ranked (``fulltext``):
# a chat answer shows ten, and must come within the chat's time budget at millions of papers.
CHAT_WINDOW = 300
# Of the papers holding any of a long description's rarer words, how many of the newest bm25 ranks.
CHAT_RANK_WINDOW = 2_000
# Words probed as short names per message, and how many papers a rare word may be in.
NAME_PROBES = 8
RARE = 2
# Words said within this many of each other are said together ("quadruped learns to climb stairs").
WINDOW = 6
# A title word typed with a typo still counts at this similarity (long words only).
WORD_SIMILARITY = 84.0
_SAFE = re.compile(r"[^\w ]", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Evidence:
    """A paper, and how well the message's content words name or describe it (0 to 1 each)."""

    paper: Paper
    by_name: bool = False  # a short name or a coined word only this paper uses
    title: float = 0.0  # share of the content words found in the title
    covered: float = 0.0  # share of the title's words found in the message
    described: float = 0.0  # share of the content words found in the title or abstract
    rank: int = 1_000_000  # place in the full-text ranking (bm25, the title weighing most)

    @property
    def score(self) -> float:
        """One number to rank by: a name, then a title, then a description."""
        if self.by_name:
            return 1.0
        # A description that also holds words of the title beats one found in abstracts only.
        return max(self.title * (0.8 + 0.2 * self.covered), 0.9 * self.described * (0.6 + 0.4 * self.title))


def words_of(text: str) -> list[str]:
    return [w for w in fold(text).split() if w not in STOPWORDS]


@lru_cache(maxsize=4096)
def _similar(wanted: str, word: str) -> bool:
    """Whether a text's ``word`` is the ``wanted`` word: the same, a longer form of it
    ("llm" / "llms"), a shorter form of some length ("networks" / "network"), or a typo."""
    if wanted == word:
        return True
    if len(wanted) >= 3 and word.startswith(wanted):
        return True
    if len(word) >= 5 and wanted.startswith(word):
        return True
    # A typo rarely hits a word's first letter; "unlearning" is not "learning".
    return (
        min(len(wanted), len(word)) >= 5
        and wanted[0] == word[0]
        and fuzz.ratio(wanted, word) >= WORD_SIMILARITY
    )


def share(wanted: list[str], among: list[str]) -> float:
    """The share of ``wanted`` words that appear (typos and plurals allowed) among ``among``."""
    if not wanted:
        return 0.0
    return sum(any(_similar(w, a) for a in among) for w in wanted) / len(wanted)


def _group(word: str, defined: tuple[str, ...] = ()) -> str:
    """An FTS5 group for one content word: the word (as a prefix when long) or what it stands for
    (the built-in abbreviations, and ``defined``: what the catalog's abstracts say it stands for)."""

    def term(text: str) -> str:
        text = _SAFE.sub(" ", text).strip()
        return f'"{text}"' + ("*" if len(text.split()[-1]) >= 4 else "")

    stem = word[:-1] if len(word) >= 5 and word.endswith("s") and not word.endswith("ss") else word
    alternatives = [term(stem)] + [term(fold(a)) for a in (*ABBREVIATIONS.get(word, ()), *defined)]
    return "(" + " OR ".join(dict.fromkeys(alternatives)) + ")" if len(alternatives) > 1 else alternatives[0]


def _matches(text_words: list[str], word: str, defined: tuple[str, ...] = ()) -> bool:
    options = [word, *(fold(a) for a in (*ABBREVIATIONS.get(word, ()), *defined))]
    for option in options:
        parts = option.split()
        if len(parts) == 1 and any(_similar(parts[0], t) for t in text_words):
            return True
        if len(parts) > 1 and all(any(_similar(p, t) for t in text_words) for p in parts):
            return True
    return False


def _coined(word: str) -> bool:
    """``MonoFlow``, ``AdaGCN``, ``YOPO``, ``3D-TGCN``: a name someone gave a method, by its look."""
    core = word.replace("-", "")
    if len(core) < 3 or not core.isalnum():
        return False
    return any(ch.isupper() for ch in core[1:]) or (any(ch.isdigit() for ch in core) and not core.isdigit())


def _introduces(paper: Paper, phrase: str) -> bool:
    """Whether a paper gives this name to its own work (its title holds it, or its abstract
    proposes, calls or abbreviates it so), rather than mentioning someone else's."""
    if share(phrase.split(), words_of(paper.display_title)) == 1.0:
        return True
    words = r"\W+".join(re.escape(w) for w in phrase.split())
    named = re.compile(
        rf"(?:propose|present|introduce|call|name|term|dub|develop|design)\w*\W+(?:\w+\W+){{0,8}}?{words}\b"
        rf"|\(\s*{words}\s*\)|\b{words}\s*\(|^{words}\b",
        re.IGNORECASE,
    )
    return named.search(fold(paper.abstract) if not paper.abstract.isascii() else paper.abstract) is not None


class Reader:
    """The catalog's evidence for one message's content words (blocking: run it off the loop)."""

    def __init__(self, catalog: Catalog, content: tuple[str, ...], words: tuple[str, ...]) -> None:
        self.catalog = catalog
        kept = [(fold(c), c) for c in content if fold(c) and fold(c) not in STOPWORDS]
        self.content = [w for w, _ in kept]
        self.raw = [c for _, c in kept]  # as written: capitals tell a coined name
        # The words a title must share to count as named: generic ones ("models") do not.
        self.specific = [w for w in self.content if w not in GENERIC] or self.content
        self.message_words = [w for w in (fold(x) for x in words) for w in w.split()]
        self._found: dict[str, Evidence] = {}
        self._pool: list[tuple[int, float]] | None = None  # any-word matches, once looked up

    @cached_property
    def defined(self) -> dict[str, tuple[str, ...]]:
        """Short words the built-in list does not know: what the catalog's abstracts define them as.

        Looked up only when the words are searched as a description (a query each).
        """
        return {
            w: abbreviations.defined(self.catalog.db, w)
            for w, raw in zip(self.content, self.raw, strict=True)
            if w not in ABBREVIATIONS
            and abbreviations.looks_abbreviated(w)
            and (raw.isupper() or len(w) <= 4)
        }

    # --- evidence ----------------------------------------------------------------------------

    def _add(
        self, paper: Paper, by_name: bool = False, described: float = 0.0, rank: int = 1_000_000
    ) -> None:
        old = self._found.get(paper.id)
        title_words = words_of(paper.display_title)
        title = share(self.specific, title_words)
        covered = share(title_words, self.message_words)
        if old is not None:
            by_name, described = by_name or old.by_name, max(described, old.described)
            rank = min(rank, old.rank)
        self._found[paper.id] = Evidence(paper, by_name, title, covered, described, rank)

    def names(self) -> None:
        """Short names: a content word (or two run together) that is a title's acronym or
        compact name, or a coined word only one or two papers use."""
        probes = list(dict.fromkeys(w for w in self.content if len(w) >= 3 and not w.isdigit()))
        pairs = [a + b for a, b in zip(self.content, self.content[1:], strict=False) if len(a + b) >= 5]
        if len(self.content) > 3:
            # Many words are a title or a description (``titles`` and ``descriptions`` read
            # them); only the ones written as coined names are worth a lookup of their own.
            probes = [w for w, raw in zip(self.content, self.raw, strict=True) if _coined(raw)]
            pairs = []
        # A word in a good share of a big catalog's papers is nobody's short name.
        common = set(fulltext.common_terms(self.catalog.db, [f'"{w}"' for w in probes]))
        probes = [w for w in probes if f'"{w}"' not in common]
        for word in [*sorted(probes, key=len, reverse=True)[:NAME_PROBES], *pairs[:4]]:
            for m in self.catalog.find_papers(word, limit=2):
                if m.match >= 99.5:
                    self._add(m.paper, by_name=True)
        if 1 <= len(self.content) <= 3:
            phrase = " ".join(self.content)
            rows = fulltext.ranked(self.catalog.db, [f'"{_SAFE.sub(" ", phrase)}"'], RARE + 1, CHAT_WINDOW)
            if 1 <= len(rows) <= RARE:
                for paper in self._papers([rowid for rowid, _ in rows]):
                    coined = len(rows) == 1 and not self._everyday(phrase) and _introduces(paper, phrase)
                    self._add(paper, by_name=coined)

    def _everyday(self, phrase: str) -> bool:
        """Whether a phrase is plain English that happens to be rare here (a coined name is not)."""
        return all(w.isalpha() and len(w) > 3 for w in phrase.split()) and len(phrase.split()) > 1

    def titles(self) -> None:
        if not self.content:
            return
        for m in self.catalog.find_papers(" ".join(self.content), limit=8):
            self._add(m.paper)

    def descriptions(self, every_word: bool = True, broad: bool = True) -> list[Evidence]:
        """Papers whose title and abstract hold every content word (or, failing that, most).

        A long description (``every_word`` false) skips the first look: no paper holds all of
        its words. Without ``broad``, words common in a big catalog find nothing: the newest
        papers holding them all are a guess, fine for a topic list only.
        """
        if not self.content:
            return []
        groups = [_group(w, self.defined.get(w, ())) for w in dict.fromkeys(self.content)]
        rows = (
            fulltext.ranked(self.catalog.db, groups, MAX_DESCRIBED, CHAT_WINDOW, broad) if every_word else []
        )
        if rows:
            for rank, paper in enumerate(self._papers([rowid for rowid, _ in rows])):
                # Words scattered over an abstract that never says them together, and no title
                # word: a mention, not what the paper is about.
                loose = len(groups) > 1 and share(self.specific, words_of(paper.display_title)) == 0
                self._add(paper, described=0.9 if loose and not self._together(paper) else 1.0, rank=rank)
        elif len(groups) >= 2:
            pool = fulltext.any_of(
                self.catalog.db, groups, MAX_DESCRIBED, CHAT_WINDOW, CHAT_RANK_WINDOW, broad=False
            )
            self._pool = pool
            for rank, paper in enumerate(self._papers([rowid for rowid, _ in pool])):
                text = fold(f"{paper.display_title} {paper.abstract}").split()
                held = sum(_matches(text, w, self.defined.get(w, ())) for w in dict.fromkeys(self.content))
                self._add(paper, described=held / len(dict.fromkeys(self.content)), rank=rank)
        return sorted(
            (e for e in self._found.values() if e.described > 0), key=lambda e: (-e.described, e.rank)
        )

    def _together(self, paper: Paper) -> bool:
        """Whether the abstract says the content words close together (within ``WINDOW`` words)."""
        text = fold(paper.abstract).split()
        places = [[i for i, t in enumerate(text) if _similar(w, t)] for w in dict.fromkeys(self.content)]
        if not all(places):
            return False
        return any(
            all(any(start <= i < start + WINDOW for i in p) for p in places) for start in places[0]
        ) or any(all(any(start - WINDOW < i <= start for i in p) for p in places) for start in places[0])

    def best_described(self) -> list[tuple[Paper, int, float]]:
        """For a long description: papers ranked by bm25 over any of its words, with how many
        of the words each holds. Long messages carry context words no paper has; what counts is
        that one paper holds the rare ones, clearly more than the next."""
        words = list(dict.fromkeys(self.content))
        if len(words) < 4:
            return []
        pool = (
            self._pool[:12]
            if self._pool is not None
            else fulltext.any_of(
                self.catalog.db,
                [_group(w, self.defined.get(w, ())) for w in words],
                12,
                CHAT_WINDOW,
                CHAT_RANK_WINDOW,
                broad=False,
            )
        )
        papers = dict(zip([r for r, _ in pool], self._papers([r for r, _ in pool]), strict=False))
        out = []
        for rowid, rank in pool:
            paper = papers.get(rowid)
            if paper is not None:
                text = fold(f"{paper.display_title} {paper.abstract}").split()
                out.append((paper, sum(_matches(text, w, self.defined.get(w, ())) for w in words), rank))
        return out

    def _papers(self, rowids: list[int]) -> list[Paper]:
        by_rowid = self.catalog.papers_by_rowid(rowids)
        return [by_rowid[r] for r in rowids if r in by_rowid]

    def ranked(self) -> list[Evidence]:
        return sorted(self._found.values(), key=lambda e: -e.score)
