"""/daily: one random paper every morning per channel, at the channel's local time.

The scheduler is a ``discord.ext.tasks`` loop that asks the store what is due on a clock the
tests replace. Posts go out concurrently (bounded), so a thousand channels due in the same
minute neither stall the bot nor each other. Commands acknowledge before they touch the
store, which may wait on a load holding the catalog's write lock.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from typing import Any

import aiohttp
import discord
from discord import app_commands
from discord.ext import tasks
from discord.ext.commands import AutoShardedBot, Bot, Cog

from commands.ui import cards
from commands.ui.respond import Card, in_time, say, send
from commands.ui.shared import Clock, UserError, off_loop, services_of, utc_now
from commands.ui.views import card_view
from store import categories
from store.catalog.catalog import Catalog
from store.catalog.models import Paper
from store.daily import (
    Claim,
    DailyStore,
    Schedule,
    ScheduleError,
    Shards,
    describe,
    due_day,
    parse_time,
    parse_timezone,
    retry_at,
    timezones,
)
from store.text import clip

log = logging.getLogger(__name__)
CONCURRENT_POSTS = 20
# Failures worth another try later in the day: Discord's 5xx (after discord.py's own retries)
# and the network. A 403 or 404 is not retried: it pauses the schedule.
TRANSIENT = (discord.DiscordServerError, aiohttp.ClientError, OSError)

Post = Callable[[int, Card], Awaitable[int]]
"""Send a message to a channel (by id) and return the new message's id; raises discord's errors."""


class Unpostable(Exception):
    """The channel exists but holds no messages (a category or a forum, say)."""


def channel_poster(client: discord.Client) -> Post:
    """Posts through the bot: its cached channel, else one fetched from Discord."""

    async def post(channel_id: int, card: Card) -> int:
        channel = client.get_channel(channel_id) or await client.fetch_channel(channel_id)
        if not isinstance(channel, discord.abc.Messageable):
            raise Unpostable(channel_id)
        message = await channel.send(**card.message_kwargs())
        return message.id

    return post


def missing_permissions(channel: discord.abc.GuildChannel, me: discord.Member) -> list[str]:
    """What the bot lacks to post a card in ``channel`` (its overwrites included)."""
    allowed = channel.permissions_for(me)
    needed = (
        (allowed.view_channel, "View Channel"),
        (allowed.send_messages, "Send Messages"),
        (allowed.embed_links, "Embed Links"),
    )
    return [name for has, name in needed if not has]


@contextmanager
def _told_to_user() -> Iterator[None]:
    """Bad input and a busy catalog (``ScheduleError``) are messages for the user."""
    try:
        yield
    except ScheduleError as exc:
        raise UserError(str(exc)) from None


def _guild(interaction: discord.Interaction[Any]) -> discord.Guild:
    if interaction.guild is None:
        raise UserError("/daily works in a server that paperbot has been added to.")
    return interaction.guild


class Daily(Cog):
    """Daily posts; the schedules live in the catalog file and survive restarts.

    Who may use it is Discord's business: ``default_permissions`` hides the whole group (its
    subcommands inherit it) from members without *Manage Server*, unless an admin grants
    /daily to roles or members in Server Settings → Integrations; a permission check in the
    code would override that grant.
    """

    daily = app_commands.Group(
        name="daily",
        description="A random paper every day in a channel",
        guild_only=True,
        # Set explicitly: the tree's defaults offer commands to user installs and DMs too.
        allowed_contexts=app_commands.AppCommandContext(guild=True, dm_channel=False, private_channel=False),
        allowed_installs=app_commands.AppInstallationType(guild=True, user=False),
        default_permissions=discord.Permissions(manage_guild=True),
    )

    def __init__(self, catalog: Catalog, post: Post, shards: Shards, clock: Clock = utc_now) -> None:
        self.catalog = catalog
        self.store = DailyStore(catalog)
        self.post = post
        self.shards = shards
        self.clock = clock
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
        due = [
            (schedule, day)
            for schedule in await off_loop(self.store.active)
            if self.shards.hold(schedule.guild_id) and (day := due_day(schedule, now)) is not None
        ]
        results = await asyncio.gather(*(self._post(s, day, now) for s, day in due), return_exceptions=True)
        for (schedule, _), result in zip(due, results, strict=True):
            if isinstance(result, Exception):
                log.error("the daily post in channel %s failed", schedule.channel_id, exc_info=result)
        return sum(result is True for result in results)

    async def _post(self, schedule: Schedule, day: date, now: datetime) -> bool:
        async with self._posting:
            claim = await off_loop(self.store.claim, schedule, day, now)
            if claim is None:
                return False  # posted already today, here or by another process, or not yet retried
            paper = await off_loop(self._paper, schedule, claim)
            if paper is None:
                log.info("no paper for the daily post in channel %s", schedule.channel_id)
                return False
            card = Card(
                content=f"Paper of the day · {claim.day.isoformat()}",
                embed=cards.paper_embed(paper),
                view=card_view(paper),
            )
            try:
                message_id = await self.post(schedule.channel_id, card)
            except discord.NotFound:
                await self._pause(schedule, "the channel no longer exists")
                return False
            except discord.Forbidden:
                await self._pause(schedule, "the bot may not post in the channel (missing permission)")
                return False
            except Unpostable:
                await self._pause(schedule, "the channel cannot hold messages")
                return False
            except TRANSIENT as error:
                await self._retry(schedule, claim, error)
                return False
            await off_loop(self.store.sent, schedule, claim, message_id)
            return True

    def _paper(self, schedule: Schedule, claim: Claim) -> Paper | None:
        """The paper an earlier attempt chose (a retry posts the same one), else a new pick."""
        chosen = self.catalog.paper(claim.paper_id) if claim.paper_id else None
        return chosen or self.store.pick(schedule, claim.day)

    async def _retry(self, schedule: Schedule, claim: Claim, error: BaseException) -> None:
        again = retry_at(schedule, claim, self.clock())
        when = f"trying again at {again:%H:%M} UTC" if again else "no time left today: skipped"
        log.warning(
            "daily post in channel %s failed (attempt %d: %r); %s",
            schedule.channel_id,
            claim.attempt,
            error,
            when,
        )
        await off_loop(self.store.failed, schedule, claim, again)

    async def _pause(self, schedule: Schedule, reason: str) -> None:
        log.warning("pausing the daily post in channel %s: %s", schedule.channel_id, reason)
        await off_loop(self.store.pause, schedule.channel_id, reason)

    # --- commands --------------------------------------------------------------------------

    @daily.command(name="set", description="Post a random paper in a channel every day")
    @app_commands.describe(
        channel="Where to post (a text or announcement channel)",
        time="Local time of day, HH:MM (24-hour)",
        timezone="IANA time zone such as Europe/London (default UTC)",
        category="Only papers from this category, e.g. cs.LG",
    )
    async def set_schedule(
        self,
        interaction: discord.Interaction[Any],
        channel: discord.TextChannel,
        time: app_commands.Range[str, 3, 5],
        timezone: app_commands.Range[str, 1, 64] = "UTC",
        category: app_commands.Range[str, 1, 40] | None = None,
    ) -> None:
        guild = _guild(interaction)
        with _told_to_user():
            at, zone = parse_time(time), parse_timezone(timezone)
        missing = missing_permissions(channel, guild.me)
        if missing:
            raise UserError(
                f"paperbot cannot post in <#{channel.id}>: it needs {', '.join(missing)} there "
                "(channel settings → Permissions). Grant them, then run `/daily set` again."
            )
        work = off_loop(self._set, guild.id, channel.id, at, zone, category)
        schedule = await in_time(interaction, work, ephemeral=True)
        info = describe(schedule, self.clock())
        stamp = discord.utils.format_dt(info.next_post, "F") if info.next_post else "—"
        label = f" ({cards.clean(schedule.category)})" if schedule.category else ""
        await say(
            interaction,
            f"Daily paper set for <#{channel.id}> at {info.time} {info.timezone}{label}. Next post: {stamp}.",
        )

    def _set(self, guild_id: int, channel_id: int, at: time, zone: str, category: str | None) -> Schedule:
        if category is not None:
            category = categories.resolve(category)
            if self.catalog.random_paper(category) is None:
                raise UserError(f"The catalog has no paper in “{cards.clean(category)}”.")
        with _told_to_user():
            return self.store.set(guild_id, channel_id, at, zone, category)

    @set_schedule.autocomplete("timezone")
    async def timezone_autocomplete(
        self, interaction: discord.Interaction[Any], current: str
    ) -> list[app_commands.Choice[str]]:
        wanted = current.strip().lower().replace(" ", "_")
        return [app_commands.Choice(name=z, value=z) for z in self._zones if wanted in z.lower()][:25]

    @daily.command(name="off", description="Stop the daily paper in a channel")
    @app_commands.describe(channel="The channel (default: this one)")
    async def off(
        self, interaction: discord.Interaction[Any], channel: discord.TextChannel | None = None
    ) -> None:
        guild = _guild(interaction)
        channel_id = channel.id if channel else interaction.channel_id
        if channel_id is None:
            raise UserError("Name the channel whose daily paper should stop.")
        await in_time(interaction, off_loop(self._remove, guild.id, channel_id), ephemeral=True)
        await say(interaction, f"Daily paper stopped in <#{channel_id}>.")

    def _remove(self, guild_id: int, channel_id: int) -> None:
        schedule = self.store.get(channel_id)
        if schedule is None or schedule.guild_id != guild_id:
            raise UserError("There is no daily paper in that channel.")
        with _told_to_user():
            self.store.remove(channel_id)

    @daily.command(name="status", description="This server's daily papers and when they post next")
    async def status(self, interaction: discord.Interaction[Any]) -> None:
        guild = _guild(interaction)
        schedules = await in_time(interaction, off_loop(self.store.for_guild, guild.id), ephemeral=True)
        if not schedules:
            await say(interaction, "No daily papers in this server yet: try `/daily set`.")
            return
        now = self.clock()
        lines = []
        for schedule in schedules:
            info = describe(schedule, now)
            when = discord.utils.format_dt(info.next_post, "R") if info.next_post else "paused"
            line = f"<#{info.channel_id}> · {info.time} {info.timezone}"
            if info.category:
                line += f" · {cards.clean(info.category)}"
            line += f" · next {when}"
            if info.problem:
                line += f" · ⚠ {info.problem} (run `/daily set` again to resume)"
            lines.append(line)
        await say(interaction, clip("\n".join(lines), 2000))

    @daily.command(name="preview", description="Show a paper like the next daily post, to you only")
    async def preview(self, interaction: discord.Interaction[Any]) -> None:
        channel_id = interaction.channel_id
        paper = await in_time(interaction, off_loop(self._preview, channel_id), ephemeral=True)
        await send(interaction, Card(embed=cards.paper_embed(paper), view=card_view(paper)), ephemeral=True)

    def _preview(self, channel_id: int | None) -> Paper:
        schedule = self.store.get(channel_id) if channel_id is not None else None
        paper = self.catalog.random_paper(schedule.category if schedule else None)
        if paper is None:
            raise UserError("No paper matches this channel's filter.")
        return paper


async def setup(bot: Bot) -> None:
    services = services_of(bot)
    ids = bot.shard_ids if isinstance(bot, AutoShardedBot) else None
    shards = Shards(bot.shard_count, frozenset(ids) if ids is not None else None)
    await bot.add_cog(Daily(services.catalog, channel_poster(bot), shards, services.clock))
