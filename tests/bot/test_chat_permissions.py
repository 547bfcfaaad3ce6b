"""Where the chat may answer: threads need Send Messages in Threads, other channels Send Messages."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import discord

from commands.chat import Chat
from store.catalog.catalog import Catalog

BASE = discord.Permissions(view_channel=True, embed_links=True, read_message_history=True)


class FakeThread(discord.Thread):
    """A thread as the permission check sees it: its id and the bot's permissions there."""

    def __init__(self, permissions: discord.Permissions) -> None:  # no gateway payload needed
        self.id = 7001
        self._granted = permissions

    def permissions_for(self, obj: Any, /) -> discord.Permissions:
        return self._granted


class FakeChannel:
    def __init__(self, permissions: discord.Permissions) -> None:
        self.id = 7002
        self._granted = permissions

    def permissions_for(self, obj: Any) -> discord.Permissions:
        return self._granted


def message_in(channel: object) -> Any:
    return SimpleNamespace(guild=SimpleNamespace(me=object()), channel=channel)


def granted(**more: bool) -> discord.Permissions:
    permissions = discord.Permissions(BASE.value)
    permissions.update(**more)
    return permissions


def chat(catalog: Catalog) -> Chat:
    return Chat(lambda: None, catalog, clock=lambda: None)  # type: ignore[arg-type, return-value]


def test_a_thread_needs_send_messages_in_threads_not_send_messages(catalog: Catalog) -> None:
    cog = chat(catalog)
    assert cog.may_answer_in(message_in(FakeThread(granted(send_messages_in_threads=True))))
    assert not cog.may_answer_in(message_in(FakeThread(granted(send_messages=True))))


def test_a_text_channel_needs_send_messages(catalog: Catalog) -> None:
    cog = chat(catalog)
    assert cog.may_answer_in(message_in(FakeChannel(granted(send_messages=True))))
    assert not cog.may_answer_in(message_in(FakeChannel(granted(send_messages_in_threads=True))))
    assert not cog.may_answer_in(
        message_in(FakeChannel(discord.Permissions(send_messages=True)))
    )  # no embeds
