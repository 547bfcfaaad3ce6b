"""The More button under a chat answer's list: the next papers of that answer, page by page.

Its ``custom_id`` holds who asked and where the next page starts; the papers themselves are
what the chat remembered the answer was about (``store.chat.memory``), kept with the message
id for 30 days, so the button works after a restart too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import discord

from commands.ui import cards, custom_ids
from commands.ui.paging import OpenMenu
from commands.ui.respond import Card, in_time, update
from commands.ui.shared import UserError, off_loop, utc_now
from commands.ui.views import catalog_for, guarded, owner_only
from store.catalog.catalog import Catalog
from store.catalog.models import Paper
from store.chat.answer_model import MAX_PAPERS
from store.chat.memory import AnswerMemory


class MoreButton(discord.ui.DynamicItem[discord.ui.Button[Any]], template=custom_ids.MORE):
    """The next ``MAX_PAPERS`` papers of the list this button is under, for whoever asked."""

    def __init__(self, owner_id: int, start: int) -> None:
        super().__init__(
            discord.ui.Button(
                label="More", style=discord.ButtonStyle.secondary, custom_id=custom_ids.more(owner_id, start)
            )
        )
        self.owner_id, self.start = owner_id, start

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction[Any], item: discord.ui.Item[Any], match: re.Match[str]
    ) -> MoreButton:
        return cls(int(match["owner"]), int(match["start"]))

    async def callback(self, interaction: discord.Interaction[Any]) -> None:
        await guarded(interaction, self._more(interaction), "more button")

    async def _more(self, interaction: discord.Interaction[Any]) -> None:
        if not await owner_only(interaction, self.owner_id) or interaction.message is None:
            return
        catalog = catalog_for(interaction)
        found = await in_time(
            interaction,
            off_loop(next_page, catalog, interaction.message.id, self.start),
            ephemeral=True,
            update=True,
        )
        papers, total = found
        if not papers:
            raise UserError("I no longer know what that list held (answers are kept 30 days): ask again?")
        lead = f"Papers {self.start + 1}–{self.start + len(papers)} of {total}"
        await update(interaction, list_page(lead, papers, self.owner_id, self.start + len(papers), total))


def next_page(catalog: Catalog, message_id: int, start: int) -> tuple[list[Paper], int]:
    """The papers of a remembered answer from ``start`` on (a page), and how many it holds."""
    about = AnswerMemory(catalog).recall(message_id, utc_now())
    if about is None:
        return [], 0
    ids = about.paper_ids
    papers = [p for p in (catalog.paper(i) for i in ids[start : start + MAX_PAPERS]) if p is not None]
    return papers, len(ids)


def list_page(lead: str, papers: Sequence[Paper], owner_id: int, shown: int, total: int) -> Card:
    """A list of papers with a menu to open one, and More while the answer holds more."""
    view = discord.ui.View(timeout=None)
    if papers:
        view.add_item(OpenMenu(owner_id, papers))
    if shown < total:
        view.add_item(MoreButton(owner_id, shown))
    return Card(embed=cards.list_embed(lead, papers[:MAX_PAPERS]), view=view)
