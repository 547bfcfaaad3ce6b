"""``paperbot run`` and ``paperbot sync``: the bot's entry points on the command line."""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

import aiohttp
import click
import discord
import discord.http

from bot.cli_common import db_option, fail, open_catalog
from bot.client import PaperBot, use_api_base
from bot.config import ConfigError, Settings, load_settings
from bot.sync import sync_commands

log = logging.getLogger(__name__)
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
# Seconds to wait for Discord's API to accept a connection, and then for each read of its
# answer, at start-up: a server that never answers must not hang the bot without a word.
CONNECT_TIMEOUT = 10.0


class Unreachable(Exception):
    """Discord's API (or the server DISCORD_API_BASE names) cannot be used; the message says why."""


def settings_or_fail() -> Settings:
    try:
        # ``paperbot``'s entry point has read .env into the environment already.
        return load_settings(dotenv=None)
    except ConfigError as exc:
        fail(str(exc))


def setup_logging(level: int) -> None:
    """discord.py's log format, in colour only on a terminal, without its voice warnings.

    discord.py also colours logs inside any Docker container, where they end up in files
    and log collectors as escape codes. The bot has no voice features, so the warnings that
    voice's optional libraries (PyNaCl, davey) are missing are noise on every start.
    """
    plain = logging.Formatter(
        "[{asctime}] [{levelname:<8}] {name}: {message}", "%Y-%m-%d %H:%M:%S", style="{"
    )
    if sys.stderr.isatty():
        discord.utils.setup_logging(level=level)
    else:
        discord.utils.setup_logging(level=level, formatter=plain)
    discord.VoiceClient.warn_nacl = False
    discord.VoiceClient.warn_dave = False


def api_base(settings: Settings) -> str:
    return settings.api_base or discord.http.Route.BASE


async def check_api(settings: Settings, timeout: float = CONNECT_TIMEOUT) -> None:
    """Ask the API who the bot is, with timeouts discord.py does not set, before logging in."""
    base = api_base(settings)
    limits = aiohttp.ClientTimeout(total=None, sock_connect=timeout, sock_read=timeout)
    headers = {"Authorization": f"Bot {settings.token}"}
    try:
        async with (
            aiohttp.ClientSession(timeout=limits) as session,
            session.get(f"{base}/users/@me", headers=headers) as response,
        ):
            status, reason = response.status, response.reason
    except TimeoutError as exc:
        raise Unreachable(f"no answer from the Discord API at {base} within {timeout:g} s") from exc
    except aiohttp.ClientError as exc:
        raise Unreachable(f"cannot reach the Discord API at {base} ({exc})") from exc
    # 401 is the token's problem, which discord.py reports; 429 is only a wait.
    if status >= 400 and status not in (401, 429):
        raise Unreachable(
            f"the Discord API at {base} answered {status} {reason} to GET /users/@me (check DISCORD_API_BASE)"
        )


def login_failure_message(error: BaseException, base: str = discord.http.Route.BASE) -> str | None:
    """One line for the errors a user can fix; None for anything else (a bug)."""
    if isinstance(error, Unreachable):
        return str(error)
    if isinstance(error, discord.LoginFailure):
        return "Discord rejected the token (check DISCORD_TOKEN; it is never logged)"
    if isinstance(error, discord.PrivilegedIntentsRequired):
        return "Discord refused the requested intents"
    if isinstance(error, discord.HTTPException):
        answer = error.response
        request = f"{answer.method} {answer.url.path}"
        return f"the Discord API at {base} answered {error.status} {answer.reason} to {request}"
    if isinstance(error, aiohttp.ClientConnectionError | OSError):
        return f"cannot reach the Discord API at {base} ({error or type(error).__name__})"
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
    setup_logging(getattr(logging, log_level.upper()))
    catalog = open_catalog(ctx, db_path)
    catalog.warm_up()
    use_api_base(settings.api_base)
    bot = PaperBot(catalog, settings)
    try:
        asyncio.run(check_api(settings))
        bot.run(settings.token, log_handler=None)
    except Exception as exc:
        message = login_failure_message(exc, api_base(settings))
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
    use_api_base(settings.api_base)
    bot = PaperBot(catalog, settings, sync_on_start=False)

    async def main() -> None:
        async with bot:
            await bot.login(settings.token)  # runs setup_hook: the cogs are loaded, not synced
            await sync_commands(bot.tree, catalog, guild, force=True)

    try:
        asyncio.run(check_api(settings))
        asyncio.run(main())
    except Exception as exc:
        message = login_failure_message(exc, api_base(settings))
        if message is None:
            raise
        fail(message)
    click.echo(f"synced slash commands {'to guild ' + str(guild) if guild else 'globally'}")
