"""Daily posts with a controllable clock: slots, DST, catch-up, exactly-once, cycles, failures."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time as clock_time
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import aiohttp
import discord
import pytest

from commands.daily import Daily, Unpostable, channel_poster
from commands.ui.respond import Card
from store.catalog.catalog import Catalog
from store.daily import DailyStore, Schedule, Shards, due_day, slot_of
from store.loading.loader import load_into

GUILD = 81384788765712384  # shard (GUILD >> 22) % 2 == 0


class Channels:
    """The channels the cog posts to (its ``post`` dependency): records posts, fails as told.

    A channel not opened here does not exist: Discord answers 404, as for a deleted channel.
    """

    def __init__(self) -> None:
        self.posts: dict[int, list[dict[str, Any]]] = {}
        self.failures: dict[int, list[Exception]] = {}
        self.always: dict[int, Exception] = {}
        self.attempts: dict[int, int] = {}

    def open(
        self, channel_id: int, *failures: Exception, always: Exception | None = None
    ) -> list[dict[str, Any]]:
        """A channel whose next sends raise ``failures`` one by one (or ``always``), then work."""
        self.failures[channel_id] = list(failures)
        if always is not None:
            self.always[channel_id] = always
        return self.posts.setdefault(channel_id, [])

    async def post(self, channel_id: int, card: Card) -> int:
        await asyncio.sleep(0)
        self.attempts[channel_id] = self.attempts.get(channel_id, 0) + 1
        if channel_id not in self.posts:
            raise discord.NotFound(SimpleNamespace(status=404, reason="Not Found"), "Unknown Channel")
        if channel_id in self.always:
            raise self.always[channel_id]
        if self.failures[channel_id]:
            raise self.failures[channel_id].pop(0)
        self.posts[channel_id].append(card.message_kwargs())
        return len(self.posts[channel_id])


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def setup(catalog: Catalog) -> tuple[Channels, Clock, Daily]:
    channels = Channels()
    clock = Clock(utc(2026, 6, 1, 6, 0))
    return channels, clock, Daily(catalog, channels.post, Shards(), clock=clock)


def posts_table(catalog: Catalog, channel_id: int) -> list[tuple[str, str | None, str]]:
    return catalog.db.execute(
        "select local_day, paper_id, state from daily_posts where channel_id = ? order by local_day",
        [channel_id],
    ).fetchall()


def schedule(
    cog: Daily, channel: int, at: str = "09:00", zone: str = "UTC", category: str | None = None
) -> Schedule:
    hours, minutes = map(int, at.split(":"))
    return cog.store.set(GUILD, channel, time(hours, minutes), zone, category)


async def test_first_post_at_the_slot_and_only_once(setup: Any) -> None:
    channels, clock, cog = setup
    channel = channels.open(1)
    schedule(cog, 1)
    assert await cog.tick() == 0  # 06:00, before the slot
    clock.now = utc(2026, 6, 1, 9, 0)
    assert await cog.tick() == 1
    clock.now = utc(2026, 6, 1, 9, 0, 30)
    assert await cog.tick() == 0
    clock.now = utc(2026, 6, 1, 14, 0)
    assert await cog.tick() == 0
    (post,) = channel
    assert post["content"] == "Paper of the day · 2026-06-01"
    assert post["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    clock.now = utc(2026, 6, 2, 9, 1)
    assert await cog.tick() == 1 and len(channel) == 2


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
    channels, clock, cog = setup
    channel = channels.open(1)
    schedule(cog, 1, "09:00", "Europe/London")
    for day, utc_hour in ((28, 9), (29, 8), (30, 8)):
        clock.now = utc(2026, 3, day, utc_hour, 0) - timedelta(minutes=1)
        assert await cog.tick() == 0
        clock.now = utc(2026, 3, day, utc_hour, 0)
        assert await cog.tick() == 1
    assert len(channel) == 3


async def test_catch_up_within_six_hours_only(setup: Any) -> None:
    channels, clock, cog = setup
    channels.open(1), channels.open(2), channels.open(3)
    schedule(cog, 1, "09:00")
    schedule(cog, 2, "02:00")
    schedule(cog, 3, "23:30")
    clock.now = utc(2026, 6, 2, 8, 30)  # the bot comes back at 08:30
    # channel 1: 09:00 is still ahead; channel 2: 02:00 was 6.5 h ago, skipped;
    # channel 3: yesterday 23:30 was 9 h ago, skipped
    assert await cog.tick() == 0
    clock.now = utc(2026, 6, 3, 1, 0)  # back at 01:00: yesterday's 23:30 is 1.5 h late
    assert await cog.tick() == 1
    assert len(channels.posts[3]) == 1 and "2026-06-02" in channels.posts[3][0]["content"]
    clock.now = utc(2026, 6, 3, 7, 59)  # 02:00 was 5 h 59 min ago: caught up
    assert await cog.tick() == 1 and len(channels.posts[2]) == 1


async def test_no_second_post_after_a_crash_between_claim_and_send(setup: Any, catalog: Catalog) -> None:
    channels, clock, cog = setup
    channel = channels.open(1)
    plan = schedule(cog, 1)
    clock.now = utc(2026, 6, 1, 9, 0)
    assert cog.store.claim(plan, date(2026, 6, 1), clock.now)  # the process died right after this
    restarted = Daily(catalog, channels.post, Shards(), clock=clock)
    assert await restarted.tick() == 0 and channel == []
    assert posts_table(catalog, 1) == [("2026-06-01", None, "claimed")]


# Two bot processes sharing one catalog file, each ticking at the same moment: a real second
# process, with its own SQLite connection, not a second cog in this one.
PROCESS = """
import asyncio, sys, time
from datetime import UTC, datetime
from pathlib import Path

