"""Process lifecycles: a restart neither re-syncs nor breaks old cards; a bad token is one line."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.bundled_titles import MONOFLOW
from tests.e2e.conftest import Launch
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.process import BotProcess

pytestmark = pytest.mark.asyncio(loop_scope="module")


async def test_a_restart_does_not_sync_again_and_old_cards_keep_working(
    fake: FakeDiscord, launch: Launch, tmp_path: Path
) -> None:
    db = tmp_path / "catalog.db"
    first = await launch(db)
    assert [scope for scope, _ in fake.syncs] == [None]
    card = await fake.slash("paper", query="monoflow")
    assert card.embed["title"] == MONOFLOW
    author = await fake.slash("author", name="Zhanxing Zhu", private=True)
    page_two = await fake.click(author.msg, author.msg.custom_id("Next"))
    assert page_two.embed["footer"]["text"].startswith("page 2 of")
    search = await fake.slash("search", text="adversarial")
    random = await fake.slash("random", category="stat.ML")
    asked = await fake.say("bibtex for monoflow", mention_bot=True)
    bibtex_answer = await fake.reply_to(asked)  # text only: what it was about is in the catalog file
    assert bibtex_answer.content.startswith("```bibtex") and bibtex_answer.components() == []
    assert await first.stop() == 0  # Ctrl-C: a clean shutdown
    await fake.wait_for(lambda: fake.gateway.live is None, "the old connection to close", 5.0)

    seen = len(fake.requests)
    await launch(db)  # same catalog: the command tree's hash is remembered there
    assert len(fake.syncs) == 1
    assert [r.route for r in fake.requests[seen:] if r.method == "PUT"] == []

    # the card's buttons carry the paper id, so the new process answers them
    abstract = await fake.click(card.msg, card.msg.custom_id("Abstract"))
    assert abstract.ephemeral and abstract.embed["title"] == MONOFLOW
    bibtex = await fake.click(card.msg, card.msg.custom_id("BibTeX"))
    assert bibtex.ephemeral and "{{MonoFlow}: {Rethinking} {Divergence} {GANs}" in bibtex.content

    # paging, menus and Another carry their state in their custom_ids: no view was kept in memory
    page_three = await fake.click(page_two.msg, page_two.msg.custom_id("Next"))
    assert page_three.ephemeral and page_three.embed["footer"]["text"].startswith("page 3 of")
    assert page_three.msg.id == author.msg.id  # the private card itself changed, through the interaction
    opened = await fake.select(
        page_three.msg,
        page_three.msg.custom_id("Open a paper…"),
        [page_three.msg.component("Open a paper…")["options"][0]["value"]],
    )
    assert opened.ephemeral and opened.msg.labels()[:2] == ["Abstract", "BibTeX"]
    search_two = await fake.click(search.msg, search.msg.custom_id("Next"))
    assert search_two.embed["footer"]["text"].startswith("page 2")
    another = await fake.click(random.msg, random.msg.custom_id("Another"))
    assert "stat.ML" in another.msg.fields()["Category"]
    assert another.embed["footer"]["text"] != random.embed["footer"]["text"]
    who = await fake.reply_to(await fake.say("who wrote it?", reply_to=bibtex_answer))
    assert who.embed["title"] == MONOFLOW and "is by" in who.content
    stranger = await fake.click(search_two.msg, search_two.msg.custom_id("Next"), user=fake.world.bob)
    assert stranger.ephemeral and stranger.content.startswith("These controls belong")


async def test_a_rejected_token_is_one_line_and_never_logged(fake: FakeDiscord, tmp_path: Path) -> None:
    wrong = "MTE4MDAwMDAwMDAwMDAwMDAwMQ.Gwrong.this-token-was-revoked-xxxxxxxxxxxx"
    process = await BotProcess.start(fake.api_base, wrong, tmp_path / "catalog.db", tmp_path)
    try:
        code = await asyncio.wait_for(process.process.wait(), 20.0)
    finally:
        await process.stop()
    assert code == 1
    log = process.log()
    assert (
        "paperbot: Discord rejected the token (check DISCORD_TOKEN; it is never logged)" in log.splitlines()
    )
    assert wrong not in log and "Traceback" not in log
    assert [r.status for r in fake.requests if r.route == "GET /users/@me"][-1] == 401
