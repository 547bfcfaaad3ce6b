"""Cogs and controls called directly with fake interactions: what is sent, to whom, and when."""

from __future__ import annotations

import asyncio
import re
from typing import Any

import discord
import pytest

from commands.authors import Authors
from commands.info import Info
from commands.papers import Papers
from commands.random_paper import RandomPaper
from commands.search import Search
from commands.ui import random_card, respond
from commands.ui.paging import OpenMenu, PageButton
from commands.ui.random_card import AnotherButton
from commands.ui.respond import Card
from commands.ui.shared import UserError
from commands.ui.views import CardButton
from store.catalog.catalog import Catalog
from tests.bot.conftest import FakeInteraction, FakeMessage, Sent
from tests.bundled_titles import YOPO

NO_PINGS = discord.AllowedMentions.none().to_dict()


def item_labels(view: discord.ui.View) -> list[str]:
    labels = []
    for item in view.children:
        inner = getattr(item, "item", item)  # DynamicItem wraps a Button or a Select
        labels.append(getattr(inner, "label", None) or getattr(inner, "placeholder", None) or "")
    return labels


def custom_id(view: discord.ui.View, label: str) -> str:
    for item in view.children:
        inner = getattr(item, "item", item)
        if label in (getattr(inner, "label", None), getattr(inner, "placeholder", None)):
            return str(inner.custom_id)
    raise AssertionError(f"no {label!r} in {item_labels(view)}")


async def press(
    client: Any, card: Sent, label: str, user_id: int = 1001, values: list[str] | None = None
) -> FakeInteraction:
    """Click a control of a sent card the way discord.py does after a restart: from its custom_id alone."""
    cid = custom_id(card.view, label)
    message = FakeMessage.of(card)
    click = FakeInteraction(client, user_id, message)
    for cls in (CardButton, PageButton, OpenMenu, AnotherButton):
        match = cls.__discord_ui_compiled_template__.fullmatch(cid)
        if match:
            base = discord.ui.Select(custom_id=cid) if cls is OpenMenu else discord.ui.Button(custom_id=cid)
            item = await cls.from_custom_id(click, base, match)  # type: ignore[arg-type]
            if values is not None:
                item._refresh_state(click, {"custom_id": cid, "component_type": 3, "values": values})  # type: ignore[arg-type]
            await item.callback(click)
            return click
    raise AssertionError(f"no dynamic item for {cid!r}")


async def test_paper_autocomplete_offers_titles_with_ids(
    interaction: FakeInteraction, catalog: Catalog
) -> None:
    cog = Papers(catalog)
    choices = await cog.paper_autocomplete(interaction, "yopo")
    assert choices and choices[0].name.startswith("You Only Propagate Once")
    assert choices[0].name.endswith("Zhang et al., 2019") and len(choices[0].name) <= 100
    assert catalog.paper(choices[0].value).title == YOPO  # type: ignore[union-attr]
    many = await cog.paper_autocomplete(interaction, "graph")
    assert 1 < len(many) <= 25
    assert await cog.paper_autocomplete(interaction, "  ") == []


async def test_paper_picked_from_autocomplete_opens_exactly_that_paper(
    interaction: FakeInteraction, catalog: Catalog
) -> None:
    cog = Papers(catalog)
    value = (await cog.paper_autocomplete(interaction, "graph"))[3].value
    await Papers.paper.callback(cog, interaction, query=value)
    (card,) = interaction.replies()
    assert card.embed.footer.text == f"id {value}"


async def test_a_fast_answer_is_the_initial_response_without_thinking(
    interaction: FakeInteraction, catalog: Catalog
) -> None:
    await Papers.paper.callback(Papers(catalog), interaction, query="yopo")
    (card,) = interaction.sent  # no deferral: no public "thinking…" flash
    assert card.kind == "send" and not card.ephemeral
    assert card.embed.title == YOPO
    assert card.kwargs["allowed_mentions"].to_dict() == NO_PINGS
    assert item_labels(card.view) == ["Abstract", "BibTeX", "Code"]
    code = card.view.children[2]
    assert code.url == "https://github.com/a1600012888/YOPO-You-Only-Propagate-Once"
    assert card.view.timeout is None  # persistent buttons


async def test_slow_work_is_deferred_in_time_then_fills_the_deferral(interaction: FakeInteraction) -> None:
    async def slow() -> str:
        await asyncio.sleep(0.2)
        return "done"

    result = await respond.in_time(interaction, slow(), ephemeral=True, budget=0.05)
    assert result == "done"
    assert [s.kind for s in interaction.sent] == ["defer"]
    assert interaction.sent[0].kwargs == {"ephemeral": True, "thinking": True}
    await respond.send(interaction, Card(content="one"), ephemeral=True)
    await respond.send(interaction, Card(content="two"), ephemeral=True)
    assert [s.kind for s in interaction.sent] == ["defer", "edit-original", "followup"]


async def test_paper_private_option(interaction: FakeInteraction, catalog: Catalog) -> None:
    await Papers.paper.callback(Papers(catalog), interaction, query="yopo", private=True)
    assert interaction.replies()[0].ephemeral


