"""Every persistent control, so the bot registers them all in one call (``Bot.add_dynamic_items``).

A control missing here still renders, but a click on it after a restart reaches nobody.
"""

from __future__ import annotations

from typing import Any

import discord

from commands.ui.more_button import MoreButton
from commands.ui.paging import AuthorMenu, OpenMenu, PageButton
from commands.ui.random_card import AnotherButton
from commands.ui.views import CardButton, ShareButton

DYNAMIC_ITEMS: tuple[type[discord.ui.DynamicItem[Any]], ...] = (
    CardButton,
    ShareButton,
    PageButton,
    OpenMenu,
    AuthorMenu,
    AnotherButton,
    MoreButton,
)
