"""The lookup commands' limit: five uses per person per 10 s, each person counted apart."""

from __future__ import annotations

from typing import Any

import pytest
from discord import app_commands
from discord.utils import maybe_coroutine

from commands.authors import Authors
from commands.papers import Papers
from commands.random_paper import RandomPaper
from commands.search import Search
from store.catalog.catalog import Catalog
from tests.bot.conftest import FakeInteraction


def lookup_commands(catalog: Catalog) -> list[app_commands.Command[Any, Any, Any]]:
    return [
        Papers(catalog).paper,
        Authors(catalog).author,
        RandomPaper(catalog).random,
        Search(catalog).search,
    ]


async def allowed(command: app_commands.Command[Any, Any, Any], interaction: FakeInteraction) -> bool:
    return all([await maybe_coroutine(check, interaction) for check in command.checks])


@pytest.mark.parametrize("index", range(4), ids=["paper", "author", "random", "search"])
async def test_a_busy_person_is_slowed_down_and_nobody_else_is(
    client: Any, catalog: Catalog, index: int
) -> None:
    command = lookup_commands(catalog)[index]
    alice, bob = FakeInteraction(client, user_id=1), FakeInteraction(client, user_id=2)
    for _ in range(5):
        assert await allowed(command, alice)
    with pytest.raises(app_commands.CommandOnCooldown):
        await allowed(command, alice)
    assert await allowed(command, bob)  # a limit shared by everyone would refuse bob here
