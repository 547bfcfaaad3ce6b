"""Daily random-paper schedules: when each channel's post is due, and exactly-once bookkeeping.

Knows nothing of Discord: channels and servers are plain integers. Time is always passed in
(``now`` is an aware UTC datetime), so tests drive the clock.

A channel's post for a local day is *claimed* (a row keyed by channel and local date) before
it is sent, and marked sent after. A crash between the two leaves the claim: that day's post
is then skipped rather than risked twice. We err on the side of a missed post because a
duplicate in a reading group's channel is noise everyone sees, and a missed one is not.
"""

from __future__ import annotations

import random
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from store.catalog import Catalog
from store.models import Paper

CATCH_UP = timedelta(hours=6)
_HHMM = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


class ScheduleError(ValueError):
    """Bad schedule input; the message is for the user."""


@dataclass(frozen=True, slots=True)
class Schedule:
    guild_id: int
    channel_id: int
    at: time
    timezone: str
    category: str | None = None
    paused_reason: str | None = None
    cycle: int = 1

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def parse_time(text: str) -> time:
    m = _HHMM.match(text.strip())
    if not m:
        raise ScheduleError(f"“{text[:20]}” is not a time of day; use HH:MM, e.g. 09:00")
    return time(int(m[1]), int(m[2]))


def parse_timezone(name: str) -> str:
    try:
        ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError):
        raise ScheduleError(f"“{name[:40]}” is not a time zone; pick one such as Europe/London") from None
    return name.strip()


def timezones() -> list[str]:
    """Every IANA zone name (from the tzdata package where the system has none), sorted."""
    return sorted(available_timezones())


def slot_of(schedule: Schedule, local_day: date) -> datetime:
    """The UTC instant of the schedule's post on a local day (DST-aware: 09:00 stays 09:00)."""
    local = datetime.combine(local_day, schedule.at, tzinfo=schedule.zone)
    return local.astimezone(UTC)


def local_today(schedule: Schedule, now: datetime) -> date:
    return now.astimezone(schedule.zone).date()


def due_day(schedule: Schedule, now: datetime) -> date | None:
    """The local day whose post is due now: its slot has passed, by at most six hours.

    Yesterday is checked too, so a 23:30 slot missed during a restart is still caught up at
    02:00. Whether it was already posted is the store's business (``claim``).
    """
    if schedule.paused_reason:
        return None
    today = local_today(schedule, now)
    for day in (today, today - timedelta(days=1)):
        slot = slot_of(schedule, day)
        if slot <= now < slot + CATCH_UP:
            return day
    return None


def next_post(schedule: Schedule, now: datetime) -> datetime:
    """The next slot strictly after ``now`` (for /daily status)."""
    today = local_today(schedule, now)
    for offset in range(0, 3):
        slot = slot_of(schedule, today + timedelta(days=offset))
        if slot > now:
            return slot
    return slot_of(schedule, today + timedelta(days=3))


def on_shards(guild_id: int, shard_count: int | None, shard_ids: Collection[int] | None) -> bool:
    """Discord's rule: a server lives on shard (guild_id >> 22) % shard_count."""
    if not shard_count or shard_ids is None:
        return True
    return (guild_id >> 22) % shard_count in shard_ids


def ensure_tables(catalog: Catalog) -> None:
    """The schedule tables live in the catalog file, so they survive restarts with it."""
    db = catalog.db
    if "daily_schedules" in db.table_names():
        return
    with db.atomic():
        db["daily_schedules"].create(
            {
                "channel_id": int,
                "guild_id": int,
                "at": str,
                "timezone": str,
                "category": str,
                "paused_reason": str,
                "cycle": int,
                "updated_at": str,
            },
            pk="channel_id",
            not_null={"guild_id", "at", "timezone"},
            defaults={"cycle": 1},
        )
        db["daily_schedules"].create_index(["guild_id"])
        db["daily_posts"].create(
            {
                "channel_id": int,
                "local_day": str,
                "paper_id": str,
                "cycle": int,
                "state": str,
                "message_id": int,
                "claimed_at": str,
            },
            pk=("channel_id", "local_day"),
        )
        db["daily_posts"].create_index(["channel_id", "cycle"])


def _row_to_schedule(row: Sequence[object]) -> Schedule:
    guild_id, channel_id, at, zone, category, paused, cycle = row
    hours, minutes = str(at).split(":")
    return Schedule(
        int(guild_id),  # type: ignore[call-overload]
        int(channel_id),  # type: ignore[call-overload]
        time(int(hours), int(minutes)),
        str(zone),
        category if category else None,  # type: ignore[arg-type]
        paused if paused else None,  # type: ignore[arg-type]
        int(cycle or 1),  # type: ignore[call-overload]
    )


_COLUMNS = "guild_id, channel_id, at, timezone, category, paused_reason, cycle"


