"""The fixed cast and places of the fake Discord, with the permissions Discord resolves in each.

One application whose bot is a member of one guild ("Reading Group"): #papers and
#paper-of-the-day where it may do everything it was invited for, #announcements where a
permission overwrite denies it Send Messages, and #staff that it cannot see (View Channel
denied). Besides: a guild it is not in ("Elsewhere", reachable only through a user install),
each person's DM with the bot, and two private channels between people (a group DM and a DM
between alice and bob) that the bot is never part of. Ids are fixed so tests and logs agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from tests.e2e.payloads import (
    ADMINISTRATOR,
    ATTACH_FILES,
    EMBED_LINKS,
    EVERYONE_PERMISSIONS,
    INVITE_PERMISSIONS,
    MANAGE_GUILD,
    MENTION_EVERYONE,
    SEND_MESSAGES,
    USE_EXTERNAL_EMOJIS,
    VIEW_CHANNEL,
    Person,
    snowflake,
)

BASE = 1_180_000_000_000_000_000
GUILD_TEXT, DM, GROUP_DM = 0, 1, 3  # channel types
GUILD, BOT_DM, PRIVATE_CHANNEL = 0, 1, 2  # interaction contexts
GUILD_INSTALL, USER_INSTALL = "0", "1"  # authorizing_integration_owners keys
# app_permissions Discord sends outside guilds (receiving-and-responding, Interaction Structure)
PRIVATE_APP_PERMISSIONS = ATTACH_FILES | EMBED_LINKS | MENTION_EVERYONE
BOT_DM_PERMISSIONS = (
    VIEW_CHANNEL | SEND_MESSAGES | EMBED_LINKS | ATTACH_FILES | (1 << 16) | (1 << 6) | MENTION_EVERYONE
) | USE_EXTERNAL_EMOJIS
BOT = Person(BASE + 1, "paperbot", EVERYONE_PERMISSIONS | INVITE_PERMISSIONS, bot=True)
ALICE = Person(BASE + 300, "alice", EVERYONE_PERMISSIONS | MANAGE_GUILD)  # the home guild's owner
BOB = Person(BASE + 301, "bob")  # a member without Manage Server
CAROL = Person(BASE + 302, "carol")  # another member without Manage Server
DAVE = Person(BASE + 303, "dave")  # a member who only chats (his own rate-limit budget)
# Members whose few messages test a silence, each with a positive control: no other test uses
# their rate-limit budget, so the silence is never the limit's.
ERIN = Person(BASE + 304, "erin")
FRANK = Person(BASE + 305, "frank")
GRACE = Person(BASE + 306, "grace")
OTHER_BOT = Person(BASE + 310, "otherbot", EVERYONE_PERMISSIONS, bot=True)


@dataclass(frozen=True)
class World:
    """Everything the fake knows about who and where; pure data and permission arithmetic."""

    application_id: int = BASE + 1
    guild_id: int = BASE + 100
    bot_role_id: int = BASE + 101  # the managed role the invite creates, with its permissions
    foreign_guild_id: int = BASE + 110  # a guild the bot is not a member of
    channel_id: int = BASE + 200  # #papers, where people use the commands
    daily_channel_id: int = BASE + 201  # #paper-of-the-day
    readonly_channel_id: int = BASE + 202  # #announcements: the bot may read but not post
    hidden_channel_id: int = BASE + 203  # #staff: the bot cannot see it
    foreign_channel_id: int = BASE + 210  # #general of the foreign guild
    group_dm_id: int = BASE + 500  # a group DM of alice, bob and carol (no bot)
    people_dm_id: int = BASE + 501  # a DM between alice and bob (no bot)
    webhook_id: int = BASE + 600  # a channel webhook ("Feed") that posts in #papers
    bot: Person = BOT
    alice: Person = ALICE
    bob: Person = BOB
    carol: Person = CAROL
    dave: Person = DAVE
    erin: Person = ERIN
    frank: Person = FRANK
    grace: Person = GRACE
    other_bot: Person = OTHER_BOT
    user_install: bool = True  # the app's Installation settings allow User Install
    denied: dict[int, int] = field(
        default_factory=lambda: {BASE + 202: SEND_MESSAGES, BASE + 203: VIEW_CHANNEL}
    )  # channel → permissions the bot's member overwrite denies

    # --- who --------------------------------------------------------------------------------

    @property
    def people(self) -> tuple[Person, ...]:
        return (self.alice, self.bob, self.carol, self.dave, self.erin, self.frank, self.grace)

    def person(self, user_id: int) -> Person:
        for person in (*self.people, self.bot, self.other_bot):
            if person.id == user_id:
                return person
        raise KeyError(user_id)

    # --- where ------------------------------------------------------------------------------

    @property
    def guild_channels(self) -> dict[int, str]:
        return {
            self.channel_id: "papers",
            self.daily_channel_id: "paper-of-the-day",
            self.readonly_channel_id: "announcements",
            self.hidden_channel_id: "staff",
        }

    def dm_channel_id(self, person: Person) -> int:
        """The DM channel between ``person`` and the bot (the same one every time, as on Discord)."""
        return BASE + 400 + (person.id - self.alice.id)

    def dm_partner(self, channel_id: int) -> Person | None:
        """The person whose DM with the bot this channel is, if it is one."""
        return next((p for p in self.people if self.dm_channel_id(p) == channel_id), None)

    def guild_of(self, channel_id: int) -> int | None:
        if channel_id in self.guild_channels:
            return self.guild_id
        return self.foreign_guild_id if channel_id == self.foreign_channel_id else None

    def context_of(self, channel_id: int) -> int:
        """The interaction context of a channel: a guild, the bot's DM, or a private channel."""
        if self.guild_of(channel_id) is not None:
            return GUILD
        if self.dm_partner(channel_id) is not None:
            return BOT_DM
        if channel_id in (self.group_dm_id, self.people_dm_id):
            return PRIVATE_CHANNEL
        raise AssertionError(f"channel {channel_id} is not in the fake's world")

    # --- permissions ------------------------------------------------------------------------

    def bot_permissions(self, channel_id: int) -> int:
        """What the bot may do in a channel, as Discord computes it (0 where it is not present)."""
        if channel_id in self.guild_channels:
            allowed = self.bot.permissions & ~self.denied.get(channel_id, 0)
            return allowed if allowed & VIEW_CHANNEL else 0  # no View Channel denies everything
        if self.dm_partner(channel_id) is not None:
            return BOT_DM_PERMISSIONS
        return 0

    def member_permissions(self, person: Person, guild_id: int) -> int:
        """A person's guild-level permissions (the owner of the home guild has them all)."""
        if guild_id == self.guild_id:
            return ~0 & ((1 << 53) - 1) if person == self.alice else person.permissions
        return EVERYONE_PERMISSIONS  # nobody has roles in the foreign guild

    def may_use(self, person: Person, guild_id: int, needed: int) -> bool:
        """``default_member_permissions``: a guild concept; admins and the owner pass any value."""
        have = self.member_permissions(person, guild_id)
        return bool(have & ADMINISTRATOR) or have & needed == needed

    def app_permissions(self, channel_id: int, owners: dict[str, str]) -> int:
        """``app_permissions`` of an interaction in this channel for these installations."""
        if GUILD_INSTALL in owners and channel_id in self.guild_channels:
            return self.bot_permissions(channel_id)
        if self.dm_partner(channel_id) is not None:
            return BOT_DM_PERMISSIONS
        if channel_id == self.foreign_channel_id:  # a user install in a guild without the bot
            return EVERYONE_PERMISSIONS | PRIVATE_APP_PERMISSIONS
        return PRIVATE_APP_PERMISSIONS

    # --- payloads -------------------------------------------------------------------------

    def channel(self, channel_id: int, in_guild_create: bool = False) -> dict[str, Any]:
        """A channel object as ``GET /channels/{id}`` (or GUILD_CREATE, without guild_id) has it."""
        partner = self.dm_partner(channel_id)
        if partner is not None:
            return {"id": str(channel_id), "type": DM, "last_message_id": None, "flags": 0,
                    "recipients": [partner.user()]}  # fmt: skip
        if channel_id == self.group_dm_id:
            return {"id": str(channel_id), "type": GROUP_DM, "name": "reading buddies", "icon": None,
                    "owner_id": str(self.alice.id), "last_message_id": None, "flags": 0,
                    "recipients": [p.user() for p in self.people]}  # fmt: skip
        if channel_id == self.people_dm_id:
            return {"id": str(channel_id), "type": DM, "last_message_id": None, "flags": 0,
                    "recipients": [self.alice.user(), self.bob.user()]}  # fmt: skip
        names = {**self.guild_channels, self.foreign_channel_id: "general"}
        deny = self.denied.get(channel_id, 0)
        overwrites = [{"id": str(self.bot.id), "type": 1, "allow": "0", "deny": str(deny)}] if deny else []
        data: dict[str, Any] = {
            "id": str(channel_id),
            "type": GUILD_TEXT,
            "name": names[channel_id],
            "position": list(names).index(channel_id),
            "parent_id": None,
            "topic": None,
            "nsfw": False,
            "last_message_id": None,
            "rate_limit_per_user": 0,
            "permission_overwrites": overwrites,
            "flags": 0,
        }
        if not in_guild_create:  # GUILD_CREATE's channels omit their guild_id
            data["guild_id"] = str(self.guild_of(channel_id))
        return data

    def interaction_channel(self, channel_id: int, person: Person) -> dict[str, Any]:
        """The partial channel of an interaction: ``permissions`` are the invoking person's."""
        guild_id = self.guild_of(channel_id)
        permissions = self.member_permissions(person, guild_id) if guild_id else PRIVATE_APP_PERMISSIONS
        return {**self.channel(channel_id), "permissions": str(permissions)}

    def roles(self) -> list[dict[str, Any]]:
        def role(role_id: int, name: str, permissions: int, position: int, managed: bool) -> dict[str, Any]:
            data = {
                "id": str(role_id),
                "name": name,
                "color": 0,
                "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
                "hoist": False,
                "icon": None,
                "unicode_emoji": None,
                "position": position,
                "permissions": str(permissions),
                "managed": managed,
                "mentionable": False,
                "flags": 0,
            }
            if managed:
                data["tags"] = {"bot_id": str(self.bot.id)}
            return data

        return [  # @everyone shares the guild's id
            role(self.guild_id, "@everyone", EVERYONE_PERMISSIONS, 0, False),
            role(self.bot_role_id, "paperbot", INVITE_PERMISSIONS, 1, True),
        ]

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
            "roles": self.roles(),
            "joined_at": "2025-03-01T12:00:00.000000+00:00",
            "large": False,
            "unavailable": False,
            "member_count": 4,
            "members": [self.bot.member(with_permissions=False, roles=(self.bot_role_id,))],
            "channels": [self.channel(c, in_guild_create=True) for c in self.guild_channels],
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

    @property
    def install_types(self) -> list[int]:
        """The installation contexts enabled in the Developer Portal (a command's default)."""
        return [0, 1] if self.user_install else [0]

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
            "flags": 0,  # no privileged intent is enabled for this app
            "owner": self.alice.user(),
            "team": None,
            "tags": [],
            "redirect_uris": [],
            "interactions_endpoint_url": None,  # set, it would divert interactions from the gateway
            "role_connections_verification_url": None,
            "approximate_guild_count": 1,
            "integration_types_config": {str(t): {} for t in self.install_types},
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
        owners: dict[str, str],
        message: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """An INTERACTION_CREATE as Discord sends it from this channel for these installations.

        In a guild it carries ``guild_id``, ``guild`` and ``member`` (with the person's
        permissions); in the bot's DM or a private channel it carries ``user`` instead.
        """
        guild_id = self.guild_of(channel_id)
        payload: dict[str, Any] = {
            "id": str(snowflake()),
            "application_id": str(self.application_id),
            "type": kind,
            "data": data,
            "channel_id": str(channel_id),
            "channel": self.interaction_channel(channel_id, user),
            "token": token,
            "version": 1,
            "app_permissions": str(self.app_permissions(channel_id, owners)),
            "locale": "en-GB",
            "entitlements": [],
            "entitlement_sku_ids": [],
            "authorizing_integration_owners": owners,
            "context": self.context_of(channel_id),
            "attachment_size_limit": 10_485_760,
        }
        if guild_id is not None:
            payload["guild_id"] = str(guild_id)
            payload["guild"] = {"id": str(guild_id), "locale": "en-US", "features": []}
            payload["guild_locale"] = "en-US"
            member = user.member()
            member["permissions"] = str(self.member_permissions(user, guild_id))
            payload["member"] = member
        else:
            payload["user"] = user.user()
        if message is not None:
            payload["message"] = message
        return payload
