"""Daily random-paper schedules: when each channel's post is due, and exactly-once bookkeeping.

Knows nothing of Discord: channels and servers are plain integers. Time is always passed in
(``now`` is an aware UTC datetime), so tests drive the clock.

A channel's post for a local day is *claimed* (a row keyed by channel and local date) before
it is sent, and marked sent after. A crash between the two leaves the claim: that day's post
is then skipped rather than risked twice. We err on the side of a missed post because a
duplicate in a reading group's channel is noise everyone sees, and a missed one is not. A send
that fails for a passing reason (Discord's 5xx, the network) hands the claim back for a retry
later in the day's catch-up window; taking it again is a claim too, so only one process retries.
"""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import sqlite_utils

from store.catalog.catalog import Catalog
from store.catalog.models import Paper

CATCH_UP = timedelta(hours=6)
# A post that failed for a passing reason (Discord's 5xx, the network) is tried again after
# RETRY_FIRST, doubling up to RETRY_LONGEST, while its day's catch-up window lasts.
RETRY_FIRST = timedelta(seconds=30)
RETRY_LONGEST = timedelta(minutes=30)
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


@dataclass(frozen=True, slots=True)
class Shards:
    """Which of the bot's shards this process runs; a server's posts belong to its shard's process."""

    count: int | None = None
    ids: frozenset[int] | None = None

    def hold(self, guild_id: int) -> bool:
        """Discord's rule: a server lives on shard (guild_id >> 22) % count."""
        if not self.count or self.ids is None:
            return True
        return (guild_id >> 22) % self.count in self.ids


@dataclass(frozen=True, slots=True)
class Claim:
    """The right, held by one process, to make one attempt at a channel's post for a local day."""

    day: date
    attempt: int = 1
    paper_id: str | None = None  # chosen by an earlier attempt, posted again on a retry


@dataclass(frozen=True, slots=True)
class Status:
    """What /daily status shows for one schedule."""

    channel_id: int
    time: str
    timezone: str
    category: str | None
    next_post: datetime | None  # None while paused
    problem: str | None


class CatalogBusy(ScheduleError):
    """Another process (a load) has held the catalog's write lock past the connection's timeout."""

    def __init__(self) -> None:
        super().__init__("The catalog is busy (a load is running); try again in a few minutes.")


def retry_at(schedule: Schedule, claim: Claim, now: datetime) -> datetime | None:
    """When to try a failed post again (backing off), or None once its day's window is over."""
    delay = min(RETRY_FIRST * 2 ** (claim.attempt - 1), RETRY_LONGEST)
    at = now + delay
    return at if at < slot_of(schedule, claim.day) + CATCH_UP else None


def _row_to_schedule(row: Sequence[Any]) -> Schedule:
    guild_id, channel_id, at, zone, category, paused, cycle = row
    hours, minutes = str(at).split(":")
    return Schedule(
        int(guild_id),
        int(channel_id),
        time(int(hours), int(minutes)),
        str(zone),
        category or None,
        paused or None,
        int(cycle or 1),
    )


_COLUMNS = "guild_id, channel_id, at, timezone, category, paused_reason, cycle"


class DailyStore:
    """Schedules and post history in the catalog's SQLite file (tables: ``store/catalog/schema.py``)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @contextmanager
    def _writing(self) -> Iterator[sqlite_utils.Database]:
        """One write transaction; a lock held past the connection's timeout is ``CatalogBusy``."""
        try:
            with self.catalog.writing() as db:
                yield db
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise CatalogBusy() from exc
            raise

    def set(self, guild_id: int, channel_id: int, at: time, timezone: str, category: str | None) -> Schedule:
        """Create or replace a channel's schedule; setting it again also resumes a paused one."""
        with self._writing() as db:
            row = db.execute(
                "insert into daily_schedules (channel_id, guild_id, at, timezone, category, paused_reason, "
                "cycle, updated_at) values (?, ?, ?, ?, ?, null, 1, ?) on conflict(channel_id) do update set "
                "guild_id = excluded.guild_id, at = excluded.at, timezone = excluded.timezone, "
                "category = excluded.category, paused_reason = null, updated_at = excluded.updated_at "
                f"returning {_COLUMNS}",
                [
                    channel_id,
                    guild_id,
                    at.strftime("%H:%M"),
                    timezone,
                    category,
                    datetime.now(UTC).isoformat(),
                ],
            ).fetchone()
        return _row_to_schedule(row)

    def get(self, channel_id: int) -> Schedule | None:
        row = self.catalog.db.execute(
            f"select {_COLUMNS} from daily_schedules where channel_id = ?", [channel_id]
        ).fetchone()
        return _row_to_schedule(row) if row else None

    def remove(self, channel_id: int) -> bool:
        with self._writing() as db:
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
        with self._writing() as db:
            db.execute(
                "update daily_schedules set paused_reason = ? where channel_id = ?", [reason, channel_id]
            )

    def claim(self, schedule: Schedule, day: date, now: datetime) -> Claim | None:
        """Take the right to post on ``day``: the first attempt, or a retry that is due.

        None if this or another process already holds or used it. Claims are rows, so two
        processes sharing the file cannot both win one.
        """
        key = [schedule.channel_id, day.isoformat()]
        with self._writing() as db:
            cursor = db.execute(
                "insert or ignore into daily_posts (channel_id, local_day, cycle, state, claimed_at, "
                "attempts) values (?, ?, ?, 'claimed', ?, 1)",
                [*key, schedule.cycle, now.isoformat()],
            )
            if cursor.rowcount == 1:
                return Claim(day)
            retry = db.execute(
                "update daily_posts set state = 'claimed', attempts = attempts + 1, claimed_at = ?, "
                "retry_at = null where channel_id = ? and local_day = ? and state = 'retry' "
                "and retry_at <= ? returning attempts, paper_id",
                [now.isoformat(), *key, now.timestamp()],
            ).fetchone()
        return Claim(day, int(retry[0]), retry[1]) if retry else None

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
        with self._writing() as db:
            db.execute(
                "update daily_schedules set cycle = ? where channel_id = ?", [cycle, schedule.channel_id]
            )
            db.execute(
                "update daily_posts set paper_id = ?, cycle = ? where channel_id = ? and local_day = ?",
                [paper.id, cycle, schedule.channel_id, day.isoformat()],
            )
        return paper

    def sent(self, schedule: Schedule, claim: Claim, message_id: int) -> None:
        with self._writing() as db:
            db.execute(
                "update daily_posts set state = 'sent', message_id = ? "
                "where channel_id = ? and local_day = ?",
                [message_id, schedule.channel_id, claim.day.isoformat()],
            )

    def failed(self, schedule: Schedule, claim: Claim, retry: datetime | None) -> None:
        """Give the claim back for a retry at ``retry``, or mark the day failed (None)."""
        with self._writing() as db:
            db.execute(
                "update daily_posts set state = ?, retry_at = ? where channel_id = ? and local_day = ?",
                [
                    "retry" if retry else "failed",
                    retry.timestamp() if retry else None,
                    schedule.channel_id,
                    claim.day.isoformat(),
                ],
            )


def describe(schedule: Schedule, now: datetime) -> Status:
    return Status(
        channel_id=schedule.channel_id,
        time=schedule.at.strftime("%H:%M"),
        timezone=schedule.timezone,
        category=schedule.category,
        next_post=None if schedule.paused_reason else next_post(schedule, now),
        problem=schedule.paused_reason,
    )
