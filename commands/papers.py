"""/paper: find a paper by a half-remembered title, with autocomplete as the user types."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext.commands import Bot, Cog

from commands.ui import cards
from commands.ui.best_match import best_paper
from commands.ui.run_lookup import run_lookup
from commands.ui.shared import off_loop, per_person_cooldown, services_of
from commands.ui.views import paper_card
from store.catalog.catalog import Catalog


class Papers(Cog):
    """Paper lookups: the one command people use most, so it answers in one step."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @app_commands.command(name="paper", description="Show a paper's summary card, found by its title")
    @app_commands.describe(
        query="Part of the title: typos, acronyms (yopo) and partial words are fine",
        private="Show the card to you only (default: post it in the channel)",
    )
    @per_person_cooldown()
    async def paper(
        self,
        interaction: discord.Interaction[Any],
        query: app_commands.Range[str, 1, 300],
        private: bool = False,
    ) -> None:
        # A picked autocomplete choice is a paper id; anything typed is resolved to the best match.
        await run_lookup(interaction, lambda: best_paper(self.catalog, query), paper_card, private=private)

    @paper.autocomplete("query")
    async def paper_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        if not current.strip():
            return []
        matches = await off_loop(self.catalog.find_papers, current, 25, complete=True)
        return [app_commands.Choice(name=cards.choice_name(m.paper), value=m.paper.id) for m in matches[:25]]


async def setup(bot: Bot) -> None:
    await bot.add_cog(Papers(services_of(bot).catalog))
