"""The catalog's data as plain values: what loaders produce and what queries return.

Kept free of SQLite and Discord so the card renderer, the CLI and the tests share one shape,
and so the CLI's JSON contract is written down in exactly one place (``Paper.to_dict``).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from store.summary import summarize
from store.text import display_title, fold


def title_id(title: str) -> str:
    """A stable id for a paper with no arXiv id: derived from its folded title.

    Folding first means a re-scraped listing with different case or punctuation still maps
    onto the same paper, which is what keeps reloads idempotent.
    """
    digest = hashlib.blake2b(fold(title).encode("utf-8"), digest_size=6).hexdigest()
    return f"t-{digest}"


@dataclass(frozen=True, slots=True)
class Paper:
    """One paper as the catalog knows it; ``abstract`` is the raw text, LaTeX and all."""

    id: str
    title: str
    authors: tuple[str, ...]
    published: date
    category: str
    abstract: str = ""
    authors_truncated: bool = False
    score: float | None = None
    has_code: bool = False
    code_url: str | None = None

    @property
    def summary(self) -> str:
        """What the paper does, then its main result: at most 300 characters, LaTeX rendered.

        Computed when shown and cached by abstract, so loading costs nothing extra.
        """
        return summarize(self.abstract)

    @property
    def display_title(self) -> str:
        """The title as people read it (LaTeX rendered); ``title`` stays the raw, stored one."""
        return display_title(self.title)

    @property
    def year(self) -> int:
        return self.published.year

    def to_dict(self, match: float | None = None) -> dict[str, Any]:
        """The CLI's ``--json`` shape of a paper (a public contract: see the README)."""
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "authors": list(self.authors),
            "authors_truncated": self.authors_truncated,
            "published": self.published.isoformat(),
            "category": self.category,
            "score": self.score,
            "has_code": self.has_code,
            "code_url": self.code_url,
            "abstract": self.abstract,
            "summary": self.summary,
        }
        if match is not None:
            out["match"] = round(match, 1)
        return out


@dataclass(frozen=True, slots=True)
class PaperMatch:
    """A paper found by a query, with how well it matched (0–100)."""

    paper: Paper
    match: float

    def to_dict(self) -> dict[str, Any]:
        return self.paper.to_dict(match=self.match)


@dataclass(frozen=True, slots=True)
class AuthorMatch:
    """An author name found by a query: enough to list choices without loading papers."""

    id: int
    name: str
    paper_count: int
    match: float


@dataclass(frozen=True, slots=True)
class Coauthor:
    name: str
    count: int


@dataclass(frozen=True, slots=True)
class AuthorProfile:
    """Everything an author card shows: papers newest first, years, categories, co-authors."""

    id: int
    name: str
    paper_count: int
    papers: tuple[Paper, ...]
    coauthors: tuple[Coauthor, ...]
    years: tuple[int, int] | None
    categories: dict[str, int] = field(default_factory=dict)
    match: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """The CLI's ``--json`` shape of an author (a public contract: see the README)."""
        return {
            "name": self.name,
            "paper_count": self.paper_count,
            "papers": [p.to_dict() for p in self.papers],
            "coauthors": [{"name": c.name, "count": c.count} for c in self.coauthors],
            "years": list(self.years) if self.years else None,
            "match": self.match,
        }


@dataclass(frozen=True, slots=True)
class LoadProblem:
    """A record that could not be loaded, located as ``FILE:LINE: reason``."""

    source: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.source}:{self.line}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Stats:
    papers: int
    authors: int
    categories: dict[str, int]
    years: dict[int, int]

    def to_dict(self) -> dict[str, Any]:
        return {
            "papers": self.papers,
            "authors": self.authors,
            "categories": self.categories,
            "years": {str(y): n for y, n in self.years.items()},
        }
