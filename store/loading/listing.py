"""Parser for the paper-discovery site's author listing (the bundled ``papers.txt`` format).

Each paper is three lines: a header gluing score, category, date and a ``Code`` marker
(``82.1LGJun 2``, ``LGJun 20, 2024Code``); the title glued to its authors; the abstract.
The site glues without separators, so the hard part is finding where a title ends.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from store import categories
from store.catalog.models import LoadProblem, Paper, title_id
from store.index.names import is_name
from store.text import find_code_url

_MONTHS = {m: i for i, m in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), 1)}
HEADER = re.compile(
    r"""^(?P<score>\d{1,3}(?:\.\d+)?)?\s*
    (?P<category>[A-Za-z][A-Za-z.\-]*?)\s*
    (?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*
    (?P<day>\d{1,2})(?:,\s*(?P<year>\d{4}))?\s*
    (?P<code>Code)?$""",
    re.VERBOSE,
)
_ET_AL = re.compile(r",?\s*et\s+al\.?$")


class ListingError(ValueError):
    """A line that cannot be read; the message is the reason shown to the user."""


@dataclass(frozen=True, slots=True)
class Header:
    score: float | None
    category: str
    published: date
    has_code_marker: bool


def parse_header(line: str, today: date) -> Header:
    """Read ``82.1LGJun 2``; a date without a year is this year, or last year if in the future."""
    m = HEADER.match(line)
    if not m:
        raise ListingError(f"not a header line (score, category, date): {_snippet(line)}")
    score = float(m["score"]) if m["score"] else None
    if score is not None and not 0 <= score <= 100:
        raise ListingError(f"score {m['score']} is outside 0–100")
    month, day = _MONTHS[m["month"].lower()], int(m["day"])
    try:
        published = date(int(m["year"]), month, day) if m["year"] else _date_without_year(month, day, today)
    except ValueError:
        year = f", {m['year']}" if m["year"] else ""
        raise ListingError(f"no such date: {m['month']} {m['day']}{year}") from None
    return Header(score, categories.resolve(m["category"]), published, bool(m["code"]))


def _date_without_year(month: int, day: int, today: date) -> date:
    """The latest such date that is not after ``today`` (Feb 29 may go back to a leap year)."""
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    raise ValueError("no such date")


def split_title_authors(line: str) -> tuple[str, list[str], bool]:
    """Split ``…Explainable AIQuanshi Zhang, Tian Han et al.`` into title, authors, truncated.

    Authors are a ``, ``-separated list whose first name is glued to the title's last word.
    Reading from the right, every segment that is a name is an author; the first segment that
    is not must hold the glue, which lies *inside* a word (the title has no trailing space),
    at the leftmost capital from which the rest of the segment reads as a name.
    """
    text = line.strip()
    truncated = bool(_ET_AL.search(text))
    if truncated:
        text = _ET_AL.sub("", text)
    segments = text.split(", ")
    authors: list[str] = []
    for i in range(len(segments) - 1, -1, -1):
        segment = segments[i].strip()
        if i > 0 and is_name(segment):
            authors.append(segment)
            continue
        boundary = _glue_point(segment)
        if boundary is None:
            if i > 0:
                authors.append(segment)  # an unusual name ("danah boyd"); keep looking left
                continue
            raise ListingError(f"cannot tell where the title ends and the authors begin: {_snippet(line)}")
        title = ", ".join([*segments[:i], segment[:boundary]]).strip()
        authors.append(segment[boundary:].strip())
        authors.reverse()
        return title, authors, truncated
    raise ListingError(f"cannot tell where the title ends and the authors begin: {_snippet(line)}")


def _glue_point(segment: str) -> int | None:
    for pos in range(1, len(segment)):
        glued = segment[pos].isupper() and not segment[pos - 1].isspace()
        if glued and segment[:pos].strip() and is_name(segment[pos:]):
            return pos
    return None


def parse_listing(lines: Iterable[str], source: str, today: date) -> Iterator[Paper | LoadProblem]:
    """Yield papers and problems; a bad record is reported and skipped, the rest still load.

    Tolerates a BOM, CRLF, blank lines and trailing spaces. A header line always starts a new
    record, so one broken record never swallows the next.
    """
    header: Header | None = None
    header_line = 0
    title_parts: tuple[str, list[str], bool] | None = None
    skipping = False

    def finish(abstract: str) -> Paper:
        assert header is not None and title_parts is not None
        title, authors, truncated = title_parts
        code_url = find_code_url(abstract)
        return Paper(
            id=title_id(title),
            title=title,
            authors=tuple(authors),
            authors_truncated=truncated,
            published=header.published,
            category=header.category,
            score=header.score,
            has_code=header.has_code_marker or code_url is not None,
            code_url=code_url,
            abstract=abstract,
        )

    for number, raw in enumerate(lines, 1):
        line = raw.lstrip("\ufeff") if number == 1 else raw
        line = line.rstrip("\r\n").strip()
        if not line:
            continue
        is_header = HEADER.match(line) is not None
        if is_header:
            if header is not None and title_parts is not None:
                yield finish("")
            elif header is not None and not skipping:
                yield LoadProblem(source, header_line, "record has no title and authors line")
            try:
                header, header_line, title_parts, skipping = parse_header(line, today), number, None, False
            except ListingError as exc:
                yield LoadProblem(source, number, str(exc))
                header, title_parts, skipping = None, None, True
            continue
        if skipping:
            continue
        if header is None:
            reason = f"expected a header line (score, category, date), got: {_snippet(line)}"
            yield LoadProblem(source, number, reason)
            skipping = True
            continue
        if title_parts is None:
            try:
                title_parts = split_title_authors(line)
            except ListingError as exc:
                yield LoadProblem(source, number, str(exc))
                header, skipping = None, True
            continue
        yield finish(line)
        header, title_parts = None, None
    if header is not None:
        if title_parts is not None:
            yield finish("")
        else:
            yield LoadProblem(source, header_line, "record has no title and authors line")


def _snippet(line: str, width: int = 60) -> str:
    line = line.strip()
    return repr(line if len(line) <= width else line[: width - 1] + "…")
