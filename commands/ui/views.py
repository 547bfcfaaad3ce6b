"""The controls under the cards, every one of them persistent.

All state a control needs lives in its ``custom_id`` (discord.py ``DynamicItem``): a card
posted before a restart or a deploy keeps working, and the bot holds no view in memory.
Paging and "Another" carry the id of whoever asked and answer only them.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable
from typing import Any, ClassVar

import discord

from commands.ui import cards, custom_ids
from commands.ui.errors import report
from commands.ui.respond import Card, in_time, send
from commands.ui.shared import UserError, off_loop, services_of
from store.catalog.catalog import Catalog
from store.catalog.models import Paper
from store.text import clean_code_url

NOT_YOURS = "These controls belong to whoever asked; ask yourself to get your own."


def catalog_for(interaction: discord.Interaction[Any]) -> Catalog:
    return services_of(interaction.client).catalog


async def guarded(interaction: discord.Interaction[Any], work: Awaitable[None], where: str) -> None:
    """Run a control's work; user errors and bugs are reported privately, as for commands.

    Persistent items are dispatched outside any command, so the command tree's handler
    never sees their errors.
    """
    try:
        await work
    except Exception as error:
        await report(interaction, error, where)


async def owner_only(interaction: discord.Interaction[Any], owner_id: int) -> bool:
    """True for whoever asked; anyone else gets a private note instead of the control."""
    if interaction.user.id == owner_id:
        return True
    await send(interaction, Card(content=NOT_YOURS), ephemeral=True)
    return False


async def load_paper(interaction: discord.Interaction[Any], paper_id: str) -> Paper:
    """A paper a control names, read in time; gone from the catalog is a user error."""
    paper = await in_time(interaction, off_loop(catalog_for(interaction).paper, paper_id), ephemeral=True)
    if paper is None:
        raise UserError("That paper is no longer in the catalog.")
    return paper


class CardButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=custom_ids.CARD_BUTTON):
    """Abstract or BibTeX of the card's paper, shown to the clicker only."""

    LABELS: ClassVar[dict[str, str]] = {"abstract": "Abstract", "bibtex": "BibTeX"}

    def __init__(self, kind: custom_ids.CardKind, paper_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.LABELS[kind],
                style=discord.ButtonStyle.secondary,
                custom_id=custom_ids.card_button(kind, paper_id),
            )
        )
        self.kind = kind
        self.paper_id = paper_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> CardButton:
        return cls("bibtex" if match["kind"] == "bibtex" else "abstract", match["id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._show(interaction), f"{self.kind} button")

    async def _show(self, interaction: discord.Interaction[Any]) -> None:
        paper = await load_paper(interaction, self.paper_id)
        if self.kind == "abstract":
            card = Card(embed=cards.abstract_embed(paper))
        else:
            card = Card(content=cards.bibtex_message(paper))
        await send(interaction, card, ephemeral=True)


def add_card_buttons(view: discord.ui.View, paper: Paper) -> discord.ui.View:
    """Abstract, BibTeX and (when there is one) a Code link."""
    view.add_item(CardButton("abstract", paper.id))
    view.add_item(CardButton("bibtex", paper.id))
    if paper.code_url:
        url = clean_code_url(paper.code_url)  # a stored link may still end in ".git"
        view.add_item(discord.ui.Button(label="Code", style=discord.ButtonStyle.link, url=url))
    return view


def card_view(paper: Paper) -> discord.ui.View:
    """The buttons of a plain card: persistent, so no timeout."""
    return add_card_buttons(discord.ui.View(timeout=None), paper)


def paper_card(paper: Paper, highlight: str | None = None) -> Card:
    return Card(embed=cards.paper_embed(paper, highlight), view=card_view(paper))


class ShareButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=custom_ids.SHARE):
    """Posts a private answer in the channel, as its owner, where they may post.

    The answer is copied from the private message itself (its embeds and controls), so the
    button needs no state and works after a restart. In a chat where the app is only
    installed to the user's account, the post goes through the interaction: the bot is not
    in that chat and could not post there itself.
    """

    def __init__(self, owner_id: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="Share", style=discord.ButtonStyle.success, custom_id=custom_ids.share(owner_id)
            )
        )
        self.owner_id = owner_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> ShareButton:
        return cls(int(match["owner"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._share(interaction), "share button")

    async def _share(self, interaction: discord.Interaction[Any]) -> None:
        message = interaction.message
        if not await owner_only(interaction, self.owner_id) or message is None:
            return
        view = discord.ui.View.from_message(message, timeout=None)
        for item in list(view.children):
            if getattr(item, "custom_id", None) == self.custom_id:
                view.remove_item(item)
        card = Card(content=message.content or None, embed=message.embeds[0] if message.embeds else None)
        card.view = view if view.children else None
        await send(interaction, card, ephemeral=False)


def with_share(card: Card, owner_id: int) -> Card:
    """A private answer's controls, plus Share."""
    view = card.view or discord.ui.View(timeout=None)
    view.add_item(ShareButton(owner_id))
    card.view = view
    return card
