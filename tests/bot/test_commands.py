"""Cogs called directly with fake interactions: what is sent, to whom, and when."""

from __future__ import annotations

from typing import Any

import discord
import pytest

from commands.authors import Authors
from commands.info import Info
from commands.papers import Papers
from commands.random_paper import RandomPaper
from commands.search import Search
from commands.shared import UserError
from commands.views import AbstractButton, BibtexButton, PagedView, RandomView
from store.catalog import Catalog
from tests.bot.conftest import AlreadyResponded, FakeInteraction

YOPO = "You Only Propagate Once: Accelerating Adversarial Training via Maximal Principle"


def item_labels(view: discord.ui.View) -> list[str]:
    labels = []
    for item in view.children:
        inner = getattr(item, "item", item)  # DynamicItem wraps a Button
        labels.append(getattr(inner, "label", None) or type(inner).__name__)
    return labels


async def test_paper_autocomplete_offers_titles_with_ids(
    interaction: FakeInteraction, catalog: Catalog
) -> None:
    choices = await Papers().paper_autocomplete(interaction, "yopo")
    assert choices and choices[0].name.startswith("You Only Propagate Once")
    assert choices[0].name.endswith("Zhang et al., 2019") and len(choices[0].name) <= 100
    assert catalog.paper(choices[0].value).title == YOPO  # type: ignore[union-attr]
    many = await Papers().paper_autocomplete(interaction, "graph")
    assert 1 < len(many) <= 25
    assert await Papers().paper_autocomplete(interaction, "  ") == []


async def test_paper_picked_from_autocomplete_opens_exactly_that_paper(interaction: FakeInteraction) -> None:
    value = (await Papers().paper_autocomplete(interaction, "graph"))[3].value
    await Papers.paper.callback(Papers(), interaction, query=value)
    (card,) = interaction.replies()
    assert card.embed.footer.text == f"id {value}"


async def test_paper_typed_query_posts_a_public_card(interaction: FakeInteraction) -> None:
    await Papers.paper.callback(Papers(), interaction, query="yopo")
    assert interaction.sent[0].kind == "defer" and interaction.sent[0].kwargs["ephemeral"] is False
    (card,) = interaction.replies()
    assert card.kind == "followup" and not card.ephemeral
    assert card.embed.title == YOPO
    assert card.kwargs["allowed_mentions"].to_dict() == discord.AllowedMentions.none().to_dict()
    assert item_labels(card.view) == ["Abstract", "BibTeX", "Code"]
    code = card.view.children[2]
    assert code.url == "https://github.com/a1600012888/YOPO-You-Only-Propagate-Once"
    assert card.view.timeout is None  # persistent buttons


async def test_paper_private_option(interaction: FakeInteraction) -> None:
    await Papers.paper.callback(Papers(), interaction, query="yopo", private=True)
    assert interaction.sent[0].kwargs["ephemeral"] is True
    assert interaction.replies()[0].ephemeral


async def test_paper_not_found_suggests(interaction: FakeInteraction) -> None:
    with pytest.raises(UserError) as error:
        await Papers.paper.callback(Papers(), interaction, query="pontryagin maximal zebra")
    assert "No paper matches" in str(error.value) and "Did you mean" in str(error.value)
    assert "You Only Propagate Once" in str(error.value)


async def test_card_buttons_work_from_their_custom_id_alone(
    interaction: FakeInteraction, client: Any
) -> None:
    """After a restart only the custom_id is left: rebuild the button from it, click it."""
    paper_id = (await Papers().paper_autocomplete(interaction, "yopo"))[0].value
    button = AbstractButton(paper_id)
    match = AbstractButton.__discord_ui_compiled_template__.fullmatch(button.custom_id)
    rebuilt = await AbstractButton.from_custom_id(interaction, button.item, match)  # type: ignore[arg-type]
    await rebuilt.callback(interaction)
    (abstract,) = interaction.replies()
    assert abstract.ephemeral and abstract.content.startswith(f"**{YOPO}**")
    assert "Pontryagin" in abstract.content
    other = FakeInteraction(client)
    await BibtexButton(paper_id).callback(other)
    (bib,) = other.replies()
    assert bib.ephemeral and bib.content.startswith("```bibtex\n@misc{") and bib.content.endswith("```")


async def test_long_abstract_is_sent_in_several_ephemeral_messages(
    interaction: FakeInteraction, catalog: Catalog
) -> None:
    long_id = max(catalog.db.execute("select id, length(abstract) from papers"), key=lambda r: r[1])[0]
    await AbstractButton(long_id).callback(interaction)
    replies = interaction.replies()
    assert all(r.ephemeral and len(r.content) <= 2000 for r in replies)
    assert [r.kind for r in replies][:1] == ["send"] and all(r.kind == "followup" for r in replies[1:])


async def test_button_for_a_vanished_paper(interaction: FakeInteraction) -> None:
    await AbstractButton("t-000000000000").callback(interaction)
    (note,) = interaction.replies()
    assert note.ephemeral and note.content == "That paper is no longer in the catalog."


