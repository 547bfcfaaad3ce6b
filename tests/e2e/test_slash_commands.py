"""The real bot process answering slash commands, autocomplete, buttons and menus over the wire.

One ``paperbot run`` serves the whole module. Expected cards are rendered from the bot's own
catalog file with the same pure functions, so what is checked is everything between them and
the user: the command tree, discord.py's parsing, deferrals, follow-ups and views.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import discord
import pytest

from bot.client import PaperBot
from bot.config import Settings
from commands.ui import cards
from store.catalog.catalog import Catalog
from tests.bundled_titles import MONOFLOW, YOPO
from tests.e2e.fake_discord import FakeDiscord
from tests.e2e.process import BotProcess

pytestmark = [pytest.mark.asyncio(loop_scope="module"), pytest.mark.usefixtures("bot")]

DEFERRED, MESSAGE, UPDATE = 5, 4, 7  # interaction callback types


def as_sent(embed: discord.Embed) -> dict[str, Any]:
    """An embed as it travels: what the bot's JSON becomes on the server."""
    return json.loads(json.dumps(embed.to_dict()))


@pytest.fixture(scope="module")
def bot_catalog(bot: BotProcess) -> Iterator[Catalog]:
    """The catalog file the bot process filled at start-up, opened read-only in spirit."""
    catalog = Catalog(bot.db)
    yield catalog
    catalog.close()


async def test_commands_registered_are_the_cogs_commands(fake: FakeDiscord, catalog: Catalog) -> None:
    local = PaperBot(catalog, Settings(token="unused"), sync_on_start=False)
    await local.load_features()
    expected = [json.loads(json.dumps(c.to_dict(local.tree))) for c in local.tree.get_commands()]
    (sync,) = fake.syncs  # one sync, global (no DEV_GUILD_ID)
    scope, sent = sync
    assert scope is None
    assert sent == expected
    assert sorted(fake.command_names()) == [
        "Find papers in this message",
        "author",
        "daily",
        "help",
        "paper",
        "random",
        "search",
        "stats",
    ]


async def test_paper_autocomplete_then_the_card(fake: FakeDiscord, bot_catalog: Catalog) -> None:
    choices = await fake.autocomplete("paper", "query", "monoflw")  # a typo, as typed
    assert choices and choices[0]["name"].startswith("MonoFlow: Rethinking Divergence GANs")
    assert choices[0]["name"].endswith("Yi et al., 2023")
    paper_id = choices[0]["value"]

    reply = await fake.slash("paper", query=paper_id)  # the picked choice
    assert reply.callback_type == MESSAGE and not reply.ephemeral  # answered at once: no "thinking…"
    assert reply.embed["title"] == MONOFLOW
    paper = bot_catalog.paper(paper_id)
    assert paper is not None
    assert reply.embed == as_sent(cards.paper_embed(paper))
    assert reply.msg.labels() == ["Abstract", "BibTeX"]
    assert reply.msg.custom_id("Abstract") == f"paper:abstract:{paper_id}"
    assert await fake.autocomplete("paper", "query", "   ") == []


async def test_paper_typed_query_private_and_not_found(fake: FakeDiscord) -> None:
    reply = await fake.slash("paper", query="yopo")
    assert reply.embed["title"] == YOPO and not reply.ephemeral
    code = reply.msg.component("Code")
    assert code["style"] == 5 and code["url"] == "https://github.com/a1600012888/YOPO-You-Only-Propagate-Once"

    private = await fake.slash("paper", query="yopo", private=True)
    assert private.ephemeral and private.embed["title"] == YOPO

    missing = await fake.slash("paper", query="pontryagin maximal zebra")
    assert missing.ephemeral and missing.content.startswith("No paper matches")
    assert "Did you mean" in missing.content and "You Only Propagate Once" in missing.content
    assert missing.callback_type == MESSAGE  # never a public "thinking…" first

    nobody = await fake.slash("author", name="Qwxyzzy Vbnmkj")
    assert nobody.ephemeral and nobody.content.startswith("No author matches")


async def test_card_buttons_show_abstract_and_bibtex(fake: FakeDiscord, bot_catalog: Catalog) -> None:
    card = await fake.slash("paper", query="yopo")
    paper = bot_catalog.find_papers("yopo", 1)[0].paper

    abstract = await fake.click(card.msg, card.msg.custom_id("Abstract"), user=fake.world.bob)
    assert abstract.callback_type == MESSAGE and abstract.ephemeral  # anyone may click, only they see it
    assert abstract.embed == as_sent(cards.abstract_embed(paper))
    assert len(fake.interactions[abstract.interaction.id].message_ids) == 1  # one message, not several

    bibtex = await fake.click(card.msg, card.msg.custom_id("BibTeX"))
    assert bibtex.ephemeral and bibtex.content == cards.bibtex_message(paper)
    assert "title = {{You} {Only} {Propagate} {Once}" in bibtex.content


