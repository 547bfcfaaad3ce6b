"""/random: a random paper, optionally from one category and a range of years."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext.commands import Bot, Cog

from commands import cards
from commands.shared import UserError, catalog_of, off_loop, reply
from commands.views import RandomView
from store import categories
from store.models import Paper


class RandomPaper(Cog):
    """Serendipity for a reading group, with an Another button for the asker."""

    @app_commands.command(name="random", description="Show a random paper from the catalog")
    @app_commands.describe(
        category="A category such as cs.LG (or just LG)",
        year_from="The earliest year",
        year_to="The latest year",
        private="Show the card to you only (default: post it in the channel)",
    )
    @app_commands.checks.cooldown(5, 10.0, key=lambda i: i.user.id)
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
        await interaction.response.defer(ephemeral=private, thinking=True)
        catalog = catalog_of(interaction)
        seen: set[str] = set()

        async def pick() -> Paper | None:
            paper = await off_loop(catalog.random_paper, category, year_from, year_to, exclude=seen)
            if paper is None and seen:  # every match shown once: start over
                seen.clear()
                paper = await off_loop(catalog.random_paper, category, year_from, year_to)
            if paper is not None:
                seen.add(paper.id)
            return paper

        paper = await pick()
        if paper is None:
            raise UserError("No paper matches those filters.")
        view = RandomView(interaction.user.id, paper, pick)
        await reply(interaction, embed=cards.paper_embed(paper), view=view, ephemeral=private)
        view.message = await interaction.original_response()

    @random.autocomplete("category")
    async def category_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        used = await off_loop(catalog_of(interaction).categories_in_use)
        wanted = current.strip().lower()
        return [
            app_commands.Choice(name=cards.clip(cards.category_label(c), 100), value=c)
            for c in used
            if wanted in c.lower() or wanted in (categories.name_of(c) or "").lower()
        ][:25]


async def setup(bot: Bot) -> None:
    await bot.add_cog(RandomPaper())
