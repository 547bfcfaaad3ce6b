"""Light fakes of Discord interactions that record what the bot sends and refuse what Discord refuses."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from commands.ui.shared import Services
from store.catalog.catalog import Catalog
from store.loading.loader import load_bundled_if_empty

_ids = itertools.count(1_000_000)


class DiscordRefused(RuntimeError):
    """What Discord would answer with an error (a second initial response, an early follow-up…)."""


@dataclass
class Sent:
    kind: str  # "send", "defer", "edit", "followup", "edit-original", "delete-original"
    content: str | None = None
    kwargs: dict[str, Any] = field(default_factory=dict)

    @property
    def embed(self) -> Any:
        return self.kwargs.get("embed")

    @property
    def view(self) -> Any:
        return self.kwargs.get("view")

    @property
    def ephemeral(self) -> bool:
        return bool(self.kwargs.get("ephemeral"))


class FakeResponse:
    def __init__(self, log: list[Sent]) -> None:
        self.log = log
        self.type: discord.InteractionResponseType | None = None
        self.deferred_ephemeral = False

    def is_done(self) -> bool:
        return self.type is not None

    def _first(self, kind: discord.InteractionResponseType) -> None:
        if self.type is not None:
            raise DiscordRefused("40060: Interaction has already been acknowledged")
        self.type = kind

    async def send_message(self, content: str | None = None, **kwargs: Any) -> None:
        self._first(discord.InteractionResponseType.channel_message)
        self.log.append(Sent("send", content, kwargs))

    async def defer(self, **kwargs: Any) -> None:
        thinking = kwargs.get("thinking", False)
        self._first(
            discord.InteractionResponseType.deferred_channel_message
            if thinking
            else discord.InteractionResponseType.deferred_message_update
        )
        self.deferred_ephemeral = bool(kwargs.get("ephemeral"))
        self.log.append(Sent("defer", None, kwargs))

    async def edit_message(self, **kwargs: Any) -> None:
        self._first(discord.InteractionResponseType.message_update)
        self.log.append(Sent("edit", None, kwargs))


class FakeFollowup:
    def __init__(self, response: FakeResponse, log: list[Sent]) -> None:
        self.response = response
        self.log = log

    async def send(self, content: str | None = None, **kwargs: Any) -> None:
        if not self.response.is_done():
            raise DiscordRefused("10015: Unknown Webhook (no follow-up before the first response)")
        self.log.append(Sent("followup", content, kwargs))


class FakeMessage:
    """A message a component sits on: id, flags, embeds and components, nothing more (no edit:
    Discord refuses channel edits of ephemeral messages, so the bot must not rely on them)."""

    def __init__(
        self,
        embeds: list[discord.Embed] | None = None,
        view: discord.ui.View | None = None,
        ephemeral: bool = False,
        loading: bool = False,
    ) -> None:
        self.id = next(_ids)
        self.flags = discord.MessageFlags(ephemeral=ephemeral, loading=loading)
        self.embeds = embeds or []
        rows = view.to_components() if view is not None else []
        self.components = [discord.ActionRow(row) for row in rows]  # as discord.py parses a message

    @classmethod
    def of(cls, sent: Sent) -> FakeMessage:
        return cls([sent.embed] if sent.embed else [], sent.view, sent.ephemeral)


class FakeInteraction:
    def __init__(self, client: Any, user_id: int = 1001, message: FakeMessage | None = None) -> None:
        self.client = client
        self.user = SimpleNamespace(id=user_id, mention=f"<@{user_id}>")
        self.sent: list[Sent] = []
        self.response = FakeResponse(self.sent)
        self.followup = FakeFollowup(self.response, self.sent)
        self.command = None
        self.message = message
        self.extras: dict[str, Any] = {}
        self.data: dict[str, Any] = {}
        self.created_at = datetime.now(UTC)  # as Discord stamps it (cooldowns count from it)

    async def original_response(self) -> FakeMessage:
        """Like Discord: a deferral is a loading message until something fills it in."""
        if not self.response.is_done():
            raise DiscordRefused("10015: Unknown Webhook (no original response yet)")
        defer = next((s for s in self.sent if s.kind == "defer"), None)
        filled = any(s.kind in ("followup", "edit-original") for s in self.sent)
        loading = defer is not None and not filled
        return FakeMessage(ephemeral=loading and self.response.deferred_ephemeral, loading=loading)

    async def edit_original_response(self, **kwargs: Any) -> None:
        if not self.response.is_done():
            raise DiscordRefused("10015: Unknown Webhook (no original response yet)")
        if "ephemeral" in kwargs:
            raise TypeError("edit_original_response() got an unexpected keyword argument 'ephemeral'")
        self.sent.append(Sent("edit-original", kwargs.get("content"), kwargs))

    async def delete_original_response(self) -> None:
        self.sent.append(Sent("delete-original"))

    def replies(self) -> list[Sent]:
        """What the user saw: sends, follow-ups and edits (not the deferral, nor its deletion)."""
        return [s for s in self.sent if s.kind not in ("defer", "delete-original")]


@pytest.fixture
def catalog(tmp_path: Path) -> Iterator[Catalog]:
    cat = Catalog(tmp_path / "bot.db")
    load_bundled_if_empty(cat, today=date(2026, 11, 25))
    yield cat
    cat.close()


@pytest.fixture
def client(catalog: Catalog) -> Any:
    return SimpleNamespace(services=Services(catalog))


@pytest.fixture
def interaction(client: Any) -> FakeInteraction:
    return FakeInteraction(client)
