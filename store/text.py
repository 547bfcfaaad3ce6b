"""Text helpers shared by the loaders and the lookups: folding, title aliases, LaTeX, code links.

Matching and indexing must agree on one folding of text, so it lives here and nowhere else.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from pylatexenc.latex2text import LatexNodes2Text

_MULTI_SPACE = re.compile(r"\s+")
STOPWORDS = frozenset("a an and as at by for from in into of on or the to via with without".split())


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]+")
_NON_WORD = re.compile(r"[\W_]+")
# The same folding for ASCII text, as one byte-table lookup per character (a third of the
# regex's time, and fold runs on every title and name of a load): what is not a letter or a
# digit becomes a space, capitals become small letters.
_ASCII_FOLD = bytes(
    ord(chr(i).lower()) if chr(i).isascii() and chr(i).isalnum() else ord(" ") for i in range(256)
)


def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free text: the one form every lookup compares.

    ``Müller`` and ``Muller`` must meet, and so must ``ST-UNet`` and ``st unet``; letters of
    scripts without an ASCII decomposition are kept as they are. Runs once per title and
    name at load time, so the ASCII case skips Unicode normalisation.
    """
    if text.isascii():
        return b" ".join(text.encode("ascii").translate(_ASCII_FOLD).split()).decode("ascii")
    text = _COMBINING.sub("", unicodedata.normalize("NFKD", text))
    return " ".join(_NON_WORD.sub(" ", text.casefold()).split())


def compact(text: str) -> str:
    """``ST-UNet`` → ``stunet``: how people type names they only half remember."""
    return fold(text).replace(" ", "")


def title_head(title: str) -> str:
    """The part of a title before its first colon (``MonoFlow`` of ``MonoFlow: Rethinking…``)."""
    head, sep, _ = title.partition(":")
    return head if sep else title


def title_aliases(title: str, folded: str | None = None) -> list[str]:
    """Short names a title is known by: its compact head and its acronyms.

    ``You Only Propagate Once: …`` is asked for as ``yopo``; ``ST-UNet: …`` as ``stunet``.
    Acronyms are taken from the head when there is one (that is where the name is), and both
    with and without stop words (``BERT`` skips "from"). ``folded`` is ``fold(title)`` when the
    caller has it already (the loader does, and it saves a third of this function's time).
    """
    head = title_head(title)
    words = (folded if folded is not None and ":" not in title else fold(head)).split()
    aliases: list[str] = []
    if 1 <= len(words) <= 3 and title != head:
        aliases.append("".join(words))
    if len(words) >= 2:
        aliases.append("".join(w[0] for w in words))
        content = [w for w in words if w not in STOPWORDS]
        if len(content) >= 2:
            aliases.append("".join(w[0] for w in content))
    seen: set[str] = set()
    unique = []
    for alias in aliases:
        if len(alias) >= 2 and alias not in seen:
            seen.add(alias)
            unique.append(alias)
    return unique


# --- LaTeX -------------------------------------------------------------------------------------

_LATEX = LatexNodes2Text(math_mode="text", strict_latex_spaces=False)
# Only real LaTeX goes through pylatexenc: math spans and backslash commands with their
# arguments. Plain abstracts are full of "5%" and "A & B", which LaTeX would eat as a comment
# and an alignment tab.
_LATEX_SPAN = re.compile(
    r"""
    (?<!\\)\$\$.+?(?<!\\)\$\$            # display math
  | (?<!\\)\$.+?(?<!\\)\$                # inline math
  | \\\(.+?\\\)                          # \( … \)
  | \\[a-zA-Z]+\*?(?:\s*\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\})*   # \cmd{…}{…}
    """,
    re.VERBOSE | re.DOTALL,
)
# a dropped citation takes the space or tie before it along ("in linear time~\\cite{x}." → "time.")
_DROP_COMMANDS = re.compile(r"[\s~]*\\(?:cite[pt]?|ref|eqref|label)\*?\s*\{[^{}]*\}")
# operator names glue to what precedes them when rendered ("$n\\log n$" → "nlog n")
_OPERATOR_NAME = re.compile(
    r"(?<=[\w)}])\\(log|ln|lg|exp|sin|cos|tan|sinh|cosh|tanh|max|min|lim|sup|inf|det|arg|dim|deg|gcd|"
    r"ker|Pr|argmax|argmin)(?![a-zA-Z])"
)
_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+([.,;:!?])(?=\s|$)")
_URL_COMMAND = re.compile(r"\\(?:url|href)\s*\{([^{}]*)\}(?:\s*\{([^{}]*)\})?")
_SIMPLE_ESCAPES = {r"\%": "%", r"\&": "&", r"\_": "_", r"\#": "#", r"\$": "$", "``": "“", "''": "”"}


