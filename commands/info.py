"""/stats and /help: what is in the catalog and what the bot can do."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext.commands import Bot, Cog

from commands.ui import cards
from commands.ui.respond import Card, send
from commands.ui.run_lookup import run_lookup
from commands.ui.shared import services_of
from store.catalog.catalog import Catalog


class Info(Cog):
    """Orientation for newcomers to a channel."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @app_commands.command(name="stats", description="What is in the paper catalog")
    async def stats(self, interaction: discord.Interaction[Any]) -> None:
        await run_lookup(
            interaction, self.catalog.stats, lambda s: Card(embed=cards.stats_embed(s)), private=True
        )

    @app_commands.command(name="help", description="What paperbot can do, with examples")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        await send(interaction, Card(embed=cards.help_embed()), ephemeral=True)


async def setup(bot: Bot) -> None:
    await bot.add_cog(Info(services_of(bot).catalog))
