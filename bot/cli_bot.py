"""``paperbot run`` and ``paperbot sync``: the bot's entry points on the command line."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import aiohttp
import click
import discord

from bot.cli_common import db_option, fail, open_catalog
from bot.client import PaperBot
from bot.config import ConfigError, Settings, load_settings
from bot.sync import sync_commands

log = logging.getLogger(__name__)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")


def settings_or_fail() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        fail(str(exc))


def login_failure_message(error: BaseException) -> str | None:
    """One line for the errors a user can fix; None for anything else (a bug)."""
    if isinstance(error, discord.LoginFailure):
        return "Discord rejected the token (check DISCORD_TOKEN; it is never logged)"
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return "Discord refused the requested intents"
    if isinstance(error, aiohttp.ClientConnectionError | OSError):
        return "cannot reach Discord (network error)"
    return None


@click.command()
@db_option
@click.option(
    "--log-level", type=click.Choice(LOG_LEVELS, case_sensitive=False), default="INFO", show_default=True
)
@click.pass_context
def run(ctx: click.Context, db_path: Path | None, log_level: str) -> None:
    """Run the Discord bot (token from DISCORD_TOKEN or .env)."""
    settings = settings_or_fail()
    discord.utils.setup_logging(level=getattr(logging, log_level.upper()))
    catalog = open_catalog(ctx, db_path)
    catalog.warm_up()
    bot = PaperBot(catalog, settings)
    try:
        bot.run(settings.token, log_handler=None)
    except Exception as exc:
        message = login_failure_message(exc)
        if message is None:
            raise
        fail(message)


@click.command()
@db_option
@click.option("--guild", type=int, help="Sync to this guild only (instant; for development).")
@click.pass_context
def sync(ctx: click.Context, db_path: Path | None, guild: int | None) -> None:
    """Force a slash-command sync, globally or to one guild, then exit."""
    settings = settings_or_fail()
    catalog = open_catalog(ctx, db_path)
    bot = PaperBot(catalog, settings, sync_on_start=False)

    async def main() -> None:
        async with bot:
            await bot.login(settings.token)  # runs setup_hook: the cogs are loaded, not synced
            await sync_commands(bot.tree, catalog, guild, force=True)

    try:
        asyncio.run(main())
    except Exception as exc:
        message = login_failure_message(exc)
        if message is None:
            raise
        fail(message)
    click.echo(f"synced slash commands {'to guild ' + str(guild) if guild else 'globally'}")
