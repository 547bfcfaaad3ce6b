"""/daily: one random paper every morning per channel, at the channel's local time.

The scheduler is a ``discord.ext.tasks`` loop that asks the store what is due on a clock the
tests replace. Posts go out concurrently (bounded), so a thousand channels due in the same
minute neither stall the bot nor each other.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

import discord
from discord import app_commands
from discord.ext import tasks
from discord.ext.commands import Bot, Cog

from commands import cards
from commands.respond import Card, say, send
from commands.shared import NO_PINGS, Clock, UserError, off_loop, services_of, utc_now
from commands.views import card_view
from store import categories
from store.catalog import Catalog
from store.daily import (
    DailyStore,
    Schedule,
    ScheduleError,
    describe,
    due_day,
    on_shards,
    parse_time,
    parse_timezone,
    timezones,
)

log = logging.getLogger(__name__)
CONCURRENT_POSTS = 20


class Daily(Cog):
    """Daily posts; the schedules live in the catalog file and survive restarts."""

    daily = app_commands.Group(
        name="daily",
        description="A random paper every day in a channel",
        guild_only=True,
        # Set explicitly: the tree's defaults offer commands to user installs and DMs too.
        allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False),
        allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, bot: Any, catalog: Catalog, clock: Clock = utc_now) -> None:
        self.bot = bot
        self.catalog = catalog
        self.clock = clock
        self.store = DailyStore(catalog)
        self._zones = timezones()
        self._posting = asyncio.Semaphore(CONCURRENT_POSTS)

    @Cog.listener()
    async def on_ready(self) -> None:
        """Start posting once connected (on_ready fires again after reconnects: start once)."""
        if not self.poster.is_running():
            self.poster.start()

    async def cog_unload(self) -> None:
        self.poster.cancel()

    @tasks.loop(seconds=30)
    async def poster(self) -> None:
        try:
            await self.tick()
        except Exception:  # one bad tick must not stop tomorrow's posts
            log.exception("daily posting failed; retrying at the next tick")

    # --- the scheduler ---------------------------------------------------------------------

    async def tick(self) -> int:
        """Post everything due now on this process's shards; returns how many were posted."""
        now = self.clock()
        shard_count = getattr(self.bot, "shard_count", None)
        shard_ids = getattr(self.bot, "shard_ids", None)
        schedules = [
            s for s in await off_loop(self.store.active) if on_shards(s.guild_id, shard_count, shard_ids)
        ]
        due = [(s, day) for s in schedules if (day := due_day(s, now)) is not None]
        results = await asyncio.gather(*(self._post(s, day, now) for s, day in due))
        return sum(results)

    async def _post(self, schedule: Schedule, day: Any, now: datetime) -> bool:
        async with self._posting:
            if not await off_loop(self.store.claim, schedule, day, now):
                return False  # posted already today, here or by another process
            paper = await off_loop(self.store.pick, schedule, day)
            if paper is None:
                log.info("no paper for the daily post in channel %s", schedule.channel_id)
                return False
            try:
                channel = self.bot.get_channel(schedule.channel_id) or await self.bot.fetch_channel(
                    schedule.channel_id
                )
                message = await channel.send(
                    content=f"Paper of the day · {day.isoformat()}",
                    embed=cards.paper_embed(paper),
                    view=card_view(paper),
                    allowed_mentions=NO_PINGS,
                )
            except discord.NotFound:
                await self._pause(schedule, "the channel no longer exists")
                return False
            except discord.Forbidden:
                await self._pause(schedule, "the bot may not post in the channel (missing permission)")
                return False
            await off_loop(self.store.sent, schedule, day, getattr(message, "id", None))
            return True

    async def _pause(self, schedule: Schedule, reason: str) -> None:
        log.warning("pausing the daily post in channel %s: %s", schedule.channel_id, reason)
        await off_loop(self.store.pause, schedule.channel_id, reason)

    # --- commands --------------------------------------------------------------------------

    @daily.command(name="set", description="Post a random paper in a channel every day")
    @app_commands.describe(
        channel="Where to post",
        time="Local time of day, HH:MM (24-hour)",
        timezone="IANA time zone such as Europe/London (default UTC)",
        category="Only papers from this category, e.g. cs.LG",
    )
    @app_commands.checks.has_permissions(manage_guild=True)
    async def set_schedule(
        self,
        interaction: discord.Interaction[Any],
        channel: discord.TextChannel,
        time: app_commands.Range[str, 3, 5],
        timezone: app_commands.Range[str, 1, 64] = "UTC",
        category: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        try:
            at, zone = parse_time(time), parse_timezone(timezone)
        except ScheduleError as exc:
            raise UserError(str(exc)) from None
        assert interaction.guild_id is not None
        if category is not None:
            category = categories.resolve(category)
            if await off_loop(self.catalog.random_paper, category) is None:
                raise UserError(f"The catalog has no paper in “{cards.clean(category)}”.")
        schedule = await off_loop(self.store.set, interaction.guild_id, channel.id, at, zone, category)
        info = describe(schedule, self.clock())
        stamp = discord.utils.format_dt(info["next"], "F") if info["next"] else "—"  # type: ignore[arg-type]
        await say(
            interaction,
            f"Daily paper set for <#{channel.id}> at {at:%H:%M} {zone}"
            f"{f' ({cards.clean(category)})' if category else ''}. Next post: {stamp}.",
        )

    @set_schedule.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        wanted = current.strip().lower().replace(" ", "_")
        return [app_commands.Choice(name=z, value=z) for z in self._zones if wanted in z.lower()][:25]

    @daily.command(name="off", description="Stop the daily paper in a channel")
    @app_commands.describe(channel="The channel (default: this one)")
    @app_commands.checks.has_permissions(manage_guild=True)
    async def off(
        self, interaction: discord.Interaction[Any], channel: discord.TextChannel | None = None
    ) -> None:
        channel_id = channel.id if channel else interaction.channel_id
        schedule = await off_loop(self.store.get, channel_id)
        if schedule is None or schedule.guild_id != interaction.guild_id:
            raise UserError("There is no daily paper in that channel.")
        await off_loop(self.store.remove, channel_id)
        await say(interaction, f"Daily paper stopped in <#{channel_id}>.")

    @daily.command(name="status", description="This server's daily papers and when they post next")
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        assert interaction.guild_id is not None
        schedules = await off_loop(self.store.for_guild, interaction.guild_id)
        if not schedules:
            await say(interaction, "No daily papers in this server yet: try `/daily set`.")
            return
        now = self.clock()
        lines = []
        for schedule in schedules:
            info = describe(schedule, now)
            when = discord.utils.format_dt(info["next"], "R") if info["next"] else "paused"  # type: ignore[arg-type]
            line = f"<#{schedule.channel_id}> · {info['time']} {info['timezone']}"
            if schedule.category:
                line += f" · {cards.clean(schedule.category)}"
            line += f" · next {when}"
            if info["problem"]:
                line += f" · ⚠ {info['problem']} (run `/daily set` again to resume)"
            lines.append(line)
        await say(interaction, cards.clip("\n".join(lines), 2000))

    @daily.command(name="preview", description="Show a paper like the next daily post, to you only")
    async def preview(self, interaction: discord.Interaction[Any]) -> None:
        schedule = await off_loop(self.store.get, interaction.channel_id)
        category = schedule.category if schedule else None
        paper = await off_loop(self.catalog.random_paper, category)
        if paper is None:
            raise UserError("No paper matches this channel's filter.")
        await send(interaction, Card(embed=cards.paper_embed(paper), view=card_view(paper)), ephemeral=True)


async def setup(bot: Bot) -> None:
    services = services_of(bot)
    await bot.add_cog(Daily(bot, services.catalog, services.clock))
