"""Person names: what a name looks like, and the keys that make spellings of one name meet.

The listing glues the first author to the title, so the parser needs to know a name when it
sees one; the catalog needs one key per person however the name was typed.
"""

from __future__ import annotations

from store.text import fold

PARTICLES = frozenset(
    "al bin da das de del della den der di dos du el ibn la le san st te ten ter van von y".split()
)
_PREFIXES = ("Mc", "Mac", "O'", "D'", "De", "Di", "Da", "La", "Le", "Van", "Von")
_SUFFIXES = frozenset({"Jr.", "Sr.", "Jr", "Sr", "II", "III", "IV"})


def _is_word(part: str) -> bool:
    """``Zhou``, ``McDonald``, ``O'Brien``, ``Jr.``; or a word of a script without case."""
    if part.endswith("."):
        part = part[:-1]
    if not part:
        return False
    if all(ch.isalpha() and not (ch.isupper() or ch.islower()) for ch in part):
        return True  # e.g. CJK: no case to check
    if not part[0].isupper():
        return False
    rest = part[1:]
    for prefix in _PREFIXES:
        if part.startswith(prefix) and len(part) > len(prefix) and part[len(prefix)].isupper():
            rest = part[len(prefix) + 1 :]
            break
    return all(ch.islower() or ch in "'’" for ch in rest)


def _is_initial(part: str) -> bool:
    """``S.``, ``S``, or run-together initials such as ``S.L.`` (``J.-P.`` is split on "-")."""
    core = part.replace(".", "")
    if len(core) == 1:
        return core.isupper()
    return 2 <= len(core) <= 4 and part == "".join(f"{ch}." for ch in core) and core.isupper()


def is_name_token(token: str) -> bool:
    """One whitespace-separated piece of a personal name."""
    if token in _SUFFIXES:
        return True
    parts = token.split("-")
    return all(p and (_is_initial(p) or _is_word(p)) for p in parts)


def is_name(text: str) -> bool:
    """Whether ``text`` reads as one personal name (``Edmond S. L. Ho``, ``Xiao-Yun Zhou``)."""
    tokens = text.split()
    if not 1 <= len(tokens) <= 7:
        return False
    if tokens[0].lower() in PARTICLES and len(tokens) == 1:
        return False
    if not is_name_token(tokens[0]) and tokens[0].lower() not in PARTICLES:
        return False
    return all(is_name_token(t) or t.lower() in PARTICLES for t in tokens[1:]) and any(
        len(t.rstrip(".")) > 1 for t in tokens
    )


def author_key(name: str) -> str:
    """One key per spelling family: case, accents, dots and hyphens do not matter.

    ``Xiao-Yun Zhou`` and ``Xiaoyun Zhou`` share ``xiaoyun zhou``; ``Edmond S.L. Ho`` and
    ``Edmond S. L. Ho`` share ``edmond s l ho``.
    """
    return fold(name.replace("-", "").replace("‐", ""))


def initials_form(key: str) -> str:
    """``zhanxing zhu`` → ``z zhu``: how a name is cited with initials."""
    tokens = key.split()
    if len(tokens) < 2:
        return key
    return " ".join([t[0] for t in tokens[:-1]] + [tokens[-1]])
