"""``paperbot run`` as a separate process, the way it is deployed, with its log kept for failures.

The environment is built from scratch for the bot's settings (a stray DISCORD_TOKEN,
SHARD_COUNT or DEV_GUILD_ID of the developer's shell must not leak in) and the working
directory is a temporary one, so no ``.env`` of the checkout is read.
"""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
_COLOURS = re.compile(r"\x1b\[[0-9;]*m")
SETTINGS = ("DISCORD_TOKEN", "DISCORD_API_BASE", "DEV_GUILD_ID", "SHARD_COUNT", "SHARD_IDS", "PAPERBOT_DB")


class BotExited(AssertionError):
    """The bot process ended while a test was waiting on it."""


class BotProcess:
    def __init__(self, process: asyncio.subprocess.Process, db: Path, log: Path) -> None:
        self.process = process
        self.db = db
        self.log_path = log

    @classmethod
    async def start(cls, api_base: str, token: str, db: Path, workdir: Path) -> BotProcess:
        env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
        env.update(DISCORD_TOKEN=token, DISCORD_API_BASE=api_base, PYTHONUNBUFFERED="1", PAPERBOT_DEBUG="1")
        log = workdir / f"bot-{len(list(workdir.glob('bot-*.log')))}.log"
        with log.open("wb") as out:
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli",
                "run",
                "--db",
                str(db),
                cwd=workdir,
                env=env,
                stdin=asyncio.subprocess.DEVNULL,
                stdout=out,
                stderr=asyncio.subprocess.STDOUT,
            )
        return cls(process, db, log)

    def log(self) -> str:
        return _COLOURS.sub("", self.log_path.read_text(encoding="utf-8", errors="replace"))

    @property
    def running(self) -> bool:
        return self.process.returncode is None

    async def until(self, awaitable: Awaitable[T]) -> T:
        """Await something the bot should cause, failing at once (with its log) if it exits first."""
        task = asyncio.ensure_future(awaitable)
        exited = asyncio.ensure_future(self.process.wait())
        try:
            await asyncio.wait({task, exited}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            exited.cancel()
        if not task.done():
            task.cancel()
            raise BotExited(f"the bot exited with {self.process.returncode}:\n{self.log()}")
        return task.result()

    async def stop(self, timeout: float = 10.0) -> int:
        """Ctrl-C, as an operator would; killed if it does not exit in time. Returns the exit code."""
        if self.running:
            self.process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(self.process.wait(), timeout)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
                raise AssertionError(f"the bot ignored SIGINT for {timeout:g} s:\n{self.log()}") from None
        assert self.process.returncode is not None
        return self.process.returncode
