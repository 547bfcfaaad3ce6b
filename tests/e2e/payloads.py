"""Discord API v10 objects as the real API sends them, complete enough for discord.py to parse.

Every key discord.py reads without a default is here (``discriminator``, ``flags``, ``position``,
``attachment_size_limit``…): a payload the library cannot parse would make the bot fail in a
way real Discord never would, and a test that passes only on a thinner payload proves little.
"""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000
_counter = itertools.count()

# Permission bits (https://discord.com/developers/docs/topics/permissions)
ADMINISTRATOR = 1 << 3
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
MENTION_EVERYONE = 1 << 17
USE_EXTERNAL_EMOJIS = 1 << 18
USE_APPLICATION_COMMANDS = 1 << 31
USE_EXTERNAL_APPS = 1 << 50
EVERYONE_PERMISSIONS = (
    (VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY | ADD_REACTIONS)
    | USE_APPLICATION_COMMANDS
    | USE_EXTERNAL_APPS
)
INVITE_PERMISSIONS = 274877990912  # the invite's permission integer (README): the bot's managed role
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | INVITE_PERMISSIONS

EPHEMERAL = 1 << 6  # message flags
LOADING = 1 << 7


def snowflake() -> int:
    """A fresh id, time-ordered like Discord's, so ``created_at`` looks right to the library."""
    now_ms = int(time.time() * 1000) - DISCORD_EPOCH_MS
    return (now_ms << 22) | (1 << 17) | (next(_counter) % 4096)


def iso_now() -> str:
    return datetime.now(UTC).isoformat()


@dataclass(frozen=True)
class Person:
    """A user of the fake guild, with the guild-level permissions Discord resolves for them."""

    id: int
    name: str
    permissions: int = EVERYONE_PERMISSIONS
    bot: bool = False

    def user(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "username": self.name,
            "discriminator": "0",
            "global_name": None if self.bot else self.name.title(),
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
            "banner": None,
            "accent_color": None,
            "avatar_decoration_data": None,
            "primary_guild": None,
            "collectibles": None,
        }

    def member(
        self, with_permissions: bool = True, roles: tuple[int, ...] = (), with_user: bool = True
    ) -> dict[str, Any]:
        """A guild member; a message's ``member`` (and each mention's) is partial, without ``user``."""
        data: dict[str, Any] = {
            "user": self.user(),
            "roles": [str(r) for r in roles],
            "nick": None,
            "avatar": None,
            "banner": None,
            "joined_at": "2024-01-15T10:00:00.000000+00:00",
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "flags": 0,
            "pending": False,
            "communication_disabled_until": None,
            "unusual_dm_activity_until": None,
        }
        if with_permissions:  # only interactions carry the resolved permissions
            data["permissions"] = str(self.permissions)
        if not with_user:
            del data["user"]
        return data


def message(
    *,
    message_id: int,
    channel_id: int,
    author: dict[str, Any],
    body: dict[str, Any],
    flags: int,
    application_id: int | None = None,
    interaction: dict[str, Any] | None = None,
    guild_id: int | None = None,
) -> dict[str, Any]:
    """A message object built from what was sent (content, embeds, components).

    The ``type`` is 20 for a slash command's answer, 19 for a reply (``message_reference``
    in ``body``), else 0. Mentions start empty: the caller resolves them as Discord would.
    """
    data: dict[str, Any] = {
        "id": str(message_id),
        "channel_id": str(channel_id),
        "author": author,
        "content": body.get("content") or "",
        "timestamp": iso_now(),
        "edited_timestamp": None,
        "tts": bool(body.get("tts", False)),
        "mention_everyone": False,
        "mentions": [],
        "mention_roles": [],
        "mention_channels": [],
        "attachments": [],
        "embeds": list(body.get("embeds") or []),
        "reactions": [],
        "pinned": False,
        "type": 20 if interaction is not None and interaction["type"] == 2 else 0,
        "flags": flags,
        "components": list(body.get("components") or []),
        "sticker_items": [],
    }
    if application_id is not None:  # interaction responses are sent by the app's webhook
        data["webhook_id"] = str(application_id)
        data["application_id"] = str(application_id)
    if interaction is not None:
        data["interaction_metadata"] = interaction
    if guild_id is not None:
        data["guild_id"] = str(guild_id)
    return data
