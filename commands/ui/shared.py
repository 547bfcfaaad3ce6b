"""What every cog needs: its dependencies, the catalog off the event loop, replies that never ping."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar, runtime_checkable

import discord
from discord import app_commands

from store.catalog.catalog import Catalog

T = TypeVar("T")
NO_PINGS = discord.AllowedMentions.none()
Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class UserError(Exception):
    """A message for the user, shown as it is (ephemeral) by the global error handler."""


class ShownPapers:
    """Which papers each "Another" card has shown, so it does not repeat itself.

    A convenience, not a promise: it lives in memory, bounded to the most recent cards, and
    after a restart a card simply starts over.
    """

    def __init__(self, cards: int = 2000) -> None:
        self._cards = cards
        self._shown: OrderedDict[int, set[str]] = OrderedDict()

    def of(self, message_id: int) -> frozenset[str]:
        """A copy: the caller may hand it to a worker thread while clicks keep coming."""
        return frozenset(self._shown.get(message_id, ()))

    def add(self, message_id: int, paper_id: str) -> None:
        self._shown.setdefault(message_id, set()).add(paper_id)
        self._shown.move_to_end(message_id)
        while len(self._shown) > self._cards:
            self._shown.popitem(last=False)

    def forget(self, message_id: int) -> None:
        self._shown.pop(message_id, None)


@dataclass(frozen=True)
class Services:
    """What cogs are built with, made once by the composition root (``bot/cli_bot.py``).

    Each cog file's ``setup()`` takes what its cog needs from here and hands it to the cog's
    constructor, so a cog never reaches for the client at run time and tests build cogs with
    exactly the pieces they fake.
    """

    catalog: Catalog
    clock: Clock = utc_now
    shown: ShownPapers = field(default_factory=ShownPapers)


@runtime_checkable
class ServiceHost(Protocol):
    """A client carrying the services: the bot, or a test's stand-in for it."""

    services: Services


def services_of(client: object) -> Services:
    """The services of the bot an extension is loaded into, or of an interaction's client.

    Persistent components (``DynamicItem``) are rebuilt by discord.py from a ``custom_id``
    alone, after any restart, so their only way to the catalog is the interaction's client.
    """
    if not isinstance(client, ServiceHost):
        raise TypeError(f"paperbot's cogs need a client with services, not {type(client).__name__}")
    return client.services


def per_person_cooldown() -> Callable[[T], T]:
    """A lookup command's limit: 5 uses per person per 10 s (each command keeps its own count)."""
    return app_commands.checks.cooldown(5, 10.0, key=lambda interaction: interaction.user.id)


async def off_loop(func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking catalog work in a thread: the event loop keeps answering others meanwhile."""
    return await asyncio.to_thread(func, *args, **kwargs)
