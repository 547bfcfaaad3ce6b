"""Where the Discord client offers a registered command, and who authorised it there.

Discord's rules (interactions/application-commands, receiving-and-responding):
- ``integration_types`` (0 server install, 1 user install) defaults to the app's installation
  settings; ``contexts`` (0 guild, 1 the bot's DM, 2 private channels) stored as null means
  guilds and the bot's DM, minus the bot's DM when the deprecated ``dm_permission`` is false.
- A guild command (registered to one guild) exists only in that guild.
- A server install authorises commands in its guild and in the bot's DM ("0" → the guild id,
  or "0" in the DM); a user install (each person here has installed the app) authorises them
  anywhere ("1" → the person's id). Private channels and guilds without the bot need it.
- ``default_member_permissions`` is a guild matter: a member needs every bit (administrators
  and the owner pass); it does not apply in DMs.
The client simply does not show a command elsewhere, so the driver refuses to send it.
"""

from __future__ import annotations

from typing import Any

from tests.e2e.payloads import Person
from tests.e2e.world import BOT_DM, GUILD, GUILD_INSTALL, PRIVATE_CHANNEL, USER_INSTALL, World


class NotOffered(AssertionError):
    """The Discord client would not offer this command here (the driver refuses to send it)."""


def allowed_contexts(command: dict[str, Any]) -> set[int]:
    if "guild_id" in command:
        return {GUILD}
    contexts = command.get("contexts")
    if contexts is not None:
        return set(contexts)
    return {GUILD, BOT_DM} if command.get("dm_permission", True) is not False else {GUILD}


def owners(world: World, channel_id: int, person: Person, install_types: list[int]) -> dict[str, str]:
    """``authorizing_integration_owners`` for an interaction here, by installations allowed."""
    found: dict[str, str] = {}
    context = world.context_of(channel_id)
    guild_id = world.guild_of(channel_id)
    if 0 in install_types and (guild_id == world.guild_id or context == BOT_DM):
        found[GUILD_INSTALL] = str(guild_id) if context == GUILD else "0"
    if 1 in install_types and world.user_install:
        found[USER_INSTALL] = str(person.id)
    return found


def placement(world: World, command: dict[str, Any], channel_id: int, person: Person) -> dict[str, str]:
    """The owners of ``/command`` sent from this channel; ``NotOffered`` where Discord hides it."""
    name = command["name"]
    context = world.context_of(channel_id)
    if context not in allowed_contexts(command):
        raise NotOffered(
            f"Discord does not offer {name!r} in context {context} ({_where(world, channel_id)})"
        )
    if "guild_id" in command:
        if world.guild_of(channel_id) != int(command["guild_id"]):
            raise NotOffered(f"{name!r} is registered to another guild")
        found = {GUILD_INSTALL: command["guild_id"]}
    else:
        install_types = command.get("integration_types") or world.install_types
        found = owners(world, channel_id, person, install_types)
        if context == PRIVATE_CHANNEL:
            found.pop(GUILD_INSTALL, None)  # a server install never reaches private channels
    if not found:
        raise NotOffered(f"Discord does not offer {name!r} in {_where(world, channel_id)}: no installation")
    needed = command.get("default_member_permissions")
    guild_id = world.guild_of(channel_id)
    if needed is not None and guild_id is not None and not world.may_use(person, guild_id, int(needed)):
        raise NotOffered(f"Discord hides {name!r} from {person.name} (default_member_permissions {needed})")
    return found


def _where(world: World, channel_id: int) -> str:
    context = world.context_of(channel_id)
    if context == GUILD:
        home = world.guild_of(channel_id) == world.guild_id
        return f"channel {channel_id} of {'the bot' if home else 'a guild without the bot'}"
    return "the bot's DM" if context == BOT_DM else f"private channel {channel_id}"