async def test_author_card_with_paging_and_menu(interaction: FakeInteraction, client: Any) -> None:
    choices = await Authors().author_autocomplete(interaction, "Zhu Zhanxing")
    assert choices[0].name == "Zhanxing Zhu (21 papers)"
    await Authors.author.callback(Authors(), interaction, name="zhanxin zhu")
    (card,) = interaction.replies()
    assert card.embed.title == "Zhanxing Zhu"
    assert card.embed.description == "21 papers · active 2018–2025"
    assert card.embed.fields[0].name.startswith("1. ViTE")
    assert "**Zhanxing Zhu**" in card.embed.fields[0].value
    view: PagedView = card.view
    assert item_labels(view) == ["Previous", "Next", "Select"] and view.previous.disabled
    assert card.embed.footer.text == "page 1 of 5"
    # Next, by the asker
    click = FakeInteraction(client)
    assert await view.interaction_check(click)
    await view.go_next(click)
    (edit,) = click.replies()
    assert edit.kind == "edit" and edit.embed.fields[0].name.startswith("6. ")
    # someone else may not page
    stranger = FakeInteraction(client, user_id=999)
    assert not await view.interaction_check(stranger)
    assert stranger.replies()[0].ephemeral
    # open a paper from the menu
    pick = FakeInteraction(client)
    view.menu._values = ["0"]  # what Discord sets when an option is chosen
    await view.open_paper(pick)
    assert pick.replies()[0].embed.title == view.papers[0].title


async def test_author_not_found(interaction: FakeInteraction) -> None:
    with pytest.raises(UserError, match="No author matches"):
        await Authors.author.callback(Authors(), interaction, name="Nobody Atall")


async def test_author_not_found_suggests_near_names(interaction: FakeInteraction) -> None:
    with pytest.raises(UserError) as error:
        await Authors.author.callback(Authors(), interaction, name="Xhangxin Zoo")
    assert "Did you mean: Zhanxing Zhu" in str(error.value)


async def test_search_not_found_suggests_titles(interaction: FakeInteraction) -> None:
    with pytest.raises(UserError) as error:
        await Search.search.callback(Search(), interaction, text="monoflwo")
    assert "Did you mean: *MonoFlow" in str(error.value)


async def test_random_with_another_and_filters(interaction: FakeInteraction, client: Any) -> None:
    await RandomPaper.random.callback(RandomPaper(), interaction, category="ML")
    assert interaction.sent[0].kind == "defer"
    (card,) = interaction.replies()
    assert card.kind == "followup" and "stat.ML" in str(card.embed.to_dict())
    view: RandomView = card.view
    assert item_labels(view)[:3] == ["Another", "Abstract", "BibTeX"]
    seen = {card.embed.footer.text}
    for _ in range(6):
        click = FakeInteraction(client)
        await view.another(click)
        seen.add(click.replies()[0].embed.footer.text)
    assert len(seen) == 7  # the seven stat.ML papers, none repeated
    await view.on_timeout()
    assert view.another_button.disabled


async def test_random_bad_filters(interaction: FakeInteraction) -> None:
    with pytest.raises(UserError, match="after"):
        await RandomPaper.random.callback(RandomPaper(), interaction, year_from=2020, year_to=2019)
    with pytest.raises(UserError, match="No paper matches"):
        await RandomPaper.random.callback(RandomPaper(), interaction, category="cs.XX")


async def test_random_category_autocomplete(interaction: FakeInteraction) -> None:
    choices = await RandomPaper().category_autocomplete(interaction, "graph")
    assert [(c.name, c.value) for c in choices] == [("cs.GR · Graphics", "cs.GR")]


async def test_search_pages(interaction: FakeInteraction, client: Any) -> None:
    await Search.search.callback(Search(), interaction, text="adversarial")
    (card,) = interaction.replies()
    assert card.embed.title == "Search: adversarial" and len(card.embed.fields) == 5
    view: PagedView = card.view
    click = FakeInteraction(client)
    await view.go_next(click)
    assert click.replies()[0].embed.fields[0].name.startswith("6. ")


async def test_search_escapes_user_text(interaction: FakeInteraction) -> None:
    with pytest.raises(UserError) as error:
        await Search.search.callback(Search(), interaction, text="@everyone **zzzqqq**")
    assert "@everyone" not in str(error.value) and "\\*\\*" in str(error.value)


async def test_stats_and_help_are_ephemeral(interaction: FakeInteraction, client: Any) -> None:
    await Info.stats.callback(Info(), interaction)
    assert interaction.replies()[0].ephemeral and "50 papers" in interaction.replies()[0].embed.description
    other = FakeInteraction(client)
    await Info.help.callback(Info(), other)
    assert "/paper" in str(other.replies()[0].embed.to_dict())


async def test_fake_refuses_a_second_initial_response(interaction: FakeInteraction) -> None:
    await interaction.response.send_message("one")
    with pytest.raises(AlreadyResponded):
        await interaction.response.send_message("two")
