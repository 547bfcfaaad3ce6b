"""/random: a random paper, optionally from one category and a range of years."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext.commands import Bot, Cog

from commands.ui.random_card import random_card
from commands.ui.run_lookup import run_lookup
from commands.ui.shared import UserError, off_loop, per_person_cooldown, services_of
from store import categories
from store.catalog.catalog import Catalog
from store.catalog.models import Paper
from store.text import clip


class RandomPaper(Cog):
    """Serendipity for a reading group, with an Another button for the asker."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @app_commands.command(name="random", description="Show a random paper from the catalog")
    @app_commands.describe(
        category="A category such as cs.LG (or just LG)",
        year_from="The earliest year",
        year_to="The latest year",
        private="Show the card to you only (default: post it in the channel)",
    )
    @per_person_cooldown()
    async def random(
        self,
        interaction: discord.Interaction[Any],
        category: app_commands.Range[str, 1, 40] | None = None,
        year_from: app_commands.Range[int, 1900, 2100] | None = None,
        year_to: app_commands.Range[int, 1900, 2100] | None = None,
        private: bool = False,
    ) -> None:
        if year_from is not None and year_to is not None and year_from > year_to:
            raise UserError("`year_from` is after `year_to`.")
        resolved = categories.resolve(category) if category else None

        def find() -> Paper:
            paper = self.catalog.random_paper(resolved, year_from, year_to)
            if paper is None:
                raise UserError("No paper matches those filters.")
            return paper

        owner = interaction.user.id
        await run_lookup(
            interaction, find, lambda p: random_card(p, owner, resolved, year_from, year_to), private=private
        )

    @random.autocomplete("category")
    async def category_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        used = await off_loop(self.catalog.categories_in_use)
        wanted = current.strip().lower()
        return [
            app_commands.Choice(name=clip(categories.label(c), 100), value=c)
            for c in used
            if wanted in c.lower() or wanted in (categories.name_of(c) or "").lower()
        ][:25]


async def setup(bot: Bot) -> None:
    await bot.add_cog(RandomPaper(services_of(bot).catalog))
