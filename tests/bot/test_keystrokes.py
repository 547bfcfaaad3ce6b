"""Every bundled name and title typed one character at a time through the autocomplete callbacks.

What a person sees in Discord: the right choice should be in the top five within a few
keystrokes, stay there as they keep typing, and no keystroke should get an empty list.
"""

from __future__ import annotations

import statistics
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from commands.authors import Authors
from commands.papers import Papers
from commands.ui.best_match import AUTHOR_CHOICE
from store.catalog.catalog import Catalog
from store.text import fold
from tests.bot.conftest import FakeInteraction

TOP = 5

Complete = Callable[[str], Awaitable[list[str]]]


@dataclass
class Typed:
    text: str
    shown_at: int | None  # the keystroke at which the target entered the top five
    lost_at: list[int]  # later keystrokes where it had left the top five again
    empty_at: list[int]  # keystrokes answered with no choice at all


async def type_out(text: str, target: str, complete: Complete) -> Typed:
    typed = Typed(text, None, [], [])
    for keystroke in range(1, len(text) + 1):
        current = text[:keystroke]
        if not fold(current):
            continue  # only spaces or punctuation so far: nothing to look up yet
        values = await complete(current)
        if not values:
            typed.empty_at.append(keystroke)
        if target in values[:TOP]:
            typed.shown_at = typed.shown_at or keystroke
        elif typed.shown_at is not None:
            typed.lost_at.append(keystroke)
    return typed


def check(results: list[Typed]) -> None:
    assert [r.text for r in results if r.empty_at] == []
    assert [(r.text, r.lost_at) for r in results if r.lost_at] == []
    found = sorted(r.shown_at or 10**6 for r in results)
    assert statistics.median(found) <= 3, found
    within_8 = sum(n <= 8 for n in found) / len(found)
    assert within_8 >= 0.95, [r.text for r in results if (r.shown_at or 10**6) > 8]


def surname_first(name: str) -> str:
    parts = name.split()
    return " ".join([parts[-1], *parts[:-1]])


async def test_every_author_typed_as_written_and_surname_first(
    interaction: FakeInteraction, catalog: Catalog
) -> None:
    cog = Authors(catalog)

    async def complete(current: str) -> list[str]:
        return [c.value for c in await cog.author_autocomplete(interaction, current)]

    authors = catalog.db.execute("select id, name from authors order by id").fetchall()
    assert len(authors) > 50
    results = []
    for author_id, name in authors:
        target = f"{AUTHOR_CHOICE}{author_id}"
        results.append(await type_out(name, target, complete))
        if len(name.split()) > 1:
            results.append(await type_out(surname_first(name), target, complete))
    check(results)


async def test_every_title_typed_as_written(interaction: FakeInteraction, catalog: Catalog) -> None:
    cog = Papers(catalog)

    async def complete(current: str) -> list[str]:
        return [c.value for c in await cog.paper_autocomplete(interaction, current)]

    papers = catalog.db.execute("select id, title from papers order by rowid").fetchall()
    assert len(papers) == 50
    check([await type_out(title, paper_id, complete) for paper_id, title in papers])


async def test_the_first_letter_already_offers_the_most_prolific(
    interaction: FakeInteraction, catalog: Catalog
) -> None:
    choices = await Authors(catalog).author_autocomplete(interaction, "z")
    assert choices[0].name.startswith("Zhanxing Zhu")
    for typed in ("zh", "zha", "zhanx", "Zhu Z", "Zhu Zh", "Zhu Zha", "Zhu Zhan", "z. zh", "Z. Zhu"):
        names = [c.name for c in await Authors(catalog).author_autocomplete(interaction, typed)]
        assert names and names[0].startswith("Zhanxing Zhu"), (typed, names)
    assert next(c.name for c in await Authors(catalog).author_autocomplete(interaction, "edm")).startswith(
        "Edmond S. L. Ho"
    )
