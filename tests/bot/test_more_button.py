"""The More button under a chat list: page after page of what the answer found, for whoever asked."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import discord

from commands.ui.chat_cards import read_reply, render_reply
from commands.ui.custom_ids import MORE, papers_on
from commands.ui.more_button import MoreButton
from store.catalog.catalog import Catalog
from store.chat.answers import answer
from store.chat.memory import AnswerMemory
from tests.bot.conftest import FakeInteraction, FakeMessage

OWNER = 1001


def more_of(view: discord.ui.View) -> str | None:
    for item in view.children:
        inner = getattr(item, "item", item)
        if getattr(inner, "label", None) == "More":
            return str(inner.custom_id)
    return None


async def press(client: Any, message: FakeMessage, cid: str, user_id: int = OWNER) -> FakeInteraction:
    click = FakeInteraction(client, user_id, message)
    match = MoreButton.__discord_ui_compiled_template__.fullmatch(cid)
    assert match is not None
    button = await MoreButton.from_custom_id(click, discord.ui.Button(custom_id=cid), match)  # type: ignore[arg-type]
    await button.callback(click)
    return click


async def test_every_paper_of_a_long_answer_is_reachable(client: Any, catalog: Catalog) -> None:
    found = answer(catalog, "anything on adversarial?", today=date(2026, 12, 6))
    assert found.total == 17 and len(found.papers) == 10 and found.subject is not None
    card = render_reply(read_reply(catalog, found), OWNER)
    assert card is not None and card.view is not None
    message = FakeMessage(view=card.view)
    AnswerMemory(catalog).remember(message.id, found.subject, datetime.now(UTC))
    seen = papers_on(message)  # type: ignore[arg-type]
    cid = more_of(card.view)
    while cid is not None:
        click = await press(client, message, cid)
        (edit,) = click.replies()
        assert edit.kind == "edit"
        page = FakeMessage(view=edit.kwargs["view"])
        page.id = message.id  # the same message, edited in place
        seen += papers_on(page)  # type: ignore[arg-type]
        cid, message = more_of(edit.kwargs["view"]), page
    assert len(seen) == len(set(seen)) == 17


async def test_more_answers_only_whoever_asked(client: Any, catalog: Catalog) -> None:
    found = answer(catalog, "anything on adversarial?", today=date(2026, 12, 6))
    card = render_reply(read_reply(catalog, found), OWNER)
    assert card is not None and card.view is not None and found.subject is not None
    message = FakeMessage(view=card.view)
    AnswerMemory(catalog).remember(message.id, found.subject, datetime.now(UTC))
    cid = more_of(card.view)
    assert cid is not None and MoreButton.__discord_ui_compiled_template__.pattern == MORE
    other = await press(client, message, cid, user_id=2002)
    (note,) = other.replies()
    assert note.ephemeral and "belong to whoever asked" in (note.content or "")


async def test_a_short_answer_has_no_more_button(catalog: Catalog) -> None:
    found = answer(catalog, "papers by Ke Sun", today=date(2026, 12, 6))
    card = render_reply(read_reply(catalog, found), OWNER)
    assert card is not None and card.view is not None and more_of(card.view) is None
