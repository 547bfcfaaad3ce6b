"""The command tree with one error handler for every slash command (components share it)."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands

from commands.ui.errors import report


class PaperTree(app_commands.CommandTree[Any]):
    """Always ephemeral, follows up when the interaction was already answered or deferred."""

    async def on_error(
        self, interaction: discord.Interaction[Any], error: app_commands.AppCommandError
    ) -> None:
        where = interaction.command.qualified_name if interaction.command else "component"
        await report(interaction, error, where)
