"""Messages people write, mentions, and what an app without the Message Content intent is shown.

Rules (Discord's docs, events/gateway#message-content-intent and "You might not need a
privileged intent"): without MESSAGE_CONTENT an app receives empty ``content``, ``embeds``,
``attachments`` and ``components`` except in messages it sent, DMs with it, messages that
mention it, and replies to its own ordinary messages sent with "ping on reply" (a reply
mentions the replied-to author; a reply to an interaction response, a webhook message, pings
nobody, so it is not an exception). ``@everyone``/``@here`` and role mentions are not mentions
of the app. Message context-menu commands get the full message whatever the intents.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from tests.e2e.payloads import Person, message
from tests.e2e.world import World

USER_MENTION = re.compile(r"<@!?(\d+)>")
ROLE_MENTION = re.compile(r"<@&(\d+)>")
EVERYONE = re.compile(r"@(everyone|here)\b")
DEFAULT, REPLY = 0, 19  # message types
GATED = ("content", "embeds", "attachments", "components")


def _mention(world: World, user_id: int, guild_id: int | None) -> dict[str, Any] | None:
    try:
        person = world.person(user_id)
    except KeyError:
        return None
    data = person.user()
    if guild_id is not None:
        roles = (world.bot_role_id,) if person == world.bot else ()
        data["member"] = person.member(with_permissions=False, roles=roles, with_user=False)
    return data


def resolve_mentions(
    world: World,
    data: dict[str, Any],
    allowed: dict[str, Any] | None,
    replied_author: dict[str, Any] | None,
    may_ping_everyone: bool,
) -> None:
    """Fill ``mentions``, ``mention_roles``, ``mention_everyone`` of a message the bot sent.

    As Discord parses them: no ``allowed_mentions`` means everything in the content pings and
    a reply pings its author; with it, only what it lists (``replied_user`` defaults to false).
    """
    content, guild_id = data["content"], data.get("guild_id") and int(data["guild_id"])
    parse = {"users", "roles", "everyone"} if allowed is None else set(allowed.get("parse") or [])
    users = {int(u) for u in (allowed or {}).get("users") or []}
    roles = {int(r) for r in (allowed or {}).get("roles") or []}
    pinged = [int(raw) for raw in dict.fromkeys(USER_MENTION.findall(content))]
    found = [_mention(world, u, guild_id) for u in pinged if "users" in parse or u in users]
    mentions = [m for m in found if m is not None]
    replied_ping = True if allowed is None else bool(allowed.get("replied_user", False))
    # replied_author is None when the referenced message pings nobody (a webhook's)
    if replied_author is not None and replied_ping and all(m["id"] != replied_author["id"] for m in mentions):
        mentions.append(replied_author)
    data["mentions"] = mentions
    data["mention_roles"] = [
        r for r in dict.fromkeys(ROLE_MENTION.findall(content)) if "roles" in parse or int(r) in roles
    ]
    data["mention_everyone"] = bool(may_ping_everyone and "everyone" in parse and EVERYONE.search(content))


def user_message(
    world: World,
    *,
    message_id: int,
    channel_id: int,
    author: Person | None,
    text: str,
    reply_to: dict[str, Any] | None,
    reply_ping: bool,
    mention_everyone: bool,
) -> dict[str, Any]:
    """A message a person (or a bot, or the channel's webhook when ``author`` is None) sent."""
    guild_id = world.guild_of(channel_id)
    if author is None:
        user = {"id": str(world.webhook_id), "username": "Feed", "discriminator": "0000", "avatar": None,
                "bot": True, "global_name": None, "public_flags": 0, "flags": 0}  # fmt: skip
    else:
        user = author.user()
    data = message(
        message_id=message_id, channel_id=channel_id, author=user, body={"content": text}, flags=0,
        guild_id=guild_id,
    )  # fmt: skip
    if author is None:
        data["webhook_id"] = str(world.webhook_id)
    elif guild_id is not None:
        data["member"] = author.member(with_permissions=False, with_user=False)
    mentions = []
    for raw in dict.fromkeys(USER_MENTION.findall(text)):
        if (found := _mention(world, int(raw), guild_id)) is not None:
            mentions.append(found)
    if reply_to is not None:
        data["type"] = REPLY
        reference = {"type": 0, "message_id": reply_to["id"], "channel_id": str(channel_id)}
        if guild_id is not None:
            reference["guild_id"] = str(guild_id)
        data["message_reference"] = reference
        data["referenced_message"] = copy.deepcopy(reply_to)
        replied = reply_to["author"]
        pingable = "webhook_id" not in reply_to  # interaction responses and webhooks ping nobody
        if reply_ping and pingable and all(m["id"] != replied["id"] for m in mentions):
            found = _mention(world, int(replied["id"]), guild_id)
            if found is not None:
                mentions.append(found)
    data["mentions"] = mentions
    data["mention_roles"] = list(dict.fromkeys(ROLE_MENTION.findall(text)))
    data["mention_everyone"] = mention_everyone
    return data


def content_visible(world: World, data: dict[str, Any], intents: int, message_content: int) -> bool:
    """Whether an app that identified with ``intents`` is shown this message's content."""
    if intents & message_content:
        return True
    channel_id = int(data["channel_id"])
    bot = str(world.bot.id)
    return (
        world.dm_partner(channel_id) is not None
        or data["author"]["id"] == bot
        or any(m["id"] == bot for m in data["mentions"])
    )


def as_delivered(world: World, data: dict[str, Any], intents: int, message_content: int) -> dict[str, Any]:
    """The MESSAGE_CREATE payload the app receives: gated fields emptied where Discord empties them."""
    delivered = copy.deepcopy(data)
    for item in [delivered, delivered.get("referenced_message")]:
        if item is not None and not content_visible(world, item, intents, message_content):
            item.update(content="", embeds=[], attachments=[], components=[])
    return delivered
