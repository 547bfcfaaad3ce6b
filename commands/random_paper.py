"""/random: a random paper, optionally from one category and a range of years."""

from __future__ import annotations

import re
from typing import Any

import discord
from discord import app_commands
from discord.ext.commands import Bot, Cog

from commands import cards
from commands.answering import answer
from commands.respond import Card, in_time, update
from commands.shared import UserError, off_loop, per_person_cooldown, services_of
from commands.views import add_card_buttons, guarded, owner_only, papers_on
from store import categories
from store.catalog.catalog import Catalog
from store.catalog.models import Paper


class AnotherButton(
    discord.ui.DynamicItem[discord.ui.Button[Any]],
    template=r"random:(?P<owner>\d{1,20}):(?P<category>[^:]{0,40}):(?P<start>\d{0,4}):(?P<end>\d{0,4})",
):
    """Another paper with the same filters, for whoever asked; the filters ride in the custom_id."""

    def __init__(self, owner_id: int, category: str | None, start: int | None, end: int | None) -> None:
        custom_id = f"random:{owner_id}:{category or ''}:{start or ''}:{end or ''}"
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
        for paper_id in papers_on(interaction.message)[:1]:  # the card's paper
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


class RandomPaper(Cog):
    """Serendipity for a reading group, with an Another button for the asker."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @app_commands.command(name="random", description="Show a random paper from the catalog")
    @app_commands.describe(
        category="A category such as cs.LG (or just LG)",
        year_from="The earliest year",
        year_to="The latest year",
        private="Show the card to you only (default: post it in the channel)",
    )
    @per_person_cooldown()
    async def random(
        self,
        interaction: discord.Interaction[Any],
        category: app_commands.Range[str, 1, 40] | None = None,
        year_from: app_commands.Range[int, 1900, 2100] | None = None,
        year_to: app_commands.Range[int, 1900, 2100] | None = None,
        private: bool = False,
    ) -> None:
        if year_from is not None and year_to is not None and year_from > year_to:
            raise UserError("`year_from` is after `year_to`.")
        resolved = categories.resolve(category) if category else None

        def find() -> Paper:
            paper = self.catalog.random_paper(resolved, year_from, year_to)
            if paper is None:
                raise UserError("No paper matches those filters.")
            return paper

        owner = interaction.user.id
        await answer(
            interaction, find, lambda p: random_card(p, owner, resolved, year_from, year_to), private=private
        )

    @random.autocomplete("category")
    async def category_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        used = await off_loop(self.catalog.categories_in_use)
        wanted = current.strip().lower()
        return [
            app_commands.Choice(name=cards.clip(categories.label(c), 100), value=c)
            for c in used
            if wanted in c.lower() or wanted in (categories.name_of(c) or "").lower()
        ][:25]


async def setup(bot: Bot) -> None:
    bot.add_dynamic_items(AnotherButton)
    await bot.add_cog(RandomPaper(services_of(bot).catalog))
