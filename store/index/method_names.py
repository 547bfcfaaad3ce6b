"""Names a paper gives its method in the abstract, as extra names to find the paper by.

People ask for a paper by its method's name ("fg2u", "stfgnn") at least as often as by its
title, and the name is often only in the abstract: "we propose X, a…", "called X",
"abbreviated as $(\\textbf{FG})^2\\textbf{U}$", "Long Form (ACRONYM)", or the repository the
code lives in. A handful of patterns, no model; they run at load time on every abstract, so
the raw text is only searched for the trigger words and LaTeX is rendered for the few
characters after a trigger only.
"""

from __future__ import annotations

import re
from functools import lru_cache

from store.text import fold, latex_to_text, title_aliases

# At most this many names a paper: the first ones are the paper's own.
MOST = 3
_LONGEST = 24
# "called X", "abbreviated as X": whatever follows is the name (rendered, so LaTeX may lead).
_NAMING = re.compile(
    r"\b(?:called|named|dubbed|termed|coined|abbreviated as|abbreviated|short for)\s+(?:as\s+)?"
    r"(\$[^$]{1,60}\$|\\text\w*\{[^{}]{1,40}\}|[^\s~(),;:]{2,40})",
    re.IGNORECASE,
)
# "we propose X, a …" / "we propose X (…)": a name-like word right after the verb.
_PROPOSE = re.compile(r"\b(?:propose|present|introduce)s?\s+(\S{2,30})(?=,|\s*\(|\s+(?:a|an|which|that)\b)")
# "ViTE (Virtual …)" and "… Neural Networks (STFGNN)": the name beside its long form.
_BESIDE = re.compile(r"\b([A-Za-z][\w-]{1,23})\s*[~ ]?\((?:[A-Z][a-z]+)|\(([A-Z][\w-]{1,15})\)")
_CAPITALS = re.compile(r"[A-Z]")
# Where a name beside its long form is the paper's own: said in a sentence about its work.
_OWN_WORK = ("propos", "introduc", "present", "called", "named", "dubbed", "termed")
_CONTEXT = 120
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_POWER = re.compile(r"\^\{?(\d)\}?")
_EDGES = "()[]{}.,;:!?\"'`“”‘’~"
_GENERIC = frozenset("code github main master src paper project repo repository official".split())


def _name_like(word: str) -> bool:
    """``FG2U``, ``AdaGCN``, ``ViTE``, ``M3S``: two capitals, or a capital and a digit."""
    if not 2 <= len(word) <= _LONGEST:
        return False
    digits = any(ch.isdigit() for ch in word)
    if not digits and all(p[1:].islower() or not p[1:] for p in word.split("-")):
        return False  # a capitalised phrase ("Multi-Stage", "Chain-of-Thought")
    if word.endswith("s") and word[:-1].isupper():
        return False  # a plural of a common term ("LLMs", "CNNs")
    capitals = len(_CAPITALS.findall(word))
    return capitals >= 2 or (capitals == 1 and digits)


def display_name(raw: str) -> str:
    """A name as people read it: LaTeX rendered, powers raised (``$(\\textbf{FG})^2\\textbf{U}$`` → FG²U)."""
    text = latex_to_text(raw) if ("\\" in raw or "$" in raw) else raw
    text = _POWER.sub(lambda m: m.group(1).translate(_SUPERSCRIPTS), text)
    text = text.replace("(", "").replace(")", "") if text.startswith("(") else text
    return text.strip(_EDGES).strip()


def _repository_name(code_url: str | None) -> str | None:
    if not code_url:
        return None
    name = code_url.rstrip("/").rsplit("/", 1)[-1]
    head = re.split(r"[-_.]", name, maxsplit=1)[0]
    for candidate in (name, head):
        if _name_like(candidate) and candidate.lower() not in _GENERIC:
            return candidate
    return None


@lru_cache(maxsize=4096)
def method_names(abstract: str, code_url: str | None = None) -> tuple[str, ...]:
    """Display forms of the names the abstract gives its method, first named first."""
    found: list[str] = []
    if abstract:
        lowered = abstract.lower()
        if any(w in lowered for w in ("call", "name", "dub", "term", "coin", "abbreviat", "short for")):
            found += [display_name(m.group(1)) for m in _NAMING.finditer(abstract)]
        if any(w in lowered for w in ("propose", "present", "introduce")):
            found += [display_name(m.group(1)) for m in _PROPOSE.finditer(abstract)]
        if "(" in abstract:
            found += [
                display_name(m.group(1) or m.group(2))
                for m in _BESIDE.finditer(abstract)
                if any(w in lowered[max(0, m.start() - _CONTEXT) : m.start()] for w in _OWN_WORK)
            ]
    repository = _repository_name(code_url)
    if repository:
        found.append(repository)
    names: dict[str, str] = {}
    for name in found:
        key = fold(name).replace(" ", "")
        if _name_like(name) and key and key not in names:
            names[key] = name
    return tuple(list(names.values())[:MOST])


def paper_aliases(title: str, folded: str, abstract: str, code_url: str | None) -> list[str]:
    """Every short name a paper is found by: the title's acronyms and compact head, then its
    method names (folded, without spaces: ``fg2u``), each once."""
    aliases = title_aliases(title, folded)
    for name in method_names(abstract, code_url):
        alias = fold(name).replace(" ", "")
        if alias not in aliases:
            aliases.append(alias)
    return aliases


def other_names(title: str, abstract: str, code_url: str | None) -> list[str]:
    """The method names a card shows as "a.k.a.": those that are not the title's own name."""
    own = set(title_aliases(title, fold(title))) | {fold(title).replace(" ", "")}
    return [n for n in method_names(abstract, code_url) if fold(n).replace(" ", "") not in own]
