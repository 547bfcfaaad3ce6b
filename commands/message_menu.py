""" "Find papers in this message": a message command that works on anyone's message.

A message command's interaction carries the clicked message's full text, so it needs no
intent at all; it answers privately, with a Share button to post the answer in the channel.
"""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext.commands import Bot, Cog

from commands.ui.more_button import list_page
from commands.ui.respond import Card, in_time, send
from commands.ui.shared import off_loop, services_of
from commands.ui.views import paper_card, with_share
from store.catalog.catalog import Catalog
from store.catalog.models import Paper
from store.chat.mentions import papers_named_in

MENU_NAME = "Find papers in this message"  # at most 32 characters


def message_text(message: discord.Message) -> str:
    """What a message names papers with: its text, and its embeds' titles, links and text."""
    parts = [message.content]
    for embed in message.embeds:
        parts += [embed.title or "", embed.url or "", embed.description or ""]
    return "\n".join(p for p in parts if p)


class MessageMenu(Cog):
    """Registers the message command (discord.py cannot decorate a cog method as one)."""

    def __init__(self, tree: app_commands.CommandTree[Any], catalog: Catalog) -> None:
        self.tree = tree
        self.catalog = catalog
        self.menu = app_commands.ContextMenu(
            name=MENU_NAME,
            callback=self.find_papers,
            allowed_installs=app_commands.AppInstallationType(guild=True, user=True),
            allowed_contexts=app_commands.AppCommandContext(
                guild=True, dm_channel=True, private_channel=True
            ),
        )

    async def cog_load(self) -> None:
        self.tree.add_command(self.menu)

    async def cog_unload(self) -> None:
        self.tree.remove_command(self.menu.name, type=self.menu.type)

    async def find_papers(self, interaction: discord.Interaction[Any], message: discord.Message) -> None:
        text = message_text(message)
        papers = await in_time(interaction, off_loop(papers_named_in, self.catalog, text), ephemeral=True)
        await send(interaction, found_card(papers, interaction.user.id), ephemeral=True)


def found_card(papers: list[Paper], owner_id: int) -> Card:
    if not papers:
        return Card(content="That message names no paper of this catalog (no arXiv id or title I know).")
    if len(papers) == 1:
        return with_share(paper_card(papers[0]), owner_id)
    lead = f"{len(papers)} papers named in that message"
    return with_share(list_page(lead, papers, owner_id, len(papers), len(papers)), owner_id)


async def setup(bot: Bot) -> None:
    await bot.add_cog(MessageMenu(bot.tree, services_of(bot).catalog))
