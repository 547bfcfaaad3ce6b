"""What the README and the bot's help promise is what it does (in the spirit of sqlite-utils' test_docs).

Every CLI command has help and a row in the README's table; every example the README and the
help texts show is run against the bundled catalog and must give a real answer.
"""

from __future__ import annotations

import re
import shlex
from datetime import date
from pathlib import Path

import click
import pytest

from bot.cli import cli, main
from commands.ui.cards import help_embed
from commands.ui.chat_cards import CHAT_HELP
from store.catalog.catalog import Catalog
from store.chat.answer_model import AnswerKind
from store.chat.answers import answer
from store.loading.loader import load_bundled_if_empty

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TODAY = date(2026, 12, 6)
NO_ANSWER = {AnswerKind.NOT_FOUND, AnswerKind.HELP, AnswerKind.NOTHING, AnswerKind.ACK}


def section(title: str) -> str:
    start = README.index(title)
    end = README.find("\n## ", start + len(title))
    return README[start : end if end > 0 else None]


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Catalog:
    catalog = Catalog(tmp_path_factory.mktemp("docs") / "bundled.db")
    load_bundled_if_empty(catalog, today=TODAY)
    return catalog


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_has_help_and_a_row_in_the_readme(name: str) -> None:
    command = cli.commands[name]
    assert isinstance(command, click.Command)
    assert (command.help or "").strip(), f"paperbot {name} has no help"
    table = section("## Command line")
    assert f"`paperbot {name}" in table or f"/ `paperbot {name}" in table, (
        f"paperbot {name} is not in the README"
    )


def readme_cli_examples() -> list[list[str]]:
    """``.venv/bin/paperbot …`` lines in the README's code blocks that ask the catalog something."""
    lines = re.findall(r"^\.venv/bin/paperbot (.+)$", README, flags=re.MULTILINE)
    out = []
    for line in lines:
        argv = shlex.split(line.split("#")[0])
        if argv and argv[0] in {"paper", "author", "search", "random", "stats"}:
            out.append(argv)
    return out


@pytest.mark.parametrize("argv", readme_cli_examples(), ids=" ".join)
def test_readme_cli_examples_answer_from_the_bundled_catalog(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--db", str(tmp_path / "c.db")])
    out, _ = capsys.readouterr()
    assert done.value.code == 0 and out.strip()


def chat_examples() -> list[str]:
    """What the README's conversation and the help texts show people asking the bot anew.

    Replies (`bibtex`, "↪ more") need an answer to reply to: the corpus covers those.
    """
    transcript = section("### Talking to it")
    said = re.findall(r"^\w+:\s+@paperbot (.+)$", transcript, flags=re.MULTILINE)
    shown = [
        span
        for line in CHAT_HELP.splitlines()
        if line.startswith("• ")
        for span in re.findall(r"`([^`]+)`", line)
    ]
    just_ask = next(field.value for field in help_embed().fields if field.name == "Just ask") or ""
    shown += re.findall(r"`([^`]+)`", just_ask)
    replies = {"bibtex", "bibtex?", "code?", "who wrote it?"}
    asked = [s.removeprefix("@paperbot ").strip() for s in [*said, *shown]]
    return list(dict.fromkeys(a for a in asked if a not in replies))


def test_there_are_examples_to_check() -> None:
    assert len(chat_examples()) >= 8


@pytest.mark.parametrize("text", chat_examples())
def test_chat_examples_get_a_real_answer(bundled: Catalog, text: str) -> None:
    if "BERT" in text:  # the README's example of something the catalog does not have
        assert answer(bundled, text, today=TODAY).kind is AnswerKind.NOT_FOUND
        return
    got = answer(bundled, text, today=TODAY)
    assert got.kind not in NO_ANSWER, f"{text!r}: {got.lead}"
    assert got.papers or got.authors or got.stats, text


def test_the_invite_link_grants_what_the_chat_needs_in_channels_and_threads() -> None:
    import discord

    from commands.chat import needed_permissions

    (value,) = set(re.findall(r"permissions=(\d+)", section("## Discord setup")))
    granted = discord.Permissions(int(value))
    text_channel = object()
    thread = discord.Thread.__new__(discord.Thread)
    for channel in (text_channel, thread):
        needed = needed_permissions(channel)
        needed.view_channel = False  # seeing a channel comes with @everyone, not with the invite
        assert needed.is_subset(granted), [name for name, on in needed if on and not getattr(granted, name)]
