"""The daily post, end to end: /daily set over the gateway, the scheduler loop, a real channel post.

The scheduler reads the clock of the bot's ``Services``, and a separate process's clock cannot
be driven without test hooks in the product. So this test runs the real ``PaperBot`` in the
test's event loop, against the same fake Discord over HTTP and the gateway, with services on a
clock the test moves, and the Daily loop ticking every 50 ms instead of every 30 s. Everything else (commands, sync, the post's REST call, the
persistent buttons on the post) is the production path.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any, TypeVar

import discord.http
import pytest
import pytest_asyncio
from discord.gateway import DiscordWebSocket

from bot.client import PaperBot, use_api_base
from bot.config import Settings
from commands.ui import cards
from commands.ui.shared import Services
from store.catalog.catalog import Catalog
from store.daily import DailyStore
from store.loading.loader import load_bundled_if_empty
from tests.e2e.conftest import TOKEN
from tests.e2e.fake_discord import FakeDiscord

pytestmark = pytest.mark.asyncio(loop_scope="module")
T = TypeVar("T")
TICK = 0.05


class Clock:
    """The scheduler's "now", moved by the test; counts reads so the test can await ticks."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.reads = 0
        self._read = asyncio.Event()

    def __call__(self) -> datetime:
        self.reads += 1
        self._read.set()
        self._read = asyncio.Event()
        return self.now

    async def ticks(self, count: int, timeout: float = 5.0) -> None:
        """Wait until the scheduler has read the clock ``count`` more times (ticks started)."""
        target = self.reads + count
        async with asyncio.timeout(timeout):
            while self.reads < target:
                await self._read.wait()


class ClockedBot(PaperBot):
    """The production bot on the test's clock (its services), the Daily loop ticking fast."""

    def __init__(self, catalog: Catalog, settings: Settings, clock: Clock) -> None:
        super().__init__(catalog, settings)
        self.services = Services(catalog, clock=clock)

    async def load_features(self) -> None:
        await super().load_features()
        cog = self.get_cog("Daily")  # an extension's own module object: not ``commands.daily.Daily``
        assert cog is not None
        cog.poster.change_interval(seconds=TICK)  # type: ignore[attr-defined]


@pytest_asyncio.fixture(loop_scope="module")
async def running(
    fake: FakeDiscord, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[ClockedBot, Clock]]:
    # PaperBot points discord.py's class-level addresses at the fake: restore them afterwards
    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    catalog = Catalog(tmp_path / "catalog.db")
    load_bundled_if_empty(catalog)
    clock = Clock(datetime(2026, 6, 1, 7, 58, tzinfo=UTC))  # 08:58 in London (BST)
    use_api_base(fake.api_base)  # what `paperbot run` does at start-up
    bot = ClockedBot(catalog, Settings(token=TOKEN, api_base=fake.api_base), clock)
    task = asyncio.create_task(bot.start(TOKEN))
    try:
        await _until(task, bot.wait_until_ready(), 15.0)
        yield bot, clock
    finally:
        await bot.close()
        await asyncio.wait_for(task, 10.0)
        catalog.close()


async def _until(task: asyncio.Task[Any], awaitable: Awaitable[T], timeout: float) -> T:
    """Await something while the bot's task runs; its crash is the failure, not a timeout."""
    waiting = asyncio.ensure_future(awaitable)
    done, _ = await asyncio.wait({task, waiting}, timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
    if waiting not in done:
        waiting.cancel()
        raise AssertionError(f"the bot stopped or stalled: {task.exception() if task.done() else 'timeout'}")
    return waiting.result()


async def test_the_daily_paper_is_posted_once_a_day_at_local_time(
    fake: FakeDiscord, running: tuple[ClockedBot, Clock]
) -> None:
    bot, clock = running
    channel = fake.world.daily_channel_id
    done = await fake.slash("daily set", channel=channel, time="09:00", timezone="Europe/London")
    slot = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)  # 09:00 BST
    assert done.ephemeral and done.content == (
        f"Daily paper set for <#{channel}> at 09:00 Europe/London. Next post: <t:{int(slot.timestamp())}:F>."
    )

    # a schedule whose channel was deleted since: Discord answers 404 Unknown Channel
    ghost = fake.world.daily_channel_id + 99
    DailyStore(bot.catalog).set(fake.world.guild_id, ghost, time(9, 0), "Europe/London", None)

    clock.now = slot - timedelta(minutes=1)
    await clock.ticks(2)  # a whole tick ran at 08:59 local
    assert fake.posts.get(channel, []) == []

    clock.now = slot
    (post,) = await fake.posts_in(channel, 1)
    assert post.content == "Paper of the day · 2026-06-01"
    paper_id = post.embed["footer"]["text"].removeprefix("id ")
    paper = bot.catalog.paper(paper_id)
    assert paper is not None and post.embed == json.loads(json.dumps(cards.paper_embed(paper).to_dict()))
    assert post.labels()[:2] == ["Abstract", "BibTeX"]
    assert post.data["author"]["id"] == str(fake.world.bot.id) and "interaction_metadata" not in post.data

    clock.now = slot + timedelta(minutes=5)
    await clock.ticks(3)
    assert len(fake.posts[channel]) == 1  # claimed once: no second post the same day

    abstract = await fake.click(post, post.custom_id("Abstract"), user=fake.world.bob)
    assert abstract.ephemeral and abstract.embed["title"] == post.embed["title"]

    clock.now = slot + timedelta(days=1)
    first, second = await fake.posts_in(channel, 2)
    assert second.content == "Paper of the day · 2026-06-02"
    assert second.embed["footer"]["text"] != first.embed["footer"]["text"]  # no repeats in a cycle

    status = await fake.slash("daily status")
    ours, deleted = status.content.splitlines()
    assert ours.startswith(f"<#{channel}> · 09:00 Europe/London · next <t:")
    assert deleted == (
        f"<#{ghost}> · 09:00 Europe/London · next paused · ⚠ the channel no longer exists "
        "(run `/daily set` again to resume)"
    )
