"""The real bot, built and loaded without logging in: commands, descriptions, errors, sync."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import discord
import pytest
from discord import app_commands

from bot.cli_bot import login_failure_message
from bot.client import PaperBot, use_api_base
from bot.config import ConfigError, Settings, load_settings
from bot.sync import sync_commands, tree_hash
from bot.tree import PaperTree
from commands.ui.errors import error_message
from commands.ui.shared import UserError
from store.catalog.catalog import Catalog
from tests.bot.conftest import FakeInteraction

EXPECTED = {
    "paper": ["query", "private"],
    "author": ["name", "private"],
    "random": ["category", "year_from", "year_to", "private"],
    "search": ["text", "private"],
    "stats": [],
    "help": [],
    "daily set": ["channel", "time", "timezone", "category"],
    "daily off": ["channel"],
    "daily status": [],
    "daily preview": [],
}


@pytest.fixture
async def bot(catalog: Catalog) -> PaperBot:
    bot = PaperBot(catalog, Settings(token="not-a-real-token"), sync_on_start=False)
    await bot.load_features()
    return bot  # never logged in: nothing to close


async def test_registered_commands(bot: PaperBot) -> None:
    commands = {c.qualified_name: c for c in bot.tree.walk_commands() if isinstance(c, app_commands.Command)}
    assert {name: [p.name for p in c.parameters] for name, c in commands.items()} == EXPECTED
    daily = bot.tree.get_command("daily")
    assert daily.default_permissions == discord.Permissions(manage_guild=True)  # type: ignore[union-attr]
    assert isinstance(bot.tree, PaperTree)
    # no privileged intent: message content arrives only for mentions, DMs and replies to the bot
    assert bot.intents == discord.Intents(guilds=True, guild_messages=True, dm_messages=True)
    assert not bot.intents.message_content
    menu = bot.tree.get_command("Find papers in this message", type=discord.AppCommandType.message)
    assert menu is not None and len(menu.name) <= 32
    payload = {c.name: c.to_dict(bot.tree) for c in bot.tree.get_commands()}
    for name in ("paper", "author", "random", "search", "stats", "help"):
        assert (payload[name]["integration_types"], payload[name]["contexts"]) == ([0, 1], [0, 1, 2]), name
    assert (payload["daily"]["integration_types"], payload["daily"]["contexts"]) == ([0], [0])
    assert bot.allowed_mentions.to_dict() == discord.AllowedMentions.none().to_dict()


async def test_every_command_and_parameter_has_a_real_description(bot: PaperBot) -> None:
    for command in bot.tree.walk_commands():
        assert command.description and command.description != "…", command.name
        for parameter in getattr(command, "parameters", []):
            assert parameter.description and parameter.description != "…", f"{command.name}.{parameter.name}"


async def test_discord_validates_lengths(bot: PaperBot) -> None:
    payload = bot.tree.get_command("paper").to_dict(bot.tree)  # type: ignore[union-attr]
    query = next(o for o in payload["options"] if o["name"] == "query")
    assert (query["min_length"], query["max_length"], query["autocomplete"]) == (1, 300, True)
    random_options = bot.tree.get_command("random").to_dict(bot.tree)["options"]  # type: ignore[union-attr]
    year = next(o for o in random_options if o["name"] == "year_from")
    assert (year["min_value"], year["max_value"]) == (1900, 2100)


async def test_sync_only_when_the_tree_changed(
    bot: PaperBot, catalog: Catalog, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int | None] = []

    async def sync(*, guild: discord.abc.Snowflake | None = None) -> list[Any]:
        synced.append(guild.id if guild else None)
        return []

    monkeypatch.setattr(bot.tree, "sync", sync)
    assert catalog.sync_hash(None) is None
    assert await sync_commands(bot.tree, catalog, None)
    assert catalog.sync_hash(None) == tree_hash(bot.tree)
    assert not await sync_commands(bot.tree, catalog, None)  # unchanged: no second sync
    assert await sync_commands(bot.tree, catalog, 1234)  # each guild keeps its own
    assert await sync_commands(bot.tree, catalog, None, force=True)
    assert synced == [None, 1234, None]
    reopened = Catalog(catalog.path)
    assert reopened.sync_hash(None) == tree_hash(bot.tree)  # kept in the file
    reopened.close()
    bot.tree.remove_command("help")
    assert await sync_commands(bot.tree, catalog, None)
    assert synced == [None, 1234, None, None]


async def test_error_handler_is_ephemeral_and_follows_up(
    bot: PaperBot, catalog: Catalog, caplog: Any
) -> None:
    client: Any = type("C", (), {"catalog": catalog})()
    tree = bot.tree
    command = bot.tree.get_command("paper")
    fresh = FakeInteraction(client)
    await tree.on_error(fresh, app_commands.CommandInvokeError(command, UserError("No paper matches.")))  # type: ignore[arg-type]
    assert fresh.replies()[0].kind == "send" and fresh.replies()[0].ephemeral
    assert fresh.replies()[0].content == "No paper matches."
    deferred = FakeInteraction(client)
    await deferred.response.defer()
    await tree.on_error(deferred, app_commands.CommandInvokeError(command, ZeroDivisionError("boom")))  # type: ignore[arg-type]
    reply = deferred.replies()[0]
    assert reply.kind == "followup" and reply.ephemeral and "error `" in reply.content
    error_id = reply.content.split("`")[1]
    assert any(error_id in r.getMessage() and r.exc_info for r in caplog.records)


async def test_errors_after_a_public_deferral_stay_private(bot: PaperBot, catalog: Catalog) -> None:
    """The first follow-up fills a deferral with the deferral's visibility: drop a public one first."""
    client: Any = type("C", (), {"catalog": catalog})()
    error = app_commands.CommandInvokeError(bot.tree.get_command("paper"), UserError("No paper matches."))  # type: ignore[arg-type]
    public = FakeInteraction(client)
    await public.response.defer(ephemeral=False, thinking=True)
    await bot.tree.on_error(public, error)  # type: ignore[arg-type]
    assert [s.kind for s in public.sent] == ["defer", "delete-original", "followup"]
    assert public.sent[-1].ephemeral

    private = FakeInteraction(client)
    await private.response.defer(ephemeral=True, thinking=True)
    await bot.tree.on_error(private, error)  # type: ignore[arg-type]
    assert [s.kind for s in private.sent] == ["defer", "followup"]  # already private: fill it in

    answered = FakeInteraction(client)
    await answered.response.defer(ephemeral=False, thinking=True)
    await answered.followup.send(content="the card")
    await bot.tree.on_error(answered, error)  # type: ignore[arg-type]
    assert [s.kind for s in answered.sent] == ["defer", "followup", "followup"]  # the card stays


