"""Answering an interaction: directly when the answer is ready in time, behind a deferral if not.

Lookups take milliseconds, so most answers go out as the initial response: no public
"thinking…" flash, and an error stays private. Only work that outlives ``ANSWER_BUDGET`` (a
load holding the catalog's write lock, a cold disk) is deferred, inside Discord's 3 seconds.
After a deferral the answer *edits* the loading message, as Discord's docs advise, rather than
relying on the first follow-up to replace it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, TypeVar

import discord

from commands.ui.shared import NO_PINGS

T = TypeVar("T")
ANSWER_BUDGET = 2.0  # seconds; Discord drops an interaction not acknowledged within 3
_FILLED = "paperbot:deferral-filled"


@dataclass
class Card:
    """One message's worth of answer: what a lookup renders and every reply path sends."""

    embed: discord.Embed | None = None
    view: discord.ui.View | None = None
    content: str | None = None

    def message_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {"allowed_mentions": NO_PINGS}
        if self.content is not None:
            kwargs["content"] = self.content
        if self.embed is not None:
            kwargs["embed"] = self.embed
        if self.view is not None:
            # Every control is a DynamicItem answered from its custom_id: a stopped view is sent
            # as a layout only, so discord.py keeps no copy of it per message in memory.
            self.view.stop()
            kwargs["view"] = self.view
        return kwargs


async def in_time(
    interaction: discord.Interaction[Any],
    work: Awaitable[T],
    *,
    ephemeral: bool,
    update: bool = False,
    budget: float = ANSWER_BUDGET,
) -> T:
    """Await ``work``; if it is not done within ``budget``, acknowledge the interaction first.

    ``update`` is for components that change their own message (a deferred update shows no
    loading message at all); otherwise the deferral is a loading message of the answer's
    visibility.
    """
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.wait_for(asyncio.shield(task), budget)
    except TimeoutError:
        if not interaction.response.is_done():
            if update:
                await interaction.response.defer()
            else:
                await interaction.response.defer(ephemeral=ephemeral, thinking=True)
        return await task


async def send(interaction: discord.Interaction[Any], card: Card, *, ephemeral: bool) -> None:
    """Post ``card`` as the answer: the initial response, the deferral's message, or a follow-up."""
    kwargs = card.message_kwargs()
    response = interaction.response
    if not response.is_done():
        await response.send_message(ephemeral=ephemeral, **kwargs)
    elif (
        response.type is discord.InteractionResponseType.deferred_channel_message
        and not interaction.extras.get(_FILLED)
    ):
        interaction.extras[_FILLED] = True  # the deferral keeps its own visibility
        await interaction.edit_original_response(**kwargs)
    else:
        await interaction.followup.send(ephemeral=ephemeral, **kwargs)


async def update(interaction: discord.Interaction[Any], card: Card) -> None:
    """Replace the message a component is on (after a deferred update too)."""
    kwargs = card.message_kwargs()
    kwargs.pop("allowed_mentions")
    if interaction.response.is_done():
        await interaction.edit_original_response(**kwargs)
    else:
        await interaction.response.edit_message(**kwargs)


async def say(interaction: discord.Interaction[Any], text: str, *, ephemeral: bool = True) -> None:
    """A short text answer (confirmations, notes), private unless asked otherwise."""
    await send(interaction, Card(content=text), ephemeral=ephemeral)
