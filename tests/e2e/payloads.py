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
MANAGE_GUILD = 1 << 5
ADD_REACTIONS = 1 << 6
VIEW_CHANNEL = 1 << 10
SEND_MESSAGES = 1 << 11
EMBED_LINKS = 1 << 14
ATTACH_FILES = 1 << 15
READ_MESSAGE_HISTORY = 1 << 16
USE_APPLICATION_COMMANDS = 1 << 31
EVERYONE_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | READ_MESSAGE_HISTORY | ADD_REACTIONS
) | USE_APPLICATION_COMMANDS
BOT_PERMISSIONS = EVERYONE_PERMISSIONS | 83968  # the invite's permission integer (README)

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

    def member(self, with_permissions: bool = True) -> dict[str, Any]:
        data: dict[str, Any] = {
            "user": self.user(),
            "roles": [],
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
        return data


@dataclass(frozen=True)
class World:
    """The fixed cast: one application, its bot user, one guild with two text channels, two people."""

    application_id: int = 1_180_000_000_000_000_001
    guild_id: int = 1_180_000_000_000_000_100
    channel_id: int = 1_180_000_000_000_000_200  # #papers, where people use the commands
    daily_channel_id: int = 1_180_000_000_000_000_201  # #paper-of-the-day
    bot: Person = Person(1_180_000_000_000_000_001, "paperbot", BOT_PERMISSIONS, bot=True)
    alice: Person = Person(1_180_000_000_000_000_300, "alice", EVERYONE_PERMISSIONS | MANAGE_GUILD)
    bob: Person = Person(1_180_000_000_000_000_301, "bob")

    def channel(self, channel_id: int, in_guild_create: bool = False) -> dict[str, Any]:
        names = {self.channel_id: "papers", self.daily_channel_id: "paper-of-the-day"}
        data: dict[str, Any] = {
            "id": str(channel_id),
            "type": 0,
            "name": names[channel_id],
            "position": list(names).index(channel_id),
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "permission_overwrites": [],
            "flags": 0,
        }
        if not in_guild_create:  # GUILD_CREATE's channels omit their guild_id
            data["guild_id"] = str(self.guild_id)
        return data

    def interaction_channel(self, channel_id: int) -> dict[str, Any]:
        return {**self.channel(channel_id), "permissions": str(BOT_PERMISSIONS)}

    def guild_create(self) -> dict[str, Any]:
        return {
            "id": str(self.guild_id),
            "name": "Reading Group",
            "icon": None,
            "splash": None,
            "discovery_splash": None,
            "banner": None,
            "description": None,
            "owner_id": str(self.alice.id),
            "afk_channel_id": None,
            "afk_timeout": 300,
            "verification_level": 1,
            "default_message_notifications": 1,
            "explicit_content_filter": 2,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "premium_subscription_count": 0,
            "premium_progress_bar_enabled": False,
            "preferred_locale": "en-US",
            "system_channel_id": None,
            "system_channel_flags": 0,
            "rules_channel_id": None,
            "public_updates_channel_id": None,
            "safety_alerts_channel_id": None,
            "vanity_url_code": None,
            "max_members": 500000,
            "max_video_channel_users": 25,
            "features": [],
            "emojis": [],
            "stickers": [],
            "roles": [
                {
                    "id": str(self.guild_id),  # @everyone shares the guild's id
                    "name": "@everyone",
                    "color": 0,
                    "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
                    "hoist": False,
                    "icon": None,
                    "unicode_emoji": None,
                    "position": 0,
                    "permissions": str(EVERYONE_PERMISSIONS),
                    "managed": False,
                    "mentionable": False,
                    "flags": 0,
                }
            ],
            "joined_at": "2025-03-01T12:00:00.000000+00:00",
            "large": False,
            "unavailable": False,
            "member_count": 3,
            "members": [self.bot.member(with_permissions=False)],
            "channels": [
                self.channel(self.channel_id, in_guild_create=True),
                self.channel(self.daily_channel_id, in_guild_create=True),
            ],
            "threads": [],
            "voice_states": [],
            "presences": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "lazy": True,
            "application_command_counts": {},
        }

    def ready(self, session_id: str, resume_gateway_url: str) -> dict[str, Any]:
        return {
            "v": 10,
            "user": {**self.bot.user(), "verified": True, "mfa_enabled": False, "email": None},
            "guilds": [{"id": str(self.guild_id), "unavailable": True}],
            "session_id": session_id,
            "session_type": "normal",
            "resume_gateway_url": resume_gateway_url,
            "shard": [0, 1],
            "application": {"id": str(self.application_id), "flags": 0},
            "private_channels": [],
            "relationships": [],
            "presences": [],
            "guild_join_requests": [],
            "geo_ordered_rtc_regions": ["rotterdam"],
            "auth_session_id_hash": "e2e",
        }

    def application(self) -> dict[str, Any]:
        return {
            "id": str(self.application_id),
            "name": "paperbot",
            "icon": None,
            "description": "Talk about research papers.",
            "summary": "",
            "type": None,
            "bot_public": True,
            "bot_require_code_grant": False,
            "verify_key": "0" * 64,
            "flags": 0,
            "owner": self.alice.user(),
            "team": None,
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,  # set, it would divert interactions from the gateway
            "role_connections_verification_url": None,
            "approximate_guild_count": 1,
            "integration_types_config": {"0": {}},
            "bot": self.bot.user(),
        }

    def interaction(
        self,
        *,
        kind: int,
        data: dict[str, Any],
        user: Person,
        channel_id: int,
        token: str,
        message: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE in a guild text channel (context 0), as a guild install sends it."""
        payload: dict[str, Any] = {
            "id": str(snowflake()),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "guild_id": str(self.guild_id),
            "guild": {"id": str(self.guild_id), "locale": "en-US", "features": []},
            "channel_id": str(channel_id),
            "channel": self.interaction_channel(channel_id),
            "member": user.member(),
            "token": token,
            "version": 1,
            "app_permissions": str(BOT_PERMISSIONS),
            "locale": "en-GB",
            "guild_locale": "en-US",
            "entitlements": [],
            "entitlement_sku_ids": [],
            "authorizing_integration_owners": {"0": str(self.guild_id)},
            "context": 0,
            "attachment_size_limit": 10_485_760,
        }
        if message is not None:
            payload["message"] = message
        return payload


def message(
    *,
    message_id: int,
    channel_id: int,
    author: dict[str, Any],
    body: dict[str, Any],
    flags: int,
    application_id: int | None = None,
    interaction: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A message object built from what the bot sent (content, embeds, components)."""
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
    return data
