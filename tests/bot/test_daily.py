"""Daily posts with a controllable clock: slots, DST, catch-up, exactly-once, cycles, failures."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, time, timedelta
from types import SimpleNamespace
from typing import Any

import discord
import pytest

from commands.daily import Daily
from commands.shared import UserError
from store.catalog import Catalog
from store.daily import DailyStore, Schedule, due_day, slot_of
from tests.bot.conftest import FakeInteraction

GUILD = 81384788765712384  # shard (GUILD >> 22) % 2 == 0


class FakeChannel:
    def __init__(self, channel_id: int, fail: Exception | None = None) -> None:
        self.id = channel_id
        self.fail = fail
        self.posts: list[dict[str, Any]] = []

    async def send(self, **kwargs: Any) -> Any:
        if self.fail:
            raise self.fail
        await asyncio.sleep(0)
        self.posts.append(kwargs)
        return SimpleNamespace(id=len(self.posts))


class FakeBot:
    def __init__(
        self, catalog: Catalog, shard_count: int | None = None, shard_ids: list[int] | None = None
    ) -> None:
        self.catalog = catalog
        self.shard_count = shard_count
        self.shard_ids = shard_ids
        self.channels: dict[int, FakeChannel] = {}

    def channel(self, channel_id: int, fail: Exception | None = None) -> FakeChannel:
        self.channels[channel_id] = FakeChannel(channel_id, fail)
        return self.channels[channel_id]

    def get_channel(self, channel_id: int) -> FakeChannel | None:
        return self.channels.get(channel_id)

    async def fetch_channel(self, channel_id: int) -> FakeChannel:
        raise discord.NotFound(SimpleNamespace(status=404, reason="Not Found"), "Unknown Channel")


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def setup(catalog: Catalog) -> tuple[FakeBot, Clock, Daily]:
    bot = FakeBot(catalog)
    clock = Clock(utc(2026, 6, 1, 6, 0))
    return bot, clock, Daily(bot, bot.catalog, clock=clock)


def schedule(
    cog: Daily, channel: int, at: str = "09:00", zone: str = "UTC", category: str | None = None
) -> Schedule:
    hours, minutes = map(int, at.split(":"))
    return cog.store.set(GUILD, channel, time(hours, minutes), zone, category)


async def test_first_post_at_the_slot_and_only_once(setup: Any) -> None:
    bot, clock, cog = setup
    channel = bot.channel(1)
    schedule(cog, 1)
    assert await cog.tick() == 0  # 06:00, before the slot
    clock.now = utc(2026, 6, 1, 9, 0)
    assert await cog.tick() == 1
    clock.now = utc(2026, 6, 1, 9, 0, 30)
    assert await cog.tick() == 0
    clock.now = utc(2026, 6, 1, 14, 0)
    assert await cog.tick() == 0
    (post,) = channel.posts
    assert post["content"] == "Paper of the day · 2026-06-01"
    assert post["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    clock.now = utc(2026, 6, 2, 9, 1)
    assert await cog.tick() == 1 and len(channel.posts) == 2


def test_local_time_is_kept_across_dst_both_ways() -> None:
    london = Schedule(GUILD, 1, time(9, 0), "Europe/London")
    assert slot_of(london, date(2026, 3, 28)) == utc(2026, 3, 28, 9, 0)  # GMT
    assert slot_of(london, date(2026, 3, 29)) == utc(2026, 3, 29, 8, 0)  # BST from 01:00 UTC that day
    assert slot_of(london, date(2026, 10, 24)) == utc(2026, 10, 24, 8, 0)  # still BST
    assert slot_of(london, date(2026, 10, 25)) == utc(2026, 10, 25, 9, 0)  # back to GMT
    new_york = Schedule(GUILD, 1, time(9, 0), "America/New_York")
    assert slot_of(new_york, date(2026, 3, 8)) == utc(2026, 3, 8, 13, 0)
    assert slot_of(new_york, date(2026, 11, 1)) == utc(2026, 11, 1, 14, 0)


async def test_posts_follow_dst(setup: Any) -> None:
    bot, clock, cog = setup
    channel = bot.channel(1)
    schedule(cog, 1, "09:00", "Europe/London")
    for day, utc_hour in ((28, 9), (29, 8), (30, 8)):
        clock.now = utc(2026, 3, day, utc_hour, 0) - timedelta(minutes=1)
        assert await cog.tick() == 0
        clock.now = utc(2026, 3, day, utc_hour, 0)
        assert await cog.tick() == 1
    assert len(channel.posts) == 3


async def test_catch_up_within_six_hours_only(setup: Any) -> None:
    bot, clock, cog = setup
    bot.channel(1), bot.channel(2), bot.channel(3)
    schedule(cog, 1, "09:00")
    schedule(cog, 2, "02:00")
    schedule(cog, 3, "23:30")
    clock.now = utc(2026, 6, 2, 8, 30)  # the bot comes back at 08:30
    # channel 1: 09:00 is still ahead; channel 2: 02:00 was 6.5 h ago, skipped;
    # channel 3: yesterday 23:30 was 9 h ago, skipped
    assert await cog.tick() == 0
    clock.now = utc(2026, 6, 3, 1, 0)  # back at 01:00: yesterday's 23:30 is 1.5 h late
    assert await cog.tick() == 1
    assert len(bot.channels[3].posts) == 1 and "2026-06-02" in bot.channels[3].posts[0]["content"]
    clock.now = utc(2026, 6, 3, 7, 59)  # 02:00 was 5 h 59 min ago: caught up
    assert await cog.tick() == 1 and len(bot.channels[2].posts) == 1


async def test_no_second_post_after_a_crash_between_claim_and_send(setup: Any) -> None:
    bot, clock, cog = setup
    channel = bot.channel(1)
    plan = schedule(cog, 1)
    clock.now = utc(2026, 6, 1, 9, 0)
    assert cog.store.claim(plan, date(2026, 6, 1), clock.now)  # the process died right after this
    restarted = Daily(bot, bot.catalog, clock=clock)
    assert await restarted.tick() == 0 and channel.posts == []
    assert restarted.store.history(1) == [("2026-06-01", None, "claimed")]


async def test_two_processes_sharing_a_database_post_once(setup: Any, catalog: Catalog) -> None:
    bot, clock, cog = setup
    channel = bot.channel(1)
    schedule(cog, 1)
    other = Daily(bot, bot.catalog, clock=clock)
    clock.now = utc(2026, 6, 1, 9, 0)
    assert sorted(await asyncio.gather(cog.tick(), other.tick())) == [0, 1]
    assert len(channel.posts) == 1


async def test_no_repeats_until_the_whole_catalog_was_posted(setup: Any) -> None:
    bot, clock, cog = setup
    channel = bot.channel(1)
    schedule(cog, 1)
    start = utc(2026, 6, 1, 9, 0)
    for day in range(50):
        clock.now = start + timedelta(days=day)
        assert await cog.tick() == 1
    ids = [p["embed"].footer.text for p in channel.posts]
    assert len(set(ids)) == 50  # every paper once
    clock.now = start + timedelta(days=50)
    assert await cog.tick() == 1  # a new cycle begins
    assert cog.store.get(1).cycle == 2  # type: ignore[union-attr]


async def test_new_papers_join_the_current_cycle(setup: Any, tmp_path: Any, catalog: Catalog) -> None:
    bot, clock, cog = setup
    bot.channel(1)
    schedule(cog, 1, category="cs.GR")  # one seed paper in cs.GR
    clock.now = utc(2026, 6, 1, 9, 0)
    assert await cog.tick() == 1
    extra = tmp_path / "gr.txt"
    extra.write_text("GRJun 2, 2026\nA New Graphics PaperAnn Lee\nA.\n", encoding="utf-8")
    catalog.load([extra])
    clock.now = utc(2026, 6, 2, 9, 0)
    assert await cog.tick() == 1
    assert bot.channels[1].posts[1]["embed"].title == "A New Graphics Paper"
    assert cog.store.get(1).cycle == 1  # type: ignore[union-attr]


async def test_category_filter(setup: Any) -> None:
    bot, clock, cog = setup
    channel = bot.channel(1)
    schedule(cog, 1, category="stat.ML")
    for day in range(7):
        clock.now = utc(2026, 6, 1 + day, 9, 0)
        await cog.tick()
    assert all("stat.ML" in str(p["embed"].to_dict()) for p in channel.posts)
    assert len({p["embed"].footer.text for p in channel.posts}) == 7


async def test_permission_failures_pause_only_that_schedule(setup: Any) -> None:
    bot, clock, cog = setup
    forbidden = discord.Forbidden(SimpleNamespace(status=403, reason="Forbidden"), "Missing Access")
    bot.channel(1, fail=forbidden)
    ok = bot.channel(2)
    schedule(cog, 1)
    schedule(cog, 2)
    schedule(cog, 3)  # a deleted channel: get_channel misses, fetch_channel says NotFound
    clock.now = utc(2026, 6, 1, 9, 0)
    assert await cog.tick() == 1 and len(ok.posts) == 1
    assert "missing permission" in (cog.store.get(1).paused_reason or "")  # type: ignore[union-attr]
    assert "no longer exists" in (cog.store.get(3).paused_reason or "")  # type: ignore[union-attr]
    assert due_day(cog.store.get(1), utc(2026, 6, 2, 9, 0)) is None  # type: ignore[arg-type]
    schedule(cog, 1)  # /daily set again resumes
    assert cog.store.get(1).paused_reason is None  # type: ignore[union-attr]


async def test_a_thousand_schedules_due_at_once(setup: Any) -> None:
    bot, clock, cog = setup
    for channel_id in range(1000, 2000):
        bot.channel(channel_id)
        schedule(cog, channel_id)
    clock.now = utc(2026, 6, 1, 9, 0)
    progress = 0

    async def other_work() -> None:  # command handling must keep running meanwhile
        nonlocal progress
        while True:
            progress += 1
            await asyncio.sleep(0)

    other = asyncio.create_task(other_work())
    posted = await cog.tick()
    other.cancel()
    assert posted == 1000
    assert all(len(c.posts) == 1 for c in bot.channels.values())
    assert progress > 100


async def test_only_schedules_on_this_process_shards(catalog: Catalog) -> None:
    bot = FakeBot(catalog, shard_count=2, shard_ids=[1])
    clock = Clock(utc(2026, 6, 1, 9, 0))
    cog = Daily(bot, bot.catalog, clock=clock)
    bot.channel(1)
    schedule(cog, 1)  # GUILD is on shard 0
    assert await cog.tick() == 0


async def test_daily_commands(setup: Any, client: Any) -> None:
    bot, _clock, cog = setup
    interaction = FakeInteraction(bot)
    interaction.guild_id = GUILD  # type: ignore[attr-defined]
    interaction.channel_id = 5  # type: ignore[attr-defined]
    channel = SimpleNamespace(id=5)
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
    status = FakeInteraction(bot)
    status.guild_id = GUILD  # type: ignore[attr-defined]
    await Daily.status.callback(cog, status)
    assert "<#5> · 09:30 Europe/London · next <t:" in status.replies()[0].content
    cog.store.pause(5, "the channel no longer exists")
    status = FakeInteraction(bot)
    status.guild_id = GUILD  # type: ignore[attr-defined]
    await Daily.status.callback(cog, status)
    assert "⚠ the channel no longer exists" in status.replies()[0].content
    preview = FakeInteraction(bot)
    preview.channel_id = 5  # type: ignore[attr-defined]
    await Daily.preview.callback(cog, preview)
    assert preview.replies()[0].ephemeral and preview.replies()[0].embed
    off = FakeInteraction(bot)
    off.guild_id, off.channel_id = GUILD, 5  # type: ignore[attr-defined]
    await Daily.off.callback(cog, off)
    assert cog.store.get(5) is None
    with pytest.raises(UserError, match="no daily paper"):
        await Daily.off.callback(cog, off)


def test_schedules_survive_a_restart(catalog: Catalog) -> None:
    DailyStore(catalog).set(GUILD, 7, time(9, 0), "Asia/Tokyo", "cs.LG")
    reopened = Catalog(catalog.path)
    assert DailyStore(reopened).get(7) == Schedule(GUILD, 7, time(9, 0), "Asia/Tokyo", "cs.LG")
    reopened.close()
