"""What every cog needs: the catalog off the event loop, replies that never ping, user errors."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

import discord

from store.catalog import Catalog

T = TypeVar("T")
NO_PINGS = discord.AllowedMentions.none()


class UserError(Exception):
    """A message for the user, shown as it is (ephemeral) by the global error handler."""


class HasCatalog(Protocol):
    catalog: Catalog


def catalog_of(interaction: discord.Interaction[Any]) -> Catalog:
    client: HasCatalog = interaction.client  # type: ignore[assignment]
    return client.catalog


async def off_loop(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking catalog work in a thread: the event loop keeps answering others meanwhile."""
    return await asyncio.to_thread(func, *args, **kwargs)


async def reply(interaction: discord.Interaction[Any], **kwargs: Any) -> None:
    """Answer once, or follow up if already answered (or deferred); never pings anyone."""
    kwargs.setdefault("allowed_mentions", NO_PINGS)
    if interaction.response.is_done():
        await interaction.followup.send(**kwargs)
    else:
        await interaction.response.send_message(**kwargs)
