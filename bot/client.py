"""The bot: sharded from the start, minimal intents, no pings, cogs from commands/."""

from __future__ import annotations

import logging
from typing import TypedDict

import discord
import discord.http
import yarl
from discord import app_commands
from discord.ext.commands import AutoShardedBot, when_mentioned
from discord.gateway import DiscordWebSocket

from bot.config import Settings
from bot.sync import sync_commands
from bot.tree import PaperTree
from commands.ui.dynamic_items import DYNAMIC_ITEMS
from commands.ui.shared import Services
from store.catalog.catalog import Catalog

log = logging.getLogger(__name__)

EXTENSIONS = (
    "commands.papers",
    "commands.authors",
    "commands.random_paper",
    "commands.search",
    "commands.info",
    "commands.daily",
    "commands.chat",
    "commands.message_menu",
)
# Lookups work wherever people talk: servers, the bot's DMs, and (installed to a person's
# account) group chats and servers the bot is not in. /daily narrows this to servers itself.
EVERYWHERE = app_commands.AppCommandContext(guild=True, dm_channel=True, private_channel=True)
ANY_INSTALL = app_commands.AppInstallationType(guild=True, user=True)


def chat_intents() -> discord.Intents:
    """Servers, and messages without their content: Discord still sends the text of messages
    that mention the bot, DMs to it and replies to it, which is all the chat answers."""
    intents = discord.Intents.none()
    intents.guilds = True
    intents.guild_messages = True
    intents.dm_messages = True
    return intents


def use_api_base(api_base: str | None) -> None:
    """Point discord.py at another Discord-compatible server, for the whole process.

    discord.py keeps its REST base in one class attribute, so this is done once, at start-up,
    by the command that runs the bot; the gateway address then comes from that server's
    ``/gateway/bot`` answer (``PaperBot.use_server_gateway``).
    """
    if api_base:
        discord.http.Route.BASE = api_base


class _Shards(TypedDict, total=False):
    """Without SHARD_IDS discord.py picks the shards itself: ``shard_ids`` is left out."""

    shard_ids: list[int]


class PaperBot(AutoShardedBot):
    """Holds the catalog; everything else lives in the cogs."""

    def __init__(self, catalog: Catalog, settings: Settings, sync_on_start: bool = True) -> None:
        shards: _Shards = {"shard_ids": list(settings.shard_ids)} if settings.shard_ids else {}
        super().__init__(
            command_prefix=when_mentioned,
            intents=chat_intents(),
            allowed_contexts=EVERYWHERE,
            allowed_installs=ANY_INSTALL,
            tree_cls=PaperTree,
            allowed_mentions=discord.AllowedMentions.none(),
            shard_count=settings.shard_count,
            help_command=None,
            **shards,
        )
        self.catalog = catalog
        self.services = Services(catalog)
        self.settings = settings
        self.sync_on_start = sync_on_start

    async def load_features(self) -> None:
        for extension in EXTENSIONS:
            await self.load_extension(extension)
        self.add_dynamic_items(*DYNAMIC_ITEMS)

    async def use_server_gateway(self) -> None:
        """Make the API server's gateway discord.py's fallback gateway too.

        discord.py goes back to its built-in wss://gateway.discord.gg after an invalidated
        session or a failed reconnect (and uses it unasked when SHARD_COUNT is set): with
        another API base, the bot would otherwise leave the server it was pointed at.
        """
        _shards, url, _limits = await self.http.get_bot_gateway()
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(url)

    async def setup_hook(self) -> None:
        if self.settings.api_base:
            await self.use_server_gateway()
        await self.load_features()
        if self.sync_on_start:
            await sync_commands(self.tree, self.catalog, self.settings.dev_guild_id)

    async def on_message(self, message: discord.Message) -> None:
        """No prefix commands: chat is answered by the Chat cog's listener alone."""

    async def on_ready(self) -> None:
        log.info("ready as %s in %d servers", self.user, len(self.guilds))
