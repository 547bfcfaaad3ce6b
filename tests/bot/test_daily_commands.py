"""/daily's commands with fake interactions: replies, the channel check, permissions, the write lock."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import time
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from commands.daily import Daily
from commands.ui import cards
from commands.ui.respond import Card
from commands.ui.shared import UserError
from store.catalog.catalog import Catalog
from store.daily import Shards
from tests.bot.conftest import FakeInteraction

GUILD = 81384788765712384


async def nowhere(channel_id: int, card: Card) -> int:
    raise AssertionError("commands never post a daily paper themselves")


@pytest.fixture
def cog(catalog: Catalog) -> Daily:
    return Daily(catalog, nowhere, Shards())


ME = SimpleNamespace(id=4242)  # the bot's member in the server
CAN_POST = discord.Permissions(view_channel=True, send_messages=True, embed_links=True)


class FakeChannel:
    """A text channel as a command option resolves to: its id and the bot's permissions there."""

    def __init__(self, channel_id: int, allowed: discord.Permissions = CAN_POST) -> None:
        self.id = channel_id
        self.allowed = allowed

    def permissions_for(self, member: object) -> discord.Permissions:
        assert member is ME, "permissions are checked for the bot, not for whoever asked"
        return self.allowed


def in_server(client: Any, channel_id: int = 5) -> FakeInteraction:
    interaction = FakeInteraction(client)
    interaction.guild = SimpleNamespace(id=GUILD, me=ME)  # type: ignore[attr-defined]
    interaction.guild_id = GUILD  # type: ignore[attr-defined]
    interaction.channel_id = channel_id  # type: ignore[attr-defined]
    return interaction


async def test_daily_commands(cog: Daily, client: Any) -> None:
    interaction = in_server(client)
    channel = FakeChannel(5)
    with pytest.raises(UserError, match="HH:MM"):
        await Daily.set_schedule.callback(cog, interaction, channel=channel, time="25:00")
    with pytest.raises(UserError, match="time zone"):
        await Daily.set_schedule.callback(
            cog, interaction, channel=channel, time="09:00", timezone="Mars/Base"
        )
    await Daily.set_schedule.callback(
        cog, interaction, channel=channel, time="9:30", timezone="Europe/London"
    )
    (done,) = interaction.replies()
    assert done.ephemeral and "09:30 Europe/London" in done.content and "<t:" in done.content
    zones = await cog.timezone_autocomplete(interaction, "london")
    assert [z.value for z in zones] == ["Europe/London"]
    status = in_server(client)
    await Daily.status.callback(cog, status)
    assert "<#5> · 09:30 Europe/London · next <t:" in status.replies()[0].content
    cog.store.pause(5, "the channel no longer exists")
    status = in_server(client)
    await Daily.status.callback(cog, status)
    assert "⚠ the channel no longer exists" in status.replies()[0].content
    preview = in_server(client)
    await Daily.preview.callback(cog, preview)
    assert preview.replies()[0].ephemeral and preview.replies()[0].embed
    off = in_server(client)
    await Daily.off.callback(cog, off)
    assert cog.store.get(5) is None
    with pytest.raises(UserError, match="no daily paper"):
        await Daily.off.callback(cog, in_server(client))


async def test_set_refuses_a_channel_the_bot_cannot_post_in(cog: Daily, client: Any) -> None:
    no_embeds = FakeChannel(6, discord.Permissions(view_channel=True, send_messages=True))
    interaction = in_server(client)
    with pytest.raises(UserError) as refused:
        await Daily.set_schedule.callback(cog, interaction, channel=no_embeds, time="09:00")
    assert str(refused.value) == (
        "paperbot cannot post in <#6>: it needs Embed Links there (channel settings → Permissions). "
        "Grant them, then run `/daily set` again."
    )
    hidden = FakeChannel(7, discord.Permissions.none())
    with pytest.raises(UserError, match="it needs View Channel, Send Messages, Embed Links there"):
        await Daily.set_schedule.callback(cog, in_server(client), channel=hidden, time="09:00")
    assert cog.store.get(6) is None and cog.store.get(7) is None and interaction.sent == []


def test_who_may_use_daily_is_left_to_discord() -> None:
    """``default_permissions`` only: a check in the code would override the roles admins grant."""
    assert Daily.daily.default_permissions == discord.Permissions(manage_guild=True)
    assert {c.name: c.checks for c in Daily.daily.commands} == {
        "set": [],
        "off": [],
        "status": [],
        "preview": [],
    }


async def test_commands_answer_in_time_while_a_load_holds_the_write_lock(
    cog: Daily, catalog: Catalog, client: Any
) -> None:
    cog.store.set(GUILD, 5, time(9, 0), "UTC", None)
    load = sqlite3.connect(catalog.path, isolation_level=None)
    load.execute("begin immediate")  # what a running `paperbot load` holds
    off = in_server(client)
    task = asyncio.create_task(Daily.off.callback(cog, off))
    try:
        async with asyncio.timeout(2.9):  # Discord's 3 seconds
            while not off.sent:
                await asyncio.sleep(0.02)
        assert [s.kind for s in off.sent] == ["defer"] and off.sent[0].ephemeral and not task.done()
    finally:
        load.execute("rollback")
        load.close()
    await asyncio.wait_for(task, 10.0)
    assert [(s.kind, s.content) for s in off.replies()] == [("edit-original", "Daily paper stopped in <#5>.")]
    assert cog.store.get(5) is None


def test_help_says_who_may_use_daily() -> None:
    (text,) = [f.value or "" for f in cards.help_embed().fields if f.name == "/daily"]
    assert "*Manage Server*" in text and "Server Settings → Integrations" in text