class DailyStore:
    """Schedules and post history in the catalog's SQLite file."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        ensure_tables(catalog)

    def set(self, guild_id: int, channel_id: int, at: time, timezone: str, category: str | None) -> Schedule:
        """Create or replace a channel's schedule; setting it again also resumes a paused one."""
        db = self.catalog.db
        with db.atomic():
            db.execute(
                "insert into daily_schedules (channel_id, guild_id, at, timezone, category, paused_reason, "
                "cycle, updated_at) values (?, ?, ?, ?, ?, null, 1, ?) on conflict(channel_id) do update set "
                "guild_id = excluded.guild_id, at = excluded.at, timezone = excluded.timezone, "
                "category = excluded.category, paused_reason = null, updated_at = excluded.updated_at",
                [
                    channel_id,
                    guild_id,
                    at.strftime("%H:%M"),
                    timezone,
                    category,
                    datetime.now(UTC).isoformat(),
                ],
            )
        found = self.get(channel_id)
        assert found is not None
        return found

    def get(self, channel_id: int) -> Schedule | None:
        row = self.catalog.db.execute(
            f"select {_COLUMNS} from daily_schedules where channel_id = ?", [channel_id]
        ).fetchone()
        return _row_to_schedule(row) if row else None

    def remove(self, channel_id: int) -> bool:
        db = self.catalog.db
        with db.atomic():
            cursor = db.execute("delete from daily_schedules where channel_id = ?", [channel_id])
        return cursor.rowcount > 0

    def for_guild(self, guild_id: int) -> list[Schedule]:
        rows = self.catalog.db.execute(
            f"select {_COLUMNS} from daily_schedules where guild_id = ? order by channel_id", [guild_id]
        ).fetchall()
        return [_row_to_schedule(r) for r in rows]

    def active(self) -> list[Schedule]:
        rows = self.catalog.db.execute(
            f"select {_COLUMNS} from daily_schedules where paused_reason is null"
        ).fetchall()
        return [_row_to_schedule(r) for r in rows]

    def pause(self, channel_id: int, reason: str) -> None:
        db = self.catalog.db
        with db.atomic():
            db.execute(
                "update daily_schedules set paused_reason = ? where channel_id = ?", [reason, channel_id]
            )

    def claim(self, schedule: Schedule, day: date, now: datetime) -> bool:
        """Take the right to post on ``day``; False if this or another process already did."""
        db = self.catalog.db
        with db.atomic():
            cursor = db.execute(
                "insert or ignore into daily_posts (channel_id, local_day, cycle, state, claimed_at) "
                "values (?, ?, ?, 'claimed', ?)",
                [schedule.channel_id, day.isoformat(), schedule.cycle, now.isoformat()],
            )
        return cursor.rowcount == 1

    def pick(self, schedule: Schedule, day: date, rng: random.Random | None = None) -> Paper | None:
        """A paper the channel has not seen in this cycle; a new cycle when all have been seen."""
        db = self.catalog.db
        seen = {
            r[0]
            for r in db.execute(
                "select paper_id from daily_posts "
                "where channel_id = ? and cycle = ? and paper_id is not null",
                [schedule.channel_id, schedule.cycle],
            )
        }
        paper = self.catalog.random_paper(category=schedule.category, exclude=seen, rng=rng)
        cycle = schedule.cycle
        if paper is None and seen:
            cycle += 1
            paper = self.catalog.random_paper(category=schedule.category, rng=rng)
        if paper is None:
            return None
        with db.atomic():
            db.execute(
                "update daily_schedules set cycle = ? where channel_id = ?", [cycle, schedule.channel_id]
            )
            db.execute(
                "update daily_posts set paper_id = ?, cycle = ? where channel_id = ? and local_day = ?",
                [paper.id, cycle, schedule.channel_id, day.isoformat()],
            )
        return paper

    def sent(self, schedule: Schedule, day: date, message_id: int | None) -> None:
        db = self.catalog.db
        with db.atomic():
            db.execute(
                "update daily_posts set state = 'sent', message_id = ? "
                "where channel_id = ? and local_day = ?",
                [message_id, schedule.channel_id, day.isoformat()],
            )

    def history(self, channel_id: int) -> list[tuple[str, str | None, str]]:
        return [
            (r[0], r[1], r[2])
            for r in self.catalog.db.execute(
                "select local_day, paper_id, state from daily_posts where channel_id = ? order by local_day",
                [channel_id],
            )
        ]


def describe(schedule: Schedule, now: datetime) -> dict[str, object]:
    """What /daily status shows for one schedule."""
    return {
        "channel_id": schedule.channel_id,
        "time": schedule.at.strftime("%H:%M"),
        "timezone": schedule.timezone,
        "category": schedule.category,
        "next": None if schedule.paused_reason else next_post(schedule, now),
        "problem": schedule.paused_reason,
    }
