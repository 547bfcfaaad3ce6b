"""/paper: find a paper by a half-remembered title, with autocomplete as the user types."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext.commands import Bot, Cog

from commands import cards
from commands.shared import UserError, catalog_of, off_loop, reply
from commands.views import card_view

COOLDOWN_RATE, COOLDOWN_PER = 5, 10.0


class Papers(Cog):
    """Paper lookups: the one command people use most, so it answers in one step."""

    @app_commands.command(name="paper", description="Show a paper's summary card, found by its title")
    @app_commands.describe(
        query="Part of the title: typos, acronyms (yopo) and partial words are fine",
        private="Show the card to you only (default: post it in the channel)",
    )
    @app_commands.checks.cooldown(COOLDOWN_RATE, COOLDOWN_PER, key=lambda i: i.user.id)
    async def paper(
        self,
        interaction: discord.Interaction[Any],
        query: app_commands.Range[str, 1, 300],
        private: bool = False,
    ) -> None:
        await interaction.response.defer(ephemeral=private, thinking=True)
        catalog = catalog_of(interaction)
        # A picked autocomplete choice is a paper id; anything typed is resolved to the best match.
        matches = await off_loop(catalog.find_papers, query, 1)
        if not matches:
            suggestions = await off_loop(catalog.search, query, 3)
            hint = ""
            if suggestions:
                hint = "\nDid you mean: " + "; ".join(f"*{cards.clean(m.paper.title)}*" for m in suggestions)
            raise UserError(f"No paper matches “{cards.clean(cards.clip(query, 100))}”.{hint}")
        paper = matches[0].paper
        await reply(interaction, embed=cards.paper_embed(paper), view=card_view(paper), ephemeral=private)

    @paper.autocomplete("query")
    async def paper_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        if not current.strip():
            return []
        matches = await off_loop(catalog_of(interaction).find_papers, current, 25)
        return [app_commands.Choice(name=cards.choice_name(m.paper), value=m.paper.id) for m in matches[:25]]


async def setup(bot: Bot) -> None:
    await bot.add_cog(Papers())
