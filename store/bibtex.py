"""BibTeX entries for papers: valid to a real parser, LaTeX titles kept, names never split or merged.

Pure text (the chat and the cards put it in a message; the limit is theirs to give).
"""

from __future__ import annotations

import re

from store.catalog.models import Paper
from store.links import ARXIV_ID, paper_url
from store.text import STOPWORDS, clip, fold, latex_to_text

# What a title keeps as LaTeX: math, commands with their arguments, escapes, brace groups.
_BIBTEX_KEEP = re.compile(
    r"""\$\$.+?\$\$|(?<!\\)\$.+?(?<!\\)\$|\\\(.+?\\\)"""
    r"""|\\[a-zA-Z]+\*?(?:\s*\{(?:[^{}]|\{(?:[^{}]|\{[^{}]*\})*\})*\})*|\\[^{}\\\s]|\{(?:[^{}]|\{[^{}]*\})*\}""",
    re.DOTALL,
)
_BIBTEX_SPECIAL = re.compile(r"[%&#_^]")
_CAPITALISED = re.compile(r"(?:[^\W_]|['’.-])*[A-Z](?:[^\W_]|['’.-])*")
_TRANSLITERATE = str.maketrans(
    {"ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "æ": "ae", "Æ": "Ae", "đ": "d", "ı": "i", "þ": "th"}
)


def _balanced(text: str) -> bool:
    """Braces pair up as BibTeX counts them (a backslash does not escape a brace for BibTeX)."""
    depth = 0
    for char in text:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0 and not re.search(r"\\[{}]|\\$", text)


def _bibtex_plain(text: str) -> str:
    """Plain text made safe for BibTeX: specials escaped, braces (which BibTeX counts) dropped."""
    text = re.sub(r"[{}\\]", "", text)
    return _BIBTEX_SPECIAL.sub(lambda m: "\\^{}" if m.group(0) == "^" else "\\" + m.group(0), text)


def _bibtex_protect(text: str) -> str:
    """Plain title words with a capital in braces, so styles that lower-case titles keep them."""
    return _CAPITALISED.sub(lambda m: "{" + m.group(0) + "}", _bibtex_plain(text).replace("$", "\\$"))


def bibtex_title(title: str) -> str:
    """The title for BibTeX: its LaTeX kept as LaTeX, capitalised words protected by braces.

    A title whose braces or dollars do not pair up cannot be kept as LaTeX (BibTeX would read
    past the field's end), so it is given as rendered plain text instead.
    """
    title = " ".join(title.split())
    out: list[str] = []
    last = 0
    for match in _BIBTEX_KEEP.finditer(title):
        out.append(_bibtex_protect(title[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_bibtex_protect(title[last:]))
    kept = "".join(out)
    if _balanced(kept) and len(re.findall(r"(?<!\\)\$", kept)) % 2 == 0:
        return kept
    return _bibtex_protect(latex_to_text(title))


def bibtex_name(name: str) -> str:
    """An author as written (UTF-8 is fine for biber and modern BibTeX), made safe to parse.

    A name holding " and " or a comma would be read as two people or as "Last, First", so
    it is kept together in braces.
    """
    safe = " ".join(_bibtex_plain(name).split())
    if re.search(r"\band\b|,", safe):
        return "{" + safe + "}"
    return safe


def ascii_word(text: str) -> str:
    """``García`` → ``garcia``, ``Łukasz`` → ``lukasz``: a word for citation keys."""
    return re.sub(r"[^a-z0-9]", "", fold(text.translate(_TRANSLITERATE)).replace(" ", ""))


def surname(name: str, missing: str = "?") -> str:
    """The last word of a name (what citations are keyed and listed by), without "Jr."."""
    words = [w for w in name.split() if w.rstrip(".").lower() not in {"jr", "sr", "ii", "iii", "iv"}]
    return words[-1] if words else missing


def bibtex_key(paper: Paper) -> str:
    """``garcia2023sorting``: first author's surname, year, first real word of the title, in ASCII."""
    first = ascii_word(surname(paper.authors[0], "")) if paper.authors else ""
    words = (ascii_word(w) for w in paper.display_title.split())
    word = next((w for w in words if len(w) > 3 and w not in STOPWORDS), "paper")
    return f"{first or 'anon'}{paper.published.year}{word}"


def bibtex(paper: Paper, limit: int) -> str:
    """A valid ``@misc`` entry (arXiv style when the id is an arXiv id) of at most ``limit`` characters."""
    key = bibtex_key(paper)
    if len(paper.title) <= 400:
        title = bibtex_title(paper.title)
    else:
        title = _bibtex_protect(clip(paper.display_title, 400))
    authors = [bibtex_name(a) for a in paper.authors if bibtex_name(a)]
    truncated = paper.authors_truncated

    def author_field() -> str:
        return " and ".join(authors + (["others"] if truncated or not authors else []))

    def render() -> str:
        fields = [("title", title), ("author", author_field())]
        fields.append(("year", str(paper.published.year)))
        if ARXIV_ID.match(paper.id):
            fields += [("eprint", paper.id), ("archivePrefix", "arXiv"), ("primaryClass", paper.category)]
        fields.append(("url", paper_url(paper)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        return f"@misc{{{key},\n{body}\n}}"

    entry = render()
    while len(entry) > limit and len(authors) > 1:  # hundreds of authors: keep the first ones
        authors, truncated = authors[: max(1, len(authors) // 2)], True
        entry = render()
    if len(entry) > limit:  # absurd names or titles: the link is what a reader needs most
        title, authors, truncated = _bibtex_protect(clip(paper.display_title, 150)) or "Untitled", [], True
        entry = render()[: limit - 2] + "\n}" if len(render()) > limit else render()
    return entry