async def test_author_card_pages_and_opens_a_paper(fake: FakeDiscord, bot_catalog: Catalog) -> None:
    names = await fake.autocomplete("author", "name", "zhu zhanxing")
    assert names[0]["name"].startswith("Zhanxing Zhu (") and names[0]["value"].startswith("author:")

    first = await fake.slash("author", name="Zhanxing Zhu")
    found = bot_catalog.find_authors("Zhanxing Zhu", 5)[0]
    profile = bot_catalog.author_profile(found.id, 5, found.match, 0)
    assert profile is not None and profile.paper_count > 5
    pages = -(-profile.paper_count // 5)
    assert first.embed == as_sent(cards.author_embed(profile, 0, 5))
    assert first.embed["footer"]["text"] == f"page 1 of {pages}"
    assert first.msg.labels() == ["Previous", "Next", "Open a paper…"]
    assert first.msg.component("Previous")["disabled"] is True
    assert first.msg.custom_id("Next") == f"page:a:{found.id:x}:1:{fake.world.alice.id}:n"

    second = await fake.click(first.msg, first.msg.custom_id("Next"))
    assert second.callback_type == UPDATE and second.msg.id == first.msg.id  # the card itself changes
    page_two = bot_catalog.author_profile(found.id, 5, found.match, 5)
    assert page_two is not None
    assert second.embed == as_sent(cards.author_embed(page_two, 1, 5))
    assert second.msg.component("Previous")["disabled"] is False

    back = await fake.click(second.msg, second.msg.custom_id("Previous"))
    assert back.embed["footer"]["text"] == f"page 1 of {pages}"

    menu = back.msg.custom_id("Open a paper…")
    opened = await fake.select(back.msg, menu, [profile.papers[2].id])
    assert opened.callback_type == MESSAGE and not opened.ephemeral
    assert opened.embed == as_sent(cards.paper_embed(profile.papers[2]))
    assert opened.msg.labels()[:2] == ["Abstract", "BibTeX"]


async def test_paging_answers_only_whoever_asked(fake: FakeDiscord) -> None:
    card = await fake.slash("author", name="Zhanxing Zhu")
    other = await fake.click(card.msg, card.msg.custom_id("Next"), user=fake.world.bob)
    assert other.callback_type == MESSAGE and other.ephemeral
    assert other.content.startswith("These controls belong to whoever asked")
    assert fake.message(card.msg.id).embed["footer"]["text"].startswith("page 1 of")  # unchanged


async def test_random_another(fake: FakeDiscord) -> None:
    first = await fake.slash("random")
    assert first.callback_type == MESSAGE and first.msg.labels()[:3] == ["Another", "Abstract", "BibTeX"]
    seen = [first.embed["footer"]["text"]]
    current = first
    for _ in range(3):
        current = await fake.click(current.msg, current.msg.custom_id("Another"))
        assert current.callback_type == UPDATE and current.msg.id == first.msg.id
        assert current.embed["footer"]["text"] not in seen  # no repeats before the catalog runs out
        assert current.msg.custom_id("Abstract") == "paper:abstract:" + current.embed["footer"]["text"][3:]
        seen.append(current.embed["footer"]["text"])

    filtered = await fake.slash("random", category="cs.GR", year_from=2000, year_to=2100)
    assert "cs.GR" in filtered.msg.fields()["Category"]
    bad = await fake.slash("random", year_from=2020, year_to=2010)
    assert bad.callback_type == MESSAGE and bad.ephemeral and "year_from" in bad.content


async def test_search_pages_and_did_you_mean(fake: FakeDiscord, bot_catalog: Catalog) -> None:
    reply = await fake.slash("search", text="adversarial training")
    found = bot_catalog.search("adversarial training", 50)
    assert len(found) > 5  # the bundled catalog has a second page for these words
    assert reply.embed == as_sent(cards.search_embed("adversarial training", found[:5], 0, 5, more=True))
    assert reply.embed["title"] == "Search: adversarial training"
    page = await fake.click(reply.msg, reply.msg.custom_id("Next"))
    assert page.embed["footer"]["text"].startswith("page 2")
    more = len(found) > 10
    assert page.embed == as_sent(cards.search_embed("adversarial training", found[5:10], 1, 5, more=more))

    nothing = await fake.slash("search", text="propagete onse")
    assert nothing.ephemeral and nothing.content.startswith("Nothing found for")
    assert "You Only Propagate Once" in nothing.content


async def test_stats_and_help_are_private(fake: FakeDiscord) -> None:
    stats = await fake.slash("stats")
    assert stats.ephemeral and stats.embed["description"].startswith("50 papers by ")
    help_ = await fake.slash("help")
    assert help_.callback_type == MESSAGE and help_.ephemeral and help_.embed["title"].startswith("paperbot")


async def test_daily_commands(fake: FakeDiscord) -> None:
    done = await fake.slash(
        "daily set", channel=fake.world.daily_channel_id, time="9:30", timezone="Europe/London"
    )
    assert done.ephemeral and done.content.startswith(f"Daily paper set for <#{fake.world.daily_channel_id}>")
    zones = await fake.autocomplete("daily set", "timezone", "london", channel=fake.world.daily_channel_id)
    assert [z["value"] for z in zones] == ["Europe/London"]
    status = await fake.slash("daily status")
    assert "09:30 Europe/London" in status.content
    off = await fake.slash("daily off", channel=fake.world.daily_channel_id)
    assert off.ephemeral and off.content.startswith("Daily paper stopped")
