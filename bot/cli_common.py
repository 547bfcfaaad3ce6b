"""Options and helpers shared by every ``paperbot`` sub-command (catalog, JSON, errors)."""

from __future__ import annotations

import importlib
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar, NoReturn, TypeVar

import click

from store.catalog.catalog import Catalog
from store.catalog.opening import CatalogError, explain_sqlite_error
from store.loading.input import LoadError
from store.loading.loader import load_bundled_if_empty

F = TypeVar("F", bound=Callable[..., Any])
DEFAULT_DB = "paperbot.db"


class PaperbotGroup(click.Group):
    """The ``paperbot`` group: the bot's commands load discord.py only when they are run.

    Catalog commands start several times faster without it. An SQLite error the user can act
    on (a damaged or locked file) becomes one line naming the catalog.
    """

    lazy: ClassVar[dict[str, str]] = {"run": "bot.cli_bot", "sync": "bot.cli_bot"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            command = getattr(importlib.import_module(self.lazy[cmd_name]), cmd_name)
            assert isinstance(command, click.Command)
            return command
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except sqlite3.Error as exc:
            path = (ctx.obj or {}).get("catalog_path")
            message = explain_sqlite_error(path, exc) if path is not None else None
            if message is None:
                raise
            fail(message)


def fail(message: str, code: int = 1) -> NoReturn:
    """One line on stderr and a non-zero exit: the CLI's only way of reporting bad input."""
    raise click.ClickException(message) if code == 1 else click.UsageError(message)


def db_option(func: F) -> F:
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        envvar="PAPERBOT_DB",
        default=None,
        help=f"Catalog file (env PAPERBOT_DB; default ./{DEFAULT_DB}).",
    )(func)


def json_option(func: F) -> F:
    return click.option("--json", "as_json", is_flag=True, help="Print JSON (see README).")(func)


def limit_option(default: int) -> Callable[[F], F]:
    return click.option(
        "--limit",
        type=click.IntRange(1, 100),
        default=default,
        show_default=True,
        help="How many results at most.",
    )


def open_catalog(ctx: click.Context, db_path: Path | None, bootstrap: bool = True) -> Catalog:
    """Open the catalog; an empty one gets the bundled listing first (said on stderr)."""
    path = db_path or ctx.obj.get("db_path") or Path(DEFAULT_DB)
    ctx.obj["catalog_path"] = path
    try:
        catalog = Catalog(path, notify=lambda message: click.echo(f"paperbot: {message}", err=True))
        if bootstrap:
            report = load_bundled_if_empty(catalog)
            if report is not None:
                click.echo(
                    f"paperbot: {path} was empty; loaded the bundled listing ({report.papers} papers)",
                    err=True,
                )
    except (CatalogError, LoadError) as exc:
        fail(str(exc))
    ctx.call_on_close(catalog.close)
    return catalog


def emit(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


# How much of a user's text an error message repeats: enough to recognise it, never a page.
ECHO_MAX = 100


def echo(text: str) -> str:
    """The user's text quoted for an error message, cut to ``ECHO_MAX`` characters."""
    return repr(text if len(text) <= ECHO_MAX else text[:ECHO_MAX] + "…")


def require_text(value: str, what: str) -> str:
    if not value.strip():
        fail(f"{what} is empty", code=2)
    return value.strip()