def test_error_messages() -> None:
    cooldown = app_commands.CommandOnCooldown(app_commands.Cooldown(1, 10.0), 7.2)
    assert error_message(cooldown) == ("Easy there — try again in 7 s.", None)
    message, error_id = error_message(RuntimeError("x"))
    assert error_id and error_id in message


def test_settings(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="DISCORD_TOKEN is not set"):
        load_settings({}, dotenv=None)
    dotenv = tmp_path / ".env"
    dotenv.write_text("DISCORD_TOKEN=from-dotenv\nDEV_GUILD_ID=42\n", encoding="utf-8")
    settings = load_settings({"SHARD_COUNT": "4", "SHARD_IDS": "0, 2"}, dotenv=dotenv)
    assert (settings.token, settings.dev_guild_id, settings.shard_count, settings.shard_ids) == (
        "from-dotenv",
        42,
        4,
        (0, 2),
    )
    assert "from-dotenv" not in repr(settings)
    assert load_settings({"DISCORD_TOKEN": "env-wins"}, dotenv=dotenv).token == "env-wins"
    for bad in ({"SHARD_IDS": "0"}, {"SHARD_COUNT": "two"}, {"SHARD_COUNT": "2", "SHARD_IDS": "5"}):
        with pytest.raises(ConfigError):
            load_settings({"DISCORD_TOKEN": "t", **bad}, dotenv=None)


async def test_api_base_points_the_http_client_elsewhere(catalog: Catalog, monkeypatch: Any) -> None:
    import discord.http

    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)  # restored afterwards
    settings = load_settings(
        {"DISCORD_TOKEN": "t", "DISCORD_API_BASE": "http://127.0.0.1:8080/api/v10/"}, dotenv=None
    )
    assert settings.api_base == "http://127.0.0.1:8080/api/v10"
    use_api_base(settings.api_base)
    assert discord.http.Route("GET", "/gateway/bot").url == "http://127.0.0.1:8080/api/v10/gateway/bot"
    with pytest.raises(ConfigError, match="http"):
        load_settings({"DISCORD_TOKEN": "t", "DISCORD_API_BASE": "ftp://x"}, dotenv=None)


async def test_api_base_also_replaces_the_fallback_gateway(catalog: Catalog, monkeypatch: Any) -> None:
    """discord.py falls back to its own gateway after an invalid session: that must be the server's."""
    import discord.http
    from discord.gateway import DiscordWebSocket

    monkeypatch.setattr(discord.http.Route, "BASE", discord.http.Route.BASE)  # restored afterwards
    monkeypatch.setattr(DiscordWebSocket, "DEFAULT_GATEWAY", DiscordWebSocket.DEFAULT_GATEWAY)
    asked: list[str] = []

    async def get_bot_gateway() -> tuple[int, str, dict[str, int]]:
        asked.append("/gateway/bot")
        return 1, "ws://127.0.0.1:8080/", {}

    plain = PaperBot(catalog, Settings(token="t"), sync_on_start=False)
    monkeypatch.setattr(plain.http, "get_bot_gateway", get_bot_gateway)
    await plain.setup_hook()
    assert asked == [] and str(DiscordWebSocket.DEFAULT_GATEWAY) == "wss://gateway.discord.gg/"

    local = PaperBot(
        catalog, Settings(token="t", api_base="http://127.0.0.1:8080/api/v10"), sync_on_start=False
    )
    monkeypatch.setattr(local.http, "get_bot_gateway", get_bot_gateway)
    await local.setup_hook()
    assert asked == ["/gateway/bot"] and str(DiscordWebSocket.DEFAULT_GATEWAY) == "ws://127.0.0.1:8080/"


def test_login_failures_are_one_line() -> None:
    assert "rejected the token" in (login_failure_message(discord.LoginFailure("Improper token")) or "")
    assert login_failure_message(ValueError("bug")) is None


def test_run_without_a_token_is_one_line(capsys: Any, tmp_path: Path, monkeypatch: Any) -> None:
    from bot.cli import main

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DISCORD_TOKEN", raising=False)
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--db", str(tmp_path / "x.db")])
    assert exit_info.value.code == 1
    assert capsys.readouterr().err.strip().splitlines() == [
        "paperbot: DISCORD_TOKEN is not set (put it in the environment or in .env; see .env.example)"
    ]
