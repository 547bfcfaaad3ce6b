"""The daily schedules' store: claims across connections, a busy catalog, the schema upgrade."""

from __future__ import annotations

import sqlite3
from datetime import date, time, timedelta

import pytest
import sqlite_utils

from store.catalog import schema
from store.catalog.catalog import Catalog
from store.daily import CatalogBusy, Claim, DailyStore, Schedule
from tests.bot.test_daily import GUILD, posts_table, utc


def test_a_retry_is_claimed_by_one_process_only(catalog: Catalog) -> None:
    plan = DailyStore(catalog).set(GUILD, 1, time(9, 0), "UTC", None)
    day, now = date(2026, 6, 1), utc(2026, 6, 1, 9, 0)
    here, there = DailyStore(catalog), DailyStore(Catalog(catalog.path))
    claim = here.claim(plan, day, now)
    assert claim is not None and there.claim(plan, day, now) is None
    here.failed(plan, claim, utc(2026, 6, 1, 9, 0, 30))
    later = utc(2026, 6, 1, 9, 0, 30)
    claims = [there.claim(plan, day, later), here.claim(plan, day, later)]
    assert [c.attempt if c else None for c in claims] == [2, None]
    there.catalog.close()


def test_a_lock_held_past_the_timeout_is_a_friendly_message(catalog: Catalog) -> None:
    catalog.db.execute("pragma busy_timeout = 50")
    load = sqlite3.connect(catalog.path, isolation_level=None)
    load.execute("begin immediate")
    try:
        with pytest.raises(CatalogBusy, match="The catalog is busy"):
            DailyStore(catalog).set(GUILD, 1, time(9, 0), "UTC", None)
    finally:
        load.execute("rollback")
        load.close()


def schema_3_daily_tables(db: sqlite_utils.Database) -> None:
    """The daily tables exactly as paperbot created them outside the migrations (schema 3)."""
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


@pytest.mark.parametrize("had_daily_tables", [True, False])
def test_a_catalog_from_before_the_daily_migration_gains_the_tables(
    catalog: Catalog, had_daily_tables: bool
) -> None:
    old = sqlite_utils.Database(catalog.path)
    old.execute("drop table daily_posts")
    old.execute("drop table daily_schedules")
    if had_daily_tables:
        schema_3_daily_tables(old)
        old["daily_schedules"].insert(
            {"channel_id": 7, "guild_id": GUILD, "at": "09:00", "timezone": "Asia/Tokyo", "cycle": 2}
        )
        old["daily_posts"].insert(
            {"channel_id": 7, "local_day": "2026-05-31", "paper_id": "p1", "cycle": 2, "state": "sent"}
        )
    before = schema.MIGRATIONS.index(schema._daily)  # the version just before the daily tables
    schema.set_meta(old, schema.SCHEMA_VERSION_KEY, str(before))
    old.close()

    upgraded = Catalog(catalog.path)
    assert schema.current_version(upgraded.db) == len(schema.MIGRATIONS)
    assert {"attempts", "retry_at"} <= set(upgraded.db.table("daily_posts").columns_dict)
    store = DailyStore(upgraded)
    if had_daily_tables:
        assert store.get(7) == Schedule(GUILD, 7, time(9, 0), "Asia/Tokyo", cycle=2)
        assert posts_table(upgraded, 7) == [("2026-05-31", "p1", "sent")]
    plan = store.set(GUILD, 8, time(9, 0), "UTC", None)
    claim = store.claim(plan, date(2026, 6, 1), utc(2026, 6, 1, 9, 0))
    assert claim is not None
    store.failed(plan, claim, utc(2026, 6, 1, 9, 0, 30))
    assert store.claim(plan, date(2026, 6, 1), utc(2026, 6, 1, 9, 0, 30)) == Claim(date(2026, 6, 1), 2)
    upgraded.close()


def test_schedules_survive_a_restart(catalog: Catalog) -> None:
    DailyStore(catalog).set(GUILD, 7, time(9, 0), "Asia/Tokyo", "cs.LG")
    reopened = Catalog(catalog.path)
    assert DailyStore(reopened).get(7) == Schedule(GUILD, 7, time(9, 0), "Asia/Tokyo", "cs.LG")
    reopened.close()


# --- the schedule arithmetic at its edges (pinned by a mutation run) -----------------------------


def test_the_catch_up_window_ends_six_hours_after_the_slot() -> None:
    from datetime import UTC, date, datetime, time

    from store.daily import CATCH_UP, Schedule, due_day, next_post, slot_of

    schedule = Schedule(1, 2, time(9, 0), "UTC")
    slot = slot_of(schedule, date(2026, 12, 6))
    assert slot == datetime(2026, 12, 6, 9, 0, tzinfo=UTC)
    assert due_day(schedule, slot) == date(2026, 12, 6)
    assert due_day(schedule, slot + CATCH_UP - timedelta(seconds=1)) == date(2026, 12, 6)
    assert due_day(schedule, slot + CATCH_UP) is None
    assert next_post(schedule, slot) == slot + timedelta(days=1)  # strictly after
    assert next_post(schedule, slot - timedelta(seconds=1)) == slot


def test_retries_back_off_up_to_thirty_minutes() -> None:
    from datetime import UTC, date, datetime, time

    from store.daily import RETRY_LONGEST, Claim, Schedule, retry_at

    schedule = Schedule(1, 2, time(9, 0), "UTC")
    now = datetime(2026, 12, 6, 9, 1, tzinfo=UTC)
    claim = Claim(date(2026, 12, 6), attempt=12)
    assert timedelta(minutes=30) == RETRY_LONGEST
    assert retry_at(schedule, claim, now) == now + timedelta(minutes=30)


def test_a_partial_shard_setting_holds_every_server_and_shards_use_bit_22() -> None:
    from store.daily import Shards

    guild = 1180000000000000100
    assert Shards(2, None).hold(guild) and Shards(None, frozenset({1})).hold(guild)
    on = (guild >> 22) % 2
    assert Shards(2, frozenset({on})).hold(guild)
    assert not Shards(2, frozenset({1 - on})).hold(guild)
    flipped = guild ^ (1 << 22)  # one shard over; a change below bit 22 stays on the same shard
    assert Shards(2, frozenset({1 - on})).hold(flipped)
    assert Shards(2, frozenset({on})).hold(guild ^ (1 << 21))
