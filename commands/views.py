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

from commands import cards
from commands.errors import report
from commands.respond import Card, in_time, send
from commands.shared import UserError, off_loop, services_of
from store.catalog import Catalog
from store.models import Paper

_ID = r"(?P<id>[^:]{1,80})"
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


async def load_paper(interaction: discord.Interaction[Any], paper_id: str, *, update: bool = False) -> Paper:
    paper = await in_time(
        interaction, off_loop(catalog_for(interaction).paper, paper_id), ephemeral=True, update=update
    )
    if paper is None:
        raise UserError("That paper is no longer in the catalog.")
    return paper


class CardButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]], template=rf"paper:(?P<kind>abstract|bibtex):{_ID}"
):
    """Abstract or BibTeX of the card's paper, shown to the clicker only."""

    LABELS: ClassVar[dict[str, str]] = {"abstract": "Abstract", "bibtex": "BibTeX"}

    def __init__(self, kind: str, paper_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label=self.LABELS[kind],
                style=discord.ButtonStyle.secondary,
                custom_id=f"paper:{kind}:{paper_id}",
            )
        )
        self.kind = kind
        self.paper_id = paper_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Button[Any], match: re.Match[str]
    ) -> CardButton:
        return cls(match["kind"], match["id"])

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._show(interaction), f"{self.kind} button")

    async def _show(self, interaction: discord.Interaction[Any]) -> None:
        paper = await load_paper(interaction, self.paper_id)
        if self.kind == "abstract":
            card = Card(embed=cards.abstract_embed(paper))
        else:
            card = Card(content=f"```bibtex\n{cards.bibtex(paper)}\n```")
        await send(interaction, card, ephemeral=True)


def add_card_buttons(view: discord.ui.View, paper: Paper) -> discord.ui.View:
    """Abstract, BibTeX and (when there is one) a Code link."""
    view.add_item(CardButton("abstract", paper.id))
    view.add_item(CardButton("bibtex", paper.id))
    if paper.code_url:
        view.add_item(discord.ui.Button(label="Code", style=discord.ButtonStyle.link, url=paper.code_url))
    return view


def card_view(paper: Paper) -> discord.ui.View:
    """The buttons of a plain card: persistent, so no timeout."""
    return add_card_buttons(discord.ui.View(timeout=None), paper)


def paper_card(paper: Paper, highlight: str | None = None) -> Card:
    return Card(embed=cards.paper_embed(paper, highlight), view=card_view(paper))