async def test_paper_not_found_suggests(interaction: FakeInteraction, catalog: Catalog) -> None:
    with pytest.raises(UserError) as error:
        await Papers.paper.callback(Papers(catalog), interaction, query="pontryagin maximal zebra")
    assert "No paper matches" in str(error.value) and "Did you mean" in str(error.value)
    assert "You Only Propagate Once" in str(error.value)
    assert interaction.sent == []  # the error handler answers, privately


async def test_card_buttons_work_from_their_custom_id_alone(
    interaction: FakeInteraction, client: Any, catalog: Catalog
) -> None:
    await Papers.paper.callback(Papers(catalog), interaction, query="yopo")
    (card,) = interaction.replies()
    abstract = (await press(client, card, "Abstract", user_id=999)).replies()
    assert [(s.kind, s.ephemeral) for s in abstract] == [("send", True)]
    assert abstract[0].embed.title == YOPO and "Pontryagin" in abstract[0].embed.description
    (bib,) = (await press(client, card, "BibTeX")).replies()
    assert bib.ephemeral and bib.content.startswith("```bibtex\n@misc{") and bib.content.endswith("```")


async def test_the_longest_abstract_is_one_message(client: Any, catalog: Catalog) -> None:
    long_id = max(catalog.db.execute("select id, length(abstract) from papers"), key=lambda r: r[1])[0]
    click = FakeInteraction(client)
    await CardButton("abstract", long_id).callback(click)
    (only,) = click.replies()
    assert only.ephemeral and len(only.embed.description) <= 4096


async def test_button_for_a_vanished_paper(client: Any) -> None:
    click = FakeInteraction(client)
    await CardButton("bibtex", "t-000000000000").callback(click)
    (note,) = click.replies()
    assert note.ephemeral and note.content == "That paper is no longer in the catalog."


async def test_author_card_pages_from_custom_ids_and_opens_papers(
    interaction: FakeInteraction, client: Any, catalog: Catalog
) -> None:
    cog = Authors(catalog)
    choices = await cog.author_autocomplete(interaction, "Zhu Zhanxing")
    assert choices[0].name == "Zhanxing Zhu (21 papers)"
    await Authors.author.callback(cog, interaction, name="zhanxin zhu")
    (card,) = interaction.replies()
    assert card.embed.title == "Zhanxing Zhu"
    assert card.embed.description == "21 papers · active 2018–2025"
    assert card.embed.fields[0].name.startswith("1. ViTE")
    assert "**Zhanxing Zhu**" in card.embed.fields[0].value
    assert item_labels(card.view) == ["Previous", "Next", "Open a paper…"]
    assert card.embed.footer.text == "page 1 of 5"
    assert re.fullmatch(r"page:a:[0-9a-f]+:1:1001:n", custom_id(card.view, "Next"))
    # Next, by the asker: the card itself changes
    (page_two,) = (await press(client, card, "Next")).replies()
    assert page_two.kind == "edit" and page_two.embed.fields[0].name.startswith("6. ")
    assert page_two.embed.footer.text == "page 2 of 5"
    (back,) = (await press(client, page_two, "Previous")).replies()
    assert back.embed.footer.text == "page 1 of 5"
    # someone else may not page
    (note,) = (await press(client, card, "Next", user_id=999)).replies()
    assert note.kind == "send" and note.ephemeral and note.content.startswith("These controls belong")
    # the menu opens a listed paper; for the asker in the list's visibility, for others privately
    first_id = card.embed.footer.text and catalog.find_papers("ViTE", 1)[0].paper.id
    (opened,) = (await press(client, card, "Open a paper…", values=[first_id])).replies()
    assert opened.embed.footer.text == f"id {first_id}" and not opened.ephemeral
    (theirs,) = (await press(client, card, "Open a paper…", user_id=999, values=[first_id])).replies()
    assert theirs.ephemeral


async def test_author_not_found(interaction: FakeInteraction, catalog: Catalog) -> None:
    with pytest.raises(UserError, match="No author matches"):
        await Authors.author.callback(Authors(catalog), interaction, name="Nobody Atall")


async def test_author_not_found_suggests_near_names(interaction: FakeInteraction, catalog: Catalog) -> None:
    with pytest.raises(UserError) as error:
        await Authors.author.callback(Authors(catalog), interaction, name="Xhangxin Zoo")
    assert "Did you mean: Zhanxing Zhu" in str(error.value)


async def test_search_not_found_suggests_titles(interaction: FakeInteraction, catalog: Catalog) -> None:
    with pytest.raises(UserError) as error:
        await Search.search.callback(Search(catalog), interaction, text="monoflwo")
    assert "Did you mean: *MonoFlow" in str(error.value)


