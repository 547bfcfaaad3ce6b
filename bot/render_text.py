"""Plain-text rendering for the command line (the Discord embeds live in their own module)."""

from __future__ import annotations

import textwrap

from store import categories
from store.models import AuthorProfile, Paper, Stats


def byline(paper: Paper, limit: int = 6) -> str:
    """Authors as a reader scans them: the first few, then "et al." when there are more."""
    names = list(paper.authors[:limit])
    more = len(paper.authors) > limit or paper.authors_truncated
    return ", ".join(names) + (" et al." if more else "") if names else "(no authors listed)"


def paper(p: Paper, match: float | None = None, width: int = 100) -> str:
    facts = [p.published.isoformat(), categories.label(p.category)]
    if p.score is not None:
        facts.append(f"listing score {p.score:g}")
    if match is not None:
        facts.append(f"match {match:g}")
    lines = [p.title, f"  {byline(p)}", f"  {' · '.join(facts)}", f"  id: {p.id}"]
    if p.code_url:
        lines.append(f"  code: {p.code_url}")
    elif p.has_code:
        lines.append("  code: available (per the listing)")
    if p.summary:
        lines.append(textwrap.fill(p.summary, width, initial_indent="  ", subsequent_indent="  "))
    return "\n".join(lines)


def author(profile: AuthorProfile) -> str:
    years = f"{profile.years[0]}–{profile.years[1]}" if profile.years else "no dated papers"
    lines = [f"{profile.name} — {profile.paper_count} paper(s), {years}"]
    if profile.categories:
        lines.append("  categories: " + ", ".join(f"{c} ({n})" for c, n in profile.categories.items()))
    if profile.coauthors:
        lines.append("  top co-authors: " + ", ".join(f"{c.name} ({c.count})" for c in profile.coauthors))
    lines.append("")
    lines.extend(f"  {p.published.isoformat()}  {p.title}" for p in profile.papers)
    return "\n".join(lines)


def stats(s: Stats) -> str:
    lines = [f"{s.papers} papers by {s.authors} authors", "categories:"]
    lines.extend(f"  {c:<12} {n}" for c, n in s.categories.items())
    lines.append("years:")
    lines.extend(f"  {y:<12} {n}" for y, n in s.years.items())
    return "\n".join(lines)
