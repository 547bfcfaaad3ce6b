"""/author: an author's papers, years, categories and co-authors, paged."""

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


class Authors(Cog):
    """Author lookups: names typed any which way (typos, reversed, initials, accents)."""

    @app_commands.command(name="author", description="Show an author's papers, years active and co-authors")
    @app_commands.describe(
        name="The author's name: typos, reversed order (Zhu Zhanxing) and initials (Z. Zhu) are fine",
        private="Show the card to you only (default: post it in the channel)",
    )
    @app_commands.checks.cooldown(5, 10.0, key=lambda i: i.user.id)
    async def author(
        self,
        interaction: discord.Interaction[Any],
        name: app_commands.Range[str, 1, 200],
        private: bool = False,
    ) -> None:
        await interaction.response.defer(ephemeral=private, thinking=True)
        catalog = catalog_of(interaction)
        if name.startswith("author:") and name[7:].isdigit():
            author_id, match = int(name[7:]), None  # a picked autocomplete choice
        else:
            found = await off_loop(catalog.find_authors, name, 5)
            if not found:
                near = await off_loop(catalog.find_authors, name, 3, 50.0)
                hint = ("\nDid you mean: " + "; ".join(cards.clean(a.name) for a in near)) if near else ""
                raise UserError(f"No author matches “{cards.clean(cards.clip(name, 100))}”.{hint}")
            author_id, match = found[0].id, found[0].match
        first = await off_loop(catalog.author_profile, author_id, PER_PAGE, match, 0)
        if first is None:
            raise UserError("That author is no longer in the catalog.")
        pages = max(1, -(-first.paper_count // PER_PAGE))

        async def render(page: int) -> tuple[discord.Embed, list[Paper]]:
            profile = await off_loop(catalog.author_profile, author_id, PER_PAGE, match, page * PER_PAGE)
            if profile is None:
                raise UserError("That author is no longer in the catalog.")
            return cards.author_embed(profile, page, PER_PAGE), list(profile.papers)

        view = PagedView(interaction.user.id, render, pages, ephemeral=private)
        embed = await view.first_page()
        await reply(interaction, embed=embed, view=view, ephemeral=private)
        view.message = await interaction.original_response()

    @author.autocomplete("name")
    async def author_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        if not current.strip():
            return []
        found = await off_loop(catalog_of(interaction).find_authors, current, 25)
        return [
            app_commands.Choice(
                name=cards.clip(f"{a.name} ({a.paper_count} papers)", 100), value=f"author:{a.id}"
            )
            for a in found
        ]


async def setup(bot: Bot) -> None:
    await bot.add_cog(Authors())
