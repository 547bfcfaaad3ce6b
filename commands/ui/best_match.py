"""The lookups behind /paper, /author and /search, with their "nothing found" answers.

Blocking functions of the catalog (run them off the event loop), shared by the slash
commands, the chat assistant and the message menu, so each question has one answer however
it is asked.
"""

from __future__ import annotations

from collections.abc import Sequence

from commands.ui import cards
from commands.ui.shared import UserError
from store.catalog.catalog import Catalog
from store.catalog.models import AuthorMatch, Paper
from store.text import clip, plural

AUTHOR_CHOICE = "author:"


def did_you_mean(what: str, query: str, suggestions: Sequence[str]) -> UserError:
    """ "No paper matches “…”", and the nearest names or titles when there are any."""
    hint = ("\nDid you mean: " + "; ".join(suggestions)) if suggestions else ""
    return UserError(f"{what} “{cards.clean(clip(query, 100))}”.{hint}")


def best_paper(catalog: Catalog, query: str) -> Paper:
    """A picked autocomplete choice (a paper id) or the best title match for what was typed."""
    matches = catalog.find_papers(query, 1)
    if not matches:
        near = [f"*{cards.clean(m.paper.display_title)}*" for m in catalog.search(query, 3)]
        raise did_you_mean("No paper matches", query, near)
    return matches[0].paper


def best_author(catalog: Catalog, name: str) -> tuple[int, float | None]:
    """A picked autocomplete choice (``author:ID``) or the best match for a typed name."""
    if name.startswith(AUTHOR_CHOICE) and name[len(AUTHOR_CHOICE) :].isdigit():
        return int(name[len(AUTHOR_CHOICE) :]), None
    found = catalog.find_authors(name, 5)
    if not found:
        near = [cards.clean(a.name) for a in catalog.find_authors(name, 3, 50.0)]
        raise did_you_mean("No author matches", name, near)
    return found[0].id, found[0].match


def author_choice_name(author: AuthorMatch) -> str:
    return clip(f"{author.name} ({plural(author.paper_count, 'paper')})", 100)


def search_hint(catalog: Catalog, text: str) -> UserError:
    near = [f"*{cards.clean(m.paper.display_title)}*" for m in catalog.find_papers(text, 3)]
    return did_you_mean("Nothing found for", text, near)
