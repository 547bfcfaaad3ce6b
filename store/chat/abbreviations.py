"""Abbreviations the catalog defines itself: "graph convolutional networks (GCNs)" in an abstract
means a question about "gcn" is about graph convolutional networks.

The built-in list (``vocabulary.ABBREVIATIONS``) holds the field's common ones; this finds
the others where papers define them, from a few of the newest abstracts that use the word,
so "adagcn" or "ntk" questions find the papers that spell them out.
"""

from __future__ import annotations

import re

import sqlite_utils

from store.text import fold

# How many abstracts using a short word are read for its definition.
SAMPLE = 20
_SHORT = re.compile(r"^[a-z][a-z0-9]{1,5}$")


def looks_abbreviated(word: str) -> bool:
    """A word short enough to be an acronym ("gcn", "ntk", "llms")."""
    return bool(_SHORT.match(word))


def defined(db: sqlite_utils.Database, word: str) -> tuple[str, ...]:
    """The long forms abstracts give for ``word`` ("gcn" → "graph convolutional networks")."""
    core = word[:-1] if word.endswith("s") and len(word) > 2 else word
    rows = db.execute(
        "select abstract from papers where rowid in"
        " (select rowid from papers_fts where papers_fts match ? order by rowid desc limit ?)",
        [f'"{core}"', SAMPLE],
    ).fetchall()
    pattern = re.compile(rf"((?:[A-Za-z][\w-]*\s+){{1,6}}?)\(\s*{re.escape(core)}s?\s*\)", re.IGNORECASE)
    found: dict[str, None] = {}
    for (abstract,) in rows:
        for m in pattern.finditer(abstract or ""):
            words = fold(m[1]).split()
            long_form = _matching_tail(words, core)
            if long_form:
                found.setdefault(long_form)
    return tuple(found)


def _matching_tail(words: list[str], acronym: str) -> str | None:
    """The last words before "(ACRONYM)" whose initials spell it ("graph convolutional networks")."""
    letters = acronym.lower()
    for size in range(min(len(words), 6), 0, -1):
        tail = words[-size:]
        initials = "".join(w[0] for w in tail)
        hyphenless = "".join(part[0] for w in tail for part in w.split("-") if part)
        if letters in (initials, hyphenless):
            return " ".join(tail)
    return None
