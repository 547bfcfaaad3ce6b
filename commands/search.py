"""/search: full-text search over titles and abstracts, paged, with a menu to open a result."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext.commands import Bot, Cog

from commands import cards
from commands.shared import UserError, catalog_of, off_loop, reply
from commands.views import PagedView
from store.models import Paper

PER_PAGE = 5
MAX_PAGES = 10


class Search(Cog):
    """Topic search: what people reach for when they remember no title."""

    @app_commands.command(name="search", description="Search the titles and abstracts of the catalog")
    @app_commands.describe(
        text="Words to look for (all must match; quotes and operators are taken literally)",
        private="Show the results to you only (default: post them in the channel)",
    )
    @app_commands.checks.cooldown(5, 10.0, key=lambda i: i.user.id)
    async def search(
        self,
        interaction: discord.Interaction[Any],
        text: app_commands.Range[str, 1, 200],
        private: bool = False,
    ) -> None:
        await interaction.response.defer(ephemeral=private, thinking=True)
        catalog = catalog_of(interaction)
        # One query for all pages: the result list is small and pages then cost nothing.
        found = await off_loop(catalog.search, text, PER_PAGE * MAX_PAGES)
        if not found:
            near = await off_loop(catalog.find_papers, text, 3)
            hint = (
                ("\nDid you mean: " + "; ".join(f"*{cards.clean(m.paper.title)}*" for m in near))
                if near
                else ""
            )
            raise UserError(f"Nothing found for “{cards.clean(cards.clip(text, 100))}”.{hint}")
        pages = -(-len(found) // PER_PAGE)

        async def render(page: int) -> tuple[discord.Embed, list[Paper]]:
            chunk = found[page * PER_PAGE : (page + 1) * PER_PAGE]
            return cards.search_embed(text, chunk, page, PER_PAGE), [m.paper for m in chunk]

        view = PagedView(interaction.user.id, render, pages, ephemeral=private)
        embed = await view.first_page()
        await reply(interaction, embed=embed, view=view, ephemeral=private)
        view.message = await interaction.original_response()


async def setup(bot: Bot) -> None:
    await bot.add_cog(Search())
