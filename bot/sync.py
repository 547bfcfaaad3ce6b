"""Sync slash commands with Discord only when they changed: syncing is rate-limited."""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands

from store.catalog.catalog import Catalog

log = logging.getLogger(__name__)


def tree_hash(tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None = None) -> str:
    """A digest of exactly what a sync would send for this scope."""
    payload = [command.to_dict(tree) for command in tree.get_commands(guild=guild)]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


async def sync_commands(
    tree: app_commands.CommandTree[Any], catalog: Catalog, guild_id: int | None, force: bool = False
) -> bool:
    """Sync globally, or to one (development) guild for instant updates; True if it synced."""
    guild = discord.Object(guild_id) if guild_id else None
    if guild is not None:
        tree.copy_global_to(guild=guild)
    digest = tree_hash(tree, guild)
    if not force and catalog.sync_hash(guild_id) == digest:
        log.info("slash commands unchanged since the last sync; not syncing")
        return False
    synced = await tree.sync(guild=guild)
    catalog.remember_sync_hash(guild_id, digest)
    log.info("synced %d slash commands %s", len(synced), f"to guild {guild_id}" if guild_id else "globally")
    return True
