"""``paperbot sync`` as an operator runs it: a process that logs in, syncs once and exits 0."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

import pytest

from tests.e2e.conftest import TOKEN, Launch
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.process import SETTINGS

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def paperbot_sync(fake: FakeDiscord, db: Path, *args: str) -> tuple[int, str]:
    """Run ``paperbot sync`` against the fake (in a scrubbed environment); exit code and output."""
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    env.update(DISCORD_TOKEN=TOKEN, DISCORD_API_BASE=fake.api_base)
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "sync",
        "--db",
        str(db),
        *args,
        cwd=db.parent,
        env=env,
        stdin=asyncio.subprocess.DEVNULL,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    output, _ = await asyncio.wait_for(process.communicate(), 30.0)
    assert process.returncode is not None
    return process.returncode, output.decode(errors="replace")


async def test_sync_syncs_once_and_exits(fake: FakeDiscord, launch: Launch, tmp_path: Path) -> None:
    db = tmp_path / "catalog.db"
    code, output = await paperbot_sync(fake, db)
    assert code == 0, output
    assert output.strip().splitlines()[-1] == "synced slash commands globally"
    ((scope, sent),) = fake.syncs
    assert scope is None
    names = {"paper", "author", "random", "search", "stats", "help", "daily", "Find papers in this message"}
    assert {c["name"] for c in sent} == names

    code, output = await paperbot_sync(fake, db, "--guild", str(fake.world.guild_id))
    assert code == 0, output
    assert [scope for scope, _ in fake.syncs] == [None, fake.world.guild_id]

    bot = await launch(db)  # the forced sync remembered the tree: the bot does not sync it again
    assert len(fake.syncs) == 2
    # A Ctrl-C in the seconds before READY is lost inside discord.py's start-up (the fixture's
    # stop would then time out): let the bot finish starting first.
    async with asyncio.timeout(10.0):
        while "ready as" not in bot.log():
            await asyncio.sleep(0.05)
