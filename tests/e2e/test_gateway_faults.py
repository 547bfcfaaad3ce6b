"""What production throws at a connected bot: a dropped gateway, a forgotten session, a 429.

Each test ends by checking that the bot still answers, since the failure that matters is a
bot that stays online but deaf.
"""

from __future__ import annotations

import pytest

from tests.bundled_titles import YOPO
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.process import BotProcess

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("bot")]

IDENTIFY, RESUME, INVALID_SESSION = 2, 6, 9
CALLBACK = "POST /interactions/{interaction}/{token}/callback"


async def still_answers(fake: FakeDiscord) -> None:
    reply = await fake.slash("paper", query="yopo")
    assert reply.embed["title"] == YOPO
    card = await fake.click(reply.msg, reply.msg.custom_id("BibTeX"))
    assert card.content.startswith("```bibtex\n@misc{")


async def test_the_bot_resumes_after_the_connection_drops(fake: FakeDiscord, bot: BotProcess) -> None:
    await still_answers(fake)
    live = fake.gateway.live
    assert live is not None and live.session is not None
    session, seq = live.session, live.session.seq
    identifies, resumes = len(fake.gateway.ops(IDENTIFY)), len(fake.gateway.ops(RESUME))

    fake.gateway.drop()  # no close frame: a network failure
    await bot.until(fake.wait_for(lambda: len(fake.gateway.ops(RESUME)) > resumes, "a RESUME", 20.0))
    resume = fake.gateway.ops(RESUME)[-1]
    assert resume["token_ok"]
    assert resume["d"]["session_id"] == session.id
    assert resume["d"]["seq"] == seq  # every event up to the drop was seen
    await fake.wait_connected()
    assert fake.gateway.live is not live and fake.gateway.live.session is session  # type: ignore[union-attr]
    assert fake.gateway.live.compression == "zlib-stream"  # type: ignore[union-attr]
    assert len(fake.gateway.ops(IDENTIFY)) == identifies  # resumed, not a new session
    await still_answers(fake)


async def test_an_invalid_session_means_a_new_identify_at_the_same_server(
    fake: FakeDiscord, bot: BotProcess
) -> None:
    identifies = len(fake.gateway.ops(IDENTIFY))
    fake.gateway.invalidate_next_resume = True
    fake.gateway.drop()
    # discord.py waits 5 s before identifying again; it must come back here, not to discord.gg
    await bot.until(fake.wait_identified(identifies + 1, timeout=20.0))
    assert fake.gateway.ops(IDENTIFY)[-1]["token_ok"]
    await still_answers(fake)


async def test_a_rate_limited_callback_is_retried_in_time(fake: FakeDiscord) -> None:
    fake.rate_limit_once(CALLBACK, retry_after=0.6)
    reply = await fake.slash("paper", query="yopo")  # the driver asserts the 3-second deadline
    assert reply.embed["title"] == YOPO
    path = f"/interactions/{reply.interaction.id}/{reply.interaction.token}/callback"
    attempts = [r.status for r in fake.requests if r.path == path]
    assert attempts == [429, 200]
    assert reply.interaction.answer_seconds is not None and reply.interaction.answer_seconds >= 0.6


async def test_a_rate_limited_page_turn_still_arrives(fake: FakeDiscord) -> None:
    reply = await fake.slash("author", name="Zhanxing Zhu")
    assert reply.embed["title"] == "Zhanxing Zhu" and reply.msg.labels()[:2] == ["Previous", "Next"]
    fake.rate_limit_once(CALLBACK, retry_after=0.3)
    second = await fake.click(reply.msg, reply.msg.custom_id("Next"))
    assert second.embed["footer"]["text"].startswith("page 2 of")
    path = f"/interactions/{second.interaction.id}/{second.interaction.token}/callback"
    assert [r.status for r in fake.requests if r.path == path] == [429, 200]
