"""Plain-text rendering for the command line (the Discord embeds live in their own module).

Every line is wrapped to the terminal's width (100 columns when the output is not a
terminal), continuation lines indented under their first, so long titles and author lists
stay readable in a narrow terminal and diffable in a file.
"""

from __future__ import annotations

import shutil
import sys
import textwrap

from store import categories
from store.catalog.models import AuthorProfile, Paper, Stats
from store.text import clean_code_url, plural, year_span

DEFAULT_WIDTH = 100


def terminal_width() -> int:
    """The terminal's width when printing to one, else ``DEFAULT_WIDTH``."""
    if sys.stdout.isatty():
        return shutil.get_terminal_size((DEFAULT_WIDTH, 24)).columns
    return DEFAULT_WIDTH


def wrap(text: str, width: int, indent: str = "", hang: str = "  ") -> str:
    """One logical line, wrapped; links and other long words are never broken."""
    return textwrap.fill(
        text,
        max(width, len(indent + hang) + 20),
        initial_indent=indent,
        subsequent_indent=indent + hang,
        break_long_words=False,
        break_on_hyphens=False,
    )


def byline(paper: Paper, limit: int = 6) -> str:
    """Authors as a reader scans them: the first few, then "et al." when there are more."""
    names = list(paper.authors[:limit])
    more = len(paper.authors) > limit or paper.authors_truncated
    return ", ".join(names) + (" et al." if more else "") if names else "(no authors listed)"


def paper(p: Paper, match: float | None = None, width: int | None = None) -> str:
    width = width or terminal_width()
    facts = [p.published.isoformat(), categories.label(p.category)]
    if p.score is not None:
        facts.append(f"listing score {p.score:g}")
    if match is not None:
        facts.append(f"match {match:g}")
    lines = [p.display_title, f"  {byline(p)}", f"  {' · '.join(facts)}", f"  id: {p.id}"]
    if p.code_url:
        lines.append(f"  code: {clean_code_url(p.code_url)}")
    elif p.has_code:
        lines.append("  code: available (per the listing)")
    out = [wrap(line.lstrip(), width, indent=line[: len(line) - len(line.lstrip())]) for line in lines]
    if p.summary:
        out.append(textwrap.fill(p.summary, width, initial_indent="  ", subsequent_indent="  "))
    return "\n".join(out)


def author(profile: AuthorProfile, width: int | None = None) -> str:
    width = width or terminal_width()
    years = year_span(*profile.years) if profile.years else "no dated papers"
    lines = [wrap(f"{profile.name} — {plural(profile.paper_count, 'paper')}, {years}", width)]
    if profile.categories:
        cats = ", ".join(f"{c} ({n})" for c, n in profile.categories.items())
        lines.append(wrap(f"categories: {cats}", width, indent="  "))
    if profile.coauthors:
        people = ", ".join(f"{c.name} ({c.count})" for c in profile.coauthors)
        lines.append(wrap(f"top co-authors: {people}", width, indent="  "))
    lines.append("")
    lines.extend(
        wrap(f"{p.published.isoformat()}  {p.display_title}", width, indent="  ", hang=" " * 12)
        for p in profile.papers
    )
    return "\n".join(lines)


def stats(s: Stats) -> str:
    lines = [f"{plural(s.papers, 'paper')} by {plural(s.authors, 'author')}", "categories:"]
    lines.extend(f"  {c:<12} {n}" for c, n in s.categories.items())
    lines.append("years:")
    lines.extend(f"  {y:<12} {n}" for y, n in s.years.items())
    return "\n".join(lines)