from commands.ui import cards
from commands.daily import Daily, Unpostable, channel_poster
from store.catalog.catalog import Catalog
from store.daily import Shards

db, out, go = sys.argv[1:4]
posted = open(out, "a", encoding="utf-8")


async def post(channel_id, card):
    posted.write(f"{channel_id}\\n")
    posted.flush()
    return channel_id


async def main():
    daily = Daily(Catalog(db), post, Shards(), clock=lambda: datetime(2026, 6, 1, 9, 0, tzinfo=UTC))
    Path(out + ".ready").touch()
    deadline = time.monotonic() + 30
    while not Path(go).exists() and time.monotonic() < deadline:
        await asyncio.sleep(0.005)
    print(await daily.tick())


asyncio.run(main())
"""


def test_two_processes_sharing_a_database_post_once(catalog: Catalog, tmp_path: Path) -> None:
    store = DailyStore(catalog)
    channels = range(1, 41)
    for channel_id in channels:
        store.set(GUILD, channel_id, time(9, 0), "UTC", None)
    script, go = tmp_path / "tick.py", tmp_path / "go"
    script.write_text(PROCESS, encoding="utf-8")
    outputs = [tmp_path / f"posted-{n}.txt" for n in (1, 2)]
    processes = [
        subprocess.Popen(
            [sys.executable, str(script), str(catalog.path), str(out), str(go)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for out in outputs
    ]
    deadline = clock_time.monotonic() + 30
    while not all(Path(f"{out}.ready").exists() for out in outputs) and clock_time.monotonic() < deadline:
        clock_time.sleep(0.01)
    go.touch()  # both have imported discord.py and opened the catalog: they tick at once
    results = [process.communicate(timeout=60) for process in processes]
    assert all(process.returncode == 0 for process in processes), results
    posted = [int(line) for out in outputs if out.exists() for line in out.read_text().split()]
    assert sorted(posted) == list(channels)  # every channel once, none twice
    assert sum(int(stdout) for stdout, _ in results) == len(channels)
    states = catalog.db.execute("select state, count(*) from daily_posts group by state").fetchall()
    assert states == [("sent", len(channels))]


async def test_no_repeats_until_the_whole_catalog_was_posted(setup: Any) -> None:
    channels, clock, cog = setup
    channel = channels.open(1)
    schedule(cog, 1)
    start = utc(2026, 6, 1, 9, 0)
    for day in range(50):
        clock.now = start + timedelta(days=day)
        assert await cog.tick() == 1
    ids = [p["embed"].footer.text for p in channel]
    assert len(set(ids)) == 50  # every paper once
    clock.now = start + timedelta(days=50)
    assert await cog.tick() == 1  # a new cycle begins
    assert cog.store.get(1).cycle == 2  # type: ignore[union-attr]


async def test_new_papers_join_the_current_cycle(setup: Any, tmp_path: Any, catalog: Catalog) -> None:
    channels, clock, cog = setup
    channels.open(1)
    schedule(cog, 1, category="cs.GR")  # one seed paper in cs.GR
    clock.now = utc(2026, 6, 1, 9, 0)
    assert await cog.tick() == 1
    extra = tmp_path / "gr.txt"
    extra.write_text("GRJun 2, 2026\nA New Graphics PaperAnn Lee\nA.\n", encoding="utf-8")
    load_into(catalog, [extra])
    clock.now = utc(2026, 6, 2, 9, 0)
    assert await cog.tick() == 1
    assert channels.posts[1][1]["embed"].title == "A New Graphics Paper"
    assert cog.store.get(1).cycle == 1  # type: ignore[union-attr]


async def test_category_filter(setup: Any) -> None:
    channels, clock, cog = setup
    channel = channels.open(1)
    schedule(cog, 1, category="stat.ML")
    for day in range(7):
        clock.now = utc(2026, 6, 1 + day, 9, 0)
        await cog.tick()
    assert all("stat.ML" in str(p["embed"].to_dict()) for p in channel)
    assert len({p["embed"].footer.text for p in channel}) == 7


async def test_permission_failures_pause_only_that_schedule(setup: Any) -> None:
    channels, clock, cog = setup
    forbidden = discord.Forbidden(SimpleNamespace(status=403, reason="Forbidden"), "Missing Access")
    channels.open(1, always=forbidden)
    ok = channels.open(2)
    schedule(cog, 1)
    schedule(cog, 2)
    schedule(cog, 3)  # a deleted channel: Discord says 404 Unknown Channel
    clock.now = utc(2026, 6, 1, 9, 0)
    assert await cog.tick() == 1 and len(ok) == 1
    assert "missing permission" in (cog.store.get(1).paused_reason or "")  # type: ignore[union-attr]
    assert "no longer exists" in (cog.store.get(3).paused_reason or "")  # type: ignore[union-attr]
    assert due_day(cog.store.get(1), utc(2026, 6, 2, 9, 0)) is None  # type: ignore[arg-type]
    clock.now = utc(2026, 6, 1, 9, 30)
    assert await cog.tick() == 0 and channels.attempts[1] == 1  # paused: never retried
    schedule(cog, 1)  # /daily set again resumes
    assert cog.store.get(1).paused_reason is None  # type: ignore[union-attr]


async def test_the_poster_refuses_a_channel_that_holds_no_messages(setup: Any) -> None:
    channels, clock, cog = setup
    category = SimpleNamespace(id=9, name="a category: not Messageable")
    client: Any = SimpleNamespace(get_channel=lambda channel_id: category if channel_id == 9 else None)
    with pytest.raises(Unpostable):
        await channel_poster(client)(9, Card(content="Paper of the day"))
    channels.open(9, always=Unpostable(9))
    schedule(cog, 9)
    clock.now = utc(2026, 6, 1, 9, 0)
    assert await cog.tick() == 0
    assert cog.store.get(9).paused_reason == "the channel cannot hold messages"  # type: ignore[union-attr]


SERVER_ERROR = discord.DiscordServerError(SimpleNamespace(status=503, reason="Service Unavailable"), "")


async def test_a_passing_failure_is_retried_with_backoff_and_posts_the_same_paper(
    setup: Any, catalog: Catalog
) -> None:
    channels, clock, cog = setup
    channel = channels.open(1, SERVER_ERROR, aiohttp.ClientConnectionError("connection reset"))
    schedule(cog, 1)
    clock.now = utc(2026, 6, 1, 9, 0)
    assert await cog.tick() == 0
    ((_, picked, state),) = posts_table(catalog, 1)
    assert state == "retry" and picked is not None
    clock.now = utc(2026, 6, 1, 9, 0, 29)  # the first retry waits 30 s
    assert await cog.tick() == 0 and channels.attempts[1] == 1
    clock.now = utc(2026, 6, 1, 9, 0, 30)
    assert await cog.tick() == 0 and channels.attempts[1] == 2  # the network fails this time
    clock.now = utc(2026, 6, 1, 9, 1, 29)  # the second retry waits 60 s
    assert await cog.tick() == 0 and channels.attempts[1] == 2
    clock.now = utc(2026, 6, 1, 9, 1, 30)
    assert await cog.tick() == 1
    (post,) = channel
    assert post["content"] == "Paper of the day · 2026-06-01" and picked in post["embed"].footer.text
    assert posts_table(catalog, 1) == [("2026-06-01", picked, "sent")]
    clock.now = utc(2026, 6, 1, 12, 0)
    assert await cog.tick() == 0 and len(channel) == 1


async def test_a_channel_failing_all_day_is_given_up_when_its_window_closes(
    setup: Any, catalog: Catalog, caplog: pytest.LogCaptureFixture
) -> None:
    channels, clock, cog = setup
    channels.open(1, always=SERVER_ERROR)
    ok = channels.open(2)
    schedule(cog, 1)
    schedule(cog, 2)
    clock.now, posted = utc(2026, 6, 1, 9, 0), 0
    while clock.now < utc(2026, 6, 1, 16, 0):  # past the six-hour window
        posted += await cog.tick()
        clock.now += timedelta(minutes=1)
    assert posted == 1 and len(ok) == 1  # the other channel was not held up
    assert 10 <= channels.attempts[1] <= 20  # backing off, not once a tick
    ((_, _, state),) = posts_table(catalog, 1)
    assert state == "failed"
    failures = [r for r in caplog.records if "daily post in channel 1 failed" in r.getMessage()]
    assert len(failures) == channels.attempts[1]
    assert "skipped" in failures[-1].getMessage()
    assert cog.store.get(1).paused_reason is None  # type: ignore[union-attr]
    del channels.always[1]  # Discord is back the next day
    clock.now = utc(2026, 6, 2, 9, 0)
    assert await cog.tick() == 2


async def test_one_broken_post_neither_stops_the_others_nor_goes_unlogged(
    setup: Any, caplog: pytest.LogCaptureFixture
) -> None:
    channels, clock, cog = setup
    channels.open(1, always=RuntimeError("a bug"))
    ok = channels.open(2)
    schedule(cog, 1)
    schedule(cog, 2)
    clock.now = utc(2026, 6, 1, 9, 0)
    assert await cog.tick() == 1 and len(ok) == 1
    (logged,) = [r for r in caplog.records if r.getMessage() == "the daily post in channel 1 failed"]
    assert logged.exc_info and isinstance(logged.exc_info[1], RuntimeError)


async def test_a_thousand_schedules_due_at_once(setup: Any) -> None:
    channels, clock, cog = setup
    for channel_id in range(1000, 2000):
        channels.open(channel_id)
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
    assert all(len(posts) == 1 for posts in channels.posts.values())
    assert progress > 100


async def test_only_schedules_on_this_process_shards(catalog: Catalog) -> None:
    channels = Channels()
    clock = Clock(utc(2026, 6, 1, 9, 0))
    theirs = Daily(catalog, channels.post, Shards(2, frozenset({1})), clock=clock)
    channels.open(1)
    schedule(theirs, 1)  # GUILD is on shard 0
    assert await theirs.tick() == 0
    ours = Daily(catalog, channels.post, Shards(2, frozenset({0})), clock=clock)
    assert await ours.tick() == 1
