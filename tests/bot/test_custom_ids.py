"""The custom_id codec: what a control writes is what its template reads and what the chat reads back."""

from __future__ import annotations

import importlib
import pkgutil
import re
from typing import Any

import discord
from hypothesis import given
from hypothesis import strategies as st

import commands
from commands.ui import custom_ids
from commands.ui.dynamic_items import DYNAMIC_ITEMS
from commands.ui.more_button import MoreButton, list_page
from commands.ui.paging import AuthorMenu, OpenMenu, PageButton, author_card, search_card
from commands.ui.random_card import AnotherButton, random_card
from commands.ui.views import CardButton, ShareButton, paper_card, with_share
from store.catalog.catalog import Catalog
from tests.bot.conftest import FakeMessage

owners = st.integers(min_value=0, max_value=2**64 - 1)
paper_ids = st.text(
    st.characters(blacklist_characters=":", blacklist_categories=("Cs",)), min_size=1, max_size=80
)
years = st.none() | st.integers(min_value=1900, max_value=2100)
categories = st.none() | st.from_regex(r"[a-z]{2,8}(\.[A-Z]{2})?", fullmatch=True)


def read(template: str, custom_id: str) -> dict[str, str]:
    match = re.fullmatch(template, custom_id)
    assert match is not None, (template, custom_id)
    assert len(custom_id) <= custom_ids.MAX_LENGTH
    return match.groupdict()


@given(st.sampled_from(["abstract", "bibtex"]), paper_ids)
def test_card_buttons_round_trip(kind: Any, paper_id: str) -> None:
    assert read(custom_ids.CARD_BUTTON, custom_ids.card_button(kind, paper_id)) == {
        "kind": kind,
        "id": paper_id,
    }


@given(owners)
def test_owner_only_ids_round_trip(owner: int) -> None:
    for template, build in (
        (custom_ids.SHARE, custom_ids.share),
        (custom_ids.OPEN_MENU, custom_ids.open_menu),
        (custom_ids.AUTHOR_MENU, custom_ids.author_menu),
    ):
        assert read(template, build(owner)) == {"owner": str(owner)}


@given(
    st.sampled_from([custom_ids.AUTHOR_PAGES, custom_ids.SEARCH_PAGES]),
    st.integers(min_value=0, max_value=2**63 - 1),
    st.integers(min_value=0, max_value=9999),
    owners,
    st.booleans(),
)
def test_page_buttons_round_trip(kind: str, key: int, page: int, owner: int, forward: bool) -> None:
    got = read(custom_ids.PAGE, custom_ids.page(kind, custom_ids.author_key(key), page, owner, forward))
    assert got == {
        "kind": kind,
        "key": f"{key:x}",
        "page": str(page),
        "owner": str(owner),
        "dir": "np"[not forward],
    }
    assert int(got["key"], 16) == key


@given(owners, st.integers(min_value=0, max_value=999))
def test_more_round_trips(owner: int, start: int) -> None:
    assert read(custom_ids.MORE, custom_ids.more(owner, start)) == {"owner": str(owner), "start": str(start)}


@given(owners, categories, years, years)
def test_another_round_trips(owner: int, category: str | None, start: int | None, end: int | None) -> None:
    got = read(custom_ids.ANOTHER, custom_ids.another(owner, category, start, end))
    assert got["owner"] == str(owner)
    assert (got["category"] or None, got["start"] or None, got["end"] or None) == (
        category,
        None if start is None else str(start),
        None if end is None else str(end),
    )


def test_every_control_matches_with_the_codecs_template() -> None:
    templates = {
        CardButton: custom_ids.CARD_BUTTON,
        ShareButton: custom_ids.SHARE,
        PageButton: custom_ids.PAGE,
        OpenMenu: custom_ids.OPEN_MENU,
        AuthorMenu: custom_ids.AUTHOR_MENU,
        AnotherButton: custom_ids.ANOTHER,
        MoreButton: custom_ids.MORE,
    }
    for cls, template in templates.items():
        assert cls.__discord_ui_compiled_template__.pattern == template, cls


def test_every_dynamic_item_is_registered_once() -> None:
    """A control left out of the registry renders, but nobody hears its clicks after a restart."""
    for module in pkgutil.walk_packages(commands.__path__, "commands."):
        importlib.import_module(module.name)

    def subclasses(cls: type) -> set[type]:
        return {s for c in cls.__subclasses__() for s in {c} | subclasses(c)}

    ours = {c for c in subclasses(discord.ui.DynamicItem) if c.__module__.startswith("commands.")}
    assert ours == set(DYNAMIC_ITEMS)
    assert len(DYNAMIC_ITEMS) == len(set(DYNAMIC_ITEMS))


def test_the_chat_reads_back_what_the_cards_carry(catalog: Catalog) -> None:
    papers = catalog.find_papers("adversarial training", limit=3)
    one = papers[0].paper
    assert custom_ids.papers_on(FakeMessage(view=paper_card(one).view)) == [one.id]  # type: ignore[arg-type]
    shared = with_share(paper_card(one), 7)
    assert custom_ids.papers_on(FakeMessage(view=shared.view)) == [one.id]  # type: ignore[arg-type]
    listed = list_page("three", [m.paper for m in papers], 7, len(papers), len(papers))
    assert custom_ids.papers_on(FakeMessage(view=listed.view)) == [m.paper.id for m in papers]  # type: ignore[arg-type]
    drawn = random_card(one, 7, "cs.LG", 2019, None)
    assert custom_ids.papers_on(FakeMessage(view=drawn.view)) == [one.id]  # type: ignore[arg-type]
    assert custom_ids.author_on(FakeMessage(view=drawn.view)) is None  # type: ignore[arg-type]

    (author,) = catalog.find_authors("Zhanxing Zhu", limit=1)
    profile = catalog.author_profile(author.id, 5, None, 0)
    assert profile is not None and profile.paper_count > 5  # paged: the page buttons carry the author
    card = author_card(profile, 0, 7)
    assert custom_ids.author_on(FakeMessage(view=card.view)) == author.id  # type: ignore[arg-type]
    assert custom_ids.papers_on(FakeMessage(view=card.view)) == [p.id for p in profile.papers]  # type: ignore[arg-type]
    searched = search_card("adversarial", catalog.search("adversarial", limit=11), 0, 7)
    assert custom_ids.author_on(FakeMessage(view=searched.view)) is None  # type: ignore[arg-type]
