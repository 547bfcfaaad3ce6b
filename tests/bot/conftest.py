"""Light fakes of Discord interactions that record what the bot sends, like Discord would."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from commands.shared import Services
from store.catalog import Catalog


class AlreadyResponded(RuntimeError):
    """Discord refuses a second initial response; so do the fakes."""


@dataclass
class Sent:
    kind: str  # "send", "defer", "edit", "followup", "message-edit", "delete-original"
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

    def is_done(self) -> bool:
        return self.type is not None

    def _first(self, kind: discord.InteractionResponseType) -> None:
        if self.type is not None:
            raise AlreadyResponded("this interaction has already been responded to")
        self.type = kind

    async def send_message(self, content: str | None = None, **kwargs: Any) -> None:
        self._first(discord.InteractionResponseType.channel_message)
        self.log.append(Sent("send", content, kwargs))

    async def defer(self, **kwargs: Any) -> None:
        self._first(discord.InteractionResponseType.deferred_channel_message)
        self.log.append(Sent("defer", None, kwargs))

    async def edit_message(self, **kwargs: Any) -> None:
        self._first(discord.InteractionResponseType.message_update)
        self.log.append(Sent("edit", None, kwargs))


class FakeFollowup:
    def __init__(self, log: list[Sent]) -> None:
        self.log = log

    async def send(self, content: str | None = None, **kwargs: Any) -> None:
        self.log.append(Sent("followup", content, kwargs))


class FakeMessage:
    def __init__(self, log: list[Sent], flags: discord.MessageFlags | None = None) -> None:
        self.log = log
        self.flags = flags or discord.MessageFlags()

    async def edit(self, **kwargs: Any) -> None:
        self.log.append(Sent("message-edit", None, kwargs))


class FakeInteraction:
    def __init__(self, client: Any, user_id: int = 1001) -> None:
        self.client = client
        self.user = SimpleNamespace(id=user_id, mention=f"<@{user_id}>")
        self.sent: list[Sent] = []
        self.response = FakeResponse(self.sent)
        self.followup = FakeFollowup(self.sent)
        self.command = None
        self.message = FakeMessage(self.sent)

    async def original_response(self) -> FakeMessage:
        """Like Discord: a deferral is a loading message until the first follow-up fills it in."""
        flags = discord.MessageFlags()
        defer = next((s for s in self.sent if s.kind == "defer"), None)
        if defer is not None and not any(s.kind == "followup" for s in self.sent):
            flags.loading, flags.ephemeral = True, bool(defer.kwargs.get("ephemeral"))
        return FakeMessage(self.sent, flags)

    async def delete_original_response(self) -> None:
        self.sent.append(Sent("delete-original"))

    def replies(self) -> list[Sent]:
        """What the user saw: sends, follow-ups and edits (not the deferral, nor its deletion)."""
        return [s for s in self.sent if s.kind not in ("defer", "delete-original")]


@pytest.fixture
def catalog(tmp_path: Path) -> Catalog:
    cat = Catalog(tmp_path / "bot.db")
    cat.ensure_loaded(today=date(2026, 11, 25))
    yield cat
    cat.close()


@pytest.fixture
def client(catalog: Catalog) -> Any:
    return SimpleNamespace(services=Services(catalog))


@pytest.fixture
def interaction(client: Any) -> FakeInteraction:
    return FakeInteraction(client)