async def test_random_with_another_and_filters(
    interaction: FakeInteraction, client: Any, catalog: Catalog
) -> None:
    await RandomPaper.random.callback(RandomPaper(catalog), interaction, category="ML")
    (card,) = interaction.replies()
    assert card.kind == "send" and "stat.ML" in str(card.embed.to_dict())
    assert item_labels(card.view)[:3] == ["Another", "Abstract", "BibTeX"]
    assert custom_id(card.view, "Another") == "random:1001:stat.ML::"
    seen = [card.embed.footer.text]
    message = FakeMessage.of(card)
    for _ in range(6):
        click = FakeInteraction(client, message=message)
        match = AnotherButton.__discord_ui_compiled_template__.fullmatch(custom_id(card.view, "Another"))
        button = await AnotherButton.from_custom_id(click, discord.ui.Button(), match)  # type: ignore[arg-type]
        await button.callback(click)
        (edit,) = click.replies()
        assert edit.kind == "edit"
        seen.append(edit.embed.footer.text)
        message.components = FakeMessage.of(edit).components  # the card now shows the new paper
    assert len(set(seen)) == 7  # the seven stat.ML papers, none repeated


async def test_two_quick_clicks_on_another_do_not_share_a_set_with_the_worker(
    interaction: FakeInteraction, client: Any, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    await RandomPaper.random.callback(RandomPaper(catalog), interaction)
    (card,) = interaction.replies()
    message = FakeMessage.of(card)
    # The worker thread draws while another click on the same card records its paper: the set
    # the worker holds must not change under it ("Set changed size during iteration").
    real_pick = random_card.pick
    held: list[tuple[frozenset[str], frozenset[str]]] = []

    def pick_while_another_click_lands(*args: Any) -> Any:
        shown = args[-1]
        before = frozenset(shown)
        client.services.shown.add(message.id, "t-another-click")
        held.append((before, frozenset(shown)))
        return real_pick(*args)

    monkeypatch.setattr(random_card, "pick", pick_while_another_click_lands)
    clicks = [await press_later(client, card, message) for _ in range(3)]
    await asyncio.gather(*(c[1] for c in clicks))
    assert len(held) == 3 and all(before == after for before, after in held)
    assert all(len(c[0].replies()) == 1 and c[0].replies()[0].kind == "edit" for c in clicks)
    assert "t-another-click" in client.services.shown.of(message.id)


async def press_later(client: Any, card: Sent, message: FakeMessage) -> tuple[FakeInteraction, Any]:
    click = FakeInteraction(client, message=message)
    match = AnotherButton.__discord_ui_compiled_template__.fullmatch(custom_id(card.view, "Another"))
    button = await AnotherButton.from_custom_id(click, discord.ui.Button(), match)  # type: ignore[arg-type]
    return click, button.callback(click)


async def test_random_bad_filters(interaction: FakeInteraction, catalog: Catalog) -> None:
    with pytest.raises(UserError, match="after"):
        await RandomPaper.random.callback(RandomPaper(catalog), interaction, year_from=2020, year_to=2019)
    with pytest.raises(UserError, match="No paper matches"):
        await RandomPaper.random.callback(RandomPaper(catalog), interaction, category="cs.XX")


async def test_random_category_autocomplete(interaction: FakeInteraction, catalog: Catalog) -> None:
    choices = await RandomPaper(catalog).category_autocomplete(interaction, "graph")
    assert [(c.name, c.value) for c in choices] == [("cs.GR · Graphics", "cs.GR")]


async def test_search_pages_from_the_card_alone(
    interaction: FakeInteraction, client: Any, catalog: Catalog
) -> None:
    await Search.search.callback(Search(catalog), interaction, text="adversarial")
    (card,) = interaction.replies()
    assert card.embed.title == "Search: adversarial" and len(card.embed.fields) == 5
    assert card.embed.footer.text == "page 1 · more on the next page"
    (page_two,) = (await press(client, card, "Next")).replies()
    assert page_two.embed.fields[0].name.startswith("6. ")
    expected = [f"{n}. {m.paper.title}" for n, m in enumerate(catalog.search("adversarial", 10)[5:], 6)]
    assert [f.name for f in page_two.embed.fields] == expected[:5]
    # a card whose words no longer match its buttons is not paged with other words
    tampered = FakeMessage.of(card)
    tampered.embeds[0].url = "https://arxiv.org/search/?query=graph&searchtype=all"
    click = FakeInteraction(client, message=tampered)
    cid = custom_id(card.view, "Next")
    match = PageButton.__discord_ui_compiled_template__.fullmatch(cid)
    button = await PageButton.from_custom_id(click, discord.ui.Button(custom_id=cid), match)  # type: ignore[arg-type]
    await button.callback(click)
    (note,) = click.replies()
    assert note.ephemeral and "no longer be paged" in note.content


async def test_search_escapes_user_text(interaction: FakeInteraction, catalog: Catalog) -> None:
    with pytest.raises(UserError) as error:
        await Search.search.callback(Search(catalog), interaction, text="@everyone **zzzqqq**")
    assert "@everyone" not in str(error.value) and "\\*\\*" in str(error.value)


async def test_stats_and_help_are_ephemeral(
    interaction: FakeInteraction, client: Any, catalog: Catalog
) -> None:
    await Info.stats.callback(Info(catalog), interaction)
    assert interaction.replies()[0].ephemeral and "50 papers" in interaction.replies()[0].embed.description
    other = FakeInteraction(client)
    await Info.help.callback(Info(catalog), other)
    assert "/paper" in str(other.replies()[0].embed.to_dict())
