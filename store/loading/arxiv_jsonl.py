"""Importer for JSON Lines in the shape of arXiv's metadata snapshot (one paper per line).

This is what users with big catalogs have: the Kaggle/OAI snapshot, or any subset of it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import orjson
from pylatexenc.latex2text import LatexNodes2Text

from store import categories
from store.catalog.models import LoadProblem, Paper, title_id
from store.text import find_code_url

_MONTHS = {m: i for i, m in enumerate("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_RFC2822_DATE = re.compile(r"(?:[A-Za-z]{3},\s*)?(\d{1,2})\s+([A-Z][a-z]{2})\s+(\d{4})")
_AUTHOR_SPLIT = re.compile(r",\s*|\s+and\s+")
_ET_AL = re.compile(r"(?:,\s*|\s+)et\s+al\.?$", re.IGNORECASE)
_LATEX_NAMES = LatexNodes2Text(math_mode="text")


def _clean(text: str) -> str:
    return " ".join(text.split())


def _name(text: str) -> str:
    """``Bal\\'azs`` → ``Balázs``: arXiv names carry TeX accents."""
    text = _clean(text)
    if "\\" in text or "{" in text:
        text = _clean(_LATEX_NAMES.latex_to_text(text))
    return text


def _authors(record: dict[str, Any]) -> tuple[list[str], bool]:
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed:
        names = []
        for entry in parsed:
            if not isinstance(entry, list) or not entry:
                continue
            last, first, suffix = ([*entry, "", ""])[:3]
            names.append(_name(" ".join(p for p in (first, last, suffix) if p)))
        names = [n for n in names if n]
        truncated = bool(names) and names[-1].lower() in {"et al", "et al."}
        return (names[:-1] if truncated else names), truncated
    raw = _clean(str(record.get("authors") or ""))
    # A load splits millions of author lists: the regexes run only where they can match
    # (they cost more than the rest of this function), and since ``raw`` is cleaned already
    # a plain name only needs its ends trimmed.
    truncated = raw[-3:].lower().endswith(("al", "al.")) and _ET_AL.search(raw) is not None
    if truncated:
        raw = _ET_AL.sub("", raw)
    parts = _AUTHOR_SPLIT.split(raw) if " and " in raw else raw.split(",")
    names = [_name(p) if "\\" in p or "{" in p else p.strip() for p in parts]
    return [n for n in names if n], truncated


def _published(record: dict[str, Any]) -> date:
    versions = record.get("versions")
    if isinstance(versions, list) and versions:
        first = versions[0]
        created = first.get("created") if isinstance(first, dict) else None
        if isinstance(created, str) and created:
            # "Mon, 2 Apr 2007 19:18:42 GMT": read the date directly; email.utils is slow
            # at millions of records and the time of day does not matter here.
            m = _RFC2822_DATE.match(created)
            try:
                if m and m[2] in _MONTHS:
                    return date(int(m[3]), _MONTHS[m[2]], int(m[1]))
                return parsedate_to_datetime(created).date()
            except (ValueError, TypeError, OverflowError):
                raise ValueError(
                    f"versions[0].created is not a date: {_shown(created)} "
                    "(expected one like 'Mon, 2 Apr 2007 19:18:42 GMT')"
                ) from None
    for key in ("published", "update_date"):
        value = record.get(key)
        if isinstance(value, str) and value:
            try:
                return datetime.fromisoformat(value[:10]).date()
            except ValueError:
                raise ValueError(f"{key} is not a date: {_shown(value)} (expected YYYY-MM-DD)") from None
    raise ValueError("no date: the record has no versions[0].created, published or update_date")


def _shown(value: str, width: int = 40) -> str:
    """A field's text quoted for a message, cut short."""
    return repr(value if len(value) <= width else value[: width - 1] + "…")


# orjson's reasons, in plain words where its own are terse.
_JSON_REASONS = {
    "unexpected end of data": "the line ends before its JSON does (a cut-off line?)",
    "trailing comma is not allowed": "a comma before a closing bracket",
    "unexpected content after document": "text after the end of the JSON object",
}


def json_problem(line: str | bytes, exc: orjson.JSONDecodeError) -> str:
    """Why a line is not JSON, with the column on that line (not orjson's 'line 2 column 1')."""
    if exc.msg.startswith("str is not valid UTF-8"):
        return "not valid JSON: the line is not UTF-8 text"
    reason = _JSON_REASONS.get(exc.msg, exc.msg)
    text = line.decode("utf-8", "replace") if isinstance(line, bytes) else line
    if exc.msg == "unexpected end of data" or exc.pos >= len(text.rstrip()):
        return f"not valid JSON: {reason}"
    return f"not valid JSON: {reason}, at character {exc.pos + 1}"


def record_to_paper(record: Any) -> Paper:
    """One snapshot record as a Paper; raises ValueError with a user-facing reason."""
    if not isinstance(record, dict):
        kind = {list: "an array", str: "a string", bool: "true or false"}.get(type(record), "a number")
        raise ValueError(f"not a JSON object but {'null' if record is None else kind}")
    title = _clean(str(record.get("title") or ""))
    if not title:
        raise ValueError("record has no title")
    authors, truncated = _authors(record)
    cats = str(record.get("categories") or "").split()
    abstract = str(record.get("abstract") or "").strip()
    code_url = find_code_url(abstract) or find_code_url(str(record.get("comments") or ""))
    arxiv_id = str(record.get("id") or "").strip()
    return Paper(
        id=arxiv_id or title_id(title),
        title=title,
        authors=tuple(authors),
        authors_truncated=truncated,
        published=_published(record),
        category=categories.resolve(cats[0]) if cats else "unknown",
        abstract=abstract,
        score=None,
        has_code=code_url is not None,
        code_url=code_url,
    )


def parse_jsonl(
    lines: Iterable[str | bytes], source: str, first_line: int = 1
) -> Iterator[Paper | LoadProblem]:
    """Yield papers and per-line problems; blank lines are skipped."""
    for number, line in enumerate(lines, first_line):
        if isinstance(line, str):
            line = line.lstrip("\ufeff") if number == 1 else line
        elif number == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        try:
            record = orjson.loads(line)
        except orjson.JSONDecodeError as exc:
            yield LoadProblem(source, number, json_problem(line, exc))
            continue
        try:
            yield record_to_paper(record)
        except (ValueError, TypeError, OverflowError) as exc:
            yield LoadProblem(source, number, str(exc))
