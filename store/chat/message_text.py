"""The parts of a chat message that need no understanding: noise, arXiv ids, years, categories.

Discord text carries mentions, custom emoji, code blocks and quoted replies that never change
what is asked; arXiv ids, year ranges and category codes have fixed shapes. Reading them here,
by pattern, leaves ``store.chat.reading`` only the words that say what is asked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from store import categories

# Messages are read at most this far, before anything else is done with them.
MAX_RAW_CHARS = 8000
FIRST_YEAR, LAST_YEAR = 1980, 2099


@dataclass(frozen=True, slots=True)
class ArxivRef:
    """An arXiv identifier found in the text: ``id`` without version, ``link`` to its page."""

    id: str
    version: str | None = None

    @property
    def link(self) -> str:
        return f"https://arxiv.org/abs/{self.id}{self.version or ''}"


# --- cleaning ----------------------------------------------------------------------------------

_CODE_BLOCK = re.compile(r"```.*?(?:```|$)", re.DOTALL)
_INLINE_CODE = re.compile(r"`([^`\n]*)`")
_BLOCK_QUOTE = re.compile(r"(?:^|\n)>>> .*", re.DOTALL)
_QUOTE_LINE = re.compile(r"^\s*>.*$", re.MULTILINE)
_MENTION = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>|<t:\d+(?::\w)?>|<id:\w+>|(?<!\S)@\S*")
_SPOILER = re.compile(r"\|\|")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
URL = re.compile(r"<?https?://\S+>?|\bwww\.\S+")


def _is_emoji(ch: str) -> bool:
    if ch in "\u200d\ufe0f\ufe0e\u20e3":
        return True
    category = unicodedata.category(ch)
    return category in {"So", "Sk", "Cs", "Co"} or 0x1F000 <= ord(ch) <= 0x1FAFF


def strip_noise(text: str) -> str:
    """The message without code blocks, quoted lines, mentions, emoji and spoiler bars."""
    text = _CONTROL.sub(" ", text[:MAX_RAW_CHARS])
    text = _CODE_BLOCK.sub(" ", text)
    text = _BLOCK_QUOTE.sub(" ", text)
    text = _QUOTE_LINE.sub(" ", text)
    text = _MENTION.sub(" ", text)
    text = _INLINE_CODE.sub(r" \1 ", text)
    text = _SPOILER.sub(" ", text)
    text = "".join(" " if _is_emoji(ch) else ch for ch in text)
    return " ".join(text.split())


# --- arXiv identifiers ---------------------------------------------------------------------------

_OLD_ARCHIVES = (
    "acc-phys adap-org alg-geom ao-sci astro-ph atom-ph bayes-an chao-dyn chem-ph cmp-lg comp-gas "
    "cond-mat cs dg-ga econ eess funct-an gr-qc hep-ex hep-lat hep-ph hep-th math math-ph mtrl-th "
    "nlin nucl-ex nucl-th patt-sol physics plasm-ph q-alg q-bio q-fin quant-ph solv-int stat supr-con"
).split()
ARXIV = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf|html|format)/|\barxiv:\s*|(?<![\w./-]))"
    r"(?:(?P<new>(?P<yy>\d\d)(?P<mm>\d\d)\.\d{4,5})"
    rf"|(?P<old>(?:{'|'.join(re.escape(a) for a in _OLD_ARCHIVES)})(?:\.[A-Za-z]{{2}})?/\d{{7}}))"
    r"(?P<version>v\d+)?(?:\.pdf)?(?![\w-])",
    re.IGNORECASE,
)


def arxiv_refs(text: str) -> list[ArxivRef]:
    """Every arXiv id in the text, in order, each once (``2106.01234v3``, links, ``hep-th/…``)."""
    refs: dict[str, ArxivRef] = {}
    for m in ARXIV.finditer(text):
        if m["new"]:
            if not 1 <= int(m["mm"]) <= 12:
                continue
            arxiv_id = m["new"]
        else:
            archive, _, number = m["old"].partition("/")
            head, dot, sub = archive.partition(".")
            arxiv_id = f"{head.lower()}{dot}{sub.upper()}/{number}"
        version = m["version"].lower() if m["version"] else None
        refs.setdefault(arxiv_id, ArxivRef(arxiv_id, version))
    return list(refs.values())


# --- years -----------------------------------------------------------------------------------------

_YEAR = r"((?:19|20)\d\d)"
_YEAR_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(rf"\bbetween {_YEAR} and {_YEAR}\b"), "range"),
    (re.compile(rf"\b(?:from |in )?{_YEAR}\s*(?:-|–|—|to|until|till|through)\s*{_YEAR}\b"), "range"),
    (
        re.compile(rf"\b(?:since|starting|starting in|starting from|as of) {_YEAR}(?: on(?:wards?)?)?\b"),
        "since",
    ),
    (re.compile(rf"\bfrom {_YEAR} on(?:wards?)?\b"), "since"),
    (re.compile(rf"\b{_YEAR} (?:on(?:wards?)?|and later|or later|and after|\+)"), "since"),
    (re.compile(rf"\b(?:after|later than|newer than) {_YEAR}\b"), "after"),
    (re.compile(rf"\b(?:before|earlier than|older than|prior to|pre) {_YEAR}\b"), "before"),
    (re.compile(rf"\b(?:until|till|up to|through|by) {_YEAR}\b"), "until"),
    (re.compile(rf"\b{_YEAR} (?:and earlier|or earlier|and before)\b"), "until"),
    (re.compile(rf"\b(?:in|from|during|of|year) {_YEAR}\b"), "in"),
]
_BARE_YEAR = re.compile(rf"(?<![\w.-]){_YEAR}(?![\w.-])")


def years(text: str) -> tuple[int | None, int | None, str]:
    """``(year_from, year_to, text without the phrase)`` for "since 2020", "2018-2020", …

    A bare year ("zhu 2019") is read as that year only when nothing else is; a title with a
    year in it ("ICML 2021 Workshop") still finds its paper, since the caller keeps the year
    in the words it looks titles up with.
    """
    lowered = text.lower()
    for pattern, kind in _YEAR_PATTERNS:
        m = pattern.search(lowered)
        if m is None:
            continue
        values = [int(g) for g in m.groups()]
        if not all(FIRST_YEAR <= v <= LAST_YEAR for v in values):
            continue
        rest = text[: m.start()] + " " + text[m.end() :]
        if kind == "range":
            low, high = sorted(values)
            return low, high, rest
        year = values[0]
        bounds = {
            "since": (year, None),
            "after": (year + 1, None),
            "before": (None, year - 1),
            "until": (None, year),
            "in": (year, year),
        }[kind]
        return bounds[0], bounds[1], rest
    bare = [m for m in _BARE_YEAR.finditer(text) if FIRST_YEAR <= int(m[1]) <= LAST_YEAR]
    if len(bare) == 1:
        m = bare[0]
        return int(m[1]), int(m[1]), text[: m.start()] + " " + text[m.end() :]
    return None, None, text


# --- categories --------------------------------------------------------------------------------

_CATEGORY_CODE = re.compile(
    r"\b(?:(?:cs|stat|math|eess|q-bio|q-fin|econ|physics|astro-ph|cond-mat)\.[A-Za-z]{2}"
    r"|hep-th|hep-ph|hep-ex|hep-lat|gr-qc|quant-ph|nucl-th|nucl-ex|math-ph)\b",
    re.I,
)
# Plain words people use for a category, checked only in a request for a random paper.
_CATEGORY_WORDS = {
    "ai": "cs.AI",
    "artificial intelligence": "cs.AI",
    "nlp": "cs.CL",
    "language": "cs.CL",
    "computation and language": "cs.CL",
    "vision": "cs.CV",
    "computer vision": "cs.CV",
    "cv": "cs.CV",
    "graphics": "cs.GR",
    "machine learning": "cs.LG",
    "ml": "cs.LG",
    "robotics": "cs.RO",
    "security": "cs.CR",
    "cryptography": "cs.CR",
    "statistics": "stat.ML",
    "stats": "stat.ML",
    "information retrieval": "cs.IR",
    "databases": "cs.DB",
    "theory": "cs.CC",
    "hci": "cs.HC",
    "image processing": "eess.IV",
    "signal processing": "eess.SP",
    "sound": "cs.SD",
    "audio": "eess.AS",
    "optimization": "math.OC",
}


def category_in(text: str, plain_words: bool) -> tuple[str | None, str]:
    m = _CATEGORY_CODE.search(text)
    if m:
        return categories.resolve(m[0]), text[: m.start()] + " " + text[m.end() :]
    if not plain_words:
        return None, text
    lowered = text.lower()
    for words, code in sorted(_CATEGORY_WORDS.items(), key=lambda kv: -len(kv[0])):
        m = re.search(rf"\b{re.escape(words)}\b", lowered)
        if m:
            return code, text[: m.start()] + " " + text[m.end() :]
    m = re.search(r"\b([A-Z]{2})\b", text)  # "a random CV paper"
    if m and categories.resolve(m[1]) != m[1]:
        return categories.resolve(m[1]), text[: m.start()] + " " + text[m.end() :]
    return None, text
