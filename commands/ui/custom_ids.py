"""Every ``custom_id`` the bot's controls carry: written, matched and read back in this one module.

A control keeps its whole state in its ``custom_id`` (Discord stores it with the message; the
bot stores nothing), so a card posted before a restart keeps working. discord.py's
``DynamicItem`` matches an incoming id against a template; the builders here write exactly
what those templates read, and the chat reads the same ids back to learn what a message
showed. Discord refuses a ``custom_id`` over 100 characters (``MAX_LENGTH``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

import discord

MAX_LENGTH = 100

# A paper id: arXiv ids (2106.01234, hep-th/9901001) and title ids (t-…) hold no colon.
_PAPER_ID = r"(?P<id>[^:]{1,80})"
_OWNER = r"(?P<owner>\d{1,20})"

CARD_BUTTON = rf"paper:(?P<kind>abstract|bibtex):{_PAPER_ID}"
SHARE = rf"share:{_OWNER}"
PAGE = rf"page:(?P<kind>[as]):(?P<key>[0-9a-f]{{1,20}}):(?P<page>\d{{1,4}}):{_OWNER}:(?P<dir>[pn])"
OPEN_MENU = rf"open:{_OWNER}"
AUTHOR_MENU = rf"who:{_OWNER}"
MORE = rf"more:{_OWNER}:(?P<start>\d{{1,3}})"
ANOTHER = rf"random:{_OWNER}:(?P<category>[^:]{{0,40}}):(?P<start>\d{{0,4}}):(?P<end>\d{{0,4}})"

CardKind = Literal["abstract", "bibtex"]
# What a page button pages: an author's papers (``key``: the author id in hex) or a search
# (``key``: a checksum of its words, which ride in the card's title link).
AUTHOR_PAGES, SEARCH_PAGES = "a", "s"


def card_button(kind: CardKind, paper_id: str) -> str:
    return f"paper:{kind}:{paper_id}"


def share(owner_id: int) -> str:
    return f"share:{owner_id}"


def page(kind: str, key: str, number: int, owner_id: int, forward: bool) -> str:
    return f"page:{kind}:{key}:{number}:{owner_id}:{'n' if forward else 'p'}"


def open_menu(owner_id: int) -> str:
    return f"open:{owner_id}"


def author_menu(owner_id: int) -> str:
    return f"who:{owner_id}"


def more(owner_id: int, start: int) -> str:
    return f"more:{owner_id}:{start}"


def another(owner_id: int, category: str | None, start: int | None, end: int | None) -> str:
    return f"random:{owner_id}:{category or ''}:{'' if start is None else start}:{'' if end is None else end}"


def author_key(author_id: int) -> str:
    return f"{author_id:x}"


# --- reading a message's controls back ------------------------------------------------------------


def controls_of(message: discord.Message) -> Iterator[discord.Component]:
    """Every button and menu of a message, out of its rows."""
    for row in message.components:
        yield from getattr(row, "children", [row])


def papers_on(message: discord.Message) -> list[str]:
    """The ids of the papers a card or list shows: its card buttons' papers and its menu's options."""
    found: list[str] = []
    for item in controls_of(message):
        custom_id = getattr(item, "custom_id", None) or ""
        if match := re.fullmatch(CARD_BUTTON, custom_id):
            found.append(match["id"])
        elif re.fullmatch(OPEN_MENU, custom_id):
            found += [option.value for option in getattr(item, "options", [])]
    return list(dict.fromkeys(found))


def author_on(message: discord.Message) -> int | None:
    """The author an author card shows, read back from its page buttons."""
    for item in controls_of(message):
        match = re.fullmatch(PAGE, getattr(item, "custom_id", None) or "")
        if match and match["kind"] == AUTHOR_PAGES:
            return int(match["key"], 16)
    return None
