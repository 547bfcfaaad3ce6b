"""A load beside the bot holds the catalog's write lock: /daily still answers within 3 seconds."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.process import BotProcess

pytestmark = pytest.mark.asyncio(loop_scope="module")
LOCK_SECONDS = 5.0


async def test_daily_set_is_acknowledged_while_a_load_holds_the_write_lock(
    fake: FakeDiscord, bot: BotProcess
) -> None:
    channel = fake.world.daily_channel_id
    load = sqlite3.connect(bot.db, isolation_level=None)
    load.execute("begin immediate")  # what `paperbot load` holds while it writes
    loop = asyncio.get_running_loop()
    released_at = loop.time() + LOCK_SECONDS
    try:
        command = asyncio.ensure_future(bot.until(fake.slash("daily set", channel=channel, time="09:00")))
        await asyncio.sleep(LOCK_SECONDS)
        if command.done():
            command.result()  # raises the driver's failure: not acknowledged within 3 s
            raise AssertionError("confirmed while the lock was still held")
    finally:
        load.execute("rollback")
        load.close()
    reply = await command
    assert reply.interaction.callback_type == 5  # deferred in time, as Discord requires
    assert reply.ephemeral and reply.content.startswith(f"Daily paper set for <#{channel}> at 09:00 UTC.")
    assert loop.time() >= released_at
    with sqlite3.connect(bot.db) as reader:
        rows = reader.execute("select channel_id, at, timezone from daily_schedules").fetchall()
    assert rows == [(channel, "09:00", "UTC")]
