"""A random paper's card and its Another button, which draws again with the same filters."""

from __future__ import annotations

import re
from typing import Any

import discord

from commands.ui import cards, custom_ids
from commands.ui.respond import Card, in_time, update
from commands.ui.shared import UserError, off_loop, services_of
from commands.ui.views import add_card_buttons, guarded, owner_only
from store.catalog.catalog import Catalog
from store.catalog.models import Paper


class AnotherButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=custom_ids.ANOTHER,
):
    """Another paper with the same filters, for whoever asked; the filters ride in the custom_id."""

    def __init__(self, owner_id: int, category: str | None, start: int | None, end: int | None) -> None:
        custom_id = custom_ids.another(owner_id, category, start, end)
        super().__init__(
            discord.ui.Button(label="Another", style=discord.ButtonStyle.primary, custom_id=custom_id)
        )
        self.owner_id, self.category, self.start, self.end = owner_id, category, start, end

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> AnotherButton:
        return cls(
            int(match["owner"]),
            match["category"] or None,
            int(match["start"]) if match["start"] else None,
            int(match["end"]) if match["end"] else None,
        )

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._another(interaction), "another button")

    async def _another(self, interaction: discord.Interaction[Any]) -> None:
        if not await owner_only(interaction, self.owner_id) or interaction.message is None:
            return
        services = services_of(interaction.client)
        message_id = interaction.message.id
        for paper_id in custom_ids.papers_on(interaction.message)[:1]:  # the card's paper
            services.shown.add(message_id, paper_id)
        shown = services.shown.of(message_id)
        paper = await in_time(
            interaction,
            off_loop(pick, services.catalog, self.category, self.start, self.end, shown),
            ephemeral=True,
            update=True,
        )
        if paper is None:
            raise UserError("No other paper matches those filters.")
        services.shown.add(message_id, paper.id)
        await update(interaction, random_card(paper, self.owner_id, self.category, self.start, self.end))


def pick(
    catalog: Catalog, category: str | None, start: int | None, end: int | None, shown: frozenset[str]
) -> Paper | None:
    """A paper not shown on this card yet; once every match was shown, any match again."""
    paper = catalog.random_paper(category, start, end, exclude=shown)
    if paper is None and shown:
        paper = catalog.random_paper(category, start, end)
    return paper


def random_card(
    paper: Paper, owner_id: int, category: str | None, start: int | None, end: int | None
) -> Card:
    view = discord.ui.View(timeout=None)
    view.add_item(AnotherButton(owner_id, category, start, end))
    add_card_buttons(view, paper)
    return Card(embed=cards.paper_embed(paper), view=view)
