"""The one routine of a lookup command: find off the loop and in time, render, send.

Slash commands, the chat and the message menu all answer through it, so a question gets the
same cards, controls and privacy however it was asked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import discord

from commands.ui.respond import Card, in_time, send
from commands.ui.shared import off_loop
from commands.ui.views import with_share

D = TypeVar("D")


async def run_lookup(
    interaction: discord.Interaction[Any],
    find: Callable[[], D],
    render: Callable[[D], Card],
    *,
    private: bool,
) -> None:
    """Answer a lookup; a private answer gets a Share button.

    ``find`` is blocking catalog work (run in a thread) and raises ``UserError`` for
    "nothing found"; ``render`` builds the embed and its controls on the event loop, where
    discord.py's views must be made.
    """
    found = await in_time(interaction, off_loop(find), ephemeral=private)
    card = render(found)
    if private:
        card = with_share(card, interaction.user.id)
    await send(interaction, card, ephemeral=private)
