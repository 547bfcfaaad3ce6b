"""What a user is told when a command or a control fails: always privately, never a traceback.

Shared by the command tree (slash commands) and by persistent components, which discord.py
dispatches outside any command, so both report errors the same way.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any

import discord
from discord import app_commands

from commands.ui.shared import NO_PINGS, UserError

log = logging.getLogger(__name__)


def error_message(error: BaseException) -> tuple[str, str | None]:
    """What to tell the user, and the error id when it is a bug worth a log line."""
    original = getattr(error, "original", error)
    if isinstance(original, UserError):
        return str(original), None
    if isinstance(error, app_commands.CommandOnCooldown):
        return f"Easy there — try again in {error.retry_after:.0f} s.", None
    if isinstance(error, app_commands.CheckFailure):
        return "You can't use this command here.", None
    error_id = secrets.token_hex(4)
    return f"Something went wrong on our side (error `{error_id}`). It has been logged.", error_id


async def withdraw_public_thinking(interaction: discord.Interaction[Any]) -> None:
    """Delete a public "thinking…" deferral that nothing has filled in yet.

    Discord makes the first follow-up after a deferral *replace* the loading message, keeping
    the deferral's visibility whatever the follow-up's flags say: an error after a public
    deferral would be posted in the channel. Without the loading message, the follow-up is a
    message of its own and can be ephemeral.
    """
    if interaction.response.type is not discord.InteractionResponseType.deferred_channel_message:
        return
    original = await interaction.original_response()
    if original.flags.loading and not original.flags.ephemeral:
        await interaction.delete_original_response()


async def report(interaction: discord.Interaction[Any], error: BaseException, where: str) -> None:
    """Tell the user (ephemeral, follow-up if already answered); log bugs with a short id."""
    message, error_id = error_message(error)
    if error_id is not None:
        log.error("error %s in %s", error_id, where, exc_info=getattr(error, "original", error))
    try:
        if interaction.response.is_done():
            await withdraw_public_thinking(interaction)
            await interaction.followup.send(message, ephemeral=True, allowed_mentions=NO_PINGS)
        else:
            await interaction.response.send_message(message, ephemeral=True, allowed_mentions=NO_PINGS)
    except discord.HTTPException:
        log.warning("could not tell the user about error %s", error_id or message)