def _render_latex_span(match: re.Match[str]) -> str:
    text = str(_LATEX.latex_to_text(match.group(0)))
    return text.replace("\xa0", " ")


def latex_to_text(text: str) -> str:
    """Readable plain text from an abstract that may hold LaTeX (``$\\textbf{F}$orward`` → Forward)."""
    if "\\" not in text and "$" not in text and "``" not in text and "~" not in text:
        return text
    text = _DROP_COMMANDS.sub("", text)
    text = _OPERATOR_NAME.sub(r" \\\1", text).replace("\\|", "‖")
    text = _URL_COMMAND.sub(lambda m: m.group(2) or m.group(1), text)
    text = re.sub(r"(?<=\S)~(?=\S)", " ", text)  # a LaTeX tie between words, not "~ 1/4"
    text = _LATEX_SPAN.sub(_render_latex_span, text)
    for raw, plain in _SIMPLE_ESCAPES.items():
        text = text.replace(raw, plain)
    return _SPACE_BEFORE_PUNCTUATION.sub(r"\1", _MULTI_SPACE.sub(" ", text)).strip()


@lru_cache(maxsize=65536)
def display_title(title: str) -> str:
    """A title as a person reads it: LaTeX rendered (``$\\mathcal{O}(n \\log n)$`` → 𝒪(n log n)).

    The raw title stays what is stored and what ``--json`` prints; every place that shows a
    title to a person goes through here. Cached because lists show the same titles over and over.
    """
    return latex_to_text(title)


# --- small words for people --------------------------------------------------------------------


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``1 paper``, ``21 papers``, ``1,204 authors``."""
    word = noun if count == 1 else (plural_form or f"{noun}s")
    return f"{count:,} {word}"


def year_span(first: int, last: int) -> str:
    """``2019–2023``, or just ``2019`` when both ends are the same year."""
    return str(first) if first == last else f"{first}–{last}"


# --- code links --------------------------------------------------------------------------------

_REPO_HOSTS = (
    "github.com",
    "gitlab.com",
    "bitbucket.org",
    "codeberg.org",
    "huggingface.co",
    "sourceforge.net",
)
_REPO_PATH = re.compile(r"[^\s{}<>\"'\\]+")
_TRAILING = ".,;:)]}>'\"”"


_GIT_SUFFIX = re.compile(r"\.git/*$", re.IGNORECASE)


def clean_code_url(url: str) -> str:
    """A repository link a browser opens: without the ``.git`` a clone URL ends in."""
    cleaned = _GIT_SUFFIX.sub("", url)
    return cleaned if cleaned.count("/") >= 3 else url


def find_code_url(abstract: str) -> str | None:
    """The first repository URL in an abstract, cleaned of scraping debris.

    Abstracts carry ``https://https://github.com/…``, ``…/AdaGCN}.}`` and sentence-final dots.
    Hosts are found with plain substring search: a regex scan of every abstract at load time
    cost more than parsing the JSON.
    """
    lowered = abstract.lower()
    hits = [(i, h) for h in _REPO_HOSTS if (i := lowered.find(h)) >= 0]
    if not hits:
        return None
    hits.sort()
    for _, host in hits:
        start = lowered.find(host)
        while start >= 0:
            edge = start - 4 if lowered.endswith("www.", 0, start) else start
            if edge == 0 or not (lowered[edge - 1].isalnum() or lowered[edge - 1] in "-_."):
                match = _REPO_PATH.match(abstract, start)
                path = match.group(0)[len(host) :].rstrip(_TRAILING) if match else ""
                if path.startswith("/") and path.strip("/"):
                    return clean_code_url(f"https://{host}{path}")
            start = lowered.find(host, start + 1)
    return None


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, cut at a word with an ellipsis when it must be cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip("\\") + "…"
