"""/stats and /help: what is in the catalog and what the bot can do."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext.commands import Bot, Cog

from commands import cards
from commands.shared import catalog_of, off_loop, reply


class Info(Cog):
    """Orientation for newcomers to a channel."""

    @app_commands.command(name="stats", description="What is in the paper catalog")
    async def stats(self, interaction: discord.Interaction[Any]) -> None:
        await interaction.response.defer(ephemeral=True)  # counting a big catalog takes a moment
        stats = await off_loop(catalog_of(interaction).stats)
        await reply(interaction, embed=cards.stats_embed(stats), ephemeral=True)

    @app_commands.command(name="help", description="What paperbot can do, with examples")
    async def help(self, interaction: discord.Interaction[Any]) -> None:
        await reply(interaction, embed=cards.help_embed(), ephemeral=True)


async def setup(bot: Bot) -> None:
    await bot.add_cog(Info())
