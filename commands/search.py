"""/search: full-text search over titles and abstracts, paged, with a menu to open a result."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext.commands import Bot, Cog

from commands.ui.best_match import search_hint
from commands.ui.paging import search_card, search_page
from commands.ui.run_lookup import run_lookup
from commands.ui.shared import per_person_cooldown, services_of
from store.catalog.catalog import Catalog
from store.catalog.models import PaperMatch


class Search(Cog):
    """Topic search: what people reach for when they remember no title."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @app_commands.command(name="search", description="Search the titles and abstracts of the catalog")
    @app_commands.describe(
        text="Words to look for (all must match; quotes and operators are taken literally)",
        private="Show the results to you only (default: post them in the channel)",
    )
    @per_person_cooldown()
    async def search(
        self,
        interaction: discord.Interaction[Any],
        text: app_commands.Range[str, 1, 200],
        private: bool = False,
    ) -> None:
        def find() -> list[PaperMatch]:
            found = search_page(self.catalog, text, 0)
            if not found:
                raise search_hint(self.catalog, text)
            return found

        owner = interaction.user.id
        await run_lookup(interaction, find, lambda found: search_card(text, found, 0, owner), private=private)


async def setup(bot: Bot) -> None:
    await bot.add_cog(Search(services_of(bot).catalog))
