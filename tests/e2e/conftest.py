"""Fixtures: one fake Discord and one bot process per test module, stopped whatever happens.

Starting the bot costs a second or two, so a module's tests share one process (and one
event loop: every e2e module sets ``pytestmark = pytest.mark.asyncio(loop_scope="module")``);
tests that need restarts start their own through ``launch``, which stops them at teardown.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import pytest_asyncio

from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.process import BotProcess

TOKEN = "MTE4MDAwMDAwMDAwMDAwMDAwMQ.Ge2eFk.not-a-real-token-only-the-fake-accepts-it"
Launch = Callable[[Path], Awaitable[BotProcess]]
_running: list[BotProcess] = []


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[Any]) -> Iterator[None]:
    """A failing e2e test shows the log of every bot process still around."""
    outcome = yield
    report = outcome.get_result()
    if report.failed:
        for process in _running:
            tail = "\n".join(process.log().splitlines()[-60:])
            report.sections.append((f"paperbot log ({process.log_path.name})", tail))


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def fake() -> AsyncIterator[FakeDiscord]:
    server = FakeDiscord(TOKEN)
    await server.start()
    try:
        yield server
    finally:
        await server.stop()
    assert server.unhandled == [], "the bot called routes the fake does not know"
    assert server.late_interactions() == [], "interactions answered late or never"


async def _stop(process: BotProcess) -> int:
    try:
        return await process.stop()
    finally:
        _running.remove(process)


@pytest_asyncio.fixture(loop_scope="module")
async def launch(fake: FakeDiscord) -> AsyncIterator[Launch]:
    """Start ``paperbot run`` on a catalog file; returns once its gateway session is live."""
    started: list[BotProcess] = []

    async def start(db: Path) -> BotProcess:
        identifies = len(fake.gateway.ops(2)) + 1
        process = await BotProcess.start(fake.api_base, TOKEN, db, db.parent)
        started.append(process)
        _running.append(process)
        await process.until(fake.wait_identified(identifies))
        return process

    yield start
    codes = [await _stop(p) for p in started if p in _running]
    assert all(not p.running for p in started)
    assert all(code == 0 for code in codes), f"exit codes {codes}"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def bot(fake: FakeDiscord, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[BotProcess]:
    """One bot process for the module, on a fresh catalog (filled with the bundled listing)."""
    workdir = tmp_path_factory.mktemp("bot")
    process = await BotProcess.start(fake.api_base, TOKEN, workdir / "catalog.db", workdir)
    _running.append(process)
    try:
        await process.until(fake.wait_identified(1))
        yield process
    finally:
        code = await _stop(process)
    assert not process.running
    assert code == 0, f"the bot exited with {code}"
