"""Paged answers (an author's papers, search results) and the "Open a paper…" menu.

A page button's ``custom_id`` says what is paged (an author id, or a search whose words ride
along in the card's title link), which page it leads to and who may press it, so paging works
on any card the bot ever posted, after any restart.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence
from typing import Any

import discord

from commands.ui import cards, custom_ids
from commands.ui.respond import Card, in_time, send, update
from commands.ui.shared import UserError, off_loop
from commands.ui.views import catalog_for, guarded, load_paper, owner_only, paper_card
from store.catalog.catalog import Catalog
from store.catalog.models import AuthorMatch, AuthorProfile, Paper, PaperMatch
from store.text import clip, plural

PER_PAGE = 5
MAX_SEARCH_PAGES = 10


def search_key(query: str) -> str:
    """A short check that the words read back from a card are the ones its buttons were made for."""
    return f"{zlib.crc32(query.encode()):08x}"


class PageButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=custom_ids.PAGE,
):
    """Previous or Next: leads to ``page`` of an author's papers or of a search."""

    def __init__(self, kind: str, key: str, page: int, owner_id: int, forward: bool, disabled: bool) -> None:
        super().__init__(
            discord.ui.Button(
                label="Next" if forward else "Previous",
                style=discord.ButtonStyle.secondary,
                custom_id=custom_ids.page(kind, key, page, owner_id, forward),
                disabled=disabled,
            )
        )
        self.kind, self.key, self.page, self.owner_id = kind, key, page, owner_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> PageButton:
        return cls(
            match["kind"], match["key"], int(match["page"]), int(match["owner"]), match["dir"] == "n", False
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._turn(interaction), "page button")

    async def _turn(self, interaction: discord.Interaction[Any]) -> None:
        if not await owner_only(interaction, self.owner_id):
            return
        catalog = catalog_for(interaction)
        if self.kind == custom_ids.AUTHOR_PAGES:
            author_id = int(self.key, 16)
            profile = await in_time(
                interaction, off_loop(author_page, catalog, author_id, self.page), ephemeral=True, update=True
            )
            await update(interaction, author_card(profile, self.page, self.owner_id))
            return
        embeds = interaction.message.embeds if interaction.message else []
        query = cards.query_of_search_url(embeds[0].url) if embeds else None
        if query is None or search_key(query) != self.key:
            raise UserError("This search can no longer be paged; run it again.")
        found = await in_time(
            interaction, off_loop(search_page, catalog, query, self.page), ephemeral=True, update=True
        )
        await update(interaction, search_card(query, found, self.page, self.owner_id))


def _menu(placeholder: str, custom_id: str, options: list[discord.SelectOption]) -> discord.ui.Select[Any]:
    return discord.ui.Select(
        placeholder=placeholder, custom_id=custom_id, min_values=1, max_values=1, options=options
    )


def _privately(interaction: discord.Interaction[Any], owner_id: int) -> bool:
    """What a menu opens is shown like the list to whoever asked for it, privately to anyone else."""
    listed_privately = bool(interaction.message and interaction.message.flags.ephemeral)
    return listed_privately or interaction.user.id != owner_id


class OpenMenu(discord.ui.DynamicItem[discord.ui.Select[Any]], template=custom_ids.OPEN_MENU):
    """Opens one listed paper: in the list's visibility for whoever asked, privately for others."""

    def __init__(self, owner_id: int, papers: Sequence[Paper] = ()) -> None:
        options = [
            discord.SelectOption(
                label=clip(p.display_title, 100),
                value=p.id,
                description=clip(cards.choice_name(p)[-100:], 100),
            )
            for p in papers[:25]
        ]
        super().__init__(_menu("Open a paper…", custom_ids.open_menu(owner_id), options))
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> OpenMenu:
        return cls(int(match["owner"]))  # discord.py then fills in the chosen values

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._open(interaction), "paper menu")

    async def _open(self, interaction: discord.Interaction[Any]) -> None:
        values = self.item.values
        if not values:
            return
        paper = await load_paper(interaction, values[0])
        await send(interaction, paper_card(paper), ephemeral=_privately(interaction, self.owner_id))


class AuthorMenu(discord.ui.DynamicItem[discord.ui.Select[Any]], template=custom_ids.AUTHOR_MENU):
    """Several authors share a name: pick one to open their card (paged, for whoever asked)."""

    def __init__(self, owner_id: int, authors: Sequence[AuthorMatch] = ()) -> None:
        options = [
            discord.SelectOption(
                label=clip(a.name, 100), value=str(a.id), description=plural(a.paper_count, "paper")
            )
            for a in authors[:25]
        ]
        super().__init__(_menu("Which one?", custom_ids.author_menu(owner_id), options))
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AuthorMenu:
        return cls(int(match["owner"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._open(interaction), "author menu")

    async def _open(self, interaction: discord.Interaction[Any]) -> None:
        values = self.item.values
        if not values or not values[0].isdigit():
            return
        profile = await in_time(
            interaction, off_loop(author_page, catalog_for(interaction), int(values[0]), 0), ephemeral=True
        )
        private = _privately(interaction, self.owner_id)
        await send(interaction, author_card(profile, 0, interaction.user.id), ephemeral=private)


# --- the pages -----------------------------------------------------------------------------------


def author_page(catalog: Catalog, author_id: int, page: int, match: float | None = None) -> AuthorProfile:
    """One page of an author's card (blocking: run it off the event loop)."""
    profile = catalog.author_profile(author_id, PER_PAGE, match, page * PER_PAGE)
    if profile is None:
        raise UserError("That author is no longer in the catalog.")
    return profile


def search_page(catalog: Catalog, query: str, page: int) -> list[PaperMatch]:
    """One page of results, plus the first of the next page when there is one."""
    return catalog.search(query, PER_PAGE + 1, offset=page * PER_PAGE)


def _page_buttons(view: discord.ui.View, kind: str, key: str, page: int, pages: int, owner_id: int) -> None:
    if pages > 1:
        view.add_item(PageButton(kind, key, max(page - 1, 0), owner_id, False, disabled=page == 0))
        view.add_item(
            PageButton(kind, key, min(page + 1, pages - 1), owner_id, True, disabled=page >= pages - 1)
        )


def author_card(profile: AuthorProfile, page: int, owner_id: int) -> Card:
    view = discord.ui.View(timeout=None)
    pages = cards.page_count(profile.paper_count, PER_PAGE)
    _page_buttons(view, custom_ids.AUTHOR_PAGES, custom_ids.author_key(profile.id), page, pages, owner_id)
    if profile.papers:
        view.add_item(OpenMenu(owner_id, profile.papers))
    return Card(embed=cards.author_embed(profile, page, PER_PAGE), view=view)


def search_card(query: str, found: Sequence[PaperMatch], page: int, owner_id: int) -> Card:
    shown = list(found[:PER_PAGE])
    more = len(found) > PER_PAGE and page + 1 < MAX_SEARCH_PAGES
    view = discord.ui.View(timeout=None)
    _page_buttons(
        view, custom_ids.SEARCH_PAGES, search_key(query), page, page + 2 if more else page + 1, owner_id
    )
    if shown:
        view.add_item(OpenMenu(owner_id, [m.paper for m in shown]))
    return Card(embed=cards.search_embed(query, shown, page, PER_PAGE, more), view=view)
