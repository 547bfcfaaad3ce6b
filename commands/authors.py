"""/author: an author's papers, years, categories and co-authors, paged."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext.commands import Bot, Cog

from commands.ui.best_match import AUTHOR_CHOICE, author_choice_name, best_author
from commands.ui.paging import author_card, author_page
from commands.ui.run_lookup import run_lookup
from commands.ui.shared import off_loop, per_person_cooldown, services_of
from store.catalog.catalog import Catalog
from store.catalog.models import AuthorProfile


class Authors(Cog):
    """Author lookups: names typed any which way (typos, reversed, initials, accents)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    @app_commands.command(name="author", description="Show an author's papers, years active and co-authors")
    @app_commands.describe(
        name="The author's name: typos, reversed order (Zhu Zhanxing) and initials (Z. Zhu) are fine",
        private="Show the card to you only (default: post it in the channel)",
    )
    @per_person_cooldown()
    async def author(
        self,
        interaction: discord.Interaction[Any],
        name: app_commands.Range[str, 1, 200],
        private: bool = False,
    ) -> None:
        def find() -> AuthorProfile:
            author_id, match = best_author(self.catalog, name)
            return author_page(self.catalog, author_id, 0, match)

        owner = interaction.user.id
        await run_lookup(interaction, find, lambda profile: author_card(profile, 0, owner), private=private)

    @author.autocomplete("name")
    async def author_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        if not current.strip():
            return []
        found = await off_loop(self.catalog.find_authors, current, 25, complete=True)
        return [
            app_commands.Choice(name=author_choice_name(a), value=f"{AUTHOR_CHOICE}{a.id}") for a in found
        ]


async def setup(bot: Bot) -> None:
    await bot.add_cog(Authors(services_of(bot).catalog))
